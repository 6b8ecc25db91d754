"""`explain`: how a number comes about, worked out from a scored `Assessment`; the
terminal renderer (`cli/render.py`) and `--json` only show what is computed here.
Unknown ids raise `UserError` with the ids there are."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ozgkompass.errors import UserError

if TYPE_CHECKING:
    from ozgkompass.scoring.assessment import (
        AreaResult,
        Assessment,
        CriterionResult,
        QuestionResult,
        Recommendation,
    )

__all__ = ["AreaExplanation", "Explanation", "OverallExplanation", "QuestionExplanation",
           "explain", "explanation_data", "one_number"]


@dataclass(frozen=True, slots=True)
class OverallExplanation:
    """The index as the weighted mean of the areas that can be scored."""

    counted_weight: float  # the weights of the areas with a score
    weighted_sum: float  # Σ area score × weight over those areas


@dataclass(frozen=True, slots=True)
class AreaExplanation:
    """An area's score as the weighted mean of its counted questions."""

    area: AreaResult
    contributions: tuple[float | None, ...]  # per question: score × weight, None: not counted
    contribution_sum: float  # Σ score × weight over the counted questions


@dataclass(frozen=True, slots=True)
class QuestionExplanation:
    question: QuestionResult
    recommendation: Recommendation | None  # what fully meeting it would add to the index


@dataclass(frozen=True, slots=True)
class Explanation:
    """One explained number: exactly one of the parts is set (overall without an option)."""

    assessment: Assessment
    overall: OverallExplanation | None = None
    area: AreaExplanation | None = None
    question: QuestionExplanation | None = None
    criterion: CriterionResult | None = None
    service: Any = None  # scoring.catalogue.ServiceResult


def _unknown(what: str, given: str, known: list[str], hint: str) -> UserError:
    from ozgkompass.model.common import did_you_mean

    return UserError(f"{what} {given!r} gibt es nicht." + did_you_mean(given, known),
                     hint=hint)


def _overall(a: Assessment) -> OverallExplanation:
    total = sum(ar.weight for ar in a.areas if ar.score is not None)
    s = sum(ar.score * ar.weight for ar in a.areas if ar.score is not None)
    return OverallExplanation(total, s)


def _area(a: Assessment, area_id: str) -> AreaExplanation:
    ar = a.area(area_id)
    if ar is None:
        ids = [x.id for x in a.areas]
        raise _unknown("Bereich", area_id, ids, f"Bereiche: {', '.join(ids)}.")
    contributions = tuple(q.score * q.weight if q.counted and q.score is not None else None
                          for q in ar.questions)
    total = sum((q.score or 0) * q.weight for q in ar.questions if q.counted)
    return AreaExplanation(ar, contributions, total)


def _question(a: Assessment, qid: str) -> QuestionExplanation:
    q = a.question(qid)
    if q is None:
        raise _unknown("Frage", qid, [x.id for ar in a.areas for x in ar.questions],
                       "IDs zeigt `ozgkompass explain DATEI --area ID` (Bereiche: "
                       + ", ".join(x.id for x in a.areas) + ").")
    rec = next((r for r in a.recommendations if r.question_id == q.id), None)
    return QuestionExplanation(q, rec)


def _criterion(a: Assessment, cid: str) -> CriterionResult:
    c = a.criterion(cid)
    if c is None:
        ids = [x.id for x in a.criteria]
        raise _unknown(f"Kriterium (Modell {a.model['id']})", cid, ids,
                       f"Kriterien: {', '.join(ids)}.")
    return c


def _service(a: Assessment, ozg_id: str) -> Any:
    c = a.catalogue
    s = c.service(ozg_id) if c is not None else None
    if s is None:
        out = next((o for o in (c.out_of_scope if c is not None else []) if o.ozg_id == ozg_id),
                   None)
        if out is not None:
            raise UserError(f"OZG-Leistung {ozg_id} ({out.name}) wird für diese Kommune nicht "
                            f"bewertet: {out.reason}.",
                            hint="Führt sie die Aufgabe doch aus: in der Antwortdatei unter "
                            f"municipality.scope.add eintragen (\"{ozg_id}\").")
        raise UserError(
            f"OZG-Leistung {ozg_id!r} ist nicht unter den bewerteten Leistungen.",
            hint="OZG-ID prüfen (ozgkompass catalogue search TEXT).",
        )
    return s


def one_number(*, area: str | None = None, question: str | None = None,
               criterion: str | None = None, service: str | None = None) -> None:
    """Refuse more than one number at a time (checked before anything is scored)."""
    chosen = [name for name, value in (("--area", area), ("--question", question),
                                       ("--criterion", criterion), ("--service", service))
              if value]
    if len(chosen) > 1:
        raise UserError(f"Nur eine Zahl auf einmal erklären: {' und '.join(chosen)} "
                        "zusammen geht nicht.", hint="Eine der Optionen weglassen.")


def explain(a: Assessment, *, area: str | None = None, question: str | None = None,
            criterion: str | None = None, service: str | None = None) -> Explanation:
    """The number asked for (at most one option; none: the overall index)."""
    one_number(area=area, question=question, criterion=criterion, service=service)
    if question:
        return Explanation(a, question=_question(a, question))
    if area:
        return Explanation(a, area=_area(a, area))
    if criterion:
        return Explanation(a, criterion=_criterion(a, criterion))
    if service:
        return Explanation(a, service=_service(a, service))
    return Explanation(a, overall=_overall(a))


def explanation_data(a: Assessment, *, area: str | None = None, question: str | None = None,
                     criterion: str | None = None, service: str | None = None) -> dict[str, Any]:
    """What `explain` shows, as data for --json (the same objects the text reads)."""
    def missing(what: str, given: str, known: list[str]) -> UserError:
        return _unknown(what, given, known, f"Möglich: {', '.join(known)}.")

    head = {"municipality": a.municipality.name, "questionnaire": a.questionnaire,
            "model": a.model, "tool_version": a.tool_version}
    if area:
        found = a.area(area)
        if found is None:
            raise missing("Bereich", area, [x.id for x in a.areas])
        return {**head, "area": asdict(found)}
    if question:
        q = a.question(question)
        if q is None:
            raise missing("Frage", question, [x.id for ar in a.areas for x in ar.questions])
        return {**head, "question": asdict(q)}
    if criterion:
        c = a.criterion(criterion)
        if c is None:
            raise missing("Kriterium", criterion, [x.id for x in a.criteria])
        return {**head, "criterion": asdict(c)}
    if service:
        s = a.catalogue.service(service) if a.catalogue is not None else None
        if s is None:
            raise UserError(f"OZG-Leistung {service!r} ist nicht unter den bewerteten "
                            "Leistungen.", hint="OZG-ID prüfen (ozgkompass catalogue search "
                            "TEXT); ohne --json nennt explain den Grund, wenn die Leistung "
                            "nicht zum Aufgabenbereich der Kommune gehört.")
        return {**head, "service": asdict(s)}
    return {**head, "score": a.score, "band": a.band, "completeness": a.completeness,
            "areas": [{"id": x.id, "title": x.title, "weight": x.weight, "score": x.score,
                       "band": x.band} for x in a.areas]}
