"""Benchmark: add 10,000 batch results to the archive, then a peer query over them.

Prints absolute times and ratios against baselines measured in the same run:
- archiving vs. writing the same 10,000 answers files (the source of truth) to disk;
- the peer query vs. reading every archived row once (list of all assessments).

Run: python benchmarks/archive.py [N]   (default N = 10000)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ozgkompass.app.assess import score_file_with_answers
from ozgkompass.app.definitions import Choice
from ozgkompass.archive.db import connect, size_class
from ozgkompass.archive.store import insert_prepared, list_assessments, peer_rows, prepare
from ozgkompass.sources.answers_file import write_answers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
LAENDER = ["Niedersachsen", "Hessen", "Nordrhein-Westfalen", "Bayern"]
PREFIX = {"Niedersachsen": "03", "Hessen": "06", "Nordrhein-Westfalen": "05", "Bayern": "09"}


def batch(n: int) -> list[tuple]:
    """n scored results: the three examples (scored for real, with the catalogue) as n
    municipalities of varied Land and size, as a batch run over an IT provider's members."""
    base = [score_file_with_answers(p, Choice(catalogue="kommunal"))
            for p in sorted(EXAMPLES.glob("*.answers.yaml"))]
    rnd = random.Random(12)
    items = []
    for i in range(n):
        a, aset = base[i % len(base)]
        land = LAENDER[i % len(LAENDER)]
        m = replace(aset.municipality, name=f"Gemeinde {i:05d}", land=land,
                    ars=f"{PREFIX[land]}9990{i:06d}", population=rnd.choice(
                        [2_000, 8_000, 15_000, 30_000, 70_000, 150_000]))
        a2 = replace(a, municipality=m, score=(a.score or 0) * rnd.uniform(0.5, 1.2))
        items.append((a2, replace(aset, municipality=m)))
    return items


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    t0 = time.perf_counter()
    items = batch(n)
    print(f"{n} Ergebnisse vorbereitet in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        for i, (_, aset) in enumerate(items):
            write_answers(Path(tmp) / "antworten" / f"{i:05d}.answers.yaml", aset)
        files = time.perf_counter() - t0
        db = Path(tmp) / "archiv.sqlite"
        t0 = time.perf_counter()
        prepared = [prepare(a, aset) for a, aset in items]  # in a batch: the workers
        prepping = time.perf_counter() - t0
        t0 = time.perf_counter()
        for start in range(0, n, 500):  # the batch's one writer commits every 500 results
            insert_prepared(db, prepared[start:start + 500])
        inserting = time.perf_counter() - t0
        archived = prepping + inserting
        conn = connect(db)
        t0 = time.perf_counter()
        everything = list_assessments(conn)
        scan = time.perf_counter() - t0
        subject = items[0][0].municipality
        t0 = time.perf_counter()
        rows = peer_rows(conn, "NI", size_class(subject.population, subject.type) or "GK7",
                         "ozg-kommune", (subject.ars, subject.name), subject.type)
        peers = time.perf_counter() - t0
        size = db.stat().st_size / 1e6
    print(f"Baseline: {n} Antwortdateien schreiben       {files:7.2f} s")
    print(f"Archiv:   {n} Bewertungen ablegen           {archived:7.2f} s  "
          f"({archived / files:.2f} × Baseline; {archived / n * 1000:.2f} ms je Bewertung;"
          f" {size:.0f} MB)")
    print(f"          davon vorbereiten (im Batch parallel) {prepping:7.2f} s, "
          f"einfügen (ein Schreiber) {inserting:5.2f} s")
    print(f"Baseline: alle {len(everything)} Zeilen lesen          {scan * 1000:7.1f} ms")
    print(f"Peers:    Vergleichsgruppe ({len(rows)} Kommunen)   {peers * 1000:7.1f} ms  "
          f"({peers / scan:.2f} × Baseline)")


if __name__ == "__main__":
    main()
