"""Answers files written by the tool read back to the same answers."""

from __future__ import annotations

import pytest

from ozgkompass.model.answers import load_answers, parse_answers
from ozgkompass.model.registry import builtin_examples
from ozgkompass.sources.answers_file import write_answers
from ozgkompass.yamlio import parse_yaml


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
