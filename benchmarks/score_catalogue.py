"""Benchmark: import the 2019 OZG catalogue (557 services) and score the example answers
against it. Prints absolute times and ratios against baselines measured in the same run:

- scoring against the catalogue vs. scoring the questionnaire alone (same answers);
- `import ozgkompass.cli` (CLI start-up) vs. a bare Python start;
- the whole command `ozgkompass score <answers> -c ozg2019` (the catalogue imported into a
  temporary data folder; target under 0.3 s) vs. `ozgkompass --version` and a bare Python
  start, and with --baseline REF the same command of the code at REF (unpacked with
  `git archive`), the runs taken in turn so a drifting machine moves both alike.

Run: python benchmarks/score_catalogue.py [--baseline REF] [--runs 10]
(needs ../shared/data/ozg-katalog-2019)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ozg-katalog-2019"
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import best, unpack  # noqa: E402


def startup(args: list[str], n: int = 5) -> float:
    runs = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def whole_command(catalogue_files: list[Path], runs: int, baseline: str | None) -> None:
    """`ozgkompass score` of one municipality against the 2019 catalogue as a whole process,
    next to yardsticks started in the same loop (median of `runs` each)."""
    answers = ROOT / "questionnaires" / "examples" / "gemeinde-lindenau.answers.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "OZGKOMPASS_DATA_DIR": str(Path(tmp) / "daten")}
        subprocess.run([sys.executable, "-m", "ozgkompass", "catalogue", "import",
                        *map(str, catalogue_files), "--id", "ozg2019"], check=True,
                       capture_output=True, env=env, cwd=ROOT)
        score = ["-m", "ozgkompass", "score", str(answers), "-c", "ozg2019"]
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": (["-c", "pass"], env),
            "ozgkompass --version": (["-m", "ozgkompass", "--version"], env),
            "ozgkompass score -c ozg2019": (score, env)}
        if baseline is not None:
            old = Path(tmp) / "vorher"
            old.mkdir()
            unpack(baseline, old)
            commands[f"vorher ({baseline}): score"] = (
                score, {**env, "PYTHONPATH": str(old)})
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs + 1):  # the first round warms the file cache, not counted
            for name, (args, run_env) in commands.items():
                t0 = time.perf_counter()
                subprocess.run([sys.executable, *args], check=True, capture_output=True,
                               env=run_env, cwd=tmp)
                times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(t[1:]) for name, t in times.items()}
    bare, version = med["python -c pass"], med["ozgkompass --version"]
    print(f"Ganzer Befehl (Median aus {runs}, im selben Lauf abwechselnd):")
    for name, m in med.items():
        print(f"  {name:34}{m * 1000:7.0f} ms  ({m / bare:.1f}× python -c pass, "
              f"{m / version:.2f}× ozgkompass --version)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", help="the same whole command of the code at REF")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    from ozgkompass.catalogue.importer import import_catalogue
    from ozgkompass.model.catalogue import load_catalogue, save_catalogue
    from ozgkompass.model.maturity import get_model
    from ozgkompass.model.registry import builtin_examples, find_questionnaire, load_answer_set
    from ozgkompass.scoring.assessment import assess
    from ozgkompass.scoring.catalogue import score_catalogue

    if not DATA.is_dir():
        sys.exit(f"Testdaten fehlen: {DATA}")
    files = sorted(DATA.glob("*.csv"))
    t0 = time.perf_counter()
    result = import_catalogue(files, catalogue_id="ozg2019", version="2019-12", title=None)
    t_import = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = save_catalogue(result.catalogue, Path(tmp) / "ozg2019.json")
        t_load = best(lambda: load_catalogue(path), 5)
        cat = load_catalogue(path)
    print(f"Import 2019 (2 CSV, {result.rows_read} Zeilen): {t_import * 1000:.0f} ms; "
          f"Laden des JSON-Katalogs ({len(cat.services)} Leistungen): {t_load * 1000:.0f} ms")
    model = get_model()
    for entry in builtin_examples():
        aset = load_answer_set(entry, builtin=True)
        qn = find_questionnaire(aset.questionnaire.id)
        # one `ozgkompass score` of one file: nothing remembered from the run before (called
        # without a compiled run's memory, each call starts empty, as a new command does)
        base = best(lambda: assess(qn, aset, model), 7)  # noqa: B023
        a = assess(qn, aset, model)
        full = best(lambda: score_catalogue(a, cat, model, qn), 7)  # noqa: B023
        r = score_catalogue(a, cat, model, qn)
        print(f"{entry.name}: Fragebogen allein {base * 1000:.1f} ms, gegen {r.in_scope} "
              f"kommunale Leistungen {full * 1000:.1f} ms (Verhältnis {full / base:.1f}×)")
    bare = startup(["-c", "pass"])
    cli = startup(["-c", "import ozgkompass.cli"])
    helps = startup(["-m", "ozgkompass", "--help"])
    print(f"Start: python -c pass {bare * 1000:.0f} ms, import ozgkompass.cli {cli * 1000:.0f} ms "
          f"({cli / bare:.1f}×), ozgkompass --help {helps * 1000:.0f} ms ({helps / bare:.1f}×)")
    whole_command(files, args.runs, args.baseline)


if __name__ == "__main__":
    main()
