"""The one table reader (`sources.tables`): CSV, XLSX, ODS and XLS into located rows, with
every file made here (or, for .xls and LibreOffice's .ods, converted once by LibreOffice
and kept in tests/data/tables: nothing in Python writes them)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from ozgkompass.catalogue.importer import import_catalogue
from ozgkompass.errors import UserError
from ozgkompass.sources.tables import TableError, choose_sheet, read_tables

DATA = Path(__file__).parent / "data"
LIMIT = 1024 * 1024


def _read(path: Path, **kwargs):  # type: ignore[no-untyped-def]
    return read_tables(path, max_bytes=kwargs.pop("max_bytes", LIMIT), too_big_hint="Hinweis.",
                       **kwargs)


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet, as a zip with content.xml (LibreOffice writes
    more, the reader needs no more)."""
    body = []
    for name, rows in sheets.items():
        body.append(f'<table:table table:name="{escape(name)}">')
        for row in rows:
            body.append("<table:table-row>")
            for v in row:
                if v is None:
                    body.append("<table:table-cell/>")
                elif isinstance(v, int | float):
                    body.append(f'<table:table-cell office:value-type="float" '
                                f'office:value="{v}"><text:p>{v}</text:p></table:table-cell>')
                else:
                    body.append(f'<table:table-cell office:value-type="string"><text:p>'
                                f"{escape(str(v))}</text:p></table:table-cell>")
            body.append("</table:table-row>")
        body.append("</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(body)
        + "</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


# ----------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiter_is_sniffed_and_rows_keep_their_lines(tmp_path, delimiter):
    d = delimiter
    text = (f"\ufeffOZG-ID{d}Name{d}Notiz\r\n\r\n10110{d}Abfall{d}\"zwei\r\nZeilen, ja\"\r\n"
            f"\r\n{d}{d}\r\n10092{d} Wohngeld {d}x\r\n")
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    read = _read(path)
    assert (read.kind, read.delimiter, read.encoding, read.issues) == ("csv", d, "utf-8", [])
    [sheet] = read.sheets
    assert sheet.name is None
    # blank lines and rows of empty cells are left out, the numbers stay the file's lines;
    # a line break inside quotes stays in its cell (CR included)
    assert sheet.rows == [(1, ["OZG-ID", "Name", "Notiz"]),
                          (3, ["10110", "Abfall", "zwei\r\nZeilen, ja"]),
                          (7, ["10092", "Wohngeld", "x"])]
    assert read.sha256.startswith("sha256:") and len(read.sha256) == 71


def test_csv_in_windows_1252_is_read_with_a_warning(tmp_path):
    path = tmp_path / "alt.csv"
    path.write_bytes("Schlüssel;Größe\nÄrger;Maß\n".encode("cp1252"))
    read = _read(path)
    assert read.encoding == "cp1252"
    assert read.sheets[0].rows[1] == (2, ["Ärger", "Maß"])
    [issue] = read.issues
    assert (issue.code, issue.severity, issue.location.file) == (
        "encoding-cp1252", "warning", read.shown)
    assert "Windows-1252" in issue.message
    with pytest.raises(TableError, match="ist keine UTF-8-Textdatei") as info:
        _read(path, cp1252=False)
    assert info.value.code == "encoding"


def test_utf16_and_binary_are_refused_at_line_1(tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes("frage_id;antwort\n".encode("utf-16"))
    with pytest.raises(TableError) as info:
        _read(path)
    assert info.value.code == "encoding" and info.value.location.row == 1
    assert "UTF-16" in str(info.value) and str(info.value).startswith(f"{read_shown(path)}, "
                                                                      "Zeile 1: ")
    issue = info.value.issue()
    assert issue.location.row == 1 and "CSV UTF-8" in issue.message


def read_shown(path: Path) -> str:
    from ozgkompass.errors import display_path

    return display_path(path)


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "gross.csv"
    path.write_bytes(b"a;b\n" + b"1;2\n" * 300_000)  # 1.2 MB
    with pytest.raises(UserError, match="erlaubt sind 1 MB; sie wird nicht gelesen") as info:
        _read(path)
    assert "Hinweis." in str(info.value)
    # bytes the caller has read already are bounded the same way
    with pytest.raises(TableError, match="erlaubt sind 1 MB"):
        _read(path, data=path.read_bytes())


def test_line_limit_is_checked_before_parsing(tmp_path):
    path = tmp_path / "lang.csv"
    path.write_bytes(b"a;b\r" + b"1;2\r" * 30)  # lone CR, as old Mac programs write
    with pytest.raises(TableError, match="31 Zeilen, erlaubt sind 30") as info:
        _read(path, max_lines=30, too_many_hint="Liste teilen.")
    assert info.value.code == "too-many-rows" and "Liste teilen." in str(info.value)
    assert len(_read(path, max_lines=31).sheets[0].rows) == 31


def test_unclosed_quote_is_located(tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_bytes(b"a;b\n1;2\n3;\"" + b"x" * 200_000 + b"\n")
    with pytest.raises(TableError, match="nicht lesbar") as info:
        _read(path)
    assert info.value.code == "csv-syntax" and info.value.location.row == 3


def test_a_workbook_saved_as_csv_is_named(tmp_path):
    import openpyxl

    path = tmp_path / "liste.csv"
    openpyxl.Workbook().save(path)
    with pytest.raises(TableError, match="ist eine Tabellenmappe"):
        _read(path)
    with pytest.raises(TableError, match="CSV UTF-8"):
        _read(path, workbooks=False)


# ----------------------------------------------------------------------------- workbooks


def test_xlsx_sheets_rows_and_cell_text(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Leer"
    ws = wb.create_sheet("Daten")
    ws["B2"] = "Schlüssel"
    ws["C2"] = "Wert"
    ws["B3"] = 99001001000000
    ws["C3"] = 12.5
    ws["B5"] = dt.datetime(2026, 3, 1)
    ws["C5"] = True
    path = tmp_path / "mappe.xlsx"
    wb.save(path)
    read = _read(path)
    assert read.kind == "workbook" and [s.name for s in read.sheets] == ["Leer", "Daten"]
    assert read.sheets[0].rows == []
    assert read.sheets[1].rows == [(2, ["", "Schlüssel", "Wert"]),
                                   (3, ["", "99001001000000", "12.5"]),
                                   (5, ["", "2026-03-01", "true"])]
    assert [s.name for s in _read(path, wanted=lambda name: name != "Leer").sheets] == ["Daten"]
    assert choose_sheet(read).name == "Daten"  # the first with any text
    with pytest.raises(TableError, match="Blatt 'Fehlt' gibt es nicht. Vorhanden: Leer, Daten"):
        choose_sheet(read, "Fehlt")
    with pytest.raises(TableError, match="Blatt 'Leer' enthält keine Daten"):
        choose_sheet(read, "Leer")


def test_ods_written_here_is_read(tmp_path):
    path = write_ods(tmp_path / "t.ods", {
        "Hinweise": [["Stand 2026"]],
        "Liste": [[None], ["ARS", "Name"], [39990005012, "Lindenau"], [], ["", "Ölbach"]]})
    read = _read(path)
    assert [s.name for s in read.sheets] == ["Hinweise", "Liste"]
    liste = choose_sheet(read, want=lambda header: "ARS" in header)
    assert liste.rows == [(2, ["ARS", "Name"]), (3, ["39990005012", "Lindenau"]),
                          (5, ["", "Ölbach"])]


@pytest.mark.parametrize("name", ["fim.ods", "fim.xls"])
def test_libreoffice_ods_and_old_xls_are_read(name):
    read = _read(DATA / "tables" / name)
    assert [s.name for s in read.sheets] == ["Hinweise", "Leistungen"]
    rows = read.sheets[1].rows
    assert [n for n, _ in rows] == [2, 3, 5, 6]
    assert rows[1] == (3, ["10110", "Abfallentsorgung", "Bauen & Wohnen", "99001001000000",
                           "Abfall", "5"])


@pytest.mark.parametrize("name", ["far_cell.ods", "far_cell.xlsx", "far_sheets.xls"])
def test_hostile_workbooks_are_refused_before_the_reader_sees_them(name):
    # python-calamine would build a grid up to the farthest cell (and abort the process)
    with pytest.raises(TableError) as info:
        _read(DATA / "bad" / name)
    assert info.value.code == "unreadable" and "nicht gelesen" in info.value.detail


def test_zip_bomb_is_refused_from_the_directory(tmp_path):
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 120_000_000 + b">")
    with pytest.raises(TableError, match="entpackt sich auf 120 MB"):
        _read(path)


def test_text_with_a_workbook_ending_is_no_workbook(tmp_path):
    path = tmp_path / "falsch.ods"
    path.write_text("a;b\n", encoding="utf-8")
    with pytest.raises(TableError, match="keine gültige ODS-Datei"):
        _read(path)


# ----------------------------------------------------------------------------- catalogue


@pytest.mark.parametrize("name", ["fim.ods", "fim.xls"])
def test_catalogue_import_reads_ods_and_xls(tmp_path, name):
    path = tmp_path / name
    path.write_bytes((DATA / "tables" / name).read_bytes())
    r = import_catalogue([path], catalogue_id="x", version=None, title=None)
    assert r.layout == "fim-csv" and r.files[0].endswith(f"{name} (Blatt Leistungen)")
    assert sorted(s["ozg_id"] for s in r.catalogue["services"]) == ["10092", "10110"]
    assert r.catalogue["services"][1]["leika"][0]["key"] == "99001001000000"
    # the rejected row is named by sheet and row as the spreadsheet program shows it
    assert [(i.location.sheet, i.location.row) for i in r.rejected_rows] == [("Leistungen", 5)]


def test_catalogue_import_reads_an_ods_made_here(tmp_path):
    path = write_ods(tmp_path / "liste.ods", {"Leistungen": [
        ["OZG-ID", "OZG-Leistung", "OZG-Themenfeld", "Leistungsschlüssel",
         "Leistungsbezeichnung", "Typisierung"],
        [10110, "Abfallentsorgung", "Bauen & Wohnen", "99001001000000", "Abfall", "5"]]})
    r = import_catalogue([path], catalogue_id="x", version=None, title=None)
    assert [s["ozg_id"] for s in r.catalogue["services"]] == ["10110"]


# ----------------------------------------------------------------------------- lists of members


def test_roster_is_read_through_the_reader_with_its_lines(tmp_path):
    from ozgkompass.errors import DataError
    from ozgkompass.sources.roster import read_members

    path = tmp_path / "mitglieder.csv"
    # tab-separated, Windows-1252, a blank line: line numbers stay the file's
    path.write_bytes("ARS\tName\tArt\n\n034560001001\tAue\tGemeinde\n034560001002\tBörde\t"
                     "Dorf\n".encode("cp1252"))
    with pytest.raises(DataError) as info:
        read_members(path)
    assert [(i.location.row, i.code) for i in info.value.issues] == [(4, "roster-type")]
    path.write_bytes("ARS;Name\n034560001002;Börde\n".encode("cp1252"))
    [member] = read_members(path)
    assert (member.name, member.line) == ("Börde", 2)
    path.write_bytes(b"ARS;Name\n" + b"034560001002;X\n" * 20_001)
    with pytest.raises(TableError, match="20.002 Zeilen, erlaubt sind 20.001"):
        read_members(path)


def test_member_list_of_observe_is_read_through_the_reader(tmp_path):
    from ozgkompass.app.observe import member_list

    path = tmp_path / "mitglieder.csv"
    path.write_text('\n"ARS","Name"\n039990005012,"Lindenau, Stadt"\n\n,\n', encoding="utf-8")
    assert member_list(path, None) == [{"ars": "039990005012", "name": "Lindenau, Stadt"}]
    path.write_bytes(b"ars\n" + b"0" * (6 * 1024 * 1024))
    with pytest.raises(UserError, match="erlaubt sind 5 MB"):
        member_list(path, None)


# ----------------------------------------------------------- bounds of large sheets


def _sheet_xml(tmp_path: Path, rows: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for n in range(1, rows + 1):
        wb.active.append([n, f"Leistung {n}", "Bauen & Wohnen", "99001001000000"])
    wb.save(tmp_path / "gross.xlsx")
    with zipfile.ZipFile(tmp_path / "gross.xlsx") as zf:
        return zf.read("xl/worksheets/sheet1.xml")


def test_a_large_table_is_bounded_without_parsing_and_the_same_as_parsed(tmp_path):
    from ozgkompass.sources import sheet_bounds as B

    data = _sheet_xml(tmp_path, 3000)
    assert B.xlsx_bound(data) is None  # beyond Z999: the short path for templates is out
    assert B.xlsx_explicit_bound(data) == (4, 3000) == B.xlsx_extent(
        B.in_chunks(data), "Blatt", 2_000_000, 20_000)
    # a cell without its reference: its place follows from the parse only
    assert B.xlsx_explicit_bound(data.replace(b'<c r="B7"', b"<c", 1)) is None
    assert B.xlsx_explicit_bound(data.replace(b'<c r="B7"', b'<x:c r="B7"', 1)) is None


def test_a_far_cell_in_a_large_table_is_still_refused(tmp_path):
    from ozgkompass.sources import sheet_bounds as B
    from ozgkompass.sources.file_guard import _sheet_cells

    data = _sheet_xml(tmp_path, 3000)
    assert _sheet_cells(data, "Blatt") == 4 * 3000
    far = data.replace(b'<c r="D3000"', b'<c r="XFD1048576"', 1)
    assert B.xlsx_explicit_bound(far) == (16384, 1048576)
    with pytest.raises(B.TooLarge, match="XFD1048576"):
        _sheet_cells(far, "Blatt")


@pytest.mark.parametrize("name", ["far_cell.xlsx", "far_cell.ods", "far_sheets.xls",
                                  "many_sheets.xlsx"])
def test_a_hostile_table_of_ones_own_is_refused_in_its_own_words(name, tmp_path):
    """A catalogue or Dashboard export is the user's own table, not a template returned by
    a municipality: its refusal says what is wrong without "ausgefüllte Vorlage" or
    "erneut senden"; the same file returned as a template keeps the template's words."""
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.workbook_import import import_workbook

    path = DATA / "bad" / name
    with pytest.raises(TableError) as info:
        _read(path, max_bytes=50 * LIMIT)
    own = str(info.value)
    assert "nicht gelesen" in own or "beschädigt" in own, own
    assert "Vorlage" not in own and "senden" not in own, own
    returned = import_workbook(path, lambda q, v: find_questionnaire(q, v), name)
    assert not returned.ok
    said = " ".join(i.message for i in returned.issues)
    assert "Vorlage" in said or "senden" in said, said
