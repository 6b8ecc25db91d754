"""Geleitzug (`app.convoy`): strength, capacity, the KDO's compositions and the exact
assignment of Themenfelder, on stored results built here service by service (as
`scoring.summary.summarise` writes them) and on the example municipalities."""

from __future__ import annotations

import itertools
import random

import pytest

from ozgkompass.app.convoy import (
    assign,
    composition,
    convoy,
    counted_populations,
    default_capacity,
    strength,
)
from ozgkompass.errors import UserError

TF = ["Arbeit & Ruhestand", "Bauen & Wohnen", "Bildung", "Ein- & Auswanderung",
      "Engagement & Hobby", "Familie & Kind", "Forschung & Förderung", "Gesundheit",
      "Mobilität & Reisen", "Querschnitt", "Recht & Ordnung", "Steuern & Zoll", "Umwelt",
      "Unternehmensführung & -entwicklung"]
KREIS_ONLY = {"Umwelt"}  # a Themenfeld with Kreis services only


def svc(ozg_id: str, tf: str, level: int, target: int = 3) -> dict:
    return {"ozg_id": ozg_id, "name": f"Leistung {ozg_id}", "themenfeld": tf,
            "level": level, "target": target, "at_target": level >= target}


def result(name: str, services: list[dict], *, mtype: str = "gemeinde",
           ars: str | None = None, population: int | None = 5_000, score: float = 50.0,
           land: str = "Niedersachsen", kreis: str | None = None, forms: float = 0.0) -> dict:
    """A stored result as the convoy reads it: areas with the infrastructure questions and
    the catalogue result with its services and Themenfeld roll-up."""
    groups = {}
    for s in services:
        g = groups.setdefault(s["themenfeld"], [0, 0])
        g[0] += 1
        g[1] += s["at_target"]
    return {
        "municipality": {"name": name, "type": mtype, "ars": ars, "population": population,
                         "land": land, "kreis": kreis},
        "score": score,
        "areas": [{"id": "forms", "title": "Formulare", "score": forms,
                   "questions": [{"id": "forms_server", "score": forms}]}],
        "catalogue": {"services": services, "by_themenfeld": [
            {"name": tf, "services": n, "at_target": k, "share": 100.0 * k / n}
            for tf, (n, k) in groups.items()]},
    }


def kreis_services(levels: dict[str, int]) -> list[dict]:
    """Two Kreis services in every Themenfeld (ids K<field>-<i>)."""
    return [svc(f"K{TF.index(tf)}-{i}", tf, lv) for tf, lv in levels.items() for i in (1, 2)]


def gemeinde_services(levels: dict[str, list[int]]) -> list[dict]:
    """The Gemeinde services of each Themenfeld (ids G<field>-<i>), one level each."""
    return [svc(f"G{TF.index(tf)}-{i}", tf, lv) for tf, lvs in levels.items()
            for i, lv in enumerate(lvs)]


def heidmoor(members: int = 26, seed: int = 27) -> list[dict]:
    """A synthetic Landkreis with `members` kreisangehörige Gemeinden (as in issue 27: 27
    members, four of them strong, index 85–92 %); levels drawn once from a fixed seed."""
    rnd = random.Random(seed)
    out = [result("Landkreis Heidmoor", kreis_services({tf: rnd.randint(0, 3) for tf in TF}),
                  mtype="landkreis", ars="039990000000", population=180_000, score=60.0)]
    for i in range(members):
        strong = i in (3, 9, 14, 21)
        levels = {tf: [3 if strong and rnd.random() < 0.9 else rnd.choice((0, 0, 1, 2, 3))
                       for _ in range(3)] for tf in TF if tf not in KREIS_ONLY}
        out.append(result(f"Gemeinde {i:02d}", gemeinde_services(levels),
                          ars=f"0399900{i:02d}012"[:12], population=2_000 + 500 * (i % 7),
                          score=85.0 + i % 8 if strong else 20.0 + 2 * i,
                          kreis="Landkreis Heidmoor"))
    return out


# ---- strength -----------------------------------------------------------------------------

def test_strength_is_the_mean_way_to_the_target_not_a_share_at_target():
    # levels 2 of 3 and 3 of 3: none / one at target (share 0 or 50), strength (2/3 + 1) / 2
    assert strength([svc("a", "X", 2), svc("b", "X", 3)]) == pytest.approx(100 * 5 / 6)
    assert strength([svc("a", "X", 2), svc("b", "X", 2)]) == pytest.approx(100 * 2 / 3)
    assert strength([svc("a", "X", 4, target=3)]) == 100.0  # beyond the target counts as 1
    assert strength([svc("a", "X", 0)]) == 0.0
    assert strength([]) is None


def test_strength_separates_members_a_share_at_target_cannot():
    a = result("Gemeinde A", [svc("1", "Bauen & Wohnen", 2), svc("2", "Bauen & Wohnen", 2)])
    b = result("Gemeinde B", [svc("1", "Bauen & Wohnen", 0), svc("2", "Bauen & Wohnen", 1)])
    res = convoy([b, a])
    assert res.themenfeld_shares["Bauen & Wohnen"] == {"Gemeinde A": 0.0, "Gemeinde B": 0.0}
    assert res.themenfeld_values["Bauen & Wohnen"] == {"Gemeinde A": 67.0, "Gemeinde B": 17.0}
    assert res.allocation[0].member == "Gemeinde A"


# ---- the assignment problem ----------------------------------------------------------------

def brute_force(costs: list[list[int | None]], capacity: list[int]) -> tuple[int, int]:
    """(rows assigned, total cost) of the best assignment, by trying every one."""
    best = (0, 0)
    for choice in itertools.product([None, *range(len(capacity))], repeat=len(costs)):
        if any(choice.count(j) > c for j, c in enumerate(capacity)):
            continue
        if any(j is not None and costs[i][j] is None for i, j in enumerate(choice)):
            continue
        picked = [costs[i][j] for i, j in enumerate(choice) if j is not None]
        key = (len(picked), -sum(picked))  # type: ignore[arg-type]
        if key > (best[0], -best[1]):
            best = (len(picked), sum(picked))  # type: ignore[arg-type]
    return best


def test_assignment_is_exact_against_trying_every_assignment():
    rnd = random.Random(2026)
    for _ in range(400):
        rows, cols = rnd.randint(1, 5), rnd.randint(1, 4)
        costs = [[None if rnd.random() < 0.2 else rnd.randint(-30, 10) for _ in range(cols)]
                 for _ in range(rows)]
        capacity = [rnd.randint(0, 2) for _ in range(cols)]
        got = assign(costs, capacity)
        assert all(got.count(j) <= c for j, c in enumerate(capacity))
        assert all(j is None or costs[i][j] is not None for i, j in enumerate(got))
        picked = [costs[i][j] for i, j in enumerate(got) if j is not None]
        assert (len(picked), sum(picked)) == brute_force(costs, capacity), (costs, capacity)


# ---- allocation in a 27-member Kreis ------------------------------------------------------

def test_strong_members_lead_whatever_their_population():
    members = heidmoor()
    res = convoy(members)
    assert len(res.members) == 27 and len(res.allocation) == len(TF)
    values = res.themenfeld_values
    for a in res.allocation:
        assert a.member is not None
        if a.strength == 0:
            assert max(v for v in values[a.themenfeld].values() if v is not None) < 80, a
        # capacity limits how far a member leads beyond its share: never beyond it
    for m in res.members:
        assert len(m.leads) <= m.capacity
    strong = ["Gemeinde 03", "Gemeinde 09", "Gemeinde 14", "Gemeinde 21"]
    assert all(next(m for m in res.members if m.name == n).leads for n in strong)
    # a stronger member passed over is at its capacity, and the reason says so
    for a in res.allocation:
        led_by = {m.name: m for m in res.members}
        for name, v in values[a.themenfeld].items():
            if v is not None and v > (a.strength or 0):
                assert len(led_by[name].leads) == led_by[name].capacity
                assert name in a.reason and "ausgelastet" in a.reason


def test_the_proposal_does_not_depend_on_the_order_of_the_members():
    members = heidmoor()
    res = convoy(members)
    shuffled = members[:]
    random.Random(1).shuffle(shuffled)
    again = convoy(shuffled)
    assert [(a.themenfeld, a.member, a.co_leads, a.reason) for a in again.allocation] == [
        (a.themenfeld, a.member, a.co_leads, a.reason) for a in res.allocation]


def test_ties_are_broken_by_the_documented_order_never_by_list_order():
    # both at target in the field (strength 100); B's levels are higher (4 against 3)
    a = result("Gemeinde A", [svc("1", "Bildung", 3)], score=90.0)
    b = result("Gemeinde B", [svc("1", "Bildung", 4)], score=10.0)
    for order in ([a, b], [b, a]):
        [lead] = convoy(order).allocation
        assert lead.member == "Gemeinde B"
        assert "Gleichstand entschieden durch höhere mittlere Stufe (4,0 gegen 3,0)" in lead.reason
    # same levels: the higher index decides, then the name
    c = result("Gemeinde C", [svc("1", "Bildung", 3)], score=20.0)
    assert convoy([c, a]).allocation[0].member == "Gemeinde A"
    d = result("Gemeinde D", [svc("1", "Bildung", 3)], score=90.0)
    for order in ([d, a], [a, d]):
        [lead] = convoy(order).allocation
        assert lead.member == "Gemeinde A" and "alphabetisch" in lead.reason


# ---- capacity -------------------------------------------------------------------------------

def test_capacity_for_one_member_leaves_the_others_at_their_default():
    members = heidmoor()
    default = {m.name: m.capacity for m in convoy(members).members}
    res = convoy(members, {"Gemeinde 03": 2})
    for m in res.members:
        assert m.capacity == (2 if m.name == "Gemeinde 03" else default[m.name]), m.name
        assert m.capacity_source == ("angegeben" if m.name == "Gemeinde 03"
                                     else "Einwohnerzahl")
    assert res.capacity_basis.startswith("angegeben für Gemeinde 03 (2); die übrigen aus "
                                         "der Einwohnerzahl")
    assert all(m.capacity >= 1 for m in res.members)
    res = convoy(members, {"Gemeinde 03": 0})
    assert "Gemeinde 03" not in {a.member for a in res.allocation}


def test_capacity_given_for_all_and_too_small_leaves_a_field_open_with_the_reason():
    a = result("Gemeinde A", [svc("1", "Bildung", 3), svc("2", "Umwelt", 3),
                              svc("3", "Gesundheit", 1)])
    b = result("Gemeinde B", [svc("1", "Bildung", 2), svc("2", "Umwelt", 2)])
    res = convoy([a, b], {"Gemeinde A": 1, "Gemeinde B": 1})
    assert res.capacity_basis == "angegeben für alle Mitglieder"
    lead = {x.themenfeld: x for x in res.allocation}
    # two seats for three fields: A (100 % in Bildung and Umwelt, 33 % in Gesundheit) leads
    # one of the first two, B (67 %) the other; Gesundheit, only A's, stays open
    assert lead["Gesundheit"].member is None
    assert {lead["Bildung"].member, lead["Umwelt"].member} == {"Gemeinde A", "Gemeinde B"}
    assert lead["Gesundheit"].reason.startswith(
        "keine Federführung: alle zuständigen Mitglieder sind mit ihrer Kapazität "
        "ausgelastet; stärkstes: Gemeinde A (33\u00a0%) führt schon ")


def test_capacity_errors_name_the_member():
    a, b = result("Gemeinde A", [svc("1", "Bildung", 3)]), result("Gemeinde B", [])
    with pytest.raises(UserError, match="unbekannte Kommune.*Gemeinde X"):
        convoy([a, b], {"Gemeinde X": 1})
    with pytest.raises(UserError, match="Gemeinde A: erwartet eine ganze Zahl ab 0"):
        convoy([a, b], {"Gemeinde A": -1})


def test_default_capacity_is_the_share_rounded_up_at_least_one():
    # 14 fields: 70 % → 9.8 → 10; 15 % → 2.1 → 3; 5 % → 0.7 → 1; 10 % → 1.4 → 2
    assert default_capacity([70_000, 15_000, 5_000, 10_000], 14) == [10, 3, 1, 2]
    assert default_capacity([None, 0, 1_000], 4) == [1, 1, 4]
    assert default_capacity([None, None, None], 7) == [3, 3, 3]
    assert sum(default_capacity([1] * 27, 14)) >= 14


def test_kreis_population_is_not_counted_twice():
    kreis = {"name": "Landkreis Heidmoor", "type": "landkreis", "ars": "039990000000",
             "population": 100_000}
    samtgemeinde = {"name": "Samtgemeinde Moorland", "type": "gemeindeverband",
                    "ars": "039994010000", "population": 20_000}
    mitglied = {"name": "Gemeinde Torfhausen", "type": "gemeinde", "ars": "039994010001",
                "population": 5_000}
    gemeinde = {"name": "Gemeinde Lindenau", "type": "gemeinde", "ars": "039990005012",
                "population": 10_000}
    other = {"name": "Gemeinde Anderswo", "type": "gemeinde", "ars": "039980005012",
             "population": 7_000}
    counted = counted_populations([kreis, samtgemeinde, mitglied, gemeinde, other])
    assert counted == [(70_000, 30_000), (15_000, 5_000), (5_000, 0), (10_000, 0), (7_000, 0)]
    # the Kreis's inhabitants in the convoy: each counted once
    assert sum(c for c, _ in counted[:4]) == kreis["population"]
    # and the report says so
    members = heidmoor(members=4)
    res = convoy(members)
    inside = sum(m["municipality"]["population"] for m in members[1:])
    assert res.members[0].counted_population == 180_000 - inside
    assert any(n.startswith("Landkreis Heidmoor: für die Kapazität ohne die "
                            f"{inside:,}".replace(",", ".")) for n in res.notes)


# ---- compositions --------------------------------------------------------------------------

def muni(name: str, mtype: str, ars: str, land: str = "Niedersachsen") -> dict:
    return {"name": name, "type": mtype, "ars": ars, "land": land, "population": 1_000}


KREIS = muni("Landkreis Heidmoor", "landkreis", "039990000000")
GEMEINDEN = [muni("Gemeinde Lindenau", "gemeinde", "039990005012"),
             muni("Stadt Moorburg", "stadt", "039990006006"),
             muni("Samtgemeinde Moorland", "gemeindeverband", "039994010000"),
             muni("Gemeinde Anderswo", "gemeinde", "039980005012"),
             muni("Stadt Weit", "stadt", "039970001001")]


def test_the_three_kdo_compositions_are_recognised():
    one = composition([KREIS, *GEMEINDEN[:3]])
    assert (one.form, one.warnings) == ("kreis", [])
    assert one.label == "ein Landkreis mit kreisangehörigen Verwaltungen"
    two = composition([KREIS, muni("Landkreis Nachbar", "landkreis", "039980000000")])
    assert (two.form, two.warnings) == ("landkreise", [])
    five = composition(GEMEINDEN)
    assert (five.form, five.warnings) == ("gemeinden", [])


@pytest.mark.parametrize(("members", "reason"), [
    ([KREIS, GEMEINDEN[0], GEMEINDEN[3]],
     "Gemeinde Anderswo (03998…) gehört nicht zum Landkreis Heidmoor (03999…)"),
    (GEMEINDEN[:4], "nur 4 Gemeinden/Städte; ein Geleitzug nur aus Gemeinden hat mindestens 5"),
    ([KREIS, muni("Landkreis Nachbar", "landkreis", "039980000000"), GEMEINDEN[0]],
     "2 Landkreise zusammen mit 1 Gemeinden/Städten"),
    ([KREIS, {**GEMEINDEN[0], "type": None}], "Typ der Kommune fehlt bei Gemeinde Lindenau"),
])
def test_other_compositions_are_allowed_with_a_warning_and_the_reason(members, reason):
    c = composition(members)
    assert c.form is None and c.label == "keine der drei Formen"
    assert len(c.warnings) == 1
    assert reason in c.warnings[0] and "steht den Beteiligten frei" in c.warnings[0]


def test_members_in_several_laender_are_warned_about():
    c = composition([KREIS, muni("Kreis Süd", "landkreis", "059990000000",
                                 "Nordrhein-Westfalen")])
    assert c.form == "landkreise"
    assert c.warnings == ["Mitglieder aus mehreren Ländern (NI, NW): Zuständigkeiten und "
                          "Landesportale unterscheiden sich je Land."]


# ---- services a lead does not execute -----------------------------------------------------

def test_kreis_services_in_a_field_a_gemeinde_leads_go_to_the_kreis():
    bau = "Bauen & Wohnen"
    kreis = result("Landkreis Heidmoor", [svc("10062", bau, 1), svc("10059", bau, 1)],
                   mtype="landkreis", ars="039990000000", population=50_000)
    strong = result("Gemeinde Lindenau", [svc("10100", bau, 3)], ars="039990005012",
                    population=3_000)
    weak = result("Gemeinde Moorburg", [svc("10100", bau, 1)], ars="039990006006",
                  population=4_000)
    res = convoy([kreis, strong, weak])
    [a] = res.allocation
    assert a.member == "Gemeinde Lindenau"
    assert [(e.ozg_id, e.member) for e in a.elsewhere] == [("10059", "Landkreis Heidmoor"),
                                                          ("10062", "Landkreis Heidmoor")]
    assert a.elsewhere[0].reason == ("nicht Aufgabe von Gemeinde Lindenau; einziges "
                                     "zuständiges Mitglied")
    assert a.co_leads == ["Landkreis Heidmoor", "Gemeinde Moorburg"]
    assert res.composition.form == "kreis" and res.name == "Landkreis Heidmoor"


def test_convoy_needs_two_members_with_a_catalogue_result():
    a = result("Gemeinde A", [svc("1", "Bildung", 3)])
    with pytest.raises(UserError, match="mindestens zwei"):
        convoy([a])
    with pytest.raises(UserError, match="mehrfach"):
        convoy([a, a])
    with pytest.raises(UserError, match="OZG-Katalog"):
        convoy([a, {**result("Gemeinde B", []), "catalogue": None}])


def test_results_stored_without_services_fall_back_to_the_share():
    a = result("Gemeinde A", [svc("1", "Bildung", 3)])
    b = result("Gemeinde B", [svc("1", "Bildung", 2)])
    del b["catalogue"]["services"]
    res = convoy([a, b])
    assert res.themenfeld_values["Bildung"] == {"Gemeinde A": 100.0, "Gemeinde B": 0.0}
    assert any("Gemeinde B sind keine Leistungen gespeichert" in n for n in res.notes)


def test_gemeinde_services_in_a_field_the_kreis_leads_stay_with_one_gemeinde():
    tf = "Engagement & Hobby"
    kreis = result("Landkreis Heidmoor", [svc("10160", tf, 3)], mtype="landkreis",
                   ars="039990000000", population=50_000)
    # Moorburg is the stronger Gemeinde in the field, Lindenau the better at 10135 alone
    moorburg = result("Gemeinde Moorburg", [svc("10135", tf, 2), svc("10145", tf, 3)],
                      ars="039990006006", population=4_000)
    lindenau = result("Gemeinde Lindenau", [svc("10135", tf, 3), svc("10145", tf, 0)],
                      ars="039990005012", population=3_000)
    [a] = convoy([lindenau, kreis, moorburg]).allocation
    assert a.member == "Landkreis Heidmoor"
    assert [(e.ozg_id, e.member) for e in a.elsewhere] == [("10135", "Gemeinde Moorburg"),
                                                          ("10145", "Gemeinde Moorburg")]
    assert a.co_leads == ["Gemeinde Moorburg", "Gemeinde Lindenau"]


def test_fields_only_one_member_executes_raise_its_default_capacity():
    # all inhabitants are the Gemeinden's: the Kreis counts 0, but two fields are its alone
    kreis = result("Landkreis Heidmoor", [svc("1", "Umwelt", 1), svc("2", "Recht & Ordnung", 1),
                                          svc("3", "Bildung", 1)],
                   mtype="landkreis", ars="039990000000", population=8_000)
    towns = [result(f"Gemeinde {c}", [svc("9", "Bildung", 3)], ars=f"03999000{i}012",
                    population=4_000) for i, c in enumerate("AB")]
    res = convoy([kreis, *towns])
    assert res.members[0].counted_population == 0
    assert res.members[0].capacity == 2
    assert {a.themenfeld: a.member for a in res.allocation} == {
        "Umwelt": "Landkreis Heidmoor", "Recht & Ordnung": "Landkreis Heidmoor",
        "Bildung": "Gemeinde A"}
    assert ("Landkreis Heidmoor: Kapazität 2, weil nur dieses Mitglied Leistungen in Recht & "
            "Ordnung, Umwelt ausführt.") in res.notes
    # a capacity given stays as given (the field then stays open, with the reason)
    res = convoy([kreis, *towns], {"Landkreis Heidmoor": 1})
    assert [a.member for a in res.allocation].count(None) == 1
