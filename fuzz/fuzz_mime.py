"""Fuzz target: thidua.parsers.mime. Anything but the parser's own typed refusal is a finding.

Run: .venv/bin/python fuzz/fuzz_mime.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers.mime import parse_mail

    parse_mail(data)


if __name__ == "__main__":
    _common.run(test_one_input)
