"""Checks before a returned spreadsheet is parsed: lock files, non-spreadsheets, password
protection, oversized files and zip bombs (uncompressed sizes from the zip directory, which
costs well under a millisecond, instead of letting the reader inflate the sheet)."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled template is ~30 KB
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts of the zip together
MAX_RATIO = 200  # uncompressed / compressed per part; XML of real workbooks stays far below
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and old .xls


def is_lock_file(path: Path) -> bool:
    """Excel's `~$name.xlsx` and LibreOffice's `.~lock.name#` while a file is open."""
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def check_file(path: Path) -> str | None:
    """Why the file must not be parsed (German, one sentence), or None when it may."""
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
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return ("Die Datei ist beschädigt oder unvollständig übertragen (kein lesbares "
                "Zip-Verzeichnis); bitte erneut senden.")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return (f"Die Datei entpackt sich auf {total / 1e6:.0f} MB (höchstens "
                f"{MAX_UNCOMPRESSED_BYTES // 1_000_000} MB); sie wird nicht gelesen.")
    for i in infos:
        big = i.file_size > 1_000_000
        if big and i.compress_size and i.file_size / i.compress_size > MAX_RATIO:
            return (f"Verdächtig stark komprimierter Inhalt ({i.filename}); die Datei wird "
                    "nicht gelesen.")
    return None
