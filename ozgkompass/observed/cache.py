"""Where the retrievals of the Dashboard Digitale Verwaltung are kept (one JSON file per
Regionalschlüssel), without the modules that read them: `ozgkompass score` asks here
whether a municipality has a retrieval at all before it imports them (13 ms)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CACHE_SUBDIR = "observed"


def cache_dir() -> Path:
    from ozgkompass.paths import data_dir

    return data_dir() / CACHE_SUBDIR


def cache_path(ars: str) -> Path:
    return cache_dir() / f"ddv-{ars}.json"


def ars_of(municipality: Any) -> str | None:
    """The municipality's ARS when it is one a retrieval can be kept for (12 digits)."""
    ars = getattr(municipality, "ars", None)
    if not ars or len(str(ars)) != 12 or not str(ars).isdigit():
        return None
    return str(ars)


def cached_ars(municipality: Any) -> str | None:
    """The municipality's ARS when a retrieval for it is kept, else None."""
    ars = ars_of(municipality)
    return ars if ars is not None and cache_path(ars).is_file() else None
