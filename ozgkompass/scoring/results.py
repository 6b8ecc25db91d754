"""The result types of scoring against the OZG catalogue: one service's levels and its
criteria rows, the services out of scope, the groups, levers and headline figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from typing import Any


@dataclass(frozen=True, slots=True)
class ServiceCriterion:
    id: str
    name: str
    applies: bool
    applies_label: str  # "ja", "nein (…)", "unbekannt – gilt vorsichtshalber"
    supported: int | None
    needed: int | None  # level this criterion needs so the target is not blocked by it


@dataclass(frozen=True, slots=True)
class ServiceResult:
    """One service's achievable level. In a batch, results (and their lists) are shared
    between municipalities with the same criteria levels: frozen, and their lists are
    never changed either. `with_today` makes the copy with a service's `today` figure."""

    ozg_id: str
    name: str
    themenfeld: str
    lage: str | None
    responsibility: str
    level: int
    level_name: str
    target: int
    target_name: str
    target_reason: str
    gap: int
    at_target: bool
    confirmed: bool  # False: depends on criteria whose support is unknown
    bottlenecks: list[str]  # criteria ids below what the target needs
    unknown_criteria: list[str]
    unknown_attributes: list[str]
    efa_available: bool | None
    efa_quick_win: bool
    weight: float
    criteria: list[ServiceCriterion] = field(default_factory=list)
    in_person: bool = False  # personal appearance required by law: level and target capped
    in_person_note: str | None = None
    next_level: int | None = None  # the level above today's, None at the top
    next_blockers: list[str] = field(default_factory=list)  # what holds it below next_level
    frontend_level: int | None = None  # under a model with back-office levels (2.0)
    backoffice_level: int | None = None
    # the two figures (docs/scoring.md §6a): `reachable` = `level`, what today's
    # infrastructure allows; `today` = what citizens can use now (None: unbestätigt)
    reachable: int = 0
    today: int | None = None
    today_name: str = "unbestätigt"
    today_online: bool | None = None  # said/observed online; None: nobody said
    today_source: str = "unbekannt"  # "antwort", "beobachtet" or "unbekannt"
    today_date: str | None = None
    today_at_target: bool = False  # online today and at its target

    def with_today(self, today: Mapping[str, Any]) -> ServiceResult:
        """This result with the `today` fields `today` (`scoring.today.today_fields`, the
        fields from `reachable` on): the constructor with the fields before them as they
        are, about half the time of `dataclasses.replace` (6 against 11 µs)."""
        return ServiceResult(*_BEFORE_TODAY(self), **today)


_SERVICE_FIELDS = [f.name for f in fields(ServiceResult)]
_BEFORE_TODAY = attrgetter(*_SERVICE_FIELDS[:_SERVICE_FIELDS.index("reachable")])


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """A service of the catalogue that this municipality does not execute (listed, not scored)."""

    ozg_id: str
    name: str
    themenfeld: str
    executed_by: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class GroupResult:
    name: str
    services: int
    at_target: int
    share: float | None
    weighted_share: float | None
    today_at_target: int = 0  # of the services: online today and at target


@dataclass(frozen=True, slots=True)
class Lever:
    criteria: list[str]
    criterion_names: list[str]
    current_levels: list[int | None]
    needed_levels: list[int]
    unlocked: int
    unlocked_weight: float
    unlocked_ids: list[str]
    efa_available: int  # of the unlocked services, how many have an EfA service to reuse
    recommendation: str | None
    responsible: str | None
    responsible_label: str | None


@dataclass(frozen=True, slots=True)
class ModelFigures:
    """The headline figures under another Reifegrad model (e.g. 2.0 next to the default 1.1)."""

    model: str
    title: str
    complete: bool
    in_scope: int
    at_target: int
    frontend_complete: int
    level_counts: dict[int, int]
    today_at_target: int = 0  # "heute online auf Zielstufe" under that model


@dataclass(frozen=True, slots=True)
class CatalogueResult:
    catalogue: dict[str, Any]
    model: str
    target_override: int | None
    weighting: str | None  # "case_volume", "priority" or None
    in_scope: int
    at_target: int
    share_at_target: float | None
    weighted_share_at_target: float | None
    unconfirmed: int
    by_themenfeld: list[GroupResult]
    by_lage: list[GroupResult]
    levers: list[Lever]
    combinations: list[Lever]
    blocking: list[tuple[str, str, int]]  # (criterion id, name, services it holds back)
    services: list[ServiceResult]
    out_of_scope: list[OutOfScope] = field(default_factory=list)
    scope_note: str = ""  # how the services in scope were chosen
    level_counts: dict[int, int] = field(default_factory=dict)  # services per achievable level
    compliant_level: int = 3
    frontend_level: int | None = None  # highest front-end level of the model (2.0: 3)
    frontend_complete: int = 0  # services whose front end is complete (level ≥ frontend level)
    in_person: int = 0  # services capped because they need personal appearance
    model_notice: str = ""
    other_models: list[ModelFigures] = field(default_factory=list)
    # "heute online auf Zielstufe" next to "mit der heutigen Infrastruktur erreichbar"
    # (`at_target` = `reachable_at_target`); docs/scoring.md §6a
    reachable_at_target: int = 0
    today_at_target: int = 0
    share_today_at_target: float | None = None
    today_online: int = 0  # said or observed online
    today_not_online: int = 0  # said or observed not online
    today_unconfirmed: int = 0  # nobody said anything: never counted as online
    today_sources: dict[str, int] = field(default_factory=dict)  # services per source
    # services named online/not online that are not scored (out of scope, not in catalogue)
    plausibility: list[str] = field(default_factory=list)

    def service(self, ozg_id: str) -> ServiceResult | None:
        return next((s for s in self.services if s.ozg_id == ozg_id), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
