"""Scores a municipality can follow: every figure is worked out by hand (docs/scoring.md)."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from ozgkompass.model.answers import parse_answers
from ozgkompass.model.maturity import get_model
from ozgkompass.model.questionnaire import parse_questionnaire
from ozgkompass.model.registry import builtin_examples, find_questionnaire, load_answer_set
from ozgkompass.scoring.assessment import assess
from ozgkompass.yamlio import parse_yaml

QUESTIONNAIRE = """
id: handrechnung
version: "1.0"
title: Handrechnung
areas:
  - id: portal
    title: Portal
    weight: 2
    questions:
      - id: q_portal
        type: yes_no
        text: Gibt es ein Serviceportal?
        options:
          - {value: ja, label: Ja, score: 100, criteria: {leistungsbeschreibung: 3}}
          - {value: nein, label: Nein, score: 0, criteria: {leistungsbeschreibung: 1}}
      - id: q_features
        type: multiple_choice
        weight: 2
        when: q_portal == "ja"
        text: Was bietet das Portal?
        options:
          - {value: upload, label: Upload, score: 2, criteria: {nachweise: 3}}
          - {value: status, label: Status, score: 1,
             criteria_by_model: {reifegrad-2.0: {status: 5}}}
          - {value: keine, label: Keine, score: 0, exclusive: true, criteria: {nachweise: 1}}
      - id: q_count
        type: number
        text: Wie viele Online-Dienste?
        thresholds:
          - {min: 0, label: wenige, score: 0}
          - {min: 10, label: einige, score: 50, criteria: {antragsprozess: 2}}
          - {min: 30, label: viele, score: 100, criteria: {antragsprozess: 3}}
  - id: payment
    title: Bezahlen
    questions:
      - id: q_pay
        type: single_choice
        weight: 3
        text: Online bezahlen?
        recommendation: ePayment einführen.
        responsible: it_dienstleister
        options:
          - {value: full, label: Voll, score: 100, criteria: {bezahlung: 4}}
          - {value: partial, label: Teilweise, score: 40, criteria: {bezahlung: 2}}
          - {value: none, label: Nein, score: 0, criteria: {bezahlung: 1}}
      - id: q_hkr
        type: yes_no
        text: HKR angebunden?
        na: {allowed: true, reason_required: true}
        options:
          - {value: ja, label: Ja, score: 100, criteria: {bezahlung: 3}}
          - {value: nein, label: Nein, score: 0, criteria: {bezahlung: 1}}
      - id: q_train
        type: scale
        weight: 2
        min: 1
        max: 5
        text: Schulungsstand?
      - id: q_note
        type: text
        required: false
        text: Bemerkung
  - id: accounts
    title: Konten
    questions:
      - id: q_bundid
        type: single_choice
        text: BundID?
        options:
          - {value: all, label: Alle, score: 100, criteria: {nutzerkonto: 3}}
          - {value: some, label: Einige, score: 50, criteria: {nutzerkonto: 2}}
      - id: q_web
        type: yes_no
        text: Beschreibungen auf der Website?
        options:
          - {value: ja, label: Ja, score: 100, criteria: {leistungsbeschreibung: 4}}
          - {value: nein, label: Nein, score: 0, criteria: {leistungsbeschreibung: 1}}
      - id: q_opt
        type: yes_no
        required: false
        text: Freiwillig?
"""

ANSWERS = """
questionnaire: {id: handrechnung, version: "1.0"}
municipality: {name: Rechenhausen}
answers:
  q_portal: PORTAL
  q_features: [upload, status]
  q_count: 12
  q_pay: partial
  q_hkr: {na: true, reason: Keine Gebühren mit HKR-Bezug.}
  q_train: 4
  q_note: Notiz
  q_web: nein
"""


def run(portal: str = "ja"):
    qn, issues = parse_questionnaire(parse_yaml(QUESTIONNAIRE, "q.yaml"))
    assert qn is not None, issues
    aset, issues = parse_answers(parse_yaml(ANSWERS.replace("PORTAL", portal), "a.yaml"))
    assert aset is not None, issues
    return assess(qn, aset)


def test_area_and_overall_scores_by_hand():
    a = run()
    # portal: q_portal 100 (w1) + q_features (2+1)/3 = 100 (w2) + q_count 12 → "ab 10" 50 (w1)
    assert a.area("portal").score == pytest.approx((100 * 1 + 100 * 2 + 50 * 1) / 4)  # 87.5
    # payment: q_pay 40 (w3), q_hkr N/A leaves num. and denom., q_train (4-1)/(5-1)=75 (w2),
    # q_note is free text (not scored)
    assert a.area("payment").score == pytest.approx((40 * 3 + 75 * 2) / 5)  # 54
    # accounts: q_bundid open and required → 0, q_web "nein" 0, q_opt open optional → excluded
    assert a.area("accounts").score == pytest.approx(0)
    assert a.score == pytest.approx((87.5 * 2 + 54 * 1 + 0 * 1) / 4)  # 57.25
    assert a.band == "Fortgeschritten"  # 50 ≤ 57.25 < 75


def test_completeness_and_open_questions():
    a = run()
    # applicable = shown and not N/A: portal 3, payment 3 (q_hkr is N/A), accounts 3
    assert a.applicable == 9
    assert a.answered == 7  # all but q_bundid and q_opt
    assert a.completeness == pytest.approx(700 / 9)
    assert a.open_required == ["q_bundid"]
    assert a.question("q_opt").status == "offen" and not a.question("q_opt").counted
    assert a.question("q_hkr").na_reason == "Keine Gebühren mit HKR-Bezug."


def test_criteria_minimum_rule_and_unknown():
    a = run()
    levels = a.criteria_levels()
    # q_portal says 3, q_web says 1: the weakest answer decides
    assert levels["leistungsbeschreibung"] == 1
    assert a.criterion("leistungsbeschreibung").deciding == ["q_web"]
    # multiple choice: the chosen options add up; "status" does not speak to nachweise
    assert levels["nachweise"] == 3
    assert "status" not in levels  # a back-office criterion: not part of model 1.1
    assert levels["antragsprozess"] == 2  # threshold "ab 10"
    assert levels["bezahlung"] == 2  # q_hkr is N/A and gives no evidence
    assert levels["nutzerkonto"] is None  # asked, but open
    assert levels["authentifizierung"] is None  # no question speaks to it
    assert "nicht gefragt" in a.criterion("authentifizierung").reason


def test_condition_hides_question_from_score_and_criteria():
    a = run(portal="nein")
    assert a.question("q_features").status == "ausgeblendet"
    # portal: q_portal 0 (w1) + q_count 50 (w1); q_features leaves the area
    assert a.area("portal").score == pytest.approx(25)
    assert a.criteria_levels()["nachweise"] is None


def test_hidden_answer_is_ignored_with_a_warning():
    a = run(portal="nein")  # the answers still contain q_features
    warnings = [i for i in a.issues if i.code == "hidden-answer"]
    assert len(warnings) == 1 and "q_features" in warnings[0].message
    assert warnings[0].location.line == 6


def test_recommendation_gain_is_the_index_points_the_question_could_add():
    a = run()
    rec = next(r for r in a.recommendations if r.question_id == "q_pay")
    # area share 1/4 × question share 3/5 × missing 60 points
    assert rec.gain == pytest.approx(0.25 * 0.6 * 60)
    assert rec.text == "ePayment einführen." and rec.responsible_label == "IT-Dienstleister"
    assert a.recommendations == sorted(a.recommendations, key=lambda r: -r.gain)


def test_model_2_0_translates_levels_of_a_1_1_questionnaire():
    qn, _ = parse_questionnaire(parse_yaml(QUESTIONNAIRE, "q.yaml"))
    aset, _ = parse_answers(parse_yaml(ANSWERS.replace("PORTAL", "ja"), "a.yaml"))
    a = assess(qn, aset, get_model("reifegrad-2.0"))
    levels = a.criteria_levels()
    assert levels["nachweise"] == 3  # 1.1 level 3 → 2.0 level 3
    assert levels["status"] == 5  # given for 2.0 only (criteria_by_model)
    assert levels["leistungsbeschreibung"] == 1  # 1.1 level 1 → 2.0 level 1
    assert levels["once_only"] is None  # only model 2.0 knows it; nothing evidences it
    assert a.model["id"] == "reifegrad-2.0" and a.model["complete"] is False


# ------------------------------------------------------------------ the shipped examples


def independent_score(q: dict, answers: dict) -> tuple[float, dict[str, float]]:
    """A second, deliberately plain implementation of docs/scoring.md for the examples."""
    values: dict = {}
    area_scores: dict[str, float] = {}
    num = den = 0.0

    def shown(cond: str | None) -> bool:
        if not cond:
            return True
        from ozgkompass.expressions import parse

        return parse(cond).evaluate(values)

    for area in q["areas"]:
        a_num = a_den = 0.0
        for qu in area["questions"]:
            ans = answers.get(qu["id"])
            if not shown(qu.get("when")):
                continue
            if isinstance(ans, dict) and ans.get("na"):
                continue
            value = ans.get("value") if isinstance(ans, dict) else ans
            if isinstance(value, bool):
                value = "ja" if value else "nein"
            w = qu.get("weight", 1)
            t = qu["type"]
            if value is None:
                scored = t not in ("text",) and not (t == "number" and not qu.get("thresholds"))
                if qu.get("required", True) and scored:
                    a_den += w
                continue
            values[qu["id"]] = value
            opts = qu.get("options") or ([{"value": "ja", "score": 100},
                                          {"value": "nein", "score": 0}] if t == "yes_no" else [])
            if t in ("single_choice", "yes_no"):
                s = next(o["score"] for o in opts if o["value"] == value) / max(
                    o["score"] for o in opts)
            elif t == "multiple_choice":
                s = min(1.0, sum(o["score"] for o in opts if o["value"] in value)
                        / sum(o["score"] for o in opts))
            elif t == "scale":
                s = (value - qu["min"]) / (qu["max"] - qu["min"])
            elif t == "services_online":  # share of the services named that are online
                online, offline = len(value.get("online", [])), len(value.get("nicht_online", []))
                s = online / (online + offline)
            elif t == "number" and qu.get("thresholds"):
                hit = [th for th in qu["thresholds"] if value >= th["min"]]
                s = (hit[-1]["score"] if hit else 0) / max(th["score"] for th in qu["thresholds"])
            else:
                continue
            a_num += w * s * 100
            a_den += w
        if a_den:
            area_scores[area["id"]] = a_num / a_den
            num += area.get("weight", 1) * a_num / a_den
            den += area.get("weight", 1)
    return num / den, area_scores


def example_files():
    return [e.name for e in builtin_examples()]


def test_there_are_three_example_municipalities():
    names = example_files()
    assert len(names) >= 3
    kinds = set()
    for e in builtin_examples():
        kinds.add(yaml.safe_load(e.read_text(encoding="utf-8"))["municipality"]["type"])
    # a small Gemeinde (Lindenau: member of a Samtgemeinde), a Landkreis and a Stadt
    assert {"mitgliedsgemeinde", "landkreis"} <= kinds and kinds & {"stadt", "kreisfreie_stadt"}


@pytest.mark.parametrize("name", example_files())
def test_example_scores_are_reproduced_independently(name):
    entry = next(e for e in builtin_examples() if e.name == name)
    aset = load_answer_set(entry, builtin=True)
    qn = find_questionnaire(aset.questionnaire.id, aset.questionnaire.version)
    result = assess(qn, aset)
    assert not [i for i in result.issues if i.severity == "error"]
    raw_q = yaml.safe_load((resources.files("ozgkompass.questionnaires")
                            / f"{qn.id}.yaml").read_text(encoding="utf-8"))
    raw_a = yaml.safe_load(entry.read_text(encoding="utf-8"))["answers"]
    overall, areas = independent_score(raw_q, raw_a)
    assert result.score == pytest.approx(overall)
    for area_id, score in areas.items():
        assert result.area(area_id).score == pytest.approx(score), area_id


def test_examples_have_clearly_different_profiles():
    scores = {}
    for entry in builtin_examples():
        aset = load_answer_set(entry, builtin=True)
        qn = find_questionnaire(aset.questionnaire.id)
        scores[aset.municipality.type] = assess(qn, aset).score
    small = scores["mitgliedsgemeinde"]
    big = scores["landkreis"]
    assert small + 15 < big, scores


def test_full_questionnaire_speaks_to_every_criterion():
    qn = find_questionnaire("ozg-kommune")
    model = get_model(qn.maturity_model)
    evidenced = {cid for q in qn.questions for o in (*q.effective_options(), *q.thresholds)
                 for cid, _ in o.criteria}
    assert set(model.criterion_ids) <= evidenced, set(model.criterion_ids) - evidenced



def test_unclear_answer_counts_as_open_and_is_a_followup():
    qn, _ = parse_questionnaire(parse_yaml(QUESTIONNAIRE, "q.yaml"))
    text = ANSWERS.replace("PORTAL", "ja").replace(
        "  q_web: nein", "  q_web: nein\n  q_bundid: {unclear: IT-Dienstleister, note: krz fragen}")
    aset, issues = parse_answers(parse_yaml(text, "a.yaml"))
    assert aset is not None, issues
    a = assess(qn, aset)
    # same figures as with q_bundid left open: required and unanswered → 0 %
    assert a.score == pytest.approx(run().score)
    assert a.open_required == ["q_bundid"]
    assert [(f.question_id, f.clarify_with, f.note, f.required) for f in a.followups] == [
        ("q_bundid", "IT-Dienstleister", "krz fragen", True)]
    assert a.to_dict()["followups"][0]["clarify_with"] == "IT-Dienstleister"


@pytest.mark.parametrize("entry", ["{unclear: ''}", "{unclear: Kommune, value: all}",
                                   "{unclear: Kommune, na: true}"])
def test_unclear_must_name_whom_to_ask_and_stand_alone(entry):
    text = ANSWERS.replace("PORTAL", "ja") + f"  q_bundid: {entry}\n"
    aset, issues = parse_answers(parse_yaml(text, "a.yaml"))
    assert aset.has_errors
    assert [i.code for i in issues if i.severity == "error"][0] in ("unclear", "unclear-and-value")
