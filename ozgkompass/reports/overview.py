"""The batch overview: one row per municipality as workbook, CSV and JSON, the service-level
Reifegrad per municipality, and the problems. Values only, never live formulas, and no
cell a spreadsheet program would run as a formula (formula injection).

Everything is streamed: the rows are read back one municipality at a time from the
per-file results and written to all outputs at once (the workbook with XlsxWriter in
constant-memory mode), so memory stays flat for 10,000 municipalities. Each output
appears only when complete."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from ozgkompass import __version__
from ozgkompass.errors import Issue
from ozgkompass.fsutil import atomic_open
from ozgkompass.reports.cells import german_cell, german_csv_writer, iso_date
from ozgkompass.sources.batch import BatchResult, issue_from_dict

SERVICE_SHEET_LIMIT = 500  # municipalities; beyond it the service levels go to CSV only

# the share of services whose reachable level meets the target: what today's
# infrastructure makes reachable (issue 22 adds what is online today beside it)
REACHABLE = "Am Ziel, mit heutiger Infrastruktur erreichbar %"
BASE_COLUMNS = (
    ("file", "Datei"), ("name", "Kommune"), ("ars", "ARS"), ("land", "Land"),
    ("kreis", "Kreis"), ("type", "Art"), ("population", "Einwohner"),
    ("contact", "Ansprechperson"), ("date", "Datum"), ("questionnaire", "Fragebogen"),
    ("completeness", "Vollständigkeit %"), ("index", "Index"),
    ("change", "Veränderung zur letzten Runde"), ("band", "Stufe"),
    ("share_at_target", REACHABLE),
    ("share_today_at_target", "Heute online am Ziel %"),
)
TAIL_COLUMNS = (("top_lever", "Größter Hebel"), ("open_required", "Offene Pflichtfragen"),
                ("unclear", "Zu klären"), ("changed", "Geänderte Antworten (vorbefüllt)"),
                ("problems", "Probleme"))
WIDTHS = {"Datei": 22, "Kommune": 26, "ARS": 14, "Land": 16, "Kreis": 22, "Art": 20,
          "Ansprechperson": 28, "Datum": 11, "Fragebogen": 16, "Stufe": 16,
          "Größter Hebel": 40}


def overview_header(result: BatchResult) -> list[str]:
    titles = area_titles(result)
    return [h for _, h in BASE_COLUMNS] + [f"{titles.get(a, a)} %" for a in result.areas] + \
        [f"Am Ziel: {t} %" for t in result.themenfelder] + [h for _, h in TAIL_COLUMNS]


def _questionnaires(result: BatchResult) -> Iterator[Any]:
    """The batch's questionnaires that this process finds (not one from a folder it does
    not know: its ids are shown then)."""
    from ozgkompass.errors import UserError
    from ozgkompass.model.registry import find_questionnaire

    for ref in result.questionnaires:
        qid, _, version = ref.partition(" ")
        try:
            yield find_questionnaire(qid, version or None, result.questionnaires_dir)
        except UserError:
            continue


def area_titles(result: BatchResult) -> dict[str, str]:
    """Area id → its German title."""
    titles: dict[str, str] = {}
    for qn in _questionnaires(result):
        for area in qn.areas:
            titles.setdefault(area.id, area.title.de)
    return titles


def services_header(result: BatchResult) -> list[str]:
    return ["Datei", "Kommune", "ARS", *result.service_ids]


PROBLEM_HEADER = ["Datei", "Kommune", "ARS", "Ansprechperson", "Blatt", "Zelle", "Art",
                  "Meldung"]
Who = dict[str, Any] | None  # the Stammdaten of the file a problem is in, where readable


def problem_row(p: Issue, who: Who = None) -> list[Any]:
    who = who or {}
    return [p.location.file, who.get("name"), who.get("ars"), who.get("contact"),
            p.location.sheet,
            p.location.cell or (f"Zeile {p.location.row}" if p.location.row else None),
            "Fehler" if p.severity == "error" else "Warnung", p.message]


def problem_dict(p: Issue, who: Who = None) -> dict[str, Any]:
    """A problem for uebersicht.json, with whom it concerns."""
    d = p.to_dict()
    if who:
        d["municipality"] = {k: who.get(k) for k in ("name", "ars", "contact")}
    return d


def _full_records(result: BatchResult) -> Iterator[dict[str, Any]]:
    """Every file's full record (with its problems) in file order."""
    for summary in result.records:
        yield result.full_record(summary)


def _rows(result: BatchResult, record: dict[str, Any], counts: dict[str, int]
          ) -> tuple[list[Any], list[Any]]:
    """The overview row and the service-level row of one scored municipality."""
    row = {**record["row"], "file": record["file"], "problems": counts.get(record["file"], 0)}
    row.update(_plain(result, row, record))
    services = record["services"]
    return ([row.get(k) for k, _ in BASE_COLUMNS]
            + [row["areas"].get(a) for a in result.areas]
            + [row["themenfelder"].get(t) for t in result.themenfelder]
            + [row.get(k) for k, _ in TAIL_COLUMNS],
            [record["file"], row["name"], row["ars"],
             *[services.get(s) for s in result.service_ids]])


def _plain(result: BatchResult, row: dict[str, Any], record: dict[str, Any]
           ) -> dict[str, Any]:
    """The row's codes as words: the type's label, the Kreis the ARS belongs to, the
    questionnaire, the change against the member's previous archived round."""
    from ozgkompass.sources.template import TYPE_LABELS

    ars = row.get("ars") or ""
    q = record.get("questionnaire") or {}
    before = result.previous.get(ars)
    change = None
    if before and before.get("score") is not None and row.get("index") is not None:
        change = round(row["index"] - before["score"], 1)
    return {"type": TYPE_LABELS.get(row.get("type") or "", row.get("type")),
            "kreis": result.kreise.get(ars[:5]) or row.get("kreis"),
            "questionnaire": f"{q.get('id')} {q.get('version')}" if q else None,
            "change": change}


def previous_rounds(archive: Path, result: BatchResult) -> dict[str, dict[str, Any]]:
    """ARS → the member's latest archived assessment before this round (interview date
    earlier than the date of the file that counts now): date and index."""
    from ozgkompass.archive.db import connect

    now = {r["ars"]: r.get("date") for r in result.ok if r.get("ars")}
    if not now or not archive.exists():
        return {}
    found: dict[str, dict[str, Any]] = {}
    conn = connect(archive)
    try:
        for ars, date, score in conn.execute(
                "SELECT ars, interview_date, score FROM assessments WHERE ars IS NOT NULL "
                "AND interview_date IS NOT NULL ORDER BY interview_date, id"):
            if ars in now and now[ars] and date < now[ars]:
                found[ars] = {"date": date, "score": score}
    finally:
        conn.close()
    return found


def _provenance(result: BatchResult) -> list[str]:
    cat = result.catalogue
    return [f"Fragebogen: {', '.join(result.questionnaires) or '–'}",
            f"Reifegradmodell: {', '.join(result.models) or '–'}",
            f"OZG-Katalog: {cat.get('id')} {cat.get('version')}",
            f"ozgkompass {__version__}"]


class _Workbook:
    """The overview workbook, written with XlsxWriter in constant-memory mode: each row goes
    to disk as it is added (memory stays flat for 10,000 municipalities), and writing is
    about twice as fast as openpyxl's write-only mode (benchmarks/overview.py). Text is
    always written as text: a name starting with "=" never becomes a live formula. The
    summary sheets come first in the file but are filled last, from the totals."""

    def __init__(self, target: IO[bytes], result: BatchResult, n_ok: int,
                 with_services: bool) -> None:
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(target, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "nan_inf_to_errors": True})
        self.bold = self.wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.date = self.wb.add_format({"num_format": "dd.mm.yyyy"})
        self.one = self.wb.add_format({"num_format": "0.0"})
        self._next: dict[Any, int] = {}
        self.summary = self.wb.add_worksheet("Zusammenfassung")
        self._setup(self.summary, "Zusammenfassung", portrait=True)
        self.summary.set_column(0, 0, 48)
        self.summary.set_column(1, 4, 14)
        self.members = (self.sheet("Mitglieder", _MEMBER_HEADER, len(result.members))
                        if result.members else None)
        header = overview_header(result)
        self.header = header
        self.overview = self.sheet("Übersicht", header, n_ok)
        self.date_col = header.index("Datum")
        if n_ok:
            for i, h in enumerate(header):
                if h.endswith("%") or h == "Index":
                    self.overview.conditional_format(1, i, n_ok, i, {
                        "type": "3_color_scale", "min_type": "num", "min_value": 0,
                        "min_color": "#F8696B", "mid_type": "num", "mid_value": 50,
                        "mid_color": "#FFEB84", "max_type": "num", "max_value": 100,
                        "max_color": "#63BE7B"})
        self.by_kreis = self.wb.add_worksheet("Nach Kreis")
        self.by_type = self.wb.add_worksheet("Nach Art")
        self.followups = self.wb.add_worksheet("Rückfragen")
        self.services = (self.sheet("Leistungen", services_header(result), n_ok, 8)
                         if with_services else None)

    def _setup(self, ws: Any, title: str, portrait: bool = False) -> None:
        """Print set-up: A4, landscape and one page wide, header row on every page."""
        ws.set_paper(9)
        if not portrait:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_header(f"&L&B{_escape_header(title)}&ROZG-Selbstbewertung")
        ws.set_footer("&LStand &D&CSeite &P von &N")

    def sheet(self, title: str, header: list[str], n_rows: int, width: int = 12) -> Any:
        ws = self.wb.add_worksheet(title)
        for i, h in enumerate(header):
            ws.set_column(i, i, WIDTHS.get(h, width))
        ws.freeze_panes(1, 0)
        if n_rows:
            ws.autofilter(0, 0, n_rows, len(header) - 1)
        ws.set_row(0, 45)
        ws.write_row(0, 0, header, self.bold)
        self._setup(ws, title)
        ws.repeat_rows(0)
        self._next[ws] = 1
        return ws

    def append(self, ws: Any, row: list[Any]) -> None:
        n = self._next.get(ws, 0)
        ws.write_row(n, 0, row)
        self._next[ws] = n + 1

    def append_overview(self, row: list[Any]) -> None:
        """A municipality's row, its date as a date cell (sortable and filterable)."""
        n = self._next[self.overview]
        self.append(self.overview, row)
        day = iso_date(row[self.date_col])
        if day is not None:
            self.overview.write_datetime(n, self.date_col, day, self.date)

    def finish(self, result: BatchResult, totals: _Totals, with_services: bool,
               service_limit: int) -> None:
        ws = self.summary
        self._next[ws] = 0
        ws.write(0, 0, "OZG-Selbstbewertung: Zusammenfassung der Runde", self.title)
        self._next[ws] = 2
        for label, value in totals.summary(result):
            if label is None:
                self._next[ws] += 1
            elif value is None:
                ws.write(self._next[ws], 0, label, self.bold)
                self._next[ws] += 1
            else:
                self.append(ws, [label, *value] if isinstance(value, list) else [label, value])
        self._next[ws] += 1
        for line in _provenance(result):
            self.append(ws, [line])
        for ws, header, rows in ((self.by_kreis, _GROUP_HEADER("Kreis"), totals.groups("kreis")),
                                 (self.by_type, _GROUP_HEADER("Art"), totals.groups("type"))):
            self._table(ws, header, rows)
        self._table(self.followups, _FOLLOWUP_HEADER, totals.followups)
        info = self.wb.add_worksheet("Info")
        self._next[info] = 0
        for line in [*_provenance(result),
                     "Leistungen: erreichbare Reifegradstufe je OZG-Leistung"
                     + ("" if with_services else
                        f" nur in leistungen.csv (mehr als {service_limit} Kommunen)"),
                     f"„{REACHABLE}“: Anteil der OZG-Leistungen, deren mit der heutigen "
                     "Infrastruktur erreichbare Stufe das Ziel erreicht (nicht: heute online)"]:
            self.append(info, [line])

    def _table(self, ws: Any, header: list[str], rows: list[list[Any]]) -> None:
        for i, h in enumerate(header):
            ws.set_column(i, i, WIDTHS.get(h, 14 if i else 30))
        ws.freeze_panes(1, 0)
        ws.set_row(0, 30)
        ws.write_row(0, 0, header, self.bold)
        self._setup(ws, ws.name)
        ws.repeat_rows(0)
        self._next[ws] = 1
        if rows:
            ws.autofilter(0, 0, len(rows), len(header) - 1)
        for row in rows:
            self.append(ws, row)

    def save(self) -> None:
        self.wb.close()


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


_MEMBER_HEADER = ["ARS", "Kommune", "Art", "Kreis", "Ansprechperson", "E-Mail", "Status",
                  "Datei", "Was zu tun ist"]
_FOLLOWUP_HEADER = ["Kommune", "ARS", "Kreis", "Ansprechperson", "Frage-ID", "Frage",
                    "klären mit"]


def _GROUP_HEADER(what: str) -> list[str]:  # noqa: N802 - a header, like the constants
    return [what, "Kommunen bewertet", "Index (Mittel)", "Veränderung (Mittel)",
            f"{REACHABLE} (Mittel)", "Offene Pflichtfragen", "Zu klären"]


MAX_FOLLOWUPS = 20_000  # rows of the „Rückfragen“ sheet


class _Totals:
    """What the summary sheets show, added up while the rows stream past."""

    def __init__(self, questions: dict[str, str]) -> None:
        from collections import Counter

        self.n = 0
        self.bands: Counter[str] = Counter()
        self.levers: Counter[str] = Counter()
        self.share: list[float] = []
        self.group: dict[str, dict[str, dict[str, Any]]] = {"kreis": {}, "type": {}}
        self.followups: list[list[Any]] = []
        self.questions = questions

    def add(self, row: dict[str, Any], record: dict[str, Any]) -> None:
        self.n += 1
        self.bands[row.get("band") or "ohne Stufe"] += 1
        if row.get("top_lever"):
            self.levers[row["top_lever"]] += 1
        if row.get("share_at_target") is not None:
            self.share.append(row["share_at_target"])
        for key in ("kreis", "type"):
            g = self.group[key].setdefault(row.get(key) or "ohne Angabe", {
                "n": 0, "index": [], "change": [], "share": [], "open": 0, "unclear": 0})
            g["n"] += 1
            for name, field in (("index", "index"), ("change", "change"),
                                ("share", "share_at_target")):
                if row.get(field) is not None:
                    g[name].append(row[field])
            g["open"] += row.get("open_required") or 0
            g["unclear"] += row.get("unclear") or 0
        for f in record.get("followups") or ():
            whom = f.get("clarify_with") or ""
            if _ours(whom) and len(self.followups) < MAX_FOLLOWUPS:
                self.followups.append([row.get("name"), row.get("ars"), row.get("kreis"),
                                       row.get("contact"), f["question"],
                                       self.questions.get(f["question"]), whom])

    def groups(self, key: str) -> list[list[Any]]:
        return [[name, g["n"], _mean(g["index"]), _mean(g["change"]), _mean(g["share"]),
                 g["open"], g["unclear"]]
                for name, g in sorted(self.group[key].items())]

    def summary(self, result: BatchResult) -> list[tuple[str | None, Any]]:
        """(label, value) lines; value None: a heading; label None: a blank line."""
        expected = len(result.members) or len(result.records) + sum(
            1 for p in result.notes if p.code == "not-a-spreadsheet")
        lines: list[tuple[str | None, Any]] = [
            ("Rücklauf", None),
            ("Mitglieder" if result.members else "Eingegangene Dateien", expected),
            ("bewertet", self.n),
            ("zu korrigieren (Fehler in der Mappe)", len(result.failed)),
            ("durch eine neuere Lieferung ersetzt", len(result.replaced))]
        if result.members:
            from ozgkompass.sources.roster import MISSING, NOT_A_WORKBOOK

            lines += [("keine Mappe (PDF, ZIP …)",
                       sum(1 for m in result.members if m["status"] == NOT_A_WORKBOOK)),
                      ("nicht zurückgegeben",
                       sum(1 for m in result.members if m["status"] == MISSING))]
        lines += [(None, None), ("Leistungen", None),
                  (f"{REACHABLE}, Mittel", _mean(self.share)), (None, None),
                  ("Verteilung der Stufen", None)]
        lines += [(band, [count, round(100 * count / self.n, 1)])
                  for band, count in sorted(self.bands.items(), key=lambda kv: -kv[1])]
        lines += [(None, None), ("Häufigste größte Hebel (Zahl der Kommunen)", None)]
        lines += [(lever, count) for lever, count in self.levers.most_common(10)]
        return lines


def _ours(whom: str) -> bool:
    """A follow-up for the provider itself („klären mit: IT-Dienstleister“)."""
    w = whom.casefold()
    return "dienstleister" in w or w.strip() in ("it", "edv", "rechenzentrum")


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _counts(result: BatchResult) -> dict[str, int]:
    """Problems per file, the files not read and the duplicates included."""
    counts: dict[str, int] = {r["file"]: r["problems"] for r in result.records}
    for p in (*result.notes, *result.duplicates):
        counts[p.location.file or ""] = counts.get(p.location.file or "", 0) + 1
    return counts


def _events(result: BatchResult
            ) -> Iterator[tuple[Issue | None, Who, dict[str, Any] | None]]:
    """(problem, who, None) and (None, None, record) in the order of every output:
    problems of the files not read first, then each file's problems and its record in file
    order, then duplicate municipalities."""
    for p in result.notes:
        yield p, None, None
    dup_files = {p.location.file for p in result.duplicates}
    dup_who: dict[str | None, Who] = {}
    for record in _full_records(result):
        who = record.get("row")
        if record["file"] in dup_files:
            dup_who[record["file"]] = who
        for d in record.get("problems") or ():
            yield issue_from_dict(d), who, None
        yield None, None, record
    for p in result.duplicates:
        yield p, dup_who.get(p.location.file), None


def write_workbook(result: BatchResult, out: Path,
                   service_limit: int = SERVICE_SHEET_LIMIT) -> Path:
    """uebersicht.xlsx: overview, service levels (up to `service_limit` municipalities),
    problems and provenance, streamed row by row."""
    n_ok = len(result.ok)
    with_services = n_ok <= service_limit
    counts = _counts(result)
    target = out / "uebersicht.xlsx"
    totals = _Totals(_question_texts(result))
    with atomic_open(target, "wb") as fh:
        book = _Workbook(fh, result, n_ok, with_services)
        if book.members is not None:
            for m in result.members:
                book.append(book.members, [m[k] for k in _MEMBER_KEYS])
        pr_sheet = book.sheet("Probleme", PROBLEM_HEADER, result.problem_count, 30)
        for problem, who, record in _events(result):
            if problem is not None:
                book.append(pr_sheet, problem_row(problem, who))
            elif record is not None and record["status"] == "ok":
                row, service_row = _rows(result, record, counts)
                book.append_overview(row)
                totals.add(dict(zip(_ROW_KEYS(result), row, strict=True)), record)
                if book.services is not None:
                    book.append(book.services, service_row)
        book.finish(result, totals, with_services, service_limit)
        book.save()
    return target


_MEMBER_KEYS = ("ars", "name", "type", "kreis", "contact", "email", "status", "file", "todo")


def _ROW_KEYS(result: BatchResult) -> list[str]:  # noqa: N802
    return [k for k, _ in BASE_COLUMNS] + [f"area:{a}" for a in result.areas] + \
        [f"field:{t}" for t in result.themenfelder] + [k for k, _ in TAIL_COLUMNS]


def _question_texts(result: BatchResult) -> dict[str, str]:
    texts: dict[str, str] = {}
    for qn in _questionnaires(result):
        for q in qn.questions:
            texts.setdefault(q.id, q.text.de)
    return texts


def write_tables(result: BatchResult, out: Path, decimal_comma: bool = True) -> list[Path]:
    """uebersicht.csv, leistungen.csv, probleme.csv and uebersicht.json, in one pass."""
    import tempfile

    counts = _counts(result)
    names = ["uebersicht.csv", "leistungen.csv", "probleme.csv", "uebersicht.json"]
    with ExitStack() as stack:
        ov_csv, sv_csv, pr_csv, js = (stack.enter_context(atomic_open(out / n, "w"))
                                      for n in names)
        # the JSON's problem list follows the municipalities: collected aside meanwhile
        js_problems = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        ov, sv, pr = (german_csv_writer(f) for f in (ov_csv, sv_csv, pr_csv))

        def cells(row: list[Any]) -> list[Any]:
            return [german_cell(v, decimal_comma) for v in row]

        ov.writerow(overview_header(result))
        sv.writerow(services_header(result))
        pr.writerow(PROBLEM_HEADER)
        head = json.dumps({"tool_version": __version__, "catalogue": result.catalogue,
                           "provenance": _provenance(result),
                           **({"members": result.members} if result.members else {})},
                          ensure_ascii=False, default=str)
        js.write(head[:-1] + ', "municipalities": [\n')
        n_problems = n_records = 0
        for problem, who, record in _events(result):
            if problem is not None:
                pr.writerow(cells(problem_row(problem, who)))
                js_problems.write(("" if n_problems == 0 else ",\n")
                                  + json.dumps(problem_dict(problem, who), ensure_ascii=False))
                n_problems += 1
                continue
            assert record is not None
            item = {"file": record["file"], "status": record["status"],
                    **({"replaced_by": record["replaced_by"]} if "replaced_by" in record
                       else {}),
                    **(record.get("row") or {}), "services": record.get("services") or {}}
            js.write(("" if n_records == 0 else ",\n") + json.dumps(item, ensure_ascii=False,
                                                                     default=str))
            n_records += 1
            if record["status"] == "ok":
                row, service_row = _rows(result, record, counts)
                ov.writerow(cells(row))
                sv.writerow(cells(service_row))
        js.write('],\n"problems": [')
        js_problems.seek(0)
        while chunk := js_problems.read(1 << 16):
            js.write(chunk)
        js.write("]}\n")
    return [out / n for n in names]


PARALLEL_FROM = 200  # municipalities; below, a second process costs more than it saves


def write_overview(result: BatchResult, out: Path,
                   service_limit: int = SERVICE_SHEET_LIMIT,
                   parallel: bool | None = None, decimal_comma: bool = True) -> list[Path]:
    """Write uebersicht.xlsx/.csv/.json, leistungen.csv and probleme.csv into `out`. For a
    large batch the workbook is written in a second process while this one writes the
    tables (both read the per-file results): the overview then takes the time of the
    workbook alone, on a machine where all cores were busy scoring until now."""
    if parallel is None:
        parallel = len(result.records) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    if not parallel:
        book = write_workbook(result, out, service_limit)
        return [book, *write_tables(result, out, decimal_comma)]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1) as pool:
        pending = pool.submit(write_workbook, result, out, service_limit)
        tables = write_tables(result, out, decimal_comma)
        return [pending.result(), *tables]
