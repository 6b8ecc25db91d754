"""The observation model: one download (or export file) of the Dashboard Digitale Verwaltung
for one Regionalschlüssel, its rows, and what it says per OZG-Leistung of the catalogue."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from ozgkompass.errors import Issue


class ObservedStatus(StrEnum):
    """What the dashboard shows for one OZG-Leistung at one Regionalschlüssel."""

    LISTED_OK = "listed_ok"  # an online service of this municipality, link ok
    LISTED_NOT_OK = "listed_not_ok"  # listed, but its link status is "nicht ok"
    LISTED_ABOVE = "listed_above"  # an online service of the Kreis, Land or Bund valid here
    NOT_LISTED = "not_listed"  # no online service listed here

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ObservedStatus.LISTED_OK: "gelistet, Link ok",
    ObservedStatus.LISTED_NOT_OK: "gelistet, Link nicht ok",
    ObservedStatus.LISTED_ABOVE: "gelistet über",  # + Kreis/Land/Bund (ObservedEntry.label)
    ObservedStatus.NOT_LISTED: "nicht gelistet",
}

# Which level an online service belongs to, from its own Regionalschlüssel (ARS).
LEVEL_LABELS = {"bund": "Bund", "land": "Land", "kreis": "Kreis",
                "verband": "Gemeindeverband", "hier": "diese Kommune", "unten": "untere Ebene"}


@dataclass(frozen=True)
class ObservedRow:
    """One row of the dashboard: a LeiKa service with an online service valid at `ars`."""

    leika_key: str
    leika_name: str | None
    ozg_id: str | None
    ozg_name: str | None
    ars: str | None  # the Regionalschlüssel the online service is registered for
    ars_name: str | None
    url: str | None
    online_status: str | None  # "ok" / "nicht ok" (link check of the dashboard)
    active: bool | None  # field `aktiv`
    coverage: str | None  # field `art_flaechendeckung`
    level: int | None = None  # a Reifegrad, only where an export carries one


@dataclass(frozen=True)
class Observation:
    """One retrieval for one Regionalschlüssel, as cached in the data folder."""

    ars: str
    name: str | None  # the dashboard's name of the Gebietskörperschaft
    source: str  # "Dashboard Digitale Verwaltung, <url>" or "Exportdatei <name>"
    retrieved: str  # ISO date and time (UTC) of the download or the import
    rows: tuple[ObservedRow, ...]
    issues: tuple[Issue, ...] = ()  # malformed rows that were skipped

    @property
    def date(self) -> str:
        return self.retrieved[:10]

    def to_dict(self) -> dict[str, Any]:
        return {"ars": self.ars, "name": self.name, "source": self.source,
                "retrieved": self.retrieved, "rows": [asdict(r) for r in self.rows],
                "issues": [i.to_dict() for i in self.issues]}


@dataclass(frozen=True)
class ObservedEntry:
    """What the observation says about one OZG-Leistung of the catalogue (the input the
    per-service `today` level takes as `observed`, keyed by OZG-ID)."""

    ozg_id: str
    name: str
    status: ObservedStatus
    via: str | None  # for LISTED_ABOVE (and a not-ok link above): bund | land | kreis | verband
    level: int | None  # a Reifegrad where the data gives one (the public API gives none)
    online: bool | None  # counts as online on the dashboard: True, False, None (link not ok)
    urls: tuple[str, ...]
    link_status: str | None  # "ok" / "nicht ok" of the best listed online service
    leika_keys: tuple[str, ...]  # the LeiKa keys of the rows that matched
    source: str
    date: str  # ISO date of the retrieval

    @property
    def label(self) -> str:
        if self.status is ObservedStatus.LISTED_ABOVE or (
                self.status is ObservedStatus.LISTED_NOT_OK and self.via):
            where = LEVEL_LABELS.get(self.via or "", self.via or "")
            if self.status is ObservedStatus.LISTED_ABOVE:
                return f"gelistet über {where}"
            return f"gelistet über {where}, Link nicht ok"
        return self.status.label

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        data["label"] = self.label
        return data


@dataclass(frozen=True)
class Joined:
    """An observation joined with a catalogue: per OZG-ID, and what matched nothing."""

    entries: dict[str, ObservedEntry]
    unmatched: tuple[ObservedRow, ...]  # rows whose LeiKa key and OZG-ID are not in it
    below: int  # rows of places below this one or elsewhere (not counted)
    inactive: int  # rows marked `aktiv: nein` (not counted)
