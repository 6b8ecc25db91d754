"""Reports: one renderer per format, each reading the one scored `Assessment`.

Renderers never recompute a figure; they format what `scoring` computed. `Format` is the
registry of output formats (one renderer module each); `write_reports` is the thin file
writer around them (atomic, never overwriting without `force`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from enum import StrEnum
from importlib import import_module
from pathlib import Path
from typing import Any

from ozgkompass.errors import UserError
from ozgkompass.fsutil import atomic_write_bytes, refuse_overwrite
from ozgkompass.reports.naming import report_stem


class Format(StrEnum):
    XLSX = "xlsx"
    HTML = "html"
    PDF = "pdf"


class Audience(StrEnum):
    FACH = "fach"  # the consultant and the Fachebene: every figure
    LEITUNG = "leitung"  # the mayor's two-page briefing


# one renderer module a format; each has `render(assessment, audience, today) -> bytes`
RENDERERS: dict[Format, str] = {
    Format.XLSX: "ozgkompass.reports.xlsx",
    Format.HTML: "ozgkompass.reports.html",
    Format.PDF: "ozgkompass.reports.pdf",
}
SUFFIX = {Format.XLSX: ".xlsx", Format.HTML: ".html", Format.PDF: ".pdf"}


def renderer(fmt: Format) -> Callable[[Any, Audience, _dt.date], bytes]:
    return import_module(RENDERERS[fmt]).render  # type: ignore[no-any-return]


def parse_formats(text: str) -> list[Format]:
    """`xlsx,html` → [Format.XLSX, Format.HTML]; unknown names are a usage error."""
    formats: list[Format] = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        try:
            fmt = Format(part)
        except ValueError:
            known = ", ".join(f.value for f in Format)
            raise UserError(f"--format: unbekanntes Format „{part}“.",
                            hint=f"Erlaubt sind: {known} (mit Komma getrennt).") from None
        if fmt not in formats:
            formats.append(fmt)
    if not formats:
        raise UserError("--format: kein Format angegeben.", hint="Zum Beispiel --format xlsx,html.")
    return formats


def parse_audience(text: str) -> Audience:
    try:
        return Audience(text.strip().lower())
    except ValueError:
        raise UserError(f"--audience: unbekannte Zielgruppe „{text}“.",
                        hint="Erlaubt sind: fach, leitung.") from None


def target_path(assessment: Any, fmt: Format, audience: Audience, out_dir: Path) -> Path:
    stem = report_stem(assessment.municipality.name)
    extra = "-briefing" if audience is Audience.LEITUNG and fmt is not Format.XLSX else ""
    return out_dir / f"{stem}{extra}{SUFFIX[fmt]}"


def write_reports(assessment: Any, formats: list[Format], audience: Audience, out_dir: Path,
                  *, inputs: list[Path], force: bool = False,
                  today: _dt.date | None = None) -> list[Path]:
    """Render every format, then write each file atomically; checks all targets first so
    that a refused overwrite leaves nothing half-done."""
    today = today or _dt.date.today()
    targets = [(fmt, target_path(assessment, fmt, audience, out_dir)) for fmt in formats]
    for _, path in targets:
        refuse_overwrite(path, inputs, force)
    rendered = [(path, renderer(fmt)(assessment, audience, today)) for fmt, path in targets]
    return [atomic_write_bytes(path, data) for path, data in rendered]
