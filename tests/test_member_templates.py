"""A provider's round from the roster: a workbook per member (Stammdaten filled and locked,
return address and deadline in the Anleitung), the files back with mistakes, the status
per member; then a second round prefilled from the archive, where the import tells the
changed answers from the confirmed ones. And the template's own polish."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ozgkompass.model.questionnaire import QType
from ozgkompass.model.registry import find_questionnaire
from ozgkompass.sources import template as T
from ozgkompass.sources.workbook_import import import_workbook

sys.path.insert(0, str(Path(__file__).parent))
from workbooks import MASTER, choose, expected_answers, fill  # noqa: E402

QN = find_questionnaire("ozg-kommune")
KINDS = ["Gemeinde", "Stadt", "Samtgemeinde"]


def _roster(n: int) -> str:
    lines = ["ARS;Name;Art;Ansprechperson;E-Mail",
             "034560000000;Landkreis Heidmoor;Landkreis;Herr Kreis;kreis@example.org"]
    for i in range(1, n):
        lines.append(f"03456{i:07d};{KINDS[i % 3]} Ort {i};{KINDS[i % 3]};Person {i};"
                     f"ort{i}@example.org")
    return "\n".join(lines) + "\n"


def _answer(path: Path, picks: dict, target: Path, **cells) -> None:
    """What a clerk does: fill the answers (and the date) into the member's own workbook."""
    wb = load_workbook(io.BytesIO(fill(path.read_bytes(), QN, {"date": "03.11.2026"}, picks)))
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    wb.save(target)


def test_a_round_from_the_roster_and_a_second_one_prefilled(tmp_path, cli):
    n = 12
    roster = tmp_path / "mitglieder.csv"
    roster.write_text(_roster(n), encoding="utf-8")
    out_dir = tmp_path / "vorlagen"
    code, stdout, _ = cli("template", "--members", str(roster), "--out-dir", str(out_dir),
                          "--return-to", "ozg@kdo.example", "--deadline", "15.1.2027")
    assert code == 0, stdout
    files = sorted(out_dir.glob("*.xlsx"))
    assert len(files) == n and files[2].name == "034560000002-samtgemeinde-ort-2.xlsx"
    wb = load_workbook(files[2])
    ms = wb[T.MASTER_SHEET]
    assert [ms[f"B{r}"].value for r in (3, 4, 5, 6)] == [
        "Samtgemeinde Ort 2", T.TYPE_LABELS["gemeindeverband"], "034560000002", "Niedersachsen"]
    assert ms["B7"].value == "Landkreis Heidmoor"  # the Kreis from the ARS and the roster
    assert ms["B5"].protection.locked and not ms["B9"].protection.locked
    assert ms["B9"].value == "Person 2, ort2@example.org"
    guide = " ".join(str(c.value) for c in wb[T.INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "bis 15.01.2027 zurücksenden an: ozg@kdo.example" in guide

    # the members answer: one forgets the date's day, one does not answer, one sends a PDF
    back = tmp_path / "eingang"
    back.mkdir()
    picks = {}
    for i, path in enumerate(files):
        picks[i] = choose(QN, random.Random(i))
        if i == n - 1:
            continue
        if i == n - 2:
            (back / f"{path.stem}.pdf").write_bytes(b"%PDF-1.4\n")
            continue
        extra = {f"{T.MASTER_SHEET}!B10": "Oktober 2026"} if i == 3 else {}
        _answer(path, picks[i], back / path.name, **extra)
    archive = tmp_path / "archiv.sqlite"
    out = tmp_path / "runde1"
    code, stdout, _ = cli("batch", str(back), "--out", str(out), "--jobs", "2", "--members",
                          str(roster), "--archive-file", str(archive))
    assert code == 1
    assert f"Mitglieder: {n - 3} von {n} bewertet, 1 zu korrigieren, 1 ohne lesbare Mappe, " \
        "1 nicht zurückgegeben" in " ".join(stdout.split())

    # round two: prefilled from the archive; member 2 changes one answer, member 5 none
    second = tmp_path / "vorlagen2"
    code, stdout, _ = cli("template", "--members", str(roster), "--out-dir", str(second),
                          "--archive-file", str(archive))
    assert code == 0
    assert f"{n - 3} mit den Antworten der letzten Runde" in " ".join(stdout.split())
    pre = load_workbook(second / files[2].name)
    assert "nur Änderungen eintragen" in " ".join(
        str(c.value) for c in pre[T.INSTRUCTIONS_SHEET]["A"] if c.value)
    single = next(q for q in QN.questions if q.type is QType.SINGLE and q.when is None
                  and isinstance(picks[2].get(q.id), str))
    index = next(i for i, a in enumerate(QN.areas, 1) if single in a.questions)
    sheet = pre[T.sheet_title(index, QN.areas[index - 1].title.de)]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == single.id)
    labels = {c.value: c.label for c in T.choices(single)}
    assert sheet.cell(row, T.COL_ANSWER).value == labels[picks[2][single.id]]
    other = next(c.label for c in T.choices(single) if c.value != picks[2][single.id])
    back2 = tmp_path / "eingang2"
    back2.mkdir()
    changed = load_workbook(second / files[2].name)
    changed[sheet.title].cell(row, T.COL_ANSWER).value = other
    changed[T.MASTER_SHEET]["B10"] = "10.11.2027"
    changed.save(back2 / files[2].name)
    same = load_workbook(second / files[5].name)
    same[T.MASTER_SHEET]["B10"] = "12.11.2027"
    same.save(back2 / files[5].name)
    out2 = tmp_path / "runde2"
    cli("batch", str(back2), "--out", str(out2), "--jobs", "1", "--members", str(roster),
        "--archive-file", str(archive))
    results = {p.name: json.loads(p.read_text(encoding="utf-8"))
               for p in (out2 / "ergebnisse").glob("*.json")}
    r2 = results[f"{files[2].name}.json"]
    r5 = results[f"{files[5].name}.json"]
    assert r2["status"] == r5["status"] == "ok", (r2["problems"], r5["problems"])
    assert r2["prefill"]["changed"] == [single.id]
    assert r5["prefill"]["changed"] == [] and r5["prefill"]["confirmed"] > 20
    assert r2["row"]["changed"] == 1 and r5["row"]["changed"] == 0
    ov = load_workbook(out2 / "uebersicht.xlsx")["Übersicht"]
    header = [c.value for c in ov[1]]
    assert "Geänderte Antworten (vorbefüllt)" in header
    assert "Veränderung zur letzten Runde" in header


def test_the_template_reads_as_german_and_prints_whole():
    wb = load_workbook(io.BytesIO(T.build_template(QN)))
    for index, area in enumerate(QN.areas, 1):
        name = T.sheet_title(index, area.title.de)
        assert len(name) <= 31 and name in wb.sheetnames
        # whole words only: the name is the title's start, cut at a space
        words = f"{index} {area.title.de.replace('/', ' ')}".split()
        assert name.split() == words[:len(name.split())], name
        ws = wb[name]
        texts = [ws.cell(r, T.COL_TEXT).value or "" for r in range(1, ws.max_row + 1)]
        for text in texts:
            assert "answered(" not in text and "==" not in text and " in [" not in text
        (first, last), = [ws.print_area.replace("$", "").split("!")[-1].split(":")]
        assert first == "A1"
        unlocked = [c for row in ws.iter_rows() for c in row if not c.protection.locked]
        last_col = "".join(ch for ch in last if ch.isalpha())
        last_row = int("".join(ch for ch in last if ch.isdigit()))
        assert all(c.column_letter <= last_col and c.row <= last_row for c in unlocked), name
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    conditional = [q for q in QN.questions if q.when is not None]
    assert all("gewählt haben" in T.condition_text(q, QN) or "beantwortet haben"
               in T.condition_text(q, QN) for q in conditional)
    ms = wb[T.MASTER_SHEET]
    assert ms.print_area.replace("$", "").endswith(f"A1:B{T.MASTER_FIRST_ROW + 7}")
    guide = " ".join(str(c.value) for c in wb[T.INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "sortieren" in guide and "löschen" in guide


def test_a_workbook_with_the_old_cut_sheet_names_still_imports(tmp_path):
    picks = choose(QN, random.Random(3))
    wb = load_workbook(io.BytesIO(fill(T.build_template(QN), QN, {"name": "Alt"}, picks)))
    renamed = 0
    for index, area in enumerate(QN.areas, 1):
        new, old = T.sheet_title(index, area.title.de), T.legacy_sheet_title(index,
                                                                               area.title.de)
        if new != old:
            wb[new].title = old
            renamed += 1
    assert renamed >= 3
    wb.save(tmp_path / "alt.xlsx")
    res = import_workbook(tmp_path / "alt.xlsx", lambda q, v: find_questionnaire(q, v))
    assert res.ok, res.issues
    assert len(res.answers.answers) == len(picks)


def test_a_prefilled_workbook_saved_by_libreoffice_still_tells_confirmed_answers(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) fehlt")
    picks = choose(QN, random.Random(21))
    last = expected_answers(QN, MASTER, picks)
    pre = T.Prefill("Gemeinde Musterau", "031510000000", "gemeinde", "Landkreis Gifhorn",
                    answers=last, answered_on="2025-11-03")
    src = tmp_path / "mappe.xlsx"
    wb = load_workbook(io.BytesIO(T.build_template(QN, pre)))
    wb[T.MASTER_SHEET]["B10"] = "03.11.2026"
    wb.save(src)
    for fmt in ("xlsx", "ods"):
        out = tmp_path / fmt
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--headless", "--convert-to", fmt, "--outdir", str(out), str(src)],
                       check=True, capture_output=True, timeout=300)
        res = import_workbook(out / f"mappe.{fmt}", lambda q, v: find_questionnaire(q, v))
        assert res.ok, res.issues
        assert res.prefilled_from == "2025-11-03"
        assert res.changed == [] and res.confirmed == len(last.answers), fmt
