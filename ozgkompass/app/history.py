"""Over time and across municipalities: results from answers files or the archive, a
municipality's rounds, progress between two of them, the peer comparison and the members of
a Geleitzug (`compare`, `convoy`, `peers`, `report --audience leitung`, `archive …`).

Results here are in their stored form (`scoring.summary.summarise`), so an answers file
scored today and an assessment archived last year are alike.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ozgkompass.app.definitions import Choice
from ozgkompass.errors import UserError

if TYPE_CHECKING:
    from ozgkompass.app.convoy import ConvoyResult
    from ozgkompass.app.peers import PeerComparison
    from ozgkompass.app.progress import HistoryPoint, Progress
    from ozgkompass.model.answers import AnswerSet
    from ozgkompass.scoring.assessment import Assessment

__all__ = ["Comparison", "Convoy", "add_to_archive", "answers_files", "briefing_peers",
           "compare_rounds", "convoy_of", "history_of", "load_result", "members_from_archive",
           "open_archive", "peers_of", "rebuild_archive"]


def open_archive(path: Path | None, *, create: bool = False) -> sqlite3.Connection:
    """The archive at `path` (None: OZGKOMPASS_ARCHIVE or the user's data folder)."""
    from ozgkompass.archive.db import connect, default_path

    return connect(default_path(path), create=create)


def add_to_archive(target: Path, assessment: Assessment, answers: AnswerSet) -> int:
    """Add one scored assessment to the archive at `target`; its number there."""
    from ozgkompass.archive.db import connect
    from ozgkompass.archive.store import add_assessment

    conn = connect(target)
    try:
        return int(add_assessment(conn, assessment, answers))
    finally:
        conn.close()


def answers_files(sources: list[Path]) -> list[Path]:
    """Answers files and folders (searched for *.answers.yaml) as a list of files."""
    from ozgkompass.errors import display_path

    files: list[Path] = []
    for src in sources:
        if src.is_dir():
            files += sorted(src.rglob("*.answers.yaml"))
        elif src.is_file():
            files.append(src)
        else:
            raise UserError(f"{display_path(src)} existiert nicht.",
                            hint="Antwortdateien oder Ordner angeben.")
    if not files:
        raise UserError("Keine Antwortdateien (*.answers.yaml) gefunden.",
                        hint="Ordner mit den Antwortdateien angeben.")
    return files


def rebuild_archive(files: list[Path], archive: Path | None, model: str | None,
                    catalogue: str) -> tuple[Path, int]:
    """Rebuild the archive from answers files (they are the source of truth): all scored
    before anything is written; the new archive is built in a neighbouring file that
    replaces the old one only at the end. Where it is and how many assessments it holds."""
    import os

    from ozgkompass.app.assess import score_file_with_answers
    from ozgkompass.archive.db import connect, default_path
    from ozgkompass.archive.store import add_assessments

    chosen = Choice(model=model, catalogue=catalogue)
    items = [score_file_with_answers(f, chosen) for f in files]  # all checked before writing
    target = default_path(archive)
    tmp = target.with_name(f".{target.name}.neu")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    conn = connect(tmp)
    add_assessments(conn, items)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    for old in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        old.unlink(missing_ok=True)
    os.replace(tmp, target)
    return target, len(items)


def load_result(ref: str, archive: Path | None, model: str | None,
                catalogue: str) -> dict[str, Any]:
    """An answers file (scored now) or an archive number: the result as stored."""
    path = Path(ref)
    if not path.exists() and ref.isdigit():
        from ozgkompass.archive.store import result_of

        return result_of(open_archive(archive), int(ref))
    if not path.exists():
        raise UserError(f"{ref} ist weder eine Antwortdatei noch eine Archivnummer.",
                        hint="Pfad prüfen oder Nummern mit `ozgkompass archive list` suchen.")
    from ozgkompass.app.assess import score_file
    from ozgkompass.scoring.summary import summarise

    # the same shape the archive stores (scoring.summary.Summary), read like a stored one
    summary = summarise(score_file(path, Choice(model=model, catalogue=catalogue)))
    return cast("dict[str, Any]", summary)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Progress between two results of one municipality, with the results themselves."""

    progress: Progress
    old: dict[str, Any]
    new: dict[str, Any]


def compare_rounds(old: str, new: str, archive: Path | None, model: str | None,
                   catalogue: str) -> Comparison:
    """`compare`: two answers files or archive numbers of the same municipality."""
    from ozgkompass.app.progress import compare

    old_result = load_result(old, archive, model, catalogue)
    new_result = load_result(new, archive, model, catalogue)
    return Comparison(compare(old_result, new_result), old_result, new_result)


def history_of(result: dict[str, Any], archive: Path | None) -> list[HistoryPoint]:
    """The municipality's archived rounds, if there is an archive (none: no history chart)."""
    from ozgkompass.app.progress import history
    from ozgkompass.archive.db import default_path
    from ozgkompass.archive.store import list_assessments

    if not default_path(archive).exists():
        return []
    m = result["municipality"]
    conn = open_archive(archive)
    try:
        return history(result, list_assessments(conn, m.get("ars") or m["name"]))
    finally:
        conn.close()


def members_from_archive(archive: Path | None, text: str) -> list[dict[str, Any]]:
    """The newest archived result of each municipality matching `text`: a Land (code or
    name), the start of the Regionalschlüssel (digits), or part of the Kreis's name."""
    from ozgkompass.archive.store import list_assessments, result_of

    conn = open_archive(archive)
    key = text.strip()
    if key.isdigit():
        found = [a for a in list_assessments(conn) if (a.ars or "").startswith(key)]
    else:
        found = list_assessments(conn, land=key) or [
            a for a in list_assessments(conn)
            if key.casefold() in (result_of(conn, a.id)["municipality"].get("kreis")
                                  or "").casefold()]
    latest: dict[str, Any] = {}
    for a in found:
        latest[a.ars or a.municipality] = a  # oldest first: the last one wins
    if not latest:
        raise UserError(f"Keine archivierte Kommune passt auf {text!r}.",
                        hint="Land (z. B. NI), den Anfang des Regionalschlüssels (z. B. "
                        "03471) oder einen Teil des Kreisnamens angeben.")
    return [result_of(conn, a.id) for a in latest.values()]


@dataclass(frozen=True, slots=True)
class Convoy:
    """A Geleitzug with the members' results it was worked out from."""

    result: ConvoyResult
    members: list[dict[str, Any]] = field(default_factory=list)


def convoy_of(refs: list[str], archive_filter: str | None, capacities: dict[str, int] | None,
              name: str | None, archive: Path | None, model: str | None,
              catalogue: str) -> Convoy:
    """`convoy`: the members from answers files or archive numbers, and from the archive."""
    from ozgkompass.app.convoy import convoy

    results = [load_result(ref, archive, model, catalogue) for ref in refs]
    if archive_filter:
        results += members_from_archive(archive, archive_filter)
    if not results:
        raise UserError("Keine Mitglieder angegeben.",
                        hint="Antwortdateien oder --archive-filter angeben.")
    return Convoy(convoy(results, capacities, name), results)


def peers_of(subject: str, archive: Path | None, model: str | None, catalogue: str, *,
             named: bool = False) -> PeerComparison:
    """`peers`: the subject among archived municipalities of its type, Land and size
    class; `named` adds the peers' names."""
    from ozgkompass.app.peers import compare_peers
    from ozgkompass.archive.db import SIZE_CLASS_LABELS, size_class
    from ozgkompass.archive.store import peer_names, peer_rows
    from ozgkompass.model.laender import land_code

    result = load_result(subject, archive, model, catalogue)
    m = result["municipality"]
    land = land_code(m.get("land"), m.get("ars"))
    size = size_class(m.get("population"), m.get("type"))
    if land is None or size is None:
        raise UserError(f"Für {m['name']} fehlen Land/ARS oder Einwohnerzahl; ohne sie "
                        "gibt es keine Vergleichsgruppe.",
                        hint="In der Antwortdatei municipality.land und population angeben.")
    conn = open_archive(archive)
    rows = peer_rows(conn, land, size, result["questionnaire"]["id"],
                     (m.get("ars"), m["name"]), m.get("type"))
    cmp = compare_peers(result, rows, land, size, SIZE_CLASS_LABELS[size])
    if named:
        cmp.named = sorted(peer_names(conn, [r.id for r in rows]).values())
    return cmp


def briefing_peers(a: Assessment, archive: Path | None) -> PeerComparison | None:
    """The briefing's comparison with archived municipalities of the same type, Land and
    size class (--archive, OZGKOMPASS_ARCHIVE or the user's data folder): None when there
    is no archive (never created here), it holds fewer than `reports.briefing.MIN_PEERS` of
    them, or the answers lack type, Land or population."""
    from ozgkompass.app.peers import compare_peers
    from ozgkompass.archive.db import SIZE_CLASS_LABELS, connect, default_path, size_class
    from ozgkompass.archive.store import peer_rows
    from ozgkompass.model.laender import land_code
    from ozgkompass.reports.briefing import MIN_PEERS
    from ozgkompass.scoring.summary import summarise

    path = default_path(archive)
    if not path.is_file():
        return None
    conn = connect(path, create=False)
    try:
        m = a.municipality
        land, size = land_code(m.land, m.ars), size_class(m.population, m.type)
        if land is None or size is None or m.type is None:
            return None
        # the archive's peers: same Land, size class (Landkreise in their own) and type
        rows = peer_rows(conn, land, size, a.questionnaire["id"], (m.ars, m.name), m.type)
        if len(rows) < MIN_PEERS:
            return None
        return compare_peers(summarise(a), rows, land, size, SIZE_CLASS_LABELS[size])
    finally:
        conn.close()
