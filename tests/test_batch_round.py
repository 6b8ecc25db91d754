"""A provider's round as a folder of returned files: whom each problem concerns, files
that are not workbooks, an empty folder, files removed before --resume, and a member who
delivered twice."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ozgkompass.model.registry import find_questionnaire
from ozgkompass.sources import template as T

sys.path.insert(0, str(Path(__file__).parent))
from workbooks import MASTER, choose, fill  # noqa: E402

QN = find_questionnaire("ozg-kommune")
TEMPLATE = T.build_template(QN)


def _member(n: int, **extra) -> dict:
    return {**MASTER, "name": f"Gemeinde {n}", "ars": f"0315100{n:05d}",
            "contact": f"Frau {n}, Hauptamt, gemeinde{n}@example.org", **extra}


def _write(folder: Path, name: str, master: dict, seed: int = 1, change=None) -> Path:
    data = fill(TEMPLATE, QN, master, choose(QN, random.Random(seed)))
    if change:
        wb = load_workbook(io.BytesIO(data))
        change(wb)
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    path = folder / name
    path.write_bytes(data)
    return path


def _problems_csv(out: Path) -> list[dict]:
    text = (out / "probleme.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "eingang"
    f.mkdir()
    return f


def test_every_problem_says_whom_it_concerns(folder, tmp_path, cli):
    def bad_date(wb):
        wb[T.MASTER_SHEET]["B10"] = "31.11.2026"

    _write(folder, "fragebogen (3).xlsx", _member(7), change=bad_date)
    _write(folder, "gut.xlsx", _member(8))
    out = tmp_path / "aus"
    code, _, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "1")
    assert code == 1
    [row] = [r for r in _problems_csv(out) if r["Datei"] == "fragebogen (3).xlsx"]
    # the ARS as text for German Excel (its leading zero kept), nothing else formula-like
    assert (row["Kommune"], row["ARS"]) == ("Gemeinde 7", '="031510000007"')
    assert "gemeinde7@example.org" in row["Ansprechperson"]
    assert (row["Blatt"], row["Zelle"], row["Art"]) == (T.MASTER_SHEET, "B10", "Fehler")
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    refused = next(m for m in data["municipalities"] if m["file"] == "fragebogen (3).xlsx")
    assert refused["status"] == "failed" and refused["name"] == "Gemeinde 7"
    [problem] = [p for p in data["problems"] if p["location"]["file"] == "fragebogen (3).xlsx"]
    assert problem["municipality"]["ars"] == "031510000007"


def test_a_pdf_or_zip_instead_of_a_workbook_is_an_error(folder, tmp_path, cli):
    _write(folder, "gut.xlsx", _member(1))
    (folder / "Gemeinde 2.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    (folder / "antwort.zip").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    (folder / "Thumbs.db").write_bytes(b"\0" * 10)  # left by Windows Explorer: ignored
    out = tmp_path / "aus"
    code, stdout, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "1")
    assert code == 1
    rows = {r["Datei"]: r for r in _problems_csv(out)}
    assert rows["Gemeinde 2.pdf"]["Art"] == "Fehler"
    assert "PDF-Datei" in rows["Gemeinde 2.pdf"]["Meldung"]
    assert "ZIP-Archiv" in rows["antwort.zip"]["Meldung"]
    assert "Thumbs.db" not in rows
    assert "Gemeinde 2.pdf" in stdout


def test_an_empty_folder_is_an_error(folder, tmp_path, cli):
    code, _, stderr = cli("batch", str(folder), "--out", str(tmp_path / "aus"))
    assert code == 2
    assert "keine Dateien" in stderr
    assert not (tmp_path / "aus" / "uebersicht.xlsx").exists()


def test_resume_after_a_file_was_removed_drops_its_outputs(folder, tmp_path, cli):
    _write(folder, "a.xlsx", _member(1))
    _write(folder, "b.xlsx", _member(2), seed=2)
    out = tmp_path / "aus"
    assert cli("batch", str(folder), "--out", str(out), "--jobs", "1")[0] == 0
    assert (out / "antworten" / "b.xlsx.answers.yaml").exists()
    (folder / "b.xlsx").unlink()
    assert cli("batch", str(folder), "--out", str(out), "--jobs", "1", "--resume")[0] == 0
    assert not (out / "antworten" / "b.xlsx.answers.yaml").exists()
    assert not (out / "ergebnisse" / "b.xlsx.json").exists()
    assert (out / "ergebnisse" / "a.xlsx.json").exists()
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    assert [m["file"] for m in data["municipalities"]] == ["a.xlsx"]


def test_the_newer_delivery_of_a_member_wins_and_is_archived_once(folder, tmp_path, cli):
    _write(folder, "erste.xlsx", _member(5, date="01.10.2026"), seed=1)
    _write(folder, "zweite.xlsx", _member(5, date="03.11.2026"), seed=2)
    past = time.time() - 3600  # the file dates say the other way round: the Stammdaten count
    os.utime(folder / "zweite.xlsx", (past, past))
    _write(folder, "andere.xlsx", _member(6), seed=3)
    out = tmp_path / "aus"
    archive = tmp_path / "archiv.sqlite"
    for extra in ((), ("--resume",)):
        code, stdout, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "1",
                              "--archive-file", str(archive), *extra)
        assert code == 0
        assert "1 durch eine neuere Lieferung ersetzt" in stdout
        data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
        status = {m["file"]: m["status"] for m in data["municipalities"]}
        assert status == {"andere.xlsx": "ok", "erste.xlsx": "replaced", "zweite.xlsx": "ok"}
        with sqlite3.connect(archive) as conn:
            rows = conn.execute("SELECT ars, interview_date FROM assessments "
                                "ORDER BY ars").fetchall()
        assert rows == [("031510000005", "2026-11-03"), ("031510000006", "2026-11-03")]
        ov = load_workbook(out / "uebersicht.xlsx")["Übersicht"]
        assert [r[0] for r in ov.iter_rows(min_row=2, values_only=True)] == \
            ["andere.xlsx", "zweite.xlsx"]
    replaced = [p for p in data["problems"] if p["location"]["file"] == "erste.xlsx"
                and "Ersetzt" in p["message"]]
    [replaced] = replaced
    assert "Ersetzt durch zweite.xlsx" in replaced["message"]


def test_without_a_roster_the_kreis_comes_from_the_ars_of_the_other_files(folder, tmp_path,
                                                                         cli):
    _write(folder, "a.xlsx", _member(1, kreis="LK Gifhorn"))
    _write(folder, "b.xlsx", _member(2, kreis="Landkreis  Gifhorn"), seed=2)
    _write(folder, "c.xlsx", _member(3, kreis="Kreis Sumpfland"), seed=3)
    out = tmp_path / "aus"
    assert cli("batch", str(folder), "--out", str(out), "--jobs", "1")[0] == 0
    [warning] = [p for p in _problems_csv(out) if "passt nicht" in p["Meldung"]]
    assert warning["Datei"] == "c.xlsx" and warning["Zelle"] == "B7"
    assert "Landkreis Gifhorn" in warning["Meldung"]
    ov = load_workbook(out / "uebersicht.xlsx")["Übersicht"]
    header = [c.value for c in ov[1]]
    kreise = {r[0]: r[header.index("Kreis")] for r in ov.iter_rows(min_row=2, values_only=True)}
    assert kreise == {"a.xlsx": "Landkreis Gifhorn", "b.xlsx": "Landkreis Gifhorn",
                      "c.xlsx": "Landkreis Gifhorn"}
