"""The command-line interface: thin Typer commands; exit codes are decided only here.

Exit codes: 0 ok, 1 problems found in the data, 2 usage error (wrong option, missing file),
3 internal error. Every command is wrapped by `cli.errors.handle_errors`.
"""

from __future__ import annotations

import typer

from ozgkompass import __version__
from ozgkompass.cli import german

german.install()  # before any command is built: Typer's own texts in German

from typer.core import TyperGroup  # noqa: E402

from ozgkompass.cli import catalogue as catalogue_cli  # noqa: E402
from ozgkompass.cli import commands, spreadsheets  # noqa: E402
from ozgkompass.cli import interview as interview_cli  # noqa: E402
from ozgkompass.cli import observe as observe_cli  # noqa: E402
from ozgkompass.cli import progress as progress_cli  # noqa: E402
from ozgkompass.cli import questionnaires as questionnaires_cli  # noqa: E402
from ozgkompass.cli import report as report_cli  # noqa: E402
from ozgkompass.cli.errors import state  # noqa: E402


class OzgGroup(TyperGroup):
    """The root command: `--debug` is accepted anywhere on the line, not only before the
    subcommand (users add it when they repeat a failed command)."""

    def main(self, args=None, *pos, **kwargs):  # type: ignore[no-untyped-def, override]
        import sys

        args = list(sys.argv[1:] if args is None else args)
        if "--debug" in args[1:]:
            args.remove("--debug")
            args.insert(0, "--debug")
        return super().main(args, *pos, **kwargs)


app = typer.Typer(
    name="ozgkompass",
    help=(
        "OZG-Reifegradanalyse für Kommunen: Interviews führen, Antworten auf YAML-Fragebögen "
        "prüfen und "
        "bewerten, gegen den OZG-Leistungskatalog und das Reifegradmodell rechnen und "
        "erklären, wie jede Zahl zustande kommt.\n\n"
        "Exit-Codes: 0 in Ordnung, 1 Probleme in den Daten gefunden, 2 Bedienfehler, "
        "3 interner Fehler."
    ),
    no_args_is_help=True,
    cls=OzgGroup,
    add_completion=True,
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
report_cli.register(app)
spreadsheets.register(app)
app.add_typer(catalogue_cli.app, name="catalogue")
interview_cli.register(app)
app.add_typer(questionnaires_cli.app, name="questionnaires")
progress_cli.register(app)  # archive, compare, plan, convoy, peers
observe_cli.register(app)  # observe
app.add_typer(observe_cli.gemeinden_app, name="gemeinden")


def main() -> None:
    app(prog_name="ozgkompass")
