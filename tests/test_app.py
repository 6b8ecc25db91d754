"""The use-case layer (`ozgkompass.app`) called directly, on the real questionnaires and the
built-in examples: the same results as the CLI, nothing printed, bad input as UserError or
DataError (never a traceback, never an exit)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ozgkompass.app.assess import (
    demo_example,
    project_plan,
    score_example,
    score_file,
    score_file_with_answers,
)
from ozgkompass.app.catalogue_search import catalogue_stats, find_service, search_catalogue
from ozgkompass.app.definitions import Choice, resolve_definitions
from ozgkompass.app.explain import explain, explanation_data
from ozgkompass.app.history import (
    add_to_archive,
    compare_rounds,
    convoy_of,
    load_result,
    rebuild_archive,
)
from ozgkompass.errors import DataError, UserError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
FALKENBERG = EXAMPLES / "stadt-falkenberg.answers.yaml"
KOMMUNAL = Choice(catalogue="kommunal")


def _json(data: object) -> object:
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def test_score_via_app_equals_the_cli_json(cli):
    code, out, err = cli("score", "--json", str(FALKENBERG))
    assert code == 0, err
    assert _json(score_file(FALKENBERG, KOMMUNAL).to_dict()) == json.loads(out)


def test_score_without_catalogue_equals_the_cli_json(cli):
    code, out, err = cli("score", "--json", "--no-catalogue", str(FALKENBERG))
    assert code == 0, err
    result = score_file(FALKENBERG, Choice())
    assert result.catalogue is None
    assert _json(result.to_dict()) == json.loads(out)


def test_explain_via_app_equals_the_cli_json(cli):
    code, out, err = cli("explain", "--json", str(FALKENBERG), "--area", "payment")
    assert code == 0, err
    data = explanation_data(score_file(FALKENBERG, KOMMUNAL), area="payment")
    assert _json(data) == json.loads(out)


def test_demo_example_scores_like_demo(cli, tmp_path):
    example = demo_example()
    assert example is not None
    code, out, err = cli("demo", "--json")
    assert code == 0, err
    assert _json(score_example(example, KOMMUNAL).to_dict()) == json.loads(out)


def test_definitions_are_resolved_once_with_their_provenance():
    from ozgkompass.model.registry import load_answer_set

    aset = load_answer_set(FALKENBERG)
    defs = resolve_definitions(aset, Choice(catalogue="kommunal", target=3))
    assert defs.questionnaire.id == aset.questionnaire.id
    assert defs.model.id == defs.questionnaire.maturity_model
    assert defs.catalogue is not None and defs.catalogue_ref == "kommunal"
    assert defs.target == 3
    without = resolve_definitions(aset, Choice())
    assert without.catalogue is None and without.successor is None


def test_the_explanation_adds_up_to_the_figures():
    a = score_file(FALKENBERG, KOMMUNAL)
    overall = explain(a).overall
    assert overall is not None and overall.counted_weight > 0
    assert math.isclose(overall.weighted_sum / overall.counted_weight, a.score)
    area = explain(a, area="payment").area
    assert area is not None and area.area.score is not None
    counted = [c for c in area.contributions if c is not None]
    assert counted and math.isclose(sum(counted), area.contribution_sum)
    assert math.isclose(area.contribution_sum / area.area.counted_weight, area.area.score)
    question = explain(a, question=a.areas[0].questions[0].id).question
    assert question is not None and question.question.id == a.areas[0].questions[0].id


def test_app_functions_never_print(capsys, tmp_path):
    a = score_file(FALKENBERG, KOMMUNAL)
    explain(a, criterion=a.criteria[0].id)
    search_catalogue("Wohngeld")
    catalogue_stats()
    plan = tmp_path / "plan.yaml"
    plan.write_text("phases:\n  - name: bald\n    answers:\n      backoffice_eakte: "
                    "flaechendeckend\n", encoding="utf-8")
    project_plan(FALKENBERG, plan, KOMMUNAL)
    with pytest.raises(UserError):
        explain(a, area="gibtsnicht")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("call, message", [
    (lambda: explain(score_file(FALKENBERG, KOMMUNAL), area="a", question="b"),
     "Nur eine Zahl auf einmal"),
    (lambda: explain(score_file(FALKENBERG, KOMMUNAL), service="99999"),
     "nicht unter den bewerteten Leistungen"),
    (lambda: score_file(FALKENBERG, Choice(catalogue="kommunal", target=99)),
     "--target 99 liegt außerhalb"),
    (lambda: score_file(FALKENBERG, Choice(model="gibtsnicht")), "gibtsnicht"),
    (lambda: score_file(FALKENBERG, Choice(catalogue="gibtsnicht")), "gibtsnicht"),
    (lambda: search_catalogue("   "), "Leerer Suchbegriff"),
    (lambda: search_catalogue("Wohngeld", scope="land"), "--scope 'land' ist unbekannt"),
    (lambda: search_catalogue("Wohngeld", themenfeld="Weltraum"), "Themenfeld 'Weltraum'"),
    (lambda: load_result("nirgends.answers.yaml", None, None, "kommunal"),
     "weder eine Antwortdatei noch eine Archivnummer"),
    (lambda: convoy_of([], None, None, None, None, None, "kommunal"),
     "Keine Mitglieder angegeben"),
])
def test_bad_input_is_a_user_error(call, message):
    with pytest.raises(UserError) as exc:
        call()
    assert message in str(exc.value)


def test_answers_that_do_not_fit_are_a_data_error(tmp_path):
    bad = tmp_path / "kaputt.answers.yaml"
    text = FALKENBERG.read_text(encoding="utf-8")
    bad.write_text(text.replace("answers:\n", "answers:\n  gibtsnicht_frage: ja\n", 1),
                   encoding="utf-8")
    with pytest.raises(DataError) as exc:
        score_file(bad, KOMMUNAL)
    assert exc.value.issues and any(i.severity == "error" for i in exc.value.issues)


def test_find_service_names_similar_ids():
    cat = search_catalogue("Wohngeld").catalogue
    hit = search_catalogue("Wohngeld").hits[0]
    assert find_service(cat, hit.service.ozg_id) is hit.service
    with pytest.raises(UserError, match="steht nicht im Katalog"):
        find_service(cat, "gibtsnicht")


def test_stats_count_every_service():
    st = catalogue_stats()
    assert sum(sum(c.values()) for c in st.by_themenfeld.values()) == len(st.catalogue.services)
    assert 0 < st.municipal_scope <= len(st.catalogue.services)


def test_archive_round_trip_and_progress(tmp_path):
    archive = tmp_path / "archiv.sqlite"
    a, aset = score_file_with_answers(FALKENBERG, KOMMUNAL)
    number = add_to_archive(archive, a, aset)
    stored = load_result(str(number), archive, None, "kommunal")
    assert stored["municipality"]["name"] == a.municipality.name
    cmp = compare_rounds(str(number), str(FALKENBERG), archive, None, "kommunal")
    assert cmp.progress.score.old == cmp.progress.score.new == a.score
    target, count = rebuild_archive(sorted(EXAMPLES.glob("*.answers.yaml")), archive, None,
                                    "kommunal")
    assert target == archive and count == 3


def test_convoy_of_the_examples():
    found = convoy_of([str(p) for p in sorted(EXAMPLES.glob("*.answers.yaml"))], None, None,
                      None, None, None, "kommunal")
    assert len(found.members) == 3 == len(found.result.members)


def test_check_file_says_what_a_file_is(tmp_path):
    from ozgkompass.app.checks import check_file

    issues, kind = check_file(FALKENBERG)
    assert kind == "Antworten" and not [i for i in issues if i.severity == "error"]
    issues, kind = check_file(ROOT / "questionnaires" / "ozg-kommune.yaml")
    assert kind == "Fragebogen" and not [i for i in issues if i.severity == "error"]
    issues, kind = check_file(tmp_path / "fehlt.yaml")
    assert kind == "?" and issues and issues[0].code == "file"
