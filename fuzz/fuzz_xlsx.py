"""Fuzz target: thidua.parsers.xlsx. Anything but the parser's own typed refusal is a finding.

Run: .venv/bin/python fuzz/fuzz_xlsx.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers.content import UnreadableDocument
    from thidua.parsers.xlsx import read_xlsx

    try:
        read_xlsx(data)
    except UnreadableDocument:
        pass


if __name__ == "__main__":
    _common.run(test_one_input)
