"""Scored example assessments for the report tests: scored exactly as the CLI scores them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ozgkompass.cli.commands import _score
from ozgkompass.model.registry import builtin_examples

TODAY = dt.date(2026, 5, 4)  # fixed, so the golden files do not change with the calendar


def scored(example: str | Path = "stadt-falkenberg.answers.yaml",
           catalogue: str | None = "kommunal", model: str | None = None):
    if isinstance(example, Path):
        return _score(example, None, None, model, catalogue, None)
    builtin = next(e for e in builtin_examples() if e.name == example)
    return _score(None, None, None, model, catalogue, None, builtin_example=builtin)
