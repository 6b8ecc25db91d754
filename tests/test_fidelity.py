"""Per-service figures that follow the official Reifegrad rules (docs/scoring.md §6).

Every expected level below is worked out by hand from the model files:
- reifegrad-1.1: level 1 needs Leistungsbeschreibung, 2 also Antragsprozess, 3 and 4 every
  applying criterion of the six (Nutzerkonto, Authentifizierung, Bezahlung, Nachweise apply
  only where the service needs them); the back office is not part of 1.1.
- reifegrad-2.0: 0–3 the same front end (1.1 answers translated 0→0 … 3→3, 4→7), 4 needs
  Übermittlung + Rückkanal, 5 Fachverfahren + E-Akte, 6 Status + Once-Only + HKR.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ozgkompass.model.answers import parse_answers
from ozgkompass.model.catalogue import parse_catalogue_bytes
from ozgkompass.model.maturity import get_model
from ozgkompass.model.registry import builtin_examples, find_questionnaire, load_answer_set
from ozgkompass.scoring.assessment import assess
from ozgkompass.scoring.catalogue import score_catalogue
from ozgkompass.yamlio import parse_yaml

CATALOGUE = """
id: vier
version: "test"
title: Vier Leistungen
source: von Hand für den Test
services:
  - ozg_id: "20001"
    name: Hundesteuer
    themenfeld: Steuern & Zoll
    executed_by: gemeinde
    leika: [{key: null, name: Hundesteuer, typisierung: "5"}]
    attributes: {fees: false, evidence: false, identification: false, sdg_annex2: false,
                 efa: false, audience: buerger, written_form: false, in_person: false}
  - ozg_id: "20002"
    name: Gewerbeanzeige
    themenfeld: Unternehmensführung & -entwicklung
    executed_by: gemeinde
    leika: [{key: null, name: Gewerbe, typisierung: "2b"}]
    attributes: {fees: true, evidence: true, identification: true, trust_level: substantiell,
                 sdg_annex2: false, efa: true, audience: unternehmen, written_form: false,
                 in_person: false}
  - ozg_id: "20003"
    name: Personalausweis
    themenfeld: Querschnitt
    executed_by: gemeinde
    leika: [{key: null, name: Personalausweis, typisierung: "2b"}]
    attributes: {fees: true, evidence: true, identification: true, trust_level: hoch,
                 sdg_annex2: false, efa: false, audience: buerger, written_form: false,
                 in_person: true}
  - ozg_id: "20004"
    name: Meldebescheinigung
    themenfeld: Querschnitt
    executed_by: gemeinde
    leika: [{key: null, name: Meldebescheinigung, typisierung: "2b"}]
    attributes: {fees: true, evidence: false, identification: true, trust_level: hoch,
                 sdg_annex2: true, efa: false, audience: buerger, written_form: false,
                 in_person: false}
"""

# A complete front end and a weak back office (answers of the built-in questionnaire).
FRONTEND_COMPLETE = """
portal_type: eigenes                  # leistungsbeschreibung 4
forms_server: dienstleister_land      # antragsprozess 4
forms_data_reuse: nein                # antragsprozess 3 (no reuse of Portalverbund data)
accounts_bundid: alle                 # nutzerkonto 4 (citizen services)
accounts_org_account: alle            # nutzerkonto 4 (business services)
accounts_trust_level: eid_ueberall    # authentifizierung 4
payment_platform: epaybl              # bezahlung 4
forms_evidence: upload_alle           # nachweise 3; 2.0: once_only 5
backoffice_transport: direkt_fachverfahren   # 2.0: uebermittlung 7
backoffice_decision: postfach         # 2.0: rueckkanal 7
backoffice_media_break: abgetippt     # 2.0: weiterverarbeitung 4 (typed in again)
backoffice_eakte: keine               # 2.0: e_akte 3
backoffice_status: nein               # 2.0: status 5
payment_hkr: manuell                  # 2.0: hkr 4
"""


def catalogue():
    cat, issues = parse_catalogue_bytes(CATALOGUE.encode(), "vier.yaml", "yaml")
    assert cat is not None, issues
    return cat


def scored(answers: str, model: str, municipality: str = "{name: Test, type: gemeinde}"):
    qn = find_questionnaire("ozg-kommune")
    body = "\n".join("  " + line for line in answers.strip().splitlines())
    aset, issues = parse_answers(parse_yaml(
        f"questionnaire: {{id: ozg-kommune}}\nmunicipality: {municipality}\nanswers:\n{body}\n",
        "a.yaml"))
    assert aset is not None, issues
    mm = get_model(model)
    a = assess(qn, aset, mm)
    a = replace(a, catalogue=score_catalogue(a, catalogue(), mm, qn))
    return a, {s.ozg_id: s for s in a.catalogue.services}


def test_front_end_complete_back_office_weak_under_1_1():
    a, s = scored(FRONTEND_COMPLETE, "reifegrad-1.1")
    # Antragsprozess 3 (no data reuse) keeps level 4 out of reach; nothing of the back
    # office (typed in again, no E-Akte, no status) is a condition of 1.1
    assert (s["20001"].level, s["20001"].at_target) == (3, True)
    assert (s["20002"].level, s["20002"].at_target) == (3, True)
    # SDG Annex II: target is the once-only level 4; Antragsprozess 3 holds it
    assert (s["20004"].level, s["20004"].target) == (3, 4)
    assert s["20004"].bottlenecks == ["antragsprozess"]
    # personal appearance: capped at 2, and 2 is its target
    assert (s["20003"].level, s["20003"].target, s["20003"].in_person) == (2, 2, True)
    assert s["20003"].at_target and "persönliches Erscheinen" in s["20003"].target_reason
    assert a.catalogue.at_target == 3 and a.catalogue.frontend_complete == 3


def test_front_end_complete_back_office_weak_under_2_0():
    a, s = scored(FRONTEND_COMPLETE, "reifegrad-2.0")
    levels = a.criteria_levels()
    assert (levels["uebermittlung"], levels["rueckkanal"]) == (7, 7)
    assert (levels["weiterverarbeitung"], levels["e_akte"], levels["status"]) == (4, 3, 5)
    # front end 3 reached, level 4 (structured transfer, digital notice) too; level 5 needs
    # Fachverfahren and E-Akte at 5: typed in again (4) and no E-Akte (3) hold it at 4
    for oid in ("20001", "20002"):
        assert (s[oid].level, s[oid].frontend_level, s[oid].backoffice_level) == (4, 3, 4)
        assert s[oid].next_level == 5
        assert s[oid].next_blockers == ["weiterverarbeitung", "e_akte"]
        assert s[oid].at_target  # target: compliant level 3 (an assumption under 2.0)
    # SDG Annex II under 2.0: the once-only level 6, not the top level 7
    assert (s["20004"].target, s["20004"].level) == (6, 4)
    # Once-Only does not apply (no evidence); Antragsprozess 3 is enough below level 7
    assert s["20004"].bottlenecks == ["weiterverarbeitung", "e_akte", "status", "hkr"]
    assert a.catalogue.model_notice.startswith("Vorläufig")


def test_missing_level_3_capability_caps_at_2_not_1():
    answers = FRONTEND_COMPLETE.replace("payment_platform: epaybl", "payment_platform: keine") \
        .replace("payment_hkr: manuell\n", "")
    _, s = scored(answers, "reifegrad-1.1")
    # no online payment: fee services stop at the form assistant (2); Hundesteuer has no fee
    assert (s["20002"].level, s["20004"].level, s["20001"].level) == (2, 2, 3)
    assert s["20002"].next_blockers == ["bezahlung"]


def test_missing_organisation_account_does_not_hold_back_citizen_services():
    answers = FRONTEND_COMPLETE.replace("accounts_org_account: alle", "accounts_org_account: nein")
    a, s = scored(answers, "reifegrad-1.1")
    assert s["20002"].level == 2 and s["20002"].bottlenecks == ["nutzerkonto"]  # business
    assert s["20004"].level == 3  # citizen service with identification: BundID counts
    assert "Unternehmensleistungen: 2" in a.criterion("nutzerkonto").reason


def test_written_form_answer_applies_only_where_the_law_requires_written_form():
    answers = FRONTEND_COMPLETE + "forms_written_form: ausdrucken\n"
    _, s = scored(answers, "reifegrad-1.1")
    assert s["20002"].level == 3  # no written-form requirement: printing does not matter
    text = CATALOGUE.replace("audience: unternehmen, written_form: false",
                             "audience: unternehmen, written_form: true")
    cat, _ = parse_catalogue_bytes(text.encode(), "vier.yaml", "yaml")
    a, _ = scored(answers, "reifegrad-1.1")
    result = score_catalogue(a, cat, get_model("reifegrad-1.1"))
    assert result.service("20002").level == 2


def test_leitfaden_reading_makes_the_digital_notice_part_of_level_3():
    answers = FRONTEND_COMPLETE.replace("backoffice_decision: postfach",
                                        "backoffice_decision: email_und_post")
    _, s = scored(answers, "reifegrad-1.1-leitfaden")
    assert s["20001"].level == 2 and s["20001"].bottlenecks == ["rueckkanal"]
    _, s = scored(answers, "reifegrad-1.1")  # the default reading does not ask for it
    assert s["20001"].level == 3


SCOPE_CATALOGUE = """
id: ebenen
version: "test"
title: Ebenen
source: von Hand
services:
  - {ozg_id: "30001", name: Meldewesen, themenfeld: Querschnitt, executed_by: gemeinde,
     leika: [{key: null, name: M, typisierung: "2b"}]}
  - {ozg_id: "30002", name: Kfz-Zulassung, themenfeld: Mobilität & Reisen, executed_by: kreis,
     leika: [{key: null, name: K, typisierung: "2b"}]}
  - {ozg_id: "30003", name: Abfall, themenfeld: Bauen & Wohnen, executed_by: beide,
     leika: [{key: null, name: A, typisierung: "5"}]}
  - {ozg_id: "30004", name: Führungszeugnis, themenfeld: Querschnitt, executed_by: bund,
     leika: [{key: null, name: F, typisierung: "1"}]}
  - {ozg_id: "30005", name: Elterngeld, themenfeld: Familie & Kind, executed_by: kreis,
     executed_by_land: {BY: land}, leika: [{key: null, name: E, typisierung: "2"}]}
"""


@pytest.mark.parametrize("municipality,in_scope", [
    ("{name: G, type: gemeinde}", ["30001", "30003"]),
    ("{name: L, type: landkreis}", ["30002", "30003", "30005"]),
    ("{name: K, type: kreisfreie_stadt}", ["30001", "30002", "30003", "30005"]),
    ("{name: B, type: landkreis, ars: '091620000000'}", ["30002", "30003"]),  # Bayern
    ("{name: S, type: stadt, scope: {add: ['30002'], remove: ['30003']}}", ["30001", "30002"]),
    ("{name: U}", ["30001", "30002", "30003", "30005"]),  # type unknown: all municipal tasks
])
def test_scope_follows_the_municipality_type_land_and_overrides(municipality, in_scope):
    cat, issues = parse_catalogue_bytes(SCOPE_CATALOGUE.encode(), "ebenen.yaml", "yaml")
    assert cat is not None, issues
    a, _ = scored(FRONTEND_COMPLETE, "reifegrad-1.1", municipality)
    r = score_catalogue(a, cat, get_model("reifegrad-1.1"))
    assert [s.ozg_id for s in r.services] == in_scope
    out = {o.ozg_id: o.reason for o in r.out_of_scope}
    assert set(out) | set(in_scope) == {"30001", "30002", "30003", "30004", "30005"}
    assert "Bund" in out["30004"]  # federal online channel: never counted against a Kommune


def test_a_landkreis_is_not_scored_on_gemeinde_services_of_the_builtin_catalogue():
    example = next(e for e in builtin_examples() if e.name.startswith("landkreis"))
    aset = load_answer_set(example, builtin=True)
    qn = find_questionnaire(aset.questionnaire.id)
    from ozgkompass.model.catalogue import builtin_catalogue

    cat = builtin_catalogue()
    a = assess(qn, aset)
    r = score_catalogue(a, cat, get_model("reifegrad-1.1"), qn)
    scored_ids = {s.ozg_id for s in r.services}
    gemeinde_only = {s.ozg_id for s in cat.services if s.executed_by == "gemeinde"}
    assert gemeinde_only and not scored_ids & gemeinde_only
    assert gemeinde_only <= {o.ozg_id for o in r.out_of_scope}
    assert "10124" in gemeinde_only  # Wohnsitzmeldungen: a task of the Gemeinden


def test_lindenau_front_end_without_online_submission_is_level_2_not_1():
    example = next(e for e in builtin_examples() if e.name.startswith("gemeinde"))
    aset = load_answer_set(example, builtin=True)
    qn = find_questionnaire(aset.questionnaire.id)
    from ozgkompass.model.catalogue import builtin_catalogue

    a = assess(qn, aset)
    r = score_catalogue(a, builtin_catalogue(), get_model("reifegrad-1.1"), qn)
    # a form server and descriptions exist (Antragsprozess and Leistungsbeschreibung ≥ 2):
    # no service falls back to "1 Information"
    assert a.criteria_levels()["antragsprozess"] >= 2
    assert r.level_counts[0] == r.level_counts[1] == 0
    assert r.level_counts[2] > 0


def test_default_model_result_says_it_was_replaced_and_gives_the_2_0_figures(cli):
    import json

    code, out, err = cli("demo", "--json")
    assert code == 0, err
    cat = json.loads(out)["catalogue"]
    assert "Juli 2025" in cat["model_notice"] and "2.0" in cat["model_notice"]
    other = cat["other_models"]
    assert [o["model"] for o in other] == ["reifegrad-2.0"] and other[0]["complete"] is False
    assert other[0]["in_scope"] == cat["in_scope"]
    code, out, err = cli("score", "--json", "-c", "kommunal", "-m", "reifegrad-2.0",
                         str(next(e for e in builtin_examples()
                                  if e.name.startswith("stadt"))))
    assert code == 0, err
    assert json.loads(out)["catalogue"]["other_models"] == []
