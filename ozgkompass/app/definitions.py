"""The definitions a command scores against, resolved once per command.

`Choice` is what the user named (options of `score`, `report`, `explain`, `plan`, …);
`resolve_definitions` turns it, with the answers' questionnaire id and version, into one
`Definitions` object: questionnaire, maturity model, catalogue, successor model, target.
Nothing below `app` looks these up again for the same command.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ozgkompass.errors import UserError
from ozgkompass.scoring.definitions import Definitions as ScoringDefinitions

if TYPE_CHECKING:
    from ozgkompass.model.answers import AnswerSet
    from ozgkompass.model.catalogue import Catalogue
    from ozgkompass.model.maturity import MaturityModel
    from ozgkompass.model.questionnaire import Questionnaire

__all__ = ["Choice", "Definitions", "questionnaire_for", "resolve_definitions"]


@dataclass(frozen=True, slots=True)
class Choice:
    """What the user named on the command line; None: the default (the questionnaire's model,
    no catalogue, the OZG target level)."""

    questionnaire: Path | None = None  # a questionnaire file instead of the look-up by id
    questionnaires_dir: Path | None = None  # the user's own questionnaires
    model: str | None = None  # a bundled model's id or a model file
    catalogue: str | None = None  # "kommunal", an imported catalogue's id or a path
    target: int | None = None  # one target level for all services


@dataclass(frozen=True, slots=True)
class Definitions:
    """Everything definition-level a municipality is scored against (the same for every
    municipality of a command): what scoring takes (`scoring`), and where it came from
    (provenance)."""

    scoring: ScoringDefinitions
    catalogue_ref: str | None = None  # as the user named it
    questionnaire_path: Path | None = None  # the file given with --questionnaire

    @property
    def questionnaire(self) -> Questionnaire:
        return self.scoring.questionnaire

    @property
    def model(self) -> MaturityModel:
        return self.scoring.model

    @property
    def catalogue(self) -> Catalogue | None:
        return self.scoring.catalogue

    @property
    def successor(self) -> MaturityModel | None:
        """The model that replaced `model`, if it applies."""
        return self.scoring.successor

    @property
    def target(self) -> int | None:
        return self.scoring.target


def questionnaire_for(aset: AnswerSet, choice: Choice) -> Questionnaire:
    """The questionnaire the answers belong to: the given file, or the one with the
    answers' id and version (a user folder wins over the built-in ones)."""
    from ozgkompass.model.questionnaire import load_questionnaire
    from ozgkompass.model.registry import find_questionnaire

    if choice.questionnaire is not None:
        return load_questionnaire(choice.questionnaire)
    return find_questionnaire(aset.questionnaire.id, aset.questionnaire.version,
                              choice.questionnaires_dir)


def resolve_definitions(aset: AnswerSet, choice: Choice, *,
                        questionnaire: Questionnaire | None = None) -> Definitions:
    """Questionnaire (unless already found), model, catalogue and successor for these
    answers, in this order (so the first wrong option is the one reported)."""
    from ozgkompass.model.maturity import get_model

    qn = questionnaire if questionnaire is not None else questionnaire_for(aset, choice)
    mm = get_model(choice.model or qn.maturity_model)
    cat = None
    target = choice.target
    if choice.catalogue is not None:
        from ozgkompass.catalogue.store import resolve_catalogue

        cat = resolve_catalogue(choice.catalogue)
        if target is not None and not mm.lowest_level <= target <= mm.highest_level:
            raise UserError(f"--target {target} liegt außerhalb der Stufen von {mm.id} "
                            f"({mm.lowest_level}–{mm.highest_level}).")
    # the successor's headline figures are shown beside (docs/scoring.md §6)
    scoring = ScoringDefinitions.resolve(qn, mm, cat, target=target, with_successor=True)
    return Definitions(scoring, choice.catalogue, choice.questionnaire)
