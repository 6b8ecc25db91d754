"""Reports: registry, file names, Excel structure, HTML golden files, briefing glossary,
hostile text round trips, and the `report` command."""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import yaml
from reports_helpers import TODAY, scored

from ozgkompass.reports import RENDERERS, Audience, Format, glossary, renderer
from ozgkompass.reports.naming import report_stem

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = ROOT / "questionnaires" / "examples" / "stadt-falkenberg.answers.yaml"
# Refresh the golden files after an intended change:
#   OZGKOMPASS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_reports.py
UPDATE = os.environ.get("OZGKOMPASS_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def falkenberg():
    return scored()


def xlsx_of(a) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(renderer(Format.XLSX)(a, Audience.FACH, TODAY)))


def html_of(a, audience=Audience.FACH) -> str:
    return renderer(Format.HTML)(a, audience, TODAY).decode("utf-8")


class _Text(HTMLParser):
    """The text a reader sees (outside <style>), with entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag == "style"

    def handle_endtag(self, tag):
        self._skip -= tag == "style"

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return "".join(p.parts)


def test_every_format_has_a_renderer():
    for fmt in Format:
        assert fmt in RENDERERS
        assert callable(renderer(fmt))


@pytest.mark.parametrize(("name", "stem"), [
    ("Stadt Bad Münster am Stein", "stadt-bad-muenster-am-stein"),
    ("../../etc/passwd", "etc-passwd"),
    ("C:\\Windows\\System32", "c-windows-system32"),
    ("CON", "kommune-con"),
    ("nul", "kommune-nul"),
    ("<script>", "script"),
    ("\u202eevil\u200f", "evil"),
    ("...", "kommune"),
    ("Groß-Gerau " * 30, None),
])
def test_file_names_are_safe(name, stem):
    got = report_stem(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", got)
    assert len(got) <= 80
    if stem is not None:
        assert got == stem


def test_workbook_structure(falkenberg):
    a = falkenberg
    wb = xlsx_of(a)
    assert wb.sheetnames == ["Übersicht", "Bereiche", "Leistungen", "Nicht im Umfang",
                             "Nächste Schritte", "Rückfragen", "Methodik"]
    over = wb["Übersicht"]
    assert len(over._charts) == 1
    # Excel draws a bar chart's first category at the bottom: reversed, the areas read from
    # the top in the order of the sheet and of the HTML report
    assert over._charts[0].x_axis.scaling.orientation == "maxMin"
    rows = {r[0].value: r[1] for r in over.iter_rows(min_row=2) if r[0].value}
    assert rows["OZG-Reifeindex"].value == pytest.approx(a.score)
    assert rows["OZG-Reifeindex"].number_format == '0" %"'
    # the two figures, each under its own name (issue 22)
    assert rows["Mit der heutigen Infrastruktur erreichbar (auf Zielstufe)"].value == \
        pytest.approx(a.catalogue.share_at_target)
    assert rows["Heute online auf Zielstufe"].value == pytest.approx(
        a.catalogue.share_today_at_target)
    for area in a.areas:
        assert rows[area.title].value == pytest.approx(area.score)
    services = wb["Leistungen"]
    assert [c.value for c in services[1]][:4] == ["OZG-ID", "Leistung", "Themenfeld", "Lage"]
    assert services.max_row - 1 == a.catalogue.in_scope
    assert {services.cell(r, 1).value for r in range(2, services.max_row + 1)} == {
        s.ozg_id for s in a.catalogue.services}
    # grouped by Themenfeld, as in the HTML report
    fields = [services.cell(r, 3).value for r in range(2, services.max_row + 1)]
    assert fields == sorted(fields)
    assert services.conditional_formatting
    in_person = [services.cell(r, 15).value for r in range(2, services.max_row + 1)]
    assert sum(v != "nein" for v in in_person) == a.catalogue.in_person
    head = [c.value for c in services[1]]
    today = [services.cell(r, head.index("Heute online auf Zielstufe") + 1).value
             for r in range(2, services.max_row + 1)]
    assert today.count("ja") == a.catalogue.today_at_target
    outside = wb["Nicht im Umfang"]
    assert [outside.cell(r, 1).value for r in range(2, outside.max_row + 1)] == [
        o.ozg_id for o in a.catalogue.out_of_scope]
    steps = wb["Nächste Schritte"]
    assert steps.max_row - 1 == len(a.next_steps)
    assert [c.value for c in steps[1]][-2:] == ["Verantwortlich (Name)", "Termin"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.print_area
        # printed on A4 landscape, one page wide, the header row on every page
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows in ("1:1", "$1:$1")
        # every column that holds a value has a heading
        width = max(len(r) for r in ws.iter_rows(values_only=True))
        assert all(ws.cell(1, col).value for col in range(1, width + 1)), ws.title
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    method = {r[0].value: r[1].value for r in wb["Methodik"].iter_rows(min_row=2)}
    assert a.questionnaire["id"] in method["Fragebogen"]
    assert a.questionnaire["version"] in method["Fragebogen"]
    assert a.model["id"] in method["Reifegradmodell"]
    assert a.catalogue.catalogue["version"] in method["OZG-Katalog"]
    assert a.tool_version in method["Werkzeug"]


def test_workbook_without_catalogue_has_no_service_sheets():
    wb = xlsx_of(scored(catalogue=None))
    assert "Leistungen" not in wb.sheetnames and "Nicht im Umfang" not in wb.sheetnames


@pytest.mark.parametrize("audience", list(Audience))
def test_html_matches_golden_file(falkenberg, audience):
    html = html_of(falkenberg, audience)
    golden = GOLDEN / f"stadt-falkenberg-{audience.value}.html"
    if UPDATE or not golden.exists():
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), (
        "HTML report changed; if intended, refresh with OZGKOMPASS_UPDATE_GOLDEN=1")


@pytest.mark.parametrize("audience", list(Audience))
def test_html_is_self_contained_and_states_its_basis(falkenberg, audience):
    html = html_of(falkenberg, audience)
    assert '<html lang="de">' in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", html)
    text = visible_text(html)
    a = falkenberg
    for needle in (a.municipality.name, a.questionnaire["id"], a.questionnaire["version"],
                   a.model["id"], a.catalogue.catalogue["id"], a.catalogue.catalogue["version"],
                   f"ozgkompass {a.tool_version}", "Richtwerte"):
        assert needle in text
    # every chart is an accessible image with a title and a description
    for svg in re.findall(r"<svg[^>]*>", html):
        assert 'role="img"' in svg and "aria-labelledby" in svg
    assert html.count("<title id=") == html.count("<desc id=") == html.count("<svg")


def test_fach_report_lists_every_service_and_followup(falkenberg):
    text = visible_text(html_of(falkenberg))
    for s in falkenberg.catalogue.services:
        assert s.name in text
    for f in falkenberg.followups:
        assert f.clarify_with in text


@pytest.mark.parametrize("example", ["stadt-falkenberg.answers.yaml",
                                     "gemeinde-lindenau.answers.yaml",
                                     "landkreis-nordwald.answers.yaml", "busy"])
def test_briefing_explains_every_term_it_uses(example, request):
    terms, jargon = glossary.load()
    a = request.getfixturevalue("busy") if example == "busy" else scored(example)
    html = html_of(a, Audience.LEITUNG)
    body, _, gloss = html.partition('<h2 id="glossar">')
    body_text, gloss_text = visible_text(body), visible_text(gloss)
    explained = {t.term for t in terms if f"<dt>{t.term}</dt>" in gloss}
    for t in terms:
        if glossary.mentions(body_text, t.term):
            assert t.term in explained, f"{t.term} is used but not explained"
    for word in jargon:
        if glossary.mentions(body_text, word):
            assert word in explained, f"jargon {word!r} appears unexplained in {example}"
    assert gloss_text.strip()


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "formula": '=HYPERLINK("http://x","y")',
    "plus": "+cmd",
    "at": "@SUM(1)",
    "minus": "-2+3",
    "tabs": "a\tb\nc\r\nd",
    "rtl": "\u202eabc\u200f",
    "long": "Ä" * 10_000,
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["municipality"]["name"] = HOSTILE["script"] + " " + HOSTILE["formula"]
    answered = [k for k, v in data["answers"].items() if not isinstance(v, dict)]
    for (_, text), qid in zip(HOSTILE.items(), answered, strict=False):
        data["answers"][qid] = {"value": data["answers"][qid], "note": text}
    path = tmp_path_factory.mktemp("hostile") / "hostile.answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return scored(path), dict(zip(answered, HOSTILE.values(), strict=False))


def test_hostile_text_stays_text_in_the_workbook(hostile):
    a, notes = hostile
    wb = xlsx_of(a)
    over = wb["Übersicht"]
    assert over["B2"].value == a.municipality.name and over["B2"].data_type == "s"
    ws = wb["Bereiche"]
    by_text = {ws.cell(r, 2).value: ws.cell(r, 6) for r in range(2, ws.max_row + 1)}
    for qid, text in notes.items():
        cell = by_text[a.question(qid).text]
        assert cell.data_type == "s"
        # Excel shows a leading =, +, - or @ as text and keeps it text when edited
        assert cell.quotePrefix == (text[0] in "=+-@")
        # the file format stores \r\n as \n; everything else comes back exactly
        assert cell.value == text.replace("\r\n", "\n") or cell.value == text


def test_hostile_text_is_escaped_in_html(hostile):
    a, notes = hostile
    for audience in Audience:
        html = html_of(a, audience)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert a.municipality.name in visible_text(html)
    text = visible_text(html_of(a))
    for note in notes.values():
        assert note.replace("\r\n", "\n") in text.replace("\r\n", "\n")


def test_report_command_writes_and_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, _ = cli("report", str(EXAMPLE), "--out", str(out))
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["stadt-falkenberg.html", "stadt-falkenberg.xlsx"]
    before = (out / "stadt-falkenberg.html").read_bytes()
    code, _, stderr = cli("report", str(EXAMPLE), "--out", str(out), "--format", "html")
    assert code == 2
    assert "existiert bereits" in stderr and "--force" in stderr
    assert (out / "stadt-falkenberg.html").read_bytes() == before
    code, _, _ = cli("report", str(EXAMPLE), "--out", str(out), "--format", "html", "--force")
    assert code == 0
    code, stdout, _ = cli("report", str(EXAMPLE), "--out", str(out), "--audience", "leitung",
                          "--format", "html")
    assert code == 0 and "stadt-falkenberg-briefing.html" in stdout


def test_report_then_briefing_as_the_readme_shows(cli, tmp_path):
    """`report X` then `report X --audience leitung`: the briefing only (HTML, and PDF
    when WeasyPrint is installed), under names of its own; the full report stays."""
    code, _, err = cli("report", str(EXAMPLE), "--out", "r")
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in (tmp_path / "r").iterdir()}
    code, stdout, err = cli("report", str(EXAMPLE), "--out", "r", "--audience", "leitung")
    assert code == 0, err
    try:
        import weasyprint  # noqa: F401
        pdf = ["stadt-falkenberg-briefing.pdf"]
    except (ImportError, OSError):
        pdf = []
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == sorted(
        [*before, "stadt-falkenberg-briefing.html", *pdf])
    assert all((tmp_path / "r" / n).read_bytes() == b for n, b in before.items())
    # again: refused, and the hint names the option that exists
    code, _, err = cli("report", str(EXAMPLE), "--out", "r", "--audience", "leitung")
    assert code == 2 and "--out" in err and "--output" not in err
    # the briefing is no workbook: never the full workbook under its name
    code, _, err = cli("report", str(EXAMPLE), "--out", "x", "--audience", "leitung",
                       "--format", "xlsx")
    assert code == 2 and "nicht als Excel" in err and not (tmp_path / "x").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "docx"], "unbekanntes Format „docx“"),
    (["--audience", "presse"], "unbekannte Zielgruppe „presse“"),
])
def test_report_command_usage_errors(cli, tmp_path, args, message):
    code, _, stderr = cli("report", str(EXAMPLE), "--out", str(tmp_path), *args)
    assert code == 2
    assert message in stderr
    assert list(tmp_path.iterdir()) == []


def test_pdf_without_weasyprint_is_a_usage_error(cli, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if not installed
    code, _, stderr = cli("report", str(EXAMPLE), "--out", str(tmp_path), "--format", "pdf")
    assert code == 2
    assert "ozgkompass[pdf]" in stderr and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


LONG_NAME = ("Verbandsgemeinde Sankt Johannes-Lichtenberg-Oberwiesenthal an der Mittleren "
             "Wupper und Umgebung")


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    """The hardest briefing to fit: a long name, a dozen open points (each „klären mit“ a
    named person) and long notes on every answer."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["municipality"]["name"] = LONG_NAME
    answered = [k for k, v in data["answers"].items() if v is not None]
    for i, qid in enumerate(answered[:14]):
        data["answers"][qid] = {"unclear": f"Hauptamt, Frau Dr. Müller-Lüdenscheidt ({i + 1})",
                                "note": "Lange Notiz. " * 40}
    for qid in answered[14:]:
        value = data["answers"][qid]
        value = value.get("value") if isinstance(value, dict) else value
        data["answers"][qid] = {"value": value, "note": "Sehr lange Anmerkung. " * 30}
    path = tmp_path_factory.mktemp("busy") / "busy.answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    a = scored(path)
    assert len(a.followups) >= 12  # some questions hide when their condition is open
    return a


EXAMPLES = ["stadt-falkenberg.answers.yaml", "gemeinde-lindenau.answers.yaml",
            "landkreis-nordwald.answers.yaml"]


@pytest.mark.parametrize("example", [*EXAMPLES, "busy"])
def test_briefing_pdf_has_at_most_two_pages(example, request):
    """The real PDF engine; what does not fit is left out in favour of „weitere n im
    ausführlichen Bericht“, and the provenance with the questionnaire's hash is in the
    footer of every page."""
    pytest.importorskip("weasyprint", reason="WeasyPrint (extra 'pdf') nicht installiert")
    from ozgkompass.reports.pdf import document

    a = request.getfixturevalue("busy") if example == "busy" else scored(example)
    assert renderer(Format.PDF)(a, Audience.LEITUNG, TODAY).startswith(b"%PDF")
    doc = document(a, Audience.LEITUNG, TODAY)
    assert 1 <= len(doc.pages) <= 2
    text = _pdf_pages_text(doc.write_pdf())
    for page in text:
        assert a.questionnaire["hash"].split(":")[1][:20] in page.replace("\n", "")
    whole = "".join(text)
    steps = a.next_steps
    assert f"Weitere {len(steps) - 3} Schritte im ausführlichen Bericht" in whole.replace(
        "\n", " ")
    if example == "busy":
        assert LONG_NAME.split()[0] in whole
        assert re.search(r"Weitere \d+ im ausführlichen Bericht", whole.replace("\n", " "))


@pytest.mark.parametrize("example", ["stadt-falkenberg.answers.yaml",
                                     "landkreis-nordwald.answers.yaml"])
def test_full_pdf_stays_printable(example):
    """54 and 57 services: the full report in at most 15 A4 pages, the services grouped by
    Themenfeld."""
    pytest.importorskip("weasyprint", reason="WeasyPrint (extra 'pdf') nicht installiert")
    from ozgkompass.reports.pdf import document

    a = scored(example)
    assert len(document(a, Audience.FACH, TODAY).pages) <= 15
    html = html_of(a)
    groups = re.findall(r'<tr class="group"><th scope="rowgroup" colspan="\d+">(.*?) \((\d+)\)',
                        html)
    assert [g.replace("&amp;", "&") for g, _ in groups] == sorted(
        {s.themenfeld for s in a.catalogue.services})
    assert sum(int(n) for _, n in groups) == a.catalogue.in_scope
    assert "overflow-wrap: anywhere" not in html


def _pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext from poppler, which the suite's PDF checks use)."""
    import shutil
    import subprocess
    import tempfile

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) nicht installiert")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                             capture_output=True, text=True).stdout
    return [p for p in out.split("\f") if p.strip()]


@pytest.mark.parametrize("example", [*EXAMPLES, "busy"])
def test_briefing_tells_the_truth(example, request):
    """Audit 2026-12, findings 13-19: no duty the law does not make, "erreichbar" for what
    the infrastructure allows, the model notice, and the terms explained."""
    a = request.getfixturevalue("busy") if example == "busy" else scored(example)
    text = " ".join(visible_text(html_of(a, Audience.LEITUNG)).split())
    for wrong in ("ohne Medienbruch bearbeitet", "Dauerauftrag", "Neufassung",
                  "nach dem OZG erreichen", "erreichen ihre Zielstufe", "andere Kommunen "
                  "übernehmen", "über das Behörden Nachweise untereinander austauschen (",
                  "--", "municipality.", "ausgeblendet", "(klären mit"):
        assert wrong not in text, wrong
    assert "Reifegradmodell 1.1 wurde im Juli 2025 durch Version 2.0 abgelöst" in text
    assert "nur für Leistungen des Bundes" in text
    c = a.catalogue
    assert (f"{c.at_target} von {c.in_scope} OZG-Leistungen mit der heutigen Infrastruktur "
            "auf Zielstufe erreichbar") in text
    # and, never mixed with it, what citizens can use online today (docs/scoring.md §6a)
    assert f"{c.today_at_target} von {c.in_scope} OZG-Leistungen heute online auf Zielstufe" \
        in text
    assert "noch im Aufbau" in text or "NOOTS" not in text.split("Begriffe")[0]


def test_briefing_names_contacts_and_costs_only_from_the_answers(falkenberg):
    text = " ".join(visible_text(html_of(falkenberg, Audience.LEITUNG)).split())
    m = falkenberg.municipality
    assert f"{m.kreis}:" in text and f"Land {m.land}:" in text
    assert falkenberg.interview.interviewer in text
    assert "rund 1.450.000 Euro (Angabe der Kommune in der Erhebung vom 22.04.2026)" in text
    # without cost answers: no figure, and no invented one
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for qid in ("governance_budget", "governance_budget_amount", "cooperation_efa_costs"):
        data["answers"].pop(qid, None)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ohne-kosten.answers.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        text = " ".join(visible_text(html_of(scored(path), Audience.LEITUNG)).split())
    assert "Die Erhebung enthält keine Angaben zu Kosten" in text
    assert "Euro" not in text


def test_every_jargon_word_has_one_plain_explanation():
    terms, jargon = glossary.load()
    names = [t.term for t in terms]
    assert len(names) == len(set(names))  # explained once
    for t in terms:
        assert t.explanation.endswith(".") and t.explanation[0].isupper() or \
            t.explanation.startswith("„"), t.term
    explained = set(names)
    # words on the jargon list without an explanation must never appear in a briefing;
    # the briefings below prove it for the examples
    assert {"E-Payment", "LeiKa", "XBau", "XMeld", "eIDAS"} == set(jargon) - explained


def test_briefing_says_what_the_it_provider_already_covers(falkenberg):
    from ozgkompass.scoring.assessment import covered_by

    covered = covered_by(falkenberg, "it_dienstleister")
    assert covered  # the example's provider runs BundID, forms server, backups
    text = visible_text(html_of(falkenberg, Audience.LEITUNG))
    assert f"Bei {len(covered)} Punkten, für die der IT-Dienstleister zuständig ist" in text


def test_reports_get_the_usual_file_permissions(tmp_path):
    import stat

    from ozgkompass.reports import write_reports

    old = os.umask(0o022)
    try:
        (path,) = write_reports(scored(), [Format.HTML], Audience.FACH, tmp_path, inputs=[])
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by colleagues, not 0600


def test_briefing_compares_with_peers_only_when_the_archive_has_three(cli, tmp_path):
    """Peers: same type, Land and size class, at least three in the archive; otherwise no
    comparison (and none invented)."""
    lindenau = ROOT / "questionnaires" / "examples" / "gemeinde-lindenau.answers.yaml"
    data = yaml.safe_load(lindenau.read_text(encoding="utf-8"))
    archive = tmp_path / "archiv.sqlite"

    def peer(i: int, mtype: str = "mitgliedsgemeinde") -> str:
        d = yaml.safe_load(yaml.safe_dump(data))
        d["municipality"].update(name=f"Gemeinde Nachbar {i}", ars=f"03999000{i:04d}",
                                 type=mtype)
        path = tmp_path / f"nachbar-{i}.answers.yaml"
        path.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
        return str(path)

    def briefing() -> str:
        code, _, err = cli("report", str(lindenau), "--audience", "leitung", "--format",
                           "html", "--out", "r", "--archive", str(archive), "--force")
        assert code == 0, err
        return " ".join(visible_text(
            (tmp_path / "r" / "gemeinde-lindenau-briefing.html").read_text("utf-8")).split())

    assert "Zum Vergleich" not in briefing()  # no archive at all: not created either
    assert not archive.exists()
    code, _, err = cli("archive", "add", peer(1), peer(2), peer(3, "stadt"),
                       "--archive", str(archive))
    assert code == 0, err
    assert "Zum Vergleich" not in briefing()  # two of the same type
    code, _, err = cli("archive", "add", peer(4), "--archive", str(archive))
    assert code == 0, err
    text = briefing()
    assert "Zum Vergleich: 3 andere Kommunen derselben Art (Mitgliedsgemeinde) und Größe" in text
    assert not re.search(r"Nachbar \d", text)  # peers are never named in the briefing


@pytest.mark.parametrize("example", EXAMPLES)
def test_documents_for_the_municipality_carry_no_tool_text(example):
    """No command-line option, no internal id of a question, area or criterion, no row for
    a question that was not asked: in the HTML report, the briefing and the workbook."""
    a = scored(example)
    ids = {q.id for ar in a.areas for q in ar.questions} | {ar.id for ar in a.areas} | {
        c.id for c in a.criteria}
    hidden = [q.text for ar in a.areas for q in ar.questions if q.status == "ausgeblendet"]
    wb = xlsx_of(a)
    texts = {"fach": visible_text(html_of(a)), "leitung": visible_text(html_of(
        a, Audience.LEITUNG)), "xlsx": "\n".join(str(c.value) for ws in wb for row in
                                                 ws.iter_rows() for c in row if c.value)}
    for where, text in texts.items():
        assert not re.search(r"(?<!\w)--[a-z]", text), where
        assert "municipality." not in text and "docs/" not in text, where
        assert not [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
        assert "ausgeblendet" not in text, where
        assert not [h for h in hidden if h in text], where


def test_a_slow_rendering_says_what_it_does(monkeypatch):
    """After the delay a spinner with the text appears on a terminal; a quick run and a
    pipe show nothing."""
    import time

    from rich.console import Console

    from ozgkompass.cli.report import slow_notice

    def run(terminal: bool, seconds: float) -> str:
        out = io.StringIO()
        con = Console(file=out, force_terminal=terminal, width=80)
        with slow_notice(con, "Der PDF-Bericht wird gesetzt …", after=0.05):
            time.sleep(seconds)
        return out.getvalue()

    assert "Der PDF-Bericht wird gesetzt" in run(True, 0.5)
    assert run(True, 0.0) == ""
    assert run(False, 0.5) == ""
