"""Observed data: what the Dashboard Digitale Verwaltung lists as online for a
Regionalschlüssel, joined with the catalogue and compared with the answers (docs/observe.md)."""
