"""Benchmark: `ozgkompass --help` (and `--version`, `score --help`) as whole processes
against a minimal Typer app with two commands, measured in the same run, interleaved.
Target (issue 21): `ozgkompass --help` at most 1.25x the minimal app's `--help`.

Run: python benchmarks/cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL = """import typer
app = typer.Typer()
@app.command()
def a(x: int = 1) -> None: pass
@app.command()
def b(y: int = 2) -> None: pass
app()
"""


def wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        tool = [sys.executable, "-m", "ozgkompass"]
        cases = {"ozgkompass --help": [*tool, "--help"],
                 "ozgkompass --version": [*tool, "--version"],
                 "ozgkompass score --help": [*tool, "score", "--help"]}
        base_cmd = [sys.executable, str(minimal), "--help"]
        times: dict[str, list[float]] = {name: [] for name in cases}
        base: list[float] = []
        for cmd in [base_cmd, *cases.values()]:  # warm the file cache
            wall(cmd)
        for _ in range(runs):
            base.append(wall(base_cmd))
            for name, cmd in cases.items():
                times[name].append(wall(cmd))
    b = statistics.median(base)
    print(f"minimal Typer app --help: {b * 1000:6.0f} ms (median of {runs})")
    for name, values in times.items():
        m = statistics.median(values)
        print(f"{name:26} {m * 1000:6.0f} ms   {m / b:4.2f}x the minimal app")
    print("target: ozgkompass --help at most 1.25x")


if __name__ == "__main__":
    main()
