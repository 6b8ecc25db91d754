"""Download OZG-relevant Leistungssteckbriefe from the FIM-Portal API into a local cache.

The cache (`<cache_dir>/fim/steckbriefe.json`) keeps the raw Steckbriefe keyed by
Leistungsschlüssel, so later runs only ask for what changed (`updated_since`). From the
whole cache a format-1 catalogue is built (`<cache_dir>/catalogues/<id>.json`, see
docs/catalogue-format.md). Nothing is written until every page has arrived, and then only
atomically: a failed or interrupted update leaves the previous state untouched.

Only the standard library is used (`urllib.request`); the core never prints: progress goes
to an optional callback, problems become `UserError` with German text.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ozgkompass import __version__
from ozgkompass.errors import UserError, display_path
from ozgkompass.fsutil import atomic_write_text

# The OpenAPI description lists no `servers`; its text names fimportal.de as the API host
# (the old host schema.fim.fitko.net still answers the same API).
DEFAULT_BASE_URL = "https://fimportal.de"
ENV_BASE_URL = "OZGKOMPASS_FIM_URL"
ENDPOINT = "/api/v0/leistung-steckbriefe"

MAX_PAGE_SIZE = 200  # the API rejects limit > 200
MAX_PAGE_BYTES = 20 * 1024 * 1024  # one page of 200 Steckbriefe is far below this
MAX_BACKOFF = 60.0  # seconds, for exponential backoff without Retry-After
MAX_RETRY_AFTER = 300.0  # a longer Retry-After is not waited for: the user should come back
MAX_SERVER_ERROR_RETRIES = 3  # 5xx: retried a few times, fewer than 429
PAGE_PAUSE = 0.2  # seconds between pages, to stay well under the IP rate limit

CACHE_FORMAT = 1
CACHE_SUBDIR = "fim"
CACHE_FILE = "steckbriefe.json"
CATALOGUE_SUBDIR = "catalogues"

# Enum `OzgThemenfeld` of the API → the 14 Themenfeld names used in ozgkompass catalogues.
THEMENFELDER: dict[str, str] = {
    "arbeit_ruhestand": "Arbeit & Ruhestand",
    "bauen_wohnen": "Bauen & Wohnen",
    "bildung": "Bildung",
    "ein_auswanderung": "Ein- & Auswanderung",
    "engagement_hobby": "Engagement & Hobby",
    "familie_kind": "Familie & Kind",
    "forschung_foerderung": "Forschung & Förderung",
    "gesundheit": "Gesundheit",
    "mobilitaet_reisen": "Mobilität & Reisen",
    "querschnittsleistungen": "Querschnitt",
    "recht_ordnung": "Recht & Ordnung",
    "steuern_zoll": "Steuern & Zoll",
    "umwelt": "Umwelt",
    "unternehmensfuehrung_entwicklung": "Unternehmensführung & -entwicklung",
}

_CATALOGUE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_OZG_ID = re.compile(r"\d{5}")
_NO_TITLE = "Kein Titel"  # the API's placeholder when a Steckbrief has no Bezeichnung

OFFLINE_MESSAGE = (
    "Der FIM-Portal-Server ist nicht erreichbar ({reason}). Ohne Internetverbindung kann der "
    "Katalog nicht aktualisiert werden; der zuletzt geladene Stand bleibt unverändert."
)
OFFLINE_HINT = (
    "Internetverbindung und Proxy-Einstellungen (HTTPS_PROXY) prüfen und später erneut "
    "versuchen; mit --url lässt sich ein anderer Server angeben."
)
RATE_LIMIT_HINT = ("Das Portal zählt Anfragen je IP-Adresse; andere Abrufe aus demselben Netz "
                   "zählen mit.")


@dataclass
class UpdateResult:
    """What one update did: counts for the summary, where the catalogue went, the catalogue."""

    downloaded: int  # Steckbriefe with OZG data received in this run (new or changed)
    total_in_cache: int  # Steckbriefe with OZG data in the cache after the merge
    pages: int
    incremental: bool  # True when only changes since `since` were requested
    since: str | None  # the `updated_since` sent, if any
    catalogue_path: Path
    catalogue: dict[str, Any]
    retries_after_429: int
    skipped_without_ozg: int  # received Steckbriefe without usable OZG-ID + Themenfeld


def resolve_base_url(base_url: str | None = None) -> str:
    """Parameter, else environment `OZGKOMPASS_FIM_URL`, else the public FIM-Portal."""
    url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).strip().rstrip("/")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UserError(
            f"Ungültige Adresse des FIM-Portals: {url!r}.",
            hint=f"Eine http(s)-Adresse angeben, z. B. {DEFAULT_BASE_URL}.",
        )
    return url


def cache_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / CACHE_SUBDIR / CACHE_FILE


def catalogue_path(cache_dir: Path, catalogue_id: str = "fim") -> Path:
    return Path(cache_dir) / CATALOGUE_SUBDIR / f"{catalogue_id}.json"


def update_catalogue(
    cache_dir: Path,
    *,
    base_url: str | None = None,
    since: str | None = None,
    full: bool = False,
    timeout: float = 30,
    max_retries: int = 6,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
    catalogue_id: str = "fim",
    page_size: int = MAX_PAGE_SIZE,
    page_pause: float = PAGE_PAUSE,
) -> UpdateResult:
    """Fetch new and changed Steckbriefe, merge them into the cache, rebuild the catalogue.

    Without `full` and `since`, only changes since the last successful run are requested.
    `progress(done, total)` is called after each page.
    """
    if full and since:
        raise UserError("--full und --since schließen sich aus.",
                        hint="Entweder alles neu laden (--full) oder ab einem Datum (--since).")
    if not _CATALOGUE_ID.fullmatch(catalogue_id):
        raise UserError(f"Ungültige Katalog-ID {catalogue_id!r}.",
                        hint="Erlaubt sind Kleinbuchstaben, Ziffern, '.', '_' und '-'.")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be 1..{MAX_PAGE_SIZE}, got {page_size}")
    url = resolve_base_url(base_url)
    cache_dir = Path(cache_dir)
    cache_file = cache_path(cache_dir)
    cache = {} if full else _read_cache(cache_file)
    if cache.get("base_url") not in (None, url):
        # Another server's items and timestamps say nothing about this one: start afresh.
        cache = {}
    cached_items: dict[str, Any] = dict(cache.get("items") or {})

    if since is not None:
        updated_since: str | None = _normalise_since(since)
    elif not full and cached_items and cache.get("last_update"):
        updated_since = str(cache["last_update"])
    else:
        updated_since = None

    started = datetime.now(UTC).replace(microsecond=0)
    client = _Client(url, timeout=timeout, max_retries=max_retries, sleep=sleep)
    received: list[dict[str, Any]] = []
    pages = 0
    offset = 0
    total = None
    while total is None or offset < total:
        if pages and page_pause:
            sleep(page_pause)
        params: dict[str, Any] = {"offset": offset, "limit": page_size,
                                  "order_by": "leistungsschluessel_asc"}
        if updated_since:
            params["updated_since"] = updated_since
        page_no = pages + 1
        body = client.get_json(ENDPOINT, params, page_no=page_no, offset=offset)
        items, total = _check_page(body, page_no=page_no, offset=offset)
        pages += 1
        received.extend(items)
        offset += len(items)
        if progress:
            progress(min(offset, total), total)
        if not items:
            break  # the server has fewer items than it announced; do not loop forever

    merged = cached_items
    with_ozg: set[str] = set()
    skipped = 0
    for item in received:
        key = _leistungsschluessel(item)
        if key is None or not _ozg_entries(item):
            skipped += 1
            if key is not None:
                merged.pop(key, None)  # it carried OZG data before, no longer does
                with_ozg.discard(key)
            continue
        merged[key] = item  # a key seen twice (list shifted while paging): the later wins
        with_ozg.add(key)
    downloaded = len(with_ozg)

    catalogue = build_catalogue(merged, base_url=url, catalogue_id=catalogue_id,
                                retrieved=started.date())
    new_cache = {
        "format": CACHE_FORMAT,
        "base_url": url,
        "last_update": started.isoformat(),
        "updated_since": updated_since,
        "items": dict(sorted(merged.items())),
    }
    target = catalogue_path(cache_dir, catalogue_id)
    # The cache goes first: the catalogue is always rebuilt from the whole cache, so a
    # failure between the two writes is repaired by the next run.
    atomic_write_text(cache_file, json.dumps(new_cache, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(target, json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n")
    return UpdateResult(
        downloaded=downloaded,
        total_in_cache=len(merged),
        pages=pages,
        incremental=updated_since is not None,
        since=updated_since,
        catalogue_path=target,
        catalogue=catalogue,
        retries_after_429=client.retries_after_429,
        skipped_without_ozg=skipped,
    )


# --- building the catalogue ------------------------------------------------------------


def build_catalogue(items: dict[str, Any], *, base_url: str, catalogue_id: str = "fim",
                    retrieved: date | None = None) -> dict[str, Any]:
    """A format-1 catalogue: one service per OZG-ID, its Steckbriefe as LeiKa services."""
    day = retrieved or datetime.now(UTC).date()
    groups: dict[str, dict[str, Any]] = {}
    for key in sorted(items):
        item = items[key]
        for ozg in _ozg_entries(item):
            group = groups.setdefault(ozg["ozg_id"], {"names": Counter(), "themen": Counter(),
                                                      "lagen": Counter(), "leika": {}})
            group["names"][ozg["name"]] += 1
            group["themen"][ozg["themenfeld"]] += 1
            if ozg["lage"]:
                group["lagen"][ozg["lage"]] += 1
            leika_key = ozg["leistungsschluessel"] or key
            group["leika"].setdefault(leika_key, {
                "key": leika_key if re.fullmatch(r"\d{14}", leika_key) else None,
                "name": _title(item),
                "typisierung": _typisierung(item.get("typisierung")),
            })
    services = []
    for ozg_id in sorted(groups):
        group = groups[ozg_id]
        services.append({
            "ozg_id": ozg_id,
            "name": _most_common(group["names"]),
            "themenfeld": _most_common(group["themen"]),
            "lage": _most_common(group["lagen"]) if group["lagen"] else None,
            "leika": [group["leika"][k] for k in sorted(group["leika"])],
            # The Steckbriefe say nothing about fees, evidence or identification. Their SDG
            # fields are Annex I information areas, not Annex II procedures: all unknown.
            "attributes": {"fees": None, "evidence": None, "identification": None,
                           "trust_level": None, "sdg_annex2": None, "efa": None},
        })
    return {
        "format": 1,
        "id": catalogue_id,
        "version": day.isoformat(),
        "title": "OZG-Leistungen aus dem FIM-Portal (Leistungssteckbriefe)",
        "source": (f"FIM-Portal API ({base_url}), Leistungssteckbriefe, "
                   f"abgerufen am {day.strftime('%d.%m.%Y')}"),
        "created": day.isoformat(),
        "services": services,
    }


def _most_common(counter: Counter[str]) -> str:
    # Most frequent value; ties go to the alphabetically first, so output is stable.
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _leistungsschluessel(item: dict[str, Any]) -> str | None:
    """A Steckbrief has one key (string); Stammtext-shaped items carry a list of keys."""
    value = item.get("leistungsschluessel")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _ozg_entries(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Usable OZG assignments: `ozg` is one `OzgOut` object (Steckbrief) or a list (Stammtext).

    Usable means a 5-digit OZG-ID and a Themenfeld; anything else counts as "without OZG".
    """
    raw = item.get("ozg")
    entries = raw if isinstance(raw, list) else [raw]
    result = []
    for ozg in entries:
        if not isinstance(ozg, dict):
            continue
        ozg_id = _normalise_ozg_id(ozg.get("id"))
        themenfeld = _themenfeld(ozg.get("themenfeld"), ozg.get("themenfeld_label"))
        if ozg_id is None or themenfeld is None:
            continue
        name = ozg.get("leistung")
        key = ozg.get("leistungsschluessel")
        lage = ozg.get("lage")
        result.append({
            "ozg_id": ozg_id,
            "name": name.strip() if isinstance(name, str) and name.strip() else f"OZG {ozg_id}",
            "themenfeld": themenfeld,
            "lage": lage.strip() if isinstance(lage, str) and lage.strip() else None,
            "leistungsschluessel": key.strip() if isinstance(key, str) and key.strip() else None,
        })
    return result


def _normalise_ozg_id(value: Any) -> str | None:
    """`OzgOut.id` is a string such as "10631"; accept an int too, nothing shorter/longer."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text if _OZG_ID.fullmatch(text) else None


def _themenfeld(enum_value: Any, label: Any) -> str | None:
    """The enum decides (stable spelling); the API's label only for values unknown here."""
    if isinstance(enum_value, str) and enum_value.strip() in THEMENFELDER:
        return THEMENFELDER[enum_value.strip()]
    if isinstance(label, str) and label.strip():
        return label.strip()
    return None


def _title(item: dict[str, Any]) -> str | None:
    for field in ("leistungsbezeichnung", "title", "leistungsbezeichnung_2"):
        value = item.get(field)
        if isinstance(value, str) and value.strip() and value.strip() != _NO_TITLE:
            return value.strip()
    return None


def _typisierung(value: Any) -> str | None:
    """Enum `LeistungsTypisierung` values ("1", "2/3", "4b", …) are catalogue strings already;
    several are joined as "1, 2/3" as the catalogue format expects."""
    values = value if isinstance(value, list) else [value]
    seen: list[str] = []
    for v in values:
        if isinstance(v, int | str) and not isinstance(v, bool):
            text = str(v).strip()
            if text and text not in seen:
                seen.append(text)
    return ", ".join(seen) if seen else None


# --- cache ---------------------------------------------------------------------------------


def _read_cache(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            f"{display_path(path)}: Der Zwischenspeicher der FIM-Daten ist nicht lesbar ({exc}).",
            hint="Mit --full alles neu laden; der Zwischenspeicher wird dabei ersetzt.",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("items", {}), dict):
        raise UserError(
            f"{display_path(path)}: Der Zwischenspeicher der FIM-Daten hat ein unerwartetes "
            "Format.",
            hint="Mit --full alles neu laden; der Zwischenspeicher wird dabei ersetzt.",
        )
    return data


def _normalise_since(since: str) -> str:
    """Accept a date (2026-01-31) or an ISO timestamp; send an ISO 8601 timestamp."""
    text = since.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"--since {since!r}: kein gültiges Datum.",
            hint="Datum als JJJJ-MM-TT angeben (z. B. 2026-01-31) oder als ISO-Zeitstempel.",
        ) from None
    return moment.isoformat()


# --- HTTP ----------------------------------------------------------------------------------


class _Client:
    """GET with JSON, a size limit, and polite retries on 429 and 5xx."""

    def __init__(self, base_url: str, *, timeout: float, max_retries: int,
                 sleep: Callable[[float], None]) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.sleep = sleep
        self.retries_after_429 = 0
        self.headers = {"User-Agent": f"ozgkompass/{__version__}", "Accept": "application/json"}

    def _refusals(self) -> Refusals:
        return _fim_refusals(self.max_retries)

    def _count_429(self) -> None:
        self.retries_after_429 += 1

    def get_json(self, path: str, params: dict[str, Any], *, page_no: int, offset: int) -> Any:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        where = f"Seite {page_no} (offset {offset})"
        body, _ = get_with_retries(url, headers=self.headers, where=where,
                                   timeout=self.timeout, max_retries=self.max_retries,
                                   sleep=self.sleep, max_bytes=MAX_PAGE_BYTES,
                                   refusals=self._refusals(), on_wait=self._count_429)
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise UserError(
                f"Die Antwort des FIM-Portals auf {where} ist kein gültiges JSON. "
                "Der zuletzt geladene Stand bleibt unverändert.",
                hint="Mit --url prüfen, ob die Adresse auf das FIM-Portal zeigt; sonst "
                     "später erneut versuchen.",
            ) from None


def _fim_refusals(max_retries: int) -> Refusals:
    def rate_limited(tries: int, delay: float) -> UserError:
        if tries >= max_retries:
            return UserError(
                "Das FIM-Portal begrenzt die Zahl der Anfragen (HTTP 429) und hat auch nach "
                f"{tries} Wiederholungen keine Daten geliefert. Bitte später erneut versuchen; "
                "der zuletzt geladene Stand bleibt unverändert.", hint=RATE_LIMIT_HINT)
        minutes = max(1, round(delay / 60))
        return UserError(
            "Das FIM-Portal begrenzt die Zahl der Anfragen (HTTP 429) und nimmt erst in etwa "
            f"{minutes} Minuten wieder Anfragen an. Bitte später erneut versuchen; der zuletzt "
            "geladene Stand bleibt unverändert.", hint=RATE_LIMIT_HINT)

    return Refusals(
        rate_limited=rate_limited,
        server_error=lambda status, where: UserError(
            f"Der FIM-Portal-Server meldet einen Fehler (HTTP {status}) bei {where}. Der "
            "zuletzt geladene Stand bleibt unverändert.",
            hint="Das liegt am Server, nicht an Ihren Daten; später erneut versuchen."),
        refused=lambda status, where, url: UserError(
            f"Das FIM-Portal hat die Anfrage abgelehnt (HTTP {status}) bei {where}: {url}",
            hint=(_HINT_422 if status == 422 else
                  "Mit --url die Adresse prüfen (erwartet wird die Basisadresse, z. B. "
                  f"{DEFAULT_BASE_URL}).")),
        offline=lambda reason: UserError(OFFLINE_MESSAGE.format(reason=reason),
                                         hint=OFFLINE_HINT),
        too_large=lambda where: UserError(
            f"Die Antwort des FIM-Portals auf {where} ist größer als "
            f"{MAX_PAGE_BYTES // (1024 * 1024)} MB und wird nicht verarbeitet.",
            hint="Mit --url prüfen, ob die Adresse auf das FIM-Portal zeigt."))


@dataclass(frozen=True)
class Refusals:
    """What a service says, in German, when a GET fails; each returns the error to raise."""

    rate_limited: Callable[[int, float], UserError]  # retries so far, the delay asked for
    server_error: Callable[[int, str], UserError]  # HTTP status, where
    refused: Callable[[int, str, str], UserError]  # HTTP status, where, URL
    offline: Callable[[str], UserError]  # the reason (`_reason`)
    too_large: Callable[[str], UserError]  # where


def get_with_retries(url: str, *, headers: dict[str, str], where: str, timeout: float,
                     max_retries: int, sleep: Callable[[float], None], max_bytes: int,
                     refusals: Refusals, on_wait: Callable[[], None] | None = None
                     ) -> tuple[bytes, str]:
    """GET with a size limit and polite retries: on 429 as long as Retry-After asks (at most
    `max_retries` times, never longer than MAX_RETRY_AFTER), on 5xx a few times with
    back-off; everything else is the service's German line (`refusals`). Returns the body
    and its Content-Type. The FIM-Portal and the Dashboard Digitale Verwaltung share it."""
    rate_limited = server_errors = 0
    while True:
        request = urllib.request.Request(url, headers=headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(max_bytes + 1)
                ctype = response.headers.get("Content-Type", "") or ""
        except urllib.error.HTTPError as exc:
            status = exc.code
            retry_after = exc.headers.get("Retry-After") if exc.headers else None
            exc.close()
            if status == 429:
                delay = _retry_delay(retry_after, rate_limited)
                if rate_limited >= max_retries or delay > MAX_RETRY_AFTER:
                    raise refusals.rate_limited(rate_limited, delay) from None
                rate_limited += 1
                if on_wait is not None:
                    on_wait()
                sleep(delay)
                continue
            if 500 <= status < 600:
                if server_errors >= min(MAX_SERVER_ERROR_RETRIES, max_retries):
                    raise refusals.server_error(status, where) from None
                sleep(min(_retry_delay(retry_after, server_errors), MAX_RETRY_AFTER))
                server_errors += 1
                continue
            raise refusals.refused(status, where, url) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise refusals.offline(_reason(exc, timeout)) from None
        if len(body) > max_bytes:
            raise refusals.too_large(where)
        return body, ctype


_HINT_422 = ("Vermutlich wurde ein Datum nicht angenommen; mit --since ein Datum wie 2026-01-31 "
             "angeben oder mit --full alles neu laden.")


def _retry_delay(retry_after: str | None, attempt: int) -> float:
    """Seconds to wait: `Retry-After` (seconds or HTTP date) if given, else 1, 2, 4 … ≤ 60."""
    if retry_after:
        text = retry_after.strip()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return float(text)
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return min(2.0 ** attempt, MAX_BACKOFF)


def _reason(exc: BaseException, timeout: float) -> str:
    """A short German reason for a network failure."""
    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"keine Antwort innerhalb von {timeout:g} s"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return "TLS-Zertifikat des Servers nicht prüfbar, evtl. wegen eines Proxys"
    if isinstance(reason, socket.gaierror):
        return "Servername nicht auflösbar"
    if isinstance(reason, ConnectionRefusedError):
        return "Verbindung abgelehnt"
    if isinstance(reason, ConnectionResetError | http.client.RemoteDisconnected):
        return "Verbindung vom Server getrennt"
    if isinstance(reason, http.client.HTTPException):
        return "unvollständige Antwort"
    text = getattr(reason, "strerror", None) or str(reason)
    return text or type(reason).__name__


def _check_page(body: Any, *, page_no: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """A page must look like `PaginatedResult`: a list `items` of objects and `total_count`."""
    where = f"Seite {page_no} (offset {offset})"
    if not isinstance(body, dict):
        problem = "ist kein JSON-Objekt"
    elif not isinstance(body.get("items"), list):
        problem = "enthält keine Liste 'items'"
    elif not isinstance(body.get("total_count"), int) or isinstance(body["total_count"], bool):
        problem = "enthält keine Gesamtzahl 'total_count'"
    elif not all(isinstance(i, dict) for i in body["items"]):
        problem = "enthält Einträge in 'items', die keine Objekte sind"
    else:
        return body["items"], body["total_count"]
    raise UserError(
        f"Die Antwort des FIM-Portals auf {where} {problem}; das Format ist unerwartet. "
        "Der zuletzt geladene Stand bleibt unverändert.",
        hint="Mit --url prüfen, ob die Adresse auf das FIM-Portal zeigt; ändert sich die API, "
             "braucht ozgkompass ein Update.",
    )
