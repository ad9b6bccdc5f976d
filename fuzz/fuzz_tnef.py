"""Fuzz target: thidua.parsers.containers.tnef (winmail.dat). Anything but the parser's own typed refusal is a finding.

The reader alone may raise ContainerError and nothing else; through ``collect_files`` nothing
at all: the file is kept and what could not be read is an issue.

Run: .venv/bin/python fuzz/fuzz_tnef.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    _common.check_container("tnef", data)
    _common.check_collected(data, "winmail.dat")


if __name__ == "__main__":
    _common.run(test_one_input, modules=("thidua.parsers.archive",))
