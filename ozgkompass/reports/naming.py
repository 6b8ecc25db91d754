"""File names derived from a municipality's name: safe on Linux, macOS and Windows."""

from __future__ import annotations

import hashlib
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
    dashes only, so no separator, no `..`, no control or direction mark survives. Letters
    without a Latin form (`Αθήνα`, `Gemeinde 東京`) leave a short fingerprint of the whole
    name instead (`kommune-3f2a9c1e`), so two such names never share a file."""
    text = unicodedata.normalize("NFKD", name.translate(_UMLAUTS))
    dropped = any(not ch.isascii() and unicodedata.category(ch).startswith(("L", "N"))
                  for ch in text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    room = MAX_STEM - 9 if dropped else MAX_STEM
    stem = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:room].strip("-")
    if not stem:
        stem = "kommune"
    if stem in RESERVED:
        stem = f"kommune-{stem}"
    if dropped:
        digest = hashlib.sha256(unicodedata.normalize("NFC", name.strip()).encode()).hexdigest()
        stem = f"{stem}-{digest[:8]}"
    return stem
