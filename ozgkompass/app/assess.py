"""Score a municipality: an answers file, a built-in example or an answer set, and a plan's
phases projected on today's answers (`score`, `report`, `explain`, `demo`, `plan`, the
archive commands). The one place that calls the scoring core for a single municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozgkompass.app.definitions import Choice, Definitions, questionnaire_for, resolve_definitions
from ozgkompass.errors import DataError, Issue

if TYPE_CHECKING:
    from ozgkompass.model.answers import AnswerSet
    from ozgkompass.model.questionnaire import Questionnaire
    from ozgkompass.scoring.assessment import Assessment
    from ozgkompass.scoring.plan import PlanProjection

__all__ = ["Scored", "evaluate", "load_answers", "observed_comparison", "project_plan",
           "score_answer_set", "score_example", "score_file", "score_file_with_answers",
           "score_interview"]


@dataclass(frozen=True, slots=True)
class Scored:
    """A scored municipality with what it was scored from (for the archive)."""

    assessment: Assessment
    answers: AnswerSet
    definitions: Definitions


def load_answers(path: Path) -> AnswerSet:
    """An answers file, checked and migrated to the current format."""
    from ozgkompass.model.registry import load_answer_set

    return load_answer_set(path)


def evaluate(definitions: Definitions, aset: AnswerSet,
             observed: dict[str, Any] | None = None) -> Assessment:
    """The scoring core, called in this one place for a single municipality."""
    from ozgkompass.scoring.compiled import compile, score

    return score(compile(definitions.scoring), aset, observed=observed)


def score_answer_set(aset: AnswerSet, choice: Choice) -> Scored:
    """Score loaded answers as `ozgkompass score` does: the cached retrieval of the Dashboard
    Digitale Verwaltung fills `today` where the answers say nothing (docs/scoring.md §6a);
    errors in the answers raise `DataError` with every problem."""
    from ozgkompass.observed.cache import cached_ars

    defs = resolve_definitions(aset, choice)
    observed = None
    # offline, from the cache only (the modules that read it only when there is one)
    if defs.catalogue is not None and cached_ars(aset.municipality) is not None:
        from ozgkompass.observed.compare import observed_today

        observed = observed_today(aset.municipality, defs.catalogue)
    result = evaluate(defs, aset, observed)
    # where an answer and the dashboard disagree, the scoring says so itself
    # (scoring.catalogue, docs/scoring.md §6a)
    qn = defs.questionnaire
    if any(i.severity == "error" for i in result.issues):
        raise DataError(result.issues, f"Die Antworten in {aset.path} passen nicht zum "
                        f"Fragebogen {qn.id} {qn.version}; bitte korrigieren und erneut bewerten.")
    return Scored(result, aset, defs)


def score_interview(qn: Questionnaire, aset: AnswerSet, *,
                    catalogue: str | None = None) -> Assessment:
    """An interview's answers scored against its questionnaire and that questionnaire's
    model; with `catalogue` also against it (as the archive stores an interview). Errors in
    the answers stay in `issues`: the interview decides what to say about them."""
    return evaluate(resolve_definitions(aset, Choice(catalogue=catalogue), questionnaire=qn),
                    aset)


def score_file(path: Path, choice: Choice) -> Assessment:
    """Score an answers file (`score`, `explain`, `report`)."""
    return score_answer_set(load_answers(path), choice).assessment


def score_file_with_answers(path: Path, choice: Choice) -> tuple[Assessment, AnswerSet]:
    """Score an answers file and keep its answers, as the archive stores both."""
    result = score_file(path, choice)
    # loaded afresh: the archive stores the answers as the file holds them
    return result, load_answers(path)


def score_example(example: Traversable, choice: Choice) -> Assessment:
    """Score a built-in example (`demo`)."""
    from ozgkompass.model.registry import load_answer_set

    return score_answer_set(load_answer_set(example, builtin=True), choice).assessment


def demo_example() -> Traversable | None:
    """The built-in example municipality of `demo`, None if this installation lacks it."""
    from ozgkompass.model.registry import DEMO_EXAMPLE, builtin_examples

    return next((e for e in builtin_examples() if e.name == DEMO_EXAMPLE), None)


def project_plan(answers: Path, plan_file: Path,
                 choice: Choice) -> tuple[PlanProjection, list[Issue]]:
    """A plan file's phases projected on today's answers (`plan`, `report --plan`); the
    plan's answers are checked like an answers file, located in the plan file."""
    from ozgkompass.model.plan import load_plan
    from ozgkompass.scoring.plan import check_plan, project

    aset = load_answers(answers)
    pl, issues = load_plan(plan_file)
    if pl is None:
        raise DataError(issues, f"Plandatei {plan_file} ist fehlerhaft.")
    qn = questionnaire_for(aset, choice)
    issues = check_plan(qn, aset, pl)
    if any(i.severity == "error" for i in issues):
        raise DataError(issues, f"Die geplanten Antworten in {plan_file} passen nicht zum "
                        f"Fragebogen {qn.id} {qn.version}; bitte korrigieren.")
    defs = resolve_definitions(aset, choice, questionnaire=qn)
    return project(qn, aset, pl, defs.model, defs.catalogue, defs.target), issues


def observed_comparison(result: Assessment, answers: Path,
                        catalogue: str | None) -> tuple[Any, Any] | None:
    """The comparison of a scored municipality with the cached retrieval of the Dashboard
    Digitale Verwaltung for its ARS, and that retrieval; None without a cached retrieval or
    without catalogue results. Reads only the cache, never the network."""
    from ozgkompass.catalogue.store import resolve_catalogue
    from ozgkompass.observed.compare import cached_for, compare

    observation = cached_for(result.municipality)
    if observation is None or result.catalogue is None:
        return None
    aset = load_answers(answers)
    return compare(observation, resolve_catalogue(catalogue), aset.municipality,
                   aset), observation
