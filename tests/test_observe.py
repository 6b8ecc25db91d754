"""`observe`: the Dashboard Digitale Verwaltung's data beside the answers.

Every response comes from a local server on 127.0.0.1 (tests/ddv_server.py) replaying the
recorded rows in tests/data/ddv/ – never the real network."""

from __future__ import annotations

import csv
import json
import re
import socket
from datetime import date, timedelta
from pathlib import Path

import pytest
from ddv_server import DATA, DdvServer

from ozgkompass.model.catalogue import builtin_catalogue
from ozgkompass.observed import ddv
from ozgkompass.observed.compare import (
    briefing_sentences,
    compare,
    observed_entries,
    observed_for,
    place_of,
)
from ozgkompass.observed.model import ObservedRow, ObservedStatus
from ozgkompass.paths import data_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
LINDENAU, NORDWALD, FALKENBERG = "039990005012", "064990000000", "059990044044"


@pytest.fixture
def server():
    with DdvServer(page_size=3) as s:
        for ars in (LINDENAU, NORDWALD, FALKENBERG):
            s.load(ars)
        yield s


def _no_sleep(_: float) -> None:
    pass


def _closed_port_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    return f"http://127.0.0.1:{port}/api"


# --- download ------------------------------------------------------------------------------


def test_json_pages_are_followed_to_the_last_and_malformed_rows_are_located(server):
    obs = ddv.fetch(LINDENAU, api_url=server.url, sleep=_no_sleep)
    pages = [r for r in server.requests if "/v1/data/" in r]
    assert len(pages) == 3  # 8 rows, 3 a page
    assert all("includeAbove=true" in r and "includeBelow=false" in r for r in pages)
    assert [f"page={n}" in r for n, r in enumerate(pages)] == [True, True, True]
    assert len(obs.rows) == 7  # the eighth is malformed
    assert obs.name == "Lindenau"
    (issue,) = obs.issues
    assert issue.severity == "warning"
    assert str(issue) == ("Dashboard-API, Zeile 8: LeiKa-Schlüssel '9911' hat nicht 14 Ziffern; "
                          "Zeile übersprungen.")


def test_csv_export_gives_the_same_rows_as_the_json_pages(server):
    pages = ddv.fetch(FALKENBERG, api_url=server.url, sleep=_no_sleep)
    export = ddv.fetch(FALKENBERG, api_url=server.url, fmt="csv", sleep=_no_sleep)
    assert any("filetype=csv" in r for r in server.requests)
    assert export.rows == pages.rows
    assert export.rows[1].ars == "000000000000"  # leading zeros kept
    assert export.rows[7].online_status == "nicht ok"


def test_rate_limit_waits_as_told_by_retry_after_then_continues(server):
    server.failures = ["429"]
    waits: list[float] = []
    obs = ddv.fetch(NORDWALD, api_url=server.url, sleep=waits.append, page_pause=0)
    assert waits == [1.0]
    assert len(obs.rows) == 5


def test_rate_limit_that_does_not_end_gives_a_german_line(server):
    server.failures = ["429"] * 10
    with pytest.raises(ddv.FetchError) as err:
        ddv.fetch(NORDWALD, api_url=server.url, sleep=_no_sleep, max_retries=2)
    assert err.value.message == (
        "Das Dashboard begrenzt die Zahl der Anfragen (HTTP 429) und hat nach 2 "
        "Wiederholung(en) keine Daten geliefert. Der zuletzt gespeicherte Stand bleibt "
        "unverändert.")


def test_timeout_is_reported_as_no_answer_within_the_time(server):
    server.failures = ["slow"]
    with pytest.raises(ddv.OfflineError) as err:
        ddv.fetch(NORDWALD, api_url=server.url, timeout=0.5, sleep=_no_sleep)
    assert err.value.message == ("Das Dashboard Digitale Verwaltung ist nicht erreichbar "
                                 "(keine Antwort innerhalb von 0.5 s).")


def test_html_error_page_is_not_taken_for_data(server):
    server.failures = ["html"]
    with pytest.raises(ddv.FetchError, match="Statt Daten kam bei Seite 1 eine HTML-Seite"):
        ddv.fetch(NORDWALD, api_url=server.url, sleep=_no_sleep)


def test_page_without_content_is_an_unexpected_format(server):
    server.failures = ["broken-page"]
    with pytest.raises(ddv.FetchError, match="enthält keine Liste 'content'"):
        ddv.fetch(NORDWALD, api_url=server.url, sleep=_no_sleep)


def test_server_errors_are_retried_a_few_times(server):
    server.failures = ["500", "500"]
    waits: list[float] = []
    obs = ddv.fetch(NORDWALD, api_url=server.url, sleep=waits.append, page_pause=0)
    assert len(waits) == 2 and len(obs.rows) == 5


def test_failure_on_a_later_page_leaves_no_cache_and_no_temporary_file(server):
    server.failures = ["", "html"]  # page 1 fine, page 2 an error page
    with pytest.raises(ddv.FetchError):
        ddv.observe(LINDENAU, api_url=server.url, sleep=_no_sleep)
    folder = data_dir() / "observed"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_failed_download_keeps_the_previous_cache_byte_for_byte(server):
    first = ddv.observe(LINDENAU, api_url=server.url, sleep=_no_sleep)
    before = first.cache_file.read_bytes()
    server.failures = ["", "html"]
    again = ddv.observe(LINDENAU, api_url=server.url, sleep=_no_sleep)
    assert again.from_cache
    assert again.notice.startswith("Statt Daten kam bei Seite 2 eine HTML-Seite")
    assert "Verwendet wird der gespeicherte Stand" in again.notice
    assert first.cache_file.read_bytes() == before
    assert [p.name for p in first.cache_file.parent.iterdir()] == [f"ddv-{LINDENAU}.json"]


def test_cache_holds_date_source_and_rows_and_reads_back(server):
    got = ddv.observe(NORDWALD, api_url=server.url, sleep=_no_sleep)
    data = json.loads(got.cache_file.read_text(encoding="utf-8"))
    assert data["ars"] == NORDWALD
    assert data["source"] == f"Dashboard Digitale Verwaltung, {server.url}"
    assert data["retrieved"][:10] == date.today().isoformat() or data["retrieved"]
    assert ddv.load_cached(NORDWALD) == got.observation


def test_ars_must_have_twelve_digits():
    with pytest.raises(Exception, match="kein 12-stelliger Amtlicher Regionalschlüssel"):
        ddv.normalise_ars("03999000")


# --- offline use through the CLI -----------------------------------------------------------


def test_offline_without_cache_says_what_to_do(cli):
    code, out, err = cli("observe", "--ars", LINDENAU, "--api-url", _closed_port_url())
    assert code == 2
    assert "Das Dashboard Digitale Verwaltung ist nicht erreichbar (Verbindung abgelehnt)" in err
    assert "--file eine heruntergeladene Exportdatei einlesen" in err


def test_offline_with_cache_uses_it_and_says_how_old_it_is(cli, server):
    code, _, _ = cli("observe", str(EXAMPLES / "landkreis-nordwald.answers.yaml"),
                     "--api-url", server.url)
    assert code == 1  # contradictions found
    cached = data_dir() / "observed" / f"ddv-{NORDWALD}.json"
    data = json.loads(cached.read_text(encoding="utf-8"))
    old = date.today() - timedelta(days=30)
    data["retrieved"] = f"{old.isoformat()}T08:00:00+00:00"
    cached.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = cli("observe", str(EXAMPLES / "landkreis-nordwald.answers.yaml"),
                         "--api-url", _closed_port_url())
    assert code == 1
    assert "Hinweis: Das Dashboard Digitale Verwaltung ist nicht erreichbar" in err
    assert (f"Verwendet wird der gespeicherte Stand {old.strftime('%d.%m.%Y')} (vor 30 Tagen)"
            in err)
    assert "gespeicherter Stand" in out and "Widersprüche (3)" in out
    code, out, err = cli("observe", "--ars", NORDWALD, "--offline")
    assert code == 0 and "(vor 30 Tagen), gespeicherter Stand" in out and err == ""


def test_offline_flag_without_cache(cli):
    code, _, err = cli("observe", "--ars", NORDWALD, "--offline")
    assert code == 2
    assert f"Für den Regionalschlüssel {NORDWALD} liegen noch keine Daten" in err


# --- the join ------------------------------------------------------------------------------


def _row(**kw):
    base = dict(leika_key="99115005104000", leika_name=None, ozg_id=None, ozg_name=None,
                ars=LINDENAU, ars_name=None, url="https://x.example/", online_status="ok",
                active=True, coverage=None)
    return ObservedRow(**(base | kw))


def _obs(*rows):
    return ddv.Observation(ars=LINDENAU, name="Lindenau", source="Test", retrieved=
                           "2026-11-30T10:00:00+00:00", rows=tuple(rows))


def test_join_by_leika_key_when_the_row_has_no_ozg_id_and_by_ozg_id_otherwise():
    cat = builtin_catalogue()
    entries = observed_entries(_obs(
        _row(),  # Wohnsitz Anmeldung: the catalogue lists this key under 10124
        _row(leika_key="99000000000001", ozg_id="10559"),  # catalogue has no key for 10559
        _row(leika_key="99000000000002", ozg_id="99999")), cat)  # in neither
    assert entries["10124"].status is ObservedStatus.LISTED_OK
    assert entries["10124"].leika_keys == ("99115005104000",)
    assert entries["10559"].status is ObservedStatus.LISTED_OK
    assert entries["10160"].status is ObservedStatus.NOT_LISTED
    assert entries["10160"].online is False
    assert (entries["10124"].source, entries["10124"].date) == ("Test", "2026-11-30")


def test_own_ok_service_wins_over_a_land_service_and_a_broken_link():
    cat = builtin_catalogue()
    e = observed_entries(_obs(_row(online_status="nicht ok", url="https://alt.example/"),
                              _row(ars="030000000000", url="https://land.example/")), cat)
    assert (e["10124"].status, e["10124"].via, e["10124"].urls) == (
        ObservedStatus.LISTED_ABOVE, "land", ("https://land.example/",))
    assert e["10124"].label == "gelistet über Land"
    e = observed_entries(_obs(_row(online_status="nicht ok")), cat)
    assert (e["10124"].status, e["10124"].online, e["10124"].link_status) == (
        ObservedStatus.LISTED_NOT_OK, None, "nicht ok")
    e = observed_entries(_obs(_row(active=False)), cat)
    assert e["10124"].status is ObservedStatus.NOT_LISTED


def test_place_of_a_row_seen_from_a_gemeinde_and_from_a_kreis():
    assert place_of(_row(ars="000000000000"), LINDENAU) == "bund"
    assert place_of(_row(ars="030000000000"), LINDENAU) == "land"
    assert place_of(_row(ars="039990000000"), LINDENAU) == "kreis"
    assert place_of(_row(ars="039990005000"), LINDENAU) == "verband"
    assert place_of(_row(ars=LINDENAU), LINDENAU) == "hier"
    assert place_of(_row(ars="039990005012"), "039990000000") == "unten"
    assert place_of(_row(ars=None, coverage="landesweit flächendeckend"), LINDENAU) == "land"
    assert place_of(_row(ars="031010000000"), LINDENAU) == "fremd"


def test_rows_of_another_place_are_not_counted_here():
    e = observed_entries(_obs(_row(ars="031010000000")), builtin_catalogue())
    assert e["10124"].status is ObservedStatus.NOT_LISTED


# --- the comparison on the three examples --------------------------------------------------


def _contradictions(out: str) -> str:
    return out.split("Widersprüche", 1)[1].split("Gelistet", 1)[0]


@pytest.mark.parametrize("example, ars, expected", [
    # a Mitgliedsgemeinde in NI: Urkunden, Gewerbe and Meldewesen are the Samtgemeinde's
    # (docs/scoring.md §6), so none of its answers meets a listed service of its own
    ("gemeinde-lindenau", LINDENAU, []),
    ("landkreis-nordwald", NORDWALD, [
        ("10255", "nicht online", "gelistet über Bund", "Antwort korrigieren"),
        ("10169", "online", "nicht gelistet",
         "Zuständigkeit und Online-Dienst im Redaktionssystem pflegen"),
        ("10092", "online", "gelistet, Link nicht ok", "Link prüfen")]),
    # Kita (10019) is named in neither list of 1.2.0 (it runs on the Kreis's portal)
    ("stadt-falkenberg", FALKENBERG, [
        ("10348", "online", "gelistet, Link nicht ok", "Link prüfen"),
        ("10237", "online", "nicht gelistet",
         "Zuständigkeit und Online-Dienst im Redaktionssystem pflegen")]),
])
def test_examples_list_their_contradictions_first_with_what_to_do(cli, server, example, ars,
                                                                  expected):
    code, out, err = cli("observe", str(EXAMPLES / f"{example}.answers.yaml"),
                         "--api-url", server.url, "--json")
    assert code == (1 if expected else 0)  # 1: contradictions found
    data = json.loads(out)
    services = data["comparison"]["services"]
    head = [(s["ozg_id"], s["answer"], s["observed"]["label"], s["action"])
            for s in services[:len(expected)]]
    assert head == expected
    assert data["comparison"]["contradictions"] == len(expected)
    assert all(s["agreement"] != "Widerspruch" for s in services[len(expected):])
    code, text, _ = cli("observe", str(EXAMPLES / f"{example}.answers.yaml"), "--offline")
    assert code == (1 if expected else 0)
    if not expected:
        return
    block = _contradictions(text)
    assert [ozg for ozg, *_ in expected] == re.findall(r"^  (\d{5}) ", block, re.M)
    for _, _, _, action in expected:
        assert f"    Zu tun: {action}" in block


def test_agreeing_services_and_the_care_list(server):
    obs = ddv.fetch(FALKENBERG, api_url=server.url, sleep=_no_sleep)
    from ozgkompass.model.registry import load_answer_set

    aset = load_answer_set(EXAMPLES / "stadt-falkenberg.answers.yaml")
    c = compare(obs, builtin_catalogue(), aset.municipality, aset)
    by_id = {s.ozg_id: s for s in c.services}
    assert by_id["10124"].agreement == "stimmt überein"  # answer online, Bund lists eWA
    assert by_id["10559"].agreement == "stimmt überein"
    assert by_id["10117"].answer == "keine Angabe"
    assert by_id["10117"].agreement == "nur beobachtet"
    care = [s.ozg_id for s in c.care_list]
    assert "10237" in care and "10117" in care and "10559" not in care
    assert all(s.observed.status is ObservedStatus.NOT_LISTED for s in c.care_list)
    # Kfz is a Kreis task: not in a kreisangehörige Stadt's scope, not on its list
    assert "10439" not in by_id
    priorities = [s.priority or 0 for s in c.care_list]
    assert priorities == sorted(priorities, reverse=True)
    # Wohngeld is a Gemeinde task in NRW (audit 2026-12, finding 1): counted for the Stadt
    assert "10092" in by_id
    assert (c.count_answer, c.count_observed, c.count_observed_here) == (42, 10, 7)


def test_terminal_output_fits_80_columns(cli, server, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = cli("observe", str(EXAMPLES / "stadt-falkenberg.answers.yaml"),
                       "--api-url", server.url)
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Pflege-Liste (" in out


def test_observed_for_reads_only_the_cache(server):
    from ozgkompass.model.answers import Municipality

    m = Municipality("Landkreis Nordwald", ars=NORDWALD)
    assert observed_for(m, builtin_catalogue()) is None
    ddv.observe(NORDWALD, api_url=server.url, sleep=_no_sleep)
    entries = observed_for(m, builtin_catalogue())
    assert entries["10439"].status is ObservedStatus.LISTED_OK
    assert entries["10439"].urls == ("https://kfz.nordwald.example/zulassung",)
    assert observed_for(Municipality("ohne ARS"), builtin_catalogue()) is None


def test_briefing_sentences_say_how_the_figure_comes_about_and_what_moves_it(server):
    from ozgkompass.model.registry import load_answer_set

    aset = load_answer_set(EXAMPLES / "landkreis-nordwald.answers.yaml")
    c = compare(ddv.fetch(NORDWALD, api_url=server.url, sleep=_no_sleep), builtin_catalogue(),
                aset.municipality, aset)
    first, second = briefing_sentences(c)
    assert first.startswith(f"Das Dashboard Digitale Verwaltung zeigt für Landkreis Nordwald "
                            f"3 von {len(c.services)} Leistungen")
    assert "(2 davon Dienste von Kreis, Land oder Bund)" in first
    assert f"die {len(c.care_list)} Leistungen ohne gelisteten Online-Dienst" in second
    assert second.endswith("und 1 Link mit Status „nicht ok“ repariert wird.")
    from dataclasses import replace

    _, second = briefing_sentences(replace(c, care_list=()))
    assert second == ("Für jede Leistung ist ein Dienst gelistet; die Zahl hält, wenn 1 Link "
                      "mit Status „nicht ok“ repariert wird.")


# --- export files --------------------------------------------------------------------------


def _export_rows(ars: str) -> list[dict]:
    return json.loads((DATA / f"{ars}.json").read_text(encoding="utf-8"))


def test_file_csv_export_is_read_and_cached(cli, tmp_path):
    rows = _export_rows(NORDWALD)
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    code, out, _ = cli("observe", str(EXAMPLES / "landkreis-nordwald.answers.yaml"),
                       "--file", str(path), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["observation"]["source"] == "Dashboard Digitale Verwaltung, Exportdatei " \
                                            "export.csv"
    assert ddv.load_cached(NORDWALD) is not None
    assert path.read_bytes().startswith(b"leika_key;")  # the input is never modified


def test_file_xlsx_export_with_numbers_for_keys(cli, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["LeiKa-Schlüssel", "OZG-ID", "ARS", "URL", "Online-Status"])
    ws.append([99036001001000, 10439, 64990000000, "https://kfz.example/", "ok"])  # zero lost
    ws.append(["kein Schlüssel", 10092, NORDWALD, "https://w.example/", "ok"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    code, out, err = cli("observe", "--ars", NORDWALD, "--file", str(path), "--json")
    data = json.loads(out)
    kfz = next(s for s in data["comparison"]["services"] if s["ozg_id"] == "10439")
    assert kfz["observed"]["status"] == "listed_ok"
    assert "export.xlsx, Zeile 3: LeiKa-Schlüssel 'kein Schlüssel' hat nicht 14 Ziffern" in err
    assert code == 0


@pytest.mark.parametrize("name", ["export.ods", "export.xls"])
def test_libreoffice_ods_and_xls_exports_are_read_with_their_rows(tmp_path, name):
    # made once by LibreOffice from a CSV (tests/data/ddv/README.md): the ARS became a
    # number without its leading zero, row 4 is blank
    path = tmp_path / name
    path.write_bytes((DATA / name).read_bytes())
    obs = ddv.read_export(path, NORDWALD)
    assert [(r.leika_key, r.ozg_id, r.ars, r.online_status) for r in obs.rows] == [
        ("99036001001000", "10439", NORDWALD, "ok"),
        ("99106001001000", "10092", NORDWALD, "nicht ok")]
    assert obs.name == "Landkreis Nordwald"
    assert [str(i) for i in obs.issues] == [
        f"{path}, Zeile 5: LeiKa-Schlüssel 'kein Schlüssel' hat nicht 14 Ziffern; "
        "Zeile übersprungen."]


def test_xlsx_export_on_the_second_sheet_is_found_and_its_sheet_named(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Hinweise"
    wb.active.append(["Export des Dashboards Digitale Verwaltung"])
    ws = wb.create_sheet("Daten")
    ws.append([])
    ws.append(["LeiKa-Schlüssel", "OZG-ID", "ARS", "URL"])
    ws.append([99036001001000, 10439, 64990000000, "https://kfz.example/"])
    ws.append([99036001001000, "zehn", NORDWALD, "https://kfz.example/"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    obs = ddv.read_export(path, NORDWALD)
    assert [(r.ozg_id, r.ars) for r in obs.rows] == [("10439", NORDWALD)]
    assert [str(i) for i in obs.issues] == [
        f"{path}, Blatt 'Daten', Zeile 4: OZG-ID 'zehn' ist keine Zahl mit bis zu 5 "
        "Ziffern; Zeile übersprungen."]


def test_xlsx_without_a_leika_column_names_the_header_row(cli, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Gemeinde", "Dienst"])
    wb.active.append(["Nordwald", "https://kfz.example/"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    code, _, err = cli("observe", "--ars", NORDWALD, "--file", str(path))
    assert code == 2 and "Traceback" not in err
    assert "export.xlsx, Zeile 1: Die Kopfzeile nennt keine Spalte für den LeiKa-Schlüssel" \
        in err


def test_windows_1252_semicolon_csv_is_read_with_a_warning_and_true_line_numbers(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("LeiKa-Schlüssel;OZG-ID;ARS;Gebietskörperschaft;URL\n"
                     "99036001001000;10439;064990000000;Landkreis Nordwald;"
                     "https://kfz.example/\n"
                     '99106001001000;10092;064990000000;"Nordwald\n(Kreis)";'
                     "https://wohngeld.example/\n"
                     "99012008001000;1O519;064990000000;Nordwald;https://bau.example/\n"
                     .encode("cp1252"))
    obs = ddv.read_export(path, NORDWALD)
    assert [r.ozg_id for r in obs.rows] == ["10439", "10092"]
    assert obs.name == "Landkreis Nordwald"  # the Umlaut header found in Windows-1252
    warning, bad = obs.issues
    assert warning.code == "encoding-cp1252" and "Windows-1252" in warning.message
    # the record after a cell with a line break starts on line 5, not on record 4
    assert str(bad.location) == f"{path}, Zeile 5"


def test_api_csv_export_shares_the_reader_and_stays_a_fetch_error():
    rows, issues = ddv._api_csv("leika_key,ozgid,ars,ars_name\n"
                                "99036001001000,10439,064990000000,Kreis Südwald\n"
                                .encode("cp1252"))
    assert rows[0].ars_name == "Kreis Südwald" and rows[0].ozg_id == "10439"
    assert [i.code for i in issues] == ["encoding-cp1252"]
    with pytest.raises(ddv.FetchError) as info:  # so that the cache can stand in
        ddv._api_csv(b"a;b\n1;2\n")
    assert re.fullmatch(r"CSV-Export, Zeile 1: Die Kopfzeile nennt keine Spalte .* "
                        r"bleibt unverändert\.", info.value.message)
    assert "--api-url" in str(info.value.hint)


def test_workbook_saved_with_a_csv_ending_is_named_as_such(cli, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "export.csv"
    Workbook().save(path)
    code, _, err = cli("observe", "--ars", NORDWALD, "--file", str(path))
    assert code == 2 and "Traceback" not in err
    assert "export.csv: Die Datei ist eine Tabellenmappe" in err


@pytest.mark.parametrize("content, message", [
    (b"<html><body>Anmeldung</body></html>", "Die Datei ist eine HTML-Seite, kein Export."),
    (b"\xef\xbb\xbf <!DOCTYPE html>", "Die Datei ist eine HTML-Seite, kein Export."),
    (b"a;b;c\n1;2;3\n", "Die Kopfzeile nennt keine Spalte für den LeiKa-Schlüssel"),
    (b'{"content": [', "kein gültiges JSON"),
    (b"leika_key;url\n99036001001000;" + b"x" * 200_000 + b"\n",
     "export.csv, Zeile 2: Die CSV-Daten sind nicht lesbar"),
])
def test_file_that_is_no_export_gets_a_german_line(cli, tmp_path, content, message):
    path = tmp_path / ("export.json" if content.startswith(b"{") else "export.csv")
    path.write_bytes(content)
    code, _, err = cli("observe", "--ars", NORDWALD, "--file", str(path))
    assert code == 2 and message in err
    assert "Traceback" not in err


def test_xlsx_export_that_is_a_zip_bomb_is_not_inflated(cli, tmp_path):
    import zipfile

    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * 60_000_000)
    code, _, err = cli("observe", "--ars", NORDWALD, "--file", str(path))
    assert code == 2 and "export.xlsx: " in err and "Traceback" not in err


@pytest.mark.parametrize("name, message", [
    ("far_cell.xlsx", "reicht bis Zelle XFD1048576"),  # python-calamine would abort on it
    ("far_cell.ods", "reicht bis Zelle XFD1048576"),
    ("far_sheets.xls", "reicht bis Zelle IV65536"),
    ("many_sheets.xlsx", "mehr als 3.000.000 Zellen"),
    ("html_export.xls", "Die Datei ist eine HTML-Seite, kein Export."),
])
def test_hostile_workbook_export_is_refused_before_it_is_read(cli, tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes((ROOT / "tests" / "data" / "bad" / name).read_bytes())
    code, _, err = cli("observe", "--ars", NORDWALD, "--file", str(path))
    assert code == 2 and f"{name}: " in err and message in err
    assert "Traceback" not in err and ddv.load_cached(NORDWALD) is None


def test_file_for_another_municipality_is_refused(cli, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(_export_rows(FALKENBERG)), encoding="utf-8")
    code, _, err = cli("observe", "--ars", LINDENAU, "--file", str(path))
    assert code == 2
    assert f"keine Zeile für den Regionalschlüssel {LINDENAU}" in err


# --- a provider's round --------------------------------------------------------------------


def test_members_get_one_summary_row_each_and_a_bad_one_does_not_stop_the_round(cli, server,
                                                                                tmp_path):
    members = tmp_path / "mitglieder.csv"
    members.write_text(f"ars;name;type\n{LINDENAU};Gemeinde Lindenau;gemeinde\n"
                       f"{FALKENBERG};Stadt Falkenberg;stadt\n0399;Tippfehler;gemeinde\n",
                       encoding="utf-8")
    code, out, err = cli("observe", "--members", str(members), "--api-url", server.url,
                         "--json")
    assert code == 1
    data = json.loads(out)
    assert [(m["ars"], m["name"], m["listed_here"], m["listed_above"], m["link_not_ok"])
            for m in data["members"]] == [(LINDENAU, "Gemeinde Lindenau", 2, 1, 1),
                                          (FALKENBERG, "Stadt Falkenberg", 6, 3, 1)]
    # without the answers file's scope.add, Bauantrag is not Falkenberg's: 6 (with
    # Wohngeld, a Gemeinde task in NRW), not 7
    assert data["failed"][0]["ars"] == "0399"
    assert "kein 12-stelliger Amtlicher Regionalschlüssel" in data["failed"][0]["message"]


def test_an_answers_file_with_a_short_ars_is_named_in_the_message(cli, tmp_path):
    answers = tmp_path / "kurz.answers.yaml"
    answers.write_text((EXAMPLES / "gemeinde-lindenau.answers.yaml").read_text(
        encoding="utf-8").replace('ars: "039990005012"', 'ars: "03999000"'), encoding="utf-8")
    code, _, err = cli("observe", str(answers), "--offline")
    assert code == 1
    assert "kurz.answers.yaml:12" in err  # the line of the ARS
    assert "Amtlicher Regionalschlüssel '03999000' muss aus 12 Ziffern bestehen" in err
    assert "Der Regionalschlüssel ist ungültig" in err


@pytest.mark.parametrize("content, message", [
    (b"name;typ\nLindenau;gemeinde\n", "Die Kopfzeile hat keine Spalte „ars“"),
    (b"ars\n\xff\xfe039990005012\n", "ist keine UTF-8-Textdatei"),
])
def test_member_list_that_cannot_be_used(cli, tmp_path, content, message):
    path = tmp_path / "mitglieder.csv"
    path.write_bytes(content)
    code, _, err = cli("observe", "--members", str(path), "--offline")
    assert code == 2 and message in err


def test_kreis_needs_the_directory(cli):
    code, _, err = cli("observe", "--kreis", "03999", "--offline")
    assert code == 2 and "--kreis braucht das Gemeindeverzeichnis" in err


def test_exactly_one_subject(cli):
    code, _, err = cli("observe")
    assert code == 2 and "Genau eines angeben" in err


# --- the report's section ------------------------------------------------------------------


def test_report_has_the_dashboard_section_when_a_retrieval_is_cached(cli, server, tmp_path):
    answers = str(EXAMPLES / "landkreis-nordwald.answers.yaml")
    code, _, _ = cli("report", answers, "--format", "html", "--out", "ohne")
    assert code == 0
    html = next((tmp_path / "ohne").glob("*.html")).read_text(encoding="utf-8")
    assert 'id="beobachtet"' not in html  # nothing cached: no section, the report as before
    cli("observe", answers, "--api-url", server.url)
    code, _, err = cli("report", answers, "--format", "html", "--out", "mit")
    assert code == 0
    assert "Mit Daten des Dashboards Digitale Verwaltung, Stand" in err
    html = next((tmp_path / "mit").glob("*.html")).read_text(encoding="utf-8")
    section = html.split('id="beobachtet"', 1)[1].split('<h2 id="hebel">', 1)[0]
    assert f"Quelle: Dashboard Digitale Verwaltung, {server.url}, Stand " in section
    assert "Widersprüche zwischen Antworten und Dashboard (3)" in section
    contra = section.split('id="beobachtet-widersprueche"', 1)[1].split("<h3", 1)[0]
    assert [ozg for ozg in ("10255", "10169", "10092") if f"<td>{ozg}</td>" in contra] == [
        "10255", "10169", "10092"]
    assert contra.index("10255") < contra.index("10169") < contra.index("10092")
    assert "<td>Zuständigkeit und Online-Dienst im Redaktionssystem pflegen</td>" in contra
    listed = section.split('id="beobachtet-gelistet"', 1)[1].split("<h3", 1)[0]
    assert "https://kfz.nordwald.example/zulassung" in listed
    assert "gelistet, Link nicht ok" in contra and "<td>Link prüfen</td>" in contra
    care = section.split('id="pflege-liste"', 1)[1]
    assert "<td>10110</td>" in care and "<td>10439</td>" not in care


def test_excel_report_has_the_dashboard_sheet(cli, server, tmp_path):
    from openpyxl import load_workbook

    answers = str(EXAMPLES / "landkreis-nordwald.answers.yaml")
    cli("observe", answers, "--api-url", server.url)
    code, _, _ = cli("report", answers, "--format", "xlsx", "--out", "aus")
    assert code == 0
    wb = load_workbook(next((tmp_path / "aus").glob("*.xlsx")))
    assert "Dashboard" in wb.sheetnames
    rows = list(wb["Dashboard"].iter_rows(values_only=True))
    assert rows[0][:6] == ("OZG-ID", "Leistung", "Antwort", "Dashboard", "Abgleich", "Zu tun")
    assert [r[0] for r in rows[1:4]] == ["10255", "10169", "10092"]
    assert rows[1][4] == "Widerspruch" and rows[1][5] == "Antwort korrigieren"
    assert rows[3][7] == "https://wohngeld.nordwald.example/antrag"
    assert rows[1][9].startswith(f"Dashboard Digitale Verwaltung, {server.url}, Stand ")
    care = {r[0] for r in rows[1:] if r[8] == "ja"}
    assert "10169" in care and "10439" not in care


def test_a_cached_retrieval_fills_today_where_the_answers_say_nothing(cli, server):
    answers = str(EXAMPLES / "landkreis-nordwald.answers.yaml")
    code, out, _ = cli("score", answers, "--json")
    before = {s["ozg_id"]: s for s in json.loads(out)["catalogue"]["services"]}
    assert before["10110"]["today_source"] == "unbekannt"  # nobody said anything
    cli("observe", answers, "--api-url", server.url)
    code, out, _ = cli("score", answers, "--json")
    assert code == 0
    after = {s["ozg_id"]: s for s in json.loads(out)["catalogue"]["services"]}
    # not listed on the dashboard and not answered: observed as not online, with its date
    assert after["10110"]["today_source"] == "beobachtet"
    assert after["10110"]["today_online"] is False and after["10110"]["today_date"]
    # the answer wins where there is one, even against the dashboard (10255: answered
    # "nicht online", the dashboard lists the Bund's service)
    assert after["10255"]["today_source"] == "antwort"
    assert after["10255"]["today_online"] is False
    # Kfz-Zulassung (10439) is answered online and listed: the answer stays the source
    assert after["10439"]["today_source"] == "antwort"


def test_the_briefing_says_how_the_dashboard_figure_comes_about(cli, server, tmp_path):
    answers = str(EXAMPLES / "landkreis-nordwald.answers.yaml")
    cli("report", answers, "--audience", "leitung", "--format", "html", "--out", "ohne")
    before = next((tmp_path / "ohne").glob("*-briefing.html")).read_text(encoding="utf-8")
    assert "Das Dashboard Digitale Verwaltung zeigt" not in before  # nothing cached
    cli("observe", answers, "--api-url", server.url)
    code, _, err = cli("report", answers, "--audience", "leitung", "--format", "html",
                       "--out", "mit")
    assert code == 0, err
    html = next((tmp_path / "mit").glob("*-briefing.html")).read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # two sentences: how the figure comes about, and what would move it
    assert "Das Dashboard Digitale Verwaltung zeigt für" in text
    assert "im Redaktionssystem des Landes" in text
    assert "Die Zahl steigt am schnellsten" in text or "die Zahl hält" in text


def test_score_names_where_the_answer_contradicts_the_dashboard(cli, server):
    answers = str(EXAMPLES / "landkreis-nordwald.answers.yaml")
    cli("observe", answers, "--api-url", server.url)
    code, out, _ = cli("score", answers)
    assert code == 0
    text = " ".join(out.split())
    # 10255 answered "nicht online", the Bund's service is listed; 10169 answered online,
    # not listed: the answer counts, and score says so
    assert "widerspricht die Angabe der Kommune dem Dashboard Digitale Verwaltung" in text
    assert "10169" in text and "10255" in text
