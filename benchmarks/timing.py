"""What the benchmarks share: the best of several timed runs, and the code of an earlier
revision to measure against."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def best(fn: Callable[[], Any], n: int = 5) -> float:
    """The shortest wall-clock time of `n` calls of `fn` (the one least disturbed by the
    rest of the machine)."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def unpack(ref: str, into: Path) -> Path:
    """The package and questionnaires of the code at `ref` (git archive), importable from
    `into`."""
    for part in ("ozgkompass", "questionnaires"):
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, part], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    (into / "questionnaires").rename(into / "ozgkompass" / "questionnaires")
    return into
