"""`ozgkompass catalogue …`: import, show, search, stats, update (placeholder until built)."""

from __future__ import annotations

import typer

app = typer.Typer(help="OZG-Katalog: importieren, anzeigen, durchsuchen, aktualisieren.",
                  no_args_is_help=True)
