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
    from ozgkompass.cli import root_command

    paths: list[list[str]] = [[]]

    def walk(cmd, prefix):
        for name, sub in getattr(cmd, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(root_command(), [])
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


def _run_module(*args: str, **kwargs):
    """The installed console script, as a user starts it (`python -m` goes through runpy,
    which reports a handled Ctrl-C as death by SIGINT now and then)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "ozgkompass"
    if not script.exists():
        pytest.skip("Konsolenskript ozgkompass ist nicht installiert")
    return subprocess.Popen([str(script), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def _wait_until_loading(pid: int) -> None:
    """Wait until the program runs its own code (PyYAML's C extension is mapped): a signal
    during the interpreter's own start-up is Python's business, not ours."""
    import time
    from pathlib import Path

    maps = Path(f"/proc/{pid}/maps")
    if not maps.exists():
        pytest.skip("braucht /proc (Linux)")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if "_yaml" in maps.read_text():
                return
        except OSError:
            return  # already finished
        time.sleep(0.005)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.5])
def test_ctrl_c_at_any_moment_ends_with_one_german_line_and_130(delay):
    import signal
    import time

    from conftest import ROOT

    proc = _run_module("score", str(ROOT / "questionnaires/examples/stadt-falkenberg.answers.yaml"))
    _wait_until_loading(proc.pid)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    text = err.decode()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    if proc.returncode != 0:  # 0: it had finished before the signal arrived
        assert proc.returncode == 130 and text.strip() == "Abgebrochen."


def test_closed_pipe_ends_quietly():
    proc = _run_module("demo", "--json")
    assert proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away, as `| head -c 10` does
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert proc.returncode == 0 and err == ""


EXAMPLE = "questionnaires/examples/stadt-falkenberg.answers.yaml"


@pytest.fixture
def files(tmp_path):
    from conftest import ROOT

    bad = tmp_path / "bad.answers.yaml"
    bad.write_text("questionnaire: {id: ozg-kommune}\nmunicipality: {name: X}\n"
                   "answers:\n  portal_type: irgendwas\n", encoding="utf-8")
    csv = tmp_path / "leer.csv"
    csv.write_text("Leistungsschlüssel;Leistungsbezeichnung;Typisierung;OZG-ID;OZG-Themenfeld\n"
                   "123;X;2;abc;\n", encoding="utf-8")  # FIM layout, no valid row
    return {"ok": str(ROOT / EXAMPLE), "bad": str(bad), "missing": str(tmp_path / "nix.yaml"),
            "csv": str(csv)}


# README "Exit-Codes": 0 ok · 1 problems in the data · 2 usage error (option, missing file)
EXIT_TABLE = [
    (["demo"], 0),
    (["validate", "{ok}"], 0), (["validate", "{bad}"], 1), (["validate", "{missing}"], 2),
    (["score", "{ok}"], 0), (["score", "{bad}"], 1), (["score", "{missing}"], 2),
    (["explain", "{ok}"], 0), (["explain", "{bad}"], 1), (["explain", "{missing}"], 2),
    (["explain", "{ok}", "--area", "gibtsnicht"], 2),
    (["report", "{ok}"], 0), (["report", "{bad}"], 1), (["report", "{missing}"], 2),
    (["report", "{ok}", "--format", "odt"], 2),
    (["questionnaires"], 0), (["questionnaires", "--questionnaires-dir", "{missing}"], 2),
    (["schema"], 0),
    (["catalogue", "list"], 0), (["catalogue", "show"], 0), (["catalogue", "show", "nix"], 2),
    (["catalogue", "search", "Hund"], 0), (["catalogue", "stats"], 0),
    (["catalogue", "import", "{csv}"], 1), (["catalogue", "import", "{missing}"], 2),
]


@pytest.mark.parametrize("args,code", EXIT_TABLE, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else str(v))
def test_exit_codes_follow_the_readme_for_every_command(cli, files, args, code):
    got, out, err = cli(*[a.format(**files) for a in args])
    assert got == code, err
    assert "Traceback" not in err


@pytest.mark.parametrize("args,code", [(["score", "{missing}"], 2), (["score", "{bad}"], 1)])
def test_debug_shows_the_traceback_but_keeps_the_exit_code(cli, files, args, code):
    got, out, err = cli(*[a.format(**files) for a in args], "--debug")  # after the command
    assert got == code
    assert "Traceback" in err and "Fehler" in err


def test_score_rates_the_services_by_default_and_can_leave_them_out(cli, files):
    code, out, err = cli("score", "--json", files["ok"])
    data = json.loads(out)
    assert code == 0 and data["catalogue"]["catalogue"]["id"] == "kommunal"
    code, out, err = cli("score", files["ok"])
    assert "OZG-Leistungen" in out and "Zielstufe: " in out and "OZG-konform 3" in out
    code, out, err = cli("score", "--json", "--no-catalogue", files["ok"])
    assert code == 0 and json.loads(out)["catalogue"] is None
    code, out, err = cli("score", "--no-catalogue", "-c", "kommunal", files["ok"])
    assert code == 2 and err.startswith("Fehler: ")


@pytest.mark.parametrize("example", ["stadt-falkenberg", "gemeinde-lindenau",
                                     "landkreis-nordwald"])
def test_human_output_is_designed_for_80_columns(cli, monkeypatch, example):
    from conftest import ROOT

    monkeypatch.setenv("COLUMNS", "80")
    path = str(ROOT / f"questionnaires/examples/{example}.answers.yaml")
    for args in (["score", path], ["explain", path], ["explain", path, "--area", "backoffice"],
                 ["explain", path, "--service", "10294"]):
        code, out, err = cli(*args)
        assert code in (0, 2), err  # 10294 may be out of scope for a Landkreis
        long = [line for line in out.splitlines() if len(line) > 80]
        assert long == [], long
    # a list entry (step, lever) never runs longer than a few lines
    code, out, _ = cli("score", path)
    out_lines = out.splitlines()
    heights = []
    for k, line in enumerate(out_lines):
        if re.match(r"^ ?\d+\. ", line):
            rest = out_lines[k + 1:]
            heights.append(1 + next((n for n, x in enumerate(rest) if not x.startswith("    ")),
                                    len(rest)))
    assert heights and max(heights) <= 6


def test_explain_helps_to_find_the_right_id(cli, files):
    code, out, err = cli("explain", files["ok"], "--question", "portal_typ")
    assert code == 2 and "portal_type" in err  # did-you-mean
    code, out, err = cli("explain", files["ok"], "--area", "backoffice", "--question", "x")
    assert code == 2 and "--area und --question" in err
    code, out, err = cli("explain", files["ok"], "--criterion", "status")
    assert code == 2 and "nutzerkonto" in err  # lists the model's criteria
    code, out, err = cli("explain", files["ok"], "--area", "backoffice")
    assert "backoffice_register_retrieval" in out  # ids are never cut off
    code, out, err = cli("score", files["ok"])
    assert "Frage backoffice_eakte" in out  # next steps name the question to explain


def test_unknown_criterion_names_the_open_questions_that_would_settle_it(cli, tmp_path):
    path = tmp_path / "a.answers.yaml"
    path.write_text("questionnaire: {id: schnellcheck}\nmunicipality: {name: X}\nanswers:\n"
                    "  portal_type: eigenes\n", encoding="utf-8")
    code, out, err = cli("explain", str(path), "--criterion", "nachweise")
    assert code == 0 and "unbekannt" in out and "forms_evidence" in out


@pytest.mark.parametrize("args", [["explain", "{ok}"], ["explain", "{ok}", "--area", "portal"],
                                  ["explain", "{ok}", "--service", "10124"],
                                  ["questionnaires"]])
def test_explain_and_questionnaires_speak_json(cli, files, args):
    code, out, err = cli(*[a.format(**files) for a in args], "--json")
    assert code == 0
    json.loads(out)


def test_score_json_on_bad_input_writes_an_error_object(cli, files):
    code, out, err = cli("score", files["bad"], "--json")
    assert code == 1
    error = json.loads(out)["error"]
    assert error["exit_code"] == 1 and error["issues"][0]["code"] == "invalid-value"
    code, out, err = cli("score", files["missing"], "--json")
    assert code == 2 and json.loads(out)["error"]["exit_code"] == 2


def test_messages_say_what_the_user_actually_wrote(cli, files, tmp_path):
    code, out, err = cli("score", files["ok"], "-m", str(tmp_path / "nix-model.yaml"))
    assert code == 2 and "Modelldatei" in err and "gibt es nicht" in err
    code, out, err = cli("score", files["ok"], "-c", str(tmp_path))
    assert code == 2 and "ist ein Ordner" in err
    path = tmp_path / "a.answers.yaml"
    path.write_text("questionnaire: {id: ozg-kommune}\n"
                    "municipality: {name: X, ars: 034510001001}\n"
                    "answers:\n  portal_type: no\n", encoding="utf-8")
    code, out, err = cli("validate", str(path))
    assert code == 1
    assert "034510001001 steht ohne Anführungszeichen" in err and "3844080129" in err
    assert "Wahrheitswert" in err and "False ist keine Option" not in err


def test_ars_must_belong_to_the_land(cli, tmp_path):
    path = tmp_path / "a.answers.yaml"
    path.write_text("questionnaire: {id: ozg-kommune}\n"
                    "municipality: {name: X, ars: '034510001001', land: Bayern}\n"
                    "answers: {}\n", encoding="utf-8")
    code, out, err = cli("validate", str(path))
    assert code == 1 and "gehört zu Niedersachsen" in err


def test_thousands_of_unknown_keys_are_summarised_not_listed(cli, tmp_path):
    path = tmp_path / "viele.answers.yaml"
    path.write_text("questionnaire: {id: ozg-kommune}\nmunicipality: {name: X, extra_1: 1, "
                    + ", ".join(f"extra_{i}: 1" for i in range(2, 40)) + "}\nanswers:\n"
                    + "".join(f"  unbekannt_{i:05d}: ja\n" for i in range(5000)),
                    encoding="utf-8")
    code, out, err = cli("validate", "--json", str(path))
    issues = json.loads(out)["issues"]
    unknown_q = [i for i in issues if i["code"] == "unknown-question"]
    unknown_k = [i for i in issues if i["code"] == "unknown-key"]
    assert len(unknown_q) == 26 and "4975 weitere" in unknown_q[-1]["message"]
    assert len(unknown_k) == 26 and "nicht einzeln gemeldet" in unknown_k[-1]["message"]


def test_written_files_get_the_users_normal_permissions(tmp_path):
    import os
    import stat

    from ozgkompass.fsutil import atomic_write_text

    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "neu.json", "{}")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o640)
        atomic_write_text(path, "{}")  # an existing file keeps its mode
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_header_only_2019_table_is_one_clear_problem(cli, tmp_path):
    from conftest import SHARED_2019

    if not SHARED_2019.is_dir():
        pytest.skip("OZG-Katalog 2019 nicht vorhanden")
    head = tmp_path / "ozg_leistungen.csv"
    head.write_text((SHARED_2019 / "ozg_leistungen.csv").read_text(encoding="utf-8")
                    .splitlines()[0] + "\n", encoding="utf-8")
    code, out, err = cli("catalogue", "import", str(head), str(SHARED_2019 / "leika_zu_ozg.csv"))
    assert code == 1
    assert len(err.strip().splitlines()) <= 3 and "nur die Kopfzeile" in err


def test_long_problem_lists_are_capped_per_kind(cli, tmp_path):
    lines = ["Leistungsschlüssel;Leistungsbezeichnung;Typisierung;OZG-ID;OZG-Themenfeld"]
    lines += [f"99{i:012d};X{i};2;abc;" for i in range(100)]
    path = tmp_path / "fim.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = cli("catalogue", "import", str(path))
    assert code == 1
    assert "weitere Probleme dieser Art" in err and len(err.splitlines()) < 40


def test_version_warning_is_part_of_the_result_and_strict_fails_on_it(cli, tmp_path, files):
    from pathlib import Path

    text = Path(files["ok"]).read_text(encoding="utf-8").replace('version: "1.2.0"',
                                                                  'version: "0.9.0"', 1)
    path = tmp_path / "alt.answers.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("score", str(path))
    assert code == 0 and "Hinweise" in out and "Version 0.9.0" in out
    code, out, err = cli("score", "--strict", str(path))
    assert code == 1
    code, out, err = cli("validate", "--json", str(path))
    result = json.loads(out)["files"][0]
    assert result["warnings"] == 1 and result["errors"] == 0 and result["valid"] is True


def test_shell_completion_is_offered_and_completes_commands():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "ozgkompass"
    if not script.exists():
        pytest.skip("Konsolenskript ozgkompass ist nicht installiert")
    env = {**os.environ, "_OZGKOMPASS_COMPLETE": "complete_bash",
           "COMP_WORDS": "ozgkompass catalogue s", "COMP_CWORD": "2"}
    out = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=30)
    assert out.stdout.split() == ["show", "search", "stats"]


def test_top_level_help_promises_only_what_exists(cli):
    code, out, err = cli("--help")
    assert "--install-completion" in out and "Autovervollständigung" in out
    assert "Lückenberichte erstellen" not in out
