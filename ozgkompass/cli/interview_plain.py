"""Interview front end for a pipe or script: numbered prompts, one line per input."""

from __future__ import annotations

import sys
import textwrap
from typing import TextIO

from ozgkompass.cli.output import console, esc
from ozgkompass.interview.driver import COMMANDS, Action
from ozgkompass.interview.session import Session
from ozgkompass.model.questionnaire import QType, Question


class EndOfInput(Exception):
    """stdin closed: the interview pauses (everything is saved already)."""


def progress_bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else width
    return "▰" * filled + "▱" * (width - filled)


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
    title = area.title.de if area else q.area_id
    done, count = session.area_progress(area) if area else (0, 0)
    return (f"Frage {n} von {total} · Bereich {title}  {progress_bar(done, count)} "
            f"{done}/{count}")


class PlainFrontend:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdin

    def _read(self, prompt: str) -> str:
        console.print(f"{esc(prompt)}> ", end="", highlight=False)
        line = self.stream.readline()
        if not line:
            console.print()
            raise EndOfInput
        return line.rstrip("\r\n")

    def say(self, message: str, indent: int = 0) -> None:
        """A message; long lines wrap with `indent` spaces (lists stay readable)."""
        if indent:
            message = textwrap.fill(message, width=max(40, console.width - 1),
                                    subsequent_indent=" " * indent)
        console.print(esc(message), highlight=False)

    def ask_text(self, prompt: str, choices: tuple[str, ...] = ()) -> str | None:
        if choices:
            self.say("  " + "  ".join(f"{i}) {c}" for i, c in enumerate(choices, 1)))
        text = self._read(prompt).strip()
        if text.isdigit() and choices and 1 <= int(text) <= len(choices):
            return choices[int(text) - 1]
        return text or None

    def show_help(self, q: Question) -> None:
        self.say(q.help.de if q.help else "Zu dieser Frage gibt es keinen Hilfetext.")

    def show_overview(self, session: Session) -> None:
        points = session.open_points()
        done, total = session.progress()
        self.say(f"Übersicht: {done} von {total} Fragen erledigt.")
        for q, state in points:
            self.say(f"  {q.id}: {state} – {q.text.de}", indent=4)
        if not points:
            self.say("  Keine offenen oder unklaren Fragen.")

    def _show_question(self, q: Question, session: Session) -> None:
        console.print(f"\n[bold]{esc(header_line(session, q))}[/bold]", highlight=False)
        self.say(f"{q.text.de}  [{q.id}]")
        a = session.answer_of(q.id)
        if a is not None and session.is_done(q.id):
            self.say(f"  Bisher: {answer_text(session, q)}")
        for i, o in enumerate(q.effective_options(), 1):
            self.say(f"  {i}) {o.label.de}", indent=5)
        if q.type is QType.MULTIPLE:
            self.say("  Mehrere Nummern mit Komma trennen, 0 = keine.")
        elif q.type is QType.SCALE:
            self.say(f"  Ganze Zahl von {q.min} bis {q.max}.")
        elif q.type is QType.NUMBER:
            self.say("  Zahl ≥ 0" + (f" ({q.unit})." if q.unit else "."))
        keys = [k for k in COMMANDS if k != "n" or q.na_allowed]
        self.say("  Befehle: " + " ".join(keys) + " (? Hilfe, h Befehle)")

    def ask(self, q: Question, session: Session) -> Action:
        if q.type is QType.SERVICES:
            return self.ask_services(q, session)
        self._show_question(q, session)
        while True:
            line = self._read("Antwort").strip()
            if line == "h":
                for key, (_, text) in COMMANDS.items():
                    self.say(f"  {key}  {text}")
                continue
            if line in COMMANDS:
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
            return None, "Bitte eine Antwort oder einen Befehl eingeben (h zeigt die Befehle)."
        options = q.effective_options()
        if q.type in (QType.SINGLE, QType.YES_NO):
            if line.isdigit() and 1 <= int(line) <= len(options):
                return options[int(line) - 1].value, None
            if any(o.value == line for o in options):
                return line, None
            return None, f"{line!r} ist keine der Nummern 1–{len(options)}."
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
                    return None, f"{part!r} ist keine der Nummern 1–{len(options)}."
            return chosen, None
        if q.type in (QType.SCALE, QType.NUMBER):
            text = line.replace(".", "").replace(",", ".") if "," in line else line
            try:
                number = float(text)
            except ValueError:
                return None, f"{line!r} ist keine Zahl."
            if q.type is QType.SCALE or number.is_integer():
                if not number.is_integer():
                    return None, f"{line!r} ist keine ganze Zahl."
                return int(number), None
            return number, None
        return line, None

    def review(self, session: Session) -> str | None:
        self.say("\nÜberprüfung: alle Antworten, Bereich für Bereich.")
        for area in session.qn.areas:
            done, count = session.area_progress(area)
            if not count:
                continue
            console.print(f"\n[bold]{esc(area.title.de)}[/bold] ({done}/{count})",
                          highlight=False)
            for q in area.questions:
                if not session.visible(q.id):
                    continue
                self.say(f"  {q.id}: {answer_text(session, q)}", indent=6)
                a = session.answer_of(q.id)
                if a is not None and a.note:
                    self.say(f"      Notiz: {a.note}", indent=8)
                if a is not None and a.source:
                    self.say(f"      Quelle: {a.source}", indent=8)
        points = session.open_points()
        if points:
            self.say(f"\nOffen oder unklar: {len(points)} Frage(n).")
        line = self._read("Frage-ID zum Ändern, Enter zum Abschließen").strip()
        return line or None
