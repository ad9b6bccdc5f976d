"""Fuzz target: the image decoding of thidua.parsers.ocr_pages (Pillow), without Tesseract.
Anything but the parser's own typed refusal is a finding.

Each frame is checked and decoded as ``ocr_image`` does it before recognition, with a
smaller pixel budget than the daemon's so that each input takes milliseconds.

Run: .venv/bin/python fuzz/fuzz_images.py -atheris_runs=1000 [corpus_dir]
"""

from __future__ import annotations

import _common  # puts the repository on sys.path


def test_one_input(data: bytes) -> None:
    from thidua.parsers import ocr_pages as ocr
    from thidua.parsers.content import UnreadableDocument

    limits = ocr.OcrLimits(max_pixels=4_000_000, page_pixels=1_000_000)
    try:
        image = ocr._open_image(data)
        frames = ocr._frame_count(image)
        assert frames >= 1
        for index in range(min(frames, limits.max_pages)):
            page, _dpi = ocr._image_page(image, index, limits)
            assert page.mode == "L"
    except UnreadableDocument as refusal:
        assert refusal.reason in UnreadableDocument.REASONS


if __name__ == "__main__":
    _common.run(test_one_input, instrument=("thidua", "PIL"), modules=("thidua.parsers.ocr_pages",))
