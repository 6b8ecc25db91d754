"""The built-in catalogue names OZG-Leistungen as the official catalogue does.

Compared with the public 2019 catalogue snapshot in ../shared/data (skipped without it):
an OZG-ID printed in a report must name the right service.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from ozgkompass.model.catalogue import builtin_catalogue

SNAPSHOT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ozg-katalog-2019"
# SDG Annex II procedures a German municipality runs (Regulation (EU) 2018/1724, Annex II):
# birth certificate, proof of residence, change of address, vehicle registration, emission
# sticker, business notification. Marriage certificates are not in Annex II.
ANNEX_II = {"10557", "10559", "10124", "10439", "10427", "10294"}


def _rows(name: str) -> list[dict[str, str]]:
    if not SNAPSHOT.is_dir():
        pytest.skip("OZG-Katalog 2019 (../shared/data/ozg-katalog-2019) nicht vorhanden")
    with open(SNAPSHOT / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_builtin_id_name_themenfeld_and_lage_matches_the_official_catalogue():
    official = {r["ozg_id"]: r for r in _rows("ozg_leistungen.csv")}
    wrong = []
    for s in builtin_catalogue().services:
        row = official.get(s.ozg_id)
        if row is None:
            wrong.append(f"{s.ozg_id} {s.name}: OZG-ID fehlt im Katalog 2019")
            continue
        got = (s.name, s.themenfeld, s.lage)
        want = (row["ozg_leistung"], row["themenfeld"], row["lage"])
        if got != want:
            wrong.append(f"{s.ozg_id}: {got} ≠ {want}")
    assert not wrong, "\n".join(wrong)


def test_builtin_leika_keys_belong_to_their_ozg_leistung():
    keys = {(r["leika_schluessel"], r["ozg_id"]) for r in _rows("leika_zu_ozg.csv")}
    wrong = [f"{s.ozg_id}: {x.key} ({x.name})" for s in builtin_catalogue().services
             for x in s.leika if x.key and (x.key, s.ozg_id) not in keys]
    assert not wrong, "\n".join(wrong)


def test_one_entry_per_ozg_leistung():
    counts = Counter(s.ozg_id for s in builtin_catalogue().services)
    assert [i for i, n in counts.items() if n > 1] == []


def test_exactly_the_annex_ii_procedures_are_marked_sdg_annex2():
    marked = {s.ozg_id for s in builtin_catalogue().services if s.attributes.sdg_annex2}
    assert marked == ANNEX_II
    assert all(s.attributes.sdg_annex2 is False for s in builtin_catalogue().services
               if s.ozg_id not in ANNEX_II)


def test_every_builtin_service_says_who_executes_it_and_its_audience():
    missing = [s.ozg_id for s in builtin_catalogue().services
               if s.executed_by is None or s.attributes.audience is None
               or s.attributes.written_form is None or s.attributes.in_person is None]
    assert missing == []
    by_id = {s.ozg_id: s for s in builtin_catalogue().services}
    assert by_id["10119"].attributes.in_person and by_id["10177"].attributes.in_person
    assert by_id["10562"].executed_by == "bund" and by_id["10104"].executed_by == "bund"
    assert by_id["10124"].executed_by == "gemeinde" and by_id["10439"].executed_by == "kreis"
