"""The corpus of bad inputs (tests/data/bad/): how each file is made and what the program
must say about it. `python tests/bad_corpus.py [--all]` writes the small files; the three large
ones (huge YAML, 1,000,000 rows as xlsx and CSV) are made in a temporary folder at test time
(committed they would add ~3 MB). Workbooks start from the template of ozg-kommune: when
its version changes, run the script again with --all.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BAD = Path(__file__).resolve().parent / "data" / "bad"
ANS = "questionnaire: {id: ozg-kommune}\nmunicipality: {name: Gemeinde Musterau}\n"


@dataclass(frozen=True)
class Case:
    file: str
    defect: str  # German, for the README table
    code: int  # exit code
    message: str  # part of the one-line message
    where: str  # part of the location the message must name
    command: str = ""  # validate (questionnaires), score (answers files), import (the rest)
    large: bool = False  # made at test time

    @property
    def cmd(self) -> str:
        if self.command:
            return self.command
        if self.file.endswith(".answers.yaml"):
            return "score"
        return "validate" if self.file.endswith(".yaml") else "import"


CASES = [
    # --- YAML: questionnaires (`validate`)
    Case("syntax_error.yaml", "YAML-Syntaxfehler (Klammer nicht geschlossen)", 1,
         "YAML-Syntaxfehler", "syntax_error.yaml:7:"),
    Case("python_tag.yaml", "Tag `!!python/object/apply`, der Code ausführen würde", 1,
         "ist nicht erlaubt", "python_tag.yaml:1:"),
    Case("python_name.yaml", "Tag `!!python/name:os.system`", 1, "ist nicht erlaubt",
         "python_name.yaml:1:"),
    Case("binary_tag.yaml", "Tag `!!binary`", 1, "ist nicht erlaubt", "binary_tag.yaml:1:"),
    Case("billion_laughs.yaml", "Alias-Bombe (9 hoch 8 Werte)", 1, "YAML-Aliase",
         "billion_laughs.yaml:"),
    Case("recursive_alias.yaml", "Alias, der auf sich selbst zeigt", 1, "YAML-Aliase",
         "recursive_alias.yaml:"),
    Case("merge_key_bomb.yaml", "Alias-Bombe über Merge-Schlüssel `<<`", 1, "YAML-Aliase",
         "merge_key_bomb.yaml:"),
    Case("duplicate_key.yaml", "Schlüssel doppelt", 1, "steht doppelt",
         "duplicate_key.yaml:11:"),
    Case("deep_nesting.yaml", "3000 verschachtelte Listen", 1, "verschachtelt",
         "deep_nesting.yaml:1:"),
    Case("deep_mapping.yaml", "150 eingerückte Ebenen", 1, "verschachtelt",
         "deep_mapping.yaml:"),
    Case("huge.yaml", "etwa 7 MB groß (erlaubt 5 MB)", 2, "erlaubt sind 5 MB", "huge.yaml",
         large=True),
    Case("utf16.yaml", "UTF-16 mit BOM", 1, "als UTF-16 gespeichert", "utf16.yaml:1:1"),
    Case("utf16_nobom.yaml", "UTF-16 ohne BOM", 1, "sieht nach UTF-16 aus",
         "utf16_nobom.yaml:1:"),
    Case("utf32.yaml", "UTF-32 mit BOM", 1, "als UTF-32 gespeichert", "utf32.yaml:1:1"),
    Case("latin1.yaml", "Latin-1 statt UTF-8 (ä in Zeile 3)", 1, "Latin-1", "latin1.yaml:3:"),
    Case("bom_in_middle.yaml", "zweites BOM mitten in der Datei (Zeile 4)", 1,
         "Byte-Order-Mark", "bom_in_middle.yaml:4:1"),
    Case("tabs.yaml", "Einrückung mit Tabulator", 1, "Tabulator", "tabs.yaml:6:"),
    Case("control_char.yaml", "Steuerzeichen (BEL) im Text", 1, "Unerlaubtes Zeichen",
         "control_char.yaml:3:"),
    Case("nul_byte.yaml", "NUL-Byte", 1, "Unerlaubtes Zeichen", "nul_byte.yaml:2:"),
    Case("empty.yaml", "leere Datei", 1, "leer", "empty.yaml"),
    Case("only_comment.yaml", "nur ein Kommentar", 1, "leer", "only_comment.yaml"),
    Case("binary.yaml", "PNG-Bild mit Endung .yaml", 1, "nicht UTF-8", "binary.yaml:1:"),
    Case("top_level_list.yaml", "Liste statt Zuordnung", 1, "Zuordnung",
         "top_level_list.yaml:1:"),
    # --- YAML: answers files (`score`)
    Case("python_tag.answers.yaml", "Tag `!!python/object/new` in einer Antwort", 1,
         "ist nicht erlaubt", "python_tag.answers.yaml:4:"),
    Case("alias_bomb.answers.yaml", "Alias-Bombe in den Antworten", 1, "YAML-Aliase",
         "alias_bomb.answers.yaml:"),
    Case("latin1.answers.yaml", "Windows-1252 statt UTF-8", 1, "Windows-1252",
         "latin1.answers.yaml:2:"),
    Case("nan.answers.yaml", "`.nan` als Zahl", 1, "keine gültige Zahl", "nan.answers.yaml:4:"),
    Case("bad_date.answers.yaml", "Datum 30. Februar", 1, "kein gültiges Datum",
         "bad_date.answers.yaml:3:"),
    Case("tabs.answers.yaml", "Tabulator in den Antworten", 1, "Tabulator",
         "tabs.answers.yaml:4:"),
    # --- workbooks (`import`)
    Case("empty.xlsx", "0 Byte", 1, "leer (0 Byte)", "empty.xlsx"),
    Case("truncated.xlsx", "nach der Hälfte abgeschnitten", 1, "unvollständig",
         "truncated.xlsx"),
    Case("not_a_zip.xlsx", "CSV-Text mit Endung .xlsx", 1, "Keine Tabellendatei",
         "not_a_zip.xlsx"),
    Case("html_export.xls", "HTML-Export mit Endung .xls", 1, "Keine Tabellendatei",
         "html_export.xls"),
    Case("ods_as_xlsx.xlsx", "ODS-Datei mit Endung .xlsx", 1, "beschädigt", "ods_as_xlsx.xlsx"),
    Case("zip_bomb.xlsx", "Zip-Bombe (10 MB Nullen in einem Blatt)", 1, "komprimiert",
         "zip_bomb.xlsx"),
    Case("zip_bomb_total.xlsx", "entpackt 120 MB", 1, "entpackt sich auf",
         "zip_bomb_total.xlsx"),
    Case("xxe.xlsx", "externe XML-Entität (file:///etc/passwd)", 1, "DOCTYPE", "xxe.xlsx"),
    Case("xml_bomb.xlsx", "Entitäten-Bombe im Blatt-XML", 1, "DOCTYPE", "xml_bomb.xlsx"),
    Case("far_cell.xlsx", "eine Zelle bei XFD1048576, ohne <dimension>", 1,
         "reicht bis Zelle XFD1048576", "far_cell.xlsx"),
    Case("far_cell.ods", "ODS: wiederholte leere Zeilen und Spalten bis zu einer fernen "
         "Zelle (Rust-Panik im Leser)", 1, "reicht bis Zelle XFD1048576", "far_cell.ods"),
    # --- work bounded before the reader allocates (issue 28): each in its own process too,
    # with the memory and time of `BOUNDED` (tests/test_bounded_work.py)
    Case("far_cell_quoted.xlsx", "ferne Zelle r='XFD1048576' in einfachen Anführungszeichen",
         1, "reicht bis Zelle XFD1048576", "far_cell_quoted.xlsx"),
    Case("far_cell_order.xlsx", "ferne Zelle, `r` nach anderen Attributen und mit Leerzeichen",
         1, "reicht bis Zelle XFD1048576", "far_cell_order.xlsx"),
    Case("deep_cell_quoted.xlsx", "Zelle CV1000000 in einfachen Anführungszeichen", 1,
         "reicht bis Zelle CV1000000", "deep_cell_quoted.xlsx"),
    Case("implied_cells.xlsx", "100.000 Zeilen, dann 50.000 Zellen, alle ohne `r` "
         "(Position implizit)", 1, "reicht bis Zelle A100029", "implied_cells.xlsx"),
    Case("many_sheets.xlsx", "150 verborgene Blätter mit je einer fernen Zelle", 1,
         "zusammen mehr als 3.000.000 Zellen", "many_sheets.xlsx"),
    Case("shared_strings.xlsx", "Tabelle der Texte kündigt 4 Milliarden Einträge an", 1,
         "mehr als 1.000.000 Texte", "shared_strings.xlsx"),
    Case("far_sheets.xls", "Excel 97–2003: 40 Blätter mit je einer Zelle bei IV65536", 1,
         "reicht bis Zelle IV65536", "far_sheets.xls"),
    Case("repeated_cell.ods", "ODS: eine Zelle 1.000.000 × 100-mal wiederholt", 1,
         "reicht bis Zelle", "repeated_cell.ods"),
    Case("password.xlsx", "mit Kennwort gespeichert (verschlüsselt)", 1, "passwortgeschützt",
         "password.xlsx"),
    Case("foreign.xlsx", "fremde Mappe ohne Blatt _ozgkompass", 1, "Keine ozgkompass-Mappe",
         "foreign.xlsx"),
    Case("renamed_sheet.xlsx", "Blatt umbenannt", 1, "fehlt (umbenannt",
         "renamed_sheet.xlsx"),
    Case("old_version.xlsx", "Vorlage einer anderen Fragebogen-Version", 1, "Version 0.1",
         "Blatt '_ozgkompass'"),
    Case("moved_columns.xlsx", "Spalte eingefügt", 1, "Spalten sind verschoben",
         "Zelle C3"),
    Case("merged_cells.xlsx", "Antwortzellen D4:D6 verbunden", 1, "Verbundene Zellen D4:D6",
         "Zelle D4"),
    Case("formula.xlsx", "Formel in einer Antwortzelle", 1, "Formel", "Zelle D5"),
    Case("number_as_text.xlsx", "Zahl „1.234“ als Text (mehrdeutig)", 1, "mehrdeutig",
         "Zelle D"),
    Case("date_for_number.xlsx", "Datum in einer Zahlen-Antwort", 1, "ein Datum", "Zelle D"),
    Case("date_for_text.xlsx", "Datum im Regionalschlüssel", 1, "12 Ziffern", "Zelle B5"),
    Case("million_rows.xlsx", "1.000.000 Zeilen in einem Blatt", 1, "1.000.100 Zeilen",
         "million_rows.xlsx", large=True),
    Case("~$lock.xlsx", "Sperrdatei von Excel", 1, "Sperrdatei", "~$lock.xlsx"),
    Case(".~lock.mappe.xlsx#", "Sperrdatei von LibreOffice", 1, "Sperrdatei",
         ".~lock.mappe.xlsx#"),
    # --- CSV (`import`)
    Case("pipe_delimiter.csv", "Trennzeichen | statt ;", 1, "Semikolon", "Zeile 1"),
    Case("utf16.csv", "als UTF-16 („Unicode-Text“) gespeichert", 1, "UTF-16", "Zeile 1"),
    Case("unknown_question.csv", "unbekannte Frage-ID in Zeile 3", 1, "gibt es in",
         "Zeile 3"),
    Case("million_rows.csv", "1.000.000 Zeilen", 1, "1.000.001 Zeilen", "million_rows.csv",
         large=True),
    Case("cr_rows.csv", "25.000 Zeilen, nur mit CR getrennt (altes Mac-Format)", 1,
         "25.001 Zeilen", "cr_rows.csv"),
]
# memory (MB of address space above an idle CLI) and seconds a bounded file may take alone
BOUNDED = {
    "far_cell.xlsx": (400, 5), "far_cell.ods": (400, 5), "cr_rows.csv": (400, 5),
    "far_cell_quoted.xlsx": (400, 5), "far_cell_order.xlsx": (400, 5),
    "deep_cell_quoted.xlsx": (400, 5), "implied_cells.xlsx": (400, 5),
    "many_sheets.xlsx": (400, 5), "shared_strings.xlsx": (400, 5),
    "far_sheets.xls": (400, 5), "repeated_cell.ods": (400, 5)}
EXCLUDED = {"ten_defects.yaml": "zehn Fehler in einer Datei (test_validate.py)"}


# ----------------------------------------------------------------------------- makers

def _template() -> bytes:
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.template import build_template

    return build_template(find_questionnaire("ozg-kommune"))


def _edit(data: bytes, change: Callable[[object], None]) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _filled() -> bytes:
    from ozgkompass.sources import template as T

    def put(wb):  # type: ignore[no-untyped-def]
        wb[T.MASTER_SHEET]["B3"] = "Gemeinde Musterau"

    return _edit(_template(), put)


def _sheet(n: int) -> str:
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources import template as T

    return T.sheet_title(n, find_questionnaire("ozg-kommune").areas[n - 1].title.de)


def _row_of(wb, sheet: str, qid: str) -> int:  # type: ignore[no-untyped-def]
    ws = wb[sheet]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == qid)


def _set_answer(qid: str, area: int, value: object):  # type: ignore[no-untyped-def]
    def change(wb):  # type: ignore[no-untyped-def]
        ws = wb[_sheet(area)]
        cell = ws.cell(_row_of(wb, _sheet(area), qid), 4, value)
        if isinstance(value, str):
            cell.data_type = "s"
    return change


def _zip_with(data: bytes, part: str, content: bytes) -> bytes:
    """The workbook with one part replaced."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == part else src.read(info))
    return buf.getvalue()


def _xxe() -> bytes:
    data = _filled()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet2.xml")
    evil = (b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + xml.replace(b"Gemeinde Musterau", b"&xxe;"))
    return _zip_with(data, "xl/worksheets/sheet2.xml", evil)


def _xml_bomb() -> bytes:
    data = _filled()
    ents = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'
                                     for i in range(1, 10)]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet2.xml")
    evil = (f'<?xml version="1.0"?>\n<!DOCTYPE w [{"".join(ents)}]>'.encode()
            + xml.replace(b"Gemeinde Musterau", b"&l9;"))
    return _zip_with(data, "xl/worksheets/sheet2.xml", evil)


def _far_cell() -> bytes:
    """One extra cell at XFD1048576 and no <dimension>: 11 KB that would make the reader
    build a grid of 17 billion cells (seen to abort the process before the check)."""
    import re

    data = _filled()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet3.xml")
    xml = re.sub(rb"<dimension[^>]*/>", b"", xml).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
                         b"</c></row></sheetData>")
    return _zip_with(data, "xl/worksheets/sheet3.xml", xml)


def _far_cell_ods() -> bytes:
    """An ODS whose repeated empty rows and columns end in one cell at the far corner:
    python-calamine panics in Rust (a PanicException, not an Exception)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="A">'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row><table:table-row>'
        '<table:table-cell table:number-columns-repeated="16383"/><table:table-cell '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    return _ods_zip(content)


def _sheet_with(extra: bytes, part: str = "xl/worksheets/sheet3.xml") -> bytes:
    """The filled template with `extra` rows appended to one sheet's data."""
    data = _filled()
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part)
    xml = re.sub(rb"<dimension[^>]*/>", b"", xml).replace(b"</sheetData>",
                                                          extra + b"</sheetData>")
    return _zip_with(data, part, xml)


def _far_cell_quoted() -> bytes:
    return _sheet_with(b"<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is>"
                       b"</c></row>")


def _far_cell_order() -> bytes:
    return _sheet_with(b'<row spans="1:1" r = "1048576"><c t="inlineStr" s="0" r = '
                       b'"XFD1048576"><is><t>x</t></is></c></row>')


def _deep_cell_quoted() -> bytes:
    return _sheet_with(b"<row r='1000000'><c r='CV1000000'><v>1</v></c></row>")


def _implied_cells() -> bytes:
    """100,000 empty rows, then a row of 50,000 cells, none with `r` (valid OOXML: the
    reader places each after the previous one): 800 KB of XML for 5 billion cells."""
    return _sheet_with(b"<row/>" * 100_000 + b"<row>" + b"<c/>" * 50_000
                       + b"<c><v>1</v></c></row>")


def _many_sheets() -> bytes:
    """150 hidden sheets, each with one cell at CV19999 (2 million cells each, within the
    bound of one sheet; 300 million together)."""
    data = _filled()
    src = zipfile.ZipFile(io.BytesIO(data))
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row r="19999"><c r="CV19999"><v>1</v></c></row></sheetData>'
             b"</worksheet>")
    book = src.read("xl/workbook.xml")
    rels = src.read("xl/_rels/workbook.xml.rels")
    types = src.read("[Content_Types].xml")
    extra = range(1, 151)
    book = book.replace(b"</sheets>", b"".join(
        f'<sheet name="v{n}" sheetId="{1000 + n}" state="hidden" r:id="rIdV{n}"/>'.encode()
        for n in extra) + b"</sheets>")
    rels = rels.replace(b"</Relationships>", b"".join(
        f'<Relationship Id="rIdV{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/v{n}.xml"/>'.encode()
        for n in extra) + b"</Relationships>")
    types = types.replace(b"</Types>", b"".join(
        f'<Override PartName="/xl/worksheets/v{n}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'.encode()
        for n in extra) + b"</Types>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            content = {"xl/workbook.xml": book, "xl/_rels/workbook.xml.rels": rels,
                       "[Content_Types].xml": types}.get(info.filename)
            out.writestr(info.filename, content if content is not None else src.read(info))
        for n in extra:
            out.writestr(f"xl/worksheets/v{n}.xml", sheet)
    return buf.getvalue()


def _shared_strings() -> bytes:
    """A shared-strings table that announces 4 billion entries (the reader reserves room
    for all of them first: 96 GB, then the process aborts)."""
    data = _filled()
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/xl/'
                                          b'sharedStrings.xml" ContentType="application/'
                                          b"vnd.openxmlformats-officedocument.spreadsheetml."
                                          b'sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdS" '
                                          b'Type="http://schemas.openxmlformats.org/'
                                          b'officeDocument/2006/relationships/sharedStrings" '
                                          b'Target="sharedStrings.xml"/></Relationships>')
            out.writestr(info.filename, content)
        out.writestr("xl/sharedStrings.xml", b'<?xml version="1.0"?><sst xmlns="http://'
                     b'schemas.openxmlformats.org/spreadsheetml/2006/main" count='
                     b"'4000000000' uniqueCount='4000000000'><si><t>x</t></si></sst>")
    return buf.getvalue()


def _far_sheets_xls() -> bytes:
    """An Excel 97–2003 file (compound file, BIFF8) with 40 sheets, each with one number
    at IV65536: 16.7 million cells a sheet."""
    import struct

    def rec(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    bof_globals = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0x0600))
    bof_sheet = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0x0600))
    eof = rec(0x000A, b"")
    sheet = (bof_sheet + rec(0x0200, struct.pack("<IIHHH", 0, 65536, 0, 256, 0))
             + rec(0x0203, struct.pack("<HHHd", 65535, 255, 15, 1.0)) + eof)
    names = [f"B{n}".encode() for n in range(40)]
    bound_len = sum(len(rec(0x0085, b"\0" * (8 + len(n)))) for n in names)
    start = len(bof_globals) + bound_len + len(eof)
    globals_ = bof_globals
    for n, name in enumerate(names):
        globals_ += rec(0x0085, struct.pack("<IBBBB", start + n * len(sheet), 0, 0,
                                            len(name), 0) + name)
    stream = globals_ + eof + sheet * len(names)
    return _compound_file("Workbook", stream)


def _compound_file(name: str, stream: bytes) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) with one stream."""
    import struct

    size = 512
    stream = stream + b"\0" * (-max(len(stream), 4096) % size + max(0, 4096 - len(stream)))
    n_stream = len(stream) // size
    # sectors: [FAT] [directory] [stream...]
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [2 + i + 1 for i in range(n_stream - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (size // 4 - len(fat))
    assert len(fat) == size // 4
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
              + struct.pack("<I", 0) + struct.pack("<I", 0)[:0])
    header = header[:0x4C] + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108))
    header = header[:0x2C] + struct.pack("<II", 1, 1) + header[0x34:]

    def entry(label: str, kind: int, start: int, length: int, child: int) -> bytes:
        raw = label.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child) + b"\0" * 36
                + struct.pack("<IIi", start, length, 0))

    directory = (entry("Root Entry", 5, 0xFFFFFFFE, 0, 1)
                 + entry(name, 2, 2, len(stream), 0xFFFFFFFF) + b"\0" * 256)
    return header + struct.pack(f"<{size // 4}I", *fat) + directory + stream


def _repeated_cell_ods() -> bytes:
    """800 bytes: one number cell repeated 100 times in a row repeated 1,000,000 times."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="A">'
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="100" office:value-type="float" office:value="1"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>")
    return _ods_zip(content)


def _ods_zip(content: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return buf.getvalue()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * 10_000_000 + b"</a>")
    return buf.getvalue()


def _zip_bomb_total() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for i in range(120):  # each part under 1 MB, so only the total gives it away
            zf.writestr(f"xl/media/p{i}.xml", b" " * 1_000_000)
    return buf.getvalue()


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", '<?xml version="1.0"?><office:document-content '
                    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return buf.getvalue()


def _foreign() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Kommune", "Portal"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rename(wb) -> None:  # type: ignore[no-untyped-def]
    wb[_sheet(1)].title = "Portal"


def _old_version(wb) -> None:  # type: ignore[no-untyped-def]
    wb["_ozgkompass"]["B2"] = "0.1"


def _moved(wb) -> None:  # type: ignore[no-untyped-def]
    wb[_sheet(1)].insert_cols(3)


def _merged(wb) -> None:  # type: ignore[no-untyped-def]
    wb[_sheet(1)].merge_cells("D4:D6")


def _formula(wb) -> None:  # type: ignore[no-untyped-def]
    wb[_sheet(1)]["D5"] = '=IF(1,"ja","nein")'


def _date_ars(wb) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    wb["Stammdaten"]["B5"] = dt.datetime(2026, 3, 15)


def million_rows_xlsx(path: Path) -> None:
    """The template with 1,000,000 extra rows on the first area sheet (~5 MB zipped)."""
    data = _filled()
    part = "xl/worksheets/sheet3.xml"
    src = zipfile.ZipFile(io.BytesIO(data))
    xml = src.read(part).decode()
    head, rest = xml.split("<sheetData>", 1)
    rows_end = rest.index("</sheetData>")
    head = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:I1000100" />', head)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != part:
                out.writestr(info.filename, src.read(info))
                continue
            with out.open(part, "w") as fh:
                fh.write((head + "<sheetData>" + rest[:rows_end]).encode())
                for n in range(100, 1_000_100, 1000):
                    fh.write("".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>z{r}</t>'
                                     "</is></c></row>" for r in range(n, n + 1000)).encode())
                fh.write(rest[rows_end:].encode())


def million_rows_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("frage_id;antwort\n")
        fh.writelines(f"zeile_{n};ja\n" for n in range(1_000_000))


def huge_yaml(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id: riesig\nareas:\n")
        fh.writelines(f"  - {{id: a{n}, title: Bereich {n}}}\n" for n in range(200_000))


LARGE = {"huge.yaml": huge_yaml, "million_rows.xlsx": million_rows_xlsx,
         "million_rows.csv": million_rows_csv}


def small_files() -> dict[str, bytes]:
    deep_map = "".join(f"{'  ' * i}k{i}:\n" for i in range(150)) + "  " * 150 + "x\n"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi",
                                                                     strict=True))
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256))
    q = "id: test\nversion: '1'\ntitle: Test\nareas: []\n"
    return {
        "python_name.yaml": b"id: !!python/name:os.system\nversion: '1'\n",
        "binary_tag.yaml": b"id: !!binary aGFsbG8=\nversion: '1'\n",
        "recursive_alias.yaml": b"id: x\nareas: &a [*a]\n",
        "merge_key_bomb.yaml": (bomb.replace("i: &i", "m: &i") + "n: {<<: *i}\n").encode(),
        "deep_nesting.yaml": ("id: " + "[" * 3000 + "]" * 3000 + "\n").encode(),
        "deep_mapping.yaml": ("id: tief\n" + deep_map).encode(),
        "utf16.yaml": q.encode("utf-16"),
        "utf16_nobom.yaml": q.encode("utf-16-le"),
        "utf32.yaml": q.encode("utf-32"),
        "latin1.yaml": "id: test\nversion: '1'\ntitle: Prüfung\nareas: []\n".encode("latin-1"),
        "bom_in_middle.yaml": ("\ufeff" + q[:-10] + "\ufeffareas: []\n").encode("utf-8"),
        "tabs.yaml": b"id: test\nversion: '1'\ntitle: Test\nareas:\n  - id: a\n\ttitle: A\n",
        "control_char.yaml": b"id: test\nversion: '1'\ntitle: 'Glocke \x07'\nareas: []\n",
        "nul_byte.yaml": b"id: test\nversion: '1\x00'\n",
        "empty.yaml": b"",
        "only_comment.yaml": b"# noch nichts\n",
        "binary.yaml": png,
        "top_level_list.yaml": b"- id: test\n- version: '1'\n",
        "python_tag.answers.yaml": (ANS + "answers:\n  portal_type: !!python/object/new:"
                                    "os.system [echo pwned]\n").encode(),
        "alias_bomb.answers.yaml": (ANS + "answers: {}\n" + bomb).encode(),
        "latin1.answers.yaml": ("questionnaire: {id: ozg-kommune}\nmunicipality: {name: "
                                "Gemeinde Müritz}\nanswers: {}\n").encode("cp1252"),
        "nan.answers.yaml": (ANS + "answers:\n  staff_trained_share: .nan\n").encode(),
        "bad_date.answers.yaml": (b"questionnaire: {id: ozg-kommune}\nmunicipality: {name: X}\n"
                                  b"interview: {date: 2026-02-30}\nanswers: {}\n"),
        "tabs.answers.yaml": (ANS + "answers:\n\tportal_type: keins\n").encode(),
        "empty.xlsx": b"",
        "truncated.xlsx": _filled()[:20_000],
        "not_a_zip.xlsx": b"Kommune;Portal\nMusterau;ja\n",
        "html_export.xls": b"<html><body><table><tr><td>Musterau</td></tr></table></body></html>",
        "ods_as_xlsx.xlsx": _ods(),
        "zip_bomb.xlsx": _zip_bomb(),
        "zip_bomb_total.xlsx": _zip_bomb_total(),
        "xxe.xlsx": _xxe(),
        "xml_bomb.xlsx": _xml_bomb(),
        "far_cell.xlsx": _far_cell(),
        "far_cell.ods": _far_cell_ods(),
        "far_cell_quoted.xlsx": _far_cell_quoted(),
        "far_cell_order.xlsx": _far_cell_order(),
        "deep_cell_quoted.xlsx": _deep_cell_quoted(),
        "implied_cells.xlsx": _implied_cells(),
        "many_sheets.xlsx": _many_sheets(),
        "shared_strings.xlsx": _shared_strings(),
        "far_sheets.xls": _far_sheets_xls(),
        "repeated_cell.ods": _repeated_cell_ods(),
        "cr_rows.csv": b"frage_id;antwort\r" + b"x;y\r" * 25_000,
        "password.xlsx": _encrypted(),
        "foreign.xlsx": _foreign(),
        "renamed_sheet.xlsx": _edit(_filled(), _rename),
        "old_version.xlsx": _edit(_filled(), _old_version),
        "moved_columns.xlsx": _edit(_filled(), _moved),
        "merged_cells.xlsx": _edit(_filled(), _merged),
        "formula.xlsx": _edit(_filled(), _formula),
        "number_as_text.xlsx": _edit(_filled(), _set_answer("staff_trained_share", 6, "1.234")),
        "date_for_number.xlsx": _edit(_filled(), _set_answer_date()),
        "date_for_text.xlsx": _edit(_filled(), _date_ars),
        "~$lock.xlsx": b"\x0bFrau Beispiel" + b"\x20" * 40 + b"\x00" * 100,
        ".~lock.mappe.xlsx#": b",Frau Beispiel,rechner,23.11.2026 10:00,file:///home/b;\n",
        "pipe_delimiter.csv": b"frage_id|antwort\nportal_type|keins\n",
        "utf16.csv": "frage_id;antwort\nkommune.name;Gemeinde Müritz\n".encode("utf-16"),
        "unknown_question.csv": b"frage_id;antwort\nkommune.name;Musterau\nportal_typo;ja\n"
,
    }


def _set_answer_date():  # type: ignore[no-untyped-def]
    import datetime as dt

    return _set_answer("staff_trained_share", 6, dt.datetime(2026, 1, 5))


def _encrypted() -> bytes:
    """A workbook saved with a password (Excel's agile encryption, password „geheim“), made
    with msoffcrypto-tool; without that tool the committed file is kept."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return (BAD / "password.xlsx").read_bytes()
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_filled())).encrypt("geheim", out)
    return out.getvalue()


COMMANDS = {"validate": "`validate`", "score": "`score`", "import": "`import --out …`"}


def readme() -> str:
    """tests/data/bad/README.md: one row per file (written by this script)."""
    lines = [
        "# Korpus fehlerhafter Eingaben",
        "",
        "Eine Datei je Fehler. `tests/test_bad_corpus.py` ruft für jede den genannten Befehl "
        "auf und prüft: eine deutsche Zeile mit Ort (Datei, Zeile oder Blatt/Zelle), den "
        "Exit-Code, keinen Traceback, keine geschriebene Datei, höchstens 20 s und 1 GB "
        "Adressraum (RLIMIT_AS). Erzeugt mit `python tests/bad_corpus.py` (`--all` schreibt "
        "alle neu, `password.xlsx` braucht dafür msoffcrypto-tool); die mit „(groß)“ "
        "markierten Dateien entstehen erst im Test in einem temporären Ordner (zusammen "
        "etwa 3 MB gepackt). Die Mappen gehen von der Vorlage für `ozg-kommune` aus: nach "
        "einer neuen Version des Fragebogens das Skript mit `--all` erneut ausführen.",
        "",
        "| Datei | Fehler | Befehl | Exit | Meldung enthält | Ort |",
        "|---|---|---|---|---|---|",
    ]
    for c in CASES:
        name = f"`{c.file}`" + (" (groß)" if c.large else "")
        lines.append(f"| {name} | {c.defect} | {COMMANDS[c.cmd]} | {c.code} | "
                     f"{c.message.replace('|', '¦')} | {c.where} |")
    lines += ["", "Nicht im Korpus-Test:", ""]
    lines += [f"- `{name}`: {why}" for name, why in EXCLUDED.items()]
    return "\n".join(lines) + "\n"


def write_small(folder: Path = BAD, every: bool = False) -> None:
    """Missing files (all with `every`: workbooks carry a timestamp, so rewriting them all
    changes every file) and the README."""
    for name, data in small_files().items():
        if every or not (folder / name).exists():
            (folder / name).write_bytes(data)
    (folder / "README.md").write_text(readme(), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    write_small(every="--all" in sys.argv)
    print(f"{BAD}: fehlende Dateien und README.md geschrieben (alle mit --all)")
