"""Scoring against the OZG catalogue: per OZG-Leistung the achievable Reifegrad, the gap to
its target, the bottleneck criteria, roll-ups, and the levers that unlock the most services.

Pure functions over an `Assessment` (criteria levels from the questionnaire), a `Catalogue`
and a `MaturityModel`. Rules: docs/scoring.md, sections 6–8.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ozgkompass.memo import IdentityCache, Memo
from ozgkompass.model.catalogue import Catalogue, OzgService
from ozgkompass.model.common import RESPONSIBLE
from ozgkompass.model.maturity import MaturityModel
from ozgkompass.model.questionnaire import Questionnaire
from ozgkompass.scoring.results import (
    CatalogueResult,
    GroupResult,
    Lever,
    ModelFigures,
    ServiceCriterion,
    ServiceResult,
)
from ozgkompass.scoring.scope import ScopeKey, scope_key, select_scope
from ozgkompass.scoring.today import (
    SOURCE_UNKNOWN,
    UNKNOWN,
    TodayLevel,
    answered_statements,
    offline_cap,
    statement_for,
    today_fields,
)

# Criteria an EfA service ("Einer für Alle") brings with it when a municipality reuses it:
# the online front end with description, form, account/identification and evidence upload
# (and, in model 2.0, its status messages). Payment, transport and back office stay with
# the municipality. Only criteria of the model in use can be bottlenecks.
EFA_CLOSES = frozenset({"leistungsbeschreibung", "antragsprozess", "nutzerkonto",
                        "authentifizierung", "nachweise", "status"})
MAX_COMBINATION = 3

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


def _evidence_summary(assessment: Any) -> tuple[tuple[tuple[str, int | None], ...],
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


def _supports(ids: tuple[str, ...], kinds: list[_Kind],
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


class _Kind:
    """Services with the same attributes under one model and target share everything but
    their name and weight: what is fixed for them (target, which criteria apply) is worked
    out once (a catalogue of 91 services has 44 kinds). Hashed by identity."""

    def __init__(self, model: MaturityModel, attrs: Any, override: int | None) -> None:
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
        self.rows = _ROW_SETS.get((model,), tuple(self.fixed_rows),
                                  lambda: _Rows(model, tuple(self.fixed_rows)))
        self.rule = _RULES.get((model,), (checks, self.target, self.cap, bool(attrs.efa)),
                               lambda: _Rule(model, checks, self.target, self.cap,
                                             bool(attrs.efa)))
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
                 fixed_rows: tuple[tuple[str, bool, str, int | None], ...]) -> None:
        self.model, self.fixed_rows = model, fixed_rows
        self._rows: dict[tuple[int, int | None], ServiceCriterion] = {}

    def make(self, supported: tuple[int | None, ...]) -> list[ServiceCriterion]:
        """One row per criterion of the model, `supported` in the model's order."""
        return _ROW_LISTS.get((self, supported), lambda: [
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
                 target: int, cap: int | None, efa: bool) -> None:
        self.checks, self.target, self.cap, self.efa = checks, target, cap, efa
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
        return _DECIDED.get((self, tuple(support.get(cid) for cid in self.relevant)),
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


_KINDS: IdentityCache[_Kind] = IdentityCache(2_000)
_RULES: IdentityCache[_Rule] = IdentityCache(500)
# (rule, support of its criteria) → the fields of a ServiceResult that follow from them
# (bounded: <1 KB each; a rule decides for several kinds, and only its criteria count)
_DECIDED: Memo[tuple[dict[str, Any], frozenset[str]]] = Memo(5_000)


_ROW_SETS: IdentityCache[_Rows] = IdentityCache(500)
_ROW_LISTS: Memo[list[ServiceCriterion]] = Memo(5_000)


def _kind(model: MaturityModel, attrs: Any, override: int | None) -> _Kind:
    return _KINDS.get((model, attrs), override, lambda: _Kind(model, attrs, override))


def _made_of(kind: _Kind, support: tuple[tuple[int | None, ...], dict[str, int | None]]
             ) -> tuple[dict[str, Any], dict[str, Any], frozenset[str], list[ServiceCriterion]]:
    """What a kind of service is under a support: all but the service's own fields."""
    return (kind.fields, *kind.rule.decide(support[1]), kind.rows.make(support[0]))


class _AttributesOnly:
    """A service seen only through its attributes (all that `_target`, `_applies` and
    `_in_person_cap` read), so a kind's results cannot depend on anything else."""

    def __init__(self, attributes: Any) -> None:
        self.attributes = attributes


def _weights(services: list[OzgService]) -> tuple[str | None, dict[str, float]]:
    if services and all(s.case_volume is not None for s in services):
        return "case_volume", {s.ozg_id: float(s.case_volume or 0) for s in services}
    if any(s.priority is not None for s in services):
        # a service without priority counts as medium (2 of 1–3)
        return "priority", {s.ozg_id: float(s.priority or 2) for s in services}
    return None, {s.ozg_id: 1.0 for s in services}


def _group(name: str, members: list[ServiceResult], weighted: bool) -> GroupResult:
    hit = [s for s in members if s.at_target]
    total_w = sum(s.weight for s in members)
    return GroupResult(
        name=name, services=len(members), at_target=len(hit),
        share=100.0 * len(hit) / len(members) if members else None,
        weighted_share=(100.0 * sum(s.weight for s in hit) / total_w
                        if weighted and total_w else None))


def _recommendation_for(assessment: Any, qn: Questionnaire | None,
                        cid: str) -> tuple[str | None, str | None]:
    """The questionnaire's advice for raising a criterion: from the deciding answers."""
    crit = assessment.criterion(cid)
    if crit is None:
        return None, None
    if crit.level is None:
        return (f"Im Fragebogen klären, wie es um „{crit.name}“ steht (bisher unbekannt).",
                None)
    for qid in crit.deciding:
        q = assessment.question(qid)
        if q is not None and q.recommendation:
            return q.recommendation, q.responsible
        if qn is not None:
            question = qn.question(qid)
            if question is not None and question.recommendation:
                return question.recommendation.de, question.responsible
    return None, None



class _Plan:
    """Everything of a catalogue run that does not depend on the answers: the services in
    scope, their weights and kinds, the groups they roll up into. Hashed by identity."""

    def __init__(self, catalogue: Catalogue, model: MaturityModel,
                 key: ScopeKey, scope: str, override: int | None) -> None:
        services, self.out_of_scope, self.scope_note = select_scope(catalogue, *key, scope)
        self.weighting, weights = _weights(services)
        self.kinds: list[_Kind] = []
        self.kind_at: list[int] = []
        index: dict[Any, int] = {}
        for svc in services:
            if svc.attributes not in index:
                index[svc.attributes] = len(self.kinds)
                self.kinds.append(_kind(model, svc.attributes, override))
            self.kind_at.append(index[svc.attributes])
        self.kind_count = [self.kind_at.count(k) for k in range(len(self.kinds))]
        self.total_weight = sum(weights[svc.ozg_id] for svc in services)  # in order
        self.fixed = [dict(ozg_id=svc.ozg_id, name=svc.name, themenfeld=svc.themenfeld,
                           lage=svc.lage, responsibility=svc.responsibility.value,
                           weight=weights[svc.ozg_id]) for svc in services]
        by_tf: dict[str, list[int]] = defaultdict(list)
        by_lage: dict[str, list[int]] = defaultdict(list)
        for i, svc in enumerate(services):
            by_tf[svc.themenfeld].append(i)
            by_lage[svc.lage or "(ohne Lage)"].append(i)
        self.by_themenfeld, self.by_lage = sorted(by_tf.items()), sorted(by_lage.items())


_PLANS: IdentityCache[_Plan] = IdentityCache(256)


class _Outcome:
    """What a catalogue run makes of one set of criteria levels: the service results and
    what is rolled up from them. Roll-ups are counted per kind of service (its level and
    what holds it below its target hold for all its services). Hashed by identity."""

    def __init__(self, plan: _Plan, model: MaturityModel,
                 supports: list[tuple[tuple[int | None, ...], dict[str, int | None]]]) -> None:
        self.results: list[ServiceResult] = []
        kinds = [_made_of(kind, support) for kind, support in zip(plan.kinds, supports,
                                                                  strict=True)]
        for fixed, k in zip(plan.fixed, plan.kind_at, strict=True):
            static, decided, _, rows = kinds[k]
            # all fields at once, without the keyword call (a third of the time)
            res = object.__new__(ServiceResult)
            fields = res.__dict__
            fields.update(fixed)
            fields.update(static)
            fields.update(decided)
            fields["criteria"] = rows
            self.results.append(res)
        results, weighted = self.results, plan.weighting is not None
        needs = tuple(need for _, _, need, _ in kinds)
        at = tuple(not need for need in needs)  # at target: nothing needs raising
        front = min(model.frontend_level or model.compliant_level, model.compliant_level)
        self.level_counts = {lv.level: 0 for lv in model.levels}
        self.at_target = self.unconfirmed = self.frontend_complete = self.in_person = 0
        held: dict[str, int] = {}
        for n, kind, (_, decided, need, _) in zip(plan.kind_count, plan.kinds, kinds,
                                                  strict=True):
            level, in_person = decided["level"], kind.fields["in_person"]
            self.level_counts[level] += n
            self.at_target += 0 if need else n
            self.unconfirmed += n if decided["unknown_criteria"] else 0
            self.frontend_complete += n if not in_person and level >= front else 0
            self.in_person += n if in_person else 0
            for cid in need:
                held[cid] = held.get(cid, 0) + n
        self.blocking = _blocking(model, held)
        self.share_at_target = 100.0 * self.at_target / len(results) if results else None
        hit_w = sum(s.weight for s, k in zip(results, plan.kind_at, strict=True)
                    if at[k])  # in the services' order, as before
        self.weighted_share_at_target = (100.0 * hit_w / plan.total_weight
                                         if weighted and plan.total_weight else None)
        self.by_themenfeld, self.by_lage = _GROUPS.get((plan, at), lambda: (
            [_group(k, [results[i] for i in v], weighted) for k, v in plan.by_themenfeld],
            [_group(k, [results[i] for i in v], weighted) for k, v in plan.by_lage]))
        self.lever_sets = _LEVER_SETS.get((plan, needs), lambda: _LeverSets(
            model, results, [needs[k] for k in plan.kind_at]))
        # the results with `today` unbestätigt (§6a), made on first use, and where each
        # service sits in them
        self.unknown_today: list[ServiceResult] | None = None
        self.position: dict[str, int] = {}


# a batch meets the same criteria levels now and then (bounded: ~100 KB each); the
# groups follow from which kinds are at target, the lever sets from what each kind needs
_OUTCOMES: Memo[_Outcome] = Memo(32)
_GROUPS: Memo[tuple[list[GroupResult], list[GroupResult]]] = Memo(500)


def score_catalogue(assessment: Any, catalogue: Catalogue, model: MaturityModel,
                    qn: Questionnaire | None = None, *, target: int | None = None,
                    scope: str = "kommunal",
                    observed: Mapping[str, TodayLevel] | None = None) -> CatalogueResult:
    """Score every OZG-Leistung in scope against the criteria levels of an assessment;
    `observed` (by OZG-ID) fills `today` where the municipality did not answer (§6a)."""
    key = scope_key(getattr(assessment, "municipality", None))
    plan = _PLANS.get((catalogue, model), (*key, scope, target),
                      lambda: _Plan(catalogue, model, key, scope, target))
    base, restricted = _evidence_summary(assessment)
    outcome = _OUTCOMES.get((plan, base, restricted), lambda: _Outcome(
        plan, model, _supports(model.criterion_ids, plan.kinds, base, restricted)))
    levers, combos = _levers(model, assessment, qn, outcome)
    results = _with_today(model, outcome, assessment, observed)
    result = CatalogueResult(
        catalogue={"id": catalogue.id, "version": catalogue.version, "title": catalogue.title,
                   "source": catalogue.source},
        model=model.id, target_override=target, weighting=plan.weighting,
        in_scope=len(results), at_target=outcome.at_target,
        share_at_target=outcome.share_at_target,
        weighted_share_at_target=outcome.weighted_share_at_target,
        unconfirmed=outcome.unconfirmed,
        by_themenfeld=list(outcome.by_themenfeld), by_lage=list(outcome.by_lage),
        levers=levers, combinations=combos,
        blocking=list(outcome.blocking), services=list(results),
        out_of_scope=list(plan.out_of_scope), scope_note=plan.scope_note,
        level_counts=dict(outcome.level_counts),
        compliant_level=model.compliant_level, frontend_level=model.frontend_level,
        frontend_complete=outcome.frontend_complete,
        in_person=outcome.in_person, model_notice=model.notice,
    )
    _roll_up_today(result)
    result.plausibility = [*_statements_outside(assessment, outcome, plan),
                           *_contradicting_dashboard(result.services, observed)]
    return result


def _contradicting_dashboard(services: list[ServiceResult],
                             observed: Mapping[str, TodayLevel] | None) -> list[str]:
    """The answer counts where it and the dashboard disagree; never silently
    (docs/scoring.md §6a)."""
    if not observed:
        return []
    differ = sorted(r.ozg_id for r in services
                    if r.today_source == "antwort" and r.ozg_id in observed
                    and observed[r.ozg_id].online is not None
                    and observed[r.ozg_id].online != r.today_online)
    if not differ:
        return []
    shown = ", ".join(differ[:6]) + (" …" if len(differ) > 6 else "")
    return [f"Bei {len(differ)} Leistung(en) widerspricht die Angabe der Kommune dem "
            f"Dashboard Digitale Verwaltung ({shown}); gezählt ist die Angabe. "
            "Abgleich: ozgkompass observe"]


def _statements_outside(assessment: Any, outcome: _Outcome, plan: _Plan) -> list[str]:
    """Services the municipality named online/not online that are not scored here: not its
    task (out of scope) or not in the catalogue. Said, so a typo does not go unnoticed."""
    named = answered_statements(assessment)
    if not named:
        return []
    outside = {o.ozg_id: o for o in plan.out_of_scope}
    foreign = sorted(i for i in named if i not in outcome.position and i not in outside)
    skipped = sorted(i for i in named if i in outside)
    lines = []
    if skipped:
        lines.append(f"{len(skipped)} als online/nicht online genannte Leistung(en) führt die "
                     f"Kommune nicht aus (nicht gezählt): {', '.join(skipped)}.")
    if foreign:
        lines.append(f"{len(foreign)} genannte OZG-ID(s) stehen nicht im Katalog: "
                     f"{', '.join(foreign)}.")
    return lines


def _with_today(model: MaturityModel, outcome: _Outcome, assessment: Any,
                observed: Mapping[str, TodayLevel] | None) -> list[ServiceResult]:
    """Each service with its `today` figure (docs/scoring.md §6a). The outcome's shared
    results are copied, never changed: with nobody saying anything all are "unbestätigt"
    (one list per outcome); only the services someone spoke about get their own copy."""
    unknown = outcome.unknown_today
    if unknown is None:
        unknown = outcome.unknown_today = [_today_copy(model, res, UNKNOWN)
                                           for res in outcome.results]
        outcome.position = {res.ozg_id: i for i, res in enumerate(outcome.results)}
    answered = answered_statements(assessment)
    if not answered and not observed:
        return unknown
    out = list(unknown)
    position = outcome.position
    for ozg_id in {*answered, *(observed or ())}:
        i = position.get(ozg_id)
        if i is not None:
            said = statement_for(ozg_id, answered, observed)
            if said is not UNKNOWN:
                out[i] = _today_copy(model, outcome.results[i], said)
    return out


def _today_copy(model: MaturityModel, res: ServiceResult, said: TodayLevel) -> ServiceResult:
    copy = object.__new__(ServiceResult)
    copy.__dict__.update(res.__dict__)
    copy.__dict__.update(today_fields(model, res, said, offline_cap(model)))
    return copy


def _roll_up_today(result: CatalogueResult) -> None:
    """The headline and group figures of `today` next to those of `reachable`."""
    services = result.services
    result.reachable_at_target = result.at_target
    online = [s for s in services if s.today_online is not None]
    hit = [s for s in online if s.today_at_target]
    result.today_at_target = len(hit)
    result.share_today_at_target = (100.0 * len(hit) / len(services) if services else None)
    result.today_online = sum(1 for s in online if s.today_online)
    result.today_not_online = len(online) - result.today_online
    result.today_unconfirmed = len(services) - len(online)
    sources: dict[str, int] = {}
    for s in online:
        sources[s.today_source] = sources.get(s.today_source, 0) + 1
    if result.today_unconfirmed:
        sources[SOURCE_UNKNOWN] = result.today_unconfirmed
    result.today_sources = sources
    if hit:  # groups without a service online at target keep their shared result (0)
        result.by_themenfeld = _grouped(result.by_themenfeld, hit, "themenfeld")
        result.by_lage = _grouped(result.by_lage, hit, "lage")


def _grouped(groups: list[GroupResult], hit: list[ServiceResult], attr: str
             ) -> list[GroupResult]:
    counts: dict[str, int] = {}
    for s in hit:
        name = getattr(s, attr) or "(ohne Lage)"
        counts[name] = counts.get(name, 0) + 1
    out = []
    for g in groups:
        n = counts.get(g.name)
        if n:  # a copy (the group is shared), without replace()'s checks
            copy = object.__new__(GroupResult)
            copy.__dict__.update(g.__dict__, today_at_target=n)
            g = copy
        out.append(g)
    return out


def _blocking(model: MaturityModel, held: dict[str, int]) -> list[tuple[str, str, int]]:
    """How many services each criterion holds back from their target, most first."""
    ranked = sorted(((n, model.criterion_ids.index(cid), cid) for cid, n in held.items() if n),
                    key=lambda t: (-t[0], t[1]))
    return [(cid, model.criterion(cid).name, n) for n, _, cid in ranked]  # type: ignore[union-attr]


_LeverSet = tuple[tuple[str, ...], list[int]]  # criteria, indices of the services unlocked


class _LeverSets:
    """The lever sets for what each service needs raised, and the levers made of them per
    advice and levels of the deciding answers. Hashed by identity."""

    def __init__(self, model: MaturityModel, results: list[ServiceResult],
                 needs: list[frozenset[str]]) -> None:
        self.singles, self.combinations = _lever_sets(model, results, needs)
        self.candidates = sorted({c for combo, _ in (*self.singles, *self.combinations)
                                  for c in combo}, key=model.criterion_ids.index)
        self.levers: Memo[tuple[list[Lever], list[Lever]]] = Memo(8)


_LEVER_SETS: Memo[_LeverSets] = Memo(500)


def _lever_sets(model: MaturityModel, results: list[ServiceResult],
                needs: list[frozenset[str]]) -> tuple[list[_LeverSet], list[_LeverSet]]:
    """Which criteria, raised alone or two/three together, bring the most services to target,
    with the services each set unlocks.

    A service not at target reaches it exactly when every criterion in its need set (below
    the needed level or unknown) is raised, so a lever set R unlocks service s iff
    need(s) ⊆ R. Need sets are counted once, which keeps this fast for 500+ services."""
    by_need: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, need in enumerate(needs):
        if need:
            by_need[need].append(i)
    candidates = sorted({c for need in by_need for c in need},
                        key=lambda c: model.criterion_ids.index(c))

    def unlocks(combo: tuple[str, ...]) -> list[int]:
        chosen = set(combo)
        return [i for need, group in by_need.items() if need <= chosen for i in group]

    def rank(ls: _LeverSet) -> tuple[float, int, int, list[str]]:
        return (-sum(results[i].weight for i in ls[1]), -len(ls[1]), len(ls[0]), list(ls[0]))

    unlocked_by: dict[tuple[str, ...], int] = {}
    singles: list[_LeverSet] = []
    for c in candidates:
        unlocked = unlocks((c,))
        unlocked_by[(c,)] = len(unlocked)
        if unlocked:
            singles.append(((c,), unlocked))
    singles.sort(key=rank)
    combos: list[_LeverSet] = []
    for size in range(2, MAX_COMBINATION + 1):
        best = []
        for combo in itertools.combinations(candidates, size):
            unlocked = unlocks(combo)
            unlocked_by[combo] = len(unlocked)
            # worth naming only if it unlocks more than any smaller part of it
            parts = (p for k in range(1, size) for p in itertools.combinations(combo, k))
            if unlocked and len(unlocked) > max(unlocked_by.get(p, 0) for p in parts):
                best.append((combo, unlocked))
        best.sort(key=rank)
        combos.extend(best[:3])
    return singles, combos


def _levers(model: MaturityModel, assessment: Any, qn: Questionnaire | None,
            outcome: _Outcome) -> tuple[list[Lever], list[Lever]]:
    """The lever sets of an outcome with this assessment's levels and advice."""
    sets, results = outcome.lever_sets, outcome.results
    support = assessment.criteria_levels()
    recs = {c: _recommendation_for(assessment, qn, c) for c in sets.candidates}
    key = (tuple(recs.items()), tuple(support.get(c) for c in sets.candidates))

    def build(combo: tuple[str, ...], indices: list[int]) -> Lever:
        unlocked = [results[i] for i in indices]
        at = [model.criterion_ids.index(c) for c in combo]  # rows follow the model's order
        chosen = [recs[c] for c in combo]
        texts = [r[0] for r in chosen if r[0]]
        resp = next((r[1] for r in chosen if r[1]), None)
        return Lever(
            criteria=list(combo),
            criterion_names=[model.criterion(c).name for c in combo],  # type: ignore[union-attr]
            current_levels=[support.get(c) for c in combo],
            needed_levels=[max((s.criteria[i].needed or 0) for s in unlocked) for i in at],
            unlocked=len(unlocked), unlocked_weight=sum(s.weight for s in unlocked),
            unlocked_ids=sorted(s.ozg_id for s in unlocked),
            efa_available=sum(1 for s in unlocked if s.efa_available),
            recommendation=" · ".join(dict.fromkeys(texts)) or None, responsible=resp,
            responsible_label=RESPONSIBLE.get(resp or "", None) if resp else None)

    found = sets.levers.get(key, lambda: ([build(*ls) for ls in sets.singles],
                                          [build(*ls) for ls in sets.combinations]))
    return list(found[0]), list(found[1])


def score_answers(qn: Questionnaire, aset: Any, model: MaturityModel,
                  catalogue: Catalogue | None = None, *, target: int | None = None,
                  with_successor: bool = False,
                  observed: Mapping[str, TodayLevel] | None = None) -> Any:
    """The one scored `Assessment` every command reads: `score(compile(...), aset)`
    (scoring/compiled.py); `with_successor` adds the headline figures of the model that
    replaced `model` (docs/scoring.md §6)."""
    from ozgkompass.scoring.compiled import compile, score
    from ozgkompass.scoring.definitions import Definitions

    return score(compile(Definitions.resolve(qn, model, catalogue, target=target,
                                             with_successor=with_successor)),
                 aset, observed=observed)


def figures_under(qn: Questionnaire, aset: Any, catalogue: Catalogue, model: MaturityModel,
                  target: int | None = None,
                  observed: Mapping[str, TodayLevel] | None = None) -> ModelFigures:
    """Score the same answers under another model and keep the headline figures."""
    result = score_answers(qn, aset, model, catalogue, target=target,
                           observed=observed).catalogue
    return ModelFigures(model.id, model.title, model.complete, result.in_scope,
                        result.at_target, result.frontend_complete, result.level_counts,
                        result.today_at_target)
