"""The assessment archive: every scored assessment with its answers, versions and results in
one SQLite file (docs/archive.md). The answers files stay the source of truth."""

from ozgkompass.archive.store import add_assessment

__all__ = ["add_assessment"]
