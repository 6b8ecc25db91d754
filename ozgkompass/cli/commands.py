"""Top-level commands: demo, validate, score, explain, schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ozgkompass.cli import render
from ozgkompass.cli.errors import EXIT_PROBLEMS, EXIT_USAGE
from ozgkompass.cli.options import (
    CatalogueOpt,
    JsonOpt,
    ModelOpt,
    NoCatalogueOpt,
    QuestionnaireOpt,
    QuestionnairesDirOpt,
    TargetOpt,
    choice,
)
from ozgkompass.cli.output import console, dump_json, err_console, print_issues, simple_table
from ozgkompass.errors import Issue, UserError, display_path


def register(app: typer.Typer) -> None:
    @app.command()
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
        from ozgkompass.app.assess import demo_example, score_example

        example = demo_example()
        if example is None:
            raise UserError("Die eingebaute Beispielkommune fehlt in dieser Installation.",
                            hint="ozgkompass neu installieren.")
        result = score_example(example, choice(catalogue=catalogue))
        if json_out:
            dump_json(result.to_dict())
            return
        render.assessment_summary(result)
        from ozgkompass.cli.report import write_demo_reports

        write_demo_reports(result, out, force)
        console.print("\n[dim]Beispieldaten: fiktive Stadt. Eigene Antworten bewerten: "
                      "ozgkompass score DATEI.answers.yaml[/dim]")

    @app.command()
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
        from ozgkompass.app.checks import check_file

        all_issues: list[Issue] = []
        results: list[dict[str, Any]] = []
        unreadable = False
        for path in files:
            issues, kind = check_file(path, questionnaires_dir)
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
        from ozgkompass.app.assess import score_file

        result = score_file(answers, choice(questionnaire, questionnaires_dir, model,
                                            None if no_catalogue else (catalogue or "kommunal"),
                                            target))
        if json_out:
            dump_json(result.to_dict())
        else:
            render.assessment_summary(result)
        if strict and any(i.severity == "warning" for i in result.issues):
            raise typer.Exit(EXIT_PROBLEMS)

    @app.command()
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
        from ozgkompass.app.assess import score_file
        from ozgkompass.app.explain import explain as explain_number
        from ozgkompass.app.explain import explanation_data, one_number

        asked = {"area": area, "question": question, "criterion": criterion,
                 "service": service}
        one_number(**asked)  # a usage error before anything is scored
        result = score_file(answers, choice(questionnaire, questionnaires_dir, model,
                                            catalogue or "kommunal", target))
        if json_out:
            dump_json(explanation_data(result, **asked))
            return
        render.explanation(explain_number(result, **asked))

    @app.command()
    def schema() -> None:
        """Zeigt, wo das JSON-Schema für Fragebögen liegt (für Editoren)."""
        from importlib import resources

        path = resources.files("ozgkompass") / "data" / "schemas" / "questionnaire.schema.json"
        console.print(str(path), highlight=False, soft_wrap=True)
        err_console.print("[dim]In einem Fragebogen als erste Zeile: "
                          "# yaml-language-server: $schema=<Pfad>[/dim]")
