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
from pathlib import Path

import pytest
from reports_helpers import TODAY, scored
from test_report_over_time import (
    FALKENBERG,
    PLAN,
    make_convoy_report,
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


def test_convoy_report_in_chromium(browser, tmp_path):
    page = open_checked(browser, tmp_path, renderer(Format.HTML, Kind.CONVOY)(
        make_convoy_report(), Audience.FACH, TODAY))
    page.close()


def test_report_with_plan_in_chromium(browser, tmp_path):
    from ozgkompass.cli.commands import _projection

    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    projection, _ = _projection(FALKENBERG, plan, None, None, None, "kommunal")
    page = open_checked(browser, tmp_path, renderer(Format.HTML)(
        scored(), Audience.FACH, TODAY, plan=projection))
    assert page.locator("#massnahmen ~ h3").count() == 2
    page.close()


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
