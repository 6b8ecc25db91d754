"""ozgkompass: OZG-Reifegradanalyse für Kommunen."""

__version__ = "0.1.0"
