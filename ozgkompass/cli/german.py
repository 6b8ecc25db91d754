"""German for the texts Typer and its bundled Click write themselves (usage, help, errors).

Typer 0.29 (pinned to the tested minor version in pyproject.toml) bundles its own Click
(`typer._click`) without gettext, so its English texts are replaced here: help-panel titles
and placeholders, the help option, the usage line, and usage errors, which are printed as
one German line plus the usage and where to find help.

Usage errors are built from the exceptions' fields, not from their English text, in
`cli.usage_errors` (imported only when an error is shown): NoSuchOption's `option_name` and
`possibilities`, MissingParameter's `param`, `param_type` and `param_hint`, BadParameter's
`param`/`param_hint`. The reason a value failed comes from where Typer converts it
(`RuntimeParam.coerce`, wrapped once): pydantic's error types, the OS error of a file, or
the parameter's own path checks replayed on the value. A group's and a command's own errors
are raised with their data by `GermanGroup` and `GermanCommand`. Only BadArgumentUsage,
which carries nothing but an English sentence, is matched as that exact sentence
(`cli.usage_errors._FALLBACK`).

The patches are installed once, when the CLI is imported; `typer.rich_utils` (60 ms of
imports) is patched only when Typer loads it for help or an error, so start-up stays fast.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from typer._click import Command, Context
from typer._click.exceptions import BadOptionUsage, BadParameter, UsageError
from typer.core import TyperCommand, TyperGroup

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


def with_option_data(parse: Callable[[Context, list[str]], list[str]], command: Command,
                     ctx: Context, args: list[str]) -> list[str]:
    """`parse(ctx, args)`; Click's parser raises BadOptionUsage without a context and with
    only the option's name, so the option is looked up to raise its data (`OptionUsage`)."""
    try:
        return parse(ctx, args)
    except BadOptionUsage as exc:
        from ozgkompass.cli.usage_errors import OptionUsage

        option = next((p for p in command.params if exc.option_name in
                       (*p.opts, *p.secondary_opts)), None)
        if isinstance(exc, OptionUsage) or option is None:
            raise
        flag = bool(getattr(option, "is_flag", False) or getattr(option, "count", False))
        raise OptionUsage(exc.option_name, flag, option.nargs, ctx) from None


class GermanTexts(Command):
    """The usage line and the help option of a command or group, in German."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return _usage_pieces(super().collect_usage_pieces(ctx))

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Diese Hilfe anzeigen und beenden."
        return option


class GermanCommand(GermanTexts, TyperCommand):
    """A command whose usage errors carry their data (`ExtraArguments`, `OptionUsage`) where
    Click gives only an English sentence. Every command of ozgkompass is one
    (`use_german_commands`; tests/test_german.py walks the tree)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:  # the same parsing, leaving the extra-argument check to us
            rest = with_option_data(super().parse_args, self, ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            from ozgkompass.cli.usage_errors import ExtraArguments

            raise ExtraArguments(rest, ctx)
        return rest


def use_german_commands(app: Any) -> None:
    """Make the commands a Typer app registers (and those of its sub-apps) GermanCommands,
    before Typer builds them: `CommandInfo.cls`, Typer's own field for the class."""
    for info in app.registered_commands:
        if info.cls is None or info.cls is TyperCommand:
            info.cls = GermanCommand
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_german_commands(group.typer_instance)


class GermanGroup(GermanTexts, TyperGroup):
    """A command group whose own usage errors carry their data (`NoSuchCommand`,
    `MissingCommand`, `OptionUsage`) where Click gives only an English sentence. Every group
    of ozgkompass is one (tests/test_german.py walks the tree)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return with_option_data(super().parse_args, self, ctx, args)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            # A plain UsageError of this group's own context before any subcommand was
            # resolved, in a group that needs one: that is `ctx.fail("Missing command.")`
            # (an unknown name is NoSuchCommand by then; no callback has run yet).
            if type(exc) is UsageError and exc.ctx is ctx and ctx.invoked_subcommand is None \
                    and not self.invoke_without_command:
                from ozgkompass.cli.usage_errors import MissingCommand

                raise MissingCommand(ctx) from None
            raise

    def resolve_command(self, ctx: Context, args: list[str]
                        ) -> tuple[str | None, Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            name = args[0] if args else None
            if type(exc) is not UsageError or name is None or \
                    self.get_command(ctx, name) is not None:
                raise
            from difflib import get_close_matches

            close = get_close_matches(name, list(self.commands)) if self.suggest_commands \
                else []
            from ozgkompass.cli.usage_errors import NoSuchCommand

            raise NoSuchCommand(name, close, ctx) from None


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
    """Typer's `rich_format_error`: the German message is built in `cli.usage_errors`,
    imported only when an error is shown."""
    from typer._click.exceptions import NoArgsIsHelpError

    if isinstance(exc, NoArgsIsHelpError):  # the help is the message, already printed
        return
    from ozgkompass.cli.usage_errors import print_usage_error as print_error

    print_error(exc)


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
    from typer import _click, _coercion, core

    # Every conversion of a value fails here (numbers, choices, dates, paths, files), and
    # only here are the value, the parameter and pydantic's error all at hand; the path
    # checks raise without a cause, so their reason needs the value (`value_reason`).
    coerce = _coercion.RuntimeParam.coerce

    def german_coerce(self: Any, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return coerce(self, value, param=param, ctx=ctx)
        except BadParameter as exc:
            from ozgkompass.cli.usage_errors import GermanValue, value_reason

            if isinstance(exc, GermanValue):
                raise

            reason = value_reason(exc, value, param, ctx, self)
            raise GermanValue(reason, ctx=exc.ctx or ctx, param=exc.param or param) from exc

    _coercion.RuntimeParam.coerce = german_coerce  # type: ignore[method-assign]

    def display_type_rich(original: Callable[..., str | None]) -> Callable[..., str | None]:
        def wrapper(self: Any, ctx: Any) -> str | None:
            if getattr(self, "metavar", None) is not None:
                return str(self.metavar)
            return _type_label(original(self, ctx))
        return wrapper

    for cls in (core._TyperParameter, core.TyperOption):
        cls.display_type_rich = display_type_rich(cls.display_type_rich)  # type: ignore[method-assign]

    write_usage = _click.formatting.HelpFormatter.write_usage

    def german_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    _click.formatting.HelpFormatter.write_usage = german_usage  # type: ignore[method-assign]

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
