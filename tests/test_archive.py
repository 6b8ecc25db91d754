"""The archive on a real SQLite file: add, list, migrate, rebuild, two writers, peers."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_over_time import V2_EXTRA, answers, questionnaire

from ozgkompass.app.progress import compare
from ozgkompass.archive.db import MIGRATIONS, SCHEMA_VERSION, connect
from ozgkompass.archive.store import (
    add_assessment,
    add_assessments,
    list_assessments,
    peer_rows,
    result_of,
)
from ozgkompass.scoring.assessment import assess

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"


@pytest.fixture
def run(cli, monkeypatch, tmp_path):
    """The CLI (conftest) with the archive in tmp_path and an 80-column terminal."""
    monkeypatch.setenv("OZGKOMPASS_ARCHIVE", str(tmp_path / "archiv.sqlite"))
    monkeypatch.setenv("COLUMNS", "80")
    return cli


def scored(**kw):
    qn = questionnaire(kw.pop("version", "1.0"), kw.pop("extra", ""))
    aset = answers(version=qn.version, **kw)
    return assess(qn, aset), aset


def test_add_and_list_keep_versions_and_results(tmp_path):
    db = tmp_path / "a.sqlite"
    a, aset = scored(pay="partial")
    aid = add_assessment(db, a, aset)
    conn = connect(db)
    [row] = list_assessments(conn)
    assert (row.id, row.municipality, row.land, row.size_class) == (aid, "Rechenhausen", "NI",
                                                                    "GK7")
    assert row.questionnaire == "klein 1.0" and row.model.startswith("reifegrad-1.1")
    assert row.score == pytest.approx(30)
    assert result_of(conn, aid)["areas"][1]["score"] == pytest.approx(40)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_compare_two_archived_assessments_across_questionnaire_versions(tmp_path):
    db = tmp_path / "a.sqlite"
    ids = add_assessments(db, [scored(pay="none", date="2026-01-15"),
                               scored(pay="full", version="2.0", extra=V2_EXTRA,
                                      date="2026-06-30")])
    conn = connect(db)
    p = compare(result_of(conn, ids[0]), result_of(conn, ids[1]))
    assert {c.id: c.kind for c in p.questions} == {"q_pay": "geändert", "q_hkr": "neu"}
    assert p.old["questionnaire"] == "klein 1.0" and p.new["questionnaire"] == "klein 2.0"


def test_migration_from_the_first_schema_version(tmp_path):
    db = tmp_path / "alt.sqlite"
    old = connect(db, upto=1)  # an archive written by the first release
    old.execute(
        "INSERT INTO assessments (municipality, population, questionnaire_id, added_at, "
        "answers_yaml, result) VALUES ('Altdorf', 12000, 'klein', '2026-01-01', '', x'00')")
    old.execute(
        "INSERT INTO assessments (municipality, mtype, population, questionnaire_id, added_at, "
        "answers_yaml, result) VALUES ('Altkreis', 'landkreis', 200000, 'klein', '2026-01-01', "
        "'', x'00'), ('Altverband', 'verband', 9000, 'klein', '2026-01-01', '', x'00')")
    old.close()
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 4
    assert conn.execute("SELECT municipality, mtype, size_class FROM assessments").fetchall() == [
        ("Altdorf", None, "GK6"),  # 10,000–25,000 Einwohner, filled in by migration 2
        ("Altkreis", "landkreis", "LK2"),  # migration 3: the Kreis classes of the KGSt
        ("Altverband", "gemeindeverband", "GK7")]
    # migration 4: the "today" figure, unknown for what was archived before it existed
    assert conn.execute("SELECT share_today_at_target FROM assessments").fetchall() == [
        (None,), (None,), (None,)]


def test_two_processes_adding_at_once(tmp_path):
    db = tmp_path / "a.sqlite"
    connect(db).close()
    script = f"""
import sys
sys.path.insert(0, {str(ROOT / 'tests')!r})
from test_over_time import questionnaire, answers
from ozgkompass.scoring.assessment import assess
from ozgkompass.archive.store import add_assessment
qn = questionnaire()
for i in range(20):
    aset = answers(name=sys.argv[1] + str(i), ars="0399900010" + str(10 + i))
    add_assessment({str(db)!r}, assess(qn, aset), aset)
"""
    procs = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("P", "Q")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    conn = connect(db)
    names = [r.municipality for r in list_assessments(conn)]
    assert len(names) == len(set(names)) == 40
    assert conn.execute("SELECT count(*) FROM area_scores").fetchone()[0] == 80


def test_peers_take_the_latest_of_each_other_municipality_of_land_and_size(tmp_path):
    db = tmp_path / "a.sqlite"
    items = [scored(name=f"Peer {i}", ars=f"0399900020{i:02d}", pay=pay)
             for i, pay in enumerate(["none", "partial", "full"])]
    items.append(scored(name="Peer 0", ars="039990002000", pay="full", date="2026-09-01"))
    items.append(scored(name="Großstadt", ars="039990002099", pop=250_000))  # GK2
    items.append(scored(name="Bayerndorf", ars="091230002000", land="Bayern"))  # BY
    add_assessments(db, items)
    rows = peer_rows(connect(db), "NI", "GK7", "klein", ("039990001001", "Rechenhausen"))
    # Peer 0's later assessment replaces its first; Großstadt and Bayerndorf are no peers
    # full payment, no portal: (1 × 0 + 3 × 100) / 4 = 75; partial: 30
    assert sorted(r.score for r in rows) == pytest.approx([30, 75, 75])
    assert all(set(r.areas) == {"portal", "payment"} for r in rows)


def test_cli_add_list_show_history_remove(run, tmp_path):
    code, out, err = run("archive", "add", str(EXAMPLES / "gemeinde-lindenau.answers.yaml"),
                         str(EXAMPLES / "stadt-falkenberg.answers.yaml"))
    assert code == 0, err
    assert "Abgelegt als Nr. 1: Gemeinde Lindenau" in out
    code, out, _ = run("archive", "add", str(EXAMPLES / "stadt-falkenberg.answers.yaml"))
    assert "Bereits im Archiv als Nr. 2: Stadt Falkenberg" in out  # re-running is harmless
    code, out, _ = run("archive", "list")
    assert "Stadt Falkenberg" in out and "ozg-kommune" in out
    assert out.count("Stadt Falkenberg") == 1
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = run("archive", "show", "2")
    assert code == 0 and "Katalog kommunal" in out and "ozgkompass" in out
    code, out, _ = run("archive", "history", "Lindenau")
    assert code == 0 and "(Nr. 1)" in out
    code, _, err = run("archive", "show", "9")
    assert code == 2 and "keine Bewertung mit der Nummer 9" in err
    code, out, _ = run("archive", "remove", "1")
    assert code == 0
    _, out, _ = run("archive", "list", "--json")
    assert '"Gemeinde Lindenau"' not in out


def test_cli_export_and_rebuild_from_answers_files(run, tmp_path):
    src = tmp_path / "antworten"
    src.mkdir()
    for f in EXAMPLES.glob("*.answers.yaml"):
        shutil.copy(f, src / f.name)
    assert run("archive", "add", str(src / "stadt-falkenberg.answers.yaml"))[0] == 0
    code, out, err = run("archive", "rebuild", str(src))
    assert code == 0, err
    assert "3 Bewertung(en)" in out
    conn = sqlite3.connect(tmp_path / "archiv.sqlite")
    assert conn.execute("SELECT count(*) FROM assessments").fetchone()[0] == 3
    out_dir = tmp_path / "export"
    code, out, err = run("archive", "export", str(out_dir))
    assert code == 0, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert names[0] == "00001-Gemeinde-Lindenau.answers.yaml" and len(names) == 3
    code, _, err = run("archive", "export", str(out_dir))  # never overwrites unasked
    assert code == 2 and "--force" in err
    # what was exported rebuilds the same archive
    code, out, _ = run("archive", "rebuild", str(out_dir))
    assert code == 0 and "3 Bewertung(en)" in out


def test_cli_compare_short_version_for_the_mayor(run, tmp_path):
    later = tmp_path / "lindenau-herbst.answers.yaml"
    text = (EXAMPLES / "gemeinde-lindenau.answers.yaml").read_text(encoding="utf-8")
    later.write_text(text.replace("backoffice_eakte: keine", "backoffice_eakte: teilweise"),
                     encoding="utf-8")
    run("archive", "add", str(EXAMPLES / "gemeinde-lindenau.answers.yaml"))
    code, out, err = run("compare", "1", str(later), "--short")
    assert code == 0, err
    assert "Was hat sich seit dem letzten Gespräch getan?" in out
    assert "Größter Fortschritt: Transport & Fachverfahren/E-Akte" in out
    code, _, err = run("compare", "1", str(EXAMPLES / "stadt-falkenberg.answers.yaml"))
    assert code == 2 and "verschiedenen Kommunen" in err


def test_cli_peers_names_nobody_unless_named(run, tmp_path):
    src = EXAMPLES / "gemeinde-lindenau.answers.yaml"
    text = src.read_text(encoding="utf-8")
    peer = tmp_path / "birkental.answers.yaml"
    peer.write_text(text.replace("Gemeinde Lindenau", "Gemeinde Birkental")
                    .replace("039990005012", "039990005013"), encoding="utf-8")
    run("archive", "add", str(peer))
    code, out, err = run("peers", str(src))
    assert code == 0, err
    assert "mit 1 Kommune(n) in NI, GK7" in out and "Birkental" not in out
    code, out, _ = run("peers", str(src), "--named")
    assert "Birkental" in out


def test_cli_convoy_and_plan_on_the_examples(run, tmp_path):
    code, out, err = run("convoy", *map(str, sorted(EXAMPLES.glob("*.answers.yaml"))),
                         "--json")
    assert code == 0, err
    res = json.loads(out)
    assert sum(len(m["leads"]) for m in res["members"]) == len(res["allocation"])
    assert all(len(m["leads"]) <= m["capacity"] for m in res["members"])
    assert all(a["reason"] and a["member"] for a in res["allocation"])
    assert res["composition"]["form"] is None  # NI, NRW, HE: none of the KDO's forms
    plan = tmp_path / "plan.yaml"
    plan.write_text("phases:\n  - name: bis Q2 2027\n    answers:\n"
                    "      payment_platform: epaybl\n", encoding="utf-8")
    code, out, err = run("plan", str(EXAMPLES / "gemeinde-lindenau.answers.yaml"), str(plan))
    assert code == 0, err
    assert "bis Q2 2027" in out and "Kriterienstufen" in out
    plan.write_text("phases:\n  - name: bis Q2 2027\n    answers:\n"
                    "      payment_platfrom: epaybl\n", encoding="utf-8")
    code, _, err = run("plan", str(EXAMPLES / "gemeinde-lindenau.answers.yaml"), str(plan))
    assert code == 1 and "plan.yaml:4:7" in err and "payment_platform" in err


def test_unreadable_archive_is_a_clear_error(run, tmp_path):
    bad = tmp_path / "kaputt.sqlite"
    bad.write_bytes(b"kein sqlite" * 100)
    code, _, err = run("archive", "list", "--archive", str(bad))
    assert code == 2 and "kann nicht geöffnet werden" in err



def test_cli_convoy_from_the_archive_by_land(run):
    for name in ("gemeinde-lindenau", "landkreis-nordwald", "stadt-falkenberg"):
        assert run("archive", "add", str(EXAMPLES / f"{name}.answers.yaml"))[0] == 0
    code, out, err = run("convoy", "--archive-filter", "Hessen", "--json")
    assert code == 2 and "mindestens zwei Kommunen" in err  # only Nordwald is in Hessen
    code, out, err = run("convoy", "--archive-filter", "Hohenlinde",
                         str(EXAMPLES / "gemeinde-lindenau.answers.yaml"), "--json")
    assert code == 0, err  # Kreis Hohenlinde: Falkenberg, plus Lindenau given as a file
    assert '"Stadt Falkenberg"' in out and '"Gemeinde Lindenau"' in out
    # the start of the Regionalschlüssel: Land (05: NRW) or Kreis (05999, 03999)
    for prefix, expected in (("05999", {"Stadt Falkenberg"}),
                             ("03", {"Gemeinde Lindenau"})):
        code, out, err = run("convoy", "--archive-filter", prefix,
                             str(EXAMPLES / "landkreis-nordwald.answers.yaml"), "--json")
        assert code == 0, err
        names = {m["name"] for m in json.loads(out)["members"]}
        assert names == expected | {"Landkreis Nordwald"}
    code, _, err = run("convoy", "--archive-filter", "03471")
    assert code == 2 and "Keine archivierte Kommune passt auf '03471'" in err


def test_exported_answers_are_the_archived_answers(run, tmp_path):
    from ozgkompass.model.registry import load_answer_set

    src = EXAMPLES / "stadt-falkenberg.answers.yaml"
    run("archive", "add", str(src))
    assert run("archive", "export", str(tmp_path / "out"))[0] == 0
    [exported] = (tmp_path / "out").iterdir()
    before, after = load_answer_set(src), load_answer_set(exported)
    assert {k: (a.value, a.na, a.note, a.unclear) for k, a in before.answers.items()} == {
        k: (a.value, a.na, a.note, a.unclear) for k, a in after.answers.items()}
    assert after.municipality == before.municipality


def test_archive_from_a_newer_ozgkompass_is_refused(tmp_path):
    db = tmp_path / "neu.sqlite"
    connect(db).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    from ozgkompass.errors import UserError

    with pytest.raises(UserError,
                       match=f"Schema-Version {SCHEMA_VERSION + 1}.*ozgkompass aktualisieren"):
        connect(db)


def test_the_archive_and_the_catalogues_share_one_data_folder(tmp_path, monkeypatch):
    from ozgkompass.archive.db import default_path
    from ozgkompass.catalogue.store import catalogues_dir

    monkeypatch.delenv("OZGKOMPASS_ARCHIVE", raising=False)
    monkeypatch.setenv("OZGKOMPASS_DATA_DIR", str(tmp_path / "daten"))
    assert default_path().parent == catalogues_dir().parent == tmp_path / "daten"
    monkeypatch.setenv("OZGKOMPASS_ARCHIVE", str(tmp_path / "eigenes.sqlite"))
    assert default_path() == tmp_path / "eigenes.sqlite"
    assert default_path(tmp_path / "option.sqlite") == tmp_path / "option.sqlite"
