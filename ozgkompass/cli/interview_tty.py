"""Interview front end for a terminal: questionary (prompt_toolkit) with arrow keys.

Imported only inside the `interview` command, so `ozgkompass --help` stays fast. The lines
a person reads (header, question, options, units, scale anchors) are the plain front end's,
wrapped to the real terminal width; options wrap with a hanging indent under their first
word. Every command is one key in choice lists and in number and scale prompts (z zurück,
s überspringen, …, ? Hilfe, h Befehle, p Pause); only in a free-text answer is a command
typed alone and confirmed with Enter. What is ticked or typed when a command key is pressed
(k Notiz, q Quelle, ? Hilfe) is still there when the question comes back. questionary's own
English (“done (2 selections)”) never shows: the finished prompt is erased and replaced by
one German line.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Choice
from questionary.prompts.common import InquirerControl

from ozgkompass.cli.interview_plain import (
    GROUP_CHOICES,
    EndOfInput,
    PlainFrontend,
    answer_text,
    header_line,
    keys_line,
    number_text,
    services_start,
    services_value,
    wrap,
)
from ozgkompass.cli.output import console, esc
from ozgkompass.interview.driver import COMMANDS, HELP_KEY, Action, command_keys
from ozgkompass.interview.session import Session
from ozgkompass.model.questionnaire import QType, Question

POINTER = 3  # questionary draws " » " (or three spaces) before each option
INDICATOR = 2  # and "○ " / "● " before each option of a checkbox


def _inquirer(app: Any) -> InquirerControl | None:
    return next((w.content for w in app.layout.find_all_windows()
                 if isinstance(w.content, InquirerControl)), None)


def _with_command_keys(question: questionary.Question, keys: list[str]) -> questionary.Question:
    """One key press ends the prompt with a command instead of an answer; what is on screen
    (ticked boxes, the option pointed at, typed text) comes back as the draft."""
    kb = KeyBindings()
    for key in keys:
        def handler(event: Any, key: str = key) -> None:
            ic = _inquirer(event.app)
            if ic is not None:
                draft: Any = (list(ic.selected_options), ic.pointed_at)
            else:
                draft = event.app.current_buffer.text
            event.app.exit(result=("cmd", key, draft))
        kb.add(key, eager=True)(handler)
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), kb])
    app.erase_when_done = True
    return question


def _answer(question: questionary.Question) -> Any:
    """The prompt's result; Ctrl-D (end of input) pauses like `p` (all is saved)."""
    try:
        return question.unsafe_ask()
    except EOFError:
        raise EndOfInput from None


class TtyFrontend(PlainFrontend):
    def __init__(self) -> None:
        super().__init__()
        self._draft: tuple[str, Any] | None = None  # (question id, what was on screen)

    def width(self) -> int:
        try:
            columns = os.get_terminal_size(sys.stdout.fileno()).columns
        except OSError:
            columns = console.width
        return max(20, min(columns, 101) - 1)

    def _read(self, prompt: str) -> str:
        answer = _answer(questionary.text(prompt, qmark="›"))
        return answer or ""

    def _titles(self, q: Question, lead: int) -> list[str]:
        """Option labels wrapped to the terminal, continuation lines under the label."""
        w = self.width() - lead
        return [wrap(o.label.de, w).replace("\n", "\n" + " " * lead)
                for o in q.effective_options()]

    def _print_question(self, q: Question, session: Session, enter: bool) -> None:
        w = self.width()
        # one print per question: the time from a key press to the next prompt counts
        console.print(f"\n[bold]{esc(wrap(header_line(session, q), w))}[/bold]\n"
                      f"[dim]{esc(wrap(keys_line(q, enter), w))}[/dim]\n"
                      f"{esc(self.question_block(q, session, with_options=False))}",
                      highlight=False, soft_wrap=True)

    def ask(self, q: Question, session: Session) -> Action:
        draft = self._draft[1] if self._draft and self._draft[0] == q.id else None
        self._draft = None
        keys = [*command_keys(q), HELP_KEY]
        if q.type is QType.SERVICES:
            return self._ask_services_tty(q, session, keys)
        self._print_question(q, session, enter=q.type is QType.TEXT)
        while True:
            result = self._prompt(q, session, keys, draft)
            if isinstance(result, tuple):
                _, key, draft = result
                if key == HELP_KEY:
                    self.show_commands(q)
                    continue
                self._draft = (q.id, draft)
                return Action(COMMANDS[key][0])
            if q.type is QType.TEXT and result.strip() in keys:
                if result.strip() == HELP_KEY:
                    self.show_commands(q)
                    continue
                return Action(COMMANDS[result.strip()][0])
            if q.type in (QType.SINGLE, QType.YES_NO, QType.MULTIPLE):
                if q.type is QType.MULTIPLE:  # refused (an exclusive option): ticks stay
                    self._draft = (q.id, (list(result), None))
                return Action("value", result)
            value, problem = self._parse(q, result.strip())
            if problem is None:
                return Action("value", value)
            self.say(f"Ungültige Eingabe: {problem}")
            draft = None  # the wrong text does not stay in the field

    def _prompt(self, q: Question, session: Session, keys: list[str], draft: Any) -> Any:
        a = session.answer_of(q.id)
        current = a.value if a is not None and session.is_done(q.id) else None
        if q.type in (QType.SINGLE, QType.YES_NO, QType.MULTIPLE):
            multiple = q.type is QType.MULTIPLE
            ticked, pointed = draft if draft is not None else (current or [], None)
            options = q.effective_options()
            titles = self._titles(q, POINTER + (INDICATOR if multiple else 0))
            choices = [Choice(t, value=o.value, checked=multiple and o.value in ticked)
                       for t, o in zip(titles, options, strict=True)]
            if pointed is None:
                pointed = next((i for i, o in enumerate(options) if o.value == current), 0)
            if multiple:
                prompt = questionary.checkbox("Auswahl", choices=choices, use_jk_keys=False,
                                              initial_choice=choices[pointed],
                                              instruction="(Leertaste kreuzt an, Enter "
                                              "bestätigt)")
            else:
                prompt = questionary.select("Auswahl", choices=choices, use_jk_keys=False,
                                            default=choices[pointed], instruction=" ")
            result = _answer(_with_command_keys(prompt, keys))
            if not isinstance(result, tuple):
                self._echo(q, result)
            return result
        typed = draft if isinstance(draft, str) else ""
        text = questionary.text("Antwort", default=typed, qmark="›")
        if q.type is not QType.TEXT:  # letters are no number: command keys act at once
            text = _with_command_keys(text, keys)
        else:
            text.application.erase_when_done = True
        result = _answer(text)
        if not isinstance(result, tuple):
            problem = None if q.type is QType.TEXT else self._parse(q, result.strip())[1]
            if problem is None and result.strip() not in keys:
                self._echo(q, self._parse(q, result.strip())[0])
        return result

    def _ask_services_tty(self, q: Question, session: Session, keys: list[str]) -> Action:
        """Per group a choice (alle / keine / einzelne / offen lassen); "einzelne" opens a
        checklist of the group's services (checked = online, unchecked = not online)."""
        groups = session.service_groups(q)
        if not groups:
            self.say("Für diese Kommune nennt der Katalog keine Leistungen; die Frage wird "
                     "übersprungen.")
            return Action("skip")
        w = self.width()
        console.print(f"\n[bold]{esc(wrap(header_line(session, q), w))}[/bold]\n"
                      f"{esc(wrap(q.text.de, w))}", highlight=False, soft_wrap=True)
        state = services_start(session, q)
        group_keys = [k for k in keys if k not in ("k", "a", "e", HELP_KEY)]
        for n, (group, members) in enumerate(groups, 1):
            names = "; ".join(s.name for s in members)
            console.print(esc(wrap(f"{n}/{len(groups)} {group} ({len(members)}): {names}", w)),
                          highlight=False, soft_wrap=True)
            prompt = questionary.select(
                "Auswahl", choices=[Choice(label, value=key) for key, label in GROUP_CHOICES],
                use_jk_keys=False, instruction=" ")
            result = _answer(_with_command_keys(prompt, group_keys))
            if isinstance(result, tuple):
                return Action(COMMANDS[result[1]][0])
            if result in ("a", "k"):
                for s in members:
                    state[s.ozg_id] = "online" if result == "a" else "nicht_online"
            elif result == "e":
                lead = POINTER + INDICATOR
                picked = _answer(questionary.checkbox(
                    f"{group}: was ist online?", use_jk_keys=False,
                    instruction="(Leertaste wählt, Enter bestätigt; nicht gewählt = nicht online)",
                    choices=[Choice(wrap(f"{s.name} ({s.ozg_id})", w - lead).replace(
                                        "\n", "\n" + " " * lead),
                                    value=s.ozg_id, checked=state.get(s.ozg_id) == "online")
                             for s in members]))
                for s in members:
                    state[s.ozg_id] = "online" if s.ozg_id in (picked or []) else "nicht_online"
        return Action("value", services_value(state))

    def _echo(self, q: Question, value: Any) -> None:
        """The answer in one German line, where questionary would print its own."""
        if q.type is QType.MULTIPLE:
            labels = [o.label.de for o in q.options if o.value in (value or [])]
            shown = ", ".join(labels) or "nichts angekreuzt"
        elif q.type in (QType.SINGLE, QType.YES_NO):
            shown = next((o.label.de for o in q.effective_options() if o.value == value), "")
        else:
            shown = number_text(q, value)
        console.print(esc(wrap(shown, self.width(), "  → ")), highlight=False, soft_wrap=True)


__all__ = ["TtyFrontend", "answer_text"]
