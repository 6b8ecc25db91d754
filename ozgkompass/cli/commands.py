"""Top-level commands: demo, validate, score, explain, questionnaires."""

from __future__ import annotations

import typer

from ozgkompass.cli.errors import handle_errors


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def demo() -> None:
        """Bewertet die eingebaute Beispielkommune und zeigt das Ergebnis."""
        typer.echo("demo folgt")
