"""Commands `interview` and `new-answers`: start, resume and review an interview."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli.archive import archive_target
from ozgkompass.cli.options import ArchiveFileOpt, ArchiveFlagOpt, QuestionnairesDirOpt
from ozgkompass.cli.output import console, err_console, esc
from ozgkompass.errors import DataError, UserError, display_path

DEFAULT_QUESTIONNAIRE = "ozg-kommune"


def resolve_questionnaire(spec: str | None, questionnaires_dir: Path | None,
                          version: str | None = None) -> Any:
    """A questionnaire by id (built in or user folder) or by file path."""
    from ozgkompass.model.questionnaire import load_questionnaire
    from ozgkompass.model.registry import find_questionnaire

    spec = spec or DEFAULT_QUESTIONNAIRE
    if spec.endswith((".yaml", ".yml")) or "/" in spec:
        path = Path(spec)
        if not path.is_file():
            raise UserError(f"{display_path(path)}: Fragebogen-Datei nicht gefunden.",
                            hint="Pfad prüfen oder eine ID angeben (ozgkompass questionnaires).")
        return load_questionnaire(path)
    return find_questionnaire(spec, version, questionnaires_dir)


def _directory_place(fe: Any, ars: str | None) -> Any:
    """The Gemeindeverzeichnis entry of the ARS just typed (None without one), announced."""
    if not ars:
        return None
    from ozgkompass.masterdata import gv100ad
    from ozgkompass.numbers import german_date

    directory = gv100ad.load()
    place = directory.get(ars) if directory is not None else None
    if directory is not None and place is not None:
        pop = f", {place.population} Einwohner" if place.population else ""
        fe.say(f"Laut Gemeindeverzeichnis (Gebietsstand "
               f"{german_date(directory.gebietsstand)}): {place.display_name}, "
               f"{place.kind}{', ' + place.kreis if place.kreis else ''}{pop}.")
    return place


def _ask_master_data(fe: Any, kommune: str | None) -> tuple[Any, Any]:
    from ozgkompass import numbers
    from ozgkompass.cli.interview_plain import split_people
    from ozgkompass.model.answers import MUNICIPALITY_TYPES, Interview, Municipality
    from ozgkompass.model.laender import NAMES, code_from_ars

    fe.say("Neues Interview. Zuerst die Stammdaten der Kommune (Enter = leer lassen).")
    name = kommune
    while not name:
        name = fe.ask_text("Name der Kommune (Pflicht)")
    from ozgkompass.sources.template import TYPE_LABELS

    mtype = None
    by_label = {label: key for key, label in TYPE_LABELS.items()}
    while True:
        t = fe.ask_text("Art der Kommune", tuple(by_label))
        if t is None or t in by_label or t in MUNICIPALITY_TYPES:
            mtype = by_label.get(t, t) if t else None
            break
        fe.say(f"„{t}“ ist keine der Arten; bitte eine Nummer von 1 bis {len(by_label)} "
               "wählen.")
    ars = None
    while True:
        ars = fe.ask_text("Amtlicher Regionalschlüssel (12 Ziffern)")
        if ars is None or re.fullmatch(r"\d{12}", ars.replace(" ", "")):
            ars = ars.replace(" ", "") if ars else None
            break
        fe.say("Der Regionalschlüssel hat genau 12 Ziffern, z. B. 034510001001.")
    from_ars = NAMES.get(code_from_ars(ars) or "")
    place = _directory_place(fe, ars)
    if place is not None and mtype is None:
        mtype = place.type
    land = fe.ask_text("Land" + (f" (Enter = {from_ars})" if from_ars else "")) or from_ars
    known_kreis = place.kreis if place is not None else None
    kreis = fe.ask_text("Kreis" + (f" (Enter = {known_kreis})" if known_kreis else "")) \
        or known_kreis
    known_pop = place.population if place is not None else None
    population = None
    while True:
        p = fe.ask_text("Einwohnerzahl" + (f" (Enter = {known_pop})" if known_pop else ""))
        if p is None:
            population = known_pop
            break
        reading = numbers.read(p)
        if isinstance(reading.value, int) and reading.value >= 0:
            population = reading.value
            break
        fe.say(reading.problem or f"„{p}“ ist keine ganze Zahl ≥ 0.")
    today = dt.date.today().isoformat()
    date = None
    while True:
        date = fe.ask_text(f"Datum des Interviews (Enter = {today})") or today
        try:
            dt.date.fromisoformat(date)
            break
        except ValueError:
            fe.say(f"{date!r} ist kein Datum; Form JJJJ-MM-TT, z. B. {today}.")
    parts = fe.ask_text("Teilnehmende (mit Komma getrennt)")
    participants = split_people(parts or "")
    return (Municipality(name.strip(), ars, land, kreis, mtype, population),
            Interview(date, None, participants))


def _frontend(plain: bool) -> Any:
    if plain or not sys.stdin.isatty() or not sys.stdout.isatty():
        from ozgkompass.cli.interview_plain import PlainFrontend

        return PlainFrontend()
    from ozgkompass.cli.interview_tty import TtyFrontend

    return TtyFrontend()


def program() -> str:
    """The command as the user can type it: `ozgkompass` when that is on PATH and is this
    program, else the script's real path (a virtual environment that was never activated),
    else `python -m ozgkompass` with the interpreter's path."""
    import os
    import shlex
    import shutil

    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "ozgkompass" and script.exists():
        found = shutil.which("ozgkompass")
        if found and os.path.realpath(found) == os.path.realpath(script):
            return "ozgkompass"
        return shlex.quote(str(script.resolve()))
    found = shutil.which("ozgkompass")
    if found and Path(found).resolve().parent == Path(sys.executable).resolve().parent:
        return "ozgkompass"
    return f"{shlex.quote(sys.executable)} -m ozgkompass"


def _shown(path: Path) -> str:
    import shlex

    return shlex.quote(display_path(path))


def _resume_hint(path: Path, questionnaire: str | None = None,
                 questionnaires_dir: Path | None = None) -> str:
    """The command that continues this interview, as it runs when copied: with the
    questionnaire's file or folder when it is not built in."""
    import shlex

    extra = ""
    if questionnaire and (questionnaire.endswith((".yaml", ".yml")) or "/" in questionnaire):
        extra += f" -q {shlex.quote(questionnaire)}"
    if questionnaires_dir is not None:
        extra += f" --questionnaires-dir {shlex.quote(str(questionnaires_dir))}"
    return f"Fortsetzen mit: {program()} interview --answers {_shown(path)}{extra}"


def register(app: typer.Typer) -> None:
    @app.command()
    def interview(
        questionnaire: Annotated[str | None, typer.Option(
            "--questionnaire", "-q", help="Fragebogen-ID oder -Datei (Standard: ozg-kommune; "
            "beim Fortsetzen der in der Antwortdatei genannte).")] = None,
        answers: Annotated[Path | None, typer.Option(
            "--answers", "-a", dir_okay=False, help="Antwortdatei: fortsetzen, wenn sie "
            "existiert, sonst neu anlegen (Standard: aus dem Namen der Kommune).")] = None,
        kommune: Annotated[str | None, typer.Option(
            "--kommune", "-k", help="Name der Kommune (neues Interview).")] = None,
        questionnaires_dir: QuestionnairesDirOpt = None,
        plain: Annotated[bool, typer.Option(
            "--plain", help="Nummerierte Eingaben Zeile für Zeile (ohne Pfeiltasten); "
            "automatisch, wenn die Eingabe kein Terminal ist.")] = False,
        archive: ArchiveFlagOpt = False,
        archive_file: ArchiveFileOpt = None,
    ) -> None:
        """Interview führen: Fragen stellen, jede Antwort sofort speichern, fortsetzen.

        Während einer Frage: z zurück, s überspringen, n trifft nicht zu,
        w weiß nicht / klären mit …, k Notiz, q Quelle, g Bereich wechseln,
        u Übersicht, p Pause (auch Strg-C). Ohne Terminal: Zeile für Zeile.
        """
        from ozgkompass.cli.interview_plain import EndOfInput
        from ozgkompass.interview import driver
        from ozgkompass.interview.blank import file_name_for, new_answer_set
        from ozgkompass.interview.lock import interview_lock
        from ozgkompass.interview.session import ChangedOnDisk, Session, reconcile
        from ozgkompass.model.registry import load_answer_set

        fe = _frontend(plain)
        notices: list[str] = []
        if answers is None and kommune:
            candidate = Path(file_name_for(kommune))
            answers = candidate
        with contextlib.ExitStack() as locks:  # the answers file's lock, to the end
            session: Session | None = None
            try:
                if answers is not None and answers.exists():
                    locks.enter_context(interview_lock(answers, notices))
                    for notice in notices:
                        fe.say(notice)
                    aset = load_answer_set(answers)
                    qn = resolve_questionnaire(questionnaire or aset.questionnaire.id,
                                               questionnaires_dir, aset.questionnaire.version)
                    if aset.questionnaire.id != qn.id:
                        raise UserError(f"{display_path(answers)} beantwortet Fragebogen "
                                        f"{aset.questionnaire.id!r}, nicht {qn.id!r}.",
                                        hint="--questionnaire weglassen oder passend angeben.")
                    change = reconcile(qn, aset)
                    session = Session(qn, aset, answers)
                    if aset.migration is not None:  # carried forward on loading
                        fe.say(aset.migration.summary(), indent=2)
                        session.save()
                    if change is not None:
                        _report_change(fe, change, qn)
                        session.save()
                    fe.say(f"Fortsetzung: {aset.municipality.name}, "
                           f"{session.counts().sentence()} ({qn.id} {qn.version}).")
                else:
                    qn = resolve_questionnaire(questionnaire, questionnaires_dir)
                    muni, iv = _ask_master_data(fe, kommune)
                    path = answers or Path(file_name_for(muni.name))
                    if not path.exists():
                        locks.enter_context(interview_lock(path, notices))
                    if path.exists():
                        raise UserError(f"{display_path(path)} existiert bereits.",
                                        hint=_resume_hint(path, questionnaire,
                                                          questionnaires_dir))
                    session = Session(qn, new_answer_set(qn, muni, iv), path)
                    session.save()
                    fe.say(f"Antwortdatei: {display_path(path)} (jede Antwort wird sofort "
                           "gespeichert).")
                session.start()
                outcome = driver.run(session, fe)
            except (EndOfInput, KeyboardInterrupt):
                outcome = "paused"
            except ChangedOnDisk as exc:
                raise UserError(
                    f"{display_path(exc.path)} wurde außerhalb dieses Interviews geändert (von "
                    "Hand oder von einem anderen Programm). Damit nichts überschrieben wird, "
                    "ist die letzte Eingabe nicht gespeichert; alles davor steht in der Datei.",
                    hint=_resume_hint(exc.path, questionnaire, questionnaires_dir)) from None
            if session is None:
                err_console.print("Abgebrochen; es wurde nichts gespeichert.")
                raise typer.Exit(130)
            assert session.path is not None
            if outcome == "paused":
                err_console.print(f"{session.counts().sentence()}, alles gespeichert.",
                                  highlight=False)
                hint = _resume_hint(session.path, questionnaire, questionnaires_dir)
                err_console.print(esc(hint), highlight=False, soft_wrap=True)
                if archive_target(archive, archive_file) is not None:
                    err_console.print("Ins Archiv kommt die Bewertung, wenn das Interview "
                                      "abgeschlossen ist (beim Fortsetzen wieder --archive).",
                                      highlight=False)
                return
            _finish(session)
            if archive_target(archive, archive_file) is not None:
                from dataclasses import replace

                from ozgkompass.app.assess import score_interview
                from ozgkompass.cli.archive import archive_one

                scored = score_interview(session.qn, session.aset, catalogue="kommunal")
                scored = replace(scored, answers_file=str(session.path))
                archive_one(archive, archive_file, scored, session.aset)

    @app.command("new-answers")
    def new_answers(
        questionnaire: Annotated[str, typer.Argument(
            help="Fragebogen-ID (z. B. ozg-kommune) oder -Datei.")],
        kommune: Annotated[str | None, typer.Option(
            "--kommune", "-k", help="Name der Kommune (mit --ars aus dem "
            "Gemeindeverzeichnis).")] = None,
        ars: Annotated[str | None, typer.Option(
            "--ars", help="Regionalschlüssel: Name, Typ, Land, Kreis und Einwohnerzahl aus "
            "dem Gemeindeverzeichnis (ozgkompass gemeinden import).")] = None,
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", dir_okay=False,
            help="Zieldatei (Standard: aus dem Namen der Kommune).")] = None,
        force: Annotated[bool, typer.Option("--force", help="Vorhandene Datei "
                                            "überschreiben.")] = False,
        questionnaires_dir: QuestionnairesDirOpt = None,
    ) -> None:
        """Legt eine leere, gültige Antwortdatei an; jede Frage steht als Kommentar darin."""
        from ozgkompass.fsutil import atomic_write_text, refuse_overwrite
        from ozgkompass.interview.blank import blank_answers, file_name_for, new_answer_set
        from ozgkompass.model.answers import Interview, Municipality

        if ars is not None:
            from ozgkompass.masterdata.gv100ad import municipality_for

            municipality = municipality_for(ars, kommune)
        elif kommune is None or not kommune.strip():
            raise UserError("--kommune fehlt oder ist leer; bitte den Namen der Kommune "
                            "angeben.", hint="Oder --ars mit dem Regionalschlüssel, wenn das "
                            "Gemeindeverzeichnis importiert ist.")
        else:
            municipality = Municipality(kommune.strip())
        qn = resolve_questionnaire(questionnaire, questionnaires_dir)
        target = output or Path(file_name_for(municipality.name))
        refuse_overwrite(target, [], force)
        aset = new_answer_set(qn, municipality, Interview(dt.date.today().isoformat()))
        atomic_write_text(target, blank_answers(qn, aset))
        console.print(f"{esc(display_path(target))}: {len(qn.questions)} Fragen aus "
                      f"{esc(qn.id)} {esc(qn.version)} als Kommentare.", highlight=False)
        console.print(f"Ausfüllen, dann: {esc(program())} score {esc(_shown(target))}",
                      highlight=False, soft_wrap=True)


def _report_change(fe: Any, change: Any, qn: Any) -> None:
    fe.say(f"Der Fragebogen hat sich geändert (Version {change.old_version or '?'} → "
           f"{change.new_version}).")
    if change.removed:
        fe.say(f"  Entfallene Fragen: {', '.join(change.removed)}")
    if change.changed:
        from ozgkompass.interview.driver import short_text

        fe.say("  Geänderte Fragen (Antwort passt nicht mehr, wird neu gefragt):")
        for qid in change.changed:
            q = qn.question(qid)
            fe.say(f"    – {short_text(q) if q else qid}")
    if change.any:
        fe.say("  Die alten Antworten bleiben in der Datei unter `superseded_answers` und "
               "werden nicht gewertet.")
    else:
        fe.say("  Alle bisherigen Antworten passen weiterhin; neue Fragen werden gestellt.")


def _finish(session: Any) -> None:
    from ozgkompass.app.assess import score_interview
    from ozgkompass.cli import render

    path = session.path
    result = score_interview(session.qn, session.aset)
    if any(i.severity == "error" for i in result.issues):
        raise DataError(result.issues, f"Die Antworten in {display_path(path)} sind gespeichert, "
                        "lassen sich aber nicht bewerten.")
    render.assessment_summary(result)
    shown, prog = _shown(path), program()
    console.print("\nWeiter mit:", highlight=False)
    for cmd in (f"{prog} score {shown}",
                f"{prog} explain {shown}",
                f"{prog} interview --answers {shown}   (Antworten ändern)"):
        console.print(f"  {esc(cmd)}", highlight=False, soft_wrap=True)
