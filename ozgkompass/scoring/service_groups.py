"""The services a `services_online` question asks about, grouped and ordered.

With a municipality: the OZG-Leistungen it executes (its type and Land, its own scope
additions; docs/scoring.md §6), grouped by Themenfeld or Lage, the most used first
(catalogue `priority`, 3 first; groups by their services' priorities). Without one (a
blank workbook): every municipal service of the catalogue, so any municipality can answer.
"""

from __future__ import annotations

from typing import Any

from ozgkompass.model.catalogue import Catalogue, OzgService, builtin_catalogue

ServiceGroups = list[tuple[str, list[OzgService]]]


def asked_services(municipality: Any = None, catalogue: Catalogue | None = None,
                   group_by: str = "themenfeld") -> ServiceGroups:
    from ozgkompass.scoring.scope import scope_key, select_scope

    cat = catalogue if catalogue is not None else builtin_catalogue()
    if municipality is not None and getattr(municipality, "type", None):
        services, _, _ = select_scope(cat, *scope_key(municipality), "kommunal")
    else:
        services = [s for s in cat.services if s.municipal_scope
                    and s.executed_by not in ("land", "bund")]
    groups: dict[str, list[OzgService]] = {}
    for svc in services:
        name = (svc.lage if group_by == "lage" else svc.themenfeld) or "(ohne Lage)"
        groups.setdefault(name, []).append(svc)
    for members in groups.values():
        members.sort(key=lambda s: (-(s.priority or 2), s.name))
    return sorted(groups.items(), key=lambda g: (-sum(s.priority or 2 for s in g[1]), g[0]))


def flat(groups: ServiceGroups) -> list[OzgService]:
    return [s for _, members in groups for s in members]
