"""Fuzz target: thidua.parsers.mime_split.split_message. It must build exactly the standard
library's tree or decline (None); anything else, a raise included, is a finding.

Run: .venv/bin/python fuzz/fuzz_mime_split.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import email

import _common  # puts the repository on sys.path


def tree(message):
    """Everything of a message the parser decides: headers, payloads, preamble, epilogue, defects."""
    # The payload as parsed: get_payload() would decode it with the declared charset, and a
    # charset name with a NUL in it makes that raise ValueError.
    payload = message._payload
    parts = tuple(tree(part) for part in payload) if isinstance(payload, list) else payload
    return (
        message.get_unixfrom(),
        tuple(message.raw_items()),
        message.preamble,
        message.epilogue,
        [type(defect).__name__ for defect in message.defects],
        parts,
    )


def test_one_input(data: bytes) -> None:
    from thidua.parsers.mime_split import split_message

    fast = split_message(data)
    if fast is not None:
        assert tree(fast) == tree(email.message_from_bytes(data))


if __name__ == "__main__":
    _common.run(test_one_input, modules=("thidua.parsers.mime_split",))
