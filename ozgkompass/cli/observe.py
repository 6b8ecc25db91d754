"""Commands `observe` (the Dashboard Digitale Verwaltung beside the answers) and
`gemeinden import` (the Destatis Gemeindeverzeichnis)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli.commands import CatalogueOpt
from ozgkompass.cli.errors import EXIT_PROBLEMS, handle_errors
from ozgkompass.cli.output import console, dump_json, err_console, esc, print_issues
from ozgkompass.errors import DataError, UserError, display_path

gemeinden_app = typer.Typer(help="Amtliches Gemeindeverzeichnis (Destatis GV100AD): "
                            "Name, Art, Kreis und Einwohnerzahl je Regionalschlüssel.",
                            no_args_is_help=True)

MAX_MEMBERS = 2000


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def observe(
        answers: Annotated[Path | None, typer.Argument(
            metavar="[ANTWORTDATEI]", dir_okay=False,
            help="Antwortdatei der Kommune (ihr Regionalschlüssel wird abgefragt).")] = None,
        ars: Annotated[str | None, typer.Option(
            "--ars", help="12-stelliger Regionalschlüssel (statt einer Antwortdatei).")] = None,
        file: Annotated[Path | None, typer.Option(
            "--file", dir_okay=False, help="Heruntergeladene Exportdatei des Dashboards "
            "(CSV, XLSX oder JSON) statt des Abrufs.")] = None,
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
        from ozgkompass.catalogue.store import resolve_catalogue
        from ozgkompass.observed.ddv import normalise_ars

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
        opts: dict[str, Any] = {"api_url": api_url, "offline": offline, "fmt": fmt,
                                "timeout": timeout}
        if members or kreis:
            _round(_member_list(members, kreis), cat, opts, json_out)
            return
        aset = municipality = None
        if answers is not None:
            from ozgkompass.model.registry import load_answer_set

            aset = load_answer_set(answers)
            municipality = aset.municipality
            bad_ars = [i for i in aset.issues if i.code == "ars"]
            if bad_ars:  # the answers check located it: say that, not "missing"
                raise DataError(bad_ars, f"{display_path(answers)}: Der Regionalschlüssel "
                                "ist ungültig; ohne ihn lässt sich nichts beobachten.")
            if not municipality.ars:
                raise UserError(f"{display_path(answers)}: municipality.ars fehlt; ohne "
                                "Regionalschlüssel lässt sich nichts beobachten.",
                                hint="Den 12-stelligen Regionalschlüssel in die Antwortdatei "
                                     "eintragen oder --ars angeben.")
            ars = normalise_ars(municipality.ars,
                                where=f"{display_path(answers)}: municipality.ars")
        comparison, retrieval = _one(ars or "", municipality, aset, cat, file=file, **opts)
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


def _one(ars: str, municipality: Any, aset: Any, cat: Any, *, file: Path | None = None,
         api_url: str | None, offline: bool, fmt: str, timeout: float) -> tuple[Any, Any]:
    from ozgkompass.model.answers import Municipality
    from ozgkompass.observed.compare import compare
    from ozgkompass.observed.ddv import normalise_ars, observe

    ars = normalise_ars(ars)
    retrieval = observe(ars, api_url=api_url, file=file, offline=offline, fmt=fmt,
                        timeout=timeout)
    if municipality is None:
        municipality = _from_directory(ars) or Municipality(
            retrieval.observation.name or ars, ars=ars)
    return compare(retrieval.observation, cat, municipality, aset), retrieval


def attach_observed(result: Any, answers: Path, catalogue: str | None) -> None:
    """Give a scored assessment the comparison with the cached retrieval for its ARS (the
    report's section reads `result.observed`); reads only the cache, never the network."""
    from ozgkompass.app.assess import observed_comparison
    from ozgkompass.observed.ddv import age_text

    found = observed_comparison(result, answers, catalogue)
    if found is None:
        return
    result.observed, observation = found
    err_console.print(f"[dim]Mit Daten des Dashboards Digitale Verwaltung, "
                      f"{age_text(observation)}.[/dim]", highlight=False)


def _from_directory(ars: str) -> Any:
    """Master data from the imported Gemeindeverzeichnis (decides the services in scope)."""
    from ozgkompass.masterdata import gv100ad
    from ozgkompass.model.answers import Municipality

    directory = gv100ad.load()
    place = directory.get(ars) if directory else None
    if place is None:
        return None
    return Municipality(place.display_name, ars=ars, land=place.land, kreis=place.kreis,
                        type=place.type, population=place.population)


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


def _member_list(members: Path | None, kreis: str | None) -> list[dict[str, str]]:
    """(ars, name, type) of every member: from a CSV file or the Gemeindeverzeichnis."""
    if kreis is not None:
        from ozgkompass.masterdata import gv100ad

        prefix = kreis.strip()
        if not prefix.isdigit() or not 2 <= len(prefix) <= 12:
            raise UserError(f"--kreis {kreis!r}: kein Anfang eines Regionalschlüssels.",
                            hint="Die ersten Ziffern angeben, z. B. 03357 für einen Kreis.")
        directory = gv100ad.load()
        if directory is None:
            raise UserError("--kreis braucht das Gemeindeverzeichnis.",
                            hint="Erst `ozgkompass gemeinden import GV100AD_….txt` ausführen "
                                 "oder die Mitglieder mit --members als CSV angeben.")
        found = [{"ars": p.ars, "name": p.display_name, "type": p.type or ""}
                 for p in directory.under(prefix)]
        if not found:
            raise UserError(f"Im Gemeindeverzeichnis liegt nichts unter {prefix}.",
                            hint="Den Schlüssel prüfen (Land, Regierungsbezirk, Kreis).")
        return found[:MAX_MEMBERS]
    assert members is not None
    from ozgkompass.fsutil import read_input

    shown = display_path(members)
    raw = read_input(members, max_bytes=5 * 1024 * 1024,
                     too_big_hint=f"Höchstens {MAX_MEMBERS} Mitglieder je Liste.",
                     folder_hint="Den Pfad zur CSV-Datei der Mitglieder angeben.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{shown}: ist keine UTF-8-Textdatei.",
                        hint="Die Liste als CSV (UTF-8) speichern.") from None
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(text.splitlines(), delimiter=";" if ";" in first else ",")
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "ars" not in fields:
        raise UserError(f"{shown}: Die Kopfzeile hat keine Spalte „ars“.",
                        hint="Erste Zeile z. B.: ars;name")
    rows = []
    for row in reader:
        rows.append({k: (row.get(v) or "").strip() for k, v in fields.items()})
        if len(rows) > MAX_MEMBERS:
            raise UserError(f"{shown}: mehr als {MAX_MEMBERS} Mitglieder.",
                            hint="Die Liste teilen.")
    return [r for r in rows if any(r.values())]


def _round(members: list[dict[str, str]], cat: Any, opts: dict[str, Any],
           json_out: bool) -> None:
    """One summary row per member; a member that fails is reported and the round goes on."""
    from ozgkompass.cli.output import simple_table
    from ozgkompass.model.answers import Municipality

    rows: list[dict[str, Any]] = []
    failed: list[tuple[str, str]] = []
    for m in members:
        ars = m.get("ars", "")
        try:
            known = _from_directory(ars) if len(ars) == 12 else None
            mtype = m.get("type") or (known.type if known else None)
            municipality = Municipality(m.get("name") or (known.name if known else ars),
                                        ars=ars, type=mtype or None,
                                        land=known.land if known else None)
            c, retrieval = _one(ars, municipality, None, cat, **opts)
        except UserError as exc:
            failed.append((ars or "(leer)", str(exc)))
            continue
        rows.append({"ars": c.ars, "name": municipality.name, "in_scope": len(c.services),
                     "listed_here": c.count_observed_here,
                     "listed_above": c.count_observed - c.count_observed_here,
                     "link_not_ok": len(c.broken_links), "care_list": len(c.care_list),
                     "date": c.date, "from_cache": retrieval.from_cache,
                     "notice": retrieval.notice})
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
@handle_errors
def gemeinden_import(
    file: Annotated[Path, typer.Argument(metavar="DATEI", dir_okay=False,
                                         help="GV100AD-Textdatei von Destatis.")],
) -> None:
    """Liest das Gemeindeverzeichnis von Destatis (GV100AD) in den Datenordner.

    Danach füllen new-answers --ars, template --ars und das Interview die Stammdaten
    daraus, validate und batch prüfen sie dagegen.
    """
    from ozgkompass.masterdata import gv100ad

    directory, issues = gv100ad.read_file(file)
    print_issues(issues)
    target = gv100ad.save(directory)
    counts: dict[str, int] = {}
    for p in directory.places():
        counts[p.type or ""] = counts.get(p.type or "", 0) + 1
    local = sum(counts.get(t, 0) for t in ("gemeinde", "stadt", "mitgliedsgemeinde"))
    console.print(f"{len(directory.rows)} Gebietseinheiten, Gebietsstand "
                  f"{gv100ad.german_date(directory.gebietsstand)}: "
                  f"{local} kreisangehörige Gemeinden und Städte, "
                  f"{counts.get('gemeindeverband', 0)} Gemeindeverbände, "
                  f"{counts.get('landkreis', 0)} Kreise, {counts.get('kreisfreie_stadt', 0)} "
                  "kreisfreie Städte.", highlight=False)
    console.print(f"Gespeichert: {esc(display_path(target))}", highlight=False,
                  soft_wrap=True)


@gemeinden_app.command("show")
@handle_errors
def gemeinden_show(
    ars: Annotated[str, typer.Argument(metavar="ARS", help="12-stelliger Regionalschlüssel.")],
    json_out: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Zeigt, was das Gemeindeverzeichnis über einen Regionalschlüssel sagt."""
    from dataclasses import asdict

    from ozgkompass.masterdata import gv100ad
    from ozgkompass.masterdata.gv100ad import municipality_for

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
                         ("Gebietsstand", gv100ad.german_date(directory.gebietsstand))):
        if value is not None:
            console.print(f"{label}: {esc(value)}", highlight=False)
