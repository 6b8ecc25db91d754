"""The HTML reports in a real headless Chromium: no console error, no network request,
the briefing prints on at most two A4 pages, and axe-core finds no serious or critical
accessibility violation (WCAG 2.1 AA rules).

Needs Debian's `chromium`, playwright-python (test extra; its own browser download is never
used) and axe-core from npm (.ci/run installs it into .cache/axe). Skipped with a reason
when one of them is absent on a developer's machine.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from reports_helpers import TODAY, scored
from test_report_over_time import (
    FALKENBERG,
    PLAN,
    make_convoy_report,
    make_kreis_convoy_report,
    make_progress_report,
    write_rounds,
)

from ozgkompass.reports import Audience, Format, Kind, renderer

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("OZGKOMPASS_CHROMIUM") or shutil.which("chromium") or ""
AXE = Path(os.environ.get("OZGKOMPASS_AXE_JS")
           or ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright nicht installiert")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM, reason="Debian-Paket chromium nicht installiert"),
    pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core fehlt ({AXE})"),
]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_checked(browser, tmp_path, html: bytes):
    """The page loaded from a file: no console error, no request but the file itself, and
    no serious or critical axe-core violation."""
    page_file = tmp_path / "report.html"
    page_file.write_bytes(html)
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("networkidle")
    assert errors == []
    assert requests == [page_file.as_uri()]  # the file itself and nothing else

    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    bad = [f"{v['id']} ({v['impact']}): {v['help']}" for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == []
    return page


def printed_pages(page) -> int:
    pdf = page.pdf(format="A4", print_background=True)
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.parametrize("audience", list(Audience))
def test_report_in_chromium(browser, tmp_path, audience):
    page = open_checked(browser, tmp_path, renderer(Format.HTML)(scored(), audience, TODAY))
    if audience is Audience.LEITUNG:
        pages = printed_pages(page)
        assert 1 <= pages <= 2, f"briefing prints on {pages} A4 pages"
    page.close()


@pytest.mark.parametrize("audience", list(Audience))
def test_progress_report_in_chromium(browser, tmp_path, audience):
    report = make_progress_report(write_rounds(tmp_path))
    page = open_checked(browser, tmp_path, renderer(Format.HTML, Kind.PROGRESS)(
        report, audience, TODAY))
    assert page.locator("svg[role=img]").count() == 1  # the history chart
    if audience is Audience.LEITUNG:
        pages = printed_pages(page)
        assert 1 <= pages <= 2, f"short version prints on {pages} A4 pages"
    page.close()


# Every word in a table cell broken over two lines (a break after a hyphen is a word
# boundary), every cell whose content sticks out, and every table reaching beyond the page:
# read from the browser's own layout (Range rectangles), not estimated.
NARROW_CELLS = r"""() => {
  const bad = [];
  const page = document.documentElement.clientWidth;
  for (const table of document.querySelectorAll('table')) {
    const box = table.getBoundingClientRect();
    if (box.right > page + 0.5) bad.push(`table ${box.width}px wider than the page ${page}px`);
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.scrollWidth > cell.clientWidth + 1) bad.push(`overflow: ${cell.innerText}`);
      const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        for (const m of node.data.matchAll(/[^\s-]+-?/gu)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          if (tops.size > 1) bad.push(`"${m[0]}" broken in a column ${cell.clientWidth}px wide`);
        }
      }
    }
  }
  return bad;
}"""
A4_LANDSCAPE = {"width": 1032, "height": 730}  # 297 × 210 mm less 12 mm margins, in CSS px


@pytest.mark.parametrize("members", ["drei Beispiele", "27 Mitglieder"])
def test_convoy_report_in_chromium(browser, tmp_path, members):
    report = make_convoy_report() if members == "drei Beispiele" else make_kreis_convoy_report()
    page = open_checked(browser, tmp_path, renderer(Format.HTML, Kind.CONVOY)(
        report, Audience.FACH, TODAY))
    assert page.evaluate(NARROW_CELLS) == []  # on screen
    page.set_viewport_size(A4_LANDSCAPE)
    page.emulate_media(media="print")
    assert page.evaluate(NARROW_CELLS) == []  # and on the printed page
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert sizes and all(float(w) > float(h) for w, h in sizes)  # A4 landscape
    page.close()


def test_report_with_plan_in_chromium(browser, tmp_path):
    from ozgkompass.app.assess import project_plan
    from ozgkompass.app.definitions import Choice

    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    projection, _ = project_plan(FALKENBERG, plan, Choice(catalogue="kommunal"))
    page = open_checked(browser, tmp_path, renderer(Format.HTML)(
        scored(), Audience.FACH, TODAY, plan=projection))
    assert page.locator("#massnahmen ~ h3").count() == 2
    page.close()


def test_report_with_the_dashboard_section_in_chromium(browser, tmp_path):
    """The section of observed data (tests/data/ddv: recorded rows) passes the same checks."""
    import json

    from ozgkompass.model.catalogue import builtin_catalogue
    from ozgkompass.model.registry import load_answer_set
    from ozgkompass.observed.compare import compare
    from ozgkompass.observed.ddv import parse_records
    from ozgkompass.observed.model import Observation

    rows, _ = parse_records(json.loads((ROOT / "tests" / "data" / "ddv" / "059990044044.json")
                                       .read_text(encoding="utf-8")), source_file="Test")
    obs = Observation("059990044044", "Falkenberg", "Dashboard Digitale Verwaltung, Test",
                      "2026-11-30T08:00:00+00:00", tuple(rows))
    a = scored()
    aset = load_answer_set(FALKENBERG)
    a = replace(a, observed=compare(obs, builtin_catalogue(), aset.municipality, aset,
                                    today=TODAY))
    page = open_checked(browser, tmp_path, renderer(Format.HTML)(a, Audience.FACH, TODAY))
    assert page.locator("#beobachtet-widersprueche + table tbody tr").count() == 2


def test_full_report_never_splits_an_id_in_print(browser, tmp_path):
    """Printed at A4 width, every OZG-ID stays on one line and no table cell may break a
    word at any letter (words break at hyphenation points of lang="de" only)."""
    page = open_checked(browser, tmp_path, renderer(Format.HTML)(scored(), Audience.FACH,
                                                                  TODAY))
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 680, "height": 1000})  # A4 minus margins, at 96 dpi
    found = page.evaluate("""() => {
        const ids = [...document.querySelectorAll('td.id')];
        const split = ids.filter(td => {
            const r = document.createRange(); r.selectNodeContents(td);
            return r.getClientRects().length > 1; }).map(td => td.textContent);
        const anywhere = [...document.querySelectorAll('td, th')].filter(
            c => getComputedStyle(c).overflowWrap === 'anywhere').length;
        const hyphens = [...document.querySelectorAll('table.services th[scope=row]')].every(
            c => getComputedStyle(c).hyphens === 'auto');
        return {ids: ids.length, split, anywhere, hyphens, lang: document.documentElement.lang};
    }""")
    assert found["ids"] >= scored().catalogue.in_scope
    assert found["split"] == [] and found["anywhere"] == 0
    assert found["hyphens"] and found["lang"] == "de"
    page.close()
