"""Where catalogues live: the built-in one and those imported or downloaded by the user.

Imported and downloaded catalogues are kept in `data_dir()/catalogues/<id>.json` (or .yaml);
a command's `--catalogue` takes the built-in id, a store id or a file path.
"""

from __future__ import annotations

from pathlib import Path

from ozgkompass.errors import OzgError, UserError
from ozgkompass.model.catalogue import (
    BUILTIN_ID,
    Catalogue,
    builtin_catalogue,
    load_catalogue,
)
from ozgkompass.paths import data_dir

CATALOGUE_SUBDIR = "catalogues"
BUILTIN_REFS = (BUILTIN_ID, "builtin", "eingebaut")
STORE_SUFFIXES = (".json", ".yaml", ".yml")


def catalogues_dir() -> Path:
    return data_dir() / CATALOGUE_SUBDIR


def store_path(catalogue_id: str) -> Path:
    """Where `catalogue import` writes a catalogue with this id."""
    return catalogues_dir() / f"{catalogue_id}.json"


def stored_ids() -> dict[str, Path]:
    """Catalogue ids in the store → file (JSON preferred when both exist)."""
    folder = catalogues_dir()
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for suffix in STORE_SUFFIXES:
        for path in sorted(folder.glob(f"*{suffix}")):
            if path.name.startswith("."):
                continue  # half-written temporary files
            found.setdefault(path.stem, path)
    return found


def _looks_like_path(ref: str) -> bool:
    return any(sep in ref for sep in ("/", "\\")) or ref.lower().endswith(STORE_SUFFIXES)


def resolve_catalogue(ref: str | None) -> Catalogue:
    """The catalogue a user named: None/"kommunal"/"builtin", a file path, or a store id."""
    if ref is None or ref.strip().lower() in BUILTIN_REFS:
        return builtin_catalogue()
    ref = ref.strip()
    path = Path(ref).expanduser()
    if path.is_file():
        return load_catalogue(path)
    stored = stored_ids()
    if ref in stored:
        return load_catalogue(stored[ref])
    if path.is_dir():
        raise UserError(f"{ref} ist ein Ordner, keine Katalogdatei.",
                        hint="Den Pfad zur Katalogdatei (.yaml oder .json) angeben oder die ID "
                        "eines importierten Katalogs (`ozgkompass catalogue list`).")
    if _looks_like_path(ref):
        raise UserError(f"{ref}: Katalogdatei nicht gefunden.", hint="Pfad prüfen.")
    available = [BUILTIN_ID, *sorted(stored)]
    raise UserError(
        f"Katalog {ref!r} nicht gefunden. Verfügbar: {', '.join(available)}.",
        hint="Einen Dateipfad angeben oder mit `ozgkompass catalogue import` einen Katalog "
        "importieren; `ozgkompass catalogue list` zeigt alle.",
    )


def list_catalogues() -> list[tuple[str, str, str, int]]:
    """(id, version, path or "eingebaut", number of OZG-Leistungen) for every catalogue.

    A catalogue that cannot be read is listed with its problem as version and count 0.
    """
    rows: list[tuple[str, str, str, int]] = []
    try:
        builtin = builtin_catalogue()
        rows.append((builtin.id, builtin.version, "eingebaut", len(builtin.services)))
    except OzgError as exc:
        rows.append((BUILTIN_ID, f"nicht lesbar: {exc}", "eingebaut", 0))
    for cat_id, path in sorted(stored_ids().items()):
        try:
            cat = load_catalogue(path)
            rows.append((cat.id, cat.version, str(path), len(cat.services)))
        except OzgError as exc:
            rows.append((cat_id, f"nicht lesbar: {exc}", str(path), 0))
    return rows
