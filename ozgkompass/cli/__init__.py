"""The command-line interface: thin Typer commands; exit codes are decided only here.

Exit codes: 0 ok, 1 problems found in the data, 2 usage error (wrong option, missing file),
3 internal error. Every command is wrapped by `cli.errors.handle_errors`.
"""

from __future__ import annotations

import typer

from ozgkompass import __version__
from ozgkompass.cli import catalogue as catalogue_cli
from ozgkompass.cli import commands
from ozgkompass.cli import interview as interview_cli
from ozgkompass.cli import questionnaires as questionnaires_cli
from ozgkompass.cli.errors import state

app = typer.Typer(
    name="ozgkompass",
    help=(
        "OZG-Reifegradanalyse für Kommunen: Fragebögen ausfüllen, gegen den OZG-Katalog "
        "bewerten, Lückenberichte erstellen.\n\n"
        "Exit-Codes: 0 in Ordnung, 1 Probleme in den Daten gefunden, 2 Bedienfehler, "
        "3 interner Fehler."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ozgkompass {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Version anzeigen und beenden."),
    debug: bool = typer.Option(False, "--debug", help="Bei Fehlern den Python-Traceback zeigen."),
) -> None:
    """OZG-Reifegradanalyse für Kommunen."""
    state["debug"] = debug


commands.register(app)
app.add_typer(catalogue_cli.app, name="catalogue")
interview_cli.register(app)
app.add_typer(questionnaires_cli.app, name="questionnaires")


def main() -> None:
    app(prog_name="ozgkompass")
