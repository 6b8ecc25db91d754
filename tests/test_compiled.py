"""`compile(definitions)` and `score(compiled, answers)`: the same results as
`score_answers`, and the plausibility lines scoring writes itself."""

from __future__ import annotations

import dataclasses

import pytest

from ozgkompass.model.catalogue import builtin_catalogue
from ozgkompass.model.maturity import get_model
from ozgkompass.model.registry import builtin_examples, find_questionnaire, load_answer_set
from ozgkompass.scoring.compiled import Compiled, compile, score, score_answers
from ozgkompass.scoring.definitions import Definitions
from ozgkompass.scoring.today import TodayLevel


def _example():
    entry = builtin_examples()[0]
    aset = load_answer_set(entry, builtin=True)
    qn = find_questionnaire(aset.questionnaire.id, aset.questionnaire.version)
    return qn, aset


def test_definitions_are_frozen_and_find_the_successor():
    qn, _ = _example()
    model = get_model("reifegrad-1.1")
    d = Definitions.resolve(qn, model, builtin_catalogue(), with_successor=True)
    assert model.replaced_by and d.successor is not None
    assert d.successor.id == model.replaced_by
    assert Definitions.resolve(qn, model, builtin_catalogue()).successor is None
    assert Definitions.resolve(qn, model, None, with_successor=True).successor is None
    # a target above the successor's levels: no figures under it
    too_high = d.successor.highest_level + 1
    assert Definitions.resolve(qn, model, builtin_catalogue(), target=too_high,
                               with_successor=True).successor is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.target = 3  # type: ignore[misc]


@pytest.mark.parametrize("with_successor", [False, True])
def test_score_of_compiled_definitions_is_score_answers(with_successor):
    qn, aset = _example()
    model = get_model(qn.maturity_model)
    cat = builtin_catalogue()
    compiled = compile(Definitions.resolve(qn, model, cat, with_successor=with_successor))
    assert isinstance(compiled, Compiled)
    result = score(compiled, aset)
    assert result.catalogue is not None
    assert bool(result.catalogue.other_models) is with_successor
    assert result.to_dict() == score_answers(qn, aset, model, cat,
                                             with_successor=with_successor).to_dict()
    # the same compiled definitions score a second file alike
    assert score(compiled, aset).to_dict() == result.to_dict()


def test_an_answer_that_contradicts_the_dashboard_is_said_by_scoring():
    qn, aset = _example()
    model = get_model(qn.maturity_model)
    compiled = compile(Definitions(qn, model, builtin_catalogue()))
    plain = score(compiled, aset).catalogue
    said = [s for s in plain.services if s.today_source == "antwort"]
    if not said:
        pytest.skip("the example answers name no service online")
    first = said[0]
    observed = {first.ozg_id: TodayLevel(not first.today_online, "beobachtet", "2026-11")}
    c = score(compiled, aset, observed=observed).catalogue
    assert c.plausibility == [*plain.plausibility, (
        f"Bei 1 Leistung(en) widerspricht die Angabe der Kommune dem Dashboard Digitale "
        f"Verwaltung ({first.ozg_id}); gezählt ist die Angabe. Abgleich: ozgkompass observe")]
    # an agreeing observation adds nothing
    agree = {first.ozg_id: TodayLevel(first.today_online, "beobachtet", "2026-11")}
    assert score(compiled, aset, observed=agree).catalogue.plausibility == plain.plausibility


def test_the_stored_summary_has_exactly_the_typed_keys():
    from ozgkompass.scoring.summary import (
        Summary,
        SummaryArea,
        SummaryCatalogue,
        SummaryQuestion,
        SummaryService,
        summarise,
    )

    qn, aset = _example()
    model = get_model(qn.maturity_model)
    s = summarise(score(compile(Definitions(qn, model, builtin_catalogue())), aset))
    assert set(s) == set(Summary.__annotations__)
    assert set(s["areas"][0]) == set(SummaryArea.__annotations__)
    assert set(s["areas"][0]["questions"][0]) == set(SummaryQuestion.__annotations__)
    assert s["catalogue"] is not None
    assert set(s["catalogue"]) == set(SummaryCatalogue.__annotations__)
    assert set(s["catalogue"]["services"][0]) == set(SummaryService.__annotations__)


def test_the_results_and_their_shared_parts_are_frozen():
    qn, aset = _example()
    a = score(compile(Definitions(qn, get_model(qn.maturity_model), builtin_catalogue())),
              aset)
    c = a.catalogue
    parts = [a, a.areas[0], a.areas[0].questions[0], c, c.services[0],
             c.services[0].criteria[0], c.by_themenfeld[0], c.levers[0]]
    parts += c.out_of_scope[:1]
    for part in parts:
        assert not hasattr(part, "__dict__"), type(part).__name__  # slotted
        # Python 3.11 raises TypeError for frozen slotted classes (its super() in
        # __setattr__), later versions FrozenInstanceError: either way, no change
        with pytest.raises((dataclasses.FrozenInstanceError, TypeError)):
            setattr(part, dataclasses.fields(part)[0].name, "x")


def test_a_check_of_the_answers_is_handed_on_only_with_its_own_answers():
    """The import hands its check of a workbook's answers on to scoring (a batch checks
    each file once, not three times): taken only for the very questionnaire and answer
    set it checked, as a copy, and scoring with it gives the same result as without."""
    from ozgkompass.errors import Issue, Location
    from ozgkompass.issue_codes import IssueCode
    from ozgkompass.model.answers import check_answers

    qn, aset = _example()
    checked = check_answers(qn, aset)
    # other answers (one answer dropped): checked anew, not the handed-on check
    first = next(iter(aset.answers))
    other = dataclasses.replace(aset, answers={k: v for k, v in aset.answers.items()
                                               if k != first})
    again = check_answers(qn, other, known=checked)
    assert again.of is not None and again.of[1] is other
    assert again.values == check_answers(qn, other).values != checked.values
    # the same answers: a copy, so a caller's own issues stay its own
    copy = check_answers(qn, aset, known=checked)
    copy.issues.append(Issue(IssueCode.TYPE, "eigenes Problem", Location("x")))
    assert len(checked.issues) == len(copy.issues) - 1
    d = Definitions.resolve(qn, get_model("reifegrad-1.1"), builtin_catalogue(),
                            with_successor=True)
    assert score(compile(d), aset, checked=checked).to_dict() == \
        score(compile(d), aset).to_dict()
    assert score(compile(d), other, checked=checked).to_dict() == \
        score(compile(d), other).to_dict()
