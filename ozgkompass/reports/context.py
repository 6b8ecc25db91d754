"""What every report shows besides the figures: provenance, labels, number formatting.

Formatting only: every figure comes from the `Assessment` as scored.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

from ozgkompass.model.catalogue import Responsibility
from ozgkompass.model.common import RESPONSIBLE

# catalogues whose service attributes are the project's estimate, not an official export
INDICATIVE_CATALOGUES = {"kommunal"}
INDICATIVE_NOTE = ("Die Zahlen zu den OZG-Leistungen sind nur Richtwerte: Der verwendete "
                   "Katalog ist ein Arbeitskatalog mit geschätzten Angaben, kein amtlicher "
                   "Export.")


def pct(value: float | None) -> str:
    """Rounded half up, as the band is chosen; German style with a space before %."""
    return "–" if value is None else f"{math.floor(value + 0.5)} %"


WEIGHTING = {"case_volume": "nach Fallzahlen", "priority": "nach Priorität"}


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
    m = a.municipality
    where = ", ".join(x for x in (m.ars and f"ARS {m.ars}", m.kreis, m.land) if x)
    qn = a.questionnaire
    model = a.model
    cat = a.catalogue.catalogue if a.catalogue is not None else None
    return Provenance(
        municipality=m.name + (f" ({where})" if where else ""),
        report_date=today.isoformat(),
        interview_date=str(a.interview.date) if a.interview.date else None,
        questionnaire=f"{qn['title']} ({qn['id']} {qn['version']})",
        questionnaire_hash=str(qn.get("hash") or "–"),
        model=f"{model['title']} ({model['id']} {model['version']})"
        + ("" if model.get("complete", True) else ", vorläufig"),
        model_note=model.get("note") or None,
        catalogue=(f"{cat['title']} ({cat['id']} {cat['version']})" if cat else None),
        catalogue_source=(cat.get("source") or None) if cat else None,
        tool=f"ozgkompass {a.tool_version}",
        indicative=cat is not None and cat["id"] in INDICATIVE_CATALOGUES,
    )
