"""`ozgkompass report`: Excel, HTML and PDF gap reports, and the mayor's briefing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli.commands import (
    CatalogueOpt,
    ModelOpt,
    QuestionnaireOpt,
    QuestionnairesDirOpt,
    TargetOpt,
    _projection,
    _score,
)
from ozgkompass.cli.errors import handle_errors
from ozgkompass.cli.output import console, esc, print_issues
from ozgkompass.errors import UserError, display_path

DEFAULT_OUT = Path("reports")

FormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="Formate, mit Komma getrennt: xlsx, html, pdf (pdf braucht das "
    "Extra „pdf“ von ozgkompass).")]
AudienceOpt = Annotated[str, typer.Option(
    "--audience", "-a", help="fach: vollständiger Lückenbericht; leitung: zwei Seiten für "
    "die Verwaltungsleitung (HTML/PDF).")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", file_okay=False,
                                      help="Zielordner (Standard: reports/).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Vorhandene Berichte überschreiben.")]


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def report(
        answers: Annotated[list[Path], typer.Argument(metavar="ANTWORTDATEI…",
                                                      help="Antwortdatei(en) (YAML).",
                                                      dir_okay=False)],
        format: FormatOpt = "xlsx,html",
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
    ) -> None:
        """Schreibt Lückenberichte (Excel, HTML, PDF) je Antwortdatei in einen Ordner.

        Dateinamen entstehen aus dem Namen der Kommune; vorhandene Dateien bleiben
        unangetastet, außer mit --force. Mit --plan folgt der Maßnahmenplan den Phasen
        der Plandatei statt der allgemeinen Reihenfolge nach Wirkung.
        """
        from ozgkompass.reports import parse_audience, parse_formats, write_reports

        formats = parse_formats(format)
        aud = parse_audience(audience)
        if plan is not None and len(answers) > 1:
            raise UserError("--plan gilt für eine Kommune: bitte genau eine Antwortdatei "
                            "angeben.", hint="Für mehrere Kommunen ohne --plan aufrufen.")
        scored = [(path, _score(path, questionnaire, questionnaires_dir, model, catalogue,
                                target)) for path in answers]
        _refuse_shared_names(scored, formats, aud, out)
        for path, result in scored:
            projection = None
            if plan is not None:
                projection, issues = _projection(path, plan, questionnaire, questionnaires_dir,
                                                 model, catalogue, target)
                print_issues(issues)
            print_written(write_reports(result, formats, aud, out,
                                        inputs=[*answers, *([plan] if plan else [])],
                                        force=force, plan=projection))


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
