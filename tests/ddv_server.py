"""A local stand-in for the Dashboard Digitale Verwaltung's data API (127.0.0.1 only).

It replays the recorded rows in tests/data/ddv/<ars>.json as the API would: JSON pages of
`page_size` rows with `totalPages` and `last`, or the CSV export (`filetype=csv`); and on
request the failures a real server shows: 429 with Retry-After, 5xx, an HTML error page, a
reply slower than the client's timeout, a malformed page.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "ddv"


class DdvServer:
    def __init__(self, page_size: int = 4) -> None:
        self.page_size = page_size
        self.rows: dict[str, list[Any]] = {}
        self.failures: list[str] = []  # consumed one per request: "429", "500", "html", "slow"
        self.requests: list[str] = []
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append(self.path)
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def load(self, ars: str) -> list[Any]:
        self.rows[ars] = json.loads((DATA / f"{ars}.json").read_text(encoding="utf-8"))
        return self.rows[ars]

    def __enter__(self) -> DdvServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        failure = self.failures.pop(0) if self.failures else None
        if failure == "429":
            return self._send(h, 429, b'{"message":"Too Many Requests"}', "application/json",
                              {"Retry-After": "1"})
        if failure == "500":
            return self._send(h, 500, b"{}", "application/json")
        if failure == "html":
            return self._send(h, 200, b"<!DOCTYPE html><html><body><h1>Wartungsarbeiten</h1>"
                              b"</body></html>", "text/html; charset=utf-8")
        if failure == "slow":
            time.sleep(2.5)
        if failure == "broken-page":
            return self._send(h, 200, b'{"items": []}', "application/json")
        prefix = "/api/v1/data/"
        if not parsed.path.startswith(prefix):
            return self._send(h, 404, b'{"message":"Not Found"}', "application/json")
        ars = parsed.path[len(prefix):]
        if ars not in self.rows:
            return self._send(h, 400, b'{"message":"Bad Request"}', "application/json")
        rows = self.rows[ars]
        if query.get("filetype") == "csv":
            return self._send(h, 200, _csv(rows), "text/csv; charset=utf-8")
        page = int(query.get("page", "0"))
        size = self.page_size
        total = max(1, -(-len(rows) // size))
        content = rows[page * size:(page + 1) * size]
        body = {"totalPages": total, "totalElements": len(rows), "size": size,
                "number": page, "numberOfElements": len(content), "content": content,
                "first": page == 0, "last": page >= total - 1, "empty": not content}
        return self._send(h, 200, json.dumps(body, ensure_ascii=False).encode(),
                          "application/json")

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
              headers: dict[str, str] | None = None) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass


def _csv(rows: list[Any]) -> bytes:
    fields = ["leika_key", "leika_name", "ars", "ars_name", "ars_federal_state", "bundesland",
              "leika_bezeichnung", "ozgid", "ozg_bezeichnung", "url", "online_status", "aktiv",
              "art_flaechendeckung"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, delimiter=";", extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in fields})
    return out.getvalue().encode("utf-8")
