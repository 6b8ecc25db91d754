"""Scoring in two steps: `compile(definitions)` once per run, `score(compiled, answers)`
per answers file (a batch scores thousands of files against the same definitions).

`Compiled` holds the definitions of the run and its `Memory` (scoring/memory.py): what
scoring works out once per questionnaire, model and catalogue (plans, kinds of services,
rules) and what answer sets of a batch share. No scoring module keeps state of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ozgkompass.model.answers import AnswerSet, Resolved, check_answers
from ozgkompass.model.catalogue import Catalogue
from ozgkompass.model.maturity import MaturityModel
from ozgkompass.model.questionnaire import Questionnaire
from ozgkompass.scoring.assessment import Assessment, assess
from ozgkompass.scoring.definitions import Definitions
from ozgkompass.scoring.memory import Memory
from ozgkompass.scoring.today import TodayLevel


@dataclass(frozen=True, slots=True)
class Compiled:
    """The definitions of a run, ready to score answers against: one per run, for all its
    answer sets (a new one starts with an empty memory)."""

    definitions: Definitions
    memory: Memory = field(default_factory=Memory, compare=False, repr=False)


def compile(definitions: Definitions) -> Compiled:  # noqa: A001 - the issue's name
    """Prepare `definitions` for scoring (once per run)."""
    return Compiled(definitions)


def score(compiled: Compiled, answers: AnswerSet, *,
          observed: Mapping[str, TodayLevel] | None = None,
          checked: Resolved | None = None) -> Assessment:
    """The one scored `Assessment` every command reads: questionnaire scores, and with a
    catalogue the services (`observed`, by OZG-ID, fills `today` where the answers say
    nothing, docs/scoring.md §6a); with a successor model its headline figures.
    `checked`: the check of these answers made already (the import's, in a batch); the
    answers are checked once, whichever models score them."""
    from ozgkompass.scoring.catalogue import figures_under, score_catalogue

    d, memory = compiled.definitions, compiled.memory
    checked = check_answers(d.questionnaire, answers, known=checked)
    result = assess(d.questionnaire, answers, d.model, memory=memory, checked=checked)
    if d.catalogue is None:
        return result
    catalogue = score_catalogue(result, d.catalogue, d.model, d.questionnaire,
                                target=d.target, observed=observed, memory=memory)
    if d.successor is not None:
        catalogue = replace(catalogue, other_models=[
            *catalogue.other_models, figures_under(d.questionnaire, answers, d.catalogue,
                                                   d.successor, d.target, observed, memory,
                                                   checked)])
    return replace(result, catalogue=catalogue)


def score_answers(qn: Questionnaire, aset: AnswerSet, model: MaturityModel,
                  catalogue: Catalogue | None = None, *, target: int | None = None,
                  with_successor: bool = False,
                  observed: Mapping[str, TodayLevel] | None = None) -> Assessment:
    """`score(compile(...), aset)` in one call, for one answer set (tests, scripts);
    `with_successor` adds the headline figures of the model that replaced `model`
    (docs/scoring.md §6)."""
    return score(compile(Definitions.resolve(qn, model, catalogue, target=target,
                                             with_successor=with_successor)),
                 aset, observed=observed)
