"""`ozgkompass validate`: every problem at once, located, never a traceback."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

BAD = DATA / "bad"


def test_ten_defects_give_ten_located_messages(cli):
    code, out, err = cli("validate", "--json", str(BAD / "ten_defects.yaml"))
    assert code == 1
    issues = json.loads(out)["issues"]
    found = sorted((i["location"]["line"], i["code"]) for i in issues)
    assert found == [
        (8, "weight"),
        (13, "unknown-key"),
        (14, "duplicate-id"),
        (20, "condition-unknown"),
        (22, "missing-key"),
        (23, "unknown-criterion"),
        (27, "condition-later"),
        (29, "criterion-level"),
        (35, "bad-type"),
        (40, "condition-syntax"),
    ]
    assert all(i["location"]["file"].endswith("ten_defects.yaml") for i in issues)
    assert all(i["location"].get("column") for i in issues)


def test_messages_say_what_to_do(cli):
    code, out, err = cli("validate", str(BAD / "ten_defects.yaml"))
    assert code == 1
    assert "Traceback" not in out + err
    assert "ten_defects.yaml:13:9: Unbekannter Schlüssel `hlp` in Frage portal_vorhanden. " \
           "Meinten Sie `help`?" in err
    assert "Meinten Sie `nutzerkonto`?" in err
    assert "ten_defects.yaml:27:15:" in err and "erst später gefragt" in err
    assert "ten_defects.yaml:40:28:" in err  # the column of the stray `=`


@pytest.mark.parametrize("name, code, line", [
    ("syntax_error.yaml", "yaml-syntax", 7),
    ("duplicate_key.yaml", "duplicate-key", 11),
    ("billion_laughs.yaml", "yaml-aliases", None),
    ("python_tag.yaml", "yaml-tag", 1),
])
def test_hostile_or_broken_yaml_is_reported_not_executed(cli, name, code, line):
    exit_code, out, _ = cli("validate", "--json", str(BAD / name))
    assert exit_code == 1
    issues = json.loads(out)["issues"]
    hit = [i for i in issues if i["code"] == code]
    assert hit, issues
    if line is not None:
        assert hit[0]["location"]["line"] == line


def test_several_files_are_all_checked(cli):
    code, out, _ = cli("validate", "--json", str(BAD / "syntax_error.yaml"),
                       str(BAD / "duplicate_key.yaml"))
    files = {i["location"]["file"].split("/")[-1] for i in json.loads(out)["issues"]}
    assert files == {"syntax_error.yaml", "duplicate_key.yaml"}
    assert code == 1


def test_missing_file_is_a_clear_problem(cli, tmp_path):
    code, out, err = cli("validate", str(tmp_path / "gibtsnicht.yaml"))
    assert code == 2
    assert "nicht gefunden" in err or "does not exist" in err
    assert "Traceback" not in err


def test_oversized_file_is_refused(cli, tmp_path):
    big = tmp_path / "gross.yaml"
    big.write_text("# " + "x" * (6 * 1024 * 1024))
    code, out, err = cli("validate", str(big))
    assert code == 2
    assert "MB groß" in err


def test_builtin_questionnaires_are_valid(cli):
    from importlib import resources

    folder = resources.files("ozgkompass.questionnaires")
    files = [str(f) for f in folder.iterdir() if f.name.endswith(".yaml")]
    examples = [str(f) for f in (folder / "examples").iterdir() if f.name.endswith(".yaml")]
    assert len(files) >= 2
    code, out, err = cli("validate", "--strict", *files, *examples)
    assert code == 0, err


def test_answers_are_checked_against_their_questionnaire(cli, tmp_path):
    answers = tmp_path / "a.answers.yaml"
    answers.write_text(
        "questionnaire: {id: schnellcheck}\n"
        "municipality: {name: Prüfstadt, ars: '12345'}\n"
        "answers:\n"
        "  gibts_nicht: ja\n", encoding="utf-8")
    code, out, err = cli("validate", "--json", str(answers))
    assert code == 1
    codes = {(i["code"], i["location"].get("line")) for i in json.loads(out)["issues"]}
    assert ("ars", 2) in codes


def test_questionnaire_schema_matches_the_loader(tmp_path):
    """Editors check against the JSON Schema; it must know exactly the keys the loader knows."""
    from importlib import resources

    import jsonschema
    import yaml

    from ozgkompass.model import questionnaire as qm

    schema = json.loads((resources.files("ozgkompass") / "data" / "schemas"
                         / "questionnaire.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["properties"]) == qm.TOP_KEYS
    assert tuple(schema["$defs"]["area"]["properties"]) == qm.AREA_KEYS
    assert tuple(schema["$defs"]["question"]["properties"]) == qm.QUESTION_KEYS
    assert set(schema["$defs"]["option"]["properties"]) == set(qm.OPTION_KEYS)
    assert set(schema["$defs"]["threshold"]["properties"]) == set(qm.THRESHOLD_KEYS)
    folder = resources.files("ozgkompass.questionnaires")
    for f in folder.iterdir():
        if f.name.endswith(".yaml"):
            data = json.loads(json.dumps(yaml.safe_load(f.read_text(encoding="utf-8")),
                                         default=str))
            jsonschema.validate(data, schema)
    bad = json.loads(json.dumps(yaml.safe_load((BAD / "ten_defects.yaml").read_text())))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_a_file_with_only_a_null_value_is_not_valid(cli, tmp_path):
    path = tmp_path / "leer.yaml"
    path.write_text("~\n", encoding="utf-8")
    code, out, err = cli("validate", str(path))
    assert code == 1 and "keine Angaben" in err
