"""The one ranking of next steps (scoring/steps.py): its rules, `score --json`, and the same
first steps in the same order in the terminal, the workbook, the HTML report and the
mayor's briefing."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from reports_helpers import scored

from ozgkompass.scoring.steps import KIND_SERVICES, next_steps

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["stadt-falkenberg.answers.yaml", "gemeinde-lindenau.answers.yaml",
            "landkreis-nordwald.answers.yaml"]


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("example", EXAMPLES)
def test_steps_that_bring_services_to_target_come_first_then_index_gain(example):
    a = scored(example)
    steps = a.next_steps
    assert [s.rank for s in steps] == list(range(1, len(steps) + 1))
    kinds = [s.unlocks_reachable > 0 for s in steps]
    assert kinds == sorted(kinds, reverse=True)  # no service step after an index step
    rest = [s.index_gain for s in steps if not s.unlocks_reachable]
    assert rest == sorted(rest, reverse=True)
    c = a.catalogue
    # the service steps together bring every service to target that raising criteria can:
    # each service is counted once, by the step that completes its need
    unlocked = [oid for s in steps for oid in s.unlocks_reachable_ids]
    assert len(unlocked) == len(set(unlocked))
    below = {s.ozg_id for s in c.services if not s.at_target}
    assert set(unlocked) <= below
    done: set[str] = set()
    for s in steps:
        if s.kind != KIND_SERVICES:
            continue
        done.update(s.criteria)
        for oid in s.unlocks_reachable_ids:
            svc = c.service(oid)
            assert set(svc.bottlenecks) | set(svc.unknown_criteria) <= done
    # no question is behind two steps
    qids = [q for s in steps for q in s.question_ids]
    assert len(qids) == len(set(qids))
    assert all(s.responsible_label in ("Kommune", "IT-Dienstleister", "Land") for s in steps)
    assert all(s.effort in ("gering", "mittel", "hoch") for s in steps)
    # of the services a step unlocks, those online today (said or observed, §6a)
    online = {r.ozg_id for r in c.services if r.today_online}
    assert all(s.unlocks_today == len(set(s.unlocks_reachable_ids) & online) for s in steps)


def test_greedy_order_on_lindenau():
    """Lindenau: evidence alone unlocks 9 services; with payment 10 more; with the business
    account 18 more (the catalogue's levers: 9, 19, 37 together)."""
    a = scored("gemeinde-lindenau.answers.yaml")
    first = [(s.criteria, s.unlocks_reachable) for s in a.next_steps[:3]]
    levers = {tuple(lv.criteria): lv.unlocked
              for lv in [*a.catalogue.levers, *a.catalogue.combinations]}
    total = 0
    for criteria, n in first:
        total += n
        assert len(criteria) == 1
    assert [c for c, _ in first] == [["nachweise"], ["bezahlung"], ["nutzerkonto"]]
    assert levers[("nachweise",)] == first[0][1]
    assert levers[("bezahlung", "nachweise")] == first[0][1] + first[1][1]
    assert levers[("nutzerkonto", "bezahlung", "nachweise")] == total


def test_effort_follows_the_distance_to_the_full_answer():
    a = scored()
    for s in a.next_steps:
        if s.kind == "klärung":
            assert s.effort == "gering"
            continue
        missing = max(100 - a.question(q).score for q in s.question_ids
                      if a.question(q).counted)
        assert s.effort == ("hoch" if missing >= 60 else "mittel" if missing >= 30
                            else "gering")


def test_without_catalogue_only_recommendations():
    a = scored(catalogue=None)
    steps = next_steps(a)
    assert steps and all(s.unlocks_reachable == 0 for s in steps)
    assert [s.text for s in steps] == [r.text for r in a.recommendations]


def test_score_json_carries_next_steps(cli):
    code, out, err = cli("score", str(ROOT / "questionnaires" / "examples"
                                     / "gemeinde-lindenau.answers.yaml"), "--json")
    assert code == 0, err
    data = json.loads(out)["next_steps"]
    a = scored("gemeinde-lindenau.answers.yaml")
    assert [d["text"] for d in data] == [s.text for s in a.next_steps]
    first = data[0]
    assert set(first) >= {"rank", "text", "responsible", "responsible_label", "effort",
                          "time_frame", "unlocks_reachable", "unlocks_today", "index_gain"}
    assert first["unlocks_reachable"] > 0
    assert 0 <= first["unlocks_today"] <= first["unlocks_reachable"]


def _terminal_steps(out: str) -> list[str]:
    """The step texts of `score`'s "Nächste Schritte": each step is a header line (which
    may wrap) and its text indented by four spaces."""
    section = out[out.index("Nächste Schritte ("):].splitlines()[1:]
    texts: list[list[str]] = []
    in_text = False
    for line in section:
        if re.match(r"^\s?\d+\. ", line):
            texts.append([])
            in_text = False
        elif line.startswith("    ") and texts:
            texts[-1].append(line.strip())
            in_text = True
        elif in_text or not line.strip():
            break  # the explanation after the list
    return [words(" ".join(t)).rstrip(" …") for t in texts]


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_output_lists_the_same_first_three_steps(cli, tmp_path, example):
    from test_reports import visible_text

    answers = str(ROOT / "questionnaires" / "examples" / example)
    code, out, err = cli("score", answers)
    assert code == 0, err
    terminal = _terminal_steps(out)
    code, _, err = cli("report", answers, "--out", "r", "--format", "xlsx,html")
    assert code == 0, err
    code, _, err = cli("report", answers, "--out", "r", "--audience", "leitung",
                       "--format", "html")
    assert code == 0, err
    stem = example.removesuffix(".answers.yaml")
    wb = openpyxl.load_workbook(io.BytesIO((tmp_path / "r" / f"{stem}.xlsx").read_bytes()))
    ws = wb["Nächste Schritte"]
    workbook = [words(ws.cell(r, 2).value) for r in range(2, 5)]
    full = (tmp_path / "r" / f"{stem}.html").read_text("utf-8")
    table = full[full.index('<table class="steps">'):]
    report = [words(visible_text(m)) for m in
              re.findall(r'<th scope="row">(.*?)(?: <span class="small">|</th>)', table)[:3]]
    brief = (tmp_path / "r" / f"{stem}-briefing.html").read_text("utf-8")
    briefing = [words(visible_text(m)) for m in re.findall(
        r"<li><strong>(.*?)</strong>", brief[brief.index('<ol class="steps">'):])][:3]
    expected = [words(s.text) for s in scored(example).next_steps[:3]]
    assert workbook == report == briefing == expected
    assert len(terminal) >= 3
    for shown, text in zip(terminal[:3], expected, strict=True):
        assert text.startswith(shown)  # the terminal cuts long texts after three lines
        assert len(shown) > 40
