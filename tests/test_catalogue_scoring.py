"""Scoring against the catalogue with a hand-made five-service catalogue (model 1.1).

Supported levels (from the answers below): leistungsbeschreibung 4, antragsprozess 4,
nutzerkonto 3, authentifizierung 3, bezahlung 1, nachweise 2. Model 1.1: level 1 needs the
Leistungsbeschreibung, level 2 also the Antragsprozess, levels 3 and 4 every applying
criterion of the six; OZG-konform from 3, SDG Annex II target 4 (once-only).
"""

from __future__ import annotations

import pytest

from ozgkompass.model.answers import parse_answers
from ozgkompass.model.catalogue import parse_catalogue_bytes
from ozgkompass.model.maturity import get_model
from ozgkompass.model.questionnaire import parse_questionnaire
from ozgkompass.scoring.assessment import assess
from ozgkompass.scoring.catalogue import score_catalogue
from ozgkompass.yamlio import parse_yaml

MODEL = get_model("reifegrad-1.1")
SUPPORT = {"leistungsbeschreibung": 4, "antragsprozess": 4, "nutzerkonto": 3,
           "authentifizierung": 3, "bezahlung": 1, "nachweise": 2}

CATALOGUE = """
id: fuenf
version: "test-1"
title: Fünf Leistungen
source: von Hand für den Test
services:
  - ozg_id: "10001"
    name: Hundesteuer
    themenfeld: Steuern & Zoll
    leika: [{key: null, name: Hundesteuer, typisierung: "5"}]
    attributes: {fees: false, evidence: false, identification: false, sdg_annex2: false, efa: false}
  - ozg_id: "10002"
    name: Gewerbeanmeldung
    themenfeld: Unternehmensführung & -entwicklung
    priority: 3
    leika: [{key: null, name: Gewerbe anmelden, typisierung: "2b"}]
    attributes: {fees: true, evidence: false, identification: true, sdg_annex2: true, efa: true}
  - ozg_id: "10003"
    name: Wohngeld
    themenfeld: Bauen & Wohnen
    priority: 3
    leika: [{key: null, name: Wohngeld, typisierung: "2b"}]
    attributes: {fees: false, evidence: true, identification: true, sdg_annex2: false, efa: true}
  - ozg_id: "10004"
    name: Sondernutzung
    themenfeld: Mobilität & Reisen
    leika: [{key: null, name: Sondernutzung, typisierung: "4"}]
    attributes: {fees: true, identification: false, sdg_annex2: false}
  - ozg_id: "10005"
    name: Parkausweis
    themenfeld: Mobilität & Reisen
    priority: 1
    leika: [{key: null, name: Parkausweis, typisierung: "5"}]
    attributes: {fees: true, evidence: false, identification: false, sdg_annex2: false, efa: false}
  - ozg_id: "10006"
    name: Bundesleistung
    themenfeld: Querschnitt
    leika: [{key: null, name: Bund, typisierung: "1"}]
    attributes: {fees: true, evidence: true, identification: true, sdg_annex2: false, efa: false}
"""


def questionnaire_yaml() -> str:
    """One single-choice question per criterion; the answer sets that criterion's level."""
    lines = ["id: stufen", 'version: "1"', "title: Stufen", "areas:", "  - id: alle",
             "    title: Alle", "    questions:"]
    for cid in MODEL.criterion_ids:
        lines += [f"      - id: q_{cid}", "        type: single_choice",
                  f"        text: Stufe {cid}?",
                  f"        recommendation: {cid} verbessern.",
                  "        responsible: it_dienstleister",
                  "        options:"]
        lines += [f"          - {{value: l{n}, label: Stufe {n}, score: {n * 25}, "
                  f"criteria: {{{cid}: {n}}}}}" for n in range(5)]
    return "\n".join(lines) + "\n"


def assessment(support: dict[str, int | None]):
    qn, issues = parse_questionnaire(parse_yaml(questionnaire_yaml(), "stufen.yaml"))
    assert qn is not None, issues
    answers = "\n".join(f"  q_{c}: l{lv}" for c, lv in support.items() if lv is not None)
    aset, issues = parse_answers(parse_yaml(
        "questionnaire: {id: stufen}\nmunicipality: {name: Test}\nanswers:\n" + answers + "\n",
        "a.yaml"))
    assert aset is not None, issues
    return assess(qn, aset, MODEL), qn


def catalogue():
    cat, issues = parse_catalogue_bytes(CATALOGUE.encode(), "fuenf.yaml", "yaml")
    assert cat is not None, issues
    return cat


def run(support=SUPPORT, target=None):
    a, qn = assessment(support)
    return score_catalogue(a, catalogue(), MODEL, qn, target=target)


def test_scope_is_municipal_services_only():
    r = run()
    assert [s.ozg_id for s in r.services] == ["10001", "10002", "10003", "10004", "10005"]
    assert r.in_scope == 5


def test_achievable_levels_targets_and_bottlenecks():
    r = run()
    s = {x.ozg_id: x for x in r.services}
    # Hundesteuer: no fee/evidence/identification → only Leistungsbeschreibung 4 and
    # Antragsprozess 4 apply → level 4 ≥ target 3
    assert (s["10001"].level, s["10001"].target, s["10001"].at_target) == (4, 3, True)
    assert s["10001"].bottlenecks == [] and s["10001"].next_level is None
    # Gewerbe: level 3 needs Bezahlung ≥ 3, it is 1 → level 2 (a missing level-3
    # capability caps at 2, not 1); SDG Annex II → target 4 needs the four at 4
    assert (s["10002"].level, s["10002"].target, s["10002"].gap) == (2, 4, 2)
    assert s["10002"].bottlenecks == ["nutzerkonto", "authentifizierung", "bezahlung"]
    assert s["10002"].next_level == 3 and s["10002"].next_blockers == ["bezahlung"]
    assert "SDG" in s["10002"].target_reason
    # Wohngeld: evidence applies → Nachweise 2 holds it at 2, target 3
    assert (s["10003"].level, s["10003"].target, s["10003"].bottlenecks) == (2, 3, ["nachweise"])
    # Sondernutzung: evidence unknown → nachweise applies conservatively
    assert (s["10004"].level, s["10004"].bottlenecks) == (2, ["bezahlung", "nachweise"])
    assert "evidence" in s["10004"].unknown_attributes and "efa" in s["10004"].unknown_attributes
    row = next(c for c in s["10004"].criteria if c.id == "nachweise")
    assert row.applies and "unbekannt" in row.applies_label
    # Parkausweis: Bezahlung 1 holds it at 2
    assert (s["10005"].level, s["10005"].bottlenecks) == (2, ["bezahlung"])
    assert r.level_counts == {0: 0, 1: 0, 2: 4, 3: 0, 4: 1}


def test_efa_quick_win_only_where_efa_closes_every_bottleneck():
    s = {x.ozg_id: x for x in run().services}
    assert s["10003"].efa_quick_win  # nachweise: an EfA service brings evidence upload
    assert not s["10002"].efa_quick_win  # payment and back office stay with the Kommune


def test_rollups_plain_and_weighted_by_priority():
    r = run()
    assert r.at_target == 1 and r.share_at_target == pytest.approx(20.0)
    # weights: 2 (no priority → medium), 3, 3, 2, 1 = 11; at target: Hundesteuer (2)
    assert r.weighting == "priority"
    assert r.weighted_share_at_target == pytest.approx(100 * 2 / 11)
    tf = {g.name: g for g in r.by_themenfeld}
    assert (tf["Mobilität & Reisen"].services, tf["Mobilität & Reisen"].at_target) == (2, 0)
    assert tf["Steuern & Zoll"].share == pytest.approx(100.0)


def test_lever_ranking_and_best_combination():
    r = run()
    # alone: nachweise unlocks Wohngeld (weight 3), bezahlung unlocks Parkausweis (weight 1)
    assert [(lv.criteria, lv.unlocked_ids) for lv in r.levers] == [
        (["nachweise"], ["10003"]), (["bezahlung"], ["10005"])]
    assert r.levers[0].needed_levels == [3] and r.levers[0].current_levels == [2]
    assert r.levers[0].efa_available == 1
    assert r.levers[0].recommendation == "nachweise verbessern."
    assert r.levers[0].responsible_label == "IT-Dienstleister"
    # together they also unlock Sondernutzung; Gewerbe (target 4) needs three criteria at 4,
    # and that triple unlocks more (Gewerbe, Parkausweis) than any of its parts
    assert [(lv.criteria, lv.unlocked_ids) for lv in r.combinations] == [
        (["bezahlung", "nachweise"], ["10003", "10004", "10005"]),
        (["nutzerkonto", "authentifizierung", "bezahlung"], ["10002", "10005"])]
    assert r.combinations[1].needed_levels == [4, 4, 4]
    # bezahlung holds back Gewerbe, Sondernutzung, Parkausweis; nachweise Wohngeld, Sondernutzung
    assert r.blocking[:2] == [("bezahlung", "Bezahlprozess", 3), ("nachweise", "Nachweise", 2)]


def test_unknown_support_never_counts_as_reached():
    support = dict(SUPPORT, antragsprozess=None)
    r = run(support)
    s = {x.ozg_id: x for x in r.services}
    assert s["10001"].level == 4 and not s["10001"].confirmed and not s["10001"].at_target
    assert s["10001"].unknown_criteria == ["antragsprozess"]
    assert r.at_target == 0 and r.unconfirmed == 5
    lever = next(lv for lv in r.levers if lv.criteria == ["antragsprozess"])
    assert lever.unlocked_ids == ["10001"]
    assert "klären" in lever.recommendation


def test_target_override_applies_to_every_service():
    r = run(target=4)
    assert all(x.target == 4 for x in r.services)
    assert [x.ozg_id for x in r.services if x.at_target] == ["10001"]
    assert run(target=2).at_target == 5  # every service is at least at 2


def test_catalogue_scoring_of_the_demo_through_the_cli(cli):
    import json

    code, out, err = cli("demo", "--json")
    assert code == 0, err
    data = json.loads(out)["catalogue"]
    assert data["catalogue"]["id"] == "kommunal" and data["in_scope"] >= 30
    # a kreisangehörige Stadt: Kreis tasks it does not run are listed, not scored
    assert data["out_of_scope"] and all(o["reason"] for o in data["out_of_scope"])
    assert data["levers"] or data["combinations"]
    assert data["blocking"][0][2] >= data["blocking"][-1][2]
    code, out, err = cli("demo")
    assert "Nächste Schritte" in out and "Engpässe" in out
