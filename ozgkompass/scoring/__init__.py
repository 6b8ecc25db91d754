"""Scoring: pure functions from definitions and answers to one `Assessment`."""
