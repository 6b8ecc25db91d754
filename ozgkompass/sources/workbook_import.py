"""Reading a returned fill-in workbook (xlsx, ods) or a CSV of question id → answer into an
answer set, with every problem located by sheet and cell.

Workbooks are read with python-calamine (≈ 8 ms for a template-sized file, against
160–290 ms with openpyxl), after `file_guard` has looked at the zip directory.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ozgkompass.errors import Issue, Location
from ozgkompass.issue_codes import IssueCode
from ozgkompass.memo import IdentityCache
from ozgkompass.model.answers import (
    ARS_RE,
    MAX_POPULATION,
    OLD_MUNICIPALITY_TYPES,
    Answer,
    AnswerSet,
    Interview,
    Municipality,
    QuestionnaireRef,
    Resolved,
    check_answers,
    parse_services_text,
    population_too_large,
)
from ozgkompass.model.laender import NAMES, code_from_ars, code_from_name
from ozgkompass.model.questionnaire import Area, QType, Question, Questionnaire
from ozgkompass.sources import template as T
from ozgkompass.sources.file_guard import MAX_FILE_BYTES, col_letter, inspect
from ozgkompass.sources.tables import Merged, quiet_stderr, read_book

QuestionnaireLookup = Callable[[str, "str | None"], Questionnaire]
DEFAULT_CSV_QUESTIONNAIRE = "ozg-kommune"
MAX_CSV_ROWS = 20_000  # a questionnaire has a few hundred questions and options
# `1.234` or `12.345,5`: German thousands separators (dots in groups of three)
_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


# where an answer was found: a Location, or (file, sheet, row, column) made into one only
# when asked for (a batch never asks for most of them)
Place = Location | tuple[str, str, int, int]


def _located(place: Place) -> Location:
    if isinstance(place, Location):
        return place
    display, sheet, row, col = place
    return Location(display, sheet=sheet, cell=_cell_name(row, col))


@dataclass
class ImportResult:
    answers: AnswerSet | None  # None when the file could not be read at all
    questionnaire: Questionnaire | None
    issues: list[Issue] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict, repr=False)
    # a member's prefilled workbook: the date of the answers it carried, and the questions
    # whose answer differs from them (the others are confirmed)
    prefilled_from: str | None = None
    changed: list[str] = field(default_factory=list)
    confirmed: int = 0
    # the check of the answers against the questionnaire, handed on to scoring
    checked: Resolved | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.answers is not None and not any(i.severity == "error" for i in self.issues)

    @property
    def cells(self) -> dict[str, Location]:
        """Question id → the cell its answer came from."""
        return {qid: _located(place) for qid, place in self.places.items()}



_LETTERS = {c: col_letter(c) for c in range(1, 27)}


def _cell_name(row: int, col: int) -> str:
    return f"{_LETTERS.get(col) or col_letter(col)}{row}"


def _text(value: Any) -> str | None:
    if type(value) is str:  # the common case first: a batch calls this 200 times a file
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value).strip()
    return text or None


class ImportPlans:
    """What the import works out once per questionnaire: the plan of each area sheet and
    each choice question's labels (about 1.5 ms for ozg-kommune, against ~10 ms for a
    whole file). A batch worker keeps one for all its files (`sources.batch`); a single
    import makes its own. Bounded, like the scoring's `Memory`; no module keeps them."""

    __slots__ = ("areas", "choices")

    def __init__(self) -> None:
        self.areas: IdentityCache[tuple[_AreaPlan, ...]] = IdentityCache(100)
        self.choices: IdentityCache[dict[str, str]] = IdentityCache(10_000)

    def choice_map(self, q: Question) -> dict[str, str]:
        """Casefolded label or value → value."""
        return self.choices.get((q,), None, lambda: _work_out_choice_map(q))

    def area_plans(self, qn: Questionnaire) -> tuple[_AreaPlan, ...]:
        return self.areas.get((qn,), None, lambda: _work_out_plans(qn, self))


class _Reader:
    """Collects the answers of one file while it walks the sheets."""

    def __init__(self, display: str, plans: ImportPlans | None = None) -> None:
        self.display = display
        self.plans = plans if plans is not None else ImportPlans()
        self.issues: list[Issue] = []
        self.cells: dict[str, Place] = {}
        self.answers: dict[str, Answer] = {}
        self.formulas: set[tuple[str, str]] = set()  # (sheet, cell) holding a formula
        self.fractions: list[tuple[str, str, str]] = []  # percentages 0–1: qid, sheet, cell

    def loc(self, sheet: str | None = None, row: int | None = None,
            col: int | None = None) -> Location:
        cell = _cell_name(row, col) if row and col else None
        return Location(self.display, sheet=sheet, cell=cell)

    def issue(self, code: IssueCode, message: str, where: Location,
              severity: str = "error") -> None:
        self.issues.append(Issue(code, message, where, severity))

    def add(self, qid: str, where: Place, *, value: Any = None, na: bool = False,
            reason: str | None = None, note: str | None = None, source: str | None = None,
            unclear: str | None = None) -> None:
        self.put(qid, where, value, na, reason, note, source, unclear)

    def put(self, qid: str, where: Place, value: Any, na: bool, reason: str | None,
            note: str | None, source: str | None, unclear: str | None) -> None:
        """`add` without keyword arguments (a batch stores a hundred answers a file).
        `line` carries an index into `cells`, so issues of check_answers can be re-located."""
        self.cells[qid] = where
        self.answers[qid] = Answer(qid, value, na, reason, note, source, len(self.cells),
                                   None, unclear)

    # ------------------------------------------------------------------ values
    def value(self, q: Question, raw: Any, where: Location,
              csv: bool = False) -> tuple[Any, bool]:
        """Canonical value of a typed or chosen cell; (None, False) when it is unusable.
        In a CSV every value is text, so a number written as text is no problem there."""
        if q.type in (QType.SINGLE, QType.YES_NO):
            text = _text(raw)
            found = self.plans.choice_map(q).get(_squeeze(text or "").casefold())
            if found is not None:
                return found, True
            allowed = ", ".join(f"„{c.label}“" for c in T.choices(q))
            self.issue(IssueCode.NOT_IN_LIST,
                       f"„{text}“ steht nicht in der Auswahlliste von {q.id} "
                       f"(von Hand eingetragen?). Erlaubt: {allowed}.", where)
            return None, False
        if q.type in (QType.SCALE, QType.NUMBER):
            number = raw
            if isinstance(raw, dt.date | dt.datetime | dt.time | dt.timedelta):
                self.issue(IssueCode.NOT_A_NUMBER,
                           f"Antwort auf {q.id} muss eine Zahl sein, gefunden "
                           f"ein Datum oder eine Uhrzeit („{_text(raw)}“, von Excel "
                           "umgewandelt?); bitte die Zahl als Zahl eintragen.", where)
                return None, False
            if isinstance(raw, str):
                text = raw.strip()
                if q.unit == "%" and text.endswith("%"):  # "80 %" typed as text
                    text = text[:-1].strip()
                if not text.isascii():  # float() would take "٣" or "３" silently
                    self.issue(IssueCode.NOT_A_NUMBER, f"Antwort auf {q.id} muss eine Zahl aus den "
                               f"Ziffern 0–9 sein, gefunden „{text}“.", where)
                    return None, False
                if re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", text):
                    self.issue(IssueCode.AMBIGUOUS_NUMBER, f"„{text}“ bei {q.id} ist mehrdeutig "
                               "(Tausenderpunkt oder Dezimalpunkt?); bitte als Zahl "
                               "eintragen, nicht als Text.", where)
                    return None, False
                try:
                    number = float(text.replace(".", "").replace(",", ".")
                                   if "," in text or _GERMAN_THOUSANDS.match(text) else text)
                except ValueError:
                    self.issue(IssueCode.NOT_A_NUMBER, f"Antwort auf {q.id} muss eine Zahl sein, "
                               f"gefunden „{raw.strip()}“.", where)
                    return None, False
                if not csv:
                    self.issue(IssueCode.NUMBER_AS_TEXT,
                               f"Zahl bei {q.id} ist als Text gespeichert; "
                               "übernommen, bitte als Zahl eintragen.", where, "warning")
            if isinstance(number, bool) or not isinstance(number, int | float):
                self.issue(IssueCode.NOT_A_NUMBER,
                           f"Antwort auf {q.id} muss eine Zahl sein.", where)
                return None, False
            if isinstance(number, float) and number.is_integer():
                number = int(number)
            return number, True
        return _text(raw), True


def _work_out_choice_map(q: Question) -> dict[str, str]:
    options = T.choices(q)
    by_key = {c.value.casefold(): c.value for c in options}
    by_key.update({c.label.casefold(): c.value for c in options})  # a label wins over a value
    return by_key


_MONTHS = {m: n for n, m in enumerate(
    ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
     "oktober", "november", "dezember"), start=1)} | {"jänner": 1, "maerz": 3}
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_WORDS_DATE = re.compile(r"^(\d{1,2})\.?\s+([A-Za-zÄÖÜäöü]+)\.?\s+(\d{4})$")
# spreadsheet date serials (days since 30.12.1899) from 1.1.2000 to 31.12.2099
_SERIALS = (36526, 73415)
_EPOCH = dt.date(1899, 12, 30)


def date_value(raw: Any) -> tuple[str | None, str | None]:
    """The interview date as ISO text, from a date cell, a date serial (a date cell whose
    format was lost) or text in German or ISO form; (None, why) when it is no date."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat(), None
    if isinstance(raw, dt.date):
        return raw.isoformat(), None
    text = _squeeze(str(raw))
    serial: float | None = raw if isinstance(raw, int | float) and not isinstance(
        raw, bool) else (float(text) if re.fullmatch(r"\d{5}(\.0+)?", text) else None)
    if serial is not None:
        if _SERIALS[0] <= serial <= _SERIALS[1] and float(serial).is_integer():
            return (_EPOCH + dt.timedelta(days=int(serial))).isoformat(), None
        return None, (f"„{_text(raw)}“ ist kein Datum; bitte das Datum der Erhebung als "
                      "TT.MM.JJJJ eintragen, z. B. 03.11.2026.")
    parts: tuple[int, int, int] | None = None
    if m := _GERMAN_DATE.match(text):
        day, month, year = (int(g) for g in m.groups())
        parts = (year + 2000 if year < 100 else year, month, day)
    elif m := _ISO_DATE.match(text):
        parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif (m := _WORDS_DATE.match(text)) and m.group(2).casefold() in _MONTHS:
        parts = (int(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)))
    if parts is not None:
        try:
            return dt.date(*parts).isoformat(), None
        except ValueError:
            return None, (f"„{text}“ gibt es nicht als Datum (Tag oder Monat zu groß); bitte "
                          "das Datum der Erhebung prüfen.")
    return None, (f"„{text}“ ist kein vollständiges Datum; bitte das Datum der Erhebung als "
                  "TT.MM.JJJJ eintragen, z. B. 03.11.2026.")


_KREIS_PREFIXES = {"lk": "Landkreis", "lkr": "Landkreis", "landkr": "Landkreis",
                   "landkreis": "Landkreis", "kreis": "Kreis", "krs": "Kreis"}


def kreis_name(text: str | None) -> str | None:
    """A Kreis as the overview and the archive filter write it: blanks squeezed and the
    usual abbreviations written out („LK Heidmoor“, „Lkr. Heidmoor“ → „Landkreis
    Heidmoor“)."""
    if not text:
        return None
    words = _squeeze(text).split(" ")
    head = words[0].rstrip(".").casefold()
    if len(words) > 1 and head in _KREIS_PREFIXES:
        words[0] = _KREIS_PREFIXES[head]
    return " ".join(words)


def _cell(rows: list[list[Any]], row: int, col: int) -> Any:
    """1-based access that tolerates short rows; empty strings count as empty."""
    if row - 1 < len(rows) and col - 1 < len(rows[row - 1]):
        v = rows[row - 1][col - 1]
        return None if v == "" else v
    return None


def _read_book(path: Path, data: bytes | None = None
               ) -> tuple[dict[str, list[list[Any]]], dict[str, Merged]]:
    """The sheets that are read (`_read_sheet`) as rows of Python values, and the merged
    ranges of each sheet (`sources.tables.read_book`)."""
    return read_book(path, data, _read_sheet)


_MASTER_ROWS = {key: T.MASTER_FIRST_ROW + i for i, (key, _) in enumerate(T.MASTER_FIELDS)}
_TYPE_BY_LABEL = {v.casefold(): k for k, v in T.TYPE_LABELS.items()} | {
    v.casefold(): k for v, k in T.OLD_TYPE_LABELS.items()}


def _municipality(r: _Reader, rows: list[list[Any]]) -> tuple[Municipality, Interview]:
    values: dict[str, Any] = {}
    for key, label in T.MASTER_FIELDS:
        row = _MASTER_ROWS[key]
        if _text(_cell(rows, row, 1)) != label:
            r.issue(IssueCode.MOVED_CELLS,
                    f"Blatt „{T.MASTER_SHEET}“ ist verändert: in A{row} wird "
                    f"„{label}“ erwartet. Bitte die Vorlage unverändert ausfüllen.",
                    r.loc(T.MASTER_SHEET, row, 1))
            return Municipality("?"), Interview()
        values[key] = _cell(rows, row, 2)

    def at(key: str) -> Location:
        return r.loc(T.MASTER_SHEET, _MASTER_ROWS[key], 2)

    name = _text(values["name"])
    if not name:
        r.issue(IssueCode.MUNICIPALITY_NAME, "Der Name der Kommune fehlt.", at("name"))
    mtype_label = _text(values["type"]) and _squeeze(_text(values["type"]) or "")
    mtype = _TYPE_BY_LABEL.get((mtype_label or "").casefold()) or (
        mtype_label if mtype_label in T.TYPE_LABELS else None) or (
        OLD_MUNICIPALITY_TYPES.get(mtype_label or ""))
    if mtype_label and mtype is None:
        r.issue(IssueCode.NOT_IN_LIST, f"Art der Kommune „{mtype_label}“ steht nicht in der "
                f"Auswahlliste. Erlaubt: {', '.join(T.TYPE_LABELS.values())}.", at("type"))
    ars = _text(values["ars"])
    if ars is not None and isinstance(values["ars"], str):
        ars = "".join(ars.split())  # „03 151 0000 000“: blanks between the groups
    if ars is not None and not ARS_RE.match(ars):
        if ars.isdigit() and len(ars) == 11:
            r.issue(IssueCode.ARS,
                    f"Regionalschlüssel {ars} hat 11 Ziffern: die führende Null ist beim "
                    "Speichern als Zahl verloren gegangen; bitte als Text eintragen.",
                    at("ars"))
        else:
            r.issue(IssueCode.ARS, f"Regionalschlüssel „{ars}“ muss aus 12 Ziffern bestehen.",
                    at("ars"))
        ars = None
    land = _text(values["land"]) and _squeeze(_text(values["land"]) or "")
    if land:
        by_name = code_from_name(land)
        if by_name is None:
            r.issue(IssueCode.LAND,
                    f"Land „{land}“ ist unbekannt; bitte aus der Auswahlliste wählen.",
                    at("land"), "warning")
        elif ars is not None and code_from_ars(ars) != by_name:
            r.issue(IssueCode.ARS_LAND, f"Der Regionalschlüssel {ars} gehört zu "
                    f"{NAMES.get(code_from_ars(ars) or '', 'keinem Land')}, angegeben ist "
                    f"{land}; eines von beiden korrigieren.", at("ars"))
    pop_raw = values["population"]
    population = None
    if isinstance(pop_raw, str) and not pop_raw.isascii():
        r.issue(IssueCode.NOT_A_NUMBER, non_ascii_number(pop_raw), at("population"))
        pop_raw = None
    if pop_raw is not None:
        try:
            if isinstance(pop_raw, bool) or (isinstance(pop_raw, int | float) and pop_raw < 0):
                raise ValueError(pop_raw)
            population = int(float(str(pop_raw).replace(".", "") if isinstance(pop_raw, str)
                                   else pop_raw))
            if isinstance(pop_raw, str):
                r.issue(IssueCode.NUMBER_AS_TEXT,
                        "Einwohnerzahl ist als Text gespeichert; übernommen.",
                        at("population"), "warning")
        except (ValueError, TypeError, OverflowError):  # text, a date, infinity
            r.issue(IssueCode.NOT_A_NUMBER, f"Einwohnerzahl „{_text(pop_raw)}“ ist keine Zahl.",
                    at("population"))
    if population is not None and population > MAX_POPULATION:
        r.issue(IssueCode.POPULATION, population_too_large(population), at("population"))
        population = None
    contact = _text(values["contact"])
    date_text, problem = date_value(values["date"])
    if problem:
        r.issue(IssueCode.DATE, problem, at("date"))
    if not land and ars is not None:
        land = NAMES.get(code_from_ars(ars) or "")  # the ARS names the Land
    kreis = kreis_name(_text(values["kreis"]))
    if not kreis and mtype in ("landkreis", "kreisfreie_stadt"):
        kreis = name  # a Kreis or kreisfreie Stadt is its own Kreis
    return (Municipality(name or "?", ars, land, kreis, mtype, population),
            Interview(date=date_text, participants=(contact,) if contact else ()))


_CHOICE, _MULTIPLE, _NUMBER, _TEXT, _SERVICES = range(5)
_KIND = {QType.SINGLE: _CHOICE, QType.YES_NO: _CHOICE, QType.MULTIPLE: _MULTIPLE,
         QType.SCALE: _NUMBER, QType.NUMBER: _NUMBER, QType.TEXT: _TEXT,
         QType.SERVICES: _SERVICES}
_WIDTH = len(T.COLUMNS)
_NA_MARKS = (T.NA_MARK, T.YES, "x")


@dataclass(frozen=True)
class _AreaPlan:
    """What the import looks for on one area sheet, worked out once per questionnaire."""

    area: Area
    sheet: str
    legacy: str  # the name older templates cut mid-word
    # question, kind, casefolded label or value → value, option ID cells with their options
    questions: tuple[tuple[Question, int, dict[str, str], tuple[tuple[str, Any], ...]], ...]


def _work_out_plans(qn: Questionnaire, plans: ImportPlans) -> tuple[_AreaPlan, ...]:
    return tuple(
        _AreaPlan(area, T.sheet_title(index, area.title.de),
                  T.legacy_sheet_title(index, area.title.de), tuple(
            (q, _KIND[q.type],
             plans.choice_map(q) if q.type in (QType.SINGLE, QType.YES_NO) else {},
             tuple((T.option_key(q.id, o.value), o) for o in q.options)
             if q.type is QType.MULTIPLE else
             tuple((T.option_key(q.id, svc.ozg_id), svc) for _, svc in T.service_rows(q))
             if q.type is QType.SERVICES else ())
            for q in area.questions))
        for index, area in enumerate(qn.areas, start=1))


# the last ID column seen per sheet and the rows it gives: the returned files of a batch
# nearly all have the template's rows
_KEYS: dict[str, tuple[list[Any], dict[str, int]]] = {}


def _rows_by_key(sheet: str, rows: list[list[Any]]) -> dict[str, int]:
    """Question or option ID → its (first) row number; read-only."""
    body = rows[T.HEADER_ROW:]
    try:
        ids = [cells[T.COL_ID - 1] for cells in body]
    except IndexError:  # an empty row
        ids = [cells[T.COL_ID - 1] if cells else None for cells in body]
    seen = _KEYS.get(sheet)
    if seen is not None and seen[0] == ids:  # text equals only text: the same keys
        return seen[1]
    by_key: dict[str, int] = {}
    for n, raw in enumerate(ids, start=T.HEADER_ROW + 1):
        key = _text(raw)
        if key:
            by_key.setdefault(key, n)
    if all(type(i) is str or i is None for i in ids):  # (1 == 1.0 == True, "1" != "True")
        if len(_KEYS) > 1000:
            _KEYS.clear()
        _KEYS[sheet] = (ids, by_key)
    return by_key


def _area(r: _Reader, plan: _AreaPlan, sheets: dict[str, list[list[Any]]],
          merged: dict[str, Merged]) -> None:
    area, name = plan.area, plan.sheet
    if name not in sheets and plan.legacy in sheets:
        name = plan.legacy
    if name not in sheets:
        r.issue(IssueCode.MISSING_SHEET, f"Blatt „{name}“ fehlt (umbenannt oder gelöscht?); die "
                f"{len(area.questions)} Fragen von {area.id} bleiben offen.", r.loc())
        return
    rows = sheets[name]
    for (top, left), (bottom, right) in merged.get(name, []):
        # a merged range across rows hides the answers of all but its first row
        answer_cols = T.COL_ANSWER - 1 <= right and left <= len(T.COLUMNS) - 1
        covers_answers = answer_cols and bottom > top and bottom >= T.HEADER_ROW
        span = f"{col_letter(left + 1)}{top + 1}:{col_letter(right + 1)}{bottom + 1}"
        r.issue(IssueCode.MERGED_CELLS, f"Verbundene Zellen {span}"
                + ("; Antworten darunter gehen verloren. Bitte die Verbindung aufheben und "
                   "jede Antwort in ihre Zeile schreiben." if covers_answers else
                   "; bitte die Verbindung aufheben."),
                r.loc(name, top + 1, left + 1), "error" if covers_answers else "warning")
    if len(rows) < T.HEADER_ROW or tuple(rows[T.HEADER_ROW - 1][:_WIDTH]) != T.COLUMNS:
        for col, head in enumerate(T.COLUMNS, start=1):
            if _text(_cell(rows, T.HEADER_ROW, col)) != head:
                r.issue(IssueCode.MOVED_CELLS, f"Spalten sind verschoben: in {col_letter(col)}"
                        f"{T.HEADER_ROW} wird „{head}“ erwartet. Bitte in die unveränderte "
                        "Vorlage übertragen.", r.loc(name, T.HEADER_ROW, col))
                return
    by_key = _rows_by_key(name, rows)
    display, formulas = r.display, r.formulas
    for q, kind, choice_map, option_rows in plan.questions:
        row = by_key.get(q.id)
        if row is None:
            r.issue(IssueCode.MOVED_CELLS,
                    f"Frage {q.id} ist nicht mehr auf dem Blatt (Zeile gelöscht "
                    "oder Frage-ID geändert).", r.loc(name, None))
            continue
        cells = rows[row - 1]
        if len(cells) < _WIDTH:  # short rows (some writers end a row at its last value)
            cells = [*cells, *([None] * (_WIDTH - len(cells)))]
        raw_value, na_mark, reason, unclear, note, source = cells[T.COL_ANSWER - 1:_WIDTH]
        if na_mark == reason == unclear == note == source == "":  # the usual row
            na_mark = reason = unclear = note = source = None
        else:
            reason, note, source = _text(reason), _text(note), _text(source)
            unclear, na_mark = _text(unclear), _text(na_mark)
            if na_mark and na_mark.casefold() not in _NA_MARKS:
                r.issue(IssueCode.NOT_IN_LIST,
                        f"„{na_mark}“ in „Trifft nicht zu“ bei {q.id}: erlaubt "
                        f"ist nur „{T.NA_MARK}“.", r.loc(name, row, T.COL_NA))
                na_mark = None
        if kind == _MULTIPLE:
            value: Any = _chosen(r, q, name, rows, by_key, option_rows)
        elif kind == _SERVICES:
            value = _services_marked(r, q, name, rows, by_key, option_rows)
        elif formulas and (name, _cell_name(row, T.COL_ANSWER)) in formulas:
            continue  # reported with the other formulas
        elif raw_value == "" or raw_value is None:
            value = None
        elif kind == _CHOICE and type(raw_value) is str and (
                found := choice_map.get(raw_value.strip().casefold())) is not None:
            value = found
        elif kind == _NUMBER and type(raw_value) is float:
            value = int(raw_value) if raw_value.is_integer() else raw_value
        elif kind == _NUMBER and type(raw_value) is int:
            value = raw_value
        elif kind == _TEXT:
            value = _text(raw_value)
        else:  # anything unusual, with its located problems
            value, ok = r.value(q, raw_value, r.loc(name, row, T.COL_ANSWER))
            if not ok:
                continue
        if (na_mark or unclear) and _conflict(r, q, name, row, value, na_mark, unclear):
            continue
        if kind == _NUMBER and value is not None and q.unit == "%":
            if not _percent(r, q, name, row, value):
                continue
        if na_mark:
            r.put(q.id, (display, name, row, T.COL_NA), value, True, reason, note, source,
                  None)
        elif unclear:
            r.put(q.id, (display, name, row, T.COL_UNCLEAR), None, False, None, note, source,
                  unclear)
        elif value is not None or note or source:
            r.put(q.id, (display, name, row, T.COL_ANSWER), value, False, None, note, source,
                  None)
        if value is None and not na_mark and not unclear and choice_map:
            _option_elsewhere(r, q, name, row, choice_map, note, cells[T.COL_HELP - 1])


def _conflict(r: _Reader, q: Question, sheet: str, row: int, value: Any,
              na_mark: str | None, unclear: str | None) -> bool:
    """A row with two answers (an answer and „trifft nicht zu“ or „klären mit“, or
    both of those): refused at the first of the two cells, naming both; True if so."""
    marks = [(T.COL_NA, "„trifft nicht zu“")] if na_mark else []
    if unclear:
        marks.append((T.COL_UNCLEAR, f"„klären mit: {unclear}“"))
    if value is not None and value != []:
        labels = {c.value: c.label for c in T.choices(q)}
        shown = ", ".join(labels.get(v, v) for v in (
            value if isinstance(value, list) else [_text(value) or ""]))
        marks.insert(0, (T.COL_ANSWER, f"die Antwort „{shown}“"))
    if len(marks) < 2:
        return False
    (c1, what1), (c2, what2) = marks[:2]
    r.issue(IssueCode.TWO_ANSWERS, f"Zeile {row} von {q.id} enthält zwei Angaben: {what1} in "
            f"{_cell_name(row, c1)} und {what2} in {_cell_name(row, c2)}. Bitte nur eines "
            "von beiden ausfüllen, das andere leeren.", r.loc(sheet, row, c1))
    return True


# a %-formatted cell holds 80 % as 0.8: its format is looked up after the sheets are read
_PERCENT_MAX = 100


def _percent(r: _Reader, q: Question, sheet: str, row: int, value: float) -> bool:
    """A percentage: refused above 100; a value between 0 and 1 waits for the cell's
    number format (`_apply_percent_formats`). False if refused."""
    if value > _PERCENT_MAX:
        r.issue(IssueCode.OUT_OF_RANGE, f"{_number(value)} % bei {q.id} ist mehr als 100 %; bitte "
                "den Anteil in Prozent (0 bis 100) eintragen.", r.loc(sheet, row, T.COL_ANSWER))
        return False
    if 0 < value <= 1:
        r.fractions.append((q.id, sheet, _cell_name(row, T.COL_ANSWER)))
    return True


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


CellFormats = Callable[[set[tuple[str, str]]], set[tuple[str, str]]]
_PASSWORD = ("Die Datei ist mit einem Kennwort geschützt und kann nicht gelesen werden; "
             "bitte ohne Kennwort speichern (Datei > Speichern unter, Häkchen „Mit Kennwort "
             "speichern“ entfernen) und erneut senden.")


def _encrypted_ods(path: Path, data: bytes | None) -> bool:
    """An ods saved with a password: its manifest lists encryption data for the parts
    (the parts themselves are then unreadable bytes, which the reader calls damage)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
            info = zf.getinfo("META-INF/manifest.xml")
            if info.file_size > 1_000_000:
                return False
            return b"encryption-data" in zf.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False


def _apply_percent_formats(r: _Reader, formats: CellFormats | None) -> None:
    """0.8 in a cell formatted as percentage is 80 %; in a plain cell 0.8 % stays, with a
    warning (80 % typed as 0,8?)."""
    if not r.fractions:
        return
    percent = formats({(sheet, cell) for _, sheet, cell in r.fractions}) if formats else set()
    for qid, sheet, cell in r.fractions:
        ans = r.answers.get(qid)
        if ans is None or ans.value is None:
            continue
        if (sheet, cell) in percent:
            value = round(float(ans.value) * 100, 6)
            r.answers[qid] = replace(ans, value=int(value) if value.is_integer() else value)
        elif ans.value != 1:
            r.issue(IssueCode.SMALL_PERCENT, f"{_number(ans.value)} % bei {qid}: gemeint "
                    f"{_number(ans.value * 100)} %? Übernommen als {_number(ans.value)} %; "
                    "Prozent bitte als Zahl von 0 bis 100 eintragen.",
                    Location(r.display, sheet=sheet, cell=cell), "warning")


def _option_elsewhere(r: _Reader, q: Question, sheet: str, row: int,
                      choice_map: dict[str, str], note: str | None, help_cell: Any) -> None:
    """An answer typed into Notiz or Hinweis instead of Antwort: a warning at that cell
    (the question stays open)."""
    for col, text, label in ((T.COL_NOTE, note, "Notiz"),
                             (T.COL_HELP, _text(help_cell), "Hinweis")):
        if text and _squeeze(text).casefold() in choice_map:
            r.issue(IssueCode.ANSWER_ELSEWHERE,
                    f"In {_cell_name(row, col)} ({label}) steht „{text}“, "
                    f"eine Antwort auf {q.id}, aber die Spalte Antwort "
                    f"({_cell_name(row, T.COL_ANSWER)}) ist leer; die Frage bleibt offen. "
                    "Bitte die Antwort in die Spalte Antwort eintragen.",
                    r.loc(sheet, row, col), "warning")
            return


def _squeeze(text: str) -> str:
    """Inner runs of blanks (also non-breaking spaces) as one space."""
    return " ".join(text.split())


def _chosen(r: _Reader, q: Question, name: str, rows: list[list[Any]],
            by_key: dict[str, int], option_rows: tuple[tuple[str, Any], ...]
            ) -> list[str] | None:
    """The options marked „ja“ (one yes/no dropdown per option); None when none is filled."""
    chosen: list[str] = []
    seen = False
    missing = [o for key, o in option_rows if key not in by_key]
    for o in missing:
        r.issue(IssueCode.MOVED_CELLS, f"Option {o.value} von {q.id} fehlt auf dem Blatt.",
                r.loc(name))
    for o, orow, raw in _marked_rows(rows, by_key, option_rows):
        seen = True
        mark = raw.casefold()
        if mark == T.YES:
            chosen.append(o.value)
        elif mark != T.NO:
            r.issue(IssueCode.NOT_IN_LIST, f"„{raw}“ bei Option „{o.label.de}“ ({q.id}): "
                    "bitte „ja“ oder „nein“ wählen.", r.loc(name, orow, T.COL_ANSWER))
    return chosen if seen else None


def _marked_rows(rows: list[list[Any]], by_key: dict[str, int],
                 keyed: Any) -> Iterator[tuple[Any, int, str]]:
    """(item, row, text) of each option or service row whose answer cell is filled; rows
    missing from the sheet are skipped (the caller says whether that is a problem)."""
    for key, item in keyed:
        orow = by_key.get(key)
        if orow is None:
            continue
        cells = rows[orow - 1]
        raw = _text(cells[T.COL_ANSWER - 1]) if len(cells) >= T.COL_ANSWER else None
        if raw is not None:
            yield item, orow, raw


def _services_marked(r: _Reader, q: Question, name: str, rows: list[list[Any]],
                     by_key: dict[str, int], service_rows: tuple[tuple[str, Any], ...]
                     ) -> dict[str, list[str]] | None:
    """A services_online answer from its rows („online“ / „nicht online“, empty =
    unknown); None when no row is filled. A row deleted from the sheet stays unknown."""
    found: dict[str, list[str]] = {"online": [], "nicht_online": []}
    seen = False
    for svc, orow, raw in _marked_rows(rows, by_key, service_rows):
        seen = True
        mark = raw.casefold()
        if mark in ("online", T.YES):
            found["online"].append(svc.ozg_id)
        elif mark in ("nicht online", "nicht_online", T.NO):
            found["nicht_online"].append(svc.ozg_id)
        else:
            r.issue(IssueCode.NOT_IN_LIST, f"„{raw}“ bei {svc.name} ({q.id}): bitte „online“ oder "
                    "„nicht online“ wählen oder leer lassen.", r.loc(name, orow, T.COL_ANSWER))
    return {k: sorted(v) for k, v in found.items()} if seen else None


def _finish(r: _Reader, qn: Questionnaire, ref: QuestionnaireRef, muni: Municipality,
            interview: Interview) -> ImportResult:
    aset = AnswerSet(ref, muni, interview, dict(r.answers), r.display)
    by_index = list(r.cells.values())
    resolved = check_answers(qn, aset)
    located = []
    for issue in resolved.issues:
        line = issue.location.line
        where = (_located(by_index[line - 1]) if line and line <= len(by_index)
                 else Location(r.display))
        located.append(Issue(issue.code, issue.message, where, issue.severity))
    r.issues.extend(located)
    return ImportResult(aset, qn, r.issues, r.cells, checked=resolved)


def _read_sheet(sheet: str) -> bool:
    """Not read: the instructions (text for people) and the dropdowns' allowed values (in
    templates from version 2; older ones keep them on the metadata sheet, which is read)."""
    return sheet != T.INSTRUCTIONS_SHEET and sheet != T.LISTS_SHEET


def _typed_in(sheet: str) -> bool:
    """Sheets where users type answers: master data and the numbered area sheets."""
    return sheet == T.MASTER_SHEET or sheet[:1].isdigit()


CRASHED = ("Beim Lesen dieser Datei ist der Leseprozess abgebrochen (Speichergrenze "
           "erreicht oder Fehler in der Lesebibliothek, vermutlich eine beschädigte oder "
           "manipulierte Datei); sie wird nicht gelesen. Bitte erneut speichern und senden.")


def import_workbook(path: Path, lookup: QuestionnaireLookup,
                    display: str | None = None, data: bytes | None = None, *,
                    contained: bool = False, plans: ImportPlans | None = None
                    ) -> ImportResult:
    """Read one returned workbook or CSV. Never raises for bad input: problems are issues.
    `data`: the file's bytes, when the caller has read them already (a batch hashes them).
    `contained`: the reader runs in a forked child under a memory ceiling, so that an abort
    inside it becomes an issue (`import`; the batch reads in its pool workers).
    `plans`: what earlier files of the same run worked out per questionnaire."""
    r = _Reader(display or str(path), plans)
    checked = inspect(path, _typed_in, all_parts=False, data=data, reads=_read_sheet)
    if checked.problem:
        # an ODS saved with a password has encrypted parts the bound check cannot read:
        # name the password, not damage
        r.issue(IssueCode.UNREADABLE, _PASSWORD if _encrypted_ods(path, data) else checked.problem,
                r.loc())
        return ImportResult(None, None, r.issues)
    if path.suffix.lower() == ".csv":
        return _import_csv(path, lookup, r, data)
    try:
        with quiet_stderr():
            if contained:
                from ozgkompass.sources.contained import run_contained

                sheets, merged = run_contained(_read_book, path, data)
            else:
                sheets, merged = _read_book(path, data)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises its own types for every kind of damage,
        # and a Rust panic (pyo3's PanicException) that is not an Exception at all
        # e.g. a DOCTYPE outside the sheets
        why = inspect(path, _typed_in, data=data, reads=_read_sheet).problem or (
            _PASSWORD if type(exc).__name__ == "PasswordError" or _encrypted_ods(path, data)
            else None)
        if why is None and type(exc).__name__ in ("ReaderCrashed", "MemoryError"):
            why = CRASHED
        r.issue(IssueCode.UNREADABLE, why or "Die Datei ist beschädigt oder keine Tabellendatei "
                f"({type(exc).__name__}); bitte erneut speichern und senden.", r.loc())
        return ImportResult(None, None, r.issues)
    from ozgkompass.sources.cell_format import percent_cells

    return import_sheets(sheets, merged, lookup, r.display, checked.formulas,
                         lambda wanted: percent_cells(path, data, wanted), r.plans)


def import_sheets(sheets: dict[str, list[list[Any]]], merged: dict[str, Merged],
                  lookup: QuestionnaireLookup, display: str,
                  formulas: list[tuple[str, str]] | None = None,
                  formats: CellFormats | None = None,
                  plans: ImportPlans | None = None) -> ImportResult:
    """The answers in a workbook's cell values (as python-calamine returns them).
    `formats`: which of the given (sheet, cell) pairs are formatted as a percentage."""
    from ozgkompass.errors import UserError

    r = _Reader(display, plans)
    for sheet, cell in formulas or []:
        if _typed_in(sheet):
            r.formulas.add((sheet, cell))
            r.issue(IssueCode.FORMULA, "Die Zelle enthält eine Formel; bitte den Wert selbst "
                    "eintragen (Formeln werden nicht ausgewertet).",
                    Location(r.display, sheet=sheet, cell=cell))
    meta = sheets.get(T.META_SHEET)
    if meta is None:
        r.issue(IssueCode.NOT_A_TEMPLATE, f"Keine ozgkompass-Mappe: das verborgene Blatt "
                f"„{T.META_SHEET}“ fehlt. Bitte die Vorlage aus `ozgkompass template` "
                "verwenden.", r.loc())
        return ImportResult(None, None, r.issues)
    info = {_text(row[0]): _text(row[1]) for row in meta if len(row) >= 2 and _text(row[0])}
    qid, version = info.get("questionnaire_id"), info.get("questionnaire_version")
    try:
        qn = lookup(qid or "?", version)
    except UserError as exc:
        r.issue(IssueCode.QUESTIONNAIRE, str(exc), r.loc(T.META_SHEET))
        return ImportResult(None, None, r.issues)
    if version != qn.version:
        r.issue(IssueCode.QUESTIONNAIRE_VERSION,
                f"Die Mappe gehört zu Version {version} von {qid}, "
                f"vorhanden ist Version {qn.version}. Bitte eine neue Vorlage ausfüllen lassen.",
                r.loc(T.META_SHEET))
        return ImportResult(None, qn, r.issues)
    if info.get("questionnaire_hash") != qn.hash:
        r.issue(IssueCode.QUESTIONNAIRE_HASH, "Der Fragebogen wurde seit dem Erstellen der Vorlage "
                "verändert (gleiche Version, anderer Inhalt); Ergebnisse können abweichen.",
                r.loc(T.META_SHEET), "warning")
    if T.MASTER_SHEET not in sheets:
        r.issue(IssueCode.MISSING_SHEET, f"Blatt „{T.MASTER_SHEET}“ fehlt.", r.loc())
        muni, interview = Municipality("?"), Interview()
    else:
        muni, interview = _municipality(r, sheets[T.MASTER_SHEET])
    for plan in r.plans.area_plans(qn):
        _area(r, plan, sheets, merged)
    _apply_percent_formats(r, formats)
    ref = QuestionnaireRef(qn.id, qn.version, qn.hash)
    member = info.get("member_ars")
    if member and muni.ars and muni.ars != member:
        r.issue(IssueCode.MEMBER_ARS,
                f"Die Mappe wurde für Regionalschlüssel {member} vorbereitet, "
                f"eingetragen ist {muni.ars}; bitte prüfen, ob die richtige Mappe ausgefüllt "
                "wurde.", r.loc(T.MASTER_SHEET, _MASTER_ROWS["ars"], 2), "warning")
    result = _finish(r, qn, ref, muni, interview)
    if "prefilled_from" in info:
        _compare_prefill(result, meta)
    return result


def _compare_prefill(result: ImportResult, meta: list[list[Any]]) -> None:
    """Which answers of a prefilled workbook were changed, and how many were confirmed."""
    before = {str(row[0])[len(T.PREFILL_KEY):]: row[1] for row in meta
              if len(row) >= 2 and isinstance(row[0], str) and row[0].startswith(T.PREFILL_KEY)}
    now = result.answers.answers if result.answers is not None else {}
    result.prefilled_from = next((_text(row[1]) for row in meta if len(row) >= 2
                                  and row[0] == "prefilled_from"), None)
    empty = T.prefill_key(Answer("?"))
    for qid in dict.fromkeys([*before, *now]):
        key = T.prefill_key(now[qid]) if qid in now else empty
        if key == before.get(qid, empty):
            result.confirmed += qid in before
        else:
            result.changed.append(qid)


# ----------------------------------------------------------------------------- CSV

CSV_MASTER = {f"kommune.{k}": k for k, _ in T.MASTER_FIELDS}


def non_ascii_number(text: str) -> str:
    return (f"Einwohnerzahl „{text.strip()}“ enthält Zeichen, die keine Ziffern 0–9 sind "
            "(z. B. hochgestellte oder arabisch-indische Ziffern); bitte mit 0–9 eintragen.")


def _csv_population(r: _Reader, master: dict[str, str]) -> int | None:
    """`kommune.population` of a CSV: digits 0–9 only, within MAX_POPULATION."""
    pop = (master.get("population") or "").strip()
    if not pop:
        return None
    where = Location(r.display)
    if not pop.isascii():
        r.issue(IssueCode.NOT_A_NUMBER, non_ascii_number(pop), where)
        return None
    if not pop.isdigit():
        r.issue(IssueCode.NOT_A_NUMBER, f"Einwohnerzahl „{pop}“ ist keine ganze Zahl.", where)
        return None
    if len(pop) > 9 or int(pop) > MAX_POPULATION:
        r.issue(IssueCode.POPULATION,
                population_too_large(int(pop) if len(pop) < 4000 else 10**4000),
                where)
        return None
    return int(pop)


def _import_csv(path: Path, lookup: QuestionnaireLookup, r: _Reader,
                data: bytes | None = None) -> ImportResult:
    """Columns: frage_id; antwort (label or value; multiple choice separated by `|`);
    optional na, begruendung, klaeren_mit, notiz, quelle. Rows `fragebogen` and
    `kommune.name`, `kommune.ars`, … carry the questionnaire id and master data.
    Read through `sources.tables` (UTF-8 or Windows-1252, `;` `,` or tab, line numbers)."""
    from ozgkompass.errors import UserError
    from ozgkompass.sources.tables import TableError, read_tables

    try:
        table = read_tables(path, max_bytes=MAX_FILE_BYTES, data=data, shown=r.display,
                            too_big_hint="Bitte nur die ausgefüllte CSV-Datei senden.",
                            workbooks=False, max_lines=MAX_CSV_ROWS,
                            too_many_hint="Ein Fragebogen hat höchstens einige hundert "
                            "Fragen und Optionen.")
    except TableError as exc:
        r.issues.append(exc.issue())
        return ImportResult(None, None, r.issues)
    except UserError as exc:  # the file cannot be opened
        r.issue(IssueCode.UNREADABLE, str(exc), r.loc())
        return ImportResult(None, None, r.issues)
    r.issues.extend(table.issues)  # Windows-1252: a warning
    rows = table.sheets[0].rows
    if not rows or [c.lower() for c in rows[0][1][:2]] != ["frage_id", "antwort"]:
        r.issue(IssueCode.CSV_HEADER, "Die erste Zeile muss die Spalten „frage_id“ und „antwort“ "
                "nennen, getrennt durch Semikolon, Komma oder Tabulator.",
                Location(r.display, row=rows[0][0] if rows else 1))
        return ImportResult(None, None, r.issues)
    header = [c.lower() for c in rows[0][1]]
    col = {name: header.index(name) for name in header}
    master: dict[str, str] = {}
    master_rows: dict[str, int] = {}
    qref: tuple[str, str | None] = (DEFAULT_CSV_QUESTIONNAIRE, None)
    body: list[tuple[int, dict[str, str]]] = []
    for n, row in rows[1:]:
        rec = {k: (row[i] if i < len(row) else "") for k, i in col.items()}
        key = rec["frage_id"]
        if not key:
            continue
        if key == "fragebogen":
            parts = rec["antwort"].split()
            qref = (parts[0], parts[1] if len(parts) > 1 else None) if parts else qref
        elif key in CSV_MASTER:
            master[CSV_MASTER[key]] = rec["antwort"]
            master_rows[CSV_MASTER[key]] = n
        else:
            body.append((n, rec))
    try:
        qn = lookup(*qref)
    except UserError as exc:
        r.issue(IssueCode.QUESTIONNAIRE, str(exc), Location(r.display))
        return ImportResult(None, None, r.issues)
    for n, rec in body:
        where = Location(r.display, row=n)
        q = qn.question(rec["frage_id"])
        if q is None:
            r.issue(IssueCode.UNKNOWN_QUESTION, f"Frage {rec['frage_id']!r} gibt es in {qn.id} "
                    f"{qn.version} nicht.", where)
            continue
        extra: dict[str, Any] = {"note": rec.get("notiz") or None,
                                 "source": rec.get("quelle") or None}
        if (rec.get("na") or "").casefold() in (T.NA_MARK, T.YES, "x", "true"):
            r.add(q.id, where, na=True, reason=rec.get("begruendung") or None, **extra)
            continue
        if rec.get("klaeren_mit"):
            r.add(q.id, where, unclear=rec["klaeren_mit"], **extra)
            continue
        raw = rec["antwort"]
        if not raw:
            continue
        if q.type is QType.SERVICES:
            value, problem = parse_services_text(raw)
            if problem:
                r.issue(IssueCode.INVALID_VALUE, f"Antwort auf {q.id}: {problem}.", where)
            else:
                r.add(q.id, where, value=value, **extra)
            continue
        if q.type is QType.MULTIPLE:
            labels = {o.label.de.casefold(): o.value for o in q.options}
            values = {o.value.casefold(): o.value for o in q.options}
            chosen = []
            for part in (p.strip() for p in raw.split("|") if p.strip()):
                v = labels.get(part.casefold()) or values.get(part.casefold())
                if v is None:
                    r.issue(IssueCode.NOT_IN_LIST, f"„{part}“ ist keine Option von {q.id}.", where)
                else:
                    chosen.append(v)
            r.add(q.id, where, value=[o.value for o in q.options if o.value in chosen], **extra)
            continue
        value, ok = r.value(q, raw, where, csv=True)
        if ok:
            r.add(q.id, where, value=value, **extra)
    muni = Municipality(master.get("name") or "?", master.get("ars") or None,
                        master.get("land") or None, master.get("kreis") or None,
                        master.get("type") or None, _csv_population(r, master))
    contact = master.get("contact")
    date, problem = date_value(master.get("date"))
    if problem:
        r.issue(IssueCode.DATE, problem, Location(r.display, row=master_rows.get("date")))
    interview = Interview(date=date, participants=(contact,) if contact else ())
    return _finish(r, qn, QuestionnaireRef(qn.id, qn.version, qn.hash), muni, interview)
