"""Property tests (Hypothesis): the parsers of things that come from outside never crash.

Whatever text arrives – a `when` condition, a questionnaire, an answers file, a catalogue –
the result is either a parsed object or located problems, never an unexpected exception.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ozgkompass.expressions import ExpressionError, parse  # noqa: E402
from ozgkompass.model.answers import check_answers, parse_answers  # noqa: E402
from ozgkompass.model.catalogue import parse_catalogue_bytes  # noqa: E402
from ozgkompass.model.questionnaire import parse_questionnaire  # noqa: E402
from ozgkompass.model.registry import find_questionnaire  # noqa: E402
from ozgkompass.yamlio import parse_yaml  # noqa: E402

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

TOKENS = st.sampled_from(["a", "b_1", "x", "==", "!=", "<", ">=", "in", "contains", "and",
                          "or", "not", "(", ")", "[", "]", ",", '"ja"', "'nein'", "3", "2.5",
                          "true", "false", "answered", "answered(a)", "@", "\\", '"', " "])


@FAST
@given(st.lists(TOKENS, max_size=25).map(" ".join) | st.text(max_size=80))
def test_any_condition_text_parses_or_gives_a_located_german_error(text):
    try:
        cond = parse(text)
    except ExpressionError as exc:
        assert 1 <= exc.column <= len(text) + 1 or exc.column == 1
        assert str(exc)
        return
    values = {"a": "ja", "b_1": 3, "x": ["ja"]}
    assert cond.evaluate(values) in (True, False)
    assert cond.evaluate({}) in (True, False)  # no answers: every comparison is false


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
YAMLISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


def _dump(value) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True)


@FAST
@given(YAMLISH)
def test_any_yaml_document_as_questionnaire_gives_a_result_or_problems(doc):
    qn, issues = parse_questionnaire(parse_yaml(_dump(doc), "q.yaml"))
    assert qn is not None or any(i.severity == "error" for i in issues)


ANSWER_VALUES = st.one_of(SCALARS, st.lists(st.text(max_size=8), max_size=3),
                          st.fixed_dictionaries({}, optional={
                              "value": SCALARS, "na": st.booleans(), "reason": st.text(max_size=5),
                              "unclear": SCALARS, "note": st.text(max_size=5)}))


@FAST
@given(st.dictionaries(st.sampled_from(["portal_type", "forms_server", "accounts_bundid",
                                        "payment_platform", "forms_evidence", "staff_training",
                                        "unbekannt", "backoffice_xoev"]),
                       ANSWER_VALUES, max_size=8),
       st.fixed_dictionaries({"name": st.text(max_size=10)}, optional={
           "ars": SCALARS, "type": st.text(max_size=10), "land": st.text(max_size=10),
           "population": SCALARS}))
def test_any_answers_are_checked_without_crashing(answers, municipality):
    text = _dump({"questionnaire": {"id": "ozg-kommune"}, "municipality": municipality,
                  "answers": answers})
    aset, issues = parse_answers(parse_yaml(text, "a.yaml"))
    if aset is None:
        assert issues
        return
    resolved = check_answers(find_questionnaire("ozg-kommune"), aset)
    for issue in [*issues, *resolved.issues]:
        assert issue.message and issue.location.file == "a.yaml"


@FAST
@given(YAMLISH)
def test_any_document_as_catalogue_gives_a_catalogue_or_problems(doc):
    cat, issues = parse_catalogue_bytes(_dump(doc).encode(), "k.yaml", "yaml")
    assert cat is not None or issues


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_yaml_never_crash_the_loader(raw):
    doc = parse_yaml(raw, "x.yaml")
    assert doc.data is not None or doc.issues  # nothing readable is always said
