"""The OZG catalogue as the user asks about it: import an official export, find a service,
search, count (`catalogue import`, `catalogue show`, `catalogue search`, `catalogue stats`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ozgkompass.errors import UserError, display_path

if TYPE_CHECKING:
    from ozgkompass.catalogue.importer import ImportResult
    from ozgkompass.model.catalogue import Catalogue, OzgService

__all__ = ["RESP_ORDER", "CatalogueStats", "Hit", "ImportedCatalogue", "SearchResult",
           "catalogue_stats", "find_service", "import_into_store", "search_catalogue"]

RESP_ORDER = ("municipal", "possibly_municipal", "not_municipal", "unknown")
SCOPES = ("kommunal", "alle")


@dataclass(frozen=True, slots=True)
class ImportedCatalogue:
    result: ImportResult
    target: Path  # where the catalogue was written


def import_into_store(files: list[Path], *, layout: str | None, mapping: Path | None,
                      catalogue_id: str | None, version: str | None, title: str | None,
                      output: Path | None, force: bool) -> ImportedCatalogue:
    """Import an official export and write it to `output` or the catalogue store; input
    files are never overwritten, an existing catalogue only with `force`."""
    from ozgkompass.catalogue.importer import import_catalogue
    from ozgkompass.catalogue.store import store_path
    from ozgkompass.fsutil import refuse_overwrite
    from ozgkompass.model.catalogue import save_catalogue

    if output is not None and output.suffix.lower() not in (".json", ".yaml", ".yml"):
        raise UserError(f"{display_path(output)}: --output muss auf .json, .yaml oder .yml enden.")
    inputs = [*files, *([mapping] if mapping else [])]
    result = import_catalogue(files, layout=layout, mapping=mapping, catalogue_id=catalogue_id,
                              version=version, title=title)
    target = output if output is not None else store_path(result.catalogue["id"])
    refuse_overwrite(target, inputs, force)
    save_catalogue(result.catalogue, target)
    return ImportedCatalogue(result, target)


def find_service(cat: Catalogue, ozg_id: str) -> OzgService:
    """The service with this OZG-ID; unknown: UserError naming similar ids."""
    import difflib

    svc = cat.get(ozg_id.strip())
    if svc is not None:
        return svc
    close = difflib.get_close_matches(ozg_id.strip(), [s.ozg_id for s in cat.services], n=3,
                                      cutoff=0.6)
    hint = f"Ähnliche OZG-IDs: {', '.join(close)}. " if close else ""
    raise UserError(f"OZG-ID {ozg_id!r} steht nicht im Katalog {cat.id} (Version "
                    f"{cat.version}).",
                    hint=f"{hint}Mit `ozgkompass catalogue search TEXT` suchen.")


@dataclass(frozen=True, slots=True)
class Hit:
    service: OzgService
    where: str  # the field that matched: "OZG-ID", "Name", "LeiKa: …", "LeiKa-Schlüssel: …"


@dataclass(frozen=True, slots=True)
class SearchResult:
    catalogue: Catalogue
    query: str
    hits: tuple[Hit, ...]


def search_catalogue(text: str, catalogue: str | None = None, *,
                     themenfeld: str | None = None, scope: str = "alle") -> SearchResult:
    """Services whose OZG-ID, name, a LeiKa name or LeiKa key holds every word of `text`
    (case-insensitive); `scope` "kommunal": only (possibly) municipally executed ones."""
    from ozgkompass.catalogue.store import resolve_catalogue

    if scope not in SCOPES:
        raise UserError(f"--scope {scope!r} ist unbekannt.", hint="kommunal oder alle angeben.")
    words = [w.casefold() for w in text.split()]
    if not words:
        raise UserError("Leerer Suchbegriff.", hint="Einen Begriff angeben, z. B. Wohngeld.")
    cat = resolve_catalogue(catalogue)
    services = list(cat.services)
    if themenfeld:
        services = _filter_themenfeld(cat, services, themenfeld)
    if scope == "kommunal":
        services = [s for s in services if s.municipal_scope]
    hits: list[Hit] = []
    for svc in services:
        where = _match(svc, words)
        if where is not None:
            hits.append(Hit(svc, where))
    return SearchResult(cat, text, tuple(hits))


def _filter_themenfeld(cat: Catalogue, services: list[OzgService],
                       themenfeld: str) -> list[OzgService]:
    import difflib

    wanted = themenfeld.strip().casefold()
    names = sorted(cat.themenfelder())
    exact = [n for n in names if n.casefold() == wanted]
    chosen = exact or [n for n in names if wanted in n.casefold()]
    if len(chosen) != 1:
        close = difflib.get_close_matches(themenfeld, names, n=1, cutoff=0.5)
        what = "passt auf mehrere" if chosen else "ist unbekannt"
        raise UserError(f"Themenfeld {themenfeld!r} {what}. Themenfelder im Katalog: "
                        f"{', '.join(names)}.",
                        hint=f"Meinten Sie {close[0]!r}?" if close else None)
    return [s for s in services if s.themenfeld == chosen[0]]


def _match(svc: OzgService, words: list[str]) -> str | None:
    """The first field (OZG-ID, name, a LeiKa name or key) holding all words, or None."""
    fields: list[tuple[str, str]] = [("OZG-ID", svc.ozg_id), ("Name", svc.name)]
    for x in svc.leika:
        fields.append(("LeiKa", x.name))
        if x.key:
            fields.append(("LeiKa-Schlüssel", x.key))
    for label, value in fields:
        folded = value.casefold()
        if all(w in folded for w in words):
            return label if label in ("OZG-ID", "Name") else f"{label}: {value}"
    return None


@dataclass(frozen=True, slots=True)
class CatalogueStats:
    catalogue: Catalogue
    by_themenfeld: dict[str, Counter[str]]  # Themenfeld → responsibility value → services
    municipal_scope: int  # services (possibly) executed by municipalities
    unknown_all: Counter[str]  # attribute name → services where it is unknown
    unknown_municipal: Counter[str]  # the same among the municipal ones


def catalogue_stats(catalogue: str | None = None) -> CatalogueStats:
    """Services by Themenfeld and responsibility, and how often each attribute is unknown."""
    from ozgkompass.catalogue.store import resolve_catalogue

    cat = resolve_catalogue(catalogue)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for svc in cat.services:
        table[svc.themenfeld][svc.responsibility.value] += 1
    unknown_all: Counter[str] = Counter()
    unknown_municipal: Counter[str] = Counter()
    in_scope = 0
    for svc in cat.services:
        unknown = svc.attributes.unknown()
        unknown_all.update(unknown)
        if svc.municipal_scope:
            in_scope += 1
            unknown_municipal.update(unknown)
    return CatalogueStats(cat, dict(table), in_scope, unknown_all, unknown_municipal)
