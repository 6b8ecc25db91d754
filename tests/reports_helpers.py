"""Scored example assessments for the report tests: scored exactly as the CLI scores them
(`app.assess`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ozgkompass.app.assess import score_example, score_file
from ozgkompass.app.definitions import Choice
from ozgkompass.model.registry import builtin_examples

TODAY = dt.date(2026, 5, 4)  # fixed, so the golden files do not change with the calendar


def scored(example: str | Path = "stadt-falkenberg.answers.yaml",
           catalogue: str | None = "kommunal", model: str | None = None):
    if isinstance(example, Path):
        return score_file(example, Choice(model=model, catalogue=catalogue))
    builtin = next(e for e in builtin_examples() if e.name == example)
    return score_example(builtin, Choice(model=model, catalogue=catalogue))
