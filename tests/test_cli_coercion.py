"""The plain parameter types are converted without pydantic (cli/coercion.py), with the
results and the German reasons of Typer's own conversion: value for value, against Typer's
own conversion of the same parameter in the same run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import typer.main
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Context
from typer._click.exceptions import BadParameter

import ozgkompass.cli  # noqa: F401  (installs the German texts and the conversion)
from ozgkompass.cli.coercion import _ORIGINAL, Plain, plain_param
from ozgkompass.cli.usage_errors import german_message

app = typer.Typer()


@app.command()
def every(text: Annotated[str, typer.Option("--text")] = "",
          path: Annotated[Path, typer.Option("--path", exists=True, dir_okay=False)] = Path("x"),
          out: Annotated[Path, typer.Option("--out", file_okay=False)] = Path("."),
          flag: Annotated[bool, typer.Option("--flag", envvar="FLAG")] = False,
          count: Annotated[int, typer.Option("--count")] = 0,
          least: Annotated[int, typer.Option("--least", min=1, max=9)] = 1,
          share: Annotated[float, typer.Option("--share", min=1)] = 1.5,
          numbers: Annotated[list[int] | None, typer.Option("--number")] = None,
          files: Annotated[list[Path] | None, typer.Argument()] = None) -> None:
    """Every plain type ozgkompass uses."""


COMMAND = typer.main.get_command(app)
PARAMS = {p.name: p for p in COMMAND.params}


def outcome(runtime: Any, name: str, value: Any) -> tuple[str, Any]:
    """What a user gets: the value with its type, or the German reason of the error."""
    try:
        result = runtime.coerce(value, param=PARAMS[name], ctx=Context(COMMAND))
    except BadParameter as exc:
        return "Fehler", german_message(exc)
    return type(result).__name__, result


THEIRS = {name: _ORIGINAL(p.type_descriptor) for name, p in PARAMS.items()}


def both(name: str, value: Any) -> tuple[tuple[str, Any], tuple[str, Any]]:
    ours = plain_param(PARAMS[name].type_descriptor)
    assert isinstance(ours, Plain), name
    return outcome(ours, name, value), outcome(THEIRS[name], name, value)


# what people type for numbers and yes/no, and what pydantic is particular about
NUMBERISH = st.text(st.sampled_from("0123456789+-._eE ,\tinfatyNIFAsoxb"), max_size=8)
ASCII = st.text(st.characters(min_codepoint=9, max_codepoint=126), max_size=12)
UNICODE = st.text(max_size=6)


@settings(max_examples=examples(0.6), deadline=None)
@given(value=st.one_of(NUMBERISH, ASCII, UNICODE),
       name=st.sampled_from(["count", "least", "share", "flag", "text", "numbers"]))
def test_a_typed_value_gives_what_typers_own_conversion_gives(name, value):
    if name == "numbers":
        value = [value, "1"]
    ours, typers = both(name, value)
    assert ours == typers


@pytest.mark.parametrize(("name", "value"), [
    ("count", " 1_000 "), ("count", "1.0"), ("count", "1."), ("count", "٣"), ("count", "-0"),
    ("least", "10"), ("least", "0"), ("share", "nan"), ("share", "-inf"), ("share", ".5"),
    ("share", "1e3"), ("flag", "Ja"), ("flag", " yes "), ("flag", ""), ("flag", "OFF"),
    ("count", 7), ("share", 2), ("least", 0), ("flag", True), ("numbers", ("1", "x"))])
def test_the_values_pydantic_is_particular_about(name, value):
    ours, typers = both(name, value)
    assert ours == typers


def test_paths_are_checked_as_typer_checks_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    (tmp_path / "d").mkdir()
    for name, value in [("path", "f.txt"), ("path", "nix.txt"), ("path", "d"),
                        ("path", Path("f.txt")), ("out", "f.txt"), ("out", "d"), ("out", ""),
                        ("out", "neu"), ("path", "für.txt"), ("files", ["f.txt", "d", "nix"])]:
        ours, typers = both(name, value)
        assert ours == typers, (name, value)
    assert both("path", "nix.txt")[0] == (
        "Fehler", "Ungültiger Wert für '--path': 'nix.txt' gibt es nicht; Pfad prüfen.")


def test_other_types_stay_with_typers_own_conversion():
    others = typer.Typer()

    @others.command()
    def other(colour: Annotated[str, typer.Option(parser=str.upper)] = "",
              clamped: Annotated[int, typer.Option(min=0, max=3, clamp=True)] = 0,
              pair: Annotated[tuple[int, int], typer.Option()] = (0, 0)) -> None:
        """Types for Typer."""

    params = {p.name: p for p in typer.main.get_command(others).params}
    assert [plain_param(params[name].type_descriptor)
            for name in ("colour", "clamped", "pair")] == [None, None, None]


def test_a_command_of_ozgkompass_runs_without_pydantic(tmp_path):
    """The point of it: `score` with its options converted never imports pydantic (about
    130 ms of imports and adapters); only a value that fails would."""
    answers = Path(__file__).resolve().parents[1] / "questionnaires" / "examples" / \
        "gemeinde-lindenau.answers.yaml"
    code = ("import sys\nfrom ozgkompass.entry import main\n"
            f"sys.argv = ['ozgkompass', 'score', {str(answers)!r}, '-c', 'kommunal',"
            " '--target', '3', '--json']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n"
            "    print(exc.code, 'pydantic' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60, env={**os.environ, "COLUMNS": "80"})
    assert json.loads(done.stdout)["catalogue"]["target_override"] == 3
    assert done.stderr.rstrip().endswith("0 False"), done.stderr
