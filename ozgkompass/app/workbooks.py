"""Spreadsheets to fill in and filled ones taken over: the template (one, or one per member
of a roster), the import of one filled workbook, and a batch over a folder of them
(`template`, `import`, `batch`; docs/spreadsheets.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozgkompass.errors import UserError, display_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from ozgkompass.model.answers import AnswerSet
    from ozgkompass.model.questionnaire import Questionnaire
    from ozgkompass.sources.batch import BatchConfig, BatchResult
    from ozgkompass.sources.workbook_import import ImportResult as WorkbookImport

__all__ = ["BatchPlan", "MemberTemplates", "finish_round", "import_workbook_answers",
           "member_templates", "plan_batch", "run_planned_batch", "write_imported",
           "write_template"]


def _lookup(questionnaires_dir: Path | None) -> Callable[[str, str | None], Questionnaire]:
    from ozgkompass.model.registry import find_questionnaire

    return lambda qid, version: find_questionnaire(qid, version, questionnaires_dir)


def write_template(out: Path, questionnaire: str, questionnaires_dir: Path | None, *,
                   force: bool = False, ars: str | None = None) -> Questionnaire:
    """Write the workbook to fill in for a questionnaire id (`ars`: master data from the
    Gemeindeverzeichnis filled in); the questionnaire it was written for."""
    from ozgkompass.fsutil import atomic_write_bytes, refuse_overwrite
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.template import build_template

    if out.suffix.lower() != ".xlsx":
        raise UserError(f"{display_path(out)}: die Vorlage wird als .xlsx geschrieben.",
                        hint="Einen Dateinamen mit der Endung .xlsx angeben.")
    refuse_overwrite(out, [], force)
    qn = find_questionnaire(questionnaire, None, questionnaires_dir)
    data = build_template(qn)
    if ars is not None:
        from ozgkompass.masterdata.gv100ad import municipality_for
        from ozgkompass.sources.template import prefill_master

        data = prefill_master(data, municipality_for(ars))
    atomic_write_bytes(out, data)
    return qn


@dataclass(frozen=True, slots=True)
class MemberTemplates:
    questionnaire: Questionnaire
    folder: Path
    written: list[Path]
    prefilled: int  # with the answers of the member's last archived round


def member_templates(members_file: Path, out_dir: Path | None, questionnaire: str,
                     questionnaires_dir: Path | None, *, force: bool = False,
                     return_to: str | None = None, deadline: str | None = None,
                     archive: Path | None = None) -> MemberTemplates:
    """One workbook per member of a roster, master data filled in and locked; `archive`:
    the last archived answers of each member filled in too."""
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.sources.roster import read_members, template_name, write_member_templates
    from ozgkompass.sources.workbook_import import date_value

    if out_dir is None:
        raise UserError("Mit --members wird ein Ordner für die Mappen gebraucht.",
                        hint="--out-dir ORDNER angeben.")
    if deadline is not None:
        iso, problem = date_value(deadline)
        if problem or iso is None:
            raise UserError(f"--deadline: {problem or 'kein Datum'}")
        deadline = f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}"
    members = read_members(members_file)
    qn = find_questionnaire(questionnaire, None, questionnaires_dir)
    there = [out_dir / template_name(m) for m in members if (out_dir / template_name(m)).exists()]
    if there and not force:
        raise UserError(f"{display_path(out_dir)}: enthält schon {len(there)} Mappe(n) dieser "
                        "Mitglieder.", hint="Mit --force überschreiben oder einen anderen "
                        "Ordner wählen.")
    conn = None
    if archive is not None:
        from ozgkompass.app.history import open_archive

        conn = open_archive(archive)
    try:
        written, prefilled = write_member_templates(qn, members, out_dir, return_to=return_to,
                                                    deadline=deadline, conn=conn)
    finally:
        if conn is not None:
            conn.close()
    return MemberTemplates(qn, out_dir, list(written), int(prefilled))


def import_workbook_answers(file: Path, target: Path,
                            questionnaires_dir: Path | None, *,
                            force: bool = False) -> WorkbookImport:
    """Take over a filled workbook (or CSV): the answers and every problem with sheet and
    cell. Refused before reading when `target` exists (unless `force`) or is the input."""
    from ozgkompass.fsutil import refuse_overwrite
    from ozgkompass.sources.workbook_import import import_workbook

    refuse_overwrite(target, [file], force)
    return import_workbook(file, _lookup(questionnaires_dir), display_path(file),
                           contained=True)


def write_imported(answers: AnswerSet, file: Path, target: Path) -> None:
    """Write imported answers as an answers file. What `import` writes, `score` and
    `interview` must read: beyond their size limit (long texts in many cells) it is
    refused before anything is written."""
    from ozgkompass.sources.answers_file import dump_answers, write_answers
    from ozgkompass.yamlio import MAX_BYTES

    size = len(dump_answers(answers).encode("utf-8"))
    if size > MAX_BYTES:
        longest = max(answers.answers.values(), key=lambda a: len(str(a.value or ""))
                      + len(a.note or "") + len(a.source or "") + len(a.reason or ""),
                      default=None)
        where = f" (am längsten: {longest.question_id})" if longest is not None else ""
        raise UserError(f"{display_path(file)}: die Antworten ergäben eine Antwortdatei von "
                        f"{size / 1e6:.1f} MB, mehr als die {MAX_BYTES // (1024 * 1024)} MB, "
                        "die `score` und `interview` lesen; nichts geschrieben.",
                        hint=f"Lange Texte in Antwort, Notiz oder Quelle kürzen{where}.")
    write_answers(target, answers)


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """A checked batch run, before any file is read."""

    config: BatchConfig
    target: Path  # the results folder
    members: list[Any] | None  # the roster (sources.roster.read_members), if given
    archive: Path | None  # where results are archived, if asked


def plan_batch(folder: Path, out: Path | None, *, catalogue: str, model: str | None,
               questionnaires_dir: Path | None, jobs: int | None, resume: bool, force: bool,
               archive: Path | None, members_file: Path | None) -> BatchPlan:
    """Check a batch run before any work: the results folder (never the workbooks' folder,
    never a finished run's unasked), the catalogue and the roster."""
    from ozgkompass.catalogue.store import resolve_catalogue
    from ozgkompass.sources.batch import ANSWERS_DIR, RESULTS_DIR, BatchConfig

    here = folder.resolve()
    target = out or here.parent / f"{here.name}-auswertung"
    if target.resolve() == here or here.is_relative_to(target.resolve() / RESULTS_DIR) \
            or here.is_relative_to(target.resolve() / ANSWERS_DIR):
        raise UserError(f"{display_path(target)}: der Ergebnisordner ist der Ordner der "
                        "Mappen (ein zweiter Lauf läse die Ergebnisse als Eingaben).",
                        hint="Mit --out einen eigenen Ordner wählen, z. B. "
                        f"{display_path(here.parent / (here.name + '-auswertung'))}.")
    earlier = [p for p in (target / "uebersicht.json", target / RESULTS_DIR) if p.exists()]
    if earlier and not (force or resume):  # never overwrite a finished run unasked
        raise UserError(f"{display_path(target)}: enthält schon Ergebnisse eines früheren "
                        "Laufs.", hint="Mit --resume fortsetzen, mit --force überschreiben "
                        "oder mit --out einen anderen Ordner wählen.")
    resolve_catalogue(catalogue)  # a wrong --catalogue is a usage error before any work
    members = None
    if members_file is not None:
        from ozgkompass.sources.roster import read_members

        members = read_members(members_file)  # a bad roster stops before any work
    config = BatchConfig(folder, target, catalogue, model, questionnaires_dir, jobs, resume,
                         archive)
    return BatchPlan(config, target, members, archive)


def run_planned_batch(plan: BatchPlan,
                      progress: Callable[[int, int], None] | None = None) -> BatchResult:
    """Score every workbook of the folder (in parallel; `progress(done, total)`)."""
    from ozgkompass.sources.batch import run_batch

    return run_batch(plan.config, progress)


def finish_round(result: BatchResult, plan: BatchPlan, service_limit: int,
                 decimal_point: bool) -> list[Path]:
    """The Kreise, the member status and the previous round, then the overview files and
    the member tables (each written atomically); the overview files written."""
    from ozgkompass.reports.overview import write_overview
    from ozgkompass.sources.roster import kreis_names, kreis_warnings

    members = plan.members
    result.kreise = kreis_names(members or [], result.records)  # the Kreis from the ARS
    if members is not None:
        from ozgkompass.sources.roster import member_status

        result.members, roster_issues = member_status(result, members)
        result.notes.extend(roster_issues)
    result.notes.extend(kreis_warnings(result, result.kreise))
    if plan.archive is not None:
        from ozgkompass.reports.overview import previous_rounds

        result.previous = previous_rounds(plan.archive, result)
    written: list[Path] = write_overview(result, plan.target, service_limit,
                                         decimal_comma=not decimal_point)
    if members is not None:
        from ozgkompass.sources.roster import write_member_tables

        write_member_tables(plan.target, result.members)
    return written
