"""Definitions (questionnaire, answers, catalogue, Reifegrad model): dataclasses, loaders."""
