"""Which cells of a returned workbook are formatted as a percentage.

python-calamine gives a cell's value but not its number format: Excel and LibreOffice
store "80 %" typed into a cell as 0.8 with a percent format, which the import would read
as 0.8 %. This module looks the format up for the few answer cells where it matters (a
percentage question whose value is between 0 and 1), straight from the zip: in an xlsx the
cell's style index in the sheet XML and that style's number format in styles.xml; in an
ods the cell's value type in content.xml. Only called for such cells, so a batch does not
pay for it on the usual file. The file has passed `file_guard` before (sizes, DOCTYPE)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

# Excel's built-in percent formats (ECMA-376 18.8.30): 9 = 0%, 10 = 0.00%
_BUILTIN_PERCENT = {9, 10}
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


def percent_cells(path: Path, data: bytes | None, wanted: set[tuple[str, str]]
                  ) -> set[tuple[str, str]]:
    """The (sheet, cell) pairs of `wanted` whose number format is a percentage; empty for
    a file that is not a zip (CSV, old .xls) or that cannot be read this way."""
    if not wanted:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return _xlsx(zf, wanted)
            if "content.xml" in names:
                return _ods(zf, wanted)
    except (zipfile.BadZipFile, OSError, KeyError, ET.ParseError, ValueError):
        pass
    return set()


def _format_is_percent(code: str) -> bool:
    """A format code shows a percentage when it has a % outside quotes and escapes."""
    code = re.sub(r'"[^"]*"|\\.', "", code)
    return "%" in code


def _xlsx(zf: zipfile.ZipFile, wanted: set[tuple[str, str]]) -> set[tuple[str, str]]:
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    files: dict[str, str] = {}
    for s in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(s.get(f"{_NS_REL}id"), "")
        target = target.lstrip("/")
        files[s.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    percent_styles = _percent_styles(zf)
    found: set[tuple[str, str]] = set()
    by_sheet: dict[str, list[str]] = {}
    for sheet, cell in wanted:
        by_sheet.setdefault(sheet, []).append(cell)
    for sheet, cells in by_sheet.items():
        part = files.get(sheet)
        if not part:
            continue
        xml = zf.read(part)
        for cell in cells:
            m = re.search(rb'<(?:\w+:)?c\b[^>]*?\br="' + cell.encode() + rb'"[^>]*>', xml)
            style = m and re.search(rb'\bs="(\d+)"', m.group(0))
            if style and int(style.group(1)) in percent_styles:
                found.add((sheet, cell))
    return found


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes into cellXfs whose number format is a percentage."""
    try:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return set()
    custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "")
              for f in styles.iter(f"{_NS_MAIN}numFmt")}
    percent_ids = _BUILTIN_PERCENT | {i for i, code in custom.items()
                                      if _format_is_percent(code)}
    xfs = styles.find(f"{_NS_MAIN}cellXfs")
    if xfs is None:
        return set()
    return {n for n, xf in enumerate(xfs.findall(f"{_NS_MAIN}xf"))
            if int(xf.get("numFmtId", "0")) in percent_ids}


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _ods(zf: zipfile.ZipFile, wanted: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Walks the wanted sheets' rows and cells (repeats counted) in content.xml; a cell
    typed `percentage` is one."""
    targets: dict[str, dict[int, dict[int, str]]] = {}
    for wanted_sheet, cell in wanted:
        m = _CELL_REF.match(cell)
        if m:
            targets.setdefault(wanted_sheet, {}).setdefault(int(m.group(2)), {})[
                _column_number(m.group(1))] = cell
    found: set[tuple[str, str]] = set()
    t = f"{{{_TABLE}}}"
    sheet: str | None = None
    row = col = 0
    rows_wanted: dict[int, dict[int, str]] = {}
    with zf.open("content.xml") as fh:
        for event, el in ET.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{t}table":
                    sheet = el.get(f"{t}name")
                    rows_wanted = targets.get(sheet or "", {})
                    row = 0
                elif tag == f"{t}table-row" and rows_wanted:
                    row += 1
                    col = 0
                elif tag in (f"{t}table-cell", f"{t}covered-table-cell") and rows_wanted:
                    col += 1
                    cols = rows_wanted.get(row)
                    if cols and col in cols and \
                            el.get(f"{{{_OFFICE}}}value-type") == "percentage":
                        found.add((sheet or "", cols[col]))
                continue
            if tag == f"{t}table-row" and rows_wanted:
                row += int(el.get(f"{t}number-rows-repeated", "1")) - 1
                if row > max(rows_wanted):
                    rows_wanted = {}  # the rest of this sheet is not wanted
            elif tag in (f"{t}table-cell", f"{t}covered-table-cell") and rows_wanted:
                col += int(el.get(f"{t}number-columns-repeated", "1")) - 1
            elif tag == f"{t}table":
                sheet = None
            el.clear()
    return found
