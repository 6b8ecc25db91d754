"""Runs the CLI on every file of the bad-input corpus inside one process whose address space
is limited to 1 GB (RLIMIT_AS), as a user would (Typer's runner, real files), and prints per
file: exit code, stdout, stderr, seconds, whether an exception escaped, and the files left
in the working folder. Used by tests/test_bad_corpus.py:

    python tests/corpus_runner.py CASES.json RESULTS.json [MB]

With MB, the limit is the address space of the loaded CLI plus MB (one bounded case alone,
tests/test_bounded_work.py), and `_rss_growth_kb` says how far the resident size grew.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from pathlib import Path

LIMIT = 1024 ** 3


def _address_space() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize")


def main() -> None:
    above = int(sys.argv[3]) if len(sys.argv) > 3 else None
    if above is None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    import python_calamine  # noqa: F401
    from typer.testing import CliRunner

    from ozgkompass.cli import app
    from ozgkompass.sources import workbook_import  # noqa: F401  (what `import` loads)

    if above is not None:
        limit = _address_space() + above * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    runner = CliRunner()
    results = {}
    for case in cases:
        work = Path(case["work"])
        before = sorted(p.name for p in work.iterdir())
        start = time.perf_counter()
        res = runner.invoke(app, case["args"])
        seconds = time.perf_counter() - start
        escaped = None
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            escaped = "".join(traceback.format_exception(res.exception))
        results[case["file"]] = {
            "code": res.exit_code, "stdout": res.stdout, "stderr": res.stderr,
            "seconds": seconds, "escaped": escaped,
            "new_files": sorted(set(p.name for p in work.iterdir()) - set(before)),
        }
    results["_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results["_rss_growth_kb"] = results["_maxrss_kb"] - rss_before
    Path(sys.argv[2]).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
