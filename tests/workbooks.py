"""Filling a template as a user would: find the question's row by its ID and type the
dropdown label into the answer cell (openpyxl). Shared by tests and the benchmark generator."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ozgkompass.model.answers import Answer, AnswerSet, Interview, Municipality, QuestionnaireRef
from ozgkompass.model.questionnaire import QType, Questionnaire
from ozgkompass.sources import template as T


def choose(qn: Questionnaire, rng: Any, share_open: float = 0.05) -> dict[str, Any]:
    """Varied choices for every question: value, ("na", reason), ("unclear", whom) or None."""
    out: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for q in qn.questions:
        if q.when is not None and not q.when.evaluate(values):
            continue  # not asked: the interview skips it, a user leaves it empty
        roll = rng.random()
        if roll < share_open:
            continue
        if roll < share_open + 0.03:
            out[q.id] = ("unclear", "IT-Dienstleister")
            continue
        if q.na_allowed and roll > 0.97:
            out[q.id] = ("na", "Keine eigene Zuständigkeit")
            continue
        if q.type in (QType.SINGLE, QType.YES_NO):
            out[q.id] = rng.choice([o.value for o in q.effective_options()])
        elif q.type is QType.MULTIPLE:
            plain = [o.value for o in q.options if not o.exclusive]
            out[q.id] = [v for v in plain if rng.random() < 0.5]
        elif q.type is QType.SERVICES:  # some online, some not, the rest unknown
            ids = [svc.ozg_id for _, svc in T.service_rows(q)]
            marks = {i: rng.choice(("online", "nicht_online", None)) for i in ids}
            # plausible against the number of online services (else a warning)
            count = values.get("portal_online_services_count")
            online = [i for i, m in marks.items() if m == "online"][:count]
            if count and not online:
                online = ids[:1]
            out[q.id] = {"online": sorted(online), "nicht_online": sorted(
                i for i, m in marks.items() if m == "nicht_online" and i not in online)}
        elif q.type is QType.SCALE:
            out[q.id] = rng.randint(q.min, q.max)
        elif q.type is QType.NUMBER:
            out[q.id] = rng.randint(0, 100 if q.unit == "%" else 500)
        else:
            out[q.id] = "Freitext mit Ä und ß"
        if q.id in out and not isinstance(out[q.id], tuple):
            values[q.id] = out[q.id]
    return out


def expected_answers(qn: Questionnaire, master: dict[str, Any],
                     picks: dict[str, Any]) -> AnswerSet:
    """The answer set the interview records for the same choices."""
    answers = {}
    for q in qn.questions:
        if q.id not in picks:
            continue
        v = picks[q.id]
        if isinstance(v, tuple) and v[0] == "na":
            answers[q.id] = Answer(q.id, na=True, reason=v[1])
        elif isinstance(v, tuple):
            answers[q.id] = Answer(q.id, unclear=v[1])
        else:
            answers[q.id] = Answer(q.id, v)
    muni = Municipality(master["name"], master.get("ars"), master.get("land"),
                        master.get("kreis"), master.get("type"), master.get("population"))
    iv = Interview(date=master.get("date_iso"),
                   participants=(master["contact"],) if master.get("contact") else ())
    return AnswerSet(QuestionnaireRef(qn.id, qn.version, qn.hash), muni, iv, answers)


def fill(template: bytes | Path, qn: Questionnaire, master: dict[str, Any],
         picks: dict[str, Any]) -> bytes:
    wb = load_workbook(io.BytesIO(template) if isinstance(template, bytes) else template)
    ms = wb[T.MASTER_SHEET]
    for i, (key, _) in enumerate(T.MASTER_FIELDS):
        value = master.get(key)
        if key == "type" and value:
            value = T.TYPE_LABELS[value]
        if value is not None:
            ms.cell(T.MASTER_FIRST_ROW + i, 2, value)
    for index, area in enumerate(qn.areas, start=1):
        ws = wb[T.sheet_title(index, area.title.de)]
        rows = {ws.cell(r, T.COL_ID).value: r for r in range(T.HEADER_ROW + 1, ws.max_row + 1)}
        for q in area.questions:
            if q.id not in picks:
                continue
            v, row = picks[q.id], rows[q.id]
            labels = {c.value: c.label for c in T.choices(q)}
            if isinstance(v, tuple) and v[0] == "na":
                ws.cell(row, T.COL_NA, T.NA_MARK)
                ws.cell(row, T.COL_REASON, v[1])
            elif isinstance(v, tuple):
                ws.cell(row, T.COL_UNCLEAR, v[1])
            elif q.type is QType.SERVICES:
                for key, mark in (("online", "online"), ("nicht_online", "nicht online")):
                    for ozg_id in v[key]:
                        ws.cell(rows[T.option_key(q.id, ozg_id)], T.COL_ANSWER, mark)
            elif q.type is QType.MULTIPLE:
                for o in q.options:
                    ws.cell(rows[T.option_key(q.id, o.value)], T.COL_ANSWER,
                            T.YES if o.value in v else T.NO)
            elif q.type in (QType.SINGLE, QType.YES_NO):
                ws.cell(row, T.COL_ANSWER, labels[v])
            else:
                ws.cell(row, T.COL_ANSWER, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


MASTER = {"name": "Gemeinde Musterau", "type": "gemeinde", "ars": "031510000000",
          "land": "Niedersachsen", "kreis": "Landkreis Gifhorn", "population": 4321,
          "contact": "Frau Beispiel, Hauptamt", "date": "03.11.2026", "date_iso": "2026-11-03"}
