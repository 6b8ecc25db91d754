"""Questionnaires: dataclasses, loading and validation (format: docs/questionnaire-format.md).

Validation walks the whole document and collects every problem with file, line and column;
it never stops at the first one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ozgkompass.errors import DataError, Issue
from ozgkompass.expressions import Condition, ExpressionError, parse
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.common import (
    QUESTION_ID_RE,
    RESPONSIBLE,
    VALUE_RE,
    Checker,
    Text,
    did_you_mean,
)
from ozgkompass.model.maturity import DEFAULT_MODEL, MaturityModel, builtin_models
from ozgkompass.yamlio import LoadedYaml, YMap, content_hash, load_yaml

TOP_KEYS = ("format", "id", "version", "title", "description", "languages", "maturity_model",
            "maturity_bands", "areas")
AREA_KEYS = ("id", "title", "description", "weight", "questions")
QUESTION_KEYS = ("id", "text", "help", "type", "weight", "required", "na", "when",
                 "recommendation", "responsible", "options", "min", "max", "labels", "unit",
                 "thresholds", "group_by")
OPTION_KEYS = ("value", "label", "score", "criteria", "criteria_by_model", "applies_to",
               "recommendation", "responsible", "exclusive", "otherwise")
THRESHOLD_KEYS = ("min", "label", "score", "criteria", "criteria_by_model", "applies_to",
                  "recommendation", "responsible")
BAND_KEYS = ("min", "name", "description")
NA_KEYS = ("allowed", "reason_required")


Levels = tuple[tuple[str, int], ...]  # (criterion id, level) pairs


class QType(StrEnum):
    SINGLE = "single_choice"
    MULTIPLE = "multiple_choice"
    YES_NO = "yes_no"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"
    # which OZG-Leistungen are online: asked per service of the municipality's scope,
    # grouped (docs/questionnaire-format.md); value {online: [OZG-IDs], nicht_online: [...]}
    SERVICES = "services_online"


GROUP_BY = ("themenfeld", "lage")
YES_NO_VALUES = ("ja", "nein")


@dataclass(frozen=True)
class Option:
    """A choice, a yes/no answer or a number threshold: what an answer is worth and evidences."""

    value: str
    label: Text
    score: float
    criteria: tuple[tuple[str, int], ...] = ()
    criteria_by_model: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    recommendation: Text | None = None
    responsible: str | None = None
    exclusive: bool = False
    min: float | None = None  # thresholds of number questions only
    # the criteria levels hold only for services with these catalogue attributes
    # (docs/questionnaire-format.md, "applies_to"); () = for every service
    applies_to: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    # the levels this answer evidences for the services outside `applies_to` (ELSTER only:
    # authentication 3 up to "substantiell", 2 for services that need "hoch")
    otherwise: tuple[tuple[str, int], ...] = ()

    @property
    def otherwise_scope(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """The services outside `applies_to` (one attribute: the values it does not name)."""
        from ozgkompass.model.catalogue import AUDIENCES, TRUST_LEVELS

        (attr, values), = self.applies_to
        allowed = {"audience": AUDIENCES, "trust_level": TRUST_LEVELS}.get(attr, (True, False))
        return ((attr, tuple(v for v in allowed if v not in values)),)

    def otherwise_for(self, model: MaturityModel, native_model: str) -> dict[str, int]:
        """The `otherwise` levels in `model` (translated where possible)."""
        return self._translated(self.otherwise, model, native_model)

    def criteria_for(self, model: MaturityModel, native_model: str) -> dict[str, int]:
        """Criteria levels this option evidences in `model` (translated where possible)."""
        explicit = dict(self.criteria_by_model).get(model.id)
        if explicit is not None:
            return dict(explicit)
        return self._translated(self.criteria, model, native_model)

    @staticmethod
    def _translated(levels: tuple[tuple[str, int], ...], model: MaturityModel,
                    native_model: str) -> dict[str, int]:
        if model.id == native_model:
            return dict(levels)
        out = {}
        for cid, level in levels:
            translated = model.translate_level(native_model, level)
            if translated is not None and model.criterion(cid) is not None:
                out[cid] = translated
        return out


@dataclass(frozen=True)
class Question:
    id: str
    area_id: str
    index: int  # position in the whole questionnaire, 0-based
    text: Text
    type: QType
    help: Text | None = None
    weight: float = 1.0
    required: bool = True
    na_allowed: bool = False
    na_reason_required: bool = False
    when: Condition | None = None
    recommendation: Text | None = None
    responsible: str | None = None
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    labels: tuple[tuple[int, Text], ...] = ()
    unit: str | None = None
    thresholds: tuple[Option, ...] = ()
    line: int | None = None
    group_by: str | None = None  # services_online: group services by themenfeld or lage

    @property
    def scored(self) -> bool:
        if self.type is QType.TEXT:
            return False
        if self.type is QType.NUMBER:
            return bool(self.thresholds)
        return True

    def option(self, value: Any) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def effective_options(self) -> tuple[Option, ...]:
        """Options including the implicit ja/nein of a yes/no question without options."""
        if self.type is QType.YES_NO and not self.options:
            return (Option("ja", Text.of("Ja"), 100.0), Option("nein", Text.of("Nein"), 0.0))
        return self.options

    def threshold_for(self, number: float) -> Option | None:
        chosen = None
        for t in self.thresholds:
            if t.min is not None and number >= t.min:
                chosen = t
        return chosen


@dataclass(frozen=True)
class Area:
    id: str
    title: Text
    description: Text | None
    weight: float
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Band:
    min: float
    name: str
    description: str = ""


DEFAULT_BANDS = (
    Band(0, "Einstieg", "Grundlagen fehlen noch weitgehend."),
    Band(25, "Aufbau", "Erste Bausteine sind da, vieles ist noch offen."),
    Band(50, "Fortgeschritten", "Die wichtigsten Bausteine sind vorhanden."),
    Band(75, "Vorreiter", "Weit fortgeschritten; Feinschliff und Ende-zu-Ende-Digitalisierung."),
)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    description: Text | None
    languages: tuple[str, ...]
    maturity_model: str
    bands: tuple[Band, ...]
    areas: tuple[Area, ...]
    hash: str
    path: str | None = None
    _index: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> list[Question]:
        return [q for a in self.areas for q in a.questions]

    def question(self, qid: str) -> Question | None:
        if not self._index:
            self._index.update({q.id: q for q in self.questions})
        return self._index.get(qid)

    def area(self, aid: str) -> Area | None:
        return next((a for a in self.areas if a.id == aid), None)

    def band_for(self, score: float | None) -> Band | None:
        """The band of a score as it is shown (whole percent), so number and name agree."""
        if score is None:
            return None
        score = math.floor(score + 0.5)
        chosen = self.bands[0]
        for b in self.bands:
            if score >= b.min:
                chosen = b
        return chosen


# --------------------------------------------------------------------------- parsing


class _QuestionnaireParser:
    def __init__(self, doc: LoadedYaml, models: dict[str, MaturityModel]) -> None:
        self.doc = doc
        self.ck = Checker(doc, list(doc.issues))
        self.models = models
        self.model: MaturityModel | None = None
        self.seen: dict[str, Question] = {}
        self.all_ids: set[str] = set()

    def parse(self) -> Questionnaire | None:
        ck = self.ck
        m = ck.mapping(self.doc.data, "Die Fragebogen-Datei", (1, 1))
        if m is None:
            return None
        ck.keys(m, TOP_KEYS, ("id", "version", "title", "areas"), "dem Fragebogen")
        if m.get("format", 1) != 1:
            ck.error(IssueCode.FORMAT, f"Formatversion {m.get('format')!r} wird nicht unterstützt; "
                     "diese ozgkompass-Version liest Format 1.", m.pos_of("format"))
        qid = ck.ident(m, "id", "dem Fragebogen")
        version = m.get("version")
        if version is not None and not isinstance(version, str | int | float):
            ck.error(IssueCode.TYPE,
                     "`version` muss ein Text sein, z. B. \"1.0.0\".", m.pos_of("version"))
        title = ck.text(m, "title", "dem Fragebogen")
        description = ck.text(m, "description", "dem Fragebogen")
        languages = m.get("languages", ["de"])
        if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
            ck.error(IssueCode.TYPE,
                     "`languages` muss eine Liste von Sprachcodes sein, z. B. [de, en].",
                     m.pos_of("languages"))
            languages = ["de"]
        model_id = m.get("maturity_model", DEFAULT_MODEL)
        if not isinstance(model_id, str):
            ck.error(IssueCode.TYPE, "`maturity_model` muss ein Text sein, z. B. reifegrad-1.1.",
                     m.pos_of("maturity_model"))
            model_id = DEFAULT_MODEL
        self.model = self.models.get(model_id)
        if self.model is None:
            ck.error(IssueCode.UNKNOWN_MODEL, f"Reifegradmodell {model_id!r} ist unbekannt."
                     + did_you_mean(str(model_id), self.models)
                     + f" Verfügbar: {', '.join(self.models)}.", m.pos_of("maturity_model"))
        bands = self._bands(m)
        # collect every question id first, so a condition can tell "later" from "unknown"
        for area in m.get("areas") or []:
            if isinstance(area, YMap):
                for q in area.get("questions") or []:
                    if isinstance(q, YMap) and isinstance(q.get("id"), str):
                        self.all_ids.add(q["id"])
        areas: list[Area] = []
        area_ids: dict[str, int] = {}
        raw_areas = ck.listing(m.get("areas"), "`areas`", m.pos_of("areas")) if "areas" in m \
            else None
        if raw_areas is not None and not raw_areas:
            ck.error(IssueCode.EMPTY,
                     "`areas` ist leer; ein Fragebogen braucht mindestens einen Bereich.",
                     m.pos_of("areas"))
        for i, raw in enumerate(raw_areas or []):
            am = ck.mapping(raw, f"Bereich {i + 1}", raw_areas.pos_of(i))  # type: ignore[union-attr]
            if am is None:
                continue
            area = self._area(am, i)
            if area is None:
                continue
            if area.id in area_ids:
                ck.error(IssueCode.DUPLICATE_ID,
                         f"Bereichs-ID {area.id!r} kommt doppelt vor (zuerst "
                         f"Zeile {area_ids[area.id]}).", am.pos_of("id"))
            else:
                area_ids[area.id] = am.pos_of("id")[0]
            areas.append(area)
        if any(i.severity == "error" for i in ck.issues):
            return None
        return Questionnaire(
            id=str(qid), version=str(version), title=title,  # type: ignore[arg-type]
            description=description, languages=tuple(languages), maturity_model=str(model_id),
            bands=bands, areas=tuple(areas), hash=content_hash(self.doc.data), path=self.doc.path,
        )

    def _bands(self, m: YMap) -> tuple[Band, ...]:
        if "maturity_bands" not in m:
            return DEFAULT_BANDS
        ck = self.ck
        raw = ck.listing(m["maturity_bands"], "`maturity_bands`", m.pos_of("maturity_bands"))
        bands: list[Band] = []
        for i, item in enumerate(raw or []):
            bm = ck.mapping(item, "einem Reifeband", raw.pos_of(i))  # type: ignore[union-attr]
            if bm is None:
                continue
            ck.keys(bm, BAND_KEYS, ("min", "name"), "einem Reifeband")
            lo = ck.number(bm, "min", "einem Reifeband", minimum=0)
            if lo is not None and bands and lo <= bands[-1].min:
                ck.error(IssueCode.BAND_ORDER,
                         "`maturity_bands` müssen nach `min` aufsteigend sortiert "
                         "sein.", bm.pos_of("min"))
            bands.append(Band(lo or 0, str(bm.get("name", "")), str(bm.get("description", ""))))
        if bands and bands[0].min != 0:
            ck.error(IssueCode.BAND_START,
                     "Das erste Reifeband muss bei `min: 0` beginnen.", raw.pos)  # type: ignore[union-attr]
        return tuple(bands) or DEFAULT_BANDS

    def _area(self, am: YMap, i: int) -> Area | None:
        ck = self.ck
        what = f"Bereich {am.get('id', i + 1)!s}"
        ck.keys(am, AREA_KEYS, ("id", "title", "questions"), f"dem {what}")
        aid = ck.ident(am, "id", f"dem {what}")
        title = ck.text(am, "title", f"dem {what}")
        description = ck.text(am, "description", f"dem {what}")
        weight = ck.number(am, "weight", f"dem {what}", default=1.0, positive=True)
        questions: list[Question] = []
        raw = ck.listing(am.get("questions"), "`questions`", am.pos_of("questions")) \
            if "questions" in am else None
        if raw is not None and not raw:
            ck.error(IssueCode.EMPTY, f"{what} hat keine Fragen.", am.pos_of("questions"))
        for j, item in enumerate(raw or []):
            qm = ck.mapping(item, f"Frage {j + 1} in {what}", raw.pos_of(j))  # type: ignore[union-attr]
            if qm is None:
                continue
            q = self._question(qm, aid or "?")
            if q is not None:
                questions.append(q)
        if aid is None or title is None:
            return None
        return Area(aid, title, description, weight or 1.0, tuple(questions))

    def _question(self, qm: YMap, area_id: str) -> Question | None:
        ck = self.ck
        qid = ck.ident(qm, "id", "einer Frage", QUESTION_ID_RE,
                       "mit einem Kleinbuchstaben beginnen, dann nur Kleinbuchstaben, Ziffern und "
                       "`_` (z. B. `portal_typ`), damit Bedingungen die Frage nennen können")
        what = f"Frage {qid}" if qid else "einer Frage"
        ck.keys(qm, QUESTION_KEYS, ("id", "text", "type"), what if qid else "einer Frage")
        if qid is not None and qid in self.seen:
            ck.error(IssueCode.DUPLICATE_ID, f"Fragen-ID {qid!r} kommt doppelt vor (zuerst Zeile "
                     f"{self.seen[qid].line}). IDs müssen im ganzen Fragebogen eindeutig sein.",
                     qm.pos_of("id"))
        text = ck.text(qm, "text", what)
        help_text = ck.text(qm, "help", what)
        raw_type = qm.get("type")
        qtype: QType | None = None
        if raw_type is not None:
            try:
                qtype = QType(raw_type)
            except ValueError:
                ck.error(IssueCode.BAD_TYPE, f"Fragetyp {raw_type!r} in {what} ist unbekannt."
                         + did_you_mean(str(raw_type), [t.value for t in QType])
                         + f" Erlaubt: {', '.join(t.value for t in QType)}.", qm.pos_of("type"))
        weight = ck.number(qm, "weight", what, default=1.0, positive=True)
        required = ck.boolean(qm, "required", what, default=True)
        na_allowed, na_reason = self._na(qm, what)
        recommendation = ck.text(qm, "recommendation", what)
        responsible = self._responsible(qm, what)
        when = self._when(qm, what)
        options: list[Option] = []
        thresholds: list[Option] = []
        qmin = qmax = None
        labels: list[tuple[int, Text]] = []
        if qtype in (QType.SINGLE, QType.MULTIPLE, QType.YES_NO):
            options = self._options(qm, what, qtype)
        elif "options" in qm:
            ck.error(IssueCode.OPTIONS_NOT_ALLOWED, f"{what}: Fragen vom Typ {qtype} haben keine "
                     "`options`.", qm.pos_of("options"))
        if qtype is QType.SCALE:
            qmin, qmax, labels = self._scale(qm, what)
        else:
            for key in ("min", "max", "labels"):
                if key in qm:
                    ck.error(IssueCode.KEY_NOT_ALLOWED,
                             f"`{key}` gibt es nur bei Fragen vom Typ scale "
                             f"({what} ist {qtype}).", qm.pos_of(key))
        if qtype is QType.NUMBER:
            thresholds = self._thresholds(qm, what)
        else:
            for key in ("thresholds", "unit"):
                if key in qm:
                    ck.error(IssueCode.KEY_NOT_ALLOWED,
                             f"`{key}` gibt es nur bei Fragen vom Typ number "
                             f"({what} ist {qtype}).", qm.pos_of(key))
        group_by = None
        if qtype is QType.SERVICES:
            group_by = str(qm.get("group_by", "themenfeld"))
            if group_by not in GROUP_BY:
                ck.error(IssueCode.GROUP_BY,
                         f"`group_by` in {what}: {group_by!r} ist nicht erlaubt; "
                         f"möglich: {', '.join(GROUP_BY)}.", qm.pos_of("group_by"))
        elif "group_by" in qm:
            ck.error(IssueCode.KEY_NOT_ALLOWED, f"`group_by` gibt es nur bei Fragen vom Typ "
                     f"services_online ({what} ist {qtype}).", qm.pos_of("group_by"))
        if qid is None or text is None or qtype is None:
            return None
        q = Question(
            id=qid, area_id=area_id, index=len(self.seen), text=text, type=qtype,
            help=help_text, weight=weight or 1.0, required=required, na_allowed=na_allowed,
            na_reason_required=na_reason, when=when, recommendation=recommendation,
            responsible=responsible, options=tuple(options), min=qmin, max=qmax,
            labels=tuple(labels), unit=str(qm["unit"]) if "unit" in qm else None,
            thresholds=tuple(thresholds), line=qm.pos[0], group_by=group_by,
        )
        self.seen.setdefault(qid, q)
        return q

    def _na(self, qm: YMap, what: str) -> tuple[bool, bool]:
        if "na" not in qm:
            return False, False
        raw = qm["na"]
        if isinstance(raw, bool):
            return raw, False
        if isinstance(raw, YMap):
            self.ck.keys(raw, NA_KEYS, (), f"`na` von {what}")
            allowed = self.ck.boolean(raw, "allowed", f"`na` von {what}", default=True)
            reason = self.ck.boolean(raw, "reason_required", f"`na` von {what}", default=False)
            return allowed, reason and allowed
        self.ck.error(IssueCode.TYPE, f"`na` in {what} muss true/false oder {{allowed: true, "
                      "reason_required: true}} sein.", qm.pos_of("na"))
        return False, False

    def _responsible(self, m: YMap, what: str) -> str | None:
        if "responsible" not in m:
            return None
        value = m["responsible"]
        if not isinstance(value, str) or value not in RESPONSIBLE:
            self.ck.error(IssueCode.RESPONSIBLE, f"`responsible` {value!r} in {what} ist unbekannt."
                          + did_you_mean(str(value), RESPONSIBLE)
                          + f" Erlaubt: {', '.join(RESPONSIBLE)}.", m.pos_of("responsible"))
            return None
        return str(value)

    def _when(self, qm: YMap, what: str) -> Condition | None:
        if "when" not in qm:
            return None
        raw = qm["when"]
        line, base_col = qm.value_pos("when")
        col = base_col
        exact = "when" in qm.val_exact  # else columns inside the expression are not reliable

        def at(expr_col: int) -> tuple[int, int]:
            return (line, base_col + expr_col - 1) if exact else (line, base_col)
        if not isinstance(raw, str):
            self.ck.error(IssueCode.TYPE,
                          f"`when` in {what} muss ein Text sein, z. B. 'x == \"ja\"'.",
                          (line, col))
            return None
        try:
            cond = parse(raw)
        except ExpressionError as exc:
            self.ck.error(IssueCode.CONDITION_SYNTAX, f"Bedingung in {what}: {exc.message}",
                          at(exc.column))
            return None
        ok = True
        for ref, rcol in cond.references():
            if ref in self.seen:
                continue
            ok = False
            if ref in self.all_ids:
                self.ck.error(IssueCode.CONDITION_LATER,
                              f"Bedingung in {what} verweist auf {ref!r}, die "
                              "erst später gefragt wird. Bedingungen dürfen nur frühere Fragen "
                              "prüfen; Reihenfolge ändern.", at(rcol))
            else:
                self.ck.error(IssueCode.CONDITION_UNKNOWN,
                              f"Bedingung in {what} verweist auf unbekannte "
                              f"Frage {ref!r}." + did_you_mean(ref, self.seen), at(rcol))
        if ok:
            for ref, value, rcol in cond.compared_values():
                target = self.seen[ref]
                allowed = [o.value for o in target.effective_options()]
                if target.type in (QType.SINGLE, QType.MULTIPLE, QType.YES_NO) \
                        and value not in allowed:
                    self.ck.error(IssueCode.CONDITION_VALUE,
                                  f"Bedingung in {what}: {value!r} ist keine "
                                  f"Antwortoption von {ref!r}." + did_you_mean(str(value), allowed)
                                  + f" Möglich: {', '.join(allowed)}.", at(rcol))
                if target.type in (QType.NUMBER, QType.SCALE) and (
                        isinstance(value, bool) or not isinstance(value, int | float)):
                    self.ck.error(IssueCode.CONDITION_VALUE,
                                  f"Bedingung in {what}: {ref!r} ist eine "
                                  f"Zahl, verglichen wird mit {value!r}.", at(rcol))
        return cond

    def _criteria(self, om: YMap, what: str) -> tuple[Levels, tuple[tuple[str, Levels], ...]]:
        native: Levels = ()
        if "criteria" in om:
            native = self._criteria_map(om["criteria"], self.model, what, om.pos_of("criteria"))
        by_model: list[tuple[str, Levels]] = []
        if "criteria_by_model" in om:
            raw = om["criteria_by_model"]
            bm = self.ck.mapping(raw, f"`criteria_by_model` in {what}",
                                 om.pos_of("criteria_by_model"))
            for mid, spec in (bm or {}).items():
                model = self.models.get(mid)
                if model is None:
                    self.ck.error(IssueCode.UNKNOWN_MODEL, f"`criteria_by_model` in {what}: "
                                  f"Reifegradmodell {mid!r} ist unbekannt."
                                  + did_you_mean(str(mid), self.models),
                                  bm.pos_of(mid))  # type: ignore[union-attr]
                    continue
                by_model.append((str(mid), self._criteria_map(
                    spec, model, what, bm.pos_of(mid))))  # type: ignore[union-attr]
        return native, tuple(by_model)

    def _criteria_map(self, raw: Any, model: MaturityModel | None, what: str,
                      pos: tuple[int, int]) -> tuple[tuple[str, int], ...]:
        cm = self.ck.mapping(raw, f"`criteria` in {what}", pos)
        if cm is None or model is None:
            return ()
        out = []
        for cid, level in cm.items():
            if model.criterion(str(cid)) is None:
                self.ck.error(IssueCode.UNKNOWN_CRITERION,
                              f"Kriterium {cid!r} in {what} gibt es im "
                              f"Reifegradmodell {model.id} nicht."
                              + did_you_mean(str(cid), model.criterion_ids)
                              + f" Kriterien: {', '.join(model.criterion_ids)}.", cm.pos_of(cid))
                continue
            if isinstance(level, bool) or not isinstance(level, int) or not (
                    model.lowest_level <= level <= model.highest_level):
                self.ck.error(IssueCode.CRITERION_LEVEL,
                              f"Stufe {level!r} für Kriterium {cid!r} in "
                              f"{what}: erlaubt sind ganze Zahlen {model.lowest_level}–"
                              f"{model.highest_level} ({model.id}).", cm.pos_of(cid))
                continue
            out.append((str(cid), int(level)))
        return tuple(out)

    def _option(self, om: YMap, what: str, keys: tuple[str, ...], qtype: QType | None) -> Option:
        ck = self.ck
        value = om.get("value")
        owhat = f"Option {value!r} von {what}" if "value" in om else f"einer Option von {what}"
        ck.keys(om, keys, ("label", "score") + (("value",) if "value" in keys else ("min",)),
                owhat)
        if "value" in keys and "value" in om:
            if isinstance(value, bool):  # YAML reads ja/nein unquoted as strings, true/false not
                value = "ja" if value else "nein"
            if not isinstance(value, str | int) or not VALUE_RE.match(str(value)):
                ck.error(IssueCode.BAD_VALUE, f"`value` {value!r} in {owhat}: nur Kleinbuchstaben, "
                         "Ziffern, `_` und `-`.", om.pos_of("value"))
        label = ck.text(om, "label", owhat)
        score = ck.number(om, "score", owhat, minimum=0)
        native, by_model = self._criteria(om, owhat)
        applies_to = self._applies_to(om, owhat)
        otherwise: tuple[tuple[str, int], ...] = ()
        if "otherwise" in om:
            if len(applies_to) != 1:
                ck.error(IssueCode.OTHERWISE,
                         f"`otherwise` in {owhat} gilt für die Leistungen außerhalb "
                         "von `applies_to` und braucht darum `applies_to` mit genau einem "
                         "Merkmal.", om.pos_of("otherwise"))
            else:
                otherwise = self._criteria_map(om["otherwise"], self.model, owhat,
                                               om.pos_of("otherwise"))
        exclusive = ck.boolean(om, "exclusive", owhat, default=False)
        if exclusive and qtype is not QType.MULTIPLE:
            ck.error(IssueCode.EXCLUSIVE,
                     f"`exclusive` in {owhat} gibt es nur bei multiple_choice.",
                     om.pos_of("exclusive"))
        lo = ck.number(om, "min", owhat) if "min" in keys else None
        return Option(
            value=str(value) if value is not None else "", label=label or Text.of("?"),
            score=score if score is not None else 0.0, criteria=native,
            criteria_by_model=by_model, recommendation=ck.text(om, "recommendation", owhat),
            responsible=self._responsible(om, owhat), exclusive=exclusive, min=lo,
            applies_to=applies_to, otherwise=otherwise,
        )

    def _applies_to(self, om: YMap, what: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """`applies_to: {audience: unternehmen}`: attribute → allowed value(s)."""
        from ozgkompass.model.catalogue import ATTRIBUTE_NAMES, AUDIENCES, TRUST_LEVELS

        if "applies_to" not in om:
            return ()
        am = self.ck.mapping(om["applies_to"], f"`applies_to` in {what}", om.pos_of("applies_to"))
        out = []
        for attr, raw in (am or {}).items():
            if attr not in ATTRIBUTE_NAMES:
                self.ck.error(IssueCode.UNKNOWN_KEY,
                              f"`applies_to` in {what}: Merkmal {attr!r} gibt es "
                              "im Katalog nicht." + did_you_mean(str(attr), ATTRIBUTE_NAMES),
                              am.pos_of(attr))  # type: ignore[union-attr]
                continue
            values = tuple(raw) if isinstance(raw, list) else (raw,)
            allowed: tuple[Any, ...] = {"audience": AUDIENCES, "trust_level": TRUST_LEVELS}.get(
                str(attr), (True, False))
            bad = [v for v in values if v not in allowed or (allowed == (True, False)
                                                             and not isinstance(v, bool))]
            if bad or not values:
                self.ck.error(IssueCode.APPLIES_TO,
                              f"`applies_to.{attr}` in {what}: {bad or raw!r} ist "
                              f"nicht erlaubt; möglich: {', '.join(map(str, allowed))}.",
                              am.pos_of(attr))  # type: ignore[union-attr]
                continue
            out.append((str(attr), values))
        return tuple(out)

    def _options(self, qm: YMap, what: str, qtype: QType) -> list[Option]:
        ck = self.ck
        if "options" not in qm:
            if qtype is QType.YES_NO:
                return []
            ck.error(IssueCode.MISSING_KEY, f"{what} (Typ {qtype}) braucht `options`.", qm.pos)
            return []
        raw = ck.listing(qm["options"], f"`options` von {what}", qm.pos_of("options"))
        options: list[Option] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(raw or []):
            om = ck.mapping(item, f"Option {i + 1} von {what}", raw.pos_of(i))  # type: ignore[union-attr]
            if om is None:
                continue
            opt = self._option(om, what, OPTION_KEYS, qtype)
            if opt.value in seen:
                ck.error(IssueCode.DUPLICATE_VALUE,
                         f"Optionswert {opt.value!r} kommt in {what} doppelt "
                         f"vor (zuerst Zeile {seen[opt.value]}).", om.pos_of("value"))
            seen.setdefault(opt.value, om.pos[0])
            options.append(opt)
        if raw is not None and qtype is not QType.YES_NO and len(options) < 2:
            ck.error(IssueCode.FEW_OPTIONS, f"{what} braucht mindestens zwei Optionen.",
                     qm.pos_of("options"))
        if qtype is QType.YES_NO and raw is not None:
            values = sorted(o.value for o in options)
            if values != ["ja", "nein"]:
                ck.error(IssueCode.YES_NO_OPTIONS,
                         f"{what}: Optionen einer Ja/Nein-Frage müssen genau die "
                         f"Werte `ja` und `nein` haben, gefunden: {', '.join(values) or 'keine'}.",
                         qm.pos_of("options"))
        if options and max(o.score for o in options) <= 0:
            ck.error(IssueCode.NO_SCORE,
                     f"{what}: keine Option hat eine Punktzahl über 0; die Frage "
                     "könnte nie Punkte bringen.", qm.pos_of("options"))
        return options

    def _scale(self, qm: YMap, what: str) -> tuple[int | None, int | None, list[tuple[int, Text]]]:
        ck = self.ck
        qmin, qmax = qm.get("min"), qm.get("max")
        ok = True
        for key, value in (("min", qmin), ("max", qmax)):
            if key not in qm:
                ck.error(IssueCode.MISSING_KEY, f"{what} (Typ scale) braucht `{key}`.", qm.pos)
                ok = False
            elif isinstance(value, bool) or not isinstance(value, int):
                ck.error(IssueCode.TYPE,
                         f"`{key}` in {what} muss eine ganze Zahl sein.", qm.pos_of(key))
                ok = False
        ok = ok and isinstance(qmin, int) and isinstance(qmax, int)  # narrows for the type check
        if ok and qmin >= qmax:  # type: ignore[operator]
            ck.error(IssueCode.RANGE,
                     f"{what}: `min` ({qmin}) muss kleiner als `max` ({qmax}) sein.",
                     qm.pos_of("max"))
        labels: list[tuple[int, Text]] = []
        if "labels" in qm:
            lm = ck.mapping(qm["labels"], f"`labels` von {what}", qm.pos_of("labels"))
            for k in lm or {}:
                if not isinstance(k, int) or (ok and not qmin <= k <= qmax):  # type: ignore[operator]
                    ck.error(IssueCode.RANGE,
                             f"`labels` von {what}: {k!r} liegt nicht zwischen min und "
                             "max.", lm.pos_of(k))  # type: ignore[union-attr]
                    continue
                t = ck.text(lm, k, f"`labels` von {what}")  # type: ignore[arg-type]
                if t:
                    labels.append((k, t))
        return (qmin if ok else None), (qmax if ok else None), labels

    def _thresholds(self, qm: YMap, what: str) -> list[Option]:
        ck = self.ck
        if "thresholds" not in qm:
            return []
        raw = ck.listing(qm["thresholds"], f"`thresholds` von {what}", qm.pos_of("thresholds"))
        result: list[Option] = []
        for i, item in enumerate(raw or []):
            tm = ck.mapping(item, f"Schwelle {i + 1} von {what}", raw.pos_of(i))  # type: ignore[union-attr]
            if tm is None:
                continue
            opt = self._option(tm, what, THRESHOLD_KEYS, QType.NUMBER)
            opt = Option(**{**opt.__dict__, "value": f"ab_{opt.min:g}" if opt.min is not None
                            else f"schwelle_{i + 1}"})
            if result and opt.min is not None and result[-1].min is not None \
                    and opt.min <= result[-1].min:
                ck.error(IssueCode.THRESHOLD_ORDER, f"`thresholds` von {what} müssen nach `min` "
                         "aufsteigend sortiert sein.", tm.pos_of("min"))
            result.append(opt)
        return result


def parse_questionnaire(doc: LoadedYaml,
                        models: dict[str, MaturityModel] | None = None
                        ) -> tuple[Questionnaire | None, list[Issue]]:
    """Validate a parsed document; returns the questionnaire (None on errors) and all issues."""
    if doc.data is None:
        return None, list(doc.issues)
    parser = _QuestionnaireParser(doc, models if models is not None else builtin_models())
    q = parser.parse()
    return q, parser.ck.issues


def load_questionnaire(path: Path | str) -> Questionnaire:
    """Load and validate a questionnaire file; raises DataError with every problem."""
    q, issues = parse_questionnaire(load_yaml(path))
    if q is None:
        raise DataError(issues, f"Fragebogen {path} ist fehlerhaft: "
                        f"{sum(i.severity == 'error' for i in issues)} Problem(e).")
    return q


def is_questionnaire(data: Any) -> bool:
    return isinstance(data, dict) and "areas" in data

