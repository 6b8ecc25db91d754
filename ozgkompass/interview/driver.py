"""The interview loop: asks through a front end, records through the session.

A front end (plain numbered lines or questionary in a terminal, both in ozgkompass/cli)
only shows and reads; what a command does is decided here, once for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ozgkompass.interview.session import Session
from ozgkompass.model.questionnaire import QType, Question

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
# the same commands in a short form for the line under each question
SHORT: dict[str, str] = {"z": "zurück", "s": "überspringen", "n": "trifft nicht zu",
                         "w": "weiß nicht", "k": "Notiz", "q": "Quelle", "g": "Bereich",
                         "u": "Übersicht", "p": "Pause", "?": "Hilfe"}
HELP_KEY = "h"  # lists the commands (shown by the front end, no command of its own)
CLARIFY_WITH = ("Kommune", "IT-Dienstleister", "Land")
GO_ON = ":offen"  # from the review: go on with the open questions


def command_keys(q: Question) -> list[str]:
    """The command keys of a question (`n` only where „trifft nicht zu“ is allowed)."""
    return [k for k in COMMANDS if k != "n" or q.na_allowed]


def short_text(q: Question, size: int = 70) -> str:
    """The question's text, shortened at a word for lists: „Gibt es …?“"""
    text = " ".join(q.text.de.split())
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0].rstrip(",;:") + " …"


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
    def review(self, session: Session) -> str | None: ...  # question id, GO_ON or None


def choice_problem(q: Question, value: Any) -> str | None:
    """An exclusive option („keine“) ticked together with others, said with the labels."""
    if q.type is not QType.MULTIPLE or not isinstance(value, list) or len(value) < 2:
        return None
    chosen = [o for o in q.options if o.value in value]
    exclusive = next((o for o in chosen if o.exclusive), None)
    if exclusive is None:
        return None
    return (f"„{exclusive.label.de}“ schließt die anderen Antworten aus, angekreuzt waren "
            + ", ".join(f"„{o.label.de}“" for o in chosen)
            + ". Bitte nur diese eine oder nur die anderen ankreuzen")


def run(session: Session, fe: Frontend) -> Literal["done", "paused"]:
    """Ask until every visible question is done or skipped, then review; or pause."""
    q = session.current()
    while True:
        if q is None:
            qid = fe.review(session)
            if qid is None:
                return "done"
            if qid == GO_ON:
                q = session.open_again()
                if q is None:
                    fe.say("Es sind keine Fragen mehr offen.")
                continue
            q = session.goto_question(qid)
            if q is None:
                fe.say("Diese Frage gibt es nicht oder sie wird derzeit nicht gestellt.")
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
        problem = choice_problem(q, action.value)
        problem, hidden = (problem, []) if problem else session.set_value(action.value)
        if problem:
            fe.say(f"Ungültige Antwort: {problem}. Bitte erneut eingeben.")
            return "stay"
        if hidden:
            fe.say(f"Durch diese Antwort entfallen {len(hidden)} bereits beantwortete "
                   "Frage(n); die Antworten bleiben in der Datei, werden aber nicht "
                   "gewertet, solange die Fragen nicht gestellt werden:")
            for qid in hidden:
                hq = session.qn.question(qid)
                fe.say(f"  – {short_text(hq) if hq else qid}")
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
        areas = [a for a in session.qn.areas if any(session.visible(x.id) for x in a.questions)]
        titles = tuple(a.title.de for a in areas)
        target = fe.ask_text("Bereich (Nummer)", titles)
        if target is None:
            return "stay"
        target = target.strip()
        by_title = {a.title.de.casefold(): a.id for a in areas}
        area_id = by_title.get(target.casefold(), target)
        if session.jump(area_id) is None:
            fe.say(f"„{target}“ ist keiner der Bereiche; bitte eine Nummer von 1 bis "
                   f"{len(titles)} wählen.")
        return "stay"
    if cmd == "overview":
        fe.show_overview(session)
        return "stay"
    if cmd == "help":
        fe.show_help(q)
        return "stay"
    raise ValueError(cmd)
