"""`ozgkompass report`: Excel, HTML and PDF gap reports, and the mayor's briefing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ozgkompass.cli.commands import (
    CatalogueOpt,
    ModelOpt,
    QuestionnaireOpt,
    QuestionnairesDirOpt,
    TargetOpt,
    _score,
)
from ozgkompass.cli.errors import handle_errors
from ozgkompass.cli.output import console
from ozgkompass.errors import display_path

DEFAULT_OUT = Path("reports")

FormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="Formate, mit Komma getrennt: xlsx, html, pdf (pdf braucht "
    "'ozgkompass[pdf]').")]
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
        answers: Annotated[list[Path], typer.Argument(help="Antwortdatei(en) (YAML).",
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
    ) -> None:
        """Schreibt Lückenberichte (Excel, HTML, PDF) je Antwortdatei in einen Ordner.

        Dateinamen entstehen aus dem Namen der Kommune; vorhandene Dateien bleiben
        unangetastet, außer mit --force.
        """
        from ozgkompass.reports import parse_audience, parse_formats, write_reports

        formats = parse_formats(format)
        aud = parse_audience(audience)
        for path in answers:
            result = _score(path, questionnaire, questionnaires_dir, model, catalogue, target)
            for written in write_reports(result, formats, aud, out, inputs=list(answers),
                                         force=force):
                console.print(display_path(written), highlight=False, soft_wrap=True)
