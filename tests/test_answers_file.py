"""Answers files written by the tool read back to the same answers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from ozgkompass.model.answers import (
    Answer,
    AnswerSet,
    Interview,
    Municipality,
    QuestionnaireRef,
    load_answers,
    parse_answers,
)
from ozgkompass.model.registry import builtin_examples
from ozgkompass.sources.answers_file import HEADER, answers_to_dict, dump_answers, write_answers
from ozgkompass.yamlio import parse_yaml, plain

sys.path.insert(0, str(Path(__file__).parent))


@pytest.mark.parametrize("example", builtin_examples(), ids=lambda e: e.name)
def test_written_answers_file_reads_back_identically(tmp_path, example):
    original, issues = parse_answers(parse_yaml(example.read_bytes(), example.name))
    assert original is not None, issues
    target = write_answers(tmp_path / "a.yaml", original)
    again, issues = load_answers(target)
    assert again is not None, issues
    assert again.municipality == original.municipality
    assert again.interview == original.interview
    assert again.questionnaire.id == original.questionnaire.id
    strip = lambda s: {k: (a.value, a.na, a.reason, a.note, a.source, a.unclear)  # noqa: E731
                       for k, a in s.answers.items()}
    assert strip(again) == strip(original)


def _as_pyyaml_wrote_it(aset) -> str:
    """The answers file as PyYAML's dumper writes it (the writer before the direct one)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return HEADER + yaml.dump(answers_to_dict(aset), Dumper=dumper, allow_unicode=True,
                              sort_keys=False, width=88, default_flow_style=False)


@pytest.mark.parametrize("example", builtin_examples(), ids=lambda e: e.name)
def test_usual_answers_are_written_exactly_as_pyyaml_writes_them(example):
    """Quoting, order, indentation and the header comment stay as people know them."""
    aset, _ = parse_answers(parse_yaml(example.read_bytes(), example.name))
    assert dump_answers(aset) == _as_pyyaml_wrote_it(aset)


def test_imported_workbook_answers_are_written_as_pyyaml_writes_them(tmp_path):
    import random

    from workbooks import MASTER, choose, fill

    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.template import build_template
    from ozgkompass.sources.workbook_import import import_workbook

    qn = find_questionnaire("ozg-kommune")
    template = build_template(qn)
    for seed in range(3):
        path = tmp_path / f"{seed}.xlsx"
        path.write_bytes(fill(template, qn, MASTER, choose(qn, random.Random(seed), 0.1)))
        aset = import_workbook(path, lambda q, v: find_questionnaire(q, v)).answers
        assert dump_answers(aset) == _as_pyyaml_wrote_it(aset)


def test_interview_resumes_a_file_written_from_an_imported_workbook(tmp_path):
    """The answers file of a returned workbook is where the interview picks up: at the
    first question the workbook left open, with every answer of the workbook kept."""
    import random

    from workbooks import MASTER, choose, fill

    from ozgkompass.interview.session import Session
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.template import build_template
    from ozgkompass.sources.workbook_import import import_workbook

    qn = find_questionnaire("ozg-kommune")
    picks = choose(qn, random.Random(5), share_open=0.3)
    book = tmp_path / "rueckgabe.xlsx"
    book.write_bytes(fill(build_template(qn), qn, MASTER, picks))
    imported = import_workbook(book, lambda q, v: find_questionnaire(q, v)).answers
    target = write_answers(tmp_path / "rueckgabe.answers.yaml", imported)
    aset, issues = load_answers(target)
    assert [i for i in issues if i.severity == "error"] == []
    session = Session(qn, aset, target)
    first_open = next(q for q in qn.questions if session.visible(q.id) and q.id not in picks)
    assert session.start() == first_open
    assert answers_to_dict(aset) == answers_to_dict(imported)


def test_text_with_line_breaks_reads_back_and_stays_on_one_line():
    aset = AnswerSet(QuestionnaireRef("ozg-kommune"), Municipality("Musterau"), Interview(),
                     {"q": Answer("q", "Zeile 1\nZeile 2", note="a: b\n- c")})
    text = dump_answers(aset)
    assert '    value: "Zeile 1\\nZeile 2"\n    note: "a: b\\n- c"\n' in text
    assert yaml.safe_load(text)["answers"]["q"] == {"value": "Zeile 1\nZeile 2",
                                                    "note": "a: b\n- c"}


# text that YAML would read as something else when written bare
TRICKY = ["", " ", "---", "...", "#", "# x", "a #b", ": ", "a: b", "- a", "-", "? x", "?",
          "null", "Null", "~", "yes", "No", "on", "true", "0123", "0o17", "0x1f", "1_000", "1e3",
          "1.5", ".nan", "NaN", ".inf", "-.inf", "2026-11-03", "2026-11-03 10:00", "<<", "=",
          "'", '"', "\\", "@x", "`x", "%x", "!x", "&x", "*x", "|", ">", "[a]", "{a: b}", "a,b",
          "a\nb", "a\r\nb", "\t", "\x00", "\x7f", "\x85", "\u2028", "\ufeff", "\xa0", "é", "😀",
          " x", "x ", "a\n", "\na", "a  b", "x" * 130]


def _texts():
    from hypothesis import strategies as st

    tricky = st.sampled_from(TRICKY)
    words = st.lists(tricky | st.sampled_from(["Wort", "x'y", "a", "ÄÖß"]), min_size=15,
                     max_size=40).map(" ".join)  # long enough to be folded
    return (tricky | st.text() | st.lists(tricky | st.text(max_size=4), max_size=5).map("".join)
            | words)


def _answer_sets():
    from hypothesis import strategies as st

    text = _texts()
    optional = st.none() | text
    scalar = (text | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none())
    value = scalar | st.lists(text | st.integers(), max_size=4)
    answer = st.builds(lambda v, na, reason, note, source, unclear: (
        v, na, reason, note, source, unclear), value, st.booleans(), optional, optional,
        optional, optional)
    keys = st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True) | text
    return st.builds(
        lambda ref, muni, iv, answers, superseded: AnswerSet(
            ref, muni, iv, {k: Answer(k, *a) for k, a in answers.items()}, None, [],
            superseded),
        st.builds(QuestionnaireRef, text, optional, optional),
        st.builds(Municipality, text, optional, optional, optional, optional,
                  st.none() | st.integers(min_value=0),
                  st.lists(text, max_size=2).map(tuple), st.lists(text, max_size=2).map(tuple)),
        st.builds(Interview, optional, optional, st.lists(text, max_size=3).map(tuple), optional),
        st.dictionaries(keys, answer, max_size=6),
        st.dictionaries(keys, st.dictionaries(text, scalar, max_size=3), max_size=2))


def test_any_answer_text_reads_back_unchanged():
    """Whatever people type (line breaks, control characters, `---`, `# `, `null`, `0123`,
    `yes`): the file reads back to exactly what was written, with PyYAML's loader and with
    ozgkompass' own (which the interview resumes from)."""
    pytest.importorskip("hypothesis")
    from conftest import examples
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=examples(0.3), deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(_answer_sets())
    def check(aset):
        text = dump_answers(aset)
        data = answers_to_dict(aset)
        assert yaml.safe_load(text) == data
        doc = parse_yaml(text.encode("utf-8"), "a.answers.yaml")
        assert doc.issues == []
        assert plain(doc.data) == data
        again, issues = parse_answers(doc)
        assert list(again.answers) == list(aset.answers), issues

    check()
