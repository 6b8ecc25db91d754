"""The interview as a state machine, independent of any terminal.

A `Session` holds one municipality's answers to one questionnaire and a position. Every
change (answer, "trifft nicht zu", "weiß nicht / klären mit …", note, source) is written to
the answers file at once, atomically, so a killed process loses at most the question on
screen. Conditions (`when`) are evaluated live: a question whose condition turns false is
not asked; its answer stays in the file (not scored, not validated) until it is shown again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ozgkompass.model.answers import Answer, AnswerSet, check_answers, normalise_value
from ozgkompass.model.questionnaire import Area, Question, Questionnaire
from ozgkompass.sources.answers_file import write_answers


@dataclass(frozen=True)
class VersionChange:
    """What changed since the answers file was written with another questionnaire version."""

    old_version: str | None
    new_version: str
    removed: tuple[str, ...] = ()  # answered questions that no longer exist
    changed: tuple[str, ...] = ()  # answers that no longer fit (options or range changed)

    @property
    def any(self) -> bool:
        return bool(self.removed or self.changed)


class ChangedOnDisk(Exception):
    """The answers file changed since this session last read or wrote it (edited by hand,
    or written by a process that ignored the lock): it is not overwritten."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    try:
        st = path.stat() if path is not None else None
    except OSError:
        return None
    return None if st is None else (st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass(frozen=True)
class Counts:
    """The one count of questions (docs/interview.md, „Fragen zählen“), the same as `score`:
    asked = questions whose condition holds; each is answered, „trifft nicht zu“, unclear
    („weiß nicht / klären mit …“) or open (also skipped, or an answer that does not fit).
    Applicable = asked minus „trifft nicht zu“; completeness = answered of applicable."""

    asked: int
    answered: int
    na: int
    unclear: int
    open: int

    @property
    def applicable(self) -> int:
        return self.asked - self.na

    def sentence(self) -> str:
        """`62 von 66 zutreffenden Fragen beantwortet (3 offen, 1 unklar; 1 trifft nicht zu)`"""
        rest = [f"{n} {word}" for n, word in ((self.open, "offen"), (self.unclear, "unklar"))
                if n]
        tail = "; ".join(x for x in (", ".join(rest),
                                     f"{self.na} trifft nicht zu" if self.na else "") if x)
        return (f"{self.answered} von {self.applicable} zutreffenden Fragen beantwortet"
                + (f" ({tail})" if tail else ""))


@dataclass
class Session:
    qn: Questionnaire
    aset: AnswerSet
    path: Path | None  # None: do not save (tests of the state machine alone)
    pos: int = 0  # index into `questions`
    history: list[int] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    questions: list[Question] = field(default_factory=list)
    _visible: dict[str, bool] = field(default_factory=dict)
    _invalid: set[str] = field(default_factory=set)  # answers that do not fit: asked again
    # after `g`: the area jumped to; when it is left, the interview goes on with the first
    # open question anywhere (as a resume does), so no area is left out
    jumped_to: str | None = None
    _on_disk: tuple[int, int, int] | None = None  # the file as this session left it

    def __post_init__(self) -> None:
        self.questions = self.qn.questions
        self._on_disk = _stamp(self.path)
        self._refresh()

    # ------------------------------------------------------------------ state

    def _refresh(self) -> None:
        resolved = check_answers(self.qn, self.aset)
        self._visible = resolved.visible
        self._invalid = {qid for qid, a in self.aset.answers.items()
                         if a.value is not None and not a.na and a.unclear is None
                         and resolved.visible.get(qid) and qid not in resolved.values}

    def visible(self, qid: str) -> bool:
        return self._visible.get(qid, False)

    def visible_questions(self) -> list[Question]:
        return [q for q in self.questions if self._visible.get(q.id)]

    def answer_of(self, qid: str) -> Answer | None:
        return self.aset.answers.get(qid)

    def is_done(self, qid: str) -> bool:
        """Answered, "trifft nicht zu" or "weiß nicht" (recorded, with whom to clarify)."""
        a = self.aset.answers.get(qid)
        if a is None or qid in self._invalid:
            return False
        return a.na or a.unclear is not None or a.value is not None

    def is_open(self, q: Question) -> bool:
        return self.visible(q.id) and not self.is_done(q.id)

    def current(self) -> Question | None:
        if 0 <= self.pos < len(self.questions):
            return self.questions[self.pos]
        return None

    def service_groups(self, q: Question) -> list[tuple[str, list[Any]]]:
        """The services a `services_online` question asks this municipality about."""
        from ozgkompass.scoring.service_groups import asked_services

        return asked_services(self.aset.municipality, group_by=q.group_by or "themenfeld")

    def save(self) -> None:
        """Write the answers; refused (ChangedOnDisk) when the file was changed by someone
        else since this session last read or wrote it, so nothing is overwritten unseen."""
        if self.path is None:
            return
        if _stamp(self.path) != self._on_disk:
            raise ChangedOnDisk(self.path)
        write_answers(self.path, self.aset)
        self._on_disk = _stamp(self.path)

    # ------------------------------------------------------------------ navigation

    def start(self) -> Question | None:
        """Position at the first open question (a resumed interview continues there)."""
        self.pos = next((i for i, q in enumerate(self.questions) if self.is_open(q)),
                        len(self.questions))
        return self.current()

    def advance(self) -> Question | None:
        """The next visible question that is neither done nor skipped; None when there is
        none anywhere. Questions before the current one that are still open (left out by a
        jump to another area) come after the last one; leaving the area jumped to goes
        straight back to the first open question."""
        ahead = self._first_open(self.pos + 1, len(self.questions))
        if self.jumped_to is not None and (ahead is None
                                           or self.questions[ahead].area_id != self.jumped_to):
            self.jumped_to = None
            ahead = self._first_open(0, len(self.questions))
        if ahead is None:
            ahead = self._first_open(0, self.pos)
        self._goto(len(self.questions) if ahead is None else ahead)
        return self.current()

    def _first_open(self, start: int, stop: int) -> int | None:
        return next((i for i in range(start, stop) if self.is_open(self.questions[i])
                     and self.questions[i].id not in self.skipped), None)

    def open_again(self) -> Question | None:
        """From the review: go on with the open and skipped questions, from the first one."""
        self.skipped.clear()
        self.jumped_to = None
        i = self._first_open(0, len(self.questions))
        self._goto(len(self.questions) if i is None else i)
        return self.current()

    def _goto(self, i: int) -> None:
        if i != self.pos:
            self.history.append(self.pos)
        self.pos = i

    def back(self) -> Question | None:
        """The previously shown question (still visible); after resuming, the visible
        question before this one. None at the very first question."""
        while self.history:
            i = self.history.pop()
            if i < len(self.questions) and self.visible(self.questions[i].id):
                self.pos = i
                return self.questions[i]
        for i in range(min(self.pos, len(self.questions)) - 1, -1, -1):
            if self.visible(self.questions[i].id):
                self.pos = i
                return self.questions[i]
        return None

    def skip(self) -> Question | None:
        q = self.current()
        if q is not None:
            self.skipped.add(q.id)
        return self.advance()

    def goto_question(self, qid: str) -> Question | None:
        for i, q in enumerate(self.questions):
            if q.id == qid and self.visible(qid):
                self._goto(i)
                self.skipped.discard(qid)
                return q
        return None

    def jump(self, area_id: str) -> Question | None:
        """First open question of the area, else its first visible question."""
        area = self.qn.area(area_id)
        if area is None:
            return None
        visible = [q for q in area.questions if self.visible(q.id)]
        target = next((q for q in visible if not self.is_done(q.id)), None) or \
            (visible[0] if visible else None)
        if target is None:
            return None
        self.jumped_to = area.id
        return self.goto_question(target.id)

    # ------------------------------------------------------------------ recording

    def _put(self, qid: str, **changes: Any) -> list[str]:
        """Store the answer, save, and return answered questions that became hidden."""
        before = {q.id for q in self.questions if self.visible(q.id) and self.is_done(q.id)}
        old = self.aset.answers.get(qid) or Answer(qid)
        self.aset.answers[qid] = dataclasses.replace(old, line=None, column=None, **changes)
        self.skipped.discard(qid)
        self._refresh()
        self.save()
        return [q for q in sorted(before) if not self.visible(q)]

    def set_value(self, raw: Any) -> tuple[str | None, list[str]]:
        """Record an answer. Returns (German error message or None, newly hidden ids)."""
        q = self.current()
        assert q is not None
        value, problem = normalise_value(q, raw)
        if problem:
            return problem, []
        return None, self._put(q.id, value=value, na=False, reason=None, unclear=None)

    def set_na(self, reason: str | None) -> str | None:
        q = self.current()
        assert q is not None
        if not q.na_allowed:
            return "Diese Frage erlaubt „trifft nicht zu“ nicht."
        if q.na_reason_required and not (reason or "").strip():
            return "„Trifft nicht zu“ braucht bei dieser Frage eine Begründung."
        self._put(q.id, value=None, na=True, reason=(reason or "").strip() or None, unclear=None)
        return None

    def set_unclear(self, whom: str) -> str | None:
        q = self.current()
        assert q is not None
        if not whom.strip():
            return "Bitte angeben, mit wem die Frage zu klären ist (z. B. IT-Dienstleister)."
        self._put(q.id, value=None, na=False, reason=None, unclear=whom.strip())
        return None

    def set_note(self, text: str) -> None:
        q = self.current()
        assert q is not None
        self._put(q.id, note=text.strip() or None)

    def set_source(self, text: str) -> None:
        q = self.current()
        assert q is not None
        self._put(q.id, source=text.strip() or None)

    # ------------------------------------------------------------------ overview

    def position(self) -> tuple[int, int]:
        """(number of the current question among the visible ones, how many are visible)."""
        vis = self.visible_questions()
        q = self.current()
        n = next((i + 1 for i, v in enumerate(vis) if q is not None and v.id == q.id), len(vis))
        return n, len(vis)

    def area_progress(self, area: Area) -> tuple[int, int]:
        """(answered, applicable) in the area: the same count as everywhere (`counts`)."""
        c = self.counts(list(area.questions))
        return c.answered, c.applicable

    def counts(self, questions: list[Question] | None = None) -> Counts:
        asked = [q for q in (self.questions if questions is None else questions)
                 if self.visible(q.id)]
        answered = na = unclear = 0
        for q in asked:
            a = self.aset.answers.get(q.id)
            if a is None or q.id in self._invalid:
                continue
            if a.na:
                na += 1
            elif a.unclear is not None:
                unclear += 1
            elif a.value is not None:
                answered += 1
        return Counts(len(asked), answered, na, unclear, len(asked) - answered - na - unclear)

    def open_points(self) -> list[tuple[Question, str]]:
        """Open, skipped and unclear questions in questionnaire order, with their state."""
        out = []
        for q in self.visible_questions():
            a = self.aset.answers.get(q.id)
            if a is not None and a.unclear:
                out.append((q, f"klären mit {a.unclear}"))
            elif not self.is_done(q.id):
                out.append((q, "übersprungen" if q.id in self.skipped else "offen"))
        return out


def reconcile(qn: Questionnaire, aset: AnswerSet) -> VersionChange | None:
    """Bring answers written for another questionnaire version in line with this one.

    Answers to questions that no longer exist, or whose value no longer fits, are moved to
    `superseded_answers` (kept in the file, never scored) so the interview asks them again.
    Returns None when the file already matches this version.
    """
    ref = aset.questionnaire
    if ref.version == qn.version and (not ref.hash or ref.hash == qn.hash):
        return None
    removed, changed = [], []
    for qid, a in list(aset.answers.items()):
        q = qn.question(qid)
        if q is None:
            removed.append(qid)
        elif a.value is not None and normalise_value(q, a.value)[1] is not None:
            changed.append(qid)
        elif a.na and not q.na_allowed:
            changed.append(qid)
        else:
            continue
        from ozgkompass.model.migrations import superseded_entry

        aset.superseded[qid] = superseded_entry(
            a, ref.version or "?", "Frage entfällt" if q is None else "Antwort passt nicht mehr")
        del aset.answers[qid]
        if q is not None and (a.note or a.source):  # keep note and evidence on the question
            aset.answers[qid] = Answer(qid, note=a.note, source=a.source)
    aset.questionnaire = dataclasses.replace(ref, version=qn.version, hash=qn.hash)
    return VersionChange(ref.version, qn.version, tuple(removed), tuple(changed))
