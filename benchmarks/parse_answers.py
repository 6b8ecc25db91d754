"""Benchmark: the per-file steps of `batch` after reading a workbook – turning its cells into
answers (`import_sheets`, with the check against the questionnaire) and writing the answers
file (`dump_answers`) – against the code before the speed-up, in the same run:

- parsing: `import_sheets` of ozgkompass/sources/workbook_import.py as of commit BASELINE
  (taken from git), on the same cells; the results (answers, problems, cells) must be equal;
- writing: PyYAML's dumper (its Python representer, the C emitter), as `dump_answers` wrote
  before; the text must be equal.

CPU time per file (time.process_time), best of 5 rounds. The workbooks come from
benchmarks/generate_workbooks.py (realistic answers, about 2 % defects).

Run: python benchmarks/parse_answers.py [--files 300] [--dir /tmp/parse-answers]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5
BASELINE = "1870b6eeb0278ef56e08acff9d07fdbeecaf0873"  # before this speed-up


def baseline_import() -> object:
    """The workbook import as it was at BASELINE, loaded as a module of its own."""
    source = subprocess.run(["git", "-C", str(ROOT), "show",
                             f"{BASELINE}:ozgkompass/sources/workbook_import.py"],
                            check=True, capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("baseline_workbook_import", loader=None)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    exec(compile(source, "baseline_workbook_import.py", "exec"), module.__dict__)
    return module


def baseline_dump(aset: object) -> str:
    import yaml

    from ozgkompass.sources.answers_file import HEADER, answers_to_dict

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return HEADER + yaml.dump(answers_to_dict(aset), Dumper=dumper, allow_unicode=True,
                              sort_keys=False, width=88, default_flow_style=False)


def summary(res: object) -> tuple:
    a = res.answers  # type: ignore[attr-defined]
    return ([(i.code, i.message, i.location, i.severity) for i in res.issues],  # type: ignore[attr-defined]
            None if a is None else (a.municipality, a.interview, a.questionnaire,
                                    list(a.answers.items())),
            res.cells)  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/parse-answers"))
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_workbooks import generate

    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.answers_file import dump_answers
    from ozgkompass.sources.workbook_import import _read_book, import_sheets

    files = sorted(p for p in args.dir.rglob("*.xlsx") if not p.name.startswith("~$"))
    if len(files) < args.files:
        generate(args.dir, args.files)
        files = sorted(p for p in args.dir.rglob("*.xlsx") if not p.name.startswith("~$"))
    books = []
    for path in files[:args.files]:
        try:
            books.append((path.name, _read_book(path)))
        except Exception:  # noqa: BLE001 – the defective files of the generator
            continue
    old = baseline_import()
    lookup = find_questionnaire
    qn = find_questionnaire("ozg-kommune")
    lookup(qn.id, qn.version)  # registry cache warm, as in a batch worker

    def parse(fn) -> tuple[float, list]:  # type: ignore[no-untyped-def]
        copies = [(n, {k: [list(r) for r in v] for k, v in s.items()}, m)
                  for n, (s, m) in books]  # the old import pads rows in place
        results = []
        t0 = time.process_time()
        for name, sheets, merged in copies:
            results.append(fn(sheets, merged, lookup, name))
        return time.process_time() - t0, results

    def dump(fn, answer_sets) -> tuple[float, list[str]]:  # type: ignore[no-untyped-def]
        t0 = time.process_time()
        texts = [fn(a) for a in answer_sets]
        return time.process_time() - t0, texts

    best: dict[str, float] = {}
    for _ in range(ROUNDS):
        t_old, r_old = parse(old.import_sheets)  # type: ignore[attr-defined]
        t_new, r_new = parse(import_sheets)
        sets = [r.answers for r in r_new if r.answers is not None]
        d_old, x_old = dump(baseline_dump, sets)
        d_new, x_new = dump(dump_answers, sets)
        for key, value in (("p_old", t_old), ("p_new", t_new), ("d_old", d_old),
                           ("d_new", d_new)):
            best[key] = min(best.get(key, value), value)
    same_parse = [summary(a) for a in r_old] == [summary(b) for b in r_new]
    same_text = x_old == x_new
    n, m = len(books), len(sets)
    print(f"{n} Mappen gelesen ({len(files[:args.files]) - n} unlesbar), {m} Antwortdateien")
    print(f"CPU-Zeit je Datei, beste von {ROUNDS} Runden")
    print(f"\n{'Schritt':<34}{'vorher ms':>11}{'jetzt ms':>10}{'Faktor':>9}")
    for label, o, w, k in (("Zellen → Antworten (import_sheets)", best["p_old"], best["p_new"], n),
                           ("Antwortdatei schreiben (YAML)", best["d_old"], best["d_new"], m)):
        print(f"{label:<34}{o / k * 1000:>11.3f}{w / k * 1000:>10.3f}{o / w:>8.1f}×")
    print(f"\nErgebnisse des Imports gleich: {'ja' if same_parse else 'NEIN'}; "
          f"Antwortdateien gleich: {'ja' if same_text else 'NEIN'}")
    if not (same_parse and same_text):
        sys.exit(1)


if __name__ == "__main__":
    main()
