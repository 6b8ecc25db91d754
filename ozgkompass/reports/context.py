"""What every report shows besides the figures: provenance, labels, number formatting.

Formatting only: every figure comes from the `Assessment` as scored.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any

from ozgkompass.model.catalogue import Responsibility
from ozgkompass.model.common import RESPONSIBLE
from ozgkompass.numbers import german_date

# catalogues whose service attributes are the project's estimate, not an official export
INDICATIVE_CATALOGUES = {"kommunal"}
INDICATIVE_NOTE = ("Die Zahlen zu den OZG-Leistungen sind nur Richtwerte: Der verwendete "
                   "Katalog ist ein Arbeitskatalog mit geschätzten Angaben, kein amtlicher "
                   "Export.")


def pct(value: float | None) -> str:
    """Rounded half up, as the band is chosen; German style with a space before %."""
    return "–" if value is None else f"{math.floor(value + 0.5)} %"


def rounded(value: float | None) -> int | None:
    """A percentage as the reports show it (half up)."""
    return None if value is None else math.floor(value + 0.5)


def change(old: float | None, new: float | None) -> int | None:
    """The change in points between two percentages as shown, so that "61 % → 70 %" reads
    "+9" and never "+8" (the difference of the unrounded figures)."""
    a, b = rounded(old), rounded(new)
    return None if a is None or b is None else b - a


def delta(value: float | None) -> str:
    """A change in points with its sign, German style: "+12", "−3", "±0"."""
    if value is None:
        return "–"
    n = math.floor(abs(value) + 0.5)
    return "±0" if n == 0 else ("+" if value > 0 else "−") + str(n)


def thousands(value: float | None) -> str:
    """12345 → "12.345"; fractions keep one decimal with a comma."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


# who executes a service (catalogue's executed_by), as a table cell says it
EXECUTED_BY = {"gemeinde": "Gemeinde", "kreis": "Kreis oder kreisfreie Stadt",
               "beide": "Gemeinde und Kreis", "land": "Land", "bund": "Bund"}

WEIGHTING = {"case_volume": "nach Fallzahlen", "priority": "nach Priorität"}


def for_reader(text: str | None) -> str:
    """A note without the clauses that tell a tool user what to type (`--model …`):
    documents for the municipality carry no command-line instructions."""
    if not text:
        return ""
    kept = " ".join(p for p in re.split(r"(?<=[.;])\s+", text.strip()) if "--" not in p)
    return kept[:-1] + "." if kept.endswith(";") else kept


def question_text(a: Any, qid: str) -> str:
    q = a.question(qid)
    return q.text if q is not None else qid


def criterion_reason(a: Any, crit: Any) -> str:
    """Why a criterion has its level, in words a reader can follow (the questions and
    answers that decide it, not their ids)."""
    if crit.level is None:
        if crit.settled_by:
            return "unbekannt; klären würde es: " + "; ".join(
                f"„{question_text(a, q)}“" for q in crit.settled_by)
        return ("unbekannt; keine Frage des Fragebogens belegt dieses Kriterium"
                if "nicht gefragt" in crit.reason else
                "unbekannt; keine gegebene Antwort belegt es")
    parts = []
    for qid in crit.deciding:
        q = a.question(qid)
        if q is not None:
            parts.append(f"„{q.text}“: {q.answer_label}")
    lead = "schwächste Antwort" if len({e.question_id for e in crit.evidence}) > 1 \
        else "Antwort"
    return f"{lead}: " + "; ".join(parts) if parts else crit.reason


def criterion_names(a: Any, ids: list[str]) -> str:
    names = []
    for cid in ids:
        c = a.criterion(cid)
        names.append(c.name if c is not None else cid)
    return ", ".join(names)


def services_by_themenfeld(c: Any) -> list[tuple[str, list[Any]]]:
    """The scored services grouped by Themenfeld (alphabetical), by OZG-ID within."""
    groups: dict[str, list[Any]] = {}
    for s in sorted(c.services, key=lambda s: (s.themenfeld, s.ozg_id)):
        groups.setdefault(s.themenfeld, []).append(s)
    return list(groups.items())


def responsibility_label(value: str) -> str:
    """The catalogue's Zuständigkeit (`municipal` …) as the report shows it."""
    try:
        return Responsibility(value).label
    except ValueError:
        return value


def responsible_label(key: str | None) -> str:
    return RESPONSIBLE.get(key or "", key or "–")


@dataclass
class Provenance:
    municipality: str
    report_date: str
    interview_date: str | None
    questionnaire: str
    questionnaire_hash: str
    model: str
    model_note: str | None
    catalogue: str | None
    catalogue_source: str | None
    tool: str
    indicative: bool

    def rows(self) -> list[tuple[str, str]]:
        rows = [("Kommune", self.municipality), ("Berichtsdatum", self.report_date)]
        if self.interview_date:
            rows.append(("Datum der Erhebung", self.interview_date))
        rows += [("Fragebogen", self.questionnaire),
                 ("Prüfsumme des Fragebogens", self.questionnaire_hash),
                 ("Reifegradmodell", self.model)]
        if self.model_note:
            rows.append(("Hinweis zum Modell", self.model_note))
        rows.append(("OZG-Katalog", self.catalogue or "nicht verwendet"))
        if self.catalogue_source:
            rows.append(("Quelle des Katalogs", self.catalogue_source))
        rows.append(("Werkzeug", self.tool))
        return rows


def provenance(a: Any, today: _dt.date) -> Provenance:
    cat = a.catalogue.catalogue if a.catalogue is not None else None
    return _provenance(vars(a.municipality), a.interview.date, a.questionnaire, a.model, cat,
                       a.tool_version, today)


def provenance_of_result(r: dict[str, Any], today: _dt.date) -> Provenance:
    """The same rows for a stored result (`scoring.summary.summarise`, e.g. from the archive)."""
    cat = (r.get("catalogue") or {}).get("catalogue")
    return _provenance(r["municipality"], (r.get("interview") or {}).get("date"),
                       r["questionnaire"], r["model"], cat, r.get("tool_version") or "?", today)


def _provenance(m: dict[str, Any], interview_date: Any, qn: dict[str, Any],
                model: dict[str, Any], cat: dict[str, Any] | None, tool_version: str,
                today: _dt.date) -> Provenance:
    where = ", ".join(x for x in (m.get("ars") and f"ARS {m['ars']}", m.get("kreis"),
                                  m.get("land")) if x)
    return Provenance(
        municipality=m["name"] + (f" ({where})" if where else ""),
        report_date=german_date(today),
        interview_date=german_date(interview_date) if interview_date else None,
        questionnaire=f"{qn.get('title') or qn['id']} ({qn['id']} {qn['version']})",
        questionnaire_hash=str(qn.get("hash") or "–"),
        model=f"{model.get('title') or model['id']} ({model['id']} {model.get('version', '')})"
        .replace(" )", ")")
        + ("" if model.get("complete", True) else ", vorläufig"),
        model_note=model.get("note") or None,
        catalogue=(f"{cat.get('title') or cat['id']} ({cat['id']} {cat['version']})"
                   if cat else None),
        catalogue_source=(cat.get("source") or None) if cat else None,
        tool=f"ozgkompass {tool_version}",
        indicative=cat is not None and cat["id"] in INDICATIVE_CATALOGUES,
    )
