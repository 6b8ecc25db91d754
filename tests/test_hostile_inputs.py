"""Messy and hostile files found in review: each gets a located German message, never a
traceback or an "Interner Fehler" (exit 3)."""

from __future__ import annotations

import json

import pytest

Q = """
id: testq
version: "1"
title: Test
areas:
  - id: a
    title: A
    weight: AREA_WEIGHT
    questions:
      - id: yn
        type: yes_no
        text: Portal?
        recommendation: "Leitfaden [siehe Anlage] lesen"
        responsible: RESPONSIBLE
        WHEN
      - id: zahl
        type: number
        text: Wie viele?
        thresholds:
          - {min: 0, label: wenige, score: 0}
          - {min: 10, label: viele, score: 100}
"""


def questionnaire(tmp_path, weight="1", responsible="kommune", when=""):
    text = (Q.replace("AREA_WEIGHT", weight).replace("RESPONSIBLE", responsible)
            .replace("WHEN", when))
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def answers(tmp_path, body, name="N"):
    path = tmp_path / "a.answers.yaml"
    path.write_text(f"questionnaire: {{id: testq}}\nmunicipality: {{name: {name}}}\n{body}",
                    encoding="utf-8")
    return path


def no_crash(code, out, err):
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in out + err and "Interner Fehler" not in err


@pytest.mark.parametrize("kwargs, message", [
    ({"weight": ".nan"}, "keine gültige Zahl"),
    ({"weight": "1" + "0" * 400}, "keine gültige Zahl"),
    ({"responsible": "[kommune]"}, "`responsible`"),
    ({"when": "when: '" + "(" * 300 + 'yn == "ja"' + ")" * 300 + "'"}, "zu tief verschachtelt"),
])
def test_broken_questionnaires_are_located(cli, tmp_path, kwargs, message):
    code, out, err = cli("validate", str(questionnaire(tmp_path, **kwargs)))
    no_crash(code, out, err)
    assert code == 1 and message in err and "q.yaml:" in err


def test_deeply_nested_yaml_is_refused(cli, tmp_path):
    path = tmp_path / "tief.yaml"
    path.write_text("id: " + "[" * 3000 + "]" * 3000 + "\n")
    code, out, err = cli("validate", str(path))
    no_crash(code, out, err)
    assert code == 1 and "verschachtelt" in err


def test_control_characters_are_located(cli, tmp_path):
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"id: a\nversion: '1\x00'\n")
    code, out, err = cli("validate", str(path))
    no_crash(code, out, err)
    assert "nul.yaml:2:" in err and "Unerlaubtes Zeichen" in err


@pytest.mark.parametrize("body, message", [
    ("answers:\n  zahl: .nan\n", "keine gültige Zahl"),
    ("answers:\n  zahl: .inf\n", "keine gültige Zahl"),
    ("answers:\n  zahl: " + "9" * 300 + "\n", "zu groß"),
    ("interview: {participants: 5}\nanswers: {}\n", "`participants`"),
    ("interview: {date: 2026-02-30}\nanswers: {}\n", "kein gültiges Datum"),
    ("anwsers:\n  yn: ja\n", "Meinten Sie `answers`?"),
])
def test_broken_answers_are_located(cli, tmp_path, body, message):
    q = questionnaire(tmp_path)
    code, out, err = cli("score", str(answers(tmp_path, body)), "--questionnaire", str(q))
    no_crash(code, out, err)
    assert code == 1 and message in err and "a.answers.yaml:" in err


def test_blank_municipality_name_is_an_error(cli, tmp_path):
    q = questionnaire(tmp_path)
    code, out, err = cli("score", str(answers(tmp_path, "answers: {}\n", name="' '")),
                         "--questionnaire", str(q))
    assert code == 1 and "Name der Kommune" in err


def test_brackets_in_user_text_are_printed_literally(cli, tmp_path):
    q = questionnaire(tmp_path)
    a = answers(tmp_path, 'answers:\n  yn: nein\n  "[/x]": ja\n', name='"Gemeinde [/red] Nord"')
    code, out, err = cli("score", str(a), "--questionnaire", str(q))
    no_crash(code, out, err)
    assert "[/x]" in err
    a = answers(tmp_path, "answers:\n  yn: nein\n", name='"Stadt [bold]Nord"')
    code, out, err = cli("score", str(a), "--questionnaire", str(q))
    assert code == 0
    assert "Stadt [bold]Nord" in out
    assert "Leitfaden [siehe Anlage] lesen" in out


def test_question_ids_must_work_in_conditions(cli, tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(Q.replace("AREA_WEIGHT", "1").replace("RESPONSIBLE", "kommune")
                    .replace("WHEN", "").replace("id: zahl", "id: 2fa"), encoding="utf-8")
    code, out, err = cli("validate", str(path))
    assert code == 1 and "mit einem Kleinbuchstaben beginnen" in err


def test_broken_questionnaire_in_user_folder_is_shown_not_hidden(cli, tmp_path):
    folder = tmp_path / "fragen"
    folder.mkdir()
    (folder / "q.yaml").write_text(Q.replace("AREA_WEIGHT", "0").replace("RESPONSIBLE",
                                   "kommune").replace("WHEN", ""), encoding="utf-8")
    (folder / "unterordner.yaml").mkdir()
    a = answers(tmp_path, "answers: {}\n")
    code, out, err = cli("score", str(a), "--questionnaires-dir", str(folder))
    no_crash(code, out, err)
    assert code == 1 and "fehlerhaft" in err and "`weight`" in err


def test_band_agrees_with_the_shown_score(cli, tmp_path):
    q = tmp_path / "q.yaml"
    q.write_text("""
id: testq
version: "1"
title: T
areas:
  - id: a
    title: A
    questions:
      - {id: a1, type: yes_no, text: A?, weight: 0.1}
      - {id: a2, type: yes_no, text: B?, weight: 0.1}
      - {id: s, type: scale, min: 0, max: 4, text: C?, weight: 0.1}
""", encoding="utf-8")
    a = answers(tmp_path, "answers: {a1: ja, a2: ja, s: 1}\n")
    code, out, err = cli("score", str(a), "--questionnaire", str(q))
    assert code == 0
    assert "75 % – Vorreiter" in out


def test_switching_to_a_model_without_translation_warns(cli, tmp_path):
    q = tmp_path / "q.yaml"
    q.write_text("""
id: testq
version: "1"
title: T
maturity_model: reifegrad-2.0
areas:
  - id: a
    title: A
    questions:
      - id: yn
        type: yes_no
        text: A?
        options:
          - {value: ja, label: Ja, score: 1, criteria: {e_akte: 6}}
          - {value: nein, label: Nein, score: 0, criteria: {e_akte: 1}}
""", encoding="utf-8")
    a = answers(tmp_path, "answers: {yn: ja}\n")
    code, out, err = cli("score", "--json", str(a), "--questionnaire", str(q), "--model",
                         "reifegrad-1.1")
    assert code == 0
    assert "model-mismatch" in {i["code"] for i in json.loads(out)["issues"]}
