"""The briefing's glossary (data in glossary.yaml) and the search for terms a text uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ozgkompass.yamlio import parse_yaml, plain


@dataclass(frozen=True)
class Term:
    term: str
    explanation: str


@cache
def load() -> tuple[tuple[Term, ...], tuple[str, ...]]:
    data = plain(parse_yaml(files("ozgkompass.reports").joinpath("glossary.yaml").read_bytes(),
                            "glossary.yaml").data)
    terms = tuple(Term(t["term"], " ".join(str(t["explanation"]).split()))
                  for t in data["terms"])
    return terms, tuple(data["jargon"])


def _pattern(term: str) -> re.Pattern[str]:
    # a whole word, also inside compounds that start with it ("Schnittstellen", "OZG-Leistungen")
    return re.compile(r"(?<![\w-])" + re.escape(term), re.IGNORECASE if term.islower() else 0)


def mentions(text: str, term: str) -> bool:
    return bool(_pattern(term).search(text))


def used_terms(text: str) -> list[Term]:
    terms, _ = load()
    return [t for t in terms if mentions(text, t.term)]
