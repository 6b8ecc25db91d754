"""The OZG catalogue: OZG-Leistungen with their LeiKa services and scoring attributes.

Format 1 is described in docs/catalogue-format.md. A catalogue comes from YAML (written by
hand, e.g. the built-in one) or JSON (written by `catalogue import`/`update`); both go through
`parse_catalogue`, which collects every problem with its location instead of stopping at the
first one.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ozgkompass.errors import DataError, Issue, Location, UserError, display_path
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.common import Checker, did_you_mean
from ozgkompass.yamlio import LoadedYaml

FORMAT = 1
MAX_BYTES = 50 * 1024 * 1024  # imported catalogues with all LeiKa services reach a few MB
BUILTIN_ID = "kommunal"
BUILTIN_RESOURCE = "data/catalogues/kommunal.yaml"

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
OZG_ID_RE = re.compile(r"^\d{5}$")
LEIKA_KEY_RE = re.compile(r"^\d{14}$")


class Responsibility(StrEnum):
    """Whether an OZG-Leistung is executed by municipalities (derived from the Typisierung)."""

    MUNICIPAL = "municipal"
    POSSIBLY_MUNICIPAL = "possibly_municipal"
    NOT_MUNICIPAL = "not_municipal"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _RESPONSIBILITY_LABELS[self]


_RESPONSIBILITY_LABELS = {
    Responsibility.MUNICIPAL: "kommunal",
    Responsibility.POSSIBLY_MUNICIPAL: "möglicherweise kommunal",
    Responsibility.NOT_MUNICIPAL: "nicht kommunal",
    Responsibility.UNKNOWN: "unbekannt",
}

ATTRIBUTE_NAMES = ("fees", "evidence", "identification", "trust_level", "sdg_annex2", "efa",
                   "audience", "written_form", "in_person")
BOOL_ATTRIBUTES = ("fees", "evidence", "identification", "sdg_annex2", "efa", "written_form",
                   "in_person")
TRUST_LEVELS = ("keines", "basis", "substantiell", "hoch")
AUDIENCES = ("buerger", "unternehmen", "beide")
# Which level of local government usually executes a service (docs/catalogue-format.md).
EXECUTED_BY = ("gemeinde", "kreis", "beide", "land", "bund")
EXECUTED_BY_LABELS = {"gemeinde": "Gemeinden", "kreis": "Kreise und kreisfreie Städte",
                      "beide": "Gemeinden und Kreise", "land": "das Land", "bund": "der Bund"}
# Which Wirkungskreis of a Gemeinde a Gemeinde task belongs to: in a Samtgemeinde, a
# Verwaltungsgemeinschaft, … the association carries the delegated one (scoring/verbaende.py).
WIRKUNGSKREISE = ("uebertragen", "eigen")
ATTRIBUTE_LABELS = {
    "fees": "Gebühren",
    "evidence": "Nachweise",
    "identification": "Identifizierung",
    "trust_level": "Vertrauensniveau",
    "sdg_annex2": "SDG Anhang II",
    "efa": "EfA-Leistung verfügbar",
    "audience": "Zielgruppe",
    "written_form": "Schriftformerfordernis",
    "in_person": "persönliches Erscheinen vorgeschrieben",
}

# Typisierung → responsibility class (docs/catalogue-format.md, DOMAIN.md).
MUNICIPAL_TYPES = frozenset({"2b", "3b", "4b", "5"})
POSSIBLY_TYPES = frozenset({"2", "3", "2/3", "4"})
NOT_MUNICIPAL_TYPES = frozenset({"1", "2a", "3a", "4a", "6", "7", "8", "9", "10", "11"})
KNOWN_TYPES = MUNICIPAL_TYPES | POSSIBLY_TYPES | NOT_MUNICIPAL_TYPES


@dataclass(frozen=True)
class LeikaService:
    key: str | None
    name: str
    typisierung: str | None
    # the source's Typisierung where `typisierung` is the project's refinement (2019: "2/3",
    # the project: "2b"); None = `typisierung` is the source's own value
    source_typisierung: str | None = None


@dataclass(frozen=True)
class ServiceAttributes:
    """What decides which Reifegrad criteria apply; None means unknown (never guessed)."""

    fees: bool | None = None
    evidence: bool | None = None
    identification: bool | None = None
    trust_level: str | None = None
    sdg_annex2: bool | None = None
    efa: bool | None = None
    audience: str | None = None  # buerger | unternehmen | beide
    written_form: bool | None = None
    in_person: bool | None = None

    def flag(self, name: str) -> bool | None:
        """The boolean value of an attribute; identification follows from the trust level.

        For "trust_level" itself: True if identification at some level is needed.
        """
        if name not in ATTRIBUTE_NAMES or name == "audience":
            raise KeyError(f"not a yes/no attribute: {name!r}")
        if name in ("identification", "trust_level"):
            if name == "identification" and self.identification is not None:
                return self.identification
            if self.trust_level in ("basis", "substantiell", "hoch"):
                return True
            if self.trust_level == "keines":
                return False
            return self.identification if name == "trust_level" else None
        value: bool | None = getattr(self, name)
        return value

    def matches(self, applies_to: Iterable[tuple[str, tuple[Any, ...]]]) -> bool:
        """Whether answers restricted with `applies_to` hold for a service with these
        attributes. An unknown attribute matches (conservative: the answer counts)."""
        for attr, values in applies_to:
            if attr == "audience":
                mine = self.audience
                if mine is None or "beide" in values or (mine == "beide" and values):
                    continue
                if mine not in values:
                    return False
            elif attr == "trust_level":
                if self.trust_level is not None and self.trust_level not in values:
                    return False
            else:
                flag = self.flag(attr)
                if flag is not None and flag not in values:
                    return False
        return True

    def unknown(self) -> list[str]:
        """Names of the attributes that are unknown (None).

        `identification` counts as known when the trust level decides it.
        """
        names = [n for n in ATTRIBUTE_NAMES if getattr(self, n) is None]
        if "identification" in names and self.flag("identification") is not None:
            names.remove("identification")
        return names


@dataclass(frozen=True)
class OzgService:
    ozg_id: str
    name: str
    themenfeld: str
    lage: str | None
    leika: tuple[LeikaService, ...]
    attributes: ServiceAttributes
    responsibility: Responsibility
    priority: int | None = None
    case_volume: float | None = None
    executed_by: str | None = None  # gemeinde | kreis | beide | land | bund; None = unknown
    executed_by_land: tuple[tuple[str, str], ...] = ()  # Land code → executed_by there
    note: str | None = None
    wirkungskreis: str | None = None  # uebertragen | eigen (Gemeinde tasks); None = unknown
    sources: tuple[str, ...] = ()  # where executed_by, executed_by_land and attributes come from

    def executed_by_in(self, land: str | None) -> str | None:
        """Who executes the service in a Land (the Land's rule, else the general one)."""
        return dict(self.executed_by_land).get(land or "", self.executed_by)

    @property
    def municipal_scope(self) -> bool:
        return self.responsibility in (Responsibility.MUNICIPAL,
                                       Responsibility.POSSIBLY_MUNICIPAL)

    @property
    def typisierungen(self) -> list[str]:
        return [s.typisierung for s in self.leika if s.typisierung]


@dataclass(frozen=True)
class Catalogue:
    id: str
    version: str
    title: str
    source: str
    created: str | None
    services: tuple[OzgService, ...]
    path: str | None = None
    _index: dict[str, OzgService] = field(default_factory=dict, init=False, repr=False,
                                          compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {s.ozg_id: s for s in self.services})

    def get(self, ozg_id: str) -> OzgService | None:
        return self._index.get(ozg_id)

    def themenfelder(self) -> list[str]:
        """The Themenfelder in the order they first appear."""
        return list(dict.fromkeys(s.themenfeld for s in self.services))


# --- Typisierung and responsibility ------------------------------------------------------


def split_typisierung(value: str | None) -> list[str]:
    """The single types in a Typisierung value: "1, 2/3" → ["1", "2/3"]."""
    return list(_split(value))


def _split(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if type(value) is str:
        known = _SPLIT_MEMO.get(value)
        if known is not None:
            return known
    parts = (p.strip().lower().replace(" ", "") for p in str(value).split(","))
    result = tuple(p for p in parts if p)
    if type(value) is str and len(_SPLIT_MEMO) < _SPLIT_MEMO_MAX:
        _SPLIT_MEMO[value] = result
    return result


# A catalogue names a handful of distinct Typisierung values thousands of times; a hostile
# one with many distinct values only fills the memo up to this bound (the rest is split anew).
_SPLIT_MEMO: dict[str, tuple[str, ...]] = {}
_SPLIT_MEMO_MAX = 1024


def unknown_types(value: str | None) -> list[str]:
    """Parts of a Typisierung value that are not a known type (such as "44")."""
    return [p for p in split_typisierung(value) if p not in KNOWN_TYPES]


def derive_responsibility(typisierungen: Iterable[str | None]) -> Responsibility:
    """Municipal responsibility from the Typisierung of the LeiKa services (see the format doc).

    Every type named in a mixed value counts; values that are not a known type are ignored.
    """
    types: set[str] = set()
    for value in typisierungen:
        types.update(_split(value))
    if types & MUNICIPAL_TYPES:
        return Responsibility.MUNICIPAL
    if types & POSSIBLY_TYPES:
        return Responsibility.POSSIBLY_MUNICIPAL
    if types & NOT_MUNICIPAL_TYPES:
        return Responsibility.NOT_MUNICIPAL
    return Responsibility.UNKNOWN


# --- parsing and validation -------------------------------------------------------------

TOP_KEYS = ("format", "id", "version", "title", "source", "created", "services")
TOP_REQUIRED = ("id", "version", "title", "source", "services")
SERVICE_KEYS = ("ozg_id", "name", "themenfeld", "lage", "leika", "attributes", "responsibility",
                "priority", "case_volume", "executed_by", "executed_by_land", "note",
                "wirkungskreis", "sources")
SERVICE_REQUIRED = ("ozg_id", "name", "themenfeld")
LEIKA_KEYS = ("key", "name", "typisierung", "source_typisierung")
_KEY_SETS: dict[tuple[str, ...], frozenset[str]] = {
    keys: frozenset(keys) for keys in (TOP_KEYS, SERVICE_KEYS, LEIKA_KEYS)}


def _hint(word: object, choices: Iterable[str]) -> str:
    return did_you_mean(word, choices, list_allowed=True)


class _Parser(Checker):
    """Walks a parsed catalogue document (YAML with positions, or JSON) and collects
    located issues."""

    def __init__(self, shown: str, positions: bool) -> None:
        super().__init__(LoadedYaml(shown, None), positions=positions)
        self.shown = shown
        self._counted = 0  # issues looked at by _errors so far
        self._error_count = 0

    def check_keys(self, m: dict[str, Any], allowed: tuple[str, ...], required: tuple[str, ...],
                   what: str) -> None:
        if not m.keys() <= _KEY_SETS.get(allowed, frozenset()):
            self._unknown_keys(m, allowed, what)
        for key in required:
            if key not in m or m[key] is None:
                self.error(IssueCode.MISSING_KEY, f"{what}: Pflichtschlüssel `{key}` fehlt.", m)

    def _unknown_keys(self, m: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
        for key in m:
            if key not in allowed:
                self.error(IssueCode.UNKNOWN_KEY, f"{what}: unbekannter Schlüssel `{key}`."
                           + _hint(key, allowed), m, key)

    def plain_text(self, m: dict[str, Any], key: str, what: str, *,
                   required: bool = False) -> str | None:
        """A one-language text (catalogue entries have no translations)."""
        value = m.get(key)
        if value is None:
            return None  # missing required keys are reported by check_keys
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(IssueCode.TYPE,
                       f"{what}: `{key}` muss ein Text sein, ist {value!r}.", m, key)
            return None
        text = str(value).strip()
        if not text:
            if required:
                self.error(IssueCode.EMPTY_TEXT, f"{what}: `{key}` ist leer.", m, key)
            return None
        return text

    def document(self, data: Any) -> Catalogue | None:
        if not isinstance(data, dict):
            self.error(IssueCode.TYPE,
                       "Ein Katalog muss eine Zuordnung mit `id`, `version`, `services` "
                       "… sein (siehe docs/catalogue-format.md).", data)
            return None
        self.check_keys(data, TOP_KEYS, TOP_REQUIRED, "Katalog")
        fmt = data.get("format")
        if fmt is None:
            self.warn(IssueCode.FORMAT_MISSING,
                      "`format: 1` fehlt; Format 1 wird angenommen.", data)
        elif fmt != FORMAT:
            self.error(IssueCode.FORMAT,
                       f"`format: {fmt!r}` wird nicht unterstützt; diese Version liest "
                       f"Format {FORMAT}.", data, "format")
        cat_id = self.plain_text(data, "id", "Katalog", required=True)
        if cat_id is not None and not ID_RE.match(cat_id):
            self.error(IssueCode.BAD_ID,
                       f"Katalog-ID {cat_id!r}: nur Kleinbuchstaben, Ziffern, `.`, `_` "
                       "und `-` verwenden (z. B. `kommunal`).", data, "id")
        version = data.get("version")
        if isinstance(version, int | float) and not isinstance(version, bool):
            self.warn(IssueCode.VERSION_NUMBER,
                      f"`version: {version}` ist eine Zahl; in Anführungszeichen "
                      f"schreiben (\"{version}\"), sonst wird z. B. 2026.10 zu 2026.1.",
                      data, "version")
        version_text = self.plain_text(data, "version", "Katalog", required=True)
        title = self.plain_text(data, "title", "Katalog", required=True)
        source = self.plain_text(data, "source", "Katalog", required=True)
        created_raw = data.get("created")
        created: str | None
        if isinstance(created_raw, _dt.date):
            created = created_raw.isoformat()
        else:
            created = self.plain_text(data, "created", "Katalog")
        services = self.services(data.get("services"), data)
        if any(i.severity == "error" for i in self.issues):
            return None
        assert cat_id and version_text and title and source and services is not None
        return Catalogue(id=cat_id, version=version_text, title=title, source=source,
                         created=created, services=tuple(services))

    def services(self, items: Any, parent: dict[str, Any]) -> list[OzgService] | None:
        if items is None:
            return None
        if not isinstance(items, list):
            self.error(IssueCode.TYPE,
                       "`services` muss eine Liste von OZG-Leistungen sein.", parent,
                       "services")
            return None
        if not items:
            self.error(IssueCode.EMPTY, "`services` ist leer: ein Katalog braucht mindestens eine "
                       "OZG-Leistung.", parent, "services")
        seen: dict[str, int] = {}
        result: list[OzgService] = []
        for index, item in enumerate(items):
            service = self.service(item, index, items, seen)
            if service is not None:
                result.append(service)
        return result

    def service(self, m: Any, index: int, items: list[Any],
                seen: dict[str, int]) -> OzgService | None:
        what = f"services[{index}]"
        if not isinstance(m, dict):
            self.issues.append(Issue(IssueCode.TYPE,
                                     f"{what}: eine OZG-Leistung muss eine Zuordnung "
                                     "(ozg_id, name, themenfeld …) sein.",
                                     self._item_loc(items, index)))
            return None
        n_before = self._errors()
        raw_id = m.get("ozg_id")
        ozg_id: str | None = None
        if raw_id is not None:
            if isinstance(raw_id, int) and not isinstance(raw_id, bool):
                raw_id = str(raw_id)
            if not isinstance(raw_id, str) or not OZG_ID_RE.match(raw_id.strip()):
                self.error(IssueCode.OZG_ID,
                           f"{what}: OZG-ID {raw_id!r} ist keine fünfstellige Zahl "
                           "(z. B. \"10110\").", m, "ozg_id")
            else:
                ozg_id = raw_id.strip()
                what = f"OZG-Leistung {ozg_id}"
                if ozg_id in seen:
                    self.error(IssueCode.DUPLICATE_OZG_ID, f"{what} steht doppelt (zuerst als "
                               f"services[{seen[ozg_id]}]); jede OZG-ID nur einmal eintragen.",
                               m, "ozg_id")
                else:
                    seen[ozg_id] = index
        self.check_keys(m, SERVICE_KEYS, SERVICE_REQUIRED, what)
        name = self.plain_text(m, "name", what, required=True)
        themenfeld = self.plain_text(m, "themenfeld", what, required=True)
        lage = self.plain_text(m, "lage", what)
        leika = self.leika(m.get("leika"), m, what)
        attributes = self.attributes(m.get("attributes"), m, what)
        responsibility: Responsibility | None = None
        raw_resp = m.get("responsibility")
        if raw_resp is not None:
            try:
                responsibility = Responsibility(raw_resp)
            except ValueError:
                by_label = {r.label: r.value for r in Responsibility}
                hint = (f" Meinten Sie `{by_label[raw_resp]}`?"
                        if isinstance(raw_resp, str) and raw_resp in by_label
                        else _hint(raw_resp, [r.value for r in Responsibility]))
                self.error(IssueCode.RESPONSIBILITY, f"{what}: `responsibility: {raw_resp}` ist "
                           f"unbekannt.{hint}", m, "responsibility")
        priority = m.get("priority")
        if priority is not None and (isinstance(priority, bool) or priority not in (1, 2, 3)):
            self.error(IssueCode.PRIORITY,
                       f"{what}: `priority` muss 1, 2 oder 3 sein, ist {priority!r}.",
                       m, "priority")
        case_volume = m.get("case_volume")
        if case_volume is not None and (isinstance(case_volume, bool)
                                        or not isinstance(case_volume, int | float)
                                        or case_volume < 0):
            self.error(IssueCode.CASE_VOLUME,
                       f"{what}: `case_volume` muss eine Zahl ≥ 0 (Fälle pro Jahr) "
                       f"sein, ist {case_volume!r}.", m, "case_volume")
        executed_by = m.get("executed_by")
        if executed_by is not None and executed_by not in EXECUTED_BY:
            self.error(IssueCode.EXECUTED_BY, f"{what}: `executed_by: {executed_by}` ist unbekannt."
                       + _hint(executed_by, EXECUTED_BY), m, "executed_by")
        by_land: list[tuple[str, str]] = []
        raw_land = m.get("executed_by_land")
        if raw_land is not None:
            from ozgkompass.model.laender import CODES

            if not isinstance(raw_land, dict):
                self.error(IssueCode.TYPE, f"{what}: `executed_by_land` muss eine Zuordnung Land → "
                           "Ebene sein, z. B. {BY: land}.", m, "executed_by_land")
            else:
                for land, value in raw_land.items():
                    if land not in CODES:
                        self.error(IssueCode.LAND, f"{what}: `executed_by_land`: {land!r} ist kein "
                                   f"Länderkürzel ({', '.join(CODES)}).", raw_land, land)
                    elif value not in EXECUTED_BY:
                        self.error(IssueCode.EXECUTED_BY,
                                   f"{what}: `executed_by_land.{land}: {value}` "
                                   "ist unbekannt." + _hint(value, EXECUTED_BY), raw_land, land)
                    else:
                        by_land.append((str(land), str(value)))
        note = self.plain_text(m, "note", what)
        wirkungskreis = m.get("wirkungskreis")
        if wirkungskreis is not None and wirkungskreis not in WIRKUNGSKREISE:
            self.error(IssueCode.WIRKUNGSKREIS,
                       f"{what}: `wirkungskreis: {wirkungskreis}` ist unbekannt; "
                       f"erlaubt: {', '.join(WIRKUNGSKREISE)} oder null."
                       + _hint(wirkungskreis, WIRKUNGSKREISE), m, "wirkungskreis")
        sources = self.sources(m, what)
        if self._errors() > n_before or not (ozg_id and name and themenfeld):
            return None
        if responsibility is None:
            responsibility = derive_responsibility(s.typisierung for s in leika)
        return OzgService(
            ozg_id=ozg_id, name=name, themenfeld=themenfeld, lage=lage, leika=tuple(leika),
            attributes=attributes, responsibility=responsibility,
            priority=int(priority) if priority is not None else None,
            case_volume=float(case_volume) if case_volume is not None else None,
            executed_by=executed_by, executed_by_land=tuple(by_land), note=note,
            wirkungskreis=wirkungskreis, sources=sources,
        )

    def sources(self, m: dict[str, Any], what: str) -> tuple[str, ...]:
        raw = m.get("sources")
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(x, str) and x.strip() for x in items):
            self.error(IssueCode.TYPE,
                       f"{what}: `sources` muss eine Liste von Quellenangaben (Text) sein.",
                       m, "sources")
            return ()
        return tuple(x.strip() for x in items)

    def leika(self, items: Any, parent: dict[str, Any], what: str) -> list[LeikaService]:
        if items is None:
            return []
        if not isinstance(items, list):
            self.error(IssueCode.TYPE,
                       f"{what}: `leika` muss eine Liste sein (Einträge mit key, name, "
                       "typisierung).", parent, "leika")
            return []
        result = []
        for index, m in enumerate(items):
            plain = _plain_leika(m)
            if plain is not None:
                result.append(plain)
                continue
            where = f"{what}, leika[{index}]"
            if not isinstance(m, dict):
                self.issues.append(Issue(IssueCode.TYPE,
                                         f"{where}: muss eine Zuordnung mit key, name, "
                                         "typisierung sein.", self._item_loc(items, index)))
                continue
            self.check_keys(m, LEIKA_KEYS, ("name",), where)
            key = m.get("key")
            if key is not None:
                if isinstance(key, int) and not isinstance(key, bool):
                    key = str(key)
                if not isinstance(key, str) or not LEIKA_KEY_RE.match(key):
                    self.error(IssueCode.LEIKA_KEY,
                               f"{where}: LeiKa-Schlüssel {key!r} muss aus 14 Ziffern "
                               "bestehen (als Text) oder null sein.", m, "key")
                    key = None
            name = self.plain_text(m, "name", where, required=True)
            typ = self.typisierung(m, "typisierung", where, "4b")
            source_typ = self.typisierung(m, "source_typisierung", where, "2/3")
            if name:
                result.append(LeikaService(key=key, name=name, typisierung=typ,
                                           source_typisierung=source_typ))
        return result

    def typisierung(self, m: dict[str, Any], key: str, where: str, example: str) -> str | None:
        """A Typisierung value as text ("4b"; numbers as YAML reads 4 are accepted)."""
        typ = m.get(key)
        if isinstance(typ, int | float) and not isinstance(typ, bool):
            typ = str(typ)
        if typ is not None and not isinstance(typ, str):
            self.error(IssueCode.TYPE,
                       f"{where}: `{key}` muss ein Text wie \"{example}\" sein.", m, key)
            return None
        return (typ.strip() or None) if typ else None

    def attributes(self, m: Any, parent: dict[str, Any], what: str) -> ServiceAttributes:
        if m is None:
            return ServiceAttributes()
        if not isinstance(m, dict):
            self.error(IssueCode.TYPE,
                       f"{what}: `attributes` muss eine Zuordnung sein (fees: true …).",
                       parent, "attributes")
            return ServiceAttributes()
        where = f"{what}, attributes"
        values: dict[str, Any] = {}
        for key, value in m.items():
            if key not in ATTRIBUTE_NAMES:
                self.error(IssueCode.UNKNOWN_KEY, f"{where}: unbekanntes Merkmal `{key}`."
                           + _hint(key, ATTRIBUTE_NAMES), m, key)
                continue
            if value is None:
                continue
            if key == "trust_level":
                if value not in TRUST_LEVELS:
                    self.error(IssueCode.TRUST_LEVEL,
                               f"{where}: `trust_level: {value}` ist unbekannt; "
                               f"erlaubt: {', '.join(TRUST_LEVELS)} oder null.", m, key)
                    continue
            elif key == "audience":
                if value not in AUDIENCES:
                    self.error(IssueCode.AUDIENCE, f"{where}: `audience: {value}` ist unbekannt; "
                               f"erlaubt: {', '.join(AUDIENCES)} oder null.", m, key)
                    continue
            elif not isinstance(value, bool):
                self.error(IssueCode.TYPE,
                           f"{where}: `{key}` muss true, false oder null (unbekannt) "
                           f"sein, ist {value!r}.", m, key)
                continue
            values[key] = value
        return ServiceAttributes(**values)

    def _item_loc(self, items: Any, index: int) -> Location:
        if self.positions and hasattr(items, "pos_of"):
            line, col = items.pos_of(index)
            if line:
                return Location(self.shown, line, col or None)
        return Location(self.shown)

    def _errors(self) -> int:
        """The number of errors so far (counted once each: the list only grows)."""
        issues = self.issues
        for i in range(self._counted, len(issues)):
            if issues[i].severity == "error":
                self._error_count += 1
        self._counted = len(issues)
        return self._error_count


def _plain_leika(m: Any) -> LeikaService | None:
    """The LeikaService of an entry that the full checks in `_Parser.leika` would accept
    without a word (only known keys, a non-empty name, a well-formed key, texts as
    Typisierung), built as they build it; None for anything else, which then gets the full
    checks and their messages."""
    if not isinstance(m, dict) or not m.keys() <= _LEIKA_KEY_SET:
        return None
    name = m.get("name")
    if type(name) is not str:
        return None
    name = name.strip()
    key = m.get("key")
    typ = m.get("typisierung")
    source_typ = m.get("source_typisierung")
    if (not name or (key is not None and (type(key) is not str or not LEIKA_KEY_RE.match(key)))
            or (typ is not None and type(typ) is not str)
            or (source_typ is not None and type(source_typ) is not str)):
        return None
    return LeikaService(key=key, name=name, typisierung=(typ.strip() or None) if typ else None,
                        source_typisierung=(source_typ.strip() or None) if source_typ else None)


_LEIKA_KEY_SET = frozenset(LEIKA_KEYS)


def parse_catalogue(data: dict[str, Any], shown: str, positions: bool = True
                    ) -> tuple[Catalogue | None, list[Issue]]:
    """Validate a parsed catalogue document; the catalogue is None when there are errors.

    With YAML input (`yamlio` mappings) every issue carries line and column.
    """
    parser = _Parser(shown, positions)
    catalogue = parser.document(data)
    return catalogue, parser.issues


def _suffix_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise UserError(f"{display_path(path)}: Katalogdateien enden auf .yaml, .yml oder .json, "
                    f"nicht auf {suffix or '(ohne Endung)'!s}.",
                    hint="Eine CSV- oder Excel-Datei erst mit `ozgkompass catalogue import` "
                    "umwandeln.")


def parse_catalogue_bytes(raw: bytes, shown: str, kind: str) -> tuple[Catalogue | None,
                                                                      list[Issue]]:
    """Parse catalogue file content (YAML or JSON) and validate it."""
    if kind == "json":
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            return None, [Issue(IssueCode.ENCODING,
                                f"Datei ist nicht UTF-8-kodiert (Byte {exc.start}).",
                                Location(shown))]
        except json.JSONDecodeError as exc:
            return None, [Issue(IssueCode.JSON_SYNTAX, f"JSON-Syntaxfehler: {exc.msg}.",
                                Location(shown, exc.lineno, exc.colno))]
        except RecursionError:  # Python's decoder recurses once per level
            data = None
        from ozgkompass.yamlio import MAX_DEPTH, nesting_depth, too_deep

        if data is None or nesting_depth(data, MAX_DEPTH) > MAX_DEPTH:
            return None, too_deep(shown, (0, 0)).issues
        return parse_catalogue(data, shown, positions=False)
    from ozgkompass.yamlio import parse_yaml

    loaded = parse_yaml(raw, shown)
    if loaded.data is None or any(i.severity == "error" for i in loaded.issues):
        return None, loaded.issues
    catalogue, issues = parse_catalogue(loaded.data, shown)
    return catalogue, loaded.issues + issues


def load_catalogue(path: Path | str) -> Catalogue:
    """Load and validate a catalogue file; raises DataError listing every problem."""
    from ozgkompass.fsutil import read_input

    p = Path(path)
    kind = _suffix_kind(p)
    shown = display_path(p)
    catalogue, issues = parse_catalogue_bytes(read_input(p, max_bytes=MAX_BYTES), shown, kind)
    if catalogue is None:
        raise DataError(issues, f"{shown}: Katalog ist fehlerhaft "
                        f"({sum(1 for i in issues if i.severity == 'error')} Problem(e)).")
    return _with_path(catalogue, str(p))


def _with_path(catalogue: Catalogue, path: str) -> Catalogue:
    return Catalogue(id=catalogue.id, version=catalogue.version, title=catalogue.title,
                     source=catalogue.source, created=catalogue.created,
                     services=catalogue.services, path=path)


def catalogue_to_dict(cat: Catalogue) -> dict[str, Any]:
    """The format-1 document of a catalogue (inverse of `parse_catalogue`).

    `responsibility` is written only where it differs from what the Typisierung gives, so
    that it stays an explicit override.
    """
    services = []
    for s in cat.services:
        entry: dict[str, Any] = {"ozg_id": s.ozg_id, "name": s.name, "themenfeld": s.themenfeld,
                                 "lage": s.lage,
                                 "leika": [{"key": x.key, "name": x.name,
                                            "typisierung": x.typisierung}
                                           | ({"source_typisierung": x.source_typisierung}
                                              if x.source_typisierung else {})
                                           for x in s.leika],
                                 "attributes": {n: getattr(s.attributes, n)
                                                for n in ATTRIBUTE_NAMES}}
        if s.responsibility != derive_responsibility(x.typisierung for x in s.leika):
            entry["responsibility"] = s.responsibility.value
        if s.priority is not None:
            entry["priority"] = s.priority
        if s.case_volume is not None:
            entry["case_volume"] = (int(s.case_volume) if s.case_volume.is_integer()
                                    else s.case_volume)
        if s.executed_by is not None:
            entry["executed_by"] = s.executed_by
        if s.executed_by_land:
            entry["executed_by_land"] = dict(s.executed_by_land)
        if s.note:
            entry["note"] = s.note
        if s.wirkungskreis:
            entry["wirkungskreis"] = s.wirkungskreis
        if s.sources:
            entry["sources"] = list(s.sources)
        services.append(entry)
    return {"format": FORMAT, "id": cat.id, "version": cat.version, "title": cat.title,
            "source": cat.source, "created": cat.created, "services": services}


def dump_catalogue(data: dict[str, Any] | Catalogue, kind: str) -> str:
    """The text of a catalogue file: JSON (kind "json") or YAML."""
    from ozgkompass.yamlio import plain

    doc = catalogue_to_dict(data) if isinstance(data, Catalogue) else plain(data)
    if kind == "json":
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    import yaml

    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def save_catalogue(data: dict[str, Any] | Catalogue, path: Path | str) -> Path:
    """Write a catalogue atomically: JSON if the name ends in .json, else YAML."""
    from ozgkompass.fsutil import atomic_write_text

    p = Path(path)
    kind = "json" if p.suffix.lower() == ".json" else "yaml"
    return atomic_write_text(p, dump_catalogue(data, kind))


_builtin_cache: dict[str, Catalogue] = {}


def builtin_catalogue() -> Catalogue:
    """The catalogue shipped with ozgkompass (`ozgkompass/data/catalogues/kommunal.yaml`)."""
    if BUILTIN_ID in _builtin_cache:
        return _builtin_cache[BUILTIN_ID]
    from importlib import resources

    resource = resources.files("ozgkompass").joinpath(BUILTIN_RESOURCE)
    if not resource.is_file():
        raise UserError("Der eingebaute Katalog (ozgkompass/data/catalogues/kommunal.yaml) fehlt "
                        "in dieser Installation.",
                        hint="ozgkompass neu installieren oder mit --catalogue einen importierten "
                        "Katalog angeben (`ozgkompass catalogue list`).")
    shown = f"eingebaut:{BUILTIN_RESOURCE}"
    catalogue, issues = parse_catalogue_bytes(resource.read_bytes(), shown, "yaml")
    if catalogue is None:
        raise DataError(issues, "Der eingebaute Katalog ist fehlerhaft (ein Fehler in "
                        "ozgkompass, bitte melden).")
    catalogue = _with_path(catalogue, shown)
    _builtin_cache[BUILTIN_ID] = catalogue
    return catalogue
