"""Benchmark: scoring per file in a batch (with the catalogue, as `ozgkompass batch`
scores), this code against a baseline measured in the same run.

Generates N realistic filled workbooks (benchmarks/generate_workbooks.py), imports each
one as a batch worker does and times only the scoring (CPU time, one process). Each
measurement runs in a fresh process, best of 3. Printed per code version:

- first file: the first file of a fresh worker (nothing remembered yet);
- per file: the mean over all files of one worker (caches warm up within the batch);
- steady: the mean over the second half of the files;
- cold: this code with nothing remembered: a new compiled run for each file.

The baseline is the code at BASELINE (the commit before the caches moved into the
compiled run, issue 21; 1870b6e, before scoring remembered results, no longer reads the
workbooks of today's questionnaire version; --baseline REF for another), unpacked with
`git archive`. Both must give the same results: the script compares a digest of every
scored file and says so.

Run: python benchmarks/score_batch.py [--files 300] [--variants 40] [--baseline REF]
(--variants N: N fillings that each file varies further; 40 as the batch benchmark)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "e77bd95"


def measure(folder: Path, cold: bool) -> dict[str, object]:
    """Runs in the child process: import every workbook, time the scoring per file as the
    batch worker of this code version scores (since issue 21 one compiled run per
    questionnaire and model, `score(compiled, answers)`; before, `score_answers` with
    caches at module level)."""
    from ozgkompass.sources import batch as b
    from ozgkompass.sources.workbook_import import import_workbook

    score_file = _scoring(b, cold)
    b._init_worker(b.BatchConfig(folder, folder / "out"))
    files = sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith("~$"))
    times, digest, answer_sets = [], hashlib.sha256(), set()
    for path in files:
        imported = import_workbook(path, b._lookup, path.name)
        if not imported.ok or imported.answers is None:
            continue
        qn, aset = imported.questionnaire, imported.answers
        answer_sets.add(repr([(a.value, a.na, a.unclear) for a in aset.answers.values()]))
        model = b._model(qn.maturity_model)
        t0 = time.process_time()
        result = score_file(qn, aset, model, imported)
        times.append(time.process_time() - t0)
        digest.update(json.dumps(result.to_dict(), default=str, sort_keys=True).encode())
    half = times[len(times) // 2:]
    return {"files": len(times), "answer_sets": len(answer_sets), "first": times[0],
            "mean": statistics.fmean(times), "steady": statistics.fmean(half),
            "digest": digest.hexdigest()}


def _scoring(b: Any, cold: bool) -> Callable[[Any, Any, Any, Any], Any]:
    """How this code version scores one file in a batch worker; `cold`: with nothing
    remembered from the files before. Since the import hands its check of the answers on
    (`ImportResult.checked`), the worker passes it to `score`; before, scoring looked the
    check up in a module-level cache."""
    if not hasattr(b, "_compiled"):  # before issue 21: caches at module level
        from ozgkompass.scoring.catalogue import score_answers

        try:
            from ozgkompass.memo import clear_all  # type: ignore[attr-defined]
        except ImportError:  # before memo.py nothing was remembered
            clear_all = None

        def remembered(qn: Any, aset: Any, model: Any, imported: Any) -> Any:
            if cold and clear_all is not None:
                clear_all()
            return score_answers(qn, aset, model, b._W["catalogue"])
        return remembered
    from ozgkompass.scoring.compiled import compile, score
    from ozgkompass.scoring.definitions import Definitions

    def compiled(qn: Any, aset: Any, model: Any, imported: Any) -> Any:
        handed = {"checked": imported.checked} if hasattr(imported, "checked") else {}
        if cold:
            return score(compile(Definitions.resolve(qn, model, b._W["catalogue"])), aset,
                         **handed)
        return score(b._compiled(qn, model), aset, **handed)
    return compiled


def run(code: Path | None, folder: Path, cold: bool = False) -> dict[str, object]:
    """Best of 3 fresh processes; `code`: a folder holding another `ozgkompass`."""
    env = None
    if code is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(code)}
    runs = []
    for _ in range(3):
        done = subprocess.run([sys.executable, __file__, "--measure", str(folder)]
                              + (["--cold"] if cold else []), env=env,
                              capture_output=True, text=True, cwd=folder)
        if done.returncode:
            sys.exit(f"Messlauf fehlgeschlagen ({code or 'jetzt'}):\n{done.stderr}")
        out = done.stdout
        runs.append(json.loads(out.splitlines()[-1]))
    best = {k: min(r[k] for r in runs) for k in ("first", "mean", "steady")}
    best["first"] = statistics.median(r["first"] for r in runs)  # one file: the median
    return {**runs[0], **best}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--variants", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.cold)))
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_workbooks import generate
    from timing import unpack

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mappen"
        generate(folder, args.files, args.seed, args.variants)
        old = run(unpack(args.baseline, Path(tmp)), folder)
        new = run(None, folder)
        cold = run(None, folder, cold=True)
    ms = 1000.0
    print(f"Bewerten je Datei, {new['files']} Mappen mit {new['answer_sets']} "
          "verschiedenen Antworten, CPU-Zeit in ms:")
    print(f"{'':22}{'erste':>9}{'je Datei':>10}{'eingeschw.':>12}")
    for name, r in ((f"vorher ({args.baseline})", old), ("jetzt", new),
                    ("jetzt, jede Datei kalt", cold)):
        print(f"{name[:22]:22}{r['first'] * ms:9.2f}{r['mean'] * ms:10.2f}"  # type: ignore[operator]
              f"{r['steady'] * ms:12.2f}")  # type: ignore[operator]
    print(f"Verhältnis vorher/jetzt: je Datei {old['mean'] / new['mean']:.1f}×, "  # type: ignore[operator]
          f"eingeschwungen {old['steady'] / new['steady']:.1f}×")  # type: ignore[operator]
    same = old["digest"] == new["digest"] == cold["digest"]
    print("Ergebnisse gleich (vorher, jetzt, kalt): " + ("ja" if same else "NEIN"))
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
