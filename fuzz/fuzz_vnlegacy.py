"""Fuzz target: thidua.parsers.vnlegacy (TCVN3/VNI to Unicode). Anything but a result is a finding,
and so is a change to text that is Unicode already.

Run: .venv/bin/python fuzz/fuzz_vnlegacy.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import unicodedata

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers import vnlegacy

    decoded = vnlegacy.decode_text_bytes(data)
    assert decoded is None or decoded == unicodedata.normalize("NFC", decoded)
    text = data.decode("utf-8", "replace")
    for encoding in (None, vnlegacy.TCVN3, vnlegacy.TCVN3_UPPER, vnlegacy.VNI):
        for trusted in (True, False):
            converted = vnlegacy.convert(text, encoding, trusted=trusted)
            if vnlegacy.is_unicode(text):
                assert converted == text
    font = data[:12].decode("latin-1")
    assert vnlegacy.legacy_encoding_of_font(font) in (
        None,
        vnlegacy.TCVN3,
        vnlegacy.TCVN3_UPPER,
        vnlegacy.VNI,
    )
    vnlegacy.to_unicode(text, font)


if __name__ == "__main__":
    _common.run(test_one_input, modules=("thidua.parsers.vnlegacy",))
