"""The December 2026 domain audit (../shared/reference/domain-audit-2026-12.md, section 1):
one test per finding that changes a figure, on the shipped catalogue and examples.

Findings 10 and 12 are changes of the questionnaire's options in version 1.2.0
(docs/scoring.md §6): their tests run on the shipped questionnaire. Finding 11 (what is
online today) is tested in test_today.py, finding 25 (Geleitzug) in test_convoy.py.
"""

from __future__ import annotations

import dataclasses

import pytest

from ozgkompass.model.answers import Answer, parse_answers
from ozgkompass.model.catalogue import builtin_catalogue
from ozgkompass.model.maturity import get_model
from ozgkompass.model.questionnaire import parse_questionnaire
from ozgkompass.model.registry import builtin_examples, find_questionnaire, load_answer_set
from ozgkompass.scoring.assessment import assess
from ozgkompass.scoring.catalogue import score_catalogue
from ozgkompass.yamlio import parse_yaml

MODEL = get_model("reifegrad-1.1")


def _example(prefix: str):
    entry = next(e for e in builtin_examples() if e.name.startswith(prefix))
    return load_answer_set(entry, builtin=True)


def _score(aset, qn=None, **municipality):
    """Score an answer set on the shipped catalogue; `municipality` replaces master data."""
    if municipality:
        aset = dataclasses.replace(aset, municipality=dataclasses.replace(
            aset.municipality, **municipality))
    qn = qn or find_questionnaire(aset.questionnaire.id)
    a = assess(qn, aset)
    return score_catalogue(a, builtin_catalogue(), MODEL, qn)


def _answer(aset, qid: str, value):
    answers = dict(aset.answers)
    answers[qid] = Answer(qid, value)
    return dataclasses.replace(aset, answers=answers)


def _ids(result) -> set[str]:
    return {s.ozg_id for s in result.services}


def _reasons(result) -> dict[str, str]:
    return {o.ozg_id: o.reason for o in result.out_of_scope}


def _shipped_questionnaire():
    return find_questionnaire("ozg-kommune")


# --- findings 1–8: who executes, in person, what 10561 is -----------------------------------

def test_finding_01_wohngeld_is_a_gemeinde_task_in_nrw():
    falkenberg = _example("stadt")
    assert "10092" in _ids(_score(falkenberg))  # Falkenberg (NW) is scored on Wohngeld
    kreis_nw = _score(_example("landkreis"), land="Nordrhein-Westfalen", ars=None)
    assert _reasons(kreis_nw)["10092"] == "Aufgabe der Gemeinden, nicht eines Landkreises"
    # NI: Landkreis, Gemeinde, Samtgemeinde or Stadt
    assert "10092" in _ids(_score(_example("landkreis"), land="Niedersachsen", ars=None))
    assert "10092" in _ids(_score(falkenberg, land="Niedersachsen", ars=None))
    assert "10092" not in _ids(_score(falkenberg, land="Bayern", ars=None))
    assert builtin_catalogue().get("10092").sources


def test_finding_02_denkmal_is_a_gemeinde_task_in_nrw_and_falkenberg_reaches_53_of_56():
    r = _score(_example("stadt"))
    assert {"10092", "10525"} <= _ids(r)
    assert (r.at_target, r.in_scope) == (53, 56)  # the audit's figure after findings 1 and 2
    bw = builtin_catalogue().get("10525").executed_by_in("BW")
    assert bw == "beide"


def test_finding_03_kataster_is_a_land_task_in_ni_st_he():
    nordwald = _example("landkreis")
    assert _reasons(_score(nordwald))["10539"] == "Aufgabe des Landes (Hessen)"
    for land in ("Niedersachsen", "Sachsen-Anhalt", "Bayern"):
        assert "10539" not in _ids(_score(nordwald, land=land, ars=None))
    assert "10539" in _ids(_score(nordwald, land="Brandenburg", ars=None))


def test_finding_04_bodenrichtwerte_are_a_land_task_in_hessen():
    assert _reasons(_score(_example("landkreis")))["10522"] == "Aufgabe des Landes (Hessen)"


def test_finding_05_einbuergerung_in_hessen_and_nordwald_has_53_services():
    r = _score(_example("landkreis"))
    assert _reasons(r)["10257"] == "Aufgabe des Landes (Hessen)"
    assert not {"10539", "10522", "10257", "10561"} & _ids(r)
    assert r.in_scope == 53  # the audit's figure after findings 3, 4, 5 and 8


def test_finding_06_elterngeld_is_paid_by_the_land_in_mv_but_by_kreise_in_st():
    nordwald = _example("landkreis")
    mv = _score(nordwald, land="Mecklenburg-Vorpommern", ars=None)
    assert _reasons(mv)["10000"] == "Aufgabe des Landes (Mecklenburg-Vorpommern)"
    assert "10000" in _ids(_score(nordwald, land="Sachsen-Anhalt", ars=None))


def test_finding_07_aufenthaltstitel_needs_personal_visit():
    r = _score(_example("landkreis"))
    s = r.service("10255")
    assert s.in_person and s.target == 2 and s.level <= 2
    assert r.in_person == 5  # the briefing's count: 4 → 5


def test_finding_08_berufsregister_is_not_a_municipal_service_of_the_catalogue():
    cat = builtin_catalogue()
    assert cat.get("10561") is None
    assert not [x for s in cat.services for x in s.leika if "Lebensmittel" in x.name]
    assert "10561" not in _ids(_score(_example("landkreis")))


def test_finding_09_typisierung_refinements_are_marked_as_the_projects(cli):
    refined = [(s.ozg_id, x) for s in builtin_catalogue().services for x in s.leika
               if x.key and x.typisierung in ("2a", "2b", "3a", "3b", "4a", "4b")]
    assert len(refined) == 5 and all(x.source_typisierung == "2/3" for _, x in refined)
    code, out, err = cli("catalogue", "show", "kommunal", "--service", "10557")
    assert code == 0, err
    assert "Verfeinerung des Projekts" in out and "2/3" in out


# --- findings 10 and 12: answers that cannot serve every service -----------------------------

def test_finding_10_elster_only_caps_hoch_services_at_2_for_authentifizierung():
    qn = _shipped_questionnaire()
    falkenberg = _answer(_example("stadt"), "accounts_trust_level", "elster")
    r = _score(falkenberg, qn)
    cat = builtin_catalogue()
    hoch = [s for s in r.services if cat.get(s.ozg_id).attributes.trust_level == "hoch"
            and not s.in_person]
    assert {"10517", "10124", "10029"} <= {s.ozg_id for s in hoch}
    for s in hoch:
        auth = next(c for c in s.criteria if c.id == "authentifizierung")
        assert auth.supported == 2 and s.level <= 2 and "authentifizierung" in s.bottlenecks
    substantiell = [s for s in r.services
                    if cat.get(s.ozg_id).attributes.trust_level == "substantiell"]
    assert substantiell and all(
        next(c for c in s.criteria if c.id == "authentifizierung").supported == 3
        for s in substantiell)
    # the shipped answer (eID everywhere) is not held back
    assert r.service("10124").level < _score(_example("stadt"), qn).service("10124").level


def test_finding_10_otherwise_needs_applies_to_with_one_attribute():
    text = """
id: t
version: "1.0"
title: T
areas:
  - id: a
    title: A
    questions:
      - id: q
        type: single_choice
        text: Wie?
        options:
          - {value: x, label: X, score: 1, criteria: {authentifizierung: 3},
             otherwise: {authentifizierung: 2}}
          - {value: y, label: Y, score: 0, criteria: {authentifizierung: 2}}
"""
    qn, issues = parse_questionnaire(parse_yaml(text.encode(), "t.yaml"))
    assert qn is None
    assert [i.code for i in issues if i.severity == "error"] == ["otherwise"]
    assert "genau einem Merkmal" in issues[-1].message


def test_finding_12_once_only_for_some_services_does_not_lift_all_to_4():
    nordwald = _example("landkreis")
    assert nordwald.answers["forms_evidence"].value == "once_only"
    qn = _shipped_questionnaire()
    once_only = next(o for o in qn.question("forms_evidence").options if o.value == "once_only")
    assert dict(once_only.criteria) == {"nachweise": 3}  # 1.1.0: 4, every service at 4
    r = _score(nordwald, qn)
    plakette = r.service("10427")  # Feinstaubplakette: SDG Annex II, target 4
    assert plakette.target == 4 and not plakette.at_target and plakette.level == 3
    assert next(c for c in plakette.criteria if c.id == "nachweise").supported == 3


# --- findings 24, 26, 29, 30 -----------------------------------------------------------------

def test_finding_24_landkreise_have_their_own_size_classes_and_peers_share_the_type(tmp_path):
    from ozgkompass.archive.db import connect, size_class
    from ozgkompass.archive.store import add_assessment, peer_names, peer_rows

    assert [size_class(p, "landkreis") for p in (250_001, 250_000, 150_000, 149_999)] == [
        "LK1", "LK2", "LK2", "LK3"]
    assert size_class(200_000, "stadt") == "GK2" and size_class(200_000) == "GK2"
    db = tmp_path / "a.sqlite"
    nordwald = _example("landkreis")
    qn = find_questionnaire(nordwald.questionnaire.id)
    for name, ars, mtype in (("Landkreis A", "069990000000", "landkreis"),
                             ("Stadt B", "069990001000", "stadt"),
                             ("Landkreis C", "069980000000", "landkreis"),
                             ("Stadt D", "069980001000", "stadt"),
                             ("Gemeinde E", "069980002000", "gemeinde")):
        aset = dataclasses.replace(nordwald, municipality=dataclasses.replace(
            nordwald.municipality, name=name, ars=ars, type=mtype, population=200_000))
        add_assessment(db, assess(qn, aset), aset)
    conn = connect(db)
    rows = peer_rows(conn, "HE", "LK2", qn.id, ("069990000000", "Landkreis A"), "landkreis")
    # Stadt B has the same Land and population but is no Landkreis: not a peer
    assert list(peer_names(conn, [r.id for r in rows]).values()) == ["Landkreis C"]
    assert conn.execute("SELECT size_class FROM assessments WHERE mtype = 'stadt'").fetchone() \
        == ("GK2",)
    assert peer_rows(conn, "HE", "GK2", qn.id, (None, "x"), "landkreis") == []
    # same Land and size class, but only the same type compares
    rows = peer_rows(conn, "HE", "GK2", qn.id, ("069990001000", "Stadt B"), "stadt")
    assert list(peer_names(conn, [r.id for r in rows]).values()) == ["Stadt D"]


def test_finding_26_a_mitgliedsgemeinde_is_scored_on_its_own_tasks():
    lindenau = _example("gemeinde")
    assert lindenau.municipality.type == "mitgliedsgemeinde"
    r = _score(lindenau)
    # Meldewesen, Standesamt, Pass, Schulaufnahme: the Samtgemeinde's
    for ozg_id in ("10124", "10559", "10557", "10119", "10041"):
        assert ozg_id not in _ids(r)
        assert _reasons(r)[ozg_id].startswith("Aufgabe der Samtgemeinde (")
    assert {"10160", "10117", "10227"} <= _ids(r)  # Hundesteuer, Grundsteuer, Friedhof
    assert "Samtgemeinde" in r.scope_note
    verband = _score(lindenau, type="gemeindeverband")
    assert {"10124", "10041"} <= _ids(verband) and "10160" not in _ids(verband)
    assert _reasons(verband)["10160"] == ("Aufgabe der Mitgliedsgemeinden (eigener "
                                          "Wirkungskreis), nicht der Samtgemeinde")
    assert _ids(r) | _ids(verband) >= _ids(_score(lindenau, type="gemeinde"))


def test_finding_26_where_the_split_is_not_found_the_result_says_so():
    lindenau = _example("gemeinde")
    sh = _score(lindenau, land="Schleswig-Holstein", ars=None)
    assert _ids(sh) == _ids(_score(lindenau, land="Schleswig-Holstein", ars=None,
                                   type="gemeinde"))
    assert "Amt und Mitgliedsgemeinden in Schleswig-Holstein ist in den Quellen" in sh.scope_note
    assert "nicht belegt" in sh.scope_note
    nw = _score(lindenau, land="Nordrhein-Westfalen", ars=None)
    assert "keine Gemeindeverbände dieser Art" in nw.scope_note
    by = _score(lindenau, land="Bayern", ars=None)
    assert _reasons(by)["10124"].startswith("Aufgabe der Verwaltungsgemeinschaft")
    assert "10041" in _ids(by)  # no source for the Schulträger of a VG: stays with the member


def test_finding_29_answer_levels_are_marked_as_the_projects(cli):
    code, out, err = cli("explain", str(_example_path("gemeinde")), "--criterion",
                         "leistungsbeschreibung")
    assert code == 0, err
    assert "legt der Fragebogen fest (Zuordnung von ozgkompass)" in " ".join(out.split())


def test_finding_30_urkundenverwahrung_keeps_the_kreis_part_with_a_note():
    s = builtin_catalogue().get("10097")
    assert s.executed_by == "kreis" and s.attributes.in_person
    assert "Amtsgericht" in s.note and "Betreuungsbehörde" in s.note and s.sources


def _example_path(prefix: str):
    from ozgkompass.model.registry import builtin_folder

    return next(e for e in (builtin_folder() / "examples").iterdir()
                if e.name.startswith(prefix))


# --- item 4: the new types are accepted ------------------------------------------------------

@pytest.mark.parametrize("mtype", ["mitgliedsgemeinde", "gemeindeverband", "verband"])
def test_the_answers_check_accepts_the_gemeindeverband_types(mtype):
    text = f"""
questionnaire: {{id: ozg-kommune}}
municipality:
  name: Gemeinde Lindenau
  ars: "039990005012"
  land: Niedersachsen
  type: {mtype}
answers: {{}}
"""
    aset, issues = parse_answers(parse_yaml(text.encode(), "a.yaml"))
    assert aset is not None and not issues
    assert aset.municipality.type == ("gemeindeverband" if mtype == "verband" else mtype)


# --- item 6: the oracle's defects ------------------------------------------------------------

def test_scope_add_counts_land_and_bund_services_as_docs_say():
    nordwald = _example("landkreis")
    r = _score(nordwald, scope_add=("10539", "10562"))
    assert {"10539", "10562"} <= _ids(r)  # the municipality's own statement wins


def test_unknown_audience_written_form_and_trust_level_are_listed():
    r = _score(_example("landkreis"))
    cat = builtin_catalogue()
    for s in r.services:
        attrs = cat.get(s.ozg_id).attributes
        for name in ("audience", "written_form", "in_person"):
            assert (getattr(attrs, name) is None) == (name in s.unknown_attributes), (
                s.ozg_id, name)
        if attrs.trust_level is None and attrs.flag("identification") is not False:
            assert "trust_level" in s.unknown_attributes, s.ozg_id
    denkmal_bw = _score(nordwald_in("Baden-Württemberg")).service("10525")
    assert "trust_level" in denkmal_bw.unknown_attributes  # identification unknown too


def nordwald_in(land: str):
    aset = _example("landkreis")
    return dataclasses.replace(aset, municipality=dataclasses.replace(
        aset.municipality, land=land, ars=None))


def test_out_of_scope_reasons_are_correct_german():
    reasons = set()
    for prefix, changes in (("landkreis", {}), ("stadt", {}), ("gemeinde", {}),
                            ("stadt", {"type": "kreisfreie_stadt"}),
                            ("gemeinde", {"type": "gemeinde"})):
        reasons |= set(_reasons(_score(_example(prefix), **changes)).values())
    assert "Aufgabe des Bundes" in reasons and "Aufgabe des Landes (Hessen)" in reasons
    assert "Aufgabe der Kreise und kreisfreien Städte, nicht einer kreisangehörigen Stadt" \
        in reasons
    assert "Aufgabe der Kreise und kreisfreien Städte, nicht einer Gemeinde" in reasons
    assert "Aufgabe der Gemeinden, nicht eines Landkreises" in reasons
    text = " ".join(reasons)
    for wrong in ("von das", "von der Bund", "kreisfreie Städte,", "einer kreisangehörige ",
                  " in HE", "eine Landkreis"):
        assert wrong not in text


# --- the catalogue keys the findings need ----------------------------------------------------

SMALL_CATALOGUE = """
format: 1
id: klein
version: "1"
title: Klein
source: Test
services:
  - ozg_id: "10160"
    name: Hundehaltung
    themenfeld: Engagement & Hobby
    executed_by: gemeinde
    wirkungskreis: WIRKUNGSKREIS
    sources: SOURCES
    leika: [{key: "99000000000000", name: Hundesteuer, typisierung: "5b",
             source_typisierung: "5"}]
"""


def test_catalogue_sources_wirkungskreis_and_source_typisierung_round_trip():
    from ozgkompass.model.catalogue import catalogue_to_dict, dump_catalogue, parse_catalogue_bytes

    text = SMALL_CATALOGUE.replace("WIRKUNGSKREIS", "eigen").replace(
        "SOURCES", '["Hundesteuersatzung (https://example.org)"]')
    cat, issues = parse_catalogue_bytes(text.encode(), "k.yaml", "yaml")
    assert cat is not None, issues
    svc = cat.get("10160")
    assert (svc.wirkungskreis, svc.sources, svc.leika[0].source_typisierung) == (
        "eigen", ("Hundesteuersatzung (https://example.org)",), "5")
    again, _ = parse_catalogue_bytes(dump_catalogue(cat, "json").encode(), "k.json", "json")
    assert again is not None and catalogue_to_dict(again) == catalogue_to_dict(cat)


@pytest.mark.parametrize(("wirkungskreis", "sources", "message", "line"), [
    ("eigener", '["x"]', "`wirkungskreis: eigener` ist unbekannt; erlaubt: uebertragen, eigen "
                         "oder null. Meinten Sie `eigen`?", 12),
    ("eigen", "[1, 2]", "`sources` muss eine Liste von Quellenangaben (Text) sein.", 13),
])
def test_bad_catalogue_keys_get_a_located_german_error(wirkungskreis, sources, message, line):
    from ozgkompass.model.catalogue import parse_catalogue_bytes

    text = SMALL_CATALOGUE.replace("WIRKUNGSKREIS", wirkungskreis).replace("SOURCES", sources)
    cat, issues = parse_catalogue_bytes(text.encode(), "k.yaml", "yaml")
    assert cat is None
    [issue] = [i for i in issues if i.severity == "error"]
    assert issue.message == f"OZG-Leistung 10160: {message}"
    assert issue.location.line == line
