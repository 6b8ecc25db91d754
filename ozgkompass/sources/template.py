"""The fill-in workbook (`ozgkompass template`): one sheet per area with dropdowns, only the
answer cells unlocked, and a hidden metadata sheet placed last that ties a returned file to
its questionnaire. The layout constants here are shared with `workbook_import`."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from ozgkompass.model.answers import MUNICIPALITY_TYPES, Answer, AnswerSet
from ozgkompass.model.laender import LAENDER
from ozgkompass.model.questionnaire import QType, Question, Questionnaire
from ozgkompass.numbers import german_date

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
    "gemeindeverband": "Gemeindeverband (Samtgemeinde/Amt/Verbandsgemeinde/"
    "Verwaltungsgemeinschaft)",
    "mitgliedsgemeinde": "Mitgliedsgemeinde eines Gemeindeverbands",
}
# labels of earlier templates, still read back
OLD_TYPE_LABELS = {"Gemeindeverband / Amt": "gemeindeverband"}
assert set(TYPE_LABELS) == set(MUNICIPALITY_TYPES)


# a services_online question: one row per service with one of these (empty = unknown)
SERVICE_MARKS = ("online", "nicht online")


def service_rows(q: Question) -> list[tuple[str, Any]]:
    """(group, service) of every service a blank workbook asks about, in asking order."""
    from ozgkompass.scoring.service_groups import asked_services

    return [(group, svc) for group, members in asked_services(group_by=q.group_by or
                                                               "themenfeld")
            for svc in members]


def option_key(qid: str, value: str) -> str:
    """The ID cell of a multiple-choice option row (one yes/no dropdown per option)."""
    return f"{qid}:{value}"


def sheet_title(index: int, title: str) -> str:
    """Excel allows 31 characters and no []:*?/\\ in sheet names: a long title is cut
    after its last whole word that fits („2 Nutzerkonten – BundID“)."""
    clean = " ".join("".join(" " if c in "[]:*?/\\" else c for c in title).split())
    full = f"{index} {clean}"
    if len(full) <= 31:
        return full
    cut = full[:32].rsplit(" ", 1)[0] if full[31] != " " else full[:31]
    return cut.rstrip(" ,;–-&").strip()


def legacy_sheet_title(index: int, title: str) -> str:
    """The sheet name templates before 2026-12 wrote (cut at 31 characters, mid-word);
    returned files of those templates are still read."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)
    return f"{index} {clean}"[:31].strip()


def condition_text(q: Question, qn: Questionnaire) -> str:
    """A question's condition as a German sentence for the fill-in sheet („nur ausfüllen,
    wenn Sie bei Frage portal_type „Eigenes Portal“ gewählt haben“); the source text only
    for a form the sentence rules do not know."""
    if q.when is None:
        return ""
    try:
        return f"(nur ausfüllen, wenn Sie {_says(q.when.ast, qn)})"
    except _Unsayable:
        return f"(nur ausfüllen, wenn: {q.when.source})"


class _Unsayable(Exception):
    pass


def _label(qn: Questionnaire, qid: str, value: object) -> str:
    ref = qn.question(qid)
    if ref is not None:
        if isinstance(value, bool) and ref.type is QType.YES_NO:
            value = "ja" if value else "nein"
        for o in ref.effective_options():
            if o.value == value:
                return f"„{o.label.de}“"
    return f"„{value}“"


def _alternatives(qn: Questionnaire, qid: str, values: object) -> str:
    items = list(values) if isinstance(values, tuple) else [values]
    labels = [_label(qn, qid, v) for v in items]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " oder " + labels[-1]


_NUMBER_WORDS = {"<": "weniger als", "<=": "höchstens", ">": "mehr als", ">=": "mindestens"}


def _says(node: tuple, qn: Questionnaire, negated: bool = False) -> str:  # type: ignore[type-arg]
    kind = node[0]
    if kind in ("and", "or"):
        if negated:
            raise _Unsayable
        word = " und " if kind == "and" else " oder "
        return _says(node[1], qn) + word + _says(node[2], qn)
    if kind == "not":
        return _says(node[1], qn, not negated)
    if kind == "answered":
        return f"Frage {node[1]} {'nicht ' if negated else ''}beantwortet haben"
    if kind == "cmp" and node[2][0] == "ref" and node[3][0] == "lit":
        op, qid, value = node[1], node[2][1], node[3][1]
        if op in ("==", "in") or op == "!=":
            neg = negated != (op == "!=")
            return (f"bei Frage {qid} {'nicht ' if neg else ''}"
                    f"{_alternatives(qn, qid, value)} gewählt haben")
        if op == "contains":
            return (f"bei Frage {qid} {_label(qn, qid, value)} "
                    f"{'nicht ' if negated else ''}mit „ja“ markiert haben")
        if op in _NUMBER_WORDS and not negated and isinstance(value, int | float):
            return f"bei Frage {qid} {_NUMBER_WORDS[op]} {value} angegeben haben"
    raise _Unsayable


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


@dataclass(frozen=True)
class Prefill:
    """What a member's own workbook carries: its Stammdaten (locked), the return address
    and deadline, and, from the archive, the answers of its last round."""

    name: str
    ars: str
    type: str | None = None
    kreis: str | None = None
    contact: str | None = None
    population: int | None = None
    return_to: str | None = None
    deadline: str | None = None  # TT.MM.JJJJ
    answers: AnswerSet | None = None  # the last round's answers
    answered_on: str | None = None  # the last round's date (ISO)


LOCKED_MASTER = ("name", "type", "ars", "land", "kreis")  # filled from the roster
PREFILL_KEY = "prefill."  # metadata rows: prefill.<question id> → the prefilled answer


def prefill_key(answer: Answer) -> str:
    """An answer as the import compares it with what was prefilled."""
    import json

    return json.dumps([answer.value, answer.na, answer.unclear], ensure_ascii=False)


def _member_lines(pre: Prefill | None) -> list[str]:
    if pre is None:
        return []
    lines = ["", f"Diese Mappe ist für {pre.name} (Regionalschlüssel {pre.ars}) vorbereitet; "
             "Name, Art, Regionalschlüssel, Land und Kreis sind eingetragen und gesperrt."]
    if pre.deadline or pre.return_to:
        lines.append("Bitte " + (f"bis {pre.deadline} " if pre.deadline else "")
                     + "zurücksenden" + (f" an: {pre.return_to}" if pre.return_to else "")
                     + ".")
    if pre.answers is not None:
        when = german_date(pre.answered_on)
        lines.append("Eingetragen sind Ihre Antworten der letzten Erhebung"
                     + (f" vom {when}" if when else "") + ": bitte prüfen und nur "
                     "Änderungen eintragen. Unveränderte Antworten gelten als bestätigt.")
    return lines


def _instructions(qn: Questionnaire, pre: Prefill | None = None) -> list[str]:
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
        "Blätter nicht umbenennen, und an die anfragende Stelle zurücksenden.",
        "Wichtig: keine Zeilen oder Spalten löschen, einfügen, verschieben oder sortieren und "
        "nicht filtern und dann löschen; die Auswertung findet jede Antwort über ihre Zeile "
        "und Frage-ID.",
        "Nur die gelb hinterlegten Zellen sind ausfüllbar; der Blattschutz hat kein Passwort.",
        *_member_lines(pre),
    ]


def prefill_master(data: bytes, municipality: Any) -> bytes:
    """The template with the municipality's master data typed in (`template --ars`); text
    stays text, even where it starts like a formula."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    sheet = wb[MASTER_SHEET]
    values = {"name": municipality.name, "ars": municipality.ars, "land": municipality.land,
              "kreis": municipality.kreis, "population": municipality.population,
              "type": TYPE_LABELS.get(municipality.type or "")}
    for i, (key, _) in enumerate(MASTER_FIELDS):
        value = values.get(key)
        if value is None:
            continue
        cell = sheet.cell(MASTER_FIRST_ROW + i, 2, value)
        if isinstance(value, str):
            cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build_template(qn: Questionnaire, pre: Prefill | None = None) -> bytes:
    """The workbook as bytes (the CLI writes it atomically); with `pre`, one member's own
    workbook (Stammdaten locked, last answers filled in)."""
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
    lines = _instructions(qn, pre)
    for i, line in enumerate(lines, start=1):
        c = ws.cell(i, 1, line)
        c.alignment = wrap
        ws.row_dimensions[i].height = _row_height([(line, 100)])
        if i == 1 or line == "So füllen Sie die Mappe aus" or line.startswith("Wichtig:"):
            c.font = bold
    ws.protection.sheet = True
    _print_setup(ws, f"A1:A{len(lines)}", landscape=False)

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
    master = _master_values(pre)
    for i, (key, label) in enumerate(MASTER_FIELDS):
        row = MASTER_FIRST_ROW + i
        ms.cell(row, 1, label).alignment = wrap
        ms.row_dimensions[row].height = _row_height([(label, 42)])
        if pre is not None and key in LOCKED_MASTER:
            c = ms.cell(row, 2, master.get(key))  # locked: from the roster
            c.number_format = "@"
            c.alignment = wrap
            continue
        c = answer_cell(ms, row, 2)
        if master.get(key) is not None:
            c.value = master[key]
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
    _print_setup(ms, f"A1:B{MASTER_FIRST_ROW + len(MASTER_FIELDS) - 1}", landscape=False)
    given = pre.answers.answers if pre is not None and pre.answers is not None else {}

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
            first = row
            s.cell(row, COL_ID, q.id).alignment = top
            text = q.text.de + ("" if q.required else " (freiwillig)")
            if q.when is not None:
                text += "\n" + condition_text(q, qn)
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
            if q.type is QType.SERVICES:
                s.cell(row, COL_ANSWER, "je Leistung unten wählen; leer = unbekannt"
                       ).alignment = wrap
                for group, svc in service_rows(q):
                    row += 1
                    label = f"   • {svc.name} ({svc.ozg_id}; {group})"
                    s.cell(row, COL_ID, option_key(q.id, svc.ozg_id))
                    s.cell(row, COL_TEXT, label).alignment = wrap
                    s.row_dimensions[row].height = _row_height(
                        [(label, WIDTHS[COL_TEXT - 1])])
                    add_list(s, answer_cell(s, row, COL_ANSWER).coordinate,
                             list(SERVICE_MARKS))
            elif q.type is QType.MULTIPLE:
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
            if q.id in given:
                _fill_answer(s, q, first, given[q.id])
            row += 1
        s.protection.sheet = True
        s.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        _print_setup(s, f"A1:{get_column_letter(len(COLUMNS))}{row - 1}")

    hidden = wb.create_sheet(LISTS_SHEET)
    for col, items in enumerate(lists, start=1):
        for r, item in enumerate(items, start=1):
            hidden.cell(r, col, item)
    meta = wb.create_sheet(META_SHEET)  # created last, so it stays last
    for key, value in (("questionnaire_id", qn.id), ("questionnaire_version", qn.version),
                       ("questionnaire_hash", qn.hash), ("template_version", TEMPLATE_VERSION)):
        meta.append([key, value])
    if pre is not None:
        meta.append(["member_ars", pre.ars])
        if pre.answers is not None:
            meta.append(["prefilled_from", pre.answered_on or ""])
            for qid, answer in given.items():
                if qn.question(qid) is not None:
                    meta.append([PREFILL_KEY + qid, prefill_key(answer)])
    for sheet in (hidden, meta):
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True
    _as_text(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _print_setup(ws, area: str, landscape: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Every answer cell inside the print range: the sheet's used columns, one page wide."""
    ws.print_area = area
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _master_values(pre: Prefill | None) -> dict[str, object]:
    if pre is None:
        return {}
    from ozgkompass.model.laender import NAMES, code_from_ars

    return {"name": pre.name, "type": TYPE_LABELS.get(pre.type or "", None),
            "ars": pre.ars, "land": NAMES.get(code_from_ars(pre.ars) or ""),
            "kreis": pre.kreis, "contact": pre.contact, "population": pre.population}


def _fill_answer(ws, q: Question, row: int, answer: Answer) -> None:  # type: ignore[no-untyped-def]
    """The last round's answer in the cells a user would have filled."""
    if answer.na and q.na_allowed:
        ws.cell(row, COL_NA, NA_MARK)
        if answer.reason:
            ws.cell(row, COL_REASON, answer.reason)
    elif answer.unclear:
        ws.cell(row, COL_UNCLEAR, answer.unclear)
    elif q.type is QType.SERVICES and isinstance(answer.value, dict):
        # one row per service, in the order the blank workbook lists them
        marks = {str(i): SERVICE_MARKS[0] for i in answer.value.get("online") or ()}
        marks |= {str(i): SERVICE_MARKS[1] for i in answer.value.get("nicht_online") or ()
                  if str(i) not in marks}
        for n, (_, svc) in enumerate(service_rows(q), start=1):
            mark = marks.get(svc.ozg_id)
            if mark:
                ws.cell(row + n, COL_ANSWER, mark)
    elif q.type is QType.MULTIPLE and isinstance(answer.value, list):
        for n, o in enumerate(q.options, start=1):
            ws.cell(row + n, COL_ANSWER, YES if o.value in answer.value else NO)
    elif q.type in (QType.SINGLE, QType.YES_NO):
        labels = {c.value: c.label for c in choices(q)}
        if answer.value in labels:
            ws.cell(row, COL_ANSWER, labels[answer.value])
    elif answer.value is not None and q.type is not QType.MULTIPLE:
        ws.cell(row, COL_ANSWER, answer.value)
    if answer.note:
        ws.cell(row, COL_NOTE, answer.note)
    if answer.source:
        ws.cell(row, COL_SOURCE, answer.source)


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
