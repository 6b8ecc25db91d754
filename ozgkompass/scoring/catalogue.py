"""Scoring against the OZG catalogue: per OZG-Leistung the achievable Reifegrad, the gap to
its target, the bottleneck criteria, roll-ups, and the levers that unlock the most services.

Pure functions over an `Assessment` (criteria levels from the questionnaire), a `Catalogue`
and a `MaturityModel`. Rules: docs/scoring.md, sections 6–8.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ozgkompass.model.answers import Resolved
from ozgkompass.model.catalogue import Catalogue
from ozgkompass.model.maturity import MaturityModel
from ozgkompass.model.questionnaire import Questionnaire
from ozgkompass.scoring.levers import LeverSets, blocking, levers
from ozgkompass.scoring.memory import Memory
from ozgkompass.scoring.results import (
    CatalogueResult,
    GroupResult,
    ModelFigures,
    ServiceResult,
)
from ozgkompass.scoring.scope import ScopeKey, scope_key, select_scope
from ozgkompass.scoring.services import (
    Kind,
    evidence_summary,
    kind_of,
    made_of,
    service_weights,
    supports,
)
from ozgkompass.scoring.today import (
    SOURCE_UNKNOWN,
    UNKNOWN,
    TodayLevel,
    answered_statements,
    offline_cap,
    statement_for,
    today_fields,
    today_of,
)


def _group(name: str, members: list[ServiceResult], weighted: bool) -> GroupResult:
    hit = [s for s in members if s.at_target]
    total_w = sum(s.weight for s in members)
    return GroupResult(
        name=name, services=len(members), at_target=len(hit),
        share=100.0 * len(hit) / len(members) if members else None,
        weighted_share=(100.0 * sum(s.weight for s in hit) / total_w
                        if weighted and total_w else None))



class _Plan:
    """Everything of a catalogue run that does not depend on the answers: the services in
    scope, their weights and kinds, the groups they roll up into. Hashed by identity."""

    def __init__(self, catalogue: Catalogue, model: MaturityModel,
                 key: ScopeKey, scope: str, override: int | None, memory: Memory) -> None:
        services, self.out_of_scope, self.scope_note = select_scope(catalogue, *key, scope)
        self.weighting, weight_of = service_weights(services)
        self.kinds: list[Kind] = []
        self.kind_at: list[int] = []
        index: dict[Any, int] = {}
        for svc in services:
            if svc.attributes not in index:
                index[svc.attributes] = len(self.kinds)
                self.kinds.append(kind_of(model, svc.attributes, override, memory))
            self.kind_at.append(index[svc.attributes])
        self.kind_count = [self.kind_at.count(k) for k in range(len(self.kinds))]
        self.total_weight = sum(weight_of[svc.ozg_id] for svc in services)  # in order
        self.fixed: list[dict[str, Any]] = [
            dict(ozg_id=svc.ozg_id, name=svc.name, themenfeld=svc.themenfeld, lage=svc.lage,
                 responsibility=svc.responsibility.value, weight=weight_of[svc.ozg_id])
            for svc in services]
        by_tf: dict[str, list[int]] = defaultdict(list)
        by_lage: dict[str, list[int]] = defaultdict(list)
        for i, svc in enumerate(services):
            by_tf[svc.themenfeld].append(i)
            by_lage[svc.lage or "(ohne Lage)"].append(i)
        self.by_themenfeld, self.by_lage = sorted(by_tf.items()), sorted(by_lage.items())
        self.position = {svc.ozg_id: i for i, svc in enumerate(services)}


class _Outcome:
    """What a catalogue run makes of one set of criteria levels: the service results and
    what is rolled up from them. Roll-ups are counted per kind of service (its level and
    what holds it below its target hold for all its services). The results have `today`
    unbestätigt (§6a): a service someone spoke about gets its own copy (`_with_today`).
    Hashed by identity."""

    def __init__(self, plan: _Plan, model: MaturityModel,
                 supports: list[tuple[tuple[int | None, ...], dict[str, int | None]]],
                 memory: Memory) -> None:
        kinds = [made_of(kind, support) for kind, support in zip(plan.kinds, supports,
                                                                  strict=True)]
        cap = offline_cap(model)
        shared = [{**static, **decided, "criteria": rows,
                   **today_of(model, decided["level"], decided["level_name"],
                              decided["at_target"], UNKNOWN, cap)}
                  for static, decided, _, rows in kinds]  # all fields but the service's own
        self.results = [ServiceResult(**fixed, **shared[k])
                        for fixed, k in zip(plan.fixed, plan.kind_at, strict=True)]
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
        self.blocking = blocking(model, held)
        self.share_at_target = 100.0 * self.at_target / len(results) if results else None
        hit_w = sum(s.weight for s, k in zip(results, plan.kind_at, strict=True)
                    if at[k])  # in the services' order, as before
        self.weighted_share_at_target = (100.0 * hit_w / plan.total_weight
                                         if weighted and plan.total_weight else None)
        self.by_themenfeld, self.by_lage = memory.groups.get((plan, at), lambda: (
            [_group(k, [results[i] for i in v], weighted) for k, v in plan.by_themenfeld],
            [_group(k, [results[i] for i in v], weighted) for k, v in plan.by_lage]))
        self.lever_sets = memory.lever_sets.get((plan, needs), lambda: LeverSets(
            model, results, [needs[k] for k in plan.kind_at]))


def score_catalogue(assessment: Any, catalogue: Catalogue, model: MaturityModel,
                    qn: Questionnaire | None = None, *, target: int | None = None,
                    scope: str = "kommunal",
                    observed: Mapping[str, TodayLevel] | None = None,
                    memory: Memory | None = None) -> CatalogueResult:
    """Score every OZG-Leistung in scope against the criteria levels of an assessment;
    `observed` (by OZG-ID) fills `today` where the municipality did not answer (§6a).
    `memory`: what a compiled run remembers between answer sets (scoring/memory.py)."""
    memory = memory if memory is not None else Memory()
    key = scope_key(getattr(assessment, "municipality", None))
    plan = memory.plans.get((catalogue, model), (*key, scope, target),
                            lambda: _Plan(catalogue, model, key, scope, target, memory))
    base, restricted = evidence_summary(assessment)
    outcome = memory.outcomes.get((plan, base, restricted), lambda: _Outcome(
        plan, model, supports(model.criterion_ids, plan.kinds, base, restricted), memory))
    found_levers, combos = levers(model, assessment, qn, outcome.lever_sets, outcome.results)
    results = _with_today(model, plan, outcome, assessment, observed)
    return CatalogueResult(
        catalogue={"id": catalogue.id, "version": catalogue.version, "title": catalogue.title,
                   "source": catalogue.source},
        model=model.id, target_override=target, weighting=plan.weighting,
        in_scope=len(results), at_target=outcome.at_target,
        share_at_target=outcome.share_at_target,
        weighted_share_at_target=outcome.weighted_share_at_target,
        unconfirmed=outcome.unconfirmed,
        levers=found_levers, combinations=combos,
        blocking=list(outcome.blocking), services=list(results),
        out_of_scope=list(plan.out_of_scope), scope_note=plan.scope_note,
        level_counts=dict(outcome.level_counts),
        compliant_level=model.compliant_level, frontend_level=model.frontend_level,
        frontend_complete=outcome.frontend_complete,
        in_person=outcome.in_person, model_notice=model.notice,
        **_today_figures(results, outcome),
        plausibility=[*_statements_outside(assessment, plan),
                      *_contradicting_dashboard(results, observed)],
    )


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


def _statements_outside(assessment: Any, plan: _Plan) -> list[str]:
    """Services the municipality named online/not online that are not scored here: not its
    task (out of scope) or not in the catalogue. Said, so a typo does not go unnoticed."""
    named = answered_statements(assessment)
    if not named:
        return []
    outside = {o.ozg_id: o for o in plan.out_of_scope}
    foreign = sorted(i for i in named if i not in plan.position and i not in outside)
    skipped = sorted(i for i in named if i in outside)
    lines = []
    if skipped:
        lines.append(f"{len(skipped)} als online/nicht online genannte Leistung(en) führt die "
                     f"Kommune nicht aus (nicht gezählt): {', '.join(skipped)}.")
    if foreign:
        lines.append(f"{len(foreign)} genannte OZG-ID(s) stehen nicht im Katalog: "
                     f"{', '.join(foreign)}.")
    return lines


def _with_today(model: MaturityModel, plan: _Plan, outcome: _Outcome, assessment: Any,
                observed: Mapping[str, TodayLevel] | None) -> list[ServiceResult]:
    """Each service with its `today` figure (docs/scoring.md §6a): with nobody saying
    anything the outcome's shared results ("unbestätigt"); only the services someone spoke
    about get their own copy."""
    answered = answered_statements(assessment)
    unknown = outcome.results
    if not answered and not observed:
        return unknown
    out = list(unknown)
    position = plan.position
    for ozg_id in {*answered, *(observed or ())}:
        i = position.get(ozg_id)
        if i is not None:
            said = statement_for(ozg_id, answered, observed)
            if said is not UNKNOWN:
                out[i] = _today_copy(model, outcome.results[i], said)
    return out


def _today_copy(model: MaturityModel, res: ServiceResult, said: TodayLevel) -> ServiceResult:
    return res.with_today(today_fields(model, res, said, offline_cap(model)))


def _today_figures(services: list[ServiceResult], outcome: _Outcome) -> dict[str, Any]:
    """The headline and group figures of `today` next to those of `reachable`: the
    CatalogueResult's `by_themenfeld`, `by_lage` and its fields from `reachable_at_target`
    on."""
    online = [s for s in services if s.today_online is not None]
    hit = [s for s in online if s.today_at_target]
    today_online = sum(1 for s in online if s.today_online)
    unconfirmed = len(services) - len(online)
    sources: dict[str, int] = {}
    for s in online:
        sources[s.today_source] = sources.get(s.today_source, 0) + 1
    if unconfirmed:
        sources[SOURCE_UNKNOWN] = unconfirmed
    # groups without a service online at target keep their shared result (0)
    by_tf, by_lage = list(outcome.by_themenfeld), list(outcome.by_lage)
    return dict(
        by_themenfeld=_grouped(by_tf, hit, "themenfeld") if hit else by_tf,
        by_lage=_grouped(by_lage, hit, "lage") if hit else by_lage,
        reachable_at_target=outcome.at_target, today_at_target=len(hit),
        share_today_at_target=100.0 * len(hit) / len(services) if services else None,
        today_online=today_online, today_not_online=len(online) - today_online,
        today_unconfirmed=unconfirmed, today_sources=sources)


def _grouped(groups: list[GroupResult], hit: list[ServiceResult], attr: str
             ) -> list[GroupResult]:
    counts: dict[str, int] = {}
    for s in hit:
        name = getattr(s, attr) or "(ohne Lage)"
        counts[name] = counts.get(name, 0) + 1
    out = []
    for g in groups:
        n = counts.get(g.name)
        if n:  # a new group (the group is shared between municipalities)
            g = replace(g, today_at_target=n)
        out.append(g)
    return out


def figures_under(qn: Questionnaire, aset: Any, catalogue: Catalogue, model: MaturityModel,
                  target: int | None = None,
                  observed: Mapping[str, TodayLevel] | None = None,
                  memory: Memory | None = None, checked: Resolved | None = None
                  ) -> ModelFigures:
    """Score the same answers under another model and keep the headline figures
    (`checked`: the check of the answers made already)."""
    from ozgkompass.scoring.assessment import assess

    memory = memory if memory is not None else Memory()
    result = score_catalogue(assess(qn, aset, model, memory=memory, checked=checked),
                             catalogue, model, qn,
                             target=target, observed=observed, memory=memory)
    return ModelFigures(model.id, model.title, model.complete, result.in_scope,
                        result.at_target, result.frontend_complete, result.level_counts,
                        result.today_at_target)
