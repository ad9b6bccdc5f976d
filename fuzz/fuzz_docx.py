"""Fuzz target: thidua.parsers.docx. Anything but the parser's own typed refusal is a finding.

Run: .venv/bin/python fuzz/fuzz_docx.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers.content import UnreadableDocument
    from thidua.parsers.docx import read_docx

    try:
        read_docx(data)
    except UnreadableDocument:
        pass


if __name__ == "__main__":
    _common.run(test_one_input)
