"""The mayor's briefing beyond the figures: the key figures in one order, what they mean for
citizens, whom to call, what the answers say about costs, and what the two pages leave out
when they are full.

Formatting only: every figure comes from the scored `Assessment`; nothing is estimated
here (no costs, no contacts, no peers the answers or the archive do not give).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ozgkompass.numbers import german_date
from ozgkompass.reports.context import pct, thousands
from ozgkompass.scoring.assessment import ANSWERED, RECORDED

STEPS = 3  # the briefing shows the first three of the one ranking (scoring/steps.py)
MIN_PEERS = 3  # fewer archived peers of the same type and size class: no comparison


@dataclass(frozen=True)
class Fit:
    """How much the briefing shows. The PDF takes the first of `FITS` that fits on two A4
    pages; the HTML shows the first (a screen has no pages)."""

    chart: bool = True
    strengths: bool = True
    open_points: int = 5
    examples: int = 3  # services named under "what it means for citizens"


FITS = (Fit(), Fit(open_points=3), Fit(chart=False, open_points=3),
        Fit(chart=False, strengths=False, open_points=2),
        Fit(chart=False, strengths=False, open_points=0, examples=0))

# what a criterion that holds services back means for the people who apply, by criterion
# id of the bundled models (1.1 and 2.0); other models fall back to the criterion's name
FOR_CITIZENS = {
    "leistungsbeschreibung": "die Beschreibung der Leistung ist online nicht vollständig "
                             "zu finden",
    "antragsprozess": "der Antrag lässt sich nicht vollständig online stellen",
    "nutzerkonto": "die Anmeldung mit einem bundesweiten Konto (BundID oder Mein "
                   "Unternehmenskonto) fehlt",
    "authentifizierung": "die nötige sichere Anmeldung, etwa mit dem Online-Ausweis, fehlt",
    "bezahlung": "Gebühren lassen sich nicht online bezahlen",
    "nachweise": "Nachweise lassen sich nicht digital einreichen",
    "uebermittlung": "der Antrag kommt nicht strukturiert im Amt an",
    "rueckkanal": "der Bescheid kommt nicht digital zurück",
    "weiterverarbeitung": "im Amt wird der Antrag noch abgetippt oder ausgedruckt",
    "e_akte": "der Vorgang wird nicht in der E-Akte geführt",
    "status": "Antragstellende sehen nicht, wie weit ihr Antrag ist",
    "once_only": "Nachweise, die Behörden schon haben, müssen noch einmal eingereicht werden",
    "hkr": "Zahlungen werden nicht automatisch gebucht",
}
# Nachweise already digital (level 3 reached), but the target needs once-only
EVIDENCE_ONCE_ONLY = ("Nachweise, die Behörden schon haben, müssen die Menschen noch selbst "
                      "einreichen (Once-Only fehlt)")


def key_figures(a: Any) -> list[dict[str, str]]:
    """The key figures in the order every output uses: index, completeness, services."""
    figures = [
        {"value": pct(a.score), "label": "Reifeindex"
         + (f" (Stufe „{a.band}“)" if a.band else "")},
        {"value": pct(a.completeness), "label": f"Vollständigkeit ({a.answered} von "
         f"{a.applicable} Fragen beantwortet)"},
    ]
    c = a.catalogue
    if c is not None:
        # what citizens can use online today first, then what the infrastructure would allow
        # (docs/scoring.md §6a): two figures, never mixed
        figures.append({"value": f"{c.today_at_target} von {c.in_scope}",
                        "label": "OZG-Leistungen heute online auf Zielstufe"})
        figures.append({"value": f"{c.at_target} von {c.in_scope}",
                        "label": "OZG-Leistungen mit der heutigen Infrastruktur auf Zielstufe "
                        "erreichbar"})
    return figures


def for_citizens(a: Any, fit: Fit) -> list[str]:
    """What the figures mean for the people who apply, in a few plain sentences."""
    c = a.catalogue
    if c is None:
        weakest = min((ar for ar in a.areas if ar.score is not None),
                      key=lambda ar: ar.score, default=None)
        return ([f"Am weitesten zurück ist der Bereich „{weakest.title}“ "
                 f"({pct(weakest.score)}); dort merken es Antragstellende zuerst."]
                if weakest is not None else [])
    out = []
    below = [s for s in c.services if not s.at_target]
    if not below:
        out.append(f"Bei allen {c.in_scope} Leistungen ließe die heutige Infrastruktur die "
                   "Zielstufe zu. Ob es für jede Leistung schon einen Online-Dienst gibt, "
                   "sagt diese Zahl nicht.")
    else:
        reasons = []
        for cid, name, n in c.blocking[:3]:
            reasons.append(f"{_meaning(a, cid, name)} ({n} Leistung{'en' if n != 1 else ''})")
        out.append(f"Bei {len(below)} von {c.in_scope} Leistungen reicht die heutige "
                   "Infrastruktur noch nicht bis zur Zielstufe. Für Antragstellende heißt "
                   "das vor allem: " + "; ".join(reasons) + ".")
        if fit.examples:
            names = [s.name for s in sorted(below, key=lambda s: (-s.weight, s.ozg_id))]
            shown = names[:fit.examples]
            out.append("Betroffen sind zum Beispiel: " + ", ".join(shown)
                       + (f" und {len(names) - len(shown)} weitere." if len(names) > len(shown)
                          else "."))
    if c.in_person:
        out.append(f"{c.in_person} Leistungen verlangen nach dem Gesetz, dass die Menschen "
                   "persönlich ins Amt kommen, etwa für Personalausweis und Reisepass; "
                   "online gehen dort Information, Termin und Antragsdaten.")
    return out


def _meaning(a: Any, cid: str, name: str) -> str:
    crit = a.criterion(cid)
    c = a.catalogue
    if (cid == "nachweise" and crit is not None and crit.level is not None
            and crit.level >= c.compliant_level):
        return EVIDENCE_ONCE_ONLY
    return FOR_CITIZENS.get(cid, f"„{name}“ reicht noch nicht aus")


def _answer(a: Any, qid: str) -> Any:
    q = a.question(qid)
    return q if q is not None and q.status in (ANSWERED, RECORDED) else None


def costs(a: Any) -> list[str]:
    """What the answers say about money, each with its source (the survey); nothing else."""
    when = german_date(a.interview.date) if a.interview.date else None
    source = "Angabe der Kommune" + (f" in der Erhebung vom {when}" if when else "")
    out = []
    budget = _answer(a, "governance_budget")
    if budget is not None and budget.answer_label:
        out.append(f"Mittel für die Digitalisierung im Haushalt: {budget.answer_label} "
                   f"({source}).")
    amount = _answer(a, "governance_budget_amount")
    if amount is not None and isinstance(amount.value, int | float):
        out.append(f"Mittel für Digitalisierung und IT im laufenden Haushaltsjahr: rund "
                   f"{thousands(amount.value)} Euro ({source}).")
    efa = _answer(a, "cooperation_efa_costs")
    if efa is not None and efa.value in (True, False):
        out.append("Die laufenden Kosten der nachgenutzten EfA-Dienste sind "
                   + ("geklärt" if efa.value else "noch nicht geklärt") + f" ({source}).")
    return out


def contacts(a: Any, steps: list[Any]) -> list[tuple[str, str]]:
    """Whom to call: the parties the answers and the first steps name, never an invented
    name or number."""
    m = a.municipality
    out = []
    provider = [str(s.rank) for s in steps if s.responsible == "it_dienstleister"]
    who = "Ihr IT-Dienstleister"
    text = ("zuständig für Schritt " + " und ".join(provider) if provider
            else "betreibt Portal, Formulare und Fachverfahren mit")
    if a.interview.interviewer:
        text += f"; die Erhebung führte {a.interview.interviewer}"
    out.append((who, text + "."))
    if m.kreis and m.type not in ("landkreis", "kreisfreie_stadt"):
        out.append((m.kreis, "für die Leistungen, die der Kreis ausführt, und für die "
                    "Zusammenarbeit mit den Nachbarkommunen."))
    if m.land:
        land = [str(s.rank) for s in steps if s.responsible == "land"]
        out.append((f"Land {m.land}", "die für das OZG zuständige Stelle: Landesportal, "
                    "EfA-Dienste und Förderprogramme"
                    + (f"; zuständig für Schritt {' und '.join(land)}" if land else "") + "."))
    return out  # whom to ask about an open point: under "Offene Punkte"


def peer_sentence(a: Any, cmp: Any) -> str | None:
    if cmp is None or cmp.overall.median is None:
        return None
    from ozgkompass.scoring.scope import TYPE_LABELS

    kind = TYPE_LABELS.get(a.municipality.type or "", "Kommune")
    text = (f"Zum Vergleich: {cmp.peers} andere Kommunen derselben Art ({kind}) und Größe "
            f"({cmp.size_label}) in {a.municipality.land or cmp.land} stehen im Archiv; ihr "
            f"Reifeindex liegt in der Mitte bei {pct(cmp.overall.median)}")
    if cmp.services.median is not None and cmp.services.value is not None:
        text += (f", der Anteil der Leistungen auf Zielstufe erreichbar bei "
                 f"{pct(cmp.services.median)} (hier {pct(cmp.services.value)})")
    return text + "."


def dashboard_sentences(a: Any) -> tuple[str, str] | None:
    """How the Dashboard Digitale Verwaltung's figure for this ARS comes about and what
    would move it, in two sentences; only with a cached retrieval (`ozgkompass observe`)."""
    observed = a.observed
    if observed is None:
        return None
    from ozgkompass.observed.compare import briefing_sentences

    return briefing_sentences(observed)


def context(a: Any, fit: Fit, peers: Any = None) -> dict[str, Any]:
    steps = a.next_steps
    shown = steps[:STEPS]
    open_points = [(f.question, f.clarify_with) for f in a.followups]
    listed = {f.question_id for f in a.followups}
    open_points += [(q.text, None) for ar in a.areas for q in ar.questions
                    if q.id in a.open_required and q.id not in listed]
    return {"fit": fit, "figures": key_figures(a), "for_citizens": for_citizens(a, fit),
            "peer_sentence": peer_sentence(a, peers),
            "dashboard": dashboard_sentences(a),
            "steps": shown, "more_steps": len(steps) - len(shown),
            "costs": costs(a), "contacts": contacts(a, shown),
            "open_points": open_points[:fit.open_points],
            "more_open": len(open_points) - min(len(open_points), fit.open_points)}
