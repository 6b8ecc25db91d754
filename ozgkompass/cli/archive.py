"""`ozgkompass archive …`: keep scored assessments over time (docs/archive.md)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli.german import GermanGroup
from ozgkompass.cli.options import ArchiveOpt
from ozgkompass.cli.output import console, dump_json, err_console, esc
from ozgkompass.errors import UserError, display_path

app = typer.Typer(help="Archiv der Bewertungen: ablegen, auflisten, zeigen, entfernen, "
                       "exportieren, aus Antwortdateien neu aufbauen.",
                  no_args_is_help=True, cls=GermanGroup)



def archive_target(flag: bool, path: Path | None) -> Path | None:
    """Where --archive adds results, or None without it (--archive-file alone implies it)."""
    if not flag and path is None:
        return None
    from ozgkompass.archive.db import default_path

    return default_path(path)


def archive_one(flag: bool, path: Path | None, assessment: Any, answers_set: Any) -> None:
    """Add one scored assessment when asked and say where it went (interview, import)."""
    target = archive_target(flag, path)
    if target is None:
        return
    from ozgkompass.app.history import add_to_archive

    aid = add_to_archive(target, assessment, answers_set)
    console.print(f"Im Archiv abgelegt als Nr. {aid} ({esc(display_path(target))}).",
                  highlight=False, soft_wrap=True)


CatalogueOpt = Annotated[
    str, typer.Option("--catalogue", "-c", help="OZG-Katalog für die Leistungen: `kommunal` "
                      "(eingebaut), ID eines importierten Katalogs oder Pfad.")]
ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="Reifegradmodell "
                                              "(Standard: das des Fragebogens).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Ergebnis als JSON ausgeben.")]


def open_archive(path: Path | None, *, create: bool = False) -> Any:
    from ozgkompass.app.history import open_archive as open_it

    return open_it(path, create=create)


def score_file(path: Path, model: str | None, catalogue: str | None,
               questionnaires_dir: Path | None = None) -> Any:
    """Score an answers file as `ozgkompass score` does (with the catalogue), with its
    answers as the archive stores them."""
    from ozgkompass.app.assess import score_file_with_answers
    from ozgkompass.app.definitions import Choice

    return score_file_with_answers(path, Choice(questionnaires_dir=questionnaires_dir,
                                                model=model, catalogue=catalogue))


def _rows(items: list[Any]) -> list[list[Any]]:
    from ozgkompass.cli.render import pct

    return [[str(a.id), a.municipality, a.interview_date or a.added_at[:10], a.questionnaire,
             pct(a.score), pct(a.share_at_target)] for a in items]


@app.command("add")
def add(
    files: Annotated[list[Path], typer.Argument(help="Antwortdateien (YAML).", dir_okay=False)],
    archive: ArchiveOpt = None,
    catalogue: CatalogueOpt = "kommunal",
    model: ModelOpt = None,
) -> None:
    """Bewertet Antwortdateien und legt sie mit Antworten und Ergebnis im Archiv ab."""
    from ozgkompass.archive.store import add_assessments

    items = [score_file(f, model, catalogue) for f in files]
    conn = open_archive(archive, create=True)
    last = conn.execute("SELECT coalesce(max(id), 0) FROM assessments").fetchone()[0]
    ids = add_assessments(conn, items)
    for aid, (a, _) in zip(ids, items, strict=True):
        what = "Abgelegt als" if aid > last else "Bereits im Archiv als"
        console.print(f"{what} Nr. {aid}: {esc(a.municipality.name)} "
                      f"({esc(a.interview.date or 'ohne Datum')})", highlight=False)


@app.command("list")
def list_cmd(
    municipality: Annotated[str | None, typer.Option("--municipality", "-k",
                            help="Nur diese Kommune (Namensteil oder ARS).")] = None,
    land: Annotated[str | None, typer.Option("--land", help="Nur dieses Land.")] = None,
    size_class: Annotated[str | None, typer.Option("--size-class",
                          help="Nur diese Größenklasse (GK1–GK7, Landkreise LK1–LK3).")] = None,
    archive: ArchiveOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Listet die archivierten Bewertungen (älteste zuerst)."""
    from ozgkompass.archive.store import list_assessments

    items = list_assessments(open_archive(archive), municipality, land, size_class)
    if json_out:
        dump_json([a.to_dict() for a in items])
        return
    if not items:
        err_console.print("Keine Bewertungen im Archiv (für diese Auswahl).")
        return
    from ozgkompass.cli.render import text_table

    text_table("Archiv", [("Nr.", 5, "r"), ("Kommune", None, "l"), ("Datum", 10, "l"),
                          ("Fragebogen", 18, "l"), ("Index", 6, "r"), ("Leist.", 6, "r")],
               _rows(items))


@app.command("show")
def show(
    assessment_id: Annotated[int, typer.Argument(help="Nummer im Archiv.")],
    archive: ArchiveOpt = None,
    json_out: JsonOpt = False,
    answers: Annotated[bool, typer.Option("--answers",
                                          help="Die archivierte Antwortdatei ausgeben.")] = False,
) -> None:
    """Zeigt eine archivierte Bewertung: Versionen, Index, Bereiche."""
    from ozgkompass.archive.store import answers_of, get, result_of
    from ozgkompass.cli.render import pct, text_table

    conn = open_archive(archive)
    if answers:
        from ozgkompass.sources.answers_file import dump_answers

        print(dump_answers(answers_of(conn, assessment_id)), end="")
        return
    result = result_of(conn, assessment_id)
    if json_out:
        dump_json(result)
        return
    row = get(conn, assessment_id)
    console.print(f"[bold]Nr. {row.id}: {esc(row.municipality)}[/bold]", highlight=False)
    from ozgkompass.cli.render import say

    say(f"Fragebogen {row.questionnaire} · Modell {row.model} · Katalog "
        f"{row.catalogue or '–'} · ozgkompass {result['tool_version']}", "dim")
    console.print(f"Datum: {esc(row.interview_date or '–')} · abgelegt {esc(row.added_at)}"
                  f"\nOZG-Reifeindex: [bold]{pct(row.score)}[/bold] · Leistungen am Ziel: "
                  f"{pct(row.share_at_target)}", highlight=False)
    text_table("Bereiche", [("Bereich", None, "l"), ("Wert", 6, "r")],
               [[a["title"], pct(a["score"])] for a in result["areas"]])


@app.command("history")
def history(
    municipality: Annotated[str, typer.Argument(help="Kommune (Namensteil oder ARS).")],
    archive: ArchiveOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Zeigt den Verlauf einer Kommune über mehrere Runden (Index als Balken)."""
    from ozgkompass.archive.store import list_assessments
    from ozgkompass.cli.render import pct

    items = list_assessments(open_archive(archive), municipality)
    names = sorted({a.municipality for a in items})
    if len(names) > 1:
        raise UserError(f"{municipality!r} passt auf mehrere Kommunen: {', '.join(names)}.",
                        hint="Den Namen genauer oder die ARS angeben.")
    if not items:
        raise UserError(f"Keine Bewertung von {municipality!r} im Archiv.",
                        hint="Namen prüfen: `ozgkompass archive list`.")
    if json_out:
        dump_json([a.to_dict() for a in items])
        return
    console.print(f"[bold]Verlauf: {esc(names[0])}[/bold]", highlight=False)
    for a in items:
        bar = "█" * round((a.score or 0) * 40 / 100)
        console.print(f"{esc((a.interview_date or a.added_at)[:10]):<10} {bar:<40} "
                      f"{pct(a.score):>5}  (Nr. {a.id})", highlight=False)


@app.command("remove")
def remove(
    ids: Annotated[list[int], typer.Argument(help="Nummern im Archiv.")],
    archive: ArchiveOpt = None,
) -> None:
    """Entfernt Bewertungen aus dem Archiv (die Antwortdateien bleiben unberührt)."""
    from ozgkompass.archive.store import remove as remove_ids

    n = remove_ids(open_archive(archive), ids)
    console.print(f"{n} Bewertung(en) entfernt.")


def safe_stem(name: str) -> str:
    """A file name from a municipality name: letters, digits and dashes only."""
    stem = re.sub(r"[^\w-]+", "-", name, flags=re.UNICODE).strip("-._")[:60]
    return stem or "kommune"


@app.command("export")
def export(
    folder: Annotated[Path, typer.Argument(help="Zielordner für die Antwortdateien.",
                                           file_okay=False)],
    municipality: Annotated[str | None, typer.Option("--municipality", "-k",
                            help="Nur diese Kommune.")] = None,
    archive: ArchiveOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Vorhandene Dateien "
                                        "überschreiben.")] = False,
) -> None:
    """Schreibt die archivierten Antworten als Antwortdateien (daraus baut `rebuild` neu)."""
    from ozgkompass.archive.store import answers_of, list_assessments
    from ozgkompass.fsutil import refuse_overwrite
    from ozgkompass.sources.answers_file import write_answers

    conn = open_archive(archive)
    items = list_assessments(conn, municipality)
    targets = [(a, folder / f"{a.id:05d}-{safe_stem(a.municipality)}.answers.yaml")
               for a in items]
    for _, target in targets:  # all checked first: a refusal leaves nothing half-exported
        refuse_overwrite(target, [], force)
    for a, target in targets:
        write_answers(target, answers_of(conn, a.id))
    console.print(f"{len(items)} Antwortdatei(en) nach {esc(display_path(folder))} geschrieben.",
                  highlight=False)


@app.command("rebuild")
def rebuild(
    sources: Annotated[list[Path], typer.Argument(help="Antwortdateien oder Ordner mit "
                                                  "*.answers.yaml.")],
    archive: ArchiveOpt = None,
    catalogue: CatalogueOpt = "kommunal",
    model: ModelOpt = None,
) -> None:
    """Baut das Archiv aus den Antwortdateien neu auf (sie sind die Quelle der Wahrheit).

    Das neue Archiv entsteht in einer Nachbardatei und ersetzt das alte erst am Ende.
    """
    from ozgkompass.app.history import answers_files, rebuild_archive

    target, count = rebuild_archive(answers_files(sources), archive, model, catalogue)
    console.print(f"Archiv {esc(display_path(target))} neu aufgebaut: {count} "
                  "Bewertung(en).", highlight=False)
