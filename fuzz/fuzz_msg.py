"""Fuzz target: thidua.parsers.containers.outlook (.msg). Anything but the parser's own typed refusal is a finding.

Run: .venv/bin/python fuzz/fuzz_msg.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    _common.check_container("msg", data)
    _common.check_collected(data, "Hồ sơ.msg")


if __name__ == "__main__":
    _common.run(test_one_input, instrument=("thidua", "olefile"), modules=("thidua.parsers.archive",))
