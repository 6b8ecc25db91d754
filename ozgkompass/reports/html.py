"""HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched).

Two audiences share the templates: `fach` (every figure, for the administration) and
`leitung` (the mayor's two-page briefing with its glossary).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ozgkompass.reports import glossary
from ozgkompass.reports.context import INDICATIVE_NOTE, pct, provenance, responsible_label
from ozgkompass.scoring.assessment import covered_by

BRIEFING_STEPS = 5


def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("ozgkompass.reports", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = pct
    env.filters["who"] = responsible_label
    return env


def _steps(a: Any) -> list[dict[str, Any]]:
    """The briefing's next steps: the strongest levers when a catalogue was scored (they say
    how many services each unlocks), else the recommendations with the largest index gain."""
    steps: list[dict[str, Any]] = []
    c = a.catalogue
    if c is not None:
        for lv in [*c.levers, *c.combinations]:
            if len(steps) == BRIEFING_STEPS:
                break
            steps.append({
                "what": lv.recommendation or ("Verbessern: " + ", ".join(lv.criterion_names)),
                "who": lv.responsible_label or "Kommune",
                "why": f"Damit erreichen {lv.unlocked} OZG-Leistungen ihre Zielstufe.",
            })
    for r in a.recommendations:
        if len(steps) >= 3:
            break
        if any(r.text in s["what"] for s in steps):
            continue
        steps.append({"what": r.text, "who": r.responsible_label or "Kommune",
                      "why": f"Hebt den Reifeindex um etwa {r.gain:.1f} Punkte."
                      .replace(".", ",", 1)})
    return steps


def _visible_text(html: str) -> str:
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def render(a: Any, audience: Any, today: _dt.date) -> bytes:
    return render_text(a, audience, today).encode("utf-8")


def render_text(a: Any, audience: Any, today: _dt.date) -> str:
    env = _env()
    ctx = {"a": a, "c": a.catalogue, "prov": provenance(a, today),
           "indicative_note": INDICATIVE_NOTE,
           "area_rows": [(ar.title, ar.score) for ar in a.areas],
           "tf_rows": ([(g.name, g.share) for g in a.catalogue.by_themenfeld]
                       if a.catalogue is not None else [])}
    if audience == "leitung":
        ctx["steps"] = _steps(a)
        ctx["strengths"] = [ar for ar in a.areas if ar.score is not None and ar.score >= 75]
        covered = covered_by(a, "it_dienstleister")
        ctx["provider_covers"] = covered
        ctx["provider_areas"] = list(dict.fromkeys(
            ar.title for ar in a.areas for q in covered if q.area_id == ar.id))
        ctx["glossary"] = None
        draft = env.get_template("leitung.html.j2").render(ctx)
        ctx["glossary"] = glossary.used_terms(_visible_text(draft))
        return env.get_template("leitung.html.j2").render(ctx)
    return env.get_template("fach.html.j2").render(ctx)
