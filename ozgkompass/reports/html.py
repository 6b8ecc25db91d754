"""HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched).

Two audiences share the templates: `fach` (every figure, for the administration) and
`leitung` (the mayor's two-page briefing with its glossary).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ozgkompass.numbers import german_date
from ozgkompass.reports import briefing, glossary
from ozgkompass.reports.context import (
    EXECUTED_BY,
    INDICATIVE_NOTE,
    change,
    criterion_names,
    criterion_reason,
    delta,
    for_reader,
    pct,
    provenance,
    question_text,
    responsible_label,
    services_by_themenfeld,
    thousands,
)
from ozgkompass.scoring.assessment import covered_by
from ozgkompass.scoring.steps import why


def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("ozgkompass.reports", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = pct
    env.filters["who"] = responsible_label
    env.filters["delta"] = delta
    env.filters["change"] = change
    env.filters["thousands"] = thousands
    env.filters["datum"] = german_date
    env.filters["for_reader"] = for_reader
    return env


def short_title(title: str) -> str:
    """"Nutzerkonten – BundID/DeutschlandID, …" → "Nutzerkonten": the part before a dash."""
    return title.split(" – ")[0].split(" (")[0]


def _visible_text(html: str) -> str:
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def render(a: Any, audience: Any, today: _dt.date, plan: Any = None,
           peers: Any = None) -> bytes:
    return render_text(a, audience, today, plan, peers=peers).encode("utf-8")


def render_briefing(a: Any, today: _dt.date, plan: Any = None, fit: Any = None,
                    peers: Any = None) -> str:
    """The mayor's briefing with `fit` (briefing.Fit: what it shows; the first of
    briefing.FITS by default) and `peers` (a PeerComparison of at least three archived
    peers, or None: then no comparison)."""
    return render_text(a, "leitung", today, plan, fit, peers)


def _with_glossary(env: Any, template: str, ctx: dict[str, Any]) -> str:
    """Render a briefing twice: the glossary lists the terms the first draft uses."""
    ctx["glossary"] = None
    draft = env.get_template(template).render(ctx)
    ctx["glossary"] = glossary.used_terms(_visible_text(draft))
    return env.get_template(template).render(ctx)  # type: ignore[no-any-return]


def render_text(a: Any, audience: Any, today: _dt.date, plan: Any = None,
                fit: Any = None, peers: Any = None) -> str:
    env = _env()
    ctx = {"a": a, "c": a.catalogue, "prov": provenance(a, today),
           "indicative_note": INDICATIVE_NOTE, "plan": plan, "steps": a.next_steps,
           "observed": a.observed,  # observed.compare.Comparison
           "area_rows": [(ar.title, ar.score) for ar in a.areas],
           "tf_rows": ([(g.name, g.share) for g in a.catalogue.by_themenfeld]
                       if a.catalogue is not None else []),
           "services_by_tf": (services_by_themenfeld(a.catalogue)
                              if a.catalogue is not None else []),
           "reason": lambda crit: criterion_reason(a, crit),
           "names": lambda ids: criterion_names(a, ids),
           "qtext": lambda qid: question_text(a, qid),
           "executed_by": lambda by: EXECUTED_BY.get(by or "", by or ""),
           # a model with back-office levels (2.0): front end and back office apart
           "split": a.catalogue is not None and any(s.frontend_level is not None
                                                    for s in a.catalogue.services),
           "level_names": (sorted({(s.level, s.level_name.replace(" (unbestätigt)", ""))
                                   for s in a.catalogue.services}
                                  | {(s.target, s.target_name) for s in a.catalogue.services})
                           if a.catalogue is not None else [])}
    if audience == "leitung":
        ctx.update(briefing.context(a, fit or briefing.FITS[0], peers))
        ctx["why"] = why
        ctx["strengths"] = [ar for ar in a.areas if ar.score is not None and ar.score >= 75]
        covered = covered_by(a, "it_dienstleister")
        ctx["provider_covers"] = covered
        ctx["provider_areas"] = list(dict.fromkeys(
            short_title(ar.title) for ar in a.areas for q in covered if q.area_id == ar.id))
        ctx["short"] = short_title
        ctx["area_rows"] = [(short_title(t), v) for t, v in ctx["area_rows"]]
        return _with_glossary(env, "leitung.html.j2", ctx)
    return env.get_template("fach.html.j2").render(ctx)  # type: ignore[no-any-return]


def render_progress(report: Any, audience: Any, today: _dt.date) -> bytes:
    return render_progress_text(report, audience, today).encode("utf-8")


def render_progress_text(report: Any, audience: Any, today: _dt.date) -> str:
    """The Fortschrittsbericht (`reports.over_time.ProgressReport`); `leitung`: the short
    version for the mayor."""
    p = report.progress
    old_prov, new_prov = report.provenance(today)
    services_old, services_new = report.services("old"), report.services("new")
    ctx: dict[str, Any] = {
        "r": report, "p": p, "old_prov": old_prov, "new_prov": new_prov,
        "indicative_note": INDICATIVE_NOTE, "areas": report.area_titles(),
        "changed": [q for q in p.questions if q.kind == "geändert"],
        "version_changes": [q for q in p.questions if q.kind != "geändert"],
        "services_old": services_old, "services_new": services_new,
        "criteria": report.criteria(),
        "figures": _progress_figures(report, services_old, services_new),
        "service_lists": [("neu-heute-online", "Neu heute online auf Zielstufe",
                           p.online_today),
                          ("neu-am-ziel", "Neu mit der heutigen Infrastruktur auf Zielstufe",
                           p.reached_target),
                          ("neue-luecken", "Neue Lücken (waren auf Zielstufe)", p.new_gaps),
                          ("neu-im-umfang", "Neu im Umfang, noch nicht auf Zielstufe",
                           p.new_in_scope)],
    }
    if audience == "leitung":
        ctx["better"] = sorted((a for a in p.areas if (change(a.old, a.new) or 0) > 0),
                               key=lambda a: -a.delta)
        ctx["worse"] = sorted((a for a in p.areas if (change(a.old, a.new) or 0) < 0),
                              key=lambda a: a.delta)
        return _with_glossary(_env(), "progress-leitung.html.j2", ctx)
    return _env().get_template("progress.html.j2").render(ctx)  # type: ignore[no-any-return]


def _progress_figures(report: Any, old: tuple[Any, ...], new: tuple[Any, ...]
                      ) -> list[dict[str, str]]:
    p = report.progress
    o, n = report.old.get("completeness"), report.new.get("completeness")
    rows = [{"label": "OZG-Reifeindex", "old": pct(p.score.old), "new": pct(p.score.new),
             "delta": delta(change(p.score.old, p.score.new)) + " Punkte"},
            {"label": "Vollständigkeit der Antworten", "old": pct(o), "new": pct(n),
             "delta": delta(change(o, n)) + " Punkte"}]
    t = p.today_at_target
    if t is not None:
        rows.append({"label": "OZG-Leistungen heute online auf Zielstufe",
                     "old": "nicht erfasst" if t.old is None else f"{t.old} von {old[1]}",
                     "new": "–" if t.new is None else f"{t.new} von {new[1]}",
                     "delta": "–" if t.old is None or t.new is None else delta(t.new - t.old)})
    if old[0] is not None or new[0] is not None:
        rows.append({"label": "OZG-Leistungen mit der heutigen Infrastruktur auf Zielstufe",
                     "old": "–" if old[0] is None else f"{old[0]} von {old[1]}",
                     "new": "–" if new[0] is None else f"{new[0]} von {new[1]}",
                     "delta": "–" if old[0] is None or new[0] is None
                     else delta(new[0] - old[0])})
        rows.append({"label": "Anteil auf Zielstufe", "old": pct(old[2]), "new": pct(new[2]),
                     "delta": delta(change(old[2], new[2])) + " Punkte"})
    return rows


def render_convoy(report: Any, audience: Any, today: _dt.date) -> bytes:
    return render_convoy_text(report, today).encode("utf-8")


def render_convoy_text(report: Any, today: _dt.date) -> str:
    """The Geleitzug report (`reports.over_time.ConvoyReport`); names every member. The
    matrices have the members as rows and at most `CONVOY_COLUMNS` areas/Themenfelder a
    table, so that no column is narrower than its longest word on A4 landscape."""
    res = report.result
    provs = report.provenance(today)
    fields = ("questionnaire", "model", "catalogue", "tool")
    common = {f: getattr(provs[0], f) for f in fields
              if len({getattr(pv, f) for pv in provs}) == 1}
    ctx = {"res": res, "today": today.isoformat(), "provs": provs, "common": common,
           "varying": [f for f in fields if f not in common],
           "indicative": any(pv.indicative for pv in provs), "indicative_note": INDICATIVE_NOTE,
           "area_tables": _chunks([(s.title.split(" – ")[0], s.member,
                                    res.area_values.get(s.id, {})) for s in res.areas]),
           "tf_tables": _chunks([(s.title, s.member, res.themenfeld_values.get(s.id, {}))
                                 for s in res.themenfelder])}
    return _env().get_template("convoy.html.j2").render(ctx)  # type: ignore[no-any-return]


CONVOY_COLUMNS = 7


def _chunks(columns: list[Any]) -> list[list[Any]]:
    """Columns split into tables of at most CONVOY_COLUMNS, as even as possible (9 → 5 + 4)."""
    if not columns:
        return []
    parts = -(-len(columns) // CONVOY_COLUMNS)
    size = -(-len(columns) // parts)
    return [columns[i:i + size] for i in range(0, len(columns), size)]
