"""The fill-in workbook (`ozgkompass template`): one sheet per area with dropdowns, only the
answer cells unlocked, and a hidden metadata sheet placed last that ties a returned file to
its questionnaire. The layout constants here are shared with `workbook_import`."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from ozgkompass.model.answers import MUNICIPALITY_TYPES
from ozgkompass.model.laender import LAENDER
from ozgkompass.model.questionnaire import QType, Question, Questionnaire

TEMPLATE_VERSION = "2"  # 2: the dropdown lists moved from the metadata sheet to LISTS_SHEET
META_SHEET = "_ozgkompass"  # hidden and last: a hidden *first* sheet reappears after LibreOffice
# the dropdowns' allowed values, hidden, just before the metadata sheet; the import never
# reads it (nor the instructions), which keeps a batch's reading short
LISTS_SHEET = "_listen"
INSTRUCTIONS_SHEET = "Anleitung"
MASTER_SHEET = "Stammdaten"
NA_MARK = "trifft nicht zu"
YES, NO = "ja", "nein"

# Columns of an area sheet (1-based) and their headers; the import checks the headers.
COLUMNS = ("Frage-ID", "Frage", "Hinweis", "Antwort", "Trifft nicht zu",
           "Begründung (bei „trifft nicht zu“)", "Weiß nicht – klären mit", "Notiz", "Quelle")
COL_ID, COL_TEXT, COL_HELP, COL_ANSWER, COL_NA, COL_REASON, COL_UNCLEAR, COL_NOTE, COL_SOURCE = (
    range(1, 10))
HEADER_ROW = 3  # rows 1–2: area title and description
WIDTHS = (30, 48, 40, 28, 15, 28, 24, 24, 20)

# Master data: (key, label) in rows 3.. of the master sheet, values in column B.
MASTER_FIELDS = (
    ("name", "Name der Kommune"),
    ("type", "Art der Kommune"),
    ("ars", "Amtlicher Regionalschlüssel (12 Ziffern)"),
    ("land", "Land"),
    ("kreis", "Kreis"),
    ("population", "Einwohnerzahl"),
    ("contact", "Ansprechperson (Name, Funktion, E-Mail)"),
    ("date", "Datum (TT.MM.JJJJ)"),
)
MASTER_FIRST_ROW = 3
TYPE_LABELS = {
    "gemeinde": "Gemeinde", "stadt": "Stadt (kreisangehörig)",
    "kreisfreie_stadt": "Kreisfreie Stadt", "landkreis": "Landkreis",
    "verband": "Gemeindeverband / Amt",
}
assert set(TYPE_LABELS) == set(MUNICIPALITY_TYPES)


def option_key(qid: str, value: str) -> str:
    """The ID cell of a multiple-choice option row (one yes/no dropdown per option)."""
    return f"{qid}:{value}"


def sheet_title(index: int, title: str) -> str:
    """Excel allows 31 characters and no []:*?/\\ in sheet names."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)
    return f"{index} {clean}"[:31].strip()


@dataclass(frozen=True)
class Choice:
    label: str
    value: str


def choices(q: Question) -> list[Choice]:
    """Dropdown entries of a choice question: the German labels, mapped back on import."""
    return [Choice(o.label.de, o.value) for o in q.effective_options()]


def _row_height(texts: list[tuple[str, int]]) -> float:
    """Row height in points that shows wrapped text whole (spreadsheet programs do not grow
    rows written by openpyxl, so printed text would overlap)."""
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width * 1.15))
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line))
                               for part in text.split("\n")))
    return 15.0 * lines


def _instructions(qn: Questionnaire) -> list[str]:
    return [
        f"Fragebogen: {qn.title.de} ({qn.id}, Version {qn.version})",
        "",
        "So füllen Sie die Mappe aus",
        "1. Blatt „Stammdaten“: Name, Art, Amtlichen Regionalschlüssel und Ansprechperson "
        "eintragen.",
        "2. Je Bereich ein Blatt: in der Spalte „Antwort“ die zutreffende Antwort aus der "
        "Auswahlliste wählen (kein eigener Text).",
        "   Mehrfachauswahl: für jede Option „ja“ oder „nein“ wählen.",
        "3. Passt eine Frage nicht zu Ihrer Kommune: „trifft nicht zu“ wählen und eine "
        "Begründung eintragen.",
        "4. Wissen Sie die Antwort nicht: in „Weiß nicht – klären mit“ eintragen, wer es "
        "weiß (z. B. IT-Dienstleister, Kämmerei). Die Frage bleibt offen.",
        "5. Notiz und Quelle sind freiwillig (z. B. Beschlussnummer, Link, Dokument).",
        "",
        "Wen fragen: Hauptamt bzw. Organisation, IT bzw. IT-Dienstleister, Fachämter "
        "(Bürgerbüro, Ordnungsamt, Standesamt), Kämmerei für das Bezahlen.",
        "",
        "Rückgabe: die Datei unter einem neuen Namen speichern (Format .xlsx oder .ods), "
        "Blätter nicht umbenennen, keine Zeilen oder Spalten einfügen, und an die "
        "anfragende Stelle zurücksenden.",
        "Nur die gelb hinterlegten Zellen sind ausfüllbar; der Blattschutz hat kein Passwort.",
    ]


def build_template(qn: Questionnaire) -> bytes:
    """The workbook as bytes (the CLI writes it atomically)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fill = PatternFill("solid", fgColor="FFF2CC")
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    unlocked = Protection(locked=False)

    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 100
    for i, line in enumerate(_instructions(qn), start=1):
        c = ws.cell(i, 1, line)
        c.alignment = wrap
        ws.row_dimensions[i].height = _row_height([(line, 100)])
        if i == 1 or line == "So füllen Sie die Mappe aus":
            c.font = bold
    ws.protection.sheet = True

    lists: list[list[str]] = []  # written to LISTS_SHEET at the end

    def list_ref(items: list[str]) -> str:
        if items not in lists:
            lists.append(items)
        col = get_column_letter(1 + lists.index(items))
        return f"'{LISTS_SHEET}'!${col}$1:${col}${len(items)}"

    def add_list(sheet, cell, items: list[str]) -> None:  # type: ignore[no-untyped-def]
        dv = DataValidation(type="list", formula1=list_ref(items), allow_blank=True,
                            showErrorMessage=True, errorTitle="Ungültige Eingabe",
                            error="Bitte einen Wert aus der Auswahlliste wählen.")
        sheet.add_data_validation(dv)
        dv.add(cell)

    def answer_cell(sheet, row: int, col: int):  # type: ignore[no-untyped-def]
        c = sheet.cell(row, col)
        c.protection = unlocked
        c.fill = fill
        c.alignment = wrap
        return c

    ms = wb.create_sheet(MASTER_SHEET)
    ms.cell(1, 1, "Stammdaten der Kommune").font = bold
    ms.column_dimensions["A"].width = 42
    ms.column_dimensions["B"].width = 48
    for i, (key, label) in enumerate(MASTER_FIELDS):
        row = MASTER_FIRST_ROW + i
        ms.cell(row, 1, label).alignment = wrap
        ms.row_dimensions[row].height = _row_height([(label, 42)])
        c = answer_cell(ms, row, 2)
        if key == "type":
            add_list(ms, c.coordinate, list(TYPE_LABELS.values()))
        elif key == "land":
            add_list(ms, c.coordinate, [name for _, _, name in LAENDER])
        elif key in ("ars", "contact", "name", "land", "kreis", "date"):
            c.number_format = "@"  # keeps leading zeros of the ARS
        elif key == "population":
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                showErrorMessage=True, error="Bitte eine ganze Zahl eingeben.")
            ms.add_data_validation(dv)
            dv.add(c.coordinate)
    ms.protection.sheet = True

    for a_index, area in enumerate(qn.areas, start=1):
        s = wb.create_sheet(sheet_title(a_index, area.title.de))
        s.cell(1, 1, f"{area.title.de} ({area.id})").font = Font(bold=True, size=13)
        if area.description:
            s.cell(2, 1, area.description.de)
        for col, (head, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
            h = s.cell(HEADER_ROW, col, head)
            h.font = bold
            h.alignment = wrap
            s.column_dimensions[get_column_letter(col)].width = width
        s.freeze_panes = s.cell(HEADER_ROW + 1, 3)
        row = HEADER_ROW + 1
        for q in area.questions:
            s.cell(row, COL_ID, q.id).alignment = top
            text = q.text.de + ("" if q.required else " (freiwillig)")
            if q.when is not None:
                text += f"\n(nur wenn: {q.when.source})"
            s.cell(row, COL_TEXT, text).alignment = wrap
            help_text = q.help.de if q.help else ""
            if q.type is QType.SCALE:
                labels = "; ".join(f"{k} = {v.de}" for k, v in q.labels)
                help_text = (help_text + f"\nZahl von {q.min} bis {q.max}. {labels}").strip()
            elif q.type is QType.NUMBER:
                help_text = (help_text + "\nZahl" + (f" ({q.unit})" if q.unit else "")).strip()
            s.cell(row, COL_HELP, help_text).alignment = wrap
            s.row_dimensions[row].height = _row_height(
                [(text, WIDTHS[COL_TEXT - 1]), (help_text, WIDTHS[COL_HELP - 1])])
            for col in (COL_UNCLEAR, COL_NOTE, COL_SOURCE):
                answer_cell(s, row, col)
            if q.na_allowed:
                add_list(s, answer_cell(s, row, COL_NA).coordinate, [NA_MARK])
                answer_cell(s, row, COL_REASON)
            if q.type is QType.MULTIPLE:
                s.cell(row, COL_ANSWER, "je Option unten ja/nein wählen").alignment = wrap
                for o in q.options:
                    row += 1
                    s.cell(row, COL_ID, option_key(q.id, o.value))
                    s.cell(row, COL_TEXT, f"   • {o.label.de}").alignment = wrap
                    s.row_dimensions[row].height = _row_height(
                        [(f"   • {o.label.de}", WIDTHS[COL_TEXT - 1])])
                    add_list(s, answer_cell(s, row, COL_ANSWER).coordinate, [YES, NO])
            else:
                c = answer_cell(s, row, COL_ANSWER)
                if q.type in (QType.SINGLE, QType.YES_NO):
                    add_list(s, c.coordinate, [ch.label for ch in choices(q)])
                elif q.type in (QType.SCALE, QType.NUMBER):
                    kind = "whole" if q.type is QType.SCALE else "decimal"
                    lo = str(q.min if q.type is QType.SCALE else 0)
                    dv = DataValidation(
                        type=kind, operator="between" if q.type is QType.SCALE
                        else "greaterThanOrEqual", formula1=lo,
                        formula2=str(q.max) if q.type is QType.SCALE else None,
                        showErrorMessage=True, errorTitle="Ungültige Zahl",
                        error="Bitte eine Zahl im erlaubten Bereich eingeben.")
                    s.add_data_validation(dv)
                    dv.add(c.coordinate)
            row += 1
        s.protection.sheet = True
        s.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        s.page_setup.orientation = "landscape"
        s.page_setup.fitToWidth = 1
        s.page_setup.fitToHeight = 0
        s.sheet_properties.pageSetUpPr.fitToPage = True

    hidden = wb.create_sheet(LISTS_SHEET)
    for col, items in enumerate(lists, start=1):
        for r, item in enumerate(items, start=1):
            hidden.cell(r, col, item)
    meta = wb.create_sheet(META_SHEET)  # created last, so it stays last
    for key, value in (("questionnaire_id", qn.id), ("questionnaire_version", qn.version),
                       ("questionnaire_hash", qn.hash), ("template_version", TEMPLATE_VERSION)):
        meta.append([key, value])
    for sheet in (hidden, meta):
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True
    _as_text(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _as_text(wb: Any) -> None:
    """Every cell is text or a number: openpyxl makes a string that starts with "=" a
    live formula, and questionnaire texts, option labels and ids are not ours (a text
    `=HYPERLINK(…)` or `=cmd|…` would run in the recipient's Excel). The template writes
    no formula of its own (dropdowns and number checks are data validations)."""
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
