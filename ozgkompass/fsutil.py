"""Writing files so that nothing is ever half-written and no input is overwritten unasked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ozgkompass.errors import UserError, display_path


def atomic_write_bytes(path: Path | str, data: bytes, *, durable: bool = True) -> Path:
    """Write to a temporary file in the target folder, then rename over the target.

    `durable=False` leaves out the fsync: for files derived from inputs that a rerun
    recreates (a batch's per-file results, synced once at the end of the run)."""
    with atomic_open(path, "wb", durable=durable) as fh:
        fh.write(data)
    return Path(path)


@contextmanager
def atomic_open(path: Path | str, mode: str = "w", *, durable: bool = True
                ) -> Iterator[IO[Any]]:
    """A file handle on a temporary file beside `path`; on success it is flushed, synced
    and renamed over `path`, on any error (Ctrl-C included) removed: readers never see a
    half-written file. Text mode writes UTF-8 with "\n" line ends."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UserError(
            f"{display_path(target)}: kann nicht geschrieben werden ({exc.strerror}).",
            hint="Schreibrechte und freien Platz prüfen oder mit --output einen anderen Ort "
                 "wählen.",
        ) from None
    try:
        # mkstemp creates 0600; the file gets the mode a normal write would give it (the
        # existing file's, else 0666 minus the umask), so colleagues can read reports
        os.chmod(tmp, _mode_for(target))
        kw: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kw) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: Path | str, text: str, *, durable: bool = True) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def refuse_overwrite(target: Path, inputs: list[Path], force: bool = False) -> None:
    """Never write over an input file; never overwrite an existing file without --force."""
    resolved = target.resolve()
    for src in inputs:
        if src.resolve() == resolved:
            raise UserError(
                f"{display_path(target)}: ist zugleich Eingabedatei und wird nicht überschrieben.",
                hint="Mit --output einen anderen Zielpfad angeben.",
            )
    if target.exists() and not force:
        raise UserError(
            f"{display_path(target)}: existiert bereits.",
            hint="Mit --force überschreiben oder mit --output einen anderen Pfad wählen.",
        )
