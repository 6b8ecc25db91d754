"""The OZG catalogue: loading, importing official exports, the local store and FIM updates."""
