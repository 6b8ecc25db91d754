"""`gemeinden import` (Destatis GV100AD), `new-answers --ars` and the master-data warnings.

The fixture file is built here from the record layout (docs/observe.md): fixed columns,
one record a line; the places are invented like the example municipalities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ozgkompass.masterdata import gv100ad

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
STAND = "20260930"


def record(satzart: str, land: str, rb: str = " ", kreis: str = "  ", gemeinde: str = "   ",
           verband: str = "    ", name: str = "", kind: str = "  ", area: int | None = None,
           population: int | None = None) -> str:
    """One GV100AD line: columns 1–2 Satzart, 3–10 Gebietsstand, 11–12 Land, 13 RB,
    14–15 Kreis, 16–18 Gemeinde, 19–22 Verband, 23–72 Name, 73–122 Sitz, 123–124
    Textkennzeichen, 129–139 Fläche, 140–150 Einwohner, 151–161 männlich, PLZ 166–170."""
    line = (satzart + STAND + land + rb + kreis + gemeinde + verband + name.ljust(50)
            + "".ljust(50) + kind + " " * 4)
    assert len(line) == 128
    if area is not None:
        line += str(area).rjust(11) + str(population).rjust(11) \
            + str((population or 0) // 2).rjust(11) + " " * 4 + "21234"
    return line.ljust(220)


FIXTURE = "\n".join([
    record("10", "03", name="Niedersachsen"),
    record("20", "03", "9", name="Statistische Region Test"),
    record("40", "03", "9", "99", name="Heidmoor", kind="44"),
    record("50", "03", "9", "99", verband="0001", name="Ostwald, Stadt", kind="50"),
    record("60", "03", "9", "99", "001", "0001", "Ostwald, Stadt", "63", 5000, 21000),
    record("50", "03", "9", "99", verband="0005", name="Lindenau-Land", kind="52"),
    record("60", "03", "9", "99", "012", "0005", "Lindenau", "64", 3100, 3180),
    record("60", "03", "9", "99", "013", "0005", "Birkhausen", "64", 1200, 900),
    record("40", "03", "1", "01", name="Braunschweig, Stadt", kind="41"),
    record("50", "03", "1", "01", verband="0000", name="Braunschweig, Stadt", kind="50"),
    record("60", "03", "1", "01", "000", "0000", "Braunschweig, Stadt", "61", 19270, 251000),
    "99" + STAND + "unbekannte Satzart",
    "60" + STAND + "zu kurz",
]) + "\n"


@pytest.fixture
def gv_file(tmp_path):
    path = tmp_path / "GV100AD_300926.txt"
    path.write_text(FIXTURE, encoding="utf-8")
    return path


def test_records_give_ars_kind_kreis_and_population(gv_file):
    directory, issues = gv100ad.read_file(gv_file)
    assert directory.gebietsstand == "2026-09-30"
    lindenau = directory.get("039990005012")
    assert (lindenau.display_name, lindenau.kind, lindenau.type, lindenau.land,
            lindenau.kreis, lindenau.population) == (
        "Gemeinde Lindenau", "Kreisangehörige Gemeinde", "mitgliedsgemeinde", "Niedersachsen",
        "Landkreis Heidmoor", 3180)
    samtgemeinde = directory.get("039990005000")
    assert (samtgemeinde.display_name, samtgemeinde.type, samtgemeinde.population) == (
        "Samtgemeinde Lindenau-Land", "gemeindeverband", 4080)
    assert directory.get("039990000000").population == 25080  # the Kreis: all its Gemeinden
    assert directory.get("039990001000") is None  # a verbandsfrei placeholder is no unit
    ostwald = directory.get("039990001001")
    assert (ostwald.display_name, ostwald.type) == ("Stadt Ostwald", "stadt")
    bs = directory.get("031010000000")
    assert (bs.display_name, bs.type, bs.population, bs.kreis) == (
        "Stadt Braunschweig", "kreisfreie_stadt", 251000, None)
    assert [(i.location.line, i.message.split(";")[0]) for i in issues] == [
        (12, "Satzart '99' ist unbekannt"),
        (13, "Zeile ist kürzer als der Satzaufbau oder hat keinen Gebietsstand")]
    assert [p.ars for p in directory.under("03999")] == ["039990000000", "039990001001",
                                                         "039990005000",
                                                         "039990005012", "039990005013"]


def test_latin1_file_of_older_years_is_read(tmp_path):
    path = tmp_path / "GV100AD_alt.txt"
    path.write_bytes(FIXTURE.replace("Birkhausen", "Bördehagen").encode("latin-1"))
    directory, _ = gv100ad.read_file(path)
    assert directory.get("039990005013").name == "Bördehagen"


@pytest.mark.parametrize("content, message", [
    ("Name;ARS\nLindenau;039990005012\n", "enthält keinen Gemeindesatz (Satzart 60)"),
    (b"PK\x03\x04zip", "Das ist ein ZIP-Archiv"),
])
def test_file_that_is_no_gv100ad_gets_a_german_line(cli, tmp_path, content, message):
    path = tmp_path / "falsch.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, _, err = cli("gemeinden", "import", str(path))
    assert code == 2 and message in err
    assert not gv100ad.store_path().exists()


def test_import_keeps_it_in_the_data_folder_with_its_date(cli, gv_file):
    code, out, err = cli("gemeinden", "import", str(gv_file))
    assert code == 0
    assert "Gebietsstand 30.09.2026" in out
    assert "3 kreisangehörige Gemeinden und Städte, 1 Gemeindeverbände, 1 Kreise, " \
           "1 kreisfreie Städte" in out
    # the unknown record is reported, the rest is kept
    assert f"{gv_file.name}:12: Satzart '99' ist unbekannt" in err
    stored = json.loads(gv100ad.store_path().read_text(encoding="utf-8"))
    assert (stored["gebietsstand"], stored["source"]) == ("2026-09-30", gv_file.name)
    assert gv100ad.load().get("039990005012").population == 3180
    stored["rows"]["039990005012"] = ["nur ein Feld"]  # a damaged store: a German line
    gv100ad.store_path().write_text(json.dumps(stored), encoding="utf-8")
    code, _, err = cli("new-answers", "ozg-kommune", "--ars", "039990005012")
    assert code == 2 and "Das gespeicherte Gemeindeverzeichnis ist nicht lesbar" in err


def test_new_answers_with_ars_fills_master_data(cli, gv_file, tmp_path):
    cli("gemeinden", "import", str(gv_file))
    code, out, err = cli("new-answers", "ozg-kommune", "--ars", "039990005000")
    assert code == 0, err
    from ozgkompass.model.registry import load_answer_set

    aset = load_answer_set(tmp_path / "samtgemeinde-lindenau-land.answers.yaml")
    m = aset.municipality
    assert (m.name, m.ars, m.type, m.land, m.kreis, m.population) == (
        "Samtgemeinde Lindenau-Land", "039990005000", "gemeindeverband", "Niedersachsen",
        "Landkreis Heidmoor", 4080)
    code, _, _ = cli("validate", str(tmp_path / "samtgemeinde-lindenau-land.answers.yaml"))
    assert code == 0


def test_new_answers_with_ars_needs_the_directory(cli):
    code, _, err = cli("new-answers", "ozg-kommune", "--ars", "039990005012")
    assert code == 2
    assert "Das Gemeindeverzeichnis ist noch nicht importiert" in err
    code, _, err = cli("new-answers", "ozg-kommune")
    assert code == 2 and "--kommune fehlt" in err


def test_validate_warns_where_the_answers_disagree_with_the_directory(cli, gv_file, tmp_path):
    answers = tmp_path / "lindenau.answers.yaml"
    text = (EXAMPLES / "gemeinde-lindenau.answers.yaml").read_text(encoding="utf-8")
    answers.write_text(text, encoding="utf-8")
    code, _, err = cli("validate", str(answers))
    assert code == 0 and "Gemeindeverzeichnis" not in err  # nothing imported: no check
    cli("gemeinden", "import", str(gv_file))
    code, _, err = cli("validate", str(answers))
    assert code == 0 and "Gemeindeverzeichnis" not in err  # Lindenau agrees (3200 vs 3180)
    answers.write_text(text.replace("type: mitgliedsgemeinde", "type: stadt")
                       .replace("population: 3200", "population: 32000")
                       .replace("name: Gemeinde Lindenau", "name: Gemeinde Lindenhof"),
                       encoding="utf-8")
    code, _, err = cli("validate", str(answers), "--json")
    issues = {i["code"]: i["message"] for i in json.loads(_stdout_json(cli, answers))["issues"]}
    assert issues["gv100ad-type"] == ("municipality.type 'stadt' weicht ab: laut "
                                      "Gemeindeverzeichnis, Stand 30.09.2026 Kreisangehörige "
                                      "Gemeinde (mitgliedsgemeinde).")
    assert issues["gv100ad-population"].startswith("municipality.population 32000 weicht um "
                                                   "mehr als 10 % ab")
    assert "„Gemeinde Lindenau“" in issues["gv100ad-name"]
    code, _, _ = cli("validate", str(answers), "--strict")
    assert code == 1  # warnings, errors only with --strict


def _stdout_json(cli, answers: Path) -> str:
    _, out, _ = cli("validate", str(answers), "--json")
    return out


def test_observe_with_ars_takes_type_and_land_from_the_directory(cli, gv_file):
    from ddv_server import DdvServer

    cli("gemeinden", "import", str(gv_file))
    with DdvServer() as server:
        server.load("039990005012")
        code, out, _ = cli("observe", "--ars", "039990005012", "--api-url", server.url,
                           "--json")
    data = json.loads(out)
    assert data["comparison"]["scope_note"].startswith(
        "Leistungen, die eine Mitgliedsgemeinde üblicherweise ausführt (Land NI)")
    assert code == 0  # no answers: nothing to contradict


def test_batch_warns_where_a_workbook_disagrees_with_the_directory(cli, gv_file, tmp_path):
    from workbooks import MASTER, fill

    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources import template as T

    qn = find_questionnaire("ozg-kommune")
    folder = tmp_path / "eingang"
    folder.mkdir()
    master = MASTER | {"name": "Gemeinde Lindenau", "ars": "039990005012",
                       "kreis": "Landkreis Heidmoor", "type": "landkreis", "population": 3180}
    (folder / "lindenau.xlsx").write_bytes(fill(T.build_template(qn), qn, master, {}))
    out = tmp_path / "aus"
    cli("batch", str(folder), "--out", str(out), "--jobs", "1")
    first = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    assert not [p for p in first["problems"] if p["code"].startswith("gv100ad")]
    cli("gemeinden", "import", str(gv_file))
    # --resume: a result from before the import is not reused (its warnings would be missing)
    cli("batch", str(folder), "--out", str(out), "--jobs", "1", "--resume")
    data = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    found = [p for p in data["problems"] if p["code"].startswith("gv100ad")]
    assert [(p["code"], p["severity"], p["location"]["file"]) for p in found] == [
        ("gv100ad-type", "warning", "lindenau.xlsx")]
    assert "Kreisangehörige Gemeinde (mitgliedsgemeinde)" in found[0]["message"]


def test_interview_offers_the_directory_for_the_ars_typed(gv_file, tmp_path):
    """A real interview in a subprocess (piped input): Enter takes type, Kreis and
    population from the Gemeindeverzeichnis; the user's own input still wins elsewhere."""
    import subprocess
    import sys

    data = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "80", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT), "OZGKOMPASS_DATA_DIR": str(data), "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "ozgkompass", "gemeinden", "import", str(gv_file)],
                   check=True, env=env, capture_output=True, cwd=tmp_path)
    (tmp_path / "mini.yaml").write_text("""format: 1
id: mini
version: "1.0.0"
title: {de: Mini}
areas:
  - id: portal
    title: Portal
    questions:
      - id: portal_ok
        type: yes_no
        text: Gibt es ein Portal?
""", encoding="utf-8")
    lines = ["",              # type: Enter (from the directory)
             "039990005012",  # ARS
             "", "", "",      # Land, Kreis, population: Enter
             "2026-11-20", "BM, Hauptamt",
             "p"]             # pause at the first question
    out = subprocess.run([sys.executable, "-m", "ozgkompass", "interview", "-q", "mini.yaml",
                          "--kommune", "Gemeinde Lindenau"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    flat = " ".join(out.stdout.split())  # the console wraps at 80 columns
    assert "Laut Gemeindeverzeichnis (Gebietsstand 30.09.2026): Gemeinde Lindenau, " \
           "Kreisangehörige Gemeinde, Landkreis Heidmoor, 3180 Einwohner." in flat
    assert "Kreis (Enter = Landkreis Heidmoor)" in flat
    from ozgkompass.model.registry import load_answer_set

    m = load_answer_set(tmp_path / "gemeinde-lindenau.answers.yaml").municipality
    assert (m.type, m.land, m.kreis, m.population) == ("mitgliedsgemeinde", "Niedersachsen",
                                                       "Landkreis Heidmoor", 3180)


def test_template_with_ars_is_prefilled_and_imports_with_the_master_data(cli, gv_file,
                                                                          tmp_path):
    cli("gemeinden", "import", str(gv_file))
    code, _, err = cli("template", "--out", "lindenau.xlsx", "--ars", "039990005012")
    assert code == 0, err
    code, _, err = cli("import", "lindenau.xlsx", "--out", "lindenau.answers.yaml",
                       "--partial")
    from ozgkompass.model.registry import load_answer_set

    m = load_answer_set(tmp_path / "lindenau.answers.yaml").municipality
    assert (m.name, m.ars, m.type, m.land, m.kreis, m.population) == (
        "Gemeinde Lindenau", "039990005012", "mitgliedsgemeinde", "Niedersachsen",
        "Landkreis Heidmoor", 3180)


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path):
    import io

    from openpyxl import load_workbook

    from ozgkompass.model.answers import Municipality
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources import template as T

    data = T.prefill_master(T.build_template(find_questionnaire("ozg-kommune")),
                            Municipality("=HYPERLINK(\"http://x\")", ars="039990005012"))
    cell = load_workbook(io.BytesIO(data))[T.MASTER_SHEET].cell(T.MASTER_FIRST_ROW, 2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_observe_kreis_takes_the_members_from_the_directory(cli, gv_file):
    from ddv_server import DdvServer

    cli("gemeinden", "import", str(gv_file))
    with DdvServer() as server:
        server.load("039990005012")  # the others are unknown to this server: HTTP 400
        code, out, _ = cli("observe", "--kreis", "03999", "--api-url", server.url, "--json")
    data = json.loads(out)
    assert code == 1  # some members could not be fetched; the round went on
    assert [(m["ars"], m["name"]) for m in data["members"]] == [
        ("039990005012", "Gemeinde Lindenau")]
    assert [f["ars"] for f in data["failed"]] == ["039990000000", "039990001001",
                                                 "039990005000", "039990005013"]
    assert "HTTP 400" in data["failed"][0]["message"]


def test_gemeinden_show(cli, gv_file):
    code, _, err = cli("gemeinden", "show", "039990005012")
    assert code == 2 and "Das Gemeindeverzeichnis ist noch nicht importiert" in err
    cli("gemeinden", "import", str(gv_file))
    code, out, _ = cli("gemeinden", "show", "039990005000")
    assert code == 0
    assert out.splitlines() == ["Name: Samtgemeinde Lindenau-Land", "Art: Samtgemeinde",
                                "Typ (Antwortdatei): gemeindeverband", "Land: Niedersachsen",
                                "Kreis: Landkreis Heidmoor", "Einwohner: 4080",
                                "Gebietsstand: 30.09.2026"]
    code, _, err = cli("gemeinden", "show", "039990009999")
    assert code == 2 and "steht nicht im Gemeindeverzeichnis (Gebietsstand 30.09.2026)" in err
