"""File names derived from a municipality's name: safe on Linux, macOS and Windows."""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 80
# names Windows reserves for devices, with or without an extension
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
            *(f"lpt{i}" for i in range(10))}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ß": "ss"})


def report_stem(name: str) -> str:
    """`Stadt Bad Münster/Eifel` → `stadt-bad-muenster-eifel`: ASCII letters, digits and
    dashes only, so no separator, no `..`, no control or direction mark survives."""
    text = unicodedata.normalize("NFKD", name.translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    stem = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:MAX_STEM].strip("-")
    if not stem:
        stem = "kommune"
    if stem in RESERVED:
        stem = f"kommune-{stem}"
    return stem
