"""The Dashboard Digitale Verwaltung beside the answers (`observe`, docs/observe.md): one
municipality, or a round over the members of a roster or a Kreis; a member that cannot be
retrieved is reported and the round goes on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozgkompass.errors import DataError, UserError, display_path

if TYPE_CHECKING:
    from ozgkompass.model.answers import AnswerSet, Municipality
    from ozgkompass.model.catalogue import Catalogue

__all__ = ["MAX_MEMBERS", "Fetch", "Round", "answers_subject", "member_list", "observe_one",
           "observe_round"]

MAX_MEMBERS = 2000


@dataclass(frozen=True, slots=True)
class Fetch:
    """How to retrieve: the API's address, offline (the cache only), json or csv, seconds
    per request."""

    api_url: str | None = None
    offline: bool = False
    fmt: str = "json"
    timeout: float = 30


def answers_subject(answers: Path) -> tuple[AnswerSet, Municipality, str]:
    """The answers file's answers, municipality and normalised Regionalschlüssel; a missing
    or invalid one is refused (nothing can be observed without it)."""
    from ozgkompass.model.registry import load_answer_set
    from ozgkompass.observed.ddv import normalise_ars

    aset = load_answer_set(answers)
    municipality = aset.municipality
    bad_ars = [i for i in aset.issues if i.code == "ars"]
    if bad_ars:  # the answers check located it: say that, not "missing"
        raise DataError(bad_ars, f"{display_path(answers)}: Der Regionalschlüssel "
                        "ist ungültig; ohne ihn lässt sich nichts beobachten.")
    if not municipality.ars:
        raise UserError(f"{display_path(answers)}: municipality.ars fehlt; ohne "
                        "Regionalschlüssel lässt sich nichts beobachten.",
                        hint="Den 12-stelligen Regionalschlüssel in die Antwortdatei "
                             "eintragen oder --ars angeben.")
    ars = normalise_ars(municipality.ars, where=f"{display_path(answers)}: municipality.ars")
    return aset, municipality, str(ars)


def observe_one(ars: str, municipality: Municipality | None, aset: AnswerSet | None,
                cat: Catalogue, fetch: Fetch, *, file: Path | None = None) -> tuple[Any, Any]:
    """The comparison of the answers (if any) with the retrieval for one ARS, and the
    retrieval (`observed.ddv.Retrieval`: from the cache?, a notice)."""
    from ozgkompass.model.answers import Municipality
    from ozgkompass.observed.compare import compare
    from ozgkompass.observed.ddv import normalise_ars, observe

    ars = normalise_ars(ars)
    retrieval = observe(ars, api_url=fetch.api_url, file=file, offline=fetch.offline,
                        fmt=fetch.fmt, timeout=fetch.timeout)
    if municipality is None:
        municipality = _from_directory(ars) or Municipality(
            retrieval.observation.name or ars, ars=ars)
    return compare(retrieval.observation, cat, municipality, aset), retrieval


def _from_directory(ars: str) -> Municipality | None:
    """Master data from the imported Gemeindeverzeichnis (decides the services in scope)."""
    from ozgkompass.masterdata import gv100ad
    from ozgkompass.model.answers import Municipality

    directory = gv100ad.load()
    place = directory.get(ars) if directory else None
    if place is None:
        return None
    return Municipality(place.display_name, ars=ars, land=place.land, kreis=place.kreis,
                        type=place.type, population=place.population)


def member_list(members: Path | None, kreis: str | None) -> list[dict[str, str]]:
    """(ars, name, type) of every member: from a CSV file or the Gemeindeverzeichnis."""
    if kreis is not None:
        from ozgkompass.masterdata import gv100ad

        prefix = kreis.strip()
        if not prefix.isdigit() or not 2 <= len(prefix) <= 12:
            raise UserError(f"--kreis {kreis!r}: kein Anfang eines Regionalschlüssels.",
                            hint="Die ersten Ziffern angeben, z. B. 03357 für einen Kreis.")
        directory = gv100ad.load()
        if directory is None:
            raise UserError("--kreis braucht das Gemeindeverzeichnis.",
                            hint="Erst `ozgkompass gemeinden import GV100AD_….txt` ausführen "
                                 "oder die Mitglieder mit --members als CSV angeben.")
        found = [{"ars": p.ars, "name": p.display_name, "type": p.type or ""}
                 for p in directory.under(prefix)]
        if not found:
            raise UserError(f"Im Gemeindeverzeichnis liegt nichts unter {prefix}.",
                            hint="Den Schlüssel prüfen (Land, Regierungsbezirk, Kreis).")
        return found[:MAX_MEMBERS]
    assert members is not None
    from ozgkompass.sources.tables import read_tables

    table = read_tables(members, max_bytes=5 * 1024 * 1024, workbooks=False, cp1252=False,
                        too_big_hint=f"Höchstens {MAX_MEMBERS} Mitglieder je Liste.",
                        max_lines=MAX_MEMBERS + 1, too_many_hint="Die Liste teilen.")
    rows = table.sheets[0].rows
    fields = {h.lower(): i for i, h in enumerate(rows[0][1])} if rows else {}
    if "ars" not in fields:
        raise UserError(f"{table.shown}: Die Kopfzeile hat keine Spalte „ars“.",
                        hint="Erste Zeile z. B.: ars;name")
    return [{k: cells[i] if i < len(cells) else "" for k, i in fields.items()}
            for _, cells in rows[1:]]


@dataclass(frozen=True, slots=True)
class Round:
    """One summary row per member retrieved, and (ARS, message) of each that failed."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def observe_round(members: list[dict[str, str]], cat: Catalogue, fetch: Fetch) -> Round:
    """One summary row per member; a member that fails is reported and the round goes on."""
    from ozgkompass.model.answers import Municipality

    rows: list[dict[str, Any]] = []
    failed: list[tuple[str, str]] = []
    for m in members:
        ars = m.get("ars", "")
        try:
            known = _from_directory(ars) if len(ars) == 12 else None
            mtype = m.get("type") or (known.type if known else None)
            municipality = Municipality(m.get("name") or (known.name if known else ars),
                                        ars=ars, type=mtype or None,
                                        land=known.land if known else None)
            c, retrieval = observe_one(ars, municipality, None, cat, fetch)
        except UserError as exc:
            failed.append((ars or "(leer)", str(exc)))
            continue
        rows.append({"ars": c.ars, "name": municipality.name, "in_scope": len(c.services),
                     "listed_here": c.count_observed_here,
                     "listed_above": c.count_observed - c.count_observed_here,
                     "link_not_ok": len(c.broken_links), "care_list": len(c.care_list),
                     "date": c.date, "from_cache": retrieval.from_cache,
                     "notice": retrieval.notice})
    return Round(rows, failed)
