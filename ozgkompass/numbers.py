"""Numbers (and dates) as Germans write them: one reading for the interview and for answers files.

`85.000` = 85000 (the point groups thousands), `85.000,50` = 85000.5, `0,5` = 0.5 (the
comma marks decimals), `85 000` = 85000 (a space groups thousands too), `30 %` = 30 for a
question in per cent. What a German reader and an English one would read differently
(`1.5`: one and a half or fifteen? `1,000`: one or a thousand?) is never guessed: the
caller gets a German question back and asks again.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

# spaces that group thousands: ordinary, no-break and narrow no-break (as Word writes them)
_SPACES = "\u0020\u00a0\u202f"
_INT = r"[0-9]+"  # ASCII digits only: no look-alikes from other scripts
_GROUPED = r"[0-9]{1,3}(?:[." + _SPACES + r"][0-9]{3})+"
_NUMBER = re.compile(rf"(?P<sign>-?)(?P<int>{_GROUPED}|{_INT})(?:,(?P<dec>[0-9]+))?")
# a point followed by other than groups of three digits: an English decimal point
_ENGLISH = re.compile(r"-?[0-9]+\.[0-9]+")
# in a file YAML reads 85.000 as 85.0: digits, a point, groups of three digits
FILE_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


@dataclass(frozen=True)
class Reading:
    value: int | float | None  # None: not a number, or ambiguous
    problem: str | None = None  # German, says what to type instead


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def show(value: float) -> str:
    """A number as a German reader writes it: 85.000, 85.000,5, 0,5."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, dec = f"{value:.10f}".rstrip("0").partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + dec
    return f"{int(value):,}".replace(",", ".")


def read(text: str, unit: str | None = None) -> Reading:
    """Read what someone typed for a number (with `unit` "%" a trailing % is allowed)."""
    raw = text.strip()
    if not raw:
        return Reading(None, "Bitte eine Zahl eingeben.")
    body = raw
    if body.endswith("%"):
        if unit != "%":
            return Reading(None, f"„{raw}“: Diese Frage fragt nicht nach Prozent; bitte die "
                           "Zahl ohne % eingeben.")
        body = body[:-1].rstrip(_SPACES)
    elif body.endswith("€") and unit in ("Euro", "€", "EUR"):
        body = body[:-1].rstrip(_SPACES)
    body = body.strip(_SPACES)
    m = _NUMBER.fullmatch(body)
    if m is None:
        if _ENGLISH.fullmatch(body):
            return Reading(None, f"„{raw}“ ist nicht eindeutig: Im Deutschen trennt das Komma "
                           "die Nachkommastellen, der Punkt die Tausender. Bitte "
                           f"{body.replace('.', ',')} eingeben, wenn Nachkommastellen gemeint "
                           "sind, sonst die Zahl ohne Punkt.")
        if re.fullmatch(rf"-?[0-9.,{_SPACES}]+", body):
            return Reading(None, f"„{raw}“ ist keine Zahl in deutscher Schreibweise; Beispiele: "
                           "85000, 85.000, 85.000,50, 0,5.")
        if any(ch.isdigit() and not ch.isascii() for ch in body):
            return Reading(None, f"„{raw}“: bitte mit den Ziffern 0 bis 9 schreiben.")
        if re.search(r"[0-9]", body):
            return Reading(None, f"„{raw}“ ist keine Zahl; bitte nur die Zahl eingeben, ohne "
                           "Text, z. B. 30 oder 85.000 oder 0,5.")
        return Reading(None, f"„{raw}“ ist keine Zahl.")
    int_part = re.sub(f"[.{_SPACES}]", "", m["int"])
    dec = m["dec"]
    if (dec is not None and len(dec) == 3 and m["int"] == int_part and int_part != "0"
            and len(int_part) <= 3):
        short = f"{int_part},{dec.rstrip('0')}" if dec.rstrip("0") else int_part
        return Reading(None, f"„{raw}“ ist nicht eindeutig: {short} (deutsch gelesen) oder "
                       f"{int_part}{dec} (englisch gelesen)? Bitte {int_part}.{dec} eingeben, "
                       f"wenn Tausender gemeint sind, sonst {short}.")
    number = float(f"{m['sign']}{int_part}.{dec}") if dec else float(f"{m['sign']}{int_part}")
    return Reading(_number(number))


def in_file(value: object, raw: str | None, unit: str | None
            ) -> tuple[object, str | None, str | None]:
    """A number answer as YAML read it, checked against the German reading.

    Returns (value to check further, message or None, "error" | "warning"). Text such as
    "85.000" or "30 %" is read the German way, with a hint to write the plain number; an
    unquoted 85.000, which YAML reads as 85.0, is an error (a writer of this tool never
    writes trailing zeros), 1.125 a warning (it may be meant as 1125)."""
    if isinstance(value, str):
        reading = read(value, unit)
        if reading.value is None:
            if _ENGLISH.fullmatch(value.strip()):
                return value, (f"Text „{value}“ ist als Zahl nicht eindeutig (im Deutschen "
                               "trennt der Punkt Tausender); sind Nachkommastellen gemeint, "
                               f"ohne Anführungszeichen schreiben: {value.strip()}, sonst die "
                               "Zahl ohne Punkt"), "error"
            return value, (reading.problem or "").rstrip("."), "error"
        return reading.value, (f"Text „{value}“ wird als Zahl {show(reading.value)} gelesen "
                               f"(deutsche Schreibweise); eindeutig ist die Zahl ohne "
                               f"Anführungszeichen, Tausenderpunkt und Einheit: "
                               f"{_plain(reading.value)}"), "warning"
    if isinstance(value, float) and raw is not None and FILE_THOUSANDS.fullmatch(raw):
        german = int(raw.replace(".", ""))
        if raw.endswith("0"):
            return value, (f"`{raw}` liest YAML als {show(value)} (Punkt = Dezimaltrennzeichen), "
                           f"im Deutschen steht es für {show(german)}. Eindeutig schreiben: "
                           f"{german} oder {_plain(value)}"), "error"
        return value, (f"`{raw}` wird als {show(value)} gelesen; sind {show(german)} gemeint, "
                       f"{german} schreiben"), "warning"
    return value, None, None


def _plain(value: int | float) -> str:
    """How the number stands in YAML: 85000, 0.5."""
    return str(value)


def german_date(value: Any) -> str:
    """A date as German readers write it (2026-04-22 → 22.04.2026); text that is no ISO
    date stays as it is, None is empty. The one way dates are shown (reports, templates,
    the Gemeindeverzeichnis' Gebietsstand)."""
    if value is None:
        return ""
    if isinstance(value, _dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    try:
        return _dt.date.fromisoformat(text[:10]).strftime("%d.%m.%Y") + text[10:]
    except ValueError:
        return text
