"""No single file takes down a run (issue 28): the reader runs where its abort is contained
(pool workers, also with `--jobs 1`; a forked child for `import`), under a memory ceiling
per process (OZGKOMPASS_WORKER_MEMORY_MB), and workers end when the batch is killed."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from bad_corpus import BAD, CASES, _sheet_with  # noqa: E402
from conftest import clean_env  # noqa: E402

# within every bound of the file check (1,999,900 cells on one sheet) but about 80 MB for
# the reader: with a ceiling of 40 MB the reading process runs out of memory
RUNAWAY = b'<row r="19999"><c r="CV19999"><v>1</v></c></row>'
CEILING_MB = "40"


def _good(folder: Path, n: int) -> dict[str, float]:
    from workbooks import MASTER, choose, expected_answers, fill

    from ozgkompass.catalogue.store import resolve_catalogue
    from ozgkompass.model.maturity import get_model
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.scoring.compiled import score_answers
    from ozgkompass.sources.template import build_template

    qn = find_questionnaire("ozg-kommune")
    template = build_template(qn)
    cat, model = resolve_catalogue("kommunal"), get_model(qn.maturity_model)
    expected = {}
    for i in range(n):
        picks = choose(qn, random.Random(70 + i))
        master = {**MASTER, "name": f"Gemeinde Gut {i}", "ars": f"03151000002{i}"}
        (folder / f"gut-{i}.xlsx").write_bytes(fill(template, qn, master, picks))
        aset = expected_answers(qn, master, picks)
        expected[f"gut-{i}.xlsx"] = round(score_answers(qn, aset, model, cat).score, 1)
    return expected


def _run(*args: str) -> tuple[int, str, str]:
    """The CLI in a fresh process (a forked reader inherits no free heap of the test's
    process, so the memory ceiling means the same on every run)."""
    env = {**clean_env(), "OZGKOMPASS_WORKER_MEMORY_MB": CEILING_MB, "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "ozgkompass", *args], env=env,
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_over_every_hostile_file_scores_the_good_ones(tmp_path, jobs):
    folder = tmp_path / "eingang"
    folder.mkdir()
    hostile = [c.file for c in CASES if c.cmd == "import" and not c.large
               and not c.file.startswith(("~$", ".~lock"))]
    for name in hostile:
        shutil.copy(BAD / name, folder / name)
    (folder / "runaway.xlsx").write_bytes(_sheet_with(RUNAWAY))
    expected = _good(folder, 3)
    out = tmp_path / "aus"
    start = time.perf_counter()
    code, stdout, stderr = _run("batch", str(folder), "--out", str(out), "--jobs", jobs)
    assert time.perf_counter() - start < 120
    assert code == 1 and "Traceback" not in stdout + stderr
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    rows = {m["file"]: m for m in data["municipalities"]}
    for name, index in expected.items():
        assert rows[name]["status"] == "ok" and rows[name]["index"] == index
    for name in [*hostile, "runaway.xlsx"]:
        assert rows[name]["status"] != "ok", name
    [runaway] = [p for p in data["problems"] if p["location"]["file"] == "runaway.xlsx"]
    # a Rust panic, a MemoryError or a killed worker: whichever comes first, one located line
    assert runaway["code"] in ("unreadable", "worker-crashed"), runaway
    assert (out / "uebersicht.xlsx").stat().st_size > 0


def test_import_reads_in_a_contained_child(tmp_path):
    """The reader runs out of memory in its child: `import` reports the file with its
    German line (no abort of the command itself) and writes nothing; a good file under
    the same ceiling is imported."""
    big = tmp_path / "runaway.xlsx"
    big.write_bytes(_sheet_with(RUNAWAY))
    code, stdout, stderr = _run("import", str(big), "--out", str(tmp_path / "a.answers.yaml"))
    assert code == 1 and "Traceback" not in stdout + stderr
    text = " ".join(stderr.split())
    assert "runaway.xlsx" in text and ("Leseprozess abgebrochen" in text
                                       or "beschädigt" in text), text
    assert not (tmp_path / "a.answers.yaml").exists()
    folder = tmp_path / "gut"
    folder.mkdir()
    _good(folder, 1)
    code, _, stderr = _run("import", str(folder / "gut-0.xlsx"), "--out",
                           str(tmp_path / "b.answers.yaml"))
    assert code == 0, stderr
    assert (tmp_path / "b.answers.yaml").stat().st_size > 0


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (the pool's workers start from the fork server, a child
    of the batch)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [pid]
    while todo:
        top = todo.pop()
        kids = [p for p, parent in parents.items() if parent == top]
        found += kids
        todo += kids
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="braucht /proc (Linux)")
def test_workers_end_when_the_batch_is_killed(tmp_path):
    folder = tmp_path / "eingang"
    folder.mkdir()
    _good(folder, 1)
    for i in range(1, 400):  # enough work that the pool is still busy when it is killed
        shutil.copy(folder / "gut-0.xlsx", folder / f"kopie-{i:03d}.xlsx")
    out = tmp_path / "aus"
    proc = subprocess.Popen([sys.executable, "-m", "ozgkompass", "batch", str(folder),
                             "--out", str(out), "--jobs", "2"],
                            env=clean_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    below: list[int] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not list((out / "ergebnisse").glob("*.json")) \
                if out.exists() else time.monotonic() < deadline:
            time.sleep(0.05)
        below = _descendants(proc.pid)
        assert len(below) >= 3, "Pool nicht gestartet"  # fork server and two workers
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, as the OOM killer does
        proc.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(p) for p in below):
            time.sleep(0.1)
        assert [p for p in below if _alive(p)] == []
    finally:
        for p in below:
            if _alive(p):
                os.kill(p, signal.SIGKILL)
