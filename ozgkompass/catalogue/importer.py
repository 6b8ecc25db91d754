"""Import official catalogue exports (CSV, XLSX, ODS, XLS) into a format-1 catalogue.

Three layouts: `ozg2019` (the two CSV files of the 2019 OZG database), `fim-csv` (a
FIM-Portal Leistungen export) and `mapping` (any table plus a small YAML file that names the
columns). Every row that is not taken is reported with file, row and reason; quirks of the
data (unknown Typisierung, LeiKa keys that are not keys, Lagen spelled differently) are
reported as warnings. See docs/catalogue-import.md.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ozgkompass import __version__
from ozgkompass.errors import DataError, Issue, Location, UserError, display_path
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.catalogue import (
    BUILTIN_ID,
    FORMAT,
    ID_RE,
    LEIKA_KEY_RE,
    OZG_ID_RE,
    TRUST_LEVELS,
    parse_catalogue,
    split_typisierung,
    unknown_types,
)
from ozgkompass.model.common import did_you_mean

MAX_BYTES = 50 * 1024 * 1024
LAYOUTS = ("ozg2019", "fim-csv", "mapping")

THEMENFELDER = (
    "Arbeit & Ruhestand", "Bauen & Wohnen", "Bildung", "Ein- & Auswanderung",
    "Engagement & Hobby", "Familie & Kind", "Forschung & Förderung", "Gesundheit",
    "Mobilität & Reisen", "Querschnitt", "Recht & Ordnung", "Steuern & Zoll", "Umwelt",
    "Unternehmensführung & -entwicklung",
)

# Fields a mapping file may name (our field → the user's column header).
MAPPING_FIELDS = ("ozg_id", "name", "themenfeld", "lage", "leika_key", "leika_name",
                  "typisierung", "fees", "evidence", "identification", "trust_level",
                  "sdg_annex2", "efa", "priority", "case_volume")
MAPPING_REQUIRED = ("ozg_id", "name", "themenfeld")
MAPPING_KEYS = ("format", "sheet", "columns", "booleans")
BOOL_FIELDS = ("fees", "evidence", "identification", "sdg_annex2", "efa")
DEFAULT_BOOLEANS = {
    "ja": True, "j": True, "x": True, "true": True, "wahr": True, "1": True, "yes": True,
    "nein": False, "n": False, "false": False, "falsch": False, "0": False, "no": False,
    "-": False,
}

# Header aliases, written in normalised form (see `norm_header`).
_Aliases = dict[str, tuple[str, ...]]
OZG2019_OZG: _Aliases = {"ozg_id": ("ozgid",), "name": ("ozgleistung",), "lage": ("lage",),
               "themenfeld": ("themenfeld",)}
OZG2019_OZG_REQUIRED = ("ozg_id", "name", "themenfeld")
OZG2019_LEIKA: _Aliases = {"leika_key": ("leikaschluessel",),
                           "leika_name": ("leikabezeichnung",),
                 "typisierung": ("leikatyp",), "ozg_id": ("ozgid",), "sdg1": ("sdg1",),
                 "sdg2": ("sdg2",)}
OZG2019_LEIKA_REQUIRED = ("leika_key", "leika_name", "typisierung", "ozg_id")
FIM_COLUMNS: _Aliases = {
    "leika_key": ("leistungsschluessel", "leikaschluessel", "leikaid", "leikakey",
                  "leistungsschluesselleika", "schluessel"),
    "leika_name": ("leistungsbezeichnung", "titel", "leistungsname", "leikabezeichnung",
                   "bezeichnung", "leistungsbezeichnungi"),
    "typisierung": ("typisierung", "leikatyp", "leikatypisierung", "leistungstypisierung", "typ"),
    "ozg_id": ("ozgid", "ozgleistungid", "ozgleistungsid", "ozgidnummer", "ozgnummer",
               "ozgkennung"),
    "themenfeld": ("ozgthemenfeld", "themenfeld"),
    "name": ("ozgleistung", "ozgleistungsname", "ozgleistungbezeichnung",
             "ozgleistungsbezeichnung", "ozgbezeichnung", "ozgname"),
    "lage": ("ozglebenslage", "lebenslage", "unternehmenslage", "lebensundunternehmenslage",
             "ozglage", "lage"),
}
FIM_REQUIRED = ("leika_key", "leika_name", "typisierung", "ozg_id", "themenfeld")
FIELD_LABELS = {
    "ozg_id": "OZG-ID", "name": "OZG-Leistung", "themenfeld": "OZG-Themenfeld",
    "lage": "Lebens-/Unternehmenslage", "leika_key": "Leistungsschlüssel",
    "leika_name": "Leistungsbezeichnung", "typisierung": "Typisierung", "sdg1": "sdg1",
    "sdg2": "sdg2",
}


# --- result -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import produced. Counts are rows: rows_read = taken + merged + rejected.

    `taken`: the row started a new OZG-Leistung; `merged`: the row was folded into an
    OZG-Leistung that already existed (its LeiKa service added, duplicates dropped);
    `rejected`: the row was not used (one error issue per rejected row says why).
    """

    catalogue: dict[str, Any]
    layout: str
    files: list[str]
    rows_read: int = 0
    taken: int = 0
    merged: int = 0
    rejected: int = 0
    leika_count: int = 0
    duplicates: int = 0
    issues: list[Issue] = field(default_factory=list)
    responsibility_counts: dict[str, int] = field(default_factory=dict)
    themenfelder: list[str] = field(default_factory=list)

    @property
    def services(self) -> int:
        return len(self.catalogue.get("services", []))

    @property
    def rejected_rows(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def summary(self) -> dict[str, Any]:
        return {
            "layout": self.layout, "files": self.files, "rows_read": self.rows_read,
            "taken": self.taken, "merged": self.merged, "rejected": self.rejected,
            "services": self.services, "leika": self.leika_count,
            "duplicates": self.duplicates, "themenfelder": len(self.themenfelder),
            "responsibility": self.responsibility_counts,
            "warnings": len(self.warnings),
        }


# --- reading tables ---------------------------------------------------------------------


@dataclass
class Table:
    """A table read from a CSV file or one sheet of a workbook; rows keep their numbers."""

    path: Path
    shown: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    sheet: str | None = None
    header_row: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    sha256: str = ""
    issues: list[Issue] = field(default_factory=list)

    def loc(self, row: int | None = None) -> Location:
        return Location(file=self.shown, sheet=self.sheet, row=row)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def norm_header(text: str) -> str:
    """Header text for matching: case, umlauts, spaces, dashes and underscores do not matter."""
    text = unicodedata.normalize("NFC", str(text)).casefold().translate(_UMLAUTS)
    return re.sub(r"[^0-9a-z]+", "", text)


def _norm_label(text: str) -> str:
    """A Lage or Themenfeld for comparison: also "&" = "und"."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    text = text.replace("&", " und ")
    return re.sub(r"[^0-9a-z]+", "", text)


def _file_kind(path: Path) -> str:
    from ozgkompass.sources.tables import kind_of

    kind = kind_of(path)
    if kind is not None:
        return kind
    suffix = path.suffix.lower()
    shown = display_path(path)
    if suffix == ".numbers":
        raise UserError(f"{shown}: .numbers-Dateien werden nicht gelesen.",
                        hint="Die Tabelle als .xlsx, .ods oder .csv speichern.")
    if suffix in (".json", ".yaml", ".yml"):
        raise UserError(f"{shown}: ist schon eine Katalogdatei, kein Export zum Importieren.",
                        hint="Direkt mit --catalogue verwenden oder nach `ozgkompass catalogue "
                        "show` prüfen.")
    raise UserError(f"{shown}: Dateityp {suffix or '(ohne Endung)'} wird nicht unterstützt.",
                    hint="Importiert werden .csv-, .xlsx-, .ods- und .xls-Dateien.")


def read_table(path: Path, *, sheet: str | None = None,
               want: Callable[[list[str]], bool] | None = None) -> Table:
    """Read a CSV file or one sheet of an XLSX, ODS or XLS workbook (max. 50 MB) into a
    Table (`sources.tables`); raises UserError if unusable. Of a workbook the sheet named
    `sheet` is taken, else the first whose header row `want` accepts."""
    from ozgkompass.sources.tables import choose_sheet, read_tables

    _file_kind(path)
    read = read_tables(path, max_bytes=MAX_BYTES, too_big_hint="Ist das die richtige Datei?",
                       contained=True)
    if read.kind == "csv" and not read.sheets[0].rows:
        raise UserError(f"{read.shown}: Datei ist leer.", hint="Den Export erneut erstellen.")
    # `sheet` in a mapping file applies to workbooks only; a CSV has one table.
    chosen = choose_sheet(read, sheet, want, sheet_hint="Das Blatt mit der Tabelle angeben "
                          "(`sheet` in der Zuordnungsdatei) oder die Datei prüfen.")
    header_row, headers = chosen.rows[0]
    if read.kind == "workbook":
        headers = list(headers)
        while headers and not headers[-1]:
            headers.pop()
    return Table(path, read.shown, headers, chosen.rows[1:], sheet=chosen.name,
                 header_row=header_row, encoding=read.encoding, delimiter=read.delimiter,
                 sha256=read.sha256, issues=read.issues)


# --- column matching ----------------------------------------------------------------------


def match_columns(headers: list[str], spec: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Our field → column index, by normalised header aliases (first alias that matches)."""
    normed: dict[str, int] = {}
    for index, header in enumerate(headers):
        normed.setdefault(norm_header(header), index)
    result: dict[str, int] = {}
    for name, aliases in spec.items():
        for alias in aliases:
            if alias in normed and normed[alias] not in result.values():
                result[name] = normed[alias]
                break
    return result


def _has(headers: list[str], spec: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> bool:
    found = match_columns(headers, spec)
    return all(r in found for r in required)


def _missing_columns_error(table: Table, spec: dict[str, tuple[str, ...]],
                           required: tuple[str, ...], layout: str) -> UserError:
    found = match_columns(table.headers, spec)
    missing = [r for r in required if r not in found]
    parts = []
    for name in missing:
        label = FIELD_LABELS.get(name, name)
        close = difflib.get_close_matches(spec[name][0], [norm_header(h) for h in table.headers],
                                          n=1, cutoff=0.7)
        hint = ""
        if close:
            original = next(h for h in table.headers if norm_header(h) == close[0])
            hint = f" (ähnlich: {original!r})"
        parts.append(f"{label}{hint}")
    where = f", Blatt {table.sheet!r}" if table.sheet else ""
    return UserError(
        f"{table.shown}{where}: Pflichtspalte(n) für das Layout {layout} fehlen: "
        f"{', '.join(parts)}. Gefundene Spalten: {', '.join(table.headers) or '(keine)'}.",
        hint="Spalten umbenennen, ein anderes --layout wählen oder mit --mapping eine "
        "Zuordnungsdatei angeben (docs/catalogue-import.md).",
    )


def _table_kind(headers: list[str]) -> str | None:
    if _has(headers, OZG2019_LEIKA, OZG2019_LEIKA_REQUIRED) and \
            not _has(headers, FIM_COLUMNS, FIM_REQUIRED):
        return "ozg2019-leika"
    if _has(headers, OZG2019_OZG, OZG2019_OZG_REQUIRED) and \
            not _has(headers, FIM_COLUMNS, FIM_REQUIRED):
        return "ozg2019-ozg"
    if _has(headers, FIM_COLUMNS, FIM_REQUIRED):
        return "fim-csv"
    return None


def _any_layout(headers: list[str]) -> bool:
    return _table_kind(headers) is not None


# --- the catalogue being built ------------------------------------------------------------


@dataclass
class _Service:
    ozg_id: str
    name: str
    themenfeld: str
    lage: str | None
    loc: Location
    leika: list[dict[str, Any]] = field(default_factory=list)
    leika_seen: dict[Any, tuple[Location, str | None]] = field(default_factory=dict)
    flags: dict[str, list[bool | None]] = field(default_factory=dict)
    trust: list[str] = field(default_factory=list)
    priority: tuple[int, Location] | None = None
    case_volume: tuple[float, Location] | None = None


class _Builder:
    def __init__(self) -> None:
        self.services: dict[str, _Service] = {}
        self.issues: list[Issue] = []
        self.rows_read = 0
        self.taken = 0
        self.merged = 0
        self.rejected = 0
        self.duplicates = 0
        self.labels: dict[str, dict[str, str]] = {
            "themenfeld": {_norm_label(t): t for t in THEMENFELDER}, "lage": {}}
        self.unknown_themenfelder: set[str] = set()

    # issues
    def warn(self, code: IssueCode, message: str, loc: Location) -> None:
        self.issues.append(Issue(code, message, loc, severity="warning"))

    def reject(self, code: IssueCode, message: str, loc: Location) -> None:
        self.rejected += 1
        self.issues.append(Issue(code, message + " Zeile nicht übernommen.", loc))

    # values
    def ozg_id(self, raw: str, loc: Location) -> str | None:
        if not raw:
            self.reject(IssueCode.OZG_ID_MISSING, "Keine OZG-ID: die Zeile gehört zu keiner "
                        "OZG-Leistung.", loc)
            return None
        value = raw.strip()
        if re.fullmatch(r"\d{5}\.0+", value):  # a number formatted by a spreadsheet
            value = value.split(".")[0]
        if not OZG_ID_RE.match(value):
            self.reject(IssueCode.OZG_ID_INVALID, f"OZG-ID {raw!r} ist keine fünfstellige Zahl "
                        "(z. B. 10110).", loc)
            return None
        return value

    def label(self, kind: str, value: str, loc: Location) -> str:
        """Lage/Themenfeld spelled like the first occurrence (or the official Themenfeld)."""
        value = re.sub(r"\s+", " ", value).strip()
        known = self.labels[kind]
        key = _norm_label(value)
        first = known.get(key)
        if first is None:
            known[key] = value
            if kind == "themenfeld" and value not in self.unknown_themenfelder:
                self.unknown_themenfelder.add(value)
                self.warn(IssueCode.THEMENFELD_UNKNOWN, f"Themenfeld {value!r} ist keines der 14 "
                          "OZG-Themenfelder; übernommen wie geschrieben.", loc)
            return value
        if first != value:
            what = "Lage" if kind == "lage" else "Themenfeld"
            code = (IssueCode.LAGE_NORMALISED if kind == "lage" else
                    IssueCode.THEMENFELD_NORMALISED)
            self.warn(code, f"{what} {value!r} unterscheidet sich von {first!r} "
                      f"nur in der Schreibweise; als {first!r} übernommen.", loc)
        return first

    def leika_key(self, raw: str, loc: Location) -> str | None:
        value = raw.strip().replace(" ", "")
        if not value:
            self.warn(IssueCode.LEIKA_KEY_MISSING,
                      "Kein LeiKa-Schlüssel; als Leistung ohne Schlüssel "
                      "übernommen.", loc)
            return None
        if LEIKA_KEY_RE.match(value):
            return value
        if re.fullmatch(r"\d\.\d+[eE]\+?\d+", value):
            self.warn(IssueCode.LEIKA_KEY_INVALID,
                      f"LeiKa-Schlüssel {raw!r} ist in wissenschaftlicher "
                      "Schreibweise gespeichert, Ziffern sind verloren; ohne Schlüssel "
                      "übernommen. Die Spalte in der Tabelle als Text formatieren.", loc)
            return None
        if value.isdigit():
            self.warn(IssueCode.LEIKA_KEY_INVALID,
                      f"LeiKa-Schlüssel {raw!r} hat {len(value)} statt 14 "
                      "Ziffern; ohne Schlüssel übernommen.", loc)
            return None
        self.warn(IssueCode.LEIKA_KEY_NOT_NUMERIC, f"LeiKa-Schlüssel {raw!r} ist keine Nummer; als "
                  "Leistung ohne Schlüssel übernommen.", loc)
        return None

    def typisierung(self, raw: str, loc: Location) -> str | None:
        value = re.sub(r"\s+", " ", raw).strip()
        if not value:
            self.warn(IssueCode.TYP_MISSING, "Keine Typisierung; zählt nicht für die kommunale "
                      "Zuständigkeit.", loc)
            return None
        unknown = unknown_types(value)
        if unknown:
            self.warn(IssueCode.TYP_UNKNOWN,
                      f"Typisierung {value!r}: {', '.join(map(repr, unknown))} ist "
                      "kein bekannter Typ; so übernommen, zählt aber nicht für die kommunale "
                      "Zuständigkeit.", loc)
        elif len(split_typisierung(value)) > 1:
            self.warn(IssueCode.TYP_MIXED,
                      f"Gemischte Typisierung {value!r}; zählt mit jedem genannten "
                      "Typ.", loc)
        return value

    # structure
    def service(self, ozg_id: str, name: str, themenfeld: str, lage: str | None,
                loc: Location) -> tuple[_Service, bool]:
        """The service with this OZG-ID, created if new; conflicts keep the first value."""
        existing = self.services.get(ozg_id)
        themenfeld = self.label("themenfeld", themenfeld, loc) if themenfeld else themenfeld
        lage = self.label("lage", lage, loc) if lage else None
        if existing is None:
            svc = _Service(ozg_id, name, themenfeld, lage, loc)
            self.services[ozg_id] = svc
            return svc, True
        for what, old, new in (("Name", existing.name, name),
                               ("Themenfeld", existing.themenfeld, themenfeld),
                               ("Lage", existing.lage, lage)):
            if new and old and new != old:
                self.warn(IssueCode.CONFLICT, f"OZG-Leistung {ozg_id}: {what} {new!r} weicht von "
                          f"{old!r} ({_where(existing.loc, loc)}) ab; der erste Wert bleibt.",
                          loc)
        if existing.lage is None and lage:
            existing.lage = lage
        return existing, False

    def add_leika(self, svc: _Service, key: str | None, name: str, typ: str | None,
                  loc: Location) -> bool:
        """Attach a LeiKa service; False if the same one is already attached (a duplicate)."""
        ident: Any = key if key is not None else ("name", name.casefold())
        seen = svc.leika_seen.get(ident)
        if seen is not None:
            first_loc, first_typ = seen
            self.duplicates += 1
            detail = "" if first_typ == typ else (
                f"; Typisierung {typ!r} weicht von {first_typ!r} ab, die erste bleibt")
            shown_key = key or f"ohne Schlüssel, {name!r}"
            self.warn(IssueCode.DUPLICATE_LEIKA,
                      f"LeiKa-Leistung {shown_key} steht bei OZG-Leistung "
                      f"{svc.ozg_id} schon in {_where(first_loc, loc)}{detail}; doppelte Zeile "
                      "ignoriert.", loc)
            return False
        svc.leika_seen[ident] = (loc, typ)
        svc.leika.append({"key": key, "name": name, "typisierung": typ})
        return True

    def flag(self, svc: _Service, name: str, value: bool | None) -> None:
        svc.flags.setdefault(name, []).append(value)

    def count_row(self, created: bool) -> None:
        if created:
            self.taken += 1
        else:
            self.merged += 1

    def catalogue(self, *, catalogue_id: str, version: str, title: str,
                  source: str) -> dict[str, Any]:
        services = []
        for ozg_id in sorted(self.services):
            svc = self.services[ozg_id]
            attributes: dict[str, Any] = {n: None for n in
                                          ("fees", "evidence", "identification", "trust_level",
                                           "sdg_annex2", "efa")}
            for name, values in svc.flags.items():
                if any(v is True for v in values):
                    attributes[name] = True
                elif values and all(v is False for v in values):
                    attributes[name] = False
            if svc.trust:
                attributes["trust_level"] = max(svc.trust, key=TRUST_LEVELS.index)
            entry: dict[str, Any] = {"ozg_id": svc.ozg_id, "name": svc.name,
                                     "themenfeld": svc.themenfeld, "lage": svc.lage,
                                     "leika": svc.leika, "attributes": attributes}
            if svc.priority is not None:
                entry["priority"] = svc.priority[0]
            if svc.case_volume is not None:
                volume = svc.case_volume[0]
                entry["case_volume"] = int(volume) if volume.is_integer() else volume
            services.append(entry)
        return {"format": FORMAT, "id": catalogue_id, "version": version, "title": title,
                "source": source, "created": _dt.date.today().isoformat(),
                "services": services}


def _where(first: Location, here: Location) -> str:
    """An earlier location, short when it is in the same file and sheet."""
    if first.file == here.file and first.sheet == here.sheet and first.row is not None:
        return f"Zeile {first.row}"
    return str(first)


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def _check_width(b: _Builder, table: Table, number: int, cells: list[str]) -> bool:
    """A row with more filled cells than headers is shifted (unquoted delimiter): reject it."""
    extra = cells[len(table.headers):]
    if any(extra):
        b.reject(IssueCode.ROW_WIDTH, f"Zeile hat {len(table.headers) + len(extra)} Felder, die "
                 f"Kopfzeile nur {len(table.headers)} (Trennzeichen im Text ohne "
                 "Anführungszeichen?).", table.loc(number))
        return False
    return True


# --- layouts ------------------------------------------------------------------------------


def _import_ozg2019(b: _Builder, tables: list[Table]) -> None:
    kinds: dict[str, list[Table]] = {"ozg2019-ozg": [], "ozg2019-leika": []}
    for table in tables:
        kind = _table_kind(table.headers)
        if kind not in kinds:
            leika_cols = match_columns(table.headers, OZG2019_LEIKA)
            if "leika_key" not in leika_cols and "leika_name" not in leika_cols:
                raise _missing_columns_error(table, OZG2019_OZG, OZG2019_OZG_REQUIRED,
                                             "ozg2019 (ozg_leistungen.csv)")
            raise _missing_columns_error(table, OZG2019_LEIKA, OZG2019_LEIKA_REQUIRED,
                                         "ozg2019 (leika_zu_ozg.csv)")
        kinds[kind].append(table)
    if len(kinds["ozg2019-ozg"]) != 1 or len(kinds["ozg2019-leika"]) != 1:
        given = ", ".join(t.shown for t in tables)
        raise UserError(
            f"Das Layout ozg2019 braucht genau eine Datei mit OZG-Leistungen (Spalten ozg_id, "
            f"ozg_leistung, lage, themenfeld) und eine mit LeiKa-Leistungen (leika_schluessel, "
            f"leika_bezeichnung, leika_typ, ozg_id, sdg1, sdg2); angegeben: {given}.",
            hint="Beide Dateien zusammen angeben: ozg_leistungen.csv leika_zu_ozg.csv.")
    ozg_table, leika_table = kinds["ozg2019-ozg"][0], kinds["ozg2019-leika"][0]
    if not ozg_table.rows:  # one cause, not one error per LeiKa row
        message = (f"Die Datei enthält nur die Kopfzeile, keine OZG-Leistung; ohne sie lässt "
                   f"sich keine der {len(leika_table.rows)} LeiKa-Zeilen aus "
                   f"{leika_table.shown} zuordnen. Die vollständige ozg_leistungen.csv angeben.")
        raise DataError([Issue(IssueCode.EMPTY_TABLE, message, Location(ozg_table.shown))],
                        "Nichts importiert; es wurde nichts geschrieben.")

    cols = match_columns(ozg_table.headers, OZG2019_OZG)
    for number, cells in ozg_table.rows:
        b.rows_read += 1
        loc = ozg_table.loc(number)
        if not _check_width(b, ozg_table, number, cells):
            continue
        ozg_id = b.ozg_id(_cell(cells, cols.get("ozg_id")), loc)
        if ozg_id is None:
            continue
        name = _cell(cells, cols.get("name"))
        themenfeld = _cell(cells, cols.get("themenfeld"))
        if not name:
            b.reject(IssueCode.NAME_MISSING, f"OZG-Leistung {ozg_id} hat keinen Namen "
                     "(Spalte ozg_leistung).", loc)
            continue
        if not themenfeld and ozg_id not in b.services:
            b.reject(IssueCode.THEMENFELD_MISSING,
                     f"OZG-Leistung {ozg_id} hat kein Themenfeld.", loc)
            continue
        _, created = b.service(ozg_id, name, themenfeld, _cell(cells, cols.get("lage")) or None,
                               loc)
        b.count_row(created)

    cols = match_columns(leika_table.headers, OZG2019_LEIKA)
    for number, cells in leika_table.rows:
        b.rows_read += 1
        loc = leika_table.loc(number)
        if not _check_width(b, leika_table, number, cells):
            continue
        raw_id = _cell(cells, cols.get("ozg_id"))
        name = _cell(cells, cols.get("leika_name"))
        raw_key = _cell(cells, cols.get("leika_key"))
        what = f"LeiKa-Leistung {name or raw_key or '(ohne Namen)'!r}"
        if not raw_id:
            b.reject(IssueCode.OZG_ID_MISSING,
                     f"{what} hat keine OZG-ID und gehört damit zu keiner "
                     "OZG-Leistung.", loc)
            continue
        ozg_id = b.ozg_id(raw_id, loc)
        if ozg_id is None:
            continue
        svc = b.services.get(ozg_id)
        if svc is None:
            b.reject(IssueCode.OZG_ID_UNKNOWN, f"{what}: OZG-ID {ozg_id} steht nicht in "
                     f"{ozg_table.shown}.", loc)
            continue
        if not name:
            b.reject(IssueCode.LEIKA_NAME_MISSING, "LeiKa-Leistung ohne Bezeichnung "
                     "(Spalte leika_bezeichnung).", loc)
            continue
        key = b.leika_key(raw_key, loc)
        typ = b.typisierung(_cell(cells, cols.get("typisierung")), loc)
        b.add_leika(svc, key, name, typ, loc)
        # sdg1/sdg2 are read but not mapped: sdg2 marks every procedure relevant under SDG
        # Art. 2(2)(b)/Art. 6 (77 OZG-Leistungen incl. Handelsregister and Insolvenzverfahren,
        # which Annex II excludes) and misses the Feinstaubplakette, so it is not Annex II
        # (docs/catalogue-import.md). sdg_annex2 stays unknown.
        b.count_row(False)


def _import_flat(b: _Builder, tables: list[Table], columns: list[dict[str, int]],
                 booleans: dict[str, bool] | None) -> None:
    """fim-csv and mapping: every row names its OZG-Leistung and maybe one LeiKa service."""
    name_warned: set[str] = set()
    for table, cols in zip(tables, columns, strict=True):
        if "name" not in cols and table.shown not in name_warned:
            name_warned.add(table.shown)
            b.warn(IssueCode.OZG_NAME_MISSING,
                   "Keine Spalte mit dem Namen der OZG-Leistung; der Name "
                   "der ersten LeiKa-Leistung jeder OZG-ID wird verwendet.", table.loc())
        for number, cells in table.rows:
            b.rows_read += 1
            loc = table.loc(number)
            if not _check_width(b, table, number, cells):
                continue
            ozg_id = b.ozg_id(_cell(cells, cols.get("ozg_id")), loc)
            if ozg_id is None:
                continue
            leika_name = _cell(cells, cols.get("leika_name"))
            raw_key = _cell(cells, cols.get("leika_key"))
            typ_raw = _cell(cells, cols.get("typisierung"))
            name = _cell(cells, cols.get("name")) or (leika_name if "name" not in cols else "")
            themenfeld = _cell(cells, cols.get("themenfeld"))
            new = ozg_id not in b.services
            if new and not name:
                b.reject(IssueCode.NAME_MISSING, f"OZG-Leistung {ozg_id}: Name fehlt.", loc)
                continue
            if new and not themenfeld:
                b.reject(IssueCode.THEMENFELD_MISSING,
                         f"OZG-Leistung {ozg_id}: Themenfeld fehlt.", loc)
                continue
            has_leika = bool(leika_name or raw_key)
            if has_leika and not leika_name:
                b.reject(IssueCode.LEIKA_NAME_MISSING,
                         f"LeiKa-Leistung {raw_key!r} (OZG-ID {ozg_id}) "
                         "hat keine Bezeichnung.", loc)
                continue
            svc, created = b.service(ozg_id, name, themenfeld,
                                     _cell(cells, cols.get("lage")) or None, loc)
            if has_leika:
                key = b.leika_key(raw_key, loc)
                typ = b.typisierung(typ_raw, loc) if "typisierung" in cols else None
                b.add_leika(svc, key, leika_name, typ, loc)
            if booleans is not None:
                _attributes(b, svc, cells, cols, booleans, loc)
            b.count_row(created)


def _attributes(b: _Builder, svc: _Service, cells: list[str], cols: dict[str, int],
                booleans: dict[str, bool], loc: Location) -> None:
    for name in BOOL_FIELDS:
        if name not in cols:
            continue
        raw = _cell(cells, cols[name])
        if not raw:
            b.flag(svc, name, None)
            continue
        value = booleans.get(raw.casefold())
        if value is None:
            b.warn(IssueCode.VALUE_INVALID, f"{name}: {raw!r} ist kein Ja/Nein-Wert "
                   f"({', '.join(sorted(booleans))}); als unbekannt gewertet. Eigene Werte unter "
                   "`booleans` in der Zuordnungsdatei eintragen.", loc)
        b.flag(svc, name, value)
    if "trust_level" in cols:
        raw = _cell(cells, cols["trust_level"])
        if raw:
            level = raw.casefold()
            if level in TRUST_LEVELS:
                svc.trust.append(level)
            else:
                b.warn(IssueCode.VALUE_INVALID, f"trust_level: {raw!r} ist unbekannt (erlaubt: "
                       f"{', '.join(TRUST_LEVELS)}); als unbekannt gewertet.", loc)
    if "priority" in cols:
        raw = _cell(cells, cols["priority"])
        if raw:
            prio = _number(raw)
            if prio is None or prio not in (1, 2, 3):
                b.warn(IssueCode.VALUE_INVALID,
                       f"priority: {raw!r} ist nicht 1, 2 oder 3; ignoriert.",
                       loc)
            elif svc.priority is None:
                svc.priority = (int(prio), loc)
            elif svc.priority[0] != prio:
                b.warn(IssueCode.CONFLICT, f"OZG-Leistung {svc.ozg_id}: priority {raw} weicht von "
                       f"{svc.priority[0]} ({_where(svc.priority[1], loc)}) ab; der erste "
                       "Wert bleibt.", loc)
    if "case_volume" in cols:
        raw = _cell(cells, cols["case_volume"])
        if raw:
            volume = _number(raw)
            if volume is None or volume < 0:
                b.warn(IssueCode.VALUE_INVALID, f"case_volume: {raw!r} ist keine Fallzahl ≥ 0; "
                       "ignoriert.", loc)
            elif svc.case_volume is None:
                svc.case_volume = (volume, loc)
            elif svc.case_volume[0] != volume:
                b.warn(IssueCode.CONFLICT,
                       f"OZG-Leistung {svc.ozg_id}: case_volume {raw} weicht von "
                       f"{svc.case_volume[0]:g} ({_where(svc.case_volume[1], loc)}) ab; der "
                       "erste Wert bleibt.", loc)


def _number(raw: str) -> float | None:
    """A number as spreadsheets write it: "1200", "1.200" (thousands), "1.200,5", "12,5"."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


# --- mapping files ------------------------------------------------------------------------


@dataclass
class Mapping:
    path: str
    columns: dict[str, str]
    booleans: dict[str, bool]
    sheet: str | None = None
    positions: dict[str, Location] = field(default_factory=dict)


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file (YAML); raises DataError with located issues."""
    from ozgkompass.yamlio import load_yaml

    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{display_path(path)}: eine Zuordnungsdatei ist eine YAML-Datei "
                        "(.yaml oder .yml).", hint="Beispiel in docs/catalogue-import.md.")
    doc = load_yaml(path)
    issues = list(doc.issues)
    if doc.data is None or any(i.severity == "error" for i in issues):
        raise DataError(issues, f"{doc.path}: Zuordnungsdatei ist fehlerhaft.")
    data = doc.data

    def loc(container: Any, key: Any = None) -> Location:
        pos = container.pos_of(key) if key is not None and hasattr(container, "pos_of") \
            else getattr(container, "pos", (0, 0))
        return doc.loc(pos)

    def error(code: IssueCode, message: str, where: Location) -> None:
        issues.append(Issue(code, message, where))

    columns: dict[str, str] = {}
    booleans = dict(DEFAULT_BOOLEANS)
    sheet: str | None = None
    positions: dict[str, Location] = {}
    if not isinstance(data, dict):
        error(IssueCode.TYPE,
              "Die Zuordnungsdatei muss eine Zuordnung mit `columns:` sein.", loc(data))
        raise DataError(issues, f"{doc.path}: Zuordnungsdatei ist fehlerhaft.")
    for key in data:
        if key not in MAPPING_KEYS:
            error(IssueCode.UNKNOWN_KEY, f"Unbekannter Schlüssel `{key}`."
                  + did_you_mean(key, MAPPING_KEYS, list_allowed=True), loc(data, key))
    if data.get("format") not in (None, 1):
        error(IssueCode.FORMAT, f"`format: {data['format']!r}` wird nicht unterstützt (nur 1).",
              loc(data, "format"))
    if data.get("sheet") is not None:
        if isinstance(data["sheet"], str | int) and not isinstance(data["sheet"], bool):
            sheet = str(data["sheet"])
        else:
            error(IssueCode.TYPE,
                  "`sheet` muss der Name eines Tabellenblatts sein.", loc(data, "sheet"))
    cols = data.get("columns")
    if cols is None:
        error(IssueCode.MISSING_KEY, "`columns:` fehlt: welche Spalte enthält welches Feld "
              "(ozg_id, name, themenfeld …)?", loc(data))
    elif not isinstance(cols, dict):
        error(IssueCode.TYPE, "`columns` muss eine Zuordnung sein (Feld: Spaltenüberschrift).",
              loc(data, "columns"))
    else:
        for key, value in cols.items():
            where = loc(cols, key)
            if key not in MAPPING_FIELDS:
                error(IssueCode.UNKNOWN_FIELD, f"Unbekanntes Feld `{key}` unter columns."
                      + did_you_mean(key, MAPPING_FIELDS, list_allowed=True), where)
                continue
            if isinstance(value, bool) or not isinstance(value, str | int) or \
                    not str(value).strip():
                error(IssueCode.TYPE,
                      f"columns.{key}: erwartet die Spaltenüberschrift als Text, ist "
                      f"{value!r}.", where)
                continue
            columns[key] = str(value).strip()
            positions[key] = where
        for key in MAPPING_REQUIRED:
            if key not in cols:
                error(IssueCode.MISSING_FIELD, f"columns: Pflichtfeld `{key}` fehlt.", loc(cols))
    bools = data.get("booleans")
    if bools is not None:
        if not isinstance(bools, dict):
            error(IssueCode.TYPE, "`booleans` muss eine Zuordnung sein, z. B. {\"ja\": true, "
                  "\"nein\": false}.", loc(data, "booleans"))
        else:
            for key, value in bools.items():
                where = loc(bools, key)
                if isinstance(key, bool) or key is None:
                    error(IssueCode.TYPE, f"booleans: der Schlüssel {key!r} wurde von YAML als "
                          "Wahrheitswert gelesen; in Anführungszeichen setzen (\"yes\", \"no\", "
                          "\"on\", \"off\").", where)
                    continue
                if not isinstance(value, bool):
                    error(IssueCode.TYPE,
                          f"booleans.{key}: muss true oder false sein, ist {value!r}.",
                          where)
                    continue
                booleans[str(key).strip().casefold()] = value
    if any(i.severity == "error" for i in issues):
        raise DataError(issues, f"{doc.path}: Zuordnungsdatei ist fehlerhaft.")
    return Mapping(doc.path, columns, booleans, sheet, positions)


def _mapping_columns(mapping: Mapping, table: Table) -> dict[str, int]:
    normed: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        normed.setdefault(norm_header(header), index)
    result: dict[str, int] = {}
    missing: list[tuple[str, str]] = []
    for name, header in mapping.columns.items():
        found = normed.get(norm_header(header))
        if found is None:
            missing.append((name, header))
        else:
            result[name] = found
    if missing:
        where = f", Blatt {table.sheet!r}" if table.sheet else ""
        parts = []
        for name, header in missing:
            close = difflib.get_close_matches(header, table.headers, n=1, cutoff=0.6)
            parts.append(f"{name} → {header!r} ({mapping.positions[name]})"
                         + (f", ähnlich: {close[0]!r}" if close else ""))
        raise UserError(
            f"{table.shown}{where}: Spalten aus der Zuordnungsdatei nicht gefunden: "
            f"{'; '.join(parts)}. Vorhandene Spalten: {', '.join(table.headers)}.",
            hint="Die Überschriften in der Zuordnungsdatei genau wie in der Tabelle schreiben.")
    return result


# --- entry point --------------------------------------------------------------------------


def import_catalogue(paths: list[Path], *, layout: str | None = None,
                     mapping: Path | None = None, catalogue_id: str | None, version: str | None,
                     title: str | None) -> ImportResult:
    """Read export files and build a format-1 catalogue; never writes anything.

    Without a catalogue_id the id follows the layout (`default_catalogue_id`).
    """
    if not paths:
        raise UserError("Keine Datei angegeben.", hint="Mindestens eine CSV-, XLSX-, ODS- "
                        "oder XLS-Datei nennen.")
    if catalogue_id is not None:
        _check_id(catalogue_id)

    if layout is not None and layout not in LAYOUTS:
        raise UserError(f"Unbekanntes Layout {layout!r}. Möglich: ozg2019, fim-csv; oder "
                        "--mapping DATEI.")
    if layout == "mapping" and mapping is None:
        raise UserError("Das Layout mapping braucht eine Zuordnungsdatei.",
                        hint="Mit --mapping DATEI angeben (docs/catalogue-import.md).")
    if mapping is not None and layout not in (None, "mapping"):
        raise UserError(f"--layout {layout} und --mapping schließen sich aus.",
                        hint="Entweder ein festes Layout oder eine Zuordnungsdatei angeben.")
    for path in paths:
        _file_kind(path)  # wrong file types fail before anything is read
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            raise UserError(f"{display_path(path)}: Datei ist doppelt angegeben.")
        seen.add(resolved)

    b = _Builder()
    if mapping is not None:
        used = "mapping"
        mp = load_mapping(mapping)
        tables = [read_table(p, sheet=mp.sheet) for p in paths]
        _import_flat(b, tables, [_mapping_columns(mp, t) for t in tables], mp.booleans)
    else:
        tables = [read_table(p, want=_any_layout) for p in paths]
        used = layout or _detect_layout(tables)
        if used == "ozg2019":
            _import_ozg2019(b, tables)
        else:
            cols = []
            for table in tables:
                found = match_columns(table.headers, FIM_COLUMNS)
                if any(r not in found for r in FIM_REQUIRED):
                    raise _missing_columns_error(table, FIM_COLUMNS, FIM_REQUIRED, "fim-csv")
                cols.append(found)
            _import_flat(b, tables, cols, None)
    for table in tables:
        b.issues[:0] = table.issues

    files = [t.shown + (f" (Blatt {t.sheet})" if t.sheet else "") for t in tables]
    if not b.services:
        raise DataError(b.issues, f"Keine einzige OZG-Leistung übernommen ({b.rows_read} Zeilen "
                        f"gelesen, {b.rejected} abgelehnt); es wurde nichts geschrieben.")
    if catalogue_id is None:
        catalogue_id = default_catalogue_id(used, paths)
    names = ", ".join(f"{t.path.name} ({t.sha256[:19]}…)" for t in tables)
    source = (f"Importiert mit ozgkompass {__version__} (Layout {used}) aus {names}.")
    default_version = "2019" if used == "ozg2019" else _dt.date.today().isoformat()
    document = b.catalogue(
        catalogue_id=catalogue_id, version=version or default_version,
        title=title or f"OZG-Katalog (Import {used}: {', '.join(t.path.name for t in tables)})",
        source=source)
    parsed, problems = parse_catalogue(document, f"Import {catalogue_id}", positions=False)
    if parsed is None:  # pragma: no cover - the builder only writes valid catalogues
        raise DataError(problems, "Interner Fehler: der importierte Katalog ist ungültig.")
    counts = Counter(s.responsibility.value for s in parsed.services)
    return ImportResult(
        catalogue=document, layout=used, files=files, rows_read=b.rows_read, taken=b.taken,
        merged=b.merged, rejected=b.rejected,
        leika_count=sum(len(s["leika"]) for s in document["services"]),
        duplicates=b.duplicates, issues=b.issues,
        responsibility_counts={r: counts.get(r, 0) for r in
                               ("municipal", "possibly_municipal", "not_municipal", "unknown")},
        themenfelder=parsed.themenfelder(),
    )


def _check_id(catalogue_id: str) -> None:
    if not ID_RE.match(catalogue_id):
        raise UserError(f"Katalog-ID {catalogue_id!r}: nur Kleinbuchstaben, Ziffern, `.`, `_` "
                        "und `-` verwenden (z. B. fim-2026).")
    if catalogue_id in (BUILTIN_ID, "builtin", "eingebaut"):
        raise UserError(f"Die Katalog-ID {catalogue_id!r} ist für den eingebauten Katalog "
                        "reserviert.", hint="Mit --id eine andere ID wählen.")


def default_catalogue_id(layout: str, paths: list[Path]) -> str:
    """The id an import gets without --id: the layout, or the first file's name."""
    if layout == "ozg2019":
        return "ozg2019"
    if layout == "fim-csv":
        return "fim-export"
    stem = re.sub(r"[^a-z0-9._-]+", "-", paths[0].stem.casefold().translate(_UMLAUTS))
    stem = stem.strip("-._")
    return stem if stem and ID_RE.match(stem) and stem not in (BUILTIN_ID, "builtin") \
        else "import"


def _detect_layout(tables: list[Table]) -> str:
    kinds = [_table_kind(t.headers) for t in tables]
    if all(k in ("ozg2019-ozg", "ozg2019-leika") for k in kinds):
        return "ozg2019"
    if all(k == "fim-csv" for k in kinds):
        return "fim-csv"
    for table, kind in zip(tables, kinds, strict=True):
        if kind is None:
            where = f", Blatt {table.sheet!r}" if table.sheet else ""
            raise UserError(
                f"{table.shown}{where}: Spaltenaufbau nicht erkannt. Gefundene Spalten: "
                f"{', '.join(table.headers)}.",
                hint="Erkannt werden die OZG-Datenbank 2019 (ozg_leistungen.csv + "
                "leika_zu_ozg.csv) und der FIM-Export (Leistungsschlüssel, "
                "Leistungsbezeichnung, Typisierung, OZG-ID, OZG-Themenfeld); für andere "
                "Tabellen eine Zuordnungsdatei mit --mapping angeben (docs/catalogue-import.md).")
    raise UserError(
        "Die Dateien haben verschiedene Layouts: "
        + ", ".join(f"{t.shown} ({k})" for t, k in zip(tables, kinds, strict=True)) + ".",
        hint="Dateien eines Layouts zusammen importieren.")
