"""Commands `observe` (the Dashboard Digitale Verwaltung beside the answers) and
`gemeinden import` (the Destatis Gemeindeverzeichnis)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli.errors import EXIT_PROBLEMS
from ozgkompass.cli.german import GermanGroup
from ozgkompass.cli.options import CatalogueOpt
from ozgkompass.cli.output import console, dump_json, err_console, esc, print_issues
from ozgkompass.errors import UserError, display_path

gemeinden_app = typer.Typer(help="Amtliches Gemeindeverzeichnis (Destatis GV100AD): "
                            "Name, Art, Kreis und Einwohnerzahl je Regionalschlüssel.",
                            no_args_is_help=True, cls=GermanGroup)


def register(app: typer.Typer) -> None:
    app.add_typer(gemeinden_app, name="gemeinden")

    @app.command()
    def observe(
        answers: Annotated[Path | None, typer.Argument(
            metavar="[ANTWORTDATEI]", dir_okay=False,
            help="Antwortdatei der Kommune (ihr Regionalschlüssel wird abgefragt).")] = None,
        ars: Annotated[str | None, typer.Option(
            "--ars", help="12-stelliger Regionalschlüssel (statt einer Antwortdatei).")] = None,
        file: Annotated[Path | None, typer.Option(
            "--file", dir_okay=False, help="Heruntergeladene Exportdatei des Dashboards "
            "(CSV, XLSX, ODS, XLS oder JSON) statt des Abrufs.")] = None,
        api_url: Annotated[str | None, typer.Option(
            "--api-url", help="Basisadresse der Daten-API (Standard: "
            "https://digitale-verwaltung.api.proxy.bund.dev/api; auch per "
            "OZGKOMPASS_DDV_URL).")] = None,
        offline: Annotated[bool, typer.Option(
            "--offline", help="Nichts herunterladen, nur den gespeicherten Stand "
            "verwenden.")] = False,
        fmt: Annotated[str, typer.Option(
            "--format", help="Abruf als json (seitenweise, Standard) oder csv "
            "(Export).")] = "json",
        members: Annotated[Path | None, typer.Option(
            "--members", dir_okay=False, help="CSV-Datei der Mitglieder (Spalte ars, "
            "optional name, type): eine Zeile je Mitglied.")] = None,
        kreis: Annotated[str | None, typer.Option(
            "--kreis", help="Alle Gemeinden und Verbände unter diesem Schlüssel (z. B. "
            "03357) aus dem Gemeindeverzeichnis.")] = None,
        catalogue: CatalogueOpt = "kommunal",
        timeout: Annotated[float, typer.Option("--timeout", min=1,
                                               help="Sekunden je Anfrage.")] = 30,
        json_out: Annotated[bool, typer.Option("--json", help="Ergebnis als JSON.")] = False,
    ) -> None:
        """Stellt die Daten des Dashboards Digitale Verwaltung neben die Antworten.

        Was das Dashboard für den Regionalschlüssel online listet, neben dem, was die
        Antworten sagen: Widersprüche zuerst, mit dem, was zu tun ist, dann die
        Pflege-Liste. Der Abruf wird im Datenordner gespeichert; ohne Verbindung oder
        mit --offline gilt der gespeicherte Stand, mit Datum.

        Exit-Code 1: Widersprüche gefunden (oder ein Mitglied nicht abrufbar).
        """
        from ozgkompass.app.observe import Fetch, answers_subject, member_list, observe_one
        from ozgkompass.catalogue.store import resolve_catalogue

        chosen = [n for n, v in (("ANTWORTDATEI", answers), ("--ars", ars),
                                 ("--members", members), ("--kreis", kreis)) if v]
        if len(chosen) != 1:
            raise UserError("Genau eines angeben: eine Antwortdatei, --ars, --members oder "
                            "--kreis" + (f" (angegeben: {', '.join(chosen)})." if chosen
                                         else "."),
                            hint="z. B. ozgkompass observe kommune.answers.yaml")
        if file is not None and (members or kreis):
            raise UserError("--file gilt für eine Kommune, nicht mit --members oder --kreis.",
                            hint="--file mit einer Antwortdatei oder --ars angeben; für eine "
                                 "Runde --members oder --kreis ohne --file.")
        if fmt not in ("json", "csv"):
            raise UserError(f"--format {fmt!r} ist unbekannt.", hint="json oder csv angeben.")
        cat = resolve_catalogue(catalogue)
        fetch = Fetch(api_url, offline, fmt, timeout)
        if members or kreis:
            _round(member_list(members, kreis), cat, fetch, json_out)
            return
        aset = municipality = None
        if answers is not None:
            aset, municipality, ars = answers_subject(answers)
        comparison, retrieval = observe_one(ars or "", municipality, aset, cat, fetch,
                                            file=file)
        if retrieval.notice:
            err_console.print(f"[yellow]Hinweis:[/yellow] {esc(retrieval.notice)}",
                              highlight=False, soft_wrap=True)
        if not retrieval.from_cache:  # from the cache they are counted, not repeated
            print_issues(list(retrieval.observation.issues))
        if json_out:
            dump_json({"observation": {k: v for k, v in
                                       retrieval.observation.to_dict().items() if k != "rows"},
                       "from_cache": retrieval.from_cache, "notice": retrieval.notice,
                       "comparison": comparison.to_dict()})
        else:
            _print(comparison, retrieval)
        if comparison.contradictions:
            raise typer.Exit(EXIT_PROBLEMS)


def attach_observed(result: Any, answers: Path, catalogue: str | None) -> Any:
    """The scored assessment with the comparison with the cached retrieval for its ARS (the
    report's section reads `result.observed`); reads only the cache, never the network."""
    from dataclasses import replace

    from ozgkompass.app.assess import observed_comparison
    from ozgkompass.observed.ddv import age_text

    found = observed_comparison(result, answers, catalogue)
    if found is None:
        return result
    comparison, observation = found
    err_console.print(f"[dim]Mit Daten des Dashboards Digitale Verwaltung, "
                      f"{age_text(observation)}.[/dim]", highlight=False)
    return replace(result, observed=comparison)


def _print(c: Any, retrieval: Any) -> None:
    from ozgkompass.cli.output import simple_table
    from ozgkompass.observed.ddv import age_text

    obs = retrieval.observation
    console.print(f"[bold]{esc(c.name or c.ars)}[/bold] ({c.ars}): {esc(obs.source)}, "
                  f"{age_text(obs)}{', gespeicherter Stand' if retrieval.from_cache else ''}.",
                  highlight=False)
    console.print(esc(c.scope_note), highlight=False)
    contra = c.contradictions
    if contra:  # a block each: the name in full, both sides, what to do and why
        console.print(f"\n[bold]Widersprüche ({len(contra)})[/bold]", highlight=False)
        from rich.padding import Padding
        from rich.text import Text

        for s in contra:
            console.print(Padding(Text(f"{s.ozg_id} {s.name}", style="bold"), (0, 0, 0, 2)))
            console.print(Padding(Text(s.explanation), (0, 0, 0, 4)))
            console.print(Padding(Text(f"Zu tun: {s.action}"), (0, 0, 0, 4)))
        console.print()
    else:
        console.print("Keine Widersprüche zwischen Antworten und Dashboard.")
    care = {s.ozg_id for s in c.care_list}
    listed = [s for s in c.services if s.agreement != "Widerspruch" and s.ozg_id not in care]
    if listed:
        console.print(simple_table(
            f"Gelistet ({len(listed)})", ["Leistung", "Antwort", "Dashboard", "Zu tun"],
            [[f"{s.ozg_id} {s.name}", s.answer, s.observed.label, s.action or ""]
             for s in listed]))
    if c.care_list:
        console.print(simple_table(
            f"Pflege-Liste ({len(c.care_list)}): ohne gelisteten Online-Dienst; "
            "Zuständigkeit und Online-Dienst im Redaktionssystem pflegen",
            ["OZG-ID", "Leistung", "Antwort"],
            [[s.ozg_id, s.name, s.answer] for s in c.care_list]))
    here, above = c.count_observed_here, c.count_observed - c.count_observed_here
    line = (f"Mit Online-Dienst gelistet: {c.count_observed} von {len(c.services)} "
            f"Leistungen ({here} dieser Kommune, {above} über Kreis, Land oder Bund)")
    if c.count_answer is not None:
        line += f"; laut Antwort {c.count_answer} Online-Dienste"
    console.print(esc(line + "."), highlight=False)
    if c.count_note:
        console.print(esc(c.count_note), highlight=False)
    extra = [f"{n} {what if n != 1 else one}" for n, what, one in (
        (c.unmatched, "Zeilen ohne Leistung im Katalog", "Zeile ohne Leistung im Katalog"),
        (c.below, "Zeilen unterer Ebenen oder anderer Gebiete",
         "Zeile einer unteren Ebene oder eines anderen Gebiets"),
        (c.inactive, "inaktive Zeilen", "inaktive Zeile"),
        (c.skipped_rows, "fehlerhafte Zeilen (übersprungen)", "fehlerhafte Zeile "
         "(übersprungen)")) if n]
    if extra:
        console.print(f"[dim]Nicht gezählt: {esc(', '.join(extra))}.[/dim]", highlight=False)


def _round(members: list[dict[str, str]], cat: Any, fetch: Any, json_out: bool) -> None:
    """One summary row per member; a member that fails is reported and the round goes on."""
    from ozgkompass.app.observe import observe_round
    from ozgkompass.cli.output import simple_table

    done = observe_round(members, cat, fetch)
    rows, failed = done.rows, done.failed
    if json_out:
        dump_json({"members": rows, "failed": [{"ars": a, "message": t} for a, t in failed]})
    else:
        console.print(simple_table(
            f"Dashboard Digitale Verwaltung: {len(rows)} Mitglieder",
            ["ARS", "Kommune", "hier", "darüber", "Link n. ok", "Pflege", "Stand"],
            [[r["ars"], r["name"], r["listed_here"], r["listed_above"], r["link_not_ok"],
              r["care_list"], r["date"] + (" (gesp.)" if r["from_cache"] else "")]
             for r in rows]))
        console.print("[dim]hier: Leistungen mit eigenem Online-Dienst; darüber: über Kreis, "
                      "Land oder Bund; Pflege: ohne gelisteten Online-Dienst.[/dim]",
                      highlight=False)
        for ars, text in failed:
            err_console.print(f"[red]Fehler[/red] {esc(ars)}: {esc(text)}", highlight=False,
                              soft_wrap=True)
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)


@gemeinden_app.command("import")
def gemeinden_import(
    file: Annotated[Path, typer.Argument(metavar="DATEI", dir_okay=False,
                                         help="GV100AD-Textdatei von Destatis.")],
) -> None:
    """Liest das Gemeindeverzeichnis von Destatis (GV100AD) in den Datenordner.

    Danach füllen new-answers --ars, template --ars und das Interview die Stammdaten
    daraus, validate und batch prüfen sie dagegen.
    """
    from ozgkompass.masterdata import gv100ad
    from ozgkompass.numbers import german_date

    directory, issues = gv100ad.read_file(file)
    print_issues(issues)
    target = gv100ad.save(directory)
    counts: dict[str, int] = {}
    for p in directory.places():
        counts[p.type or ""] = counts.get(p.type or "", 0) + 1
    local = sum(counts.get(t, 0) for t in ("gemeinde", "stadt", "mitgliedsgemeinde"))
    console.print(f"{len(directory.rows)} Gebietseinheiten, Gebietsstand "
                  f"{german_date(directory.gebietsstand)}: "
                  f"{local} kreisangehörige Gemeinden und Städte, "
                  f"{counts.get('gemeindeverband', 0)} Gemeindeverbände, "
                  f"{counts.get('landkreis', 0)} Kreise, {counts.get('kreisfreie_stadt', 0)} "
                  "kreisfreie Städte.", highlight=False)
    console.print(f"Gespeichert: {esc(display_path(target))}", highlight=False,
                  soft_wrap=True)


@gemeinden_app.command("show")
def gemeinden_show(
    ars: Annotated[str, typer.Argument(metavar="ARS", help="12-stelliger Regionalschlüssel.")],
    json_out: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Zeigt, was das Gemeindeverzeichnis über einen Regionalschlüssel sagt."""
    from dataclasses import asdict

    from ozgkompass.masterdata import gv100ad
    from ozgkompass.masterdata.gv100ad import municipality_for
    from ozgkompass.numbers import german_date

    m = municipality_for(ars)  # German lines for a missing directory or an unknown ARS
    directory = gv100ad.load()
    place = directory.get(m.ars) if directory is not None else None
    assert directory is not None and place is not None
    if json_out:
        dump_json({**asdict(place), "display_name": place.display_name,
                   "gebietsstand": directory.gebietsstand, "source": directory.source})
        return
    for label, value in (("Name", place.display_name), ("Art", place.kind),
                         ("Typ (Antwortdatei)", place.type), ("Land", place.land),
                         ("Kreis", place.kreis), ("Einwohner", place.population),
                         ("Gebietsstand", german_date(directory.gebietsstand))):
        if value is not None:
            console.print(f"{label}: {esc(value)}", highlight=False)
