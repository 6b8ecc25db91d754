"""Writing answers files (docs/answers-format.md): the interview, spreadsheet imports and
batch runs all save through here, so every answers file has the same shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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
    if not extra:
        return _plain(ans.value)
    return {"value": _plain(ans.value), **extra}


def answers_to_dict(aset: AnswerSet) -> dict[str, Any]:
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
    data["answers"] = {qid: _answer_entry(a) for qid, a in aset.answers.items()}
    if aset.superseded:
        data["superseded_answers"] = _plain(aset.superseded)
    return data


def dump_answers(aset: AnswerSet) -> str:
    """The answers file as YAML text (strings that look like numbers, such as an ARS with a
    leading zero, are quoted by the dumper, so they come back unchanged)."""
    # the C emitter where PyYAML has it: the interview saves after every answer
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return HEADER + yaml.dump(answers_to_dict(aset), Dumper=dumper, allow_unicode=True,
                              sort_keys=False, width=88, default_flow_style=False)


def write_answers(path: Path | str, aset: AnswerSet, *, durable: bool = True) -> Path:
    """Write atomically: a crash or Ctrl-C never leaves a half-written answers file
    (`durable=False`: without fsync, for a batch that syncs once at the end)."""
    return atomic_write_text(path, dump_answers(aset), durable=durable)
