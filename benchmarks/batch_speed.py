"""Benchmark: `ozgkompass batch` on N generated workbooks against, in the same run,
- the floor: reading the same files with python-calamine in one process, nothing else;
- a naive baseline: a `pandas.read_excel(sheet_name=None)` loop with openpyxl (timed on a
  sample of files, as it takes a quarter of a second a file, and reported per file).
Prints files per second, ratios, and peak memory (the batch's process tree, sampled).
The floor and the batch on all cores are timed `--repeat` times, interleaved, and the best
of each is compared: a machine whose speed drifts during the run (shared hosts do) then
skews the ratio less than a single pair of runs.

`--against REV` also times `batch` (all cores, once) of an earlier revision of the project
on the same files, taken from git into a temporary worktree: before and after in one run.

Run: python benchmarks/batch_speed.py [--files 2000] [--large] [--repeat 3] [--against REV]
     (--large: 10,000 files)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_workbooks import generate  # noqa: E402


def spreadsheets(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith("~$"))


def floor(files: list[Path]) -> float:
    from python_calamine import CalamineWorkbook

    t0 = time.perf_counter()
    for path in files:
        try:
            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            wb.close()
        except Exception:
            pass  # the defective files: the batch reports them, the floor skips them
    return time.perf_counter() - t0


def naive(files: list[Path]) -> float:
    import pandas as pd

    t0 = time.perf_counter()
    for path in files:
        try:
            pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        except Exception:
            pass
    return time.perf_counter() - t0


def _tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run_batch(folder: Path, out: Path, jobs: int | None,
              code_from: Path | None = None) -> tuple[float, int, int]:
    """Time `ozgkompass batch`; `code_from`: a checkout whose package is run instead."""
    cmd = [sys.executable, "-m", "ozgkompass", "batch", str(folder), "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    env = dict(os.environ)
    if code_from is not None:  # run from there: `-m` puts the working folder first
        env["PYTHONPATH"] = str(code_from)
    peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            cwd=code_from)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    elapsed = time.perf_counter() - t0
    sampler.join()
    return elapsed, peak[0], code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--large", action="store_true", help="10,000 files")
    ap.add_argument("--naive-sample", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="runs of floor and batch (best)")
    ap.add_argument("--against", metavar="REV", help="also time batch of this git revision")
    args = ap.parse_args()
    n = 10_000 if args.large else args.files
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "eingang"
        t0 = time.perf_counter()
        defects = generate(folder, n)
        print(f"{n} Mappen erzeugt ({defects} mit Fehlern) in {time.perf_counter() - t0:.1f} s")
        files = spreadsheets(folder)
        sample = files[:: max(1, len(files) // args.naive_sample)][: args.naive_sample]
        nv = naive(sample) / len(sample) * len(files)
        results = {1: run_batch(folder, Path(tmp) / "aus-1", 1)}
        floors, runs = [], []
        for k in range(max(1, args.repeat)):
            floors.append(floor(files))
            runs.append(run_batch(folder, Path(tmp) / f"aus-alle-{k}", None))
            print(f"Runde {k + 1}: Boden {floors[-1]:.1f} s, batch {runs[-1][0]:.1f} s")
        fl = min(floors)
        best_run = min(runs)
        results[None] = (best_run[0], max(r[1] for r in runs), max(r[2] for r in runs))
        print(f"\n{'Lauf':<44}{'Zeit s':>9}{'Dateien/s':>11}{'× Boden':>9}")
        print(f"{'Boden: calamine lesen, 1 Prozess':<44}{fl:>9.1f}{len(files) / fl:>11.0f}"
              f"{1.0:>9.2f}")
        print(f"{'Naiv: pandas.read_excel + openpyxl (hochger.)':<44}{nv:>9.1f}"
              f"{len(files) / nv:>11.1f}{nv / fl:>9.2f}")
        for jobs, (elapsed, peak, code) in results.items():
            label = f"batch --jobs {jobs or os.cpu_count()} (Exit {code})"
            print(f"{label:<44}{elapsed:>9.1f}{len(files) / elapsed:>11.0f}"
                  f"{elapsed / fl:>9.2f}   Spitze {peak / 2**20:.0f} MB")
        best = min(r[0] for r in results.values())
        print(f"\nbatch (alle Kerne) gegen naiv: {nv / results[None][0]:.1f}× schneller; "
              f"bester Lauf {best / fl:.2f}× Boden")
        if args.against:
            root = Path(__file__).resolve().parents[1]
            old = Path(tmp) / "vorher"
            subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", "-q",
                            str(old), args.against], check=True)
            try:
                elapsed, peak, code = run_batch(folder, Path(tmp) / "aus-vorher", None, old)
            finally:
                subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force",
                                str(old)], check=False)
            print(f"batch --jobs {os.cpu_count()} von {args.against} (Exit {code}): "
                  f"{elapsed:.1f} s, {elapsed / fl:.2f}× Boden, Spitze {peak / 2**20:.0f} MB; "
                  f"jetzt {results[None][0] / elapsed:.2f} dieser Zeit")


if __name__ == "__main__":
    main()
