"""Defects a new user hits in the first hour (issue "The first hour"), one class a test."""

from __future__ import annotations

import json
import re

import pytest

BAD_HEADER_AND_ANSWERS = """
questionnaire: {id: ozg-kommune}
municipality:
  name: Dorf
  type: dorf
  ars: "1234"
answers:
  portal_type: irgendwas
  accounts_trust_level: vielleicht
  accounts_bundid: 7
  forms_server: [a, b]
  payment_platform: ja
  staff_training_scale: 99
  unbekannte_frage: ja
"""


def test_header_errors_do_not_hide_answer_errors(cli, tmp_path):
    path = tmp_path / "dorf.answers.yaml"
    path.write_text(BAD_HEADER_AND_ANSWERS, encoding="utf-8")
    code, out, err = cli("validate", "--json", str(path))
    assert code == 1
    issues = json.loads(out)["issues"]
    codes = [i["code"] for i in issues if i["severity"] == "error"]
    assert codes.count("municipality-type") == 1 and codes.count("ars") == 1
    # every bad answer is reported in the same run (7 answers, all wrong)
    assert len([c for c in codes if c in ("invalid-value", "unknown-question")]) == 7
    code, out, err = cli("score", str(path))
    assert code == 1
    assert "dorf" in err and "irgendwas" in err and "unbekannte_frage" in err
