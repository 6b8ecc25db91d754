"""The checks before a workbook is read: a DOCTYPE outside the sheets is named; the batch's
in-memory path finds what `import` finds on disk; a zip directory that understates a part
is not read past what it declares."""

from __future__ import annotations

import json
import random
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


def _rezip(src: bytes, dst: Path, method: int, edit=None) -> None:  # type: ignore[no-untyped-def]
    import io

    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(dst, "w", method) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, edit(info.filename, data) if edit else data)


def _with_formula(name: str, data: bytes) -> bytes:
    """The answer cell D5 of the first area sheet as a formula (Excel writes <f> first)."""
    if name != "xl/worksheets/sheet3.xml":
        return data
    start = data.index(b'<c r="D5"')
    tag_end = data.index(b">", start) + 1
    end = tag_end if data[tag_end - 2:tag_end] == b"/>" else data.index(b"</c>", start) + 4
    return data[:start] + b'<c r="D5"><f>1+1</f><v>2</v></c>' + data[end:]


def test_the_batch_reads_from_memory_what_import_reads_from_disk(tmp_path):
    """The batch reads each file once (to hash it) and checks and parses those bytes;
    `import` opens the file. Deflated or stored, with a formula or without: the same
    answers and the same located problems."""
    from workbooks import MASTER, choose, fill

    from ozgkompass.sources.workbook_import import import_workbook

    qn = find_questionnaire("ozg-kommune")
    filled = fill(T.build_template(qn), qn, MASTER, choose(qn, random.Random(3)))
    lookup = lambda qid, version: find_questionnaire(qid, version)  # noqa: E731
    cases = []
    for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        for edit in (None, _with_formula):
            path = tmp_path / f"m{method}-{edit is not None}.xlsx"
            _rezip(filled, path, method, edit)
            cases.append(path)
    seen = []
    for path in cases:
        on_disk = import_workbook(path, lookup, path.name)
        in_memory = import_workbook(path, lookup, path.name, path.read_bytes())
        assert on_disk.answers == in_memory.answers and on_disk.answers is not None
        assert on_disk.issues == in_memory.issues
        seen.append([i.location.cell for i in in_memory.issues if i.code == "formula"])
    assert seen == [[], ["D5"], [], ["D5"]]


def test_a_zip_directory_that_understates_a_sheet_is_refused(tmp_path, cli):
    """The directory says a sheet inflates to 100 bytes, the data holds more: the check
    never reads past what the directory declares and reports a damaged file."""
    import struct

    data = bytearray(T.build_template(find_questionnaire("ozg-kommune")))
    name = b"xl/worksheets/sheet3.xml"
    at = data.index(b"PK\x01\x02")  # the central directory's first entry
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    local = struct.unpack_from("<I", data, at + 42)[0]
    struct.pack_into("<I", data, at + 24, 100)  # uncompressed size in the directory
    struct.pack_into("<I", data, local + 22, 100)  # and in the local header
    bad = tmp_path / "luegt.xlsx"
    bad.write_bytes(bytes(data))
    out = tmp_path / "luegt"
    code, _, _ = cli("batch", str(tmp_path), "--out", str(out), "--jobs", "1")
    assert code == 1
    problems = json.loads((out / "uebersicht.json").read_text("utf-8"))
    [problem] = [p for p in problems["problems"] if p["location"]["file"] == "luegt.xlsx"]
    assert "beschädigt" in problem["message"]
