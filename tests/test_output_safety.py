"""Output safety: text from outside (answers files, returned workbooks) comes out inert and
intact in every format we write (xlsx, html, csv, json, answers files); file names derived
from it stay inside the output folder; every file gets the user's normal permissions."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent))

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# one payload a field, each a formula for a spreadsheet program and markup for a browser
PAYLOADS = {
    "name": '=HYPERLINK("http://x.test/n","<script>alert(1)</script>")',
    "kreis": "+SUM(1,1) <img src=x onerror=alert(2)>",
    "interviewer": "-2+3 {{7*7}} [bold]fett[/bold]",
    "participant": "@SUM(A1) </td><td>Spalte",
    "notes": "=1+1 <iframe src=//x.test>",
    "note": "=cmd|' /C calc'!A0 <b>Notiz</b>",
    "source": "+49 30 1234 <i>Quelle</i> & Co",
    "unclear": "-IT-Dienstleister <u>klären</u>",
    "reason": "@Begründung <s>x</s> \"zitiert\"",
    "text": '=IMPORTXML("http://x.test","//a") <svg onload=alert(3)>',
}
MARKUP = ("<script", "<img", "<iframe", "<svg onload", "<b>Notiz", "<i>Quelle", "<u>kl",
          "<s>x", "</td><td>Spalte")


def _answers_file(path: Path) -> Path:
    data = {
        "questionnaire": {"id": "ozg-kommune"},
        "municipality": {"name": PAYLOADS["name"], "kreis": PAYLOADS["kreis"],
                         "type": "gemeinde"},
        "interview": {"date": "2026-11-03", "interviewer": PAYLOADS["interviewer"],
                      "participants": [PAYLOADS["participant"]], "notes": PAYLOADS["notes"]},
        "answers": {
            "portal_type": {"value": "nichts", "note": PAYLOADS["note"],
                            "source": PAYLOADS["source"]},
            "accounts_bundid": {"unclear": PAYLOADS["unclear"]},
            "payment_platform": {"na": True, "reason": PAYLOADS["reason"]},
            "governance_plans": PAYLOADS["text"],
        },
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _xlsx_text(path: Path) -> list[str]:
    """Every text cell; fails on any formula cell (none of our workbooks needs one)."""
    texts = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _csv_cells(path: Path) -> list[str]:
    """Cells of a CSV we wrote; formula-like ones must carry OWASP's leading apostrophe."""
    cells = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            for cell in row:
                assert not cell.startswith(FORMULA_START), (path.name, cell)
                cells.append(cell[1:] if cell.startswith("'") else cell)
    return cells


def _contains(texts: list[str], payload: str) -> bool:
    return any(payload in t for t in texts)


def test_answers_file_payloads_are_inert_and_intact_in_report_and_json(cli, tmp_path):
    answers = _answers_file(tmp_path / "a.answers.yaml")
    code, out, err = cli("report", str(answers), "--format", "xlsx,html", "--out", "berichte")
    assert code == 0, err
    written = sorted((tmp_path / "berichte").iterdir())
    assert [p.suffix for p in written] == [".html", ".xlsx"]
    # the file name is derived from the name, but safely
    assert all(p.parent == tmp_path / "berichte" and "<" not in p.name for p in written)
    html_path, xlsx_path = written
    html = html_path.read_text(encoding="utf-8")
    for bad in MARKUP:
        assert bad not in html, bad
    for field in ("name", "note", "source", "unclear", "text"):
        assert str(escape(PAYLOADS[field])) in html, field
    texts = _xlsx_text(xlsx_path)
    for field in ("name", "note", "source", "unclear", "text"):  # reports omit na reasons
        assert _contains(texts, PAYLOADS[field]), field
    code, out, err = cli("score", str(answers), "--json")
    assert code == 0, err
    strings = _strings(json.loads(out))
    for field in ("name", "kreis"):
        assert PAYLOADS[field] in strings, field


def _payload_workbook(path: Path) -> None:
    from workbooks import MASTER, fill

    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources import template as T

    qn = find_questionnaire("ozg-kommune")
    master = {**MASTER, "name": PAYLOADS["name"], "kreis": PAYLOADS["kreis"],
              "contact": PAYLOADS["participant"], "land": None, "ars": None}
    wb = load_workbook(io.BytesIO(fill(T.build_template(qn), qn, master, {
        "portal_type": "nichts", "accounts_bundid": ("unclear", PAYLOADS["unclear"]),
        "payment_platform": ("na", PAYLOADS["reason"]),
        "governance_plans": PAYLOADS["text"]})))
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=T.HEADER_ROW + 1):
            if row[T.COL_ID - 1].value == "portal_type":
                row[T.COL_NOTE - 1].value = PAYLOADS["note"]
                row[T.COL_SOURCE - 1].value = PAYLOADS["source"]
    for ws in wb.worksheets:  # typed as text, as a user can (Excel would store a formula)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in PAYLOADS.values():
                    cell.data_type = "s"
    wb.save(path)


def test_workbook_payloads_are_inert_and_intact_in_import_and_batch(cli, tmp_path):
    from ozgkompass.model.registry import load_answer_set
    from ozgkompass.sources.answers_file import answers_to_dict

    folder = tmp_path / "eingang"
    folder.mkdir()
    _payload_workbook(folder / "mappe.xlsx")
    code, out, err = cli("import", str(folder / "mappe.xlsx"), "--out", "mappe.answers.yaml")
    assert code == 0, err
    imported = _strings(answers_to_dict(load_answer_set(tmp_path / "mappe.answers.yaml")))
    for field in ("name", "kreis", "participant", "note", "source", "unclear", "reason",
                  "text"):
        assert PAYLOADS[field] in imported, field
    out_dir = tmp_path / "aus"
    code, out, err = cli("batch", str(folder), "--out", str(out_dir), "--jobs", "1")
    assert code == 0, out + err
    overview = ("name", "kreis", "participant")
    texts = _xlsx_text(out_dir / "uebersicht.xlsx")
    cells = _csv_cells(out_dir / "uebersicht.csv") + _csv_cells(out_dir / "leistungen.csv")
    _csv_cells(out_dir / "probleme.csv")
    data = _strings(json.loads((out_dir / "uebersicht.json").read_text(encoding="utf-8")))
    for field in overview:
        assert PAYLOADS[field] in texts, field
        assert PAYLOADS[field] in cells, field
        assert PAYLOADS[field] in data, field
    batch_answers = out_dir / "antworten" / "mappe.xlsx.answers.yaml"
    assert PAYLOADS["note"] in _strings(answers_to_dict(load_answer_set(batch_answers)))


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("Musterau", "Musterau"), ("", ""), (12, 12),
])
def test_csv_cells_are_escaped_as_owasp_recommends(text, expected):
    from ozgkompass.reports.cells import safe_text

    assert safe_text(text) == expected


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "..", "/", "C:\\Windows\\system32", "CON", "con.txt", "NUL", "Lpt1",
    "a/b\\c", "\u202egnp.exe", "x" * 400, "", "   ", "ÄÖÜ ß", "Stadt\x00Nord", "COM1 ",
])
def test_report_file_names_stay_in_the_folder(name):
    from ozgkompass.reports.naming import RESERVED, report_stem

    stem = report_stem(name)
    assert stem and len(stem) <= 80
    assert "/" not in stem and "\\" not in stem and ".." not in stem and "\0" not in stem
    assert stem.split(".")[0].lower() not in RESERVED
    assert (Path("/out") / f"{stem}.html").resolve().parent == Path("/out")


def test_every_written_file_gets_the_users_normal_permissions(cli, tmp_path):
    """umask 022: 0644 for every file, whichever command wrote it (imported catalogues once
    came out 0600 from the temporary file)."""
    from conftest import SHARED_2019

    old = os.umask(0o022)
    try:
        answers = _answers_file(tmp_path / "a.answers.yaml")
        folder = tmp_path / "eingang"
        folder.mkdir()
        _payload_workbook(folder / "mappe.xlsx")
        assert cli("template", "--out", "vorlage.xlsx")[0] == 0
        assert cli("import", str(folder / "mappe.xlsx"), "--out", "m.answers.yaml")[0] == 0
        assert cli("report", str(answers), "--out", "berichte")[0] == 0
        assert cli("batch", str(folder), "--out", "aus", "--jobs", "1")[0] == 0
        assert cli("archive", "add", str(answers), "--archive", "archiv.sqlite")[0] == 0
        assert cli("archive", "export", "export", "--archive", "archiv.sqlite")[0] == 0
        assert cli("archive", "rebuild", "export", "--archive", "neu.sqlite")[0] == 0
        if SHARED_2019.exists():
            code, out, err = cli("catalogue", "import", str(SHARED_2019 / "ozg_leistungen.csv"),
                                 str(SHARED_2019 / "leika_zu_ozg.csv"))
            assert code == 0, err
    finally:
        os.umask(old)
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode)
             for p in tmp_path.rglob("*") if p.is_file() and p.parent != folder
             and p != answers}
    assert len(modes) >= 10, modes
    assert {k: oct(v) for k, v in modes.items() if v != 0o644} == {}


def test_interrupted_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    """Ctrl-C (or a full disk) in the middle of writing: the old report stays as it was."""
    from ozgkompass import fsutil

    target = tmp_path / "bericht.html"
    target.write_text("alt", encoding="utf-8")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsutil.atomic_write_bytes(target, b"neu" * 100_000)
    assert target.read_text(encoding="utf-8") == "alt"
    assert list(tmp_path.iterdir()) == [target]


def test_chart_labels_from_a_questionnaire_are_escaped(cli, tmp_path):
    """Area titles become the labels of the SVG bar charts: escaped there too."""
    evil = "<script>alert(4)</script> & =1+1"
    q = tmp_path / "q.yaml"
    q.write_text(yaml.safe_dump({"id": "testq", "version": "1", "title": "T", "areas": [
        {"id": "a", "title": evil, "questions": [
            {"id": "yn", "type": "yes_no", "text": "Portal?"}]}]}, allow_unicode=True),
        encoding="utf-8")
    a = tmp_path / "a.answers.yaml"
    a.write_text("questionnaire: {id: testq}\nmunicipality: {name: Nord}\nanswers: {yn: ja}\n",
                 encoding="utf-8")
    code, out, err = cli("report", str(a), "--questionnaire", str(q), "--format", "html",
                         "--out", "r")
    assert code == 0, err
    html = (tmp_path / "r" / "nord.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "<script" not in html and "&lt;script&gt;alert(4)&lt;/script&gt;" in svg


def test_catalogue_workbook_with_external_entity_is_refused(cli, tmp_path):
    """Catalogue tables are read with openpyxl (defusedxml installed): an XML entity that
    points at a local file never reaches the catalogue."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["OZG-ID", "Leistung"])
    wb.active.append(["10001", "Secret"])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    evil = tmp_path / "katalog.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(evil, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]>' + data.split(b"?>", 1)[-1])
            out.writestr(info, data)
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
    code, out, err = cli("catalogue", "import", str(evil), "--id", "boese")
    assert code in (1, 2) and "DOCTYPE" in err and "katalog.xlsx" in err
    assert "root:" not in out + err


def test_batch_does_not_overwrite_an_earlier_run_unasked(cli, tmp_path):
    folder = tmp_path / "eingang"
    folder.mkdir()
    _payload_workbook(folder / "mappe.xlsx")
    out = tmp_path / "aus"
    assert cli("batch", str(folder), "--out", str(out), "--jobs", "1")[0] == 0
    before = (out / "uebersicht.json").read_bytes()
    code, _, err = cli("batch", str(folder), "--out", str(out), "--jobs", "1")
    assert code == 2 and "früheren Laufs" in err and "--force" in err
    assert (out / "uebersicht.json").read_bytes() == before
    assert cli("batch", str(folder), "--out", str(out), "--jobs", "1", "--resume")[0] == 0
    assert cli("batch", str(folder), "--out", str(out), "--jobs", "1", "--force")[0] == 0


@pytest.mark.parametrize("moment", ["loaded", "first-file"])
def test_ctrl_c_while_reports_are_written_leaves_no_half_file(tmp_path, moment):
    """A real Ctrl-C during `report` (once loaded, as soon as the first file is being
    written): exit 130 with one German line (or 0 when it had finished), and in the
    folder only complete reports, never a temporary or half-written file. (Start-up is
    covered by test_first_hour; before the interpreter runs our code a signal is its own.)"""
    import signal
    import subprocess
    import time

    from test_first_hour import _run_module, _wait_until_loading

    answers = _answers_file(tmp_path / "a.answers.yaml")
    out = tmp_path / "berichte"
    proc = _run_module("report", str(answers), "--format", "xlsx,html", "--out", str(out),
                       cwd=tmp_path, env={**os.environ, "OZGKOMPASS_DATA_DIR": str(tmp_path)})
    _wait_until_loading(proc.pid)
    if moment == "first-file":  # the folder appears with the first temporary file
        deadline = time.monotonic() + 30
        while not out.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    text = err.decode()
    assert "Traceback" not in text
    assert proc.returncode == 0 or (proc.returncode == 130 and text.strip() == "Abgebrochen.")
    written = sorted(out.iterdir()) if out.exists() else []
    assert [p.name for p in written if p.name.startswith(".")] == [], (proc.returncode, text)
    for path in written:
        if path.suffix == ".html":
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
        else:
            _xlsx_text(path)  # opens: complete


def _interrupted_runs(runs: int, delay: Callable[[], float], work: Callable[[int], Any],
                      after: Callable[[], Any] | None = None) -> int:
    """Run `work(n)` `runs` times, each with a timer that raises KeyboardInterrupt (as
    Ctrl-C does) after `delay()` seconds; `after()` once each run is over. The number of
    runs the timer interrupted."""
    import signal

    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    interrupted = 0
    try:
        for n in range(runs):
            try:
                signal.setitimer(signal.ITIMER_REAL, delay())
                work(n)
            except KeyboardInterrupt:
                interrupted += 1
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if after is not None:
                after()
    finally:
        signal.signal(signal.SIGALRM, previous)
    return interrupted


@pytest.mark.parametrize("writer", ["atomic_write_bytes", "write_derived"])
def test_interrupt_at_any_moment_of_a_write_leaves_no_temporary_file(tmp_path, writer):
    """KeyboardInterrupt raised by a timer at random moments of many writes (with mkstemp,
    about one write in a hundred left its temporary file behind): never a leftover, and the
    target always holds one complete version. Also for the lean writer of a batch's
    per-file outputs."""
    import random
    import time

    from ozgkompass import fsutil

    write = getattr(fsutil, writer)

    target = tmp_path / "bericht.xlsx"
    versions = {bytes([65 + n % 26]) * 200_000 for n in range(26)}
    rng = random.Random(13)

    def work(n: int) -> None:
        write(target, bytes([65 + n % 26]) * 200_000)
        time.sleep(0.003)

    interrupted = _interrupted_runs(400, lambda: rng.random() * 0.002, work)
    assert interrupted > 300
    assert [p.name for p in tmp_path.iterdir()] == ["bericht.xlsx"]
    assert target.read_bytes() in versions


def test_lean_batch_writer_creates_folders_replaces_and_reports_failures(tmp_path):
    """The batch's writer for its thousands of small files: the folder is created when
    missing, an existing file is replaced whole with the normal mode of a new file, and a
    failure is a German message naming the file, with no temporary file left behind."""
    from ozgkompass.errors import UserError
    from ozgkompass.fsutil import write_derived

    old = os.umask(0o022)
    try:
        target = tmp_path / "aus" / "kreis-01" / "gemeinde.json"
        write_derived(target, b'{"a": 1}')
        target.chmod(0o600)
        write_derived(target, "{\"ä\": 2}".encode())
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == '{"ä": 2}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    blocker = tmp_path / "aus" / "ordner.json"
    blocker.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(UserError) as err:
        write_derived(blocker, b"{}")
    assert "ordner.json: kann nicht geschrieben werden" in str(err.value)
    assert sorted(p.name for p in (tmp_path / "aus").iterdir()) == ["kreis-01", "ordner.json"]
    assert [p.name for p in target.parent.iterdir()] == ["gemeinde.json"]


def test_interrupted_workbook_save_is_finished_into_the_removed_temporary_file(tmp_path):
    """Ctrl-C (or SIGTERM, which the CLI turns into it) at random moments of an XlsxWriter
    save inside `atomic_open`, as the batch overview is written: the half-saved zip archive
    must not finish itself later on the closed handle ("Exception ignored … seek of closed
    file" on stderr after "Abgebrochen."), and no temporary file is left."""
    import gc
    import random
    import sys

    import xlsxwriter

    from ozgkompass.fsutil import atomic_open

    def write(target: Path) -> None:
        with atomic_open(target, "wb") as fh:
            book = xlsxwriter.Workbook(fh, {"constant_memory": True})
            sheet = book.add_worksheet("Übersicht")
            for row in range(300):
                sheet.write_row(row, 0, [f"Gemeinde {row}", row, row / 7])
            book.close()

    unraisable: list[str] = []
    hook = sys.unraisablehook
    # the timer may also land in an unrelated finaliser the garbage collector runs (Python
    # reports that KeyboardInterrupt as unraisable); the bug is the archive failing on the
    # closed handle (ValueError: seek of closed file)
    sys.unraisablehook = lambda u: None if u.exc_type is KeyboardInterrupt else \
        unraisable.append(f"{u.exc_type.__name__}: {u.exc_value}")
    rng = random.Random(7)
    try:
        interrupted = _interrupted_runs(60, lambda: rng.uniform(0.001, 0.03),
                                        lambda _: write(tmp_path / "uebersicht.xlsx"),
                                        after=gc.collect)
    finally:
        sys.unraisablehook = hook
    assert interrupted > 10
    assert unraisable == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
