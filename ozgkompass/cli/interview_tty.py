"""Interview front end for a terminal: questionary (prompt_toolkit) with arrow keys.

Imported only inside the `interview` command, so `ozgkompass --help` stays fast. In a
choice list every command is one key (z zurück, s überspringen, …, ? Hilfe, p Pause);
in number and text prompts the same letters are typed alone and confirmed with Enter.
"""

from __future__ import annotations

from typing import Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Choice

from ozgkompass.cli.interview_plain import PlainFrontend, answer_text, header_line
from ozgkompass.cli.output import console, esc
from ozgkompass.interview.driver import COMMANDS, Action
from ozgkompass.interview.session import Session
from ozgkompass.model.questionnaire import QType, Question

KEYS_LINE = ("↑↓ wählen, Enter bestätigen · ? Hilfe · z zurück · s überspringen\n"
             "w weiß nicht · n trifft nicht zu · k Notiz · q Quelle · g Bereich\n"
             "u Übersicht · p Pause (auch Strg-C)")


def _with_command_keys(question: questionary.Question, keys: list[str]) -> questionary.Question:
    """One key press ends the prompt with a command instead of an answer."""
    kb = KeyBindings()
    for key in keys:
        def handler(event: Any, key: str = key) -> None:
            event.app.exit(result=("cmd", key))
        kb.add(key, eager=True)(handler)
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), kb])
    return question


class TtyFrontend(PlainFrontend):
    def _read(self, prompt: str) -> str:
        answer = questionary.text(prompt, qmark="›").unsafe_ask()
        return answer or ""

    def ask(self, q: Question, session: Session) -> Action:
        a = session.answer_of(q.id)
        before = (f"\nBisher: {esc(answer_text(session, q))}"
                  if a is not None and session.is_done(q.id) else "")
        # one print per question: the time from a key press to the next prompt counts
        console.print(f"\n[bold]{esc(header_line(session, q))}[/bold]\n"
                      f"[dim]{esc(KEYS_LINE)}[/dim]{before}", highlight=False)
        keys = [k for k in COMMANDS if k != "n" or q.na_allowed]
        current = a.value if a is not None else None
        if q.type in (QType.SINGLE, QType.YES_NO, QType.MULTIPLE):
            choices = [Choice(o.label.de, value=o.value,
                              checked=q.type is QType.MULTIPLE and o.value in (current or []))
                       for o in q.effective_options()]
            if q.type is QType.MULTIPLE:
                prompt = questionary.checkbox(q.text.de, choices=choices, use_jk_keys=False,
                                              instruction="(Leertaste wählt, Enter bestätigt)")
            else:
                chosen = next((c for c in choices if c.value == current), None)
                prompt = questionary.select(q.text.de, choices=choices, default=chosen,
                                            use_jk_keys=False, instruction=" ")
            result = _with_command_keys(prompt, keys).unsafe_ask()
            if isinstance(result, tuple):
                return Action(COMMANDS[result[1]][0])
            return Action("value", result)
        hint = {QType.SCALE: f" ({q.min}–{q.max})", QType.NUMBER: " (Zahl)"}.get(q.type, "")

        def validate(text: str) -> bool | str:
            if text.strip() in keys:
                return True
            problem = self._parse(q, text.strip())[1]
            return True if problem is None else problem

        default = "" if current is None else str(current)
        text = questionary.text(q.text.de + hint, default=default,
                                validate=validate).unsafe_ask().strip()
        if text in keys:
            return Action(COMMANDS[text][0])
        return Action("value", self._parse(q, text)[0])
