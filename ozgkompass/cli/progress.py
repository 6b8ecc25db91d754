"""Over time and across municipalities: `compare`, `plan`, `convoy`, `peers`
(docs/archive.md, docs/plan-format.md, docs/convoy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli import archive as archive_cli
from ozgkompass.cli.archive import CatalogueOpt, JsonOpt, ModelOpt
from ozgkompass.cli.options import ArchiveOpt
from ozgkompass.cli.output import console, dump_json, esc, print_issues
from ozgkompass.cli.render import cut, say, short_title
from ozgkompass.cli.render import text_table as T
from ozgkompass.cli.report import DEFAULT_OUT, ForceOpt, OutOpt, print_written
from ozgkompass.errors import UserError


def _pct(v: float | None) -> str:
    from ozgkompass.cli.render import pct

    return pct(v)


def _delta(v: float | None) -> str:
    return "–" if v is None else f"{v:+.0f}"


def _shift(old: float | None, new: float | None) -> str:
    """The change between two percentages as shown (61 % → 70 % is +9, as in the reports)."""
    from ozgkompass.reports.context import change

    return _delta(change(old, new))


def register(app: typer.Typer) -> None:
    app.add_typer(archive_cli.app, name="archive")

    @app.command()
    def compare(
        old: Annotated[str, typer.Argument(help="Frühere Bewertung: Antwortdatei oder "
                                           "Archivnummer.")],
        new: Annotated[str, typer.Argument(help="Neuere Bewertung: Antwortdatei oder "
                                           "Archivnummer.")],
        archive: ArchiveOpt = None,
        catalogue: CatalogueOpt = "kommunal",
        model: ModelOpt = None,
        short: Annotated[bool, typer.Option("--short", help="Kurzfassung für die "
                                            "Verwaltungsspitze (mit --format: wie "
                                            "--audience leitung).")] = False,
        format: Annotated[str | None, typer.Option(
            "--format", "-f", help="Fortschrittsbericht als Datei(en) statt im Terminal: "
            "xlsx, html, pdf (mit Komma getrennt).")] = None,
        audience: Annotated[str | None, typer.Option(
            "--audience", "-a", help="Mit --format: fach (vollständig) oder leitung "
            "(„Was hat sich seit dem letzten Gespräch getan?“, höchstens zwei Seiten).")
        ] = None,
        out: OutOpt = DEFAULT_OUT,
        force: ForceOpt = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Fortschritt einer Kommune: was sich je Frage, Bereich und Themenfeld geändert hat.

        Mit --format entsteht der Fortschrittsbericht als Datei(en) in --out
        (<kommune>-fortschritt.xlsx/.html/.pdf, Kurzfassung …-fortschritt-briefing.html).
        """
        from ozgkompass.app.history import compare_rounds

        if format is None and (audience is not None or force):
            raise UserError("--audience und --force gelten nur zusammen mit --format.",
                            hint="Zum Beispiel --format html --audience leitung.")
        _report_or_json(format, json_out)
        cmp = compare_rounds(old, new, archive, model, catalogue)
        p = cmp.progress
        if format is not None:
            _write_progress(p, cmp.old, cmp.new, archive, format,
                            audience or ("leitung" if short else "fach"), out, force,
                            [Path(x) for x in (old, new) if Path(x).exists()])
            return
        if json_out:
            dump_json(p.to_dict())
            return
        _render_progress(p, short)

    @app.command()
    def plan(
        answers: Annotated[Path, typer.Argument(help="Heutige Antworten (YAML).",
                                                dir_okay=False)],
        plan_file: Annotated[Path, typer.Argument(help="Plandatei mit Phasen (YAML).",
                                                  dir_okay=False)],
        catalogue: CatalogueOpt = "kommunal",
        model: ModelOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Roadmap: Index, Kriterien und Leistungen am Ziel je geplanter Phase."""
        from ozgkompass.app.assess import project_plan, score_file
        from ozgkompass.app.definitions import Choice

        chosen = Choice(model=model, catalogue=catalogue)
        proj, issues = project_plan(answers, plan_file, chosen)
        score_file(answers, chosen)  # today's answers must be valid too
        if json_out:
            dump_json(proj.to_dict())
            return
        print_issues(issues)
        _render_plan(proj)

    @app.command()
    def convoy(
        answers: Annotated[list[Path] | None, typer.Argument(
            help="Antwortdateien der Mitglieder.", dir_okay=False)] = None,
        archive_filter: Annotated[str | None, typer.Option(
            "--archive-filter", help="Mitglieder aus dem Archiv: Land (NI, Niedersachsen), "
            "Anfang des Regionalschlüssels (03 Land, 03471 Kreis) oder Teil des Kreisnamens "
            "(neueste Bewertung je Kommune).")] = None,
        capacity: Annotated[list[str] | None, typer.Option(
            "--capacity", help="Wie viele Themenfelder ein Mitglied höchstens federführend "
            "übernimmt, z. B. \"Gemeinde Lindenau=2\" (mehrfach); die übrigen Mitglieder "
            "behalten die Kapazität aus der Einwohnerzahl.")] = None,
        name: Annotated[str | None, typer.Option(
            "--name", help="Name des Geleitzugs für Titel und Dateiname (Standard: der "
            "Landkreis bzw. gemeinsame Kreis der Mitglieder).")] = None,
        archive: ArchiveOpt = None,
        catalogue: CatalogueOpt = "kommunal",
        model: ModelOpt = None,
        format: Annotated[str | None, typer.Option(
            "--format", "-f", help="Geleitzug-Bericht als Datei(en) statt im Terminal: "
            "xlsx, html, pdf (mit Komma getrennt).")] = None,
        out: OutOpt = DEFAULT_OUT,
        force: ForceOpt = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Geleitzug: Stärken, geteilte Infrastruktur, Aufteilung der Themenfelder.

        Mit --format entsteht der Bericht für die Mitglieder als Datei(en) in --out
        (geleitzug-<name>.xlsx/.html/.pdf, z. B. geleitzug-landkreis-heidmoor.html).
        """
        from ozgkompass.app.history import convoy_of

        if format is None and force:
            raise UserError("--force gilt nur zusammen mit --format.",
                            hint="Zum Beispiel --format html --force.")
        _report_or_json(format, json_out)
        caps = _capacities(capacity or [])
        found = convoy_of([str(p) for p in answers or []], archive_filter, caps, name,
                          archive, model, catalogue)
        res, results = found.result, found.members
        if format is not None:
            from ozgkompass.reports import parse_formats, write_convoy_reports
            from ozgkompass.reports.over_time import ConvoyReport

            print_written(write_convoy_reports(ConvoyReport(res, results),
                                               parse_formats(format), out,
                                               inputs=list(answers or []), force=force))
            return
        if json_out:
            dump_json(res.to_dict())
            return
        _render_convoy(res)

    @app.command()
    def peers(
        subject: Annotated[str, typer.Argument(help="Antwortdatei oder Archivnummer.")],
        archive: ArchiveOpt = None,
        catalogue: CatalogueOpt = "kommunal",
        model: ModelOpt = None,
        named: Annotated[bool, typer.Option("--named", help="Die Vergleichskommunen "
                                            "namentlich nennen.")] = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Vergleich mit Kommunen gleichen Typs und gleicher Größenklasse im selben Land (aus
        dem Archiv)."""
        from ozgkompass.app.history import peers_of

        cmp = peers_of(subject, archive, model, catalogue, named=named)
        if json_out:
            dump_json(cmp.to_dict())
            return
        _render_peers(cmp)


def _report_or_json(formats: str | None, json_out: bool) -> None:
    """Usage errors of the report options, before anything is scored or written."""
    if formats is None:
        return
    if json_out:
        raise UserError("--json und --format schließen sich aus.",
                        hint="Entweder JSON im Terminal oder Berichtsdateien.")
    from ozgkompass.reports import parse_formats

    parse_formats(formats)


def _write_progress(p: Any, old: dict[str, Any], new: dict[str, Any], archive: Path | None,
                    formats: str, audience: str, out: Path, force: bool,
                    inputs: list[Path]) -> None:
    from ozgkompass.app.history import history_of
    from ozgkompass.reports import parse_audience, parse_formats, write_progress_reports
    from ozgkompass.reports.over_time import ProgressReport, question_texts

    fmts, aud = parse_formats(formats), parse_audience(audience)
    report = ProgressReport(p, old, new, history_of(new, archive), question_texts(new, old))
    print_written(write_progress_reports(report, fmts, aud, out, inputs=inputs, force=force))


def _capacities(items: list[str]) -> dict[str, int] | None:
    """`--capacity NAME=ZAHL` (repeatable) → {name: Themenfelder}."""
    caps: dict[str, int] = {}
    for item in items:
        name, sep, value = item.rpartition("=")
        if not sep or not name.strip():
            raise UserError(f"--capacity {item!r}: erwartet NAME=ZAHL, z. B. "
                            "\"Gemeinde Lindenau=2\".")
        try:
            number = int(value.strip())
        except ValueError:
            number = -1
        if number < 0:
            raise UserError(f"--capacity {item!r}: {value.strip()!r} ist keine ganze Zahl ab 0.",
                            hint="Die Kapazität ist die Zahl der Themenfelder, die das "
                            "Mitglied höchstens federführend übernimmt, z. B. "
                            "\"Gemeinde Lindenau=2\".")
        caps[name.strip()] = number
    return caps or None


def _render_progress(p: Any, short: bool) -> None:
    console.print(f"[bold]Fortschrittsbericht: {esc(p.municipality)}[/bold]", highlight=False)
    for side, label in ((p.old, "vorher"), (p.new, "jetzt")):
        say(f"{label}: {side['date'] or 'ohne Datum'} · Fragebogen {side['questionnaire']} · "
            f"Modell {side['model']} · Katalog {side['catalogue'] or '–'} · ozgkompass "
            f"{side['tool_version']}", "dim")
    for note in p.notes:
        console.print(f"[yellow]Hinweis:[/yellow] {esc(note)}", highlight=False)
    s = p.score
    if short:
        console.print("\n[bold]Was hat sich seit dem letzten Gespräch getan?[/bold]")
        console.print(f"- OZG-Reifeindex: {_pct(s.old)} → {_pct(s.new)} ({_shift(s.old, s.new)} "
                      "Punkte)", highlight=False)
        better = [a for a in p.areas if (a.delta or 0) > 0]
        worse = [a for a in p.areas if (a.delta or 0) < 0]
        if better:
            best = max(better, key=lambda a: a.delta)
            console.print(f"- Größter Fortschritt: {esc(best.title)} "
                          f"({_shift(best.old, best.new)})", highlight=False)
        if worse:
            console.print(f"- Zurückgefallen: {esc(', '.join(a.title for a in worse))}",
                          highlight=False)
        if p.today_at_target is not None:
            t = p.today_at_target
            console.print(f"- Heute online auf Zielstufe: {_count(t.old)} → {_count(t.new)}",
                          highlight=False)
        console.print(f"- Mit der heutigen Infrastruktur erreichbar: {len(p.reached_target)} "
                      f"Leistung(en) neu am Ziel, {len(p.new_gaps)} zurückgefallen",
                      highlight=False)
        if p.new_in_scope:
            console.print(f"- {len(p.new_in_scope)} Leistung(en) neu im Katalog bzw. "
                          "Zuständigkeitsbereich, noch nicht am Ziel", highlight=False)
        console.print(f"- {sum(1 for q in p.questions if q.kind == 'geändert')} Antwort(en) "
                      "haben sich geändert", highlight=False)
        return
    console.print(f"\nOZG-Reifeindex: {_pct(s.old)} → [bold]{_pct(s.new)}[/bold] "
                  f"({_shift(s.old, s.new)})", highlight=False)
    if p.today_at_target is not None:
        t = p.today_at_target
        console.print(f"OZG-Leistungen heute online auf Zielstufe: {_count(t.old)} → "
                      f"[bold]{_count(t.new)}[/bold]", highlight=False)
    T("Bereiche", [("Bereich", None, "l"), ("vorher", 7, "r"), ("jetzt", 6, "r"),
                   ("±", 5, "r")],
      [[short_title(a.title), _pct(a.old), _pct(a.new), _shift(a.old, a.new)] for a in p.areas])
    moved = [t for t in p.themenfelder if t.delta]
    if moved:
        T("Themenfelder (Anteil der Leistungen am Ziel)",
          [("Themenfeld", None, "l"), ("vorher", 7, "r"), ("jetzt", 6, "r"), ("±", 5, "r")],
          [[t.title, _pct(t.old), _pct(t.new), _shift(t.old, t.new)] for t in moved])
    if p.questions:
        T("Geänderte Antworten", [("Frage", 24, "l"), ("vorher", None, "l"),
                                  ("jetzt", 20, "l"), ("Art", 8, "l")],
          [[q.id, q.old or "–", q.new or "–", q.kind] for q in p.questions])
    for title, items in (("Neu heute online auf Zielstufe", p.online_today),
                         ("Neu am Ziel (mit der heutigen Infrastruktur erreichbar)",
                          p.reached_target),
                         ("Neue Lücken (waren am Ziel)", p.new_gaps),
                         ("Neu im Umfang, noch nicht am Ziel", p.new_in_scope)):
        if items:
            console.print(f"\n[bold]{title}[/bold] ({len(items)})")
            for oid, name in items:
                console.print(f"  {esc(oid)} {esc(name)}", highlight=False)


def _render_plan(proj: Any) -> None:
    console.print(f"[bold]Roadmap: {esc(proj.municipality)}[/bold]"
                  + (f" – {esc(proj.title)}" if proj.title else ""), highlight=False)
    cat = proj.catalogue
    say(f"Fragebogen {proj.questionnaire['id']} {proj.questionnaire['version']} · Modell "
        f"{proj.model['id']} · Katalog {cat['id'] + ' ' + cat['version'] if cat else '–'} · "
        f"ozgkompass {proj.tool_version}", "dim")
    prev = [None, *proj.phases[:-1]]
    rows = [[ph.name, _pct(ph.score), _shift(before.score, ph.score) if before else "–",
             f"{ph.at_target}/{ph.in_scope}" if ph.at_target is not None else "–",
             _delta(ph.services_gain)] for before, ph in zip(prev, proj.phases, strict=True)]
    T("Phasen (projiziert)", [("Phase", None, "l"), ("Index", 6, "r"), ("±", 5, "r"),
                              ("Leist. am Ziel", 14, "r"), ("±", 5, "r")], rows)
    crit_ids = list(proj.phases[0].criteria)
    T("Kriterienstufen", [("Kriterium", None, "l"),
                          *[(cut(p.name, 12), 12, "r") for p in proj.phases]],
      [[c, *["–" if p.criteria[c] is None else str(p.criteria[c]) for p in proj.phases]]
       for c in crit_ids])
    last = proj.phases[-1]
    if last.blocking:
        console.print("[bold]Was nach der letzten Phase noch bremst[/bold]")
        for _, name, n in last.blocking[:3]:
            console.print(f"  {esc(name)}: hält {n} Leistung(en) unter dem Ziel",
                          highlight=False)
    if last.open_required:
        console.print(f"  {len(last.open_required)} Pflichtfrage(n) offen", highlight=False)


def _render_convoy(res: Any) -> None:
    console.print(f"[bold]Geleitzug {esc(res.name)}[/bold] ({len(res.members)} Mitglieder)",
                  highlight=False)
    say(f"Zusammensetzung: {res.composition.label}", "dim")
    say(f"Kapazität (Themenfelder je Mitglied): {res.capacity_basis}", "dim")
    for note in res.notes:
        console.print(f"[yellow]Hinweis:[/yellow] {esc(note)}", highlight=False)
    T("Mitglieder", [("Kommune", None, "l"), ("Einwohner", 10, "r"), ("Index", 6, "r"),
                     ("Kapazität", 9, "r"), ("führt", 5, "r")],
      [[m.name, f"{m.population:,}".replace(",", ".") if m.population else "–",
        _pct(m.score), str(m.capacity), str(len(m.leads))] for m in res.members])
    T("Stärkste je Bereich", [("Bereich", 24, "l"), ("Kommune", None, "l"), ("Wert", 6, "r")],
      [[short_title(a.title), a.member or "–", _pct(a.value)] for a in res.areas])
    if res.infrastructure:
        console.print("\n[bold]Infrastruktur zum Teilen[/bold]")
        for i in res.infrastructure:
            say(f"{i.label}: vorhanden bei {', '.join(i.have)}; fehlt bei "
                f"{', '.join(i.lack)}", indent=2)
    console.print("\n[bold]Vorschlag: Aufteilung der Themenfelder[/bold]")
    for a in res.allocation:
        console.print(f"[bold]{esc(a.themenfeld)}[/bold] → {esc(a.member or 'offen')}",
                      highlight=False)
        say(a.reason, indent=2)
        if a.co_leads:
            say(f"mitführend: {', '.join(a.co_leads)}", indent=2)
        placed: dict[str, list[str]] = {}
        for e in a.elsewhere:
            placed.setdefault(e.member, []).append(e.ozg_id)
        for member, ids in placed.items():
            say(f"Leistungen, die {a.member} nicht ausführt, bei {member}: "
                f"{', '.join(ids)}", indent=2)


def _render_peers(c: Any) -> None:
    console.print(f"[bold]Vergleich: {esc(c.municipality)}[/bold] mit {c.peers} Kommune(n) "
                  f"in {esc(c.land)}, {esc(c.size_class)} ({esc(c.size_label)})",
                  highlight=False)
    if not c.peers:
        console.print("Keine Vergleichskommunen im Archiv.")
        return
    rows = [[short_title(f.title), _pct(f.value), _pct(f.median),
             "–" if f.percentile is None else f"{f.percentile:.0f}", str(f.peers)]
            for f in (c.overall, c.services, *c.areas)]
    T("Perzentile (50 = Mitte der Vergleichsgruppe)",
      [("Kennzahl", None, "l"), ("Wert", 6, "r"), ("Median", 6, "r"), ("Perzentil", 9, "r"),
       ("n", 5, "r")], rows)
    if c.named:
        console.print("Vergleichskommunen: " + esc(", ".join(c.named)), highlight=False)


def _count(n: int | None) -> str:
    return "nicht erfasst" if n is None else str(n)
