"""The Destatis Gemeindeverzeichnis (GV100AD): read the fixed-width file, keep it in the data
folder, look a municipality up by its Regionalschlüssel, and check an answers file's master
data against it.

Record layout (1-based columns, as in the file's own description and the public readers such
as `gv100ad-py`): 1–2 Satzart (10 Land, 20 Regierungsbezirk, 30 Region, 40 Kreis,
50 Gemeindeverband, 60 Gemeinde), 3–10 Gebietsstand (JJJJMMTT), 11–12 Land, 13 Regierungs-
bezirk, 14–15 Kreis, 16–18 Gemeinde, 19–22 Gemeindeverband, 23–72 Name, 123–124
Textkennzeichen (the kind: 41–45 Kreis, 50–58 Gemeindeverband, 60–67 Gemeinde), and for a
Gemeinde 129–139 Fläche (ha), 140–150 Einwohner. The 12-digit ARS is Land, Regierungsbezirk,
Kreis, Gemeindeverband, Gemeinde.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ozgkompass.errors import Issue, Location, UserError, display_path
from ozgkompass.fsutil import atomic_write_text, read_input
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.laender import NAMES, code_from_ars
from ozgkompass.numbers import german_date

MAX_BYTES = 50 * 1024 * 1024  # the whole file is about 5 MB
STORE_SUBDIR = "gemeinden"
STORE_FILE = "gv100ad.json"
STORE_FORMAT = 1

# Textkennzeichen → (label, type of the answers file or None: not a unit of its own)
KINDS: dict[str, tuple[str, str | None]] = {
    "41": ("Kreisfreie Stadt", "kreisfreie_stadt"), "42": ("Stadtkreis", "kreisfreie_stadt"),
    "43": ("Kreis", "landkreis"), "44": ("Landkreis", "landkreis"),
    "45": ("Regionalverband", "landkreis"),
    "50": ("Verbandsfreie Gemeinde", None), "51": ("Amt", "gemeindeverband"),
    "52": ("Samtgemeinde", "gemeindeverband"), "53": ("Verbandsgemeinde", "gemeindeverband"),
    "54": ("Verwaltungsgemeinschaft", "gemeindeverband"),
    "55": ("Kirchspielslandgemeinde", "gemeindeverband"),
    "56": ("Verwaltungsverband", "gemeindeverband"),
    "57": ("Verwaltungsgemeinschaft (Trägermodell)", "gemeindeverband"),
    "58": ("Erfüllende Gemeinde", "gemeindeverband"),
    "60": ("Markt", "gemeinde"), "61": ("Kreisfreie Stadt", "kreisfreie_stadt"),
    "62": ("Stadtkreis", "kreisfreie_stadt"), "63": ("Stadt", "stadt"),
    "64": ("Kreisangehörige Gemeinde", "gemeinde"),
    "65": ("Gemeindefreies Gebiet, bewohnt", None),
    "66": ("Gemeindefreies Gebiet, unbewohnt", None), "67": ("Große Kreisstadt", "stadt"),
}
_SATZARTEN = {"10", "20", "30", "40", "50", "60"}


@dataclass(frozen=True)
class Place:
    """A Gemeinde, Gemeindeverband or Kreis of the Gemeindeverzeichnis."""

    ars: str
    name: str  # as the file writes it, e.g. "Flensburg, Stadt"
    kind: str  # Textkennzeichen label, e.g. "Samtgemeinde"
    # gemeinde | stadt | mitgliedsgemeinde | gemeindeverband | landkreis | kreisfreie_stadt
    type: str | None
    land: str | None
    kreis: str | None  # the Kreis's name (none for a kreisfreie Stadt or a Kreis itself)
    population: int | None

    @property
    def display_name(self) -> str:
        """The name as an answers file writes it: "Stadt Flensburg", "Samtgemeinde Harsefeld"."""
        return display_name(self.name, self.kind)


# the word an answers file puts before the name, by kind (none: the name stands alone)
_PREFIX = {"Kreisangehörige Gemeinde": "Gemeinde", "Markt": "Markt", "Stadt": "Stadt",
           "Große Kreisstadt": "Stadt", "Kreisfreie Stadt": "Stadt", "Stadtkreis": "Stadt",
           "Kreis": "Kreis", "Landkreis": "Landkreis", "Regionalverband": "Regionalverband",
           "Amt": "Amt", "Samtgemeinde": "Samtgemeinde", "Verbandsgemeinde": "Verbandsgemeinde",
           "Verwaltungsgemeinschaft": "Verwaltungsgemeinschaft",
           "Kirchspielslandgemeinde": "Kirchspielslandgemeinde",
           "Verwaltungsverband": "Verwaltungsverband",
           "Verwaltungsgemeinschaft (Trägermodell)": "Verwaltungsgemeinschaft"}


def display_name(name: str, kind: str) -> str:
    """"Flensburg, Stadt" → "Stadt Flensburg"; "Harsefeld" (Samtgemeinde) → "Samtgemeinde
    Harsefeld"; a name that already starts with the word stays."""
    base, _, suffix = name.partition(",")
    if suffix.strip():
        return f"{suffix.strip()} {base.strip()}"
    word = _PREFIX.get(kind)
    if not word or name.split(" ")[0] == word:
        return name
    return f"{word} {name}"


_FIELDS = ["name", "kind", "type", "land", "kreis", "population"]  # of Place, after ars


@dataclass(frozen=True)
class Directory:
    gebietsstand: str  # ISO date of the file's Gebietsstand
    source: str  # file name it was imported from
    imported: str  # ISO date and time of the import
    rows: dict[str, tuple[Any, ...]]  # ARS → the other fields of Place, in order

    def get(self, ars: str | None) -> Place | None:
        # a Place is made only when asked for: loading 16,000 of them would cost more than
        # reading the file (validate and batch look up one per answers file)
        row = self.rows.get(ars or "")
        return Place(ars or "", *row) if row is not None else None

    def under(self, prefix: str) -> list[Place]:
        """Every unit whose ARS starts with `prefix` (e.g. all of a Kreis), in ARS order."""
        return [Place(a, *row) for a, row in sorted(self.rows.items()) if a.startswith(prefix)]

    def places(self) -> list[Place]:
        return self.under("")


def parse(text: str, source: str) -> tuple[Directory, list[Issue]]:
    """Read the records; a line that does not fit the layout is a warning with its number."""
    issues: list[Issue] = []
    raw: list[tuple[str, str, str, str, int | None]] = []  # satzart, ars, name, kind, pop
    kreise: dict[str, str] = {}
    stand: str | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        loc = Location(file=source, line=n)
        satzart = line[:2]
        if satzart not in _SATZARTEN:
            issues.append(Issue(IssueCode.GV100AD_LINE, f"Satzart {satzart!r} ist unbekannt; Zeile "
                                "übersprungen.", loc, "warning"))
            continue
        if len(line) < 72 or not line[2:10].isdigit():
            issues.append(Issue(IssueCode.GV100AD_LINE, "Zeile ist kürzer als der Satzaufbau oder "
                                "hat keinen Gebietsstand; übersprungen.", loc, "warning"))
            continue
        if stand is None:
            try:
                stand = datetime.strptime(line[2:10], "%Y%m%d").date().isoformat()
            except ValueError:
                issues.append(Issue(IssueCode.GV100AD_LINE, f"Gebietsstand {line[2:10]!r} ist kein "
                                    "Datum; Zeile übersprungen.", loc, "warning"))
                continue
        name = line[22:72].strip()
        kind = line[122:124].strip() if len(line) >= 124 else ""
        land, rb, kreis, gem, verband = line[10:12], line[12], line[13:15], line[15:18], \
            line[18:22]
        if satzart == "40":
            key = f"{land}{rb}{kreis}"
            if not key.isdigit():
                issues.append(Issue(IssueCode.GV100AD_LINE, "Kreisschlüssel ist nicht numerisch; "
                                    "übersprungen.", loc, "warning"))
                continue
            kreise[key] = display_name(name, KINDS.get(kind, ("", None))[0])
            raw.append((satzart, key + "0" * 7, name, kind, None))
        elif satzart == "50":
            ars = f"{land}{rb}{kreis}{verband.strip().zfill(4)}000"
            if not ars.isdigit():
                issues.append(Issue(IssueCode.GV100AD_LINE,
                                    "Verbandsschlüssel ist nicht numerisch; "
                                    "übersprungen.", loc, "warning"))
                continue
            raw.append((satzart, ars, name, kind, None))
        elif satzart == "60":
            ars = f"{land}{rb}{kreis}{verband}{gem}"
            pop_text = line[139:150].strip() if len(line) >= 150 else ""
            if not ars.isdigit() or (pop_text and not pop_text.isdigit()):
                issues.append(Issue(IssueCode.GV100AD_LINE,
                                    "Gemeindeschlüssel oder Einwohnerzahl ist "
                                    "nicht numerisch; übersprungen.", loc, "warning"))
                continue
            raw.append((satzart, ars, name, kind, int(pop_text) if pop_text else None))
    if not any(r[0] == "60" for r in raw):
        raise UserError(f"{source}: Die Datei enthält keinen Gemeindesatz (Satzart 60); das "
                        "ist kein Gemeindeverzeichnis im Format GV100AD.",
                        hint="Bei Destatis die Datei „GV100AD“ (ASCII, feste Satzlänge) "
                             "herunterladen, entpacken und die .txt-Datei angeben.")
    population: dict[str, int] = {}
    for satzart, ars, _, _, pop in raw:
        if satzart == "60" and pop is not None:
            for prefix in (ars[:9] + "000", ars[:5] + "0" * 7):
                population[prefix] = population.get(prefix, 0) + pop
    # Gemeindeverbände (Satzart 50 with an Amt, Samtgemeinde, Verbandsgemeinde … kind): their
    # Gemeinden are Mitgliedsgemeinden (docs/scoring.md §6, the Gemeindeverband types)
    verbaende = {ars for satzart, ars, _, kind, _ in raw
                 if satzart == "50" and KINDS.get(kind, ("", None))[1] == "gemeindeverband"}
    places: dict[str, tuple[Any, ...]] = {}
    for satzart, ars, name, kind, pop in raw:
        label, mtype = KINDS.get(kind, ("", None))
        if satzart == "60" and mtype in ("gemeinde", "stadt") and ars[:9] + "000" in verbaende:
            mtype = "mitgliedsgemeinde"
        if mtype is None:
            continue  # verbandsfreie placeholder, gemeindefreies Gebiet, unknown kind
        if satzart == "40" and ars in places:
            continue  # a kreisfreie Stadt's Gemeinde record (with population) came first
        if satzart != "60":
            pop = population.get(ars)
        in_kreis = kreise.get(ars[:5]) if mtype not in ("landkreis", "kreisfreie_stadt") \
            else None
        land_code = code_from_ars(ars)
        places[ars] = (name, label, mtype, NAMES.get(land_code or ""), in_kreis, pop)
    return Directory(gebietsstand=stand or "", source=source,
                     imported=datetime.now(UTC).replace(microsecond=0).isoformat(),
                     rows=places), issues


def read_file(path: Path) -> tuple[Directory, list[Issue]]:
    path = Path(path)
    shown = display_path(path)
    raw = read_input(path, max_bytes=MAX_BYTES,
                     too_big_hint="Die entpackte GV100AD-Textdatei angeben (etwa 5 MB).",
                     folder_hint="Die GV100AD-Textdatei angeben (GV100AD_TTMMJJ.txt).")
    if raw[:2] == b"PK":
        raise UserError(f"{shown}: Das ist ein ZIP-Archiv.",
                        hint="Das Archiv entpacken und die Datei GV100AD_TTMMJJ.txt angeben.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # older files are ISO-8859-1
    directory, issues = parse(text, path.name)
    return directory, issues


# --- store ---------------------------------------------------------------------------------


def store_path() -> Path:
    from ozgkompass.paths import data_dir

    return data_dir() / STORE_SUBDIR / STORE_FILE


def save(directory: Directory) -> Path:
    data = {"format": STORE_FORMAT, "gebietsstand": directory.gebietsstand,
            "source": directory.source, "imported": directory.imported,
            "fields": _FIELDS, "rows": {a: list(r) for a, r in sorted(directory.rows.items())}}
    target = store_path()
    atomic_write_text(target, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return target


_LOADED: dict[tuple[str, int, int], Directory] = {}


def load() -> Directory | None:
    """The imported Gemeindeverzeichnis, None if none was imported."""
    path = store_path()
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key in _LOADED:
        return _LOADED[key]
    hint = "Mit `ozgkompass gemeinden import DATEI` neu einlesen."
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != STORE_FORMAT or data.get("fields") != _FIELDS:
            raise KeyError("format")
        rows = {a: tuple(r) for a, r in data["rows"].items()}
        if any(len(r) != len(_FIELDS) for r in rows.values()):
            raise TypeError("rows")
        directory = Directory(str(data["gebietsstand"]), str(data["source"]),
                              str(data["imported"]), rows)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError,
            AttributeError):
        raise UserError(f"{display_path(path)}: Das gespeicherte Gemeindeverzeichnis ist "
                        "nicht lesbar (beschädigt oder von Hand verändert).",
                        hint=hint) from None
    _LOADED.clear()
    _LOADED[key] = directory
    return directory


# --- checking an answers file --------------------------------------------------------------

POPULATION_TOLERANCE = 0.10  # the file and the answers are from different years


def _core(name: str) -> str:
    text = name.split(",")[0].lower()
    for word in ("landkreis", "kreis", "stadt", "gemeinde", "samtgemeinde", "amt",
                 "verbandsgemeinde", "markt", "hansestadt", "große kreisstadt"):
        text = re.sub(rf"\b{word}\b", " ", text)
    return " ".join(re.sub(r"[^\wäöüß]+", " ", text).split())


def check_municipality(municipality: Any, directory: Directory, file: str | None
                       ) -> list[Issue]:
    """Warnings where an answers file's master data disagrees with the Gemeindeverzeichnis."""
    ars = getattr(municipality, "ars", None)
    place = directory.get(ars)
    if not ars or place is None:
        return []
    stand = f"Gemeindeverzeichnis, Stand {german_date(directory.gebietsstand)}"
    loc = Location(file=file)
    issues: list[Issue] = []

    def warn(code: IssueCode, text: str) -> None:
        issues.append(Issue(code, text, loc, "warning"))

    name = getattr(municipality, "name", "") or ""
    if _core(place.name) and _core(place.name) not in _core(name):
        warn(IssueCode.GV100AD_NAME,
             f"municipality.name {name!r} passt nicht zum Regionalschlüssel "
             f"{ars}: laut {stand} „{place.display_name}“.")
    mtype = getattr(municipality, "type", None)
    if mtype and place.type and mtype != place.type:
        warn(IssueCode.GV100AD_TYPE, f"municipality.type {mtype!r} weicht ab: laut {stand} "
             f"{place.kind} ({place.type}).")
    kreis = getattr(municipality, "kreis", None)
    if kreis and place.kreis and _core(place.kreis) not in _core(kreis):
        warn(IssueCode.GV100AD_KREIS, f"municipality.kreis {kreis!r} weicht ab: laut {stand} "
             f"„{place.kreis}“.")
    pop = getattr(municipality, "population", None)
    if pop and place.population and abs(pop - place.population) > \
            POPULATION_TOLERANCE * place.population:
        warn(IssueCode.GV100AD_POPULATION, f"municipality.population {pop} weicht um mehr als "
             f"{round(POPULATION_TOLERANCE * 100)} % ab: laut {stand} {place.population} "
             "Einwohner.")
    return issues


def check_answer_set(aset: Any) -> list[Issue]:
    """`check_municipality` against the imported Gemeindeverzeichnis; none imported: []."""
    directory = load()
    if directory is None:
        return []
    return check_municipality(aset.municipality, directory, aset.path)


def municipality_for(ars: str, name: str | None = None) -> Any:
    """The master data of an answers file from the Gemeindeverzeichnis (`new-answers --ars`);
    a name given by the user wins over the directory's."""
    from ozgkompass.model.answers import Municipality
    from ozgkompass.observed.ddv import normalise_ars

    ars = normalise_ars(ars)
    directory = load()
    if directory is None:
        raise UserError("Das Gemeindeverzeichnis ist noch nicht importiert; ohne es lassen "
                        "sich Name, Art, Kreis und Einwohnerzahl zum Regionalschlüssel nicht "
                        "nachschlagen.",
                        hint="Erst `ozgkompass gemeinden import GV100AD_TTMMJJ.txt` ausführen "
                             "(Datei von Destatis); bei new-answers geht auch --kommune ohne "
                             "--ars.")
    place = directory.get(ars)
    if place is None:
        raise UserError(f"Regionalschlüssel {ars} steht nicht im Gemeindeverzeichnis "
                        f"(Gebietsstand {german_date(directory.gebietsstand)}).",
                        hint="Den Schlüssel prüfen; nach einer Gebietsreform ein neueres "
                             "Verzeichnis importieren.")
    chosen = (name or "").strip() or place.display_name
    return Municipality(chosen, ars=ars, land=place.land, kreis=place.kreis, type=place.type,
                        population=place.population)
