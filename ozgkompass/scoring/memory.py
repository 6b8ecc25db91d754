"""What a compiled run remembers while it scores many answer sets against the same
definitions (`scoring.compiled.Compiled.memory`): one `Memory` per compiled run, none
at module level, so a file scores the same whatever a run scored before it, and a new
`compile` starts empty.

Every cache is bounded (cleared when full), so memory stays flat however many files a
batch scores; what each keeps and what it saves: `benchmarks/score_batch.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozgkompass.memo import IdentityCache, Memo

if TYPE_CHECKING:
    from ozgkompass.scoring.assessment import (
        AreaResult,
        Evidence,
        QuestionResult,
        Recommendation,
        _Context,
    )
    from ozgkompass.scoring.catalogue import _Outcome, _Plan
    from ozgkompass.scoring.levers import LeverSets
    from ozgkompass.scoring.results import GroupResult, ServiceCriterion
    from ozgkompass.scoring.services import Kind, _Rows, _Rule


class Memory:
    """The caches of one compiled run, each named for what it holds."""

    __slots__ = ("area_recommendations", "areas", "contexts", "decided", "groups", "kinds",
                 "lever_sets", "outcomes", "plans", "questions", "row_lists", "row_sets",
                 "rules")

    def __init__(self) -> None:
        # questionnaire scores (scoring/assessment.py): per questionnaire and model its
        # context; in a batch the same question gets the same answer in many
        # municipalities, so its result is worked out once per answer
        self.contexts: IdentityCache[_Context] = IdentityCache(256)
        self.questions: Memo[tuple[QuestionResult, tuple[tuple[str, Evidence], ...]]] = (
            Memo(10_000))
        self.areas: IdentityCache[AreaResult] = IdentityCache(1_000)
        self.area_recommendations: IdentityCache[list[Recommendation]] = IdentityCache(1_000)
        # catalogue scores (scoring/catalogue.py): the plan of a catalogue and model, the
        # outcome of one set of criteria levels (~100 KB each), the groups following from
        # which kinds are at target, the lever sets from what each kind needs
        self.plans: IdentityCache[_Plan] = IdentityCache(256)
        self.outcomes: Memo[_Outcome] = Memo(32)
        self.groups: Memo[tuple[list[GroupResult], list[GroupResult]]] = Memo(500)
        self.lever_sets: Memo[LeverSets] = Memo(500)
        # kinds of services (scoring/services.py): a kind per attributes, the rows and rules
        # many kinds share, and what a rule decides under a support (<1 KB each)
        self.kinds: IdentityCache[Kind] = IdentityCache(2_000)
        self.rules: IdentityCache[_Rule] = IdentityCache(500)
        self.row_sets: IdentityCache[_Rows] = IdentityCache(500)
        self.decided: Memo[tuple[dict[str, Any], frozenset[str]]] = Memo(5_000)
        self.row_lists: Memo[list[ServiceCriterion]] = Memo(5_000)
