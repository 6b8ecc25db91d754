from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ozgkompass.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED_2019 = ROOT.parent / "shared" / "data" / "ozg-katalog-2019"


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run the CLI as a user would; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("OZGKOMPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("OZGKOMPASS_QUESTIONNAIRES", raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, list(args))
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return invoke
