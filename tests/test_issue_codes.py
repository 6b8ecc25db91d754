"""The issue codes are one catalogue (`ozgkompass.issue_codes.IssueCode`): every code the
tool emits is a member with a German template, docs/issue-codes.md lists exactly these, and
no call site makes up a code as a free string."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

from ozgkompass.issue_codes import IssueCode

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ozgkompass"
# the calls that take an issue code as first argument (or as `code=`)
CODE_METHODS = {"error", "warn", "issue", "reject"}


def _code_argument(call: ast.Call) -> ast.expr | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)
    if name != "Issue" and name not in CODE_METHODS:
        return None
    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    return call.args[0] if call.args else None


def _literal_strings(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) or isinstance(
            node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.IfExp):
        return [*_literal_strings(node.body), *_literal_strings(node.orelse)]
    return []


def test_no_call_site_makes_up_a_code_as_a_string():
    free = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (arg := _code_argument(node)) is not None:
                free += [f"{path.relative_to(ROOT)}:{s.lineno}" for s in _literal_strings(arg)]
    assert free == [], "Problem-Codes als freier Text statt IssueCode: " + ", ".join(free)


def test_the_docs_list_every_code_and_only_these():
    text = (ROOT / "docs" / "issue-codes.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE)
    assert len(listed) == len(set(listed)), "doppelt gelistet"
    assert sorted(listed) == sorted(c.value for c in IssueCode)
    for code in IssueCode:  # the listed template is the code's own
        row = next(line for line in text.splitlines() if line.startswith(f"| `{code.value}` |"))
        assert code.template.replace("|", "\\|") in row, code


def test_every_code_has_a_german_template_and_is_emitted_somewhere():
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
                       if p.name != "issue_codes.py")
    for code in IssueCode:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code.value), code
        assert code.template.strip() and code.template[0] not in " ,;", code
        list(string.Formatter().parse(code.template))  # placeholders are well-formed
        assert f"IssueCode.{code.name}" in source, f"{code.value} wird nirgends gemeldet"


def test_codes_in_json_output_are_plain_strings(cli, tmp_path):
    bad = tmp_path / "kaputt.answers.yaml"
    bad.write_text("questionnaire: {id: ozg-kommune\n", encoding="utf-8")
    code, out, _ = cli("validate", str(bad), "--json")
    assert code == 1
    codes = [issue["code"] for issue in json.loads(out)["issues"]]
    assert codes and all(IssueCode.of(c).value == c for c in codes)
    assert IssueCode.YAML_SYNTAX.value in codes


def test_reading_an_unknown_code_back_is_a_value_error():
    import pytest

    with pytest.raises(ValueError):
        IssueCode.of("gibt-es-nicht")
    assert IssueCode.of("yaml-tag") is IssueCode.YAML_TAG
