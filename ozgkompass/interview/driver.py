"""The interview loop: asks through a front end, records through the session.

A front end (plain numbered lines or questionary in a terminal, both in ozgkompass/cli)
only shows and reads; what a command does is decided here, once for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ozgkompass.interview.session import Session
from ozgkompass.model.questionnaire import Question

Command = Literal["value", "back", "skip", "na", "unclear", "note", "source", "jump",
                  "overview", "pause", "help"]

# one key per command in the plain mode; the terminal mode shows the same as menu entries
COMMANDS: dict[str, tuple[Command, str]] = {
    "z": ("back", "zurück zur vorigen Frage"),
    "s": ("skip", "überspringen (erscheint in der Übersicht)"),
    "n": ("na", "trifft nicht zu (mit Begründung)"),
    "w": ("unclear", "weiß nicht / klären mit …"),
    "k": ("note", "Notiz zur Frage"),
    "q": ("source", "Quelle / Nachweis zur Frage"),
    "g": ("jump", "gehe zu Bereich …"),
    "u": ("overview", "Übersicht offener und unklarer Fragen"),
    "p": ("pause", "Pause: speichern und beenden"),
    "?": ("help", "Hilfetext zur Frage"),
}
CLARIFY_WITH = ("Kommune", "IT-Dienstleister", "Land")


@dataclass(frozen=True)
class Action:
    command: Command
    value: Any = None


class Frontend(Protocol):
    def ask(self, q: Question, session: Session) -> Action: ...
    def ask_text(self, prompt: str, choices: tuple[str, ...] = ()) -> str | None: ...
    def say(self, message: str) -> None: ...
    def show_help(self, q: Question) -> None: ...
    def show_overview(self, session: Session) -> None: ...
    def review(self, session: Session) -> str | None: ...


def run(session: Session, fe: Frontend) -> Literal["done", "paused"]:
    """Ask until every visible question is done or skipped, then review; or pause."""
    q = session.current()
    while True:
        if q is None:
            qid = fe.review(session)
            if qid is None:
                return "done"
            q = session.goto_question(qid)
            if q is None:
                fe.say(f"Frage {qid!r} gibt es nicht oder sie wird derzeit nicht gestellt.")
            continue
        action = fe.ask(q, session)
        outcome = _apply(session, fe, q, action)
        if outcome == "pause":
            return "paused"
        if outcome == "next":
            q = session.advance()
        else:
            q = session.current()


def _apply(session: Session, fe: Frontend, q: Question, action: Action) -> str:
    """Returns "next" (go on), "stay" (ask the same or the chosen question) or "pause"."""
    cmd = action.command
    if cmd == "pause":
        return "pause"
    if cmd == "value":
        problem, hidden = session.set_value(action.value)
        if problem:
            fe.say(f"Ungültige Antwort: {problem}. Bitte erneut eingeben.")
            return "stay"
        if hidden:
            fe.say(f"Durch diese Antwort entfallen {len(hidden)} bereits beantwortete "
                   f"Frage(n): {', '.join(hidden)}. Die Antworten bleiben in der Datei, "
                   "werden aber nicht gewertet, solange die Fragen nicht gestellt werden.")
        return "next"
    if cmd == "back":
        if session.back() is None:
            fe.say("Das ist die erste Frage.")
        return "stay"
    if cmd == "skip":
        session.skipped.add(q.id)
        return "next"
    if cmd == "na":
        if not q.na_allowed:
            fe.say("Diese Frage erlaubt „trifft nicht zu“ nicht.")
            return "stay"
        reason = fe.ask_text("Begründung für „trifft nicht zu“"
                             + (" (Pflicht)" if q.na_reason_required else " (optional)"))
        problem = session.set_na(reason)
        if problem:
            fe.say(problem)
            return "stay"
        return "next"
    if cmd == "unclear":
        whom = fe.ask_text("Klären mit (Kommune, IT-Dienstleister, Land oder Stelle)",
                           CLARIFY_WITH)
        if whom is None:
            return "stay"
        problem = session.set_unclear(whom)
        if problem:
            fe.say(problem)
            return "stay"
        return "next"
    if cmd in ("note", "source"):
        text = fe.ask_text("Notiz" if cmd == "note" else "Quelle / Nachweis")
        if text is not None:
            (session.set_note if cmd == "note" else session.set_source)(text)
            fe.say("Notiz gespeichert." if cmd == "note" else "Quelle gespeichert.")
        return "stay"
    if cmd == "jump":
        ids = tuple(a.id for a in session.qn.areas)
        target = fe.ask_text("Bereich (ID oder Nummer)", ids)
        if target is None:
            return "stay"
        target = target.strip()
        if target.isdigit() and 1 <= int(target) <= len(ids):
            target = ids[int(target) - 1]
        if session.jump(target) is None:
            fe.say(f"Bereich {target!r} ist unbekannt oder hat keine Fragen. Bereiche: "
                   f"{', '.join(ids)}.")
        return "stay"
    if cmd == "overview":
        fe.show_overview(session)
        return "stay"
    if cmd == "help":
        fe.show_help(q)
        return "stay"
    raise ValueError(cmd)
