"""How large a grid python-calamine would build for each sheet, worked out from the file
before the reader sees it. The reader makes a dense grid up to the farthest cell of a sheet
(and holds every sheet it was asked for), so the work a file causes is its sheets' width ×
height; a 40 KB file can ask for billions of cells and abort the process.

- xlsx: the positions of `<row>` and `<c>` as the reader takes them: an `r` attribute in
  any quoting and any order, or the position after the previous one when `r` is missing
  (valid OOXML). A C-speed count proves the usual file small; any far or unusual reference
  sends the sheet through a real XML parser (expat), which stops as soon as a bound is
  exceeded.
- ods: `number-rows-repeated` and `number-columns-repeated` summed as the reader expands
  them (empty cells only move the position; LibreOffice repeats them to the sheet's end).
- xls: the cell records of every sheet (BIFF), read from the compound file's directory.

Every function returns a list of (sheet, width, height) or raises `TooLarge` / `Damaged`.
"""

from __future__ import annotations

import re
import struct
import xml.parsers.expat
from collections.abc import Iterable
from typing import Any

CHUNK = 1 << 20  # bytes handed to the XML parser at a time


class TooLarge(Exception):
    """A sheet's grid or a count the reader preallocates is beyond the bound: (sheet,
    what) with `what` a German phrase like „bis Zelle XFD1048576“."""

    def __init__(self, sheet: str, what: str) -> None:
        super().__init__(sheet, what)
        self.sheet, self.what = sheet, what


class Damaged(Exception):
    """The structure is not readable (the reader would refuse the file too)."""


def col_letter(col: int) -> str:
    """Spreadsheet column letters of a 1-based column number (1 → A, 27 → AA)."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out or "A"


def cell_name(width: int, height: int) -> str:
    return f"{col_letter(width)}{max(height, 1)}"


def check_grid(sheet: str, width: int, height: int, max_cells: int, max_rows: int,
               cell: str | None = None) -> None:
    """TooLarge naming `cell` (the one that passes the bound; else the grid's corner)."""
    if height > max_rows or width * height > max_cells:
        raise TooLarge(sheet, f"bis Zelle {cell or cell_name(width, height)}")


# ----------------------------------------------------------------------------- xlsx

# a `<c>` or `<row>` whose first attribute is not an explicit near reference (one letter at
# most, three digits at most: inside Z999, in the quoting every writer uses), or one with a
# namespace prefix; one search at C speed (it starts with a literal) finds the first
_UNUSUAL = re.compile(rb'<(?:c(?! r="[A-Za-z]?\d{1,3}")[\s/>]|row(?! r="\d{1,3}")[\s/>]'
                      rb"|[\w.\-]+:(?:c|row)[\s/>])")
NEAR_WIDTH, NEAR_HEIGHT = 26, 999


def xlsx_bound(data: bytes) -> tuple[int, int] | None:
    """An upper bound (width, height) of the reader's grid without parsing, or None when
    the sheet has a cell or row that is far, unusually written (other quoting, another
    attribute first, no `r`, a prefix) or not what it seems (then `xlsx_extent` decides).
    Without one, every cell's position is explicit and within Z999. (A second `r` on an
    element is not well-formed XML; the reader takes the first.)"""
    if _UNUSUAL.search(data) is not None:
        return None
    return NEAR_WIDTH, NEAR_HEIGHT


# the same for any distance: every `<c>` with an explicit reference (1–3 capital letters,
# 1–7 digits) in the usual quoting, every `<row>` with an explicit number, no prefix
_UNUSUAL_FAR = re.compile(rb'<(?:c(?! r="[A-Z]{1,3}\d{1,7}")[\s/>]|row(?! r="\d{1,7}")[\s/>]'
                          rb"|[\w.\-]+:(?:c|row)[\s/>])")
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')


def xlsx_explicit_bound(data: bytes) -> tuple[int, int] | None:
    """An upper bound (width, height) of the reader's grid for a sheet of any size whose
    every cell has an explicit, usually written reference (the farthest of them; a
    reference inside a comment can only raise it), found by searching at C speed; None
    when a cell or row is written otherwise (then `xlsx_extent` decides). A catalogue
    export of 5,000 rows takes milliseconds here, against about 400 ms parsed."""
    if _UNUSUAL_FAR.search(data) is not None:
        return None
    refs = _CELL_REF.findall(data)
    if not refs:
        return 0, 0
    letters = {col for col, _ in refs}
    widest = max(letters, key=lambda col: (len(col), col))
    width = 0
    for ch in widest.decode("ascii"):
        width = width * 26 + (ord(ch) - 64)
    return width, max(int(row) for row in {row for _, row in refs})


def _ref(value: str) -> tuple[int, int] | None:
    """(column, row), 1-based, as the reader parses a reference (letters in either case,
    then digits); None when the reader would refuse it."""
    col = 0
    i, n = 0, len(value)
    while i < n and ("A" <= value[i] <= "Z" or "a" <= value[i] <= "z"):
        col = col * 26 + (ord(value[i].upper()) - 64)
        i += 1
    if i == n:
        return (col, 0) if col else None
    if not value[i:].isascii() or not value[i:].isdigit():
        return None
    return col, int(value[i:])


def xlsx_extent(chunks: Iterable[bytes], sheet: str, max_cells: int,
                max_rows: int) -> tuple[int, int]:
    """The exact (width, height) of the reader's grid, by parsing the sheet's XML: a row
    without `r` is the one after the previous row, a cell without `r` the one after the
    previous cell of its row (as python-calamine does; the grid ends at the last cell).
    Stops with TooLarge at the first cell beyond the bounds."""
    state = {"row": 0, "col": 0, "width": 0, "height": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            r = attrs.get("r")
            pos = _ref(r) if r is not None else None
            state["row"] = pos[1] if pos and pos[0] == 0 else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            r = attrs.get("r")
            pos = _ref(r) if r is not None else None
            if pos and pos[0] and pos[1]:
                col, row = pos
            else:
                col, row = state["col"] + 1, max(state["row"], 1)
            state["col"] = col
            width, height = max(state["width"], col), max(state["height"], row)
            state["width"], state["height"] = width, height
            check_grid(sheet, width, height, max_cells, max_rows, cell_name(col, row))

    _parse(chunks, start)
    return state["width"], state["height"]


def _parse(chunks: Iterable[bytes], start, end=None) -> None:  # type: ignore[no-untyped-def]
    """Feed the XML to expat with these element handlers; a document type definition or
    broken XML is damage (the file check refused DOCTYPEs before already)."""
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end

    def refuse(*args: object) -> None:
        raise Damaged("DOCTYPE")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise Damaged(str(exc)) from None


def in_chunks(data: bytes) -> Iterable[bytes]:
    view = memoryview(data)
    for at in range(0, len(data), CHUNK):
        yield bytes(view[at:at + CHUNK])


_SST = re.compile(rb"""<(?:[\w.\-]+:)?sst\b((?:[^>"']|"[^"]*"|'[^']*')*)""")
_COUNT = re.compile(rb"""(?<![\w.\-])(?:count|uniqueCount)\s*=\s*["']\s*(\d+)""")


def shared_strings_count(head: bytes) -> int:
    """The largest count the shared-strings table announces (the reader reserves room
    for that many strings before it reads one)."""
    m = _SST.search(head)
    if m is None:
        return 0
    return max((int(c) for c in _COUNT.findall(m.group(1))), default=0)


# ----------------------------------------------------------------------------- ods

_ODS_VALUE = ("office:value-type", "calcext:value-type", "table:formula")


def ods_extents(chunks: Iterable[bytes], max_cells: int, max_rows: int,
                max_book: int) -> list[tuple[str, int, int]]:
    """(table, width, height) of each table of an ODS content.xml, up to its last
    non-empty cell with repeats expanded; raises TooLarge as soon as a table or all
    tables together pass the bounds. A cell counts as empty without a value type, a
    formula and any content (LibreOffice's repeated filler cells)."""
    out: list[tuple[str, int, int]] = []
    st: dict[str, Any] = {"name": "", "row": 0, "rows_rep": 1, "col": 0, "width": 0,
                          "height": 0, "cell": None, "depth": 0, "book": 0}

    def finish_cell() -> None:
        cell = st["cell"]
        if cell is None:
            return
        st["cell"] = None
        start_col, reps, filled = cell
        st["col"] = start_col + reps
        if filled:
            st["width"] = max(st["width"], st["col"])
            st["height"] = max(st["height"], st["row"] + st["rows_rep"])
            check_grid(st["name"], st["width"], st["height"], max_cells, max_rows)
            if st["book"] + st["width"] * st["height"] > max_book:
                raise TooLarge(st["name"], "book")

    def start(name: str, attrs: dict[str, str]) -> None:
        if st["cell"] is not None and st["depth"] == 0:
            # the first element inside a cell: it has content
            start_col, reps, _ = st["cell"]
            st["cell"] = (start_col, reps, True)
        if st["cell"] is not None:
            st["depth"] += 1
            return
        if name == "table:table":
            st.update(name=attrs.get("table:name", ""), row=0, rows_rep=1, col=0, width=0,
                      height=0)
        elif name == "table:table-row":
            st["rows_rep"] = _repeat(attrs.get("table:number-rows-repeated"))
            st["col"] = 0
        elif name in ("table:table-cell", "table:covered-table-cell"):
            reps = _repeat(attrs.get("table:number-columns-repeated"))
            st["cell"] = (st["col"], reps, any(k in attrs for k in _ODS_VALUE))
            st["depth"] = 0

    def end(name: str) -> None:
        if st["cell"] is not None:
            if st["depth"]:
                st["depth"] -= 1
                return
            finish_cell()
            return
        if name == "table:table-row":
            st["row"] += st["rows_rep"]
            st["rows_rep"] = 1
        elif name == "table:table":
            out.append((st["name"], st["width"], st["height"]))
            st["book"] += st["width"] * st["height"]

    _parse(chunks, start, end)
    return out


def _repeat(value: str | None) -> int:
    if value is None:
        return 1
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise Damaged(f"repeat {value!r}")
    return max(int(value), 1)


# ----------------------------------------------------------------------------- xls

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
# BIFF cell records with (row, column) as their first two 16-bit fields
_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0204, 0x0205, 0x00D6, 0x0406}
_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column
_EOF, _DIMENSIONS, _BOUNDSHEET, _SST_REC = 0x000A, 0x0200, 0x0085, 0x00FC


def _stream(data: bytes, names: tuple[str, ...]) -> bytes:
    """The content of the first stream called one of `names` in an OLE compound file,
    read with every chain bounded by the number of sectors (a loop is damage)."""
    if len(data) < 512 or data[:8] != OLE_MAGIC:
        raise Damaged("header")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= sector_shift <= 16 or not 2 <= mini_shift < sector_shift:
        raise Damaged("sector size")
    size, mini_size = 1 << sector_shift, 1 << mini_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIII", data, 0x38)
    sectors = max(len(data) // size - 1, 0)  # whole sectors after the header

    def sector(n: int) -> bytes:
        if n >= sectors:
            raise Damaged("sector out of range")
        return data[(n + 1) * size:(n + 2) * size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    nxt, seen = first_difat, 0
    while nxt not in (_FREE, _END) and seen <= sectors:
        block = struct.unpack(f"<{size // 4}I", sector(nxt))
        difat.extend(block[:-1])
        nxt, seen = block[-1], seen + 1
    fat: list[int] = []
    for n in difat[:n_fat] if n_fat <= sectors else []:
        if n in (_FREE, _END):
            continue
        fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))

    def chain(start: int, table: list[int], limit: int) -> Iterable[int]:
        n, count = start, 0
        while n not in (_FREE, _END):
            if n >= len(table) or count > limit:
                raise Damaged("chain")
            yield n
            n, count = table[n], count + 1

    def read(start: int) -> bytes:
        return b"".join(sector(n) for n in chain(start, fat, sectors))

    directory = read(first_dir)
    entries = []
    for at in range(0, len(directory) - 127, 128):
        name_len, kind = struct.unpack_from("<HB", directory, at + 64)
        name = directory[at:at + max(min(name_len, 64) - 2, 0)].decode("utf-16-le", "replace")
        start, length = struct.unpack_from("<II", directory, at + 116)
        entries.append((name, kind, start, length))
    if not entries:
        raise Damaged("directory")
    root = entries[0]
    for name, kind, start, length in entries:
        if kind != 2 or name not in names:
            continue
        if length < cutoff:
            minifat: list[int] = []
            for n in chain(first_minifat, fat, sectors) if n_minifat else ():
                minifat.extend(struct.unpack(f"<{size // 4}I", sector(n)))
            ministream = read(root[2])
            out = b"".join(ministream[n * mini_size:(n + 1) * mini_size]
                           for n in chain(start, minifat, len(minifat)))
        else:
            out = read(start)
        return out[:length]
    raise Damaged("no workbook stream")


def xls_extents(data: bytes, max_cells: int, max_rows: int,
                max_book: int, max_strings: int) -> list[tuple[str, int, int]]:
    """(sheet, width, height) of every worksheet of an Excel 97–2003 file, from its cell
    records and DIMENSIONS (whichever is larger), read before python-calamine opens it.
    Each sheet is walked from the offset the workbook gives for it, as the reader does."""
    stream = _stream(data, ("Workbook", "Book", "WORKBOOK", "BOOK"))
    sheets: dict[int, str] = {}
    for kind, body, _ in _records(stream, 0):
        if kind == _BOUNDSHEET and len(body) >= 8:
            sheets.setdefault(struct.unpack_from("<I", body)[0], _biff_name(body[6:]))
        elif kind == _SST_REC and len(body) >= 8:
            if max(struct.unpack_from("<II", body)) > max_strings:
                raise TooLarge("", "strings")
    out: list[tuple[str, int, int]] = []
    book = 0
    for start, name in sheets.items():
        width = height = 0
        for kind, body, _first in _records(stream, start):
            if kind in _CELLS and len(body) >= 4:
                row, col = struct.unpack_from("<HH", body)
                width, height = max(width, col + 1), max(height, row + 1)
            elif kind in _MULTI and len(body) >= 6:
                row = struct.unpack_from("<H", body)[0]
                last = struct.unpack_from("<H", body, len(body) - 2)[0]
                width, height = max(width, last + 1), max(height, row + 1)
            elif kind == _DIMENSIONS and len(body) >= 10:
                if len(body) >= 14:
                    _, rows, _, cols = struct.unpack_from("<IIHH", body)
                else:
                    _, rows, _, cols = struct.unpack_from("<HHHH", body)
                width, height = max(width, cols), max(height, rows)
            else:
                continue
            check_grid(name, width, height, max_cells, max_rows)
            if book + width * height > max_book:
                raise TooLarge(name, "book")
        out.append((name, width, height))
        book += width * height
    return out


def _records(stream: bytes, at: int) -> Iterable[tuple[int, bytes, bool]]:
    """The BIFF records of one substream from `at` up to its EOF record."""
    n, first = len(stream), True
    while at + 4 <= n:
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, stream[at + 4:at + 4 + length], first
        first, at = False, at + 4 + length
        if kind == _EOF:
            return


def _biff_name(body: bytes) -> str:
    """A BOUNDSHEET's sheet name (BIFF8: length, flags, Latin-1 or UTF-16)."""
    if len(body) < 2:
        return ""
    length, flags = body[0], body[1]
    raw = body[2:2 + length * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
