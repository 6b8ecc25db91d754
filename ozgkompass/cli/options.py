"""The options several commands share, declared once (a command imports them from here;
an option whose help says something of its own command stays with that command)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

QuestionnaireOpt = Annotated[
    Path | None,
    typer.Option("--questionnaire", "-q", help="Fragebogen-Datei (statt Suche nach der ID).",
                 dir_okay=False),
]
QuestionnairesDirOpt = Annotated[
    Path | None,
    typer.Option("--questionnaires-dir", envvar="OZGKOMPASS_QUESTIONNAIRES", file_okay=False,
                 help="Ordner mit eigenen Fragebögen (auch per OZGKOMPASS_QUESTIONNAIRES)."),
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Reifegradmodell: reifegrad-1.1 (Standard), "
                 "reifegrad-1.1-leitfaden (Bescheid digital ab Stufe 3), reifegrad-2.0 "
                 "oder Pfad zu einer Modelldatei."),
]
CatalogueOpt = Annotated[
    str | None,
    typer.Option("--catalogue", "-c", help="OZG-Katalog, gegen den bewertet wird: `kommunal` "
                 "(eingebaut, Standard), ID eines importierten Katalogs oder Pfad."),
]
NoCatalogueOpt = Annotated[
    bool,
    typer.Option("--no-catalogue", help="Nur den Fragebogen bewerten, keine OZG-Leistungen."),
]
TargetOpt = Annotated[
    int | None,
    typer.Option("--target", "-t", help="Zielstufe für alle Leistungen (Standard: OZG-konforme "
                 "Stufe; SDG-Anhang-II-Leistungen: Once-Only-Stufe)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Vollständiges Ergebnis als JSON ausgeben.")]

ArchiveOpt = Annotated[
    Path | None,
    typer.Option("--archive", dir_okay=False, envvar="OZGKOMPASS_ARCHIVE",
                 help="Archivdatei (Standard: im Benutzer-Datenordner; auch per "
                      "OZGKOMPASS_ARCHIVE)."),
]
# for interview, import and batch: `--archive` adds the result, `--archive-file` says where
ArchiveFileOpt = Annotated[
    Path | None,
    typer.Option("--archive-file", dir_okay=False,
                 help="Archivdatei für --archive (Standard: OZGKOMPASS_ARCHIVE, sonst im "
                      "Benutzer-Datenordner)."),
]
ArchiveFlagOpt = Annotated[bool, typer.Option(
    "--archive", help="Das Ergebnis auch im Archiv ablegen (siehe `ozgkompass archive`).")]


def choice(questionnaire: Path | None = None, questionnaires_dir: Path | None = None,
           model: str | None = None, catalogue: str | None = None,
           target: int | None = None) -> Any:
    """The definition options of a command, as `app.definitions.Choice`."""
    from ozgkompass.app.definitions import Choice

    return Choice(questionnaire, questionnaires_dir, model, catalogue, target)
