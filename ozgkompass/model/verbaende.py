"""Gemeindeverbände (Samtgemeinde, Amt, Verbandsgemeinde, Verwaltungsgemeinschaft): which
Gemeinde tasks the association carries and which stay with its member Gemeinden, per Land,
as far as sources show it (docs/scoring.md §6, municipality types `gemeindeverband` and
`mitgliedsgemeinde`).

A catalogue service says to which Wirkungskreis a Gemeinde task belongs (`wirkungskreis`);
a Land's rule says whether the association carries the übertragener Wirkungskreis and which
tasks of the eigener Wirkungskreis it carries besides. A Land without a rule here has its
split not found in the sources: both types then count every Gemeinde task, and the result
says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ozgkompass.model.laender import NAMES


@dataclass(frozen=True)
class VerbandRule:
    land: str
    form: str  # what the association is called in this Land (nominative, singular)
    form_genitive: str  # "der Samtgemeinde", "des Amtes"
    delegated: bool  # the association carries the übertragener Wirkungskreis of its members
    own_tasks: tuple[tuple[str, str], ...]  # (OZG-ID, why) of the eigener Wirkungskreis
    sources: tuple[str, ...]


RULES: dict[str, VerbandRule] = {r.land: r for r in (
    VerbandRule(
        "NI", "Samtgemeinde", "der Samtgemeinde", True,
        (("10041", "Schulträgerschaft, § 98 Abs. 1 Nr. 2 NKomVG"),),
        ("§§ 97–98 NKomVG: https://andreas-jasper.de/haushaltsrecht/nkr-niedersachsen/29-2/"
         "sechster-teil-%c2%a7%c2%a7-97-bis-106/erster-abschnitt-%c2%a7%c2%a7-97-bis-102/ "
         "(Audit 2026-12, S52)",
         "Samtgemeinde Nenndorf (übertragener Wirkungskreis bei der Samtgemeinde): "
         "https://nenndorf.de/aktuelles/kurzinfo/samtgemeinde (S53)")),
    VerbandRule(
        "BY", "Verwaltungsgemeinschaft", "der Verwaltungsgemeinschaft", True, (),
        ("Art. 4 Abs. 1 VGemO (alle Angelegenheiten des übertragenen Wirkungskreises; der "
         "eigene bleibt bei den Mitgliedsgemeinden): https://vg-aiterhofen.de/ueber-uns",
         "VG Hörlkofen (Meldebehörde, Pass- und Ausweisbehörde, Fundbehörde, Beglaubigung): "
         "https://www.vg-hoerlkofen.de/buergerservice/die-verwaltungsgemeinschaft/"
         "was-ist-eine-verwaltungsgemeinschaft")),
    VerbandRule(
        "RP", "Verbandsgemeinde", "der Verbandsgemeinde", True,
        (("10041", "Aufgaben nach dem Schulgesetz, § 67 GemO"),),
        ("§ 68 Abs. 3 Nr. 1 GemO (übertragene staatliche Aufgaben der Ortsgemeinden): "
         "https://www.kommunalbrevier.de/kommunalbrevier/gemeindeordnung-gemo/"
         "3-Kapitel-Besondere-Bestimmungen-fuer-Verbandsgemeinden-und-Ortsgemeinden/"
         "68-Wahrnehmung-gemeindlicher-und-staatlicher-Aufgaben/",
         "Verbandsgemeinde Rheinböllen (Selbstverwaltungsaufgaben nach § 67 GemO, u. a. nach "
         "dem Schulgesetz): http://www.rheinboellen.de/seite/104258/verbandsgemeinde-organe.html")),
)}

# Länder with associations whose split of tasks the sources at hand did not show
NOT_FOUND: dict[str, str] = {
    "SH": "Amt", "BB": "Amt", "MV": "Amt", "ST": "Verbandsgemeinde",
    "SN": "Verwaltungsverband oder Verwaltungsgemeinschaft", "TH": "Verwaltungsgemeinschaft",
    "BW": "Gemeindeverwaltungsverband oder vereinbarte Verwaltungsgemeinschaft",
}
# Länder without Gemeindeverbände of this kind (city states; NW, HE, SL)
NONE = ("HH", "HB", "BE", "NW", "HE", "SL")


def rule_for(land: str | None) -> VerbandRule | None:
    return RULES.get(land or "")


def carrier(rule: VerbandRule, ozg_id: str, wirkungskreis: str | None) -> tuple[str, str] | None:
    """Who carries a Gemeinde task under a Land's rule: ("verband", why) or ("mitglied",
    why); None when the task's Wirkungskreis is unknown (then both count it)."""
    for own_id, why in rule.own_tasks:
        if own_id == ozg_id:
            return "verband", why
    if wirkungskreis == "uebertragen":
        return ("verband", "übertragener Wirkungskreis") if rule.delegated else (
            "mitglied", "übertragener Wirkungskreis")
    if wirkungskreis == "eigen":
        return "mitglied", "eigener Wirkungskreis"
    return None


def split_note(land: str | None) -> str:
    """What the result says about the split when a Land has no rule here."""
    if not land:
        return ("Das Land ist nicht angegeben: welche Aufgaben der Gemeindeverband "
                "und welche die Mitgliedsgemeinden tragen, ist nicht bestimmbar; alle "
                "Gemeindeaufgaben zählen.")
    name = NAMES.get(land, land)
    if land in NONE:
        return (f"In {name} gibt es keine Gemeindeverbände dieser Art (Samtgemeinde, Amt, "
                "Verbandsgemeinde, Verwaltungsgemeinschaft); alle Gemeindeaufgaben zählen.")
    form = NOT_FOUND.get(land, "Gemeindeverband")
    return (f"Die Aufgabenteilung zwischen {form} und Mitgliedsgemeinden in {name} ist in den "
            "Quellen von ozgkompass nicht belegt; alle Gemeindeaufgaben zählen.")
