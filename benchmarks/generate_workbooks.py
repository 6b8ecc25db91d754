"""Generate N realistic filled workbooks from the template: varied answers (some open, some
„weiß nicht“, some „trifft nicht zu“), unique names and ARS, and about 2 % defects (a value
typed by hand, a truncated file, a lock file).

A few dozen variants are filled with openpyxl (as a user's program would write them); the
N files are copies of them with name and ARS replaced in the sheet XML, so 10,000 files
take seconds, not an hour. Each copy also gets answers of its own: every chosen answer of
a question that no condition depends on is drawn again with probability one half, in the
sheet XML, so no two municipalities answer alike (a batch that remembered whole answer
sets would look faster here than with real returns).

Run: python benchmarks/generate_workbooks.py DIR [--files 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from workbooks import MASTER, choose, fill  # noqa: E402

from ozgkompass.model.questionnaire import QType, Questionnaire  # noqa: E402
from ozgkompass.model.registry import find_questionnaire  # noqa: E402
from ozgkompass.sources import template as T  # noqa: E402
from ozgkompass.sources.template import build_template  # noqa: E402

NAME_MARK, ARS_MARK = "Kommune-XXXXXX", "999999999999"
VARIANTS = 40
TYPES = ("gemeinde", "stadt", "kreisfreie_stadt", "landkreis")


def _variants(seed: int, count: int = VARIANTS) -> list[bytes]:
    qn = find_questionnaire("ozg-kommune")
    template = build_template(qn)
    rng = random.Random(seed)
    out = []
    for i in range(count):
        master = {**MASTER, "name": NAME_MARK, "ars": ARS_MARK, "type": TYPES[i % len(TYPES)],
                  "population": rng.randint(800, 250_000)}
        out.append(fill(template, qn, master, choose(qn, rng, share_open=rng.random() * 0.2)))
    return out


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*)t="inlineStr"><is><t>([^<]*)</t></is></c>')


def _redraw_plan(qn: Questionnaire) -> dict[bytes, list[bytes]]:
    """Row key (question id, or option key of a multiple choice) → the answers that may be
    typed there (XML-escaped labels), for the questions no condition depends on (and not
    for a multiple choice with an option like „keine“ that excludes the others)."""
    conditioned = {qid for q in qn.questions if q.when is not None
                   for qid, _ in q.when.references()}
    plan: dict[bytes, list[bytes]] = {}
    for q in qn.questions:
        if q.id in conditioned or q.when is not None:
            continue
        if q.type in (QType.SINGLE, QType.YES_NO):
            plan[q.id.encode()] = [escape(c.label).encode() for c in T.choices(q)]
        elif q.type is QType.MULTIPLE and not any(o.exclusive for o in q.options):
            for o in q.options:
                plan[T.option_key(q.id, o.value).encode()] = [T.YES.encode(), T.NO.encode()]
    return plan


def _redraw(body: bytes, plan: dict[bytes, list[bytes]], rng: random.Random) -> bytes:
    """Draw the answers of an area sheet again: the row's key stands in column A, its
    answer in column D (both inline strings, as openpyxl writes them)."""
    keys: dict[bytes, bytes] = {}

    def sub(m: re.Match[bytes]) -> bytes:
        col, row, attrs, text = m.groups()
        if col == b"A":
            keys[row] = text
            return m.group(0)
        choices = plan.get(keys.get(row, b""))
        if col != b"D" or not choices or rng.random() < 0.5:
            return m.group(0)
        return b'<c r="D' + row + b'"' + attrs + b't="inlineStr"><is><t>' + \
            rng.choice(choices) + b"</t></is></c>"

    return _CELL.sub(sub, body)


def _rewrite(data: bytes, target: Path, name: str, ars: str, mangle: bytes | None,
             plan: dict[bytes, list[bytes]], rng: random.Random) -> None:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/"):  # openpyxl writes strings inline
                body = body.replace(NAME_MARK.encode(), name.encode()).replace(
                    ARS_MARK.encode(), ars.encode())
                if info.filename.startswith("xl/worksheets/"):
                    body = _redraw(body, plan, rng)
                if mangle and b">ja<" in body:
                    body = body.replace(b">ja<", b">" + mangle + b"<", 1)
                    mangle = None
            dst.writestr(info, body)


def generate(folder: Path, files: int, seed: int = 1, variants: int = VARIANTS) -> int:
    """Write `files` workbooks (some defective) into folder; returns the number of defects."""
    folder.mkdir(parents=True, exist_ok=True)
    filled = _variants(seed, variants)
    plan = _redraw_plan(find_questionnaire("ozg-kommune"))
    rng = random.Random(seed + 1)
    defects = 0
    for n in range(files):
        sub = folder / f"kreis-{n // 500:02d}"
        sub.mkdir(exist_ok=True)
        target = sub / f"kommune-{n:05d}.xlsx"
        kind = n % 50
        _rewrite(filled[n % variants], target, f"Gemeinde {n:05d}", f"03{n:010d}",
                 b"jein" if kind == 17 else None, plan, rng)
        if kind == 31:
            target.write_bytes(target.read_bytes()[:5000])
        if kind == 43:
            (sub / f"~$kommune-{n:05d}.xlsx").write_bytes(b"\0" * 165)
        defects += kind in (17, 31, 43)
    return defects


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    defects = generate(args.folder, args.files, args.seed)
    print(f"{args.files} Mappen in {args.folder} geschrieben, davon {defects} mit Fehlern.")


if __name__ == "__main__":
    main()
