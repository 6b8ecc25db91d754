"""Checks before a returned spreadsheet is parsed: lock files, non-spreadsheets, password
protection, oversized files, zip bombs, XML document type definitions (external entities,
entity expansion) and sheets with absurd row counts. Sizes come from the zip directory and
only the first bytes of each XML part are inflated, which costs about a millisecond for a
filled template, instead of letting the reader inflate everything."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ozgkompass.numbers import show
from ozgkompass.sources import sheet_bounds as B

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled template is ~30 KB
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts of the zip together
MAX_SHEET_BYTES = 25 * 1024 * 1024  # one worksheet's XML (~250,000 short rows)
MAX_ROWS = 20_000  # rows of one sheet; a template sheet has fewer than 100
MAX_CELLS = 2_000_000  # rows × columns up to the farthest cell of a sheet (the reader's grid)
# all sheets the reader holds at once, width × height summed: about 150 MB in the reader
MAX_BOOK_CELLS = 3_000_000
FAST_CELLS = 100_000  # a sheet whose bound from counts stays below is not parsed
MAX_STRINGS = 1_000_000  # entries a shared-strings table may announce (reserved up front)
MAX_RATIO = 200  # uncompressed / compressed per part; XML of real workbooks stays far below
HEAD_BYTES = 64 * 1024  # at most inflated from a non-sheet XML part to find its root element
SHEET_HEAD_BYTES = 4 * 1024  # a worksheet's root element and <dimension> come first
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
OLE_MAGIC = B.OLE_MAGIC  # encrypted xlsx and old .xls
RESAVE = " Bitte in Excel oder LibreOffice neu speichern und erneut senden."
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s+ref\s*=\s*["'][A-Z]*\d+:?[A-Z]*(\d*)["']""")
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"'
                  rb'|<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
# what a damaged zip raises while its directory or a part is read
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
               NotImplementedError, RuntimeError)
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element: a DOCTYPE can only stand before it
# a zip local file header: signature, then (after 22 bytes) the name and extra lengths
_LOCAL = struct.Struct("<4s22xHH")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")  # not <formula1> of data validations
_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>\s*<(?:\w+:)?f[\s>/]')


def is_lock_file(path: Path) -> bool:
    """Excel's `~$name.xlsx` and LibreOffice's `.~lock.name#` while a file is open."""
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


@dataclass
class Inspection:
    """What the checks found: why the file must not be read (German, one sentence) or
    None, and the (sheet, cell) of every formula in an xlsx."""

    problem: str | None = None
    formulas: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Wording:
    """How a refusal speaks of the file: a filled template that a municipality returns
    (`TEMPLATE`: "ausgefüllte Vorlage", "erneut senden") or a table of the user's own, a
    catalogue or Dashboard export (`TABLE`)."""

    resave: str  # ends a refusal: what to do with the file
    damaged: str  # a file whose zip or records are broken
    no_zip: str  # a file without a readable zip directory
    password: str  # a file saved with a password
    none_is: str  # "…; so groß ist {none_is}, die Datei wird nicht gelesen."
    beyond: str  # "Blatt „X“ reicht bis Y, {beyond}; die Datei wird nicht gelesen."
    too_big_for: str  # "Blatt „X“ ist mit N Zeilen viel zu groß{too_big_for} (höchstens …)"
    send: str  # the last sentence where the file is far too large ("" for own tables)


TEMPLATE = Wording(
    resave=RESAVE,
    damaged="Die Datei ist beschädigt oder unvollständig übertragen; bitte erneut speichern "
            "und senden.",
    no_zip="Die Datei ist beschädigt oder unvollständig übertragen (kein lesbares "
           "Zip-Verzeichnis); bitte erneut senden.",
    password="Die Datei ist passwortgeschützt oder verschlüsselt; bitte ohne Kennwort "
             "speichern und erneut senden.",
    none_is="keine ausgefüllte Vorlage",
    beyond="weit über jede ausgefüllte Vorlage hinaus",
    too_big_for=" für eine ausgefüllte Vorlage",
    send=" Bitte die ausgefüllte Mappe senden.")
TABLE = Wording(
    resave=" Bitte in Excel oder LibreOffice öffnen und neu speichern.",
    damaged="Die Datei ist beschädigt oder unvollständig; bitte neu herunterladen oder in "
            "Excel oder LibreOffice neu speichern.",
    no_zip="Die Datei ist beschädigt oder unvollständig (kein lesbares Zip-Verzeichnis); "
           "bitte neu herunterladen oder speichern.",
    password="Die Datei ist passwortgeschützt oder verschlüsselt; bitte ohne Kennwort "
             "speichern.",
    none_is="keine Tabelle, die ozgkompass liest",
    beyond="weit über das hinaus, was ozgkompass liest",
    too_big_for="",
    send="")


def inspect(path: Path, formulas_in: Callable[[str], bool] = lambda sheet: True, *,
            all_parts: bool = True, data: bytes | None = None,
            reads: Callable[[str], bool] = lambda sheet: True,
            size_checked: bool = False, wording: Wording = TEMPLATE) -> Inspection:
    """All checks of a returned spreadsheet, with one pass over the zip; formulas are
    looked for in the sheets `formulas_in` accepts (the others are read only in part).
    `data`: the file's bytes when the caller has read them already (the batch hashes each
    file), so the file is not opened again. `reads`: the sheets the caller will read; the
    reader never parses the others, so only their prolog is looked at (with `all_parts`).
    `size_checked`: the caller has bounded the file's size itself (a catalogue export may
    be larger than a filled template). `wording`: how the refusals speak of the file."""
    if is_lock_file(path):
        return Inspection("Sperrdatei eines gerade geöffneten Dokuments, keine Mappe; die "
                          "eigentliche Datei ohne „~$“ bzw. „.~lock.“ im Namen verwenden.")
    try:
        if data is None:
            size = path.stat().st_size
            with path.open("rb") as fh:
                head = fh.read(8)
        else:
            size, head = len(data), data[:8]
    except OSError as exc:
        return Inspection(f"Datei kann nicht gelesen werden ({exc.strerror}); bitte "
                          "Zugriffsrechte prüfen.")
    if size == 0:
        return Inspection("Die Datei ist leer (0 Byte); bitte die ausgefüllte Mappe erneut "
                          "senden.")
    if size > MAX_FILE_BYTES and not size_checked:
        return Inspection(f"Die Datei ist mit {size / 1e6:.0f} MB zu groß für eine "
                          f"ausgefüllte Mappe (höchstens {MAX_FILE_BYTES // 1_000_000} MB); "
                          "bitte nur die ausgefüllte Vorlage senden.")
    suffix = path.suffix.lower()
    if head == OLE_MAGIC:
        if suffix == ".xls":  # Excel 97–2003: no zip; its sheets' records are checked
            return _check_xls(path, data, wording)
        return Inspection(wording.password)
    if suffix == ".csv":
        return Inspection()
    if not head.startswith(b"PK"):
        return Inspection("Keine Tabellendatei (.xlsx oder .ods); Inhalt passt nicht zur "
                          "Endung." + wording.resave)
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as zf:
            return inspect_zip(zf, formulas_in=formulas_in, all_parts=all_parts, reads=reads,
                               wording=wording)
    except _ZIP_ERRORS:
        return Inspection(wording.no_zip)


def check_zip(zf: zipfile.ZipFile, max_rows: int | None = MAX_ROWS,
              wording: Wording = TEMPLATE) -> str | None:
    """Why the zip must not be read (German), or None. `max_rows=None` skips the limits on
    sheet size (catalogues are large tables; filled templates are small)."""
    return inspect_zip(zf, max_rows, formulas_in=lambda sheet: False, wording=wording).problem


def inspect_zip(zf: zipfile.ZipFile, max_rows: int | None = MAX_ROWS,
                formulas_in: Callable[[str], bool] = lambda sheet: True, *,
                all_parts: bool = True,
                reads: Callable[[str], bool] = lambda sheet: True,
                wording: Wording = TEMPLATE) -> Inspection:
    """The checks of one zip. `all_parts=False` looks for a DOCTYPE only in the sheets
    (which are opened anyway for their size and formulas): python-calamine rejects an
    entity it does not know on its own, so the batch path then asks again with
    `all_parts=True` only for a file the reader refused, for the precise message."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return Inspection(f"Die Datei entpackt sich auf {total / 1e6:.0f} MB (höchstens "
                          f"{MAX_UNCOMPRESSED_BYTES // 1_000_000} MB); sie wird nicht gelesen."
                          + wording.resave)
    for i in infos:
        big = i.file_size > 1_000_000
        if big and i.compress_size and i.file_size / i.compress_size > MAX_RATIO:
            return Inspection(f"Verdächtig stark komprimierter Inhalt ({i.filename}); die "
                              "Datei wird nicht gelesen." + wording.resave)
    names = sheet_parts(zf)
    found: list[tuple[str, str]] = []
    book = 0  # cells of the sheets the reader builds, all together
    if max_rows is not None:
        problem = _check_tables(zf, names, wording)
        if problem:
            return Inspection(problem)
    for i in infos:
        if not i.filename.endswith((".xml", ".rels")) or i.is_dir():
            continue
        sheet = names.get(i.filename)
        where = f"Blatt „{sheet}“" if sheet is not None else i.filename
        if sheet is not None and not reads(sheet):
            sheet = None  # never parsed: like any other part, only its prolog matters
        if sheet is None and not all_parts:
            continue
        scan = sheet is not None and formulas_in(sheet)
        oversized = max_rows is not None and i.file_size > MAX_SHEET_BYTES
        if sheet is not None and (max_rows is not None or scan) and not oversized:
            # a sheet is read whole (its size is bounded above), in one call: its farthest
            # cell and its formulas are looked for in all of it
            data = _inflate(zf, i)
            head = data[:SHEET_HEAD_BYTES]
        else:
            # elsewhere only the first bytes: the prolog, where a DOCTYPE would stand
            with zf.open(i) as fh:
                head = data = fh.read(SHEET_HEAD_BYTES if sheet is not None else HEAD_BYTES)
        root = _ROOT.search(head)
        prolog = head[:root.start()] if root else head
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            return Inspection(f"{where} enthält eine XML-Dokumenttypdefinition "
                              "(DOCTYPE/ENTITY), wie sie Tabellenprogramme nie schreiben "
                              "(externe Entitäten, Entitäten-Bombe); die Datei wird aus "
                              "Sicherheitsgründen nicht gelesen." + wording.resave)
        if sheet is None:
            continue
        if max_rows is not None:
            dim = _DIMENSION.search(head)
            rows = int(dim.group(1)) if dim and dim.group(1) else 0
            if rows > max_rows:
                return Inspection(_too_big(where, f"{rows:,} Zeilen".replace(",", "."),
                                           max_rows, wording))
            if oversized:
                return Inspection(_too_big(where, f"{i.file_size / 1e6:.0f} MB", max_rows,
                                           wording))
            # the reader makes a dense grid up to the farthest cell, whatever <dimension>
            # says: one cell at XFD1048576 in an 11 KB file would need 17 billion cells
            # and abort the process
            try:
                book += _sheet_cells(data, sheet)
            except B.TooLarge as exc:
                return Inspection(_far(exc, wording))
            except B.Damaged:
                return Inspection(wording.damaged)
            if book > MAX_BOOK_CELLS:
                return Inspection(_book_too_big(wording))
        if scan:
            # cells stand before </sheetData>; after it the dropdowns' <formula1>. A plain
            # substring test first (C speed, no copy); the pattern only where it may hit
            end = data.rfind(b"sheetData>")
            end = len(data) if end < 0 else end
            if (data.find(b"<f", 0, end) >= 0 or data.find(b":f", 0, end) >= 0) \
                    and _FORMULA_TAG.search(data, 0, end):
                found += [(sheet, m.group(1).decode())
                          for m in _FORMULA.finditer(data, 0, end)]
    return Inspection(None, found)


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's content, at most its size in the zip directory (checked by the caller).
    A deflated part of an in-memory zip is inflated in one zlib call from the local header
    on (zipfile's own reader takes about twice as long in small steps); anything else
    (stored, encrypted, another method, a file on disk) goes through zipfile."""
    raw = zf.fp
    if isinstance(raw, io.BytesIO) and info.compress_type == zipfile.ZIP_DEFLATED \
            and not info.flag_bits & 0x1:
        buf = raw.getbuffer()
        try:
            at = info.header_offset
            magic, name_len, extra_len = _LOCAL.unpack_from(buf, at)
            if magic == b"PK\x03\x04":
                start = at + _LOCAL.size + name_len + extra_len
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                out = inflater.decompress(buf[start:start + info.compress_size],
                                          info.file_size)
                if len(out) == info.file_size and inflater.eof:
                    return out
        except struct.error:
            pass  # a local header out of range: zipfile says what is wrong
        finally:
            del buf
    return zf.read(info)


col_letter = B.col_letter


def _sheet_cells(data: bytes, sheet: str) -> int:
    """Width × height of the grid the reader builds for one xlsx sheet (an upper bound
    from counts for the usual sheet, else exact); raises B.TooLarge beyond the bounds."""
    bound = B.xlsx_bound(data)
    if bound is not None and bound[0] * bound[1] <= FAST_CELLS:
        return bound[0] * bound[1]  # the usual sheet: all within Z999, few implied cells
    far = B.xlsx_explicit_bound(data)  # a large table whose cells all name their place
    if far is not None and far[1] <= MAX_ROWS and far[0] * far[1] <= MAX_CELLS:
        return far[0] * far[1]
    # beyond the bounds (the parse names the first cell that passes them) or unusual
    width, height = B.xlsx_extent(B.in_chunks(data), sheet, MAX_CELLS, MAX_ROWS)
    return width * height


def _far(exc: B.TooLarge, wording: Wording) -> str:
    if exc.what == "book":
        return _book_too_big(wording)
    if exc.what == "strings":
        return (f"Die Mappe kündigt mehr als {show(MAX_STRINGS)} Texte an; so viele hat "
                f"{wording.none_is}, die Datei wird nicht gelesen." + wording.resave)
    return (f"Blatt „{exc.sheet}“ reicht {exc.what}, {wording.beyond}; die Datei wird "
            "nicht gelesen." + wording.send)


def _book_too_big(wording: Wording) -> str:
    return (f"Die Blätter der Mappe ergeben zusammen mehr als {show(MAX_BOOK_CELLS)} "
            f"Zellen (Breite × Höhe); so groß ist {wording.none_is}, die Datei wird "
            "nicht gelesen." + wording.send)


def _check_tables(zf: zipfile.ZipFile, names: dict[str, str], wording: Wording) -> str | None:
    """What the reader preallocates outside the sheets: the shared-strings table of an
    xlsx (room for as many strings as it announces) and every table of an ODS (the reader
    builds them all when it opens the file, repeats expanded)."""
    try:
        if names:
            for i in zf.infolist():
                if i.filename.lower().endswith("sharedstrings.xml"):
                    with zf.open(i) as fh:
                        if B.shared_strings_count(fh.read(SHEET_HEAD_BYTES)) > MAX_STRINGS:
                            return _far(B.TooLarge("", "strings"), wording)
            return None
        if "content.xml" not in zf.namelist():
            return None
        with zf.open("content.xml") as fh:
            B.ods_extents(iter(lambda: fh.read(B.CHUNK), b""), MAX_CELLS, MAX_ROWS,
                          MAX_BOOK_CELLS)
    except B.TooLarge as exc:
        return _far(exc, wording)
    except B.Damaged:
        return wording.damaged
    return None


def _check_xls(path: Path, data: bytes | None, wording: Wording) -> Inspection:
    try:
        raw = path.read_bytes() if data is None else data
        B.xls_extents(raw, MAX_CELLS, MAX_ROWS, MAX_BOOK_CELLS, MAX_STRINGS)
    except OSError as exc:
        return Inspection(f"Datei kann nicht gelesen werden ({exc.strerror}); bitte "
                          "Zugriffsrechte prüfen.")
    except B.TooLarge as exc:
        return Inspection(_far(exc, wording))
    except (B.Damaged, struct.error):
        return Inspection(wording.damaged)
    return Inspection()


def _too_big(where: str, size: str, max_rows: int, wording: Wording) -> str:
    return (f"{where} ist mit {size} viel zu groß{wording.too_big_for} (höchstens "
            f"{max_rows:,} Zeilen); die Datei wird nicht gelesen.".replace(",", ".")
            + wording.send)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Zip part of each worksheet of an xlsx → the sheet's name (empty for other files)."""
    try:
        book = _inflate(zf, zf.getinfo("xl/workbook.xml"))
        rels = _inflate(zf, zf.getinfo("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets: dict[bytes, bytes] = {}
    for m in _REL.finditer(rels):
        target, rid = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        targets[rid] = target
    out: dict[str, str] = {}
    for m in _SHEET.finditer(book):
        target = targets.get(m.group(2))
        if target is None:
            continue
        text = target.decode("utf-8", "replace")
        part = text.lstrip("/") if text.startswith("/") else posixpath.normpath(
            posixpath.join("xl", text))
        out[part] = _unescape(m.group(1).decode("utf-8", "replace"))
    return out


def _unescape(name: str) -> str:
    if "&" not in name:
        return name
    from xml.sax.saxutils import unescape

    return unescape(name, {"&quot;": '"', "&apos;": "'"})
