"""Benchmark: the Gemeindeverzeichnis at its real size (about 11,000 Gemeinden and 4,500
Gemeindeverbände), as `gemeinden import`, `validate`, `batch` and `new-answers --ars` use it.

Prints absolute times and ratios against baselines measured in the same run:
- reading the GV100AD file vs. reading its lines (the floor of any parser);
- loading the stored directory and looking one ARS up (what `validate` pays per run) vs.
  `json.loads` of the same stored file (the floor of any JSON store).

Run: python benchmarks/gemeinden.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from test_gemeinden import record  # noqa: E402  (the fixture builder from the layout)
from timing import best  # noqa: E402


def synthetic_file(folder: Path) -> Path:
    """400 Kreise with 11 Verbände of 2–3 Gemeinden each: 11,200 Gemeinden, 4,400 Verbände."""
    lines = []
    for k in range(400):
        land, kreis = f"{1 + k // 100:02d}", f"{k % 100:02d}"
        lines.append(record("40", land, "0", kreis, name=f"Kreis {k}", kind="44"))
        for v in range(11):
            lines.append(record("50", land, "0", kreis, verband=f"{v + 1:04d}",
                                name=f"Verband {k}-{v}", kind="52"))
            for g in range(2 if v % 2 else 3):
                lines.append(record("60", land, "0", kreis, f"{g + 1:03d}", f"{v + 1:04d}",
                                    f"Gemeinde {k}-{v}-{g}", "64", 1000, 2000 + g))
    path = folder / "GV100AD_synthetisch.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["OZGKOMPASS_DATA_DIR"] = str(folder / "data")
    from ozgkompass.masterdata import gv100ad

    source = synthetic_file(folder)
    directory, _ = gv100ad.read_file(source)
    stored = gv100ad.save(directory)
    print(f"{len(directory.rows)} Gebietseinheiten, GV100AD {source.stat().st_size // 1024} "
          f"KB, gespeichert {stored.stat().st_size // 1024} KB")

    floor_read = best(lambda: source.read_text(encoding="utf-8").splitlines())
    parse = best(lambda: gv100ad.read_file(source))
    print(f"GV100AD lesen:      {parse * 1000:7.1f} ms  "
          f"({parse / floor_read:5.1f}x Zeilen lesen, {floor_read * 1000:.1f} ms)")

    floor_json = best(lambda: json.loads(stored.read_text(encoding="utf-8")))

    def load_and_get() -> None:
        gv100ad._LOADED.clear()  # as a fresh process: nothing memoised
        found = gv100ad.load()
        assert found is not None and found.get("010000001001") is not None

    load = best(load_and_get)
    print(f"laden + 1 ARS:      {load * 1000:7.1f} ms  "
          f"({load / floor_json:5.2f}x json.loads, {floor_json * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
