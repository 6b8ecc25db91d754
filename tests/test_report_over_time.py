"""Report renderings over time and across municipalities: the Fortschrittsbericht
(`compare --format`, with the mayor's short version and the history chart from a real
archive), the Geleitzug report (`convoy --format`) and the plan-driven Maßnahmenplan
(`report --plan`). Workbooks are read back with openpyxl, HTML is parsed."""

from __future__ import annotations

import copy
import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml
from reports_helpers import TODAY, scored
from test_reports import HOSTILE, visible_text

from ozgkompass.app.convoy import convoy
from ozgkompass.app.progress import HistoryPoint, compare
from ozgkompass.reports import Audience, Format, Kind, glossary, renderer
from ozgkompass.reports.context import german_date
from ozgkompass.reports.over_time import ConvoyReport, ProgressReport, question_texts
from ozgkompass.scoring.summary import summarise

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"
FALKENBERG = EXAMPLES / "stadt-falkenberg.answers.yaml"
# the earlier rounds of the example town: no ePayment, evidence only handed in later
ROUNDS = [("2024-03-01", {"payment_platform": "keine", "forms_evidence": "nachreichen"}),
          ("2025-03-01", {"payment_platform": "keine"}),
          ("2026-04-22", {})]
PLAN = """title: Fahrplan 2027
phases:
  - name: bis Q2 2027
    answers:
      backoffice_status: automatisch
      backoffice_decision: postfach
  - name: bis Q4 2027
    answers:
      backoffice_eakte: flaechendeckend
"""


def write_round(folder: Path, date: str, changes: dict, name: str | None = None) -> Path:
    data = yaml.safe_load(FALKENBERG.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["interview"]["date"] = date
    data["answers"].update(changes)
    if name is not None:
        data["municipality"]["name"] = name
    path = folder / f"falkenberg-{date}.answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def write_rounds(folder: Path) -> list[Path]:
    return [write_round(folder, d, c) for d, c in ROUNDS]


def make_progress_report(rounds: list[Path]) -> ProgressReport:
    """First against last round, with the history of all three (as the archive stores it)."""
    results = [summarise(scored(p)) for p in rounds]
    history = [HistoryPoint(i + 1, d, r["score"], r["catalogue"]["share_at_target"])
               for i, ((d, _), r) in enumerate(zip(ROUNDS, results, strict=True))]
    old, new = results[0], results[-1]
    return ProgressReport(compare(old, new), old, new, history, question_texts(new, old))


def make_convoy_report() -> ConvoyReport:
    results = [summarise(scored(n)) for n in ("gemeinde-lindenau.answers.yaml",
                                              "landkreis-nordwald.answers.yaml",
                                              "stadt-falkenberg.answers.yaml")]
    return ConvoyReport(convoy(results), results)


def make_kreis_convoy_report(members: int = 26, seed: int = 27) -> ConvoyReport:
    """A 27-member "Landkreis mit kreisangehörigen Verwaltungen" from the examples' stored
    results: the Landkreis (Nordwald's answers, moved to Lindenau's Kreis) and `members`
    Gemeinden and Samtgemeinden with long names and levels drawn from a fixed seed."""
    import random

    rnd = random.Random(seed)
    kreis = summarise(scored("landkreis-nordwald.answers.yaml"))
    kreis["municipality"].update(name="Landkreis Heidmoor", ars="039990000000",
                                 land="Niedersachsen", population=400_000)
    towns = [summarise(scored(n)) for n in ("gemeinde-lindenau.answers.yaml",
                                            "stadt-falkenberg.answers.yaml")]
    results = [kreis]
    for i in range(members):
        r = copy.deepcopy(towns[i % 2])
        kind = ("Samtgemeinde", "verband") if i % 5 == 0 else ("Gemeinde", "gemeinde")
        r["municipality"].update(name=f"{kind[0]} Moorland-Heidesiedlung {i + 1}",
                                 type=kind[1], ars=f"039990{i + 1:03d}000",
                                 land="Niedersachsen", kreis="Landkreis Heidmoor",
                                 population=2_000 + 700 * i)
        for svc in r["catalogue"]["services"]:
            svc["level"] = rnd.randint(0, svc["target"])
            svc["at_target"] = svc["level"] >= svc["target"]
        r["score"] = float(rnd.randint(10, 92))
        results.append(r)
    return ConvoyReport(convoy(results), results)


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> list[Path]:
    return write_rounds(tmp_path_factory.mktemp("rounds"))


@pytest.fixture(scope="module")
def progress_report(rounds) -> ProgressReport:
    return make_progress_report(rounds)


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def assert_no_formula(wb: openpyxl.Workbook, quoted: bool = True) -> None:
    """No formula cell; with `quoted`, text starting with = also carries Excel's quote
    prefix, so that editing the cell keeps it text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {ws.title}!{cell.coordinate}"
                assert not (quoted and isinstance(cell.value, str) and cell.value.startswith("=")
                            and not cell.quotePrefix), f"{ws.title}!{cell.coordinate}"


def test_every_kind_of_report_has_a_renderer_in_every_format():
    for kind in Kind:
        for fmt in Format:
            assert callable(renderer(fmt, kind))


# ---- Fortschrittsbericht ------------------------------------------------------------------

def test_progress_workbook_states_every_change(progress_report):
    p = progress_report.progress
    wb = workbook(renderer(Format.XLSX, Kind.PROGRESS)(progress_report, Audience.FACH, TODAY))
    assert wb.sheetnames == ["Übersicht", "Bereiche", "Themenfelder", "Kriterien",
                             "Antworten", "Leistungen", "Verlauf", "Methodik"]
    over = {r[0]: r[1:] for r in rows(wb["Übersicht"])}
    assert over["OZG-Reifeindex"][:2] == pytest.approx((p.score.old, p.score.new))
    old_cat, new_cat = progress_report.old["catalogue"], progress_report.new["catalogue"]
    assert over["OZG-Leistungen auf Zielstufe"][:2] == (old_cat["at_target"],
                                                        new_cat["at_target"])
    areas = {r[0]: r[1:3] for r in rows(wb["Bereiche"])[1:]}
    for a in p.areas:
        assert areas[a.title] == pytest.approx((a.old, a.new))
    levels = {r[0]: r[1:] for r in rows(wb["Kriterien"])[1:]}
    before = {c["id"]: c["level"] for c in progress_report.old["criteria"]}
    assert levels == {c["name"]: (before[c["id"]], c["level"])
                      for c in progress_report.new["criteria"]}
    assert any(b != n for b, n in levels.values())  # ePayment moved the payment criterion
    answers = {r[0]: r for r in rows(wb["Antworten"])[1:]}
    assert set(answers) == {q.id for q in p.questions}
    pay = answers["payment_platform"]
    assert pay[3] == "Antwort geändert" and pay[1] != "payment_platform"  # the question's text
    services = rows(wb["Leistungen"])[1:]
    assert {r[1] for r in services if r[0] == "neu auf Zielstufe (erreichbar)"} == {
        oid for oid, _ in p.reached_target}
    assert {r[1] for r in services if r[0] == "neu heute online auf Zielstufe"} == {
        oid for oid, _ in p.online_today}
    assert over["OZG-Leistungen heute online auf Zielstufe"][:2] == (
        old_cat["today_at_target"], new_cat["today_at_target"])
    assert [r[0] for r in rows(wb["Verlauf"])[1:]] == [d for d, _ in ROUNDS]
    method = {r[0]: r[1:] for r in rows(wb["Methodik"])}
    assert "ozg-kommune 1.2.0" in method["Fragebogen"][0]
    assert "ozg-kommune 1.2.0" in method["Fragebogen"][1]
    assert method["OZG-Katalog"][0] and method["Werkzeug"][1].startswith("ozgkompass ")
    assert_no_formula(wb)


def test_progress_html_lists_changes_services_and_both_rounds(progress_report):
    p = progress_report.progress
    html = renderer(Format.HTML, Kind.PROGRESS)(progress_report, Audience.FACH,
                                                TODAY).decode("utf-8")
    text = visible_text(html)
    assert "OZG-Fortschrittsbericht: Stadt Falkenberg" in text
    for a in p.areas:
        assert a.title in text
    assert len(p.reached_target) > 0
    assert (f"Neu mit der heutigen Infrastruktur auf Zielstufe ({len(p.reached_target)})"
            in text)
    assert f"Neu heute online auf Zielstufe ({len(p.online_today)})" in text
    for _, name in p.reached_target:
        assert name in text
    assert "Frühere Bewertung" in text and "Neuere Bewertung" in text
    assert text.count("ozg-kommune 1.2.0") >= 2
    assert "http" not in re.sub(r'xmlns="[^"]+"', "", html)  # nothing fetched


def test_history_chart_is_accessible_and_shows_every_round(progress_report):
    html = renderer(Format.HTML, Kind.PROGRESS)(progress_report, Audience.FACH,
                                                TODAY).decode("utf-8")
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="verlauf-t verlauf-d"' in svg
    assert '<title id="verlauf-t">Verlauf über 3 Bewertungen</title>' in svg
    assert "<desc id=\"verlauf-d\">" in svg
    assert svg.count("<circle") == 1 + 3  # legend + one a round
    table = html[html.index("Verlauf über 3 Bewertungen (Tabelle)"):]
    for h in progress_report.history:
        assert f'<th scope="row">{german_date(h.date)}</th>' in table  # 22.04.2026


def test_no_history_chart_with_two_rounds_or_fewer(progress_report):
    two = ProgressReport(progress_report.progress, progress_report.old, progress_report.new,
                         progress_report.history[:2])
    for aud in Audience:
        html = renderer(Format.HTML, Kind.PROGRESS)(two, aud, TODAY).decode("utf-8")
        assert "<svg" not in html
    wb = workbook(renderer(Format.XLSX, Kind.PROGRESS)(two, Audience.FACH, TODAY))
    assert "Verlauf" not in wb.sheetnames


def test_short_version_for_the_mayor(progress_report):
    p = progress_report.progress
    html = renderer(Format.HTML, Kind.PROGRESS)(progress_report, Audience.LEITUNG,
                                                TODAY).decode("utf-8")
    body, _, gloss = html.partition('<h2 id="glossar">')
    text = visible_text(body)
    assert "Was hat sich seit dem letzten Gespräch getan?" in text
    assert f"{len(p.reached_target)} OZG-Leistungen können seitdem ihre Zielstufe erreichen" in text
    best = max(p.areas, key=lambda a: a.delta or 0)
    assert best.title in text
    # what comes next: the newer round's steps, as in its own briefing
    steps = progress_report.new["next_steps"]
    assert steps and "Was als Nächstes ansteht" in text
    for step in steps:
        assert visible_text(step["what"]) in text and f"Wer: {step['who']}" in text
    terms, jargon = glossary.load()
    for word in [t.term for t in terms] + list(jargon):
        if glossary.mentions(text, word):
            assert f"<dt>{word}</dt>" in gloss, f"{word!r} used but not explained"
    # both rounds' basis, in one line at the end
    basis = visible_text(gloss)
    assert basis.count("ozg-kommune 1.2.0") == 2 and "ozgkompass" in basis


def test_short_version_fits_two_pages(progress_report):
    pytest.importorskip("weasyprint", reason="WeasyPrint (extra 'pdf') nicht installiert")
    from weasyprint import HTML

    html = renderer(Format.HTML, Kind.PROGRESS)(progress_report, Audience.LEITUNG, TODAY)
    assert 1 <= len(HTML(string=html.decode("utf-8")).render().pages) <= 2
    pdf = renderer(Format.PDF, Kind.PROGRESS)(progress_report, Audience.LEITUNG, TODAY)
    assert pdf.startswith(b"%PDF")


def test_questionnaire_version_change_is_listed_by_question_id():
    from test_over_time import V2_EXTRA, answers, questionnaire

    from ozgkompass.scoring.assessment import assess

    old = summarise(assess(questionnaire("1.0"), answers(pay="none")))
    new = summarise(assess(questionnaire("2.0", V2_EXTRA), answers(pay="partial",
                                                                   version="2.0")))
    report = ProgressReport(compare(old, new), old, new)
    text = visible_text(renderer(Format.HTML, Kind.PROGRESS)(report, Audience.FACH,
                                                             TODAY).decode("utf-8"))
    assert "Änderungen des Fragebogens (klein 1.0 → klein 2.0)" in text
    assert "q_hkr" in text and "neu in klein 2.0" in text
    wb = workbook(renderer(Format.XLSX, Kind.PROGRESS)(report, Audience.FACH, TODAY))
    kinds = {r[0]: r[3] for r in rows(wb["Antworten"])[1:]}
    assert kinds == {"q_pay": "Antwort geändert", "q_hkr": "Frage neu in klein 2.0"}


def test_compare_command_writes_reports_with_history_from_the_archive(cli, tmp_path, rounds):
    archive = tmp_path / "a.sqlite"
    code, _, err = cli("archive", "add", *map(str, rounds), "--archive", str(archive))
    assert code == 0, err
    out = tmp_path / "out"
    code, stdout, err = cli("compare", "1", "3", "--archive", str(archive), "--format",
                            "xlsx,html", "--out", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["stadt-falkenberg-fortschritt.html",
                                                     "stadt-falkenberg-fortschritt.xlsx"]
    html = (out / "stadt-falkenberg-fortschritt.html").read_text(encoding="utf-8")
    assert "Verlauf über 3 Bewertungen" in html
    before = html
    code, _, err = cli("compare", "1", "3", "--archive", str(archive), "--format", "html",
                       "--out", str(out))
    assert code == 2 and "existiert bereits" in err and "--force" in err
    assert (out / "stadt-falkenberg-fortschritt.html").read_text(encoding="utf-8") == before
    code, stdout, _ = cli("compare", str(rounds[1]), str(rounds[2]), "--archive",
                          str(archive), "--format", "html", "--short", "--out", str(out))
    assert code == 0 and "stadt-falkenberg-fortschritt-briefing.html" in stdout


def test_compare_without_archive_writes_no_history(cli, tmp_path, rounds):
    code, _, err = cli("compare", str(rounds[0]), str(rounds[2]), "--archive",
                       str(tmp_path / "none.sqlite"), "--format", "html")
    assert code == 0, err
    html = (tmp_path / "reports" / "stadt-falkenberg-fortschritt.html").read_text("utf-8")
    assert "<svg" not in html
    assert not (tmp_path / "none.sqlite").exists()  # reading a report creates no archive


@pytest.mark.parametrize(("args", "message"), [
    (["--audience", "leitung"], "nur zusammen mit --format"),
    (["--format", "html", "--json"], "--json und --format schließen sich aus"),
    (["--format", "docx"], "unbekanntes Format „docx“"),
    (["--format", "html", "--audience", "presse"], "unbekannte Zielgruppe „presse“"),
])
def test_compare_report_usage_errors(cli, tmp_path, rounds, args, message):
    code, _, err = cli("compare", str(rounds[0]), str(rounds[2]), "--out", "r", *args)
    assert code == 2 and message in err
    assert not (tmp_path / "r").exists()


# ---- Geleitzug ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def convoy_report() -> ConvoyReport:
    return make_convoy_report()


def test_convoy_workbook_names_members_and_explains_the_split(convoy_report):
    res = convoy_report.result
    names = [m.name for m in res.members]
    wb = workbook(renderer(Format.XLSX, Kind.CONVOY)(convoy_report, Audience.FACH, TODAY))
    assert wb.sheetnames == ["Mitglieder", "Stärken je Bereich", "Stärken je Themenfeld",
                             "Infrastruktur", "Aufteilung", "Methodik"]
    members = rows(wb["Mitglieder"])
    assert members[0][5] == "Kapazität (Themenfelder)"
    assert [(r[0], r[5], r[8]) for r in members[1:len(names) + 1]] == [
        (m.name, m.capacity, ", ".join(m.leads) or None) for m in res.members]
    assert ("Kapazität", res.capacity_basis) in [r[:2] for r in members]
    assert ("Zusammensetzung", res.composition.label) in [r[:2] for r in members]
    tf = rows(wb["Stärken je Themenfeld"])
    assert list(tf[0]) == ["Themenfeld", *names, "Stärkstes Mitglied"]
    for r, s in zip(tf[1:], res.themenfelder, strict=True):
        assert r[0] == s.title and r[-1] == s.member
        assert list(r[1:-1]) == pytest.approx([res.themenfeld_values[s.id].get(n)
                                               for n in names])
    split = {r[0]: r[1:] for r in rows(wb["Aufteilung"])[1:]}
    assert len(split) == len(res.allocation)
    for a in res.allocation:
        member, strength, co_leads, elsewhere, reason = split[a.themenfeld]
        assert (member, reason) == (a.member, a.reason)
        assert (co_leads or "") == ", ".join(a.co_leads)
        assert all(e.ozg_id in elsewhere for e in a.elsewhere)
        assert strength == pytest.approx(a.strength)
    infra = rows(wb["Infrastruktur"])
    assert list(infra[0]) == ["Kommune", *[i.label for i in res.infrastructure]]
    for r in infra[1:]:
        for cell, i in zip(r[1:], res.infrastructure, strict=True):
            assert cell == ("vorhanden" if r[0] in i.have else "fehlt")
    assert len(rows(wb["Methodik"])) == 1 + len(names) + 1  # + the indicative note
    assert_no_formula(wb)


def test_convoy_html_shows_strengths_and_reasons(convoy_report):
    res = convoy_report.result
    text = visible_text(renderer(Format.HTML, Kind.CONVOY)(convoy_report, Audience.FACH,
                                                           TODAY).decode("utf-8"))
    assert f"OZG-Geleitzug {res.name}" in text
    assert f"{len(res.members)} Kommunen teilen die OZG-Arbeit" in text
    assert "Zusammensetzung: keine der drei Formen" in text  # NI, NRW and HE
    for note in res.notes:
        assert note in text
    for a in res.allocation:
        assert a.reason in text
        for e in a.elsewhere:
            assert f"{e.ozg_id} {e.name}" in text
    for s in res.areas:
        assert s.title.split(" – ")[0] in text
    assert text.count("(stärkstes)") >= len(res.areas) + len(res.themenfelder)
    for m in res.members:
        assert m.name in text


def heidmoor_files(folder: Path) -> list[Path]:
    """Lindenau with its Landkreis Heidmoor (Nordwald's answers, moved to Lindenau's Kreis)
    and a second Gemeinde of the Kreis: a "Landkreis mit kreisangehörigen Verwaltungen"."""
    out = []
    for src, changes in ((EXAMPLES / "gemeinde-lindenau.answers.yaml", {}),
                         (EXAMPLES / "landkreis-nordwald.answers.yaml",
                          {"name": "Landkreis Heidmoor", "ars": "039990000000",
                           "land": "Niedersachsen", "population": 120_000}),
                         (FALKENBERG, {"name": "Stadt Moorburg", "ars": "039990006006",
                                       "land": "Niedersachsen", "kreis": "Landkreis Heidmoor",
                                       "population": 20_000})):
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
        data["municipality"].update(changes)
        path = folder / f"{changes.get('name', 'lindenau').lower().replace(' ', '-')}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        out.append(path)
    return out


def test_convoy_command_writes_reports_named_after_the_group(cli, tmp_path):
    files = [str(p) for p in heidmoor_files(tmp_path)]
    code, stdout, err = cli("convoy", *files, "--format", "xlsx,html", "--out", "g")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == [
        "geleitzug-landkreis-heidmoor.html", "geleitzug-landkreis-heidmoor.xlsx"]
    html = (tmp_path / "g" / "geleitzug-landkreis-heidmoor.html").read_text("utf-8")
    text = visible_text(html)
    assert "OZG-Geleitzug Landkreis Heidmoor" in text
    assert "Zusammensetzung: ein Landkreis mit kreisangehörigen Verwaltungen" in text
    # Lindenau's and Moorburg's inhabitants count at their own administration
    assert "Landkreis Heidmoor: für die Kapazität ohne die 23.200 Einwohner" in text
    code, _, err = cli("convoy", *files, "--format", "xlsx", "--out", "g")
    assert code == 2 and "--force" in err
    code, _, err = cli("convoy", *files, "--format", "html", "--out", "g", "--force",
                       "--name", "Geleitzug Süd/Ost")
    assert code == 0, err
    assert (tmp_path / "g" / "geleitzug-geleitzug-sued-ost.html").exists()


def test_convoy_command_capacity_for_one_member(cli, tmp_path):
    files = [str(p) for p in heidmoor_files(tmp_path)]
    code, out, err = cli("convoy", *files, "--json")
    assert code == 0, err
    import json

    default = {m["name"]: m["capacity"] for m in json.loads(out)["members"]}
    code, out, err = cli("convoy", *files, "--capacity", "Gemeinde Lindenau=3", "--json")
    assert code == 0, err
    res = json.loads(out)
    assert {m["name"]: m["capacity"] for m in res["members"]} == {**default,
                                                                 "Gemeinde Lindenau": 3}
    assert res["capacity_basis"].startswith("angegeben für Gemeinde Lindenau (3); die übrigen")
    code, out, err = cli("convoy", *files, "--capacity", "Gemeinde Lindenau=3")
    assert code == 0, err
    assert "angegeben für Gemeinde Lindenau (3)" in " ".join(out.split())
    for bad, message in (("Gemeinde Lindenau=2.5", "'2.5' ist keine ganze Zahl ab 0"),
                         ("Gemeinde Lindenau", "erwartet NAME=ZAHL"),
                         ("Gemeinde Irgendwo=1", "unbekannte Kommune(n): Gemeinde Irgendwo")):
        code, _, err = cli("convoy", *files, "--capacity", bad)
        assert code == 2 and message in " ".join(err.split()), (bad, err)


def test_hostile_member_names_stay_inert(tmp_path):
    hostile = HOSTILE["script"] + " " + HOSTILE["formula"]
    bad = write_round(tmp_path, "2026-04-22", {}, name=hostile)
    formula = write_round(tmp_path, "2026-04-23", {}, name=HOSTILE["formula"])
    results = [summarise(scored(bad)), summarise(scored(formula)),
               summarise(scored("gemeinde-lindenau.answers.yaml"))]
    for r, ars in zip(results, ("1", "2"), strict=False):
        r["municipality"]["ars"] = ars  # three different municipalities
    report = ConvoyReport(convoy(results), results)
    wb = workbook(renderer(Format.XLSX, Kind.CONVOY)(report, Audience.FACH, TODAY))
    assert_no_formula(wb)
    head = {c.value: c for c in wb["Stärken je Bereich"][1]}
    assert head[HOSTILE["formula"]].data_type == "s" and head[HOSTILE["formula"]].quotePrefix
    html = renderer(Format.HTML, Kind.CONVOY)(report, Audience.FACH, TODAY).decode("utf-8")
    assert "<script>alert" not in html and hostile in visible_text(html)
    old, new = summarise(scored(bad)), summarise(scored(bad))
    for aud in Audience:
        page = renderer(Format.HTML, Kind.PROGRESS)(ProgressReport(compare(old, new), old, new),
                                                    aud, TODAY).decode("utf-8")
        assert "<script>alert" not in page and hostile in visible_text(page)


# ---- plan-driven Maßnahmenplan ------------------------------------------------------------

def test_report_with_plan_follows_the_phases(cli, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    code, _, err = cli("plan", str(FALKENBERG), str(plan), "--json")
    assert code == 0, err
    import json

    projected = json.loads(_)["phases"]
    code, _, err = cli("report", str(FALKENBERG), "--plan", str(plan), "--out", "r")
    assert code == 0, err
    ws = workbook((tmp_path / "r" / "stadt-falkenberg.xlsx").read_bytes())["Maßnahmenplan"]
    table = rows(ws)
    assert table[0][:3] == ("Phase", "Frage", "Zu erreichende Antwort")
    results = [r for r in table[1:] if r[1] == "Ergebnis der Phase (projiziert)"]
    assert [r[0] for r in results] == [ph["name"] for ph in projected[1:]]
    assert [r[5] for r in results] == pytest.approx([ph["score"] for ph in projected[1:]])
    assert [r[7] for r in results] == [ph["at_target"] for ph in projected[1:]]
    a = scored(FALKENBERG)
    planned = [(r[0], r[1]) for r in table[1:] if r[1] != "Ergebnis der Phase (projiziert)"]
    assert planned == [("bis Q2 2027", a.question("backoffice_status").text),
                       ("bis Q2 2027", a.question("backoffice_decision").text),
                       ("bis Q4 2027", a.question("backoffice_eakte").text)]
    html = (tmp_path / "r" / "stadt-falkenberg.html").read_text("utf-8")
    section = visible_text(html[html.index('id="massnahmen"'):html.index('id="rueckfragen"')])
    assert "Nach der Plandatei „Fahrplan 2027“" in section
    assert section.index("1. bis Q2 2027") < section.index("2. bis Q4 2027")
    assert "Bearbeitungsstand" in section  # the question's text, not just its id
    assert "Wirkung (Indexpunkte)" not in section  # not the generic ordering


def test_report_plan_errors_are_located_and_nothing_is_written(cli, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.replace("automatisch", "irgendwann"), encoding="utf-8")
    code, _, err = cli("report", str(FALKENBERG), "--plan", str(plan), "--out", "r")
    assert code == 1
    assert "plan.yaml:5:" in err and "irgendwann" in err
    assert not (tmp_path / "r").exists()
    code, _, err = cli("report", str(FALKENBERG), str(FALKENBERG), "--plan", str(plan))
    assert code == 2 and "genau eine Antwortdatei" in err


def test_briefing_with_plan_shows_the_phases_on_two_pages(tmp_path):
    from ozgkompass.app.assess import project_plan
    from ozgkompass.app.definitions import Choice

    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    projection, _ = project_plan(FALKENBERG, plan, Choice(catalogue="kommunal"))
    a = scored()
    html = renderer(Format.HTML)(a, Audience.LEITUNG, TODAY, plan=projection).decode("utf-8")
    text = visible_text(html)
    assert "Unser Fahrplan: Fahrplan 2027" in text
    assert "Die wichtigsten nächsten Schritte" not in text
    first = projection.phases[1]
    assert first.answers and all(x.recommendation for x in first.answers)
    for x in first.answers:  # the measure to take: today's recommendation for the question
        assert x.recommendation in text
    assert text.index("bis Q2 2027") < text.index("bis Q4 2027")
    pytest.importorskip("weasyprint", reason="WeasyPrint (extra 'pdf') nicht installiert")
    from ozgkompass.reports.pdf import document

    assert 1 <= len(document(a, Audience.LEITUNG, TODAY, projection).pages) <= 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) fehlt")
def test_libreoffice_keeps_hostile_names_as_text(tmp_path):
    """Saved again by LibreOffice Calc, a member named like a formula is still text."""
    formula = write_round(tmp_path, "2026-04-23", {}, name=HOSTILE["formula"])
    results = [summarise(scored(formula)), summarise(scored("gemeinde-lindenau.answers.yaml"))]
    report = ConvoyReport(convoy(results), results)
    src = tmp_path / "in" / "geleitzug.xlsx"
    src.parent.mkdir()
    src.write_bytes(renderer(Format.XLSX, Kind.CONVOY)(report, Audience.FACH, TODAY))
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    wb = openpyxl.load_workbook(out / "geleitzug.xlsx")
    assert_no_formula(wb, quoted=False)  # LibreOffice stores text cells without the prefix
    names = [r[0] for r in rows(wb["Mitglieder"])[1:3]]
    assert names == [m.name for m in report.result.members]
    assert HOSTILE["formula"] in names


def test_short_version_stays_on_two_pages_in_a_bad_case(progress_report):
    """Many areas up and down, many services gained and lost, notes and a long history:
    the lists are cut, so the mayor still gets at most two pages."""
    pytest.importorskip("weasyprint", reason="WeasyPrint (extra 'pdf') nicht installiert")
    from weasyprint import HTML

    old, new = copy.deepcopy(progress_report.old), copy.deepcopy(progress_report.new)
    for i, area in enumerate(new["areas"]):
        area["score"] = 100.0 if i % 2 else 0.0
    for i, s in enumerate(new["catalogue"]["services"]):
        s["at_target"] = bool(i % 2)
    for i, s in enumerate(old["catalogue"]["services"]):
        s["at_target"] = not i % 2
    new["questionnaire"]["version"] = "9.9"
    new["catalogue"]["catalogue"]["version"] = "2099"
    p = compare(old, new)
    assert len(p.reached_target) > 8 and len(p.new_gaps) > 8 and len(p.notes) >= 2
    history = [HistoryPoint(i, f"20{10 + i}-01-01", 5.0 * i, 4.0 * i) for i in range(12)]
    report = ProgressReport(p, old, new, history, progress_report.question_texts)
    html = renderer(Format.HTML, Kind.PROGRESS)(report, Audience.LEITUNG, TODAY)
    assert 1 <= len(HTML(string=html.decode("utf-8")).render().pages) <= 2


def test_changes_are_the_differences_of_the_shown_figures(progress_report):
    """"61 % → 70 %" reads "+9", even when the unrounded figures differ by 8.6."""
    html = renderer(Format.HTML, Kind.PROGRESS)(progress_report, Audience.FACH,
                                                TODAY).decode("utf-8")
    cells = re.findall(r'<td class="num">(\d+) %</td><td class="num">(\d+) %</td>'
                       r'<td class="num">([+−±]\d+)', html)
    assert len(cells) >= len(progress_report.progress.areas)
    for old, new, shown in cells:
        assert int(shown.replace("−", "-").replace("±", "")) == int(new) - int(old)
    wb = workbook(renderer(Format.XLSX, Kind.PROGRESS)(progress_report, Audience.FACH, TODAY))
    for _, old, new, d in rows(wb["Bereiche"])[1:]:  # Excel shows "0 %": half up
        assert d == math.floor(new + 0.5) - math.floor(old + 0.5)
