"""Work bounded before the reader allocates (issue 28): each hostile file of the corpus that
once took gigabytes or aborted the process is run alone, `import` in a process limited to
the loaded CLI's address space plus the file's allowance, and must end with its located
German line within its seconds and memory. A regression fails here instead of swapping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from bad_corpus import BAD, BOUNDED, CASES  # noqa: E402
from conftest import SHELL_VARIABLES  # noqa: E402

BY_FILE = {c.file: c for c in CASES}


@pytest.mark.parametrize("name", sorted(BOUNDED))
def test_hostile_file_is_refused_within_its_memory_and_time(name, tmp_path):
    case, (megabytes, seconds) = BY_FILE[name], BOUNDED[name]
    work = tmp_path / "lauf"
    work.mkdir()
    spec, out = tmp_path / "cases.json", tmp_path / "results.json"
    spec.write_text(json.dumps([{"file": name, "work": str(work), "args": [
        "import", str(BAD / name), "--out", str(work / "a.answers.yaml")]}]), "utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OZGKOMPASS_") and k not in SHELL_VARIABLES}
    env.update(COLUMNS="200", OZGKOMPASS_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, str(Path(__file__).parent / "corpus_runner.py"),
                           str(spec), str(out), str(megabytes)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    r = results[name]
    assert r["escaped"] is None, r["escaped"]
    assert r["code"] == case.code, r["stderr"]
    line = next(line for line in r["stderr"].splitlines() if case.message in line)
    assert case.where in line
    assert r["seconds"] < seconds, r["seconds"]
    assert results["_rss_growth_kb"] < megabytes * 1024
    assert r["new_files"] == []


# ----------------------------------------------------------------------------- property

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

_REF = st.one_of(st.none(), st.tuples(st.integers(1, 30), st.integers(1, 40)))
_CELL = st.tuples(_REF, st.sampled_from(['"', "'"]), st.booleans(), st.booleans())
_ROW = st.tuples(st.one_of(st.none(), st.integers(1, 40)), st.lists(_CELL, max_size=6))


def _sheet_xml(rows) -> bytes:  # type: ignore[no-untyped-def]
    from ozgkompass.sources.sheet_bounds import col_letter

    out = []
    for n, (row, cells) in enumerate(rows):
        attrs = f' r="{row}"' if row is not None else ""
        body = []
        for ref, quote, r_last, spaced in cells:
            eq = " = " if spaced else "="
            r = "" if ref is None else f" r{eq}{quote}{col_letter(ref[0])}{ref[1]}{quote}"
            other = ' t="n"'
            attrs_c = other + r if r_last else r + other
            body.append(f"<c{attrs_c}><v>{n}</v></c>")
        out.append(f"<row{attrs}>{''.join(body)}</row>")
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{''.join(out)}</sheetData></worksheet>").encode()


@hypothesis.given(st.lists(_ROW, max_size=8))
def test_the_counted_grid_is_the_grid_the_reader_builds(tmp_path_factory, rows):
    """Any quoting, attribute order and omitted `r`: the extent worked out from the XML is
    the size of the grid python-calamine returns, and the bound from counts alone is never
    below it."""
    import io
    import zipfile

    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from ozgkompass.sources.sheet_bounds import in_chunks, xlsx_bound, xlsx_extent

    buf = io.BytesIO()
    Workbook().save(buf)
    xml = _sheet_xml(rows)
    src, dst = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(dst, "w") as out:
        for info in src.infolist():
            out.writestr(info.filename, xml if info.filename == "xl/worksheets/sheet1.xml"
                         else src.read(info))
    wb = CalamineWorkbook.from_filelike(io.BytesIO(dst.getvalue()))
    grid = wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
    height, width = len(grid), max((len(r) for r in grid), default=0)
    counted = xlsx_extent(in_chunks(xml), "s", 10**9, 10**9)
    assert counted == (width, height)
    bound = xlsx_bound(xml)
    if bound is not None:
        assert bound[0] >= width and bound[1] >= height
