"""`ozgkompass report`: Excel, HTML and PDF gap reports, and the mayor's briefing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli.observe import attach_observed
from ozgkompass.cli.options import (
    ArchiveOpt,
    CatalogueOpt,
    ModelOpt,
    QuestionnaireOpt,
    QuestionnairesDirOpt,
    TargetOpt,
    choice,
)
from ozgkompass.cli.output import console, err_console, esc, print_issues
from ozgkompass.errors import UserError, display_path

DEFAULT_OUT = Path("reports")

FormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="Formate, mit Komma getrennt: xlsx, html, pdf (pdf braucht das "
    "Extra „pdf“ von ozgkompass). Standard: xlsx,html; mit --audience leitung html und, "
    "wenn WeasyPrint installiert ist, pdf.", show_default=False)]
AudienceOpt = Annotated[str, typer.Option(
    "--audience", "-a", help="fach: vollständiger Lückenbericht; leitung: nur die "
    "Kurzfassung für die Verwaltungsleitung (zwei Seiten, HTML/PDF, Dateien "
    "…-briefing.html/.pdf).")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", file_okay=False,
                                      help="Zielordner (Standard: reports/).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Vorhandene Berichte überschreiben.")]


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        answers: Annotated[list[Path], typer.Argument(metavar="ANTWORTDATEI…",
                                                      help="Antwortdatei(en) (YAML).",
                                                      dir_okay=False)],
        format: FormatOpt = None,
        audience: AudienceOpt = "fach",
        catalogue: CatalogueOpt = "kommunal",
        model: ModelOpt = None,
        target: TargetOpt = None,
        questionnaire: QuestionnaireOpt = None,
        questionnaires_dir: QuestionnairesDirOpt = None,
        out: OutOpt = DEFAULT_OUT,
        force: ForceOpt = False,
        plan: Annotated[Path | None, typer.Option(
            "--plan", dir_okay=False, help="Plandatei (YAML): der Maßnahmenplan folgt ihren "
            "Phasen (nur mit einer Antwortdatei).")] = None,
        archive: ArchiveOpt = None,
    ) -> None:
        """Schreibt Lückenberichte (Excel, HTML, PDF) je Antwortdatei in einen Ordner.

        Dateinamen entstehen aus dem Namen der Kommune; vorhandene Dateien bleiben
        unangetastet, außer mit --force. Mit --plan folgt der Maßnahmenplan den Phasen
        der Plandatei statt der allgemeinen Reihenfolge nach Wirkung.
        """
        from ozgkompass.app.assess import project_plan, score_file
        from ozgkompass.app.history import briefing_peers
        from ozgkompass.reports import Audience, Format, parse_audience, write_reports

        aud = parse_audience(audience)
        formats = report_formats(format, aud)
        if plan is not None and len(answers) > 1:
            raise UserError("--plan gilt für eine Kommune: bitte genau eine Antwortdatei "
                            "angeben.", hint="Für mehrere Kommunen ohne --plan aufrufen.")
        chosen = choice(questionnaire, questionnaires_dir, model, catalogue, target)
        scored = [(path, score_file(path, chosen)) for path in answers]
        _refuse_shared_names(scored, formats, aud, out)
        for path, result in scored:
            result = attach_observed(result, path, catalogue)  # the dashboard's, if cached
            projection = None
            if plan is not None:
                projection, issues = project_plan(path, plan, chosen)
                print_issues(issues)
            peers = briefing_peers(result, archive) if aud is Audience.LEITUNG else None
            with slow_notice(err_console.current(),  # type: ignore[attr-defined]
                             "Der PDF-Bericht wird gesetzt …"
                             if Format.PDF in formats else None):
                written = write_reports(result, formats, aud, out,
                                        inputs=[*answers, *([plan] if plan else [])],
                                        force=force, plan=projection, peers=peers)
            print_written(written)


SLOW = 2.0  # seconds after which a long rendering says what it is doing


@contextmanager
def slow_notice(con: Any, text: str | None, after: float = SLOW) -> Iterator[None]:
    """Show a spinner with `text` on a terminal once the block has run `after` seconds (the
    full PDF of a large municipality takes several); nothing for quick runs or pipes."""
    if text is None or not con.is_terminal:
        yield
        return
    status = con.status(text)
    timer = threading.Timer(after, status.start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        status.stop()


def report_formats(given: str | None, audience: Any) -> list[Any]:
    """The formats to write: as given, or the audience's default. The briefing exists as
    HTML and PDF only; asked for as Excel, it is a usage error, never the full workbook."""
    from ozgkompass.reports import Audience, Format, parse_formats

    if audience is not Audience.LEITUNG:
        return parse_formats(given or "xlsx,html")
    if given is None:
        return [Format.HTML, *([Format.PDF] if _pdf_available() else [])]
    formats = parse_formats(given)
    if Format.XLSX in formats:
        raise UserError("--audience leitung: Die Kurzfassung gibt es als HTML und PDF, nicht "
                        "als Excel.", hint="--format html,pdf wählen; die Arbeitsmappe "
                        "schreibt report ohne --audience (oder mit --audience fach).")
    return formats


def _pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: installed, but Pango is missing
        return False
    return True


def _refuse_shared_names(scored: list[tuple[Path, Any]], formats: list[Any], aud: Any,
                        out: Path) -> None:
    """Two answer files whose municipalities give the same file name (Köln and Koeln): the
    call is refused before anything is written (else, with --force, one report would
    replace the other, and both would be announced as written)."""
    from ozgkompass.reports import target_path

    owner: dict[Path, Path] = {}
    for path, result in scored:
        for fmt in formats:
            target = target_path(result, fmt, aud, out)
            first = owner.setdefault(target, path)
            if first != path:
                raise UserError(f"{display_path(first)} und {display_path(path)} ergäben "
                                f"denselben Bericht {display_path(target)}; nichts "
                                "geschrieben.", hint="Die beiden einzeln aufrufen, mit --out "
                                "in verschiedene Ordner.")


def print_written(paths: list[Path]) -> None:
    """One line a written report, as the user can pass it on."""
    for path in paths:
        console.print(esc(display_path(path)), highlight=False, soft_wrap=True)


def write_demo_reports(result: Any, out: Path, force: bool) -> None:
    """The example municipality's reports for `demo`; existing ones are kept unless --force."""
    from ozgkompass.reports import Audience, Format, target_path, write_reports

    plan = [([Format.XLSX, Format.HTML], Audience.FACH), ([Format.HTML], Audience.LEITUNG)]
    paths = [target_path(result, f, aud, out) for formats, aud in plan for f in formats]
    if not force and any(p.exists() for p in paths):
        console.print(f"\nBeispielberichte liegen bereits in {esc(display_path(out))} "
                      "(mit --force neu schreiben).", highlight=False, soft_wrap=True)
        return
    console.print("\nBeispielberichte:")
    for formats, aud in plan:
        for written in write_reports(result, formats, aud, out, inputs=[], force=force):
            console.print(f"  {esc(display_path(written))}", highlight=False, soft_wrap=True)
