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

from ozgkompass.cli.interview_plain import (
    GROUP_CHOICES,
    PlainFrontend,
    answer_text,
    header_line,
    services_start,
    services_value,
)
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
        if q.type is QType.SERVICES:
            return self._ask_services_tty(q, session, keys)
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

    def _ask_services_tty(self, q: Question, session: Session, keys: list[str]) -> Action:
        """Per group a choice (alle / keine / einzelne / offen lassen); "einzelne" opens a
        checklist of the group's services (checked = online, unchecked = not online)."""
        groups = session.service_groups(q)
        if not groups:
            self.say("Für diese Kommune nennt der Katalog keine Leistungen; die Frage wird "
                     "übersprungen.")
            return Action("skip")
        console.print(esc(q.text.de), highlight=False)
        state = services_start(session, q)
        for n, (group, members) in enumerate(groups, 1):
            names = "; ".join(s.name for s in members)
            prompt = questionary.select(
                f"{n}/{len(groups)} {group} ({len(members)}): {names}",
                choices=[Choice(label, value=key) for key, label in GROUP_CHOICES],
                use_jk_keys=False, instruction=" ")
            result = _with_command_keys(prompt, [k for k in keys if k != "k"]).unsafe_ask()
            if isinstance(result, tuple):
                return Action(COMMANDS[result[1]][0])
            if result in ("a", "k"):
                for s in members:
                    state[s.ozg_id] = "online" if result == "a" else "nicht_online"
            elif result == "e":
                picked = questionary.checkbox(
                    f"{group}: was ist online?", use_jk_keys=False,
                    instruction="(Leertaste wählt, Enter bestätigt; nicht gewählt = nicht online)",
                    choices=[Choice(f"{s.name} ({s.ozg_id})", value=s.ozg_id,
                                    checked=state.get(s.ozg_id) == "online")
                             for s in members]).unsafe_ask()
                for s in members:
                    state[s.ozg_id] = "online" if s.ozg_id in (picked or []) else "nicht_online"
        return Action("value", services_value(state))
