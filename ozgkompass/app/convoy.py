"""Geleitzug: several municipalities split OZG work by Themenfeld (docs/convoy.md).

Pure functions over scored results (`scoring.summary.summarise`, with catalogue results): who is
strongest where, which infrastructure one member has and others lack, which of the KDO's
compositions the members form, and a proposed split of the Themenfelder: each led by the
member strongest in it within every member's capacity, solved exactly as an assignment
problem (`assign`), with up to two co-leads, the services the lead does not execute placed
with a member that does, and the reasoning for every Themenfeld.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from ozgkompass.errors import UserError
from ozgkompass.model.laender import land_code

# Infrastructure a member can share or show the others (question id → German label).
INFRASTRUCTURE: tuple[tuple[str, str], ...] = (
    ("forms_server", "Formularserver / Antragsmanagement"),
    ("payment_platform", "ePayment-Anbindung"),
    ("backoffice_eakte", "E-Akte"),
    ("staff_trained_share", "geschultes Personal"),
)

# The levels a member's strength in a Themenfeld is made of: (field of a stored service,
# weight). Each term is the mean over the Themenfeld's services in the member's scope of
# level ÷ target (at most 1). A per-service `today` level (the level an existing online
# service has today, beside the reachable `level`) is added here as a second term, e.g.
# (("level", 1.0), ("today", 1.0)); results stored without it count the terms they carry.
STRENGTH_TERMS: tuple[tuple[str, float], ...] = (("level", 1.0),)

MAX_CO_LEADS = 2
# municipality types (answers file, municipality.type) by the KDO's compositions
# kreisangehörig ("verband" is the spelling of answer files before the Gemeindeverband types)
LOCAL_TYPES = frozenset({"gemeinde", "stadt", "gemeindeverband", "mitgliedsgemeinde", "verband"})
VERBAND_TYPES = frozenset({"gemeindeverband", "verband"})
KREIS_TYPE = "landkreis"
FORMS = {
    "kreis": "ein Landkreis mit kreisangehörigen Verwaltungen",
    "landkreise": "mehrere (mind. zwei) Landkreise",
    "gemeinden": "mehrere (mind. fünf) Gemeinden/Samtgemeinden/Städte",
}
MIN_GEMEINDEN = 5
MIN_KREISE = 2


@dataclass
class Member:
    name: str
    ars: str | None
    type: str | None
    population: int | None
    counted_population: int | None  # population counted for capacity (net for a Kreis)
    capacity: int  # Themenfelder it can lead at most
    capacity_source: str  # "Einwohnerzahl", "angegeben", "ohne Einwohnerzahl"
    score: float | None
    leads: list[str] = field(default_factory=list)


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
class ServiceShare:
    """A service of a Themenfeld its lead does not execute, placed with a member that does."""

    ozg_id: str
    name: str
    member: str
    reason: str


@dataclass
class Assignment:
    themenfeld: str
    member: str | None  # the lead; None: no member with capacity left executes the field
    strength: float | None
    reason: str
    co_leads: list[str] = field(default_factory=list)
    elsewhere: list[ServiceShare] = field(default_factory=list)


@dataclass
class Composition:
    form: str | None  # key of FORMS, None: none of the three
    label: str
    warnings: list[str]


@dataclass
class ConvoyResult:
    name: str  # the group's name (title and file name of the report)
    members: list[Member]
    composition: Composition
    areas: list[Strongest]
    themenfelder: list[Strongest]
    infrastructure: list[Infrastructure]
    allocation: list[Assignment]
    capacity_basis: str
    notes: list[str] = field(default_factory=list)
    # every member's value (member name → value) per area id and per Themenfeld
    area_values: dict[str, dict[str, float | None]] = field(default_factory=dict)
    themenfeld_values: dict[str, dict[str, float | None]] = field(default_factory=dict)
    themenfeld_shares: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f}\u00a0%"  # never wrapped before the sign


def _num(v: float) -> str:
    return f"{v:.1f}".replace(".", ",")


def _strongest(ident: str, title: str, values: dict[str, float | None]) -> Strongest:
    ranked = sorted(((v, n) for n, v in values.items() if v is not None),
                    key=lambda t: (-t[0], t[1].casefold(), t[1]))
    if not ranked:
        return Strongest(ident, title, None, None)
    return Strongest(ident, title, ranked[0][1], ranked[0][0],
                     ranked[1][1] if len(ranked) > 1 else None)


# ---- strength ---------------------------------------------------------------------------

def _progress(service: dict[str, Any], key: str) -> float | None:
    level, target = service.get(key), service.get("target")
    if level is None or target is None:
        return None
    return 1.0 if target <= 0 else min(level, target) / target


def strength(services: list[dict[str, Any]]) -> float | None:
    """A member's strength in a Themenfeld (0–100): over the field's services in its own
    scope, the mean of level ÷ target (capped at 1) for each term of `STRENGTH_TERMS`,
    weighted; a term counts only where every service carries it."""
    if not services:
        return None
    total = weight = 0.0
    for key, w in STRENGTH_TERMS:
        values = [_progress(s, key) for s in services]
        if any(v is None for v in values):
            continue
        total += w * sum(v for v in values if v is not None) / len(values)
        weight += w
    return None if not weight else 100.0 * total / weight


@dataclass
class _Standing:
    """One member in one Themenfeld: what the lead is chosen by."""

    name: str
    strength: float  # as shown (whole percent): the assignment compares what a reader sees
    mean_level: float
    services: int
    score: float

    def order(self) -> tuple[Any, ...]:
        """The documented order (docs/convoy.md): strength, then mean reachable level, then
        number of the field's services in scope, then overall index, then name."""
        return (-self.strength, -self.mean_level, -self.services, -self.score,
                self.name.casefold(), self.name)


def _tie_reason(a: _Standing, b: _Standing) -> str:
    if a.mean_level != b.mean_level:
        return f"höhere mittlere Stufe ({_num(a.mean_level)} gegen {_num(b.mean_level)})"
    if a.services != b.services:
        return f"mehr Leistungen des Themenfelds ({a.services} gegen {b.services})"
    if a.score != b.score:
        return f"höherer Reifeindex ({_fmt(a.score)} gegen {_fmt(b.score)})"
    return "Name in alphabetischer Reihenfolge"


# ---- the assignment problem --------------------------------------------------------------

def assign(costs: list[list[int | None]], capacity: list[int]) -> list[int | None]:
    """Exact minimum-cost assignment of rows (Themenfelder) to columns (members), each
    column taking at most `capacity[j]` rows; `None` cost: not allowed. First as many rows
    as possible are assigned, then the total cost is least. Returns the column of every row
    (None: unassigned). Solved as a rectangular assignment problem (Hungarian method with
    potentials, integer costs, so exact): every member is replicated once per capacity slot
    and every row has its own "unassigned" column, dearer than any assignment."""
    n = len(costs)
    if not n:
        return []
    real = [c for row in costs for c in row if c is not None] or [0]
    lo, hi = min(real), max(real)
    # one more row assigned always beats any saving in cost; a forbidden cell is worse
    # than leaving every row unassigned
    unassigned = hi + (hi - lo + 1) * (n + 1)
    forbidden = (n + 1) * (abs(unassigned) + abs(lo) + 1)
    slots = [j for j, cap in enumerate(capacity) for _ in range(min(max(cap, 0), n))]
    m = len(slots) + n

    def cost(i: int, k: int) -> int:
        if k >= len(slots):
            return unassigned if k - len(slots) == i else forbidden
        c = costs[i][slots[k]]
        return forbidden if c is None else c

    # e-maxx formulation, 1-based with a virtual column 0
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], math.inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    out: list[int | None] = [None] * n
    for k in range(1, m + 1):
        if p[k] and k - 1 < len(slots) and costs[p[k] - 1][slots[k - 1]] is not None:
            out[p[k] - 1] = slots[k - 1]
    return out


# ---- composition, capacity, name ----------------------------------------------------------

def _contains(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    """Whether `inner`'s inhabitants are also `outer`'s: a kreisangehörige Verwaltung in its
    Landkreis, a Mitgliedsgemeinde in its Samtgemeinde (by the Regionalschlüssel)."""
    oa, ia = outer.get("ars"), inner.get("ars")
    if not oa or not ia or oa == ia:
        return False
    if outer.get("type") == KREIS_TYPE:
        return inner.get("type") in LOCAL_TYPES and oa[:5] == ia[:5]
    if outer.get("type") in VERBAND_TYPES:
        return inner.get("type") in ("mitgliedsgemeinde", "gemeinde") and oa[:9] == ia[:9]
    return False


def counted_populations(munis: list[dict[str, Any]]) -> list[tuple[int | None, int]]:
    """Each member's population counted for capacity, and how many inhabitants of members
    inside it were taken off: a Landkreis (Samtgemeinde) without the inhabitants of its
    kreisangehörige Verwaltungen (Mitgliedsgemeinden) in the convoy, so nobody counts
    twice. Only the outermost member inside counts (a Samtgemeinde, not also its
    Mitgliedsgemeinden)."""
    out: list[tuple[int | None, int]] = []
    for m in munis:
        pop = m.get("population")
        inside = [x for x in munis if _contains(m, x)]
        direct = [x for x in inside if not any(_contains(y, x) for y in inside)]
        taken = sum(x.get("population") or 0 for x in direct)
        out.append((None if pop is None else max(pop - taken, 0), taken))
    return out


def composition(munis: list[dict[str, Any]]) -> Composition:
    """Which of the KDO's three compositions the members form (seed 000: a Landkreis with
    its kreisangehörige Verwaltungen, at least two Landkreise, at least five Gemeinden/
    Samtgemeinden/Städte). Anything else is allowed ("Die Konstellation … steht den
    Beteiligten frei") and gets a warning with the reason."""
    warnings: list[str] = []
    untyped = [m["name"] for m in munis if not m.get("type")]
    types = [m.get("type") for m in munis]
    kreise = [m for m in munis if m.get("type") == KREIS_TYPE]
    local = [m for m in munis if m.get("type") in LOCAL_TYPES]
    towns = [m for m in munis if m.get("type") in LOCAL_TYPES | {"kreisfreie_stadt"}]
    form: str | None = None
    why = ""
    if untyped:
        why = (f"Typ der Kommune fehlt bei {', '.join(untyped)} (municipality.type in der "
               "Antwortdatei)")
    elif len(kreise) == 1 and len(local) == len(munis) - 1:
        k = kreise[0]
        no_ars = [m["name"] for m in munis if not m.get("ars")]
        outside = [m for m in local if not _contains(k, m)]
        if no_ars:
            why = (f"Regionalschlüssel fehlt bei {', '.join(no_ars)}; ohne ihn ist nicht "
                   f"prüfbar, ob alle zum {k['name']} gehören")
        elif outside:
            why = ", ".join(f"{m['name']} ({m['ars'][:5]}…)" for m in outside) + (
                f" gehör{'t' if len(outside) == 1 else 'en'} nicht zum {k['name']} "
                f"({k['ars'][:5]}…)")
        else:
            form = "kreis"
    elif kreise and len(kreise) == len(munis):
        form = "landkreise"  # at least two: a convoy has at least two members
    elif not kreise and len(towns) == len(munis):
        if len(munis) >= MIN_GEMEINDEN:
            form = "gemeinden"
        else:
            why = (f"nur {len(munis)} Gemeinden/Städte; ein Geleitzug nur aus Gemeinden hat "
                   f"mindestens {MIN_GEMEINDEN}")
    elif len(kreise) >= MIN_KREISE:
        why = (f"{len(kreise)} Landkreise zusammen mit "
               f"{len(munis) - len(kreise)} Gemeinden/Städten")
    elif kreise and "kreisfreie_stadt" in types:
        why = "ein Landkreis zusammen mit einer kreisfreien Stadt"
    else:
        why = "keine der Formen passt zu den Typen der Mitglieder"
    if form is None:
        warnings.append("Die Zusammensetzung entspricht keiner der drei Formen des "
                        f"KDO-Geleitzugs ({'; '.join(FORMS.values())}): {why}. Die "
                        "Konstellation steht den Beteiligten frei; prüfen Sie, ob die "
                        "Aufteilung zu den Zuständigkeiten passt.")
    laender = sorted({c for m in munis if (c := land_code(m.get("land"), m.get("ars")))})
    if len(laender) > 1:
        warnings.append(f"Mitglieder aus mehreren Ländern ({', '.join(laender)}): "
                        "Zuständigkeiten und Landesportale unterscheiden sich je Land.")
    label = FORMS[form] if form else "keine der drei Formen"
    return Composition(form, label, warnings)


def group_name(munis: list[dict[str, Any]], form: str | None) -> str:
    """The convoy's name: its Landkreis, the shared Kreis of all members, else the largest
    member "und N weitere"."""
    if form == "kreis":
        return str(next(m["name"] for m in munis if m.get("type") == KREIS_TYPE))
    kreise = {m.get("kreis") for m in munis}
    if len(kreise) == 1 and None not in kreise:
        return str(kreise.pop())
    largest = sorted(munis, key=lambda m: (-(m.get("population") or 0),
                                           m["name"].casefold(), m["name"]))[0]
    return f"{largest['name']} und {len(munis) - 1} weitere"


def default_capacity(counted: list[int | None], seats: int) -> list[int]:
    """Themenfelder a member can lead by default: its share of the convoy's (counted)
    inhabitants times the number of Themenfelder, rounded up, at least one; a member
    without a population counts one. Without any population every member gets an equal
    share. The shares add up to at least `seats`, so every field can be led."""
    known = [c for c in counted if c is not None]
    total = sum(known)
    if not total:
        return [max(1, math.ceil(seats / len(counted)))] * len(counted)
    return [1 if c is None else max(1, math.ceil(seats * c / total)) for c in counted]


# ---- the convoy --------------------------------------------------------------------------

def _check(results: list[dict[str, Any]], capacity: dict[str, int] | None) -> list[str]:
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
    unknown = sorted(set(capacity or {}) - set(names))
    if unknown:
        raise UserError(f"Kapazität für unbekannte Kommune(n): {', '.join(unknown)}.",
                        hint=f"Namen der Mitglieder: {', '.join(names)}.")
    bad = [n for n, v in (capacity or {}).items()
           if not isinstance(v, int) or isinstance(v, bool) or v < 0]
    if bad:
        raise UserError(f"Kapazität für {', '.join(bad)}: erwartet eine ganze Zahl ab 0 (wie "
                        "viele Themenfelder das Mitglied höchstens federführend übernimmt).")
    return names


def _services(result: dict[str, Any]) -> dict[str, list[dict[str, Any]]] | None:
    """The member's services in scope by Themenfeld (None: stored without services)."""
    services = result["catalogue"].get("services")
    if services is None:
        return None
    out: dict[str, list[dict[str, Any]]] = {}
    for s in services:
        out.setdefault(s["themenfeld"], []).append(s)
    return out


def convoy(results: list[dict[str, Any]], capacity: dict[str, int] | None = None,
           name: str | None = None) -> ConvoyResult:
    """Aggregate a Geleitzug. `capacity` (member name → Themenfelder it can lead at most)
    overrides the default from population for the members named; `name` the group's name."""
    names = _check(results, capacity)
    munis = [r["municipality"] for r in results]
    notes: list[str] = []
    comp = composition(munis)
    notes += comp.warnings

    by_tf: dict[str, dict[str, list[dict[str, Any]]]] = {}  # field → member → services
    shares: dict[str, dict[str, float | None]] = {}
    without = []
    for n, r in zip(names, results, strict=True):
        mine = _services(r)
        if mine is None:
            without.append(n)
        for g in r["catalogue"]["by_themenfeld"]:
            if g["services"]:
                shares.setdefault(g["name"], {})[n] = g["share"]
                by_tf.setdefault(g["name"], {})[n] = (mine or {}).get(g["name"], [])
    if without:
        notes.append(f"Für {', '.join(without)} sind keine Leistungen gespeichert (ältere "
                     "Archivbewertung): ihre Stärke ist der Anteil der Leistungen am Ziel.")
    tfs = sorted(by_tf, key=lambda t: (t.casefold(), t))
    scores = {n: r.get("score") or 0.0 for n, r in zip(names, results, strict=True)}
    standing: dict[str, dict[str, _Standing]] = {}
    for tf in tfs:
        standing[tf] = {}
        for n, own in by_tf[tf].items():
            s = strength(own) if own else shares[tf].get(n)
            levels = [x["level"] for x in own if x.get("level") is not None]
            standing[tf][n] = _Standing(n, float(round(s or 0.0)),
                                        sum(levels) / len(levels) if levels else 0.0,
                                        len(own), scores[n])

    counted = counted_populations(munis)
    default = default_capacity([c for c, _ in counted], len(tfs))
    for i, n in enumerate(names):  # a field only one member executes needs that member
        alone = [tf for tf in tfs if list(by_tf[tf]) == [n]]
        if len(alone) > default[i]:
            default[i] = len(alone)
            if (capacity or {}).get(n) is None:
                notes.append(f"{n}: Kapazität {len(alone)}, weil nur dieses Mitglied "
                             f"Leistungen in {', '.join(alone)} ausführt.")
    members = []
    for i, (n, m) in enumerate(zip(names, munis, strict=True)):
        given = (capacity or {}).get(n)
        source = ("angegeben" if given is not None else
                  "Einwohnerzahl" if counted[i][0] is not None else "ohne Einwohnerzahl")
        members.append(Member(n, m.get("ars"), m.get("type"), m.get("population"),
                              counted[i][0], default[i] if given is None else given, source,
                              results[i].get("score")))
    basis = _capacity_basis(members, counted, notes)

    area_values = {a["id"]: {r["municipality"]["name"]: next(
        (x["score"] for x in r["areas"] if x["id"] == a["id"]), None) for r in results}
        for a in results[0]["areas"]}
    areas = [_strongest(a["id"], a["title"], area_values[a["id"]]) for a in results[0]["areas"]]
    values: dict[str, dict[str, float | None]] = {
        tf: {n: st.strength for n, st in standing[tf].items()} for tf in tfs}
    themen = []
    for tf in tfs:
        ranked = sorted(standing[tf].values(), key=_Standing.order)
        themen.append(Strongest(tf, tf, ranked[0].name, ranked[0].strength,
                                ranked[1].name if len(ranked) > 1 else None))
    allocation = allocate(members, standing, by_tf)
    for a in allocation:
        if a.member is not None:
            next(m for m in members if m.name == a.member).leads.append(a.themenfeld)
    return ConvoyResult(name or group_name(munis, comp.form), members, comp, areas, themen,
                        _infrastructure(results), allocation, basis, notes, area_values,
                        values, {tf: shares[tf] for tf in tfs})


def _capacity_basis(members: list[Member], counted: list[tuple[int | None, int]],
                    notes: list[str]) -> str:
    given = [m for m in members if m.capacity_source == "angegeben"]
    for m, (_, taken) in zip(members, counted, strict=True):
        if taken and m.capacity_source != "angegeben":
            notes.append(f"{m.name}: für die Kapazität ohne die "
                         f"{taken:,}".replace(",", ".") + " Einwohner der zugehörigen "
                         "Mitglieder gezählt (sie zählen bei ihrer eigenen Verwaltung).")
    unknown = [m.name for m in members if m.capacity_source == "ohne Einwohnerzahl"]
    if unknown:
        notes.append(f"Einwohnerzahl fehlt bei {', '.join(unknown)}: Kapazität 1 Themenfeld.")
    if len(given) == len(members):
        return "angegeben für alle Mitglieder"
    rule = "aus der Einwohnerzahl (Anteil am Geleitzug, aufgerundet, mindestens 1)"
    if not given:
        return rule
    return (f"angegeben für {', '.join(f'{m.name} ({m.capacity})' for m in given)}; "
            f"die übrigen {rule}")


def _infrastructure(results: list[dict[str, Any]]) -> list[Infrastructure]:
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
    return infra


def allocate(members: list[Member], standing: dict[str, dict[str, _Standing]],
             services: dict[str, dict[str, list[dict[str, Any]]]]) -> list[Assignment]:
    """Each Themenfeld to a lead: the assignment with the greatest total strength within
    every member's capacity (ties: the documented order of `_Standing.order`), found
    exactly by `assign`. Members are taken in name order, never in the order given."""
    tfs = sorted(standing, key=lambda t: (t.casefold(), t))
    order = sorted(members, key=lambda m: (m.name.casefold(), m.name))
    if not tfs:
        return []
    ranks = {tf: {st.name: i for i, st in enumerate(sorted(standing[tf].values(),
                                                           key=_Standing.order))}
             for tf in tfs}
    big = len(tfs) * len(order) + 1  # one point of strength outweighs every tie-break
    costs = [[None if m.name not in standing[tf] else
              -int(standing[tf][m.name].strength) * big + ranks[tf][m.name]
              for m in order] for tf in tfs]
    chosen = assign(costs, [m.capacity for m in order])
    leads = {tf: (None if j is None else order[j].name) for tf, j in zip(tfs, chosen,
                                                                         strict=True)}
    led: dict[str, list[str]] = {}
    for tf, n in leads.items():
        if n is not None:
            led.setdefault(n, []).append(tf)
    caps = {m.name: m.capacity for m in members}
    return [_explain(tf, leads[tf], standing[tf], services[tf], led, caps) for tf in tfs]


def _explain(tf: str, lead: str | None, standing: dict[str, _Standing],
             services: dict[str, list[dict[str, Any]]], led: dict[str, list[str]],
             caps: dict[str, int]) -> Assignment:
    ranked = sorted(standing.values(), key=_Standing.order)

    def busy(st: _Standing) -> str:
        fields = [t for t in led.get(st.name, []) if t != tf]
        what = (", ".join(fields) if 0 < len(fields) <= 2 else
                f"{len(fields)} Themenfelder" if fields else "keines")
        return f"{st.name} ({_fmt(st.strength)}) führt schon {what} (Kapazität {caps[st.name]})"

    if lead is None:
        return Assignment(tf, None, None, "keine Federführung: alle zuständigen Mitglieder "
                          "sind mit ihrer Kapazität ausgelastet; stärkstes: "
                          + busy(ranked[0]))
    me = standing[lead]
    ahead = ranked[:ranked.index(me)]
    if not ahead:
        reason = f"stärkstes Mitglied ({_fmt(me.strength)})"
        if len(ranked) > 1:
            nxt = ranked[1]
            reason += (f"; gleich stark: {nxt.name}, Gleichstand entschieden durch "
                       f"{_tie_reason(me, nxt)}" if nxt.strength == me.strength else
                       f"; nächstes: {nxt.name} ({_fmt(nxt.strength)})")
    else:  # the solver passes over a stronger member only when it is at its capacity
        stronger = [busy(st) for st in ahead if st.strength > me.strength]
        level = [busy(st) for st in ahead if st.strength == me.strength]
        reason = f"Stärke {_fmt(me.strength)}" + "".join(
            f"; {label}, aber ausgelastet: {'; '.join(who)}"
            for label, who in (("stärker", stronger), ("gleich stark", level)) if who)
    co_leads, elsewhere = _co_leads(lead, ranked, services)
    return Assignment(tf, lead, me.strength, reason, co_leads, elsewhere)


def _co_leads(lead: str, ranked: list[_Standing],
              services: dict[str, list[dict[str, Any]]]) -> tuple[list[str],
                                                                 list[ServiceShare]]:
    """The services of the field the lead does not execute (e.g. the Kreis's Baugenehmigung
    in a field a Gemeinde leads), each with the member strongest in the field among those
    that execute it (so they stay together); then up to two co-leads: those members first,
    then the next strongest."""
    own = {s["ozg_id"] for s in services.get(lead, [])}
    elsewhere: list[ServiceShare] = []
    seen: set[str] = set()
    for st in ranked:
        for s in services.get(st.name, []):
            if s["ozg_id"] in own or s["ozg_id"] in seen:
                continue
            seen.add(s["ozg_id"])
            doers = [x.name for x in ranked
                     if any(y["ozg_id"] == s["ozg_id"] for y in services.get(x.name, []))]
            elsewhere.append(ServiceShare(
                s["ozg_id"], s["name"], doers[0],
                f"nicht Aufgabe von {lead}; " + ("einziges zuständiges Mitglied"
                                                 if len(doers) == 1 else
                                                 "stärkstes der zuständigen Mitglieder "
                                                 "in diesem Themenfeld")))
    co: list[str] = []
    for n in [e.member for e in elsewhere] + [st.name for st in ranked]:
        if n != lead and n not in co:
            co.append(n)
    return co[:MAX_CO_LEADS], sorted(elsewhere, key=lambda e: e.ozg_id)
