"""The catalogue model: responsibility rules, attribute flags, parsing with located errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ozgkompass.errors import DataError, UserError
from ozgkompass.model.catalogue import (
    Catalogue,
    Responsibility,
    ServiceAttributes,
    builtin_catalogue,
    catalogue_to_dict,
    derive_responsibility,
    load_catalogue,
    parse_catalogue,
    save_catalogue,
)
from ozgkompass.yamlio import parse_yaml

DATA = Path(__file__).resolve().parent / "data" / "catalogue"
SHARED_2019 = Path(__file__).parents[1].parent / "shared" / "data" / "ozg-katalog-2019"

M, P, N, U = (Responsibility.MUNICIPAL, Responsibility.POSSIBLY_MUNICIPAL,
              Responsibility.NOT_MUNICIPAL, Responsibility.UNKNOWN)


@pytest.mark.parametrize(("types", "expected"), [
    (["5"], M), (["2b"], M), (["3b"], M), (["4b"], M), ([" 4B "], M),
    (["2"], P), (["3"], P), (["2/3"], P), (["4"], P),
    (["1"], N), (["2a"], N), (["3a"], N), (["4a"], N), (["6"], N), (["11"], N),
    (["1, 2/3"], P), (["1, 4b"], M), (["1, 2"], P), (["1", "5"], M), (["4", "1"], P),
    (["44"], U), (["44", "1"], N), ([None], U), ([], U), ([""], U), (["", None, "44"], U),
])
def test_derive_responsibility(types, expected):
    assert derive_responsibility(types) is expected


def test_responsibility_labels_are_german():
    assert [r.label for r in Responsibility] == [
        "kommunal", "möglicherweise kommunal", "nicht kommunal", "unbekannt"]
    assert Responsibility("possibly_municipal") is P


def test_identification_follows_trust_level():
    assert ServiceAttributes(trust_level="substantiell").flag("identification") is True
    assert ServiceAttributes(trust_level="keines").flag("identification") is False
    assert ServiceAttributes().flag("identification") is None
    # an explicit value wins over the trust level
    assert ServiceAttributes(identification=False, trust_level="hoch").flag("identification") \
        is False
    assert ServiceAttributes(fees=True).flag("fees") is True
    with pytest.raises(KeyError):
        ServiceAttributes().flag("gebuehren")


def test_unknown_attributes():
    attrs = ServiceAttributes(fees=True, evidence=False, trust_level="basis")
    # identification follows from "basis"
    assert attrs.unknown() == ["sdg_annex2", "efa", "audience", "written_form", "in_person"]
    assert ServiceAttributes().unknown() == [
        "fees", "evidence", "identification", "trust_level", "sdg_annex2", "efa", "audience",
        "written_form", "in_person"]


def test_mini_catalogue_loads():
    cat = load_catalogue(DATA / "mini.yaml")
    assert (cat.id, cat.version, len(cat.services)) == ("mini", "2026.1-test", 3)
    assert cat.path and cat.path.endswith("mini.yaml")
    abfall = cat.get("10110")
    assert abfall is not None and abfall.responsibility is M and abfall.municipal_scope
    assert abfall.attributes.fees is True and abfall.attributes.flag("identification") is True
    assert abfall.priority == 2 and abfall.case_volume == 1200.0
    wohngeld = cat.get("10092")
    assert wohngeld.responsibility is P  # "1, 2/3" counts as 2/3; "44" does not count
    assert wohngeld.leika[1].key is None and wohngeld.leika[1].typisierung == "44"
    # explicit responsibility overrides the derived "not municipal"
    assert cat.get("10077").responsibility is P
    assert cat.get("99999") is None
    assert cat.themenfelder() == ["Bauen & Wohnen", "Arbeit & Ruhestand", "Steuern & Zoll"]


BAD_YAML = """\
format: 1
id: Test Katalog
version: "1"
title: T
source: S
services:
  - ozg_id: "1011"
    name: A
    themenfeld: Bauen & Wohnen
  - ozg_id: "10110"
    name: B
    themefeld: Bauen & Wohnen
  - ozg_id: "10110"
    name: C
    themenfeld: Umwelt
    attributes:
      fees: ja
      gebuehren: true
      trust_level: mittel
    priority: 5
  - ozg_id: "10111"
    name: D
    themenfeld: "  "
    responsibility: kommunal
    leika:
      - key: "123"
        name: X
"""


def test_parse_errors_are_located():
    loaded = parse_yaml(BAD_YAML, "bad.yaml")
    cat, issues = parse_catalogue(loaded.data, "bad.yaml")
    assert cat is None
    found = {(i.code, i.location.line) for i in issues if i.severity == "error"}
    assert ("bad-id", 2) in found
    assert ("ozg-id", 7) in found
    assert ("unknown-key", 12) in found
    assert ("missing-key", 10) in found  # services[1] has no themenfeld
    assert ("duplicate-ozg-id", 13) in found
    assert ("type", 17) in found  # fees: ja
    assert ("unknown-key", 18) in found  # gebuehren
    assert ("trust-level", 19) in found
    assert ("priority", 20) in found
    assert ("empty-text", 23) in found
    assert ("responsibility", 24) in found
    assert ("leika-key", 26) in found
    by_line = {i.location.line: i.message for i in issues}
    assert "Meinten Sie `themenfeld`?" in by_line[12]
    assert "Meinten Sie `municipal`?" in by_line[24]
    assert all(i.location.file == "bad.yaml" for i in issues)
    assert str(next(i for i in issues if i.code == "ozg-id").location) == "bad.yaml:7:5"


def test_load_catalogue_raises_data_error_with_all_issues(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_YAML, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_catalogue(path)
    assert len([i for i in info.value.issues if i.severity == "error"]) >= 12


def test_missing_format_is_a_warning_and_numbers_become_text():
    data = {"id": "x", "version": 2026.1, "title": "T", "source": "S",
            "services": [{"ozg_id": 10110, "name": "A", "themenfeld": "Umwelt",
                          "leika": [{"key": 99001001000000, "name": "L", "typisierung": 5}]}]}
    cat, issues = parse_catalogue(data, "x.json", positions=False)
    assert cat is not None
    assert {i.code for i in issues} == {"format-missing", "version-number"}
    svc = cat.services[0]
    assert (cat.version, svc.ozg_id, svc.leika[0].key, svc.leika[0].typisierung) == (
        "2026.1", "10110", "99001001000000", "5")
    assert svc.responsibility is M


def test_not_a_mapping_and_empty_services():
    cat, issues = parse_catalogue(["x"], "x.json")  # type: ignore[arg-type]
    assert cat is None and issues[0].code == "type"
    cat, issues = parse_catalogue({"format": 1, "id": "x", "version": "1", "title": "T",
                                   "source": "S", "services": []}, "x.json")
    assert cat is None and any(i.code == "empty" for i in issues)


def test_round_trip_yaml_and_json(tmp_path):
    cat = load_catalogue(DATA / "mini.yaml")
    doc = catalogue_to_dict(cat)
    assert doc["format"] == 1
    # the override is kept, derived responsibilities are not written
    assert [s.get("responsibility") for s in doc["services"]] == [
        None, None, "possibly_municipal"]
    for name in ("copy.json", "copy.yaml"):
        target = save_catalogue(cat, tmp_path / name)
        again = load_catalogue(target)
        assert again.services == cat.services
        assert (again.id, again.version, again.created) == (cat.id, cat.version, cat.created)
    assert json.loads((tmp_path / "copy.json").read_text(encoding="utf-8"))["id"] == "mini"
    assert "möglicherweise" not in (tmp_path / "copy.yaml").read_text(encoding="utf-8")
    # a plain dict is saved as well
    save_catalogue(doc, tmp_path / "dict.yml")
    assert load_catalogue(tmp_path / "dict.yml").services == cat.services


def test_load_errors_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="nicht gefunden"):
        load_catalogue(tmp_path / "fehlt.yaml")
    (tmp_path / "k.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"\.yaml, \.yml oder \.json"):
        load_catalogue(tmp_path / "k.csv")
    bad = tmp_path / "k.json"
    bad.write_text('{"id": "x",\n "version": }', encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_catalogue(bad)
    assert info.value.issues[0].code == "json-syntax"
    assert info.value.issues[0].location.line == 2


def test_catalogue_get_is_dict_backed():
    cat = load_catalogue(DATA / "mini.yaml")
    assert isinstance(cat, Catalogue)
    assert cat._index["10092"] is cat.get("10092")


def test_builtin_catalogue_loads_or_says_why():
    try:
        cat = builtin_catalogue()
    except UserError as exc:  # the bundled file is written by another part of the project
        assert "kommunal.yaml" in str(exc)
        return
    assert cat.id == "kommunal" and len(cat.services) > 0
    assert len({s.ozg_id for s in cat.services}) == len(cat.services)
    assert builtin_catalogue() is cat  # cached


def test_loading_the_imported_2019_catalogue_is_fast(tmp_path):
    if not SHARED_2019.is_dir():
        pytest.skip("OZG-Katalog 2019 (../shared/data/ozg-katalog-2019) nicht vorhanden")
    from ozgkompass.catalogue.importer import import_catalogue

    result = import_catalogue(
        [SHARED_2019 / "ozg_leistungen.csv", SHARED_2019 / "leika_zu_ozg.csv"],
        catalogue_id="ozg2019", version=None, title=None)
    path = save_catalogue(result.catalogue, tmp_path / "ozg2019.json")
    start = time.perf_counter()
    cat = load_catalogue(path)
    elapsed = time.perf_counter() - start
    assert len(cat.services) == 557
    assert elapsed < 0.5, f"Laden dauerte {elapsed:.3f} s"


LEIKA_ODDITIES = [
    {"key": "99041006000000", "name": "Elterngeld", "typisierung": "2/3"},
    {"key": None, "name": "  Elterngeld  ", "typisierung": " 4b ", "source_typisierung": "2/3"},
    {"name": "x", "typisierung": ""}, {"name": "x", "source_typisierung": "  "},
    {"key": 99041006000000, "name": "int key"}, {"key": "9904100600000", "name": "13 digits"},
    {"key": "99041006000000\n", "name": "newline"}, {"key": True, "name": "bool key"},
    {"name": "   "}, {"name": ""}, {"name": None}, {}, {"name": 5}, {"name": True},
    {"name": ["x"]}, {"name": "x", "typisierung": 4}, {"name": "x", "typisierung": 2.5},
    {"name": "x", "typisierung": True}, {"name": "x", "typisierung": ["4b"]},
    {"name": "x", "extra": 1}, {"name": "x", 3: "int key"}, "not a mapping", None, [],
]


@pytest.mark.parametrize("entry", LEIKA_ODDITIES, ids=repr)
def test_plainly_valid_leika_shortcut_gives_what_the_full_checks_give(monkeypatch, entry):
    """`_plain_leika` takes only entries the full checks accept without a word, and builds
    them as they do: with and without the shortcut the result and every message agree."""
    import ozgkompass.model.catalogue as catalogue_module

    def doc() -> dict[str, object]:
        return {"format": 1, "id": "k", "version": "1", "title": "T", "source": "S",
                "services": [{"ozg_id": "10000", "name": "Elterngeld", "themenfeld": "Familie",
                              "leika": [entry, {"name": "zweite", "typisierung": "1"}]}]}

    fast = parse_catalogue(doc(), "k.json", positions=False)
    monkeypatch.setattr(catalogue_module, "_plain_leika", lambda m: None)
    full = parse_catalogue(doc(), "k.json", positions=False)
    assert repr(fast) == repr(full)
    text = ("format: 1\nid: k\nversion: '1'\ntitle: T\nsource: S\nservices:\n"
            f"- {{ozg_id: '10000', name: E, themenfeld: F, leika: [{json.dumps(entry)}]}}\n")
    full_yaml = parse_catalogue(parse_yaml(text, "k.yaml").data, "k.yaml")
    monkeypatch.undo()
    assert repr(parse_catalogue(parse_yaml(text, "k.yaml").data, "k.yaml")) == repr(full_yaml)
