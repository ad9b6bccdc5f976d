"""Fuzz target: thidua.parsers.pdf. Anything but the parser's own typed refusal is a finding.

Run: .venv/bin/python fuzz/fuzz_pdf.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers.content import UnreadableDocument
    from thidua.parsers.isolation import read_isolated

    try:
        read_isolated("pdf", data)  # in the limited worker, as the daemon reads it
    except UnreadableDocument:
        pass


if __name__ == "__main__":
    _common.run(test_one_input)
