"""The interview's arrow-key mode in a real pseudo-terminal: answer, get killed, resume."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[1]
DOWN, ENTER = "\x1b[B", "\r"


def spawn(cwd: Path, *args: str):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
           "TERM": "xterm", "COLUMNS": "80", "LINES": "40", "HOME": str(cwd),
           # without this, prompt_toolkit waits about a second per prompt for a cursor report
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    return pexpect.spawn(sys.executable, ["-m", "ozgkompass", "interview", *args], cwd=str(cwd),
                         env=env, encoding="utf-8", timeout=20, dimensions=(40, 80))


def test_arrow_keys_sigkill_and_resume(tmp_path):
    child = spawn(tmp_path, "-q", "schnellcheck", "--kommune", "Gemeinde Pty")
    for prompt, typed in (("Art der Kommune", "1"), ("Regionalschl", "091620000000"),
                          ("Land", ""), ("Kreis", ""), ("Einwohner", "4800"), ("Datum", ""),
                          ("Teilnehmende", "Hauptamt")):
        child.expect(prompt)
        child.send(typed + ENTER)
    child.expect("Frage 1 von 15")
    child.expect("Serviceportal bietet")
    child.send(DOWN + ENTER)                      # second option: gemeinsam
    child.expect("Wie viele Leistungen")
    child.send("12" + ENTER)
    child.expect("BundID")
    child.send(DOWN + DOWN + ENTER)               # third option: landeskonto
    child.expect("Frage 4 von 15")
    child.send("w")                               # one key: weiß nicht / klären mit …
    child.expect("Klären mit")
    child.send("Land" + ENTER)
    child.expect("Frage 5 von 15")
    child.kill(signal.SIGKILL)                    # no chance to clean up
    child.wait()

    path = tmp_path / "gemeinde-pty.answers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["municipality"]["land"] == "Bayern"
    assert data["answers"] == {"portal_type": "gemeinsam", "portal_online_services_count": 12,
                               "accounts_bundid": "landeskonto",
                               "accounts_trust_level": {"unclear": "Land"}}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    child = spawn(tmp_path, "--answers", path.name)
    child.expect(r"3 von 15 zutreffenden Fragen beantwortet\s+\(11\s+offen,\s+1\s+unklar\)")
    child.expect("Frage 5 von 15")                # the first open question
    child.send("z")                               # back one question: the unclear one
    child.expect("Bisher: weiß nicht, klären mit Land")
    child.send("p")                               # pause
    child.expect("Fortsetzen mit: .*ozgkompass interview --answers gemeinde-pty.answers.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    again = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert again["answers"] == data["answers"]


def test_services_online_per_group_with_arrow_keys(tmp_path):
    """The per-service question (ozg-kommune 1.2.0): a choice per Themenfeld, "einzelne"
    opens a checklist of the group's services."""
    from ozgkompass.model.answers import Municipality
    from ozgkompass.scoring.service_groups import asked_services

    answers = {"portal_type": "land", "portal_pvog_findable": "ja",
               "portal_descriptions": "lrs_vollstaendig", "portal_editor_named": "ja",
               "portal_online_services_count": 20}
    path = tmp_path / "birkenau.answers.yaml"
    path.write_text(yaml.safe_dump({
        "format": 1, "questionnaire": {"id": "ozg-kommune", "version": "1.2.0"},
        "municipality": {"name": "Gemeinde Birkenau", "land": "Hessen", "type": "gemeinde"},
        "answers": answers}, allow_unicode=True), encoding="utf-8")
    groups = asked_services(Municipality("Gemeinde Birkenau", land="Hessen", type="gemeinde"))
    child = spawn(tmp_path, "--answers", path.name)
    child.expect(f"1/{len(groups)} {groups[0][0]}")
    child.send(ENTER)                             # alle online
    child.expect(f"2/{len(groups)}")
    child.send(DOWN + ENTER)                      # keine online
    child.expect(f"3/{len(groups)}")
    child.send(DOWN + DOWN + ENTER)               # einzelne: a checklist
    child.expect("was ist online")
    child.send(" " + ENTER)                       # the first (most used) service only
    for n in range(4, len(groups) + 1):
        child.expect(f"{n}/{len(groups)}")
        child.send(DOWN + DOWN + DOWN + ENTER)    # offen lassen
    child.expect("Barrierefreiheit")              # the next question
    child.send("p")
    child.expect(pexpect.EOF)
    child.close()
    value = yaml.safe_load(path.read_text(encoding="utf-8"))["answers"][
        "portal_services_online"]["value"]
    third = groups[2][1]
    assert value["online"] == sorted([s.ozg_id for s in groups[0][1]] + [third[0].ozg_id])
    assert value["nicht_online"] == sorted([s.ozg_id for s in groups[1][1]]
                                           + [s.ozg_id for s in third[1:]])


NUMBERS_QN = """\
format: 1
id: zahlen
version: "1.0.0"
title: Zahlen
areas:
  - id: geld
    title: Geld und Menschen
    questions:
      - id: budget
        type: number
        unit: Euro
        text: Wie hoch ist das Budget?
      - id: share
        type: number
        unit: "%"
        text: Wie viel Prozent sind geschult?
      - id: count
        type: number
        unit: Online-Dienste
        text: Wie viele Dienste gibt es?
      - id: fte
        type: number
        unit: VZÄ
        text: Wie viele Stellen?
      - id: findable
        type: scale
        min: 1
        max: 5
        labels:
          1: kaum zu finden
          5: direkt erreichbar
        text: Wie gut auffindbar?
      - id: partners
        type: multiple_choice
        text: Mit wem arbeiten Sie zusammen?
        options:
          - {value: kreis, label: Mit dem Kreis, score: 50}
          - {value: nachbarn, label: Mit Nachbargemeinden, score: 50}
          - {value: keine, label: Mit niemandem, score: 0, exclusive: true}
"""


def test_numbers_units_anchors_and_command_keys_in_every_prompt(tmp_path):
    (tmp_path / "zahlen.yaml").write_text(NUMBERS_QN, encoding="utf-8")
    child = spawn(tmp_path, "-q", "zahlen.yaml", "--kommune", "Gemeinde Zahl")
    for prompt, typed in (("Art der Kommune", "3"), ("Regionalschl", ""), ("Land", ""),
                          ("Kreis", ""), ("Einwohner", "10.412"), ("Datum", ""),
                          ("Teilnehmende", "Frau Ries (IT, Teilzeit), Herr Kern")):
        child.expect(prompt)
        child.send(typed + ENTER)
    child.expect("Einheit: Euro")                  # the unit in the arrow-key mode too
    child.expect("Antwort")
    child.send("85.000" + ENTER)
    child.expect("→ 85.000 Euro")
    child.expect("Prozent von 0 bis 100")
    child.send("ca. 30" + ENTER)                   # refused, and the field is empty again
    child.expect("keine Zahl")
    child.send("30")
    child.send("k")                                # a command key at once, no Enter
    child.expect("Notiz")
    child.send("geschätzt" + ENTER)
    child.expect("Notiz gespeichert")
    child.expect("Antwort")
    child.send(" %" + ENTER)                       # the typed 30 is still in the field
    child.expect("→ 30 %")
    child.expect("Einheit: Online-Dienste")
    child.send("1.5" + ENTER)                      # ambiguous: asked back
    child.expect("nicht eindeutig")
    child.send("h")                                # the command list, also here
    child.expect("gehe zu Bereich")
    child.send("15" + ENTER)
    child.expect("Einheit: VZÄ")
    child.send("0,5" + ENTER)
    child.expect("→ 0,5 VZÄ")
    child.expect("1 = kaum zu finden")             # scale anchors
    child.expect("5 = direkt erreichbar")
    child.send("4" + ENTER)
    child.expect("Leertaste kreuzt an")
    child.send(" " + DOWN + DOWN + " ")            # Kreis and Mit niemandem: exclusive
    child.send(ENTER)
    child.expect("„Mit niemandem“ schließt die anderen Antworten aus")
    child.expect("Leertaste kreuzt an")
    child.send(" ")                                # untick Kreis (pointer back on top)
    child.send("q")                                # a source: the ticks stay
    child.expect("Quelle")
    child.send("Protokoll" + ENTER)
    child.expect("Quelle gespeichert")
    child.expect("Leertaste kreuzt an")
    child.send(ENTER)
    child.expect("→ Mit niemandem")
    child.expect("Überprüfung")
    child.send(ENTER)
    child.expect(pexpect.EOF)
    shown = child.before
    assert "selection" not in shown and "Use arrow" not in shown and "done" not in shown
    data = yaml.safe_load((tmp_path / "gemeinde-zahl.answers.yaml").read_text("utf-8"))
    assert data["municipality"]["type"] == "kreisfreie_stadt"
    assert data["municipality"]["population"] == 10412
    assert data["interview"]["participants"] == ["Frau Ries (IT, Teilzeit)", "Herr Kern"]
    assert data["answers"] == {
        "budget": 85000, "share": {"value": 30, "note": "geschätzt"}, "count": 15, "fte": 0.5,
        "findable": 4, "partners": {"value": ["keine"], "source": "Protokoll"}}


def test_ctrl_d_in_a_prompt_pauses_with_everything_saved(tmp_path):
    child = spawn(tmp_path, "-q", "schnellcheck", "--kommune", "Gemeinde Ende")
    for prompt in ("Art der Kommune", "Regionalschl", "Land", "Kreis", "Einwohner", "Datum",
                   "Teilnehmende"):
        child.expect(prompt)
        child.send(ENTER)
    child.expect("Auswahl")
    child.send(ENTER)                             # the first option
    child.expect("Antwort")
    child.sendcontrol("d")                        # end of input in a number prompt
    child.expect("alles gespeichert")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Fehler" not in child.before
    data = yaml.safe_load((tmp_path / "gemeinde-ende.answers.yaml").read_text("utf-8"))
    assert data["answers"] == {"portal_type": "eigenes"}
