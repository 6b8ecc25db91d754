"""Opening the archive: location, connection settings and the append-only schema migrations.

The schema version lives in `PRAGMA user_version`; migration N turns version N-1 into N.
Never edit a released migration, only append one: old archives are upgraded on open.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ozgkompass.errors import UserError, display_path
from ozgkompass.model.answers import OLD_MUNICIPALITY_TYPES

ENV_ARCHIVE = "OZGKOMPASS_ARCHIVE"
FILE_NAME = "archiv.sqlite"
BUSY_TIMEOUT_MS = 30_000  # batch workers wait for the one writer instead of failing

# Einwohner-Größenklassen of the KGSt (lower bound, class): used to find peers.
SIZE_CLASSES: tuple[tuple[int, str], ...] = (
    (400_000, "GK1"), (200_000, "GK2"), (100_000, "GK3"), (50_000, "GK4"),
    (25_000, "GK5"), (10_000, "GK6"), (0, "GK7"))
SIZE_CLASS_LABELS = {"GK1": "ab 400.000 Einwohner", "GK2": "200.000–400.000 Einwohner",
                     "GK3": "100.000–200.000 Einwohner", "GK4": "50.000–100.000 Einwohner",
                     "GK5": "25.000–50.000 Einwohner", "GK6": "10.000–25.000 Einwohner",
                     "GK7": "unter 10.000 Einwohner"}


# Landkreise have their own KGSt classes (GK1 > 250,000, GK2 150,000–250,000, GK3 < 150,000),
# here LK1–LK3 so that they never meet the Städte and Gemeinden of GK1–GK3 (audit 2026-12,
# finding 24, S51).
KREIS_SIZE_CLASSES: tuple[tuple[int, str], ...] = ((250_001, "LK1"), (150_000, "LK2"),
                                                   (0, "LK3"))
SIZE_CLASS_LABELS |= {"LK1": "Landkreise über 250.000 Einwohner",
                      "LK2": "Landkreise mit 150.000–250.000 Einwohnern",
                      "LK3": "Landkreise unter 150.000 Einwohnern"}
# municipality types compared as one (the older spelling of a type and the type itself)
SAME_TYPE = OLD_MUNICIPALITY_TYPES


def size_class(population: int | None, mtype: str | None = None) -> str | None:
    """The KGSt size class: the Kreis classes for a Landkreis, else those of Städte and
    Gemeinden."""
    if population is None:
        return None
    classes = KREIS_SIZE_CLASSES if mtype == "landkreis" else SIZE_CLASSES
    return next(name for bound, name in classes if population >= bound)


def _case(classes: tuple[tuple[int, str], ...]) -> str:
    return "CASE " + " ".join(
        f"WHEN population >= {bound} THEN '{name}'" for bound, name in classes) + " END"


_SIZE_CASE = _case(SIZE_CLASSES)

MIGRATIONS: tuple[str, ...] = (
    # 1: assessments with answers (answers-file content as JSON; the column name is historic)
    # and the result summary (scoring.summary, zlib-compressed JSON)
    """
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        municipality TEXT NOT NULL,
        ars TEXT,
        land TEXT,
        mtype TEXT,
        population INTEGER,
        questionnaire_id TEXT NOT NULL,
        questionnaire_version TEXT,
        model_id TEXT,
        model_version TEXT,
        catalogue_id TEXT,
        catalogue_version TEXT,
        tool_version TEXT,
        interview_date TEXT,
        added_at TEXT NOT NULL,
        answers_file TEXT,
        score REAL,
        answers_yaml TEXT NOT NULL,
        result BLOB NOT NULL
    );
    CREATE TABLE area_scores (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        area_id TEXT NOT NULL,
        score REAL,
        PRIMARY KEY (assessment_id, area_id)
    );
    CREATE INDEX assessments_municipality ON assessments(municipality, ars);
    """,
    # 2: peers: size class and share of services at target, indexed by Land and size class
    f"""
    ALTER TABLE assessments ADD COLUMN size_class TEXT;
    ALTER TABLE assessments ADD COLUMN share_at_target REAL;
    UPDATE assessments SET size_class = {_SIZE_CASE} WHERE population IS NOT NULL;
    CREATE INDEX assessments_peers ON assessments(land, size_class);
    """,
    # 3: Landkreise in their own size classes; peers compared within one municipality type
    f"""
    UPDATE assessments SET size_class = {_case(KREIS_SIZE_CLASSES)}
        WHERE mtype = 'landkreis' AND population IS NOT NULL;
    UPDATE assessments SET mtype = 'gemeindeverband' WHERE mtype = 'verband';
    CREATE INDEX assessments_peers_type ON assessments(land, mtype, size_class);
    """,
    # 4: the second figure, "heute online auf Zielstufe" (docs/scoring.md §6a); NULL for
    # assessments archived before it was scored
    """
    ALTER TABLE assessments ADD COLUMN share_today_at_target REAL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def default_path(option: Path | None = None) -> Path:
    """--archive, else OZGKOMPASS_ARCHIVE, else the user's data folder."""
    if option is not None:
        return option
    env = os.environ.get(ENV_ARCHIVE)
    if env:
        return Path(env)
    from ozgkompass.paths import data_dir

    return data_dir() / FILE_NAME


def migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations (each in one transaction); returns the version reached."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise UserError(f"Das Archiv hat Schema-Version {current}, diese ozgkompass-Version "
                        f"kennt nur bis {SCHEMA_VERSION}.", hint="ozgkompass aktualisieren.")
    for version in range(current + 1, upto + 1):
        script = MIGRATIONS[version - 1]
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-read inside the write lock: another process may have migrated meanwhile
            if conn.execute("PRAGMA user_version").fetchone()[0] >= version:
                conn.execute("COMMIT")
                continue
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def connect(path: Path | str, *, create: bool = True, upto: int = SCHEMA_VERSION
            ) -> sqlite3.Connection:
    """Open (and if needed create and upgrade) the archive. Writes use BEGIN IMMEDIATE, so
    concurrent writers queue behind the one writer (WAL keeps readers unblocked)."""
    p = Path(path)
    if not create and not p.exists():
        raise UserError(f"Archiv {display_path(p)} existiert nicht.",
                        hint="Mit `ozgkompass archive add` anlegen oder --archive bzw. "
                             f"{ENV_ARCHIVE} prüfen.")
    conn: sqlite3.Connection | None = None
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(p, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, upto)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, sqlite3.DatabaseError | OSError):
            raise _open_error(p, exc) from None
        raise
    return conn


def _open_error(p: Path, exc: BaseException) -> UserError:
    if isinstance(exc, sqlite3.DatabaseError):
        return UserError(f"Archiv {display_path(p)} kann nicht geöffnet werden ({exc}).",
                         hint="Ist es eine ozgkompass-Archivdatei? Mit `ozgkompass archive "
                              "rebuild` aus den Antwortdateien neu aufbauen.")
    return UserError(f"Archiv {display_path(p)} kann nicht angelegt werden "
                     f"({getattr(exc, 'strerror', exc)}).", hint="Pfad und Schreibrechte prüfen.")
