"""Scoring a folder of returned workbooks: a process pool reads (python-calamine) and scores
(the same `assess` and `score_catalogue` as `ozgkompass score`) every file, writes one answers
file and one result per municipality, and collects every problem; one bad file never stops
the batch. Each worker parses the questionnaire and catalogue once, not per file.

Results are written atomically as they finish, so an interrupted batch keeps them and
`resume` skips files whose content hash and scoring inputs did not change.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ozgkompass import __version__
from ozgkompass.errors import Issue, Location
from ozgkompass.fsutil import write_derived
from ozgkompass.issue_codes import IssueCode
from ozgkompass.sources.file_guard import MAX_FILE_BYTES, SPREADSHEET_SUFFIXES, is_lock_file
from ozgkompass.sources.template import MASTER_FIELDS, MASTER_FIRST_ROW, MASTER_SHEET

RESULTS_DIR = "ergebnisse"
ARS_CELL = f"B{MASTER_FIRST_ROW + [k for k, _ in MASTER_FIELDS].index('ars')}"
ANSWERS_DIR = "antworten"


@dataclass(frozen=True)
class BatchConfig:
    folder: Path
    out: Path
    catalogue: str = "kommunal"
    model: str | None = None
    questionnaires_dir: Path | None = None
    jobs: int | None = None
    resume: bool = False
    archive: Path | None = None  # also add every scored file to this archive


SAMPLE = 40  # problems of each severity kept for the terminal; all are in the outputs


@dataclass
class BatchResult:
    """What the driver keeps of a run: a small summary per file (file, status, ARS, number
    of problems) and the problems not tied to one result. Rows and per-file problems stay
    in the result files on disk and are streamed into the overview, so memory does not
    grow with the number of files."""
    records: list[dict[str, Any]]  # one per input file, sorted by file name
    notes: list[Issue]  # files not read (lock files, other files), found before scoring
    duplicates: list[Issue]  # the same ARS in several files
    sample: list[Issue]  # the first SAMPLE errors and SAMPLE warnings of the files
    skipped: int  # results reused by --resume
    catalogue: dict[str, Any] = field(default_factory=dict)
    service_ids: list[str] = field(default_factory=list)  # OZG-IDs, sorted
    areas: list[str] = field(default_factory=list)  # area ids, questionnaire order
    themenfelder: list[str] = field(default_factory=list)  # sorted
    questionnaires: list[str] = field(default_factory=list)  # "id version", sorted
    models: list[str] = field(default_factory=list)
    out: Path = Path(".")
    archived: int = 0  # assessments added to (or already in) the archive
    members: list[dict[str, Any]] = field(default_factory=list)  # roster status (--members)
    kreise: dict[str, str] = field(default_factory=dict)  # Kreis key (5 ARS digits) → name
    previous: dict[str, dict[str, Any]] = field(default_factory=dict)  # ARS → last round
    questionnaires_dir: Path | None = None

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r["status"] == "failed"]

    @property
    def replaced(self) -> list[dict[str, Any]]:
        """Older deliveries of a member whose newer file counts."""
        return [r for r in self.records if r["status"] == "replaced"]

    @property
    def ok(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r["status"] == "ok"]

    @property
    def problem_count(self) -> int:
        return (len(self.notes) + len(self.duplicates)
                + sum(int(r["problems"]) for r in self.records))

    @property
    def error_count(self) -> int:
        return sum(int(r["errors"]) for r in self.records) + sum(
            1 for p in (*self.notes, *self.duplicates) if p.severity == "error")

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def shown(self, limit: int) -> list[Issue]:
        """Problems for the terminal: errors first, at most `limit`."""
        found = [*self.notes, *self.sample, *self.duplicates]
        return sorted(found, key=lambda p: p.severity != "error")[:limit]

    def full_record(self, summary: dict[str, Any]) -> dict[str, Any]:
        """The complete result of one file, read back from its result file."""
        path = result_path(self.out, summary["file"])
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if summary["status"] == "replaced":  # decided after the file was scored
            record["status"], record["replaced_by"] = "replaced", summary["replaced_by"]
        return record


def find_inputs(folder: Path, out: Path) -> tuple[list[Path], list[Issue]]:
    """Spreadsheets in the folder tree; lock files and other files are reported, not read."""
    files: list[Path] = []
    notes: list[Issue] = []
    out_resolved = out.resolve()
    found: list[Path] = []
    # one walk, the output folder left out as a whole (no path resolved per file)
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if Path(top, d).resolve() != out_resolved]
        for name in names:
            path = Path(top, name)
            if path.is_symlink() and out_resolved in path.resolve().parents:
                continue
            if path.is_file():
                found.append(path)
    for path in sorted(found):
        rel = shown_name(str(path.relative_to(folder)))
        if is_lock_file(path):
            notes.append(Issue(IssueCode.LOCK_FILE, "Sperrdatei eines geöffneten Dokuments; "
                               "übersprungen.", Location(rel), "warning"))
        elif path.suffix.lower() in SPREADSHEET_SUFFIXES:
            files.append(path)
        elif not path.name.startswith(".") and path.name.casefold() not in SYSTEM_FILES:
            notes.append(Issue(IssueCode.NOT_A_SPREADSHEET, f"Keine Tabellendatei, sondern "
                               f"{not_a_workbook(path)}; nicht bewertet, die Kommune zählt "
                               "als nicht zurückgegeben. Bitte die ausgefüllte Mappe (.xlsx "
                               "oder .ods) anfordern.", Location(rel)))
    return files, notes


# left by file managers, never sent by a member
SYSTEM_FILES = ("thumbs.db", "desktop.ini")
_MAGIC = ((b"%PDF", "eine PDF-Datei"), (b"PK\x03\x04", "ein ZIP-Archiv (bitte entpacken)"),
          (b"\xd0\xcf\x11\xe0", "ein Word- oder Outlook-Dokument"),
          (b"\x89PNG", "ein Bild"), (b"\xff\xd8\xff", "ein Bild"), (b"{\\rtf", "ein RTF-Dokument"))


def not_a_workbook(path: Path) -> str:
    """What a file that is not a spreadsheet is, in words („eine PDF-Datei“), from its
    first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return "eine nicht lesbare Datei"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            if magic.startswith(b"PK") and path.suffix.lower() in (".docx", ".pptx", ".odt"):
                return "ein Textdokument"
            return what
    suffix = path.suffix.lower().lstrip(".")
    return f"eine {suffix.upper()}-Datei" if suffix else "eine Datei ohne Endung"


STALE_SECONDS = 60  # a temporary file is renamed within milliseconds; older ones are left


def remove_stale_temps(out: Path) -> int:
    """Temporary files (`.name.….tmp`, fsutil) that killed runs left in the output folder;
    those of a run writing now (a second window) are young and stay. Returns how many."""
    import time

    now, removed = time.time(), 0
    for top in (out, out / RESULTS_DIR, out / ANSWERS_DIR):
        if not top.is_dir():
            continue
        for path in top.rglob(".*.tmp") if top != out else top.glob(".*.tmp"):
            try:
                if now - path.lstat().st_mtime > STALE_SECONDS and path.is_file():
                    path.unlink()
                    removed += 1
            except OSError:
                continue
    return removed


def shown_name(rel: str) -> str:
    """A file name as reports show it: bytes that are not UTF-8 (a name unzipped from a
    Windows zip) become U+FFFD, so that the name can be written to JSON, CSV and xlsx; the
    file itself is opened by its real path."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# ----------------------------------------------------------------------------- worker

_W: dict[str, Any] = {}


def _project_environment() -> dict[str, str]:
    """The driver's OZGKOMPASS_* variables (data folder, archive, questionnaires): a
    worker from the fork server would otherwise see the environment of the moment the
    fork server started, which in a long-lived process may be an earlier one."""
    return {k: v for k, v in os.environ.items() if k.startswith("OZGKOMPASS_")}


def _init_worker(config: BatchConfig, driver: int | None = None,
                 allowance: int | None = None, env: dict[str, str] | None = None) -> None:
    """Once per worker process: ignore Ctrl-C (the parent stops the pool) and load the
    catalogue and model, so each file only costs reading and scoring. With `driver` (the
    batch's process id, for a pool worker): end when it is gone, load what reading and
    scoring need, then read under a memory ceiling, so that a runaway file kills this
    worker (reported, the run goes on) and not the machine. `allowance`: the bytes of that
    ceiling, worked out by the driver (the fork server's environment may be older)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if env is not None:
        for name in [n for n in os.environ if n.startswith("OZGKOMPASS_")]:
            del os.environ[name]
        os.environ.update(env)
    from ozgkompass.catalogue.store import resolve_catalogue
    from ozgkompass.masterdata import gv100ad

    _W["config"] = config
    _W["catalogue"] = resolve_catalogue(config.catalogue)
    _W["gemeinden"] = gv100ad.load()  # None unless `gemeinden import` was run
    _W["questionnaires"] = {}
    _W["models"] = {}
    _W["compiled"] = {}
    from ozgkompass.sources.workbook_import import ImportPlans

    _W["plans"] = ImportPlans()  # what the import works out per questionnaire
    if driver is not None:
        import python_calamine  # noqa: F401

        from ozgkompass.scoring.compiled import score  # noqa: F401
        from ozgkompass.sources.answers_file import dump_answers  # noqa: F401
        from ozgkompass.sources.contained import exit_with_parent, limit_memory
        from ozgkompass.sources.workbook_import import import_workbook  # noqa: F401

        exit_with_parent(driver)
        limit_memory(allowance)


def _pool_context() -> Any:
    """Workers start from the fork server (a small single-threaded process) where there
    is one: a worker forked from the driver, whose threads (progress display, the pool's
    own) may hold a lock at that moment, was seen to hang near its memory ceiling instead
    of ending. Workers report through their results; their stderr goes nowhere."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    from multiprocessing import forkserver

    from ozgkompass.sources.tables import quiet_stderr

    # the fork server, its workers and the resource tracker write to no terminal: a worker
    # started while an interrupted batch shuts its pool down prints a traceback there
    with quiet_stderr():
        forkserver.ensure_running()
    return multiprocessing.get_context("forkserver")


def _lookup(qid: str, version: str | None) -> Any:
    from ozgkompass.model.registry import find_questionnaire

    key = (qid, version)
    cache = _W["questionnaires"]
    if key not in cache:
        cache[key] = find_questionnaire(qid, version, _W["config"].questionnaires_dir)
    return cache[key]


def _model(name: str) -> Any:
    from ozgkompass.model.maturity import get_model

    if name not in _W["models"]:
        _W["models"][name] = get_model(name)
    return _W["models"][name]


def _compiled(qn: Any, model: Any) -> Any:
    """The definitions of this worker's files, compiled once per questionnaire and model
    (a worker scores its files against one `Compiled`: scoring/compiled.py)."""
    from ozgkompass.scoring.compiled import compile
    from ozgkompass.scoring.definitions import Definitions

    key = (id(qn), id(model))  # both live as long as the worker (_lookup, _model)
    known = _W["compiled"].get(key)
    if known is None:
        known = _W["compiled"][key] = compile(Definitions.resolve(qn, model, _W["catalogue"]))
    return known


def _input_key(digest: str) -> str:
    cat = _W["catalogue"]
    cfg: BatchConfig = _W["config"]
    gv = _W.get("gemeinden")  # a newly imported Gemeindeverzeichnis changes the warnings
    return (f"{digest}|{cat.id}|{cat.version}|{cfg.model}|{__version__}"
            + (f"|gv100ad {gv.gebietsstand} {gv.imported}" if gv is not None else ""))


def result_path(out: Path, rel: str) -> Path:
    return out / RESULTS_DIR / f"{rel}.json"


def answers_path(out: Path, rel: str) -> Path:
    return out / ANSWERS_DIR / f"{rel}.answers.yaml"


def _process_chunk(items: list[tuple[str, str]]) -> list[tuple[dict[str, Any], bool]]:
    return [_process(Path(path), rel) for path, rel in items]


def _process(path: Path, rel: str) -> tuple[dict[str, Any], bool]:
    """Read, score and write one file; returns its summary and whether it was reused."""
    cfg: BatchConfig = _W["config"]
    target = result_path(cfg.out, rel)
    try:
        data, digest = _read_and_hash(path)
    except OSError as exc:
        record = _failed(rel, None, [Issue(IssueCode.UNREADABLE, f"Datei kann nicht gelesen werden "
                                           f"({exc.strerror}).", Location(rel))])
        _write_record(target, record)
        return _summary(record), False
    key = _input_key(digest)
    if cfg.resume and target.exists():
        try:
            old = json.loads(target.read_text(encoding="utf-8"))
            if old.get("input_key") == key and (old.get("status") != "ok" or _nonempty(
                    answers_path(cfg.out, rel))):
                summary = _summary(old)
                if cfg.archive is not None and old.get("status") == "ok":
                    summary["archive"] = _score_file(path, rel, digest, key, data,
                                                     write=False)[1]
                return summary, True
        except (OSError, ValueError):
            pass  # unreadable or cut off (power failure before the final sync): score again
    record, archive = _score_file(path, rel, digest, key, data)
    _write_record(target, record)
    summary = _summary(record)
    summary["archive"] = archive
    return summary, False


def _write_record(target: Path, record: dict[str, Any]) -> None:
    """Derived from the input and recreated by a rerun: written without fsync, synced once
    at the end of the batch."""
    write_derived(target, json.dumps(record, ensure_ascii=False, default=str).encode())


def _read_and_hash(path: Path) -> tuple[bytes | None, str]:
    """The file's bytes (read once: hashed, checked and parsed from memory) and their
    SHA-256; a file above the size limit is only hashed, in pieces, and then refused."""
    if path.stat().st_size > MAX_FILE_BYTES:
        with path.open("rb") as fh:
            return None, hashlib.file_digest(fh, "sha256").hexdigest()
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def _nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    """What the driver keeps of one file (the full record stays in its result file)."""
    row = record.get("row") or {}
    q = record.get("questionnaire") or {}
    return {"file": record["file"], "status": record["status"], "ars": row.get("ars"),
            "date": row.get("date"), "kreis": row.get("kreis"), "type": row.get("type"),
            "name": row.get("name"),
            "problems": record["problems"],
            "areas": tuple(row.get("areas") or ()),
            "themenfelder": tuple(row.get("themenfelder") or ()),
            "services": tuple(record.get("services") or ()),
            "questionnaire": f"{q.get('id')} {q.get('version')}" if q else None,
            "model": str((record.get("model") or {}).get("id")) if record.get("model") else None}


def _failed(rel: str, key: str | None, issues: list[Issue],
            row: dict[str, Any] | None = None) -> dict[str, Any]:
    """A file not scored; `row` holds its Stammdaten where they were readable."""
    return {"file": rel, "status": "failed", "input_key": key,
            "problems": [i.to_dict() for i in issues], "row": row, "services": {}}


def _who(aset: Any) -> dict[str, Any] | None:
    """The Stammdaten of a file refused for its answers: whom to call about it."""
    if aset is None:
        return None
    m = aset.municipality
    row = {"name": None if m.name == "?" else m.name, "ars": m.ars, "land": m.land,
           "kreis": m.kreis, "type": m.type, "population": m.population,
           "contact": ", ".join(aset.interview.participants) or None,
           "date": aset.interview.date}
    return row if row["name"] or row["ars"] else None


def _score_file(path: Path, rel: str, digest: str, key: str, data: bytes | None = None, *,
                write: bool = True) -> tuple[dict[str, Any], Any]:
    """The result record of one file and, with --archive, its prepared archive entry."""
    from ozgkompass.scoring.compiled import score
    from ozgkompass.sources.answers_file import dump_answers
    from ozgkompass.sources.workbook_import import import_workbook

    cfg: BatchConfig = _W["config"]
    imported = import_workbook(path, _lookup, rel, data, plans=_W["plans"])
    if not imported.ok or imported.questionnaire is None or imported.answers is None:
        # as `import`: no answers file from a workbook with errors (nothing partial); one
        # from an earlier run of this file would now be stale
        if write:
            answers_path(cfg.out, rel).unlink(missing_ok=True)
        return _failed(rel, key, imported.issues, _who(imported.answers)), None
    qn, aset = imported.questionnaire, imported.answers
    if write:
        write_derived(answers_path(cfg.out, rel), dump_answers(aset).encode())
    issues = list(imported.issues)
    if _W.get("gemeinden") is not None:  # master data against the Gemeindeverzeichnis
        from ozgkompass.masterdata.gv100ad import check_municipality

        issues.extend(check_municipality(aset.municipality, _W["gemeinden"], rel))
    mm = _model(cfg.model or qn.maturity_model)
    result = score(_compiled(qn, mm), aset, checked=imported.checked)
    if result.open_required:
        shown = ", ".join(result.open_required[:5]) + (" …" if len(result.open_required) > 5
                                                       else "")
        issues.append(Issue(IssueCode.MISSING_REQUIRED,
                            f"{len(result.open_required)} Pflichtfrage(n) "
                            f"ohne Antwort: {shown}.", Location(rel), "warning"))
    archive = None
    if cfg.archive is not None:
        from ozgkompass.archive.store import prepare

        result = replace(result, answers_file=str(answers_path(cfg.out, rel)))
        archive = prepare(result, aset)
    row = _row(result)
    if imported.prefilled_from is not None:  # a member's prefilled workbook
        row["changed"] = len(imported.changed)
    return {
        "file": rel, "status": "ok", "input_key": key, "sha256": digest,
        "tool_version": __version__,
        "questionnaire": result.questionnaire, "model": result.model,
        "catalogue": result.catalogue.catalogue,
        "problems": [i.to_dict() for i in issues],
        "row": row,
        "prefill": None if imported.prefilled_from is None else {
            "from": imported.prefilled_from, "changed": imported.changed,
            "confirmed": imported.confirmed},
        "services": {s.ozg_id: s.level for s in result.catalogue.services},
        "followups": [{"question": f.question_id, "clarify_with": f.clarify_with}
                      for f in result.followups],
    }, archive


def _row(result: Any) -> dict[str, Any]:
    """The overview row of one municipality; every figure comes from the assessment."""
    m, cat = result.municipality, result.catalogue
    lever = cat.levers[0] if cat.levers else None
    row: dict[str, Any] = {
        "name": m.name, "ars": m.ars, "land": m.land, "kreis": m.kreis, "type": m.type,
        "population": m.population,
        "contact": ", ".join(result.interview.participants) or None,
        "date": result.interview.date,
        "completeness": _round(result.completeness), "index": _round(result.score),
        "band": result.band,
        "areas": {a.id: _round(a.score) for a in result.areas},
        "share_at_target": _round(cat.share_at_target),
        "share_today_at_target": _round(cat.share_today_at_target),
        "themenfelder": {g.name: _round(g.share) for g in cat.by_themenfeld},
        "top_lever": " + ".join(lever.criterion_names) if lever else None,
        "open_required": len(result.open_required),
        "unclear": len(result.followups),
    }
    return row


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


# ----------------------------------------------------------------------------- driver

ARCHIVE_CHUNK = 500  # results per archive transaction


def run_batch(config: BatchConfig,
              progress: Callable[[int, int], None] | None = None) -> BatchResult:
    """Score every spreadsheet under `config.folder`; `progress(done, total)` after each file.
    KeyboardInterrupt (Ctrl-C, or SIGTERM turned into it by the CLI) stops the pool cleanly;
    finished results stay on disk for --resume. With `config.archive`, this process is the
    archive's one writer: workers prepare the entries, it inserts them in chunks."""
    if config.resume:
        remove_stale_temps(config.out)
    files, notes = find_inputs(config.folder, config.out)
    if not files and not notes:
        from ozgkompass.errors import UserError, display_path

        raise UserError(f"{display_path(config.folder)}: der Ordner enthält keine Dateien; "
                        "nichts zu bewerten.", hint="Den Ordner mit den zurückgesandten "
                        "Mappen angeben.")
    items = [(str(p), shown_name(str(p.relative_to(config.folder)))) for p in files]
    drop_stale(config.out, {rel for _, rel in items})
    jobs = max(1, config.jobs or os.cpu_count() or 1)
    records: list[dict[str, Any]] = []
    area_orders: dict[tuple[str, ...], str] = {}  # each area order, first file that has it
    fields: set[str] = set()
    ids: set[str] = set()
    kinds: dict[str, set[str]] = {"questionnaire": set(), "model": set()}
    pending: list[tuple[str, Any]] = []  # (file, prepared archive entry)
    archive_ids: dict[str, int] = {}  # file → its assessment in the archive
    archived = [0]
    samples: dict[bool, list[tuple[str, int, dict[str, Any]]]] = {True: [], False: []}
    conn = None
    if config.archive is not None:
        from ozgkompass.archive.db import connect

        conn = connect(config.archive)
        last_id = conn.execute("SELECT coalesce(max(id), 0) FROM assessments").fetchone()[0]

    def flush() -> None:
        if conn is not None and pending:
            from ozgkompass.archive.store import insert_prepared

            ids = insert_prepared(conn, [entry for _, entry in pending])
            archive_ids.update(zip((f for f, _ in pending), ids, strict=True))
            archived[0] += len(ids)
            pending.clear()

    def keep(summary: dict[str, Any]) -> None:
        entry = summary.pop("archive", None)
        if entry is not None:
            pending.append((summary["file"], entry))
            if len(pending) >= ARCHIVE_CHUNK:
                flush()
        areas = summary.pop("areas")
        if areas and (areas not in area_orders or summary["file"] < area_orders[areas]):
            area_orders[areas] = summary["file"]
        fields.update(summary.pop("themenfelder"))
        ids.update(summary.pop("services"))
        for kind, found in kinds.items():
            value = summary.pop(kind)
            if value:
                found.add(value)
        problems = summary.pop("problems")
        summary["problems"] = len(problems)
        summary["errors"] = sum(1 for d in problems if d["severity"] == "error")
        for i, d in enumerate(problems):
            bucket = samples[d["severity"] == "error"]
            bucket.append((summary["file"], i, d))
            if len(bucket) > 2 * SAMPLE:  # keep those of the first files (any finish order)
                bucket.sort(key=lambda t: t[:2])
                del bucket[SAMPLE:]
        records.append(summary)

    skipped = 0
    total = len(items)

    def done(rec: dict[str, Any], reused: bool) -> None:
        nonlocal skipped
        keep(rec)
        skipped += reused
        if progress:
            progress(len(records), total)

    if progress:
        progress(0, total)
    try:
        # always in workers, also with --jobs 1: the reader can abort its process
        _run_pool(config, items, 1 if total <= 2 else jobs, done)
        flush()
        duplicates = _duplicates(records, config.folder)
        if conn is not None:
            archived[0] -= _unarchive_replaced(conn, records, archive_ids, last_id)
    finally:
        if conn is not None:
            conn.close()
    _sync()
    records.sort(key=lambda r: r["file"])
    sample = [issue_from_dict(d) for bucket in samples.values()
              for _, _, d in sorted(bucket, key=lambda t: t[:2])[:SAMPLE]]
    areas: list[str] = []
    for order, _ in sorted(area_orders.items(), key=lambda kv: kv[1]):
        areas.extend(a for a in order if a not in areas)
    from ozgkompass.catalogue.store import resolve_catalogue

    cat = resolve_catalogue(config.catalogue)
    return BatchResult(records, notes, duplicates, sample, skipped,
                       {"id": cat.id, "version": cat.version, "title": cat.title},
                       sorted(ids), areas, sorted(fields), sorted(kinds["questionnaire"]),
                       sorted(kinds["model"]), config.out, archived[0],
                       questionnaires_dir=config.questionnaires_dir)


def _run_pool(config: BatchConfig, items: list[tuple[str, str]], jobs: int,
              done: Callable[[dict[str, Any], bool], None]) -> None:
    """Score `items` in a pool of `jobs` workers. A worker that dies (a crash inside a
    native library, which no `except` can catch) breaks the pool. The pool works its chunks
    in order, so the file to blame is among the first unfinished ones (as many as the pool
    can have had in hand): those are run again one at a time in a single worker, the file
    that kills it is reported as failed, and the rest goes on in parallel."""
    from concurrent.futures.process import BrokenProcessPool

    from ozgkompass.sources.contained import memory_allowance

    allowance = memory_allowance()
    todo = list(items)
    isolate = 0  # how many of the first files in `todo` to run one at a time
    while todo:
        now, rest = (todo[:isolate], todo[isolate:]) if isolate else (todo, [])
        size = 1 if isolate else max(1, min(32, len(now) // (jobs * 8)))
        chunks = [now[i:i + size] for i in range(0, len(now), size)]
        finished: set[str] = set()
        pool = ProcessPoolExecutor(1 if isolate else jobs, mp_context=_pool_context(),
                                   initializer=_init_worker,
                                   initargs=(config, os.getpid(), allowance,
                                             _project_environment()))
        try:
            # as_completed drops each future once yielded: finished results are freed
            for fut in as_completed([pool.submit(_process_chunk, c) for c in chunks]):
                for rec, reused in fut.result():
                    finished.add(rec["file"])
                    done(rec, reused)
            todo, isolate = rest, 0
        except BrokenProcessPool:
            unfinished = [item for item in now if item[1] not in finished]
            if isolate:
                if unfinished:  # one worker, files in order: the first unfinished one
                    done(_crashed(config, unfinished.pop(0)[1]), False)
                isolate = len(unfinished)
            else:
                isolate = min(len(unfinished), (jobs + 1) * size)
            todo = unfinished + rest
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True, cancel_futures=True)


def _crashed(config: BatchConfig, rel: str) -> dict[str, Any]:
    """The result of a file whose reading killed the worker process."""
    record = _failed(rel, None, [Issue(
        IssueCode.WORKER_CRASHED,
        "Beim Lesen dieser Datei ist der Arbeitsprozess abgestürzt (Fehler "
        "in einer Bibliothek, vermutlich eine beschädigte oder manipulierte Datei); sie wird "
        "übersprungen. Bitte erneut speichern und senden.", Location(rel))])
    _write_record(result_path(config.out, rel), record)
    return _summary(record)


def _sync() -> None:
    """Per-file results are written without fsync each (a rerun recreates them); one sync
    puts them all on disk before the overview names them."""
    try:
        os.sync()
    except (AttributeError, OSError):  # pragma: no cover - platforms without sync()
        pass


def issue_from_dict(d: dict[str, Any]) -> Issue:
    return Issue(IssueCode.of(d["code"]), d["message"], Location(**d["location"]), d["severity"])


def _duplicates(records: list[dict[str, Any]], folder: Path) -> list[Issue]:
    """The same ARS in several files: the newest delivery (date in the Stammdaten, then
    the file's modification time, then its name) counts; each older one is marked
    „ersetzt“ (status `replaced`: not in the overview's figures, not archived)."""
    by_ars: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        if rec.get("ars") and rec["status"] != "replaced":
            by_ars.setdefault(rec["ars"], []).append(rec)
    out = []
    for ars, recs in by_ars.items():
        if len(recs) < 2:
            continue
        recs.sort(key=lambda r: (r.get("date") or "", _mtime(folder / r["file"]), r["file"]))
        newest = recs[-1]
        older = [r["file"] for r in recs[:-1]]
        out.append(Issue(IssueCode.DUPLICATE_MUNICIPALITY, f"Regionalschlüssel {ars} steht auch in "
                         f"{', '.join(older)}; diese Datei ist die neueste Lieferung und zählt.",
                         Location(newest["file"], sheet=MASTER_SHEET, cell=ARS_CELL),
                         "warning"))
        for rec in recs[:-1]:
            rec["status"], rec["replaced_by"] = "replaced", newest["file"]
            out.append(Issue(IssueCode.DUPLICATE_MUNICIPALITY, f"Ersetzt durch {newest['file']} "
                             f"(neuere Lieferung derselben Kommune, Regionalschlüssel {ars}); "
                             "diese Datei zählt nicht und wird nicht archiviert.",
                             Location(rec["file"], sheet=MASTER_SHEET, cell=ARS_CELL),
                             "warning"))
    return out


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _unarchive_replaced(conn: Any, records: list[dict[str, Any]], ids: dict[str, int],
                        last_id: int) -> int:
    """Takes the assessments of replaced files out of the archive again, where this run
    added them (an identical assessment archived earlier stays); returns how many."""
    keep = {ids[r["file"]] for r in records if r["status"] != "replaced" and r["file"] in ids}
    drop = sorted({ids[r["file"]] for r in records if r["status"] == "replaced"
                   and r["file"] in ids and ids[r["file"]] > last_id} - keep)
    if drop:
        from ozgkompass.archive.store import remove

        remove(conn, drop)
    return len(drop)


def drop_stale(out: Path, current: set[str]) -> None:
    """Results and answers files of inputs no longer in the folder (removed since the last
    run): deleted, so the output folder holds the current round only."""
    for sub, suffix in ((RESULTS_DIR, ".json"), (ANSWERS_DIR, ".answers.yaml")):
        base = out / sub
        if not base.is_dir():
            continue
        for top, _, names in os.walk(base):
            for name in names:
                path = Path(top, name)
                rel = str(path.relative_to(base))
                if rel.endswith(suffix) and rel[:-len(suffix)] not in current:
                    path.unlink(missing_ok=True)
