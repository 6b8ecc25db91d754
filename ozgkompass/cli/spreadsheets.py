"""Spreadsheet round trip: `template`, `import` and `batch`."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli.archive import archive_target
from ozgkompass.cli.errors import EXIT_PROBLEMS
from ozgkompass.cli.options import ArchiveFileOpt, ArchiveFlagOpt, QuestionnairesDirOpt
from ozgkompass.cli.output import console, err_console, esc, print_issues
from ozgkompass.errors import UserError, display_path

SHOWN_PROBLEMS = 25  # problems listed in the terminal; all of them are in probleme.csv
ForceOpt = Annotated[bool, typer.Option("--force", help="Vorhandene Zieldatei überschreiben.")]
MembersOpt = Annotated[Path | None, typer.Option(
    "--members", help="Mitgliederliste (CSV: ARS;Name;Art;Ansprechperson;E-Mail).",
    exists=True, dir_okay=False)]


def register(app: typer.Typer) -> None:
    @app.command()
    def template(
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="Ziel (.xlsx).", dir_okay=False)] = None,
        questionnaire: Annotated[str, typer.Option(
            "--questionnaire", "-q", help="ID des Fragebogens.")] = "ozg-kommune",
        questionnaires_dir: QuestionnairesDirOpt = None,
        force: ForceOpt = False,
        ars: Annotated[str | None, typer.Option(
            "--ars", help="Stammdaten (Name, Art, ARS, Land, Kreis, Einwohner) aus dem "
            "Gemeindeverzeichnis vorausfüllen.")] = None,
        members_file: MembersOpt = None,
        out_dir: Annotated[Path | None, typer.Option(
            "--out-dir", help="Mit --members: Ordner für die Mappen der Mitglieder.",
            file_okay=False)] = None,
        return_to: Annotated[str | None, typer.Option(
            "--return-to", help="Mit --members: Rücksendeadresse für die Anleitung.")] = None,
        deadline: Annotated[str | None, typer.Option(
            "--deadline", help="Mit --members: Rückgabefrist (TT.MM.JJJJ).")] = None,
        archive: Annotated[bool, typer.Option(
            "--archive", help="Mit --members: die letzten archivierten Antworten jedes "
            "Mitglieds eintragen.")] = False,
        archive_file: ArchiveFileOpt = None,
    ) -> None:
        """Schreibt eine Excel-Mappe zum Ausfüllen (Auswahllisten, Blattschutz ohne Kennwort);
        mit --members eine je Mitglied, Stammdaten eingetragen und gesperrt."""
        from ozgkompass.app.workbooks import write_template

        if members_file is not None:
            _member_templates(members_file, out_dir, questionnaire, questionnaires_dir, force,
                              return_to, deadline, archive_target(archive, archive_file))
            return
        if out is None:
            raise UserError("Kein Ziel angegeben.", hint="--out MAPPE.xlsx, oder --members "
                            "LISTE.csv --out-dir ORDNER für eine Mappe je Mitglied.")
        qn = write_template(out, questionnaire, questionnaires_dir, force=force, ars=ars)
        console.print(f"Vorlage für {esc(qn.id)} {esc(qn.version)} geschrieben: "
                      f"{esc(display_path(out))}", highlight=False, soft_wrap=True)

    @app.command("import")
    def import_cmd(
        file: Annotated[Path, typer.Argument(help="Ausgefüllte Mappe (.xlsx, .ods) oder CSV.",
                                             exists=True, dir_okay=False)],
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="Antwortdatei (Standard: DATEI.answers.yaml).",
            dir_okay=False)] = None,
        questionnaires_dir: QuestionnairesDirOpt = None,
        force: ForceOpt = False,
        partial: Annotated[bool, typer.Option(
            "--partial", help="Bei fehlerhaften Zellen die übrigen Antworten trotzdem "
            "schreiben (Exit-Code 1).")] = False,
        archive: ArchiveFlagOpt = False,
        archive_file: ArchiveFileOpt = None,
    ) -> None:
        """Macht aus einer ausgefüllten Mappe eine Antwortdatei; meldet Probleme mit Blatt
        und Zelle. Bei Fehlern wird nichts geschrieben (Exit-Code 1), außer mit --partial."""
        from ozgkompass.app.workbooks import import_workbook_answers, write_imported

        target = out or file.with_name(f"{file.stem}.answers.yaml")
        res = import_workbook_answers(file, target, questionnaires_dir, force=force)
        print_issues(res.issues)
        if res.answers is None:
            err_console.print(f"[red]{esc(display_path(file))} ist nicht lesbar; nichts "
                              "geschrieben.[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS)
        if not res.ok and not partial:
            err_console.print(f"[red]{esc(display_path(file))}: nichts geschrieben; die Zellen "
                              "korrigieren und erneut importieren oder mit --partial die "
                              "übrigen Antworten übernehmen.[/red]", highlight=False,
                              soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS)
        write_imported(res.answers, file, target)
        console.print(f"{len(res.answers.answers)} Antworten geschrieben: "
                      f"{esc(display_path(target))}", highlight=False, soft_wrap=True)
        if not res.ok:
            err_console.print("[yellow]Fehlerhafte Zellen wurden nicht übernommen (siehe "
                              "oben).[/yellow]", highlight=False)
            if archive_target(archive, archive_file) is not None:
                err_console.print("Nicht archiviert: erst die Fehler beheben, dann "
                                  f"`ozgkompass archive add {esc(display_path(target))}`.",
                                  highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS)
        if archive_target(archive, archive_file) is not None:
            from ozgkompass.cli.archive import archive_one, score_file

            archive_one(archive, archive_file,
                        *score_file(target, None, "kommunal", questionnaires_dir))

    @app.command()
    def batch(
        folder: Annotated[Path, typer.Argument(help="Ordner mit ausgefüllten Mappen.",
                                               exists=True, file_okay=False)],
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="Ergebnisordner (Standard: ORDNER-auswertung).",
            file_okay=False)] = None,
        catalogue: Annotated[str, typer.Option(
            "--catalogue", "-c", help="OZG-Katalog: kommunal (eingebaut), ID oder Pfad.")
        ] = "kommunal",
        model: Annotated[str | None, typer.Option(
            "--model", "-m", help="Reifegradmodell (Standard: das des Fragebogens).")] = None,
        jobs: Annotated[int | None, typer.Option(
            "--jobs", "-j", min=1, help="Parallele Prozesse (Standard: alle Kerne).")] = None,
        resume: Annotated[bool, typer.Option(
            "--resume", help="Unveränderte, schon bewertete Dateien überspringen.")] = False,
        service_limit: Annotated[int, typer.Option(
            "--service-sheet-limit", min=0, help="Bis zu so vielen Kommunen das Blatt "
            "„Leistungen“ in der Übersicht; darüber nur leistungen.csv.")] = 500,
        questionnaires_dir: QuestionnairesDirOpt = None,
        archive: ArchiveFlagOpt = False,
        archive_file: ArchiveFileOpt = None,
        force: Annotated[bool, typer.Option(
            "--force", help="Ergebnisse eines früheren Laufs im Ergebnisordner überschreiben.")
        ] = False,
        members_file: MembersOpt = None,
        decimal_point: Annotated[bool, typer.Option(
            "--decimal-point", help="Zahlen in den CSV-Dateien mit Dezimalpunkt statt "
            "Dezimalkomma.")] = False,
    ) -> None:
        """Bewertet alle Mappen eines Ordners und schreibt eine Übersicht (xlsx, CSV, JSON).

        Eine fehlerhafte Datei hält den Lauf nicht auf; alle Probleme stehen am Ende mit
        Datei, Blatt und Zelle. Exit-Code 1, wenn eine Datei nicht bewertet werden konnte.
        """
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        from ozgkompass.app.workbooks import finish_round, plan_batch, run_planned_batch

        archive_path = archive_target(archive, archive_file)
        planned = plan_batch(folder, out, catalogue=catalogue, model=model,
                             questionnaires_dir=questionnaires_dir, jobs=jobs, resume=resume,
                             force=force, archive=archive_path, members_file=members_file)
        target, members = planned.target, planned.members

        def on_term(signum, frame):  # type: ignore[no-untyped-def]
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, on_term)
        progress = Progress("[progress.description]{task.description}", BarColumn(),
                            MofNCompleteColumn(), TimeRemainingColumn(),
                            console=err_console.current(),  # type: ignore[attr-defined]
                            transient=True)
        task = progress.add_task("Bewerte", total=None)
        try:
            with progress:
                result = run_planned_batch(planned, lambda done, total: progress.update(
                    task, completed=done, total=total))
            # SIGTERM while the overview is written too: its files are written atomically
            written = finish_round(result, planned, service_limit, decimal_point)
            # and while the summary is printed: the results are there, --resume prints it
            _print_round(result, written, archive_path, members, target)
        except KeyboardInterrupt:
            err_console.print("Abgebrochen; fertige Ergebnisse bleiben erhalten. Fortsetzen "
                              "mit --resume.")
            raise typer.Exit(130) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
        if result.failed or result.has_errors:
            raise typer.Exit(EXIT_PROBLEMS)


def _print_round(result: Any, written: list[Path], archive_path: Path | None,
                 members: Any, target: Path) -> None:
    """What a finished batch says: how many files, where the overview is, the archive,
    the members and every problem."""
    from ozgkompass.cli.render import say

    say(f"{len(result.ok)} von {len(result.records)} Dateien bewertet"
        + (f" ({result.skipped} unverändert übernommen)" if result.skipped else "")
        + (f", {len(result.replaced)} durch eine neuere Lieferung ersetzt"
           if result.replaced else "")
        + f"; Übersicht: {display_path(written[0])}")
    if archive_path is not None:
        say(f"Im Archiv: {result.archived} Bewertung(en) ({display_path(archive_path)}).")
    if members is not None:
        _print_members(result.members, target)
    _print_problems(result, target)


def _member_templates(members_file: Path, out_dir: Path | None, questionnaire: str,
                      questionnaires_dir: Path | None, force: bool, return_to: str | None,
                      deadline: str | None, archive: Path | None) -> None:
    from ozgkompass.app.workbooks import member_templates
    from ozgkompass.cli.render import say

    made = member_templates(members_file, out_dir, questionnaire, questionnaires_dir,
                            force=force, return_to=return_to, deadline=deadline,
                            archive=archive)
    qn = made.questionnaire
    say(f"{len(made.written)} Mappen für {esc(qn.id)} {esc(qn.version)} geschrieben: "
        f"{display_path(made.folder)}" + (f"; {made.prefilled} mit den Antworten der letzten Runde"
                                      if archive is not None else ""))


def _print_members(rows: list[dict[str, Any]], target: Path) -> None:
    from ozgkompass.cli.render import say
    from ozgkompass.sources.roster import CORRECT, MISSING, NOT_A_WORKBOOK, RETURNED, UNREADABLE

    count = {s: sum(1 for r in rows if r["status"] == s)
             for s in (RETURNED, CORRECT, NOT_A_WORKBOOK, UNREADABLE, MISSING)}
    say(f"Mitglieder: {count[RETURNED]} von {len(rows)} bewertet, {count[CORRECT]} zu "
        f"korrigieren, {count[NOT_A_WORKBOOK] + count[UNREADABLE]} ohne lesbare Mappe, "
        f"{count[MISSING]} nicht zurückgegeben; Liste: "
        f"{display_path(target / 'mitglieder.csv')}, zum Erinnern: "
        f"{display_path(target / 'erinnerung.csv')}")


def _print_problems(result: Any, target: Path) -> None:
    """The batch's problems as a list that fits 80 columns: the place on one line (file
    names are never cut), the message wrapped below it; errors first."""
    from ozgkompass.cli.render import say

    total = result.problem_count
    if not total:
        return
    errors = result.error_count
    console.print()
    say(f"Probleme: {errors} Fehler, {total - errors} Warnung(en); alle in "
        f"{display_path(target / 'probleme.csv')} und im Blatt „Probleme“ der Übersicht.",
        style="bold")
    shown = result.shown(SHOWN_PROBLEMS)
    for p in shown:
        style, label = ("red", "Fehler") if p.severity == "error" else ("yellow", "Warnung")
        where = str(p.location)
        file_part, sep, rest = where.partition(", Blatt ")
        if len(label) + 1 + len(where) > console.width and sep:
            # the file name stays whole on its line, sheet and cell go below it
            console.print(f"[{style}]{label}[/{style}] {esc(file_part)}", highlight=False,
                          soft_wrap=True)
            console.print(f"  Blatt {esc(rest)}", highlight=False, soft_wrap=True)
        else:
            console.print(f"[{style}]{label}[/{style}] {esc(where)}", highlight=False,
                          soft_wrap=True)
        say(p.message, indent=2, max_lines=4)
    if total > len(shown):
        console.print(f"… und {total - len(shown)} weitere.", highlight=False)
