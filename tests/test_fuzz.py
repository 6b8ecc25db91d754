"""Property tests (Hypothesis): the parsers of things that come from outside never crash.

Whatever text arrives – a `when` condition, a questionnaire, an answers file, a catalogue –
the result is either a parsed object or located problems, never an unexpected exception.
"""

from __future__ import annotations

import datetime as dt

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

FAST = settings(deadline=None,  # examples: the profile of conftest.py (500 in CI)
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


def test_ci_profile_runs_500_examples_per_property():
    import os

    if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci":
        assert settings().max_examples >= 500


# ----------------------------------------------------------------------------- answers files

QN = find_questionnaire("ozg-kommune")
# text as people type it (umlauts, quotes, YAML look-alikes, formula starts, line breaks);
# the loader strips surrounding blanks, so the generated text is stripped already
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
    st.sampled_from(["no", "yes", "~", "null", "1e3", "0x1F", "034510001001", "- a", "a: b",
                     "&a", "*a", "!!python/object", "=1+1", "@SUM(A1)", "+49 30", "-1",
                     '"', "'", "#", "a # b", "ä\nö", "\t=x", "%TAG", "---", "..."]),
).map(str.strip).filter(bool)


def _value(q):
    t = q.type.value
    if t in ("single_choice", "yes_no"):
        return st.sampled_from([o.value for o in q.effective_options()])
    if t == "multiple_choice":
        return st.lists(st.sampled_from([o.value for o in q.options]), unique=True, max_size=3)
    if t == "scale":
        return st.integers(q.min, q.max)
    if t == "number":
        return st.integers(0, 10**6) | st.floats(0, 1e6, allow_nan=False)
    return TEXT


@st.composite
def answer_sets(draw):
    from ozgkompass.model.answers import (
        Answer,
        AnswerSet,
        Interview,
        Municipality,
        QuestionnaireRef,
    )

    answers = {}
    for q in draw(st.lists(st.sampled_from(QN.questions), unique_by=lambda q: q.id,
                           max_size=8)):
        kind = draw(st.sampled_from(["value", "value+note", "na", "unclear"]))
        if kind == "na":
            answers[q.id] = Answer(q.id, na=True, reason=draw(st.none() | TEXT))
        elif kind == "unclear":
            answers[q.id] = Answer(q.id, unclear=draw(TEXT), note=draw(st.none() | TEXT))
        else:
            answers[q.id] = Answer(q.id, draw(_value(q)),
                                   note=draw(TEXT) if kind == "value+note" else None,
                                   source=draw(st.none() | TEXT))
    muni = Municipality(draw(TEXT), draw(st.none() | st.from_regex(r"\A03\d{10}\Z")),
                        None, draw(st.none() | TEXT),
                        draw(st.none() | st.sampled_from(["gemeinde", "stadt"])),
                        draw(st.none() | st.integers(0, 4_000_000)))
    interview = Interview(draw(st.none() | st.dates().map(lambda d: d.isoformat())),
                          draw(st.none() | TEXT), tuple(draw(st.lists(TEXT, max_size=3))),
                          draw(st.none() | TEXT))
    return AnswerSet(QuestionnaireRef(QN.id, QN.version, QN.hash), muni, interview, answers)


@FAST
@given(answer_sets())
def test_answers_file_load_save_load_is_the_identity(aset):
    from ozgkompass.sources.answers_file import answers_to_dict, dump_answers

    text = dump_answers(aset)
    loaded, issues = parse_answers(parse_yaml(text.encode(), "a.yaml"))
    assert [str(i) for i in issues if i.severity == "error"] == []
    assert answers_to_dict(loaded) == answers_to_dict(aset)  # everything written comes back
    again, _ = parse_answers(parse_yaml(dump_answers(loaded).encode(), "a.yaml"))
    assert dump_answers(again) == dump_answers(loaded) == text


# ----------------------------------------------------------------------------- spreadsheets

CELL = st.one_of(st.none(), st.text(max_size=20), st.integers(-10**12, 10**12),
                 st.floats(), st.booleans(), st.datetimes(), st.dates(), st.times(),
                 st.timedeltas(), TEXT)


@pytest.fixture(scope="module")
def template_cells(tmp_path_factory):
    """The cell values of a real template as python-calamine returns them."""
    from ozgkompass.sources import template as T
    from ozgkompass.sources.workbook_import import _read_book

    path = tmp_path_factory.mktemp("vorlage") / "vorlage.xlsx"
    path.write_bytes(T.build_template(QN))
    return path, _read_book(path)[0]


def _lookup(qid, version):
    return find_questionnaire(qid, version)


@FAST
@given(changes=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 60), st.integers(0, 11),
                                  CELL), max_size=12),
       merged=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10), st.integers(0, 5),
                                 st.integers(0, 3)), max_size=2),
       formulas=st.lists(st.tuples(st.integers(0, 11), st.from_regex(r"\A[A-J][1-9]\d?\Z")),
                         max_size=2))
def test_any_cell_values_are_read_without_crashing(template_cells, changes, merged, formulas):
    import copy

    from ozgkompass.sources.workbook_import import import_sheets

    _, sheets = template_cells
    sheets = copy.deepcopy(sheets)
    names = list(sheets)
    for sheet, row, col, value in changes:
        rows = sheets[names[sheet % len(names)]]
        while len(rows) <= row:
            rows.append([])
        rows[row].extend([""] * (col + 1 - len(rows[row])))
        rows[row][col] = value
    ranges = {names[2]: [((r, c), (r + h, c + w)) for r, c, h, w in merged]}
    res = import_sheets(sheets, ranges, _lookup, "m.xlsx",
                        [(names[s % len(names)], cell) for s, cell in formulas])
    for issue in res.issues:
        assert issue.message and issue.location.file == "m.xlsx"
    if res.answers is not None:  # what was read can be written and read back
        from ozgkompass.sources.answers_file import dump_answers

        assert parse_yaml(dump_answers(res.answers), "a.yaml").data is not None


@FAST
@given(st.lists(st.tuples(st.integers(0, 40_000), st.integers(0, 255)), max_size=6),
       st.none() | st.integers(100, 50_000))
def test_damaged_workbook_bytes_never_crash_the_reader(template_cells, tmp_path_factory, flips,
                                                       keep):
    """Truncated (keep) or with changed bytes (flips): a located problem, never a crash."""
    from ozgkompass.sources.workbook_import import import_workbook

    path, _ = template_cells
    data = bytearray(path.read_bytes()[:keep])
    for pos, byte in flips:
        if pos < len(data):
            data[pos] = byte
    target = tmp_path_factory.getbasetemp() / "kaputt.xlsx"
    target.write_bytes(bytes(data))
    res = import_workbook(target, _lookup, "kaputt.xlsx")
    assert res.answers is not None or res.issues


@FAST
@given(st.lists(st.lists(st.one_of(TEXT, st.sampled_from(
    ["frage_id", "antwort", "na", "klaeren_mit", "fragebogen", "kommune.name", "portal_type",
     "payment_methods", "staff_trained_share", "ja", "x", "1.234", "1,5", "", "a|b"])),
    max_size=5), max_size=8), st.sampled_from([";", ",", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_csv_is_read_without_crashing(tmp_path_factory, rows, sep, encoding):
    from ozgkompass.sources.workbook_import import import_workbook

    text = "\n".join(sep.join(r) for r in [["frage_id", "antwort"], *rows])
    target = tmp_path_factory.getbasetemp() / "antworten.csv"
    target.write_bytes(text.encode(encoding, errors="replace"))
    res = import_workbook(target, _lookup, "antworten.csv")
    assert res.answers is not None or res.issues
    for issue in res.issues:
        assert issue.message and issue.location.file == "antworten.csv"


ODD_CELLS = [dt.datetime(2026, 3, 15), dt.date(2026, 3, 15), dt.time(12, 30),
             dt.timedelta(days=2), True, float("inf"), float("nan"), -5, 10**30, "", " ", "=1+1"]


@pytest.mark.parametrize("value", ODD_CELLS, ids=repr)
def test_every_master_data_cell_takes_any_cell_type(template_cells, value):
    """What Excel can put in a cell (dates, times, durations, booleans, infinity) in each
    master data field: a located problem or a value, never an exception."""
    import copy

    from ozgkompass.sources import template as T
    from ozgkompass.sources.workbook_import import import_sheets

    for i in range(len(T.MASTER_FIELDS)):
        sheets = copy.deepcopy(template_cells[1])
        rows = sheets[T.MASTER_SHEET]
        rows[T.MASTER_FIRST_ROW + i - 1][1:] = [value]
        res = import_sheets(sheets, {}, _lookup, "m.xlsx")
        for issue in res.issues:
            assert issue.location.file == "m.xlsx"
