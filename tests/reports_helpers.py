"""Scored example assessments for the report tests (real questionnaire, real catalogue)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ozgkompass.catalogue.store import resolve_catalogue
from ozgkompass.model.maturity import get_model
from ozgkompass.model.registry import builtin_examples, find_questionnaire, load_answer_set
from ozgkompass.scoring.assessment import assess
from ozgkompass.scoring.catalogue import score_catalogue

TODAY = dt.date(2026, 5, 4)  # fixed, so the golden files do not change with the calendar


def scored(example: str | Path = "stadt-falkenberg.answers.yaml", catalogue: str | None =
           "kommunal"):
    if isinstance(example, Path):
        aset = load_answer_set(example)
    else:
        aset = load_answer_set(next(e for e in builtin_examples() if e.name == example),
                               builtin=True)
    qn = find_questionnaire(aset.questionnaire.id, aset.questionnaire.version, None)
    model = get_model(qn.maturity_model)
    a = assess(qn, aset, model)
    if catalogue is not None:
        a.catalogue = score_catalogue(a, resolve_catalogue(catalogue), model, qn)
    return a
