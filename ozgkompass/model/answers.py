"""Answer files: one municipality's answers to one questionnaire (docs/answers-format.md).

Loading has two steps: `parse_answers` checks the file on its own (structure, municipality,
interview); `check_answers` checks it against the questionnaire it answers (unknown
questions, invalid options, answers hidden by a condition). Both collect every problem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ozgkompass import numbers
from ozgkompass.errors import Issue, Location
from ozgkompass.issue_codes import IssueCode
from ozgkompass.model.common import MAX_PER_KIND, Checker, did_you_mean, is_sane_number
from ozgkompass.model.questionnaire import QType, Question, Questionnaire
from ozgkompass.yamlio import LoadedYaml, YMap, load_yaml

TOP_KEYS = ("format", "questionnaire", "municipality", "interview", "answers",
            "superseded_answers")
REF_KEYS = ("id", "version", "hash")
# more than any municipality has, and what the archive (SQLite, 64-bit integers) stores
MAX_POPULATION = 100_000_000


def population_too_large(pop: int) -> str:
    """The German line for a population beyond MAX_POPULATION (a huge one by its length)."""
    digits = len(str(pop)) if pop < 10**4000 else None
    shown = (f"{pop:,}".replace(",", ".") if pop < 10**30
             else f"mit {digits or 'über 4000'} Stellen")
    limit = f"{MAX_POPULATION:,}".replace(",", ".")
    return (f"Einwohnerzahl {shown} ist größer als die jeder Kommune (höchstens {limit}); "
            "bitte prüfen.")


MUNICIPALITY_KEYS = ("name", "ars", "land", "kreis", "type", "population", "scope")
SCOPE_KEYS = ("add", "remove")
MUNICIPALITY_TYPES = ("gemeinde", "stadt", "kreisfreie_stadt", "landkreis", "gemeindeverband",
                      "mitgliedsgemeinde")
# older spellings still read: `verband` is the Gemeindeverband (Samtgemeinde, Amt, …) itself
OLD_MUNICIPALITY_TYPES = {"verband": "gemeindeverband"}
INTERVIEW_KEYS = ("date", "interviewer", "participants", "notes")
ANSWER_KEYS = ("value", "na", "reason", "unclear", "note", "source")
ARS_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Municipality:
    name: str
    ars: str | None = None
    land: str | None = None
    kreis: str | None = None
    type: str | None = None
    population: int | None = None
    # OZG-IDs this municipality executes beyond / does not execute despite its type
    # (e.g. a große kreisangehörige Stadt with its own Bauaufsicht)
    scope_add: tuple[str, ...] = ()
    scope_remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interview:
    date: str | None = None
    interviewer: str | None = None
    participants: tuple[str, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class Answer:
    question_id: str
    value: Any = None  # None = open; list for multiple choice
    na: bool = False
    reason: str | None = None
    note: str | None = None
    source: str | None = None
    line: int | None = None
    column: int | None = None
    unclear: str | None = None  # "weiß nicht / klären mit …": with whom to clarify
    raw: str | None = None  # the value's text in the file when YAML read it as a number

    @property
    def answered(self) -> bool:
        return not self.na and self.unclear is None and self.value is not None


@dataclass(frozen=True)
class QuestionnaireRef:
    id: str
    version: str | None = None
    hash: str | None = None
    line: int | None = None


@dataclass
class AnswerSet:
    questionnaire: QuestionnaireRef
    municipality: Municipality
    interview: Interview
    answers: dict[str, Answer] = field(default_factory=dict)
    path: str | None = None
    # problems of the file on its own (header, structure); errors among them make the file
    # invalid, but the answers are still checked so that every problem is reported at once
    issues: list[Issue] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    # answers given to an older questionnaire version that no longer fit (kept, never scored)
    superseded: dict[str, Any] = field(default_factory=dict)
    migration: Any = None  # model.migrations.Migration when carried forward on loading

    def get(self, qid: str) -> Answer | None:
        return self.answers.get(qid)


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value).strip() or None


def parse_answers(doc: LoadedYaml) -> tuple[AnswerSet | None, list[Issue]]:
    """Check an answers file on its own; returns the answer set and the issues.

    The answer set is None only when the file is not an answers file at all (no mapping);
    with errors in the header it is still returned (with `has_errors`), so that the answers
    can be checked too and every problem is reported at once."""
    ck = Checker(doc, list(doc.issues))
    if doc.data is None:
        return None, ck.issues
    m = ck.mapping(doc.data, "Die Antwortdatei", (1, 1))
    if m is None:
        return None, ck.issues
    ck.keys(m, TOP_KEYS, ("questionnaire", "municipality", "answers"), "der Antwortdatei")
    if m.get("format", 1) != 1:
        ck.error(IssueCode.FORMAT,
                 f"Formatversion {m.get('format')!r} wird nicht unterstützt (nur 1).",
                 m.pos_of("format"))
    ref = QuestionnaireRef("?")
    rm = ck.mapping(m.get("questionnaire"), "`questionnaire`", m.pos_of("questionnaire")) \
        if "questionnaire" in m else None
    if rm is not None:
        ck.keys(rm, REF_KEYS, ("id",), "`questionnaire`")
        if not isinstance(rm.get("id"), str):
            ck.error(IssueCode.TYPE, "`questionnaire.id` muss die ID des Fragebogens sein, z. B. "
                     "ozg-kommune.", rm.pos_of("id"))
        ref = QuestionnaireRef(str(rm.get("id", "?")), _opt_str(rm.get("version")),
                               _opt_str(rm.get("hash")), rm.pos_of("id")[0])
    muni = Municipality("?")
    mm = ck.mapping(m.get("municipality"), "`municipality`", m.pos_of("municipality")) \
        if "municipality" in m else None
    if mm is not None:
        ck.keys(mm, MUNICIPALITY_KEYS, ("name",), "`municipality`")
        ars = _opt_str(mm.get("ars"))
        raw_ars = mm.raw("ars") if isinstance(mm, YMap) else None
        if raw_ars is not None and ARS_RE.match(raw_ars):
            ck.error(IssueCode.ARS,
                     f"Amtlicher Regionalschlüssel {raw_ars} steht ohne Anführungszeichen; "
                     f"YAML liest ihn als Zahl ({mm.get('ars')}). So schreiben: "
                     f"ars: \"{raw_ars}\"", mm.pos_of("ars"))
            ars = None
        elif ars is not None and not ARS_RE.match(ars):
            shown = raw_ars or ars
            ck.error(IssueCode.ARS,
                     f"Amtlicher Regionalschlüssel {shown!r} muss aus 12 Ziffern bestehen "
                     "(in Anführungszeichen, damit führende Nullen bleiben).", mm.pos_of("ars"))
            ars = None
        land_name = _opt_str(mm.get("land"))
        if ars is not None and land_name:
            from ozgkompass.model.laender import NAMES, code_from_ars, code_from_name

            by_ars, by_name = code_from_ars(ars), code_from_name(land_name)
            if by_name is None:
                ck.warn(IssueCode.LAND,
                        f"Land {land_name!r} ist unbekannt; erwartet wird der Name eines "
                        f"Landes, z. B. {NAMES['NI']}.", mm.pos_of("land"))
            elif by_ars != by_name:
                ck.error(IssueCode.ARS_LAND, f"Der Regionalschlüssel {ars} gehört zu "
                         f"{NAMES.get(by_ars or '', 'keinem Land')} (erste zwei Ziffern "
                         f"{ars[:2]}), angegeben ist {land_name}; eines von beiden "
                         "korrigieren.", mm.pos_of("ars"))
        mtype = mm.get("type")
        mtype = OLD_MUNICIPALITY_TYPES.get(mtype, mtype) if isinstance(mtype, str) else mtype
        if mtype is not None and mtype not in MUNICIPALITY_TYPES:
            ck.error(IssueCode.MUNICIPALITY_TYPE, f"`type` {mtype!r} ist unbekannt."
                     + did_you_mean(str(mtype), MUNICIPALITY_TYPES)
                     + f" Erlaubt: {', '.join(MUNICIPALITY_TYPES)}.", mm.pos_of("type"))
            mtype = None
        pop = mm.get("population")
        if pop is not None and (isinstance(pop, bool) or not isinstance(pop, int) or pop < 0):
            raw_pop = mm.raw("population") if isinstance(mm, YMap) else None
            german = (f" YAML liest {raw_pop} mit dem Punkt als Dezimaltrennzeichen; sind "
                      f"{raw_pop.replace('.', '')} Einwohner gemeint, so schreiben: population: "
                      f"{raw_pop.replace('.', '')}" if raw_pop and
                      numbers.FILE_THOUSANDS.fullmatch(raw_pop) else "")
            ck.error(IssueCode.POPULATION,
                     f"`population` muss eine ganze Zahl ≥ 0 sein, ist {pop!r}."
                     + german, mm.pos_of("population"))
            pop = None
        elif pop is not None and pop > MAX_POPULATION:
            ck.error(IssueCode.POPULATION, population_too_large(pop), mm.pos_of("population"))
            pop = None
        name = mm.get("name")
        if "name" in mm and (not isinstance(name, str | int) or not str(name).strip()):
            ck.error(IssueCode.MUNICIPALITY_NAME,
                     "Der Name der Kommune (`municipality.name`) fehlt oder "
                     "ist leer.", mm.pos_of("name"))
        scope: dict[str, tuple[str, ...]] = {"add": (), "remove": ()}
        if mm.get("scope") is not None:
            sm = ck.mapping(mm.get("scope"), "`municipality.scope`", mm.pos_of("scope"))
            if sm is not None:
                ck.keys(sm, SCOPE_KEYS, (), "`municipality.scope`")
                for key in SCOPE_KEYS:
                    ids = sm.get(key) or []
                    ids = ids if isinstance(ids, list) else [ids]
                    bad = [i for i in ids if not re.fullmatch(r"\d{5}", str(i))]
                    if bad:
                        ck.error(IssueCode.SCOPE,
                                 f"`scope.{key}`: {', '.join(map(repr, bad))} ist keine "
                                 "fünfstellige OZG-ID (in Anführungszeichen, z. B. \"10519\").",
                                 sm.pos_of(key))
                    scope[key] = tuple(str(i) for i in ids)
        muni = Municipality(str(name or "?").strip(), ars, _opt_str(mm.get("land")),
                            _opt_str(mm.get("kreis")), mtype, pop, scope["add"],
                            scope["remove"])
    interview = Interview()
    if m.get("interview") is not None:
        im = ck.mapping(m.get("interview"), "`interview`", m.pos_of("interview"))
        if im is not None:
            ck.keys(im, INTERVIEW_KEYS, (), "`interview`")
            parts = im.get("participants") or []
            if isinstance(parts, str):
                parts = [parts]
            elif not isinstance(parts, list):
                ck.error(IssueCode.TYPE,
                         "`participants` muss eine Liste von Personen oder Rollen sein.",
                         im.pos_of("participants"))
                parts = []
            interview = Interview(_opt_str(im.get("date")), _opt_str(im.get("interviewer")),
                                  tuple(str(p) for p in parts if p is not None),
                                  _opt_str(im.get("notes")))
    answers: dict[str, Answer] = {}
    raw = m.get("answers")
    am = None
    if raw is None and "answers" in m:
        raw = YMap()
        raw.pos, raw.key_pos, raw.val_pos = m.pos_of("answers"), {}, {}
    if "answers" in m:
        am = ck.mapping(raw, "`answers`", m.pos_of("answers"))
    for qid, entry in (am or {}).items():
        line, column = am.pos_of(qid)  # type: ignore[union-attr]
        if isinstance(entry, YMap):
            ck.keys(entry, ANSWER_KEYS, (), f"der Antwort auf {qid}")
            na = entry.get("na", False)
            if not isinstance(na, bool):
                ck.error(IssueCode.TYPE,
                         f"`na` in der Antwort auf {qid} muss true oder false sein.",
                         entry.pos_of("na"))
                na = False
            if na and entry.get("value") is not None:
                ck.error(IssueCode.NA_AND_VALUE, f"Antwort auf {qid} hat einen Wert und zugleich "
                         "`na: true`; eines von beiden entfernen.", entry.pos)
            unclear = entry.get("unclear")
            if "unclear" in entry:
                if isinstance(unclear, dict | list) or not _opt_str(unclear):
                    ck.error(IssueCode.UNCLEAR,
                             f"`unclear` in der Antwort auf {qid} nennt, mit wem die "
                             "Frage zu klären ist, z. B. `unclear: IT-Dienstleister`.",
                             entry.pos_of("unclear"))
                    unclear = None
                elif na or entry.get("value") is not None:
                    ck.error(IssueCode.UNCLEAR_AND_VALUE,
                             f"Antwort auf {qid} ist zugleich „weiß nicht / "
                             "klären mit …“ (`unclear`) und beantwortet oder „trifft nicht zu“; "
                             "eines davon entfernen.", entry.pos_of("unclear"))
            answers[str(qid)] = Answer(str(qid), entry.get("value"), na,
                                       _opt_str(entry.get("reason")), _opt_str(entry.get("note")),
                                       _opt_str(entry.get("source")), line, column,
                                       _opt_str(unclear), entry.raw("value"))
        else:
            answers[str(qid)] = Answer(str(qid), entry, False, line=line, column=column,
                                       raw=am.raw(qid))  # type: ignore[union-attr]
    superseded: dict[str, Any] = {}
    if m.get("superseded_answers") is not None:
        sm = ck.mapping(m["superseded_answers"], "`superseded_answers`",
                        m.pos_of("superseded_answers"))
        superseded = {str(k): v for k, v in (sm or {}).items()}
    return AnswerSet(ref, muni, interview, answers, doc.path, list(ck.issues),
                     superseded), ck.issues


def load_answers(path: Path | str) -> tuple[AnswerSet | None, list[Issue]]:
    return parse_answers(load_yaml(path))


def normalise_value(q: Question, value: Any) -> tuple[Any, str | None]:
    """The answer value in canonical form, or an error message saying what is expected."""
    if q.type is QType.YES_NO:
        if isinstance(value, bool):
            return ("ja" if value else "nein"), None
        if isinstance(value, str) and value.strip().lower() in ("ja", "nein"):
            return value.strip().lower(), None
        return None, f"erwartet `ja` oder `nein`, gefunden {value!r}"
    if isinstance(value, bool) and q.type in (QType.SINGLE, QType.MULTIPLE):
        allowed = [o.value for o in q.options]
        word = "ja/yes/true/on" if value else "nein/no/false/off"
        return None, (f"YAML liest ein unquotiertes {word} als Wahrheitswert, nicht als Text; "
                      f"diese Frage erwartet eine Option ({', '.join(allowed)}). Die Option "
                      "schreiben oder in Anführungszeichen setzen")
    if q.type is QType.SINGLE:
        allowed = [o.value for o in q.options]
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value) in allowed:
            return str(value), None
        return None, (f"{value!r} ist keine Option." + did_you_mean(str(value), allowed)
                      + f" Möglich: {', '.join(allowed)}")
    if q.type is QType.MULTIPLE:
        items = value if isinstance(value, list) else [value]
        allowed = [o.value for o in q.options]
        bad = [v for v in items if str(v) not in allowed]
        if bad:
            return None, (f"{', '.join(repr(b) for b in bad)} ist keine Option."
                          + did_you_mean(str(bad[0]), allowed) + f" Möglich: {', '.join(allowed)}")
        chosen = list(dict.fromkeys(str(v) for v in items))
        exclusive = [v for v in chosen if q.option(v) and q.option(v).exclusive]  # type: ignore[union-attr]
        if exclusive and len(chosen) > 1:
            return None, (f"{exclusive[0]!r} schließt die anderen Optionen aus, gewählt wurden "
                          f"aber {', '.join(chosen)}")
        return chosen, None
    if q.type is QType.SERVICES:
        return services_value(value)
    if isinstance(value, float) and not is_sane_number(value):
        return None, f"{value!r} ist keine gültige Zahl"
    if q.type is QType.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"erwartet eine ganze Zahl von {q.min} bis {q.max}, gefunden {value!r}"
        if not q.min <= value <= q.max:  # type: ignore[operator]
            return None, f"{value} liegt nicht zwischen {q.min} und {q.max}"
        return value, None
    if q.type is QType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            return None, f"erwartet eine Zahl ≥ 0, gefunden {value!r}"
        if not is_sane_number(value):
            return None, "die Zahl ist zu groß"
        return value, None
    if isinstance(value, dict | list):
        return None, "erwartet einen Text"
    return str(value), None


SERVICE_STATES = ("online", "nicht_online")
_OZG_ID = re.compile(r"^\d{5}$")


def services_value(value: Any) -> tuple[Any, str | None]:
    """A `services_online` answer in canonical form: {online: [OZG-IDs], nicht_online: […]}
    (each sorted, without repeats); services in neither list are unknown."""
    expected = ("erwartet `{online: [\"10559\", …], nicht_online: [\"10255\", …]}` "
                "(OZG-IDs; nicht genannte Leistungen gelten als unbekannt)")
    if not isinstance(value, dict):
        return None, f"{expected}, gefunden {value!r}"
    bad_keys = [k for k in value if k not in SERVICE_STATES]
    if bad_keys:
        return None, (f"{bad_keys[0]!r} ist kein Schlüssel." + did_you_mean(
            str(bad_keys[0]), SERVICE_STATES) + f" Möglich: {', '.join(SERVICE_STATES)}")
    out: dict[str, list[str]] = {}
    for key in SERVICE_STATES:
        items = value.get(key) or []
        if not isinstance(items, list):
            items = [items]
        ids = []
        for item in items:
            text = str(item).strip() if isinstance(item, str | int) and not isinstance(
                item, bool) else ""
            if not _OZG_ID.match(text):
                return None, (f"{item!r} unter `{key}` ist keine OZG-ID (fünf Ziffern, "
                              "z. B. \"10559\")")
            ids.append(text)
        out[key] = sorted(set(ids))
    both = sorted(set(out["online"]) & set(out["nicht_online"]))
    if both:
        return None, (f"{', '.join(both)} steht unter `online` und unter `nicht_online`; "
                      "bitte nur eines")
    return out, None


def parse_services_text(text: str) -> tuple[Any, str | None]:
    """A services_online answer written in one cell or line:
    „online: 10559, 10294; nicht_online: 10255“ (either part may be left out)."""
    out: dict[str, list[str]] = {"online": [], "nicht_online": []}
    for part in (p.strip() for p in text.split(";") if p.strip()):
        key, sep, ids = part.partition(":")
        key = key.strip().casefold().replace(" ", "_")
        if not sep or key not in out:
            return None, (f"„{part}“: erwartet „online: OZG-IDs; nicht_online: OZG-IDs“, "
                          "z. B. „online: 10559, 10294; nicht_online: 10255“")
        out[key].extend(i for i in re.split(r"[,\s]+", ids) if i)
    return services_value(out)


@dataclass
class Resolved:
    """Answers checked against the questionnaire: canonical values and question visibility.
    `of`: the questionnaire and answer set that were checked (held, compared by identity),
    so a check can be handed on with them instead of being repeated."""

    values: dict[str, Any]  # canonical values of visible, answered questions
    visible: dict[str, bool]
    issues: list[Issue]
    of: tuple[Questionnaire, AnswerSet] | None = None

    def for_(self, qn: Questionnaire, aset: AnswerSet) -> Resolved | None:
        """A copy to work on (callers add their own issues) if this is the check of these
        very objects, else None."""
        if self.of is None or self.of[0] is not qn or self.of[1] is not aset:
            return None
        return Resolved(dict(self.values), dict(self.visible), list(self.issues), self.of)


def check_answers(qn: Questionnaire, aset: AnswerSet, *,
                  known: Resolved | None = None) -> Resolved:
    """Check answers against the questionnaire in question order; conditions see earlier
    answers. `known`: an earlier check of the same objects (the import checks a
    workbook's answers and hands the check on to scoring): a copy of it is returned."""
    if known is not None:
        copy = known.for_(qn, aset)
        if copy is not None:
            return copy
    resolved = _check_answers(qn, aset)
    resolved.of = (qn, aset)
    return resolved


def _check_answers(qn: Questionnaire, aset: AnswerSet) -> Resolved:
    issues: list[Issue] = []

    def loc(line: int | None, column: int | None = None) -> Location:
        return Location(aset.path, line, column)

    def at(ans: Answer) -> Location:
        return loc(ans.line, ans.column)

    if aset.questionnaire.id != qn.id:
        issues.append(Issue(IssueCode.QUESTIONNAIRE_ID, f"Die Antworten gehören zu Fragebogen "
                            f"{aset.questionnaire.id!r}, geprüft wird gegen {qn.id!r}.",
                            loc(aset.questionnaire.line)))
    elif aset.questionnaire.version and aset.questionnaire.version != qn.version:
        issues.append(Issue(IssueCode.QUESTIONNAIRE_VERSION, f"Die Antworten wurden zu Version "
                            f"{aset.questionnaire.version} erfasst, der Fragebogen hat Version "
                            f"{qn.version}; Fragen können sich geändert haben.",
                            loc(aset.questionnaire.line),
                            "warning"))
    elif aset.questionnaire.hash and aset.questionnaire.hash != qn.hash:
        issues.append(Issue(IssueCode.QUESTIONNAIRE_HASH, "Der Fragebogen wurde seit der Erfassung "
                            "verändert (anderer Inhalts-Hash bei gleicher Version); Ergebnisse "
                            "können abweichen.", loc(aset.questionnaire.line), "warning"))
    known = {q.id for q in qn.questions}
    unknown = [(qid, ans) for qid, ans in aset.answers.items() if qid not in known]
    for qid, ans in unknown[:MAX_PER_KIND]:
        issues.append(Issue(IssueCode.UNKNOWN_QUESTION, f"Frage {qid!r} gibt es im Fragebogen "
                            f"{qn.id} {qn.version} nicht." + did_you_mean(qid, known),
                            at(ans)))
    if len(unknown) > MAX_PER_KIND:
        issues.append(Issue(IssueCode.UNKNOWN_QUESTION,
                            f"… und {len(unknown) - MAX_PER_KIND} weitere "
                            f"Fragen, die es im Fragebogen {qn.id} nicht gibt (ab "
                            f"{unknown[MAX_PER_KIND][0]!r}); passt die Datei zu diesem "
                            "Fragebogen?", at(unknown[MAX_PER_KIND][1])))
    values: dict[str, Any] = {}
    visible: dict[str, bool] = {}
    for q in qn.questions:
        shown = q.when is None or q.when.evaluate(values)
        visible[q.id] = shown
        ans = aset.answers.get(q.id)  # type: ignore[assignment]  # None handled below
        if ans is None or (ans.value is None and not ans.na) or ans.unclear:
            continue
        if not shown:
            issues.append(Issue(IssueCode.HIDDEN_ANSWER,
                                f"Frage {q.id!r} wird wegen ihrer Bedingung "
                                f"({q.when.source}) nicht gestellt; die Antwort wird ignoriert.",  # type: ignore[union-attr]
                                at(ans), "warning"))
            continue
        if ans.na:
            if not q.na_allowed:
                issues.append(Issue(IssueCode.NA_NOT_ALLOWED,
                                    f"Frage {q.id!r} erlaubt „trifft nicht zu“ "
                                    "nicht; bitte eine Antwort geben.", at(ans)))
            elif q.na_reason_required and not ans.reason:
                issues.append(Issue(IssueCode.NA_REASON,
                                    f"„Trifft nicht zu“ bei Frage {q.id!r} braucht "
                                    "eine Begründung (`reason`).", at(ans)))
            continue
        value = ans.value
        if q.type in (QType.NUMBER, QType.SCALE):  # German number writing (ozgkompass/numbers)
            value, hint, severity = numbers.in_file(value, ans.raw, q.unit)
            if hint:
                issues.append(Issue(IssueCode.NUMBER_WRITING,
                                    f"Antwort auf {q.id!r}: {hint}.", at(ans),
                                    severity or "error"))
                if severity == "error":
                    continue
        value, problem = normalise_value(q, value)
        if problem:
            issues.append(Issue(IssueCode.INVALID_VALUE,
                                f"Antwort auf {q.id!r}: {problem}.", at(ans)))
            continue
        values[q.id] = value
    issues.extend(services_plausibility(qn, aset, values))
    return Resolved(values, visible, issues)


COUNT_QUESTION = "portal_online_services_count"


def services_plausibility(qn: Questionnaire, aset: AnswerSet,
                          values: dict[str, Any]) -> list[Issue]:
    """The services named online against the number of online services counted: every
    OZG-Leistung online needs at least one Online-Dienst (a warning, never an error)."""
    count = values.get(COUNT_QUESTION)
    if count is None:
        return []
    out = []
    for q in qn.questions:
        if q.type is not QType.SERVICES or q.id not in values:
            continue
        online = len(values[q.id]["online"])
        ans = aset.answers[q.id]
        where = Location(aset.path, ans.line, ans.column)
        if online > count:
            out.append(Issue(IssueCode.SERVICES_COUNT, f"{q.id}: {online} Leistung(en) als online "
                             f"genannt, aber {COUNT_QUESTION} zählt nur {count:g} "
                             "Online-Dienst(e); eine der beiden Antworten prüfen.", where,
                             "warning"))
        elif count and not online and values[q.id]["nicht_online"]:
            out.append(Issue(IssueCode.SERVICES_COUNT,
                             f"{q.id}: keine Leistung als online genannt, "
                             f"aber {COUNT_QUESTION} zählt {count:g} Online-Dienst(e); "
                             "welche sind es?", where, "warning"))
    return out


def is_answers(data: Any) -> bool:
    """An answers file, also when `answers` itself is misspelt."""
    return isinstance(data, dict) and ("answers" in data or (
        "questionnaire" in data and "municipality" in data and "areas" not in data))
