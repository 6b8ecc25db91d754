"""Usage errors in German, built from the exceptions' fields (cli/german.py): every message
path once, through the real CLI where ozgkompass has such a parameter, through a small
Typer app for the parameter types it does not use (the German texts are installed for
every Typer app once `ozgkompass.cli` is imported)."""

from __future__ import annotations

import datetime as dt
import enum
import os
from pathlib import Path
from typing import Annotated, Literal

import pytest
import typer
from test_first_hour import ENGLISH
from typer.testing import CliRunner

from ozgkompass.cli import root_command
from ozgkompass.cli.german import GermanCommand, GermanGroup, use_german_commands


def first_line(err: str) -> str:
    return err.splitlines()[0] if err else ""


@pytest.mark.parametrize(("args", "message"), [
    (["score", "--jsn"], "Unbekannte Option --jsn. Mögliche Optionen: --json."),
    (["score", "-Z"], "Unbekannte Option -Z."),
    (["score", "x", "--target"], "Option --target braucht einen Wert."),
    (["score", "x", "--json=ja"], "Option --json nimmt keinen Wert an."),
    (["score"], "Es fehlt das Argument ANTWORTDATEI."),
    (["score", "x", "--target", "abc"],
     "Ungültiger Wert für '--target' / '-t': erwartet wird eine ganze Zahl."),
    (["score", "x", "-t", "1.5"],
     "Ungültiger Wert für '--target' / '-t': erwartet wird eine ganze Zahl."),
    (["observe", "--ars", "1", "--timeout", "abc"],
     "Ungültiger Wert für '--timeout': erwartet wird eine Zahl."),
    (["observe", "--ars", "1", "--timeout", "0"],
     "Ungültiger Wert für '--timeout': erwartet wird eine Zahl ab 1."),
    (["catalogue", "show", "a", "b"], "Unerwartete zusätzliche Angabe(n): b."),
    (["score", "a", "b", "c\x1b[31m"], "Unerwartete zusätzliche Angabe(n): b c\\x1b[31m."),
    (["gibtsnicht"], "Unbekannter Befehl 'gibtsnicht'."),
    (["archiv"], "Unbekannter Befehl 'archiv'. Meinten Sie 'archive'?"),
    (["catalogue", "shw"], "Unbekannter Befehl 'shw'. Meinten Sie 'show'?"),
    (["--debug"], "Es fehlt ein Befehl."),
    (["--version=ja"], "Option --version nimmt keinen Wert an."),
    (["import", "nix.xlsx"], "Ungültiger Wert für 'file': 'nix.xlsx' gibt es nicht; Pfad prüfen."),
    (["validate", "/"], "Ungültiger Wert für 'DATEI…': '/' ist ein Ordner, erwartet wird eine "
                        "Datei."),
    (["report", "x", "-o", "f.txt"],
     "Ungültiger Wert für '--out' / '-o': 'f.txt' ist eine Datei, erwartet wird ein Ordner."),
    (["score", "x", "--questionnaires-dir", "f.txt"],
     "Ungültiger Wert für '--questionnaires-dir' (Umgebungsvariable: "
     "'OZGKOMPASS_QUESTIONNAIRES'): 'f.txt' ist eine Datei, erwartet wird ein Ordner."),
])
def test_usage_errors_of_the_cli(cli, tmp_path, args, message):
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    code, out, err = cli(*args)
    assert code == 2
    assert first_line(err) == "Fehler: " + message
    assert err.splitlines()[1].startswith("Aufruf: ozgkompass")  # every error has its context
    assert not ENGLISH.search(err), err


def test_control_characters_in_an_unknown_option_are_shown_escaped(cli):
    code, _, err = cli("score", "--x\x1b[31m")
    assert code == 2 and first_line(err) == "Fehler: Unbekannte Option --x\\x1b[31m."


def test_a_group_without_its_subcommand_shows_its_help_and_no_empty_error(cli):
    code, out, err = cli("catalogue")
    assert code == 2 and "Fehler" not in err and "Befehle" in out + err


def test_every_group_and_command_of_the_cli_raises_its_errors_with_their_data():
    def walk(command, path):
        where = " ".join(path) or "(root)"
        if hasattr(command, "commands"):
            assert isinstance(command, GermanGroup), where
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
        else:
            assert isinstance(command, GermanCommand), where

    walk(root_command(), [])


class Colour(enum.Enum):
    red = "rot"
    blue = "blau"


class Custom:
    """A type pydantic has no schema for: Typer passes values through and rejects strings."""


def parse_even(text: str) -> int:
    if int(text) % 2:
        raise ValueError(f"{text} ist ungerade.")  # a parser of ours: its message is German
    return int(text)


tiny = typer.Typer()


@tiny.command()
def options(must: Annotated[int, typer.Option("--must", "-m")],
            colour: Annotated[Colour, typer.Option("--colour")] = Colour.red,
            letter: Annotated[Literal["x", "y"], typer.Option("--letter")] = "x",
            when: Annotated[dt.datetime | None, typer.Option("--when")] = None,
            day: Annotated[dt.datetime | None, typer.Option("--day", formats=["%d.%m.%Y"])] = None,
            n: Annotated[int, typer.Option("--n", min=0, max=10)] = 0,
            pair: Annotated[tuple[int, int], typer.Option("--pair")] = (0, 0),
            text: Annotated[typer.FileText | None, typer.Option("--text")] = None,
            numbers: Annotated[list[int] | None, typer.Option("--number")] = None,
            out: Annotated[Path | None, typer.Option("--out", writable=True)] = None,
            even: Annotated[int | None, typer.Option("--even", parser=parse_even)] = None,
            custom: Annotated[Custom | None, typer.Option("--custom")] = None) -> None:
    """Options of every type."""


@tiny.command()
def arguments(colour: Colour, yes: bool) -> None:
    """Arguments."""


use_german_commands(tiny)  # as OzgGroup.load does for the commands of ozgkompass


@pytest.mark.parametrize(("args", "message"), [
    (["options"], "Es fehlt die Option --must / -m."),
    (["arguments"], "Es fehlt das Argument colour. Mögliche Werte: 'rot', 'blau'."),
    (["arguments", "rot", "vielleicht"],
     "Ungültiger Wert für 'yes': erwartet wird ja/nein (true/false)."),
    (["options", "-m", "1", "--colour", "grün"],
     "Ungültiger Wert für '--colour': 'grün' ist keiner der Werte 'rot', 'blau'."),
    (["options", "-m", "1", "--letter", "z"],
     "Ungültiger Wert für '--letter': 'z' ist keiner der Werte 'x', 'y'."),
    (["options", "-m", "1", "--when", "gestern"],
     "Ungültiger Wert für '--when': erwartet wird ein Datum (z. B. 2026-12-03 oder "
     "2026-12-03T09:30)."),
    (["options", "-m", "1", "--day", "2026-12-03"],
     "Ungültiger Wert für '--day': '2026-12-03' passt zu keinem der Formate '%d.%m.%Y'."),
    (["options", "-m", "1", "--n", "11"],
     "Ungültiger Wert für '--n': erwartet wird eine ganze Zahl bis 10."),
    (["options", "-m", "1", "--n", "-1"],
     "Ungültiger Wert für '--n': erwartet wird eine ganze Zahl ab 0."),
    (["options", "-m", "1", "--pair", "1"], "Option --pair braucht 2 Werte."),
    (["options", "-m", "1", "--pair", "1", "x"],
     "Ungültiger Wert für '--pair': erwartet wird eine ganze Zahl."),
    (["options", "-m", "1", "--number", "1", "--number", "x"],
     "Ungültiger Wert für '--number': erwartet wird eine ganze Zahl."),
    (["options", "-m", "1", "--even", "3"], "Ungültiger Wert für '--even': 3 ist ungerade."),
    (["options", "-m", "1", "--custom", "c"],
     "Ungültiger Wert für '--custom': 'c' ist kein gültiger Wert (Custom)."),
    (["options", "-m", "1", "--text", "nix.txt"],
     "Ungültiger Wert für '--text': 'nix.txt' gibt es nicht; Pfad prüfen."),
    (["options", "-m", "1", "--text", "."],
     "Ungültiger Wert für '--text': '.' ist ein Ordner, erwartet wird eine Datei."),
])
def test_usage_errors_of_every_parameter_type(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(tiny, args)
    assert result.exit_code == 2, result.output
    assert first_line(result.stderr) == "Fehler: " + message
    assert not ENGLISH.search(result.stderr), result.stderr


@pytest.mark.parametrize(("denied", "message"), [
    (os.R_OK, "'ro.txt' ist nicht lesbar."), (os.W_OK, "'ro.txt' ist nicht beschreibbar.")])
def test_a_path_without_the_permission_the_option_needs(tmp_path, monkeypatch, denied, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ro.txt").write_text("x", encoding="utf-8")
    # os.access decides for Typer and for the message alike (and works when run as root)
    monkeypatch.setattr(os, "access", lambda path, mode: mode != denied)
    result = CliRunner().invoke(tiny, ["options", "-m", "1", "--out", "ro.txt"])
    assert result.exit_code == 2
    assert first_line(result.stderr) == "Fehler: Ungültiger Wert für '--out': " + message


@pytest.mark.parametrize(("args", "usage"), [
    ([], "Aufruf: ozgkompass [OPTIONEN] BEFEHL [ARGUMENTE]…"),
    (["catalogue"], "Aufruf: ozgkompass catalogue [OPTIONEN] BEFEHL [ARGUMENTE]…"),
    (["score"], "Aufruf: ozgkompass score [OPTIONEN] ANTWORTDATEI"),
])
def test_the_usage_line_of_groups_and_commands_is_german(cli, args, usage):
    code, out, _ = cli(*args, "--help")
    assert code == 0 and usage in out
