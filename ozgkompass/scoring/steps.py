"""The one ranking of next steps that every output shows (docs/scoring.md, section 9).

Pure function over a scored `Assessment`: first the steps that bring OZG-Leistungen to
their target (chosen one after the other, each time the one that adds the most services
given the steps before it), then the questionnaire's recommendations by index gain. The
terminal, the Excel, HTML and PDF reports, the briefing and `score --json` read this list;
none of them orders steps on its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ozgkompass.model.common import RESPONSIBLE

# effort class by how far the answers behind a step are from the full answer (points of
# the question's 0–100 score still missing); a step that only clarifies is "gering"
EFFORT_HIGH, EFFORT_MEDIUM = 60.0, 30.0
# the time frame a reader may expect for each class: a rough guide, not a plan
TIME_FRAMES = {"gering": "eher Wochen", "mittel": "eher Monate",
               "hoch": "eher ein Jahr oder länger"}
MAX_TOGETHER = 3  # criteria raised together in one step, as the catalogue's levers
KIND_SERVICES, KIND_RECOMMENDATION, KIND_CLARIFY = "leistungen", "empfehlung", "klärung"


@dataclass
class NextStep:
    rank: int
    text: str
    responsible: str | None  # kommune, it_dienstleister, land (from the chosen answers)
    responsible_label: str
    effort: str  # gering, mittel, hoch
    time_frame: str
    kind: str  # leistungen: brings services to target; empfehlung; klärung (open question)
    index_gain: float  # points the OZG-Reifeindex would gain
    # services that reach their target with this step (after the steps ranked before it),
    # as far as the infrastructure allows ("erreichbar")
    unlocks_reachable: int
    unlocks_reachable_ids: list[str] = field(default_factory=list)
    # of those, the services citizens can use online today (said or observed online,
    # docs/scoring.md §6a): they would be "heute online auf Zielstufe" with this step;
    # None without a catalogue
    unlocks_today: int | None = None
    criteria: list[str] = field(default_factory=list)
    criterion_names: list[str] = field(default_factory=list)
    question_ids: list[str] = field(default_factory=list)


def next_steps(a: Any) -> list[NextStep]:
    """Every next step of an assessment, in the one order all outputs use."""
    gains = {r.question_id: r for r in a.recommendations}
    steps: list[NextStep] = []
    used: set[str] = set()
    for criteria, unlocked in _service_steps(a):
        qids, texts, resp = _actions(a, criteria)
        recs = [gains[q] for q in qids if q in gains]
        names = [_criterion_name(a, c) for c in criteria]
        text = " ".join(dict.fromkeys(texts)) or (
            "„" + "“ und „".join(names) + "“ so ausbauen, dass die Leistungen ihre Zielstufe "
            "erreichen.")
        clarify = any(a.criterion(c) is not None and a.criterion(c).level is None
                      for c in criteria)
        steps.append(_step(a, text, resp, recs, qids, KIND_CLARIFY if clarify
                           else KIND_SERVICES, unlocked, criteria, names))
        used.update(qids)
    for r in a.recommendations:
        if r.question_id in used:
            continue
        used.add(r.question_id)
        steps.append(_step(a, r.text, r.responsible, [r], [r.question_id],
                           KIND_CLARIFY if r.open else KIND_RECOMMENDATION, [], [], []))
    for i, s in enumerate(steps, 1):
        s.rank = i
    return steps


def _step(a: Any, text: str, responsible: str | None, recs: list[Any], qids: list[str],
          kind: str, unlocked: list[str], criteria: list[str], names: list[str]) -> NextStep:
    effort = _effort(a, qids, kind)
    c = getattr(a, "catalogue", None)
    online = {r.ozg_id for r in c.services if r.today_online} if c is not None else None
    return NextStep(
        rank=0, text=text, responsible=responsible,
        responsible_label=RESPONSIBLE.get(responsible or "", "Kommune"),
        effort=effort, time_frame=TIME_FRAMES[effort], kind=kind,
        index_gain=sum(r.gain for r in recs), unlocks_reachable=len(unlocked),
        unlocks_reachable_ids=sorted(unlocked),
        unlocks_today=None if online is None else sum(1 for i in unlocked if i in online),
        criteria=list(criteria),
        criterion_names=list(names), question_ids=list(qids))


def _effort(a: Any, qids: list[str], kind: str) -> str:
    if kind == KIND_CLARIFY:
        return "gering"
    missing = max((100.0 - (q.score or 0.0) for q in map(a.question, qids)
                   if q is not None and q.counted), default=0.0)
    return "hoch" if missing >= EFFORT_HIGH else "mittel" if missing >= EFFORT_MEDIUM \
        else "gering"


def _criterion_name(a: Any, cid: str) -> str:
    c = a.criterion(cid)
    return c.name if c is not None else cid


def _service_steps(a: Any) -> list[tuple[list[str], list[str]]]:
    """Criteria to raise, step by step, with the services each step brings to target.

    A service below target reaches it once every criterion it needs raised (its
    bottlenecks and unknown criteria) is raised. Each round takes the single criterion
    that adds the most services (weighted like the catalogue's levers, then by count);
    when no single criterion adds one, the smallest set that does (up to three) becomes
    one step. Ties follow the model's order of criteria."""
    c = a.catalogue
    if c is None:
        return []
    order = {cr.id: i for i, cr in enumerate(a.criteria)}
    needs = [(frozenset([*s.bottlenecks, *s.unknown_criteria]), s.ozg_id, s.weight)
             for s in c.services if not s.at_target]
    needs = [n for n in needs if n[0]]
    candidates = sorted({cid for need, _, _ in needs for cid in need},
                        key=lambda x: order.get(x, len(order)))
    done: set[str] = set()
    open_needs = list(needs)
    out: list[tuple[list[str], list[str]]] = []

    def gain(extra: tuple[str, ...]) -> tuple[float, int, list[str]]:
        chosen = done | set(extra)
        hit = [(oid, w) for need, oid, w in open_needs if need <= chosen]
        return sum(w for _, w in hit), len(hit), [oid for oid, _ in hit]

    while open_needs:
        best: tuple[tuple[str, ...], tuple[float, int, list[str]]] | None = None
        for size in range(1, MAX_TOGETHER + 1):
            for combo in itertools.combinations([x for x in candidates if x not in done],
                                                size):
                g = gain(combo)
                if g[1] and (best is None or (g[0], g[1]) > (best[1][0], best[1][1])):
                    best = (combo, g)
            if best is not None:
                break
        if best is None:
            break
        combo, (_, _, ids) = best
        done.update(combo)
        hit = set(ids)
        open_needs = [n for n in open_needs if n[1] not in hit]
        out.append((list(combo), ids))
    return out


def _actions(a: Any, criteria: list[str]) -> tuple[list[str], list[str], str | None]:
    """The questions whose answers hold the criteria back, their advice and who acts."""
    qids: list[str] = []
    texts: list[str] = []
    resp: str | None = None
    for cid in criteria:
        crit = a.criterion(cid)
        if crit is None:
            continue
        ids = crit.deciding if crit.level is not None else crit.settled_by
        if crit.level is None and not ids:
            texts.append(f"Klären, wie es um „{crit.name}“ steht; bisher sagt keine Antwort "
                         "etwas dazu.")
        for qid in ids:
            q = a.question(qid)
            if q is None or qid in qids:
                continue
            qids.append(qid)
            if q.recommendation:
                texts.append(q.recommendation)
                resp = resp or q.responsible
            resp = resp or q.owner
    return qids, texts, resp


def summary_steps(a: Any, limit: int) -> list[dict[str, Any]]:
    """The first steps as the stored summary keeps them (what, who, why), read by the
    progress report's short version."""
    out = []
    steps = a.next_steps if hasattr(a, "next_steps") else next_steps(a)
    for s in steps[:limit]:
        out.append({"what": s.text, "who": s.responsible_label, "why": why(s)})
    return out


def why(s: NextStep) -> str:
    """What a step achieves, in one sentence."""
    if s.unlocks_reachable:
        n = s.unlocks_reachable
        return (f"Damit könnte{'n' if n != 1 else ''} {n} weitere OZG-Leistung"
                f"{'en' if n != 1 else ''} ihre Zielstufe erreichen.")
    return f"Hebt den Reifeindex um etwa {s.index_gain:.1f} Punkte.".replace(".", ",", 1)
