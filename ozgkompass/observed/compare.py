"""The observation joined with the catalogue, and compared with what the answers say.

`observed_entries` gives, per OZG-ID of the catalogue, what the dashboard shows (the input
of the per-service `today` level); `compare` puts it beside the answers, contradictions
first, each with what to do, and builds the Pflege-Liste. The rules: docs/observe.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ozgkompass.model.catalogue import Catalogue, OzgService
from ozgkompass.observed.ddv import age_days, ancestors, load_cached
from ozgkompass.observed.model import (
    LEVEL_LABELS,
    Joined,
    Observation,
    ObservedEntry,
    ObservedRow,
    ObservedStatus,
)

# Which OZG-Leistungen an option of ozg-kommune 1.1.0 named (the built-in catalogue's
# OZG-IDs); 1.2.0 asks per OZG-ID instead (question type services_online).
OPTION_SERVICES: dict[str, dict[str, tuple[str, ...]]] = {
    "portal_local_services": {
        "meldebescheinigung": ("10559",), "wohnsitzanmeldung": ("10124",),
        "gewerbe": ("10294",), "urkunden": ("10557", "10026", "10237"),
        "hundesteuer": ("10160",), "kita": ("10019",), "parken": ("10173",),
        "sondernutzung": ("10348",),
    },
    "portal_county_services": {
        "kfz": ("10439",), "bauantrag": ("10519",), "wohngeld": ("10092",),
        "elterngeld": ("10000",), "fuehrerschein": ("10169",), "aufenthalt": ("10255",),
    },
}
COUNT_QUESTION = "portal_online_services_count"

# nearest level first: an online service of the Kreis says more about this place than the Bund's
_NEAREST = ("verband", "kreis", "land", "bund")

ACTION_MAINTAIN = "Zuständigkeit und Online-Dienst im Redaktionssystem pflegen"
ACTION_LINK = "Link prüfen"
ACTION_ANSWER = "Antwort korrigieren"

AGREE = "stimmt überein"
CONTRADICTION = "Widerspruch"
OBSERVED_ONLY = "nur beobachtet"


# --- join ----------------------------------------------------------------------------------


def place_of(row: ObservedRow, ars: str) -> str:
    """Where a row's online service belongs, seen from `ars`: hier, verband, kreis, land,
    bund, unten (a municipality below) or fremd (neither above nor below); the last two
    are not counted for this ARS."""
    if row.ars is None or row.ars == ars:
        coverage = (row.coverage or "").lower()
        if row.ars is None and coverage.startswith("bundesweit"):
            return "bund"
        if row.ars is None and coverage.startswith("landesweit"):
            return "land"
        return "hier"
    above = ancestors(ars)
    if row.ars in above:
        return above[row.ars]
    significant = ars.rstrip("0")
    if len(significant) < 12 and row.ars.startswith(significant):
        return "unten"
    return "fremd"


def join(observation: Observation, catalogue: Catalogue) -> Joined:
    """Rows matched to the catalogue's OZG-Leistungen by LeiKa key, else by OZG-ID."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for svc in catalogue.services:
        for leika in svc.leika:
            if leika.key:
                by_key[leika.key].add(svc.ozg_id)
    matched: dict[str, list[tuple[ObservedRow, str]]] = defaultdict(list)
    unmatched: list[ObservedRow] = []
    below = inactive = 0
    for row in observation.rows:
        place = place_of(row, observation.ars)
        if place in ("unten", "fremd"):  # below, or a place neither above nor below
            below += 1
            continue
        if row.active is False:
            inactive += 1
            continue
        ids = set(by_key.get(row.leika_key, ()))
        if row.ozg_id and catalogue.get(row.ozg_id) is not None:
            ids.add(row.ozg_id)
        if not ids:
            unmatched.append(row)
        for ozg_id in ids:
            matched[ozg_id].append((row, place))
    entries = {svc.ozg_id: _entry(svc, matched.get(svc.ozg_id, []), observation)
               for svc in catalogue.services}
    return Joined(entries, tuple(unmatched), below, inactive)


def observed_entries(observation: Observation, catalogue: Catalogue) -> dict[str, ObservedEntry]:
    """Per OZG-ID of the catalogue: what the dashboard shows (status, level where the data
    gives one, URLs, link status, source, date). The input `observed` of the per-service
    `today` level."""
    return join(observation, catalogue).entries


def observed_for(municipality: Any, catalogue: Catalogue) -> dict[str, ObservedEntry] | None:
    """`observed_entries` from the cached retrieval for a municipality's ARS; None when it has
    no ARS or nothing was retrieved for it (works offline: reads only the cache)."""
    observation = cached_for(municipality)
    return None if observation is None else observed_entries(observation, catalogue)


def today_levels(entries: dict[str, ObservedEntry]) -> dict[str, Any]:
    """The observed entries as the `observed` input of the per-service `today` level
    (docs/scoring.md §6a): online as the dashboard counts it, source "beobachtet", the
    retrieval's date; a listed service whose link is "nicht ok" says nothing (None)."""
    from ozgkompass.scoring.today import SOURCE_OBSERVED, TodayLevel

    return {ozg_id: TodayLevel(e.online, SOURCE_OBSERVED, e.date,
                               f"{e.label}; {e.source}")
            for ozg_id, e in entries.items()}


def observed_today(municipality: Any, catalogue: Catalogue | None) -> dict[str, Any] | None:
    """`today_levels` of the cached retrieval for a municipality (None without one or
    without a catalogue); reads only the cache, never the network."""
    if catalogue is None:
        return None
    entries = observed_for(municipality, catalogue)
    return None if entries is None else today_levels(entries)


def cached_for(municipality: Any) -> Observation | None:
    from ozgkompass.observed.cache import ars_of

    ars = ars_of(municipality)  # load_cached looks for the file itself
    return None if ars is None else load_cached(ars)


def _entry(svc: OzgService, rows: list[tuple[ObservedRow, str]],
           observation: Observation) -> ObservedEntry:
    def ok(row: ObservedRow) -> bool:
        return row.online_status != "nicht ok"

    here = [r for r, p in rows if p == "hier" and ok(r)]
    above = sorted(((r, p) for r, p in rows if p != "hier" and ok(r)),
                   key=lambda rp: _NEAREST.index(rp[1]))
    broken = sorted(((r, p) for r, p in rows if not ok(r)),
                    key=lambda rp: -1 if rp[1] == "hier" else _NEAREST.index(rp[1]))
    via: str | None = None
    if here:
        status, deciding, online = ObservedStatus.LISTED_OK, here, True
    elif above:
        status, online = ObservedStatus.LISTED_ABOVE, True
        via = above[0][1]
        deciding = [r for r, p in above if p == above[0][1]]
    elif broken:
        status, online = ObservedStatus.LISTED_NOT_OK, None
        place = broken[0][1]
        via = None if place == "hier" else place
        deciding = [r for r, p in broken if p == place]
    else:
        status, deciding, online = ObservedStatus.NOT_LISTED, [], False
    levels = [r.level for r in deciding if r.level is not None]
    return ObservedEntry(
        ozg_id=svc.ozg_id, name=svc.name, status=status, via=via,
        level=max(levels) if levels else None, online=online,
        urls=tuple(dict.fromkeys(r.url for r in deciding if r.url)),
        link_status=deciding[0].online_status if deciding else None,
        leika_keys=tuple(dict.fromkeys(r.leika_key for r, _ in rows)),
        source=observation.source, date=observation.date)


# --- comparison ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceComparison:
    ozg_id: str
    name: str
    answer: str  # "online" | "nicht online" | "keine Angabe"
    answer_question: str | None  # the question whose answer says so
    observed: ObservedEntry
    agreement: str  # Widerspruch | stimmt überein | nur beobachtet
    action: str | None
    explanation: str
    priority: int | None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["observed"] = self.observed.to_dict()
        return data


@dataclass(frozen=True)
class Comparison:
    ars: str
    name: str | None
    source: str
    date: str
    age_days: int
    scope_note: str
    services: tuple[ServiceComparison, ...]  # in scope; contradictions first
    care_list: tuple[ServiceComparison, ...]  # Pflege-Liste: in scope, nothing listed here
    count_answer: int | None  # portal_online_services_count
    count_observed: int  # services in scope listed online (here or above)
    count_observed_here: int  # of them, with an online service of this municipality
    count_note: str | None
    unmatched: int
    below: int
    inactive: int
    skipped_rows: int

    @property
    def contradictions(self) -> tuple[ServiceComparison, ...]:
        return tuple(s for s in self.services if s.agreement == CONTRADICTION)

    @property
    def broken_links(self) -> tuple[ServiceComparison, ...]:
        return tuple(s for s in self.services
                     if s.observed.status is ObservedStatus.LISTED_NOT_OK)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ars": self.ars, "name": self.name, "source": self.source, "date": self.date,
            "age_days": self.age_days, "scope_note": self.scope_note,
            "contradictions": len(self.contradictions),
            "services": [s.to_dict() for s in self.services],
            "care_list": [s.ozg_id for s in self.care_list],
            "count": {"answer": self.count_answer, "observed": self.count_observed,
                      "observed_here": self.count_observed_here, "note": self.count_note},
            "unmatched_rows": self.unmatched, "rows_below": self.below,
            "rows_inactive": self.inactive, "skipped_rows": self.skipped_rows,
        }


def answers_by_service(aset: Any) -> dict[str, tuple[bool, str]]:
    """What the answers say per OZG-ID: (online?, question id). Only answered questions
    speak; "trifft nicht zu" and open answers say nothing. From questionnaire 1.2.0 on, a
    question of type `services_online` names OZG-IDs (`{online: […], nicht_online: […]}`);
    an answer file of 1.1.0 that was not migrated still speaks through its example lists."""
    said: dict[str, tuple[bool, str]] = {}
    if aset is None:
        return said
    for qid, answer in (getattr(aset, "answers", None) or {}).items():
        value = getattr(answer, "value", None)
        if not getattr(answer, "answered", False) or not isinstance(value, dict):
            continue
        for key, online in (("nicht_online", False), ("online", True)):  # online wins a clash
            for ozg_id in value.get(key) or ():
                said[str(ozg_id)] = (online, qid)
    if said:
        return said
    for qid, options in OPTION_SERVICES.items():
        answer = aset.get(qid)
        if answer is None or not answer.answered:
            continue
        chosen = set(answer.value if isinstance(answer.value, list) else [answer.value])
        for option, ids in options.items():
            for ozg_id in ids:
                said[ozg_id] = (option in chosen, qid)
    return said


def _judge(says: bool | None, entry: ObservedEntry) -> tuple[str, str | None, str]:
    """The agreement rule (docs/observe.md): agreement, action, explanation."""
    st = entry.status
    where = LEVEL_LABELS.get(entry.via or "", "")
    if says is None:
        if st is ObservedStatus.LISTED_NOT_OK:
            return OBSERVED_ONLY, ACTION_LINK, "Keine Antwort; der Link des Online-Dienstes " \
                "meldet „nicht ok“."
        if st is ObservedStatus.NOT_LISTED:
            return OBSERVED_ONLY, ACTION_MAINTAIN, "Keine Antwort; das Dashboard führt hier " \
                "keinen Online-Dienst."
        return OBSERVED_ONLY, None, "Keine Antwort; das Dashboard führt einen Online-Dienst" \
            + (f" ({where})." if st is ObservedStatus.LISTED_ABOVE else ".")
    if says:
        if st is ObservedStatus.LISTED_OK:
            return AGREE, None, "Antwort und Dashboard: online."
        if st is ObservedStatus.LISTED_ABOVE:
            return AGREE, None, f"Antwort: online; das Dashboard führt einen Online-Dienst " \
                f"({where}), der hier gilt."
        if st is ObservedStatus.LISTED_NOT_OK:
            return CONTRADICTION, ACTION_LINK, "Antwort: online; das Dashboard führt den " \
                "Online-Dienst, sein Link meldet aber „nicht ok“."
        return CONTRADICTION, ACTION_MAINTAIN, "Antwort: online; das Dashboard führt hier " \
            "keinen Online-Dienst. Ist er nutzbar, fehlt die Verknüpfung im " \
            "Redaktionssystem; sonst die Antwort korrigieren."
    if st is ObservedStatus.LISTED_OK:
        return CONTRADICTION, ACTION_ANSWER, "Antwort: nicht online; das Dashboard führt " \
            "einen Online-Dienst dieser Kommune mit Link „ok“."
    if st is ObservedStatus.LISTED_ABOVE:
        return CONTRADICTION, ACTION_ANSWER, f"Antwort: nicht online; ein Online-Dienst " \
            f"({where}) gilt hier. Prüfen, ob er genutzt werden kann, dann die Antwort " \
            "korrigieren."
    if st is ObservedStatus.LISTED_NOT_OK:
        return AGREE, ACTION_LINK, "Antwort: nicht online; der gelistete Online-Dienst " \
            "meldet „nicht ok“."
    return AGREE, ACTION_MAINTAIN, "Antwort und Dashboard: nicht online."


_ORDER = {CONTRADICTION: 0, OBSERVED_ONLY: 2, AGREE: 1}


def compare(observation: Observation, catalogue: Catalogue, municipality: Any,
            aset: Any = None, today: date | None = None) -> Comparison:
    """Answers beside the observation for the services in scope, contradictions first."""
    from ozgkompass.scoring.scope import services_in_scope

    joined = join(observation, catalogue)
    in_scope, note = services_in_scope(catalogue, municipality)
    said = answers_by_service(aset)
    rows: list[ServiceComparison] = []
    for svc in in_scope:
        entry = joined.entries[svc.ozg_id]
        says, qid = said.get(svc.ozg_id, (None, None))
        agreement, action, text = _judge(says, entry)
        rows.append(ServiceComparison(
            ozg_id=svc.ozg_id, name=svc.name,
            answer="keine Angabe" if says is None else "online" if says else "nicht online",
            answer_question=qid, observed=entry, agreement=agreement, action=action,
            explanation=text, priority=svc.priority))
    rows.sort(key=lambda s: (_ORDER[s.agreement], s.action is None, -(s.priority or 0),
                             s.name))
    care = sorted((s for s in rows if s.observed.status is ObservedStatus.NOT_LISTED),
                  key=lambda s: (-(s.priority or 0), s.name))
    online = [s for s in rows if s.observed.online]
    here = [s for s in online if s.observed.status is ObservedStatus.LISTED_OK]
    count_answer = _count_answer(aset)
    return Comparison(
        ars=observation.ars, name=observation.name, source=observation.source,
        date=observation.date, age_days=age_days(observation, today), scope_note=note,
        services=tuple(rows), care_list=tuple(care), count_answer=count_answer,
        count_observed=len(online), count_observed_here=len(here),
        count_note=_count_note(count_answer, len(online)),
        unmatched=len(joined.unmatched), below=joined.below, inactive=joined.inactive,
        skipped_rows=len(observation.issues))


def _count_answer(aset: Any) -> int | None:
    answer = aset.get(COUNT_QUESTION) if aset is not None else None
    if answer is None or not answer.answered or isinstance(answer.value, bool):
        return None
    try:
        return int(answer.value)
    except (TypeError, ValueError):
        return None


def _count_note(said: int | None, observed: int) -> str | None:
    """Only a plain contradiction is called one: the answer counts online services, the
    dashboard OZG-Leistungen, so the two numbers differ in kind."""
    if said is None:
        return None
    if said == 0 and observed:
        return (f"Widerspruch: Die Antwort nennt keine Online-Dienste, das Dashboard führt "
                f"{observed} Leistung(en) mit Online-Dienst.")
    if said and not observed:
        return (f"Widerspruch: Die Antwort nennt {said} Online-Dienste, das Dashboard führt "
                "für die Leistungen dieser Kommune keinen.")
    return None


def briefing_sentences(c: Comparison) -> tuple[str, str]:
    """Two sentences for the mayor: how the dashboard's figure comes about, what moves it."""
    who = c.name or f"den Regionalschlüssel {c.ars}"
    above = c.count_observed - c.count_observed_here
    first = (f"Das Dashboard Digitale Verwaltung zeigt für {who} {c.count_observed} von "
             f"{len(c.services)} Leistungen, die die Kommune ausführt, mit einem "
             f"Online-Dienst" + (f" ({above} davon Dienste von Kreis, Land oder Bund)"
                                 if above else "")
             + "; es zählt, was im Redaktionssystem des Landes mit der Zuständigkeit und "
             f"einem Online-Dienst verknüpft ist (Stand {_german(c.date)}).")
    broken = len(c.broken_links)
    links = (f"{broken} Link{'s' if broken != 1 else ''} mit Status „nicht ok“ repariert "
             + ("wird" if broken == 1 else "werden"))
    if c.care_list:
        second = (f"Die Zahl steigt am schnellsten, wenn für die {len(c.care_list)} "
                  "Leistungen ohne gelisteten Online-Dienst vorhandene Dienste (auch des "
                  "Landes oder EfA-Dienste) im Redaktionssystem verknüpft werden"
                  + (f" und {links}" if broken else "") + ".")
    elif broken:
        second = f"Für jede Leistung ist ein Dienst gelistet; die Zahl hält, wenn {links}."
    else:
        second = ("Für jede Leistung ist ein Dienst gelistet; die Zahl hält, solange die "
                  "Einträge im Redaktionssystem gepflegt bleiben.")
    return first, second


def _german(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%d.%m.%Y")
