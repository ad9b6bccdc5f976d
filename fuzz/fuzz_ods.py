"""Fuzz target: thidua.parsers.ods.read_ods. Anything but the parser's own typed refusal is a finding.

Bytes that are no zip are taken for ``content.xml`` and packed as an OpenDocument spreadsheet,
so that the fuzzer spends its time on the XML calamine reads (repeat counts, spans, text).

Run: .venv/bin/python fuzz/fuzz_ods.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import io
import zipfile

import _common  # puts the repository on sys.path


def as_package(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_one_input(data: bytes) -> None:
    from thidua.parsers.content import DocumentText, UnreadableDocument
    from thidua.parsers.ods import read_ods

    if not data.startswith(b"PK"):
        data = as_package(data)
    try:
        assert isinstance(read_ods(data), DocumentText)
    except UnreadableDocument as refusal:
        assert refusal.reason in UnreadableDocument.REASONS


if __name__ == "__main__":
    _common.run(test_one_input, modules=("thidua.parsers.ods",))
