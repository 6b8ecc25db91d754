"""Writing answers files (docs/answers-format.md): the interview, spreadsheet imports and
batch runs all save through here, so every answers file has the same shape."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from ozgkompass.fsutil import atomic_write_text
from ozgkompass.model.answers import Answer, AnswerSet

HEADER = "# Antwortdatei für ozgkompass (Format 1, siehe docs/answers-format.md)\n"


def _plain(value: Any) -> Any:
    """Plain lists, dicts and scalars (the loader's position-keeping containers are
    subclasses the YAML dumper does not know)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _answer_entry(ans: Answer) -> Any:
    """Short form (just the value) where nothing else is recorded, else the long form."""
    extra = {k: v for k, v in (("reason", ans.reason), ("note", ans.note),
                               ("source", ans.source)) if v}
    if ans.unclear:
        return {"unclear": ans.unclear, **extra}
    if ans.na:
        return {"na": True, **extra}
    if not extra and not isinstance(ans.value, dict):  # a mapping would read as the long form
        return _plain(ans.value)
    return {"value": _plain(ans.value), **extra}


def answers_to_dict(aset: AnswerSet) -> dict[str, Any]:
    data = _head(aset)
    data["answers"] = {qid: _answer_entry(a) for qid, a in aset.answers.items()}
    if aset.superseded:
        data["superseded_answers"] = _plain(aset.superseded)
    return data


def _head(aset: AnswerSet) -> dict[str, Any]:
    """Everything before the answers."""
    m, iv, ref = aset.municipality, aset.interview, aset.questionnaire
    data: dict[str, Any] = {"format": 1, "questionnaire": {
        k: v for k, v in (("id", ref.id), ("version", ref.version), ("hash", ref.hash)) if v}}
    data["municipality"] = {k: v for k, v in (
        ("name", m.name), ("ars", m.ars), ("land", m.land), ("kreis", m.kreis),
        ("type", m.type), ("population", m.population)) if v is not None}
    if m.scope_add or m.scope_remove:
        data["municipality"]["scope"] = {k: list(v) for k, v in (
            ("add", m.scope_add), ("remove", m.scope_remove)) if v}
    interview = {k: v for k, v in (
        ("date", iv.date), ("interviewer", iv.interviewer),
        ("participants", list(iv.participants) or None), ("notes", iv.notes)) if v}
    if interview:
        data["interview"] = interview
    return data


def _pyyaml(data: dict[str, Any]) -> str:
    # the C emitter where PyYAML has it
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=WIDTH,
                     default_flow_style=False)


class _Unusual(Exception):
    """A value outside the fixed shape of an answers file (a nested list, a very long key):
    PyYAML writes that file."""


_ANALYSER = Emitter(io.StringIO(), allow_unicode=True)  # only its analysis is used
_RESOLVER = Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
# what PyYAML escapes in a double-quoted scalar (with allow_unicode), and lone surrogates
_ESCAPED = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]|[\"\\\\\u2028\u2029\ufeff]")
_RENDERED: dict[str, str] = {}  # text → how it is written; answers repeat across a batch
_MAX_RENDERED = 20_000
WIDTH = 88  # where long text is folded


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    short = Emitter.ESCAPE_REPLACEMENTS.get(ch)
    if short:
        return "\\" + short
    code = ord(ch)
    return f"\\x{code:02X}" if code <= 0xFF else (
        f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")


def _work_out_text(text: str) -> str:
    """The style PyYAML chooses (plain where it reads back as the same text, else single
    quotes), except that text with line breaks is written double-quoted on one line with
    `\\n`, and long text is not folded."""
    found = _ANALYSER.analyze_scalar(text)
    if not found.multiline:
        if found.allow_block_plain and _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                ScalarNode, text, (True, False)) == _STR_TAG:
            return text
        if found.allow_single_quoted:
            return "'" + text.replace("'", "''") + "'"
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _text(text: str) -> str:
    shown = _RENDERED.get(text)
    if shown is None:
        shown = _work_out_text(text)
        if len(text) <= 200:  # values, names, short notes; bounded memory
            if len(_RENDERED) >= _MAX_RENDERED:
                _RENDERED.clear()
            _RENDERED[text] = shown
    return shown


def _scalar(value: Any) -> str:
    if type(value) is str:  # noqa: E721 (a str subclass goes the long way)
        return _text(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:  # noqa: E721
        return str(value)
    if type(value) is float:  # noqa: E721
        if value != value:
            return ".nan"
        if value in (math.inf, -math.inf):
            return ".inf" if value > 0 else "-.inf"
        shown = repr(value).lower()  # as PyYAML's representer: 1e+16 → 1.0e+16
        return shown.replace("e", ".0e", 1) if "." not in shown and "e" in shown else shown
    if isinstance(value, str):
        return _text(str(value))
    raise _Unusual


def _folded(shown: str, column: int, indent: int) -> str:
    """Long plain or single-quoted text broken into lines at single spaces, as PyYAML's
    emitter does past the width (a reader joins the lines with one space again); a value
    that starts at `column` continues at `indent`."""
    if column + len(shown) <= WIDTH or shown[0] == '"':
        return shown
    quoted, last = shown[0] == "'", len(shown) - 1
    lines, start, space_before = [], 0, False
    for i, ch in enumerate(shown):
        if ch != " ":
            space_before = False
            column += 1
            continue
        if (not space_before and column > WIDTH and shown[i + 1] != " "
                and not (quoted and i in (1, last - 1))):
            lines.append(shown[start:i])
            start, column = i + 1, indent
        else:
            column += 1
        space_before = True
    lines.append(shown[start:])
    return ("\n" + " " * indent).join(lines)


def _key(key: Any) -> str:
    shown = _scalar(key)
    if len(shown) >= 128:  # not a simple key for YAML any more
        raise _Unusual
    return shown


def _block(data: dict[str, Any], indent: str, out: list[str]) -> None:
    """A mapping in PyYAML's block style: two spaces a level, lists not indented."""
    for key, value in data.items():
        head = indent + _key(key) + ":"
        if isinstance(value, dict):
            if value:
                out.append(head)
                _block(value, indent + "  ", out)
            else:
                out.append(head + " {}")
        elif isinstance(value, list | tuple):
            if value:
                out.append(head)
                out.extend(f"{indent}- {_folded(_scalar(item), len(indent) + 2, len(indent) + 2)}"
                           for item in value)
            else:
                out.append(head + " []")
        else:
            out.append(f"{head} {_folded(_scalar(value), len(head) + 1, len(indent) + 2)}")


def dump_answers(aset: AnswerSet) -> str:
    """The answers file as YAML text. Written directly (a batch writes thousands of them):
    every text is checked by PyYAML's own rules, so it reads back unchanged (an ARS with a
    leading zero, `yes`, `null`, `0123` are quoted); anything outside the usual shape (a
    nested list, a very long key) is written by PyYAML itself."""
    out = [HEADER.rstrip("\n")]
    try:
        _block(_head(aset), "", out)
        out.append("answers:" if aset.answers else "answers: {}")
        for qid, ans in aset.answers.items():
            value = ans.value
            if (ans.unclear or ans.na or ans.reason or ans.note or ans.source
                    or isinstance(value, dict)):
                _block({qid: _answer_entry(ans)}, "  ", out)
            elif isinstance(value, list | tuple):  # the short form: just the value
                key = _key(qid)
                if value:
                    out.append(f"  {key}:")
                    out.extend(f"  - {_folded(_scalar(item), 4, 4)}" for item in value)
                else:
                    out.append(f"  {key}: []")
            else:
                key = _key(qid)
                out.append(f"  {key}: {_folded(_scalar(value), len(key) + 4, 4)}")
        if aset.superseded:
            _block({"superseded_answers": _plain(aset.superseded)}, "", out)
    except _Unusual:
        return HEADER + _pyyaml(answers_to_dict(aset))
    out.append("")
    return "\n".join(out)


def write_answers(path: Path | str, aset: AnswerSet) -> Path:
    """Write atomically: a crash or Ctrl-C never leaves a half-written answers file."""
    return atomic_write_text(path, dump_answers(aset))
