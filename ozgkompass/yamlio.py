"""Safe YAML loading that remembers where every value came from.

Questionnaires, answer files and catalogues come from outside, so they are loaded with the
safe loader only, with a size limit and a limit on aliases (no "billion laughs"), and every
mapping and list keeps the line and column of its items so that validation can say exactly
where a problem is.
"""

from __future__ import annotations

import bisect
import contextvars
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ozgkompass.errors import Issue, Location, display_path
from ozgkompass.fsutil import read_input
from ozgkompass.issue_codes import IssueCode

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

MAX_BYTES = 5 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 100  # nesting of lists and mappings
MAX_NODES = 2_000_000  # values after expanding aliases: stops "billion laughs" documents
_SAFE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
              ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}

_STR_TAG = "tag:yaml.org,2002:str"

Pos = tuple[int, int]  # 1-based line and column


class YMap(dict[Any, Any]):
    """A mapping that knows where it and each of its keys stand in the file."""

    pos: Pos = (0, 0)
    key_pos: dict[Any, Pos]
    val_pos: dict[Any, Pos]  # where the value's text starts (inside quotes for quoted scalars)

    val_exact: set[Any]  # keys whose value is a one-line plain or quoted scalar
    # keys whose unquoted value YAML turned into a number, boolean or date: the text as written
    # (an ARS 034510001001 is octal to YAML, `no` is false) for messages that show it
    val_raw: dict[Any, str]

    def raw(self, key: Any) -> str | None:
        return getattr(self, "val_raw", {}).get(key)

    def pos_of(self, key: Any) -> Pos:
        return self.key_pos.get(key, self.pos)

    def value_pos(self, key: Any) -> Pos:
        return self.val_pos.get(key, self.pos_of(key))


class YList(list[Any]):
    """A list that knows where it and each of its items stand in the file."""

    pos: Pos = (0, 0)
    item_pos: list[Pos]

    def pos_of(self, index: int) -> Pos:
        return self.item_pos[index] if 0 <= index < len(self.item_pos) else self.pos


def pos_of(value: Any, fallback: Pos = (0, 0)) -> Pos:
    return getattr(value, "pos", fallback)


@dataclass
class LoadedYaml:
    path: str
    data: Any
    issues: list[Issue] = field(default_factory=list)

    def loc(self, pos: Pos) -> Location:
        line, col = pos
        return Location(self.path, line or None, col or None)


# YAML also breaks lines at NEL, LS and PS; editors do not (they show these characters in
# the line), so positions in a text that has them are counted again as editors count
_UNUSUAL_BREAKS = re.compile("[\x85\u2028\u2029]")
_EDITOR_BREAKS = re.compile("\r\n|\r|\n")
_EDITOR_LINES: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "editor_lines", default=None)


def _line_starts(text: str) -> list[int] | None:
    """Where each line starts as editors count lines (LF, CR LF, CR), or None when the
    text has no break YAML counts differently."""
    if _UNUSUAL_BREAKS.search(text) is None:
        return None
    return [0, *(m.end() for m in _EDITOR_BREAKS.finditer(text))]


def _mark_pos(mark: Any) -> Pos:
    if mark is None:
        return (0, 0)
    starts = _EDITOR_LINES.get()
    if starts is not None:
        line = bisect.bisect_right(starts, mark.index)
        return line, mark.index - starts[line - 1] + 1
    return mark.line + 1, mark.column + 1


class _Builder:
    """Builds the document from libyaml's nodes, with positions and the limits above.

    Scalars, most of a document, take a short way: no nesting, no recursion to guard, and a
    plain text (the str tag) is the node's value as PyYAML's constructor gives it."""

    def __init__(self, loader: Any, shown: str) -> None:
        self.loader = loader
        self.shown = shown
        self.issues: list[Issue] = []
        self.seen: dict[int, Any] = {}
        self.aliases = 0
        self.active: set[int] = set()
        self.sizes: dict[int, int] = {}
        self.total = 0
        self.depth = 0
        self.editor_lines = _EDITOR_LINES.get()

    def pos(self, mark: Any) -> Pos:
        if self.editor_lines is None and mark is not None:
            return mark.line + 1, mark.column + 1
        return _mark_pos(mark)

    def build(self, node: yaml.Node) -> Any:
        key = id(node)
        if key in self.seen:
            self.aliases += 1
            self.total += self.sizes.get(key, 1)
            if self.aliases > MAX_ALIASES or self.total > MAX_NODES:
                raise _TooManyAliases(node)
            return self.seen[key]
        if type(node) is yaml.ScalarNode:
            if self.depth >= MAX_DEPTH:
                raise _TooDeep(node)
            value = node.value if node.tag == _STR_TAG else self._scalar(node)
            self.total += 1
            if self.total > MAX_NODES:
                raise _TooManyAliases(node)
            self.sizes[key] = 1
            self.seen[key] = value
            return value
        if key in self.active:
            raise _TooManyAliases(node)
        self.active.add(key)
        before = self.total
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(node)
        try:
            value = self._build(node)
        finally:
            self.active.discard(key)
            self.depth -= 1
        self.total += 1
        if self.total > MAX_NODES:
            raise _TooManyAliases(node)
        self.sizes[key] = self.total - before
        self.seen[key] = value
        return value

    def _unsafe(self, node: yaml.Node) -> None:
        self.issues.append(Issue(
            IssueCode.YAML_TAG, f"YAML-Tag {node.tag!r} ist nicht erlaubt; nur einfache Werte, "
            "Listen und Zuordnungen. Den Tag entfernen.",
            Location(self.shown, *self.pos(node.start_mark))))

    def _build(self, node: yaml.Node) -> Any:
        """A mapping or a sequence."""
        if node.tag not in _SAFE_TAGS:
            self._unsafe(node)
            return None
        pos = self.pos(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pos)
        # a sequence: scalars never come here (`build` takes them the short way)
        items = YList()
        items.pos = pos
        items.item_pos = [self.pos(item.start_mark) for item in node.value]
        items.extend([self.build(item) for item in node.value])
        return items

    def _mapping(self, node: yaml.MappingNode, pos: Pos) -> YMap:
        self.loader.flatten_mapping(node)
        result = YMap()
        result.pos = pos
        key_pos: dict[Any, Pos] = {}
        val_pos: dict[Any, Pos] = {}
        val_exact: set[Any] = set()
        val_raw: dict[Any, str] = {}
        result.key_pos, result.val_pos = key_pos, val_pos
        result.val_exact, result.val_raw = val_exact, val_raw
        scalar = yaml.ScalarNode
        for key_node, value_node in node.value:
            k = self.build(key_node)
            try:
                hash(k)
            except TypeError:
                self.issues.append(
                    Issue(IssueCode.YAML_KEY, "Ein Schlüssel muss ein einfacher Wert sein.",
                          Location(self.shown, *self.pos(key_node.start_mark)))
                )
                continue
            if k in result:
                line, col = self.pos(key_node.start_mark)
                first = key_pos[k][0]
                self.issues.append(
                    Issue(IssueCode.DUPLICATE_KEY,
                          f"Schlüssel {k!r} steht doppelt in dieser Zuordnung (zuerst in Zeile "
                          f"{first}); der zweite Wert würde den ersten still ersetzen. "
                          "Einen der beiden entfernen.",
                          Location(self.shown, line, col))
                )
                continue
            key_pos[k] = self.pos(key_node.start_mark)
            start = value_node.start_mark
            vline, vcol = self.pos(start)
            if type(value_node) is scalar:
                style = value_node.style
                quoted = style in ("'", '"')
                val_pos[k] = (vline, vcol + 1) if quoted else (vline, vcol)
                end = value_node.end_mark
                if (style in (None, "", "'", '"') and start.line == end.line
                        and (end.index - start.index
                             == len(str(value_node.value)) + (2 if quoted else 0))):
                    val_exact.add(k)
                value = result[k] = self.build(value_node)
                if not style and not isinstance(value, str) and value is not None:
                    val_raw[k] = str(value_node.value)
            else:
                val_pos[k] = (vline, vcol)
                result[k] = self.build(value_node)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag not in _SAFE_TAGS:
            self._unsafe(node)
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
            self.issues.append(Issue(
                IssueCode.YAML_VALUE,
                f"Wert {str(node.value)[:40]!r} ist ungültig ({_german(exc)}). "
                "Korrigieren oder in Anführungszeichen setzen, wenn Text gemeint ist.",
                Location(self.shown, *self.pos(node.start_mark))))
            return None


def _german(exc: Exception) -> str:
    text = str(exc)
    if "day is out of range" in text or "month must be" in text:
        return "kein gültiges Datum"
    if "digits" in text or isinstance(exc, OverflowError):
        return "Zahl zu groß"
    return "nicht lesbar"


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooManyAliases(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
# PyYAML's most frequent complaints, in German (the rest keep PyYAML's wording)
_PROBLEMS = {
    "found character '\\t' that cannot start any token":
        "Tabulator gefunden; YAML rückt nur mit Leerzeichen ein",
    "found a tab character where an indentation space is expected":
        "Tabulator gefunden; YAML rückt nur mit Leerzeichen ein",
    "found a tab character that violates indentation":
        "Tabulator gefunden; YAML rückt nur mit Leerzeichen ein",
    "mapping values are not allowed here": "Doppelpunkt an unerwarteter Stelle",
    "mapping values are not allowed in this context": "Doppelpunkt an unerwarteter Stelle",
    "found character that cannot start any token": "Zeichen, mit dem kein Wert beginnen "
                                                   "kann (z. B. @ oder `)",
    "did not find expected key": "Schlüssel fehlt oder falsch eingerückt",
    "did not find expected node content": "Wert fehlt",
    "found unknown escape character": "unbekannte Escape-Sequenz in \"…\" (\\ verdoppeln "
                                      "oder '…' verwenden)",
    "could not find expected ':'": "Doppelpunkt fehlt",
    "expected <block end>, but found '-'": "Listeneintrag falsch eingerückt",
    "found unexpected end of stream": "Datei endet mitten in einem Wert",
    "found undefined alias": "Alias ohne zugehörigen Anker (&name)",
}


def _decode(raw: bytes, shown: str) -> str | Issue:
    """UTF-8 (with or without BOM) as text; anything else is one located issue."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return Issue(IssueCode.ENCODING, f"Datei ist als {name} gespeichert; bitte als UTF-8 "
                         "speichern.", Location(shown, 1, 1))
    head = raw[:200]
    if head.count(0) * 4 > len(head):  # ASCII text as UTF-16: every other byte is zero
        return Issue(IssueCode.ENCODING, "Datei ist nicht UTF-8-kodiert (sieht nach UTF-16 aus); "
                     "bitte als UTF-8 speichern.", Location(shown, 1, 1))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        how = f"Byte 0x{raw[exc.start]:02X}, vermutlich Latin-1 oder Windows-1252"
        return Issue(IssueCode.ENCODING, f"Datei ist nicht UTF-8-kodiert ({how}); bitte als UTF-8 "
                     "speichern.", Location(shown, line, col))


def parse_yaml(text: str | bytes, shown: str) -> LoadedYaml:
    """Parse YAML text; syntax errors become issues (data is then None)."""
    if isinstance(text, bytes):
        decoded = _decode(text, shown)
        if isinstance(decoded, Issue):
            return LoadedYaml(shown, None, [decoded])
        text = decoded
    text = text.removeprefix("\ufeff")
    if "\ufeff" in text:  # two files pasted together, the second with its BOM
        at = text.index("\ufeff")
        line = text.count("\n", 0, at) + 1
        return LoadedYaml(shown, None, [Issue(
            IssueCode.YAML_CHARACTER, "Byte-Order-Mark (U+FEFF) mitten in der Datei, meist beim "
            "Zusammenfügen zweier Dateien entstanden; das unsichtbare Zeichen löschen.",
            Location(shown, line, at - (text.rfind("\n", 0, at) + 1) + 1))])
    token = _EDITOR_LINES.set(_line_starts(text))
    try:
        return _parse(text, shown)
    finally:
        _EDITOR_LINES.reset(token)


def _parse(text: str, shown: str) -> LoadedYaml:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(shown, None, [Issue(IssueCode.EMPTY,
                                                  "Datei ist leer.", Location(shown))])
        builder = _Builder(loader, shown)
        data = builder.build(node)
        if data is None and not builder.issues:  # a lone `~` or `null`: nothing to read
            return LoadedYaml(shown, None, [Issue(
                IssueCode.EMPTY, "Datei enthält keine Angaben (nur einen leeren Wert).",
                Location(shown, *_mark_pos(node.start_mark)))])
        return LoadedYaml(shown, data, builder.issues)
    except _TooDeep as exc:
        return too_deep(shown, _mark_pos(exc.node.start_mark))
    except _TooManyAliases as exc:
        return LoadedYaml(shown, None, [Issue(
            IssueCode.YAML_ALIASES,
            f"Zu viele, zu große oder rekursive YAML-Aliase (mehr als {MAX_ALIASES} Aliase oder "
            f"{MAX_NODES // 1_000_000} Millionen Werte); solche Dateien werden aus "
            "Sicherheitsgründen nicht gelesen.",
            Location(shown, *_mark_pos(exc.node.start_mark)))])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "nesting depth" in (exc.problem or ""):
            # libyaml (PyYAML >= 6.0.4) stops at 1,000 levels before the builder sees a node
            return too_deep(shown, _mark_pos(mark))
        line, col = _mark_pos(mark)
        what = _PROBLEMS.get(exc.problem or "", exc.problem or "ungültiges YAML")
        if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            what = "Tabulator gefunden; YAML rückt nur mit Leerzeichen ein"
        return LoadedYaml(shown, None, [Issue(
            IssueCode.YAML_SYNTAX,
            f"YAML-Syntaxfehler: {what}"
            + (f" ({exc.context})" if exc.context and what == exc.problem else "")
            + ". Einrückung, Doppelpunkte und Anführungszeichen prüfen.",
            Location(shown, line or None, col or None))])
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        return LoadedYaml(shown, None, [Issue(
            IssueCode.YAML_CHARACTER, f"Unerlaubtes Zeichen (Code {exc.character!r}) in der Datei; "
            "Steuerzeichen entfernen oder die Datei als UTF-8-Text speichern.",
            Location(shown, line, col))])
    except yaml.YAMLError as exc:
        return LoadedYaml(shown, None, [Issue(IssueCode.YAML_SYNTAX, f"YAML-Fehler: {exc}",
                                              Location(shown))])
    except RecursionError:  # the pure-Python composer recurses once per level
        return too_deep(shown, (0, 0))
    except (ValueError, TypeError) as exc:  # e.g. an impossible date like 2026-02-30
        return LoadedYaml(shown, None, [Issue(IssueCode.YAML_VALUE, f"Ungültiger Wert: {exc}",
                                              Location(shown))])
    finally:
        loader.dispose()


def too_deep(shown: str, pos: Pos) -> LoadedYaml:
    """One message for every nesting depth, whoever noticed it (our builder or libyaml)."""
    return LoadedYaml(shown, None, [Issue(
        IssueCode.YAML_DEPTH, f"Listen und Zuordnungen sind tiefer als {MAX_DEPTH} Ebenen "
        "verschachtelt; so eine Datei wird nicht gelesen. Die Verschachtelung auflösen oder "
        "die richtige Datei angeben.", Location(shown, pos[0] or None, pos[1] or None))])


def nesting_depth(data: Any, limit: int) -> int:
    """How deep values nest, counted as the YAML builder counts (a top-level scalar is 1);
    without recursion, and it stops once past `limit`.

    Level by level: only the lists and mappings of a level are kept for the next one, so the
    scalars (most values of a catalogue) are looked at once and never pushed anywhere."""
    depth = 1
    level = [data] if isinstance(data, _CONTAINERS) else []
    while level and depth <= limit:
        below: list[Any] = []
        filled = False
        for container in level:
            values = container.values() if isinstance(container, dict) else container
            if values:
                filled = True
                below.extend([v for v in values if isinstance(v, _CONTAINERS)])
        if not filled:
            break
        depth += 1
        if depth > limit:
            return depth
        level = below
    return depth


_CONTAINERS = (dict, list)


def peek_top_level_text(raw: bytes, key: str) -> str | None:
    """The text value of `key` in a document's top-level mapping, read from the first events
    of the YAML stream, without building the document: what `parse_yaml` gives for that key
    (its first occurrence wins, as in `_Builder`) whenever it gives a document at all (a
    file that breaks further on gives none). None when that is not certain: no such key
    before anything unusual (a merge key `<<`, an alias or a tag at top level), a value that
    is not a text, a document that does not start as a mapping, or a file that cannot be
    decoded or read as YAML up to there. A caller that gets None parses the whole file."""
    text = _decode(raw, "")
    if isinstance(text, Issue):
        return None
    loader = _Loader(text.removeprefix("\ufeff"))
    try:
        for kind in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.MappingStartEvent):
            if not isinstance(loader.get_event(), kind):
                return None
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.MappingEndEvent):
                return None
            if isinstance(event, yaml.CollectionStartEvent):  # a list or mapping as key
                _skip_collection(loader)
            elif not isinstance(event, yaml.ScalarEvent) or _scalar_tag(loader, event) is None:
                return None  # an alias or a tag: what the key is needs the whole document
            elif event.value == key and _scalar_tag(loader, event) == _STR_TAG:
                value = loader.get_event()
                if isinstance(value, yaml.ScalarEvent) and _scalar_tag(loader, value) == _STR_TAG:
                    return str(value.value)
                return None
            elif _scalar_tag(loader, event) == "tag:yaml.org,2002:merge":
                return None
            _skip_node(loader)  # the value of another key
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _scalar_tag(loader: Any, event: yaml.ScalarEvent) -> str | None:
    """The tag the composer gives a scalar without an explicit tag; None for a tagged one."""
    if event.tag not in (None, "!"):
        return None
    tag: str = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    return tag


def _skip_node(loader: Any) -> None:
    if isinstance(loader.get_event(), yaml.CollectionStartEvent):
        _skip_collection(loader)


def _skip_collection(loader: Any) -> None:
    open_ = 1
    while open_:
        event = loader.get_event()
        if isinstance(event, yaml.CollectionStartEvent):
            open_ += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            open_ -= 1


def load_yaml(path: Path | str, max_bytes: int = MAX_BYTES) -> LoadedYaml:
    p = Path(path)
    return parse_yaml(read_input(p, max_bytes=max_bytes), display_path(p))


def plain(value: Any) -> Any:
    """Strip position information: plain dicts and lists (for JSON and hashing)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def content_hash(data: Any) -> str:
    """A hash of the parsed content: comments, layout and key order do not change it."""
    canonical = json.dumps(plain(data), sort_keys=True, ensure_ascii=False, default=str,
                           separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
