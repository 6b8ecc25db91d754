"""Terminal output helpers shared by all commands (only the CLI prints)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ozgkompass.errors import Issue

_consoles: dict[bool, Console] = {}


class _LazyConsole:
    """A Rich console created on first use and anew for every command (`reset_consoles`), so
    that it reads COLUMNS, NO_COLOR and FORCE_COLOR when the command runs, not at import."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)

    def current(self) -> Console:
        """The real console (for Rich objects that need one, such as a progress bar)."""
        found = _consoles.get(self._stderr)
        if found is None:
            found = _consoles[self._stderr] = Console(stderr=self._stderr)
        return found


console: Console = _LazyConsole(stderr=False)  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]


def reset_consoles() -> None:
    """Forget the consoles: the next output creates them from the current environment."""
    _consoles.clear()


def esc(value: object) -> str:
    """User data in Rich output: square brackets are text, never markup."""
    return escape("" if value is None else str(value))


def print_issues(issues: list[Issue], *, as_json: bool = False, title: str | None = None) -> None:
    """Show collected problems: one line each, located, most important first."""
    if as_json:
        console.print_json(json.dumps([i.to_dict() for i in issues], ensure_ascii=False))
        return
    if title:
        err_console.print(f"[bold]{title}[/bold]")
    from collections import Counter

    from ozgkompass.model.common import MAX_PER_KIND

    shown: Counter[str] = Counter()
    total = Counter(i.code for i in issues)
    for issue in issues:
        shown[issue.code] += 1
        if shown[issue.code] > MAX_PER_KIND:
            if shown[issue.code] == MAX_PER_KIND + 1:
                err_console.print(
                    f"… und {total[issue.code] - MAX_PER_KIND} weitere Probleme dieser Art "
                    f"({esc(issue.code)}); alle mit --json.", highlight=False, soft_wrap=True)
            continue
        style = "red" if issue.severity == "error" else "yellow"
        label = "Fehler" if issue.severity == "error" else "Warnung"
        err_console.print(
            f"[{style}]{label}[/{style}] {esc(issue.location)}: {esc(issue.message)}",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )


def dump_json(data: Any) -> None:
    """Machine-readable output goes to stdout unformatted by Rich (safe for pipes)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def simple_table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*[("" if v is None else str(v)) for v in row])
    return table
