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

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled template is ~30 KB
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts of the zip together
MAX_SHEET_BYTES = 25 * 1024 * 1024  # one worksheet's XML (~250,000 short rows)
MAX_ROWS = 20_000  # rows of one sheet; a template sheet has fewer than 100
MAX_CELLS = 2_000_000  # rows × columns up to the farthest cell of a sheet (the reader's grid)
MAX_RATIO = 200  # uncompressed / compressed per part; XML of real workbooks stays far below
HEAD_BYTES = 64 * 1024  # at most inflated from a non-sheet XML part to find its root element
SHEET_HEAD_BYTES = 4 * 1024  # a worksheet's root element and <dimension> come first
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and old .xls
RESAVE = " Bitte in Excel oder LibreOffice neu speichern und erneut senden."
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d+:?[A-Z]*(\d*)"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"'
                  rb'|<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
# what a damaged zip raises while its directory or a part is read
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
               NotImplementedError, RuntimeError)
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element: a DOCTYPE can only stand before it
# a zip local file header: signature, then (after 22 bytes) the name and extra lengths
_LOCAL = struct.Struct("<4s22xHH")
# cell references from column AA on, and cell and row references from row 1000 on; the
# patterns start with a literal (fast scanning), and an attribute merely ending in "r"
# that looks like a far reference is counted too (conservative)
_WIDE = re.compile(rb'r="([A-Z]{2,3})\d')
_DEEP = re.compile(rb'r="[A-Z]{0,3}(\d{4,})"')
# either of the two in one pass (a two-letter column, or a four-digit row after at most one
# letter: three-letter columns are caught by the first branch); twice as fast as spelling
# out both patterns
_FAR = re.compile(rb'r="(?:[A-Z]{2}|[A-Z]?\d{4})')
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


def inspect(path: Path, formulas_in: Callable[[str], bool] = lambda sheet: True, *,
            all_parts: bool = True, data: bytes | None = None,
            reads: Callable[[str], bool] = lambda sheet: True) -> Inspection:
    """All checks of a returned spreadsheet, with one pass over the zip; formulas are
    looked for in the sheets `formulas_in` accepts (the others are read only in part).
    `data`: the file's bytes when the caller has read them already (the batch hashes each
    file), so the file is not opened again. `reads`: the sheets the caller will read; the
    reader never parses the others, so only their prolog is looked at (with `all_parts`)."""
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
    if size > MAX_FILE_BYTES:
        return Inspection(f"Die Datei ist mit {size / 1e6:.0f} MB zu groß für eine "
                          f"ausgefüllte Mappe (höchstens {MAX_FILE_BYTES // 1_000_000} MB); "
                          "bitte nur die ausgefüllte Vorlage senden.")
    suffix = path.suffix.lower()
    if head == OLE_MAGIC:
        if suffix == ".xls":
            return Inspection()  # Excel 97–2003: calamine reads it (no zip to check)
        return Inspection("Die Datei ist passwortgeschützt oder verschlüsselt; bitte ohne "
                          "Kennwort speichern und erneut senden.")
    if suffix == ".csv":
        return Inspection()
    if not head.startswith(b"PK"):
        return Inspection("Keine Tabellendatei (.xlsx oder .ods); Inhalt passt nicht zur "
                          "Endung." + RESAVE)
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as zf:
            return inspect_zip(zf, formulas_in=formulas_in, all_parts=all_parts, reads=reads)
    except _ZIP_ERRORS:
        return Inspection("Die Datei ist beschädigt oder unvollständig übertragen (kein "
                          "lesbares Zip-Verzeichnis); bitte erneut senden.")


def check_zip(zf: zipfile.ZipFile, max_rows: int | None = MAX_ROWS) -> str | None:
    """Why the zip must not be read (German), or None. `max_rows=None` skips the limits on
    sheet size (catalogues are large tables; filled templates are small)."""
    return inspect_zip(zf, max_rows, formulas_in=lambda sheet: False).problem


def inspect_zip(zf: zipfile.ZipFile, max_rows: int | None = MAX_ROWS,
                formulas_in: Callable[[str], bool] = lambda sheet: True, *,
                all_parts: bool = True,
                reads: Callable[[str], bool] = lambda sheet: True) -> Inspection:
    """The checks of one zip. `all_parts=False` looks for a DOCTYPE only in the sheets
    (which are opened anyway for their size and formulas): python-calamine rejects an
    entity it does not know on its own, so the batch path then asks again with
    `all_parts=True` only for a file the reader refused, for the precise message."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return Inspection(f"Die Datei entpackt sich auf {total / 1e6:.0f} MB (höchstens "
                          f"{MAX_UNCOMPRESSED_BYTES // 1_000_000} MB); sie wird nicht gelesen."
                          + RESAVE)
    for i in infos:
        big = i.file_size > 1_000_000
        if big and i.compress_size and i.file_size / i.compress_size > MAX_RATIO:
            return Inspection(f"Verdächtig stark komprimierter Inhalt ({i.filename}); die "
                              "Datei wird nicht gelesen." + RESAVE)
    names = sheet_parts(zf)
    found: list[tuple[str, str]] = []
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
                              "Sicherheitsgründen nicht gelesen." + RESAVE)
        if sheet is None:
            continue
        if max_rows is not None:
            dim = _DIMENSION.search(head)
            rows = int(dim.group(1)) if dim and dim.group(1) else 0
            if rows > max_rows:
                return Inspection(_too_big(where, f"{rows:,} Zeilen".replace(",", "."),
                                           max_rows))
            if oversized:
                return Inspection(_too_big(where, f"{i.file_size / 1e6:.0f} MB", max_rows))
            # the reader makes a dense grid up to the farthest cell, whatever <dimension>
            # says: one cell at XFD1048576 in an 11 KB file would need 17 billion cells
            # and abort the process
            cells = _extent(data)
            if cells is not None:
                return Inspection(f"{where} reicht bis Zelle {cells}, weit über jede "
                                  "ausgefüllte Vorlage hinaus; die Datei wird nicht "
                                  "gelesen. Bitte die ausgefüllte Mappe senden.")
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


def _extent(data: bytes) -> str | None:
    """The farthest cell reference of a sheet's XML when the grid up to it would exceed
    MAX_CELLS (else None). Only references with a two- or three-letter column or a
    four-digit row are looked at: a filled template has few or none."""
    far = _FAR.search(data)
    if far is None:
        return None  # the usual case: one failed search, no list of matches
    cols = [_column_number(m.group(1)) for m in _WIDE.finditer(data, far.start())]
    rows = [int(m.group(1)) for m in _DEEP.finditer(data, far.start())]
    width, height = max(cols, default=26), max(rows, default=999)
    if width * height <= MAX_CELLS and height <= MAX_ROWS:
        return None
    return f"{col_letter(width)}{height}"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def col_letter(col: int) -> str:
    """Spreadsheet column letters of a 1-based column number (1 → A, 27 → AA)."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _too_big(where: str, size: str, max_rows: int) -> str:
    return (f"{where} ist mit {size} viel zu groß für eine ausgefüllte Vorlage (höchstens "
            f"{max_rows:,} Zeilen); bitte die ausgefüllte Mappe senden.".replace(",", "."))


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
