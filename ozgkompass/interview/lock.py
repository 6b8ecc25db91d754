"""One interview per answers file: a lock file next to it (`NAME.answers.yaml.lock`).

A second `interview` on a file that is open in another window is refused with a German
line, instead of both writing in turn and one silently overwriting the other's answers.
The lock survives a crash safely: it names the process (pid, host and, where the system
tells it, the process's start time), so a lock whose process no longer runs on this host
(`kill -9`, a closed terminal, a reboot) is recognised as stale and taken over. A lock
from another host (a shared network folder) cannot be checked; the message says how to
remove it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from ozgkompass.errors import UserError, display_path


def lock_path(answers: Path) -> Path:
    return answers.with_name(answers.name + ".lock")


def _start_time(pid: int) -> str | None:
    """The process's start (clock ticks since boot, Linux): tells a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return None


def _me() -> dict[str, object]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": _start_time(os.getpid()),
            "boot": _boot_id(), "since": dt.datetime.now().isoformat(timespec="seconds")}


def _running(owner: dict[str, object]) -> bool:
    """Whether the process that wrote the lock still runs (on this host)."""
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if owner.get("boot") and _boot_id() and owner["boot"] != _boot_id():
        return False  # written before the last reboot
    if os.name != "posix":  # no harmless way to probe another process here
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # runs, under another user
        return True
    started = owner.get("started")
    return not (started and _start_time(pid) not in (None, started))  # the pid was reused


def _read(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _refusal(answers: Path, lock: Path, owner: dict[str, object] | None, here: bool) -> UserError:
    since = str((owner or {}).get("since", "?")).replace("T", " ")
    who = f"Prozess {owner.get('pid')} auf {owner.get('host')}, seit {since}" if owner else \
        "Inhalt der Sperrdatei unlesbar"
    return UserError(
        f"{display_path(answers)} ist schon in einem anderen Interview geöffnet ({who}). "
        "Ein zweites Interview auf derselben Datei würde Antworten überschreiben.",
        hint="Im anderen Fenster weitermachen oder es dort mit p beenden."
        + ("" if here else f" Läuft dort sicher kein Interview mehr, die Sperrdatei "
           f"{display_path(lock)} löschen."))


@contextlib.contextmanager
def interview_lock(answers: Path, notices: list[str] | None = None) -> Iterator[None]:
    """Hold the lock of `answers` while the block runs; a stale lock is taken over (and a
    German line about it goes to `notices`)."""
    lock = lock_path(answers)
    me = _me()
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = _read(lock)
            here = owner is not None and owner.get("host") == me["host"]
            if owner is not None and here and not _running(owner):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()
                if notices is not None:
                    notices.append(f"Die Sperre eines abgebrochenen Interviews (Prozess "
                                   f"{owner.get('pid')}) wurde aufgehoben.")
                continue
            raise _refusal(answers, lock, owner, here) from None
        except OSError as exc:  # a read-only folder: the answers could not be saved either
            raise UserError(f"{display_path(lock)}: Sperrdatei lässt sich nicht anlegen "
                            f"({exc.strerror}).",
                            hint="Einen Ordner wählen, in den geschrieben werden darf.") from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)
        break
    else:
        raise _refusal(answers, lock, _read(lock), True)
    try:
        yield
    finally:
        if _read(lock) == me:  # only our own lock
            with contextlib.suppress(OSError):
                lock.unlink()
