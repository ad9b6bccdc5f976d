"""Fuzz target: thidua.parsers.containers.packed (rar, 7z, gzip through libarchive).
Anything but the parser's own typed refusal is a finding.

Every input is read as each of the three formats; libarchive refuses the other two at once.

Run: .venv/bin/python fuzz/fuzz_packed.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    for kind in ("rar", "7z", "gzip"):
        _common.check_container(kind, data)
    _common.check_collected(data, "Hồ sơ.rar")


if __name__ == "__main__":
    _common.run(test_one_input, modules=("thidua.parsers.archive",))
