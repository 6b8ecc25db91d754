"""What a scoring run is scored against, resolved once: the questionnaire, the Reifegrad
model, the OZG catalogue (None: the questionnaire alone), the model that replaced it (its
headline figures are shown beside, docs/scoring.md §6) and a target level for all services.
"""

from __future__ import annotations

from dataclasses import dataclass

from ozgkompass.model.catalogue import Catalogue
from ozgkompass.model.maturity import MaturityModel
from ozgkompass.model.questionnaire import Questionnaire


@dataclass(frozen=True, slots=True)
class Definitions:
    questionnaire: Questionnaire
    model: MaturityModel
    catalogue: Catalogue | None = None
    successor: MaturityModel | None = None
    target: int | None = None

    @classmethod
    def resolve(cls, questionnaire: Questionnaire, model: MaturityModel,
                catalogue: Catalogue | None = None, *, target: int | None = None,
                with_successor: bool = False) -> Definitions:
        """The definitions of a run; `with_successor` looks up the model that replaced
        `model` (none if it was not replaced or the target lies above its levels)."""
        successor = None
        if with_successor and catalogue is not None and model.replaced_by:
            from ozgkompass.model.maturity import get_model

            found = get_model(model.replaced_by)
            if target is None or target <= found.highest_level:
                successor = found
        return cls(questionnaire, model, catalogue, successor, target)
