"""The stored form of a scored result: the figures that progress, convoy, peers and the
archive read (docs/archive.md). A projection of an `Assessment`, never a new calculation;
the full detail (evidence, levers, per-service criteria) is scored again from the answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from ozgkompass.scoring.steps import summary_steps

if TYPE_CHECKING:
    from ozgkompass.scoring.assessment import Assessment

SUMMARY_FORMAT = 1
NEXT_STEPS = 3  # kept in the summary


class SummaryQuestion(TypedDict):
    id: str
    area_id: str
    status: str
    score: float | None
    answer_label: str | None


class SummaryArea(TypedDict):
    id: str
    title: str
    weight: float
    score: float | None
    band: str | None
    questions: list[SummaryQuestion]


class SummaryCriterion(TypedDict):
    id: str
    name: str
    level: int | None


class SummaryGroup(TypedDict):
    name: str
    services: int
    at_target: int
    share: float | None
    weighted_share: float | None


class SummaryService(TypedDict):
    ozg_id: str
    name: str
    themenfeld: str
    level: int
    target: int
    at_target: bool
    today: int | None
    today_online: bool | None
    today_source: str
    today_date: str | None
    today_at_target: bool


class SummaryCatalogue(TypedDict):
    catalogue: dict[str, Any]
    model: str
    in_scope: int
    at_target: int
    share_at_target: float | None
    today_at_target: int
    share_today_at_target: float | None
    today_unconfirmed: int
    by_themenfeld: list[SummaryGroup]
    blocking: list[list[Any]]  # [criterion id, name, services it holds back]
    services: list[SummaryService]


class Summary(TypedDict):
    """The stored result (JSON): what `summarise` writes, key by key."""

    summary_format: int
    tool_version: str
    questionnaire: dict[str, str]
    model: dict[str, Any]
    municipality: dict[str, Any]
    interview: dict[str, Any]
    answers_file: str | None
    score: float | None
    band: str | None
    completeness: float | None
    answered: int
    applicable: int
    open_required: list[str]
    areas: list[SummaryArea]
    criteria: list[SummaryCriterion]
    followups: int
    next_steps: list[dict[str, Any]]
    catalogue: SummaryCatalogue | None


def summarise(a: Assessment) -> Summary:
    """A plain, JSON-ready dict of an `Assessment` (with its catalogue result, if any)."""
    cat = a.catalogue
    return {
        "summary_format": SUMMARY_FORMAT,
        "tool_version": a.tool_version, "questionnaire": dict(a.questionnaire),
        "model": dict(a.model), "municipality": dict(vars(a.municipality)),
        "interview": dict(vars(a.interview)), "answers_file": a.answers_file,
        "score": a.score, "band": a.band, "completeness": a.completeness,
        "answered": a.answered, "applicable": a.applicable,
        "open_required": list(a.open_required),
        "areas": [{"id": ar.id, "title": ar.title, "weight": ar.weight, "score": ar.score,
                   "band": ar.band, "questions": [
                       {"id": q.id, "area_id": q.area_id, "status": q.status,
                        "score": q.score, "answer_label": q.answer_label}
                       for q in ar.questions]} for ar in a.areas],
        "criteria": [{"id": c.id, "name": c.name, "level": c.level} for c in a.criteria],
        "followups": len(a.followups),
        # what comes next, as the mayor's briefing says it (the progress report's short
        # version shows these of the newer round; absent in results stored before)
        "next_steps": summary_steps(a, NEXT_STEPS),
        "catalogue": None if cat is None else {
            "catalogue": dict(cat.catalogue), "model": cat.model, "in_scope": cat.in_scope,
            "at_target": cat.at_target, "share_at_target": cat.share_at_target,
            # "heute online auf Zielstufe" (absent in results stored before ozgkompass
            # scored `today`, docs/scoring.md §6a)
            "today_at_target": cat.today_at_target,
            "share_today_at_target": cat.share_today_at_target,
            "today_unconfirmed": cat.today_unconfirmed,
            "by_themenfeld": [{"name": g.name, "services": g.services,
                               "at_target": g.at_target, "share": g.share,
                               "weighted_share": g.weighted_share}
                              for g in cat.by_themenfeld],
            "blocking": [list(b) for b in cat.blocking],
            "services": [{"ozg_id": s.ozg_id, "name": s.name, "themenfeld": s.themenfeld,
                          "level": s.level, "target": s.target, "at_target": s.at_target,
                          "today": s.today, "today_online": s.today_online,
                          "today_source": s.today_source, "today_date": s.today_date,
                          "today_at_target": s.today_at_target}
                         for s in cat.services]},
    }
