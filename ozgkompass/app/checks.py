"""`validate`: questionnaires and answers files checked, every problem located."""

from __future__ import annotations

from pathlib import Path

from ozgkompass.errors import Issue, Location, UserError, display_path
from ozgkompass.issue_codes import IssueCode

__all__ = ["check_file"]


def check_file(path: Path, questionnaires_dir: Path | None = None) -> tuple[list[Issue], str]:
    """Every problem of a questionnaire or answers file (`validate`), and what it is:
    "Fragebogen", "Antworten", or "?" when it cannot be read at all. Answers are checked
    against their questionnaire and the Gemeindeverzeichnis, if imported."""
    from ozgkompass.model.answers import check_answers, is_answers, parse_answers
    from ozgkompass.model.questionnaire import is_questionnaire, parse_questionnaire
    from ozgkompass.model.registry import find_questionnaire
    from ozgkompass.yamlio import load_yaml

    try:
        doc = load_yaml(path)
    except UserError as exc:  # the message already names the file
        shown = display_path(path)
        text = str(exc).removeprefix(f"{shown}: ")
        return [Issue(IssueCode.FILE, text, Location(shown))], "?"
    if doc.data is None or is_questionnaire(doc.data) or not is_answers(doc.data):
        _, issues = parse_questionnaire(doc)
        return issues, "Fragebogen"
    aset, issues = parse_answers(doc)
    if aset is None:
        return issues, "Antworten"
    from ozgkompass.model.registry import migrated

    if migrated(aset) is not None:
        issues.append(aset.issues[-1])
    try:
        qn = find_questionnaire(aset.questionnaire.id, aset.questionnaire.version,
                                questionnaires_dir)
    except UserError as exc:
        return [*issues, Issue(IssueCode.QUESTIONNAIRE, str(exc), Location(doc.path))], "Antworten"
    from ozgkompass.masterdata.gv100ad import check_answer_set

    return [*issues, *check_answers(qn, aset).issues, *check_answer_set(aset)], "Antworten"
