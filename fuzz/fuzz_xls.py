"""Fuzz target: thidua.parsers.xls.read_xls. Anything but the parser's own typed refusal is a finding.

Bytes that are no compound file are taken for the Workbook stream itself and wrapped in one,
so that the fuzzer spends its time on the BIFF records calamine reads, not on the container.

Run: .venv/bin/python fuzz/fuzz_xls.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_one_input(data: bytes) -> None:
    from tests.support.container_builders import make_compound_file
    from thidua.parsers.content import DocumentText, UnreadableDocument
    from thidua.parsers.xls import read_xls

    if not data.startswith(_OLE_MAGIC):
        data = make_compound_file({"Workbook": data})
    try:
        assert isinstance(read_xls(data), DocumentText)
    except UnreadableDocument as refusal:
        assert refusal.reason in UnreadableDocument.REASONS


if __name__ == "__main__":
    _common.run(test_one_input, modules=("thidua.parsers.xls",))
