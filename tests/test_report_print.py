"""The workbook as LibreOffice prints it: exported to PDF by `soffice --headless`, no line
of text overlaps another (wrapped cells get rows tall enough), every page is A4 landscape.

Needs LibreOffice (`soffice`) and poppler's `pdftotext`; skipped with a reason where one is
missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reports_helpers import TODAY, scored

from ozgkompass.reports import Audience, Format, renderer

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) nicht installiert"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) "
                       "nicht installiert"),
]
_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</line>", re.S)


def lo_pdf(xlsx: bytes, tmp_path: Path) -> Path:
    src = tmp_path / "bericht.xlsx"
    src.write_bytes(xlsx)
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=300)
    return tmp_path / "bericht.pdf"


def overlaps(pdf: Path) -> list[str]:
    """Pairs of text lines on one page whose boxes cross (more than a third of a line)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    found = []
    for n, page in enumerate(out.split("<page ")[1:], 1):
        boxes = [(float(a), float(b), float(c), float(d), re.sub(r"<[^>]+>|\s+", " ", t))
                 for a, b, c, d, t in _LINE.findall(page)]
        for i, (x0, y0, x1, y1, t) in enumerate(boxes):
            for u0, v0, u1, v1, s in boxes[i + 1:]:
                dx = min(x1, u1) - max(x0, u0)
                dy = min(y1, v1) - max(y0, v0)
                if dx > 1 and dy > min(y1 - y0, v1 - v0) / 3:
                    found.append(f"Seite {n}: {t.strip()[:40]!r} / {s.strip()[:40]!r}")
    return found


@pytest.mark.parametrize("example", ["stadt-falkenberg.answers.yaml",
                                     "gemeinde-lindenau.answers.yaml"])
def test_workbook_prints_without_overlapping_text(tmp_path, example):
    pdf = lo_pdf(renderer(Format.XLSX)(scored(example), Audience.FACH, TODAY), tmp_path)
    assert overlaps(pdf) == []
    info = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    sizes = {(round(float(w)), round(float(h)))
             for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', info)}
    assert sizes == {(842, 595)}  # A4 landscape, in points


def test_the_check_sees_overlaps(tmp_path, monkeypatch):
    """Without the row heights LibreOffice prints wrapped text over the next row: the check
    above would fail then."""
    from ozgkompass.reports import xlsx

    monkeypatch.setattr(xlsx, "lines_needed", lambda text, width: 1)
    pdf = lo_pdf(renderer(Format.XLSX)(scored(), Audience.FACH, TODAY), tmp_path)
    assert overlaps(pdf)
