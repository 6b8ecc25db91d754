"""Cells of the CSV files and workbooks a provider opens in German Excel or LibreOffice:
no cell that a spreadsheet program would run as a formula (OWASP CSV injection), the ARS
kept as text, dates as TT.MM.JJJJ, decimal commas. One place for the batch overview and
the member tables (`mitglieder.csv`, `erinnerung.csv`)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """CSV cells starting like a formula get a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def iso_date(value: Any) -> dt.datetime | None:
    """An ISO date text (2026-04-22) as a datetime, else None."""
    if isinstance(value, str):
        try:
            return dt.datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return None
    return None


def german_cell(value: Any, decimal_comma: bool = True) -> Any:
    """A CSV cell as German Excel and LibreOffice read it: decimal comma (or point),
    dates as TT.MM.JJJJ, a 12-digit ARS as text (`="031510000000"`, else the leading
    zero is lost), and no other cell starting like a formula."""
    from ozgkompass.model.answers import ARS_RE

    if isinstance(value, float) and decimal_comma:
        return f"{value:g}".replace(".", ",") if abs(value) < 1e15 else value
    if isinstance(value, str):
        if ARS_RE.match(value):
            return f'="{value}"'
        if len(value) == 10 and iso_date(value) is not None:
            return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    return safe_text(value)


def german_csv_writer(fh: IO[str]) -> Any:
    """A CSV writer as German Excel expects it: `;` between cells, CRLF line ends, and the
    BOM first, so Excel reads UTF-8 (umlauts) correctly."""
    fh.write("\ufeff")
    return csv.writer(fh, delimiter=";", lineterminator="\r\n")


def write_german_csv(target: Path, header: list[str], rows: list[list[Any]]) -> None:
    """A whole CSV table of German cells (`german_cell`), written atomically."""
    from ozgkompass.fsutil import atomic_open

    with atomic_open(target, "w") as fh:
        w = german_csv_writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow([german_cell(v) for v in row])
