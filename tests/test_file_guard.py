"""A DOCTYPE outside the sheets: the import reads no further than python-calamine (which
refuses entities it does not know) and then names the part that carries it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ozgkompass.model.registry import find_questionnaire
from ozgkompass.sources import template as T


def test_doctype_in_the_workbook_part_is_named(cli, tmp_path):
    plain = tmp_path / "vorlage.xlsx"
    plain.write_bytes(T.build_template(find_questionnaire("ozg-kommune")))
    evil = tmp_path / "xxe-workbook.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM '
                        b'"file:///etc/passwd">]>'
                        + data.replace(b'name="Stammdaten"', b'name="&xxe;"'))
            dst.writestr(info, data)
    code, _, stderr = cli("import", str(evil), "--out", str(tmp_path / "a.answers.yaml"))
    assert code == 1
    text = " ".join(stderr.split())
    assert "xl/workbook.xml enthält eine XML-Dokumenttypdefinition" in text
    assert "root:" not in text  # nothing of the file the entity points to
    assert not (tmp_path / "a.answers.yaml").exists()
    assert not list(Path(tmp_path).glob("*.answers.yaml"))
