"""Excel gap report (openpyxl): the consultant's working copy.

Values, not formulas: every figure is written as a number with a German-friendly format,
and every text from outside (names, notes, answers) is written as text even when it starts
with = + - @, so a hostile answers file cannot smuggle a formula into the workbook.
"""

from __future__ import annotations

import datetime as _dt
import io
from copy import copy
from typing import Any

from ozgkompass.numbers import german_date
from ozgkompass.reports.context import (
    EXECUTED_BY,
    INDICATIVE_NOTE,
    WEIGHTING,
    change,
    criterion_names,
    for_reader,
    provenance,
    responsibility_label,
    responsible_label,
)
from ozgkompass.scoring.assessment import HIDDEN, OPEN
from ozgkompass.scoring.today import source_label

PCT = '0" %"'  # the figure is 0–100, shown as "73 %" without Excel's ×100
MAX_CELL = 32_767  # Excel's limit for the text of one cell
LINE_HEIGHT = 15.0  # points a line of wrapped 11-pt text takes
MAX_LINES = 27  # Excel's row height stops at 409 points
A4 = 9  # paper size code of A4 in the file format


def lines_needed(text: str, width: float) -> int:
    """How many lines a wrapped cell of `width` characters needs (rounded up, so the
    row is rather too tall than too short: neither Excel nor LibreOffice sizes a row
    from a written file when printing)."""
    per_line = max(1, int(width) - 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # control characters other than tab/newline are not allowed in the file format
    return str(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))[:MAX_CELL]


class _Styles:
    """The few cell styles of the workbook, built once and copied to each cell: assigning
    style objects cell by cell took half of the report's time for 600 services."""

    def __init__(self, wb: Any) -> None:
        from openpyxl.styles import Alignment

        scratch = wb.create_sheet("_styles")
        wrap = Alignment(wrap_text=True, vertical="top")
        self.text = self._make(scratch, 1, alignment=wrap)
        self.quoted = self._make(scratch, 2, alignment=wrap, quotePrefix=True)
        top = Alignment(vertical="top")
        self.pct = self._make(scratch, 3, number_format=PCT, alignment=top)
        self.number = self._make(scratch, 4, alignment=top)
        wb.remove(scratch)

    @staticmethod
    def _make(ws: Any, row: int, **attrs: Any) -> Any:
        cell = ws.cell(row, 1)
        for name, value in attrs.items():
            setattr(cell, name, value)
        return cell._style


class _Book:
    """The workbook being written and its prepared styles."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.styles = _Styles(wb)


class _Sheet:
    """A sheet written row by row: bold frozen header, autofilter, widths, print area."""

    def __init__(self, book: _Book, title: str, headers: list[str], widths: list[int],
                 pct_cols: tuple[int, ...] = ()) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.styles = book.styles
        self.ws = book.wb.create_sheet(title)
        self.pct_cols = pct_cols
        self.headers = headers
        self.widths = widths
        self.last_row = 1  # counted here: Worksheet.max_row scans every cell on each call
        for i, head in enumerate(headers, start=1):
            # headers may carry names from outside (the convoy's members): text, never a formula
            cell = self.ws.cell(1, i, _text(head))
            cell.data_type = "s"
            cell.quotePrefix = bool(head) and head[0] in "=+-@\t\r"
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E79")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            self.ws.column_dimensions[cell.column_letter].width = widths[i - 1]
        self._fit_height(1, headers)
        self.ws.freeze_panes = "A2"
        self.ws.page_setup.paperSize = A4
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_title_rows = "1:1"

    def _fit_height(self, r: int, values: Any) -> None:
        lines = max((lines_needed(v, self.widths[i]) for i, v in enumerate(values)
                     if isinstance(v, str) and i < len(self.widths)), default=1)
        if lines > 1:
            self.ws.row_dimensions[r].height = LINE_HEIGHT * min(lines, MAX_LINES)

    def row(self, *values: Any, number_format: str | None = None) -> None:
        self.last_row = r = self.last_row + 1
        self._fit_height(r, values)
        st = self.styles
        for c, value in enumerate(values, start=1):
            cell = self.ws.cell(r, c)
            if isinstance(value, str):
                cell.value = _text(value)
                cell.data_type = "s"  # text stays text, even "=…", "+…", "-…", "@…"
                cell._style = copy(st.quoted if value and value[0] in "=+-@\t\r" else st.text)
            else:
                cell.value = value
                if value is None:
                    continue
                if c in self.pct_cols and not number_format:
                    cell._style = copy(st.pct)
                else:
                    cell._style = copy(st.number)
                    if number_format:
                        cell.number_format = number_format

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        last = f"{get_column_letter(len(self.headers))}{self.last_row}"
        self.ws.auto_filter.ref = f"A1:{last}"
        self.ws.print_area = f"A1:{last}"


def _new_book() -> _Book:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return _Book(book)


def _bytes(wb: _Book) -> bytes:
    buf = io.BytesIO()
    wb.wb.save(buf)
    return buf.getvalue()


def render(a: Any, audience: Any, today: _dt.date, plan: Any = None,
           peers: Any = None) -> bytes:
    """The workbook as bytes (the audience does not change the Excel report); with `plan`
    (a `PlanProjection`) the Maßnahmenplan follows the plan's phases. `peers` is the
    briefing's and not used here."""
    wb = _new_book()
    prov = provenance(a, today)
    _overview(wb, a, prov)
    _areas(wb, a)
    if a.catalogue is not None:
        _services(wb, a)
        _out_of_scope(wb, a)
    if a.observed is not None:  # a cached retrieval of the dashboard
        _observed(wb, a.observed)
    _next_steps(wb, a)
    if plan is not None:
        _plan_actions(wb, plan)
    _followups(wb, a)
    _method(wb, a, prov)
    return _bytes(wb)


def _overview(wb: Any, a: Any, prov: Any) -> None:
    from openpyxl.chart import BarChart, Reference

    s = _Sheet(wb, "Übersicht", ["Kennzahl", "Wert", "Hinweis"], [44, 14, 70], pct_cols=(2,))
    s.row("Kommune", a.municipality.name, "")
    s.row("OZG-Reifeindex", a.score, a.band or "nicht bewertbar")
    s.row("Vollständigkeit der Antworten", a.completeness,
          f"{a.answered} von {a.applicable} zutreffenden Fragen beantwortet")
    c = a.catalogue
    if c is not None:
        s.row("Heute online auf Zielstufe", c.share_today_at_target,
              f"{c.today_at_target} von {c.in_scope} Leistungen im Umfang; "
              f"{c.today_unconfirmed} unbestätigt (niemand hat angegeben, ob online)")
        s.row("Mit der heutigen Infrastruktur erreichbar (auf Zielstufe)", c.share_at_target,
              f"{c.at_target} von {c.in_scope} Leistungen im Umfang")
        if c.weighted_share_at_target is not None:
            s.row("Anteil gewichtet", c.weighted_share_at_target,
                  f"Gewichtung {WEIGHTING.get(c.weighting, c.weighting)}")
        for m in c.other_models:
            s.row(f"Erreichbar auf Zielstufe nach {m.title}", m.at_target,
                  f"von {m.in_scope} Leistungen"
                  + ("" if m.complete or "vorläufig" in m.title else " (Modell vorläufig)"),
                  number_format="0")
            s.row(f"Heute online auf Zielstufe nach {m.title}", m.today_at_target,
                  f"von {m.in_scope} Leistungen", number_format="0")
        if c.in_person:
            s.row("Leistungen mit persönlichem Erscheinen", c.in_person,
                  "gesetzlich vorgeschrieben; Stufe und Ziel sind begrenzt", number_format="0")
        if c.out_of_scope:
            s.row("Leistungen außerhalb des Umfangs", len(c.out_of_scope),
                  "siehe Blatt „Nicht im Umfang“", number_format="0")
        if c.model_notice:
            s.row("Hinweis zum Modell", None, for_reader(c.model_notice))
        if prov.indicative:
            s.row("Hinweis", None, INDICATIVE_NOTE)
    s.row("", None, "")
    s.row("Bereich", "Bewertung", "Stufe")
    first = s.last_row + 1
    for area in a.areas:
        s.row(area.title, area.score, area.band or "nicht bewertbar")
    last = s.last_row
    s.finish()
    if last >= first:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Stand je Bereich (%)"
        # a bar chart draws its first category at the bottom: reversed, the areas read
        # from the top in the order of the sheet and the HTML report
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.legend = None
        chart.add_data(Reference(s.ws, min_col=2, min_row=first, max_row=last),
                       titles_from_data=False)
        chart.set_categories(Reference(s.ws, min_col=1, min_row=first, max_row=last))
        chart.width, chart.height = 18, 2 + 0.9 * (last - first + 1)
        s.ws.add_chart(chart, "E2")


def _areas(wb: Any, a: Any) -> None:
    s = _Sheet(wb, "Bereiche",
               ["Bereich", "Frage", "Status", "Antwort", "Bewertung", "Notiz",
                "Quelle", "Empfehlung", "Zuständig"],
               [22, 50, 16, 30, 11, 40, 24, 50, 16], pct_cols=(5,))
    for area in a.areas:
        for q in area.questions:
            if q.status == HIDDEN:  # not asked of this municipality: no row
                continue
            s.row(area.title, q.text, q.status, q.answer_label or "", q.score,
                  q.note or "", q.source or "", q.recommendation or "",
                  responsible_label(q.responsible) if q.responsible else "")
    s.finish()


def _services(wb: Any, a: Any) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    c = a.catalogue
    s = _Sheet(wb, "Leistungen",
               ["OZG-ID", "Leistung", "Themenfeld", "Lage", "Zuständigkeit", "Erreichbar",
                "Stufe", "Ziel", "Zielstufe", "Lücke", "Engpass-Kriterien",
                "Unbekannte Kriterien", "EfA verfügbar", "EfA-Schnellgewinn",
                "Persönliches Erscheinen", "Stufe Frontend", "Stufe Backoffice",
                "Heute", "Heute (Stufe)", "Heute online auf Zielstufe", "Quelle heute"],
               [10, 44, 20, 20, 14, 10, 26, 8, 26, 8, 34, 28, 12, 14, 30, 10, 10,
                10, 30, 14, 26])
    for r in sorted(c.services, key=lambda r: (r.themenfeld, r.ozg_id)):
        s.row(r.ozg_id, r.name, r.themenfeld, r.lage or "", responsibility_label(r.responsibility),
              r.level,
              r.level_name, r.target, r.target_name, r.gap, criterion_names(a, r.bottlenecks),
              criterion_names(a, r.unknown_criteria),
              {True: "ja", False: "nein", None: "unbekannt"}[r.efa_available],
              "ja" if r.efa_quick_win else "nein",
              (r.in_person_note or "ja") if r.in_person else "nein",
              r.frontend_level, r.backoffice_level,
              r.today, r.today_name, "ja" if r.today_at_target else "nein",
              source_label(r.today_source, r.today_date))
    s.finish()
    if c.services:
        rng = f"J2:J{s.last_row}"
        s.ws.conditional_formatting.add(rng, CellIsRule(
            operator="greaterThan", formula=["0"],
            fill=PatternFill("solid", fgColor="F8CBAD")))
        s.ws.conditional_formatting.add(rng, CellIsRule(
            operator="equal", formula=["0"], fill=PatternFill("solid", fgColor="C6EFCE")))


def _out_of_scope(wb: Any, a: Any) -> None:
    c = a.catalogue
    s = _Sheet(wb, "Nicht im Umfang",
               ["OZG-ID", "Leistung", "Themenfeld", "Ausgeführt von", "Grund"],
               [10, 44, 20, 24, 60])
    for o in c.out_of_scope:
        s.row(o.ozg_id, o.name, o.themenfeld, EXECUTED_BY.get(o.executed_by or "", ""),
              o.reason)
    s.finish()


def _observed(wb: Any, o: Any) -> None:
    """The dashboard beside the answers (observed.compare.Comparison): contradictions first,
    as in the terminal and the HTML report."""
    s = _Sheet(wb, "Dashboard",
               ["OZG-ID", "Leistung", "Antwort", "Dashboard", "Abgleich", "Zu tun",
                "Erläuterung", "Online-Dienst", "Pflege-Liste", "Quelle, Stand"],
               [10, 40, 14, 24, 16, 34, 60, 40, 12, 40])
    care = {c.ozg_id for c in o.care_list}
    stand = f"{o.source}, Stand {german_date(o.date)}"
    for r in o.services:
        s.row(r.ozg_id, r.name, r.answer, r.observed.label, r.agreement, r.action or "",
              r.explanation, " ".join(r.observed.urls), "ja" if r.ozg_id in care else "nein",
              stand)
    s.finish()


def _next_steps(wb: Any, a: Any) -> None:
    """The one ranking of next steps (as terminal, HTML and briefing show it), with empty
    columns for the planning."""
    s = _Sheet(wb, "Nächste Schritte",
               ["Nr.", "Schritt", "Zuständig", "Aufwand", "Zeitrahmen (Richtwert)",
                "Leistungen auf Zielstufe erreichbar", "davon heute online",
                "Wirkung (Indexpunkte)", "Kriterien", "Verantwortlich (Name)", "Termin"],
               [6, 60, 16, 10, 18, 14, 12, 12, 24, 24, 14])
    for st in a.next_steps:
        s.row(st.rank, st.text, st.responsible_label, st.effort, st.time_frame,
              st.unlocks_reachable, "" if st.unlocks_today is None else st.unlocks_today,
              round(st.index_gain, 2), ", ".join(st.criterion_names), "", "")
        s.ws.cell(s.last_row, 8).number_format = "0.00"
    s.finish()


def _plan_actions(wb: Any, plan: Any) -> None:
    """One block a phase: its answers to reach, then the projected figures."""
    s = _Sheet(wb, "Maßnahmenplan",
               ["Phase", "Frage", "Zu erreichende Antwort", "Maßnahme",
                "Zuständig", "Reifeindex danach", "Gewinn (Punkte)",
                "Leistungen auf Zielstufe erreichbar", "Gewinn (Leistungen)",
                "Was danach noch bremst", "Verantwortlich (Name)", "Termin"],
               [18, 50, 30, 50, 16, 12, 12, 14, 12, 50, 24, 14], pct_cols=(6,))
    for prev, ph in zip(plan.phases, plan.phases[1:], strict=False):
        blocking = "; ".join(
            f"{name} (hält {n} Leistung{'en' if n != 1 else ''} unter dem Ziel)"
            for _, name, n in ph.blocking[:3])
        s.row(ph.name, "Ergebnis der Phase (projiziert)", "", "", "", ph.score,
              change(prev.score, ph.score), ph.at_target,
              ph.services_gain, blocking, "", "")
        for x in ph.answers:
            s.row(ph.name, x.question, x.answer, x.recommendation or "",
                  responsible_label(x.responsible) if x.responsible else "", None, None, None,
                  None, "", "", "")
    s.finish()


def _followups(wb: Any, a: Any) -> None:
    s = _Sheet(wb, "Rückfragen",
               ["Bereich", "Frage", "Klären mit", "Pflichtfrage", "Notiz"],
               [22, 60, 30, 12, 40])
    listed = set()
    titles = {ar.id: ar.title for ar in a.areas}
    for f in a.followups:
        listed.add(f.question_id)
        s.row(titles.get(f.area_id, f.area_id), f.question, f.clarify_with,
              "ja" if f.required else "nein", f.note or "")
    for area in a.areas:
        for q in area.questions:
            if q.id in listed or q.status != OPEN:
                continue
            s.row(area.title, q.text, "", "ja", q.note or "")
    s.finish()


def _method(wb: Any, a: Any, prov: Any) -> None:
    s = _Sheet(wb, "Methodik", ["Angabe", "Wert"], [30, 100])
    for label, value in prov.rows():
        s.row(label, value)
    s.row("Bewertung", "Jede Frage 0–100 %, Bereiche gewichtet gemittelt; offene Pflichtfragen "
          "zählen 0 %. Kriterien: die schwächste Antwort entscheidet. Je OZG-Leistung die "
          "höchste Stufe, deren nötige Kriterien alle erfüllt sind. Nächste Schritte: zuerst "
          "die, mit denen weitere Leistungen ihre Zielstufe erreichen könnten, dann nach "
          "Wirkung auf den Index; Aufwand und Zeitrahmen sind Richtwerte.")
    c = a.catalogue
    if c is not None:
        if c.scope_note:
            s.row("Umfang der Leistungen", c.scope_note)
        if c.model_notice:
            s.row("Hinweis zum Modell", for_reader(c.model_notice))
    if prov.indicative:
        s.row("Hinweis", INDICATIVE_NOTE)
    s.finish()


def _delta(new: float | None, old: float | None) -> int | None:
    return change(old, new)  # of the percentages as the cells show them


def render_progress(report: Any, audience: Any, today: _dt.date) -> bytes:
    """The Fortschrittsbericht as a workbook (one version for every audience)."""
    p = report.progress
    wb = _new_book()
    s = _Sheet(wb, "Übersicht", ["Kennzahl", "vorher", "jetzt", "Veränderung (Punkte)"],
               [44, 14, 14, 20], pct_cols=(2, 3))
    s.row("Kommune", p.municipality, "", "")
    s.row("Datum der Bewertung", p.old["date"] or "", p.new["date"] or "", "")
    s.row("OZG-Reifeindex", p.score.old, p.score.new, _delta(p.score.new, p.score.old))
    o, n = report.old.get("completeness"), report.new.get("completeness")
    s.row("Vollständigkeit der Antworten", o, n, _delta(n, o))
    (oa, oi, os_), (na, ni, ns) = report.services("old"), report.services("new")
    if oa is not None or na is not None:
        s.row("Anteil der OZG-Leistungen auf Zielstufe", os_, ns, _delta(ns, os_))
        s.row("OZG-Leistungen auf Zielstufe", oa, na, None if oa is None or na is None
              else na - oa, number_format="0")
        s.row("OZG-Leistungen im Umfang", oi, ni, None if oi is None or ni is None
              else ni - oi, number_format="0")
        t = p.today_at_target
        if t is not None:  # "vorher" empty: archived before `today` was scored
            s.row("OZG-Leistungen heute online auf Zielstufe", t.old, t.new,
                  None if t.old is None or t.new is None else t.new - t.old,
                  number_format="0")
    for note in p.notes:
        s.row("Hinweis", note, "", "")
    s.finish()
    for title, head, rows in (("Bereiche", "Bereich", p.areas),
                              ("Themenfelder", "Themenfeld", p.themenfelder)):
        if title == "Themenfelder" and not rows:
            continue
        s = _Sheet(wb, title, [head, "vorher", "jetzt", "Veränderung (Punkte)"],
                   [40, 12, 12, 20], pct_cols=(2, 3))
        for f in rows:
            s.row(f.title, f.old, f.new, _delta(f.new, f.old))
        s.finish()
    criteria = report.criteria()
    if criteria:
        s = _Sheet(wb, "Kriterien", ["Kriterium", "Stufe vorher", "Stufe jetzt"], [40, 14, 14])
        for name, before, now in criteria:
            s.row(name, before, now)
        s.finish()
    areas = report.area_titles()
    s = _Sheet(wb, "Antworten", ["Frage-ID", "Frage", "Bereich", "Art", "vorher", "jetzt",
                                 "Bewertung vorher", "Bewertung jetzt"],
               [22, 50, 22, 26, 30, 30, 12, 12], pct_cols=(7, 8))
    kinds = {"geändert": "Antwort geändert",
             "neu": f"Frage neu in {p.new['questionnaire']}",
             "nur alt": f"Frage entfallen (nur in {p.old['questionnaire']})"}
    for q in p.questions:
        s.row(q.id, report.text_of(q.id), areas.get(q.area_id, q.area_id), kinds[q.kind],
              q.old or "", q.new or "", q.old_score, q.new_score)
    s.finish()
    if p.online_today or p.reached_target or p.new_gaps or p.new_in_scope:
        s = _Sheet(wb, "Leistungen", ["Veränderung", "OZG-ID", "Leistung"], [36, 10, 60])
        for label, items in (("neu heute online auf Zielstufe", p.online_today),
                             ("neu auf Zielstufe (erreichbar)", p.reached_target),
                             ("neue Lücke (war auf Zielstufe)", p.new_gaps),
                             ("neu im Umfang, nicht auf Zielstufe", p.new_in_scope)):
            for oid, name in items:
                s.row(label, oid, name)
        s.finish()
    if report.show_history:
        s = _Sheet(wb, "Verlauf", ["Datum", "Archivnummer", "OZG-Reifeindex",
                                   "Anteil auf Zielstufe"], [14, 14, 16, 20], pct_cols=(3, 4))
        for h in report.history:
            s.row(h.date, h.id, h.score, h.share_at_target)
        s.finish()
        _history_chart(s)
    old_prov, new_prov = report.provenance(today)
    s = _Sheet(wb, "Methodik", ["Angabe", "Frühere Bewertung", "Neuere Bewertung"],
               [30, 60, 60])
    new_rows = dict(new_prov.rows())
    old_rows = dict(old_prov.rows())
    for label in dict.fromkeys([*old_rows, *new_rows]):
        s.row(label, old_rows.get(label, ""), new_rows.get(label, ""))
    s.row("Vergleich", "Beide Bewertungen so, wie sie gerechnet wurden; Fragen über ihre ID "
          "zugeordnet; Veränderungen in Prozentpunkten zwischen den gerundeten Werten.", "")
    if old_prov.indicative or new_prov.indicative:
        s.row("Hinweis", INDICATIVE_NOTE, "")
    s.finish()
    return _bytes(wb)


def _history_chart(s: _Sheet) -> None:
    """Excel's own line chart of the Verlauf sheet (index and share per round)."""
    from openpyxl.chart import LineChart, Reference

    chart = LineChart()
    chart.title = "Verlauf (%)"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.add_data(Reference(s.ws, min_col=3, max_col=4, min_row=1, max_row=s.last_row),
                   titles_from_data=True)
    chart.set_categories(Reference(s.ws, min_col=1, min_row=2, max_row=s.last_row))
    chart.width, chart.height = 18, 9
    s.ws.add_chart(chart, "F2")


def render_convoy(report: Any, audience: Any, today: _dt.date) -> bytes:
    """The Geleitzug report as a workbook: members named, every figure per member."""
    res = report.result
    names = [m.name for m in res.members]
    wb = _new_book()
    s = _Sheet(wb, "Mitglieder", ["Kommune", "Typ", "Regionalschlüssel", "Einwohner",
                                  "Für die Kapazität gezählt", "Kapazität (Themenfelder)",
                                  "Kapazität nach", "OZG-Reifeindex", "Federführung"],
               [40, 18, 16, 12, 14, 14, 20, 16, 60], pct_cols=(8,))
    for m in res.members:
        s.row(m.name, m.type or "", m.ars or "", m.population, m.counted_population,
              m.capacity, m.capacity_source, m.score, ", ".join(m.leads))
    s.row("Geleitzug", res.name, "", None, None, None, "", None, "")
    s.row("Zusammensetzung", res.composition.label, "", None, None, None, "", None, "")
    s.row("Kapazität", res.capacity_basis, "", None, None, None, "", None, "")
    for note in res.notes:
        s.row("Hinweis", note, "", None, None, None, "", None, "")
    s.finish()
    for title, head, strongest, values in (
            ("Stärken je Bereich", "Bereich", res.areas, res.area_values),
            ("Stärken je Themenfeld", "Themenfeld", res.themenfelder, res.themenfeld_values)):
        s = _Sheet(wb, title, [head, *names, "Stärkstes Mitglied"],
                   [36, *[16] * len(names), 30], pct_cols=tuple(range(2, len(names) + 2)))
        for st in strongest:
            vals = values.get(st.id, {})
            s.row(st.title, *[vals.get(n) for n in names], st.member or "")
        s.finish()
    s = _Sheet(wb, "Infrastruktur", ["Kommune", *[i.label for i in res.infrastructure]],
               [40, *[22] * len(res.infrastructure)])
    for n in names:
        s.row(n, *[_infra_cell(i, n) for i in res.infrastructure])
    s.finish()
    s = _Sheet(wb, "Aufteilung", ["Themenfeld", "Federführung", "Stärke", "Mitführend",
                                  "Leistungen bei anderen Mitgliedern", "Begründung"],
               [30, 36, 10, 44, 60, 90], pct_cols=(3,))
    for a in res.allocation:
        s.row(a.themenfeld, a.member or "offen", a.strength, ", ".join(a.co_leads),
              "; ".join(f"{e.ozg_id} {e.name}: {e.member}" for e in a.elsewhere), a.reason)
    s.finish()
    s = _Sheet(wb, "Methodik", ["Kommune", "Datum der Erhebung", "Fragebogen", "Prüfsumme",
                                "Reifegradmodell", "OZG-Katalog", "Werkzeug"],
               [36, 14, 40, 20, 40, 40, 18])
    provs = report.provenance(today)
    for pv in provs:
        s.row(pv.municipality, pv.interview_date or "", pv.questionnaire, pv.questionnaire_hash,
              pv.model, pv.catalogue or "nicht verwendet", pv.tool)
    if any(pv.indicative for pv in provs):
        s.row("Hinweis", INDICATIVE_NOTE, "", "", "", "", "")
    s.finish()
    return _bytes(wb)


def _infra_cell(item: Any, name: str) -> str:
    return "vorhanden" if name in item.have else "fehlt" if name in item.lack else "unbekannt"
