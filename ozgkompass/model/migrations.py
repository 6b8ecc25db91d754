"""Answers written for an older version of a built-in questionnaire, carried forward.

A step turns the answers of one version into those of the next (in memory; the interview
writes the result to the file). What no longer fits moves to `superseded_answers` with the
reason, so nothing is lost; a new question the old version did not ask gets a note saying
so, so the file itself says what is still unasked (docs/answers-format.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ozgkompass.model.answers import Answer, AnswerSet

# ozg-kommune 1.1.0 asked for eight (Gemeinde) and six (Kreis) named services; 1.2.0 asks
# per OZG-Leistung (portal_services_online). Option → OZG-IDs of the built-in catalogue.
LOCAL_SERVICES = {
    "meldebescheinigung": ("10559",), "wohnsitzanmeldung": ("10124",),
    "gewerbe": ("10294",), "urkunden": ("10557", "10237"), "hundesteuer": ("10160",),
    "kita": ("10019",), "parken": ("10173",), "sondernutzung": ("10348",),
}
COUNTY_SERVICES = {
    "kfz": ("10439",), "bauantrag": ("10519",), "wohngeld": ("10092",),
    "elterngeld": ("10000",), "fuehrerschein": ("10169",), "aufenthalt": ("10255",),
}
BACKUP_PARTS = ("security_backup_regular", "security_backup_offline",
                "security_backup_restore_tested")
NEW_IN_1_2 = ("accounts_eudi_wallet", "backoffice_privacy_cockpit", "governance_dstack",
              "governance_cloud", "governance_ai")


@dataclass(frozen=True)
class Migration:
    """What a step did: from/to version, answers carried over, questions now unasked."""

    questionnaire: str
    old_version: str
    new_version: str
    carried: tuple[str, ...] = ()  # new questions answered from old answers
    superseded: tuple[str, ...] = ()  # old answers moved to superseded_answers
    unasked: tuple[str, ...] = ()  # new questions without an answer yet

    def summary(self) -> str:
        parts = [f"Antworten zu {self.questionnaire} {self.old_version} für "
                 f"{self.new_version} übertragen"]
        if self.carried:
            parts.append("übernommen in " + ", ".join(self.carried))
        if self.superseded:
            parts.append("entfallen (unter superseded_answers erhalten): "
                         + ", ".join(self.superseded))
        if self.unasked:
            parts.append("neu und noch nicht gefragt: " + ", ".join(self.unasked))
        return "; ".join(parts) + "."


def _supersede(aset: AnswerSet, qid: str, old_version: str, why: str) -> Answer | None:
    a = aset.answers.pop(qid, None)
    if a is None:
        return None
    aset.superseded[qid] = superseded_entry(a, old_version, why)
    return a


def superseded_entry(a: Any, version: str, why: str) -> dict[str, Any]:
    """What `superseded_answers` keeps of an answer that no longer fits its question."""
    entry: dict[str, Any] = {"version": version, "why": why}
    if a.value is not None:
        entry["value"] = a.value
    for key in ("na", "reason", "unclear", "note", "source"):
        if getattr(a, key):
            entry[key] = getattr(a, key)
    return entry


def _services_from_lists(aset: AnswerSet, old: str
                         ) -> tuple[list[str], list[str], list[str]]:
    """The 1.1.0 lists as services online / not online (listed but not chosen)."""
    why = ("Frage entfällt in 1.2.0; die Antwort ist in portal_services_online "
           "übernommen (gewählte Leistungen online, nicht gewählte nicht online)")
    online: list[str] = []
    offline: list[str] = []
    notes: list[str] = []
    for qid, mapping in (("portal_local_services", LOCAL_SERVICES),
                         ("portal_county_services", COUNTY_SERVICES)):
        a = _supersede(aset, qid, old, why)
        if a is None:
            continue
        if a.note:
            notes.append(a.note)
        if a.na or a.unclear or a.value is None:
            continue
        chosen = set(a.value if isinstance(a.value, list) else [a.value])
        for value, ids in mapping.items():
            (online if value in chosen else offline).extend(ids)
    return online, offline, notes


def _ozg_kommune_1_1_to_1_2(aset: AnswerSet, old: str) -> Migration:
    carried: list[str] = []
    had = [q for q in ("portal_local_services", "portal_county_services", "security_backup")
           if q in aset.answers]
    online, offline, notes = _services_from_lists(aset, old)
    if online or offline:
        note = (f"Aus Fragebogen {old} übernommen: {len(online)} Leistung(en) online, "
                f"{len(offline)} nicht online; die übrigen Leistungen der Kommune sind noch "
                "nicht gefragt.")
        aset.answers["portal_services_online"] = Answer(
            "portal_services_online",
            value={"online": sorted(set(online)), "nicht_online": sorted(set(offline))},
            note=" ".join([note, *notes]))
        carried.append("portal_services_online")
    backup = _supersede(aset, "security_backup", old,
                        "Frage in 1.2.0 aufgeteilt in " + ", ".join(BACKUP_PARTS)
                        + "; „ja“ gilt für alle drei, sonst werden sie neu gefragt")
    if backup is not None and backup.value == "ja" and not backup.na:
        for qid in BACKUP_PARTS:
            aset.answers[qid] = Answer(qid, value="ja", note=backup.note, source=backup.source)
        carried.extend(BACKUP_PARTS)
    elif backup is not None:
        for qid in BACKUP_PARTS:  # "nein": which of the three is missing is not known
            aset.answers[qid] = Answer(qid, note="Neu in Fragebogen 1.2.0 (vorher eine Frage "
                                       "security_backup); noch nicht gefragt.")
    unasked = [q for q in NEW_IN_1_2 if q not in aset.answers]
    for qid in unasked:
        aset.answers[qid] = Answer(qid, note="Neu in Fragebogen 1.2.0; noch nicht gefragt.")
    if backup is not None and not (backup.value == "ja" and not backup.na):
        unasked = [*BACKUP_PARTS, *unasked]
    if "portal_services_online" not in aset.answers:
        unasked.insert(0, "portal_services_online")
    return Migration("ozg-kommune", old, "1.2.0", tuple(carried), tuple(had), tuple(unasked))


STEPS: dict[tuple[str, str], tuple[str, Callable[[AnswerSet, str], Migration]]] = {
    ("ozg-kommune", "1.1.0"): ("1.2.0", _ozg_kommune_1_1_to_1_2),
}


def migrate(aset: AnswerSet) -> Migration | None:
    """Carry answers of an older built-in questionnaire version forward, step by step (in
    place); None when there is nothing to do. The file is not touched."""
    done: list[Migration] = []
    while True:
        ref = aset.questionnaire
        step = STEPS.get((ref.id, ref.version or ""))
        if step is None:
            break
        new_version, run = step
        done.append(run(aset, ref.version or "?"))
        aset.questionnaire = dataclasses.replace(ref, version=new_version, hash=None)
    if not done:
        return None
    first, last = done[0], done[-1]
    return Migration(first.questionnaire, first.old_version, last.new_version,
                     tuple(q for m in done for q in m.carried),
                     tuple(q for m in done for q in m.superseded),
                     tuple(q for m in done for q in m.unasked))
