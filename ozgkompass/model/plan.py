"""Roadmap plan files: per phase, the answers a municipality intends to reach
(docs/plan-format.md). Checked like an answers file: every problem with file, line, column."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ozgkompass.errors import Issue
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.answers import Answer
from ozgkompass.model.common import Checker
from ozgkompass.yamlio import YMap, load_yaml

TOP_KEYS = ("format", "title", "phases")
PHASE_KEYS = ("name", "answers")
ANSWER_KEYS = ("value", "note")


@dataclass
class Phase:
    name: str
    answers: dict[str, Answer] = field(default_factory=dict)
    line: int | None = None


@dataclass
class Plan:
    title: str | None
    phases: list[Phase]
    path: str | None = None


def load_plan(path: Path | str) -> tuple[Plan | None, list[Issue]]:
    """Parse a plan file on its own; answers are checked against the questionnaire later."""
    doc = load_yaml(path)
    ck = Checker(doc, list(doc.issues))
    m = ck.mapping(doc.data, "Die Plandatei", (1, 1)) if doc.data is not None else None
    if m is None:
        if doc.data is None and not ck.issues:
            ck.error(IssueCode.EMPTY, "Die Plandatei ist leer; sie braucht `phases:`.", (1, 1))
        return None, ck.issues
    ck.keys(m, TOP_KEYS, ("phases",), "der Plandatei")
    if m.get("format", 1) != 1:
        ck.error(IssueCode.FORMAT,
                 f"Formatversion {m.get('format')!r} wird nicht unterstützt (nur 1).",
                 m.pos_of("format"))
    phases: list[Phase] = []
    plist = ck.listing(m.get("phases"), "`phases`", m.pos_of("phases")) if "phases" in m else None
    if plist is not None and not plist:
        ck.error(IssueCode.PHASES,
                 "`phases` ist leer; mindestens eine Phase angeben.", m.pos_of("phases"))
    seen: set[str] = set()
    for i, raw in enumerate(plist or []):
        pm = ck.mapping(raw, f"Phase {i + 1}", plist.pos_of(i))  # type: ignore[union-attr]
        if pm is None:
            continue
        ck.keys(pm, PHASE_KEYS, ("name", "answers"), f"Phase {i + 1}")
        name = str(pm.get("name") or "").strip()
        if "name" in pm and not name:
            ck.error(IssueCode.PHASE_NAME,
                     f"Phase {i + 1} braucht einen Namen, z. B. „bis Q2 2027“.",
                     pm.pos_of("name"))
        if name in seen:
            ck.error(IssueCode.PHASE_NAME, f"Phase {name!r} kommt doppelt vor.", pm.pos_of("name"))
        seen.add(name)
        phase = Phase(name or f"Phase {i + 1}", line=pm.pos[0])
        am = ck.mapping(pm.get("answers"), f"`answers` in Phase {name!r}",
                        pm.pos_of("answers")) if "answers" in pm else None
        for qid, entry in (am or {}).items():
            line, column = am.pos_of(qid)  # type: ignore[union-attr]
            value, note = entry, None
            if isinstance(entry, YMap):
                ck.keys(entry, ANSWER_KEYS, ("value",), f"der geplanten Antwort auf {qid}")
                value, note = entry.get("value"), entry.get("note")
            if value is None:
                ck.error(IssueCode.VALUE,
                         f"Geplante Antwort auf {qid} in Phase {name!r} hat keinen "
                         "Wert.", (line, column))
                continue
            phase.answers[str(qid)] = Answer(str(qid), value, note=None if note is None
                                             else str(note), line=line, column=column,
                                             source=f"Plan: {phase.name}")
        phases.append(phase)
    if any(i.severity == "error" for i in ck.issues):
        return None, ck.issues
    return Plan(str(m["title"]) if m.get("title") else None, phases, doc.path), ck.issues
