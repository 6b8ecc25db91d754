"""Checks before a returned spreadsheet is parsed: lock files, non-spreadsheets, password
protection, oversized files, zip bombs, XML document type definitions (external entities,
entity expansion) and sheets with absurd row counts. Sizes come from the zip directory and
only the first bytes of each XML part are inflated, which costs about a millisecond for a
filled template, instead of letting the reader inflate everything."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled template is ~30 KB
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts of the zip together
MAX_SHEET_BYTES = 25 * 1024 * 1024  # one worksheet's XML (~250,000 short rows)
MAX_ROWS = 20_000  # rows of one sheet; a template sheet has fewer than 100
MAX_RATIO = 200  # uncompressed / compressed per part; XML of real workbooks stays far below
HEAD_BYTES = 64 * 1024  # inflated from each XML part to look for a DOCTYPE
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and old .xls
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d+:?[A-Z]*(\d*)"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"'
                  rb'|<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
# what a damaged zip raises while its directory or a part is read
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
               NotImplementedError, RuntimeError)
_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>\s*<(?:\w+:)?f[\s>/]')


def is_lock_file(path: Path) -> bool:
    """Excel's `~$name.xlsx` and LibreOffice's `.~lock.name#` while a file is open."""
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def check_file(path: Path) -> str | None:
    """Why the file must not be parsed (German, one sentence), or None when it may."""
    if is_lock_file(path):
        return ("Sperrdatei eines gerade geöffneten Dokuments, keine Mappe; die eigentliche "
                "Datei ohne „~$“ bzw. „.~lock.“ im Namen verwenden.")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return f"Datei kann nicht gelesen werden ({exc.strerror})."
    if size == 0:
        return "Die Datei ist leer (0 Byte); bitte die ausgefüllte Mappe erneut senden."
    if size > MAX_FILE_BYTES:
        return (f"Die Datei ist mit {size / 1e6:.0f} MB zu groß für eine ausgefüllte Mappe "
                f"(höchstens {MAX_FILE_BYTES // 1_000_000} MB).")
    suffix = path.suffix.lower()
    if head == OLE_MAGIC:
        if suffix == ".xls":
            return None  # Excel 97–2003: python-calamine reads it (no zip directory to check)
        return ("Die Datei ist passwortgeschützt oder verschlüsselt; bitte ohne Kennwort "
                "speichern und erneut senden.")
    if suffix == ".csv":
        return None
    if not head.startswith(b"PK"):
        return "Keine Tabellendatei (.xlsx oder .ods); Inhalt passt nicht zur Endung."
    try:
        with zipfile.ZipFile(path) as zf:
            return check_zip(zf)
    except _ZIP_ERRORS:
        return ("Die Datei ist beschädigt oder unvollständig übertragen (kein lesbares "
                "Zip-Verzeichnis); bitte erneut senden.")


def check_zip(zf: zipfile.ZipFile, max_rows: int | None = MAX_ROWS) -> str | None:
    """Why the zip must not be read (German), or None. `max_rows=None` skips the limits on
    sheet size (catalogues are large tables; filled templates are small)."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return (f"Die Datei entpackt sich auf {total / 1e6:.0f} MB (höchstens "
                f"{MAX_UNCOMPRESSED_BYTES // 1_000_000} MB); sie wird nicht gelesen.")
    for i in infos:
        big = i.file_size > 1_000_000
        if big and i.compress_size and i.file_size / i.compress_size > MAX_RATIO:
            return (f"Verdächtig stark komprimierter Inhalt ({i.filename}); die Datei wird "
                    "nicht gelesen.")
    names = sheet_parts(zf)
    for i in infos:
        if not i.filename.endswith((".xml", ".rels")) or i.is_dir():
            continue
        with zf.open(i) as fh:
            head = fh.read(HEAD_BYTES)
        where = f"Blatt „{names[i.filename]}“" if i.filename in names else i.filename
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            return (f"{where} enthält eine XML-Dokumenttypdefinition (DOCTYPE/ENTITY), wie sie "
                    "Tabellenprogramme nie schreiben (externe Entitäten, Entitäten-Bombe); "
                    "die Datei wird aus Sicherheitsgründen nicht gelesen.")
        if i.filename in names and max_rows is not None:
            dim = _DIMENSION.search(head)
            rows = int(dim.group(1)) if dim and dim.group(1) else 0
            if rows > max_rows or i.file_size > MAX_SHEET_BYTES:
                size = f"{rows:,} Zeilen".replace(",", ".") if rows > max_rows else \
                    f"{i.file_size / 1e6:.0f} MB"
                return (f"{where} ist mit {size} viel zu groß für eine ausgefüllte Vorlage "
                        f"(höchstens {max_rows:,} Zeilen); bitte die ausgefüllte Mappe "
                        "senden.".replace(",", "."))
    return None


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Zip part of each worksheet of an xlsx → the sheet's name (empty for other files)."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
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
    from xml.sax.saxutils import unescape

    return unescape(name, {"&quot;": '"', "&apos;": "'"})


def formula_cells(path: Path) -> list[tuple[str, str]]:
    """(sheet, cell) of every formula in an xlsx: answers must be values, and a formula
    either has no stored result (written by a script) or one the reader cannot check."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    found: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            for part, name in sheet_parts(zf).items():
                try:
                    xml = zf.read(part)
                except KeyError:
                    continue
                if b"<f" not in xml:
                    continue
                found += [(name, m.group(1).decode()) for m in _FORMULA.finditer(xml)]
    except _ZIP_ERRORS:
        return []
    return found
