"""`update_catalogue` against a real local HTTP server that answers like the FIM-Portal API.

The fixtures in tests/data/fim/ are pages shaped like `PaginatedResult` of the OpenAPI
description 0.24.0 (`items`, `offset`, `limit`, `count`, `total_count`); the server re-pages
them by `offset`/`limit`, filters by `updated_since` and records every request. `sleep` is a
fake that records the waits, so nothing here really waits.
"""

from __future__ import annotations

import copy
import email.utils
import json
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ozgkompass.catalogue import fim_api
from ozgkompass.catalogue.fim_api import update_catalogue
from ozgkompass.errors import UserError

DATA = Path(__file__).parent / "data" / "fim"


def load_items(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))["items"]


def _key(item: dict) -> str:
    key = item["leistungsschluessel"]
    return key[0] if isinstance(key, list) else key


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class FakeFim:
    """State of the fake portal: its Steckbriefe, scripted answers, recorded requests."""

    def __init__(self, items: list[dict]) -> None:
        self.items = items
        self.requests: list[dict] = []
        # Scripted answers (status, headers, body), one per request before the normal ones
        # (None: the normal answer); `forever` answers every request.
        self.script: list[tuple[int, dict[str, str], bytes] | None] = []
        self.forever: tuple[int, dict[str, str], bytes] | None = None

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if self.forever:
            return self.forever
        if self.script:
            scripted = self.script.pop(0)
            if scripted is not None:
                return scripted
        if path != fim_api.ENDPOINT:
            return 404, {}, b'{"detail": "Not Found"}'
        limit = int(query.get("limit", "200"))
        if not 1 <= limit <= 200:
            return 422, {}, b'{"detail": "limit"}'
        offset = int(query.get("offset", "0"))
        items = sorted(self.items, key=_key)
        if "updated_since" in query:
            since = _moment(query["updated_since"])
            items = [i for i in items if _moment(i["geaendert_datum_zeit"]) >= since]
        page = items[offset:offset + limit]
        body = {"items": page, "offset": offset, "limit": limit, "count": len(page),
                "total_count": len(items)}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode("utf-8")


@pytest.fixture
def fim():
    state = FakeFim(load_items("steckbriefe.json"))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            state.requests.append({"path": parts.path, "query": query,
                                   "headers": dict(self.headers)})
            status, headers, body = state.answer(parts.path, query)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def waits() -> list[float]:
    return []


def run(fim_or_url, cache_dir: Path, waits: list[float], **kwargs):
    url = fim_or_url if isinstance(fim_or_url, str) else fim_or_url.url
    kwargs.setdefault("page_pause", 0)
    return update_catalogue(cache_dir, base_url=url, sleep=waits.append, **kwargs)


def files_under(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in files_under(folder)}


def service(catalogue: dict, ozg_id: str) -> dict:
    return next(s for s in catalogue["services"] if s["ozg_id"] == ozg_id)


# --- paging, catalogue, files ------------------------------------------------------------


def test_full_download_pages_through_total_count(fim, tmp_path, waits):
    seen: list[tuple[int, int]] = []
    result = run(fim, tmp_path, waits, page_size=3, page_pause=0.2,
                 progress=lambda done, total: seen.append((done, total)))

    assert [r["query"]["offset"] for r in fim.requests] == ["0", "3", "6"]
    assert {r["query"]["limit"] for r in fim.requests} == {"3"}
    assert all("updated_since" not in r["query"] for r in fim.requests)
    assert all(r["path"] == "/api/v0/leistung-steckbriefe" for r in fim.requests)
    headers = fim.requests[0]["headers"]
    assert headers["User-Agent"] == f"ozgkompass/{fim_api.__version__}"
    assert headers["Accept"] == "application/json"
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert waits == [0.2, 0.2]  # the polite pause between pages, none before the first
    assert (result.pages, result.downloaded, result.skipped_without_ozg) == (3, 5, 2)
    assert result.total_in_cache == 5
    assert result.incremental is False and result.since is None
    assert result.retries_after_429 == 0


def test_catalogue_has_ozg_ids_themenfelder_and_typisierung(fim, tmp_path, waits):
    result = run(fim, tmp_path, waits)
    cat = result.catalogue

    assert cat["format"] == 1 and cat["id"] == "fim"
    assert cat["version"] == datetime.now(UTC).date().isoformat()
    assert cat["source"].startswith(f"FIM-Portal API ({fim.url}), Leistungssteckbriefe, "
                                    "abgerufen am ")
    assert [s["ozg_id"] for s in cat["services"]] == ["10110", "10119"]
    waste, id_card = service(cat, "10110"), service(cat, "10119")
    assert (waste["name"], waste["themenfeld"], waste["lage"]) == (
        "Abfallentsorgung", "Bauen & Wohnen", None)
    # the enum decides, not the API's label "Querschnittsleistungen"
    assert (id_card["name"], id_card["themenfeld"]) == ("Personalausweis", "Querschnitt")
    assert waste["leika"] == [
        {"key": "99001001000000", "name": "Abfallentsorgung Anmeldung", "typisierung": "5"},
        {"key": "99001002000000", "name": "Abfallentsorgung Abmeldung", "typisierung": "5"},
        {"key": "99001003000000", "name": "Abfallgebühren Ermäßigung", "typisierung": "4b"},
    ]
    # the second entry comes in the Stammtext shape (lists) with two Typisierungen
    assert id_card["leika"] == [
        {"key": "99050048261000", "name": "Personalausweis Verlust Anzeige",
         "typisierung": "2, 2/3"},
        {"key": "99050048262000", "name": "Personalausweis Ausstellung", "typisierung": "2b"},
    ]
    assert set(waste["attributes"].values()) == {None}  # nothing is guessed

    assert files_under(tmp_path) == ["catalogues/fim.json", "fim/steckbriefe.json"]
    assert result.catalogue_path == tmp_path / "catalogues" / "fim.json"
    assert json.loads(result.catalogue_path.read_text(encoding="utf-8")) == cat
    cache = json.loads((tmp_path / "fim" / "steckbriefe.json").read_text(encoding="utf-8"))
    assert cache["base_url"] == fim.url
    assert sorted(cache["items"]) == ["99001001000000", "99001002000000", "99001003000000",
                                      "99050048261000", "99050048262000"]
    assert datetime.fromisoformat(cache["last_update"]).tzinfo is not None


def test_catalogue_id_names_the_file(fim, tmp_path, waits):
    result = run(fim, tmp_path, waits, catalogue_id="fim-test")
    assert result.catalogue_path.name == "fim-test.json"
    assert result.catalogue["id"] == "fim-test"
    with pytest.raises(UserError, match="Ungültige Katalog-ID"):
        run(fim, tmp_path, waits, catalogue_id="../x")


def test_base_url_from_environment(fim, tmp_path, waits, monkeypatch):
    monkeypatch.setenv("OZGKOMPASS_FIM_URL", fim.url + "/")
    result = update_catalogue(tmp_path, sleep=waits.append, page_pause=0)
    assert result.total_in_cache == 5
    assert fim.requests


# --- increments ----------------------------------------------------------------------------


def test_second_run_sends_updated_since_and_merges(fim, tmp_path, waits):
    run(fim, tmp_path, waits)
    cache_file = tmp_path / "fim" / "steckbriefe.json"
    stored = json.loads(cache_file.read_text(encoding="utf-8"))["last_update"]

    # The portal changes after our first run: one Steckbrief revised, one new, and the
    # Hundesteuer Steckbrief (skipped before) now has an OZG assignment.
    changed = load_items("steckbriefe-update.json")
    now = datetime.now(UTC).isoformat()
    for item in changed:
        item["geaendert_datum_zeit"] = now
    by_key = {_key(i): i for i in fim.items}
    by_key.update({_key(i): i for i in changed})
    fim.items = list(by_key.values())
    fim.requests.clear()

    result = run(fim, tmp_path, waits)

    assert [r["query"].get("updated_since") for r in fim.requests] == [stored]
    assert result.incremental is True and result.since == stored
    assert (result.downloaded, result.skipped_without_ozg, result.total_in_cache) == (3, 0, 7)
    cat = result.catalogue
    assert [s["ozg_id"] for s in cat["services"]] == ["10110", "10119", "10221"]
    waste = service(cat, "10110")
    assert waste["leika"][0] == {"key": "99001001000000",
                                 "name": "Abfallentsorgung Anmeldung (neu gefasst)",
                                 "typisierung": "4b"}
    assert [entry["key"] for entry in waste["leika"]] == [
        "99001001000000", "99001002000000", "99001003000000", "99001004000000"]
    dog_tax = service(cat, "10221")
    assert (dog_tax["name"], dog_tax["themenfeld"]) == ("Hundesteuer", "Steuern & Zoll")
    assert len(service(cat, "10119")["leika"]) == 2  # untouched items stay

    new_stored = json.loads(cache_file.read_text(encoding="utf-8"))["last_update"]
    assert new_stored >= stored


def test_item_that_lost_its_ozg_data_leaves_the_cache(fim, tmp_path, waits):
    run(fim, tmp_path, waits)
    item = copy.deepcopy(next(i for i in fim.items if _key(i) == "99001003000000"))
    item["ozg"] = None
    item["geaendert_datum_zeit"] = datetime.now(UTC).isoformat()
    fim.items = [i for i in fim.items if _key(i) != "99001003000000"] + [item]

    result = run(fim, tmp_path, waits)

    assert (result.downloaded, result.skipped_without_ozg, result.total_in_cache) == (0, 1, 4)
    assert [e["key"] for e in service(result.catalogue, "10110")["leika"]] == [
        "99001001000000", "99001002000000"]


def test_since_overrides_and_full_ignores_the_stored_timestamp(fim, tmp_path, waits):
    run(fim, tmp_path, waits)
    fim.requests.clear()

    result = run(fim, tmp_path, waits, since="2024-01-01")
    assert fim.requests[0]["query"]["updated_since"] == "2024-01-01T00:00:00"
    assert result.downloaded == 5 and result.incremental is True

    fim.requests.clear()
    result = run(fim, tmp_path, waits, full=True)
    assert "updated_since" not in fim.requests[0]["query"]
    assert result.incremental is False and result.total_in_cache == 5

    with pytest.raises(UserError, match="schließen sich aus"):
        run(fim, tmp_path, waits, full=True, since="2024-01-01")
    with pytest.raises(UserError, match="kein gültiges Datum"):
        run(fim, tmp_path, waits, since="31.01.2024")


def test_cache_from_another_server_is_not_merged(fim, tmp_path, waits):
    run(fim, tmp_path, waits)
    cache_file = tmp_path / "fim" / "steckbriefe.json"
    cache = json.loads(cache_file.read_text(encoding="utf-8"))
    cache["base_url"] = "https://example.invalid"
    cache["items"]["99999999999999"] = cache["items"]["99001001000000"]
    cache_file.write_text(json.dumps(cache), encoding="utf-8")
    fim.requests.clear()

    result = run(fim, tmp_path, waits)

    assert "updated_since" not in fim.requests[0]["query"]
    assert result.total_in_cache == 5


def test_damaged_cache_asks_for_full(fim, tmp_path, waits):
    (tmp_path / "fim").mkdir()
    (tmp_path / "fim" / "steckbriefe.json").write_text("{kaputt", encoding="utf-8")
    with pytest.raises(UserError, match="Zwischenspeicher") as info:
        run(fim, tmp_path, waits)
    assert "--full" in (info.value.hint or "")
    assert run(fim, tmp_path, waits, full=True).total_in_cache == 5


# --- politeness on 429 and server errors ------------------------------------------------------


def test_429_with_retry_after_then_success(fim, tmp_path, waits):
    too_many = (429, {"Retry-After": "7"}, b'{"detail": "Too Many Requests"}')
    fim.script = [None, too_many]  # the second request (page 2) is refused once

    result = run(fim, tmp_path, waits, page_size=3)

    assert waits == [7.0]
    assert result.retries_after_429 == 1
    assert [r["query"]["offset"] for r in fim.requests] == ["0", "3", "3", "6"]
    assert result.total_in_cache == 5 and result.pages == 3


def test_429_without_retry_after_backs_off_exponentially(fim, tmp_path, waits):
    plain = (429, {}, b"")
    http_date = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30),
                                            usegmt=True)
    fim.script = [plain, plain, plain, (429, {"Retry-After": http_date}, b"")]

    result = run(fim, tmp_path, waits)

    assert waits[:3] == [1.0, 2.0, 4.0]
    assert 25 <= waits[3] <= 30  # an HTTP date is turned into the seconds until then
    assert result.retries_after_429 == 4 and result.total_in_cache == 5


def test_backoff_is_capped_at_60_seconds():
    assert [fim_api._retry_delay(None, n) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert fim_api._retry_delay("kaputt", 2) == 4


def test_429_forever_gives_up_and_keeps_the_previous_state(fim, tmp_path, waits):
    run(fim, tmp_path, waits)
    before = snapshot(tmp_path)
    fim.forever = (429, {}, b"")

    with pytest.raises(UserError) as info:
        run(fim, tmp_path, waits, full=True, max_retries=3)

    assert "begrenzt die Zahl der Anfragen" in info.value.message
    assert "später" in str(info.value)
    assert waits == [1.0, 2.0, 4.0]
    assert len(fim.requests) == 1 + 1 + 3  # first run, then one try and three retries
    assert snapshot(tmp_path) == before


def test_very_long_retry_after_is_not_waited_for(fim, tmp_path, waits):
    fim.forever = (429, {"Retry-After": "3600"}, b"")
    with pytest.raises(UserError, match="erst in etwa 60 Minuten"):
        run(fim, tmp_path, waits)
    assert waits == []


def test_server_error_is_retried_then_reported(fim, tmp_path, waits):
    fim.script = [(503, {}, b"")]
    assert run(fim, tmp_path, waits).total_in_cache == 5
    assert waits == [1.0]

    waits.clear()
    fim.forever = (502, {}, b"Bad Gateway")
    with pytest.raises(UserError, match=r"HTTP 502\) bei Seite 1"):
        run(fim, tmp_path / "other", waits)
    assert waits == [1.0, 2.0, 4.0]
    assert files_under(tmp_path / "other") == []


def test_other_client_error_is_reported_with_status(fim, tmp_path, waits):
    with pytest.raises(UserError, match="HTTP 404"):
        run(fim.url + "/falsch", tmp_path, waits)
    assert waits == [] and len(fim.requests) == 1
    assert files_under(tmp_path) == []


# --- offline and broken answers ---------------------------------------------------------------


def test_offline_connection_refused(tmp_path, waits):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now

    with pytest.raises(UserError) as info:
        run(f"http://127.0.0.1:{port}", tmp_path, waits)

    assert info.value.message == (
        "Der FIM-Portal-Server ist nicht erreichbar (Verbindung abgelehnt). Ohne "
        "Internetverbindung kann der Katalog nicht aktualisiert werden; der zuletzt geladene "
        "Stand bleibt unverändert.")
    assert info.value.hint
    assert files_under(tmp_path) == []


def test_offline_timeout(tmp_path, waits):
    # A socket that listens but never answers: the connection is queued, no reply comes.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        with pytest.raises(UserError, match=r"nicht erreichbar \(keine Antwort innerhalb von "
                                            r"0\.3 s\)"):
            run(f"http://127.0.0.1:{port}", tmp_path, waits, timeout=0.3)
    assert files_under(tmp_path) == []


def test_invalid_json_names_the_page_and_writes_nothing(fim, tmp_path, waits):
    fim.script = [None, (200, {"Content-Type": "text/html"}, b"<html>Wartung</html>")]
    with pytest.raises(UserError, match=r"Seite 2 \(offset 3\) ist kein gültiges JSON"):
        run(fim, tmp_path, waits, page_size=3)
    assert files_under(tmp_path) == []


@pytest.mark.parametrize(("body", "problem"), [
    (b"[]", "ist kein JSON-Objekt"),
    (b'{"items": {}, "total_count": 1}', "keine Liste 'items'"),
    (b'{"items": [], "total_count": "viele"}', "keine Gesamtzahl 'total_count'"),
    (b'{"items": [1], "total_count": 1}', "keine Objekte"),
])
def test_unexpected_shape_names_the_page(fim, tmp_path, waits, body, problem):
    fim.script = [(200, {}, body)]
    with pytest.raises(UserError, match=rf"Seite 1 \(offset 0\) .*{problem}"):
        run(fim, tmp_path, waits)
    assert files_under(tmp_path) == []


def test_oversized_page_is_refused(fim, tmp_path, waits, monkeypatch):
    monkeypatch.setattr(fim_api, "MAX_PAGE_BYTES", 100)
    with pytest.raises(UserError, match="größer als"):
        run(fim, tmp_path, waits)
    assert files_under(tmp_path) == []


def test_non_http_url_is_refused(tmp_path, waits):
    with pytest.raises(UserError, match="Ungültige Adresse"):
        run("file:///etc", tmp_path, waits)


def test_ozg_id_normalisation():
    assert fim_api._normalise_ozg_id(" 10631 ") == "10631"
    assert fim_api._normalise_ozg_id(10110) == "10110"
    assert fim_api._normalise_ozg_id("106") is None  # a prefix, not an OZG-ID
    assert fim_api._normalise_ozg_id(None) is None


def test_version_is_the_download_date():
    cat = fim_api.build_catalogue({}, base_url="https://fimportal.de",
                                  retrieved=date(2026, 3, 9))
    assert cat["version"] == "2026-03-09"
    assert cat["source"] == ("FIM-Portal API (https://fimportal.de), Leistungssteckbriefe, "
                             "abgerufen am 09.03.2026")
    assert cat["services"] == []


def test_written_catalogue_loads_with_the_project_loader(fim, tmp_path, waits):
    from ozgkompass.model.catalogue import load_catalogue

    result = run(fim, tmp_path, waits)
    cat = load_catalogue(result.catalogue_path)
    assert (cat.id, cat.version) == ("fim", result.catalogue["version"])
    assert [(s.ozg_id, s.themenfeld) for s in cat.services] == [
        ("10110", "Bauen & Wohnen"), ("10119", "Querschnitt")]


# --- through the CLI ------------------------------------------------------------------------


def test_cli_update_downloads_and_summarises(fim, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("OZGKOMPASS_FIM_URL", fim.url)
    code, out, err = cli("catalogue", "update")
    assert code == 0, err
    assert "Katalog aktualisiert" in out and "fim.json" in out
    assert (tmp_path / "data" / "catalogues" / "fim.json").exists()

    code, out, err = cli("catalogue", "update", "--since", "2024-01-01")
    assert code == 0, err
    assert fim.requests[-1]["query"]["updated_since"] == "2024-01-01T00:00:00"


def test_cli_update_offline_says_so_in_german(cli, tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    code, out, err = cli("catalogue", "update", "--url", f"http://127.0.0.1:{port}")
    assert code == 2
    assert "Der FIM-Portal-Server ist nicht erreichbar (Verbindung abgelehnt)" in err
    assert not (tmp_path / "data" / "catalogues").exists()
