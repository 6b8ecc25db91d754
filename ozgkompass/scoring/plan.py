"""Roadmap projection: what a municipality's figures would be after each planned phase.

Phases are cumulative: phase 2 starts from today's answers with phase 1's planned answers
applied. Each phase is scored like a real answers file, against definitions compiled once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ozgkompass.errors import Issue
from ozgkompass.model.answers import AnswerSet, check_answers
from ozgkompass.model.catalogue import Catalogue
from ozgkompass.model.maturity import MaturityModel
from ozgkompass.model.plan import Plan
from ozgkompass.model.questionnaire import Questionnaire
from ozgkompass.scoring.assessment import Assessment
from ozgkompass.scoring.compiled import compile
from ozgkompass.scoring.compiled import score as score_compiled
from ozgkompass.scoring.definitions import Definitions


@dataclass
class PlannedAnswer:
    """An answer a phase sets out to reach, as the phase's scoring labels it."""
    id: str
    question: str
    answer: str
    responsible: str | None
    recommendation: str | None = None  # today's recommendation for the question, if any


@dataclass
class PhaseFigures:
    name: str
    changed: list[str]  # question ids this phase changes
    score: float | None
    band: str | None
    criteria: dict[str, int | None]
    at_target: int | None
    in_scope: int | None
    score_gain: float | None  # over the previous phase (or today)
    services_gain: int | None
    newly_at_target: list[str]  # OZG-IDs
    blocking: list[tuple[str, str, int]]  # what still holds services back, most first
    open_required: list[str]
    answers: list[PlannedAnswer] = field(default_factory=list)  # the changed ones


@dataclass
class PlanProjection:
    municipality: str
    questionnaire: dict[str, str]
    model: dict[str, Any]
    catalogue: dict[str, Any] | None
    tool_version: str
    title: str | None
    phases: list[PhaseFigures] = field(default_factory=list)  # first: "heute"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_plan(qn: Questionnaire, aset: AnswerSet, plan: Plan) -> list[Issue]:
    """Planned answers checked like an answers file, located in the plan file."""
    issues: list[Issue] = []
    current = dict(aset.answers)
    for phase in plan.phases:
        # earlier answers keep no position: only problems of this phase's answers are shown
        merged = {k: replace(v, line=None, column=None) for k, v in current.items()}
        merged.update(phase.answers)
        resolved = check_answers(qn, replace(aset, answers=merged, path=plan.path))
        issues += [i for i in resolved.issues if i.location.line is not None
                   and i.code not in ("questionnaire-version", "questionnaire-hash")]
        current.update(phase.answers)
    return issues


def _figures(name: str, changed: list[str], a: Assessment, before: PhaseFigures | None,
             before_hits: set[str], recs: dict[str, str | None] | None = None
             ) -> tuple[PhaseFigures, set[str]]:
    cat = a.catalogue
    hits = {s.ozg_id for s in cat.services if s.at_target} if cat else set()
    fig = PhaseFigures(
        name=name, changed=changed, score=a.score, band=a.band, criteria=a.criteria_levels(),
        at_target=cat.at_target if cat else None, in_scope=cat.in_scope if cat else None,
        score_gain=(a.score - before.score if before and a.score is not None
                    and before.score is not None else None),
        services_gain=(cat.at_target - before.at_target if before and cat
                       and before.at_target is not None else None),
        newly_at_target=sorted(hits - before_hits) if before else [],
        blocking=list(cat.blocking[:5]) if cat else [],
        open_required=list(a.open_required),
        answers=[PlannedAnswer(q.id, q.text, q.answer_label or q.status,
                               q.responsible or q.owner, (recs or {}).get(q.id))
                 for ar in a.areas for q in ar.questions if q.id in changed])
    return fig, hits


def project(qn: Questionnaire, aset: AnswerSet, plan: Plan, model: MaturityModel,
            catalogue: Catalogue | None, target: int | None = None) -> PlanProjection:
    """Today's figures and the projected figures after each phase (all scored against
    the same definitions, compiled once)."""
    compiled = compile(Definitions.resolve(qn, model, catalogue, target=target))

    def score(s: AnswerSet) -> Assessment:
        return score_compiled(compiled, s)

    today = score(aset)
    out = PlanProjection(aset.municipality.name, today.questionnaire, today.model,
                         today.catalogue.catalogue if today.catalogue else None,
                         today.tool_version, plan.title)
    prev, hits = _figures("heute", [], today, None, set())
    recs = {q.id: q.recommendation for ar in today.areas for q in ar.questions}
    out.phases.append(prev)
    answers = dict(aset.answers)
    for phase in plan.phases:
        changed = [qid for qid, ans in phase.answers.items()
                   if qid not in answers or answers[qid].value != ans.value]
        answers.update(phase.answers)
        prev, hits = _figures(phase.name, changed, score(replace(aset, answers=dict(answers))),
                              prev, hits, recs)
        out.phases.append(prev)
    return out
