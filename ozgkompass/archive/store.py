"""Reading and writing archived assessments. Pure data in, data out; the CLI prints."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ozgkompass.archive.db import SAME_TYPE, connect, size_class
from ozgkompass.errors import DataError, UserError
from ozgkompass.model.laender import land_code
from ozgkompass.scoring.summary import summarise


@dataclass
class ArchivedAssessment:
    id: int
    municipality: str
    ars: str | None
    land: str | None
    type: str | None
    population: int | None
    size_class: str | None
    questionnaire: str
    model: str | None
    catalogue: str | None
    interview_date: str | None
    added_at: str
    answers_file: str | None
    score: float | None
    share_at_target: float | None
    share_today_at_target: float | None = None  # archived before schema 3: None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_COLUMNS = ("id, municipality, ars, land, mtype, population, size_class, "
            "questionnaire_id || ' ' || coalesce(questionnaire_version, ''), "
            "model_id || ' ' || coalesce(model_version, ''), "
            "catalogue_id || ' ' || coalesce(catalogue_version, ''), interview_date, added_at, "
            "answers_file, score, share_at_target, share_today_at_target")


def _row(r: tuple[Any, ...]) -> ArchivedAssessment:
    return ArchivedAssessment(*r)


def _open(target: sqlite3.Connection | Path | str) -> tuple[sqlite3.Connection, bool]:
    if isinstance(target, sqlite3.Connection):
        return target, False
    return connect(target), True


def _record(assessment: Any, answers_json: str) -> tuple[Any, ...]:
    """The column values of one assessment (every figure read from the scored result)."""
    m = assessment.municipality
    cat = assessment.catalogue
    result = zlib.compress(json.dumps(summarise(assessment), ensure_ascii=False)
                           .encode("utf-8"), 1)
    return (
        m.name, m.ars, land_code(m.land, m.ars), m.type, m.population,
        size_class(m.population, m.type),
        assessment.questionnaire["id"], assessment.questionnaire.get("version"),
        assessment.model.get("id"), assessment.model.get("version"),
        cat.catalogue.get("id") if cat else None, cat.catalogue.get("version") if cat else None,
        assessment.tool_version, assessment.interview.date,
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), assessment.answers_file,
        assessment.score, answers_json, result,
        cat.share_at_target if cat else None, cat.share_today_at_target if cat else None)


_INSERT = ("INSERT INTO assessments (municipality, ars, land, mtype, population, size_class, "
           "questionnaire_id, questionnaire_version, model_id, model_version, catalogue_id, "
           "catalogue_version, tool_version, interview_date, added_at, answers_file, score, "
           "answers_yaml, result, share_at_target, share_today_at_target) VALUES ("
           + ", ".join("?" * 21) + ")")


def prepare(assessment: Any, answers_set: Any) -> tuple[tuple[Any, ...], list[tuple[str, Any]]]:
    """The row of one assessment and its area scores, ready to insert: plain values, so a
    batch worker can prepare them and the one writer only inserts."""
    from ozgkompass.sources.answers_file import answers_to_dict

    answers_json = json.dumps(answers_to_dict(answers_set), ensure_ascii=False)
    return _record(assessment, answers_json), [(a.id, a.score) for a in assessment.areas]


def insert_prepared(target: sqlite3.Connection | Path | str,
                    items: list[tuple[tuple[Any, ...], list[tuple[str, Any]]]]) -> list[int]:
    """Insert prepared assessments in one write transaction (see `add_assessments`)."""
    conn, own = _open(target)
    ids: list[int] = []
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for rec, areas in items:
                same = conn.execute(
                    "SELECT id FROM assessments WHERE municipality = ? AND ars IS ? AND "
                    "questionnaire_id = ? AND questionnaire_version IS ? AND "
                    "interview_date IS ? AND answers_yaml = ?",
                    (rec[0], rec[1], rec[6], rec[7], rec[13], rec[17])).fetchone()
                if same is not None:
                    ids.append(int(same[0]))
                    continue
                cur = conn.execute(_INSERT, rec)
                aid = int(cur.lastrowid)  # type: ignore[arg-type]
                ids.append(aid)
                conn.executemany(
                    "INSERT INTO area_scores (assessment_id, area_id, score) VALUES (?, ?, ?)",
                    [(aid, area, score) for area, score in areas])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        if own:
            conn.close()
    return ids


def add_assessments(target: sqlite3.Connection | Path | str,
                    items: list[tuple[Any, Any]]) -> list[int]:
    """Archive scored assessments with their answer sets, in one write transaction.

    An assessment already archived (same municipality, date, questionnaire and answers) is
    not stored twice: its existing number is returned, so re-running a batch is harmless.
    """
    return insert_prepared(target, [prepare(a, aset) for a, aset in items])


def add_assessment(target: sqlite3.Connection | Path | str, assessment: Any,
                   answers_set: Any) -> int:
    """One call for interview, import and batch (`--archive`): archive one scored assessment."""
    return add_assessments(target, [(assessment, answers_set)])[0]


def list_assessments(conn: sqlite3.Connection, municipality: str | None = None,
                     land: str | None = None, size: str | None = None,
                     questionnaire: str | None = None) -> list[ArchivedAssessment]:
    """Archived assessments, oldest first; filters combine (name matches a substring)."""
    where, args = [], []
    if municipality:
        where.append("(municipality LIKE ? OR ars = ?)")
        args += [f"%{municipality}%", municipality]
    if land:
        where.append("land = ?")
        args.append(land_code(land, None) or land)
    if size:
        where.append("size_class = ?")
        args.append(size.upper())
    if questionnaire:
        where.append("questionnaire_id = ?")
        args.append(questionnaire)
    sql = f"SELECT {_COLUMNS} FROM assessments"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY coalesce(interview_date, added_at), id"
    return [_row(r) for r in conn.execute(sql, args)]


def get(conn: sqlite3.Connection, aid: int) -> ArchivedAssessment:
    row = conn.execute(f"SELECT {_COLUMNS} FROM assessments WHERE id = ?", (aid,)).fetchone()
    if row is None:
        raise UserError(f"Im Archiv gibt es keine Bewertung mit der Nummer {aid}.",
                        hint="Nummern zeigt `ozgkompass archive list`.")
    return _row(row)


def result_of(conn: sqlite3.Connection, aid: int) -> dict[str, Any]:
    """The stored result (scoring.summary.summarise) of an archived assessment."""
    get(conn, aid)
    blob = conn.execute("SELECT result FROM assessments WHERE id = ?", (aid,)).fetchone()[0]
    data: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8"))
    return data


def answers_of(conn: sqlite3.Connection, aid: int) -> Any:
    """The archived answer set (stored as JSON, read back through the answers parser)."""
    from ozgkompass.model.answers import parse_answers
    from ozgkompass.yamlio import parse_yaml

    row = get(conn, aid)
    text = conn.execute("SELECT answers_yaml FROM assessments WHERE id = ?",
                        (aid,)).fetchone()[0]
    aset, issues = parse_answers(parse_yaml(text, f"Archiv Nr. {aid}"))
    if aset is None:
        raise DataError(issues, f"Die archivierten Antworten von Nr. {aid} "
                        f"({row.municipality}) sind beschädigt.")
    return aset


def remove(conn: sqlite3.Connection, ids: list[int]) -> int:
    for aid in ids:
        get(conn, aid)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("DELETE FROM assessments WHERE id = ?", [(i,) for i in ids])
    conn.execute("COMMIT")
    return len(ids)


@dataclass
class PeerRow:
    id: int
    score: float | None
    share_at_target: float | None
    areas: dict[str, float | None]


def peer_rows(conn: sqlite3.Connection, land: str, size: str, questionnaire_id: str,
              exclude: tuple[str | None, str] = (None, ""), mtype: str | None = None
              ) -> list[PeerRow]:
    """The latest assessment of every other municipality of this Land, size class and
    municipality type (same questionnaire), with its area scores. `exclude` is (ARS, name)
    of the subject; a subject without type is compared with others without type."""
    ars, name = exclude
    mtype = SAME_TYPE.get(mtype or "", mtype)
    rows = conn.execute(
        """
        SELECT id, score, share_at_target FROM (
            SELECT id, score, share_at_target, municipality, ars,
                   row_number() OVER (PARTITION BY coalesce(ars, municipality)
                                      ORDER BY coalesce(interview_date, added_at) DESC,
                                               id DESC) AS newest
            FROM assessments
            WHERE land = ? AND size_class = ? AND questionnaire_id = ? AND mtype IS ?)
        WHERE newest = 1 AND NOT (municipality = ? OR (ars IS NOT NULL AND ars = ?))
        """, (land, size, questionnaire_id, mtype, name, ars or "")).fetchall()
    peers = {r[0]: PeerRow(r[0], r[1], r[2], {}) for r in rows}
    if peers:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _peer_ids (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM _peer_ids")
        conn.executemany("INSERT INTO _peer_ids VALUES (?)", [(i,) for i in peers])
        for aid, area, score in conn.execute(
                "SELECT s.assessment_id, s.area_id, s.score FROM area_scores s "
                "JOIN _peer_ids p ON p.id = s.assessment_id"):
            peers[aid].areas[area] = score
    return list(peers.values())


def peer_names(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return dict(conn.execute(f"SELECT id, municipality FROM assessments WHERE id IN ({marks})",
                             ids).fetchall())
