"""Reports: one renderer per format, each reading the one scored `Assessment`.

Renderers never recompute a figure; they format what `scoring` computed. `Format` is the
registry of output formats (one renderer module each); `write_reports` is the thin file
writer around them (atomic, never overwriting without `force`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from enum import StrEnum
from functools import partial
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


class Kind(StrEnum):
    GAP = "gap"  # the gap report of one assessment (`report`)
    PROGRESS = "progress"  # Fortschrittsbericht between two rounds (`compare --format`)
    CONVOY = "convoy"  # Geleitzug of several municipalities (`convoy --format`)


# one renderer module a format; each has one function a kind of report, all of the form
# `(subject, audience, today) -> bytes` (plus `plan=` for the gap report)
RENDERERS: dict[Format, str] = {
    Format.XLSX: "ozgkompass.reports.xlsx",
    Format.HTML: "ozgkompass.reports.html",
    Format.PDF: "ozgkompass.reports.pdf",
}
FUNCTIONS: dict[Kind, str] = {Kind.GAP: "render", Kind.PROGRESS: "render_progress",
                              Kind.CONVOY: "render_convoy"}
SUFFIX = {Format.XLSX: ".xlsx", Format.HTML: ".html", Format.PDF: ".pdf"}


def renderer(fmt: Format, kind: Kind = Kind.GAP) -> Callable[..., bytes]:
    return getattr(import_module(RENDERERS[fmt]), FUNCTIONS[kind])  # type: ignore[no-any-return]


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


def _briefing(fmt: Format, audience: Audience) -> str:
    return "-briefing" if audience is Audience.LEITUNG and fmt is not Format.XLSX else ""


def target_path(assessment: Any, fmt: Format, audience: Audience, out_dir: Path) -> Path:
    stem = report_stem(assessment.municipality.name)
    return out_dir / f"{stem}{_briefing(fmt, audience)}{SUFFIX[fmt]}"


def progress_path(report: Any, fmt: Format, audience: Audience, out_dir: Path) -> Path:
    stem = report_stem(report.progress.municipality)
    return out_dir / f"{stem}-fortschritt{_briefing(fmt, audience)}{SUFFIX[fmt]}"


def convoy_path(report: Any, fmt: Format, out_dir: Path) -> Path:
    stem = report_stem("geleitzug " + report.result.name)
    return out_dir / f"{stem}{SUFFIX[fmt]}"


def _write(targets: list[tuple[Path, Callable[[], bytes]]], inputs: list[Path],
           force: bool) -> list[Path]:
    """Check every target first, so that a refused overwrite leaves nothing half-done; then
    render all, then write each file atomically."""
    for path, _ in targets:
        refuse_overwrite(path, inputs, force, option="--out")
    rendered = [(path, render()) for path, render in targets]
    return [atomic_write_bytes(path, data) for path, data in rendered]


def write_reports(assessment: Any, formats: list[Format], audience: Audience, out_dir: Path,
                  *, inputs: list[Path], force: bool = False,
                  today: _dt.date | None = None, plan: Any = None,
                  peers: Any = None) -> list[Path]:
    """The gap reports of one assessment; `plan` (a `PlanProjection`) makes the
    Maßnahmenplan follow the plan's phases; `peers` (a `PeerComparison`) gives the
    briefing its comparison."""
    day = today or _dt.date.today()
    return _write([(target_path(assessment, fmt, audience, out_dir),
                    partial(renderer(fmt), assessment, audience, day, plan=plan, peers=peers))
                   for fmt in formats], inputs, force)


def write_progress_reports(report: Any, formats: list[Format], audience: Audience,
                           out_dir: Path, *, inputs: list[Path], force: bool = False,
                           today: _dt.date | None = None) -> list[Path]:
    """The Fortschrittsbericht (`reports.over_time.ProgressReport`) in each format."""
    day = today or _dt.date.today()
    return _write([(progress_path(report, fmt, audience, out_dir),
                    partial(renderer(fmt, Kind.PROGRESS), report, audience, day))
                   for fmt in formats], inputs, force)


def write_convoy_reports(report: Any, formats: list[Format], out_dir: Path, *,
                         inputs: list[Path], force: bool = False,
                         today: _dt.date | None = None) -> list[Path]:
    """The Geleitzug report (`reports.over_time.ConvoyReport`) in each format."""
    day = today or _dt.date.today()
    return _write([(convoy_path(report, fmt, out_dir),
                    partial(renderer(fmt, Kind.CONVOY), report, Audience.FACH, day))
                   for fmt in formats], inputs, force)
