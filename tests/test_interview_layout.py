"""What a client sees: every option and question readable at 60, 80, 100 and 160 columns,
in a real pseudo-terminal (arrow keys) and in the plain mode; `g` leaves no question out."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ozgkompass.model.questionnaire import QType
from ozgkompass.model.registry import find_questionnaire

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[1]
ENTER = "\r"
ANSI = re.compile(r"\x1b\[[0-9;?>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")
HEADER = r"Frage \d+ von (\d+) · "


def squeeze(text: str) -> str:
    """Screen text without escapes and without any white space: a word broken across lines
    or a label continued under its first word still reads the same, a cut one does not."""
    return re.sub(r"\s+", "", ANSI.sub("", text))


def words(text: str) -> str:
    """The words on screen, one after another: a word broken after its hyphen at a line end
    is whole again, a word broken anywhere else stays two."""
    found: list[str] = []
    for token in ANSI.sub(" ", text).split():
        if found and found[-1].endswith("-") and len(found[-1]) > 1 and found[-1][-2].isalpha():
            found[-1] += token
        else:
            found.append(token)
    return "\x00" + "\x00".join(found) + "\x00"


def spawn(cwd: Path, columns: int, *args: str):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
           "TERM": "xterm", "HOME": str(cwd), "PROMPT_TOOLKIT_NO_CPR": "1"}
    return pexpect.spawn(sys.executable, ["-m", "ozgkompass", "interview", *args],
                         cwd=str(cwd), env=env, encoding="utf-8", timeout=20,
                         dimensions=(50, columns))


def answer_plainly(child, q) -> int | None:
    """Answer the question on screen in the simplest valid way; for the per-service
    question (one choice per group, "alle online" each time) the index of the header or
    review that was already matched after it, else None."""
    if q.type in (QType.NUMBER, QType.SCALE):
        child.send(str(q.min if q.type is QType.SCALE else 1) + ENTER)
    elif q.type is QType.TEXT:
        child.send("x" + ENTER)
    elif q.type is QType.SERVICES:
        child.send(ENTER)
        while (j := child.expect([HEADER, "Überprüfung", "Auswahl"])) == 2:
            child.send(ENTER)
        return j
    else:
        child.send(ENTER)
    return None


@pytest.mark.parametrize("columns", [60, 80, 100, 160])
def test_arrow_keys_every_option_and_question_whole_at(columns, tmp_path):
    qn = find_questionnaire("ozg-kommune")
    by_text = {squeeze(q.text.de): q for q in qn.questions}
    child = spawn(tmp_path, columns, "--kommune", "Gemeinde Breite")
    child.delaybeforesend = None
    for prompt in ("Art der Kommune", "Regionalschl", "Land", "Kreis", "Einwohner", "Datum",
                   "Teilnehmende"):  # master data: all left empty
        child.expect(prompt)
        child.send(ENTER)
    asked = []
    last_total, drawn = 0, ""
    pending = None  # a header already matched while answering the per-service question
    while True:
        i = child.expect([HEADER, "Überprüfung"]) if pending is None else pending
        pending = None
        if asked:  # everything drawn for the previous question, up to its German echo
            chunk = squeeze(drawn + child.before.rsplit("→", 1)[0])
            q = asked[-1]
            assert squeeze(q.text.de) in chunk, q.id
            whole = words(drawn + child.before.rsplit("→", 1)[0])
            for text in (q.text.de, *(o.label.de for o in q.effective_options())):
                assert words(text) in whole, text
            for o in q.effective_options():
                assert squeeze(o.label.de) in chunk, (q.id, o.label.de)
            for _, anchor in q.labels:
                assert squeeze(anchor.de) in chunk, (q.id, anchor.de)
            if q.unit and q.unit != "%":
                assert squeeze(f"Einheit: {q.unit}") in chunk, q.id
        if i == 1:
            break
        last_total = int(child.match.group(1))
        child.expect(r"(Auswahl|Antwort)")
        drawn = child.before
        q = next(q for t, q in by_text.items() if t in squeeze(drawn))
        asked.append(q)
        pending = answer_plainly(child, q)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    assert len(asked) == len({q.id for q in asked}) == last_total >= 55
    long_ones = {q.id for q in asked if any(len(o.label.de) > columns - 6
                                            for o in q.effective_options())}
    assert columns >= 100 or "accounts_trust_level" in long_ones


def run_plain(cwd: Path, lines: list[str], columns: int, *args: str):
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": str(columns), "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ozgkompass", "interview", *args],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=60)


@pytest.mark.parametrize("columns", [60, 80, 100, 160])
def test_plain_lines_fit_and_nothing_is_cut(columns, tmp_path):
    qn = find_questionnaire("ozg-kommune")
    # "1" is the first option, a number, a scale point and a text; after the last question
    # the review takes it as question 1, and so on until the input ends (a pause)
    # the per-service question (answered per Themenfeld with a/k/e) is answered in the file
    # beforehand, so that "1" meets only questions with numbered options
    path = tmp_path / "schmal.answers.yaml"
    path.write_text(yaml.safe_dump({
        "format": 1, "questionnaire": {"id": "ozg-kommune", "version": qn.version},
        "municipality": {"name": "Gemeinde Schmal"},
        "answers": {"portal_services_online": {"value": {"online": [], "nicht_online": []}}}},
        allow_unicode=True), encoding="utf-8")
    out = run_plain(tmp_path, ["1"] * 90, columns, "--answers", path.name)
    assert out.returncode == 0, out.stderr
    # piped input is not echoed: a prompt and the next output share a line here
    lines = re.split(r"\n|> ", out.stdout)
    too_long = [line for line in lines if len(line) > columns]
    assert not too_long
    text = squeeze(out.stdout)
    asked = [q for q in qn.questions if squeeze(q.text.de) in text]
    assert len(asked) >= 55
    for q in asked:
        for o in q.effective_options():
            assert squeeze(o.label.de) in text, (q.id, o.label.de)
    # and no word is broken inside (only after a hyphen)
    shown = words(out.stdout)
    for q in asked:
        for text in (q.text.de, *(o.label.de for o in q.effective_options())):
            assert words(text) in shown, text


def test_arrow_keys_after_g_every_question_is_asked(tmp_path):
    qn = find_questionnaire("ozg-kommune")
    by_text = {squeeze(q.text.de): q for q in qn.questions}
    child = spawn(tmp_path, 80, "--kommune", "Gemeinde Sprung")
    child.delaybeforesend = None
    for prompt in ("Art der Kommune", "Regionalschl", "Land", "Kreis", "Einwohner", "Datum",
                   "Teilnehmende"):
        child.expect(prompt)
        child.send(ENTER)
    child.expect("Auswahl")
    child.send("g")                                  # at the first question: to area 6
    child.expect("Bereich \\(Nummer\\)")
    child.send("6" + ENTER)
    asked, total = [], 0
    pending = None  # a header already matched while answering the per-service question
    while (child.expect([HEADER, "Überprüfung"]) if pending is None else pending) == 0:
        pending = None
        total = int(child.match.group(1))
        child.expect(r"(Auswahl|Antwort)")
        q = next(q for t, q in by_text.items() if t in squeeze(child.before))
        asked.append(q)
        pending = answer_plainly(child, q)
    child.expect("Enter schließt ab")
    shown = squeeze(child.before)
    # Ctrl-C only once the prompt is drawn: before it, the terminal is not yet in raw mode
    # and the SIGINT may land in a garbage-collector callback, where Python drops it
    child.expect("Auswahl")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    areas = [q.area_id for q in asked]
    assert areas[0] == qn.areas[5].id                 # the area jumped to comes first
    assert areas.index(qn.areas[0].id) > areas.index(qn.areas[5].id)  # then from the start
    assert len(asked) == len({q.id for q in asked}) == total    # every question, once
    assert {q.area_id for q in asked} == {a.id for a in qn.areas}
    assert squeeze(f"{total} von {total} zutreffenden Fragen beantwortet") in shown
