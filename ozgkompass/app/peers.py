"""Peer comparison: where a municipality stands among others of its Land and size class.

Percentiles are mid-rank: the share of peers below plus half of those level with it, so a
municipality equal to all its peers stands at 50. Other municipalities are never named
here; the CLI adds names only on request (`--named`).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PeerFigure:
    id: str
    title: str
    value: float | None
    median: float | None
    percentile: float | None
    peers: int  # peers with a value for this figure


@dataclass
class PeerComparison:
    municipality: str
    land: str
    size_class: str
    size_label: str
    peers: int
    overall: PeerFigure
    services: PeerFigure
    areas: list[PeerFigure]
    named: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(value: float, others: list[float]) -> float:
    below = sum(1 for o in others if o < value)
    level = sum(1 for o in others if o == value)
    return 100.0 * (below + level / 2) / len(others)


def figure(ident: str, title: str, value: float | None, others: list[float | None]
           ) -> PeerFigure:
    vals = [o for o in others if o is not None]
    if value is None or not vals:
        return PeerFigure(ident, title, value, statistics.median(vals) if vals else None,
                          None, len(vals))
    return PeerFigure(ident, title, value, statistics.median(vals), percentile(value, vals),
                      len(vals))


def compare_peers(result: Mapping[str, Any], peers: list[Any], land: str, size_class: str,
                  size_label: str) -> PeerComparison:
    """`result`: the subject's summary (scoring.summary); `peers`: archive.store.PeerRow list."""
    cat = result.get("catalogue")
    return PeerComparison(
        municipality=result["municipality"]["name"], land=land, size_class=size_class,
        size_label=size_label, peers=len(peers),
        overall=figure("gesamt", "Gesamtindex", result["score"], [p.score for p in peers]),
        services=figure("leistungen", "Leistungen am Ziel (Anteil)",
                        cat["share_at_target"] if cat else None,
                        [p.share_at_target for p in peers]),
        areas=[figure(a["id"], a["title"], a["score"], [p.areas.get(a["id"]) for p in peers])
               for a in result["areas"]])
