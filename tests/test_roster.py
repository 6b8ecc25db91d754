"""A round from a member roster: one row per member with its status, a reminder list for
the mail merge, and the overview a provider's management reads."""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ozgkompass.errors import DataError
from ozgkompass.model.registry import find_questionnaire
from ozgkompass.reports.overview import REACHABLE
from ozgkompass.sources import template as T
from ozgkompass.sources.roster import read_members

sys.path.insert(0, str(Path(__file__).parent))
from workbooks import MASTER, choose, fill  # noqa: E402

QN = find_questionnaire("ozg-kommune")
TEMPLATE = T.build_template(QN)
ROSTER = """\ufeffARS;Name;Art;Ansprechperson;E-Mail
034560000000;Landkreis Heidmoor;Landkreis;Herr Kreis;kreis@heidmoor.example
034560001001;Gemeinde Aue;Gemeinde;Frau Aue;aue@example.org
034560001002;Stadt Berg;Stadt (kreisangehörig);Herr Berg;berg@example.org
034565401000;Samtgemeinde Moor;Samtgemeinde;Frau Moor;moor@example.org
034560001004;Gemeinde Damm;Gemeinde;Herr Damm;damm@example.org
034560001005;Gemeinde Eck;Gemeinde;Frau Eck;eck@example.org
"""


def _send(folder: Path, name: str, ars: str, mtype: str, seed: int, kreis: str,
          picks: dict | None = None, date: str = "03.11.2026", **cells) -> None:
    master = {**MASTER, "name": name, "ars": ars, "type": mtype, "kreis": kreis, "date": date}
    data = fill(TEMPLATE, QN, master, picks if picks is not None else
                choose(QN, random.Random(seed)))
    if cells:
        wb = load_workbook(io.BytesIO(data))
        for ref, value in cells.items():
            wb[T.MASTER_SHEET][ref] = value
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    (folder / f"{name}.xlsx").write_bytes(data)


def _csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: German Excel reads the Umlauts
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def round_folder(tmp_path):
    (tmp_path / "mitglieder.csv").write_text(ROSTER, encoding="utf-8")
    folder = tmp_path / "eingang"
    folder.mkdir()
    unclear = choose(QN, random.Random(4))
    unclear["portal_operator"] = ("unclear", "IT-Dienstleister")
    _send(folder, "Landkreis Heidmoor", "034560000000", "landkreis", 1, "")
    _send(folder, "Gemeinde Aue", "034560001001", "gemeinde", 2, "LK Heidmoor")
    _send(folder, "Stadt Berg", "034560001002", "stadt", 3, "Kreis Sumpfland")
    _send(folder, "Samtgemeinde Moor", "034565401000", "gemeindeverband", 4, "Landkreis Heidmoor",
          picks=unclear, B10="31.11.2026")
    (folder / "Gemeinde Damm.pdf").write_bytes(b"%PDF-1.4\n")
    return tmp_path, folder


def test_every_member_has_a_status_and_a_reminder(round_folder, cli):
    base, folder = round_folder
    out = base / "aus"
    code, stdout, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "1",
                          "--members", str(base / "mitglieder.csv"))
    assert code == 1  # a refused workbook and a PDF
    assert "Mitglieder: 3 von 6 bewertet, 1 zu korrigieren, 1 ohne lesbare Mappe, 1 nicht" \
        in " ".join(stdout.split())
    status = {r["Kommune"]: r for r in _csv(out / "mitglieder.csv")}
    assert {k: v["Status"] for k, v in status.items()} == {
        "Landkreis Heidmoor": "bewertet", "Gemeinde Aue": "bewertet", "Stadt Berg": "bewertet",
        "Samtgemeinde Moor": "korrigieren", "Gemeinde Damm": "keine Mappe",
        "Gemeinde Eck": "nicht zurückgegeben"}
    assert "Stammdaten!B10" in status["Samtgemeinde Moor"]["Was zu tun ist"]
    assert "PDF" in status["Gemeinde Damm"]["Was zu tun ist"]
    reminder = {r["Anrede_Kommune"]: r for r in _csv(out / "erinnerung.csv")}
    assert set(reminder) == {"Samtgemeinde Moor", "Gemeinde Damm", "Gemeinde Eck"}
    assert reminder["Gemeinde Eck"]["E-Mail"] == "eck@example.org"
    # the ARS stays text in German Excel (its leading zero), as in uebersicht.csv
    for table in (status, reminder):
        assert all(r["ARS"].startswith('="0') and r["ARS"].endswith('"')
                   for r in table.values()), table
    members = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))["members"]
    assert {m["name"]: m["status"] for m in members} == {
        k: v["Status"] for k, v in status.items()}
    # the Kreis comes from the ARS: the abbreviation agrees, another name is warned
    problems = _csv(out / "probleme.csv")
    [kreis] = [p for p in problems if p["Datei"] == "Stadt Berg.xlsx" and "Kreis" in
               p["Meldung"] and p["Art"] == "Warnung"]
    assert "Landkreis Heidmoor" in kreis["Meldung"] and kreis["Zelle"] == "B7"
    assert not [p for p in problems if p["Datei"] == "Gemeinde Aue.xlsx"
                and "passt nicht" in p["Meldung"]]


def test_the_overview_reads_as_a_report_for_management(round_folder, cli):
    base, folder = round_folder
    out = base / "aus"
    cli("batch", str(folder), "--out", str(out), "--jobs", "1",
        "--members", str(base / "mitglieder.csv"))
    wb = load_workbook(out / "uebersicht.xlsx")
    assert wb.sheetnames[:3] == ["Zusammenfassung", "Mitglieder", "Übersicht"]
    ov = wb["Übersicht"]
    header = [c.value for c in ov[1]]
    assert not [h for h in header if h.startswith("Bereich ")]  # area titles, not ids
    assert {a.title.de + " %" for a in QN.areas} <= set(header)
    assert "Fragebogen" in header and REACHABLE in header
    rows = {r[1]: dict(zip(header, r, strict=True))
            for r in ov.iter_rows(min_row=2, values_only=True)}
    assert rows["Gemeinde Aue"]["Kreis"] == "Landkreis Heidmoor"
    assert rows["Stadt Berg"]["Kreis"] == "Landkreis Heidmoor"  # from the ARS
    assert rows["Stadt Berg"]["Art"] == "Stadt (kreisangehörig)"
    assert rows["Gemeinde Aue"]["Datum"].date().isoformat() == "2026-11-03"
    assert rows["Gemeinde Aue"]["Fragebogen"] == f"{QN.id} {QN.version}"
    assert ov.page_setup.orientation == "landscape" and ov.print_title_rows == "$1:$1"
    assert ov.sheet_properties.pageSetUpPr.fitToPage
    summary = [r for r in wb["Zusammenfassung"].iter_rows(values_only=True) if r[0]]
    lines = {r[0]: r[1] for r in summary}
    assert lines["Mitglieder"] == 6 and lines["bewertet"] == 3
    assert lines["nicht zurückgegeben"] == 1
    assert any(REACHABLE in str(r[0]) for r in summary)
    assert not any("online" in str(c).casefold() for r in summary for c in r)
    bands = {r[0] for r in summary if isinstance(r[1], int) and r[0] not in lines}
    assert bands <= {b.name for b in QN.bands} | {"ohne Stufe"}
    kreise = [r for r in wb["Nach Kreis"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1]) for r in kreise] == [("Landkreis Heidmoor", 3)]
    types = {r[0]: r[1] for r in wb["Nach Art"].iter_rows(min_row=2, values_only=True)}
    assert types == {"Gemeinde": 1, "Landkreis": 1, "Stadt (kreisangehörig)": 1}
    # German CSV: BOM, ';', decimal comma, the ARS as text
    table = _csv(out / "uebersicht.csv")
    aue = next(r for r in table if r["Kommune"] == "Gemeinde Aue")
    assert aue["ARS"] == '="034560001001"' and aue["Datum"] == "03.11.2026"
    index = rows["Gemeinde Aue"]["Index"]
    assert aue["Index"] == f"{index:g}".replace(".", ",")


def test_follow_ups_for_the_provider_and_the_change_since_the_last_round(tmp_path, cli):
    (tmp_path / "mitglieder.csv").write_text(ROSTER, encoding="utf-8")
    archive = tmp_path / "archiv.sqlite"
    first, second = tmp_path / "runde1", tmp_path / "runde2"
    first.mkdir()
    second.mkdir()
    picks = choose(QN, random.Random(9))
    asked = next(q for q in QN.questions if q.id in picks and q.when is None)
    picks[asked.id] = ("unclear", "IT-Dienstleister")
    _send(first, "Gemeinde Aue", "034560001001", "gemeinde", 2, "", date="01.05.2026")
    _send(second, "Gemeinde Aue", "034560001001", "gemeinde", 2, "", picks=picks)
    for folder in (first, second):
        cli("batch", str(folder), "--out", str(tmp_path / f"{folder.name}-aus"), "--jobs", "1",
            "--members", str(tmp_path / "mitglieder.csv"), "--archive-file", str(archive))
    wb = load_workbook(tmp_path / "runde2-aus" / "uebersicht.xlsx")
    follow = list(wb["Rückfragen"].iter_rows(values_only=True))
    assert follow[0][:5] == ("Kommune", "ARS", "Kreis", "Ansprechperson", "Frage-ID")
    assert ("Gemeinde Aue", asked.id, "IT-Dienstleister") in {(r[0], r[4], r[6])
                                                               for r in follow[1:]}
    ov = wb["Übersicht"]
    header = [c.value for c in ov[1]]
    [row] = [dict(zip(header, r, strict=True)) for r in ov.iter_rows(min_row=2, values_only=True)]
    old = load_workbook(tmp_path / "runde1-aus" / "uebersicht.xlsx")["Übersicht"]
    [before] = [dict(zip(header, r, strict=True)) for r in old.iter_rows(min_row=2,
                                                                          values_only=True)]
    assert before["Veränderung zur letzten Runde"] is None  # nothing archived before
    assert row["Veränderung zur letzten Runde"] == round(row["Index"] - before["Index"], 1)


def test_a_roster_with_mistakes_is_refused_with_every_line(tmp_path):
    path = tmp_path / "mitglieder.csv"
    path.write_text("Regionalschlüssel,Kommune,Art\n34560001001,Aue,Gemeinde\n"
                    "034560001002,Berg,Dorf\n034560001002,Berg,Stadt\n", encoding="cp1252")
    with pytest.raises(DataError) as err:
        read_members(path)
    found = {(i.location.row, i.code) for i in err.value.issues}
    assert found == {(2, "roster-ars"), (3, "roster-type"), (4, "roster-duplicate")}
    assert "führende Null" in err.value.issues[0].message
    path.write_text("ARS;Name\n 03 456 0001001 ;Aue\n", encoding="utf-8")
    [member] = read_members(path)
    assert member.ars == "034560001001" and member.type is None
