"""`--archive` on interview, import and batch: each adds what it scored to a real SQLite
archive, the figures are the ones `score` computes, and running again adds nothing twice."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from test_interview import MASTER as INTERVIEW_MASTER  # noqa: E402
from test_interview import QN_V1, run_plain  # noqa: E402
from workbooks import MASTER, choose, fill  # noqa: E402

from ozgkompass.archive.store import list_assessments  # noqa: E402
from ozgkompass.model.registry import find_questionnaire  # noqa: E402
from ozgkompass.sources import template as T  # noqa: E402


def archived(db: Path) -> list:
    conn = sqlite3.connect(db)
    try:
        return list_assessments(conn)
    finally:
        conn.close()


def score_json(cli, path: Path) -> dict:
    code, out, err = cli("score", str(path), "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def qn():
    return find_questionnaire("ozg-kommune")


def test_import_archive_adds_the_scored_file_once(cli, tmp_path, qn):
    filled = tmp_path / "musterau.xlsx"
    filled.write_bytes(fill(T.build_template(qn), qn, MASTER, choose(qn, random.Random(3))))
    db = tmp_path / "archiv.sqlite"
    code, out, err = cli("import", str(filled), "--archive-file", str(db))
    assert code == 0, err
    assert "Im Archiv abgelegt als Nr. 1" in " ".join(out.split())
    rows = archived(db)
    assert [r.municipality for r in rows] == ["Gemeinde Musterau"]
    scored = score_json(cli, tmp_path / "musterau.answers.yaml")
    assert rows[0].score == pytest.approx(scored["score"])
    assert rows[0].share_at_target == pytest.approx(scored["catalogue"]["share_at_target"])
    # the same answers again: the archive keeps one entry
    code, out, _ = cli("import", str(filled), "--force", "--archive", "--archive-file",
                       str(db))
    assert code == 0 and "Nr. 1" in out
    assert len(archived(db)) == 1


def test_import_without_archive_leaves_the_archive_alone(cli, tmp_path, qn, monkeypatch):
    filled = tmp_path / "musterau.xlsx"
    filled.write_bytes(fill(T.build_template(qn), qn, MASTER, choose(qn, random.Random(4))))
    db = tmp_path / "archiv.sqlite"
    monkeypatch.setenv("OZGKOMPASS_ARCHIVE", str(db))  # where an unasked add would go
    assert cli("import", str(filled))[0] == 0
    assert not db.exists()


def test_batch_archive_adds_every_scored_municipality_once(cli, tmp_path):
    from generate_workbooks import generate

    folder = tmp_path / "eingang"
    generate(folder, 30, variants=3)  # a few of them defective
    db = tmp_path / "archiv.sqlite"
    out = tmp_path / "aus"
    code, stdout, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "2",
                          "--archive-file", str(db))
    overview = json.loads((out / "uebersicht.json").read_text(encoding="utf-8"))
    ok = [m for m in overview["municipalities"] if m["status"] == "ok"]
    assert ok and len(ok) < len(overview["municipalities"])  # the defective ones are not
    rows = archived(db)
    assert sorted(r.municipality for r in rows) == sorted(m["name"] for m in ok)
    by_name = {r.municipality: r for r in rows}
    for m in ok:
        assert round(by_name[m["name"]].score, 1) == m["index"]
        assert round(by_name[m["name"]].share_at_target, 1) == m["share_at_target"]
        assert by_name[m["name"]].answers_file.endswith(f"{m['file']}.answers.yaml")
    assert f"Im Archiv: {len(ok)} Bewertung(en)" in " ".join(stdout.split())
    # resumed: nothing is scored again, nothing is archived twice
    code, stdout, _ = cli("batch", str(folder), "--out", str(out), "--jobs", "2", "--resume",
                          "--archive", "--archive-file", str(db))
    assert len(archived(db)) == len(ok)


def test_interview_archive_adds_the_finished_interview(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mini.yaml").write_text(QN_V1, encoding="utf-8")
    db = tmp_path / "archiv.sqlite"
    paused = run_plain(tmp_path, [*INTERVIEW_MASTER, "1", "5", "p"], "-q", "mini.yaml",
                       "--kommune", "Gemeinde Test", "--archive-file", str(db))
    assert paused.returncode == 0, paused.stderr
    assert "wenn das Interview abgeschlossen ist" in paused.stderr
    assert not db.exists()
    done = run_plain(tmp_path, ["3", "1", "1,2", "1", ""], "--answers",
                     "gemeinde-test.answers.yaml", "-q", "mini.yaml", "--archive",
                     "--archive-file", str(db))
    assert done.returncode == 0, done.stderr
    assert "Im Archiv abgelegt als Nr. 1" in " ".join(done.stdout.split())
    rows = archived(db)
    assert [(r.municipality, r.questionnaire) for r in rows] == [
        ("Gemeinde Test", "mini 1.0.0")]
    assert rows[0].answers_file.endswith("gemeinde-test.answers.yaml")
