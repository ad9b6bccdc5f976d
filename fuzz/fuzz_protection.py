"""Fuzz target: thidua.parsers.protection.check_not_encrypted. It may only say "encrypted";
a damaged file passes, for its reader to judge. Anything else is a finding.

Run: .venv/bin/python fuzz/fuzz_protection.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers.content import UnreadableDocument
    from thidua.parsers.protection import check_not_encrypted

    for kind in ("doc", "xls", "odt", "ods", "pdf"):
        try:
            check_not_encrypted(data, kind)
        except UnreadableDocument as refusal:
            assert refusal.reason == "encrypted"


if __name__ == "__main__":
    _common.run(test_one_input, instrument=("thidua", "olefile"), modules=("thidua.parsers.protection",))
