"""The silent mistakes of returned workbooks, each located: a percentage typed as "80 %",
values out of range, two answers in one row, an answer in Notiz or Hinweis, dates, Land and
Kreis from the ARS, harmless variants. Every case is checked in the workbook as openpyxl
saved it and, where LibreOffice is installed, as LibreOffice Calc saved it (xlsx and ods)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ozgkompass.model.questionnaire import QType
from ozgkompass.model.registry import find_questionnaire
from ozgkompass.sources import template as T
from ozgkompass.sources.workbook_import import date_value, import_workbook, kreis_name

sys.path.insert(0, str(Path(__file__).parent))
from workbooks import MASTER, fill  # noqa: E402

QN = find_questionnaire("ozg-kommune")
PERCENT = next(q for q in QN.questions if q.unit == "%")
CHOICE = next(q for q in QN.questions
              if q.type is QType.SINGLE and q.when is None and q.na_allowed)
LABEL = T.choices(CHOICE)[0].label
DATE_CELL = f"B{T.MASTER_FIRST_ROW + [k for k, _ in T.MASTER_FIELDS].index('date')}"
ARS_CELL = f"B{T.MASTER_FIRST_ROW + [k for k, _ in T.MASTER_FIELDS].index('ars')}"
LAND_CELL = f"B{T.MASTER_FIRST_ROW + [k for k, _ in T.MASTER_FIELDS].index('land')}"
KREIS_CELL = f"B{T.MASTER_FIRST_ROW + [k for k, _ in T.MASTER_FIELDS].index('kreis')}"


def _place(q):
    """(sheet, row) of a question in the template."""
    index = next(i for i, a in enumerate(QN.areas, 1) if q in a.questions)
    sheet = T.sheet_title(index, QN.areas[index - 1].title.de)
    wb = load_workbook(io.BytesIO(TEMPLATE), read_only=True)
    for n, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
        if row and row[0] == q.id:
            return sheet, n
    raise AssertionError(q.id)


TEMPLATE = T.build_template(QN)
P_SHEET, P_ROW = _place(PERCENT)
C_SHEET, C_ROW = _place(CHOICE)


def _book(changes) -> bytes:
    """The filled example workbook with `changes`: (sheet, cell, value, number format)."""
    wb = load_workbook(io.BytesIO(fill(TEMPLATE, QN, MASTER, {CHOICE.id: T.choices(CHOICE)[0]
                                                                .value})))
    for sheet, cell, value, fmt in changes:
        c = wb[sheet][cell]
        c.value = value
        if fmt:
            c.number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# case → the changes; each test below reads its case in every saved form
CASES = {
    "prozent-format": [(P_SHEET, f"D{P_ROW}", 0.8, "0%")],
    "prozent-hundert": [(P_SHEET, f"D{P_ROW}", 1, "0%")],
    "prozent-ohne-format": [(P_SHEET, f"D{P_ROW}", 0.8, None)],
    "prozent-als-text": [(P_SHEET, f"D{P_ROW}", "80 %", "@")],
    "prozent-zu-gross": [(P_SHEET, f"D{P_ROW}", 120, None)],
    "antwort-und-trifft-nicht-zu": [(C_SHEET, f"E{C_ROW}", T.NA_MARK, None),
                                    (C_SHEET, f"F{C_ROW}", "Keine Zuständigkeit", None)],
    "antwort-und-klaeren": [(C_SHEET, f"G{C_ROW}", "IT-Dienstleister", None)],
    "antwort-in-notiz": [(C_SHEET, f"D{C_ROW}", None, None), (C_SHEET, f"H{C_ROW}", LABEL, None)],
    "antwort-in-hinweis": [(C_SHEET, f"D{C_ROW}", None, None),
                           (C_SHEET, f"C{C_ROW}", f" {LABEL} ", None)],
    "doppelte-leerzeichen": [(C_SHEET, f"D{C_ROW}", LABEL.replace(" ", "  ", 1) if " " in LABEL
                              else f"  {LABEL}", None),
                             (T.MASTER_SHEET, ARS_CELL, "03 151 000 0000", None)],
    "datum-deutsch": [(T.MASTER_SHEET, DATE_CELL, "3.11.26", None)],
    "datum-worte": [(T.MASTER_SHEET, DATE_CELL, "3. November 2026", None)],
    "datum-iso": [(T.MASTER_SHEET, DATE_CELL, "2026-11-03", None)],
    "datum-zelle": [(T.MASTER_SHEET, DATE_CELL, dt.datetime(2026, 11, 3), "DD.MM.YYYY")],
    "datum-zahl": [(T.MASTER_SHEET, DATE_CELL, 46329, "General")],
    "datum-monat": [(T.MASTER_SHEET, DATE_CELL, "Oktober 2026", None)],
    "datum-unmoeglich": [(T.MASTER_SHEET, DATE_CELL, "31.11.2026", None)],
    "land-aus-ars": [(T.MASTER_SHEET, LAND_CELL, None, None),
                     (T.MASTER_SHEET, KREIS_CELL, "LK  Gifhorn", None)],
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """form → case → file: as openpyxl wrote it, and as LibreOffice saved it as xlsx and
    ods (one soffice call per format for all cases)."""
    folder = tmp_path_factory.mktemp("openpyxl")
    for name, changes in CASES.items():
        (folder / f"{name}.xlsx").write_bytes(_book(changes))
    forms = {"openpyxl": {n: folder / f"{n}.xlsx" for n in CASES}}
    if shutil.which("soffice"):
        profile = tmp_path_factory.mktemp("profile")
        for fmt in ("xlsx", "ods"):
            out = tmp_path_factory.mktemp(f"lo-{fmt}")
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", fmt, "--outdir", str(out),
                            *[str(folder / f"{n}.xlsx") for n in CASES]],
                           check=True, capture_output=True, timeout=600)
            forms[f"libreoffice-{fmt}"] = {n: out / f"{n}.{fmt}" for n in CASES}
    return forms


FORMS = ["openpyxl", "libreoffice-xlsx", "libreoffice-ods"]


def _read(saved, form, case):
    if form not in saved:
        pytest.skip("LibreOffice (soffice) fehlt: nur die mit openpyxl gespeicherte Mappe")
    res = import_workbook(saved[form][case], lambda q, v: find_questionnaire(q, v))
    assert res.answers is not None, res.issues
    return res


def _issues(res, code):
    return [i for i in res.issues if i.code == code]


@pytest.mark.parametrize("form", FORMS)
def test_a_percent_formatted_cell_is_read_as_percent(saved, form):
    res = _read(saved, form, "prozent-format")
    assert res.ok, res.issues
    assert res.answers.answers[PERCENT.id].value == 80
    assert _read(saved, form, "prozent-hundert").answers.answers[PERCENT.id].value == 100


@pytest.mark.parametrize("form", FORMS)
def test_a_fraction_in_a_plain_cell_stays_and_is_warned_at_its_cell(saved, form):
    res = _read(saved, form, "prozent-ohne-format")
    assert res.answers.answers[PERCENT.id].value == 0.8
    [warning] = _issues(res, "small-percent")
    assert (warning.location.sheet, warning.location.cell) == (P_SHEET, f"D{P_ROW}")
    assert "gemeint 80 %" in warning.message


@pytest.mark.parametrize("form", FORMS)
def test_percent_typed_as_text_is_taken(saved, form):
    res = _read(saved, form, "prozent-als-text")
    assert res.ok, res.issues
    assert res.answers.answers[PERCENT.id].value == 80


@pytest.mark.parametrize("form", FORMS)
def test_more_than_100_percent_is_refused_at_its_cell(saved, form):
    res = _read(saved, form, "prozent-zu-gross")
    assert not res.ok
    [error] = _issues(res, "out-of-range")
    assert (error.location.sheet, error.location.cell) == (P_SHEET, f"D{P_ROW}")
    assert "120 %" in error.message
    assert PERCENT.id not in res.answers.answers


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("case", "second"), [("antwort-und-trifft-nicht-zu", "E"),
                                               ("antwort-und-klaeren", "G")])
def test_an_answer_and_a_second_mark_in_one_row_are_refused(saved, form, case, second):
    res = _read(saved, form, case)
    assert not res.ok
    [error] = _issues(res, "two-answers")
    assert (error.location.sheet, error.location.cell) == (C_SHEET, f"D{C_ROW}")
    assert f"D{C_ROW}" in error.message and f"{second}{C_ROW}" in error.message
    assert LABEL in error.message
    assert CHOICE.id not in res.answers.answers  # neither of the two is taken


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("case", "col"), [("antwort-in-notiz", "H"), ("antwort-in-hinweis", "C")])
def test_an_option_typed_into_notiz_or_hinweis_is_warned_at_that_cell(saved, form, case, col):
    res = _read(saved, form, case)
    [warning] = _issues(res, "answer-elsewhere")
    assert warning.severity == "warning"
    assert (warning.location.sheet, warning.location.cell) == (C_SHEET, f"{col}{C_ROW}")
    assert f"D{C_ROW}" in warning.message
    assert res.answers.answers.get(CHOICE.id) is None or \
        res.answers.answers[CHOICE.id].value is None


@pytest.mark.parametrize("form", FORMS)
def test_harmless_variants_are_taken(saved, form):
    res = _read(saved, form, "doppelte-leerzeichen")
    assert res.ok, res.issues
    assert res.answers.answers[CHOICE.id].value == T.choices(CHOICE)[0].value
    assert res.answers.municipality.ars == "031510000000"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", ["datum-deutsch", "datum-worte", "datum-iso", "datum-zelle",
                                  "datum-zahl"])
def test_dates_in_every_usual_form_are_normalised(saved, form, case):
    res = _read(saved, form, case)
    assert res.ok, res.issues
    assert res.answers.interview.date == "2026-11-03"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", ["datum-monat", "datum-unmoeglich"])
def test_a_date_that_is_no_date_is_refused_at_its_cell(saved, form, case):
    res = _read(saved, form, case)
    assert not res.ok
    [error] = _issues(res, "date")
    assert (error.location.sheet, error.location.cell) == (T.MASTER_SHEET, DATE_CELL)
    assert res.answers.interview.date is None


@pytest.mark.parametrize("form", FORMS)
def test_land_comes_from_the_ars_and_kreis_is_written_out(saved, form):
    res = _read(saved, form, "land-aus-ars")
    assert res.ok, res.issues
    assert res.answers.municipality.land == "Niedersachsen"
    assert res.answers.municipality.kreis == "Landkreis Gifhorn"


def test_date_and_kreis_rules():
    assert date_value("03.11.2026") == ("2026-11-03", None)
    assert date_value(46329.0) == ("2026-11-03", None)
    assert date_value("46329") == ("2026-11-03", None)
    assert date_value("29.02.2027")[0] is None  # no leap year
    assert date_value(12)[0] is None  # a number, but no date of this century
    assert date_value(None) == (None, None)
    assert kreis_name("Lkr. Heidmoor") == kreis_name("LK Heidmoor") == "Landkreis Heidmoor"
    assert kreis_name("Kreis Lippe") == "Kreis Lippe"
    assert kreis_name("Heidekreis") == "Heidekreis"


def test_a_password_protected_ods_is_named_as_such(saved, tmp_path):
    """LibreOffice encrypts each part of a protected ods and lists the encryption data in
    the manifest; the file is called protected, not damaged."""
    import zipfile

    src = saved["openpyxl"]["datum-iso"]
    ods = saved.get("libreoffice-ods", {}).get("datum-iso")
    if ods is None:
        pytest.skip("LibreOffice (soffice) fehlt: kein ods zum Verschlüsseln")
    target = tmp_path / "kennwort.ods"
    with zipfile.ZipFile(ods) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
                    b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
                    b'<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:'
                    b'opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AA=="/>'
                    b'</manifest:file-entry>')
                assert b"encryption-data" in data
            elif info.filename == "content.xml":
                data = bytes(range(256)) * 40  # what encrypted bytes look like to a reader
            zout.writestr(info, data)
    res = import_workbook(target, lambda q, v: find_questionnaire(q, v))
    [error] = res.issues
    assert "Kennwort" in error.message and "beschädigt" not in error.message
    assert import_workbook(src, lambda q, v: find_questionnaire(q, v)).ok


def test_a_csv_date_is_normalised_or_refused_at_its_row(tmp_path):
    path = tmp_path / "antworten.csv"
    path.write_text("frage_id;antwort\nkommune.name;Musterau\nkommune.date;3.11.26\n",
                    encoding="utf-8")
    res = import_workbook(path, lambda q, v: find_questionnaire(q, v))
    assert res.answers.interview.date == "2026-11-03"
    path.write_text("frage_id;antwort\nkommune.name;Musterau\nkommune.date;Oktober 2026\n",
                    encoding="utf-8")
    res = import_workbook(path, lambda q, v: find_questionnaire(q, v))
    [error] = _issues(res, "date")
    assert error.location.row == 3 and res.answers.interview.date is None
