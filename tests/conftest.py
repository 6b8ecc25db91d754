from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ozgkompass.cli import app

ROOT = Path(__file__).resolve().parents[1]

try:  # property tests (test_fuzz.py): 500 examples each in CI; HYPOTHESIS_PROFILE=dev for 50
    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", max_examples=500, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=50)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # hypothesis is a test extra; test_fuzz.py skips without it
    pass


def examples(share: float) -> int:
    """Examples for a property whose inputs are costly to draw: `share` of the profile's
    count (500 in CI, 50 with HYPOTHESIS_PROFILE=dev), at least 10. Measured 2026-12-03:
    drawing whole answer sets is three quarters of test_any_answer_text_reads_back_unchanged
    (21 s of the property tests' 55 s at 500 examples)."""
    from hypothesis import settings

    return max(10, round(settings().max_examples * share))
DATA = Path(__file__).resolve().parent / "data"
SHARED_2019 = ROOT.parent / "shared" / "data" / "ozg-katalog-2019"


# Variables of the user's shell that change what the program prints or where it looks;
# every test starts without them and sets what it needs (the suite must pass whatever a
# user exports: COLUMNS=60, FORCE_COLOR=1, OZGKOMPASS_QUESTIONNAIRES=…).
SHELL_VARIABLES = ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TERM", "CLICOLOR",
                   "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "LANGUAGE")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path_factory):
    import os

    for name in SHELL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("OZGKOMPASS_")]:
        monkeypatch.delenv(name)
    # never the user's own data folder
    monkeypatch.setenv("OZGKOMPASS_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def clean_env() -> dict[str, str]:
    """The environment for a subprocess: the test's own (already cleaned) one."""
    import os

    return dict(os.environ)


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run the CLI as a user would; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("OZGKOMPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("OZGKOMPASS_QUESTIONNAIRES", raising=False)
    monkeypatch.chdir(tmp_path)  # files a command writes by default (reports/) land here
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, list(args))
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return invoke
