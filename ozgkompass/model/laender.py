"""The 16 Länder: code, the first two digits of the Amtlicher Regionalschlüssel, name.

One table for everything that needs a Land: the ARS check, the Land of a municipality and
catalogue rules that differ per Land (`executed_by_land`)."""

from __future__ import annotations

# (code, ARS prefix, name) — order of the Länder codes in the ARS (DOMAIN.md)
LAENDER: tuple[tuple[str, str, str], ...] = (
    ("SH", "01", "Schleswig-Holstein"), ("HH", "02", "Hamburg"), ("NI", "03", "Niedersachsen"),
    ("HB", "04", "Bremen"), ("NW", "05", "Nordrhein-Westfalen"), ("HE", "06", "Hessen"),
    ("RP", "07", "Rheinland-Pfalz"), ("BW", "08", "Baden-Württemberg"), ("BY", "09", "Bayern"),
    ("SL", "10", "Saarland"), ("BE", "11", "Berlin"), ("BB", "12", "Brandenburg"),
    ("MV", "13", "Mecklenburg-Vorpommern"), ("SN", "14", "Sachsen"),
    ("ST", "15", "Sachsen-Anhalt"), ("TH", "16", "Thüringen"),
)
CODES = tuple(code for code, _, _ in LAENDER)
_BY_PREFIX = {prefix: code for code, prefix, _ in LAENDER}
_BY_NAME = {name.lower(): code for code, _, name in LAENDER} | {c.lower(): c for c in CODES}
NAMES = {code: name for code, _, name in LAENDER}


def code_from_ars(ars: str | None) -> str | None:
    """The Land code of a 12-digit Regionalschlüssel ("03…" → "NI"), None if unknown."""
    return _BY_PREFIX.get(ars[:2]) if ars and len(ars) >= 2 else None


def code_from_name(name: str | None) -> str | None:
    """The Land code of a name or code as users write it ("Niedersachsen", "NI", "ni")."""
    return _BY_NAME.get(name.strip().lower()) if name else None


def land_code(land: str | None, ars: str | None) -> str | None:
    """A municipality's Land: from its name if given, else from its ARS."""
    return code_from_name(land) or code_from_ars(ars)
