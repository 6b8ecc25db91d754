"""The batch overview: one row per municipality as workbook, CSV and JSON, the service-level
Reifegrad per municipality, and the problems. Values only, never live formulas, and no
cell a spreadsheet program would run as a formula (formula injection).

Everything is streamed: the rows are read back one municipality at a time from the
per-file results and written to all outputs at once (openpyxl in write-only mode), so
memory stays flat for 10,000 municipalities. Each output appears only when complete."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from ozgkompass import __version__
from ozgkompass.errors import Issue
from ozgkompass.fsutil import atomic_open
from ozgkompass.sources.batch import BatchResult, issue_from_dict

SERVICE_SHEET_LIMIT = 500  # municipalities; beyond it the service levels go to CSV only
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

BASE_COLUMNS = (
    ("file", "Datei"), ("name", "Kommune"), ("ars", "ARS"), ("land", "Land"),
    ("kreis", "Kreis"), ("type", "Art"), ("population", "Einwohner"),
    ("contact", "Ansprechperson"), ("date", "Datum"), ("completeness", "Vollständigkeit %"),
    ("index", "Index"), ("band", "Stufe"), ("share_at_target", "Leistungen am Ziel %"),
)
TAIL_COLUMNS = (("top_lever", "Größter Hebel"), ("open_required", "Offene Pflichtfragen"),
                ("unclear", "Zu klären"), ("problems", "Probleme"))


def safe_text(value: Any) -> Any:
    """CSV cells starting like a formula get a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def overview_header(result: BatchResult) -> list[str]:
    return [h for _, h in BASE_COLUMNS] + [f"Bereich {a}" for a in result.areas] + \
        [f"Am Ziel: {t} %" for t in result.themenfelder] + [h for _, h in TAIL_COLUMNS]


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
    services = record["services"]
    return ([row.get(k) for k, _ in BASE_COLUMNS]
            + [row["areas"].get(a) for a in result.areas]
            + [row["themenfelder"].get(t) for t in result.themenfelder]
            + [row.get(k) for k, _ in TAIL_COLUMNS],
            [record["file"], row["name"], row["ars"],
             *[services.get(s) for s in result.service_ids]])


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
    always written as text: a name starting with "=" never becomes a live formula."""

    def __init__(self, target: IO[bytes], result: BatchResult, n_ok: int,
                 with_services: bool) -> None:
        import xlsxwriter
        from xlsxwriter.utility import xl_col_to_name

        self._letter = lambda i: xl_col_to_name(i - 1)
        self.wb = xlsxwriter.Workbook(target, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "nan_inf_to_errors": True})
        self.bold = self.wb.add_format({"bold": True})
        self._next: dict[Any, int] = {}
        header = overview_header(result)
        self.overview = self.sheet("Übersicht", header, n_ok)
        if n_ok:
            for i, h in enumerate(header):
                if h.endswith("%") or h.startswith("Bereich ") or h == "Index":
                    self.overview.conditional_format(1, i, n_ok, i, {
                        "type": "3_color_scale", "min_type": "num", "min_value": 0,
                        "min_color": "#F8696B", "mid_type": "num", "mid_value": 50,
                        "mid_color": "#FFEB84", "max_type": "num", "max_value": 100,
                        "max_color": "#63BE7B"})
        self.services = (self.sheet("Leistungen", services_header(result), n_ok, 8)
                         if with_services else None)

    def sheet(self, title: str, header: list[str], n_rows: int, width: int = 14) -> Any:
        ws = self.wb.add_worksheet(title)
        ws.set_column(0, len(header) - 1, width)
        ws.freeze_panes(1, 0)
        if n_rows:
            ws.autofilter(0, 0, n_rows, len(header) - 1)
        ws.write_row(0, 0, header, self.bold)
        self._next[ws] = 1
        return ws

    def append(self, ws: Any, row: list[Any]) -> None:
        n = self._next[ws]
        ws.write_row(n, 0, row)
        self._next[ws] = n + 1

    def finish(self, result: BatchResult, with_services: bool, service_limit: int) -> None:
        info = self.wb.add_worksheet("Info")
        self._next[info] = 0
        for line in [*_provenance(result),
                     "Leistungen: erreichbare Reifegradstufe je OZG-Leistung"
                     + ("" if with_services else
                        f" nur in leistungen.csv (mehr als {service_limit} Kommunen)")]:
            self.append(info, [line])

    def save(self) -> None:
        self.wb.close()


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
    with atomic_open(target, "wb") as fh:
        book = _Workbook(fh, result, n_ok, with_services)
        pr_sheet = book.sheet("Probleme", PROBLEM_HEADER, result.problem_count, 30)
        for problem, who, record in _events(result):
            if problem is not None:
                book.append(pr_sheet, problem_row(problem, who))
            elif record is not None and record["status"] == "ok":
                row, service_row = _rows(result, record, counts)
                book.append(book.overview, row)
                if book.services is not None:
                    book.append(book.services, service_row)
        book.finish(result, with_services, service_limit)
        book.save()
    return target


def write_tables(result: BatchResult, out: Path) -> list[Path]:
    """uebersicht.csv, leistungen.csv, probleme.csv and uebersicht.json, in one pass."""
    import tempfile

    counts = _counts(result)
    names = ["uebersicht.csv", "leistungen.csv", "probleme.csv", "uebersicht.json"]
    with ExitStack() as stack:
        ov_csv, sv_csv, pr_csv, js = (stack.enter_context(atomic_open(out / n, "w"))
                                      for n in names)
        # the JSON's problem list follows the municipalities: collected aside meanwhile
        js_problems = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        ov, sv, pr = (csv.writer(f, delimiter=";", lineterminator="\n")
                      for f in (ov_csv, sv_csv, pr_csv))
        ov.writerow(overview_header(result))
        sv.writerow(services_header(result))
        pr.writerow(PROBLEM_HEADER)
        head = json.dumps({"tool_version": __version__, "catalogue": result.catalogue,
                           "provenance": _provenance(result)}, ensure_ascii=False, default=str)
        js.write(head[:-1] + ', "municipalities": [\n')
        n_problems = n_records = 0
        for problem, who, record in _events(result):
            if problem is not None:
                pr.writerow([safe_text(v) for v in problem_row(problem, who)])
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
                ov.writerow([safe_text(v) for v in row])
                sv.writerow([safe_text(v) for v in service_row])
        js.write('],\n"problems": [')
        js_problems.seek(0)
        while chunk := js_problems.read(1 << 16):
            js.write(chunk)
        js.write("]}\n")
    return [out / n for n in names]


PARALLEL_FROM = 200  # municipalities; below, a second process costs more than it saves


def write_overview(result: BatchResult, out: Path,
                   service_limit: int = SERVICE_SHEET_LIMIT,
                   parallel: bool | None = None) -> list[Path]:
    """Write uebersicht.xlsx/.csv/.json, leistungen.csv and probleme.csv into `out`. For a
    large batch the workbook is written in a second process while this one writes the
    tables (both read the per-file results): the overview then takes the time of the
    workbook alone, on a machine where all cores were busy scoring until now."""
    if parallel is None:
        parallel = len(result.records) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    if not parallel:
        book = write_workbook(result, out, service_limit)
        return [book, *write_tables(result, out)]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1) as pool:
        pending = pool.submit(write_workbook, result, out, service_limit)
        tables = write_tables(result, out)
        return [pending.result(), *tables]
