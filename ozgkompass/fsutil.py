"""Writing files so that nothing is ever half-written and no input is overwritten unasked."""

from __future__ import annotations

import itertools
import os
import secrets
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ozgkompass.errors import UserError, display_path


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write to a temporary file in the target folder, synced, then renamed over the
    target (a batch's thousands of derived files take `write_derived`)."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


@contextmanager
def atomic_open(path: Path | str, mode: str = "w") -> Iterator[IO[Any]]:
    """A file handle on a temporary file beside `path`; on success it is flushed, synced
    and renamed over `path`, on any error (Ctrl-C included) removed: readers never see a
    half-written file. Text mode writes UTF-8 with "\n" line ends."""
    target = Path(path)
    # the name is chosen before the file is created (mkstemp would create it first): a
    # Ctrl-C at any moment finds the name here and the file is removed
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
    except OSError as exc:
        _unlink(tmp)
        raise _not_written(target, exc) from None
    except BaseException:
        _unlink(tmp)
        raise
    try:
        # created 0600; the file gets the mode a normal write would give it (the
        # existing file's, else 0666 minus the umask), so colleagues can read reports
        os.chmod(tmp, _mode_for(target))
        kw: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kw) as fh:
            try:
                yield fh
            except BaseException as exc:
                # A writer interrupted inside (a zip archive of XlsxWriter's, half saved by a
                # Ctrl-C or SIGTERM) stays referenced by the traceback's frames and would
                # finish itself on the closed handle later ("Exception ignored … seek of
                # closed file" after "Abgebrochen"): let it finish now, into the temporary
                # file that is removed below.
                traceback.clear_frames(exc.__traceback__)
                raise
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise


_SERIAL = itertools.count()
_TAG: list[Any] = [None, ""]  # (process id, its temporary-name tag)


def _process_tag() -> str:
    """Process id and a random tag drawn once per process (a forked worker draws its own):
    unique even when a killed earlier run left temporary files of a reused process id."""
    pid = os.getpid()
    if _TAG[0] != pid:
        _TAG[:] = [pid, f"{pid}-{secrets.token_hex(4)}"]
    return str(_TAG[1])


def write_derived(path: Path | str, data: bytes) -> None:
    """Atomically write one of many small files derived from the inputs (a batch's answers
    and results, thousands per run): like `atomic_write_bytes`, without its fsync and with
    four system calls instead of about ten. The file gets the mode of any new file (0666 minus
    the umask, which the kernel applies at creation), also when it replaces one; the
    folder is created only when it is missing; the temporary name comes from a tag per
    process and a counter, not from the random source each time. The caller syncs once at
    the end."""
    target = os.fspath(path)
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, f".{name}.{_process_tag()}-{next(_SERIAL)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = -1
    try:  # whatever stops it, Ctrl-C at any moment included, leaves no temporary file
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileNotFoundError:  # the folder's first file
            os.makedirs(folder or ".", exist_ok=True)
            fd = os.open(tmp, flags, 0o666)
        view = memoryview(data)
        while view:  # os.write may write less than asked
            view = view[os.write(fd, view):]
        closing, fd = fd, -1
        os.close(closing)
        os.replace(tmp, target)
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        _unlink(Path(tmp))
        if isinstance(exc, OSError):
            raise _not_written(Path(target), exc) from None
        raise


def _not_written(target: Path, exc: OSError) -> UserError:
    return UserError(
        f"{display_path(target)}: kann nicht geschrieben werden ({exc.strerror}).",
        hint="Schreibrechte und freien Platz prüfen oder mit --output einen anderen Ort "
             "wählen.",
    )


def _unlink(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: Path | str, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def refuse_overwrite(target: Path, inputs: list[Path], force: bool = False,
                     option: str = "--output") -> None:
    """Never write over an input file; never overwrite an existing file without --force.
    `option`: the command's option for another target, as the hint names it."""
    resolved = target.resolve()
    for src in inputs:
        if src.resolve() == resolved:
            raise UserError(
                f"{display_path(target)}: ist zugleich Eingabedatei und wird nicht überschrieben.",
                hint=f"Mit {option} einen anderen Zielpfad angeben.",
            )
    if target.exists() and not force:
        raise UserError(
            f"{display_path(target)}: existiert bereits.",
            hint=f"Mit --force überschreiben oder mit {option} einen anderen Pfad wählen.",
        )


def too_big_text(size: float, max_bytes: int) -> str:
    """The German sentence for an input file above its size limit."""
    return (f"Die Datei ist {size / 1_048_576:.1f} MB groß, erlaubt sind "
            f"{max_bytes / 1_048_576:.0f} MB; sie wird nicht gelesen.")


def read_input(path: Path | str, *, max_bytes: int,
               too_big_hint: str = "Ist das die richtige Datei?",
               folder_hint: str | None = None) -> bytes:
    """The bytes of a file the user named (the one way every input is read), with a German
    line when it is missing, a folder, unreadable or larger than `max_bytes`. An untrusted
    file is never read whole first: at most `max_bytes` + 1 bytes are read, so a file that
    grows after its size was looked at is refused too."""
    target = Path(path)
    shown = display_path(target)

    def too_big(size: float) -> UserError:
        return UserError(f"{shown}: {too_big_text(size, max_bytes)}", hint=too_big_hint)

    try:
        size = target.stat().st_size
        if target.is_dir():
            raise IsADirectoryError
        if size > max_bytes:
            raise too_big(size)
        with target.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise UserError(f"{shown}: Datei nicht gefunden.", hint="Pfad prüfen.") from None
    except IsADirectoryError:
        raise UserError(f"{shown}: ist ein Ordner, erwartet wird eine Datei.",
                        hint=folder_hint) from None
    except OSError as exc:
        raise UserError(f"{shown}: Datei kann nicht gelesen werden ({exc.strerror}).") \
            from None
    if len(data) > max_bytes:
        raise too_big(max(len(data), size))
    return data
