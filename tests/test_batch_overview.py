"""The batch overview is written in one streamed pass: every output holds the same
municipalities in file order, and beyond the size limit the service levels go to CSV only."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from openpyxl import load_workbook

from ozgkompass.reports.overview import REACHABLE

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))


def test_overview_outputs_agree_and_the_service_sheet_limit_holds(cli, tmp_path):
    from generate_workbooks import generate

    folder = tmp_path / "eingang"
    generate(folder, 12, variants=3)
    out = tmp_path / "aus"
    cli("batch", str(folder), "--out", str(out), "--jobs", "2", "--service-sheet-limit", "3")
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    ok = [m for m in data["municipalities"] if m["status"] == "ok"]
    files = [m["file"] for m in data["municipalities"]]
    assert files == sorted(files) and len(ok) > 3
    wb = load_workbook(out / "uebersicht.xlsx", read_only=True)
    assert "Leistungen" not in wb.sheetnames  # more municipalities than the limit
    info = [r[0] for r in wb["Info"].iter_rows(values_only=True)]
    assert any("nur in leistungen.csv (mehr als 3 Kommunen)" in line for line in info)
    sheet = list(wb["Übersicht"].iter_rows(values_only=True))
    with (out / "uebersicht.csv").open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh, delimiter=";"))
    assert [r[0] for r in sheet[1:]] == [r[0] for r in table[1:]] == [m["file"] for m in ok]
    header = list(sheet[0])
    assert header == table[0]
    for row, m in zip(sheet[1:], ok, strict=True):
        assert row[header.index("Index")] == m["index"]
        assert row[header.index(REACHABLE)] == m["share_at_target"]
        assert row[header.index("Heute online am Ziel %")] == m["share_today_at_target"]
    with (out / "leistungen.csv").open(encoding="utf-8-sig") as fh:
        services = list(csv.reader(fh, delimiter=";"))
    ids = services[0][3:]
    for row, m in zip(services[1:], ok, strict=True):
        assert row[0] == m["file"]
        assert {i: int(v) for i, v in zip(ids, row[3:], strict=True) if v} == m["services"]
    # nothing half-written is left behind
    assert not [p for p in out.rglob("*.tmp")]
    # below the limit the sheet is there, one row per scored municipality
    out2 = tmp_path / "aus2"
    cli("batch", str(folder), "--out", str(out2), "--jobs", "1")
    wb2 = load_workbook(out2 / "uebersicht.xlsx", read_only=True)
    rows = list(wb2["Leistungen"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [m["file"] for m in ok]


def test_batch_problems_fit_80_columns_and_name_every_file_whole(cli, tmp_path,
                                                                monkeypatch):
    from generate_workbooks import generate

    folder = tmp_path / "eingang-mit-einem-recht-langen-namen"
    generate(folder, 30, variants=3)
    out = tmp_path / "aus"
    monkeypatch.setenv("COLUMNS", "80")
    code, stdout, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "1")
    assert code == 1
    assert [line for line in stdout.splitlines() if len(line) > 80] == []
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    failed = [m["file"] for m in data["municipalities"] if m["status"] != "ok"]
    assert failed
    for name in failed:  # errors come first; each names its file in full
        assert f"Fehler {name}" in stdout


def test_a_file_that_kills_its_worker_is_named_and_the_others_are_scored(tmp_path,
                                                                         monkeypatch):
    """A crash inside a native library ends the worker process (no `except` sees it); the
    batch finds the file, reports it and scores every other file as an undisturbed run.
    The crash is real: the file is within every bound of the file check, but the reader
    needs about 80 MB for it and each worker may grow by 40 MB (python-calamine aborts
    when an allocation fails)."""
    import sys

    from generate_workbooks import generate

    from ozgkompass.reports.overview import write_overview
    from ozgkompass.sources.batch import BatchConfig, run_batch

    sys.path.insert(0, str(Path(__file__).parent))
    from bad_corpus import _sheet_with

    folder = tmp_path / "eingang"
    generate(folder, 40, variants=3)
    calm = run_batch(BatchConfig(folder, tmp_path / "ruhig", jobs=2))
    victim = next(r["file"] for r in calm.records[7:] if r["status"] == "ok")
    (folder / victim).write_bytes(_sheet_with(b'<row r="19999"><c r="CV19999"><v>1</v></c>'
                                              b"</row>"))
    monkeypatch.setenv("OZGKOMPASS_WORKER_MEMORY_MB", "40")
    out = tmp_path / "aus"
    result = run_batch(BatchConfig(folder, out, jobs=2))
    status = {r["file"]: r["status"] for r in result.records}
    assert status.pop(victim) == "failed"
    assert status == {r["file"]: r["status"] for r in calm.records if r["file"] != victim}
    write_overview(result, out)
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    # an abort kills the worker; a Rust panic the reader turns into an exception first
    was_ok = {r["file"] for r in calm.ok}
    crashed = [p for p in data["problems"] if p["code"] in ("worker-crashed", "unreadable")
               and p["location"]["file"] in was_ok]
    assert [p["location"]["file"] for p in crashed] == [victim]
    assert len([m for m in data["municipalities"] if m["status"] == "ok"]) == \
        len(calm.ok) - 1


def test_the_overview_written_in_two_processes_equals_the_one_written_in_one(tmp_path):
    """A large batch writes the workbook in a second process beside the tables: the
    outputs are the same as when one process writes everything."""
    from generate_workbooks import generate

    from ozgkompass.reports.overview import write_overview
    from ozgkompass.sources.batch import BatchConfig, run_batch

    folder = tmp_path / "eingang"
    generate(folder, 30, variants=3)
    result = run_batch(BatchConfig(folder, tmp_path / "aus", jobs=1))
    both = {}
    for parallel in (False, True):
        out = tmp_path / f"aus-{parallel}"  # the per-file results stay in aus/ergebnisse
        written = write_overview(result, out, parallel=parallel)
        assert [p.name for p in written] == ["uebersicht.xlsx", "uebersicht.csv",
                                             "leistungen.csv", "probleme.csv",
                                             "uebersicht.json"]
        wb = load_workbook(out / "uebersicht.xlsx", read_only=True)
        both[parallel] = ({ws.title: list(ws.iter_rows(values_only=True)) for ws in wb},
                          {p.name: p.read_bytes() for p in written[1:]})
    assert both[True] == both[False]
    sheets, tables = both[True]
    assert len(sheets["Übersicht"]) == len(result.ok) + 1
    assert len(sheets["Probleme"]) == result.problem_count + 1 > 1
    assert not list(tmp_path.rglob("*.tmp"))
