"""German for the texts Typer and its bundled Click write themselves (usage, help, errors).

Typer 0.2x bundles its own Click without gettext, so its English texts are replaced here:
help-panel titles and placeholders, the help option, the usage line, and usage errors,
which are printed as one German line plus the usage and where to find help. The patches
are installed once, when the CLI is imported; `typer.rich_utils` (60 ms of imports) is
patched only when Typer loads it for help or an error, so start-up stays fast.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

# Usage errors: English message (regex) → German. Tried in order; all that match apply.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"No such option: (\S+)", r"Unbekannte Option \1."),
    (r"\(Possible options: (.*)\)", r"Mögliche Optionen: \1."),
    (r"Did you mean (.*)\?", r"Meinten Sie \1?"),
    (r"No such command '(.+?)'\.?", r"Unbekannter Befehl '\1'."),
    (r"Missing command\.?", r"Es fehlt ein Befehl."),
    (r"Missing argument '(.+?)'\.?", r"Es fehlt das Argument \1."),
    (r"Missing option '(.+?)'\.?", r"Es fehlt die Option \1."),
    (r"Missing parameter: (.+)", r"Es fehlt: \1."),
    (r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)",
     r"Unerwartete zusätzliche Angabe(n): \1."),
    (r"Option '(.+?)' requires an argument\.?", r"Option \1 braucht einen Wert."),
    (r"Option '(.+?)' does not take a value\.?", r"Option \1 nimmt keinen Wert an."),
    (r"Invalid value for (.+?): ", r"Ungültiger Wert für \1: "),
    (r"Invalid value: ", r"Ungültiger Wert: "),
    (r"Input should be a valid integer.*", r"erwartet wird eine ganze Zahl."),
    (r"Input should be a valid number.*", r"erwartet wird eine Zahl."),
    (r"Input should be a valid boolean.*", r"erwartet wird ja/nein (true/false)."),
    (r"Value '(.*?)' is not a valid integer\.?", r"'\1' ist keine ganze Zahl."),
    (r"Value '(.*?)' is not a valid (\w+)\.?", r"'\1' ist kein gültiger Wert (\2)."),
    (r"'(.*?)' is not a valid integer( range)?\.?", r"'\1' ist keine ganze Zahl."),
    (r"'(.*?)' is not a valid float( range)?\.?", r"'\1' ist keine Zahl."),
    (r"'(.*?)' is not one of (.*)\.", r"'\1' ist keiner der Werte \2."),
    (r"'(.*?)' is not (.*)\.", r"'\1' ist nicht \2."),
    (r"(?i)(?:file|path|directory) '(.+?)' does not exist\.?",
     r"'\1' gibt es nicht; Pfad prüfen."),
    (r"(?i)file '(.+?)' is a directory\.?", r"'\1' ist ein Ordner, erwartet wird eine Datei."),
    (r"(?i)directory '(.+?)' is a file\.?", r"'\1' ist eine Datei, erwartet wird ein Ordner."),
    (r"(?i)(?:file|path|directory) '(.+?)' is not readable\.?", r"'\1' ist nicht lesbar."),
    (r"(?i)(?:file|path|directory) '(.+?)' is not writable\.?", r"'\1' ist nicht beschreibbar."),
)

# Help placeholders Typer shows after an option: <bool>, <file>, <list[Path]> …
_TYPES = {"bool": None, "file": "DATEI", "dir": "ORDNER", "path": "PFAD", "Path": "PFAD",
          "str": "TEXT", "int": "ZAHL", "float": "ZAHL", "datetime": "DATUM"}

_RICH_UTILS_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Argumente",
    "OPTIONS_PANEL_TITLE": "Optionen",
    "COMMANDS_PANEL_TITLE": "Befehle",
    "ERRORS_PANEL_TITLE": "Fehler",
    "ABORTED_TEXT": "Abgebrochen.",
    "RICH_HELP": "Hilfe: [blue]{command_path} {help_option}[/]",
    "DEFAULT_STRING": "[Standard: {}]",
    "ENVVAR_STRING": "[Umgebungsvariable: {}]",
    "REQUIRED_LONG_STRING": "[Pflicht]",
    "DEPRECATED_STRING": "(veraltet) ",
}

USAGE_PREFIX = "Aufruf: "


def translate_message(text: str) -> str:
    """A Click/Typer usage-error message in German."""
    for pattern, german in _MESSAGES:
        text = re.sub(pattern, german, text)
    return text


def _type_label(label: str | None) -> str | None:
    if label is None or not (label.startswith("<") and label.endswith(">")):
        return label
    inner = label[1:-1]
    match = re.fullmatch(r"list\[(.+)\]", inner)
    if match:
        element = _TYPES.get(match.group(1), match.group(1).upper())
        return f"{element} …" if element else None
    if "|" in inner:  # choices: keep the values
        return inner
    return _TYPES.get(inner, inner.upper())


def _usage_pieces(pieces: list[str]) -> list[str]:
    replace = {"[OPTIONS]": "[OPTIONEN]", "COMMAND [ARGS]...": "BEFEHL [ARGUMENTE]…"}
    return [replace.get(p, re.sub(r"^\{(.+)\}(\.\.\.)?$", r"\1", p)) for p in pieces]


def print_usage_error(exc: Any) -> None:
    """A usage error as ozgkompass prints every error: one German line, then where to look."""
    from ozgkompass.cli.output import err_console, esc

    ctx = getattr(exc, "ctx", None)
    err_console.print(f"[red]Fehler:[/red] {esc(translate_message(exc.format_message()))}",
                      highlight=False, soft_wrap=True)
    if ctx is not None:
        err_console.print(esc(ctx.get_usage()), highlight=False, soft_wrap=True)
        if ctx.command.get_help_option(ctx) is not None:
            err_console.print(f"Hilfe: {esc(ctx.command_path)} {ctx.help_option_names[0]}",
                              highlight=False, soft_wrap=True)


def _patch_rich_utils(module: Any) -> None:
    for name, text in _RICH_UTILS_TEXTS.items():
        setattr(module, name, text)
    module.rich_format_error = print_usage_error


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Runs a patch right after a module is executed (used for `typer.rich_utils`)."""

    def __init__(self, name: str, patch: Callable[[Any], None]) -> None:
        self.name, self.patch = name, patch

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        loader, patch = spec.loader, self.patch
        exec_module = loader.exec_module

        def patched(module: Any) -> None:
            exec_module(module)
            patch(module)

        loader.exec_module = patched  # type: ignore[method-assign]
        return spec


_installed = False


def install() -> None:
    """Install the German texts (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    from typer import _click, core

    def display_type_rich(original: Callable[..., str | None]) -> Callable[..., str | None]:
        def wrapper(self: Any, ctx: Any) -> str | None:
            if getattr(self, "metavar", None) is not None:
                return str(self.metavar)
            return _type_label(original(self, ctx))
        return wrapper

    for cls in (core._TyperParameter, core.TyperOption):
        cls.display_type_rich = display_type_rich(cls.display_type_rich)  # type: ignore[method-assign]

    get_help_option = _click.core.Command.get_help_option

    def german_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = "Diese Hilfe anzeigen und beenden."
        return option

    _click.core.Command.get_help_option = german_help_option  # type: ignore[method-assign]

    write_usage = _click.formatting.HelpFormatter.write_usage

    def german_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    _click.formatting.HelpFormatter.write_usage = german_usage  # type: ignore[method-assign]

    for command_cls in (_click.core.Command, core.TyperGroup):
        pieces = command_cls.collect_usage_pieces

        def german_pieces(self: Any, ctx: Any, _pieces: Any = pieces) -> list[str]:
            return _usage_pieces(_pieces(self, ctx))

        command_cls.collect_usage_pieces = german_pieces  # type: ignore[method-assign]

    import inspect

    from typer import completion

    helps = {"install_completion": "Autovervollständigung für diese Shell einrichten "
                                   "(bash, zsh, fish, PowerShell).",
             "show_completion": "Skript der Autovervollständigung zeigen, zum Kopieren oder "
                                "Anpassen."}
    for fn in (completion._install_completion_placeholder_function,
               completion._install_completion_no_auto_placeholder_function):
        for name, param in inspect.signature(fn).parameters.items():
            if name in helps:
                param.default.help = helps[name]

    if "typer.rich_utils" in sys.modules:
        _patch_rich_utils(sys.modules["typer.rich_utils"])
    else:
        sys.meta_path.insert(0, _PatchOnImport("typer.rich_utils", _patch_rich_utils))
