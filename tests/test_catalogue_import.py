"""Importing catalogue exports: the real 2019 data, a FIM CSV, an XLSX and a user mapping."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from ozgkompass.catalogue.importer import import_catalogue, load_mapping
from ozgkompass.errors import DataError, UserError
from ozgkompass.model.catalogue import parse_catalogue

SHARED_2019 = Path(__file__).parents[1].parent / "shared" / "data" / "ozg-katalog-2019"


def _need_2019() -> Path:
    if not SHARED_2019.is_dir():
        pytest.skip("OZG-Katalog 2019 (../shared/data/ozg-katalog-2019) nicht vorhanden")
    return SHARED_2019


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The CSV read independently of the importer: (line where the record starts, row)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = []
        assert reader.fieldnames  # reads the header line
        before = reader.line_num
        for row in reader:
            rows.append((before + 1, row))
            before = reader.line_num
    return rows


# --- the 2019 OZG database ----------------------------------------------------------------


@pytest.fixture(scope="module")
def result_2019():
    folder = _need_2019()
    return import_catalogue([folder / "leika_zu_ozg.csv", folder / "ozg_leistungen.csv"],
                            catalogue_id="ozg2019", version=None, title=None)


def test_2019_counts(result_2019):
    ozg_rows = _read_rows(SHARED_2019 / "ozg_leistungen.csv")
    leika_rows = _read_rows(SHARED_2019 / "leika_zu_ozg.csv")
    r = result_2019
    assert r.layout == "ozg2019"
    assert r.services == 557 == len({row["ozg_id"] for _, row in ozg_rows})
    assert len(r.themenfelder) == 14
    assert r.rows_read == len(ozg_rows) + len(leika_rows)
    assert r.rows_read == r.taken + r.merged + r.rejected
    assert r.taken == 557
    cat, issues = parse_catalogue(r.catalogue, "import", positions=False)
    assert cat is not None and not [i for i in issues if i.severity == "error"]


def test_2019_rejected_rows_are_exactly_the_bad_ones(result_2019):
    known = {row["ozg_id"] for _, row in _read_rows(SHARED_2019 / "ozg_leistungen.csv")}
    bad = [line for line, row in _read_rows(SHARED_2019 / "leika_zu_ozg.csv")
           if row["ozg_id"].strip() not in known]
    assert bad, "the 2019 data has LeiKa rows without a known OZG-ID"
    rejected = result_2019.rejected_rows
    assert [i.location.row for i in rejected] == bad
    assert result_2019.rejected == len(bad)
    for issue in rejected:
        assert issue.location.file.endswith("leika_zu_ozg.csv")
        assert "OZG-ID" in issue.message
        assert f"Zeile {issue.location.row}" in str(issue)


def test_2019_import_sets_no_service_to_sdg_annex2_from_sdg2(result_2019):
    """sdg2 is not Annex II (it marks Handelsregister and Insolvenzverfahren, which Annex II
    excludes, and misses the Feinstaubplakette): nothing is derived from it."""
    sdg2_set = {row["ozg_id"] for _, row in _read_rows(SHARED_2019 / "leika_zu_ozg.csv")
                if row["sdg2"] == "1"}
    assert {"10566", "10354", "10557"} <= sdg2_set  # the flag is set there in the data
    services = {s["ozg_id"]: s for s in result_2019.catalogue["services"]}
    for ozg_id, svc in services.items():
        assert svc["attributes"]["sdg_annex2"] is None, ozg_id
        for name in ("fees", "evidence", "identification", "efa", "trust_level"):
            assert svc["attributes"][name] is None


def test_2019_quirks_are_warnings(result_2019):
    leika_rows = _read_rows(SHARED_2019 / "leika_zu_ozg.csv")
    warnings = result_2019.warnings
    by_code: dict[str, set[int]] = defaultdict(set)
    for w in warnings:
        by_code[w.code].add(w.location.row)
    known = {row["ozg_id"] for _, row in _read_rows(SHARED_2019 / "ozg_leistungen.csv")}
    usable = [(line, row) for line, row in leika_rows if row["ozg_id"] in known]
    assert by_code["typ-unknown"] == {line for line, row in usable if row["leika_typ"] == "44"}
    assert by_code["typ-mixed"] == {line for line, row in usable if "," in row["leika_typ"]}
    assert by_code["leika-key-not-numeric"] == {
        line for line, row in usable if not row["leika_schluessel"].isdigit()}
    # keys that are numbers but not 14 digits are dropped too, and said so
    assert by_code["leika-key-invalid"] == {
        line for line, row in usable
        if row["leika_schluessel"].isdigit() and len(row["leika_schluessel"]) != 14}
    for svc in result_2019.catalogue["services"]:
        for leika in svc["leika"]:
            assert leika["key"] is None or (len(leika["key"]) == 14 and leika["key"].isdigit())


def test_2019_file_order_does_not_matter(result_2019):
    folder = _need_2019()
    other = import_catalogue([folder / "ozg_leistungen.csv", folder / "leika_zu_ozg.csv"],
                             catalogue_id="ozg2019", version="2019-12", title="T")
    assert other.catalogue["services"] == result_2019.catalogue["services"]
    assert other.catalogue["version"] == "2019-12"


def test_2019_needs_both_files():
    folder = _need_2019()
    with pytest.raises(UserError, match="genau eine Datei mit OZG-Leistungen"):
        import_catalogue([folder / "ozg_leistungen.csv"], catalogue_id="x", version=None,
                         title=None, layout="ozg2019")


# --- FIM CSV (semicolon, Windows-1252) --------------------------------------------------

FIM_ROWS = [
    ["Leistungsschlüssel", "Leistungsbezeichnung", "Typisierung", "OZG-ID", "OZG-Themenfeld",
     "OZG-Leistung", "Lebenslage"],
    ["99001001000000", "Abfallentsorgung Anmeldung", "5", "10110", "Bauen & Wohnen",
     "Abfallentsorgung", "Wohnen & Umzug"],
    ["99001001001000", "Abfallentsorgung; Sperrmüll", "4b", "10110", "Bauen & Wohnen",
     "Abfallentsorgung", "wohnen &  Umzug"],
    ["99107001000000", "Wohngeld Bewilligung", "2/3", "10092", "Arbeit und Ruhestand",
     "Wohngeld", "Finanzielle Existenzsicherung"],
    ["99107001001000", "Wohngeld Änderung", "2/3", "", "Arbeit & Ruhestand", "Wohngeld", ""],
    ["99107001002000", "Wohngeld Mietzuschuss", "2/3", "1009x", "Arbeit & Ruhestand",
     "Wohngeld", ""],
    ["nicht im LeiKa", "Wohngeld Beratung", "44", "10092", "Arbeit & Ruhestand",
     "Wohngeldantrag", ""],
]


def _write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ";",
               encoding: str = "cp1252") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def test_fim_csv_semicolon_cp1252(tmp_path):
    path = _write_csv(tmp_path / "fim export.csv", FIM_ROWS)
    assert "ü".encode("cp1252") in path.read_bytes()  # really not UTF-8
    r = import_catalogue([path], catalogue_id="fim-test", version="2026-03", title=None)
    assert r.layout == "fim-csv"
    assert (r.rows_read, r.taken, r.merged, r.rejected) == (6, 2, 2, 2)
    services = {s["ozg_id"]: s for s in r.catalogue["services"]}
    assert set(services) == {"10110", "10092"}
    abfall = services["10110"]
    assert [x["name"] for x in abfall["leika"]] == ["Abfallentsorgung Anmeldung",
                                                     "Abfallentsorgung; Sperrmüll"]
    assert abfall["lage"] == "Wohnen & Umzug"
    wohngeld = services["10092"]
    assert wohngeld["themenfeld"] == "Arbeit & Ruhestand"  # "und" spelled as "&"
    assert wohngeld["name"] == "Wohngeld"  # conflicting "Wohngeldantrag": first one stays
    assert wohngeld["leika"][1] == {"key": None, "name": "Wohngeld Beratung",
                                    "typisierung": "44"}
    assert r.responsibility_counts == {"municipal": 1, "possibly_municipal": 1,
                                       "not_municipal": 0, "unknown": 0}
    rejected = {(i.location.row, i.code) for i in r.rejected_rows}
    assert rejected == {(5, "ozg-id-missing"), (6, "ozg-id-invalid")}
    codes = {(i.location.row, i.code) for i in r.warnings}
    assert {(3, "lage-normalised"), (4, "themenfeld-normalised"), (7, "conflict"),
            (7, "leika-key-not-numeric"), (7, "typ-unknown")} <= codes
    invalid = next(i for i in r.rejected_rows if i.code == "ozg-id-invalid")
    assert "'1009x'" in invalid.message and "fünfstellige" in invalid.message


def test_fim_csv_with_comma_and_utf8_and_header_variants(tmp_path):
    rows = [["leika-id", "Titel", "LeiKa-Typ", "OZG Leistung ID", "Themenfeld"],
            ["99001001000000", "Abfall", "5", "10110", "Bauen & Wohnen"]]
    path = _write_csv(tmp_path / "fim.csv", rows, delimiter=",", encoding="utf-8-sig")
    r = import_catalogue([path], catalogue_id=None, version=None, title=None)
    assert r.catalogue["id"] == "fim-export"
    svc = r.catalogue["services"][0]
    assert svc["name"] == "Abfall"  # no OZG-Leistung column: the LeiKa name stands in
    assert any(i.code == "ozg-name-missing" for i in r.warnings)


def test_fim_rows_without_ozg_id_only_gives_data_error(tmp_path):
    rows = [FIM_ROWS[0], ["99001001000000", "Abfall", "5", "", "Bauen & Wohnen", "A", ""]]
    path = _write_csv(tmp_path / "fim.csv", rows)
    with pytest.raises(DataError) as info:
        import_catalogue([path], catalogue_id="x", version=None, title=None)
    errors = [i for i in info.value.issues if i.severity == "error"]
    assert [(i.location.row, i.code) for i in errors] == [(2, "ozg-id-missing")]
    assert "encoding-cp1252" in {i.code for i in info.value.issues}
    assert "nichts geschrieben" in info.value.message


def test_shifted_row_is_rejected(tmp_path):
    text = ("OZG-ID,OZG-Themenfeld,Leistungsschlüssel,Leistungsbezeichnung,Typisierung\n"
            "10110,Umwelt,99001001000000,Abfall,5\n"
            "10111,Umwelt,99001001000001,Abfall, Sperrmüll,5\n")
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    r = import_catalogue([path], catalogue_id="x", version=None, title=None)
    assert [(i.location.row, i.code) for i in r.rejected_rows] == [(3, "row-width")]


# --- XLSX ---------------------------------------------------------------------------------


def test_xlsx_picks_the_sheet_with_matching_headers(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Hinweise"
    info["A1"] = "Export aus dem FIM-Portal"
    ws = wb.create_sheet("Leistungen")
    ws["A1"] = "Stand: März 2026"
    ws.append([])
    ws.append(["OZG-ID", "OZG-Leistung", "OZG-Themenfeld", "Leistungsschlüssel",
               "Leistungsbezeichnung", "Typisierung"])
    ws.append([10110, "Abfallentsorgung", "Bauen & Wohnen", 99001001000000, "Abfall", "5"])
    ws.append([])
    ws.append(["abc", "Kaputt", "Umwelt", 99001001000001, "X", "1"])
    path = tmp_path / "fim.xlsx"
    wb.save(path)
    # the first non-empty row of "Leistungen" is the "Stand" line, so header detection
    # finds no layout there; tell the importer via a mapping instead
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "sheet: Leistungen\n"
        "columns:\n  ozg_id: 'Stand: März 2026'\n  name: B\n  themenfeld: C\n", encoding="utf-8")
    with pytest.raises(UserError, match="Spalten aus der Zuordnungsdatei nicht gefunden"):
        import_catalogue([path], mapping=mapping, catalogue_id="x", version=None, title=None)

    ws.delete_rows(1, 2)  # now the header is row 1 of the sheet
    wb.save(path)
    r = import_catalogue([path], catalogue_id="x", version=None, title=None)
    assert r.layout == "fim-csv"
    assert len(r.files) == 1 and r.files[0].endswith("fim.xlsx (Blatt Leistungen)")
    svc = r.catalogue["services"][0]
    assert (svc["ozg_id"], svc["leika"][0]["key"]) == ("10110", "99001001000000")
    # row numbers as Excel shows them, with the sheet name
    assert [(i.location.sheet, i.location.row) for i in r.rejected_rows] == [("Leistungen", 4)]


def test_broken_xlsx_is_a_user_error(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_text("kein Excel", encoding="utf-8")
    with pytest.raises(UserError, match="keine gültige XLSX-Datei"):
        import_catalogue([path], catalogue_id="x", version=None, title=None)


# --- user mapping -------------------------------------------------------------------------

MAPPING = """\
# Zuordnung für die Leistungsliste des Kreises
columns:
  ozg_id: Nr.
  name: Leistung
  themenfeld: Bereich
  lage: Lebenslage
  leika_key: LeiKa
  leika_name: LeiKa-Name
  typisierung: Typ
  fees: Gebühr?
  evidence: Nachweise
  trust_level: Vertrauensniveau
  efa: EfA
  priority: Prio
  case_volume: Fälle/Jahr
booleans:
  "vorhanden": true
  "keine": false
"""


def test_mapping_import(tmp_path):
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    rows = [["Nr.", "Leistung", "Bereich", "Lebenslage", "LeiKa", "LeiKa-Name", "Typ",
             "Gebühr?", "Nachweise", "Vertrauensniveau", "EfA", "Prio", "Fälle/Jahr"],
            ["10110", "Abfall", "Bauen & Wohnen", "Wohnen & Umzug", "99001001000000",
             "Abfall Anmeldung", "5", "ja", "vorhanden", "Basis", "nein", "3", "1.200"],
            ["10110", "Abfall", "Bauen & Wohnen", "", "99001001001000", "Abfall Abmeldung",
             "5", "nein", "keine", "substantiell", "", "3", ""],
            ["10092", "Wohngeld", "Arbeit & Ruhestand", "", "", "", "", "vielleicht", "", "",
             "", "7", "12,5"]]
    path = _write_csv(tmp_path / "liste.csv", rows, delimiter=";", encoding="utf-8")
    r = import_catalogue([path], mapping=mapping, catalogue_id=None, version="1", title=None)
    assert r.layout == "mapping" and r.catalogue["id"] == "liste"
    assert (r.taken, r.merged, r.rejected) == (2, 1, 0)
    services = {s["ozg_id"]: s for s in r.catalogue["services"]}
    abfall = services["10110"]["attributes"]
    # any row with fees → fees; evidence "vorhanden" via the user's boolean map; efa is
    # "nein" in one row and blank (unknown) in the other, so it stays unknown
    assert abfall == {"fees": True, "evidence": True, "identification": None,
                      "trust_level": "substantiell", "sdg_annex2": None, "efa": None}
    assert services["10110"]["priority"] == 3 and services["10110"]["case_volume"] == 1200
    wohngeld = services["10092"]
    assert wohngeld["leika"] == [] and wohngeld["attributes"]["fees"] is None
    assert "priority" not in wohngeld and wohngeld["case_volume"] == 12.5
    warned = {(i.location.row, i.code) for i in r.warnings}
    assert (4, "value-invalid") in warned
    assert any("vielleicht" in i.message for i in r.warnings)


def test_mapping_errors_are_located(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ozgid: Nr.\n  name: 5\n  fees: [a]\n"
                       "booleans:\n  yes: true\n  nein: nö\nblatt: X\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_mapping(mapping)
    found = {(i.code, i.location.line) for i in info.value.issues}
    assert ("unknown-field", 2) in found
    assert ("type", 4) in found  # fees: [a]
    assert ("type", 6) in found  # yes: YAML reads it as a boolean
    assert ("type", 7) in found  # nein: nö
    assert ("unknown-key", 8) in found
    assert ("missing-field", 2) in found  # ozg_id and themenfeld missing
    messages = " ".join(i.message for i in info.value.issues)
    assert "Meinten Sie `ozg_id`?" in messages
    assert "Anführungszeichen" in messages


# --- files that cannot be imported ------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="nicht gefunden"):
        import_catalogue([tmp_path / "fehlt.csv"], catalogue_id="x", version=None, title=None)


@pytest.mark.parametrize(("name", "message"), [
    ("alt.xls", "keine gültige XLS-Datei"),
    ("tabelle.ods", "keine gültige ODS-Datei"),
    ("tabelle.numbers", r"\.numbers-Dateien werden nicht gelesen"),
    ("katalog.json", "schon eine Katalogdatei"),
    ("bericht.pdf", "wird nicht unterstützt"),
])
def test_wrong_file_types(tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(UserError, match=message):
        import_catalogue([path], catalogue_id="x", version=None, title=None)


def test_empty_file(tmp_path):
    path = tmp_path / "leer.csv"
    path.write_bytes(b"")
    with pytest.raises(UserError, match="leer"):
        import_catalogue([path], catalogue_id="x", version=None, title=None)
    path.write_bytes(b"\r\n\r\n")
    with pytest.raises(UserError, match="leer"):
        import_catalogue([path], catalogue_id="x", version=None, title=None)


def test_missing_required_columns(tmp_path):
    path = _write_csv(tmp_path / "f.csv", [["OZG-ID", "Leistungsbezeichnung", "Typisierung",
                                            "Leistungschlüssel", "OZG-Themenfeld"]])
    with pytest.raises(UserError) as info:
        import_catalogue([path], layout="fim-csv", catalogue_id="x", version=None, title=None)
    text = str(info.value)
    assert "Leistungsschlüssel" in text and "ähnlich: 'Leistungschlüssel'" in text
    path = _write_csv(tmp_path / "g.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(UserError, match="Spaltenaufbau nicht erkannt"):
        import_catalogue([path], catalogue_id="x", version=None, title=None)


def test_bad_ids_and_options(tmp_path):
    path = _write_csv(tmp_path / "f.csv", FIM_ROWS)
    with pytest.raises(UserError, match="reserviert"):
        import_catalogue([path], catalogue_id="kommunal", version=None, title=None)
    with pytest.raises(UserError, match="Kleinbuchstaben"):
        import_catalogue([path], catalogue_id="Mein Katalog", version=None, title=None)
    with pytest.raises(UserError, match="Unbekanntes Layout"):
        import_catalogue([path], layout="xlsx", catalogue_id="x", version=None, title=None)
    with pytest.raises(UserError, match="doppelt"):
        import_catalogue([path, path], catalogue_id="x", version=None, title=None)
