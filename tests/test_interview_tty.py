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
