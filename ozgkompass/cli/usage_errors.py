"""Usage errors in German, built from the exceptions' fields rather than their English text
(see cli/german.py). Imported only when an error is shown or a value fails to convert, so
none of this is compiled or run at start-up."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Mapping
from typing import Any

from typer._click.exceptions import BadOptionUsage, BadParameter, UsageError

# The usage errors of GermanGroup and GermanCommand (cli/german.py), with their data


class GermanValue(BadParameter):
    """A value Typer could not convert; the message is German already (`value_reason`)."""


class NoSuchCommand(UsageError):
    """A subcommand name the group does not know, and the names close to it."""

    def __init__(self, name: str, possibilities: list[str], ctx: Any) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name, self.possibilities = name, possibilities


class MissingCommand(UsageError):
    """A group called with options but without a subcommand."""

    def __init__(self, ctx: Any) -> None:
        super().__init__("Missing command.", ctx)


class OptionUsage(BadOptionUsage):
    """An option given a value it does not take (`flag`), or fewer values than its `nargs`."""

    def __init__(self, option_name: str, flag: bool, nargs: int, ctx: Any) -> None:
        super().__init__(option_name, f"Option {option_name!r}: wrong number of values.", ctx)
        self.flag, self.nargs = flag, nargs


class ExtraArguments(UsageError):
    """Arguments left over after a command took all it accepts."""

    def __init__(self, extra: list[str], ctx: Any) -> None:
        super().__init__(f"Got unexpected extra arguments ({' '.join(extra)})", ctx)
        self.extra = extra


# The only usage error without structured data, rewritten from its exact English sentence
# (anchored; nothing else is matched): BadArgumentUsage of an argument taking several values
# names neither the argument's parameter nor its count in fields. Every other usage error is
# built from its exception's fields (`german_message`; a group's and a command's own errors:
# `GermanGroup`, `GermanCommand`).
_FALLBACK: tuple[tuple[str, str], ...] = (
    (r"^Argument '(.+?)' takes (\d+) values\.$", r"Argument \1 braucht \2 Werte."),
)

# Pydantic's error types (ValidationError.errors()[i]["type"]) of Typer's conversions.
_INTEGER, _NUMBER = "erwartet wird eine ganze Zahl.", "erwartet wird eine Zahl."
_YES_NO = "erwartet wird ja/nein (true/false)."
_DATE = "erwartet wird ein Datum (z. B. 2026-12-03 oder 2026-12-03T09:30)."
_PYDANTIC_TYPES = {
    "int_parsing": _INTEGER, "int_from_float": _INTEGER, "int_type": _INTEGER,
    "float_parsing": _NUMBER, "float_type": _NUMBER,
    "bool_parsing": _YES_NO, "bool_type": _YES_NO,
    "datetime_parsing": _DATE, "datetime_from_date_parsing": _DATE, "datetime_type": _DATE,
}
# Range bounds (`min=`, `max=`): error type → (key of its limit in the error's ctx, words)
_PYDANTIC_BOUNDS = {"greater_than_equal": ("ge", "ab"), "less_than_equal": ("le", "bis"),
                    "greater_than": ("gt", "größer als"), "less_than": ("lt", "kleiner als")}


def _shown(value: Any) -> str:
    """What the user typed, control characters shown escaped (never sent to the terminal)."""
    text = os.fsdecode(value) if isinstance(value, (bytes, os.PathLike)) else str(value)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _quoted(value: Any) -> str:
    return f"'{_shown(value)}'"


def _hint(param: Any, param_hint: Any, quote: bool) -> str | None:
    """How a parameter is named in a message: its option names or its placeholder."""
    if param_hint is not None:
        names = [param_hint] if isinstance(param_hint, str) else list(param_hint)
    elif param is None:
        return None
    elif param.param_type_name == "option":
        names = list(param.opts) or [param.name]
    else:
        names = [param.metavar or param.name]
    text = " / ".join(f"'{n}'" if quote else str(n) for n in names)
    if param is not None and getattr(param, "show_envvar", False) and param.envvar:
        text += f" (Umgebungsvariable: '{param.envvar}')"
    return text


def _choices(desc: Any, ctx: Any) -> str:
    from typer._param_types import normalize_choice_value

    return ", ".join(_quoted(normalize_choice_value(c, desc.case_sensitive, ctx))
                     for c in desc.choices or ())


def _pydantic_errors(cause: BaseException | None) -> list[Mapping[str, Any]]:
    """The errors of pydantic's ValidationError (a ValueError), told without importing it."""
    errors = getattr(cause, "errors", None)
    return list(errors()) if isinstance(cause, ValueError) and callable(errors) else []


def _pydantic_reason(error: Mapping[str, Any], desc: Any, ctx: Any) -> str:
    """German for one pydantic error of a Typer conversion, from its type and context."""
    kind, given = error.get("type"), error.get("input")
    if kind in _PYDANTIC_TYPES:
        return _PYDANTIC_TYPES[kind]
    limits = error.get("ctx") or {}
    if kind in _PYDANTIC_BOUNDS:
        key, words = _PYDANTIC_BOUNDS[kind]
        number = "eine ganze Zahl" if desc is not None and desc.annotation is int else "eine Zahl"
        limit = limits.get(key)
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)  # `min=1` of a float option: pydantic reports 1.0
        return f"erwartet wird {number} {words} {limit}."
    if kind == "value_error" and desc is not None:
        if desc.choices is not None:
            return f"{_quoted(given)} ist keiner der Werte {_choices(desc, ctx)}."
        formats = desc.parameter_info.formats
        if desc.is_datetime and formats:
            shown = ", ".join(_quoted(f) for f in formats)
            return f"{_quoted(given)} passt zu keinem der Formate {shown}."
        if desc.parameter_info.parser is not None and "error" in limits:
            return str(limits["error"])  # a parser of ours: its message is German already
    return f"{_quoted(given)} ist kein gültiger Wert."


def _path_reason(value: Any, info: Any) -> str | None:
    """Why a path fails the parameter's own checks (exists, file_okay, dir_okay, readable,
    writable): the same checks in the same order as Typer's, so the same one fails."""
    if info.file_okay and info.allow_dash and value in ("-", b"-"):
        return None
    path = os.path.realpath(value) if info.resolve_path else value
    shown = _quoted(value)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return f"{shown} gibt es nicht; Pfad prüfen." if info.exists else None
    if not info.file_okay and stat.S_ISREG(mode):
        return f"{shown} ist eine Datei, erwartet wird ein Ordner."
    if not info.dir_okay and stat.S_ISDIR(mode):
        return f"{shown} ist ein Ordner, erwartet wird eine Datei."
    if info.readable and not os.access(path, os.R_OK):
        return f"{shown} ist nicht lesbar."
    if info.writable and not os.access(path, os.W_OK):
        return f"{shown} ist nicht beschreibbar."
    return None


def _open_reason(error: OSError) -> str:
    """A file parameter Typer could not open, by the error number."""
    shown = _quoted(error.filename)
    reasons = {errno.ENOENT: "gibt es nicht; Pfad prüfen.", errno.EISDIR: "ist ein Ordner, "
               "erwartet wird eine Datei.", errno.EACCES: "darf nicht geöffnet werden "
               "(Berechtigung fehlt)."}
    return f"{shown} {reasons.get(error.errno or 0, 'lässt sich nicht öffnen.')}"


def value_reason(exc: Any, value: Any, param: Any, ctx: Any, runtime: Any) -> str:
    """German for a value Typer could not convert (`RuntimeParam.coerce` failed), built from
    what the failure carries: pydantic's error types, the OS error of a file, or the
    parameter's path checks replayed on the value."""
    from typer._coercion import PassThroughRuntimeParam

    desc = param.type_descriptor
    cause = exc.__cause__
    errors = _pydantic_errors(cause)
    if errors:
        return _pydantic_reason(errors[0], desc, ctx)
    if isinstance(cause, OSError):
        return _open_reason(cause)
    if isinstance(value, str) and (param.multiple or param.nargs == -1):
        return "erwartet werden mehrere Werte."
    if isinstance(runtime, PassThroughRuntimeParam):
        label = getattr(desc.annotation, "__name__", repr(desc.annotation))
        return f"{_quoted(value)} ist kein gültiger Wert ({label})."
    for item in value if isinstance(value, (list, tuple)) else (value,):
        reason = _path_reason(item, desc.parameter_info)
        if reason is not None:
            return reason
    return f"{_quoted(value)} ist kein gültiger Pfad."


def _fallback(text: str) -> str:
    for pattern, german in _FALLBACK:
        match = re.match(pattern, text)
        if match:
            return match.expand(german)
    return text


def german_message(exc: Any) -> str:
    """A Click/Typer usage error in German, from the exception's fields."""
    from typer._click import exceptions as ex

    if isinstance(exc, ex.NoSuchOption):
        text = f"Unbekannte Option {_shown(exc.option_name)}."
        if exc.possibilities:
            text += f" Mögliche Optionen: {', '.join(sorted(exc.possibilities))}."
        return text
    if isinstance(exc, ex.MissingParameter):
        param = exc.param
        kind = exc.param_type or (param.param_type_name if param is not None else None)
        hint = _hint(param, exc.param_hint, quote=False)
        what = {"argument": "das Argument ", "option": "die Option "}.get(kind or "")
        text = f"Es fehlt {what}{hint}." if what and hint else f"Es fehlt: {hint or '?'}."
        desc = getattr(param, "type_descriptor", None)
        if desc is not None and desc.choices is not None:
            text += f" Mögliche Werte: {_choices(desc, exc.ctx)}."
        return f"{text} {exc.message}" if exc.message else text
    if isinstance(exc, ex.BadParameter):
        # Typer's conversions arrive German already (GermanValue); others carry our text
        hint = _hint(exc.param, exc.param_hint, quote=True)
        return f"Ungültiger Wert für {hint}: {exc.message}" if hint else \
            f"Ungültiger Wert: {exc.message}"
    if isinstance(exc, NoSuchCommand):
        tip = ", ".join(_quoted(p) for p in exc.possibilities)
        return f"Unbekannter Befehl {_quoted(exc.name)}." + (f" Meinten Sie {tip}?" if tip else "")
    if isinstance(exc, MissingCommand):
        return "Es fehlt ein Befehl."
    if isinstance(exc, OptionUsage):
        name = _shown(exc.option_name)
        if exc.flag:
            return f"Option {name} nimmt keinen Wert an."
        return f"Option {name} braucht {'einen Wert' if exc.nargs == 1 else f'{exc.nargs} Werte'}."
    if isinstance(exc, ExtraArguments):
        return f"Unerwartete zusätzliche Angabe(n): {' '.join(_shown(a) for a in exc.extra)}."
    return _fallback(exc.format_message())


def print_usage_error(exc: Any) -> None:
    """A usage error as ozgkompass prints every error: one German line, then where to look."""
    from ozgkompass.cli.output import err_console, esc

    ctx = getattr(exc, "ctx", None)
    err_console.print(f"[red]Fehler:[/red] {esc(german_message(exc))}",
                      highlight=False, soft_wrap=True)
    if ctx is not None:
        err_console.print(esc(ctx.get_usage()), highlight=False, soft_wrap=True)
        if ctx.command.get_help_option(ctx) is not None:
            err_console.print(f"Hilfe: {esc(ctx.command_path)} {ctx.help_option_names[0]}",
                              highlight=False, soft_wrap=True)
