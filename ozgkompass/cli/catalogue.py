"""`ozgkompass catalogue …`: import, show, search, stats, list, update."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozgkompass.app.catalogue_search import RESP_ORDER, find_service
from ozgkompass.cli.errors import EXIT_PROBLEMS
from ozgkompass.cli.german import GermanGroup
from ozgkompass.cli.output import console, dump_json, err_console, esc, simple_table
from ozgkompass.errors import Issue, display_path
from ozgkompass.issue_codes import IssueCode

if TYPE_CHECKING:
    from ozgkompass.catalogue.importer import ImportResult
    from ozgkompass.model.catalogue import Catalogue

app = typer.Typer(help="OZG-Katalog: importieren, anzeigen, durchsuchen, aktualisieren.",
                  no_args_is_help=True, cls=GermanGroup)

CatalogueOpt = Annotated[str | None, typer.Option(
    "--catalogue", "-c", metavar="ID|DATEI",
    help="Katalog: eingebaut (kommunal), eine ID aus `catalogue list` oder eine Katalogdatei.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Maschinenlesbar als JSON ausgeben.")]

REJECT_GROUP_THRESHOLD = 50
WARNING_EXAMPLES = 3



def _header(cat: Catalogue) -> str:
    return (f"Katalog [bold]{esc(cat.id)}[/bold], Version {esc(cat.version)} "
            f"({len(cat.services)} OZG-Leistungen)")


# --- import -------------------------------------------------------------------------------


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(
        metavar="DATEI…", show_default=False,
        help="Export-Dateien (.csv, .xlsx, .ods, .xls); beim Layout ozg2019 beide Dateien.")],
    layout: Annotated[str | None, typer.Option(
        "--layout", metavar="ozg2019|fim-csv",
        help="Spaltenaufbau; ohne Angabe an den Überschriften erkannt.")] = None,
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", metavar="DATEI",
        help="Zuordnungsdatei (YAML): welche Spalte welches Feld enthält.")] = None,
    catalogue_id: Annotated[str | None, typer.Option(
        "--id", help="Katalog-ID (Standard: nach Layout, z. B. ozg2019).")] = None,
    version: Annotated[str | None, typer.Option(
        "--version", help="Versionsangabe, die in jedem Bericht steht (z. B. 2026-03).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Titel des Katalogs.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="DATEI",
        help="Hierhin schreiben (.json oder .yaml) statt in den Katalogspeicher.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Einen vorhandenen Katalog überschreiben.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit-Code 1, wenn Zeilen abgelehnt wurden.")] = False,
    all_warnings: Annotated[bool, typer.Option(
        "--all-warnings", help="Jede Warnung einzeln zeigen statt zusammengefasst.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Importiert einen amtlichen Katalog-Export (CSV/XLSX/ODS/XLS) als Katalog.

    Erkannt werden die OZG-Datenbank 2019 (ozg_leistungen.csv + leika_zu_ozg.csv) und der
    FIM-Leistungsexport; andere Tabellen mit --mapping. Geschrieben wird nach
    <Datenordner>/catalogues/<id>.json oder nach --output; Eingabedateien werden nie
    überschrieben, ein vorhandener Katalog nur mit --force.

    Jede abgelehnte Zeile wird mit Datei, Zeile und Grund gezeigt. Exit-Code 0, wenn der
    Katalog geschrieben wurde (auch wenn einzelne Zeilen abgelehnt wurden; mit --strict
    dann 1), 1 wenn keine OZG-Leistung übernommen werden konnte, 2 bei Bedienfehlern
    (Datei fehlt, falscher Dateityp, Pflichtspalten fehlen).
    """
    from ozgkompass.app.catalogue_search import import_into_store

    imported = import_into_store(files, layout=layout, mapping=mapping,
                                 catalogue_id=catalogue_id, version=version, title=title,
                                 output=output, force=force)
    result, target = imported.result, imported.target

    if as_json:
        dump_json({"catalogue": {"id": result.catalogue["id"],
                                 "version": result.catalogue["version"],
                                 "path": str(target)},
                   "summary": result.summary(),
                   "issues": [i.to_dict() for i in result.issues]})
    else:
        _print_import(result, target, all_warnings)
    if strict and result.rejected:
        raise typer.Exit(EXIT_PROBLEMS)


def _print_import(result: ImportResult, target: Path, all_warnings: bool) -> None:
    from ozgkompass.model.catalogue import Responsibility

    for f in result.files:
        console.print(f"Gelesen: {esc(f)}", highlight=False, soft_wrap=True)
    rows: list[list[Any]] = [
        ["Layout", result.layout],
        ["Zeilen gelesen", result.rows_read],
        ["übernommen (neue OZG-Leistung)", result.taken],
        ["zusammengeführt (zu vorhandener OZG-Leistung)", result.merged],
        ["abgelehnt", result.rejected],
        ["OZG-Leistungen", result.services],
        ["LeiKa-Leistungen", result.leika_count],
        ["doppelte LeiKa-Zeilen (ignoriert)", result.duplicates],
        ["Themenfelder", len(result.themenfelder)],
    ]
    for key in RESP_ORDER:
        rows.append([f"Zuständigkeit: {Responsibility(key).label}",
                     result.responsibility_counts.get(key, 0)])
    rows.append(["Warnungen", len(result.warnings)])
    console.print(simple_table("Import", ["", "Anzahl"], rows))

    rejected = result.rejected_rows
    if rejected:
        console.print(f"\n[bold]Abgelehnte Zeilen ({len(rejected)}):[/bold]")
        if len(rejected) > REJECT_GROUP_THRESHOLD:
            reasons = Counter(i.code for i in rejected)
            console.print(simple_table("Gründe", ["Grund", "Zeilen", "Beispiel"], [
                [code, count, esc(next(i.message for i in rejected if i.code == code))]
                for code, count in reasons.most_common()]))
            by_code: dict[IssueCode, list[Issue]] = defaultdict(list)
            for issue in rejected:
                by_code[issue.code].append(issue)
            for code, _count in reasons.most_common():
                console.print(f"\n[bold]{code}[/bold]")
                _print_issue_lines(by_code[code])
        else:
            _print_issue_lines(rejected)

    warnings = result.warnings
    if warnings:
        console.print(f"\n[bold]Warnungen ({len(warnings)}):[/bold]")
        if all_warnings:
            _print_issue_lines(warnings)
        else:
            by_code = defaultdict(list)
            for issue in warnings:
                by_code[issue.code].append(issue)
            for code, items in sorted(by_code.items(), key=lambda kv: -len(kv[1])):
                console.print(f"[yellow]{code}[/yellow] ({len(items)}×)", highlight=False)
                _print_issue_lines(items[:WARNING_EXAMPLES], indent="  ")
                if len(items) > WARNING_EXAMPLES:
                    console.print(f"  … und {len(items) - WARNING_EXAMPLES} weitere",
                                  highlight=False)
            console.print("Alle Warnungen einzeln: --all-warnings oder --json.", highlight=False)

    cat = result.catalogue
    console.print(f"\n[green]Katalog geschrieben:[/green] {esc(display_path(target))} "
                  f"(ID {esc(cat['id'])}, Version {esc(cat['version'])})", highlight=False,
                  soft_wrap=True)
    console.print(f"Verwenden mit: --catalogue {esc(cat['id'])}" if target.suffix == ".json"
                  and target.parent.name == "catalogues" else
                  f"Verwenden mit: --catalogue {esc(display_path(target))}",
                  highlight=False, soft_wrap=True)


def _print_issue_lines(issues: list[Issue], indent: str = "") -> None:
    for issue in issues:
        console.print(f"{indent}{esc(issue.location)}: {esc(issue.message)}", highlight=False,
                      soft_wrap=True)


# --- show ---------------------------------------------------------------------------------


def _yes_no(value: bool | None) -> str:
    return "unbekannt" if value is None else ("ja" if value else "nein")


@app.command()
def show(
    ref: Annotated[str | None, typer.Argument(
        metavar="KATALOG", show_default=False,
        help="Katalog (Standard: der eingebaute).")] = None,
    service: Annotated[str | None, typer.Option(
        "--service", "-s", metavar="OZG_ID", help="Eine OZG-Leistung im Detail zeigen.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Zeigt Kopfdaten eines Katalogs oder eine OZG-Leistung im Detail."""
    from ozgkompass.catalogue.store import resolve_catalogue
    from ozgkompass.model.catalogue import ATTRIBUTE_LABELS, ATTRIBUTE_NAMES, EXECUTED_BY_LABELS

    cat = resolve_catalogue(ref)
    if service is None:
        themen = cat.themenfelder()
        if as_json:
            dump_json({"id": cat.id, "version": cat.version, "title": cat.title,
                       "source": cat.source, "created": cat.created, "path": cat.path,
                       "services": len(cat.services), "themenfelder": sorted(themen)})
            return
        console.print(simple_table(f"Katalog {esc(cat.id)}", ["", ""], [
            ["ID", esc(cat.id)], ["Version", esc(cat.version)], ["Titel", esc(cat.title)],
            ["Quelle", esc(cat.source)], ["Erstellt", esc(cat.created or "unbekannt")],
            ["Datei", esc(cat.path or "")], ["OZG-Leistungen", len(cat.services)],
            ["Themenfelder", len(themen)],
        ]))
        return
    svc = find_service(cat, service)
    if as_json:
        from dataclasses import asdict

        data = asdict(svc)
        data["responsibility"] = svc.responsibility.value
        data["unknown_attributes"] = svc.attributes.unknown()
        dump_json({"catalogue": {"id": cat.id, "version": cat.version}, "service": data})
        return
    console.print(_header(cat), highlight=False)
    console.print(simple_table(f"OZG-Leistung {svc.ozg_id}: {esc(svc.name)}", ["", ""], [
        ["OZG-ID", svc.ozg_id], ["Name", esc(svc.name)], ["Themenfeld", esc(svc.themenfeld)],
        ["Lage", esc(svc.lage or "unbekannt")],
        ["Zuständigkeit", svc.responsibility.label],
        ["Priorität", svc.priority if svc.priority is not None else "—"],
        ["Fallzahl pro Jahr", f"{svc.case_volume:g}" if svc.case_volume is not None else "—"],
        ["Ausgeführt von", EXECUTED_BY_LABELS.get(svc.executed_by or "", "unbekannt")
         + "".join(f"; {land}: {EXECUTED_BY_LABELS[v]}" for land, v in svc.executed_by_land)],
        *([["Wirkungskreis", "übertragen" if svc.wirkungskreis == "uebertragen" else "eigen"]]
          if svc.wirkungskreis else []),
        *([["Hinweis", esc(svc.note)]] if svc.note else []),
        *([["Quellen", esc("\n".join(svc.sources))]] if svc.sources else []),
    ]))
    attr_rows = []
    for name in ATTRIBUTE_NAMES:
        if name in ("trust_level", "audience"):
            value = getattr(svc.attributes, name) or "unbekannt"
        else:
            value = _yes_no(getattr(svc.attributes, name))
            if name == "identification" and svc.attributes.identification is None \
                    and svc.attributes.flag(name) is not None:
                value = f"{_yes_no(svc.attributes.flag(name))} (aus dem Vertrauensniveau)"
        attr_rows.append([ATTRIBUTE_LABELS[name], value])
    console.print(simple_table("Merkmale", ["Merkmal", "Wert"], attr_rows))
    console.print(simple_table(f"LeiKa-Leistungen ({len(svc.leika)})",
                               ["Schlüssel", "Bezeichnung", "Typisierung"],
                               [[x.key or "—", esc(x.name), esc(_typisierung(x))]
                                for x in svc.leika]))


def _typisierung(leika: Any) -> str:
    """The Typisierung, with the source's value where it is the project's refinement."""
    if leika.source_typisierung:
        return (f"{leika.typisierung or '—'} (Verfeinerung des Projekts; Quelle: "
                f"{leika.source_typisierung})")
    return leika.typisierung or "—"


# --- search -------------------------------------------------------------------------------


@app.command()
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Suchbegriff(e); alle müssen "
                                        "vorkommen.")],
    catalogue: CatalogueOpt = None,
    themenfeld: Annotated[str | None, typer.Option(
        "--themenfeld", "-t", help="Nur dieses Themenfeld.")] = None,
    scope: Annotated[str, typer.Option(
        "--scope", metavar="kommunal|alle",
        help="kommunal: nur (möglicherweise) kommunal vollzogene Leistungen.")] = "alle",
    as_json: JsonOpt = False,
) -> None:
    """Sucht OZG-Leistungen nach Name, LeiKa-Bezeichnung, LeiKa-Schlüssel oder OZG-ID."""
    from ozgkompass.app.catalogue_search import search_catalogue

    found = search_catalogue(text, catalogue, themenfeld=themenfeld, scope=scope)
    cat, hits = found.catalogue, [(h.service, h.where) for h in found.hits]
    if as_json:
        dump_json({"catalogue": {"id": cat.id, "version": cat.version}, "query": text,
                   "hits": [{"ozg_id": s.ozg_id, "name": s.name, "themenfeld": s.themenfeld,
                             "responsibility": s.responsibility.value, "match": where}
                            for s, where in hits]})
        return
    console.print(_header(cat), highlight=False)
    if not hits:
        console.print(f"Keine Treffer für {esc(text)!r}.", highlight=False)
        return
    console.print(simple_table(f"{len(hits)} Treffer für {esc(text)!r}",
                               ["OZG-ID", "OZG-Leistung", "Themenfeld", "Zuständigkeit",
                                "Gefunden in"],
                               [[s.ozg_id, esc(s.name), esc(s.themenfeld), s.responsibility.label,
                                 esc(where)] for s, where in hits]))


# --- stats --------------------------------------------------------------------------------


@app.command()
def stats(catalogue: CatalogueOpt = None, as_json: JsonOpt = False) -> None:
    """Zählt OZG-Leistungen nach Themenfeld und Zuständigkeit und unbekannte Merkmale."""
    from ozgkompass.app.catalogue_search import catalogue_stats
    from ozgkompass.model.catalogue import ATTRIBUTE_LABELS, ATTRIBUTE_NAMES, Responsibility

    st = catalogue_stats(catalogue)
    cat, table, in_scope = st.catalogue, st.by_themenfeld, st.municipal_scope
    unknown_all, unknown_municipal = st.unknown_all, st.unknown_municipal
    if as_json:
        dump_json({
            "catalogue": {"id": cat.id, "version": cat.version, "services": len(cat.services)},
            "by_themenfeld": {tf: {r: table[tf].get(r, 0) for r in RESP_ORDER}
                              for tf in sorted(table)},
            "municipal_scope": in_scope,
            "unknown_attributes": {n: {"all": unknown_all.get(n, 0),
                                       "municipal_scope": unknown_municipal.get(n, 0)}
                                   for n in ATTRIBUTE_NAMES},
        })
        return
    console.print(_header(cat), highlight=False)
    labels = [Responsibility(r).label for r in RESP_ORDER]
    rows: list[list[Any]] = []
    totals: Counter[str] = Counter()
    for tf in sorted(table):
        counts = table[tf]
        totals.update(counts)
        rows.append([esc(tf), *[counts.get(r, 0) for r in RESP_ORDER], sum(counts.values())])
    rows.append(["Summe", *[totals.get(r, 0) for r in RESP_ORDER], sum(totals.values())])
    console.print(simple_table("OZG-Leistungen nach Themenfeld und Zuständigkeit",
                               ["Themenfeld", *labels, "gesamt"], rows))
    console.print(simple_table(
        "Unbekannte Merkmale (Anzahl OZG-Leistungen)",
        ["Merkmal", "unbekannt (alle)", f"unbekannt (kommunal, {in_scope})"],
        [[ATTRIBUTE_LABELS[n], unknown_all.get(n, 0), unknown_municipal.get(n, 0)]
         for n in ATTRIBUTE_NAMES]))


# --- list ---------------------------------------------------------------------------------


@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """Listet die verfügbaren Kataloge: den eingebauten und die importierten."""
    from ozgkompass.catalogue.store import catalogues_dir, list_catalogues

    rows = list_catalogues()
    if as_json:
        dump_json([{"id": i, "version": v, "path": p, "services": n} for i, v, p, n in rows])
        return
    console.print(simple_table("Kataloge", ["ID", "Version", "OZG-Leistungen", "Ort"],
                               [[esc(i), esc(v), n, esc(p)] for i, v, p, n in rows]))
    console.print(f"Katalogspeicher: {esc(catalogues_dir())}", highlight=False, soft_wrap=True)


# --- update command (fim_api) ---


@app.command()
def update(
    since: Annotated[str | None, typer.Option(
        "--since", help="Nur Steckbriefe, die seit diesem Zeitpunkt geändert wurden "
        "(z. B. 2026-01-01). Ohne Angabe: seit dem letzten erfolgreichen Abruf.")] = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Alles neu laden und den Zwischenspeicher ersetzen.")] = False,
    url: Annotated[str | None, typer.Option(
        "--url", help="Adresse des FIM-Portals (Standard: https://fimportal.de; auch per "
        "OZGKOMPASS_FIM_URL).")] = None,
) -> None:
    """Lädt Leistungssteckbriefe mit OZG-ID aus dem FIM-Portal und schreibt daraus den
    Katalog `fim` (braucht eine Internetverbindung; ohne sie bleibt der alte Stand)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ozgkompass.catalogue import fim_api
    from ozgkompass.paths import data_dir

    with Progress(TextColumn("Steckbriefe"), BarColumn(), MofNCompleteColumn(),
                  console=err_console.current(), transient=True) as bar:  # type: ignore[attr-defined]
        task = bar.add_task("laden", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = fim_api.update_catalogue(data_dir(), base_url=url, since=since, full=full,
                                          progress=progress)
    how = (f"Änderungen seit {esc(result.since)}" if result.incremental and result.since
           else "vollständiger Abruf")
    console.print(simple_table("Aktualisierung aus dem FIM-Portal", ["", ""], [
        ["Abruf", how],
        ["Seiten", result.pages],
        ["neu oder geändert geladen", result.downloaded],
        ["übersprungen (ohne OZG-ID/Themenfeld)", result.skipped_without_ozg],
        ["Steckbriefe im Zwischenspeicher", result.total_in_cache],
        ["OZG-Leistungen im Katalog", len(result.catalogue.get("services", []))],
        ["Wartepausen wegen Ratenbegrenzung (429)", result.retries_after_429],
    ]))
    console.print(f"Katalog aktualisiert: {esc(display_path(result.catalogue_path))}",
                  highlight=False, soft_wrap=True)
    console.print(f"Verwenden mit: --catalogue {esc(result.catalogue.get('id', 'fim'))}",
                  highlight=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="catalogue")
