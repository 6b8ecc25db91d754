"""Per-service levels: which criteria apply to a service, its target, the highest level
its criteria support (docs/scoring.md, sections 6–7). Services with the same attributes
share one `Kind`; kinds with the same applying criteria and target share one `_Rule`.
"""

from __future__ import annotations

from typing import Any

from ozgkompass.model.catalogue import OzgService
from ozgkompass.model.maturity import MaturityModel
from ozgkompass.scoring.memory import Memory
from ozgkompass.scoring.results import ServiceCriterion

# Criteria an EfA service ("Einer für Alle") brings with it when a municipality reuses it:
# the online front end with description, form, account/identification and evidence upload
# (and, in model 2.0, its status messages). Payment, transport and back office stay with
# the municipality. Only criteria of the model in use can be bottlenecks.
EFA_CLOSES = frozenset({"leistungsbeschreibung", "antragsprozess", "nutzerkonto",
                        "authentifizierung", "nachweise", "status"})


def _applies(model: MaturityModel, cid: str, svc: OzgService) -> tuple[bool, str, str | None]:
    """Whether a criterion applies to a service; unknown attributes count as applying."""
    crit = model.criterion(cid)
    if crit is None or crit.applies_if is None:
        return True, "ja", None
    if svc.attributes.in_person and crit.applies_if in ("identification", "evidence"):
        return False, "nein (vor Ort)", None
    flag = svc.attributes.flag(crit.applies_if)
    if flag is None:
        return True, "unbekannt – gilt vorsichtshalber", crit.applies_if
    return (True, "ja", None) if flag else (False, f"nein ({crit.applies_if}: nein)", None)


def _target(model: MaturityModel, svc: OzgService, override: int | None) -> tuple[int, str]:
    cap = _in_person_cap(model, svc)
    if override is not None:
        if cap is not None and override > cap:
            return cap, f"vorgegeben {override}, höchstens {cap}: persönliches Erscheinen"
        return override, "für diesen Lauf vorgegeben"
    if cap is not None:
        return cap, ("persönliches Erscheinen gesetzlich vorgeschrieben: online gehen "
                     "Information, Termin, Antragsdaten")
    if svc.attributes.sdg_annex2:
        if model.sdg_level is not None:
            return model.sdg_level, "SDG Anhang II: vollständig online mit Once-Only"
        return model.highest_level, "SDG Anhang II: höchste Stufe"
    if svc.attributes.sdg_annex2 is None:
        return model.compliant_level, "OZG-konforme Stufe (SDG-Relevanz unbekannt)"
    return model.compliant_level, "OZG-konforme Stufe"


def _in_person_cap(model: MaturityModel, svc: OzgService) -> int | None:
    """The highest level a service that needs personal appearance can reach online."""
    if not svc.attributes.in_person:
        return None
    cap = model.in_person_level if model.in_person_level is not None else model.compliant_level - 1
    return min(cap, model.compliant_level)


def evidence_summary(assessment: Any) -> tuple[tuple[tuple[str, int | None], ...],
                                                 tuple[tuple[str, tuple[Any, ...]], ...]]:
    """What the services' support depends on: the weakest level of each criterion without
    restricted answers, and the (level, scope) of the answers of the other criteria."""
    base: list[tuple[str, int | None]] = []
    restricted: list[tuple[str, tuple[Any, ...]]] = []
    for crit in assessment.criteria:
        if any(e.applies_to for e in crit.evidence):
            restricted.append((crit.id, tuple(
                (e.level, tuple((a, tuple(v)) for a, v in e.applies_to)) for e in crit.evidence)))
            base.append((crit.id, None))
        else:
            base.append((crit.id, min((e.level for e in crit.evidence), default=None)))
    return tuple(base), tuple(restricted)


def supports(ids: tuple[str, ...], kinds: list[Kind],
              base: tuple[tuple[str, int | None], ...],
              restricted: tuple[tuple[str, tuple[Any, ...]], ...]
              ) -> list[tuple[tuple[int | None, ...], dict[str, int | None]]]:
    """Criteria levels that hold for each kind of service (as a tuple in the model's order
    and by criterion): the weakest answer among those that apply to it (answers restricted
    with `applies_to` count only for matching services). Criteria without restricted
    answers hold alike for all services; kinds that match the same restrictions share."""
    plain = dict(base)
    if not restricted:  # one support for all services
        return [(tuple(plain.get(c) for c in ids), plain)] * len(kinds)
    scopes = list(dict.fromkeys(scope for _, evidence in restricted
                                for _, scope in evidence if scope))
    by_pattern: dict[tuple[bool, ...], tuple[tuple[int | None, ...], dict[str, int | None]]] = {}
    out = []
    for kind in kinds:
        pattern = tuple(kind.matches(scope) for scope in scopes)
        found = by_pattern.get(pattern)
        if found is None:
            support = dict(plain)
            for cid, evidence in restricted:
                levels = [lv for lv, scope in evidence if not scope or kind.matches(scope)]
                support[cid] = min(levels) if levels else None
            found = by_pattern[pattern] = (tuple(support.get(c) for c in ids), support)
        out.append(found)
    return out


def achievable_level(model: MaturityModel, applies: dict[str, bool],
                     support: dict[str, int | None]) -> tuple[int, list[str]]:
    """Highest level whose needed, applying criteria are all supported at ≥ that level.

    Criteria with unknown support do not block but are returned: the level then is not
    confirmed."""
    return _climb(model.lowest_level, _steps(model, applies), support)


def _steps(model: MaturityModel, applies: dict[str, bool]) -> list[tuple[int, tuple[str, ...]]]:
    """Each level above the lowest with the applying criteria it needs."""
    return [(lv.level, tuple(c for c in model.needed(lv.level) if applies.get(c, True)))
            for lv in model.levels[1:]]


def _climb(level: int, steps: list[tuple[int, tuple[str, ...]]],
           support: dict[str, int | None]) -> tuple[int, list[str]]:
    unknown: list[str] = []
    for step, needed in steps:
        blocked = False
        for cid in needed:
            s = support.get(cid)
            if s is None:
                if cid not in unknown:
                    unknown.append(cid)
            elif s < step:
                blocked = True
        if blocked:
            break
        level = step
    return level, unknown


class Kind:
    """Services with the same attributes under one model and target share everything but
    their name and weight: what is fixed for them (target, which criteria apply) is worked
    out once (a catalogue of 91 services has 44 kinds). Hashed by identity."""

    def __init__(self, model: MaturityModel, attrs: Any, override: int | None,
                 memory: Memory) -> None:
        self.model, self.attrs = model, attrs
        self._matches: dict[Any, bool] = {}
        svc = _AttributesOnly(attrs)
        self.target, self.reason = _target(model, svc, override)  # type: ignore[arg-type]
        self.fixed_rows: list[tuple[str, bool, str, int | None]] = []  # id, applies, label, need
        unknown_attrs: list[str] = []
        for c in model.criteria:
            ok, label, unknown_attr = _applies(model, c.id, svc)  # type: ignore[arg-type]
            if unknown_attr and unknown_attr not in unknown_attrs:
                unknown_attrs.append(unknown_attr)
            need = model.needed_level(c.id, self.target) if ok else None
            self.fixed_rows.append((c.id, ok, label, need if need else None))
        for attr in _read_unknown(attrs):
            if attr not in unknown_attrs:
                unknown_attrs.append(attr)
        self.cap = _in_person_cap(model, svc)  # type: ignore[arg-type]
        checks = tuple((cid, need) for cid, ok, _, need in self.fixed_rows if ok)
        self.rows = memory.row_sets.get((model,), tuple(self.fixed_rows),
                                        lambda: _Rows(model, tuple(self.fixed_rows), memory))
        self.rule = memory.rules.get((model,), (checks, self.target, self.cap, bool(attrs.efa)),
                                     lambda: _Rule(model, checks, self.target, self.cap,
                                                   bool(attrs.efa), memory))
        self.fields = dict(
            target=self.target, target_name=model.level_name(self.target),
            target_reason=self.reason, unknown_attributes=unknown_attrs,
            efa_available=attrs.efa, in_person=self.cap is not None,
            in_person_note=(f"Persönliches Erscheinen ist gesetzlich vorgeschrieben; bewertet "
                            f"wird, was online geht (höchstens Stufe {self.cap}: Information, "
                            "Termin, Antragsdaten)." if self.cap is not None else None))

    def matches(self, scope: Any) -> bool:
        found = self._matches.get(scope)
        if found is None:
            found = self._matches[scope] = self.attrs.matches(scope)
        return found



def _read_unknown(attrs: Any) -> list[str]:
    """The unknown attributes scoring reads besides those of `applies_if`: the target's
    (sdg_annex2, in_person), the EfA offer, and those answers restricted with `applies_to`
    match (audience, written_form, trust_level; an unknown one counts as matching). The
    trust level is not read where no identification is needed."""
    names = [n for n in ("sdg_annex2", "efa", "in_person", "audience", "written_form",
                         "trust_level") if getattr(attrs, n) is None]
    if "trust_level" in names and attrs.flag("identification") is False:
        names.remove("trust_level")
    return names


class _Rows:
    """The criterion rows of a service (which criteria apply, how it is said, what its
    target needs): many kinds share them, and each support gets its rows once. Hashed by
    identity."""

    def __init__(self, model: MaturityModel,
                 fixed_rows: tuple[tuple[str, bool, str, int | None], ...],
                 memory: Memory) -> None:
        self.model, self.fixed_rows, self._lists = model, fixed_rows, memory.row_lists
        self._rows: dict[tuple[int, int | None], ServiceCriterion] = {}

    def make(self, supported: tuple[int | None, ...]) -> list[ServiceCriterion]:
        """One row per criterion of the model, `supported` in the model's order."""
        return self._lists.get((self, supported), lambda: [
            self._row(i, sup) for i, sup in enumerate(supported)])

    def _row(self, i: int, supported: int | None) -> ServiceCriterion:
        found = self._rows.get((i, supported))
        if found is None:
            cid, ok, label, need = self.fixed_rows[i]
            found = self._rows[(i, supported)] = ServiceCriterion(
                cid, self.model.criteria[i].name, ok, label, supported, need)
        return found


class _Rule:
    """How the support decides a service's level, gap and bottlenecks: the same for every
    kind of service with the same applying criteria, target, cap and EfA offer (a handful
    of rules for the 44 kinds of the catalogue). Hashed by identity."""

    def __init__(self, model: MaturityModel, checks: tuple[tuple[str, int | None], ...],
                 target: int, cap: int | None, efa: bool, memory: Memory) -> None:
        self.checks, self.target, self.cap, self.efa = checks, target, cap, efa
        self._decided = memory.decided
        self.relevant = tuple(cid for cid, _ in checks)  # only applying criteria count
        applies = {cid: cid in self.relevant for cid in model.criterion_ids}
        self.lowest, self.steps = model.lowest_level, _steps(model, applies)
        self.top = cap if cap is not None else model.highest_level
        self.needs_at = {lv.level: frozenset(model.needed(lv.level)) for lv in model.levels}
        self.needed_level = {(c, lv.level): model.needed_level(c, lv.level)
                             for c in model.criterion_ids for lv in model.levels}
        self.names = {lv.level: model.level_name(lv.level) for lv in model.levels}
        self.frontend = (model.frontend_level if model.frontend_level is not None
                         and model.frontend_level < model.highest_level else None)

    def decide(self, support: dict[str, int | None]) -> tuple[dict[str, Any], frozenset[str]]:
        return self._decided.get((self, tuple(support.get(cid) for cid in self.relevant)),
                            lambda: self._decide(support))

    def _decide(self, support: dict[str, int | None]) -> tuple[dict[str, Any], frozenset[str]]:
        """The fields of a ServiceResult that follow from the support, and the criteria
        its target needs raised."""
        level, unknown_up_to_level = _climb(self.lowest, self.steps, support)
        if self.cap is not None:
            level = min(level, self.cap)
        next_level = level + 1 if level < self.top else None
        blocking_next = self.needs_at.get(next_level, ()) if next_level is not None else ()
        next_blockers, bottlenecks, unknown_for_target = [], [], []
        for cid, need in self.checks:
            sup = support.get(cid)
            if cid in blocking_next and (sup is None or sup < next_level):  # type: ignore[operator]
                next_blockers.append(cid)
            if need and sup is None:
                unknown_for_target.append(cid)
            elif need and sup < need:  # type: ignore[operator]
                bottlenecks.append(cid)
        confirmed = not [c for c in unknown_up_to_level if self.needed_level[c, level] > 0]
        at_target = not bottlenecks and not unknown_for_target
        return dict(
            level=level,
            level_name=self.names[level] + ("" if confirmed else " (unbestätigt)"),
            gap=max(0, self.target - level), at_target=at_target, confirmed=confirmed,
            bottlenecks=bottlenecks, unknown_criteria=unknown_for_target,
            efa_quick_win=self.efa and not at_target and bool(bottlenecks)
            and set(bottlenecks) <= EFA_CLOSES,
            next_level=next_level, next_blockers=next_blockers,
            frontend_level=(min(level, self.frontend) if self.frontend is not None else None),
            backoffice_level=(level if self.frontend is not None and level > self.frontend
                              else None),
        ), frozenset(bottlenecks) | frozenset(unknown_for_target)


def kind_of(model: MaturityModel, attrs: Any, override: int | None, memory: Memory) -> Kind:
    return memory.kinds.get((model, attrs), override,
                            lambda: Kind(model, attrs, override, memory))


def made_of(kind: Kind, support: tuple[tuple[int | None, ...], dict[str, int | None]]
             ) -> tuple[dict[str, Any], dict[str, Any], frozenset[str], list[ServiceCriterion]]:
    """What a kind of service is under a support: all but the service's own fields."""
    return (kind.fields, *kind.rule.decide(support[1]), kind.rows.make(support[0]))


class _AttributesOnly:
    """A service seen only through its attributes (all that `_target`, `_applies` and
    `_in_person_cap` read), so a kind's results cannot depend on anything else."""

    def __init__(self, attributes: Any) -> None:
        self.attributes = attributes


def service_weights(services: list[OzgService]) -> tuple[str | None, dict[str, float]]:
    if services and all(s.case_volume is not None for s in services):
        return "case_volume", {s.ozg_id: float(s.case_volume or 0) for s in services}
    if any(s.priority is not None for s in services):
        # a service without priority counts as medium (2 of 1–3)
        return "priority", {s.ozg_id: float(s.priority or 2) for s in services}
    return None, {s.ozg_id: 1.0 for s in services}
