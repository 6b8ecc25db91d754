"""Errors and collected problems.

The core never prints and never exits: it raises `UserError` for a problem the user can fix
and returns lists of `Issue` for problems found in input data. Only the CLI turns them into
terminal output and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ozgkompass.issue_codes import IssueCode


class OzgError(Exception):
    """Root of all ozgkompass exceptions."""


class UserError(OzgError):
    """A problem the user can fix: the message says what is wrong, where, and what to do."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


@dataclass(frozen=True)
class Location:
    """Where a problem is: file plus line/column (1-based), or sheet/cell, or CSV row."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"Blatt {self.sheet!r}")
        if self.cell:
            parts.append(f"Zelle {self.cell}")
        if self.row is not None:
            parts.append(f"Zeile {self.row}")
        if self.line is not None:
            pos = f"{self.line}:{self.column}" if self.column is not None else f"{self.line}"
            return ":".join([*parts, pos]) if parts else pos
        return ", ".join(parts) if parts else "?"

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Issue:
    """One problem found in input data. `code` is stable (for scripts; the catalogue of codes
    is `IssueCode`, listed in docs/issue-codes.md), `message` German."""

    code: IssueCode
    message: str
    location: Location = field(default_factory=Location)
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": str(self.code),
            "severity": self.severity,
            "message": self.message,
            "location": self.location.to_dict(),
        }


class DataError(UserError):
    """Input data has problems; carries every issue found, not only the first."""

    def __init__(self, issues: list[Issue], summary: str | None = None) -> None:
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(summary or f"{len(errors)} Problem(e) gefunden.")


def display_path(path: Path | str) -> str:
    """A path as the user typed it or relative to the working directory when shorter."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
        return str(rel)
    except (ValueError, OSError):
        return str(p)
