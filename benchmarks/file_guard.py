"""What the checks before reading a returned workbook cost (file_guard.inspect: zip
directory, DOCTYPE in every XML part's prolog, row counts, formula scan of the sheets)
against reading it with python-calamine, for a filled template and for the 1,000,000-row
workbook of the bad corpus.

    python benchmarks/file_guard.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from timing import best  # noqa: E402


def main() -> None:
    from bad_corpus import _filled, million_rows_xlsx

    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.file_guard import inspect
    from ozgkompass.sources.workbook_import import (
        _read_book,
        _read_sheet,
        _typed_in,
        import_workbook,
    )

    def lookup(qid: str, version: str | None):  # type: ignore[no-untyped-def]
        return find_questionnaire(qid, version)

    with tempfile.TemporaryDirectory() as tmp:
        filled = Path(tmp) / "mappe.xlsx"
        data = _filled()
        filled.write_bytes(data)
        # as the batch does: from the bytes it has read and hashed, the sheets it reads
        guard = best(lambda: inspect(filled, _typed_in, all_parts=False, data=data,
                                     reads=_read_sheet), 20)
        read = best(lambda: _read_book(filled, data), 20)
        whole = best(lambda: import_workbook(filled, lookup, None, data), 20)
        print(f"ausgefüllte Vorlage: Prüfung {guard * 1e3:.2f} ms, Lesen (calamine) "
              f"{read * 1e3:.2f} ms, Verhältnis {guard / read:.2f}; ganzer Import "
              f"{whole * 1e3:.2f} ms, davon Prüfung {guard / whole:.0%}")
        big = Path(tmp) / "million.xlsx"
        million_rows_xlsx(big)
        guard = best(lambda: inspect(big), 5)
        print(f"1.000.000 Zeilen ({big.stat().st_size / 1e6:.1f} MB): abgelehnt nach "
              f"{guard * 1e3:.2f} ms: {inspect(big).problem}")


if __name__ == "__main__":
    main()
