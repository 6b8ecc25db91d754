"""Progress between two assessments of the same municipality (docs/archive.md).

Works on scored results in their stored form (`scoring.summary.summarise`), so an answers file
scored today and an assessment archived last year compare alike. Questions are matched by
id across questionnaire versions; questions only in one version are listed, not scored.
Every figure is read from the results; nothing is scored again here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ozgkompass.errors import UserError


@dataclass
class QuestionChange:
    id: str
    area_id: str
    old: str | None  # answer label or status
    new: str | None
    old_score: float | None
    new_score: float | None
    kind: str  # "geändert", "nur alt", "neu"


@dataclass
class FigureChange:
    id: str
    title: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass
class Progress:
    municipality: str
    old: dict[str, Any]  # date, questionnaire, model, catalogue of each side
    new: dict[str, Any]
    score: FigureChange
    areas: list[FigureChange]
    themenfelder: list[FigureChange]
    questions: list[QuestionChange]
    reached_target: list[tuple[str, str]]  # (OZG-ID, name)
    new_gaps: list[tuple[str, str]]  # were at target before, are not now
    new_in_scope: list[tuple[str, str]] = field(default_factory=list)  # new, below target
    notes: list[str] = field(default_factory=list)
    # "heute online auf Zielstufe" next to the reachable figures (old side None when it
    # was stored before ozgkompass scored `today`)
    today_at_target: FigureChange | None = None
    online_today: list[tuple[str, str]] = field(default_factory=list)  # now online at target

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"]["delta"] = self.score.delta
        for key in ("areas", "themenfelder"):
            for item, obj in zip(data[key], getattr(self, key), strict=True):
                item["delta"] = obj.delta
        return data


def _side(r: dict[str, Any]) -> dict[str, Any]:
    cat = r.get("catalogue") or {}
    return {"date": (r.get("interview") or {}).get("date"),
            "questionnaire": f"{r['questionnaire']['id']} {r['questionnaire']['version']}",
            "model": f"{r['model']['id']} {r['model'].get('version', '')}".strip(),
            "catalogue": (f"{cat['catalogue']['id']} {cat['catalogue']['version']}"
                          if cat else None),
            "tool_version": r.get("tool_version")}


def same_municipality(old: dict[str, Any], new: dict[str, Any]) -> bool:
    a, b = old["municipality"], new["municipality"]
    if a.get("ars") and b.get("ars"):
        return bool(a["ars"] == b["ars"])
    return bool(a["name"].strip().casefold() == b["name"].strip().casefold())


def _questions(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for a in r["areas"] for q in a["questions"]}


def _shown(q: dict[str, Any]) -> str:
    return str(q.get("answer_label") or q["status"])


def compare(old: dict[str, Any], new: dict[str, Any]) -> Progress:
    """What changed from `old` to `new` (both results of one municipality)."""
    if not same_municipality(old, new):
        raise UserError(f"Die Bewertungen gehören zu verschiedenen Kommunen "
                        f"({old['municipality']['name']} / {new['municipality']['name']}).",
                        hint="Fortschritt wird nur für dieselbe Kommune verglichen; für "
                             "mehrere Kommunen `ozgkompass convoy` oder `peers` nutzen.")
    notes = []
    if old["questionnaire"]["id"] != new["questionnaire"]["id"]:
        raise UserError(f"Verschiedene Fragebögen ({old['questionnaire']['id']} / "
                        f"{new['questionnaire']['id']}) lassen sich nicht vergleichen.",
                        hint="Beide Bewertungen mit demselben Fragebogen erfassen.")
    if old["questionnaire"]["version"] != new["questionnaire"]["version"]:
        notes.append(f"Fragebogen-Versionen unterscheiden sich "
                     f"({old['questionnaire']['version']} → {new['questionnaire']['version']}); "
                     "Fragen werden über ihre ID zugeordnet.")
    if old["model"]["id"] != new["model"]["id"]:
        notes.append(f"Reifegradmodelle unterscheiden sich ({old['model']['id']} → "
                     f"{new['model']['id']}); Stufen sind nicht direkt vergleichbar.")
    oq, nq = _questions(old), _questions(new)
    changes: list[QuestionChange] = []
    for qid, q in nq.items():
        if qid not in oq:
            changes.append(QuestionChange(qid, q["area_id"], None, _shown(q), None,
                                          q.get("score"), "neu"))
            continue
        o = oq[qid]
        if _shown(o) != _shown(q) or o.get("score") != q.get("score"):
            changes.append(QuestionChange(qid, q["area_id"], _shown(o), _shown(q),
                                          o.get("score"), q.get("score"), "geändert"))
    for qid, o in oq.items():
        if qid not in nq:
            changes.append(QuestionChange(qid, o["area_id"], _shown(o), None,
                                          o.get("score"), None, "nur alt"))
    old_areas = {a["id"]: a for a in old["areas"]}
    areas = [FigureChange(a["id"], a["title"], (old_areas.get(a["id"]) or {}).get("score"),
                          a["score"]) for a in new["areas"]]
    areas += [FigureChange(a["id"], a["title"], a["score"], None)
              for a in old["areas"] if a["id"] not in {x.id for x in areas}]
    ocat, ncat = old.get("catalogue"), new.get("catalogue")
    themenfelder: list[FigureChange] = []
    reached: list[tuple[str, str]] = []
    gaps: list[tuple[str, str]] = []
    fresh: list[tuple[str, str]] = []
    today: FigureChange | None = None
    online_today: list[tuple[str, str]] = []
    if ocat and ncat:
        otf = {g["name"]: g["share"] for g in ocat["by_themenfeld"]}
        themenfelder = [FigureChange(g["name"], g["name"], otf.get(g["name"]), g["share"])
                        for g in ncat["by_themenfeld"]]
        before = {s["ozg_id"]: s for s in ocat["services"]}
        for s in ncat["services"]:
            was = before.get(s["ozg_id"])
            if s["at_target"] and not (was and was["at_target"]):
                reached.append((s["ozg_id"], s["name"]))
            elif not s["at_target"] and was is None:
                fresh.append((s["ozg_id"], s["name"]))
            elif not s["at_target"] and was is not None and was["at_target"]:
                gaps.append((s["ozg_id"], s["name"]))
        today = FigureChange("heute", "heute online auf Zielstufe",
                             ocat.get("today_at_target"), ncat.get("today_at_target"))
        online_today = [(s["ozg_id"], s["name"]) for s in ncat["services"]
                        if s.get("today_at_target") and not (before.get(s["ozg_id"]) or {}).get(
                            "today_at_target")]
        if ocat["catalogue"]["version"] != ncat["catalogue"]["version"]:
            notes.append(f"Katalog-Versionen unterscheiden sich ({ocat['catalogue']['version']} "
                         f"→ {ncat['catalogue']['version']}).")
    elif ocat or ncat:
        notes.append("Nur eine der Bewertungen ist gegen den OZG-Katalog gerechnet; Leistungen "
                     "werden nicht verglichen.")
    return Progress(new["municipality"]["name"], _side(old), _side(new),
                    FigureChange("gesamt", "Gesamtindex", old["score"], new["score"]),
                    areas, themenfelder, changes, reached, gaps, fresh, notes, today,
                    online_today)


@dataclass
class HistoryPoint:
    """One archived round of a municipality, as the history chart shows it."""
    id: int
    date: str
    score: float | None
    share_at_target: float | None


def history(result: dict[str, Any], rows: list[Any]) -> list[HistoryPoint]:
    """The archived rounds (`archive.store.list_assessments`, oldest first) of the
    municipality and questionnaire of `result`; figures as stored, nothing rescored."""
    m = result["municipality"]
    qid = result["questionnaire"]["id"]
    points = []
    for row in rows:
        same = (row.ars == m["ars"] if row.ars and m.get("ars")
                else row.municipality.strip().casefold() == m["name"].strip().casefold())
        if same and row.questionnaire.split(" ")[0] == qid:
            points.append(HistoryPoint(row.id, (row.interview_date or row.added_at)[:10],
                                       row.score, row.share_at_target))
    return points
