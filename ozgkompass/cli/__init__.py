"""The command-line interface: thin Typer commands; exit codes are decided only here.

Exit codes: 0 ok, 1 problems found in the data, 2 usage error (wrong option, missing file),
3 internal error. Every command is wrapped by `cli.errors.handle_errors` when the root group
loads it (`OzgGroup.load`).

The command modules are imported only when one of their commands runs (Click's pattern of
lazily loaded subcommands): `ozgkompass --help`, `--version` and shell completion of the
command names read the table `COMMANDS` below instead, so start-up stays close to a bare
Typer app (benchmarks/cli_startup.py). tests/test_cli_lazy.py checks the table against the
real commands.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import typer

from ozgkompass import __version__
from ozgkompass.cli import coercion, german

german.install()  # before any command is built: Typer's own texts in German
coercion.install()  # the plain types converted without pydantic (130 ms)

from typer import _click  # noqa: E402
from typer.core import TyperCommand  # noqa: E402

from ozgkompass.cli.errors import state  # noqa: E402


class Entry(NamedTuple):
    """Where a root command lives, and its help line for the root's listing."""

    module: str
    help: str


_CLI = "ozgkompass.cli."
# In the order of the root's help. `help`: the first paragraph of the command's docstring
# (or of its group's help), as Typer shows it in the listing.
COMMANDS: dict[str, Entry] = {
    "demo": Entry(_CLI + "commands", "Bewertet die eingebaute Beispielkommune (Stadt "
                  "Falkenberg), zeigt das Ergebnis und\nschreibt ihre Berichte (Excel, HTML, "
                  "Kurzfassung) nach reports/demo/."),
    "validate": Entry(_CLI + "commands", "Prüft Fragebögen und Antwortdateien und meldet alle "
                      "Probleme mit Datei, Zeile und Spalte."),
    "score": Entry(_CLI + "commands", "Bewertet eine Antwortdatei: Index, Bereiche, Kriterien, "
                   "OZG-Leistungen, Schritte."),
    "explain": Entry(_CLI + "commands", "Zeigt, wie eine Zahl zustande kommt: welche Antworten, "
                     "Gewichte und Ausschlüsse."),
    "schema": Entry(_CLI + "commands", "Zeigt, wo das JSON-Schema für Fragebögen liegt (für "
                    "Editoren)."),
    "report": Entry(_CLI + "report", "Schreibt Lückenberichte (Excel, HTML, PDF) je "
                    "Antwortdatei in einen Ordner."),
    "template": Entry(_CLI + "spreadsheets", "Schreibt eine Excel-Mappe zum Ausfüllen "
                      "(Auswahllisten, Blattschutz ohne Kennwort);\nmit --members eine je "
                      "Mitglied, Stammdaten eingetragen und gesperrt."),
    "import": Entry(_CLI + "spreadsheets", "Macht aus einer ausgefüllten Mappe eine "
                    "Antwortdatei; meldet Probleme mit Blatt\nund Zelle. Bei Fehlern wird "
                    "nichts geschrieben (Exit-Code 1), außer mit --partial."),
    "batch": Entry(_CLI + "spreadsheets", "Bewertet alle Mappen eines Ordners und schreibt "
                   "eine Übersicht (xlsx, CSV, JSON)."),
    "interview": Entry(_CLI + "interview", "Interview führen: Fragen stellen, jede Antwort "
                       "sofort speichern, fortsetzen."),
    "new-answers": Entry(_CLI + "interview", "Legt eine leere, gültige Antwortdatei an; jede "
                         "Frage steht als Kommentar darin."),
    "compare": Entry(_CLI + "progress", "Fortschritt einer Kommune: was sich je Frage, "
                     "Bereich und Themenfeld geändert hat."),
    "plan": Entry(_CLI + "progress", "Roadmap: Index, Kriterien und Leistungen am Ziel je "
                  "geplanter Phase."),
    "convoy": Entry(_CLI + "progress", "Geleitzug: Stärken, geteilte Infrastruktur, Aufteilung "
                    "der Themenfelder."),
    "peers": Entry(_CLI + "progress", "Vergleich mit Kommunen gleichen Typs und gleicher "
                   "Größenklasse im selben Land (aus\ndem Archiv)."),
    "observe": Entry(_CLI + "observe", "Stellt die Daten des Dashboards Digitale Verwaltung "
                     "neben die Antworten."),
    "catalogue": Entry(_CLI + "catalogue", "OZG-Katalog: importieren, anzeigen, durchsuchen, "
                       "aktualisieren."),
    "questionnaires": Entry(_CLI + "questionnaires", "Eingebaute und eigene Fragebögen "
                            "anzeigen."),
    "archive": Entry(_CLI + "progress", "Archiv der Bewertungen: ablegen, auflisten, zeigen, "
                     "entfernen, exportieren, aus Antwortdateien neu aufbauen."),
    "gemeinden": Entry(_CLI + "observe", "Amtliches Gemeindeverzeichnis (Destatis GV100AD): "
                       "Name, Art, Kreis und Einwohnerzahl je Regionalschlüssel."),
}


def command_module_typer(module_name: str) -> typer.Typer:
    """A Typer app holding the commands of one command module (what it registers)."""
    module = importlib.import_module(module_name)
    holder = typer.Typer()
    module.register(holder)
    german.use_german_commands(holder)  # before Typer builds them
    return holder


class OzgGroup(german.GermanGroup):
    """The root command.

    - `--debug` is accepted anywhere on the line, not only before the subcommand (users add
      it when they repeat a failed command).
    - Its commands are loaded on first use (`COMMANDS`); listing them (help, completion of
      command names) takes the table's help lines without importing the modules.
    """

    _listing = False

    def main(self, args=None, *pos, **kwargs):  # type: ignore[no-untyped-def]
        import sys

        args = list(sys.argv[1:] if args is None else args)
        if "--debug" in args[1:]:
            args.remove("--debug")
            args.insert(0, "--debug")
        return super().main(args, *pos, **kwargs)

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            if self._listing:
                return TyperCommand(cmd_name, help=COMMANDS[cmd_name].help)
            self.load(COMMANDS[cmd_name].module)
        return self.commands.get(cmd_name)

    def load(self, module_name: str) -> None:
        """Build the real commands of one command module and add them to the root (once)."""
        loaded: set[str] = self.__dict__.setdefault("_loaded_modules", set())
        if module_name in loaded:
            return
        loaded.add(module_name)
        import signal

        import typer.main

        from ozgkompass.cli.errors import wrap_commands
        from ozgkompass.terminal import abort_while_loading

        # Ctrl-C while a command module loads ends as during start-up (ozgkompass.entry)
        try:
            previous = signal.signal(signal.SIGINT, abort_while_loading)
        except ValueError:  # not the main thread
            previous = None
        try:
            group = typer.main.get_group(command_module_typer(module_name))
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        for name, command in group.commands.items():
            wrap_commands(command)  # the one error handler (cli/errors.py)
            self.commands.setdefault(name, command)

    def load_all(self) -> None:
        """Every command loaded (tests walking the whole tree, documentation)."""
        for module_name in dict.fromkeys(entry.module for entry in COMMANDS.values()):
            self.load(module_name)

    def resolve_command(self, ctx: _click.Context, args: list[str]
                        ) -> tuple[str | None, _click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except _click.exceptions.UsageError:
            if all(name in self.commands for name in COMMANDS):
                raise
            # a mistyped command: Typer suggests among the loaded commands, so load them all
            # (only on this error path) and let it suggest again
            self.load_all()
            return super().resolve_command(ctx, args)

    def format_help(self, ctx: _click.Context, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: _click.Context, incomplete: str) -> list[Any]:
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False


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


def root_command() -> OzgGroup:
    """The root Click group with every command loaded."""
    import typer.main

    root = typer.main.get_command(app)
    assert isinstance(root, OzgGroup)
    root.load_all()
    return root


def main() -> None:
    app(prog_name="ozgkompass")
