"""`questionnaires`: list the questionnaires; `questionnaires show ID`: their questions."""

from __future__ import annotations

from typing import Annotated

import typer

from ozgkompass.cli.german import GermanGroup
from ozgkompass.cli.options import QuestionnairesDirOpt
from ozgkompass.cli.output import console, dump_json, esc, simple_table

app = typer.Typer(help="Eingebaute und eigene Fragebögen anzeigen.",
                  invoke_without_command=True, no_args_is_help=False, cls=GermanGroup)



@app.callback()
def list_questionnaires_cmd(
    ctx: typer.Context,
    questionnaires_dir: QuestionnairesDirOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben.")] = False,
) -> None:
    """Listet die eingebauten und eigenen Fragebögen (Fragen: questionnaires show ID)."""
    if ctx.invoked_subcommand is not None:
        return
    from ozgkompass.model.registry import list_questionnaires

    entries = list_questionnaires(questionnaires_dir)
    if json_out:
        dump_json([{"id": e.questionnaire.id if e.questionnaire else None,
                    "version": e.questionnaire.version if e.questionnaire else None,
                    "title": e.questionnaire.title.de if e.questionnaire else None,
                    "questions": len(e.questionnaire.questions) if e.questionnaire else None,
                    "valid": e.questionnaire is not None, "origin": e.origin,
                    "path": e.path} for e in entries])
        return
    rows: list[list[object]] = []
    for e in entries:
        q = e.questionnaire
        if q is None:
            n = sum(i.severity == "error" for i in e.issues)
            rows.append(["?", "?", f"fehlerhaft ({n} Problem(e), siehe validate)", "",
                         e.origin, e.path])
        else:
            rows.append([q.id, q.version, q.title.de, len(q.questions), e.origin, e.path])
    console.print(simple_table("Fragebögen", ["ID", "Version", "Titel", "Fragen", "Herkunft",
                                              "Datei"], rows))


@app.command()
def show(
    questionnaire: Annotated[str, typer.Argument(help="Fragebogen-ID oder -Datei.")],
    json_out: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben.")] = False,
    questionnaires_dir: QuestionnairesDirOpt = None,
) -> None:
    """Zeigt Bereiche, Fragen-IDs, Texte, Typen und Optionen (zum Ausfüllen von Hand)."""
    from ozgkompass.cli.interview import resolve_questionnaire
    from ozgkompass.interview.blank import describe_values

    qn = resolve_questionnaire(questionnaire, questionnaires_dir)
    if json_out:
        dump_json({"id": qn.id, "version": qn.version, "hash": qn.hash, "title": qn.title.de,
                   "areas": [{"id": a.id, "title": a.title.de, "questions": [
                       {"id": q.id, "text": q.text.de, "type": q.type.value,
                        "required": q.required, "na_allowed": q.na_allowed,
                        "when": q.when.source if q.when else None,
                        "options": [{"value": o.value, "label": o.label.de}
                                    for o in q.effective_options()],
                        **({"min": q.min, "max": q.max} if q.min is not None else {}),
                        **({"unit": q.unit} if q.unit else {})}
                       for q in a.questions]} for a in qn.areas]})
        return
    console.print(f"[bold]{esc(qn.title.de)}[/bold] ({esc(qn.id)} {esc(qn.version)}, "
                  f"{len(qn.questions)} Fragen)", highlight=False)
    for a in qn.areas:
        console.print(f"\n[bold]{esc(a.title.de)}[/bold] ({esc(a.id)})", highlight=False)
        for q in a.questions:
            console.print(f"  [cyan]{esc(q.id)}[/cyan] ({q.type.value}) {esc(q.text.de)}",
                          highlight=False)
            if q.when is not None:
                console.print(f"    nur wenn {esc(q.when.source)}", highlight=False)
            for o in q.effective_options():
                console.print(f"    {esc(o.value)}: {esc(o.label.de)}", highlight=False)
            if q.type.value in ("scale", "number", "text"):
                console.print(f"    {esc(describe_values(q))}", highlight=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="questionnaires")
