"""The batch overview: one row per municipality as workbook, CSV and JSON, the service-level
Reifegrad per municipality, and the problems. Values only, never live formulas, and no
cell a spreadsheet program would run as a formula (formula injection)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ozgkompass import __version__
from ozgkompass.fsutil import atomic_write_bytes, atomic_write_text
from ozgkompass.sources.batch import BatchResult

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


def overview_table(result: BatchResult) -> tuple[list[str], list[list[Any]]]:
    ok = [r for r in result.records if r["row"]]
    areas = list(dict.fromkeys(a for r in ok for a in r["row"]["areas"]))  # questionnaire order
    fields = sorted({t for r in ok for t in r["row"]["themenfelder"]})
    header = [h for _, h in BASE_COLUMNS] + [f"Bereich {a}" for a in areas] + \
        [f"Am Ziel: {t} %" for t in fields] + [h for _, h in TAIL_COLUMNS]
    counts: dict[str, int] = {}
    for p in result.problems:
        counts[p.location.file or ""] = counts.get(p.location.file or "", 0) + 1
    rows = []
    for r in ok:
        row = {**r["row"], "file": r["file"], "problems": counts.get(r["file"], 0)}
        rows.append([row.get(k) for k, _ in BASE_COLUMNS]
                    + [row["areas"].get(a) for a in areas]
                    + [row["themenfelder"].get(t) for t in fields]
                    + [row.get(k) for k, _ in TAIL_COLUMNS])
    return header, rows


def services_table(result: BatchResult) -> tuple[list[str], list[list[Any]]]:
    ok = [r for r in result.records if r["row"]]
    ids = result.service_ids
    header = ["Datei", "Kommune", "ARS", *ids]
    return header, [[r["file"], r["row"]["name"], r["row"]["ars"],
                     *[r["services"][i] if i < len(r["services"]) else None
                       for i in range(len(ids))]] for r in ok]


def problems_table(result: BatchResult) -> tuple[list[str], list[list[Any]]]:
    header = ["Datei", "Blatt", "Zelle", "Art", "Meldung"]
    return header, [[p.location.file, p.location.sheet,
                     p.location.cell or (f"Zeile {p.location.row}" if p.location.row else None),
                     "Fehler" if p.severity == "error" else "Warnung", p.message]
                    for p in result.problems]


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(header)
    w.writerows([[safe_text(v) for v in row] for row in rows])
    return buf.getvalue()


def _provenance(result: BatchResult) -> list[str]:
    ok = [r for r in result.records if r["row"]]
    qs = sorted({f"{r['questionnaire'].get('id')} {r['questionnaire'].get('version')}"
                 for r in ok})
    models = sorted({str(r["model"].get("id")) for r in ok})
    cat = result.catalogue
    return [f"Fragebogen: {', '.join(qs) or '–'}", f"Reifegradmodell: {', '.join(models) or '–'}",
            f"OZG-Katalog: {cat.get('id')} {cat.get('version')}",
            f"ozgkompass {__version__}"]


def build_workbook(result: BatchResult, service_limit: int = SERVICE_SHEET_LIMIT) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def text_cell(value: str) -> Any:
        c = WriteOnlyCell(wb.worksheets[-1], value=value)
        c.data_type = "s"  # text stays text: openpyxl would write "=…" as a live formula
        return c

    def sheet(title: str, header: list[str], rows: list[list[Any]], widths: int = 14) -> Any:
        ws = wb.create_sheet(title)
        for i in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(i)].width = widths
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        head = []
        for h in header:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            head.append(c)
        ws.append(head)
        for row in rows:
            ws.append([text_cell(v) if isinstance(v, str) and v.startswith("=") else v
                       for v in row])
        return ws

    header, rows = overview_table(result)
    ws = sheet("Übersicht", header, rows)
    if rows:
        pct_cols = [i for i, h in enumerate(header, start=1)
                    if h.endswith("%") or h.startswith("Bereich ") or h == "Index"]
        for i in pct_cols:
            col = get_column_letter(i)
            ws.conditional_formatting.add(
                f"{col}2:{col}{len(rows) + 1}",
                ColorScaleRule(start_type="num", start_value=0, start_color="F8696B",
                               mid_type="num", mid_value=50, mid_color="FFEB84",
                               end_type="num", end_value=100, end_color="63BE7B"))
    s_header, s_rows = services_table(result)
    if len(s_rows) <= service_limit:
        sheet("Leistungen", s_header, s_rows, 8)
    p_header, p_rows = problems_table(result)
    sheet("Probleme", p_header, p_rows, 30)
    info = wb.create_sheet("Info")
    for line in [*_provenance(result),
                 "Leistungen: erreichbare Reifegradstufe je OZG-Leistung"
                 + ("" if len(s_rows) <= service_limit else
                    f" nur in leistungen.csv (mehr als {service_limit} Kommunen)")]:
        info.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_overview(result: BatchResult, out: Path,
                   service_limit: int = SERVICE_SHEET_LIMIT) -> list[Path]:
    """Write uebersicht.xlsx/.csv/.json, leistungen.csv and probleme.csv into `out`."""
    header, rows = overview_table(result)
    s_header, s_rows = services_table(result)
    p_header, p_rows = problems_table(result)
    head = json.dumps({"tool_version": __version__, "catalogue": result.catalogue,
                       "provenance": _provenance(result)}, ensure_ascii=False, default=str)
    # written piece by piece: one municipality at a time, never the whole document as objects
    parts = [head[:-1], ', "municipalities": [\n']
    for n, r in enumerate(result.records):
        item = {"file": r["file"], "status": r["status"], **(r["row"] or {}),
                "services": result.services_of(r)}
        parts.append(("" if n == 0 else ",\n") + json.dumps(item, ensure_ascii=False,
                                                            default=str))
    parts.append('],\n"problems": ')
    parts.append(json.dumps([p.to_dict() for p in result.problems], ensure_ascii=False))
    parts.append("}\n")
    return [
        atomic_write_bytes(out / "uebersicht.xlsx", build_workbook(result, service_limit)),
        atomic_write_text(out / "uebersicht.csv", _csv(header, rows)),
        atomic_write_text(out / "leistungen.csv", _csv(s_header, s_rows)),
        atomic_write_text(out / "probleme.csv", _csv(p_header, p_rows)),
        atomic_write_text(out / "uebersicht.json", "".join(parts)),
    ]
