"""Benchmark: one municipality's full report (Excel + HTML, and the briefing) against a
catalogue of 600 OZG-Leistungen, printed against the bare scoring time of the same run;
likewise the Fortschrittsbericht (two rounds, ten archived points) and a Geleitzug report
of five members over the same catalogue.

The catalogue is the 2019 OZG catalogue (557 services, imported from ../shared/data),
topped up to 600 with renamed copies, all scored (scope "alle") so every service is in the
report. Run: python benchmarks/reports.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from timing import best as best_of  # same folder: run as python benchmarks/reports.py

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ozg-katalog-2019"
SERVICES = 600


def main() -> None:
    from ozgkompass.catalogue.importer import import_catalogue
    from ozgkompass.model.catalogue import load_catalogue, save_catalogue
    from ozgkompass.model.maturity import get_model
    from ozgkompass.model.registry import (
        DEMO_EXAMPLE,
        builtin_examples,
        find_questionnaire,
        load_answer_set,
    )
    from ozgkompass.reports import Audience, Format, renderer
    from ozgkompass.scoring.assessment import assess
    from ozgkompass.scoring.catalogue import score_catalogue

    if not DATA.is_dir():
        sys.exit(f"Testdaten fehlen: {DATA}")
    data = import_catalogue(sorted(DATA.glob("*.csv")), catalogue_id="ozg2019",
                            version="2019-12", title=None).catalogue
    services = data["services"]
    used = {s["ozg_id"] for s in services}
    free = (f"{n:05d}" for n in range(90000, 100000) if f"{n:05d}" not in used)
    extra = [{**s, "ozg_id": next(free), "name": s["name"] + " (Kopie)"}
             for s in services[: SERVICES - len(services)]]
    data["services"] = [*services, *extra][:SERVICES]
    with tempfile.TemporaryDirectory() as tmp:
        cat = load_catalogue(save_catalogue(data, Path(tmp) / "ozg600.json"))
    entry = next(e for e in builtin_examples() if e.name == DEMO_EXAMPLE)
    aset = load_answer_set(entry, builtin=True)
    qn = find_questionnaire(aset.questionnaire.id)
    model = get_model()

    def score():
        a = assess(qn, aset, model)
        return replace(a, catalogue=score_catalogue(a, cat, model, qn, scope="alle"))

    a = score()
    today = dt.date.today()
    t_score = best_of(score)
    t_xlsx = best_of(lambda: renderer(Format.XLSX)(a, Audience.FACH, today))
    t_html = best_of(lambda: renderer(Format.HTML)(a, Audience.FACH, today))
    t_brief = best_of(lambda: renderer(Format.HTML)(a, Audience.LEITUNG, today))
    total = t_xlsx + t_html
    print(f"{a.municipality.name}, {a.catalogue.in_scope} Leistungen bewertet")
    print(f"Bewertung allein:        {t_score * 1000:7.0f} ms")
    print(f"Excel-Bericht:           {t_xlsx * 1000:7.0f} ms ({t_xlsx / t_score:.1f}× Bewertung)")
    print(f"HTML-Bericht:            {t_html * 1000:7.0f} ms ({t_html / t_score:.1f}× Bewertung)")
    print(f"Kurzfassung (HTML):      {t_brief * 1000:7.0f} ms ({t_brief / t_score:.1f}× Bewertung)")
    print(f"Excel + HTML zusammen:   {total * 1000:7.0f} ms ({total / t_score:.1f}× Bewertung; "
          f"Ziel < 1000 ms)")
    over_time(a, t_score, today)


def over_time(a, t_score: float, today: dt.date) -> None:
    """The Fortschrittsbericht and the Geleitzug report of the same scored result."""
    import copy

    from ozgkompass.app.convoy import convoy
    from ozgkompass.app.progress import HistoryPoint, compare
    from ozgkompass.reports import Audience, Format, Kind, renderer
    from ozgkompass.reports.over_time import ConvoyReport, ProgressReport
    from ozgkompass.scoring.summary import summarise

    new = summarise(a)
    old = copy.deepcopy(new)
    for s in old["catalogue"]["services"][::2]:  # half the services were below target before
        s["at_target"] = False
    history = [HistoryPoint(i, f"20{16 + i}-01-01", 5.0 * i, 4.0 * i) for i in range(10)]
    report = ProgressReport(compare(old, new), old, new, history)
    members = []
    for i in range(5):
        m = copy.deepcopy(new)
        m["municipality"] = {**m["municipality"], "name": f"Gemeinde {i}", "ars": str(i)}
        members.append(m)
    crep = ConvoyReport(convoy(members), members)
    for label, kind, subject in (("Fortschritt", Kind.PROGRESS, report),
                                 ("Geleitzug (5)", Kind.CONVOY, crep)):
        for fmt in (Format.XLSX, Format.HTML):
            t = best_of(lambda fmt=fmt, kind=kind, subject=subject:
                        renderer(fmt, kind)(subject, Audience.FACH, today))
            print(f"{label + ' ' + fmt.value.upper() + ':':<25}{t * 1000:7.0f} ms "
                  f"({t / t_score:.1f}× Bewertung)")


if __name__ == "__main__":
    main()
