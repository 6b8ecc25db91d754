"""Get the Dashboard Digitale Verwaltung's data for one Regionalschlüssel and cache it.

The public data API (`../shared/reference/ddv-openapi-1.0.yaml`): `GET /v1/data/{ars}` with
`includeAbove=true` (online services of Kreis, Land and Bund valid there) and
`includeBelow=false`, as JSON pages (`page`, `size`, `totalPages`, `last`) or as one CSV
export (`filetype=csv`). A file the user downloaded (CSV, XLSX, ODS, XLS or JSON) is read
the same way; tables, the API's CSV export among them, through `sources.tables`.

The cache (`<data folder>/observed/ddv-<ars>.json`) holds one retrieval with its date and
source. It is written only when every page has arrived and been read, and then atomically:
a failed download leaves the previous retrieval as it was. Like `catalogue.fim_api`, only
the standard library talks HTTP; the core never prints, problems become `UserError` with
German text, malformed rows become warnings (`Issue`) and are skipped.
"""

from __future__ import annotations

import functools
import json
import os
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozgkompass import __version__
from ozgkompass.errors import Issue, Location, UserError, display_path
from ozgkompass.fsutil import atomic_write_text, read_input
from ozgkompass.issue_codes import IssueCode
from ozgkompass.observed.cache import cache_path
from ozgkompass.observed.model import Observation, ObservedRow

if TYPE_CHECKING:
    from ozgkompass.sources.tables import TableFile

# the `servers` entry of the OpenAPI description
DEFAULT_API_URL = "https://digitale-verwaltung.api.proxy.bund.dev/api"
ENV_API_URL = "OZGKOMPASS_DDV_URL"
SOURCE_NAME = "Dashboard Digitale Verwaltung"

PAGE_SIZE = 100  # the API's default and example
MAX_PAGES = 2000  # 200,000 rows: far more than any Regionalschlüssel has
MAX_BODY_BYTES = 50 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_LINES = 1_000_000  # lines of an export CSV: five times MAX_PAGES full pages
TOO_BIG_HINT = "Den Export für einen Regionalschlüssel verwenden."
CACHE_FORMAT = 1

ARS_RE = re.compile(r"\d{12}")
LEIKA_RE = re.compile(r"\d{14}")

OFFLINE_MESSAGE = "Das Dashboard Digitale Verwaltung ist nicht erreichbar ({reason})."
OFFLINE_HINT = ("Internetverbindung und Proxy-Einstellungen (HTTPS_PROXY) prüfen und später "
                "erneut versuchen; mit --api-url lässt sich ein anderer Server angeben, mit "
                "--file eine heruntergeladene Exportdatei einlesen.")
UNCHANGED = "Der zuletzt gespeicherte Stand bleibt unverändert."


class FetchError(UserError):
    """The download failed (network, server, unreadable answer); the cache is untouched."""


class OfflineError(FetchError):
    """No connection at all: the typical case for working from the cache."""


def normalise_ars(value: str | None, *, where: str = "--ars") -> str:
    """A 12-digit Amtlicher Regionalschlüssel; spaces are allowed, an 8-digit AGS is not."""
    text = re.sub(r"\s+", "", str(value or ""))
    if not ARS_RE.fullmatch(text):
        raise UserError(
            f"{where}: {value!r} ist kein 12-stelliger Amtlicher Regionalschlüssel.",
            hint="Den Regionalschlüssel mit 12 Ziffern angeben, z. B. 010510000000 (der "
                 "8-stellige Gemeindeschlüssel genügt nicht).")
    return text


def resolve_api_url(api_url: str | None = None) -> str:
    """Parameter, else environment `OZGKOMPASS_DDV_URL`, else the host of the OpenAPI file."""
    url = (api_url or os.environ.get(ENV_API_URL) or DEFAULT_API_URL).strip().rstrip("/")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UserError(f"Ungültige Adresse der Dashboard-API: {url!r}.",
                        hint=f"Eine http(s)-Adresse angeben, z. B. {DEFAULT_API_URL}.")
    return url


# --- cache ---------------------------------------------------------------------------------


def save(observation: Observation) -> Path:
    """Write one retrieval atomically (replaces the previous one of this ARS)."""
    target = cache_path(observation.ars)
    data = {"format": CACHE_FORMAT, **observation.to_dict()}
    atomic_write_text(target, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return target


def load_cached(ars: str) -> Observation | None:
    """The cached retrieval of this ARS, None if there is none."""
    path = cache_path(ars)
    if not path.is_file():
        return None
    hint = ("Mit `ozgkompass observe` neu laden; der Zwischenspeicher wird dabei ersetzt.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise UserError(f"{display_path(path)}: Der Zwischenspeicher der Dashboard-Daten ist "
                        "nicht lesbar (beschädigt oder von Hand verändert).", hint=hint) from None
    if (not isinstance(data, dict) or data.get("format") != CACHE_FORMAT
            or data.get("ars") != ars or not isinstance(data.get("rows"), list)):
        raise UserError(f"{display_path(path)}: Der Zwischenspeicher der Dashboard-Daten hat "
                        "ein unerwartetes Format.", hint=hint)
    try:
        rows = tuple(ObservedRow(**r) for r in data["rows"])
        issues = tuple(Issue(IssueCode.of(i["code"]), i["message"],
                             Location(**i.get("location", {})), i.get("severity", "warning"))
                       for i in data.get("issues", []))
    except (TypeError, KeyError, ValueError):  # ValueError: a code this version does not know
        raise UserError(f"{display_path(path)}: Der Zwischenspeicher der Dashboard-Daten hat "
                        "ein unerwartetes Format.", hint=hint) from None
    return Observation(ars=ars, name=data.get("name"), source=str(data.get("source")),
                       retrieved=str(data.get("retrieved")), rows=rows, issues=issues)


def age_days(observation: Observation, today: date | None = None) -> int:
    day = date.fromisoformat(observation.date)
    return ((today or datetime.now(UTC).date()) - day).days


def age_text(observation: Observation, today: date | None = None) -> str:
    """'Stand 02.11.2026 (vor 30 Tagen)' for messages and reports."""
    days = age_days(observation, today)
    shown = date.fromisoformat(observation.date).strftime("%d.%m.%Y")
    ago = ("heute" if days <= 0 else "gestern" if days == 1 else f"vor {days} Tagen")
    return f"Stand {shown} ({ago})"


# --- what `observe` does -------------------------------------------------------------------


@dataclass(frozen=True)
class Retrieval:
    observation: Observation
    from_cache: bool
    notice: str | None  # German line for the user when the cache stood in for a download
    cache_file: Path | None


def observe(ars: str, *, api_url: str | None = None, file: Path | None = None,
            offline: bool = False, fmt: str = "json", timeout: float = 30,
            max_retries: int = 4, sleep: Callable[[float], None] = time.sleep,
            page_pause: float = 0.2, today: date | None = None) -> Retrieval:
    """Download (or read `file`), cache and return the observation for one ARS. Without a
    connection, or when the download fails, the cached retrieval stands in with a notice
    that says why and how old it is; without a cache the failure is raised."""
    ars = normalise_ars(ars)
    if file is not None:
        obs = read_export(file, ars)
        return Retrieval(obs, False, None, save(obs))
    if offline:
        cached = load_cached(ars)
        if cached is None:
            raise UserError(f"Für den Regionalschlüssel {ars} liegen noch keine Daten des "
                            "Dashboards vor.",
                            hint="Einmal mit Internetverbindung `ozgkompass observe` aufrufen "
                                 "oder mit --file eine Exportdatei einlesen.")
        return Retrieval(cached, True, None, cache_path(ars))
    try:
        obs = fetch(ars, api_url=api_url, fmt=fmt, timeout=timeout, max_retries=max_retries,
                    sleep=sleep, page_pause=page_pause)
    except FetchError as exc:
        cached = load_cached(ars)
        if cached is None:
            raise
        notice = (f"{exc.message} Verwendet wird der gespeicherte {age_text(cached, today)}, "
                  f"Quelle: {cached.source}.")
        return Retrieval(cached, True, notice, cache_path(ars))
    return Retrieval(obs, False, None, save(obs))


# --- download ------------------------------------------------------------------------------


def fetch(ars: str, *, api_url: str | None = None, fmt: str = "json", timeout: float = 30,
          max_retries: int = 4, sleep: Callable[[float], None] = time.sleep,
          page_pause: float = 0.2, page_size: int = PAGE_SIZE) -> Observation:
    """All rows for one ARS from the API: JSON page by page, or the CSV export at once."""
    if fmt not in ("json", "csv"):
        raise UserError(f"--format {fmt!r} ist unbekannt.", hint="json oder csv angeben.")
    base = resolve_api_url(api_url)
    started = datetime.now(UTC).replace(microsecond=0).isoformat()
    client = _Client(timeout=timeout, max_retries=max_retries, sleep=sleep)
    path = f"{base}/v1/data/{ars}"
    params = {"includeAbove": "true", "includeBelow": "false", "order": "asc"}
    if fmt == "csv":
        body, _ = client.get(f"{path}?{urllib.parse.urlencode({**params, 'filetype': 'csv'})}",
                             where="CSV-Export", accept="text/csv")
        rows, issues = _api_csv(body)
    else:
        rows, issues = [], []
        page = seen = 0
        while True:
            if page and page_pause:
                sleep(page_pause)
            url = f"{path}?{urllib.parse.urlencode({**params, 'page': page, 'size': page_size})}"
            where = f"Seite {page + 1}"
            body, _ = client.get(url, where=where, accept="application/json")
            try:
                data = json.loads(_decode(body))
            except json.JSONDecodeError:
                raise FetchError(f"Die Antwort des Dashboards auf {where} ist kein gültiges "
                                 f"JSON. {UNCHANGED}",
                                 hint="Mit --api-url prüfen, ob die Adresse auf die API zeigt; "
                                      "sonst später erneut versuchen.") from None
            content, last = _check_page(data, page=page, where=where)
            got, bad = parse_records(content, source_file="Dashboard-API", first=seen + 1)
            seen += len(content)
            rows.extend(got)
            issues.extend(bad)
            page += 1
            if last or not content:
                break
            if page >= MAX_PAGES:
                raise FetchError(f"Das Dashboard liefert mehr als {MAX_PAGES} Seiten; der Abruf "
                                 f"wird abgebrochen. {UNCHANGED}",
                                 hint="Mit --api-url prüfen, ob die Adresse stimmt.")
    name = next((r.ars_name for r in rows if r.ars == ars and r.ars_name), None)
    return Observation(ars=ars, name=name, source=f"{SOURCE_NAME}, {base}",
                       retrieved=started, rows=tuple(rows), issues=tuple(issues))


def _check_page(data: Any, *, page: int, where: str) -> tuple[list[Any], bool]:
    """A page must look like `PageDvDataDto`: a list `content`, and `last` or `totalPages`."""
    if not isinstance(data, dict):
        problem = "ist kein JSON-Objekt"
    elif not isinstance(data.get("content"), list):
        problem = "enthält keine Liste 'content'"
    else:
        last = data.get("last")
        total = data.get("totalPages")
        if isinstance(last, bool):
            return data["content"], last
        if isinstance(total, int) and not isinstance(total, bool):
            return data["content"], page + 1 >= total
        problem = "sagt nicht, ob weitere Seiten folgen ('last', 'totalPages')"
    raise FetchError(f"Die Antwort des Dashboards auf {where} {problem}; das Format ist "
                     f"unerwartet. {UNCHANGED}",
                     hint="Mit --api-url prüfen, ob die Adresse auf die API zeigt; ändert sich "
                          "die API, braucht ozgkompass ein Update.")


def _api_csv(body: bytes) -> tuple[list[ObservedRow], list[Issue]]:
    """The API's CSV export, read as an export file is (`sources.tables`); what makes it
    unusable is a FetchError, so that the cached retrieval can stand in."""
    from ozgkompass.sources.tables import TableError

    try:
        table = _read_table(Path("CSV-Export"), body, "CSV-Export", hint=None)
        records, _ = export_records(table)
    except TableError as exc:
        raise FetchError(f"{exc.message} {UNCHANGED}",
                         hint="Mit --api-url prüfen, ob die Adresse auf die API zeigt; sonst "
                              "später erneut versuchen.") from None
    rows, issues = parse_located(records, source_file="CSV-Export")
    return rows, [*table.issues, *issues]


def _decode(body: bytes) -> str:
    """The text of JSON (a page of the API, a saved page or list)."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


class _Client:
    """GET with a size limit, polite retries on 429 (Retry-After) and 5xx, and a German
    line for everything else (the same rules as the FIM-Portal client)."""

    def __init__(self, *, timeout: float, max_retries: int,
                 sleep: Callable[[float], None]) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.sleep = sleep

    def get(self, url: str, *, where: str, accept: str) -> tuple[bytes, str]:
        headers = {"User-Agent": f"ozgkompass/{__version__}", "Accept": accept}
        # the HTTP stack only where something is fetched: `score` and `report` read the
        # cache through this module and stay free of it
        from ozgkompass.catalogue.fim_api import get_with_retries

        body, ctype = get_with_retries(url, headers=headers, where=where,
                                       timeout=self.timeout, max_retries=self.max_retries,
                                       sleep=self.sleep, max_bytes=MAX_BODY_BYTES,
                                       refusals=_refusals())
        if "html" in ctype.lower() or body.lstrip()[:1] == b"<":
            raise FetchError(
                f"Statt Daten kam bei {where} eine HTML-Seite zurück (etwa eine Fehler- "
                f"oder Anmeldeseite eines Proxys). {UNCHANGED}",
                hint="Mit --api-url prüfen, ob die Adresse auf die API zeigt; im Browser "
                     "öffnen, was die Seite sagt; sonst später erneut versuchen.")
        return body, ctype


def _refusals() -> Any:
    """The Dashboard's German lines for a failed GET (the retry rules are shared:
    fim_api.get_with_retries)."""
    from ozgkompass.catalogue.fim_api import Refusals

    return Refusals(
        rate_limited=lambda tries, delay: FetchError(
            "Das Dashboard begrenzt die Zahl der Anfragen (HTTP 429) und hat nach "
            f"{tries} Wiederholung(en) keine Daten geliefert. {UNCHANGED}",
            hint="Bitte später erneut versuchen."),
        server_error=lambda status, where: FetchError(
            f"Der Server des Dashboards meldet einen Fehler (HTTP {status}) bei {where}. "
            f"{UNCHANGED}",
            hint="Das liegt am Server, nicht an Ihren Daten; später erneut versuchen."),
        refused=lambda status, where, url: FetchError(
            f"Das Dashboard hat die Anfrage abgelehnt (HTTP {status}) bei {where}: {url}",
            hint=("Regionalschlüssel prüfen; mit --api-url die Adresse prüfen "
                  f"(erwartet wird die Basisadresse, z. B. {DEFAULT_API_URL}).")),
        offline=lambda reason: OfflineError(OFFLINE_MESSAGE.format(reason=reason),
                                            hint=OFFLINE_HINT),
        too_large=lambda where: FetchError(
            f"Die Antwort des Dashboards auf {where} ist größer als "
            f"{MAX_BODY_BYTES // (1024 * 1024)} MB und wird nicht verarbeitet. {UNCHANGED}",
            hint="Mit --api-url prüfen, ob die Adresse auf die API zeigt."))


# --- rows ----------------------------------------------------------------------------------

# header spellings (lower case, letters and digits only) → field of ObservedRow
_ALIASES = {
    "leikakey": "leika_key", "leikaschluessel": "leika_key", "leikaschlussel": "leika_key",
    "leistungsschluessel": "leika_key",
    "leikaname": "leika_name", "leikabezeichnung": "leika_label",
    "ozgid": "ozg_id", "ozgbezeichnung": "ozg_name", "ozgleistung": "ozg_name",
    "ars": "ars", "regionalschluessel": "ars", "arsname": "ars_name",
    "gebietskoerperschaft": "ars_name",
    "url": "url", "onlinedienst": "url", "onlinestatus": "online_status",
    "linkstatus": "online_status", "aktiv": "active",
    "artflaechendeckung": "coverage", "flaechendeckung": "coverage", "reifegrad": "level",
}


@functools.lru_cache(maxsize=512)
def _field(key: Any) -> str | None:
    """The field a header names (remembered: every record of a file has the same keys)."""
    text = str(key).lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return _ALIASES.get(re.sub(r"[^a-z0-9]", "", text))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def parse_records(records: Iterable[Any], *, source_file: str,
                  first: int = 1) -> tuple[list[ObservedRow], list[Issue]]:
    """Rows from the records of the API (dicts), numbered from `first` (the entry of a
    page); see `parse_located`."""
    return parse_located(enumerate(records, start=first), source_file=source_file)


def parse_located(records: Iterable[tuple[int, Any]], *, source_file: str,
                  sheet: str | None = None) -> tuple[list[ObservedRow], list[Issue]]:
    """Rows from numbered records (dicts of the API or of an export); a malformed one is
    skipped with a warning that says where it is (`Zeile` of a file, or entry of a page,
    and the sheet of a workbook)."""
    rows: list[ObservedRow] = []
    issues: list[Issue] = []
    for n, record in records:
        loc = Location(file=source_file, sheet=sheet, row=n)
        if not isinstance(record, dict):
            issues.append(Issue(IssueCode.DDV_ROW, "Eintrag ist kein Objekt; übersprungen.", loc,
                                "warning"))
            continue
        fields: dict[str, Any] = {}
        for key, value in record.items():
            name = _field(key)
            if name and name not in fields:
                fields[name] = value
        problem, row = _row(fields)
        if problem:
            issues.append(Issue(IssueCode.DDV_ROW,
                                f"{problem}; Zeile übersprungen.", loc, "warning"))
        elif row is not None:
            rows.append(row)
    return rows, issues


def _number_cell(value: Any, width: int) -> Any:
    """A key that a spreadsheet stored as a number (leading zero lost) → its digits."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        return str(int(value)).zfill(width)
    return value


def _row(f: dict[str, Any]) -> tuple[str | None, ObservedRow | None]:
    f = {**f, "ars": _number_cell(f.get("ars"), 12),
         "leika_key": _number_cell(f.get("leika_key"), 14)}
    key = _text(f.get("leika_key"))
    if key is None:
        return "LeiKa-Schlüssel fehlt", None
    if not LEIKA_RE.fullmatch(key):
        return f"LeiKa-Schlüssel {key!r} hat nicht 14 Ziffern", None
    ozg = _text(f.get("ozg_id"))
    if ozg is not None:
        ozg = ozg.removesuffix(".0")
        if not ozg.isdigit() or len(ozg) > 5:
            return f"OZG-ID {ozg!r} ist keine Zahl mit bis zu 5 Ziffern", None
        ozg = ozg.zfill(5)
    ars = _text(f.get("ars"))
    if ars is not None and not ARS_RE.fullmatch(ars):
        return f"Regionalschlüssel {ars!r} hat nicht 12 Ziffern", None
    status = _text(f.get("online_status"))
    if status is not None:
        status = status.lower().replace("_", " ")
        if status not in ("ok", "nicht ok"):
            return f"Online-Status {status!r} ist weder „ok“ noch „nicht ok“", None
    active_text = (_text(f.get("active")) or "").lower()
    if active_text not in ("", "ja", "nein"):
        return f"„aktiv“ ist {active_text!r} statt „ja“ oder „nein“", None
    level_text = _text(f.get("level"))
    level = None
    if level_text is not None:
        if not level_text.removesuffix(".0").isdigit():
            return f"Reifegrad {level_text!r} ist keine ganze Zahl", None
        level = int(level_text.removesuffix(".0"))
    url = _text(f.get("url"))
    if url is not None and not re.match(r"https?://", url, re.I):
        return f"URL {url[:60]!r} ist keine http(s)-Adresse", None
    return None, ObservedRow(
        leika_key=key, leika_name=_text(f.get("leika_name")) or _text(f.get("leika_label")),
        ozg_id=ozg, ozg_name=_text(f.get("ozg_name")), ars=ars,
        ars_name=_text(f.get("ars_name")), url=url, online_status=status,
        active=None if not active_text else active_text == "ja",
        coverage=_text(f.get("coverage")), level=level)


# --- export files --------------------------------------------------------------------------


def _read_table(path: Path, data: bytes, shown: str, *, hint: str | None) -> TableFile:
    """An export's bytes through the one table reader (`sources.tables`: UTF-8 or
    Windows-1252 with a warning, the delimiter, line and row numbers, the checks before a
    workbook is read); an unreadable CSV is named as the Dashboard's data, with `hint`."""
    from ozgkompass.sources.tables import TableError, read_tables

    try:
        return read_tables(path, data=data, shown=shown, max_bytes=MAX_FILE_BYTES,
                           too_big_hint=TOO_BIG_HINT, max_lines=MAX_LINES,
                           too_many_hint=TOO_BIG_HINT, contained=True)
    except TableError as exc:
        if exc.code != IssueCode.CSV_SYNTAX:
            raise
        raise TableError(exc.code, "Die CSV-Daten sind nicht lesbar (Anführungszeichen nicht "
                         "geschlossen oder Zelle zu lang).", exc.location, hint=hint) from None


def export_records(table: TableFile) -> tuple[list[tuple[int, dict[str, str]]], str | None]:
    """The records of an export read by `sources.tables`, each with its line (CSV) or row
    (workbook), and the sheet they are on when the workbook has more than one (a one-sheet
    export is named by its rows alone). Of a workbook the first sheet whose header names
    the LeiKa key is taken. Raises TableError when the header names no LeiKa key."""
    from ozgkompass.sources.tables import TableError, choose_sheet

    sheet = choose_sheet(table, want=_names_leika_key)
    if not sheet.rows or not _names_leika_key(sheet.rows[0][1]):
        where = Location(table.shown, sheet=sheet.name if len(table.sheets) > 1 else None,
                         row=sheet.rows[0][0] if sheet.rows else None)
        raise TableError(IssueCode.UNREADABLE, "Die Kopfzeile nennt keine Spalte für den "
                         "LeiKa-Schlüssel (leika_key); das ist kein Export des Dashboards.",
                         where, hint="Den CSV- oder XLSX-Export des Dashboards Digitale "
                         "Verwaltung für einen Regionalschlüssel verwenden.")
    header = sheet.rows[0][1]
    rows = sheet.rows[1:]
    if table.kind == "workbook":  # a key stored as a number has lost its leading zeros
        widths = [_KEY_WIDTHS.get(_field(h) or "", 0) for h in header]
        rows = [(n, [c.zfill(w) if w and c.isdigit() else c
                     for c, w in zip(cells, widths, strict=False)]) for n, cells in rows]
    records = [(n, dict(zip(header, cells, strict=False))) for n, cells in rows]
    return records, sheet.name if len(table.sheets) > 1 else None


def _names_leika_key(header: list[str]) -> bool:
    return any(_field(h) == "leika_key" for h in header)


# the keys a spreadsheet may have stored as numbers → their digits (the reader gives a
# number's digits, without the leading zeros)
_KEY_WIDTHS = {"ars": 12, "leika_key": 14}


def read_export(path: Path, ars: str) -> Observation:
    """A file downloaded from the dashboard: the CSV or XLSX export (or the same table as
    ODS or XLS), read by `sources.tables`; or a JSON page or list."""
    path = Path(path)
    shown = display_path(path)
    raw = read_input(path, max_bytes=MAX_FILE_BYTES, too_big_hint=TOO_BIG_HINT,
                     folder_hint="Den Pfad zur CSV-, XLSX-, ODS- oder JSON-Datei angeben.")
    if raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<":
        raise UserError(f"{shown}: Die Datei ist eine HTML-Seite, kein Export.",
                        hint="Im Dashboard den CSV- oder XLSX-Export herunterladen.")
    if path.suffix.lower() == ".json" or raw.lstrip()[:1] in (b"{", b"["):
        try:
            data = json.loads(_decode(raw))
        except json.JSONDecodeError as exc:
            raise UserError(f"{shown}:{exc.lineno}:{exc.colno}: kein gültiges JSON "
                            f"({exc.msg}).", hint="Die Datei unverändert aus dem Dashboard "
                            "speichern oder den CSV-Export verwenden.") from None
        content = data.get("content") if isinstance(data, dict) else data
        if not isinstance(content, list):
            raise UserError(f"{shown}: Die JSON-Datei enthält keine Liste von Einträgen "
                            "('content').", hint="Eine Antwortseite der API oder den "
                            "CSV-Export verwenden.")
        rows, issues = parse_records(content, source_file=shown)
    else:
        table = _read_table(path, raw, shown, hint="Den Export erneut herunterladen.")
        records, sheet = export_records(table)
        rows, issues = parse_located(records, source_file=shown, sheet=sheet)
        issues = [*table.issues, *issues]
    # the Bund's rows hold everywhere: a file only says where it belongs by the others
    others = sorted({r.ars for r in rows if r.ars and r.ars != ars and not _related(r.ars, ars)})
    if others and not any(r.ars == ars or (r.ars and r.ars != "000000000000"
                                           and _related(r.ars, ars)) for r in rows):
        raise UserError(f"{shown}: Die Datei enthält keine Zeile für den Regionalschlüssel "
                        f"{ars} oder eine Ebene darüber (gefunden: {', '.join(others[:3])}).",
                        hint="Den Export für diese Kommune herunterladen oder --ars prüfen.")
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    name = next((r.ars_name for r in rows if r.ars == ars and r.ars_name), None)
    return Observation(ars=ars, name=name,
                       source=f"{SOURCE_NAME}, Exportdatei {path.name}",
                       retrieved=mtime.isoformat(), rows=tuple(rows), issues=tuple(issues))


def _related(row_ars: str, ars: str) -> bool:
    """Whether `row_ars` is the Bund, the Land, the Kreis or the Gemeindeverband of `ars`."""
    return row_ars in ancestors(ars)


def ancestors(ars: str) -> dict[str, str]:
    """The Regionalschlüssel above `ars` → bund | land | kreis | verband."""
    found = {"000000000000": "bund", ars[:2] + "0" * 10: "land",
             ars[:5] + "0" * 7: "kreis", ars[:9] + "000": "verband"}
    found.pop(ars, None)
    return found
