"""Inputs a second hostile probe found (issue 28): file names that are not UTF-8, an output
folder that is the input folder, an answers file too large for the other commands,
populations the archive cannot store or written with other digits, formulas from
questionnaire text in the template."""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from pathlib import Path

from workbooks import MASTER, choose, fill

from ozgkompass.model.registry import find_questionnaire
from ozgkompass.sources import template as T


def _filled(master=None) -> bytes:  # type: ignore[no-untyped-def]
    qn = find_questionnaire("ozg-kommune")
    return fill(T.build_template(qn), qn, master or MASTER, choose(qn, random.Random(5)))


def test_a_file_name_that_is_not_utf8_is_scored_and_shown(cli, tmp_path):
    folder = tmp_path / "eingang"
    folder.mkdir()
    name = os.fsdecode(b"Gem\xe4nde Nord.xlsx")  # Latin-1 ä, as unzipped from Windows
    (folder / name).write_bytes(_filled())
    out = tmp_path / "aus"
    code, stdout, stderr = cli("batch", str(folder), "--out", str(out), "--jobs", "1")
    assert code == 0, stderr
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    [row] = data["municipalities"]
    assert row["file"] == "Gem\ufffdnde Nord.xlsx" and row["status"] == "ok"
    assert "1 von 1 Dateien bewertet" in stdout


def test_the_output_folder_cannot_be_the_input_folder(cli, tmp_path):
    folder = tmp_path / "eingang"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(_filled())
    code, _, stderr = cli("batch", str(folder), "--out", str(folder))
    assert code == 2 and "Ergebnisordner ist der Ordner der Mappen" in " ".join(stderr.split())
    assert sorted(p.name for p in folder.iterdir()) == ["a.xlsx"]


def test_import_refuses_an_answers_file_the_other_commands_cannot_read(cli, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(_filled()))
    rng = random.Random(1)
    for ws in wb.worksheets:
        if ws.title[:1].isdigit():
            for row in range(T.HEADER_ROW + 1, ws.max_row + 1):
                if ws.cell(row, T.COL_ID).value:  # a cell holds at most 32,767 characters
                    for col in (T.COL_NOTE, T.COL_SOURCE):
                        ws.cell(row, col, "".join(rng.choices("äöüß ", k=32_000)))
    book = tmp_path / "lang.xlsx"
    wb.save(book)
    target = tmp_path / "lang.answers.yaml"
    code, _, stderr = cli("import", str(book), "--out", str(target))
    text = " ".join(stderr.split())
    assert code == 2 and "mehr als die 5 MB" in text and "kürzen" in text, text
    assert not target.exists()


def test_a_population_beyond_any_municipality_is_refused_at_its_line(cli, tmp_path):
    for pop in (10**24, 2**63):
        answers = tmp_path / "a.answers.yaml"
        answers.write_text("questionnaire: {id: ozg-kommune}\nmunicipality:\n  name: X\n"
                           f"  population: {pop}\nanswers: {{}}\n", encoding="utf-8")
        code, _, stderr = cli("score", str(answers))
        assert code == 1 and "a.answers.yaml:4:" in stderr, stderr
        assert "größer als die jeder Kommune" in stderr
        code, _, stderr = cli("archive", "add", str(answers))
        assert code == 1 and "Interner Fehler" not in stderr


def test_digits_other_than_0_to_9_get_a_german_line(cli, tmp_path):
    for text in ("²", "٣٤٥"):
        book = tmp_path / "zahl.xlsx"
        book.write_bytes(_filled({**MASTER, "population": text}))
        code, _, stderr = cli("import", str(book), "--out", str(tmp_path / "z.answers.yaml"),
                              "--force")
        flat = " ".join(stderr.split())
        assert code == 1 and "keine Ziffern 0–9" in flat and "Zelle B" in flat, flat
        csv = tmp_path / "zahl.csv"
        csv.write_text(f"frage_id;antwort\nkommune.name;X\nkommune.population;{text}\n",
                       encoding="utf-8")
        code, _, stderr = cli("import", str(csv), "--out", str(tmp_path / "c.answers.yaml"),
                              "--force")
        assert code == 1 and "keine Ziffern 0–9" in " ".join(stderr.split()), stderr
    book = tmp_path / "gross.xlsx"
    book.write_bytes(_filled({**MASTER, "population": 10**12}))
    code, _, stderr = cli("import", str(book), "--out", str(tmp_path / "g.answers.yaml"))
    assert code == 1 and "größer als die jeder Kommune" in " ".join(stderr.split())


def test_template_cells_from_questionnaire_text_are_text(tmp_path):
    from openpyxl import load_workbook

    qn_file = tmp_path / "q.yaml"
    qn_file.write_text("""
id: formel
version: "1"
title: '=HYPERLINK("http://example.invalid","Titel")'
areas:
  - id: a
    title: "=1+1"
    description: "=cmd|' /C calc'!A0"
    questions:
      - id: yn
        type: single_choice
        text: "=cmd|' /C calc'!A0"
        help: "@SUM(1+1)"
        options:
          - {value: x, label: '=HYPERLINK("http://example.invalid","ja")', score: 1}
          - {value: y, label: "+1", score: 0}
""", encoding="utf-8")
    from ozgkompass.model.registry import find_questionnaire as find

    qn = find("formel", None, tmp_path)
    data = T.build_template(qn)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
    wb = load_workbook(io.BytesIO(data))
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)}
    assert "=cmd|' /C calc'!A0" in texts
    assert any(t.startswith("=HYPERLINK(") for t in texts)
    Path(tmp_path / "v.xlsx").write_bytes(data)


def _batch_folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "eingang"
    folder.mkdir()
    data = _filled()
    for i in range(n):
        (folder / f"k{i:03d}.xlsx").write_bytes(data)
    return folder


def test_sigterm_at_any_moment_ends_with_130_and_no_temporary_file(tmp_path):
    """SIGTERM at random moments of a real batch (reading, scoring, writing the overview):
    either it had finished (0 or 1: the same ARS in every file) or it ends with 130 and
    the resume hint; never 143, never a temporary file."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import clean_env

    folder = _batch_folder(tmp_path, 60)

    def start(out: Path) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "ozgkompass", "batch", str(folder),
                                 "--out", str(out), "--jobs", "2"], env=clean_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    began = time.monotonic()
    start(tmp_path / "ganz").communicate(timeout=300)
    whole = time.monotonic() - began  # on this machine now; the moments are shares of it
    rng = random.Random(28)
    seen = []
    for n in range(6):
        out = tmp_path / f"aus{n}"
        proc = start(out)
        time.sleep(whole * rng.uniform(0.3, 0.98))
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode in (0, 1, 130), (proc.returncode, stderr)
        seen.append(proc.returncode)
        if proc.returncode == 130:  # before any result (still starting) nothing to resume
            assert "Abgebrochen" in stderr and "Traceback" not in stderr, stderr
            if list(out.rglob("*.json")):
                assert "--resume" in stderr, stderr
        assert list(out.rglob("*.tmp")) == [] if out.exists() else True
    assert 130 in seen, (whole, seen)


def test_resume_removes_temporary_files_of_killed_runs(cli, tmp_path):
    import time

    folder = _batch_folder(tmp_path, 2)
    out = tmp_path / "aus"
    code, _, stderr = cli("batch", str(folder), "--out", str(out))
    assert code in (0, 1), stderr
    stale = [out / "ergebnisse" / ".k000.xlsx.json.1234-5.tmp",
             out / "antworten" / ".k001.xlsx.answers.yaml.1234-6.tmp",
             out / ".uebersicht.xlsx.abcdef.tmp"]
    young = out / "ergebnisse" / ".k001.xlsx.json.999-1.tmp"  # a second run writing now
    for path in [*stale, young]:
        path.write_bytes(b"halb")
    old = time.time() - 3600
    for path in stale:
        os.utime(path, (old, old))
    code, _, stderr = cli("batch", str(folder), "--out", str(out), "--resume")
    assert code in (0, 1), stderr
    assert [p for p in stale if p.exists()] == [] and young.exists()


def test_report_names_that_collide_in_one_call_are_refused_before_writing(cli, tmp_path):
    files = []
    for n, name in enumerate(("Stadt Köln", "Stadt Koeln")):
        path = tmp_path / f"{n}.answers.yaml"
        path.write_text("questionnaire: {id: ozg-kommune}\nmunicipality: {name: "
                        f"{name}}}\nanswers: {{}}\n", encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "berichte"
    code, _, stderr = cli("report", *files, "--out", str(out), "--format", "html", "--force")
    text = " ".join(stderr.split())
    assert code == 2 and "ergäben denselben Bericht" in text and "stadt-koeln" in text, text
    assert not out.exists() or list(out.iterdir()) == []


def test_line_numbers_count_line_breaks_as_editors_do(cli, tmp_path):
    """YAML also breaks lines at NEL, LS and PS; editors show them inside the line. A
    comment holding one must not shift the reported line (the tab is on line 7)."""
    for brk in ("\x85", "\u2028", "\u2029", ""):
        path = tmp_path / "q.yaml"
        path.write_text(f"# Ende{brk}\nid: test\nversion: '1'\ntitle: Test\nareas:\n"
                        "  - id: a\n\ttitle: A\n", encoding="utf-8")
        code, _, stderr = cli("validate", str(path))
        assert code == 1 and "q.yaml:7:1" in stderr and "Tabulator" in stderr, (brk, stderr)


def test_number_answers_with_other_digits_are_not_taken_silently(cli, tmp_path):
    qn = find_questionnaire("ozg-kommune")
    number = next(q for q in qn.questions if q.type.value == "number")
    for text in ("٣٤", "３", "²"):
        csv = tmp_path / "zahl.csv"
        csv.write_text(f"frage_id;antwort\nkommune.name;X\n{number.id};{text}\n",
                       encoding="utf-8")
        code, _, stderr = cli("import", str(csv), "--out", str(tmp_path / "c.answers.yaml"),
                              "--force")
        flat = " ".join(stderr.split())
        assert code == 1 and "Ziffern 0–9" in flat and "Zeile 3" in flat, flat
        assert not (tmp_path / "c.answers.yaml").exists()
