"""Terminal rendering of an `Assessment` (summary and explanations). Reads, never recomputes."""

from __future__ import annotations

import math
from typing import Any

from rich.table import Table

from ozgkompass.cli.output import console, esc, print_issues
from ozgkompass.errors import UserError
from ozgkompass.model.common import RESPONSIBLE


def _row(table: Table, *cells: object) -> None:
    """Add a table row; cells are data, so brackets in them stay text."""
    table.add_row(*(esc(c) for c in cells))


def de(value: float, digits: int = 1) -> str:
    """A number as Germans write it: decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def pct(value: float | None) -> str:
    # rounded half up, as the band is chosen (Questionnaire.band_for)
    return "–" if value is None else f"{math.floor(value + 0.5)} %"


def num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def header(a: Any) -> None:
    m = a.municipality
    where = ", ".join(x for x in (m.kreis, m.land) if x)
    console.print(
        f"[bold]{esc(m.name)}[/bold]" + (f" ({esc(where)})" if where else ""), highlight=False
    )
    console.print(
        f"[dim]Fragebogen {esc(a.questionnaire['id'])} {esc(a.questionnaire['version'])} · "
        f"Reifegradmodell {esc(a.model['id'])}"
        + ("" if a.model["complete"] else " (vorläufig)")
        + (
            f" · Katalog {esc(a.catalogue.catalogue['id'])} {esc(a.catalogue.catalogue['version'])}"
            if a.catalogue is not None
            else ""
        )
        + f" · ozgkompass {a.tool_version}[/dim]",
        highlight=False,
    )


def assessment_summary(a: Any, top: int = 5) -> None:
    warnings = [i for i in a.issues if i.severity == "warning"]
    if warnings:
        print_issues(warnings)
    header(a)
    console.print(
        f"\nOZG-Reifeindex: [bold]{pct(a.score)}[/bold] – {esc(a.band or 'nicht bewertbar')}"
        f"   Vollständigkeit: {pct(a.completeness)} ({a.answered} von {a.applicable} "
        "zutreffenden Fragen beantwortet)",
        highlight=False,
    )
    if a.band_description:
        console.print(f"[dim]{esc(a.band_description)}[/dim]")
    t = Table(title="Bereiche", title_justify="left")
    for col in ("Bereich", "Gewicht", "Ergebnis", "Stufe", "Vollständigkeit", "Offen (Pflicht)"):
        t.add_column(col, justify="right" if col not in ("Bereich", "Stufe") else "left")
    for ar in a.areas:
        _row(
            t,
            ar.title,
            num(ar.weight),
            pct(ar.score),
            ar.band or "–",
            pct(ar.completeness),
            str(len(ar.open_required)) if ar.open_required else "",
        )
    console.print(t)
    t = Table(
        title=f"Reifegrad-Kriterien ({esc(a.model['id'])}): was die Infrastruktur trägt",
        title_justify="left",
    )
    for col in ("Kriterium", "Stufe", "Begründung"):
        t.add_column(col)
    for c in a.criteria:
        _row(t, c.name, c.level_name, c.reason)
    console.print(t)
    if a.catalogue is not None:
        catalogue_summary(a.catalogue)
    if a.recommendations:
        t = Table(
            title=f"Nächste Schritte (die {min(top, len(a.recommendations))} wirksamsten)",
            title_justify="left",
        )
        for col in ("#", "Empfehlung", "Zuständig", "Index +"):
            t.add_column(col)
        for i, r in enumerate(a.recommendations[:top], 1):
            _row(t, str(i), r.text, r.responsible_label or "–", f"{de(r.gain)}")
        console.print(t)
        console.print(
            "[dim]„Index +“: Punkte, um die der Gesamtindex stiege, wenn diese Frage "
            "voll erfüllt wäre. Details: ozgkompass explain DATEI --question ID[/dim]"
        )
    if a.followups:
        console.print(f"\n[bold]Rückfragen[/bold] ({len(a.followups)}, zählen wie offene Fragen):")
        for f in a.followups:
            console.print(f"  {esc(f.question_id)}: klären mit {esc(f.clarify_with)}",
                          highlight=False)
    if a.open_required:
        console.print(
            f"\n[yellow]{len(a.open_required)} Pflichtfrage(n) offen[/yellow] (zählen "
            f"mit 0 %): {esc(', '.join(a.open_required))}",
            highlight=False,
            soft_wrap=True,
        )


def catalogue_summary(c: Any, top: int = 5) -> None:
    console.print(
        f"\n[bold]OZG-Leistungen im Katalog {esc(c.catalogue['id'])} "
        f"{esc(c.catalogue['version'])}[/bold]:"
        f" {c.in_scope} in kommunaler Zuständigkeit bewertet, davon "
        f"[bold]{c.at_target}[/bold] ({pct(c.share_at_target)}) auf Zielstufe erreichbar.",
        highlight=False,
    )
    console.print(f"[dim]{esc(c.scope_note)}[/dim]", highlight=False)
    if c.out_of_scope:
        console.print(
            f"[dim]{len(c.out_of_scope)} Leistung(en) des Katalogs führt diese Kommune nicht "
            "aus; sie werden aufgeführt, nicht bewertet (--json: out_of_scope).[/dim]",
            highlight=False,
        )
    if c.in_person:
        console.print(
            f"[dim]{c.in_person} Leistung(en) verlangen persönliches Erscheinen; bewertet wird, "
            "was online geht (Information, Termin, Antragsdaten).[/dim]",
            highlight=False,
        )
    if c.model_notice:
        console.print(f"[dim]{esc(c.model_notice)}[/dim]", highlight=False)
    for other in c.other_models:
        console.print(
            f"[dim]Nach {esc(other.title)}: {other.at_target} von {other.in_scope} "
            f"Leistungen auf Zielstufe, Frontend vollständig bei {other.frontend_complete}."
            "[/dim]",
            highlight=False,
        )
    if c.unconfirmed:
        console.print(
            f"[dim]{c.unconfirmed} Leistung(en) hängen von Kriterien ab, deren Stufe "
            "unbekannt ist; sie zählen nicht als erreicht.[/dim]"
        )
    t = Table(title="Nach Themenfeld", title_justify="left")
    for col in ("Themenfeld", "Leistungen", "auf Zielstufe", "Anteil"):
        t.add_column(col, justify="left" if col == "Themenfeld" else "right")
    for g in c.by_themenfeld:
        _row(t, g.name, str(g.services), str(g.at_target), pct(g.share))
    console.print(t)
    levers = sorted(
        [*c.levers, *c.combinations],
        key=lambda lv: (-lv.unlocked_weight, -lv.unlocked, len(lv.criteria)),
    )
    if levers:
        t = Table(
            title="Hebel: welche Verbesserung die meisten Leistungen auf Zielstufe bringt",
            title_justify="left",
        )
        for col in (
            "#",
            "Kriterium anheben",
            "auf Stufe",
            "Leistungen +",
            "davon mit EfA",
            "Empfehlung",
            "Zuständig",
        ):
            t.add_column(col)
        for i, lv in enumerate(levers[:top], 1):
            _row(
                t,
                str(i),
                " + ".join(lv.criterion_names),
                " / ".join(str(x) for x in lv.needed_levels),
                str(lv.unlocked),
                str(lv.efa_available),
                lv.recommendation or "–",
                lv.responsible_label or "–",
            )
        console.print(t)
    elif c.in_scope > c.at_target:
        console.print(
            "Kein einzelnes Kriterium und keine Kombination aus bis zu drei Kriterien "
            "bringt allein eine Leistung auf ihre Zielstufe; mehrere Grundlagen fehlen "
            "zugleich."
        )
    if c.blocking:
        console.print(
            "Engpässe (Leistungen, die das Kriterium unter der Zielstufe hält): "
            + esc(", ".join(f"{name} {n}" for _, name, n in c.blocking[:6])),
            highlight=False,
            soft_wrap=True,
        )


def explain_overall(a: Any) -> None:
    header(a)
    console.print("\n[bold]Gesamtindex[/bold] = gewichteter Mittelwert der bewertbaren Bereiche:")
    total = sum(ar.weight for ar in a.areas if ar.score is not None)
    for ar in a.areas:
        if ar.score is None:
            console.print(
                f"  {esc(ar.title)}: nicht bewertbar (keine zählende Frage) – ausgeschlossen"
            )
            continue
        console.print(
            f"  {esc(ar.title)}: {de(ar.score)} % × Gewicht {num(ar.weight)}", highlight=False
        )
    if total:
        s = sum(ar.score * ar.weight for ar in a.areas if ar.score is not None)
        console.print(
            f"  = {de(s)} / {num(total)} = [bold]{de(a.score)} %[/bold] → {esc(a.band)}",
            highlight=False,
        )
    console.print(
        f"\nVollständigkeit: {a.answered} beantwortet / {a.applicable} zutreffend = "
        f"{pct(a.completeness)} (ausgeblendete und „trifft nicht zu“-Fragen zählen "
        "nicht mit).",
        highlight=False,
    )


def explain_area(a: Any, area_id: str) -> None:
    ar = a.area(area_id)
    if ar is None:
        raise UserError(
            f"Bereich {area_id!r} gibt es nicht.",
            hint=f"Bereiche: {', '.join(x.id for x in a.areas)}.",
        )
    header(a)
    console.print(f"\n[bold]{esc(ar.title)}[/bold]: gewichteter Mittelwert der zählenden Fragen")
    t = Table()
    for col in ("Frage", "Antwort", "Status", "Ergebnis", "Gewicht", "Beitrag"):
        t.add_column(col)
    for q in ar.questions:
        contrib = (
            f"{de(q.score * q.weight)}" if q.counted and q.score is not None else "ausgeschlossen"
        )
        _row(
            t,
            q.id,
            q.answer_label or q.na_reason or "",
            q.status,
            pct(q.score) if q.counted else "–",
            num(q.weight),
            contrib,
        )
    console.print(t)
    weight = ar.counted_weight
    if ar.score is not None:
        s = sum((q.score or 0) * q.weight for q in ar.questions if q.counted)
        console.print(
            f"Summe Beiträge {de(s)} / Summe Gewichte {num(weight)} = "
            f"[bold]{de(ar.score)} %[/bold] → {esc(ar.band)}",
            highlight=False,
        )
    console.print(
        "[dim]Ausgeschlossen sind ausgeblendete Fragen (Bedingung nicht erfüllt), "
        "„trifft nicht zu“, offene freiwillige Fragen und Fragen ohne Bewertung "
        "(Freitext, Zahl ohne Schwellen). Offene Pflichtfragen zählen mit 0 %.[/dim]"
    )


def explain_question(a: Any, qid: str) -> None:
    q = a.question(qid)
    if q is None:
        raise UserError(
            f"Frage {qid!r} gibt es nicht.",
            hint="IDs stehen in der Antwortdatei und in `ozgkompass explain DATEI --area ID`.",
        )
    header(a)
    console.print(f"\n[bold]{esc(q.id)}[/bold]: {esc(q.text)}", highlight=False)
    console.print(f"Typ {q.type}, Gewicht {num(q.weight)}, Status: {q.status}")
    if q.condition:
        console.print(f"Bedingung: {esc(q.condition)}", highlight=False)
    if q.answer_label:
        console.print(f"Antwort: {esc(q.answer_label)}", highlight=False)
    if q.na_reason:
        console.print(f"Begründung „trifft nicht zu“: {esc(q.na_reason)}", highlight=False)
    console.print(f"Ergebnis: {pct(q.score) if q.counted else 'zählt nicht'}")
    for cid, level in q.criteria.items():
        console.print(f"Belegt Kriterium {esc(cid)} auf Stufe {level}")
    if q.recommendation:
        console.print(
            f"Empfehlung: {esc(q.recommendation)} (zuständig: "
            f"{RESPONSIBLE.get(q.responsible or '', '–')})",
            highlight=False,
        )
    rec = next((r for r in a.recommendations if r.question_id == q.id), None)
    if rec:
        console.print(f"Voll erfüllt stiege der Gesamtindex um {de(rec.gain)} Punkte.")
    if q.note or q.source:
        console.print(
            f"Notiz: {esc(q.note or '–')}; Quelle: {esc(q.source or '–')}", highlight=False
        )


def explain_criterion(a: Any, cid: str) -> None:
    c = a.criterion(cid)
    if c is None:
        raise UserError(
            f"Kriterium {cid!r} gibt es im Modell {a.model['id']} nicht.",
            hint=f"Kriterien: {', '.join(x.id for x in a.criteria)}.",
        )
    header(a)
    console.print(
        f"\n[bold]{esc(c.name)}[/bold]: {esc(c.level_name)} – {esc(c.reason)}", highlight=False
    )
    for e in c.evidence:
        mark = " ← entscheidet (schwächste Antwort)" if e.question_id in c.deciding else ""
        console.print(
            f"  {esc(e.question_id)}: {esc(e.answer_label)} → Stufe {e.level}{mark}",
            highlight=False,
        )


def explain_service(a: Any, ozg_id: str) -> None:
    c = a.catalogue
    s = c.service(ozg_id) if c is not None else None
    if s is None:
        raise UserError(
            f"OZG-Leistung {ozg_id!r} ist nicht unter den bewerteten Leistungen.",
            hint="OZG-ID prüfen (ozgkompass catalogue search TEXT).",
        )
    header(a)
    console.print(
        f"\n[bold]{esc(s.ozg_id)} {esc(s.name)}[/bold] ({esc(s.themenfeld)})", highlight=False
    )
    console.print(
        f"Erreichbare Stufe: [bold]{esc(s.level_name)}[/bold], Ziel: {esc(s.target_name)}"
        f" ({esc(s.target_reason)})",
        highlight=False,
    )
    t = Table()
    for col in ("Kriterium", "gilt?", "Stufe der Kommune", "nötig für Ziel"):
        t.add_column(col)
    for cr in s.criteria:
        _row(
            t,
            cr.name,
            cr.applies_label,
            "unbekannt" if cr.supported is None else str(cr.supported),
            str(cr.needed) if cr.needed is not None else "–",
        )
    console.print(t)
    if s.bottlenecks:
        names = ", ".join(r.name for r in s.criteria if r.id in s.bottlenecks)
        console.print(f"Engpass: {esc(names)}", highlight=False)
    if s.unknown_attributes:
        console.print(
            f"Unbekannte Merkmale (konservativ: Kriterium gilt): "
            f"{esc(', '.join(s.unknown_attributes))}",
            highlight=False,
        )
    if s.in_person_note:
        console.print(esc(s.in_person_note), highlight=False)
    if s.next_level is not None and s.next_blockers:
        names = ", ".join(r.name for r in s.criteria if r.id in s.next_blockers)
        console.print(f"Für Stufe {s.next_level} fehlt: {esc(names)}", highlight=False)
    if s.efa_quick_win:
        console.print("Ein EfA-Dienst ist verfügbar: Nachnutzung statt Eigenbau prüfen.")
