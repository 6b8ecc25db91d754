"""The CLI as a consultant uses it: start-up, help, demo, score, explain, questionnaires."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

MINI = """
id: mini
version: "2.0"
title: Mini-Fragebogen
areas:
  - id: a
    title: Bereich A
    questions:
      - id: q1
        type: yes_no
        text: Gibt es ein Portal?
        recommendation: Portal des Landes nutzen.
        responsible: kommune
"""


def test_help_starts_without_heavy_imports():
    code = (
        "import sys\n"
        "from ozgkompass.cli import app\n"
        "from typer.testing import CliRunner\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'jinja2', 'numpy') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_command_has_german_help(cli):
    from ozgkompass.cli import root_command

    code, out, _ = cli("--help")
    assert code == 0 and "Exit-Codes" in out
    names = list(root_command().commands)
    assert len(names) >= 20
    for name in names:
        code, out, _ = cli(name, "--help")
        assert code == 0, name
        assert "Aufruf" in out


def test_demo_scores_the_example_municipality(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("demo")
    assert code == 0, err
    assert "OZG-Reifeindex" in out
    assert "Falkenberg" in out
    assert "reifegrad-1.1" in out and "ozg-kommune" in out  # reproducibility line
    written = sorted(p.name for p in (tmp_path / "reports" / "demo").iterdir())
    assert written == ["stadt-falkenberg-briefing.html", "stadt-falkenberg.html",
                       "stadt-falkenberg.xlsx"]
    for name in written:
        assert f"reports/demo/{name}" in out
    before = (tmp_path / "reports" / "demo" / "stadt-falkenberg.html").stat().st_mtime_ns
    code, out, _ = cli("demo")
    assert code == 0 and "bereits" in out and "--force" in out
    assert (tmp_path / "reports" / "demo" / "stadt-falkenberg.html").stat().st_mtime_ns == before


def test_score_json_has_every_figure_and_provenance(cli):
    from ozgkompass.model.registry import builtin_examples

    example = str(builtin_examples()[0])
    code, out, err = cli("score", "--json", example)
    assert code == 0, err
    data = json.loads(out)
    assert data["questionnaire"]["id"] == "ozg-kommune"
    assert data["questionnaire"]["hash"].startswith("sha256:")
    assert data["model"]["id"] == "reifegrad-1.1"
    assert data["tool_version"]
    assert 0 <= data["score"] <= 100
    assert {a["id"] for a in data["areas"]} >= {"portal", "accounts", "payment"}
    assert all("level" in c for c in data["criteria"])


def test_explain_traces_area_question_and_criterion(cli):
    from ozgkompass.model.registry import builtin_examples

    example = str(builtin_examples()[0])
    code, out, _ = cli("explain", example)
    assert code == 0 and "Gesamtindex" in out
    code, out, _ = cli("explain", example, "--area", "payment")
    assert code == 0 and "Summe Beiträge" in out
    code, out, _ = cli("explain", example, "--criterion", "bezahlung")
    assert code == 0 and "Bezahlprozess" in out
    code, out, err = cli("explain", example, "--area", "gibtsnicht")
    assert code == 2 and "Bereich 'gibtsnicht' gibt es nicht" in err


def test_score_with_own_questionnaire_folder(cli, tmp_path, monkeypatch):
    folder = tmp_path / "fragen"
    folder.mkdir()
    (folder / "mini.yaml").write_text(MINI, encoding="utf-8")
    answers = tmp_path / "dorf.answers.yaml"
    answers.write_text("questionnaire: {id: mini, version: '2.0'}\n"
                       "municipality: {name: Dorf}\nanswers:\n  q1: nein\n", encoding="utf-8")
    code, out, _ = cli("questionnaires", "--questionnaires-dir", str(folder))
    assert code == 0 and "mini" in out and "Benutzer" in out and "ozg-kommune" in out
    monkeypatch.setenv("OZGKOMPASS_QUESTIONNAIRES", str(folder))
    code, out, err = cli("score", "--json", str(answers))
    assert code == 0, err
    data = json.loads(out)
    assert data["score"] == 0
    assert data["recommendations"][0]["text"] == "Portal des Landes nutzen."


@pytest.mark.parametrize("content, message", [
    ("questionnaire: {id: ozg-kommune}\nmunicipality: {name: X}\nanswers:\n"
     "  portal_gibtsnicht: ja\n",
     "gibt es im Fragebogen"),
    ("questionnaire: {id: unbekannt}\nmunicipality: {name: X}\nanswers: {}\n",
     "Fragebogen 'unbekannt' nicht gefunden"),
    ("- nur\n- eine Liste\n", "muss eine Zuordnung"),
    ("questionnaire: {id: ozg-kommune\n", "YAML-Syntaxfehler"),
])
def test_bad_answer_files_get_one_clear_message(cli, tmp_path, content, message):
    path = tmp_path / "kaputt.answers.yaml"
    path.write_text(content, encoding="utf-8")
    code, out, err = cli("score", str(path))
    assert code in (1, 2)
    assert message in err
    assert "Traceback" not in out + err


def test_score_refuses_invalid_option_with_location(cli, tmp_path):
    path = tmp_path / "falsch.answers.yaml"
    path.write_text("questionnaire: {id: mini}\nmunicipality: {name: X}\nanswers:\n"
                    "  q1: vielleicht\n", encoding="utf-8")
    q = tmp_path / "mini.yaml"
    q.write_text(MINI, encoding="utf-8")
    code, out, err = cli("score", str(path), "--questionnaire", str(q))
    assert code == 1
    assert "falsch.answers.yaml:4:3: Antwort auf 'q1': erwartet `ja` oder `nein`" in err


def test_version_flag(cli):
    from ozgkompass import __version__

    code, out, _ = cli("--version")
    assert code == 0 and __version__ in out


def test_ci_runs_the_readme_test_command_verbatim():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0].strip() for b in readme.split("```sh\n")[1:]]
    test_cmd = next(b for b in blocks if "pytest" in b)
    demo_cmd = next(b for b in blocks if "demo" in b)
    assert test_cmd in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert demo_cmd.endswith("ozgkompass demo")
