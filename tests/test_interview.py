"""The interview: state machine and the plain (piped) front end, driven as a script would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ozgkompass.interview.blank import file_name_for, new_answer_set
from ozgkompass.interview.session import Session, reconcile
from ozgkompass.model.answers import Municipality, load_answers
from ozgkompass.model.questionnaire import load_questionnaire

ROOT = Path(__file__).resolve().parents[1]

QN_V1 = """\
format: 1
id: mini
version: "1.0.0"
title: Mini-Fragebogen
areas:
  - id: portal
    title: Portal
    questions:
      - id: portal_type
        type: single_choice
        text: Welches Portal?
        help: Das Serviceportal, über das die Online-Dienste laufen.
        options:
          - {value: eigenes, label: Eigenes Portal, score: 100}
          - {value: land, label: Landesportal, score: 80}
          - {value: keins, label: Kein Portal, score: 0}
      - id: portal_count
        type: number
        text: Wie viele Online-Dienste?
        when: portal_type in ["eigenes", "land"]
      - id: portal_findability
        type: scale
        min: 1
        max: 5
        text: Wie gut auffindbar?
        when: portal_type in ["eigenes", "land"]
  - id: payment
    title: ePayment
    questions:
      - id: payment_platform
        type: single_choice
        text: Welche Bezahlplattform?
        na: {allowed: true, reason_required: true}
        options:
          - {value: epaybl, label: ePayBL, score: 100}
          - {value: keine, label: Keine, score: 0}
      - id: payment_methods
        type: multiple_choice
        text: Welche Zahlarten?
        options:
          - {value: karte, label: Kreditkarte, score: 50}
          - {value: paypal, label: PayPal, score: 50}
      - id: payment_hkr
        type: yes_no
        text: Zahlungen automatisch im HKR?
"""

# version 2: portal_findability removed, payment_methods lost the option `paypal`,
# a new question governance_plan added
QN_V2 = (QN_V1.replace('version: "1.0.0"', 'version: "2.0.0"')
         .replace("          - {value: paypal, label: PayPal, score: 50}\n",
                  "          - {value: lastschrift, label: Lastschrift, score: 50}\n")
         .replace("""      - id: portal_findability
        type: scale
        min: 1
        max: 5
        text: Wie gut auffindbar?
        when: portal_type in ["eigenes", "land"]
""", "") + """  - id: governance
    title: Steuerung
    questions:
      - id: governance_plan
        type: yes_no
        text: Gibt es einen Digitalisierungsplan?
""")


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mini.yaml").write_text(QN_V1, encoding="utf-8")
    return tmp_path


def run_plain(cwd: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess:
    """The CLI in a subprocess with piped stdin, as a script would drive it."""
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "80", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ozgkompass", "interview", *args],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=60)


MASTER = ["1", "034510001001", "", "Landkreis Test", "4.800", "2026-11-20", "BM, Hauptamt"]


def flat(text: str) -> str:
    """Output as one line (the terminal width wraps long messages)."""
    return " ".join(text.split())


def answers_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- state machine


def session_for(text: str, tmp_path: Path) -> Session:
    (tmp_path / "q.yaml").write_text(text, encoding="utf-8")
    qn = load_questionnaire(tmp_path / "q.yaml")
    return Session(qn, new_answer_set(qn, Municipality("Testdorf")), tmp_path / "a.yaml")


def test_state_machine_back_skip_jump_and_conditions(tmp_path):
    s = session_for(QN_V1, tmp_path)
    assert s.start().id == "portal_type"
    assert s.set_value("land") == (None, [])
    assert s.advance().id == "portal_count"
    assert s.back().id == "portal_type"
    assert s.advance().id == "portal_count"  # next open question after the answered one
    assert s.skip().id == "portal_findability"
    assert s.jump("payment").id == "payment_platform"
    assert s.set_na("") is not None  # a reason is required here
    assert s.set_na("keine Gebühren") is None
    assert [(q.id, state) for q, state in s.open_points()][:2] == [
        ("portal_count", "übersprungen"), ("portal_findability", "offen")]
    # a number out of range for a scale is refused with a German message
    s.goto_question("portal_findability")
    problem, _ = s.set_value(9)
    assert "liegt nicht zwischen 1 und 5" in problem
    assert s.set_value(4) == (None, [])
    # changing portal_type to "keins" hides an answered question but keeps its answer
    s.goto_question("portal_type")
    assert s.set_value("keins") == (None, ["portal_findability"])
    saved = answers_of(tmp_path / "a.yaml")["answers"]
    assert saved["portal_findability"] == 4 and saved["portal_type"] == "keins"
    assert not s.visible("portal_findability")
    assert s.position() == (1, 4)


def test_reconcile_moves_answers_that_no_longer_fit(tmp_path):
    s = session_for(QN_V1, tmp_path)
    for qid, value in (("portal_type", "land"), ("portal_findability", 2),
                       ("payment_methods", ["karte", "paypal"]), ("payment_hkr", "ja")):
        s.goto_question(qid)
        s.set_value(value)
    (tmp_path / "q.yaml").write_text(QN_V2, encoding="utf-8")
    qn2 = load_questionnaire(tmp_path / "q.yaml")
    aset, _ = load_answers(tmp_path / "a.yaml")
    change = reconcile(qn2, aset)
    assert change.removed == ("portal_findability",) and change.changed == ("payment_methods",)
    assert set(aset.answers) == {"portal_type", "payment_hkr"}
    assert aset.superseded["payment_methods"]["value"] == ["karte", "paypal"]
    assert aset.questionnaire.version == "2.0.0" and aset.questionnaire.hash == qn2.hash
    assert reconcile(qn2, aset) is None


def test_an_answer_edited_by_hand_that_does_not_fit_is_asked_again(tmp_path):
    s = session_for(QN_V1, tmp_path)
    s.set_value("land")
    s.goto_question("portal_findability")
    s.set_value(2)
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text.replace("portal_findability: 2",
                                                  "portal_findability: 9"), encoding="utf-8")
    aset, _ = load_answers(tmp_path / "a.yaml")
    resumed = Session(s.qn, aset, tmp_path / "a.yaml")
    assert resumed.start().id == "portal_count"
    assert resumed.advance().id == "portal_findability"  # 9 is out of range: asked again


def test_file_names_from_municipality_names_are_safe():
    assert file_name_for("Gemeinde Müllheim/Baden") == "gemeinde-muellheim-baden.answers.yaml"
    assert file_name_for("../../etc/passwd") == "etc-passwd.answers.yaml"
    assert file_name_for("***") == "kommune.answers.yaml"


# --------------------------------------------------------------------------- plain mode


def test_plain_interview_back_skip_na_unclear_note_and_review(workdir):
    lines = [*MASTER,
             "2",            # portal_type: land
             "z",            # back to portal_type
             "1",            # change to eigenes
             "abc", "-3", "12",  # portal_count: not a number, negative, then 12
             "s",            # skip portal_findability
             "n", "",        # N/A without the required reason: refused, asked again
             "n", "Keine Gebühren erhoben",
             "k", "Kasse prüft das", "w", "2",   # note, then unclear: IT-Dienstleister
             "7", "1",       # payment_hkr: 7 is no option, then ja
             "portal_findability", "4",  # review: change the skipped question
             ""]             # finish
    out = run_plain(workdir, lines, "-q", "mini.yaml", "--kommune", "Gemeinde Test")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert "Frage 1 von 6 · Bereich Portal" in out.stdout
    assert "Ungültige Eingabe: „abc“ ist keine Zahl." in out.stdout
    assert "Ungültige Antwort: erwartet eine Zahl ≥ 0" in out.stdout
    assert "braucht bei dieser Frage eine Begründung" in out.stdout
    assert "„7“ ist keine der Nummern 1–2" in out.stdout
    assert "OZG-Reifeindex" in out.stdout and "ozgkompass score" in out.stdout
    data = answers_of(workdir / "gemeinde-test.answers.yaml")
    assert data["municipality"] == {"name": "Gemeinde Test", "ars": "034510001001",
                                    "land": "Niedersachsen", "kreis": "Landkreis Test",
                                    "type": "gemeinde", "population": 4800}
    assert data["interview"] == {"date": "2026-11-20", "participants": ["BM", "Hauptamt"]}
    assert data["answers"] == {
        "portal_type": "eigenes", "portal_count": 12, "portal_findability": 4,
        "payment_platform": {"na": True, "reason": "Keine Gebühren erhoben"},
        "payment_methods": {"unclear": "IT-Dienstleister", "note": "Kasse prüft das"},
        "payment_hkr": "ja"}
    # the file scores, and the unclear question is a follow-up ("Rückfragen")
    score = subprocess.run([sys.executable, "-m", "ozgkompass", "score",
                            "gemeinde-test.answers.yaml", "-q", "mini.yaml", "--json"],
                           capture_output=True, text=True, cwd=workdir,
                           env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert score.returncode == 0, score.stderr
    assert '"clarify_with": "IT-Dienstleister"' in score.stdout


def test_plain_condition_change_pause_and_resume(workdir):
    first = run_plain(workdir, [*MASTER, "1", "5", "3", "p"],
                      "-q", "mini.yaml", "--kommune", "Gemeinde Test")
    assert first.returncode == 0, first.stderr
    assert "3 von 6 zutreffenden Fragen beantwortet (3 offen), alles gespeichert." \
        in first.stderr
    # the resume hint is a command that runs as printed, although `ozgkompass` is not on
    # PATH here (as after the README's install without activating the environment)
    hint = re.search(r"Fortsetzen mit: (.+)\n", first.stderr)[1]
    assert hint.endswith(" interview --answers gemeinde-test.answers.yaml -q mini.yaml")
    again = subprocess.run(hint + " --plain", shell=True, input="p\n", capture_output=True,
                           text=True, cwd=workdir, timeout=60,
                           env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                "COLUMNS": "80"})
    assert again.returncode == 0 and "Fortsetzung: Gemeinde Test" in again.stdout
    # resume: starts at the first open question; change portal_type so two answers hide
    second = run_plain(workdir, ["u", "g", "1", "3", "p"],
                       "--answers", "gemeinde-test.answers.yaml", "-q", "mini.yaml")
    assert second.returncode == 0, second.stderr
    assert "Fortsetzung: Gemeinde Test, 3 von 6 zutreffenden Fragen beantwortet" in second.stdout
    assert "ePayment: 3" in second.stdout  # the overview, by area
    assert "4. Welche Bezahlplattform? – offen" in second.stdout
    assert "entfallen 2 bereits beantwortete Frage(n); die Antworten bleiben in der Datei, " \
        "werden aber nicht gewertet, solange die Fragen nicht gestellt werden: " \
        "– Wie viele Online-Dienste? – Wie gut auffindbar?" in flat(second.stdout)
    assert "portal_count" not in second.stdout  # no internal IDs
    data = answers_of(workdir / "gemeinde-test.answers.yaml")["answers"]
    assert data == {"portal_type": "keins", "portal_count": 5, "portal_findability": 3}
    validate = subprocess.run([sys.executable, "-m", "ozgkompass", "score",
                               "gemeinde-test.answers.yaml", "-q", "mini.yaml"],
                              capture_output=True, text=True, cwd=workdir,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                   "COLUMNS": "80"})
    assert validate.returncode == 0, validate.stderr  # hidden answers are not errors


def test_plain_resume_after_questionnaire_version_change(workdir):
    run_plain(workdir, [*MASTER, "1", "5", "3", "1", "1,2", "1", "", ],
              "-q", "mini.yaml", "--kommune", "Gemeinde Test")
    (workdir / "mini.yaml").write_text(QN_V2, encoding="utf-8")
    out = run_plain(workdir, ["1,2", "2", ""], "--answers", "gemeinde-test.answers.yaml",
                    "-q", "mini.yaml")
    assert out.returncode == 0, out.stderr
    text = flat(out.stdout)
    assert "Version 1.0.0 → 2.0.0" in text
    assert "Entfallene Fragen: portal_findability" in text
    assert "Geänderte Fragen (Antwort passt nicht mehr, wird neu gefragt): – Welche Zahlarten?" \
        in text
    # only the changed and the new question are asked
    asked = re.findall(r"^Frage \d+ von \d+ .*\n(.*)", out.stdout, re.M)
    assert asked == ["Welche Zahlarten?", "Gibt es einen Digitalisierungsplan?"]
    data = answers_of(workdir / "gemeinde-test.answers.yaml")
    assert data["questionnaire"]["version"] == "2.0.0"
    assert data["answers"]["payment_methods"] == ["karte", "lastschrift"]
    assert data["answers"]["governance_plan"] == "nein"
    assert data["superseded_answers"]["portal_findability"]["value"] == 3
    assert data["superseded_answers"]["payment_methods"] == {
        "version": "1.0.0", "why": "Antwort passt nicht mehr", "value": ["karte", "paypal"]}


def test_new_interview_refuses_to_overwrite_and_pause_during_master_data(workdir):
    (workdir / "gemeinde-test.answers.yaml").write_text("x", encoding="utf-8")
    out = run_plain(workdir, ["Gemeinde Test", *MASTER], "-q", "mini.yaml")
    assert out.returncode == 2
    assert "existiert bereits" in out.stderr and "Traceback" not in out.stderr
    out = run_plain(workdir, ["Gemeinde Neu", "1"], "-q", "mini.yaml")
    assert out.returncode == 130 and "nichts gespeichert" in out.stderr


# --------------------------------------------------------------------------- small commands


def test_new_answers_is_valid_and_lists_every_question(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("new-answers", "ozg-kommune", "--kommune", "Stadt Beispiel")
    assert code == 0, out
    path = tmp_path / "stadt-beispiel.answers.yaml"
    text = path.read_text(encoding="utf-8")
    qn_ids = re.findall(r"^  # (\w+):    # ", text, re.M)
    # every question of ozg-kommune 1.2.0 but the per-service one, which lists the
    # municipality's services below its id instead
    assert len(qn_ids) == 78 and qn_ids[0] == "portal_type"
    assert "portal_services_online" not in qn_ids and "  # portal_services_online:\n" in text
    code, out, err = cli("validate", str(path))
    assert code == 0, out + err
    code, _, err = cli("new-answers", "ozg-kommune", "--kommune", "Stadt Beispiel")
    assert code == 2 and "existiert bereits" in err
    # filled in by hand (uncomment a line), it scores
    path.write_text(text.replace("  # portal_type:    # ", "  portal_type: land    # "),
                    encoding="utf-8")
    code, out, err = cli("score", str(path))
    assert code == 0, err


def test_questionnaires_show_lists_ids_types_and_options(cli):
    import json

    code, out, _ = cli("questionnaires", "show", "schnellcheck", "--json")
    assert code == 0
    data = json.loads(out)
    questions = [q for a in data["areas"] for q in a["questions"]]
    assert len(questions) == 15
    first = questions[0]
    assert first["id"] == "portal_type" and first["type"] == "single_choice"
    assert {"value": "land", "label": "Serviceportal des Landes"} in first["options"]
    code, out, _ = cli("questionnaires", "show", "ozg-kommune")
    assert code == 0 and "accounts_bundid" in out and "single_choice" in out
    code, out, _ = cli("questionnaires")
    assert code == 0 and "schnellcheck" in out
    code, _, err = cli("questionnaires", "show", "gibtsnicht")
    assert code == 2 and "nicht gefunden" in err


def test_every_answers_example_in_docs_validates(cli, tmp_path):
    from ozgkompass.model.answers import is_answers

    found = 0
    for md in sorted((ROOT / "docs").glob("*.md")):
        for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", md.read_text("utf-8"),
                                             re.S)):
            try:
                data = yaml.safe_load(block)
            except yaml.YAMLError:  # fragments of other formats
                continue
            if not is_answers(data):
                continue
            path = tmp_path / f"{md.stem}-{i}.answers.yaml"
            path.write_text(block, encoding="utf-8")
            code, out, err = cli("validate", str(path))
            assert code == 0, f"{md.name} Beispiel {i + 1}:\n{out}{err}"
            found += 1
    assert found >= 1


def test_help_does_not_load_questionary():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom ozgkompass.cli import app\n"
            "assert CliRunner().invoke(app, ['interview', '--help']).exit_code == 0\n"
            "print([m for m in ('questionary', 'prompt_toolkit') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- g and review


def test_state_machine_after_a_jump_goes_on_with_the_first_open_question(tmp_path):
    s = session_for(QN_V1, tmp_path)
    s.start()
    assert s.jump("payment").id == "payment_platform"
    s.set_value("epaybl")
    assert s.advance().id == "payment_methods"       # the area jumped to, to its end
    s.set_value(["karte"])
    assert s.advance().id == "payment_hkr"
    s.set_value("ja")
    assert s.advance().id == "portal_type"           # then the first open question
    s.set_value("land")
    assert s.advance().id == "portal_count"
    s.skip()                                         # portal_findability is next
    s.set_value(3)
    assert s.advance() is None                       # only the skipped one is left
    assert s.open_again().id == "portal_count"       # the review goes on with it
    c = s.counts()
    assert (c.asked, c.answered, c.open, c.unclear, c.na) == (6, 5, 1, 0, 0)
    assert c.sentence() == "5 von 6 zutreffenden Fragen beantwortet (1 offen)"


def test_plain_g_asks_every_question_and_the_review_offers_the_open_ones(workdir):
    lines = [*MASTER,
             "g", "2",        # from the first question to ePayment (area 2)
             "n", "Keine Gebühren", "1", "1",   # payment: na, methods, hkr
             "1", "s", "4",   # back at portal: eigenes, skip the count, findability 4
             "o",             # the review offers the skipped question
             "12", ""]        # answered, then finish
    out = run_plain(workdir, lines, "-q", "mini.yaml", "--kommune", "Gemeinde Test")
    assert out.returncode == 0, out.stderr
    assert "  1) Portal\n  2) ePayment" in out.stdout and "1) portal" not in out.stdout
    asked = re.findall(r"^Frage \d+ von \d+ .*\n(.*)", out.stdout, re.M)
    assert asked == ["Welches Portal?", "Welche Bezahlplattform?", "Welche Zahlarten?",
                     "Zahlungen automatisch im HKR?", "Welches Portal?",
                     "Wie viele Online-Dienste?", "Wie gut auffindbar?",
                     "Wie viele Online-Dienste?"]
    review = out.stdout.split("Überprüfung")[1]
    assert "4 von 5 zutreffenden Fragen beantwortet (1 offen; 1 trifft nicht zu)" \
        in flat(review)
    assert "Portal: 1" in review and "2. Wie viele Online-Dienste? – übersprungen" in review
    assert "o stellt die offenen Fragen jetzt" in flat(review)
    data = answers_of(workdir / "gemeinde-test.answers.yaml")["answers"]
    assert data["portal_count"] == 12 and len(data) == 6
    assert "5 von 5 zutreffenden Fragen beantwortet" in flat(out.stdout)


# --------------------------------------------------------------------------- two windows


def spawn_plain(cwd: Path, *args: str):
    pexpect = pytest.importorskip("pexpect")
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "80", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return pexpect.spawn(sys.executable, ["-m", "ozgkompass", "interview", "--plain", *args],
                         cwd=str(cwd), env=env, encoding="utf-8", timeout=30)


def test_a_second_window_on_the_same_file_is_refused_and_nothing_is_lost(workdir):
    import signal

    first = run_plain(workdir, [*MASTER, "1", "p"], "-q", "mini.yaml", "--kommune",
                      "Gemeinde Test")
    assert first.returncode == 0, first.stderr
    path = workdir / "gemeinde-test.answers.yaml"
    window1 = spawn_plain(workdir, "--answers", path.name, "-q", "mini.yaml")
    window1.expect("Wie viele Online-Dienste")
    # the second window: refused with one German line, the file untouched
    before = path.read_bytes()
    window2 = run_plain(workdir, ["7", "2", "p"], "--answers", path.name, "-q", "mini.yaml")
    assert window2.returncode == 2
    message = flat(window2.stderr)
    assert "gemeinde-test.answers.yaml ist schon in einem anderen Interview geöffnet " \
           f"(Prozess {window1.pid} auf " in message
    assert "Im anderen Fenster weitermachen" in message and "Traceback" not in message
    assert path.read_bytes() == before
    # the first window goes on; its answers are all there
    window1.sendline("12")
    window1.expect("Wie gut auffindbar")
    window1.sendline("p")
    window1.expect(pytest.importorskip("pexpect").EOF)
    assert answers_of(path)["answers"] == {"portal_type": "eigenes", "portal_count": 12}
    assert not (workdir / "gemeinde-test.answers.yaml.lock").exists()
    # a window killed hard leaves its lock behind; the next interview takes it over
    crashed = spawn_plain(workdir, "--answers", path.name, "-q", "mini.yaml")
    crashed.expect("Wie gut auffindbar")
    assert (workdir / "gemeinde-test.answers.yaml.lock").exists()
    crashed.kill(signal.SIGKILL)
    crashed.wait()
    after = run_plain(workdir, ["4", "p"], "--answers", path.name, "-q", "mini.yaml")
    assert after.returncode == 0, after.stderr
    assert f"Die Sperre eines abgebrochenen Interviews (Prozess {crashed.pid}) wurde " \
           "aufgehoben." in flat(after.stdout)
    assert answers_of(path)["answers"]["portal_findability"] == 4


def test_a_lock_of_a_reused_pid_or_from_before_a_reboot_is_stale(tmp_path):
    import json
    import os
    import socket

    from ozgkompass.interview.lock import interview_lock, lock_path

    answers = tmp_path / "a.answers.yaml"
    lock = lock_path(answers)
    host = socket.gethostname()
    # this test's own pid, but another start time: the pid was reused by another process
    lock.write_text(json.dumps({"pid": os.getpid(), "host": host, "started": "1"}), "utf-8")
    notices: list[str] = []
    with interview_lock(answers, notices):
        assert json.loads(lock.read_text("utf-8"))["pid"] == os.getpid()
    assert notices and not lock.exists()
    # a lock of a running process (this one, as itself) is respected
    with interview_lock(answers), pytest.raises(Exception, match="anderen Interview"):
        with interview_lock(answers):
            pass
    # another host's lock cannot be checked: refused, with how to remove it
    lock.write_text(json.dumps({"pid": 1, "host": "anderer-rechner"}), "utf-8")
    with pytest.raises(Exception) as refused:
        with interview_lock(answers):
            pass
    assert "a.answers.yaml.lock" in refused.value.hint and lock.exists()


def test_a_file_changed_on_disk_during_the_interview_is_not_overwritten(tmp_path):
    from ozgkompass.interview.session import ChangedOnDisk

    s = session_for(QN_V1, tmp_path)
    s.start()
    s.set_value("land")
    path = tmp_path / "a.yaml"
    edited = path.read_text(encoding="utf-8") + "# von Hand ergänzt\n"
    path.write_text(edited, encoding="utf-8")
    s.advance()
    with pytest.raises(ChangedOnDisk):
        s.set_value(12)
    assert path.read_text(encoding="utf-8") == edited


def test_answers_file_names_follow_the_report_name_rules(workdir):
    from ozgkompass.reports.naming import report_stem

    assert file_name_for("CON") == "kommune-con.answers.yaml"      # a Windows device name
    assert file_name_for("lpt1") == "kommune-lpt1.answers.yaml"
    athens, tokyo = file_name_for("Αθήνα"), file_name_for("東京都")
    assert athens != tokyo                                          # never the same file
    assert re.fullmatch(r"kommune-[0-9a-f]{8}\.answers\.yaml", athens)
    assert file_name_for("Αθήνα") == athens                         # the same name resumes
    assert file_name_for("Gemeinde Αθήνα") != file_name_for("Gemeinde Σπάρτη")
    for name in ("Stadt Bad Münster/Eifel", "CON", "Αθήνα", "x" * 300):
        assert file_name_for(name) == f"{report_stem(name)}.answers.yaml"
    # in the interview: a second non-Latin municipality gets its own file
    for name in ("Αθήνα", "Σπάρτη"):
        out = run_plain(workdir, ["1", "", "", "", "", "", "", "p"], "-q", "mini.yaml",
                        "--kommune", name)
        assert out.returncode == 0, out.stderr
        assert "Fortsetzung" not in out.stdout
    assert len(list(workdir.glob("kommune-*.answers.yaml"))) == 2


def test_the_interview_counts_questions_as_score_does(tmp_path):
    from ozgkompass.scoring.assessment import assess

    s = session_for(QN_V1, tmp_path)
    s.start()
    s.set_value("land")                                  # portal_type: answered
    s.advance()
    s.set_value(5)                                       # portal_count: answered
    s.advance()
    s.set_unclear("IT-Dienstleister")                    # portal_findability: unclear
    s.advance()
    s.set_na("keine Gebühren")                           # payment_platform: na
    s.advance()
    s.skip()                                             # payment_methods: open
    s.set_value("ja")                                    # payment_hkr: answered
    c = s.counts()
    a = assess(s.qn, s.aset)
    assert (c.answered, c.applicable) == (a.answered, a.applicable) == (3, 5)
    assert (c.asked, c.na, c.unclear, c.open) == (6, 1, 1, 1)
    assert c.sentence() == "3 von 5 zutreffenden Fragen beantwortet (1 offen, 1 unklar; " \
                           "1 trifft nicht zu)"


def test_a_hand_edit_during_the_interview_stops_it_with_a_german_line(workdir):
    pexpect = pytest.importorskip("pexpect")
    run_plain(workdir, [*MASTER, "1", "p"], "-q", "mini.yaml", "--kommune", "Gemeinde Test")
    path = workdir / "gemeinde-test.answers.yaml"
    child = spawn_plain(workdir, "--answers", path.name, "-q", "mini.yaml")
    child.expect("Wie viele Online-Dienste")
    edited = path.read_text(encoding="utf-8").replace("portal_type: eigenes",
                                                      "portal_type: land")
    path.write_text(edited, encoding="utf-8")
    child.sendline("12")
    child.expect(pexpect.EOF)
    child.close()
    text = " ".join(child.before.split())
    assert child.exitstatus == 2 and "Traceback" not in text
    assert "gemeinde-test.answers.yaml wurde außerhalb dieses Interviews geändert" in text
    assert path.read_text(encoding="utf-8") == edited   # the hand edit is kept
    assert not (workdir / "gemeinde-test.answers.yaml.lock").exists()


def test_hints_name_the_console_script_by_its_path_when_it_is_not_on_path(workdir):
    script = Path(sys.executable).parent / "ozgkompass"
    if not script.exists():
        pytest.skip("the console script is not installed next to this Python")
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "80", "NO_COLOR": "1"}
    # as the README runs it, without activating the virtual environment
    relative = os.path.relpath(script, workdir)
    out = subprocess.run([relative, "interview", "-q", "mini.yaml", "--kommune",
                          "Gemeinde Pfad"], input="\n".join([*MASTER, "p"]) + "\n",
                         capture_output=True, text=True, cwd=workdir, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    hint = re.search(r"Fortsetzen mit: (.+)\n", out.stderr)[1]
    assert hint.startswith(str(script.resolve()) + " interview --answers ")
    again = subprocess.run(hint, shell=True, input="p\n", capture_output=True, text=True,
                           cwd=workdir, env=env, timeout=60)
    assert again.returncode == 0 and "Fortsetzung: Gemeinde Pfad" in again.stdout
