"""Two figures per service (issue 22): `today` (what citizens can use now, with its source)
beside `reachable` (what today's infrastructure allows), the per-service question of
ozg-kommune 1.2.0, the migration from 1.1.0 and the examples read against their own files.
Rules: docs/scoring.md §6a."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from ozgkompass.model.catalogue import builtin_catalogue
from ozgkompass.model.maturity import get_model
from ozgkompass.model.registry import find_questionnaire, load_answer_set
from ozgkompass.scoring.compiled import score_answers
from ozgkompass.scoring.today import TodayLevel

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
FALKENBERG = EXAMPLES / "stadt-falkenberg.answers.yaml"
NORDWALD = EXAMPLES / "landkreis-nordwald.answers.yaml"
# Meldebescheinigung, Gewerbeanmeldung, Hundesteuer (Hundehaltung)
BIRKENAU_ONLINE = ["10559", "10294", "10160"]


def birkenau(tmp_path: Path, online: list[str], offline: tuple[str, ...] = (),
             count: int = 12) -> Path:
    """A Gemeinde in Hessen with the example town's infrastructure, saying which services
    are online (the case of issue 22)."""
    data = yaml.safe_load(FALKENBERG.read_text(encoding="utf-8"))
    data["municipality"] = {"name": "Gemeinde Birkenau", "land": "Hessen", "type": "gemeinde",
                            "population": 10000}
    data["interview"]["date"] = "2026-11-20"
    data["answers"]["portal_online_services_count"] = count
    data["answers"]["portal_services_online"] = {
        "value": {"online": online, "nicht_online": list(offline)}}
    path = tmp_path / "birkenau.answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def scored(path: Path, observed=None):
    aset = load_answer_set(path)
    qn = find_questionnaire(aset.questionnaire.id, aset.questionnaire.version)
    return score_answers(qn, aset, get_model(qn.maturity_model), builtin_catalogue(),
                         observed=observed)


def test_services_the_municipality_says_are_online_are_today_at_their_criteria_level(
        tmp_path):
    c = scored(birkenau(tmp_path, BIRKENAU_ONLINE)).catalogue
    for ozg_id in BIRKENAU_ONLINE:
        s = c.service(ozg_id)
        assert s.today_online is True and s.today_source == "antwort"
        assert s.today_date == "2026-11-20"
        assert s.today == s.reachable == s.level > 2, ozg_id
    assert c.today_online == 3 and c.today_unconfirmed == c.in_scope - 3
    # nobody said anything about the others: unbestätigt, never online, never at target
    other = c.service("10557")
    assert other.today is None and other.today_name == "unbestätigt"
    assert other.reachable >= 3 and not other.today_at_target
    assert c.today_at_target <= 3 < c.at_target


def test_dropping_a_service_from_the_online_answer_changes_its_today(tmp_path):
    before = scored(birkenau(tmp_path, BIRKENAU_ONLINE)).catalogue.service("10559")
    dropped = scored(birkenau(tmp_path, ["10294", "10160"])).catalogue.service("10559")
    offline = scored(birkenau(tmp_path, ["10294", "10160"], ("10559",))).catalogue
    assert before.today > 2 and before.today_at_target == before.at_target
    assert scored(birkenau(tmp_path, BIRKENAU_ONLINE)).catalogue.service("10160"
                                                                         ).today_at_target
    assert dropped.today is None and dropped.today_online is None
    assert not dropped.today_at_target and dropped.today_source == "unbekannt"
    said_no = offline.service("10559")
    assert said_no.today_online is False and said_no.today <= 2
    assert said_no.today_name.endswith("nicht online") and not said_no.today_at_target
    # what the infrastructure allows does not change with the statement
    assert before.reachable == dropped.reachable == said_no.reachable


def test_an_answer_wins_and_an_observation_fills_the_gaps(tmp_path):
    observed = {"10559": TodayLevel(False, "beobachtet", "2026-11"),
                "10557": TodayLevel(True, "beobachtet", "2026-11", "https://example.org/a"),
                "10564": TodayLevel(None, "beobachtet", "2026-11")}
    c = scored(birkenau(tmp_path, BIRKENAU_ONLINE), observed).catalogue
    said = c.service("10559")
    assert said.today_online is True and said.today_source == "antwort"
    seen = c.service("10557")
    assert seen.today_online is True and seen.today_source == "beobachtet"
    assert seen.today_date == "2026-11" and seen.today == seen.reachable
    assert c.service("10564").today_source == "unbekannt"  # an empty observation says nothing
    assert c.today_sources == {"antwort": 3, "beobachtet": 1,
                               "unbekannt": c.in_scope - 4}


def test_a_1_1_0_file_is_carried_forward_and_its_list_counts_per_service(tmp_path, cli):
    data = yaml.safe_load(FALKENBERG.read_text(encoding="utf-8"))
    data["questionnaire"]["version"] = "1.1.0"
    data["municipality"] = {"name": "Gemeinde Birkenau", "land": "Hessen", "type": "gemeinde"}
    answers = data["answers"]
    del answers["portal_services_online"]
    for qid in ("security_backup_regular", "security_backup_offline",
                "security_backup_restore_tested", "accounts_eudi_wallet",
                "backoffice_privacy_cockpit", "governance_dstack", "governance_cloud",
                "governance_ai"):
        answers.pop(qid, None)
    answers["portal_local_services"] = ["meldebescheinigung", "gewerbe", "hundesteuer"]
    answers["portal_county_services"] = {"na": True, "reason": "Kreisaufgaben"}
    answers["security_backup"] = "nein"
    path = tmp_path / "alt.answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = path.read_bytes()
    code, out, _ = cli("score", "--json", str(path))
    assert code == 0
    result = json.loads(out)
    services = {s["ozg_id"]: s for s in result["catalogue"]["services"]}
    for ozg_id in BIRKENAU_ONLINE:
        assert services[ozg_id]["today"] > 2 and services[ozg_id]["today_online"] is True
    # listed in 1.1.0 but not chosen: not online; never listed: unbestätigt
    assert services["10124"]["today_online"] is False and services["10124"]["today"] <= 2
    assert services["10557"]["today_online"] is False
    assert services["10110"]["today_online"] is None
    [warning] = [i for i in result["issues"] if i["code"] == "questionnaire-migrated"]
    assert "1.1.0 für 1.2.0" in warning["message"]
    assert "governance_ai" in warning["message"] and "security_backup_offline" in \
        warning["message"]
    assert path.read_bytes() == before  # the input file is not modified

    aset = load_answer_set(path)  # what the interview writes: old answers kept, news noted
    assert set(aset.superseded) == {"portal_local_services", "portal_county_services",
                                    "security_backup"}
    assert aset.superseded["security_backup"]["value"] == "nein"
    for qid in ("security_backup_regular", "governance_cloud", "accounts_eudi_wallet"):
        assert aset.answers[qid].value is None
        assert "noch nicht gefragt" in aset.answers[qid].note
    assert "noch nicht gefragt" in aset.answers["portal_services_online"].note


def test_a_yes_to_the_old_backup_question_answers_all_three(tmp_path):
    data = yaml.safe_load((EXAMPLES / "gemeinde-lindenau.answers.yaml").read_text("utf-8"))
    data["questionnaire"]["version"] = "1.1.0"
    for qid in ("security_backup_regular", "security_backup_offline",
                "security_backup_restore_tested"):
        del data["answers"][qid]
    data["answers"]["security_backup"] = "ja"
    path = tmp_path / "lindenau.answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    aset = load_answer_set(path)
    assert [aset.answers[q].value for q in ("security_backup_regular",
                                            "security_backup_offline",
                                            "security_backup_restore_tested")] == ["ja"] * 3


def test_landkreis_nordwald_aufenthaltstitel_is_not_today_at_target():
    """Its own file: the Ausländerbehörde's online service starts in autumn."""
    c = scored(NORDWALD).catalogue
    s = c.service("10255")
    assert s.today_online is False and s.today <= 2 and not s.today_at_target
    assert c.today_at_target < c.at_target


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.answers.yaml")))
def test_the_examples_figures_read_true_against_their_own_answer_files(example):
    from test_reports import html_of, visible_text

    from ozgkompass.reports import Audience

    raw = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    assert raw["questionnaire"]["version"] == "1.2.0"
    said = raw["answers"]["portal_services_online"]["value"]
    a = scored(EXAMPLES / example)
    c = a.catalogue
    in_scope = {s.ozg_id for s in c.services}
    assert {s.ozg_id for s in c.services if s.today_online} == set(said["online"]) & in_scope
    assert {s.ozg_id for s in c.services if s.today_online is False} == \
        set(said.get("nicht_online", [])) & in_scope
    assert c.today_at_target == sum(1 for s in c.services if s.today_online and s.at_target)
    text = visible_text(html_of(a, Audience.LEITUNG))
    # two key figures, each under its own name, never mixed (docs/scoring.md §6a)
    squeezed = " ".join(text.split())
    assert (f"{c.today_at_target} von {c.in_scope} OZG-Leistungen heute online auf "
            "Zielstufe") in squeezed
    assert (f"{c.at_target} von {c.in_scope} OZG-Leistungen mit der heutigen Infrastruktur "
            "auf Zielstufe erreichbar") in squeezed
    assert "erreichen ihre Zielstufe" not in text


def test_the_number_of_online_services_checks_the_list(tmp_path, cli):
    path = birkenau(tmp_path, BIRKENAU_ONLINE, count=2)
    code, out, err = cli("validate", str(path))
    assert code == 0
    assert "3 Leistung(en) als online genannt" in out + err
    assert "zählt nur 2 Online-Dienst(e)" in out + err
    quiet = birkenau(tmp_path, BIRKENAU_ONLINE, count=12)
    assert "als online genannt" not in "".join(cli("validate", str(quiet))[1:])


def test_terminal_and_explain_name_both_figures(tmp_path, cli):
    path = birkenau(tmp_path, BIRKENAU_ONLINE)
    code, out, _ = cli("score", str(path))
    assert code == 0
    assert "heute online auf Zielstufe" in out and "mit der heutigen" in out
    code, out, _ = cli("explain", str(path), "--service", "10559")
    assert code == 0
    # the example town's evidence answers carry level 3 (not once-only)
    assert "Heute: 3 Online-Leistung (Angabe der Kommune, 2026-11-20)" in out
    assert "Mit der heutigen Infrastruktur erreichbar: 3 Online-Leistung" in out
    code, out, _ = cli("explain", str(path), "--service", "10557")
    assert "Heute: unbestätigt" in out and "zählt nicht als online" in out


def test_plain_interview_asks_per_group_and_records_the_answer(tmp_path):
    from ozgkompass.cli.interview_plain import PlainFrontend
    from ozgkompass.interview.blank import new_answer_set
    from ozgkompass.interview.session import Session
    from ozgkompass.model.answers import Interview, Municipality

    qn = find_questionnaire("ozg-kommune")
    muni = Municipality("Gemeinde Birkenau", land="Hessen", type="gemeinde")
    path = tmp_path / "birkenau.answers.yaml"
    session = Session(qn, new_answer_set(qn, muni, Interview(date="2026-11-20")), path)
    q = session.goto_question("portal_services_online")
    groups = session.service_groups(q)
    assert len(groups) > 3
    first, second, third = groups[0][1], groups[1][1], groups[2][1]
    # the most used services of a group come first
    assert [s.priority or 2 for s in first] == sorted((s.priority or 2 for s in first),
                                                       reverse=True)
    answers = ["a", "k", "e", "j", *["n"] * (len(third) - 1)] + [""] * (len(groups) - 3)
    fe = PlainFrontend(io.StringIO("\n".join(answers) + "\n"))
    action = fe.ask(q, session)
    assert action.command == "value"
    problem, _ = session.set_value(action.value)
    assert problem is None
    stored = load_answer_set(path).answers["portal_services_online"].value
    assert stored["online"] == sorted([s.ozg_id for s in first] + [third[0].ozg_id])
    assert stored["nicht_online"] == sorted([s.ozg_id for s in second]
                                            + [s.ozg_id for s in third[1:]])


def test_new_answers_lists_the_municipalitys_services_to_copy_from(tmp_path, cli):
    code, _, _ = cli("new-answers", "ozg-kommune", "--kommune", "Gemeinde Birkenau")
    assert code == 0
    text = (tmp_path / "gemeinde-birkenau.answers.yaml").read_text(encoding="utf-8")
    assert "  # portal_services_online:" in text and "#     10559 Meldebescheinigung" in text
    block = text[text.index("  # portal_services_online:"):].split("  # ──")[0]
    assert all(len(line) <= 88 for line in block.splitlines())


def test_a_bad_services_answer_gets_a_located_german_error(tmp_path, cli):
    path = birkenau(tmp_path, ["10559", "1055x"])
    code, out, err = cli("validate", str(path))
    assert code == 1
    assert "'1055x' unter `online` ist keine OZG-ID" in out + err
    both = birkenau(tmp_path, ["10559"], ("10559",))
    assert "steht unter `online` und unter `nicht_online`" in "".join(
        cli("validate", str(both))[1:])


def test_named_services_that_are_not_scored_are_said(tmp_path):
    # 10439 Kfz-Zulassung is a Kreis task; 99999 is no OZG-Leistung of the catalogue
    c = scored(birkenau(tmp_path, [*BIRKENAU_ONLINE, "10439", "99999"])).catalogue
    assert c.service("10439") is None and c.today_online == 3
    assert any("führt die Kommune nicht aus" in line and "10439" in line
               for line in c.plausibility)
    assert any("nicht im Katalog: 99999" in line for line in c.plausibility)
    assert scored(birkenau(tmp_path, BIRKENAU_ONLINE)).catalogue.plausibility == []


@pytest.mark.parametrize("qid, best, worst", [
    ("accounts_eudi_wallet", "zeitplan", "nein"), ("backoffice_privacy_cockpit", "ja", "nein"),
    ("governance_dstack", "ja", "nein"), ("governance_cloud", "entschieden", "nein"),
    ("governance_ai", "geregelt", "nein")])
def test_the_new_topics_count_in_the_index_and_move_no_criterion(tmp_path, qid, best, worst):
    """Finding 27: EUDI-Wallet, Datenschutzcockpit, Deutschland-Stack, Cloud, KI."""
    qn = find_questionnaire("ozg-kommune")
    q = qn.question(qid)
    assert q.help and "Quelle" in q.help.de and "keine Reifegradstufe" in q.help.de
    assert all(not o.criteria and not o.criteria_by_model for o in q.effective_options())
    results = []
    for value in (best, worst):
        path = birkenau(tmp_path, BIRKENAU_ONLINE)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["answers"][qid] = value
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        results.append(scored(path))
    good, bad = results
    assert good.score > bad.score
    assert good.criteria_levels() == bad.criteria_levels()
    assert [s.level for s in good.catalogue.services] == [s.level for s in bad.catalogue.services]


def test_backup_asks_three_things_and_eakte_knows_planned(tmp_path):
    """Issue 25, folded into 1.2.0: each backup question counts on its own; a planned
    E-Akte scores above none, below a DMS, and is no E-Akte for model 2.0."""
    qn = find_questionnaire("ozg-kommune")
    assert qn.question("security_backup") is None
    scores = {}
    for part in ("security_backup_regular", "security_backup_offline",
                 "security_backup_restore_tested"):
        path = birkenau(tmp_path, BIRKENAU_ONLINE)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["answers"][part] = "nein"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        a = scored(path)
        assert a.question(part).score == 0 and a.question(part).counted
        scores[part] = a.area("security").score
    assert len(set(scores.values())) == 1  # one weight each
    eakte = {o.value: o for o in qn.question("backoffice_eakte").options}
    assert eakte["keine"].score < eakte["geplant"].score < eakte["nur_ablage"].score
    assert dict(eakte["geplant"].criteria_by_model) == dict(eakte["keine"].criteria_by_model)


def test_compare_carries_today_and_says_when_the_older_round_did_not_know_it(tmp_path):
    import copy

    from ozgkompass.app.progress import compare
    from ozgkompass.scoring.summary import summarise

    new = summarise(scored(birkenau(tmp_path, BIRKENAU_ONLINE)))
    old = summarise(scored(birkenau(tmp_path, ["10294"])))
    p = compare(old, new)
    # Meldebescheinigung and Gewerbe are SDG services (target 4), the town's evidence
    # answers carry 3: of the three only Hundehaltung is online at its target
    assert (p.today_at_target.old, p.today_at_target.new) == (0, 1)
    assert [i for i, _ in p.online_today] == ["10160"]
    legacy = copy.deepcopy(old)  # stored before `today` was scored
    for key in ("today_at_target", "share_today_at_target", "today_unconfirmed"):
        del legacy["catalogue"][key]
    for s in legacy["catalogue"]["services"]:
        for key in [k for k in s if k.startswith("today")]:
            del s[key]
    p = compare(legacy, new)
    assert p.today_at_target.old is None and p.today_at_target.new == 1
    assert [i for i, _ in p.online_today] == ["10160"]
