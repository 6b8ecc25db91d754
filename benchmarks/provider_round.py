"""A provider's round with 120 members, end to end through the CLI, timed per step:
roster → `template --members` (one workbook each) → 117 returned, 81 of them with one
realistic mistake each (some saved by LibreOffice when it is installed) → `batch
--members --archive-file` (status per member, reminder list) → `template --members
--archive` (second round prefilled) → 110 returned unchanged or with one change → batch.

Prints what each step found: members per status, mistakes located with their cell, the
prefilled round's changed and confirmed answers. Not a test (it takes a minute or two);
the behaviour is pinned by tests/test_plausibility.py, test_roster.py, test_batch_round.py
and test_member_templates.py.

Run: python benchmarks/provider_round.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from openpyxl import load_workbook  # noqa: E402
from workbooks import choose, fill  # noqa: E402

from ozgkompass.model.registry import find_questionnaire  # noqa: E402
from ozgkompass.sources import template as T  # noqa: E402

QN = find_questionnaire("ozg-kommune")
# 3 Landkreise, a kreisfreie Stadt, 26 Städte, 21 Samtgemeinden, 69 Gemeinden
KREISE = [("03456", "Landkreis Heidmoor"), ("03457", "Landkreis Sumpfland"),
          ("03458", "Landkreis Geestrand")]


def roster() -> list[list[str]]:
    rows = [["ARS", "Name", "Art", "Ansprechperson", "E-Mail"]]
    for key, name in KREISE:
        rows.append([f"{key}0000000", name, "Landkreis", f"Hauptamt {name}",
                     f"ozg@{name.split()[1].lower()}.example"])
    rows.append(["034590000000", "Stadt Moorhafen", "Kreisfreie Stadt", "Digitalisierung",
                 "ozg@moorhafen.example"])
    kinds = ["Stadt"] * 26 + ["Samtgemeinde"] * 21 + ["Gemeinde"] * 69
    for i, kind in enumerate(kinds, start=1):
        key = KREISE[i % 3][0]
        rows.append([f"{key}{i:04d}000", f"{kind} Ort {i}", kind, f"Person {i}",
                     f"ort{i}@example.org"])
    return rows


def sheet_row(wb, q) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    index = next(i for i, a in enumerate(QN.areas, 1) if q in a.questions)
    ws = wb[T.sheet_title(index, QN.areas[index - 1].title.de)]
    return ws.title, next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == q.id)


PERCENT = next(q for q in QN.questions if q.unit == "%")
CHOICE = next(q for q in QN.questions if q.type.value == "single_choice" and q.when is None
              and q.na_allowed)


def mistake(kind: str, wb) -> None:  # type: ignore[no-untyped-def]
    ms = wb[T.MASTER_SHEET]
    p_sheet, p_row = sheet_row(wb, PERCENT)
    c_sheet, c_row = sheet_row(wb, CHOICE)
    if kind == "prozent-formatiert":  # now read right: 80 %
        cell = wb[p_sheet].cell(p_row, T.COL_ANSWER)
        cell.value, cell.number_format = 0.8, "0%"
    elif kind == "prozent-120":
        wb[p_sheet].cell(p_row, T.COL_ANSWER).value = 120
    elif kind == "antwort-und-trifft-nicht-zu":
        wb[c_sheet].cell(c_row, T.COL_NA).value = T.NA_MARK
        wb[c_sheet].cell(c_row, T.COL_REASON).value = "nicht zuständig"
    elif kind == "antwort-und-klaeren":
        wb[c_sheet].cell(c_row, T.COL_UNCLEAR).value = "IT-Dienstleister"
    elif kind == "antwort-in-notiz":
        label = wb[c_sheet].cell(c_row, T.COL_ANSWER).value
        wb[c_sheet].cell(c_row, T.COL_ANSWER).value = None
        wb[c_sheet].cell(c_row, T.COL_NOTE).value = label
    elif kind == "datum-monat":
        ms["B10"] = "Oktober 2026"
    elif kind == "datum-unmoeglich":
        ms["B10"] = "31.11.2026"
    elif kind == "datum-zahl":  # now read right
        ms["B10"] = 46329
    elif kind == "handschrift":
        wb[c_sheet].cell(c_row, T.COL_ANSWER).value = "eher ja"


KINDS = ["prozent-formatiert", "prozent-120", "antwort-und-trifft-nicht-zu",
         "antwort-und-klaeren", "antwort-in-notiz", "datum-monat", "datum-unmoeglich",
         "datum-zahl", "handschrift"]


def run(*args: str) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "ozgkompass", *args], capture_output=True,
                       text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin",
                                       "HOME": str(Path.home())})
    return p.returncode, p.stdout + p.stderr, time.perf_counter() - t0


def german_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")),
                               delimiter=";"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="runde-"))
    base.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2026)
    members = roster()
    (base / "mitglieder.csv").write_text(
        "\ufeff" + "\n".join(";".join(r) for r in members) + "\n", encoding="utf-8")
    archive = base / "archiv.sqlite"

    code, out, t = run("template", "--members", str(base / "mitglieder.csv"), "--out-dir",
                       str(base / "vorlagen"), "--return-to", "ozg@kdo.example",
                       "--deadline", "15.01.2027", "--force")
    files = sorted((base / "vorlagen").glob("*.xlsx"))
    print(f"Vorlagen: {len(files)} Mappen in {t:.1f} s ({1000 * t / len(files):.0f} ms je Mappe)")

    back = base / "eingang"
    shutil.rmtree(back, ignore_errors=True)
    back.mkdir()
    planned: Counter[str] = Counter()
    returned = files[:117]
    for n, path in enumerate(returned):
        wb = load_workbook(io.BytesIO(fill(path.read_bytes(), QN, {"date": "03.11.2026"},
                                           choose(QN, rng, share_open=0.05))))
        if n < 81:
            kind = KINDS[n % len(KINDS)]
            mistake(kind, wb)
            planned[kind] += 1
        wb.save(back / path.name)
    (back / f"{files[117].stem}.pdf").write_bytes(b"%PDF-1.4\n")  # a PDF instead
    lo = shutil.which("soffice")
    if lo:  # a few edited in LibreOffice Calc and saved as .ods
        for path in sorted(back.glob("*.xlsx"))[:6]:
            subprocess.run([lo, f"-env:UserInstallation=file://{base}/lo-profil", "--headless",
                            "--convert-to", "ods", "--outdir", str(back), str(path)],
                           capture_output=True, timeout=300)
            path.unlink()
    code, out, t = run("batch", str(back), "--out", str(base / "runde1"), "--members",
                       str(base / "mitglieder.csv"), "--archive-file", str(archive), "--force")
    status = Counter(r["Status"] for r in german_csv(base / "runde1" / "mitglieder.csv"))
    reminders = german_csv(base / "runde1" / "erinnerung.csv")
    problems = german_csv(base / "runde1" / "probleme.csv")
    located = [p for p in problems if p["Zelle"] and p["Kommune"]]
    print(f"Runde 1: batch in {t:.1f} s, Exit-Code {code}; Mitglieder: {dict(status)}")
    print(f"  eingebaute Fehler: {dict(planned)}")
    print(f"  Meldungen: {len(problems)}, davon {len(located)} mit Zelle und Kommune; "
          f"Erinnerungsliste: {len(reminders)} Mitglieder")
    by_code = Counter(p["Meldung"].split(" ")[0] for p in problems if p["Art"] == "Fehler")
    print(f"  Fehler nach Anfang der Meldung: {dict(by_code.most_common(8))}")

    code, out, t = run("template", "--members", str(base / "mitglieder.csv"), "--out-dir",
                       str(base / "vorlagen2"), "--archive-file", str(archive), "--force")
    print(f"Vorlagen Runde 2 in {t:.1f} s: {' '.join(out.split())}")
    back2 = base / "eingang2"
    shutil.rmtree(back2, ignore_errors=True)
    back2.mkdir()
    changed = 0
    for n, path in enumerate(sorted((base / "vorlagen2").glob("*.xlsx"))[:110]):
        wb = load_workbook(path)
        wb[T.MASTER_SHEET]["B10"] = (dt.date(2027, 11, 3)).strftime("%d.%m.%Y")
        if n % 3 == 0:
            sheet, row = sheet_row(wb, CHOICE)
            labels = [c.label for c in T.choices(CHOICE)]
            cell = wb[sheet].cell(row, T.COL_ANSWER)
            cell.value = next(x for x in labels if x != cell.value)
            wb[sheet].cell(row, T.COL_NA).value = None
            wb[sheet].cell(row, T.COL_UNCLEAR).value = None
            changed += 1
        wb.save(back2 / path.name)
    code, out, t = run("batch", str(back2), "--out", str(base / "runde2"), "--members",
                       str(base / "mitglieder.csv"), "--archive-file", str(archive), "--force")
    results = [json.loads(p.read_text(encoding="utf-8"))
               for p in (base / "runde2" / "ergebnisse").glob("*.json")]
    pre = [r["prefill"] for r in results if r.get("prefill")]
    status = Counter(r["Status"] for r in german_csv(base / "runde2" / "mitglieder.csv"))
    print(f"Runde 2: batch in {t:.1f} s, Exit-Code {code}; Mitglieder: {dict(status)}")
    print(f"  vorbefüllt: {len(pre)} Mappen; mit Änderungen: "
          f"{sum(1 for p in pre if p['changed'])} (eingebaut: {changed}); bestätigte "
          f"Antworten im Mittel: {sum(p['confirmed'] for p in pre) / max(1, len(pre)):.0f}")
    print(f"Ordner: {base}")


if __name__ == "__main__":
    main()
