"""One place where errors become messages and exit codes (used by every command)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ozgkompass.cli.output import err_console, esc, print_issues, reset_consoles
from ozgkompass.errors import DataError, UserError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])

state = {"debug": False}


def handle_errors(func: F) -> F:
    """Wrap a command: user-fixable errors print one located message, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        reset_consoles()
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except DataError as exc:
            if state["debug"]:
                raise
            print_issues(exc.issues)
            err_console.print(f"[red]{esc(exc.message)}[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except UserError as exc:
            if state["debug"]:
                raise
            err_console.print(f"[red]Fehler:[/red] {esc(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None
        except KeyboardInterrupt:
            err_console.print("Abgebrochen.")
            raise typer.Exit(130) from None
        except Exception as exc:
            if state["debug"]:
                raise
            err_console.print(
                f"[red]Interner Fehler:[/red] {type(exc).__name__}: {esc(exc)}\n"
                "Das ist ein Fehler in ozgkompass, nicht in Ihren Daten. Bitte mit --debug "
                "wiederholen und die Ausgabe melden.",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]
