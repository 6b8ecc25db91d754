"""Reading where a crash is contained. python-calamine is native code: a hostile file can
make it abort the whole process (SIGABRT after a failed allocation, no exception to catch).
The batch reads in pool workers (a dead worker is reported, the run goes on); `import`
reads in a forked child. Both run under a ceiling on their address space, so a runaway
ends that one process instead of swapping the machine, and both end when their parent
dies (a killed batch leaves no workers behind holding the caller's pipes)."""

from __future__ import annotations

import os
import pickle
import resource
import threading
import time
from collections.abc import Callable
from typing import Any

DEFAULT_MEMORY_MB = 1024  # address space a reading process may add to what it has at start
MEMORY_VARIABLE = "OZGKOMPASS_WORKER_MEMORY_MB"


class ReaderCrashed(Exception):
    """The reading child ended without an answer (killed by a signal, out of memory)."""


def memory_allowance() -> int:
    """Bytes of address space a reading process may grow by (OZGKOMPASS_WORKER_MEMORY_MB)."""
    raw = os.environ.get(MEMORY_VARIABLE, "")
    mb = int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MEMORY_MB
    return mb * 1024 * 1024


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def limit_memory(allowance: int | None = None) -> None:
    """Cap this process's address space at its present size plus `allowance` (bytes; by
    default from the environment) on Linux; elsewhere nothing happens. An abort here is
    reported by the parent, so Python's own fault dump (inherited from a parent that
    enabled faulthandler) is switched off."""
    import faulthandler

    faulthandler.disable()
    now = _address_space()
    if now is None:
        return
    limit = now + (memory_allowance() if allowance is None else allowance)
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def exit_with_parent(parent: int) -> None:
    """End this process soon after the process `parent` is gone (SIGKILL of the batch, the
    OOM killer): a daemon thread looks twice a second. (The kernel's parent-death signal
    does not help: pool workers are children of the fork server, which outlives a killed
    batch, and they wait on pipes whose other ends they hold themselves.)"""

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:  # exists, owned by someone else: a reused number, so gone
                os._exit(1)

    threading.Thread(target=watch, name="ozgkompass-eltern", daemon=True).start()


def run_contained(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` in a forked child under the memory ceiling; its result (pickled) or its
    exception comes back. ReaderCrashed when the child dies without an answer. Without
    fork (not Linux/macOS) the call runs here."""
    if not hasattr(os, "fork"):
        return fn(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 0
        try:
            os.close(read_end)
            limit_memory()
            try:
                payload = pickle.dumps((True, fn(*args)), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: B036 - everything goes back to the parent
                payload = pickle.dumps((False, _portable(exc)), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as fh:
                fh.write(payload)
        except BaseException:  # noqa: B036
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as fh:
            payload = fh.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not payload:
        raise ReaderCrashed(os.waitstatus_to_exitcode(status))
    ok, value = pickle.loads(payload)
    if ok:
        return value
    raise value


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it pickles, else a RuntimeError with its type's name
    (pyo3's PanicException and calamine's own types do not all pickle)."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(type(exc).__name__)
