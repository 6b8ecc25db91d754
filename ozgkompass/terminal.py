"""How the program ends on an interrupt or a closed pipe: shared by the console script
(`ozgkompass.entry`) and the CLI's error handler (`ozgkompass.cli.errors`), so that neither
imports the other."""

from __future__ import annotations

import sys


def interrupted() -> None:
    """Ctrl-C: one German line, exit code 130 (128 + SIGINT), as shells expect."""
    sys.stderr.write("Abgebrochen.\n")
    sys.exit(130)


def silence_stdout() -> None:
    """After the reader of our output went away: send the rest to /dev/null, so that the
    interpreter's final flush does not complain either."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


def abort_while_loading(signum: int, frame: object) -> None:
    """Ctrl-C while modules load: nothing is written yet, so leave at once (a
    KeyboardInterrupt inside importlib would print "Exception ignored …" noise)."""
    import os

    os.write(2, b"Abgebrochen.\n")
    os._exit(130)
