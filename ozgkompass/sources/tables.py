"""One reader for tables in files: CSV (also .txt and .tsv), XLSX/XLSM, ODS and XLS, read
into located rows. Every row keeps its number (the line in a CSV where the record starts,
the row in a sheet as the spreadsheet program shows it), a workbook's rows their sheet.

The catalogue import, the answers CSV of `import`, the member roster, the member list
of `observe` and the Dashboard's export (`observed.ddv`) read through here; what they do
with the rows is theirs. A file is hostile until read: its size is bounded before it is
read, a CSV's line count before it is parsed, and a workbook's zip directory and sheet
extents (`file_guard`) before python-calamine sees it (≈ 8 ms for an 11-sheet file,
against 160–290 ms with openpyxl; calamine builds a dense grid up to the farthest cell and
may abort the process on a hostile sheet, so it only reads what the checks let through).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ozgkompass.errors import Issue, Location, UserError, display_path
from ozgkompass.issue_codes import IssueCode
from ozgkompass.numbers import show
from ozgkompass.sources.file_guard import OLE_MAGIC

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t")
TO_CSV = ("In Excel oder LibreOffice „Speichern unter“ → „CSV UTF-8 (durch Trennzeichen "
          "getrennt)“ wählen.")

Row = tuple[int, list[str]]  # (line or row number, 1-based; the cells' text, stripped)
Merged = list[tuple[tuple[int, int], tuple[int, int]]]  # 0-based (row, col) corners


class TableError(UserError):
    """Why a file cannot be read as a table: a German sentence (`detail`), where
    (`location`) and the issue code, for callers that report issues instead of stopping.
    As a UserError its message starts with the place: `datei.csv, Zeile 3: …`."""

    def __init__(self, code: IssueCode, detail: str, location: Location, *,
                 hint: str | None = None) -> None:
        super().__init__(f"{location}: {detail}", hint=hint)
        self.code = code
        self.detail = detail
        self.location = location

    def issue(self) -> Issue:
        return Issue(self.code, f"{self.detail} {self.hint}" if self.hint else self.detail,
                     self.location)


@dataclass
class Sheet:
    """The rows with any text of one sheet (a CSV has one, without a name)."""

    name: str | None
    rows: list[Row]


@dataclass
class TableFile:
    """A file read into sheets of located rows. `issues`: warnings about the reading (a
    CSV in Windows-1252)."""

    path: Path
    shown: str
    kind: str  # "csv" or "workbook"
    sheets: list[Sheet]
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    issues: list[Issue] = field(default_factory=list)


def kind_of(path: Path) -> str | None:
    """"csv" or "workbook" by the file's ending; None for anything else."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    return None


def read_tables(path: Path, *, max_bytes: int, too_big_hint: str, data: bytes | None = None,
                shown: str | None = None, workbooks: bool = True, cp1252: bool = True,
                max_lines: int | None = None, too_many_hint: str = "",
                wanted: Callable[[str], bool] = lambda sheet: True,
                contained: bool = False) -> TableFile:
    """Read a CSV or (with `workbooks`) a workbook into located rows; raises TableError
    (or UserError when the file cannot be opened) with a German sentence.

    `data`: the file's bytes when the caller has them already. `cp1252`: a CSV that is not
    UTF-8 is read as Windows-1252 (with a warning issue); without, it is refused.
    `max_lines`: line breaks a CSV may have (counted before it is parsed). `wanted`: the
    sheets of a workbook that are read. `contained`: python-calamine reads in a forked
    child under a memory ceiling (`sources.contained`)."""
    from ozgkompass.fsutil import read_input, too_big_text

    shown = shown or display_path(path)
    if data is None:
        data = read_input(path, max_bytes=max_bytes, too_big_hint=too_big_hint,
                          folder_hint="Den Pfad zu einer Tabellendatei angeben.")
    elif len(data) > max_bytes:
        raise TableError(IssueCode.UNREADABLE, too_big_text(len(data), max_bytes),
                         Location(shown), hint=too_big_hint)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    if workbooks and kind_of(path) == "workbook":
        sheets = read_workbook(path, data, shown, wanted, contained=contained)
        return TableFile(path, shown, "workbook", sheets, digest)
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise TableError(IssueCode.UNREADABLE, "Die Datei ist eine Tabellenmappe (Excel oder "
                         "LibreOffice), keine CSV-Datei.", Location(shown),
                         hint="Die Datei mit der Endung .xlsx, .ods oder .xls speichern."
                         if workbooks else TO_CSV)
    text, encoding = decode(data, shown, cp1252=cp1252)
    if max_lines is not None:
        lines = csv_lines(text)
        if lines > max_lines:
            raise TableError(IssueCode.TOO_MANY_ROWS, f"Die CSV-Datei hat {show(lines)} "
                             f"Zeilen, erlaubt sind {show(max_lines)}; ist das die "
                             "richtige Datei?", Location(shown), hint=too_many_hint or None)
    delimiter = sniff_delimiter(text)
    rows = csv_rows(text, delimiter, shown)
    issues = []
    if encoding == "cp1252":
        issues.append(Issue(IssueCode.ENCODING_CP1252,
                            "Datei ist nicht UTF-8-kodiert und wurde als "
                            "Windows-1252 gelesen; Umlaute in der Ausgabe prüfen.",
                            Location(file=shown), severity="warning"))
    return TableFile(path, shown, "csv", [Sheet(None, rows)], digest, encoding, delimiter,
                     issues)


# ----------------------------------------------------------------------------- CSV


def decode(data: bytes, shown: str, *, cp1252: bool = True) -> tuple[str, str]:
    """The text of a CSV and its encoding: UTF-8 (with or without BOM), else Windows-1252
    (Excel's "CSV (Trennzeichen-getrennt)" on Windows) when `cp1252`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise TableError(IssueCode.ENCODING, "Die CSV-Datei ist als UTF-16 („Unicode-Text“) "
                         "gespeichert oder keine Textdatei; bitte als „CSV UTF-8“ speichern.",
                         Location(shown, row=1))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if not cp1252:
            raise TableError(IssueCode.ENCODING, f"Die Datei ist keine UTF-8-Textdatei (Byte "
                             f"{exc.start}).", Location(shown),
                             hint="Die Datei als CSV (UTF-8) speichern.") from None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise TableError(IssueCode.ENCODING, f"Zeichenkodierung nicht erkannt (weder UTF-8 "
                         f"noch Windows-1252, Byte {exc.start}).", Location(shown),
                         hint="Die Datei als CSV (UTF-8) speichern.") from None


def csv_lines(text: str) -> int:
    """Line breaks as the CSV reader sees them (universal newlines: LF, CR LF and a lone
    CR, as old Mac programs write), counted at C speed."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def sniff_delimiter(text: str) -> str:
    """`,`, `;` or tab: the one found most often outside quotes in the first line with
    text (the header); `,` when there is none."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(text: str, delimiter: str, shown: str) -> list[Row]:
    """The records with any text, each with the line it starts on; cells stripped (a line
    break inside a quoted cell stays, CR included)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"',
                        doublequote=True, strict=False)
    rows: list[Row] = []
    line_before = 0
    try:
        for record in reader:
            start = line_before + 1
            line_before = reader.line_num
            cells = [c.strip() for c in record]
            if any(cells):
                rows.append((start, cells))
    except csv.Error:  # e.g. a cell of more than 128 KB
        raise TableError(IssueCode.CSV_SYNTAX, "Die CSV-Datei ist hier nicht lesbar "
                         "(Anführungszeichen nicht geschlossen oder Zelle zu lang); bitte in "
                         "Excel oder LibreOffice neu als CSV speichern.",
                         Location(shown, row=line_before + 1)) from None
    return rows


# ----------------------------------------------------------------------------- workbooks


def cell_text(value: Any) -> str:
    """A cell's value as text: whole numbers without `.0`, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_workbook(path: Path, data: bytes, shown: str,
                  wanted: Callable[[str], bool] = lambda sheet: True, *,
                  contained: bool = False) -> list[Sheet]:
    """The wanted sheets of an XLSX, ODS or XLS as text rows (blank rows left out), after
    the checks of `file_guard`; raises TableError."""
    suffix = path.suffix.lower()
    magic = OLE_MAGIC if suffix == ".xls" else ZIP_MAGIC
    if not data.startswith(magic):
        raise TableError(IssueCode.UNREADABLE,
                         f"Die Datei ist keine gültige {suffix[1:].upper()}-Datei.",
                         Location(shown), hint="In Excel oder LibreOffice öffnen und neu "
                         "als .xlsx oder .ods speichern.")
    from ozgkompass.sources.file_guard import TABLE, inspect

    # a table of the user's own (catalogue, Dashboard export), not a returned template
    problem = inspect(path, lambda sheet: False, data=data, reads=wanted,
                      size_checked=True, wording=TABLE).problem
    if problem:
        raise TableError(IssueCode.UNREADABLE, problem, Location(shown))
    try:
        with quiet_stderr():
            if contained:
                from ozgkompass.sources.contained import run_contained

                book, _ = run_contained(read_book, path, data, wanted, False)
            else:
                book, _ = read_book(path, data, wanted, False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises its own types for every kind of damage,
        # and a Rust panic (pyo3's PanicException) that is not an Exception at all
        raise TableError(IssueCode.UNREADABLE, f"Tabellendatei kann nicht gelesen werden "
                         f"({type(exc).__name__}: {exc}).", Location(shown),
                         hint="In Excel oder LibreOffice öffnen und neu speichern.") from None
    sheets = []
    for name, grid in book.items():
        rows: list[Row] = []
        for number, values in enumerate(grid, start=1):
            cells = [cell_text(v) for v in values]
            if any(cells):
                rows.append((number, cells))
        sheets.append(Sheet(name, rows))
    return sheets


def read_book(path: Path, data: bytes | None = None,
              wanted: Callable[[str], bool] = lambda sheet: True, merged: bool = True
              ) -> tuple[dict[str, list[list[Any]]], dict[str, Merged]]:
    """The wanted sheets as rows of Python values (row 1 first, also when it is empty),
    and with `merged` the merged ranges of each sheet; from `data` when the file's bytes
    are in memory already (as fast as from the path). Only for files `file_guard` let
    through."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path)) if data is None else \
        CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        sheets: dict[str, list[list[Any]]] = {}
        ranges: dict[str, Merged] = {}
        for name in wb.sheet_names:
            if not wanted(name):
                continue
            sh = wb.get_sheet_by_name(name)
            sheets[name] = sh.to_python(skip_empty_area=False)
            if merged:
                try:
                    ranges[name] = list(sh.merged_cell_ranges or [])
                except Exception:  # not every format reports merged ranges
                    ranges[name] = []
        return sheets, ranges
    finally:
        wb.close()


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """The reader's Rust code prints a panic and its backtrace straight to file descriptor
    2 before Python sees the exception; a damaged file gets our one German line instead,
    so stderr is closed off while python-calamine reads (a few milliseconds)."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all
        yield
        return
    try:
        sink = os.open(os.devnull, os.O_WRONLY)
        try:
            sys.stderr.flush()
            os.dup2(sink, 2)
        finally:
            os.close(sink)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def choose_sheet(table: TableFile, name: str | None = None,
                 want: Callable[[list[str]], bool] | None = None,
                 sheet_hint: str | None = None) -> Sheet:
    """The sheet called `name`, else the first whose first row `want` accepts, else the
    first with any text; a CSV's one table. Raises TableError when there is none."""
    if table.kind == "csv":
        return table.sheets[0]
    names = [s.name for s in table.sheets]
    if name is not None:
        if name not in names:
            raise TableError(IssueCode.MISSING_SHEET, f"Blatt {name!r} gibt es nicht. "
                             f"Vorhanden: {', '.join(str(n) for n in names)}.",
                             Location(table.shown), hint=sheet_hint)
        candidates = [s for s in table.sheets if s.name == name]
    else:
        candidates = table.sheets
    filled = [s for s in candidates if s.rows]
    if not filled:
        where = f"Blatt {name!r}" if name else "Die Arbeitsmappe"
        raise TableError(IssueCode.EMPTY_TABLE, f"{where} enthält keine Daten.",
                         Location(table.shown), hint=sheet_hint)
    if want is not None:
        for sheet in filled:
            if want(sheet.rows[0][1]):
                return sheet
    return filled[0]
