"""The corpus of bad inputs (tests/data/bad/, described in its README.md): every file gets one
located German line, the documented exit code, no traceback and no output file, within 20 s
in a process limited to 1 GB of address space; a batch over the corpus mixed with good files
scores the good ones exactly as `score` does."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from bad_corpus import BAD, CASES, EXCLUDED, LARGE  # noqa: E402
from conftest import SHELL_VARIABLES  # noqa: E402

MAX_SECONDS = 20
MAX_RSS_KB = 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The committed files plus the large ones, made here (see bad_corpus.LARGE)."""
    folder = tmp_path_factory.mktemp("korpus")
    for case in CASES:
        if case.large:
            LARGE[case.file](folder / case.file)
        else:
            shutil.copy(BAD / case.file, folder / case.file)
    return folder


@pytest.fixture(scope="module")
def results(corpus, tmp_path_factory) -> dict:
    """One run of the runner over all cases; each case in its own working folder."""
    base = tmp_path_factory.mktemp("laeufe")
    cases = []
    for n, case in enumerate(CASES):
        work = base / f"{n:02d}"
        work.mkdir()
        args = [case.cmd, str(corpus / case.file)]
        if case.cmd == "import":
            args += ["--out", str(work / "antworten.answers.yaml")]
        cases.append({"file": case.file, "args": args, "work": str(work)})
    spec, out = base / "cases.json", base / "results.json"
    spec.write_text(json.dumps(cases), encoding="utf-8")
    # module-scoped: runs before conftest's clean_environment, so it cleans for itself
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OZGKOMPASS_") and k not in SHELL_VARIABLES}
    env.update(COLUMNS="200", OZGKOMPASS_DATA_DIR=str(base / "data"))
    proc = subprocess.run([sys.executable, str(Path(__file__).parent / "corpus_runner.py"),
                           str(spec), str(out)], capture_output=True, text=True, env=env,
                          cwd=base, timeout=MAX_SECONDS * len(CASES))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_corpus_is_complete_and_documented():
    committed = {p.name for p in BAD.iterdir() if p.name != "README.md"}
    named = {c.file for c in CASES}
    assert len(named) >= 40
    assert committed - set(EXCLUDED) == {c.file for c in CASES if not c.large}
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    for name in named | set(EXCLUDED):
        assert f"`{name}`" in readme, name


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_bad_file_gets_one_located_german_line(case, results):
    r = results[case.file]
    assert r["escaped"] is None, r["escaped"]
    text = r["stdout"] + r["stderr"]
    assert "Traceback" not in text and "Interner Fehler" not in text
    assert r["code"] == case.code, text
    lines = [line for line in r["stderr"].splitlines() if case.message in line]
    assert lines, r["stderr"]
    assert case.where in lines[0], lines[0]  # the same line names the place
    assert r["seconds"] < MAX_SECONDS
    # nothing written, nothing half-written; `score` and `import` print no result either
    assert r["new_files"] == []
    if case.cmd != "validate":
        assert r["stdout"] == ""


def test_whole_corpus_stays_under_one_gigabyte(results):
    assert results["_maxrss_kb"] < MAX_RSS_KB


def test_console_script_ends_without_traceback(corpus, tmp_path):
    """Outside Typer's test runner too: the installed script, a real process."""
    script = Path(sys.executable).parent / "ozgkompass"
    if not script.exists():
        pytest.skip("Konsolenskript ozgkompass ist nicht installiert")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZGKOMPASS_")}
    env["OZGKOMPASS_DATA_DIR"] = str(tmp_path / "data")
    for name, cmd in [("xxe.xlsx", "import"), ("python_tag.answers.yaml", "score"),
                      ("billion_laughs.yaml", "validate")]:
        proc = subprocess.run([str(script), cmd, str(corpus / name)], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=60)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert name in proc.stderr
    assert {p.name for p in tmp_path.iterdir()} <= {"data"}  # nothing written


def test_batch_over_corpus_scores_the_good_files(corpus, tmp_path, cli):
    from workbooks import MASTER, choose, expected_answers, fill

    from ozgkompass.catalogue.store import resolve_catalogue
    from ozgkompass.model.maturity import get_model
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.scoring.compiled import score_answers
    from ozgkompass.sources.template import build_template

    folder = tmp_path / "eingang"
    folder.mkdir()
    spreadsheets = [c.file for c in CASES if c.cmd == "import"]
    for name in spreadsheets:
        shutil.copy(corpus / name, folder / name)
    qn = find_questionnaire("ozg-kommune")
    template = build_template(qn)
    good = {}
    for n in range(2):
        picks = choose(qn, random.Random(40 + n))
        master = {**MASTER, "name": f"Gemeinde Gut {n}", "ars": f"03151000001{n}"}
        (folder / f"gut-{n}.xlsx").write_bytes(fill(template, qn, master, picks))
        good[f"gut-{n}.xlsx"] = expected_answers(qn, master, picks)
    # the same answers as CSV in the three encodings Excel and LibreOffice write
    single = next(q for q in qn.questions if q.type.value == "single_choice")
    for name, enc, sep in [("utf8.csv", "utf-8", ";"), ("utf8-bom.csv", "utf-8-sig", ","),
                           ("windows.csv", "cp1252", "\t")]:
        body = (f"frage_id{sep}antwort\nkommune.name{sep}Gemeinde Müritz-Süd\n"
                f"{single.id}{sep}{single.options[0].label.de}\n")
        (folder / name).write_bytes(body.encode(enc))
    out = tmp_path / "aus"
    code, stdout, stderr = cli("batch", str(folder), "--out", str(out), "--jobs", "2")
    assert code == 1 and "Traceback" not in stdout + stderr
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    rows = {m["file"]: m for m in data["municipalities"]}
    cat, model = resolve_catalogue("kommunal"), get_model(qn.maturity_model)
    for name, aset in good.items():
        expected = score_answers(qn, aset, model, cat)
        assert rows[name]["status"] == "ok"
        assert rows[name]["index"] == round(expected.score, 1)
        assert rows[name]["services"] == {s.ozg_id: s.level
                                          for s in expected.catalogue.services}
    for name in ("utf8.csv", "utf8-bom.csv", "windows.csv"):
        assert rows[name]["status"] == "ok" and rows[name]["name"] == "Gemeinde Müritz-Süd"
    located = {p["location"]["file"] for p in data["problems"]}
    for name in spreadsheets:
        assert name in located, name
    # the batch checks and reads each file from memory (read once, also hashed), `import`
    # from disk: both find the same defect
    messages: dict[str, list[str]] = {}
    for p in data["problems"]:
        messages.setdefault(p["location"]["file"], []).append(" ".join(p["message"].split()))
    for case in CASES:
        if case.cmd == "import" and not case.file.startswith(("~$", ".~lock")):
            assert any(case.message in m for m in messages[case.file]), (case.file,
                                                                         messages[case.file])
    failed = {m["file"] for m in data["municipalities"] if m["status"] != "ok"}
    lock_files = {"~$lock.xlsx", ".~lock.mappe.xlsx#"}  # skipped, not read
    assert failed | lock_files >= set(spreadsheets) - lock_files
