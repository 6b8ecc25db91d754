"""PDF of the HTML report through WeasyPrint, an optional extra (`ozgkompass[pdf]`)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ozgkompass.errors import UserError
from ozgkompass.reports import html


def render(a: Any, audience: Any, today: _dt.date, plan: Any = None,
           peers: Any = None) -> bytes:
    return document(a, audience, today, plan, peers).write_pdf()  # type: ignore[no-any-return]


def render_progress(report: Any, audience: Any, today: _dt.date) -> bytes:
    pdf: bytes = _layout(html.render_progress_text(report, audience, today)).write_pdf()
    return pdf


def render_convoy(report: Any, audience: Any, today: _dt.date) -> bytes:
    pdf: bytes = _layout(html.render_convoy_text(report, today)).write_pdf()
    return pdf


BRIEFING_PAGES = 2


def document(a: Any, audience: Any, today: _dt.date, plan: Any = None,
             peers: Any = None) -> Any:
    """The laid-out WeasyPrint document (its `pages` are the printed A4 pages). The
    briefing takes the fullest of its fits (`briefing.FITS`) that stays on two pages."""
    if audience != "leitung":
        return _layout(html.render_text(a, audience, today, plan))
    from ozgkompass.reports.briefing import FITS

    for fit in FITS:
        doc = _layout(html.render_briefing(a, today, plan, fit, peers))
        if len(doc.pages) <= BRIEFING_PAGES:
            break
    return doc


def _layout(text: str) -> Any:
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # OSError: installed, but Pango is missing from the system
        raise UserError(
            "PDF-Berichte brauchen WeasyPrint, das nicht (vollständig) installiert ist.",
            hint="pip install 'ozgkompass[pdf]' ausführen; unter Linux zusätzlich Pango "
                 "installieren (Debian/Ubuntu: apt-get install libpango-1.0-0 "
                 "libpangoft2-1.0-0). Oder --format xlsx,html wählen.") from None
    # no base_url and a fetcher that refuses everything: the report fetches nothing
    return HTML(string=text, url_fetcher=_refuse).render()


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Externe Ressource abgelehnt: {url}")
