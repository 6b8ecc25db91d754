"""Benchmark: where a batch's time per file goes, step by step, in one process, against
the read floor measured in the same run (python-calamine reading every sheet of the same
files, nothing else), and what that means for the target of `batch_speed.py`.

Each step is timed inside real `_process` calls (the batch's own code path, files
written to a temporary folder); rounds of floor and batch alternate and the best round
of each counts. The last lines show the per-file work without the file check and without
the two files a municipality gets, as a lower bound, and the total time the batch would
take on C cores if it scaled perfectly and had no start-up or overview at all.

Run: python benchmarks/batch_stages.py [--files 300] [--rounds 4] [--cores 2]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_speed import floor, spreadsheets  # noqa: E402
from generate_workbooks import generate  # noqa: E402

# (module, function, step): each is timed wherever the batch calls it
STEPS = [
    ("ozgkompass.sources.batch", "_read_and_hash", "Datei lesen + SHA-256"),
    ("ozgkompass.sources.workbook_import", "inspect", "Prüfung vor dem Lesen"),
    ("ozgkompass.sources.workbook_import", "_read_book", "python-calamine (gelesene Blätter)"),
    ("ozgkompass.sources.workbook_import", "import_sheets", "Übernehmen (mit Prüfung)"),
    ("ozgkompass.scoring.compiled", "score", "Bewerten"),
    ("ozgkompass.sources.answers_file", "dump_answers", "Antwortdatei (Text)"),
    ("ozgkompass.sources.batch", "_row", "Übersichtszeile"),
    ("ozgkompass.sources.batch", "write_derived", "zwei Dateien anlegen"),
]


def _timed(spent: dict[str, float]) -> None:
    import importlib

    for module, name, step in STEPS:
        mod = importlib.import_module(module)
        original = getattr(mod, name)

        def wrapper(*a: Any, _f: Callable[..., Any] = original, _s: str = step,
                    **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                spent[_s] = spent.get(_s, 0.0) + time.perf_counter() - t0

        setattr(mod, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--cores", type=int, default=2)
    args = ap.parse_args()

    from ozgkompass.sources import batch

    spent: dict[str, float] = {}
    _timed(spent)
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "mappen", Path(tmp) / "aus"
        generate(folder, args.files)
        files = spreadsheets(folder)
        floors, rounds = [], []
        for _ in range(args.rounds):
            floors.append(floor(files))
            shutil.rmtree(out, ignore_errors=True)
            batch._init_worker(batch.BatchConfig(folder, out))
            signal.signal(signal.SIGINT, signal.default_int_handler)
            spent.clear()
            t0 = time.perf_counter()
            for path in files:
                batch._process(path, str(path.relative_to(folder)))
            rounds.append((time.perf_counter() - t0, dict(spent)))
    n = len(files)
    base = min(floors) / n * 1000
    total, steps = min(rounds, key=lambda r: r[0])
    total_ms = total / n * 1000
    print(f"{n} Mappen, bester von {args.rounds} Durchgängen (ein Prozess)\n")
    print(f"{'Schritt':40s} {'ms/Datei':>9s} {'× Boden':>8s}")
    print(f"{'Boden: alle Blätter lesen':40s} {base:9.2f} {1:8.2f}")
    for _, _, step in STEPS:
        ms = steps.get(step, 0.0) / n * 1000
        print(f"{step:40s} {ms:9.2f} {ms / base:8.2f}")
    rest = total_ms - sum(steps.values()) / n * 1000
    print(f"{'übrige (Aufruf, Ergebnis, Verwaltung)':40s} {rest:9.2f} {rest / base:8.2f}")
    print(f"{'_process insgesamt':40s} {total_ms:9.2f} {total_ms / base:8.2f}")
    optional = (steps.get("Prüfung vor dem Lesen", 0.0) + steps.get("zwei Dateien anlegen", 0.0)
                ) / n * 1000
    bound = total_ms - optional
    print(f"\nohne Prüfung und ohne die zwei Dateien: {bound:.2f} ms = {bound / base:.2f}× Boden")
    print(f"auf {args.cores} Kernen, ideal geteilt, ohne Start und Übersicht: "
          f"{total_ms / args.cores / base:.2f}× Boden (alles), "
          f"{bound / args.cores / base:.2f}× Boden (ohne Prüfung und Dateien)")


if __name__ == "__main__":
    main()
