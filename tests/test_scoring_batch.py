"""A file scores the same whatever was scored before it.

A compiled run remembers results across the files of a batch (question results per answer,
the services per set of criteria levels, …; ozgkompass/scoring/memory.py). A user relies on
each file's result being exactly what a fresh run gives, in any order, however full the
caches."""

from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ozgkompass.catalogue.store import resolve_catalogue
from ozgkompass.model.answers import Answer, AnswerSet
from ozgkompass.model.maturity import get_model
from ozgkompass.model.registry import find_questionnaire
from ozgkompass.scoring.compiled import Compiled, compile, score
from ozgkompass.scoring.definitions import Definitions
from ozgkompass.scoring.memory import Memory

sys.path.insert(0, str(Path(__file__).parent))
from workbooks import MASTER, choose, expected_answers  # noqa: E402

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

QN = find_questionnaire("ozg-kommune")
CATALOGUE = resolve_catalogue("kommunal")
TYPES = ("gemeinde", "stadt", "kreisfreie_stadt", "landkreis", "verband", None)
LAENDER = (("Niedersachsen", "031510000000"), ("Bayern", "091620000000"), (None, None))


def municipality(seed: int) -> AnswerSet:
    """A varied filled questionnaire: answers, open and unclear questions, N/A with a
    reason, notes and sources here and there, type and Land of the municipality."""
    rng = random.Random(seed)
    land, ars = rng.choice(LAENDER)
    master = {**MASTER, "name": f"Kommune {seed}", "type": rng.choice(TYPES), "land": land,
              "ars": ars}
    aset = expected_answers(QN, master, choose(QN, rng, share_open=rng.random() * 0.3))
    for qid, ans in list(aset.answers.items()):
        if rng.random() < 0.1:
            aset.answers[qid] = replace(ans, note=rng.choice(("laut Hauptamt", "geprüft")),
                                        source=rng.choice((None, "Webseite")))
    return aset


def run(model: str, target: int | None, qn: Any = QN) -> Compiled:
    """One compiled run, as a batch worker keeps it for all its files."""
    return compile(Definitions.resolve(qn, get_model(model), CATALOGUE, target=target,
                                       with_successor=True))


def fresh(aset: AnswerSet, model: str, target: int | None) -> Any:
    """The full assessment of a new run (compared field by field, down to every service
    and lever)."""
    return score(run(model, target), aset)


@settings(max_examples=15, deadline=None)
@given(seeds=st.lists(st.integers(0, 40), min_size=2, max_size=6),
       model=st.sampled_from(("reifegrad-1.1", "reifegrad-2.0")),
       target=st.sampled_from((None, None, 2, 4)))
def test_a_file_scores_as_in_a_fresh_process_whatever_came_before(seeds, model, target):
    asets = [municipality(s) for s in seeds]  # repeated seeds: the same answers again
    batch = run(model, target)
    in_batch = [score(batch, a) for a in asets]
    assert in_batch == [fresh(a, model, target) for a in asets]
    # and in the other order, after the caches have seen everything
    assert [score(batch, a) for a in reversed(asets)] == in_batch[::-1]


def test_answers_for_some_services_only_are_not_mixed_up():
    """Two municipalities that differ only in an answer restricted to Bürgerleistungen (the
    BundID question): same levels for every other criterion, different services at target."""
    base = municipality(1)
    alle, keins = (replace(base, answers={**base.answers, "accounts_bundid": Answer(
        "accounts_bundid", value)}) for value in ("alle", "keins"))
    expected = [fresh(a, "reifegrad-1.1", None) for a in (alle, keins)]
    assert expected[0].catalogue.services != expected[1].catalogue.services
    batch = run("reifegrad-1.1", None)
    assert [score(batch, a) for a in (alle, keins, alle)] == [*expected, expected[0]]


def test_caches_that_overflow_mid_batch_change_no_result():
    """Every cache of a run is bounded (memory stays flat over 10,000 files) and cleared
    when full; with tiny limits they overflow all the time, and the results stay the
    same."""
    asets = [municipality(s) for s in range(12)]
    expected = [fresh(a, "reifegrad-1.1", None) for a in asets]
    batch = run("reifegrad-1.1", None)
    caches = [getattr(batch.memory, name) for name in Memory.__slots__]
    for cache in caches:
        cache.limit = 3
    assert [score(batch, a) for a in asets * 2] == expected * 2
    assert all(len(cache) <= 3 for cache in caches)
    assert sum(len(cache) > 0 for cache in caches) >= 10  # the run did use its caches


def test_workbooks_of_a_batch_score_as_each_alone(tmp_path):
    """The batch path: real generated workbooks, imported and scored one after another in
    one worker, give what each file gives in a fresh worker."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate_workbooks import generate

    from ozgkompass.sources.workbook_import import ImportPlans, import_workbook

    generate(tmp_path, 12, seed=3, variants=5)

    def lookup(qid, version):
        return find_questionnaire(qid, version)

    def scored(path, runs, plans):
        imported = import_workbook(path, lookup, path.name, plans=plans)
        if not imported.ok:
            return None
        qn, aset = imported.questionnaire, imported.answers
        key = (qn.id, qn.version)
        if key not in runs:  # one compiled run per questionnaire, as a batch worker keeps
            runs[key] = run(qn.maturity_model, None, qn)
        # the import's check of the answers handed on, as the worker does
        result = score(runs[key], aset, checked=imported.checked)
        return json.dumps(result.to_dict(), default=str, sort_keys=True)  # as batch writes it

    files = sorted(tmp_path.rglob("kommune-*.xlsx"))
    worker: dict[Any, Compiled] = {}
    plans = ImportPlans()  # what the import works out per questionnaire, for all files
    for cache in (plans.areas, plans.choices):
        cache.limit = 2  # overflowing all the time
    in_batch = [scored(p, worker, plans) for p in files]
    assert sum(r is not None for r in in_batch) >= 10
    assert len(plans.areas) == 1 and len(plans.choices) > 0  # the run did use them
    assert [scored(p, {}, None) for p in files] == in_batch


def test_every_service_result_has_every_field():
    """Service results are built from shared parts (`ServiceResult.with_today` passes the
    fields before `today` by position): an empty slot would fail a report on the first
    service, and a field after the `today` ones would fall back to its default in every
    copy with a `today` figure."""
    from dataclasses import fields

    from ozgkompass.scoring.results import ServiceResult
    from ozgkompass.scoring.today import UNKNOWN, today_fields

    names = [f.name for f in fields(ServiceResult)]
    for seed in (1, 2):
        for svc in fresh(municipality(seed), "reifegrad-2.0", None).catalogue.services:
            for name in names:
                getattr(svc, name)  # AttributeError: a slot left empty
    model = get_model("reifegrad-2.0")
    assert list(today_fields(model, svc, UNKNOWN, 1)) == names[names.index("reachable"):]
