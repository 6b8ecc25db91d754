"""Benchmark: import the 2019 OZG catalogue (557 services) and score the example answers
against it. Prints absolute times and ratios against baselines measured in the same run:

- scoring against the catalogue vs. scoring the questionnaire alone (same answers);
- `import ozgkompass.cli` (CLI start-up) vs. a bare Python start.

Run: python benchmarks/score_catalogue.py   (needs ../shared/data/ozg-katalog-2019)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ozg-katalog-2019"
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import best  # noqa: E402


def startup(args: list[str], n: int = 5) -> float:
    runs = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
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
    from ozgkompass.memo import clear_all

    model = get_model()
    for entry in builtin_examples():
        aset = load_answer_set(entry, builtin=True)
        qn = find_questionnaire(aset.questionnaire.id)
        # one `ozgkompass score` of one file: nothing remembered from the run before (the
        # caches a batch fills would make every later run a lookup)
        base = best(lambda: (clear_all(), assess(qn, aset, model)), 7)  # noqa: B023
        a = assess(qn, aset, model)
        full = best(lambda: (clear_all(), score_catalogue(a, cat, model, qn)), 7)  # noqa: B023
        r = score_catalogue(a, cat, model, qn)
        print(f"{entry.name}: Fragebogen allein {base * 1000:.1f} ms, gegen {r.in_scope} "
              f"kommunale Leistungen {full * 1000:.1f} ms (Verhältnis {full / base:.1f}×)")
    bare = startup(["-c", "pass"])
    cli = startup(["-c", "import ozgkompass.cli"])
    helps = startup(["-m", "ozgkompass", "--help"])
    print(f"Start: python -c pass {bare * 1000:.0f} ms, import ozgkompass.cli {cli * 1000:.0f} ms "
          f"({cli / bare:.1f}×), ozgkompass --help {helps * 1000:.0f} ms ({helps / bare:.1f}×)")


if __name__ == "__main__":
    main()
