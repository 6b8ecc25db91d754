"""Finding a questionnaire by id parses only the built-in files that may have that id: the
id is peeked from the first events of each file, and that peek is exactly what the whole
parse gives, or "unsure" (then the file is parsed)."""

from __future__ import annotations

import pytest

from ozgkompass.errors import UserError
from ozgkompass.model import registry
from ozgkompass.yamlio import parse_yaml, peek_top_level_text

CASES = [
    "id: abc\n", "'id': \"abc\"\n", "x: [1, {id: 2}]\nid: abc\n", "id: 123\n", "id: yes\n",
    "id: !!str 123\n", "<<: {id: a}\nid: b\n", "a: &x id\n*x : z\nid: b\n", "? [a]\n: 1\nid: q\n",
    "- a\n", "id: [a]\n", "id: a\nid: b\n", "id:\n  a\n", "\ufeffid: a\n", "{a: 1, id: z}",
    "foo: 'offen\nid: a", "id: |\n  abc\n", "", "id: *a\n", "x: 1\n", "id: ~\n", "id: 1.0\n",
    "x: {id: nein}\nid: ja-doch\n", "'<<': 1\nid: a\n", "id: &anker a\n", "!!map {id: a}",
    "--- \nid: a\n", "id: a\n---\nid: b\n", "# Kommentar\n\nversion: '1'\nid: \"a-b\"\n",
    "x: !!binary aGk=\nid: a\n", "id: a\r\nversion: 1\r\n", "id: 'a\u2028b'\n", "id: 2026-01-01\n",
]


@pytest.mark.parametrize("text", CASES, ids=repr)
def test_the_peeked_id_is_the_parsed_one_or_none(text):
    peeked = peek_top_level_text(text.encode("utf-8"), "id")
    data = parse_yaml(text.encode("utf-8"), "x.yaml").data
    # sure only of what the whole parse gives where it gives a document: a file that breaks
    # later (a second document, a syntax error) is no questionnaire of any id
    assert peeked is None or data is None or data.get("id") == peeked, (peeked, data)


def test_the_peek_knows_the_usual_forms():
    assert [peek_top_level_text(t.encode(), "id") for t in
            ("id: abc\n", "'id': \"abc\"\n", "x: [1, {id: 2}]\nid: abc\n", "\ufeffid: a\n",
             "# Kommentar\nversion: '1'\nid: \"a-b\"\n")] == ["abc", "abc", "abc", "a", "a-b"]
    for unsure in ("id: 123\n", "<<: {id: a}\nid: b\n", "a: &x id\n*x : z\n", "- a\n", ""):
        assert peek_top_level_text(unsure.encode(), "id") is None


def test_every_built_in_questionnaire_gives_its_id_to_the_peek():
    for name in registry._builtin_names():
        entry = registry._parse_builtin(name)
        assert entry.questionnaire is not None
        assert peek_top_level_text(registry._builtin_bytes(name), "id") == entry.questionnaire.id


def test_finding_one_questionnaire_parses_only_that_one(monkeypatch):
    registry._parse_builtin.cache_clear()
    monkeypatch.delenv(registry.ENV_DIR, raising=False)
    try:
        assert registry.find_questionnaire("schnellcheck").id == "schnellcheck"
        assert registry._parse_builtin.cache_info().currsize == 1
        known = "nicht gefunden \\(bekannt: ozg-kommune, schnellcheck\\)"
        with pytest.raises(UserError, match=known):
            registry.find_questionnaire("gibt-es-nicht")
    finally:
        registry._parse_builtin.cache_clear()


def test_a_user_file_with_the_id_still_wins(tmp_path):
    assert registry.find_questionnaire("schnellcheck").path == "(eingebaut) schnellcheck.yaml"
    (tmp_path / "eigener.yaml").write_bytes(registry._builtin_bytes("schnellcheck.yaml"))
    assert registry.find_questionnaire("schnellcheck", None, tmp_path).path.endswith("eigener.yaml")
