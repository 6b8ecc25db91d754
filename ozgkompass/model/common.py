"""Building blocks shared by the definition loaders: texts, located issues, key checks."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ozgkompass.errors import Issue, Location
from ozgkompass.issue_codes import IssueCode
from ozgkompass.yamlio import LoadedYaml, Pos, YList, YMap

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# question ids appear in conditions, so they must read as names there
QUESTION_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
VALUE_RE = re.compile(r"^[a-z0-9_-]+$")
RESPONSIBLE = {"kommune": "Kommune", "it_dienstleister": "IT-Dienstleister", "land": "Land"}


@dataclass(frozen=True)
class Text:
    """A user-facing text in German with optional translations."""

    by_lang: tuple[tuple[str, str], ...]

    @property
    def de(self) -> str:
        return dict(self.by_lang)["de"]

    def get(self, lang: str = "de") -> str:
        d = dict(self.by_lang)
        return d.get(lang) or d["de"]

    def __str__(self) -> str:
        return self.de

    @classmethod
    def of(cls, text: str) -> Text:
        return cls((("de", text),))


# At most this many problems of one kind are reported one by one (a file with 200,000
# unknown keys would otherwise take minutes for the suggestions and bury the real problem).
MAX_PER_KIND = 25


class Checker:
    """Collects located issues while a loader walks a parsed document: the one checker of
    every definition loader (questionnaire, model, plan, answers, catalogue). A YAML
    document's values know where they stand (`yamlio`); plain data (a JSON catalogue, or
    `positions=False`) has no positions, and its issues name the file only."""

    def __init__(self, doc: LoadedYaml, issues: list[Issue] | None = None, *,
                 positions: bool = True) -> None:
        self.doc = doc
        self.issues: list[Issue] = [] if issues is None else issues
        self.positions = positions
        self.unknown_keys = 0  # reported one by one up to MAX_PER_KIND

    def loc(self, at: Any, key: Any = None) -> Location:
        """Where `at` stands: a position (line, column), or a container and one of its keys
        (the container itself without `key`)."""
        if isinstance(at, tuple):
            return self.doc.loc(at)
        pos_of = getattr(at, "pos_of", None) if self.positions else None
        if pos_of is not None:
            line, col = pos_of(key) if key is not None else at.pos
            if line:
                return Location(self.doc.path, line, col or None)
        return Location(self.doc.path)

    def error(self, code: IssueCode, message: str, at: Any, key: Any = None) -> None:
        self.issues.append(Issue(code, message, self.loc(at, key)))

    def warn(self, code: IssueCode, message: str, at: Any, key: Any = None) -> None:
        self.issues.append(Issue(code, message, self.loc(at, key), severity="warning"))

    def mapping(self, value: Any, what: str, pos: Pos) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error(IssueCode.TYPE, f"{what} muss eine Zuordnung (Schlüssel: Wert) sein.",
                   getattr(value, "pos", pos))
        return None

    def listing(self, value: Any, what: str, pos: Pos) -> YList | None:
        if isinstance(value, YList):
            return value
        self.error(IssueCode.TYPE, f"{what} muss eine Liste sein (Einträge mit `- `).",
                   getattr(value, "pos", pos))
        return None

    def keys(self, m: YMap, allowed: Iterable[str], required: Iterable[str], what: str) -> None:
        allowed = list(allowed)
        for key in m:
            if key not in allowed:
                self.unknown_keys += 1
                if self.unknown_keys > MAX_PER_KIND:
                    if self.unknown_keys == MAX_PER_KIND + 1:
                        self.error(IssueCode.UNKNOWN_KEY,
                                   f"Weitere unbekannte Schlüssel (ab `{key}`) "
                                   f"werden nicht einzeln gemeldet; die ersten {MAX_PER_KIND} "
                                   "stehen oben.", m.pos_of(key))
                    continue
                self.error(IssueCode.UNKNOWN_KEY, f"Unbekannter Schlüssel `{key}` in {what}."
                           + did_you_mean(key, allowed, list_allowed=True), m.pos_of(key))
        for key in required:
            if key not in m:
                self.error(IssueCode.MISSING_KEY,
                           f"In {what} fehlt der Pflichtschlüssel `{key}`.", m.pos)

    def text(self, m: YMap, key: str, what: str) -> Text | None:
        """A text value; a missing required key is reported by `keys()`."""
        if key not in m or m[key] is None:
            return None
        value = m[key]
        pos = m.pos_of(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = str(value).strip()
            if not text:
                self.error(IssueCode.EMPTY_TEXT, f"`{key}` in {what} ist leer.", pos)
                return None
            return Text.of(text)
        if isinstance(value, YMap):
            pairs = []
            for lang, txt in value.items():
                if not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2}", lang):
                    self.error(IssueCode.TEXT_LANG,
                               f"`{key}` in {what}: {lang!r} ist kein Sprachcode "
                               "(zwei Kleinbuchstaben wie `de`, `en`).", value.pos_of(lang))
                    continue
                if not isinstance(txt, str) or not txt.strip():
                    self.error(IssueCode.EMPTY_TEXT,
                               f"`{key}.{lang}` in {what} ist leer oder kein Text.",
                               value.pos_of(lang))
                    continue
                pairs.append((lang, txt.strip()))
            if "de" not in value:
                self.error(IssueCode.TEXT_NO_DE,
                           f"`{key}` in {what} hat keinen deutschen Text (`de`).",
                           pos)
                return None
            return Text(tuple(pairs)) if any(lang == "de" for lang, _ in pairs) else None
        self.error(IssueCode.TYPE,
                   f"`{key}` in {what} muss ein Text oder {{de: …, en: …}} sein.", pos)
        return None

    def number(self, m: YMap, key: str, what: str, default: float | None = None,
               positive: bool = False, minimum: float | None = None) -> float | None:
        if key not in m:
            return default
        value = m[key]
        pos = m.pos_of(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(IssueCode.TYPE,
                       f"`{key}` in {what} muss eine Zahl sein, ist {value!r}.", pos)
            return default
        if not is_sane_number(value):
            self.error(IssueCode.NUMBER,
                       f"`{key}` in {what} ist keine gültige Zahl (unendlich, NaN oder "
                       "zu groß).", pos)
            return default
        if positive and value <= 0:
            self.error(IssueCode.WEIGHT,
                       f"`{key}` in {what} muss größer als 0 sein, ist {value}.", pos)
            return default
        if minimum is not None and value < minimum:
            self.error(IssueCode.RANGE, f"`{key}` in {what} muss mindestens {minimum:g} sein, ist "
                       f"{value}.", pos)
            return default
        return float(value)

    def boolean(self, m: YMap, key: str, what: str, default: bool) -> bool:
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            self.error(IssueCode.TYPE,
                       f"`{key}` in {what} muss true oder false sein, ist {value!r}.",
                       m.pos_of(key))
            return default
        return value

    def ident(self, m: YMap, key: str, what: str, pattern: re.Pattern[str] = ID_RE,
              rule: str = "nur Kleinbuchstaben, Ziffern, `_` und `-` verwenden (z. B. `portal_typ`)"
              ) -> str | None:
        if key not in m:
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(IssueCode.TYPE, f"`{key}` in {what} muss ein Text sein.", m.pos_of(key))
            return None
        value = str(value)
        if not pattern.match(value):
            self.error(IssueCode.BAD_ID, f"`{key}` {value!r} in {what}: {rule}.", m.pos_of(key))
        return value


def is_sane_number(value: float) -> bool:
    """Finite and within what a score, weight or count can mean (no NaN, ±inf, 10^300)."""
    try:
        return math.isfinite(value) and abs(value) < 1e15
    except OverflowError:
        return False


def did_you_mean(word: object, choices: Iterable[str], *, list_allowed: bool = False) -> str:
    """" Meinten Sie `x`?" for a near miss; else, if asked, the allowed values; else ""."""
    choices = list(choices)
    hint = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    if hint:
        return f" Meinten Sie `{hint[0]}`?"
    return f" Erlaubt sind: {', '.join(choices)}." if list_allowed else ""
