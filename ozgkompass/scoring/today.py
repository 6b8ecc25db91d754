"""Two figures per OZG-Leistung: `today` and `reachable` (docs/scoring.md, section 6a).

`reachable` is what today's infrastructure allows (the level the criteria support, worked
out in scoring/services.py). `today` is the level of what citizens can use now: a
Reifegrad belongs to an existing online service (BMI). It needs a statement per service:
the municipality's answer (question type `services_online`), or observed data (Dashboard
Digitale Verwaltung, passed in as `observed`). The rule:

- an answer wins; without an answer an observation fills it; else the service is
  "unbestätigt" today and never counted as online;
- said/observed online: today = reachable (the level its criteria support);
- said/observed not online: today = at most the model's level for what goes online
  without an online application (information, appointment, form download: 1.1 level 2);
- "heute online auf Zielstufe" only for services that are online and at their target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozgkompass.model.maturity import MaturityModel

SOURCE_ANSWER = "antwort"  # the municipality's answer (question type services_online)
SOURCE_OBSERVED = "beobachtet"  # observed data, e.g. Dashboard Digitale Verwaltung
SOURCE_UNKNOWN = "unbekannt"  # nobody said anything: today is "unbestätigt"
SOURCE_LABELS = {SOURCE_ANSWER: "Angabe der Kommune", SOURCE_OBSERVED: "beobachtet",
                 SOURCE_UNKNOWN: "unbestätigt"}
UNCONFIRMED = "unbestätigt"
ONLINE, NOT_ONLINE = "online", "nicht_online"  # keys of a services_online answer


@dataclass(frozen=True)
class TodayLevel:
    """What is known of one service today: online or not, who says so and when.

    `online` None: nobody said anything. `detail` may carry a URL or link status of an
    observed online service; `date` is an ISO date (interview date, month of observation)."""

    online: bool | None
    source: str = SOURCE_UNKNOWN
    date: str | None = None
    detail: str | None = None


UNKNOWN = TodayLevel(None)


def offline_cap(model: MaturityModel) -> int:
    """The highest level a service without an online application reaches: information,
    appointment, form download (the model's `in_person_level`, else one below compliant)."""
    cap = model.in_person_level if model.in_person_level is not None \
        else model.compliant_level - 1
    return int(min(cap, model.compliant_level - 1))


def answered_statements(assessment: Any) -> dict[str, TodayLevel]:
    """The municipality's own statements per OZG-ID, from the answered question of type
    `services_online` (none in questionnaires before ozg-kommune 1.2.0)."""
    date = getattr(getattr(assessment, "interview", None), "date", None)
    out: dict[str, TodayLevel] = {}
    for area in getattr(assessment, "areas", ()):
        for q in area.questions:
            if q.type != "services_online" or not isinstance(q.value, dict):
                continue
            for key, online in ((NOT_ONLINE, False), (ONLINE, True)):  # online wins a clash
                for ozg_id in q.value.get(key) or ():
                    out[str(ozg_id)] = TodayLevel(online, SOURCE_ANSWER, date, q.id)
    return out


def statement_for(ozg_id: str, answered: Mapping[str, TodayLevel],
                  observed: Mapping[str, TodayLevel] | None) -> TodayLevel:
    """An answer wins; without an answer an observation fills it; else unknown."""
    found = answered.get(ozg_id)
    if found is not None and found.online is not None:
        return found
    seen = observed.get(ozg_id) if observed else None
    if seen is not None and seen.online is not None:
        if seen.source == SOURCE_OBSERVED:
            return seen
        return TodayLevel(seen.online, SOURCE_OBSERVED, seen.date, seen.detail)
    return UNKNOWN


def today_fields(model: Any, service: Any, said: TodayLevel, cap: int) -> dict[str, Any]:
    """The `today` fields of one ServiceResult (and `reachable`, today's per-service figure)."""
    return today_of(model, service.level, service.level_name, service.at_target, said, cap)


def today_of(model: Any, level: int, level_name: str, at_target: bool, said: TodayLevel,
             cap: int) -> dict[str, Any]:
    """`today_fields` of a service with this level, its name and whether it is at target."""
    if said.online is None:
        today, name, at = None, UNCONFIRMED, False
    elif said.online:
        today, at, name = level, at_target, level_name
    else:
        today, at = min(level, cap), False
        name = model.level_name(today) + ", nicht online"
    return dict(reachable=level, today=today, today_name=name, today_online=said.online,
                today_source=said.source, today_date=said.date, today_at_target=at)


def source_label(source: str, date: str | None) -> str:
    """"Angabe der Kommune, 2026-05-19" / "beobachtet, 2026-11" / "unbestätigt"."""
    label = SOURCE_LABELS.get(source, source)
    return f"{label}, {date}" if date and source != SOURCE_UNKNOWN else label
