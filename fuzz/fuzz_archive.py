"""Fuzz target: thidua.parsers.archive. Anything but the parser's own typed refusal is a finding.

Run: .venv/bin/python fuzz/fuzz_archive.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers.archive import collect_files
    from thidua.parsers.mail import Attachment

    collect_files([Attachment("a.zip", "application/zip", data)])


if __name__ == "__main__":
    _common.run(test_one_input)
