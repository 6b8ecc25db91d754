"""What the Fortschrittsbericht and the Geleitzug report render: the computed comparison
(`app.progress`, `app.convoy`) with the stored results it was computed from.

Formatting help only: every figure comes from the comparison or the stored results.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ozgkompass.reports.context import Provenance, provenance_of_result

HISTORY_MIN = 3  # the history chart needs more than two archived rounds


@dataclass
class ProgressReport:
    progress: Any  # app.progress.Progress
    old: dict[str, Any]  # the stored results (scoring.summary.summarise)
    new: dict[str, Any]
    history: list[Any] = field(default_factory=list)  # app.progress.HistoryPoint
    question_texts: dict[str, str] = field(default_factory=dict)

    @property
    def show_history(self) -> bool:
        return len(self.history) >= HISTORY_MIN

    def provenance(self, today: _dt.date) -> tuple[Provenance, Provenance]:
        return provenance_of_result(self.old, today), provenance_of_result(self.new, today)

    def text_of(self, qid: str) -> str:
        return self.question_texts.get(qid, qid)

    def services(self, side: str) -> tuple[int | None, int | None, float | None]:
        """(at target, in scope, share) of one side, as stored."""
        cat = (self.old if side == "old" else self.new).get("catalogue")
        if not cat:
            return None, None, None
        return cat["at_target"], cat["in_scope"], cat["share_at_target"]

    def area_titles(self) -> dict[str, str]:
        return {a.id: a.title for a in self.progress.areas}

    def criteria(self) -> list[tuple[str, int | None, int | None]]:
        """(criterion, level before, level now) of the Reifegrad criteria, as stored."""
        before = {c["id"]: c["level"] for c in self.old.get("criteria", [])}
        rows = [(c["name"], before.pop(c["id"], None), c["level"])
                for c in self.new.get("criteria", [])]
        names = {c["id"]: c["name"] for c in self.old.get("criteria", [])}
        return rows + [(names[cid], level, None) for cid, level in before.items()]


def question_texts(*results: dict[str, Any]) -> dict[str, str]:
    """Question texts from the questionnaires of the results, where still installed (an
    archived round may use a version no longer at hand: its questions show their id)."""
    from ozgkompass.errors import UserError
    from ozgkompass.model.registry import find_questionnaire

    texts: dict[str, str] = {}
    for r in results:
        try:
            qn = find_questionnaire(r["questionnaire"]["id"], r["questionnaire"]["version"])
        except (UserError, OSError):
            continue
        for area in qn.areas:
            for q in area.questions:
                texts.setdefault(q.id, q.text.de)
    return texts


@dataclass
class ConvoyReport:
    result: Any  # app.convoy.ConvoyResult
    members: list[dict[str, Any]]  # the stored results, in the order of result.members

    def provenance(self, today: _dt.date) -> list[Provenance]:
        return [provenance_of_result(r, today) for r in self.members]

    def area_titles(self) -> list[tuple[str, str]]:
        return [(a.id, a.title) for a in self.result.areas]
