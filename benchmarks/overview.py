"""Benchmark: writing the batch overview workbook (uebersicht.xlsx) for N municipalities
with XlsxWriter in constant-memory mode (what `batch` uses) against openpyxl's write-only
mode (what it used before), in the same run: the same rows of the overview's shape (40
columns: master data, scores of 9 areas and 16 Themenfelder) and one problem row per
municipality, with bold headers, frozen panes, autofilter and colour scales in both.

Run: python benchmarks/overview.py [--rows 2000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from timing import best


def rows(n: int) -> tuple[list[str], list[list[object]], list[list[object]]]:
    rnd = random.Random(7)
    header = (["Datei", "Kommune", "ARS", "Land", "Kreis", "Art", "Einwohner", "Ansprechperson",
               "Datum", "Vollständigkeit %", "Index", "Stufe", "Leistungen am Ziel %"]
              + [f"Bereich {a}" for a in range(9)] + [f"Am Ziel: Feld {t} %" for t in range(16)]
              + ["Größter Hebel", "Offene Pflichtfragen", "Zu klären", "Probleme"])
    data = [[f"kreis-{i % 40:02d}/kommune-{i:05d}.xlsx", f"Gemeinde Nummer {i}",
             f"0315100{i:05d}", "Niedersachsen", "Landkreis Beispiel", "Gemeinde",
             rnd.randint(800, 90000), "Frau Beispiel, Hauptamt", "2026-04-22",
             round(rnd.uniform(40, 100), 1), round(rnd.uniform(0, 100), 1), "Stufe 2",
             round(rnd.uniform(0, 100), 1)]
            + [round(rnd.uniform(0, 100), 1) for _ in range(25)]
            + ["Servicekonto + E-Payment", rnd.randint(0, 9), rnd.randint(0, 5), 1]
            for i in range(n)]
    problems = [[r[0], "3 Formularserver", "D12", "Warnung",
                 "Zahl bei forms.q3 ist als Text gespeichert; übernommen, bitte als Zahl "
                 "eintragen."] for r in data]
    return header, data, problems


def scales(n: int, header: list[str]) -> list[int]:
    return [i for i, h in enumerate(header) if h.endswith("%") or h.startswith("Bereich ")]


def with_openpyxl(path: Path, header: list[str], data: list[list[object]],
                  problems: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, head, body in (("Übersicht", header, data),
                              ("Probleme", ["Datei", "Blatt", "Zelle", "Art", "Meldung"],
                               problems)):
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(body) + 1}"
        if title == "Übersicht":
            for i in scales(len(body), head):
                col = get_column_letter(i + 1)
                ws.conditional_formatting.add(f"{col}2:{col}{len(body) + 1}", ColorScaleRule(
                    start_type="num", start_value=0, start_color="F8696B", mid_type="num",
                    mid_value=50, mid_color="FFEB84", end_type="num", end_value=100,
                    end_color="63BE7B"))
        cells = []
        for h in head:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        for row in body:
            ws.append(row)
    wb.save(path)


def with_xlsxwriter(path: Path, header: list[str], data: list[list[object]],
                    problems: list[list[object]]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    for title, head, body in (("Übersicht", header, data),
                              ("Probleme", ["Datei", "Blatt", "Zelle", "Art", "Meldung"],
                               problems)):
        ws = wb.add_worksheet(title)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(body), len(head) - 1)
        if title == "Übersicht":
            for i in scales(len(body), head):
                ws.conditional_format(1, i, len(body), i, {
                    "type": "3_color_scale", "min_type": "num", "min_value": 0,
                    "min_color": "#F8696B", "mid_type": "num", "mid_value": 50,
                    "mid_color": "#FFEB84", "max_type": "num", "max_value": 100,
                    "max_color": "#63BE7B"})
        ws.write_row(0, 0, head, bold)
        for n, row in enumerate(body, start=1):
            ws.write_row(n, 0, row)
    wb.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2000)
    args = ap.parse_args()
    header, data, problems = rows(args.rows)
    import openpyxl  # noqa: F401  (imports are not timed)
    import xlsxwriter  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        base = best(lambda: with_openpyxl(Path(tmp) / "a.xlsx", header, data, problems), 3)
        now = best(lambda: with_xlsxwriter(Path(tmp) / "b.xlsx", header, data, problems), 3)
    cells = args.rows * (len(header) + 5)
    print(f"{args.rows} Kommunen, " + f"{cells:,} Zellen".replace(",", "."))
    print(f"openpyxl, write-only (vorher)     {base:6.2f} s")
    print(f"XlsxWriter, constant_memory (jetzt) {now:4.2f} s   {base / now:.1f}× schneller")


if __name__ == "__main__":
    main()
