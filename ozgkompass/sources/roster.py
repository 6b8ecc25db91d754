"""A provider's member roster (`--members mitglieder.csv`): who should return a workbook,
and after a batch, each member's status and a reminder list for a mail merge.

The roster is a CSV (as Excel or LibreOffice save it: `;` or `,`, UTF-8 with or without
BOM, or Windows-1252; read through `sources.tables`) with the columns ARS and Name,
optionally Art, Kreis, Ansprechperson and E-Mail; German and English headers are both
understood."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ozgkompass.errors import DataError, Issue, Location, UserError, display_path
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.answers import ARS_RE
from ozgkompass.sources.template import TYPE_LABELS

MAX_MEMBERS = 20_000
MAX_BYTES = 20 * 1024 * 1024
_HEADERS = {
    "ars": ("ars", "regionalschlüssel", "amtlicher regionalschlüssel", "regionalschluessel",
            "gemeindeschlüssel"),
    "name": ("name", "kommune", "mitglied", "name der kommune"),
    "type": ("art", "typ", "type", "art der kommune"),
    "kreis": ("kreis", "landkreis"),
    "contact": ("ansprechperson", "ansprechpartner", "ansprechpartnerin", "kontakt",
                "contact"),
    "email": ("e-mail", "email", "mail", "e-mail-adresse"),
}
_TYPES = {v.casefold(): k for k, v in TYPE_LABELS.items()} | {k: k for k in TYPE_LABELS} | {
    "stadt": "stadt", "samtgemeinde": "gemeindeverband", "verbandsgemeinde": "gemeindeverband",
    "amt": "gemeindeverband", "verwaltungsgemeinschaft": "gemeindeverband",
    "verband": "gemeindeverband", "mitgliedsgemeinde": "mitgliedsgemeinde",
    "kreis": "landkreis", "kreisfreie stadt": "kreisfreie_stadt"}


@dataclass(frozen=True)
class Member:
    ars: str
    name: str
    type: str | None = None
    kreis: str | None = None
    contact: str | None = None
    email: str | None = None
    line: int = 0

    @property
    def kreis_key(self) -> str:
        """Land, Regierungsbezirk and Kreis: the first five digits of the ARS."""
        return self.ars[:5]


def read_members(path: Path) -> list[Member]:
    """The roster; every problem in it at once (DataError with line numbers)."""
    from ozgkompass.sources.tables import read_tables

    where = display_path(path)
    hint = ("Ist das die richtige Datei? Erwartet wird eine CSV-Datei mit einer Zeile je "
            "Mitglied (ARS, Name, Art, Ansprechperson, E-Mail).")
    # a Windows-1252 roster is read as such (its warning has nowhere to go: names are
    # shown as read)
    table = read_tables(path, max_bytes=MAX_BYTES, too_big_hint=hint, workbooks=False,
                        max_lines=MAX_MEMBERS + 1, too_many_hint=f"Eine Mitgliederliste hat "
                        f"höchstens {MAX_MEMBERS} Mitglieder; sonst die Liste aufteilen.")
    rows = table.sheets[0].rows
    if not rows:
        raise UserError(f"{where}: die Mitgliederliste ist leer.",
                        hint="Kopfzeile mit ARS;Name;Art;Ansprechperson;E-Mail und eine "
                        "Zeile je Mitglied.")
    header_row, headers = rows[0]
    header = [h.casefold() for h in headers]
    col = {key: next((i for i, h in enumerate(header) if h in names), None)
           for key, names in _HEADERS.items()}
    if col["ars"] is None or col["name"] is None:
        raise UserError(f"{where}, Zeile {header_row}: die Spalten „ARS“ und „Name“ fehlen "
                        f"(gefunden: {', '.join(headers) or 'nichts'}).",
                        hint="Kopfzeile z. B. ARS;Name;Art;Ansprechperson;E-Mail")
    issues: list[Issue] = []
    members: list[Member] = []
    seen: dict[str, int] = {}
    for n, row in rows[1:]:
        def get(key: str, row: list[str] = row) -> str | None:
            i = col[key]
            value = " ".join(row[i].split()) if i is not None and i < len(row) else ""
            return value or None

        loc = Location(where, row=n)
        ars = "".join((get("ars") or "").split())
        name = get("name")
        if not ARS_RE.match(ars):
            hint = (" (11 Ziffern: die führende Null ging verloren, als die Spalte als Zahl "
                    "gespeichert wurde; bitte als Text formatieren)" if ars.isdigit()
                    and len(ars) == 11 else "")
            issues.append(Issue(IssueCode.ROSTER_ARS, f"Regionalschlüssel „{ars}“ muss aus 12 "
                                f"Ziffern bestehen{hint}.", loc))
            continue
        if not name:
            issues.append(Issue(IssueCode.ROSTER_NAME, f"Zu {ars} fehlt der Name.", loc))
            continue
        if ars in seen:
            issues.append(Issue(IssueCode.ROSTER_DUPLICATE,
                                f"Regionalschlüssel {ars} steht schon in "
                                f"Zeile {seen[ars]}; eine der beiden Zeilen löschen.", loc))
            continue
        seen[ars] = n
        raw_type = get("type")
        mtype = _TYPES.get(raw_type.casefold()) if raw_type else None
        if raw_type and mtype is None:
            issues.append(Issue(IssueCode.ROSTER_TYPE, f"Art „{raw_type}“ ist unbekannt; erlaubt: "
                                f"{', '.join(TYPE_LABELS.values())} (auch Samtgemeinde, "
                                "Verbandsgemeinde, Amt).", loc))
            continue
        members.append(Member(ars, name, mtype, get("kreis"), get("contact"), get("email"), n))
    if issues:
        raise DataError(issues, f"{where}: {len(issues)} Problem(e) in der Mitgliederliste.")
    if not members:
        raise UserError(f"{where}: keine Mitglieder in der Liste.",
                        hint="Je Mitglied eine Zeile mit ARS und Name unter der Kopfzeile "
                             "eintragen.")
    return members


def kreis_names(members: list[Member], rows: Sequence[dict[str, Any]] = ()) -> dict[str, str]:
    """Kreis key (first five ARS digits) → the Kreis's name: from the roster's Landkreise
    and kreisfreie Städte, else from the files of such municipalities in the batch, else
    the name most files of that Kreis give (a clear majority of at least two)."""
    from collections import Counter

    from ozgkompass.sources.workbook_import import kreis_name

    names: dict[str, str] = {}
    votes: dict[str, Counter[str]] = {}
    for row in rows:
        ars = row.get("ars")
        if not ars or row.get("status") == "replaced":
            continue
        if row.get("type") in ("landkreis", "kreisfreie_stadt") and row.get("name"):
            names.setdefault(ars[:5], row["name"])
        if row.get("kreis"):
            votes.setdefault(ars[:5], Counter())[kreis_name(row["kreis"]) or ""] += 1
    for key, count in votes.items():
        top, n = count.most_common(1)[0]
        if key not in names and n >= 2 and 2 * n > sum(count.values()):
            names[key] = top
    for m in members:
        if m.type in ("landkreis", "kreisfreie_stadt"):
            names[m.kreis_key] = m.name
        elif m.kreis:
            names.setdefault(m.kreis_key, kreis_name(m.kreis) or m.kreis)
    return names


# ----------------------------------------------------------------------------- status

RETURNED, CORRECT, NOT_A_WORKBOOK, UNREADABLE, MISSING = (
    "bewertet", "korrigieren", "keine Mappe", "nicht lesbar", "nicht zurückgegeben")
STATUS_HEADER = ["ARS", "Kommune", "Art", "Kreis", "Ansprechperson", "E-Mail", "Status",
                 "Datei", "Was zu tun ist"]
REMINDER_HEADER = ["Anrede_Kommune", "ARS", "Ansprechperson", "E-Mail", "Status",
                   "Was zu tun ist", "Datei"]
MAX_CELLS_LISTED = 6


def _name_key(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


def _matches(member: Member, file: str) -> bool:
    """A file named after the member (its ARS or its name, with or without the type
    word): how a PDF or an unreadable file is tied to whom it came from."""
    stem = _name_key(Path(file).stem)
    if member.ars in stem.replace(" ", ""):
        return True
    name = _name_key(member.name)
    short = name.split(" ", 1)[1] if " " in name else name
    return any(len(n) >= 4 and n in stem for n in (name, short))


def member_status(result: Any, members: list[Member]) -> tuple[list[dict[str, Any]],
                                                                list[Issue]]:
    """One row per member (STATUS_HEADER keys in English) and the problems the roster
    shows: files of no member, a Kreis that disagrees with the ARS."""
    by_ars: dict[str, dict[str, Any]] = {}
    unmatched: list[dict[str, Any]] = []
    for rec in result.records:
        if rec["status"] == "replaced":
            continue
        if rec.get("ars"):
            by_ars[rec["ars"]] = rec
        else:
            unmatched.append(rec)
    not_books = [p for p in result.notes if p.code == "not-a-spreadsheet"]
    rows: list[dict[str, Any]] = []
    known = {m.ars for m in members}
    issues: list[Issue] = []
    # the names the batch worked out (roster and files), else the roster's own
    kreise = getattr(result, "kreise", None) or kreis_names(members)
    for m in members:
        rec = by_ars.get(m.ars)
        row = {"ars": m.ars, "name": m.name, "type": TYPE_LABELS.get(m.type or "", ""),
               "kreis": kreise.get(m.kreis_key) or m.kreis, "contact": m.contact,
               "email": m.email, "status": MISSING, "file": None, "todo": None}
        if rec is not None:
            row["file"] = rec["file"]
            if rec["status"] == "ok":
                row["status"] = RETURNED
            else:
                row["status"] = CORRECT
                row["todo"] = _todo(result, rec)
        elif (p := next((p for p in not_books if _matches(m, p.location.file or "")), None)):
            row.update(status=NOT_A_WORKBOOK, file=p.location.file, todo=p.message)
        elif (rec := next((r for r in unmatched if _matches(m, r["file"])), None)):
            row.update(status=UNREADABLE, file=rec["file"], todo=_todo(result, rec))
        else:
            row["todo"] = "ausgefüllte Mappe zurücksenden"
        rows.append(row)
    for ars, rec in sorted(by_ars.items()):
        if ars not in known:
            issues.append(Issue(IssueCode.NOT_A_MEMBER,
                                f"Regionalschlüssel {ars} steht nicht in der "
                                "Mitgliederliste; bewertet, aber keinem Mitglied zugeordnet. "
                                "Die Kommune in die Liste aufnehmen oder den "
                                "Regionalschlüssel in der Mappe prüfen.",
                                Location(rec["file"]), "warning"))
    return rows, issues


def _todo(result: Any, rec: dict[str, Any]) -> str:
    """The errors of a refused file as a short list of cells and messages."""
    full = result.full_record(rec)
    errors = [d for d in full.get("problems") or () if d["severity"] == "error"]
    parts = []
    for d in errors[:MAX_CELLS_LISTED]:
        loc = d["location"]
        place = "!".join(x for x in (loc.get("sheet"), loc.get("cell")) if x)
        parts.append(f"{place}: {d['message']}" if place else d["message"])
    more = len(errors) - MAX_CELLS_LISTED
    return " | ".join(parts) + (f" | … und {more} weitere" if more > 0 else "")


def kreis_warnings(result: Any, kreise: dict[str, str]) -> list[Issue]:
    """A free-text Kreis that disagrees with the Kreis the ARS belongs to (warning)."""
    from ozgkompass.sources.template import MASTER_FIELDS, MASTER_FIRST_ROW, MASTER_SHEET
    from ozgkompass.sources.workbook_import import kreis_name

    cell = f"B{MASTER_FIRST_ROW + [k for k, _ in MASTER_FIELDS].index('kreis')}"
    out = []
    for rec in result.records:
        if rec["status"] == "replaced" or not rec.get("ars"):
            continue
        expected = kreise.get(rec["ars"][:5])
        if expected is None:
            continue
        given = rec.get("kreis")
        if given and _name_key(kreis_name(given) or "") != _name_key(expected) and \
                _name_key(given) != _name_key(expected):
            out.append(Issue(IssueCode.KREIS, f"Kreis „{given}“ passt nicht zum Regionalschlüssel "
                             f"{rec['ars']}, der zu {expected} gehört; in der Übersicht "
                             f"steht {expected}.",
                             Location(rec["file"], sheet=MASTER_SHEET, cell=cell), "warning"))
    return out


def status_table(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r["ars"], r["name"], r["type"], r["kreis"], r["contact"], r["email"], r["status"],
             r["file"], r["todo"]] for r in rows]


def reminder_table(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The members who still have to do something, for a mail merge."""
    return [[r["name"], r["ars"], r["contact"], r["email"], r["status"], r["todo"], r["file"]]
            for r in rows if r["status"] != RETURNED]


def write_member_tables(out: Path, rows: list[dict[str, Any]]) -> list[Path]:
    """mitglieder.csv (every member with status) and erinnerung.csv (the members who still
    have to send or correct their workbook, for a mail merge)."""
    from ozgkompass.reports.cells import write_german_csv

    write_german_csv(out / "mitglieder.csv", STATUS_HEADER, status_table(rows))
    write_german_csv(out / "erinnerung.csv", REMINDER_HEADER, reminder_table(rows))
    return [out / "mitglieder.csv", out / "erinnerung.csv"]


# ----------------------------------------------------------------------------- templates

def template_name(member: Member) -> str:
    """`034560001001-gemeinde-aue.xlsx`: the ARS first (sorts by Kreis), no path parts."""
    from ozgkompass.interview.blank import file_name_for

    slug = file_name_for(member.name).removesuffix(".answers.yaml")
    return f"{member.ars}-{slug}.xlsx"


def last_answers(conn: Any, ars: str, questionnaire_id: str) -> tuple[Any, str | None]:
    """The member's answers of its latest archived round of this questionnaire, and its
    date; (None, None) when it has none."""
    from ozgkompass.archive.store import answers_of

    row = conn.execute(
        "SELECT id, interview_date FROM assessments WHERE ars = ? AND questionnaire_id = ? "
        "ORDER BY coalesce(interview_date, added_at) DESC, id DESC LIMIT 1",
        (ars, questionnaire_id)).fetchone()
    if row is None:
        return None, None
    return answers_of(conn, int(row[0])), row[1]


def write_member_templates(qn: Any, members: list[Member], out_dir: Path, *,
                           return_to: str | None = None, deadline: str | None = None,
                           conn: Any = None) -> tuple[list[Path], int]:
    """One workbook per member (Stammdaten locked; with `conn`, an archive, prefilled with
    its last answers); returns the files and how many were prefilled. Each file is written
    atomically; existing files are replaced (the CLI asks first)."""
    from ozgkompass.fsutil import atomic_write_bytes
    from ozgkompass.sources.template import Prefill, build_template

    kreise = kreis_names(members)
    out_dir.mkdir(parents=True, exist_ok=True)
    written, prefilled = [], 0
    for m in members:
        answers, answered_on = last_answers(conn, m.ars, qn.id) if conn is not None else (
            None, None)
        prefilled += answers is not None
        population = answers.municipality.population if answers is not None else None
        contact = ", ".join(x for x in (m.contact, m.email) if x) or None
        pre = Prefill(m.name, m.ars, m.type, kreise.get(m.kreis_key) or m.kreis, contact,
                      population, return_to, deadline, answers, answered_on)
        target = out_dir / template_name(m)
        atomic_write_bytes(target, build_template(qn, pre))
        written.append(target)
    return written, prefilled
