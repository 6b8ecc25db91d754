"""Geleitzug: several municipalities split OZG work by Themenfeld (docs/convoy.md).

Pure functions over scored results (`scoring.summary.summarise`, with catalogue results): who is
strongest where, which infrastructure one member has and others lack, and a proposed split
of the Themenfelder by strength and capacity with the reasoning for every assignment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ozgkompass.errors import UserError

# Infrastructure a member can share or show the others (question id → German label).
INFRASTRUCTURE: tuple[tuple[str, str], ...] = (
    ("forms_server", "Formularserver / Antragsmanagement"),
    ("payment_platform", "ePayment-Anbindung"),
    ("backoffice_eakte", "E-Akte"),
    ("staff_trained_share", "geschultes Personal"),
)


@dataclass
class Member:
    name: str
    population: int | None
    capacity: float  # population unless given
    score: float | None
    quota: int = 0


@dataclass
class Strongest:
    id: str
    title: str
    member: str | None
    value: float | None
    runner_up: str | None = None


@dataclass
class Infrastructure:
    question_id: str
    label: str
    have: list[str]
    lack: list[str]


@dataclass
class Assignment:
    themenfeld: str
    member: str
    strength: float | None
    reason: str


@dataclass
class ConvoyResult:
    members: list[Member]
    areas: list[Strongest]
    themenfelder: list[Strongest]
    infrastructure: list[Infrastructure]
    allocation: list[Assignment]
    capacity_basis: str
    notes: list[str] = field(default_factory=list)
    # every member's value (member name → value) per area id and per Themenfeld
    area_values: dict[str, dict[str, float | None]] = field(default_factory=dict)
    themenfeld_values: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def quotas(capacities: list[float], seats: int) -> list[int]:
    """How many Themenfelder each member takes: one each (while there are enough), the rest
    split by capacity with the largest-remainder method (Hare-Niemeyer)."""
    n = len(capacities)
    floor = 1 if seats >= n else 0
    rest = seats - floor * n
    total = sum(capacities)
    if not total:
        capacities, total = [1.0] * n, float(n)
    exact = [rest * c / total for c in capacities]
    base = [int(e) for e in exact]
    order = sorted(range(n), key=lambda i: (-(exact[i] - base[i]), -capacities[i], i))
    for i in order[:rest - sum(base)]:
        base[i] += 1
    return [b + floor for b in base]


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f} %"


def _strongest(ident: str, title: str, values: dict[str, float | None]) -> Strongest:
    ranked = sorted(((v, n) for n, v in values.items() if v is not None),
                    key=lambda t: (-t[0], t[1]))
    if not ranked:
        return Strongest(ident, title, None, None)
    return Strongest(ident, title, ranked[0][1], ranked[0][0],
                     ranked[1][1] if len(ranked) > 1 else None)


def convoy(results: list[dict[str, Any]], capacity: dict[str, float] | None = None
           ) -> ConvoyResult:
    """Aggregate a Geleitzug. `capacity` (member name → e.g. staff) replaces population."""
    if len(results) < 2:
        raise UserError("Ein Geleitzug braucht mindestens zwei Kommunen.",
                        hint="Mehrere Antwortdateien angeben.")
    names = [r["municipality"]["name"] for r in results]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise UserError(f"Kommune {dup!r} ist mehrfach im Geleitzug.",
                        hint="Jede Kommune nur einmal angeben (die neueste Bewertung).")
    missing = [n for n, r in zip(names, results, strict=True) if not r.get("catalogue")]
    if missing:
        raise UserError(f"Für {', '.join(missing)} fehlt die Bewertung gegen den OZG-Katalog.",
                        hint="Mit --catalogue bewerten (Standard: kommunal).")
    notes: list[str] = []
    if capacity:
        unknown = sorted(set(capacity) - set(names))
        if unknown:
            raise UserError(f"Kapazität für unbekannte Kommune(n): {', '.join(unknown)}.",
                            hint=f"Namen der Mitglieder: {', '.join(names)}.")
        basis = "angegebene Kapazität"
        caps = [float(capacity.get(n, 0.0)) for n in names]
    else:
        basis = "Einwohnerzahl"
        caps = [float(r["municipality"].get("population") or 0) for r in results]
        if not all(caps):
            notes.append("Nicht für alle Mitglieder ist die Einwohnerzahl bekannt; sie zählen "
                         "mit Kapazität 0 (Quote nur über Restsitze).")
    members = [Member(n, r["municipality"].get("population"), c, r.get("score"))
               for n, r, c in zip(names, results, caps, strict=True)]
    area_values = {a["id"]: {r["municipality"]["name"]: next(
        (x["score"] for x in r["areas"] if x["id"] == a["id"]), None) for r in results}
        for a in results[0]["areas"]}
    areas = [_strongest(a["id"], a["title"], area_values[a["id"]]) for a in results[0]["areas"]]
    share: dict[str, dict[str, float | None]] = {}
    for r in results:
        for g in r["catalogue"]["by_themenfeld"]:
            if g["services"]:
                share.setdefault(g["name"], {})[r["municipality"]["name"]] = g["share"]
    tfs = sorted(share)
    themen = [_strongest(t, t, share[t]) for t in tfs]
    infra = []
    for qid, label in INFRASTRUCTURE:
        have: list[str] = []
        lack: list[str] = []
        for r in results:
            q = next((q for a in r["areas"] for q in a["questions"] if q["id"] == qid), None)
            if q is None:
                continue
            (have if q.get("score") is not None and q["score"] >= 100 else lack).append(
                r["municipality"]["name"])
        if have and lack:
            infra.append(Infrastructure(qid, label, have, lack))
    for m, q in zip(members, quotas(caps, len(tfs)), strict=True):
        m.quota = q
    return ConvoyResult(members, areas, themen, infra, allocate(members, share), basis, notes,
                        area_values, {t: share[t] for t in tfs})


def allocate(members: list[Member], share: dict[str, dict[str, float | None]]
             ) -> list[Assignment]:
    """Greedy by strength: the (member, Themenfeld) pairs are taken strongest first; a pair is
    used while the Themenfeld is open and the member has quota left. Ties: higher overall
    index, then larger capacity, then name. Only members with services of a Themenfeld in
    scope can take it; if all of those are full, the strongest of them takes it over quota."""
    by_name = {m.name: m for m in members}
    left = {m.name: m.quota for m in members}

    def key(t: tuple[float, str, str]) -> tuple[Any, ...]:
        strength, name, tf = t
        m = by_name[name]
        return (-strength, -(m.score or 0.0), -m.capacity, name, tf)

    pairs = sorted(((v or 0.0, n, tf) for tf, vals in share.items() for n, v in vals.items()),
                   key=key)
    chosen: dict[str, Assignment] = {}
    for strength, name, tf in pairs:
        if tf in chosen or left[name] <= 0:
            continue
        left[name] -= 1
        ranked = sorted(((v or 0.0, n, tf) for n, v in share[tf].items()), key=key)
        ahead = ranked[:ranked.index((strength, name, tf))]
        stronger = [n for v, n, _ in ahead if v > strength]
        level = [n for v, n, _ in ahead if v == strength]
        if not ahead:
            reason = (f"stärkstes Mitglied in diesem Themenfeld ({_fmt(strength)} der "
                      "Leistungen am Ziel)")
            if len(ranked) > 1 and ranked[1][0] == strength:
                reason += " (Gleichstand: höherer Gesamtindex bzw. Kapazität entscheidet)"
        else:
            parts = []
            if stronger:
                parts.append(f"stärker: {', '.join(stronger)}")
            if level:
                parts.append(f"gleich stark: {', '.join(level)}")
            reason = (f"{_fmt(strength)} der Leistungen am Ziel; {'; '.join(parts)} – "
                      "aber ausgelastet (Quote erreicht)")
        reason += f"; Quote {by_name[name].quota}"
        chosen[tf] = Assignment(tf, name, share[tf][name], reason)
    for tf in sorted(set(share) - set(chosen)):
        ranked = sorted(((v or 0.0, n, tf) for n, v in share[tf].items()), key=key)
        strength, name, _ = ranked[0]
        chosen[tf] = Assignment(tf, name, share[tf][name],
                                f"alle zuständigen Mitglieder ausgelastet; stärkstes "
                                f"({_fmt(strength)}"
                                " am Ziel) übernimmt über seine Quote hinaus")
    return [chosen[tf] for tf in sorted(chosen)]
