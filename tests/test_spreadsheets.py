"""Spreadsheet round trip: template → filled workbook → answers, and batch scoring."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ozgkompass.catalogue.store import resolve_catalogue
from ozgkompass.model.maturity import get_model
from ozgkompass.model.registry import find_questionnaire
from ozgkompass.scoring.assessment import assess
from ozgkompass.scoring.catalogue import score_catalogue
from ozgkompass.sources import template as T
from ozgkompass.sources.answers_file import answers_to_dict
from ozgkompass.sources.workbook_import import import_workbook

sys.path.insert(0, str(Path(__file__).parent))
from workbooks import MASTER, choose, expected_answers, fill  # noqa: E402


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("OZGKOMPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("OZGKOMPASS_QUESTIONNAIRES", raising=False)


@pytest.fixture(scope="module")
def qn():
    return find_questionnaire("ozg-kommune")


@pytest.fixture(scope="module")
def template_bytes(qn):
    return T.build_template(qn)


def lookup(qid, version):
    return find_questionnaire(qid, version)


def imported_dict(path: Path) -> dict:
    res = import_workbook(path, lookup)
    assert res.answers is not None, [str(i) for i in res.issues]
    assert [i for i in res.issues if i.severity == "error"] == []
    return answers_to_dict(res.answers)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_filled_with_openpyxl_imports_to_the_same_answers(qn, template_bytes, tmp_path, seed):
    picks = choose(qn, random.Random(seed), share_open=0.1)
    path = tmp_path / "filled.xlsx"
    path.write_bytes(fill(template_bytes, qn, MASTER, picks))
    assert imported_dict(path) == answers_to_dict(expected_answers(qn, MASTER, picks))


def test_template_is_protected_with_dropdowns_and_hidden_metadata_last(qn, template_bytes):
    wb = load_workbook(io.BytesIO(template_bytes))
    assert wb.sheetnames[0] == T.INSTRUCTIONS_SHEET
    assert wb.sheetnames[-2:] == [T.LISTS_SHEET, T.META_SHEET]
    assert wb[T.META_SHEET].sheet_state == wb[T.LISTS_SHEET].sheet_state == "hidden"
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:-2])
    meta = {r[0]: r[1] for r in wb[T.META_SHEET].iter_rows(values_only=True)}
    assert meta["template_version"] == T.TEMPLATE_VERSION and meta["questionnaire_hash"]
    area = wb[wb.sheetnames[2]]
    assert area.protection.sheet and not area.protection.password
    answer = area.cell(T.HEADER_ROW + 1, T.COL_ANSWER)
    assert not answer.protection.locked
    assert area.cell(T.HEADER_ROW + 1, T.COL_TEXT).protection.locked
    [dv] = [dv for dv in area.data_validations.dataValidation
            if dv.type == "list" and answer.coordinate in str(dv.sqref).split()]
    # the dropdown offers exactly the allowed answers, from the lists sheet (which the
    # import never reads)
    sheet, ref = dv.formula1.split("!")
    first, last = ref.replace("$", "").split(":")
    offered = [c.value for row in wb[T.LISTS_SHEET][first:last] for c in row]
    q = qn.question(area.cell(T.HEADER_ROW + 1, T.COL_ID).value)
    assert sheet == f"'{T.LISTS_SHEET}'"
    assert offered == [c.label for c in T.choices(q)]


def test_a_workbook_from_template_version_1_still_imports(qn, template_bytes, tmp_path):
    """Version 1 kept the dropdown lists on the metadata sheet, from column C on; returned
    files of that version import to the same answers."""
    picks = choose(qn, random.Random(11), share_open=0.1)
    wb = load_workbook(io.BytesIO(fill(template_bytes, qn, MASTER, picks)))
    meta, lists = wb[T.META_SHEET], wb[T.LISTS_SHEET]
    meta["B4"] = "1"
    for row in lists.iter_rows():
        for c in row:
            meta.cell(c.row, c.column + 2, c.value)
    del wb[T.LISTS_SHEET]
    path = tmp_path / "version-1.xlsx"
    wb.save(path)
    assert imported_dict(path) == answers_to_dict(expected_answers(qn, MASTER, picks))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) fehlt")
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_saved_by_libreoffice_imports_to_the_same_answers(qn, template_bytes, tmp_path, fmt):
    picks = choose(qn, random.Random(7), share_open=0.1)
    src = tmp_path / "in" / "filled.xlsx"
    src.parent.mkdir()
    src.write_bytes(fill(template_bytes, qn, MASTER, picks))
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", fmt, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    saved = out / f"filled.{fmt}"
    if fmt == "xlsx":  # the hidden sheets stay hidden and last after LibreOffice saved it
        wb = load_workbook(saved)
        assert wb.sheetnames[-2:] == [T.LISTS_SHEET, T.META_SHEET]
        assert wb[T.META_SHEET].sheet_state == wb[T.LISTS_SHEET].sheet_state == "hidden"
    assert imported_dict(saved) == answers_to_dict(expected_answers(qn, MASTER, picks))


def test_csv_imports_labels_and_values(qn, tmp_path):
    single = next(q for q in qn.questions if q.type.value == "single_choice")
    multi = next(q for q in qn.questions if q.type.value == "multiple_choice")
    two = [o for o in multi.options if not o.exclusive][:2]
    path = tmp_path / "antworten.csv"
    path.write_text(
        "frage_id;antwort;klaeren_mit\nkommune.name;Gemeinde Musterau;\n"
        f"{single.id};{single.options[0].label.de};\n"
        f"{multi.id};{two[0].label.de}|{two[1].value};\n", encoding="utf-8")
    res = import_workbook(path, lookup)
    assert res.ok
    assert res.answers.municipality.name == "Gemeinde Musterau"
    assert res.answers.answers[single.id].value == single.options[0].value
    assert res.answers.answers[multi.id].value == [two[0].value, two[1].value]


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_typing_slips_are_located_and_the_rest_imports_as_the_interview_records(
        qn, template_bytes, tmp_path, seed):
    """A filled workbook with the slips people make: a value typed by hand, a number stored
    as text, „ Ja “ with spaces, a wrong mark in an option row and in „Trifft nicht zu“.
    Each is one problem at its cell; every other answer is what the interview would
    record, and the check against the questionnaire is handed on for scoring."""

    rng = random.Random(seed)
    picks = choose(qn, rng, share_open=0.1)
    depended_on = {ref for q in qn.questions if q.when for ref, _ in q.when.references()}
    depended_on.add("portal_online_services_count")  # services_online is checked against it

    def plain_pick(*types):
        return rng.choice([q for q in qn.questions if q.type.value in types
                           and q.when is None and q.id not in depended_on
                           and q.id in picks and not isinstance(picks[q.id], tuple)])

    def where(q, key=None):
        index = next(i for i, a in enumerate(qn.areas, 1) if q in a.questions)
        rows = _rows(qn.areas[index - 1])
        return (T.sheet_title(index, qn.areas[index - 1].title.de),
                T.HEADER_ROW + 1 + rows.index(key or q.id))

    typed, number, yes_no, multi = (plain_pick("single_choice"), plain_pick("number"),
                                    plain_pick("yes_no"), plain_pick("multiple_choice"))
    marked = plain_pick("single_choice", "scale", "text")
    option = rng.choice(multi.options)
    data = fill(template_bytes, qn, MASTER, picks)
    for (sheet, row), col, value in (
            (where(typed), "D", "Vielleicht"), (where(number), "D", "12"),
            (where(yes_no), "D", " Ja "), (where(marked), "E", "egal"),
            (where(multi, T.option_key(multi.id, option.value)), "D", "jein")):
        data = _set(data, sheet, f"{col}{row}", value)
    path = tmp_path / "vertippt.xlsx"
    path.write_bytes(data)
    res = import_workbook(path, lookup, "vertippt.xlsx")

    def at(q, col, key=None):
        sheet, row = where(q, key)
        return (sheet, f"{col}{row}")

    assert sorted((i.code, i.severity, i.location.sheet, i.location.cell)
                  for i in res.issues) == sorted([
        ("not-in-list", "error", *at(typed, "D")),
        ("number-as-text", "warning", *at(number, "D")),
        ("not-in-list", "error", *at(marked, "E")),
        ("not-in-list", "error", *at(multi, "D", T.option_key(multi.id, option.value)))])
    assert all(i.location.file == "vertippt.xlsx" for i in res.issues)
    expected = {**picks, number.id: 12, yes_no.id: "ja",
                multi.id: [v for v in picks[multi.id] if v != option.value]}
    del expected[typed.id]
    assert answers_to_dict(res.answers) == answers_to_dict(
        expected_answers(qn, MASTER, expected))
    assert res.cells[number.id].cell == at(number, "D")[1]


# --------------------------------------------------------------------------- defects


def _set(data: bytes, sheet: str | int, cell: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet]
    ws[cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _na_without_reason(data: bytes, q, sheet: str, row: int) -> bytes:
    """„trifft nicht zu“ without a reason, the answer (its option rows) cleared."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    ws[f"E{row}"], ws[f"F{row}"] = T.NA_MARK, None
    for n in range(len(q.options) + 1):
        ws[f"D{row + n}"] = None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 150_000_000 + b">")


def defect_folder(qn, template_bytes, folder: Path) -> dict[str, tuple[str, str | None]]:
    """Three good files and one file per kind of defect; returns file → (code, cell)."""
    good = {}
    for n in range(3):
        picks = choose(qn, random.Random(100 + n))
        master = {**MASTER, "name": f"Gemeinde {n}", "ars": f"03151000000{n}"}
        good[f"gut-{n}.xlsx"] = (picks, master)
        (folder / f"gut-{n}.xlsx").write_bytes(fill(template_bytes, qn, master, picks))
    same = (folder / "gut-0.xlsx").read_bytes()
    # the defects are copies of gut-0 without its ARS: only doppelt.xlsx is a second
    # delivery of the same municipality
    base = _set(same, T.MASTER_SHEET, "B5", None)
    first_area = T.sheet_title(1, qn.areas[0].title.de)
    na_q = next(q for q in qn.questions if q.na_allowed and q.na_reason_required)
    na_area = next(i for i, a in enumerate(qn.areas, 1) if na_q in a.questions)
    na_sheet = T.sheet_title(na_area, qn.areas[na_area - 1].title.de)
    na_row = T.HEADER_ROW + 1 + _rows(qn.areas[na_area - 1]).index(na_q.id)
    files = {
        "handschrift.xlsx": (_set(base, first_area, f"D{T.HEADER_ROW + 1}", "vielleicht"),
                             ("not-in-list", f"D{T.HEADER_ROW + 1}")),
        "verschoben.xlsx": (_set(base, first_area, f"D{T.HEADER_ROW}", "Wert"),
                            ("moved-cells", f"D{T.HEADER_ROW}")),
        "ohne-begruendung.xlsx": (_na_without_reason(base, na_q, na_sheet, na_row),
                                  ("na-reason", f"E{na_row}")),
        "alte-version.xlsx": (_set(base, T.META_SHEET, "B2", "0.1"),
                              ("questionnaire-version", None)),
        "doppelt.xlsx": (_set(same, T.MASTER_SHEET, "B3", "Doppelt"),
                         ("duplicate-municipality", "B5")),
        "leer.xlsx": (b"", ("unreadable", None)),
        "abgeschnitten.xlsx": (base[: len(base) // 2], ("unreadable", None)),
        "kennwort.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ("unreadable", None)),
        "kein-excel.xlsx": (b"Name;Wert\nA;1\n", ("unreadable", None)),
        "fremde-mappe.xlsx": (_blank_workbook(), ("not-a-template", None)),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    old = time.time() - 3600  # the duplicate is the older delivery: gut-0 counts
    os.utime(folder / "doppelt.xlsx", (old, old))
    sheet_missing = load_workbook(io.BytesIO(base))
    del sheet_missing[first_area]
    sheet_missing.save(folder / "blatt-fehlt.xlsx")
    _zip_bomb(folder / "bombe.xlsx")
    (folder / "~$gut-0.xlsx").write_bytes(b"lock")
    expected = {k: v[1] for k, v in files.items()}
    expected["blatt-fehlt.xlsx"] = ("missing-sheet", None)
    expected["bombe.xlsx"] = ("unreadable", None)
    expected["~$gut-0.xlsx"] = ("lock-file", None)
    return expected, good


def _rows(area):
    """Row keys of an area sheet in template order (questions and option rows)."""
    keys = []
    for q in area.questions:
        keys.append(q.id)
        if q.type.value == "multiple_choice":
            keys.extend(T.option_key(q.id, o.value) for o in q.options)
    return keys


def _blank_workbook() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


def test_batch_locates_every_defect_and_scores_the_good_files(qn, template_bytes, tmp_path,
                                                              cli):
    folder = tmp_path / "eingang"
    folder.mkdir()
    expected, good = defect_folder(qn, template_bytes, folder)
    out = tmp_path / "aus"
    code, stdout, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "2")
    assert code == 1
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    found = {(p["location"]["file"], p["code"]): p["location"] for p in data["problems"]}
    for name, (code_, cell) in expected.items():
        assert (name, code_) in found, (name, code_)
        if cell:
            assert found[(name, code_)]["cell"] == cell, name
    # the good files have exactly the figures `score` computes for the same answers
    cat = resolve_catalogue("kommunal")
    rows = {m["file"]: m for m in data["municipalities"]}
    for name, (picks, master) in good.items():
        aset = expected_answers(qn, master, picks)
        mm = get_model(qn.maturity_model)
        result = assess(qn, aset, mm)
        result = replace(result, catalogue=score_catalogue(result, cat, mm, qn))
        assert rows[name]["status"] == "ok"
        assert rows[name]["index"] == round(result.score, 1)
        assert rows[name]["share_at_target"] == round(result.catalogue.share_at_target, 1)
        assert rows[name]["services"] == {s.ozg_id: s.level for s in result.catalogue.services}
        assert (out / "antworten" / f"{name}.answers.yaml").exists()
    assert "bombe.xlsx" in stdout
    assert rows["doppelt.xlsx"]["status"] == "replaced"
    assert rows["doppelt.xlsx"]["replaced_by"] == "gut-0.xlsx"
    # as `import`: no half answers file from a workbook with errors
    failed = [m["file"] for m in data["municipalities"] if m["status"] == "failed"]
    assert failed
    for name in failed:
        assert not (out / "antworten" / f"{name}.answers.yaml").exists(), name
    wb = load_workbook(out / "uebersicht.xlsx")
    assert [n for n in wb.sheetnames if n in ("Zusammenfassung", "Übersicht", "Leistungen",
                                                "Probleme")] == \
        ["Zusammenfassung", "Übersicht", "Leistungen", "Probleme"]
    assert wb["Probleme"].max_row == len(data["problems"]) + 1


def test_overview_never_holds_a_live_formula(qn, template_bytes, tmp_path, cli):
    folder = tmp_path / "eingang"
    folder.mkdir()
    evil = '=HYPERLINK("http://x","klick")'
    wb = load_workbook(io.BytesIO(fill(template_bytes, qn, MASTER, {})))
    cell = wb[T.MASTER_SHEET]["B3"]
    cell.value, cell.data_type = evil, "s"  # typed as text, as a user can
    wb.save(folder / "a.xlsx")
    out = tmp_path / "aus"
    cli("batch", str(folder), "--out", str(out), "--jobs", "1")
    ws = load_workbook(out / "uebersicht.xlsx")["Übersicht"]
    assert ws["B2"].value == evil and ws["B2"].data_type == "s"
    assert "'=HYPERLINK" in (out / "uebersicht.csv").read_text(encoding="utf-8")


def test_import_writes_nothing_for_an_unreadable_file(tmp_path, cli):
    bad = tmp_path / "kaputt.xlsx"
    bad.write_bytes(b"PK\x03\x04 kaputt")
    code, _, stderr = cli("import", str(bad))
    assert code == 1
    assert "kaputt.xlsx" in stderr and "beschädigt" in stderr
    assert not (tmp_path / "kaputt.answers.yaml").exists()


def test_import_and_template_commands(qn, tmp_path, cli):
    tpl = tmp_path / "vorlage.xlsx"
    assert cli("template", "--out", str(tpl))[0] == 0
    code, _, stderr = cli("template", "--out", str(tpl))
    assert code == 2 and "existiert bereits" in stderr
    picks = choose(qn, random.Random(5))
    filled = tmp_path / "musterau.xlsx"
    filled.write_bytes(fill(tpl, qn, MASTER, picks))
    code, stdout, _ = cli("import", str(filled))
    assert code == 0, stdout
    from ozgkompass.model.registry import load_answer_set

    aset = load_answer_set(tmp_path / "musterau.answers.yaml")
    assert answers_to_dict(aset) == answers_to_dict(expected_answers(qn, MASTER, picks))


# --------------------------------------------------------------------------- resume


def _batch_cmd(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ozgkompass", "batch", str(folder), "--out", str(out),
            "--jobs", "2", *extra]


def _overview(out: Path) -> dict:
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    return data


def test_killed_batch_resumes_to_the_same_overview(qn, template_bytes, tmp_path):
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate_workbooks import generate

    folder = tmp_path / "eingang"
    generate(folder, 30, variants=3)  # includes a file with a value typed by hand
    env = {**os.environ, "OZGKOMPASS_DATA_DIR": str(tmp_path / "data")}
    full = tmp_path / "voll"
    assert subprocess.run(_batch_cmd(folder, full), env=env, capture_output=True).returncode == 1
    part = tmp_path / "teil"
    proc = subprocess.Popen(_batch_cmd(folder, part), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = list((part / "ergebnisse").rglob("*.json")) if part.exists() else []
        if len(done) >= 8:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole pool, as a crash or `kill -9` would
    proc.wait()
    finished = len(list((part / "ergebnisse").rglob("*.json")))
    assert 0 < finished < 30 and not (part / "uebersicht.json").exists()
    res = subprocess.run(_batch_cmd(folder, part, "--resume"), env=env, capture_output=True,
                         text=True)
    assert res.returncode == 1, res.stderr
    assert f"{finished} unverändert übernommen" in res.stdout.replace("\n", " ")
    assert _overview(part) == _overview(full)
