"""Where questionnaires come from: built in (installed with the package) or a user folder."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ozgkompass.errors import DataError, Issue, Location, UserError, display_path
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.answers import AnswerSet, is_answers, parse_answers
from ozgkompass.model.migrations import Migration, migrate
from ozgkompass.model.questionnaire import Questionnaire, parse_questionnaire
from ozgkompass.yamlio import load_yaml, parse_yaml, peek_top_level_text

ENV_DIR = "OZGKOMPASS_QUESTIONNAIRES"
DEMO_EXAMPLE = "stadt-falkenberg.answers.yaml"


@dataclass(frozen=True)
class Entry:
    origin: str  # "eingebaut" or "Benutzer"
    path: str
    questionnaire: Questionnaire | None
    issues: tuple[Issue, ...] = ()


def builtin_folder() -> Traversable:
    return resources.files("ozgkompass.questionnaires")


def user_folder(option: Path | None = None) -> Path | None:
    if option is not None:
        return option
    env = os.environ.get(ENV_DIR)
    return Path(env) if env else None


@functools.cache
def _parse_builtin(name: str) -> Entry:
    """Built-in questionnaires do not change while the program runs: each is parsed once."""
    doc = parse_yaml(_builtin_bytes(name), f"(eingebaut) {name}")
    q, issues = parse_questionnaire(doc)
    return Entry("eingebaut", f"(eingebaut) {name}", q, tuple(issues))


@functools.cache
def _builtin_bytes(name: str) -> bytes:
    return (builtin_folder() / name).read_bytes()


@functools.cache
def _builtin_names() -> tuple[str, ...]:
    return tuple(sorted(e.name for e in builtin_folder().iterdir()
                        if e.name.endswith((".yaml", ".yml"))))


def _builtin_entries() -> tuple[Entry, ...]:
    return tuple(_parse_builtin(name) for name in _builtin_names())


def _builtin_entries_for(qid: str) -> list[Entry]:
    """The built-in questionnaires that may have this id, parsed; the others are passed over
    on the id their first lines give (`peek_top_level_text`: exactly the id the whole file
    gives, or None, and then the file is parsed)."""
    entries = []
    for name in _builtin_names():
        peeked = peek_top_level_text(_builtin_bytes(name), "id")
        if peeked is None or peeked == qid:
            entries.append(_parse_builtin(name))
    return entries


def list_questionnaires(folder: Path | None = None) -> list[Entry]:
    return [*_builtin_entries(), *_user_entries(folder)]


def _user_entries(folder: Path | None) -> list[Entry]:
    entries: list[Entry] = []
    user = user_folder(folder)
    if user is not None:
        if not user.is_dir():
            raise UserError(f"Fragebogen-Ordner {display_path(user)} existiert nicht.",
                            hint=f"Pfad bei --questionnaires-dir bzw. {ENV_DIR} prüfen.")
        for path in sorted([*user.glob("*.yaml"), *user.glob("*.yml")]):
            if not path.is_file():
                continue
            doc = load_yaml(path)
            if is_answers(doc.data):
                continue
            q, issues = parse_questionnaire(doc)
            entries.append(Entry("Benutzer", display_path(path), q, tuple(issues)))
    return entries


def find_questionnaire(qid: str, version: str | None = None,
                       folder: Path | None = None) -> Questionnaire:
    """The questionnaire with this id; a user folder wins over the built-in ones.

    Only the built-in files that may have this id are parsed; when none matches, every file
    is, for the message that lists the known ids or the broken files."""
    user_entries = _user_entries(folder)
    matches = [e for e in [*_builtin_entries_for(qid), *user_entries]
               if e.questionnaire is not None and e.questionnaire.id == qid]
    if matches:
        return _choose(matches, version)
    everything = [*_builtin_entries(), *user_entries]
    entries = [e for e in everything if e.questionnaire is not None]
    broken = [e for e in everything if e.questionnaire is None]
    if broken:
        raise DataError(
            [i for e in broken for i in e.issues if i.severity == "error"],
            f"Fragebogen {qid!r} nicht gefunden; {len(broken)} Fragebogen-Datei(en) sind "
            "fehlerhaft und wurden übersprungen (Probleme oben). Korrigieren und erneut versuchen.")
    known = sorted({e.questionnaire.id for e in entries})  # type: ignore[union-attr]
    raise UserError(
        f"Fragebogen {qid!r} nicht gefunden (bekannt: {', '.join(known)}).",
        hint=f"Mit --questionnaire DATEI angeben oder den Ordner per --questionnaires-dir "
             f"bzw. {ENV_DIR} bekannt machen.")


def _choose(matches: list[Entry], version: str | None) -> Questionnaire:
    exact = [e for e in matches if e.questionnaire.version == version]  # type: ignore[union-attr]
    chosen = (exact or matches)[-1]
    return chosen.questionnaire  # type: ignore[return-value]


def builtin_examples() -> list[Traversable]:
    folder = builtin_folder() / "examples"
    return sorted((e for e in folder.iterdir() if e.name.endswith(".answers.yaml")),
                  key=lambda e: e.name)


def load_answer_set(path: Path | Traversable, *, builtin: bool = False) -> AnswerSet:
    if builtin:
        doc = parse_yaml(path.read_bytes(), f"(eingebaut) examples/{path.name}")
    else:
        doc = load_yaml(path)  # type: ignore[arg-type]
    aset, issues = parse_answers(doc)
    if aset is None:
        raise DataError(issues, f"Antwortdatei {doc.path} ist fehlerhaft.")
    migrated(aset)
    return aset  # header errors travel in aset.issues and are reported with the answers


def migrated(aset: AnswerSet) -> Migration | None:
    """Answers of an older built-in questionnaire version carried forward in memory, with a
    warning that says so (the interview writes them to the file)."""
    change = migrate(aset)
    if change is not None:
        aset.migration = change
        aset.issues.append(Issue(IssueCode.QUESTIONNAIRE_MIGRATED, change.summary() + " Die Datei "
                                 "bleibt unverändert; `ozgkompass interview --answers DATEI` "
                                 "schreibt die neue Fassung und fragt das Neue.",
                                 Location(aset.path, aset.questionnaire.line), "warning"))
    return change
