"""Scoring a municipality's answers: question, area and overall scores, criteria levels.

Pure functions: they take a questionnaire and an answer set and return one `Assessment`
that every report and export reads. The rules are documented in docs/scoring.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ozgkompass import __version__
from ozgkompass.errors import Issue, Location
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.answers import (
    Answer,
    AnswerSet,
    Interview,
    Municipality,
    Resolved,
    check_answers,
)
from ozgkompass.model.common import RESPONSIBLE
from ozgkompass.model.maturity import MaturityModel, get_model
from ozgkompass.model.questionnaire import Area, Option, QType, Question, Questionnaire
from ozgkompass.scoring.memory import Memory

# status of a question in an assessment
ANSWERED, NA, HIDDEN, OPEN, OPEN_OPTIONAL, RECORDED = (
    "beantwortet", "trifft nicht zu", "ausgeblendet", "offen (Pflicht)", "offen", "erfasst")


@dataclass(frozen=True, slots=True)
class QuestionResult:
    id: str
    area_id: str
    text: str
    type: str
    status: str
    weight: float
    value: Any = None
    answer_label: str | None = None
    score: float | None = None  # 0–100; None when not counted
    counted: bool = False  # in numerator and denominator of the area score
    criteria: dict[str, int] = field(default_factory=dict)
    recommendation: str | None = None
    responsible: str | None = None
    note: str | None = None
    source: str | None = None
    na_reason: str | None = None
    condition: str | None = None
    unclear: str | None = None  # "weiß nicht": with whom to clarify (the question stays open)
    owner: str | None = None  # who is responsible for the topic, whatever the answer


@dataclass(frozen=True, slots=True)
class AreaResult:
    id: str
    title: str
    weight: float
    score: float | None
    band: str | None
    answered: int
    applicable: int
    completeness: float | None
    open_required: list[str]
    questions: list[QuestionResult]

    @property
    def counted_weight(self) -> float:
        return sum(q.weight for q in self.questions if q.counted)


@dataclass
class Evidence:
    question_id: str
    answer_label: str
    level: int
    # holds only for services with these catalogue attributes (option `applies_to`)
    applies_to: list[tuple[str, list[Any]]] = field(default_factory=list)

    @property
    def scope_label(self) -> str:
        """German label of the restriction, e.g. "nur Unternehmensleistungen"."""
        return scope_label(self.applies_to)


_ScopeWords = dict[str, dict[Any, str]]
_SCOPE_WORDS: _ScopeWords = {"audience": {"buerger": "Bürgerleistungen",
                                          "unternehmen": "Unternehmensleistungen",
                             "beide": "Leistungen für alle"},
                "written_form": {True: "Leistungen mit Schriftform", False: "Leistungen ohne "
                                 "Schriftform"},
                "in_person": {True: "Vor-Ort-Leistungen", False: "Leistungen ohne Vor-Ort-Pflicht"},
                "fees": {True: "gebührenpflichtige Leistungen", False: "gebührenfreie Leistungen"},
                "evidence": {True: "Leistungen mit Nachweisen", False: "Leistungen ohne Nachweise"}}


def scope_label(applies_to: list[tuple[str, list[Any]]]) -> str:
    if not applies_to:
        return ""
    parts = []
    for attr, values in applies_to:
        words = _SCOPE_WORDS.get(attr, {})
        if attr == "trust_level":
            parts.append("Vertrauensniveau " + "/".join(map(str, values)))
        else:
            parts.append(" oder ".join(words.get(v, f"{attr}={v}") for v in values))
    return "nur " + ", ".join(parts)


@dataclass
class CriterionResult:
    id: str
    name: str
    level: int | None
    level_name: str
    reason: str  # why this level (or why unknown)
    evidence: list[Evidence]
    deciding: list[str]  # questions whose answers set the level (the weakest)
    settled_by: list[str] = field(default_factory=list)  # open questions that would tell


@dataclass
class Recommendation:
    question_id: str
    area_id: str
    question: str
    text: str
    responsible: str | None
    responsible_label: str | None
    score: float | None
    gain: float  # points the overall index would gain if this question reached 100 %
    open: bool = False


@dataclass
class FollowUp:
    """A question answered with "weiß nicht / klären mit …" (a Rückfrage)."""

    question_id: str
    area_id: str
    question: str
    clarify_with: str
    note: str | None
    required: bool  # an open required question counts as 0 % until it is clarified


@dataclass(frozen=True, slots=True)
class Assessment:
    tool_version: str
    questionnaire: dict[str, str]
    model: dict[str, Any]
    municipality: Municipality
    interview: Interview
    answers_file: str | None
    score: float | None
    band: str | None
    band_description: str | None
    completeness: float | None
    answered: int
    applicable: int
    open_required: list[str]
    areas: list[AreaResult]
    criteria: list[CriterionResult]
    recommendations: list[Recommendation]
    issues: list[Issue]
    followups: list[FollowUp] = field(default_factory=list)
    catalogue: Any = None  # scoring.results.CatalogueResult when scored against a catalogue
    # for reports only, not in `to_dict`: the comparison with a cached retrieval of the
    # Dashboard Digitale Verwaltung (observed.compare.Comparison, cli/observe.py)
    observed: Any = field(default=None, compare=False)
    # the next steps, worked out on first use (a report reads them from several renderers);
    # a cache, not in `to_dict`; `replace` starts it empty
    _next_steps: list[Any] | None = field(default=None, init=False, repr=False,
                                          compare=False)

    def area(self, aid: str) -> AreaResult | None:
        return next((a for a in self.areas if a.id == aid), None)

    def question(self, qid: str) -> QuestionResult | None:
        return next((q for a in self.areas for q in a.questions if q.id == qid), None)

    def criterion(self, cid: str) -> CriterionResult | None:
        return next((c for c in self.criteria if c.id == cid), None)

    def criteria_levels(self) -> dict[str, int | None]:
        return {c.id: c.level for c in self.criteria}

    @property
    def next_steps(self) -> list[Any]:
        """The one ranking of next steps (scoring/steps.py) every output shows; worked out
        once per assessment (its catalogue result cannot change)."""
        from ozgkompass.scoring.steps import next_steps

        known = self._next_steps
        if known is None:
            known = next_steps(self)
            object.__setattr__(self, "_next_steps", known)  # a cache, not a result field
        return known

    def to_dict(self) -> dict[str, Any]:
        # the parts written their own way are not converted twice
        data = asdict(replace(self, issues=[], catalogue=None, observed=None))
        del data["observed"], data["_next_steps"]
        data["next_steps"] = [asdict(s) for s in self.next_steps]
        data["issues"] = [i.to_dict() for i in self.issues]
        data["catalogue"] = self.catalogue.to_dict() if self.catalogue is not None else None
        return data


def covered_by(a: Assessment, party: str) -> list[QuestionResult]:
    """Questions at 100 % whose topic `party` (kommune, it_dienstleister, land) is
    responsible for: what that party already delivers."""
    return [q for ar in a.areas for q in ar.questions
            if q.owner == party and q.status == ANSWERED and q.score == 100]


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def question_score(q: Question, value: Any) -> tuple[float | None, list[Option]]:
    """Score 0–100 of one answer and the options it chose (None: the question is not scored)."""
    if q.type in (QType.SINGLE, QType.YES_NO):
        opts = q.effective_options()
        chosen = next((o for o in opts if o.value == value), None)
        best = max(o.score for o in opts)
        return (_pct(chosen.score, best) if chosen else None), ([chosen] if chosen else [])
    if q.type is QType.MULTIPLE:
        picked = [o for o in q.options if o.value in value]
        total = sum(o.score for o in q.options)
        return min(100.0, _pct(sum(o.score for o in picked), total)), picked
    if q.type is QType.SCALE:
        return _pct(value - q.min, q.max - q.min), []  # type: ignore[operator]
    if q.type is QType.SERVICES:  # share of the services named that are online
        online, offline = len(value.get("online", ())), len(value.get("nicht_online", ()))
        return (_pct(online, online + offline) if online + offline else None), []
    if q.type is QType.NUMBER and q.thresholds:
        t = q.threshold_for(float(value))
        best = max(o.score for o in q.thresholds)
        return (_pct(t.score, best) if t else 0.0), ([t] if t else [])
    return None, []


def _answer_label(q: Question, value: Any, chosen: list[Option]) -> str:
    if q.type in (QType.SINGLE, QType.YES_NO, QType.MULTIPLE):
        return ", ".join(o.label.de for o in chosen) or "keine Auswahl"
    if q.type is QType.SERVICES:
        return (f"{len(value.get('online', ()))} Leistung(en) online, "
                f"{len(value.get('nicht_online', ()))} nicht online")
    if q.type is QType.SCALE:
        label = dict(q.labels).get(value)
        return f"{value} von {q.max}" + (f" ({label.de})" if label else "")
    if q.type is QType.NUMBER:
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{text} {q.unit}".strip() if q.unit else text
    return str(value)


def assess(qn: Questionnaire, aset: AnswerSet, model: MaturityModel | None = None, *,
           memory: Memory | None = None, checked: Resolved | None = None) -> Assessment:
    """Score an answer set. Problems in the answers are kept in `issues`; errors among them
    mean the affected answers were left out (the CLI refuses to score such files).
    `memory`: what a compiled run remembers between answer sets (scoring/memory.py).
    `checked`: the check of these answers made already (`model.answers.check_answers`)."""
    model = model or get_model(qn.maturity_model)
    memory = memory if memory is not None else Memory()
    resolved = check_answers(qn, aset, known=checked)
    resolved.issues[:0] = aset.issues  # header problems first, then the answers
    if model.id != qn.maturity_model and not _speaks_to(qn, model):
        resolved.issues.append(Issue(
            IssueCode.MODEL_MISMATCH, f"Der Fragebogen ist für {qn.maturity_model} geschrieben; "
            f"{model.id} kann dessen Stufen nicht übersetzen. Alle Kriterien bleiben unbekannt. "
            f"Mit --model {qn.maturity_model} bewerten.", Location(aset.path), "warning"))
    areas: list[AreaResult] = []
    evidence: dict[str, list[Evidence]] = {c.id: [] for c in model.criteria}
    ctx = memory.contexts.get((qn, model), None, lambda: _Context(qn, model))
    total_area_weight = 0.0
    weighted_sum = 0.0
    values, visible = resolved.values, resolved.visible
    for area in qn.areas:
        results: list[QuestionResult] = []
        for q in area.questions:
            r, found = _remembered_result(memory, ctx, q, aset.answers.get(q.id), values,
                                          visible[q.id])
            results.append(r)
            for cid, e in found:
                evidence[cid].append(e)
        ar = memory.areas.get((ctx, *results), area.id,
                             lambda: _area_result(qn, area, results))  # noqa: B023
        areas.append(ar)
        if ar.score is not None:
            total_area_weight += area.weight
            weighted_sum += area.weight * ar.score
    overall = weighted_sum / total_area_weight if total_area_weight else None
    band = qn.band_for(overall)
    answered_n = sum(a.answered for a in areas)
    applicable_n = sum(a.applicable for a in areas)
    return Assessment(
        tool_version=__version__,
        questionnaire={"id": qn.id, "version": qn.version, "hash": qn.hash,
                       "title": qn.title.de},
        model={"id": model.id, "version": model.version, "title": model.title,
               "complete": model.complete},
        municipality=aset.municipality, interview=aset.interview, answers_file=aset.path,
        score=overall, band=band.name if band else None,
        band_description=band.description if band else None,
        completeness=_pct(answered_n, applicable_n) if applicable_n else None,
        answered=answered_n, applicable=applicable_n,
        open_required=[qid for a in areas for qid in a.open_required],
        areas=areas, criteria=_criteria_results(model, evidence, ctx.asked, {
            q.id for ar in areas for q in ar.questions if q.status in (OPEN, OPEN_OPTIONAL)}),
        recommendations=_recommendations(memory, areas, total_area_weight),
        issues=resolved.issues,
        followups=[FollowUp(q.id, q.area_id, q.text, q.unclear, q.note, q.status == OPEN)
                   for ar in areas for q in ar.questions if q.unclear],
    )


class _Context:
    """What is fixed for a questionnaire and a model, worked out once (a batch assesses
    thousands of files); hashed by identity, so it can key the caches of a `Memory`."""

    def __init__(self, qn: Questionnaire, model: MaturityModel) -> None:
        self.qn, self.model = qn, model
        self.asked = _work_out_asked(qn, model)  # criterion → questions that speak to it


# In a batch the same question gets the same answer in many municipalities: its result is
# worked out once per answer (73 questions, a few answers each; numbers vary more). The
# results are shared by the assessments, which only read them.
def _remembered_result(memory: Memory, ctx: _Context, q: Question, ans: Answer | None,
                       values: dict[str, Any], shown: bool
                       ) -> tuple[QuestionResult, tuple[tuple[str, Evidence], ...]]:
    """`_question_result` for one answer, remembered per questionnaire, model and answer."""
    value = values.get(q.id, _UNANSWERED)
    key = (ctx, q.id, shown,
           None if ans is None else (ans.na, ans.reason, ans.unclear, ans.note, ans.source),
           # the type too: 1 and 1.0 are equal keys, but are written differently
           value.__class__, tuple(value) if isinstance(value, list) else
           tuple((k, tuple(v)) for k, v in value.items()) if isinstance(value, dict) else value)
    return memory.questions.get(
        key, lambda: _question_result(ctx.qn, ctx.model, q, ans, values, shown))


_UNANSWERED = object()


def _area_result(qn: Questionnaire, area: Area, results: list[QuestionResult]) -> AreaResult:
    counted = [r for r in results if r.counted]
    weight = sum(r.weight for r in counted)
    score = sum(r.weight * (r.score or 0.0) for r in counted) / weight if weight else None
    applicable = [r for r in results if r.status in (ANSWERED, OPEN, OPEN_OPTIONAL, RECORDED)]
    answered = [r for r in applicable if r.status in (ANSWERED, RECORDED)]
    band = qn.band_for(score)
    return AreaResult(
        id=area.id, title=area.title.de, weight=area.weight, score=score,
        band=band.name if band else None, answered=len(answered),
        applicable=len(applicable),
        completeness=_pct(len(answered), len(applicable)) if applicable else None,
        open_required=[r.id for r in results if r.status == OPEN], questions=results,
    )


def _work_out_asked(qn: Questionnaire, model: MaturityModel) -> dict[str, list[str]]:
    asked: dict[str, list[str]] = {}
    for q in qn.questions:
        for opt in (*q.effective_options(), *q.thresholds):
            for cid in opt.criteria_for(model, qn.maturity_model):
                if q.id not in asked.setdefault(cid, []):
                    asked[cid].append(q.id)
    return asked


def _speaks_to(qn: Questionnaire, model: MaturityModel) -> bool:
    """Whether the questionnaire's options yield any criteria level in `model`."""
    return any(opt.criteria_for(model, qn.maturity_model)
               for q in qn.questions for opt in (*q.effective_options(), *q.thresholds))


def _question_result(qn: Questionnaire, model: MaturityModel, q: Question, ans: Answer | None,
                     values: dict[str, Any], shown: bool
                     ) -> tuple[QuestionResult, tuple[tuple[str, Evidence], ...]]:
    """The result of one question and the criteria evidence its answer gives."""

    def result(status: str, **more: Any) -> QuestionResult:
        return QuestionResult(id=q.id, area_id=q.area_id, text=q.text.de, type=q.type.value,
                              status=status, weight=q.weight,
                              condition=q.when.source if q.when else None,
                              owner=q.responsible, note=ans.note if ans else None,
                              source=ans.source if ans else None, **more)

    if not shown:
        return result(HIDDEN), ()
    if ans is not None and ans.na and q.na_allowed:
        return result(NA, na_reason=ans.reason), ()
    if q.id not in values:
        unclear = ans.unclear if ans is not None else None
        if not (q.required and q.scored):
            return result(OPEN_OPTIONAL, unclear=unclear), ()
        # an unanswered required question counts as 0 %
        return result(OPEN, unclear=unclear, counted=True, score=0.0,
                      recommendation=f"Offene Frage klären: {q.text.de}"
                      + (f" – {q.recommendation.de}" if q.recommendation else ""),
                      responsible=q.responsible), ()
    value = values[q.id]
    score, chosen = question_score(q, value)
    label = _answer_label(q, value, chosen)
    if score is None:
        return result(RECORDED, value=value, answer_label=label), ()
    levels: dict[tuple[str, Any], int] = {}
    for opt in chosen:  # multiple choice: a chosen option adds capabilities → highest level
        for cid, level in opt.criteria_for(model, qn.maturity_model).items():
            key = (cid, opt.applies_to)
            levels[key] = max(level, levels.get(key, level))
        for cid, level in opt.otherwise_for(model, qn.maturity_model).items():
            key = (cid, opt.otherwise_scope)  # the services outside applies_to
            levels[key] = max(level, levels.get(key, level))
    known = model.criterion_ids
    evidence = tuple((cid, Evidence(q.id, label, level,
                                    [(a, list(v)) for a, v in applies_to]))
                     for (cid, applies_to), level in levels.items() if cid in known)
    criteria = {cid: min(lv for (c, _), lv in levels.items() if c == cid) for cid, _ in levels}
    recommendation = responsible = None
    if score < 100:
        rec_opt = next((o for o in chosen if o.recommendation), None)
        rec = rec_opt.recommendation if rec_opt else q.recommendation
        resp_opt = next((o for o in chosen if o.responsible), None)
        recommendation = rec.de if rec else None
        responsible = resp_opt.responsible if resp_opt else q.responsible
    return result(ANSWERED, value=value, answer_label=label, score=score, counted=True,
                  criteria=criteria, recommendation=recommendation,
                  responsible=responsible), evidence


def _criteria_results(model: MaturityModel, evidence: dict[str, list[Evidence]],
                      asked: dict[str, list[str]], open_ids: set[str]
                      ) -> list[CriterionResult]:
    results = []
    for c in model.criteria:
        ev = evidence[c.id]
        if ev:
            # the weakest answer decides (minimum rule); answers restricted to some services
            # (applies_to) decide only where no answer holds for all services
            unscoped = [e for e in ev if not e.applies_to]
            general = unscoped or ev
            level = min(e.level for e in general)
            deciding = [e.question_id for e in general if e.level == level]
            reason = (f"schwächste Antwort: {', '.join(deciding)}" if len(general) > 1
                      else f"aus Frage {deciding[0]}")
            by_scope: dict[str, int] = {}
            for e in ev:
                if e.applies_to:
                    label = e.scope_label.removeprefix("nur ")
                    by_scope[label] = min(e.level, by_scope.get(label, e.level))
            if by_scope:
                reason += "; " + "; ".join(f"{lbl}: {lv}" for lbl, lv in by_scope.items())
            results.append(CriterionResult(c.id, c.name, level, model.level_name(level), reason,
                                           ev, deciding))
        else:
            reason = ("nicht gefragt: keine Frage des Fragebogens belegt dieses Kriterium"
                      if c.id not in asked else
                      "keine gegebene Antwort belegt es (offen, „trifft nicht zu“, ausgeblendet "
                      "oder gewählte Option ohne Bezug zu diesem Kriterium)")
            results.append(CriterionResult(c.id, c.name, None, "unbekannt", reason, [], [],
                                           [q for q in asked.get(c.id, []) if q in open_ids]))
    return results


def _recommendations(memory: Memory, areas: list[AreaResult], total_area_weight: float
                     ) -> list[Recommendation]:
    recs = [rec for area in areas for rec in memory.area_recommendations.get(
        (area,), total_area_weight, lambda: _area_recommendations(area, total_area_weight))]  # noqa: B023
    recs.sort(key=lambda r: (-r.gain, r.question_id))
    return recs


def _area_recommendations(area: AreaResult, total_area_weight: float) -> list[Recommendation]:
    counted_weight = area.counted_weight
    if not counted_weight or not total_area_weight or area.score is None:
        return []
    recs = []
    for q in area.questions:
        if not q.counted or q.score is None or q.score >= 100 or not q.recommendation:
            continue
        gain = (area.weight / total_area_weight) * (q.weight / counted_weight) * (100 - q.score)
        recs.append(Recommendation(
            question_id=q.id, area_id=area.id, question=q.text, text=q.recommendation,
            responsible=q.responsible,
            responsible_label=RESPONSIBLE.get(q.responsible or "", None),
            score=q.score, gain=gain, open=q.status == OPEN))
    return recs
