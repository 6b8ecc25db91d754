"""Defects a new user hits in the first hour (issue "The first hour"), one class a test."""

from __future__ import annotations

import json
import re

import pytest

BAD_HEADER_AND_ANSWERS = """
questionnaire: {id: ozg-kommune}
municipality:
  name: Dorf
  type: dorf
  ars: "1234"
answers:
  portal_type: irgendwas
  accounts_trust_level: vielleicht
  accounts_bundid: 7
  forms_server: [a, b]
  payment_platform: ja
  staff_training_scale: 99
  unbekannte_frage: ja
"""


def test_header_errors_do_not_hide_answer_errors(cli, tmp_path):
    path = tmp_path / "dorf.answers.yaml"
    path.write_text(BAD_HEADER_AND_ANSWERS, encoding="utf-8")
    code, out, err = cli("validate", "--json", str(path))
    assert code == 1
    issues = json.loads(out)["issues"]
    codes = [i["code"] for i in issues if i["severity"] == "error"]
    assert codes.count("municipality-type") == 1 and codes.count("ars") == 1
    # every bad answer is reported in the same run (7 answers, all wrong)
    assert len([c for c in codes if c in ("invalid-value", "unknown-question")]) == 7
    code, out, err = cli("score", str(path))
    assert code == 1
    assert "dorf" in err and "irgendwas" in err and "unbekannte_frage" in err


# Phrases of Typer/Click (and pydantic-style conversions) that must never reach a user.
ENGLISH = re.compile(
    r"Usage:|Options\b|Arguments\b|Commands\b|Show this message|No such option|Missing "
    r"argument|Missing option|Try '|for help|\bError\b|Invalid value|is not a valid|does not "
    r"exist|is a directory|Possible options|Did you mean|\[required\]|\[default|unexpected "
    r"extra|Input should be|<bool>|<str>|<int>|<file>|<dir>|<path>|list\[")


def all_command_paths() -> list[list[str]]:
    from typer.main import get_command

    from ozgkompass.cli import app

    paths: list[list[str]] = [[]]

    def walk(cmd, prefix):
        for name, sub in getattr(cmd, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(get_command(app), [])
    return paths


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda p: " ".join(p) or "(root)")
def test_help_and_usage_errors_are_german_for_every_command(cli, path):
    code, out, err = cli(*path, "--help")
    assert code == 0
    assert "Aufruf: ozgkompass" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)
    code, out, err = cli(*path, "--gibt-es-nicht")
    assert code == 2
    assert "Fehler: Unbekannte Option --gibt-es-nicht." in err
    assert not ENGLISH.search(out + err), ENGLISH.search(out + err)


@pytest.mark.parametrize("args", [
    ["score", "x.yaml", "--target", "abc"],  # pydantic-style conversion message
    ["score"],  # missing argument
    ["catalogue", "show", "a", "b"],  # extra argument
    ["validate", "/"],  # a folder where a file is expected
    ["gibtsnicht"],  # unknown command
])
def test_typer_usage_errors_are_one_german_line(cli, args):
    code, out, err = cli(*args)
    assert code == 2
    first = err.splitlines()[0]
    assert first.startswith("Fehler: ") and not ENGLISH.search(err), err
