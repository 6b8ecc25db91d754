"""Reifegrad models as data: levels, criteria, which criteria each level needs.

Format: docs/maturity-model-format.md. Bundled: reifegrad-1.1 (default) and reifegrad-2.0.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ozgkompass.errors import DataError, UserError, display_path
from ozgkompass.fsutil import read_input
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.common import Checker
from ozgkompass.yamlio import MAX_BYTES, parse_yaml

DEFAULT_MODEL = "reifegrad-1.1"
APPLIES_IF = ("fees", "evidence", "identification")


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    description: str


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    description: str
    applies_if: str | None  # catalogue attribute that switches the criterion on; None = always


@dataclass(frozen=True)
class MaturityModel:
    id: str
    version: str
    title: str
    source: str
    note: str
    complete: bool
    compliant_level: int
    levels: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    requires: tuple[tuple[int, tuple[str, ...]], ...]  # level -> criteria ids that level needs
    translate_levels_from: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()
    sdg_level: int | None = None  # target of SDG Annex II services (once-only); None: highest
    in_person_level: int | None = None  # cap of services that need personal appearance
    frontend_level: int | None = None  # highest level of the front end (2.0: 3)
    notice: str = ""  # what every result must say about the model (replaced, assumptions)
    replaced_by: str | None = None  # id of the model that replaced this one

    @property
    def lowest_level(self) -> int:
        return self.levels[0].level

    @property
    def highest_level(self) -> int:
        return self.levels[-1].level

    @functools.cached_property
    def _by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @functools.cached_property
    def _needed_levels(self) -> dict[tuple[str, int], int]:
        return {(c.id, t): self._compute_needed_level(c.id, t)
                for c in self.criteria for t in range(self.highest_level + 1)}

    def criterion(self, cid: str) -> Criterion | None:
        return self._by_id.get(cid)

    @functools.cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def level(self, n: int) -> Level | None:
        return next((lv for lv in self.levels if lv.level == n), None)

    def level_name(self, n: int | None) -> str:
        if n is None:
            return "unbekannt"
        lv = self.level(n)
        return f"{n} {lv.name}" if lv else str(n)

    def needed(self, level: int) -> tuple[str, ...]:
        """The criteria a service must meet to reach `level` (before applicability)."""
        return dict(self.requires).get(level, ())

    def needed_level(self, criterion_id: str, target: int) -> int:
        """The lowest support a criterion needs so that nothing below `target` is blocked by it."""
        found = self._needed_levels.get((criterion_id, target))
        return found if found is not None else self._compute_needed_level(criterion_id, target)

    def _compute_needed_level(self, criterion_id: str, target: int) -> int:
        need = 0
        for lv, crits in self.requires:
            if lv <= target and criterion_id in crits:
                need = max(need, lv)
        return need

    def translate_level(self, from_model: str, level: int) -> int | None:
        table = dict(self.translate_levels_from).get(from_model)
        return None if table is None else dict(table).get(level)


def parse_model(text: str | bytes, shown: str) -> MaturityModel:
    doc = parse_yaml(text, shown)
    if doc.data is None:
        raise DataError(doc.issues)
    ck = Checker(doc, list(doc.issues))
    m = ck.mapping(doc.data, "Die Modelldatei", (1, 1))
    if m is None:
        raise DataError(ck.issues)
    ck.keys(m, ["format", "id", "version", "title", "source", "note", "complete",
                "compliant_level", "levels", "requires", "criteria", "translate_from",
                "sdg_level", "in_person_level", "frontend_level", "notice", "replaced_by"],
            ["id", "version", "title", "levels", "criteria", "requires", "compliant_level"],
            "dem Reifegradmodell")
    levels: list[Level] = []
    for i, raw in enumerate(ck.listing(m.get("levels"), "`levels`", m.pos) or []):
        lm = ck.mapping(raw, f"Stufe {i + 1}", m.pos)
        if lm is None:
            continue
        ck.keys(lm, ["level", "name", "description"], ["level", "name"], "einer Stufe")
        n = lm.get("level")
        if not isinstance(n, int) or n != i:
            ck.error(IssueCode.LEVEL_ORDER, f"Stufen müssen bei 0 beginnen und lückenlos steigen; "
                     f"erwartet {i}, gefunden {n!r}.", lm.pos)
        levels.append(Level(int(n) if isinstance(n, int) else i, str(lm.get("name", "")),
                            str(lm.get("description", "") or "")))
    criteria: list[Criterion] = []
    for raw in ck.listing(m.get("criteria"), "`criteria`", m.pos) or []:
        cm = ck.mapping(raw, "einem Kriterium", m.pos)
        if cm is None:
            continue
        ck.keys(cm, ["id", "name", "description", "applies_if"], ["id", "name"],
                "einem Kriterium")
        applies = cm.get("applies_if")
        if applies is not None and applies not in APPLIES_IF:
            ck.error(IssueCode.APPLIES_IF, f"`applies_if` {applies!r} unbekannt; erlaubt: "
                     f"{', '.join(APPLIES_IF)}.", cm.pos_of("applies_if"))
        if any(c.id == cm.get("id") for c in criteria):
            ck.error(IssueCode.DUPLICATE_ID, f"Kriterium {cm.get('id')!r} doppelt.", cm.pos)
        criteria.append(Criterion(str(cm.get("id")), str(cm.get("name")),
                                  str(cm.get("description", "") or ""), applies))
    ids = [c.id for c in criteria]
    requires: list[tuple[int, tuple[str, ...]]] = []
    req: Any = ck.mapping(m.get("requires"), "`requires`", m.pos) or {}
    for lv, crits in req.items():
        if not isinstance(lv, int) or not any(x.level == lv for x in levels):
            ck.error(IssueCode.REQUIRES, f"`requires`: {lv!r} ist keine Stufe des Modells.",
                     req.pos_of(lv))
            continue
        if crits == "all":
            requires.append((lv, tuple(ids)))
            continue
        names = [c for c in (crits or []) if isinstance(c, str)]
        for c in names:
            if c not in ids:
                ck.error(IssueCode.UNKNOWN_CRITERION,
                         f"`requires` {lv}: Kriterium {c!r} unbekannt.",
                         req.pos_of(lv))
        requires.append((lv, tuple(names)))
    translate: list[tuple[str, tuple[tuple[int, int], ...]]] = []
    tf = ck.mapping(m["translate_from"], "`translate_from`", m.pos_of("translate_from")) \
        if "translate_from" in m else None
    for other, spec in (tf or {}).items():
        table = spec.get("levels") if isinstance(spec, dict) else None
        if not isinstance(table, dict) or not all(
                isinstance(a, int) and isinstance(b, int) for a, b in table.items()):
            ck.error(IssueCode.TRANSLATE_FROM,
                     f"`translate_from.{other}` braucht `levels: {{alte Stufe: "
                     "neue Stufe, …}}` mit ganzen Zahlen.", tf.pos_of(other))  # type: ignore[union-attr]
            continue
        translate.append((str(other), tuple(table.items())))
    if not levels:
        ck.error(IssueCode.LEVELS,
                 "Ein Reifegradmodell braucht mindestens die Stufen 0 und 1.", m.pos)
    compliant = m.get("compliant_level")
    if levels and (not isinstance(compliant, int) or not 0 <= compliant <= levels[-1].level):
        ck.error(IssueCode.COMPLIANT_LEVEL,
                 "`compliant_level` muss eine Stufe des Modells sein.", m.pos)
    optional_levels: dict[str, int | None] = {}
    for key, code in (("sdg_level", IssueCode.SDG_LEVEL),
                      ("in_person_level", IssueCode.IN_PERSON_LEVEL),
                      ("frontend_level", IssueCode.FRONTEND_LEVEL)):
        value = m.get(key)
        if value is not None and levels and (isinstance(value, bool) or not isinstance(value, int)
                                             or not 0 <= value <= levels[-1].level):
            ck.error(code, f"`{key}` muss eine Stufe des Modells sein.",
                     m.pos_of(key))
            value = None
        optional_levels[key] = value
    if any(i.severity == "error" for i in ck.issues):
        raise DataError(ck.issues)
    return MaturityModel(
        id=str(m["id"]), version=str(m["version"]), title=str(m["title"]),
        source=str(m.get("source", "") or ""), note=str(m.get("note", "") or ""),
        complete=bool(m.get("complete", True)),
        compliant_level=int(compliant),  # type: ignore[arg-type]  # checked above
        levels=tuple(levels), criteria=tuple(criteria), requires=tuple(sorted(requires)),
        translate_levels_from=tuple(translate), notice=str(m.get("notice", "") or "").strip(),
        replaced_by=str(m["replaced_by"]) if m.get("replaced_by") else None,
        **optional_levels,
    )


@functools.cache
def builtin_models() -> dict[str, MaturityModel]:
    folder = resources.files("ozgkompass") / "data" / "models"
    models = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            model = parse_model(entry.read_bytes(), f"(eingebaut) {entry.name}")
            models[model.id] = model
    return models


def get_model(ref: str | None = None) -> MaturityModel:
    """A bundled model by id, or a model file by path."""
    ref = ref or DEFAULT_MODEL
    models = builtin_models()
    if ref in models:
        return models[ref]
    path = Path(ref)
    looks_like_path = path.suffix in (".yaml", ".yml") or "/" in ref or "\\" in ref
    if looks_like_path:
        if path.is_dir():
            raise UserError(f"{display_path(path)} ist ein Ordner, keine Modelldatei.",
                            hint="Den Pfad zur YAML-Datei des Modells angeben.")
        if not path.exists():
            raise UserError(f"Modelldatei {display_path(path)} gibt es nicht.",
                            hint=f"Pfad prüfen; eingebaut sind: {', '.join(models)}.")
        return parse_model(read_input(path, max_bytes=MAX_BYTES), display_path(path))
    raise UserError(
        f"Reifegradmodell {ref!r} ist unbekannt.",
        hint=f"Verfügbar: {', '.join(models)}; oder den Pfad zu einer Modelldatei angeben.",
    )
