"""A new answers file: master data, file name from the municipality's name, and the
blank file of `new-answers` that lists every question as a comment."""

from __future__ import annotations

import textwrap

from ozgkompass.model.answers import AnswerSet, Interview, Municipality, QuestionnaireRef
from ozgkompass.model.questionnaire import QType, Question, Questionnaire
from ozgkompass.reports.naming import report_stem
from ozgkompass.sources.answers_file import dump_answers


def file_name_for(name: str) -> str:
    """`Gemeinde Müllheim/Baden` -> `gemeinde-muellheim-baden.answers.yaml`: the cleaning of
    report names (no path parts, no device names such as CON, non-Latin names unique)."""
    return f"{report_stem(name)}.answers.yaml"


def new_answer_set(qn: Questionnaire, municipality: Municipality,
                   interview: Interview | None = None) -> AnswerSet:
    return AnswerSet(QuestionnaireRef(qn.id, qn.version, qn.hash), municipality,
                     interview or Interview())


def describe_values(q: Question) -> str:
    """What an answer to the question looks like, in one line."""
    if q.type in (QType.SINGLE, QType.MULTIPLE, QType.YES_NO):
        values = " | ".join(o.value for o in q.effective_options())
        return f"[{values}]" if q.type is QType.MULTIPLE else values
    if q.type is QType.SERVICES:
        return "{online: [OZG-IDs], nicht_online: [OZG-IDs]}; nicht genannte: unbekannt"
    if q.type is QType.SCALE:
        return f"ganze Zahl {q.min}–{q.max}"
    if q.type is QType.NUMBER:
        return "Zahl ≥ 0" + (f" ({q.unit})" if q.unit else "")
    return "Text"


def _comment(text: str) -> str:
    return " ".join(text.split())


def blank_answers(qn: Questionnaire, aset: AnswerSet) -> str:
    """A valid answers file without answers; every question is a comment to fill in."""
    text = dump_answers(aset).rstrip("\n")
    assert text.endswith("answers: {}")
    lines = [text.removesuffix(" {}")]
    lines.append("  # Antwort eintragen: Kommentarzeichen entfernen, Wert nach dem Doppelpunkt.")
    lines.append("  # Langform mit Notiz, „trifft nicht zu“ oder „weiß nicht“: siehe")
    lines.append("  # docs/answers-format.md.")
    for area in qn.areas:
        lines.append(f"  # ── {_comment(area.title.de)} ({area.id})")
        for q in area.questions:
            lines.extend(textwrap.wrap(_comment(q.text.de), 86, initial_indent="  # ",
                                       subsequent_indent="  # "))
            extra = ["trifft nicht zu erlaubt"] if q.na_allowed else []
            if q.when is not None:
                extra.append(f"nur wenn {q.when.source}")
            if extra:
                lines.append(f"  #   ({'; '.join(extra)})")
            if q.type is QType.SERVICES:
                lines.extend(_services_comment(q, aset))
                continue
            lines.append(f"  # {q.id}:    # {describe_values(q)}")
    return "\n".join(lines) + "\n"


def _services_comment(q: Question, aset: AnswerSet) -> list[str]:
    """The services_online question with the municipality's services to copy from."""
    from ozgkompass.scoring.service_groups import asked_services

    lines = [f"  # {q.id}:",
             "  #   value:",
             "  #     online: []        # OZG-IDs der Leistungen, die heute online sind",
             "  #     nicht_online: []  # OZG-IDs der Leistungen, die es nicht sind",
             "  #   (nicht genannte Leistungen gelten als unbekannt: heute „unbestätigt“)",
             "  #   Die Leistungen der Kommune nach Themenfeld, meistgenutzte zuerst:"]
    for group, members in asked_services(aset.municipality, group_by=q.group_by
                                         or "themenfeld"):
        lines.append(f"  #   {_comment(group)}:")
        lines.extend(f"  #     {s.ozg_id} {_comment(s.name)}" for s in members)
    return lines
