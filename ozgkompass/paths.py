"""The one per-user data folder: imported catalogues, the archive, the Dashboard cache and
the municipality directory all live under it."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "OZGKOMPASS_DATA_DIR"


def data_dir() -> Path:
    """`OZGKOMPASS_DATA_DIR` if set (tests, servers, a shared folder), else the user's data
    folder of the system (platformdirs: ~/.local/share/ozgkompass on Linux)."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("ozgkompass", appauthor=False))
