"""The `ozgkompass` console script.

It imports the CLI (Typer, Rich) inside a guard, so that Ctrl-C even during start-up ends
with one German line and exit code 130 instead of a traceback, and a closed pipe
(`ozgkompass demo --json | head`) ends quietly.
"""

from __future__ import annotations

import signal
import sys

from ozgkompass.terminal import abort_while_loading, interrupted, silence_stdout


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (a service manager, `kill`) ends the program as Ctrl-C does: temp files
    are removed, `batch` names --resume, exit code 130."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGINT, abort_while_loading)
    signal.signal(signal.SIGTERM, abort_while_loading)
    try:
        from ozgkompass.cli import main as cli_main

        # from here on Ctrl-C is a KeyboardInterrupt again: commands clean up (temp files)
        # and the interview pauses with its "Fortsetzen mit …" hint
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _terminated)
        cli_main()
    except KeyboardInterrupt:
        interrupted()
    except SystemExit as exc:  # Typer turns Ctrl-C while parsing into a silent exit 130
        if exc.code == 130:
            interrupted()
        raise
    except BrokenPipeError:
        silence_stdout()
        sys.exit(0)
    finally:
        # the work is done: a Ctrl-C during the interpreter's shutdown changes nothing
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


if __name__ == "__main__":
    main()
