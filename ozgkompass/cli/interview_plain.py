"""Interview front end for a pipe or script: numbered prompts, one line per input.

What a person reads is built here once for both front ends (the arrow-key one in
interview_tty.py draws the same lines): question texts and options wrapped at word
boundaries to the terminal (hanging indent, nothing cut), units and scale anchors,
labels instead of option values or question IDs, and numbers read the German way.
"""

from __future__ import annotations

import re
import sys
import textwrap
from typing import TextIO

from ozgkompass import numbers
from ozgkompass.cli.output import console, esc
from ozgkompass.interview.driver import COMMANDS, GO_ON, HELP_KEY, SHORT, Action, command_keys
from ozgkompass.interview.session import Session
from ozgkompass.model.questionnaire import QType, Question

_SPACE = re.compile(r"[ \t\r\n]+")
MAX_WIDTH = 100  # longer lines are hard to read, also on a wide terminal


class EndOfInput(Exception):
    """stdin closed: the interview pauses (everything is saved already)."""


def progress_bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else width
    return "▰" * filled + "▱" * (width - filled)


def wrap(text: str, width: int, first: str = "", hang: str | None = None) -> str:
    """`text` in lines of at most `width` characters, broken between words (or after a
    hyphen); `first` starts the first line, `hang` (default: as wide as `first`) the others."""
    hang = " " * len(first) if hang is None else hang
    words = " ".join(_SPACE.split(text.strip()))  # a no-break space holds words together
    return textwrap.fill(words, max(len(first) + 8, width),
                         initial_indent=first, subsequent_indent=hang) or first.rstrip()


def number_text(q: Question, value: object) -> str:
    """85000 → `85.000 Euro`, 30 → `30 %`."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    shown = numbers.show(value)
    if not q.unit:
        return shown
    return f"{shown} %" if q.unit == "%" else f"{shown} {q.unit}"


def answer_text(session: Session, q: Question) -> str:
    a = session.answer_of(q.id)
    if a is None or not session.is_done(q.id):
        return "–"
    if a.unclear:
        return f"weiß nicht, klären mit {a.unclear}"
    if a.na:
        return "trifft nicht zu" + (f" ({a.reason})" if a.reason else "")
    if q.type in (QType.SINGLE, QType.YES_NO):
        opt = next((o for o in q.effective_options() if o.value == a.value), None)
        return opt.label.de if opt else str(a.value)
    if q.type is QType.MULTIPLE:
        labels = [o.label.de for o in q.options if o.value in (a.value or [])]
        return ", ".join(labels) or "(nichts ausgewählt)"
    if q.type is QType.SERVICES and isinstance(a.value, dict):
        return (f"{len(a.value.get('online', []))} Leistung(en) online, "
                f"{len(a.value.get('nicht_online', []))} nicht online")
    if q.type in (QType.NUMBER, QType.SCALE):
        return number_text(q, a.value)
    return str(a.value)


GROUP_CHOICES = (("a", "alle online"), ("k", "keine online"), ("e", "einzelne auswählen"),
                 ("", "offen lassen"))


def services_start(session: Session, q: Question) -> dict[str, str]:
    """OZG-ID → "online"/"nicht_online" as recorded so far."""
    a = session.answer_of(q.id)
    value = a.value if a is not None and isinstance(a.value, dict) else {}
    return {**{i: "nicht_online" for i in value.get("nicht_online", [])},
            **{i: "online" for i in value.get("online", [])}}


def services_value(state: dict[str, str]) -> dict[str, list[str]]:
    return {k: sorted(i for i, m in state.items() if m == k) for k in ("online", "nicht_online")}


def header_line(session: Session, q: Question) -> str:
    n, total = session.position()
    area = session.qn.area(q.area_id)
    title = area.title.de if area else ""
    done, count = session.area_progress(area) if area else (0, 0)
    return (f"Frage {n} von {total} · Bereich {title}  {progress_bar(done, count)} "
            f"{done}/{count}")


def value_hints(q: Question) -> list[str]:
    """What to type: unit and example for numbers, the anchors of a scale."""
    if q.type is QType.SCALE:
        anchors = dict(q.labels)
        out = [f"Ganze Zahl von {q.min} bis {q.max}"
               + (":" if anchors else ".")]
        out += [f"{point} = {text.de}" for point, text in sorted(anchors.items())]
        return out
    if q.type is QType.NUMBER:
        if q.unit == "%":
            return ["Prozent von 0 bis 100, z. B. 30 oder 30 % oder 12,5."]
        unit = f" · Einheit: {q.unit}" if q.unit else ""
        return [f"Zahl ≥ 0{unit} · z. B. 85.000 oder 85.000,50 oder 0,5."]
    return []


def keys_line(q: Question, enter: bool) -> str:
    nbsp = "\u00a0"  # a key and its word stay on one line
    keys = f"{nbsp}· ".join(f"{k}{nbsp}{SHORT[k].replace(' ', nbsp)}" for k in command_keys(q))
    return (f"Befehle{' (Taste + Enter)' if enter else ''}: {keys}{nbsp}· "
            f"{HELP_KEY}{nbsp}alle{nbsp}Befehle")


def split_people(text: str) -> tuple[str, ...]:
    """`Frau Ries (IT, Teilzeit), Herr Kern` → two people: commas inside brackets stay."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        if ch in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return tuple(p.strip() for p in parts if p.strip())


class PlainFrontend:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdin

    def width(self) -> int:
        """Usable line length: one column short of the terminal, so no line wraps itself."""
        return max(20, min(console.width, MAX_WIDTH + 1) - 1)

    def _read(self, prompt: str) -> str:
        console.print(f"{esc(prompt)}> ", end="", highlight=False)
        line = self.stream.readline()
        if not line:
            console.print()
            raise EndOfInput
        return line.rstrip("\r\n")

    def say(self, message: str, indent: int = 0) -> None:
        """A message, wrapped between words; lines starting with spaces keep them, and
        continue under their first word, or `indent` further in."""
        out = []
        for line in message.split("\n"):
            lead = line[:len(line) - len(line.lstrip(" "))]
            out.append(wrap(line, self.width(), lead, " " * max(indent, len(lead)))
                       if line.strip() else "")
        console.print(esc("\n".join(out)), highlight=False, soft_wrap=True)

    def ask_text(self, prompt: str, choices: tuple[str, ...] = ()) -> str | None:
        for i, c in enumerate(choices, 1):
            self.say(wrap(c, self.width(), f"  {i}) "))
        text = self._read(prompt).strip()
        if text.isdigit() and choices and 1 <= int(text) <= len(choices):
            return choices[int(text) - 1]
        return text or None

    def show_help(self, q: Question) -> None:
        self.say(q.help.de if q.help else "Zu dieser Frage gibt es keinen Hilfetext.")

    def show_commands(self, q: Question) -> None:
        for key in command_keys(q):
            self.say(wrap(COMMANDS[key][1], self.width(), f"  {key}  "))

    def show_overview(self, session: Session) -> None:
        self.say(f"Übersicht: {session.counts().sentence()}.")
        self._open_by_area(session)

    def _open_by_area(self, session: Session) -> bool:
        """Open, skipped and unclear questions by area, with their numbers; False if none."""
        points = session.open_points()
        numbers_of = {q.id: i for i, q in enumerate(session.visible_questions(), 1)}
        for area in session.qn.areas:
            here = [(q, state) for q, state in points if q.area_id == area.id]
            if here:
                self.say(f"  {area.title.de}: {len(here)}")
            for q, state in here:
                self.say(wrap(f"{q.text.de} – {state}", self.width(),
                              f"    {numbers_of[q.id]:>2}. "))
        if not points:
            self.say("  Keine offenen oder unklaren Fragen.")
        return bool(points)

    def question_block(self, q: Question, session: Session, with_options: bool) -> str:
        """Header, text, earlier answer, options (numbered) and hints: the same lines in
        both front ends."""
        w = self.width()
        lines = [wrap(q.text.de, w)]
        a = session.answer_of(q.id)
        if a is not None and session.is_done(q.id):
            lines.append(wrap(answer_text(session, q), w, "  Bisher: "))
        if with_options:
            lines += [wrap(o.label.de, w, f"  {i}) ")
                      for i, o in enumerate(q.effective_options(), 1)]
            if q.type is QType.MULTIPLE:
                lines.append(wrap("Mehrere Nummern mit Komma trennen, 0 = keine.", w, "  "))
        lines += [wrap(h, w, "  ", "      ") for h in value_hints(q)]
        return "\n".join(lines)

    def _show_question(self, q: Question, session: Session) -> None:
        console.print(f"\n[bold]{esc(wrap(header_line(session, q), self.width()))}[/bold]",
                      highlight=False)
        console.print(esc(self.question_block(q, session, with_options=True)),
                      highlight=False, soft_wrap=True)
        self.say(wrap(keys_line(q, enter=True), self.width(), "  "))

    def ask(self, q: Question, session: Session) -> Action:
        if q.type is QType.SERVICES:
            return self.ask_services(q, session)
        self._show_question(q, session)
        while True:
            line = self._read("Antwort").strip()
            if line == HELP_KEY:
                self.show_commands(q)
                continue
            if line in command_keys(q):
                return Action(COMMANDS[line][0])
            value, problem = self._parse(q, line)
            if problem is None:
                return Action("value", value)
            self.say(f"Ungültige Eingabe: {problem}")

    def ask_services(self, q: Question, session: Session) -> Action:
        """Per group: alle / keine / einzelne (then j/n per service) / offen lassen."""
        self._show_question(q, session)
        groups = session.service_groups(q)
        if not groups:
            self.say("Für diese Kommune nennt der Katalog keine Leistungen; die Frage wird "
                     "übersprungen.")
            return Action("skip")
        state = services_start(session, q)
        self.say("  Je Themenfeld: a = alle online, k = keine online, e = einzelne, "
                 "Enter = offen lassen.")
        for n, (group, members) in enumerate(groups, 1):
            known = sum(1 for s in members if s.ozg_id in state)
            self.say(f"  {n}/{len(groups)} {group} ({len(members)} Leistungen"
                     + (f", {known} schon angegeben" if known else "") + "): "
                     + "; ".join(s.name for s in members), indent=4)
            while True:
                line = self._read("a/k/e").strip().lower()
                if line in COMMANDS and line not in ("k",):
                    return Action(COMMANDS[line][0])
                if line in ("a", "k", "e", ""):
                    break
                self.say("Bitte a, k, e oder Enter (h zeigt die Befehle).")
            if line in ("a", "k"):
                for s in members:
                    state[s.ozg_id] = "online" if line == "a" else "nicht_online"
            elif line == "e":
                for s in members:
                    while True:
                        mark = self._read(f"    {s.name} ({s.ozg_id}) online? j/n/Enter"
                                          ).strip().lower()
                        if mark in ("j", "ja", "n", "nein", ""):
                            break
                        self.say("Bitte j, n oder Enter (offen lassen).")
                    if mark:
                        state[s.ozg_id] = "online" if mark.startswith("j") else "nicht_online"
        return Action("value", services_value(state))

    @staticmethod
    def _parse(q: Question, line: str) -> tuple[object, str | None]:
        if not line:
            return None, (f"Bitte eine Antwort oder einen Befehl eingeben ({HELP_KEY} zeigt "
                          "die Befehle).")
        options = q.effective_options()
        if q.type in (QType.SINGLE, QType.YES_NO):
            if line.isdigit() and 1 <= int(line) <= len(options):
                return options[int(line) - 1].value, None
            if any(o.value == line for o in options):
                return line, None
            return None, f"„{line}“ ist keine der Nummern 1–{len(options)}."
        if q.type is QType.MULTIPLE:
            if line == "0":
                return [], None
            chosen = []
            for part in line.replace(";", ",").split(","):
                part = part.strip()
                if part.isdigit() and 1 <= int(part) <= len(options):
                    chosen.append(options[int(part) - 1].value)
                elif any(o.value == part for o in options):
                    chosen.append(part)
                else:
                    return None, f"„{part}“ ist keine der Nummern 1–{len(options)}."
            return chosen, None
        if q.type in (QType.SCALE, QType.NUMBER):
            reading = numbers.read(line, q.unit)
            if reading.value is None:
                return None, reading.problem
            if q.type is QType.SCALE and not float(reading.value).is_integer():
                return None, f"„{line}“ ist keine ganze Zahl; bitte {q.min} bis {q.max}."
            return reading.value, None
        return line, None

    def review(self, session: Session) -> str | None:
        w = self.width()
        self.say("\nÜberprüfung: alle Antworten, Bereich für Bereich.")
        visible = session.visible_questions()
        by_number = {str(i): q.id for i, q in enumerate(visible, 1)}
        for area in session.qn.areas:
            here = [(i, q) for i, q in enumerate(visible, 1) if q.area_id == area.id]
            if not here:
                continue
            done, count = session.area_progress(area)
            console.print(f"\n[bold]{esc(wrap(area.title.de, w))}[/bold] ({done}/{count})",
                          highlight=False)
            for i, q in here:
                lines = [wrap(q.text.de, w, f"  {i:>2}. "),
                         wrap(answer_text(session, q), w, "      → ")]
                a = session.answer_of(q.id)
                if a is not None and a.note:
                    lines.append(wrap(a.note, w, "      Notiz: "))
                if a is not None and a.source:
                    lines.append(wrap(a.source, w, "      Quelle: "))
                console.print(esc("\n".join(lines)), highlight=False, soft_wrap=True)
        self.say(f"\n{session.counts().sentence()}.")
        has_open = self._open_by_area(session)
        self.say(f"Eine Nummer (1 bis {len(visible)}) ändert die Antwort"
                 + (", o stellt die offenen Fragen jetzt" if has_open else "")
                 + ", Enter schließt ab.")
        while True:
            line = self._read("Auswahl").strip()
            if has_open and line.casefold() == "o":
                return GO_ON
            if not line or line in by_number.values():
                return line or None
            if line in by_number:
                return by_number[line]
            self.say(f"„{line}“ ist keine der Nummern 1 bis {len(visible)}.")
