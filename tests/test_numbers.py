"""One German reading of numbers: typed in the interview and written by hand in a file."""

from __future__ import annotations

import pytest

from ozgkompass.numbers import in_file, read, show


@pytest.mark.parametrize("typed, unit, value", [
    ("85.000", "Euro", 85000),
    ("85.000,50", "Euro", 85000.5),
    ("0,5", "VZÄ", 0.5),
    ("85 000", "Euro", 85000),
    ("85\u00a0000", "Euro", 85000),           # no-break space, as word processors write it
    ("30 %", "%", 30),
    ("30%", "%", 30),
    ("12,5 %", "%", 12.5),
    ("10.412", None, 10412),
    ("1.234.567,89", None, 1234567.89),
    ("12", None, 12),
    ("0,125", "VZÄ", 0.125),
    ("85.000 €", "Euro", 85000),
    ("-3", None, -3),                          # read; the range check refuses it later
])
def test_german_writing_is_read(typed, unit, value):
    reading = read(typed, unit)
    assert reading.problem is None
    assert reading.value == value and type(reading.value) is type(value)


@pytest.mark.parametrize("typed, unit, says", [
    ("1.5", None, "nicht eindeutig"),          # one and a half, or fifteen?
    ("3.25", "VZÄ", "Bitte 3,25 eingeben"),
    ("1,000", None, "1 (deutsch gelesen) oder 1000 (englisch gelesen)"),
    ("2,500", None, "sonst 2,5"),
    ("30 %", "Euro", "fragt nicht nach Prozent"),
    ("ca. 30", "%", "keine Zahl"),
    ("85.00", None, "nicht eindeutig"),
    ("8.5.0", None, "deutscher Schreibweise"),
    ("", None, "Bitte eine Zahl"),
    ("٣٠", None, "Ziffern 0 bis 9"),            # Arabic-Indic digits: no silent reading
    ("３０", None, "Ziffern 0 bis 9"),           # full-width digits
])
def test_ambiguous_or_wrong_is_asked_back_never_guessed(typed, unit, says):
    reading = read(typed, unit)
    assert reading.value is None
    assert says in reading.problem


def test_numbers_are_shown_the_german_way():
    assert [show(v) for v in (85000, 85000.5, 0.5, 12, 1234567.25)] == [
        "85.000", "85.000,5", "0,5", "12", "1.234.567,25"]


def test_in_a_file_text_is_read_with_a_hint_and_a_bare_85_000_is_an_error():
    value, hint, severity = in_file("85.000", None, "Euro")
    assert (value, severity) == (85000, "warning") and "85000" in hint
    value, hint, severity = in_file(85.0, "85.000", "Euro")
    assert severity == "error" and "liest YAML als 85" in hint and "85000" in hint
    assert in_file(1.125, "1.125", "VZÄ")[2] == "warning"   # may be 1.125 as written
    assert in_file(85.5, "85.5", "Euro") == (85.5, None, None)
    assert in_file(85000, "85000", "Euro") == (85000, None, None)


ANSWERS = """\
format: 1
questionnaire: {id: ozg-kommune}
municipality: {name: Testdorf}
answers:
  governance_budget_amount: 85.000
  staff_trained_share: "30 %"
  portal_online_services_count: "1.5"
  staff_digital_fte:
    value: "0,5"
"""


def test_validate_gives_located_hints_for_german_numbers(cli, tmp_path):
    path = tmp_path / "a.answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    code, out, err = cli("validate", str(path))
    text = " ".join((out + err).split())
    assert code == 1
    assert "a.answers.yaml:5:3: Antwort auf 'governance_budget_amount': `85.000` liest YAML " \
           "als 85" in text
    assert "a.answers.yaml:6:3: Antwort auf 'staff_trained_share': Text „30 %“ wird als " \
           "Zahl 30 gelesen" in text
    assert "a.answers.yaml:7:3: Antwort auf 'portal_online_services_count': Text „1.5“ ist " \
           "als Zahl nicht eindeutig" in text
    assert "Text „0,5“ wird als Zahl 0,5 gelesen" in text
    # written plainly, the same file is valid
    path.write_text(ANSWERS.replace("85.000", "85000").replace('"30 %"', "30")
                    .replace('"1.5"', "15").replace('"0,5"', "0.5"), encoding="utf-8")
    code, out, err = cli("validate", str(path))
    assert code == 0, out + err


def test_a_population_with_a_thousands_point_is_explained(cli, tmp_path):
    path = tmp_path / "a.answers.yaml"
    path.write_text("format: 1\nquestionnaire: {id: ozg-kommune}\n"
                    "municipality: {name: Testdorf, population: 10.412}\nanswers: {}\n",
                    encoding="utf-8")
    code, out, err = cli("validate", str(path))
    text = " ".join((out + err).split())
    assert code == 1
    assert "a.answers.yaml:3:" in text
    assert "sind 10412 Einwohner gemeint, so schreiben: population: 10412" in text
