"""Terminal rendering of an `Assessment` (summary and explanations). Reads, never recomputes."""

from __future__ import annotations

import math
import textwrap
from typing import Any

from rich.table import Table

from ozgkompass.cli.output import console, esc
from ozgkompass.model.common import RESPONSIBLE
from ozgkompass.scoring.today import source_label


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


def width() -> int:
    """The width to design for: the terminal's, at most 100 (long lines are hard to read)."""
    return max(40, min(console.width, 100))


def lines(text: str, indent: int = 0, max_lines: int = 3) -> str:
    """Wrap text to the terminal; at most `max_lines` lines, cut with an ellipsis."""
    # paths and ids stay whole (they are copied into the next command)
    wrapped = textwrap.wrap(text, width() - indent, break_long_words=False,
                            break_on_hyphens=False) or [""]
    if len(wrapped) > max_lines:
        wrapped = wrapped[:max_lines]
        wrapped[-1] = wrapped[-1][: width() - indent - 2].rstrip() + " …"
    return "\n".join(" " * indent + line for line in wrapped)


def say(text: str, style: str | None = None, indent: int = 0, max_lines: int = 99) -> None:
    """Print wrapped user text (escaped) in the given style."""
    body = esc(lines(text, indent, max_lines))
    console.print(f"[{style}]{body}[/{style}]" if style else body, highlight=False)


def cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: max(0, size - 1)] + "…"


def text_table(title: str | None, columns: list[tuple[str, int | None, str]],
               rows: list[list[str]]) -> None:
    """A table as plain fixed-width lines that never exceed the terminal width: the column
    with width None takes the rest; cells that do not fit end in "…"."""
    gap = 2
    fixed = sum(w for _, w, _ in columns if w) + gap * (len(columns) - 1)
    free = max(8, width() - fixed)
    widths = [w if w else free for _, w, _ in columns]

    def line(cells: list[str]) -> str:
        out = []
        for (_, _, align), w, cell in zip(columns, widths, cells, strict=True):
            cell = cut(cell, w)
            out.append(cell.rjust(w) if align == "r" else cell.ljust(w))
        return (" " * gap).join(out).rstrip()

    console.print()
    if title:
        console.print(f"[bold]{esc(title)}[/bold]", highlight=False)
    console.print(f"[dim]{esc(line([h for h, _, _ in columns]))}[/dim]", highlight=False)
    for row in rows:
        console.print(esc(line(row)), highlight=False)


def short_title(title: str) -> str:
    """"Nutzerkonten – BundID/DeutschlandID, …" → "Nutzerkonten": the part before a dash."""
    return title.split(" – ")[0].split(" (")[0]


def header(a: Any) -> None:
    m = a.municipality
    where = ", ".join(x for x in (m.kreis, m.land) if x)
    console.print(
        f"[bold]{esc(m.name)}[/bold]" + (f" ({esc(where)})" if where else ""), highlight=False
    )
    parts = [f"Fragebogen {a.questionnaire['id']} {a.questionnaire['version']}",
             f"Reifegradmodell {a.model['id']}" + ("" if a.model["complete"] else " (vorläufig)")]
    if a.catalogue is not None:
        parts.append(f"Katalog {a.catalogue.catalogue['id']} {a.catalogue.catalogue['version']}")
    parts.append(f"ozgkompass {a.tool_version}")
    say(" · ".join(parts), "dim")


def _notes(a: Any) -> None:
    """Warnings belong to the result (saved output shows them too), not only to stderr."""
    warnings = [i for i in a.issues if i.severity == "warning"]
    if warnings:
        console.print("\n[yellow]Hinweise[/yellow]")
        for w in warnings:
            say(f"{w.location}: {w.message}", indent=2, max_lines=4)


def assessment_summary(a: Any, top: int = 5) -> None:
    header(a)
    _notes(a)
    console.print(
        f"\nOZG-Reifeindex: [bold]{pct(a.score)}[/bold] – {esc(a.band or 'nicht bewertbar')}",
        highlight=False,
    )
    say(f"Vollständigkeit: {pct(a.completeness)} ({a.answered} von {a.applicable} "
        "zutreffenden Fragen beantwortet)")
    if a.band_description:
        say(a.band_description, "dim")
    narrow = width() < 72
    cols = [("Bereich", None, "l"), ("Gew.", 4, "r"), ("Ergebnis", 8, "r"),
            ("Stufe", 15, "l"), ("Vollst.", 7, "r"), ("offen", 5, "r")]
    rows = [[short_title(ar.title), num(ar.weight), pct(ar.score), ar.band or "–",
             pct(ar.completeness), str(len(ar.open_required)) if ar.open_required else ""]
            for ar in a.areas]
    if narrow:  # drop weight and open count on narrow terminals
        cols = [c for k, c in enumerate(cols) if k not in (1, 5)]
        rows = [[c for k, c in enumerate(r) if k not in (1, 5)] for r in rows]
    text_table("Stand je Bereich", cols, rows)
    rows = []
    for c in a.criteria:
        who = ", ".join(c.deciding[:2]) + (" …" if len(c.deciding) > 2 else "")
        rows.append([c.name, c.level_name, who or ("nicht gefragt" if "nicht gefragt" in c.reason
                                                   else "keine Antwort")])
    text_table(f"Reifegrad-Kriterien ({a.model['id']})",
               [("Kriterium", 24, "l"), ("Stufe", 20, "l"), ("entschieden durch", None, "l")],
               rows)
    say("Warum: ozgkompass explain DATEI --criterion ID (z. B. "
        f"{a.criteria[0].id if a.criteria else 'nutzerkonto'}).", "dim")
    if a.catalogue is not None:
        catalogue_summary(a, top)
    next_steps_summary(a, top)
    if a.followups:
        console.print(f"\n[bold]Rückfragen[/bold] ({len(a.followups)}, zählen wie offene "
                      "Fragen)")
        for f in a.followups:
            say(f"{f.question_id}: klären mit {f.clarify_with}", indent=2, max_lines=2)
    if a.open_required:
        console.print()
        say(f"{len(a.open_required)} Pflichtfrage(n) offen (zählen mit 0 %): "
            + ", ".join(a.open_required), "yellow", max_lines=6)


def _level_label(c: Any, level: int) -> str:
    names = {s.level: s.level_name for s in c.services}
    return str(names.get(level, str(level))).replace(" (unbestätigt)", "")


def catalogue_summary(a: Any, top: int = 5) -> None:
    c = a.catalogue
    console.print(
        f"\n[bold]OZG-Leistungen[/bold] ({c.in_scope}): heute online auf Zielstufe "
        f"[bold]{c.today_at_target}[/bold] ({pct(c.share_today_at_target)}); mit der "
        f"heutigen Infrastruktur erreichbar [bold]{c.at_target}[/bold] "
        f"({pct(c.share_at_target)})", highlight=False)
    say(today_sentence(c), "dim")
    for line in c.plausibility:
        say(line, "dim")
    targets = sorted({(s.target, s.target_reason) for s in c.services}, key=lambda t: t[0])
    by_kind = []
    for level, reason in targets:
        label = ("Vor-Ort-Leistungen" if "persönliches" in reason else
                 "SDG Anhang II" if "SDG" in reason else
                 "vorgegeben" if "vorgegeben" in reason else "OZG-konform")
        by_kind.append(f"{label} {level}")
    say("Zielstufe: " + ", ".join(dict.fromkeys(by_kind)) + ".", "dim")
    counts = [f"{_level_label(c, lv)}: {n}" for lv, n in sorted(c.level_counts.items()) if n]
    say("Mit der heutigen Infrastruktur erreichbar: " + " · ".join(counts))
    if c.blocking and a.score is not None and (c.share_at_target or 0) < a.score:
        cid, name, n = c.blocking[0]
        say(f"Warum Index {pct(a.score)}, aber nur {pct(c.share_at_target)} der Leistungen "
            "mit der heutigen Infrastruktur auf Zielstufe? Der Index mittelt alle Bereiche des "
            "Fragebogens; eine Leistung "
            "erreicht ihre Zielstufe erst, wenn jedes Kriterium reicht, das sie braucht. "
            f"Hier hält vor allem „{name}“ {n} Leistung(en) zurück.")
    say(c.scope_note + (f" {len(c.out_of_scope)} Leistung(en) führt die Kommune nicht aus "
                        "(aufgeführt, nicht bewertet)." if c.out_of_scope else "")
        + " Abweichende Aufgaben trägt die Antwortdatei unter municipality.scope ein.", "dim")
    if c.in_person:
        say(f"{c.in_person} Leistung(en) verlangen persönliches Erscheinen; bewertet wird, "
            "was online geht (Information, Termin, Antragsdaten).", "dim")
    if c.unconfirmed:
        say(f"{c.unconfirmed} Leistung(en) hängen von Kriterien ab, deren Stufe unbekannt "
            "ist; sie zählen nicht als erreicht.", "dim")
    if c.model_notice:
        say(c.model_notice, "dim")
    for other in c.other_models:
        say(f"Nach {other.title}: heute online auf Zielstufe {other.today_at_target}, mit "
            f"der heutigen Infrastruktur erreichbar {other.at_target} von {other.in_scope}, "
            f"Frontend vollständig bei {other.frontend_complete}.", "dim")
    text_table("Nach Themenfeld", [("Themenfeld", None, "l"), ("Leistungen", 10, "r"),
                                   ("heute", 5, "r"), ("erreichbar", 10, "r"),
                                   ("Anteil", 6, "r")],
               [[g.name, str(g.services), str(g.today_at_target), str(g.at_target),
                 pct(g.share)] for g in c.by_themenfeld])
    say("heute = heute online auf Zielstufe; erreichbar = mit der heutigen Infrastruktur "
        "auf Zielstufe (Anteil).", "dim")
    below = sorted((s for s in c.services if not s.at_target),
                   key=lambda s: (s.themenfeld, s.ozg_id))
    if below:
        limit = 15
        rows = []
        for s in below[:limit]:
            missing = s.bottlenecks or s.unknown_criteria
            rows.append([s.ozg_id, s.name, f"{s.reachable} → {s.target}",
                         ", ".join(missing) + ("" if s.bottlenecks else " (unbekannt)")])
        text_table(f"Unter Zielstufe ({len(below)})",
                   [("OZG-ID", 6, "l"), ("Leistung", None, "l"), ("Stufe", 5, "l"),
                    ("fehlt", 24, "l")], rows)
        if len(below) > limit:
            say(f"… und {len(below) - limit} weitere; alle mit --json, eine im Detail: "
                "ozgkompass explain DATEI --service OZG-ID", "dim")
    if c.blocking:
        console.print()
        say("Engpässe (Leistungen, die das Kriterium unter der Zielstufe hält): "
            + ", ".join(f"{name} {n}" for _, name, n in c.blocking[:6]), max_lines=4)


def today_sentence(c: Any) -> str:
    """Where the `today` figure comes from, in one sentence."""
    said = c.today_sources.get("antwort", 0)
    seen = c.today_sources.get("beobachtet", 0)
    parts = [f"{c.today_online} online, {c.today_not_online} nicht online"]
    origin = [f"{said} laut Angabe der Kommune"] if said else []
    origin += [f"{seen} beobachtet"] if seen else []
    return (f"Heute: {', '.join(parts)}" + (f" ({', '.join(origin)})" if origin else "")
            + f"; {c.today_unconfirmed} unbestätigt (niemand hat etwas angegeben; zählen "
            "nicht als online).")


def step_line(s: Any) -> str:
    """The first line of a next step: who, effort, what it brings (as in every report)."""
    parts = [s.responsible_label, f"Aufwand {s.effort}"]
    if s.unlocks_reachable:
        parts.append(f"+{s.unlocks_reachable} Leistung{'en' if s.unlocks_reachable != 1 else ''}"
                     " erreichbar")
    if s.unlocks_today:
        parts.append(f"davon {s.unlocks_today} heute online")
    parts.append(f"Index +{de(s.index_gain)}")
    if s.question_ids:  # the terminal names them: `explain --question ID` shows the detail
        parts.append("Frage " + ", ".join(s.question_ids))
    return f"{s.rank:>2}. " + " · ".join(parts)


def next_steps_summary(a: Any, top: int = 5) -> None:
    """The first steps of the one ranking (scoring/steps.py) that every report shows."""
    steps = a.next_steps
    if not steps:
        return
    shown = steps[:top]
    console.print(f"\n[bold]Nächste Schritte[/bold] ({len(shown)} von {len(steps)}, "
                  "Reihenfolge wie in allen Berichten)")
    for s in shown:
        say(step_line(s), max_lines=2)
        say(s.text, indent=4, max_lines=3)
    say("Zuerst die Schritte, mit denen weitere Leistungen ihre Zielstufe erreichen "
        "könnten („erreichbar“: soweit die Infrastruktur es zulässt, zusätzlich zu den "
        "Schritten davor), dann nach „Index +“ (Punkte, um die der Reifeindex stiege). "
        "Details: ozgkompass explain DATEI --question ID", "dim")


def explanation(e: Any) -> None:
    """An `app.explain.Explanation`: the one part it holds."""
    if e.question is not None:
        explain_question(e.assessment, e.question)
    elif e.area is not None:
        explain_area(e.assessment, e.area)
    elif e.criterion is not None:
        explain_criterion(e.assessment, e.criterion)
    elif e.service is not None:
        explain_service(e.assessment, e.service)
    else:
        explain_overall(e.assessment, e.overall)


def explain_overall(a: Any, x: Any) -> None:
    header(a)
    console.print("\n[bold]Gesamtindex[/bold] = gewichteter Mittelwert der bewertbaren Bereiche:")
    for ar in a.areas:
        if ar.score is None:
            console.print(
                f"  {esc(ar.title)}: nicht bewertbar (keine zählende Frage) – ausgeschlossen"
            )
            continue
        console.print(
            f"  {esc(ar.title)}: {de(ar.score)} % × Gewicht {num(ar.weight)}", highlight=False
        )
    if x.counted_weight:
        console.print(
            f"  = {de(x.weighted_sum)} / {num(x.counted_weight)} = [bold]{de(a.score)} %[/bold]"
            f" → {esc(a.band)}",
            highlight=False,
        )
    console.print(
        f"\nVollständigkeit: {a.answered} beantwortet / {a.applicable} zutreffend = "
        f"{pct(a.completeness)} (ausgeblendete und „trifft nicht zu“-Fragen zählen "
        "nicht mit).",
        highlight=False,
    )


def explain_area(a: Any, x: Any) -> None:
    ar = x.area
    header(a)
    console.print(f"\n[bold]{esc(ar.title)}[/bold]: gewichteter Mittelwert der zählenden "
                  "Fragen", highlight=False)
    rows = []
    for q, contribution in zip(ar.questions, x.contributions, strict=True):
        contrib = "–" if contribution is None else de(contribution)
        rows.append([q.id, q.status, pct(q.score) if q.counted else "–", num(q.weight), contrib])
    text_table(None, [("Frage", None, "l"), ("Status", 15, "l"), ("Ergebnis", 8, "r"),
                      ("Gew.", 5, "r"), ("Beitrag", 8, "r")], rows)
    weight = ar.counted_weight
    if ar.score is not None:
        console.print(f"Summe Beiträge {de(x.contribution_sum)} / Summe Gewichte {num(weight)} = "
                      f"[bold]{de(ar.score)} %[/bold] → {esc(ar.band)}", highlight=False)
    say("Ausgeschlossen (–) sind ausgeblendete Fragen (Bedingung nicht erfüllt), „trifft nicht "
        "zu“, offene freiwillige Fragen und Fragen ohne Bewertung (Freitext, Zahl ohne "
        "Schwellen). Offene Pflichtfragen zählen mit 0 %. Antworten: ozgkompass explain DATEI "
        "--question ID", "dim")


def explain_question(a: Any, x: Any) -> None:
    q = x.question
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
    rec = x.recommendation
    if rec:
        console.print(f"Voll erfüllt stiege der Gesamtindex um {de(rec.gain)} Punkte.")
    if q.note or q.source:
        console.print(
            f"Notiz: {esc(q.note or '–')}; Quelle: {esc(q.source or '–')}", highlight=False
        )


# audit 2026-12, finding 29: the level an answer gives is the questionnaire's, not official
PROJECT_LEVELS_NOTE = ("Welche Stufe eine Antwort belegt, legt der Fragebogen fest (Zuordnung "
                       "von ozgkompass): der amtliche Reifegrad-Check nennt Prüffragen je "
                       "Kriterium, aber keine Stufe je Antwort.")


def explain_criterion(a: Any, c: Any) -> None:
    header(a)
    console.print(
        f"\n[bold]{esc(c.name)}[/bold]: {esc(c.level_name)} – {esc(c.reason)}", highlight=False
    )
    for e in c.evidence:
        mark = " ← entscheidet (schwächste Antwort)" if e.question_id in c.deciding else ""
        scope = f" ({e.scope_label})" if e.applies_to else ""
        say(f"  {e.question_id}: {e.answer_label} → Stufe {e.level}{scope}{mark}", max_lines=3)
    if c.evidence:
        say(PROJECT_LEVELS_NOTE)
    if c.level is None and c.settled_by:
        say("Klären lässt es sich mit: " + ", ".join(c.settled_by)
            + " (ozgkompass explain DATEI --question ID).")


def explain_service(a: Any, s: Any) -> None:
    header(a)
    console.print(
        f"\n[bold]{esc(s.ozg_id)} {esc(s.name)}[/bold] ({esc(s.themenfeld)})", highlight=False
    )
    console.print(
        f"Heute: [bold]{esc(s.today_name)}[/bold] "
        f"({esc(source_label(s.today_source, s.today_date))})"
        + (", online auf Zielstufe" if s.today_at_target else ""), highlight=False)
    console.print(
        f"Mit der heutigen Infrastruktur erreichbar: [bold]{esc(s.level_name)}[/bold], "
        f"Ziel: {esc(s.target_name)} ({esc(s.target_reason)})",
        highlight=False,
    )
    if s.today_online is None:
        say("Ob es diese Leistung heute online gibt, hat niemand angegeben: sie zählt nicht "
            "als online (Frage portal_services_online).", "dim")
    elif s.today_online is False:
        say("Laut Angabe nicht online: heute gehen höchstens Information, Termin und "
            "Formular-Download online.", "dim")
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
