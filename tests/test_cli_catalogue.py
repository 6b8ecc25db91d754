"""`ozgkompass catalogue …` as a user runs it: exit codes, messages, files written."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ozgkompass.cli import app

DATA = Path(__file__).resolve().parent / "data" / "catalogue"
SHARED_2019 = Path(__file__).parents[1].parent / "shared" / "data" / "ozg-katalog-2019"
MINI = str(DATA / "mini.yaml")

FIM_HEADER = ["Leistungsschlüssel", "Leistungsbezeichnung", "Typisierung", "OZG-ID",
              "OZG-Themenfeld", "OZG-Leistung"]


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Invoke the CLI with a private data folder; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("OZGKOMPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["catalogue", *args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _fim_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([FIM_HEADER, *rows])
    return path


GOOD = ["99001001000000", "Abfallentsorgung Anmeldung", "5", "10110", "Bauen & Wohnen",
        "Abfallentsorgung"]


def test_import_2019_into_the_store(run, tmp_path):
    if not SHARED_2019.is_dir():
        pytest.skip("OZG-Katalog 2019 (../shared/data/ozg-katalog-2019) nicht vorhanden")
    files = [str(SHARED_2019 / "ozg_leistungen.csv"), str(SHARED_2019 / "leika_zu_ozg.csv")]
    code, out, err = run("import", *files)
    assert code == 0, err
    assert "OZG-Leistungen" in out and "│ 557" in out
    assert "Themenfelder" in out and "│ 14 " in out
    assert "Abgelehnte Zeilen (26):" in out
    assert "leika_zu_ozg.csv, Zeile 32: LeiKa-Leistung" in out
    assert "hat keine OZG-ID" in out
    store = tmp_path / "data" / "catalogues" / "ozg2019.json"
    assert store.is_file()
    assert "Verwenden mit: --catalogue ozg2019" in out

    code, _, err = run("import", *files)
    assert code == 2 and "existiert bereits" in err and "--force" in err
    code, out, _ = run("import", *files, "--force", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["summary"]["services"] == 557 and report["summary"]["themenfelder"] == 14
    assert len([i for i in report["issues"] if i["severity"] == "error"]) == 26

    code, out, _ = run("show", "ozg2019")
    assert code == 0 and "557" in out and "2019" in out
    code, out, _ = run("show", "ozg2019", "--service", "10513")
    assert code == 0 and "Abbruchgenehmigung Erteilung" in out and "unbekannt" in out
    code, out, _ = run("search", "wohngeld", "--catalogue", "ozg2019")
    assert code == 0 and "10092" in out
    code, out, _ = run("stats", "--catalogue", "ozg2019", "--json")
    stats = json.loads(out)
    assert sum(sum(v.values()) for v in stats["by_themenfeld"].values()) == 557
    assert len(stats["by_themenfeld"]) == 14
    assert stats["unknown_attributes"]["fees"]["all"] == 557
    code, out, _ = run("list")
    assert code == 0 and "ozg2019" in out and "557" in out


def test_import_fim_csv_with_a_bad_row(run, tmp_path):
    path = _fim_csv(tmp_path / "fim.csv", [
        GOOD, ["99001001001000", "Abfall Abmeldung", "5", "1011", "Bauen & Wohnen", "Abfall"]])
    code, out, err = run("import", str(path), "--id", "fim-test")
    assert code == 0, err
    assert "Abgelehnte Zeilen (1):" in out
    assert "fim.csv, Zeile 3: OZG-ID '1011' ist keine fünfstellige Zahl" in out
    assert (tmp_path / "data" / "catalogues" / "fim-test.json").is_file()
    # --strict: rejected rows make exit code 1 (the catalogue is still written)
    target = tmp_path / "out.yaml"
    code, out, _ = run("import", str(path), "--output", str(target), "--strict")
    assert code == 1 and target.is_file()
    code, out, _ = run("show", str(target), "--service", "10110")
    assert code == 0 and "kommunal" in out and "Abfallentsorgung Anmeldung" in out


def test_many_rejected_rows_are_grouped_but_all_shown(run, tmp_path):
    rows = [GOOD] + [[f"9900100100{i:04d}00", f"L{i}", "5", "", "Umwelt", "X"]
                     for i in range(60)]
    path = _fim_csv(tmp_path / "fim.csv", rows)
    code, out, _ = run("import", str(path), "--id", "viele")
    assert code == 0
    assert "Abgelehnte Zeilen (60):" in out and "Gründe" in out and "ozg-id-missing" in out
    for line in range(3, 63):
        assert f"fim.csv, Zeile {line}:" in out


def test_import_never_overwrites_an_input(run, tmp_path):
    path = _fim_csv(tmp_path / "fim.csv", [GOOD])
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ozg_id: OZG-ID\n  name: OZG-Leistung\n"
                       "  themenfeld: OZG-Themenfeld\n", encoding="utf-8")
    before = mapping.read_bytes()
    code, _, err = run("import", str(path), "--mapping", str(mapping), "--output", str(mapping),
                       "--force")
    assert code == 2 and "zugleich Eingabedatei" in err
    assert mapping.read_bytes() == before
    code, _, err = run("import", str(path), "--output", str(path))
    assert code == 2 and "--output muss auf .json" in err
    code, _, err = run("import", str(path), "--mapping", str(mapping), "--output",
                       str(tmp_path / "k.json"))
    assert code == 0, err


def test_import_error_messages(run, tmp_path):
    code, _, err = run("import", str(tmp_path / "fehlt.csv"))
    assert code == 2 and "fehlt.csv: Datei nicht gefunden" in err
    assert "Traceback" not in err

    pdf = tmp_path / "katalog.pdf"
    pdf.write_bytes(b"%PDF")
    code, _, err = run("import", str(pdf))
    assert code == 2 and "Dateityp .pdf wird nicht unterstützt" in err

    empty = tmp_path / "leer.csv"
    empty.write_bytes(b"")
    code, _, err = run("import", str(empty))
    assert code == 2 and "leer.csv: Datei ist leer" in err

    cols = tmp_path / "spalten.csv"
    cols.write_text("OZG-ID;Leistungsbezeichnung\n10110;Abfall\n", encoding="utf-8")
    code, _, err = run("import", str(cols), "--layout", "fim-csv")
    assert code == 2 and "Pflichtspalte(n) für das Layout fim-csv fehlen" in err
    assert "Leistungsschlüssel" in err and "--mapping" in err

    allbad = _fim_csv(tmp_path / "allbad.csv", [GOOD[:3] + ["", *GOOD[4:]]])
    code, out, err = run("import", str(allbad))
    assert code == 1
    assert "allbad.csv, Zeile 2" in err and "Keine einzige OZG-Leistung" in err
    assert not (tmp_path / "data" / "catalogues").exists()


def test_import_with_mapping_errors(run, tmp_path):
    path = _fim_csv(tmp_path / "f.csv", [GOOD])
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ozg_id: OZG-ID\n  name: OZG-Leistung\n  themenfeld: Bereich\n",
                       encoding="utf-8")
    code, _, err = run("import", str(path), "--mapping", str(mapping))
    assert code == 2 and "themenfeld → 'Bereich'" in err and "m.yaml:4:3" in err
    mapping.write_text("columns:\n  ozg_ID: OZG-ID\n", encoding="utf-8")
    code, _, err = run("import", str(path), "--mapping", str(mapping))
    assert code == 1 and "m.yaml:2:3" in err and "Meinten Sie `ozg_id`?" in err


def test_show_search_stats_list_on_a_catalogue_file(run):
    code, out, _ = run("show", MINI)
    assert code == 0 and "2026.1-test" in out and "Mini-Katalog" in out
    code, out, _ = run("show", MINI, "--service", "10092")
    assert code == 0 and "möglicherweise kommunal" in out and "44" in out
    assert "Gebühren" in out and "unbekannt" in out
    code, _, err = run("show", MINI, "--service", "10093")
    assert code == 2 and "OZG-ID '10093' steht nicht im Katalog mini" in err
    assert "10092" in err  # similar ids are suggested

    code, out, _ = run("search", "beratung", "-c", MINI)
    assert code == 0 and "10092" in out and "Wohngeld Beratung" in out
    code, out, _ = run("search", "99102001000000", "-c", MINI, "--json")
    assert [h["ozg_id"] for h in json.loads(out)["hits"]] == ["10077"]
    code, out, _ = run("search", "e", "-c", MINI, "--scope", "kommunal", "--json")
    assert {h["ozg_id"] for h in json.loads(out)["hits"]} == {"10110", "10092", "10077"}
    code, out, _ = run("search", "e", "-c", MINI, "--themenfeld", "steuern", "--json")
    assert [h["ozg_id"] for h in json.loads(out)["hits"]] == ["10077"]
    code, _, err = run("search", "e", "-c", MINI, "--themenfeld", "Sport")
    assert code == 2 and "Themenfeld 'Sport' ist unbekannt" in err
    code, out, _ = run("search", "gibtesnicht", "-c", MINI)
    assert code == 0 and "Keine Treffer" in out

    code, out, _ = run("stats", "-c", MINI)
    assert code == 0 and "Summe" in out and "Vertrauensniveau" in out
    code, out, _ = run("stats", "-c", MINI, "--json")
    data = json.loads(out)
    assert data["by_themenfeld"]["Bauen & Wohnen"]["municipal"] == 1
    assert data["unknown_attributes"]["efa"] == {"all": 3, "municipal_scope": 3}

    code, _, err = run("show", "gibtsnicht")
    assert code == 2 and "Katalog 'gibtsnicht' nicht gefunden" in err and "kommunal" in err


def test_every_catalogue_command_has_help(run):
    for command in ("import", "show", "search", "stats", "list", "update"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Aufruf" in out
    code, out, _ = run("import", "--help")
    assert "Exit-Code 0" in " ".join(out.split())


def test_catalogue_cli_does_not_import_pandas_or_openpyxl():
    code = ("import sys\nimport ozgkompass.cli.catalogue, ozgkompass.catalogue.store\n"
            "import ozgkompass.model.catalogue, ozgkompass.catalogue.importer\n"
            "print(sorted(m for m in ('pandas', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    assert out.strip() == "[]"
