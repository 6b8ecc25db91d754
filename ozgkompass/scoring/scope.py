"""Which services of the catalogue a municipality executes (docs/scoring.md, section 6):
by its type and Land, the Gemeindeverband rules of its Land (model/verbaende.py) and its
own scope entries; the others are listed with the reason, not scored.
"""

from __future__ import annotations

from typing import Any

from ozgkompass.model.catalogue import Catalogue, OzgService
from ozgkompass.model.laender import NAMES, land_code
from ozgkompass.model.verbaende import VerbandRule, carrier, rule_for, split_note
from ozgkompass.scoring.results import OutOfScope

# Which municipality types execute services of which level (DOMAIN.md): kreisangehörige
# Gemeinden, Städte and Gemeindeverbände the Gemeinde tasks, Landkreise the Kreis tasks,
# kreisfreie Städte both. A Gemeindeverband and its Mitgliedsgemeinden split the Gemeinde
# tasks by the Land's rule (model/verbaende.py); `verband` is the older spelling of
# `gemeindeverband`.
TYPE_EXECUTES = {
    "gemeinde": frozenset({"gemeinde", "beide"}),
    "stadt": frozenset({"gemeinde", "beide"}),
    "verband": frozenset({"gemeinde", "beide"}),
    "gemeindeverband": frozenset({"gemeinde", "beide"}),
    "mitgliedsgemeinde": frozenset({"gemeinde", "beide"}),
    "landkreis": frozenset({"kreis", "beide"}),
    "kreisfreie_stadt": frozenset({"gemeinde", "kreis", "beide"}),
}
TYPE_LABELS = {"gemeinde": "Gemeinde", "stadt": "kreisangehörige Stadt",
               "verband": "Gemeindeverband", "gemeindeverband": "Gemeindeverband",
               "mitgliedsgemeinde": "Mitgliedsgemeinde", "landkreis": "Landkreis",
               "kreisfreie_stadt": "kreisfreie Stadt"}
# the same with article, as the sentences need them ("nicht einer kreisangehörigen Stadt")
_TYPE_NOMINATIVE = {"gemeinde": "eine Gemeinde", "stadt": "eine kreisangehörige Stadt",
                    "verband": "ein Gemeindeverband", "gemeindeverband": "ein Gemeindeverband",
                    "mitgliedsgemeinde": "eine Mitgliedsgemeinde", "landkreis": "ein Landkreis",
                    "kreisfreie_stadt": "eine kreisfreie Stadt"}
_TYPE_GENITIVE = {"gemeinde": "einer Gemeinde", "stadt": "einer kreisangehörigen Stadt",
                  "verband": "eines Gemeindeverbands", "gemeindeverband": "eines Gemeindeverbands",
                  "mitgliedsgemeinde": "einer Mitgliedsgemeinde", "landkreis": "eines Landkreises",
                  "kreisfreie_stadt": "einer kreisfreien Stadt"}
_EXECUTED_BY_GENITIVE = {"gemeinde": "der Gemeinden", "kreis": "der Kreise und kreisfreien Städte",
                         "land": "des Landes", "bund": "des Bundes"}
_IN_VERBAND = ("verband", "gemeindeverband", "mitgliedsgemeinde")


ScopeKey = tuple[str | None, str | None, frozenset[str], frozenset[str]]


def scope_key(municipality: Any) -> ScopeKey:
    """What of a municipality decides its services: type, Land and its own additions."""
    return (getattr(municipality, "type", None),
            land_code(getattr(municipality, "land", None), getattr(municipality, "ars", None)),
            frozenset(getattr(municipality, "scope_add", ()) or ()),
            frozenset(getattr(municipality, "scope_remove", ()) or ()))


def select_scope(catalogue: Catalogue, mtype: str | None, land: str | None,
                  add: frozenset[str], remove: frozenset[str], scope: str
                  ) -> tuple[list[OzgService], list[OutOfScope], str]:
    """The services a municipality executes, those it does not (with the reason), and a
    sentence saying how they were chosen (docs/scoring.md, section 6). The same for every
    municipality of a type and Land: worked out once per catalogue (`_Plan`)."""
    in_scope: list[OzgService] = []
    out: list[OutOfScope] = []
    typed = any(s.executed_by is not None for s in catalogue.services)
    executes = TYPE_EXECUTES.get(mtype or "")
    rule = rule_for(land) if mtype in _IN_VERBAND else None
    for svc in catalogue.services:
        by = svc.executed_by_in(land)
        if (scope != "alle" and not svc.municipal_scope and svc.ozg_id not in add
                and by not in ("land", "bund")):
            continue  # not a municipal service at all (Typisierung)
        reason = None
        if svc.ozg_id in remove:
            reason = "nach Angabe der Kommune nicht ihre Aufgabe"
        elif svc.ozg_id in add or scope == "alle":
            reason = None
        elif by in ("land", "bund"):
            reason = f"Aufgabe {_EXECUTED_BY_GENITIVE[by]}" + (
                f" ({NAMES.get(land, land)})" if by == "land" and land
                and dict(svc.executed_by_land).get(land) == by else "")
        elif by is not None and executes is not None and by not in executes:
            reason = (f"Aufgabe {_EXECUTED_BY_GENITIVE[by]}, nicht {_TYPE_GENITIVE[mtype or '']}"
                      if by != "beide" else None)
        elif rule is not None and by is not None:
            reason = _verband_reason(rule, mtype or "", svc)
        if reason:
            out.append(OutOfScope(svc.ozg_id, svc.name, svc.themenfeld, by, reason))
        else:
            in_scope.append(svc)
    if scope == "alle":
        note = "Alle Leistungen des Katalogs werden bewertet (--scope alle)."
    elif not typed:
        note = ("Der Katalog sagt nicht, welche Ebene eine Leistung ausführt: alle "
                "(möglicherweise) kommunalen Leistungen zählen, unabhängig vom Typ der Kommune.")
    elif executes is None:
        note = ("Typ der Kommune fehlt in der Antwortdatei (municipality.type): alle "
                "kommunalen Leistungen zählen, Gemeinde- wie Kreisaufgaben.")
    else:
        note = (f"Leistungen, die {_TYPE_NOMINATIVE[mtype or '']} üblicherweise ausführt"
                + (f" (Land {land})" if land else "") + ", mit den Abweichungen, die die "
                "Kommune angegeben hat.")
        if mtype in _IN_VERBAND:
            note += " " + (_verband_note(rule) if rule is not None else split_note(land))
    return in_scope, out, note


def _verband_reason(rule: VerbandRule, mtype: str, svc: OzgService) -> str | None:
    """Why a Gemeinde task is not this member's or this association's (None: it is)."""
    who = carrier(rule, svc.ozg_id, svc.wirkungskreis)
    if who is None:
        return None
    side, why = who
    if mtype == "mitgliedsgemeinde" and side == "verband":
        return f"Aufgabe {rule.form_genitive} ({why}), nicht der Mitgliedsgemeinde"
    if mtype != "mitgliedsgemeinde" and side == "mitglied":
        return f"Aufgabe der Mitgliedsgemeinden ({why}), nicht {rule.form_genitive}"
    return None


def _verband_sources(rule: VerbandRule) -> str:
    """The rule's legal sources for a document a municipality reads (no file paths)."""
    cited = [c.split(": http", 1)[0].strip() for c in (getattr(rule, "sources", None) or ())
             if c]
    return f" ({cited[0]})" if cited else ""  # the law; the examples stay in the docs


def _verband_note(rule: VerbandRule) -> str:
    own = "".join(f", dazu {why}" for _, why in rule.own_tasks)
    return (f"In {NAMES.get(rule.land, rule.land)} trägt die {rule.form} den übertragenen "
            f"Wirkungskreis ihrer Mitgliedsgemeinden{own}; den eigenen Wirkungskreis tragen "
            f"die Mitgliedsgemeinden{_verband_sources(rule)}.")


def services_in_scope(catalogue: Catalogue, municipality: Any) -> tuple[list[OzgService], str]:
    """The services a municipality executes by its type, Land and scope entries, and the
    sentence saying how they were chosen (the same selection as `score_catalogue`)."""
    in_scope, _, note = select_scope(catalogue, *scope_key(municipality), "kommunal")
    return in_scope, note
