"""Progress, roadmap phases and Geleitzug: figures worked out by hand in the test."""

from __future__ import annotations

import pytest

from ozgkompass.app.peers import percentile
from ozgkompass.app.progress import compare
from ozgkompass.errors import UserError
from ozgkompass.model.answers import parse_answers
from ozgkompass.model.maturity import get_model
from ozgkompass.model.plan import load_plan
from ozgkompass.model.questionnaire import parse_questionnaire
from ozgkompass.scoring.assessment import assess
from ozgkompass.scoring.plan import check_plan, project
from ozgkompass.scoring.summary import summarise
from ozgkompass.yamlio import parse_yaml

QN = """
id: klein
version: "VERSION"
title: Klein
areas:
  - id: portal
    title: Portal
    weight: 1
    questions:
      - id: q_portal
        type: yes_no
        text: Gibt es ein Serviceportal?
        options:
          - {value: ja, label: Ja, score: 100, criteria: {leistungsbeschreibung: 3}}
          - {value: nein, label: Nein, score: 0, criteria: {leistungsbeschreibung: 1}}
  - id: payment
    title: Bezahlen
    weight: 3
    questions:
      - id: q_pay
        type: single_choice
        text: Online bezahlen?
        options:
          - {value: full, label: Voll, score: 100, criteria: {bezahlung: 4}}
          - {value: partial, label: Teilweise, score: 40, criteria: {bezahlung: 2}}
          - {value: none, label: Nein, score: 0, criteria: {bezahlung: 1}}
EXTRA
"""

V2_EXTRA = """
      - id: q_hkr
        type: yes_no
        text: HKR angebunden?
        options:
          - {value: ja, label: Ja, score: 100}
          - {value: nein, label: Nein, score: 0}
"""

ANSWERS = """
questionnaire: {id: klein, version: "VERSION"}
municipality: {name: Rechenhausen, ars: "039990001001", land: Niedersachsen, population: POP}
interview: {date: DATE}
answers:
  q_portal: PORTAL
  q_pay: PAY
"""


def questionnaire(version: str = "1.0", extra: str = ""):
    qn, issues = parse_questionnaire(parse_yaml(
        QN.replace("VERSION", version).replace("EXTRA", extra), f"klein-{version}.yaml"))
    assert qn is not None, issues
    return qn


def answers(portal: str = "nein", pay: str = "none", version: str = "1.0",
            date: str = "2026-01-15", name: str = "Rechenhausen", pop: int = 3200,
            ars: str = "039990001001", land: str = "Niedersachsen"):
    text = (ANSWERS.replace("VERSION", version).replace("PORTAL", portal).replace("PAY", pay)
            .replace("DATE", date).replace("POP", str(pop)).replace("Rechenhausen", name)
            .replace("039990001001", ars).replace("Niedersachsen", land))
    aset, issues = parse_answers(parse_yaml(text, "a.yaml"))
    assert aset is not None, issues
    return aset


# ---- progress -------------------------------------------------------------------------------

def test_compare_across_questionnaire_versions_matches_questions_by_id():
    old = assess(questionnaire("1.0"), answers(pay="none"))
    v2 = questionnaire("2.0", V2_EXTRA.replace("q_hkr", "q_hkr"))
    # version 2.0 drops nothing but adds q_hkr; the municipality now pays partly online
    new = assess(v2, answers(pay="partial", version="2.0", date="2026-07-01"))
    p = compare(summarise(old), summarise(new))
    changes = {c.id: c for c in p.questions}
    assert changes["q_pay"].kind == "geändert"
    assert (changes["q_pay"].old, changes["q_pay"].new) == ("Nein", "Teilweise")
    assert changes["q_hkr"].kind == "neu"
    assert "q_portal" not in changes  # unchanged answers are not listed
    assert any("1.0 → 2.0" in n for n in p.notes)
    # payment: 0 → 40 (q_hkr open and required counts 0 %: (40 + 0) / 2 = 20)
    pay = next(a for a in p.areas if a.id == "payment")
    assert (pay.old, pay.new) == (0, pytest.approx(20))
    assert p.score.old == 0 and p.score.new == pytest.approx(20 * 3 / 4)


def test_compare_refuses_two_different_municipalities():
    qn = questionnaire()
    a = summarise(assess(qn, answers()))
    b = summarise(assess(qn, answers(name="Anderstadt", ars="039990001002")))
    with pytest.raises(UserError, match="verschiedenen Kommunen"):
        compare(a, b)


# ---- roadmap plan ---------------------------------------------------------------------------

PLAN = """format: 1
title: Fahrplan
phases:
  - name: bis Q2 2027
    answers:
      q_pay: partial
  - name: bis Q4 2027
    answers:
      q_portal: ja
      q_pay: {value: full, note: Vertrag mit ePayBL}
"""


def test_plan_with_two_phases_projects_figures_by_hand(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    plan, issues = load_plan(path)
    assert plan is not None, issues
    qn, aset = questionnaire(), answers(portal="nein", pay="none")
    assert check_plan(qn, aset, plan) == []
    proj = project(qn, aset, plan, get_model(qn.maturity_model), None)
    today, q2, q4 = proj.phases
    # index = (1 × portal + 3 × payment) / 4
    assert (today.name, today.score) == ("heute", 0)
    assert today.criteria == {**today.criteria, "leistungsbeschreibung": 1, "bezahlung": 1}
    assert q2.changed == ["q_pay"]
    assert q2.score == pytest.approx((1 * 0 + 3 * 40) / 4)  # 30
    assert q2.score_gain == pytest.approx(30)
    assert q2.criteria["bezahlung"] == 2 and q2.criteria["leistungsbeschreibung"] == 1
    assert q4.changed == ["q_portal", "q_pay"]
    assert q4.score == pytest.approx(100) and q4.score_gain == pytest.approx(70)
    assert q4.criteria["bezahlung"] == 4 and q4.criteria["leistungsbeschreibung"] == 3


def test_plan_errors_are_located_in_the_plan_file(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("q_pay: partial", "q_pay: teilweise")
                    .replace("q_portal: ja", "q_portl: ja"), encoding="utf-8")
    plan, issues = load_plan(path)
    assert plan is not None, issues
    issues = check_plan(questionnaire(), answers(), plan)
    where = {(i.code, i.location.line) for i in issues}
    assert ("invalid-value", 6) in where  # q_pay: teilweise
    assert ("unknown-question", 9) in where  # q_portl
    assert all(i.location.file.endswith("plan.yaml") for i in issues)


def test_plan_without_phases_is_rejected_with_location(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("format: 1\nphases:\n  - name: bis 2027\n", encoding="utf-8")
    plan, issues = load_plan(path)
    assert plan is None
    assert [(i.code, i.location.line) for i in issues] == [("missing-key", 3)]


# ---- peers ----------------------------------------------------------------------------------

def test_percentile_is_mid_rank():
    assert percentile(50, [10, 50, 90, 90]) == pytest.approx(100 * (1 + 0.5) / 4)
    assert percentile(5, [10, 20]) == 0
    assert percentile(30, [10, 20]) == 100


def test_compare_services_reached_fell_back_and_new_in_scope():
    qn = questionnaire()

    def with_services(result: dict, services: dict[str, bool], version: str) -> dict:
        result["catalogue"] = {
            "catalogue": {"id": "kommunal", "version": version},
            "by_themenfeld": [{"name": "Bauen & Wohnen", "share": 100.0 * sum(
                services.values()) / len(services)}],
            "services": [{"ozg_id": k, "name": f"Leistung {k}", "at_target": v}
                         for k, v in services.items()]}
        return result

    old = with_services(summarise(assess(qn, answers())),
                        {"10001": False, "10002": True, "10003": True}, "2026.1")
    new = with_services(summarise(assess(qn, answers(pay="full"))),
                        {"10001": True, "10002": False, "10003": True, "10004": False},
                        "2026.2")
    p = compare(old, new)
    assert p.reached_target == [("10001", "Leistung 10001")]
    assert p.new_gaps == [("10002", "Leistung 10002")]
    assert p.new_in_scope == [("10004", "Leistung 10004")]
    [tf] = p.themenfelder
    assert (tf.old, tf.new) == (pytest.approx(200 / 3), 50.0)
    assert any("2026.1 → 2026.2" in n for n in p.notes)
