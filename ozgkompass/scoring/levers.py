"""The levers: which criteria, raised alone or two/three together, bring the most services
to their target, with the questionnaire's advice for each (docs/scoring.md, section 8).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from ozgkompass.memo import Memo
from ozgkompass.model.common import RESPONSIBLE
from ozgkompass.model.maturity import MaturityModel
from ozgkompass.model.questionnaire import Questionnaire
from ozgkompass.scoring.results import Lever, ServiceResult

MAX_COMBINATION = 3


def recommendation_for(assessment: Any, qn: Questionnaire | None,
                        cid: str) -> tuple[str | None, str | None]:
    """The questionnaire's advice for raising a criterion: from the deciding answers."""
    crit = assessment.criterion(cid)
    if crit is None:
        return None, None
    if crit.level is None:
        return (f"Im Fragebogen klären, wie es um „{crit.name}“ steht (bisher unbekannt).",
                None)
    for qid in crit.deciding:
        q = assessment.question(qid)
        if q is not None and q.recommendation:
            return q.recommendation, q.responsible
        if qn is not None:
            question = qn.question(qid)
            if question is not None and question.recommendation:
                return question.recommendation.de, question.responsible
    return None, None


def blocking(model: MaturityModel, held: dict[str, int]) -> list[tuple[str, str, int]]:
    """How many services each criterion holds back from their target, most first."""
    ranked = sorted(((n, model.criterion_ids.index(cid), cid) for cid, n in held.items() if n),
                    key=lambda t: (-t[0], t[1]))
    return [(cid, model.criterion(cid).name, n) for n, _, cid in ranked]  # type: ignore[union-attr]


_LeverSet = tuple[tuple[str, ...], list[int]]  # criteria, indices of the services unlocked


class LeverSets:
    """The lever sets for what each service needs raised, and the levers made of them per
    advice and levels of the deciding answers. Hashed by identity."""

    def __init__(self, model: MaturityModel, results: list[ServiceResult],
                 needs: list[frozenset[str]]) -> None:
        self.singles, self.combinations = _lever_sets(model, results, needs)
        self.candidates = sorted({c for combo, _ in (*self.singles, *self.combinations)
                                  for c in combo}, key=model.criterion_ids.index)
        self.levers: Memo[tuple[list[Lever], list[Lever]]] = Memo(8)


def _lever_sets(model: MaturityModel, results: list[ServiceResult],
                needs: list[frozenset[str]]) -> tuple[list[_LeverSet], list[_LeverSet]]:
    """Which criteria, raised alone or two/three together, bring the most services to target,
    with the services each set unlocks.

    A service not at target reaches it exactly when every criterion in its need set (below
    the needed level or unknown) is raised, so a lever set R unlocks service s iff
    need(s) ⊆ R. Need sets are counted once, which keeps this fast for 500+ services."""
    by_need: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, need in enumerate(needs):
        if need:
            by_need[need].append(i)
    candidates = sorted({c for need in by_need for c in need},
                        key=lambda c: model.criterion_ids.index(c))

    def unlocks(combo: tuple[str, ...]) -> list[int]:
        chosen = set(combo)
        return [i for need, group in by_need.items() if need <= chosen for i in group]

    def rank(ls: _LeverSet) -> tuple[float, int, int, list[str]]:
        return (-sum(results[i].weight for i in ls[1]), -len(ls[1]), len(ls[0]), list(ls[0]))

    unlocked_by: dict[tuple[str, ...], int] = {}
    singles: list[_LeverSet] = []
    for c in candidates:
        unlocked = unlocks((c,))
        unlocked_by[(c,)] = len(unlocked)
        if unlocked:
            singles.append(((c,), unlocked))
    singles.sort(key=rank)
    combos: list[_LeverSet] = []
    for size in range(2, MAX_COMBINATION + 1):
        best = []
        for combo in itertools.combinations(candidates, size):
            unlocked = unlocks(combo)
            unlocked_by[combo] = len(unlocked)
            # worth naming only if it unlocks more than any smaller part of it
            parts = (p for k in range(1, size) for p in itertools.combinations(combo, k))
            if unlocked and len(unlocked) > max(unlocked_by.get(p, 0) for p in parts):
                best.append((combo, unlocked))
        best.sort(key=rank)
        combos.extend(best[:3])
    return singles, combos


def levers(model: MaturityModel, assessment: Any, qn: Questionnaire | None,
           sets: LeverSets, results: list[ServiceResult]) -> tuple[list[Lever], list[Lever]]:
    """The lever sets of an outcome (its services `results`) with this assessment's levels
    and advice."""
    support = assessment.criteria_levels()
    recs = {c: recommendation_for(assessment, qn, c) for c in sets.candidates}
    key = (tuple(recs.items()), tuple(support.get(c) for c in sets.candidates))

    def build(combo: tuple[str, ...], indices: list[int]) -> Lever:
        unlocked = [results[i] for i in indices]
        at = [model.criterion_ids.index(c) for c in combo]  # rows follow the model's order
        chosen = [recs[c] for c in combo]
        texts = [r[0] for r in chosen if r[0]]
        resp = next((r[1] for r in chosen if r[1]), None)
        return Lever(
            criteria=list(combo),
            criterion_names=[model.criterion(c).name for c in combo],  # type: ignore[union-attr]
            current_levels=[support.get(c) for c in combo],
            needed_levels=[max((s.criteria[i].needed or 0) for s in unlocked) for i in at],
            unlocked=len(unlocked), unlocked_weight=sum(s.weight for s in unlocked),
            unlocked_ids=sorted(s.ozg_id for s in unlocked),
            efa_available=sum(1 for s in unlocked if s.efa_available),
            recommendation=" · ".join(dict.fromkeys(texts)) or None, responsible=resp,
            responsible_label=RESPONSIBLE.get(resp or "", None) if resp else None)

    found = sets.levers.get(key, lambda: ([build(*ls) for ls in sets.singles],
                                          [build(*ls) for ls in sets.combinations]))
    return list(found[0]), list(found[1])
