"""Top-level commands: demo, validate, score, explain, schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli import render
from ozgkompass.cli.errors import EXIT_PROBLEMS, EXIT_USAGE, handle_errors
from ozgkompass.cli.output import console, dump_json, err_console, print_issues, simple_table
from ozgkompass.errors import DataError, Issue, Location, UserError, display_path

QuestionnaireOpt = Annotated[
    Path | None,
    typer.Option("--questionnaire", "-q", help="Fragebogen-Datei (statt Suche nach der ID).",
                 dir_okay=False),
]
QuestionnairesDirOpt = Annotated[
    Path | None,
    typer.Option("--questionnaires-dir", envvar="OZGKOMPASS_QUESTIONNAIRES", file_okay=False,
                 help="Ordner mit eigenen Fragebögen (auch per OZGKOMPASS_QUESTIONNAIRES)."),
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Reifegradmodell: reifegrad-1.1 (Standard), "
                 "reifegrad-1.1-leitfaden (Bescheid digital ab Stufe 3), reifegrad-2.0 "
                 "oder Pfad zu einer Modelldatei."),
]
CatalogueOpt = Annotated[
    str | None,
    typer.Option("--catalogue", "-c", help="OZG-Katalog, gegen den bewertet wird: `kommunal` "
                 "(eingebaut, Standard), ID eines importierten Katalogs oder Pfad."),
]
NoCatalogueOpt = Annotated[
    bool,
    typer.Option("--no-catalogue", help="Nur den Fragebogen bewerten, keine OZG-Leistungen."),
]
TargetOpt = Annotated[
    int | None,
    typer.Option("--target", "-t", help="Zielstufe für alle Leistungen (Standard: OZG-konforme "
                 "Stufe; SDG-Anhang-II-Leistungen: Once-Only-Stufe)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Vollständiges Ergebnis als JSON ausgeben.")]


def _score(answers: Path | None, questionnaire: Path | None, questionnaires_dir: Path | None,
           model: str | None, catalogue: str | None, target: int | None, *,
           builtin_example: Any = None) -> Any:
    from ozgkompass.model.maturity import get_model
    from ozgkompass.model.questionnaire import load_questionnaire
    from ozgkompass.model.registry import find_questionnaire, load_answer_set
    from ozgkompass.scoring.catalogue import score_answers

    if builtin_example is not None:
        aset = load_answer_set(builtin_example, builtin=True)
    else:
        aset = load_answer_set(answers)  # type: ignore[arg-type]
    if questionnaire is not None:
        qn = load_questionnaire(questionnaire)
    else:
        qn = find_questionnaire(aset.questionnaire.id, aset.questionnaire.version,
                                questionnaires_dir)
    mm = get_model(model or qn.maturity_model)
    cat = None
    if catalogue is not None:
        from ozgkompass.catalogue.store import resolve_catalogue

        cat = resolve_catalogue(catalogue)
        if target is not None and not mm.lowest_level <= target <= mm.highest_level:
            raise UserError(f"--target {target} liegt außerhalb der Stufen von {mm.id} "
                            f"({mm.lowest_level}–{mm.highest_level}).")
    from ozgkompass.observed.compare import observed_today

    # a cached retrieval of the Dashboard Digitale Verwaltung fills `today` where the
    # answers say nothing (docs/scoring.md §6a); offline, from the cache only
    observed = observed_today(aset.municipality, cat)
    result = score_answers(qn, aset, mm, cat, target=target, with_successor=True,
                           observed=observed)
    if any(i.severity == "error" for i in result.issues):
        raise DataError(result.issues, f"Die Antworten in {aset.path} passen nicht zum "
                        f"Fragebogen {qn.id} {qn.version}; bitte korrigieren und erneut bewerten.")
    return result


def _projection(answers: Path, plan_file: Path, questionnaire: Path | None,
                questionnaires_dir: Path | None, model: str | None, catalogue: str | None,
                target: int | None = None) -> tuple[Any, list[Issue]]:
    """A plan file's phases projected on today's answers (`plan`, `report --plan`); the
    plan's answers are checked like an answers file, located in the plan file."""
    from ozgkompass.model.maturity import get_model
    from ozgkompass.model.plan import load_plan
    from ozgkompass.model.questionnaire import load_questionnaire
    from ozgkompass.model.registry import find_questionnaire, load_answer_set
    from ozgkompass.scoring.plan import check_plan, project

    aset = load_answer_set(answers)
    pl, issues = load_plan(plan_file)
    if pl is None:
        raise DataError(issues, f"Plandatei {plan_file} ist fehlerhaft.")
    qn = (load_questionnaire(questionnaire) if questionnaire is not None else
          find_questionnaire(aset.questionnaire.id, aset.questionnaire.version,
                             questionnaires_dir))
    issues = check_plan(qn, aset, pl)
    if any(i.severity == "error" for i in issues):
        raise DataError(issues, f"Die geplanten Antworten in {plan_file} passen nicht zum "
                        f"Fragebogen {qn.id} {qn.version}; bitte korrigieren.")
    cat = None
    if catalogue is not None:
        from ozgkompass.catalogue.store import resolve_catalogue

        cat = resolve_catalogue(catalogue)
    return project(qn, aset, pl, get_model(model or qn.maturity_model), cat, target), issues


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def demo(
        json_out: JsonOpt = False,
        catalogue: CatalogueOpt = "kommunal",
        out: Annotated[Path, typer.Option("--out", "-o", file_okay=False,
                                          help="Ordner für die Beispielberichte.")]
        = Path("reports") / "demo",
        force: Annotated[bool, typer.Option("--force",
                                            help="Vorhandene Beispielberichte ersetzen.")]
        = False,
    ) -> None:
        """Bewertet die eingebaute Beispielkommune (Stadt Falkenberg), zeigt das Ergebnis und
        schreibt ihre Berichte (Excel, HTML, Kurzfassung) nach reports/demo/."""
        from ozgkompass.model.registry import DEMO_EXAMPLE, builtin_examples

        example = next((e for e in builtin_examples() if e.name == DEMO_EXAMPLE), None)
        if example is None:
            raise UserError("Die eingebaute Beispielkommune fehlt in dieser Installation.",
                            hint="ozgkompass neu installieren.")
        result = _score(None, None, None, None, catalogue, None, builtin_example=example)
        if json_out:
            dump_json(result.to_dict())
            return
        render.assessment_summary(result)
        from ozgkompass.cli.report import write_demo_reports

        write_demo_reports(result, out, force)
        console.print("\n[dim]Beispieldaten: fiktive Stadt. Eigene Antworten bewerten: "
                      "ozgkompass score DATEI.answers.yaml[/dim]")

    @app.command()
    @handle_errors
    def validate(
        files: Annotated[list[Path], typer.Argument(metavar="DATEI…",
                                                    help="Fragebögen und/oder Antwortdateien.",
                                                    dir_okay=False)],
        questionnaires_dir: QuestionnairesDirOpt = None,
        json_out: Annotated[bool, typer.Option("--json", help="Probleme als JSON.")] = False,
        strict: Annotated[bool, typer.Option("--strict",
                                             help="Warnungen wie Fehler behandeln.")] = False,
    ) -> None:
        """Prüft Fragebögen und Antwortdateien und meldet alle Probleme mit Datei, Zeile und Spalte.

        Exit-Code 0: gültig; 1: Probleme gefunden; 2: eine Datei fehlt oder ist nicht lesbar.
        """
        all_issues: list[Issue] = []
        results: list[dict[str, Any]] = []
        unreadable = False
        for path in files:
            issues, kind = _validate_one(path, questionnaires_dir)
            unreadable |= kind == "?"
            all_issues.extend(issues)
            errors = sum(i.severity == "error" or strict for i in issues)
            results.append({"file": display_path(path), "kind": kind, "valid": errors == 0,
                            "errors": errors,
                            "warnings": sum(i.severity == "warning" for i in issues)})
        if json_out:
            dump_json({"files": results, "issues": [i.to_dict() for i in all_issues]})
        else:
            print_issues(all_issues)
            console.print(simple_table("Prüfergebnis", ["Datei", "Art", "Ergebnis", "Warnungen"], [
                [r["file"], r["kind"], "gültig" if r["valid"] else f"{r['errors']} Problem(e)",
                 r["warnings"]] for r in results]))
        if unreadable:  # a missing or unreadable file is a usage error (README: exit codes)
            raise typer.Exit(EXIT_USAGE)
        if any(i.severity == "error" or strict for i in all_issues):
            raise typer.Exit(EXIT_PROBLEMS)

    @app.command()
    @handle_errors
    def score(
        answers: Annotated[Path, typer.Argument(metavar="ANTWORTDATEI", help="Antwortdatei (YAML).",
                                                dir_okay=False)],
        questionnaire: QuestionnaireOpt = None,
        questionnaires_dir: QuestionnairesDirOpt = None,
        model: ModelOpt = None,
        catalogue: CatalogueOpt = None,
        no_catalogue: NoCatalogueOpt = False,
        target: TargetOpt = None,
        strict: Annotated[bool, typer.Option(
            "--strict", help="Hinweise (z. B. andere Fragebogen-Version) wie Fehler behandeln: "
            "Exit-Code 1.")] = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Bewertet eine Antwortdatei: Index, Bereiche, Kriterien, OZG-Leistungen, Schritte.

        Ohne --catalogue gegen den eingebauten Katalog (kommunal); --no-catalogue lässt die
        OZG-Leistungen weg.
        """
        if no_catalogue and (catalogue is not None or target is not None):
            raise UserError("--no-catalogue passt nicht zu --catalogue oder --target.",
                            hint="Eine der Optionen weglassen.")
        result = _score(answers, questionnaire, questionnaires_dir, model,
                        None if no_catalogue else (catalogue or "kommunal"), target)
        if json_out:
            dump_json(result.to_dict())
        else:
            render.assessment_summary(result)
        if strict and any(i.severity == "warning" for i in result.issues):
            raise typer.Exit(EXIT_PROBLEMS)

    @app.command()
    @handle_errors
    def explain(
        answers: Annotated[Path, typer.Argument(metavar="ANTWORTDATEI", help="Antwortdatei (YAML).",
                                                dir_okay=False)],
        area: Annotated[str | None, typer.Option("--area", "-a",
                                                 help="Bereich erklären (ID).")] = None,
        question: Annotated[str | None, typer.Option("--question",
                                                     help="Frage erklären (ID).")] = None,
        criterion: Annotated[str | None, typer.Option("--criterion",
                                                      help="Kriterium erklären (ID).")] = None,
        service: Annotated[str | None, typer.Option(
            "--service", help="OZG-Leistung erklären (OZG-ID).")] = None,
        questionnaire: QuestionnaireOpt = None,
        questionnaires_dir: QuestionnairesDirOpt = None,
        model: ModelOpt = None,
        catalogue: CatalogueOpt = None,
        target: TargetOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Zeigt, wie eine Zahl zustande kommt: welche Antworten, Gewichte und Ausschlüsse.

        Ohne Option: der Gesamtindex aus den Bereichen.
        """
        chosen = [name for name, value in (("--area", area), ("--question", question),
                                           ("--criterion", criterion), ("--service", service))
                  if value]
        if len(chosen) > 1:
            raise UserError(f"Nur eine Zahl auf einmal erklären: {' und '.join(chosen)} "
                            "zusammen geht nicht.", hint="Eine der Optionen weglassen.")
        result = _score(answers, questionnaire, questionnaires_dir, model,
                        catalogue or "kommunal", target)
        if json_out:
            dump_json(render.explanation_data(result, area=area, question=question,
                                              criterion=criterion, service=service))
            return
        if question:
            render.explain_question(result, question)
        elif area:
            render.explain_area(result, area)
        elif criterion:
            render.explain_criterion(result, criterion)
        elif service:
            render.explain_service(result, service)
        else:
            render.explain_overall(result)

    @app.command()
    @handle_errors
    def schema() -> None:
        """Zeigt, wo das JSON-Schema für Fragebögen liegt (für Editoren)."""
        from importlib import resources

        path = resources.files("ozgkompass") / "data" / "schemas" / "questionnaire.schema.json"
        console.print(str(path), highlight=False, soft_wrap=True)
        err_console.print("[dim]In einem Fragebogen als erste Zeile: "
                          "# yaml-language-server: $schema=<Pfad>[/dim]")


def _validate_one(path: Path, questionnaires_dir: Path | None) -> tuple[list[Issue], str]:
    from ozgkompass.model.answers import check_answers, is_answers, parse_answers
    from ozgkompass.model.questionnaire import is_questionnaire, parse_questionnaire
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.yamlio import load_yaml

    try:
        doc = load_yaml(path)
    except UserError as exc:  # the message already names the file
        shown = display_path(path)
        text = str(exc).removeprefix(f"{shown}: ")
        return [Issue("file", text, Location(shown))], "?"
    if doc.data is None or is_questionnaire(doc.data) or not is_answers(doc.data):
        _, issues = parse_questionnaire(doc)
        return issues, "Fragebogen"
    aset, issues = parse_answers(doc)
    if aset is None:
        return issues, "Antworten"
    from ozgkompass.model.registry import migrated

    if migrated(aset) is not None:
        issues.append(aset.issues[-1])
    try:
        qn = find_questionnaire(aset.questionnaire.id, aset.questionnaire.version,
                                questionnaires_dir)
    except UserError as exc:
        return [*issues, Issue("questionnaire", str(exc), Location(doc.path))], "Antworten"
    from ozgkompass.masterdata.gv100ad import check_answer_set

    return [*issues, *check_answers(qn, aset).issues, *check_answer_set(aset)], "Antworten"
