"""One place where errors become messages and exit codes.

`handle_errors` wraps a command's callback; the root group (`cli.OzgGroup`) applies it to
every command when it loads a command module (`wrap_commands`), so no command declares it.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ozgkompass.cli.output import err_console, esc, print_issues, reset_consoles
from ozgkompass.errors import DataError, UserError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])

state = {"debug": False}


def _debug_traceback() -> None:
    """With --debug: the traceback first, then the usual message and exit code."""
    if state["debug"]:
        traceback.print_exc(file=sys.stderr)


def _caused_by_interrupt(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _json_error(message: str, code: int, issues: list[Any]) -> None:
    """With --json, a failure is JSON too, so that a script reading stdout learns why."""
    from ozgkompass.cli.output import dump_json

    dump_json({"error": {"message": message, "exit_code": code,
                         "issues": [i.to_dict() for i in issues]}})


def handle_errors(func: F) -> F:
    """Wrap a command: user-fixable errors print one located message, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        reset_consoles()
        as_json = bool(kwargs.get("json_out") or kwargs.get("as_json"))
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`… --json | head`): end quietly
            from ozgkompass.terminal import silence_stdout

            silence_stdout()
            raise typer.Exit(EXIT_OK) from None
        except DataError as exc:
            _debug_traceback()
            if as_json:
                _json_error(exc.message, EXIT_PROBLEMS, exc.issues)
            print_issues(exc.issues)
            err_console.print(f"[red]{esc(exc.message)}[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except UserError as exc:
            _debug_traceback()
            if as_json:
                _json_error(str(exc), EXIT_USAGE, [])
            err_console.print(f"[red]Fehler:[/red] {esc(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None
        except KeyboardInterrupt:  # the console script (ozgkompass.entry) says "Abgebrochen."
            raise typer.Exit(130) from None
        except Exception as exc:
            if _caused_by_interrupt(exc):  # a library wrapped the user's Ctrl-C
                raise typer.Exit(130) from None
            _debug_traceback()
            err_console.print(
                f"[red]Interner Fehler:[/red] {type(exc).__name__}: {esc(exc)}\n"
                "Das ist ein Fehler in ozgkompass, nicht in Ihren Daten. Bitte mit --debug "
                "wiederholen und die Ausgabe melden.",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def wrap_commands(command: Any) -> None:
    """Apply `handle_errors` to a Click command's callback and to those of its subcommands
    (once each)."""
    callback = getattr(command, "callback", None)
    if callback is not None and not getattr(callback, "_handles_errors", False):
        wrapped = handle_errors(callback)
        wrapped._handles_errors = True
        command.callback = wrapped
    for sub in getattr(command, "commands", {}).values():
        wrap_commands(sub)
