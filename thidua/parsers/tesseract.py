"""Tesseract itself: where it is, its Vietnamese model, the limits a page is read within and the
environment it runs in. Shared by both halves of OCR (``ocr`` in the daemon, ``ocr_pages`` in the
worker) and kept apart from them, so that neither half imports the other."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass

log = logging.getLogger("thidua.parsers")


@dataclass(frozen=True)
class OcrLimits:
    # A form is its first pages; a longer scanned bundle is evidence, and its
    # first pages say what it is.
    max_pages: int = 5
    dpi: int = 300  # what Tesseract is trained for; PDF pages are rendered at it
    # Decoded pixels beyond this are refused before decoding (a 100 kB PNG can
    # claim 100 000 x 100 000 pixels). A 48-megapixel phone photo still passes.
    max_pixels: int = 50_000_000
    # Larger pages are scaled down before recognition: an A4 page at 300 DPI is
    # 8.7 megapixels, and recognition time grows with the pixels.
    page_pixels: int = 12_000_000
    page_seconds: float = 60.0
    file_seconds: float = 120.0
    # Mean word confidence (0-100) below which a line is noise, not text.
    min_line_confidence: float = 40.0


DEFAULT_LIMITS = OcrLimits()
TESSERACT = "tesseract"
LANGUAGE = "vie"  # Debian package tesseract-ocr-vie
_TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}


_ready: dict[tuple[str, str], bool] = {}
_ready_lock = threading.Lock()


def tesseract_ready(command: str = TESSERACT, language: str = LANGUAGE) -> bool:
    """Whether ``command`` is on PATH and has ``language``'s model; said once in the log when not."""
    path = shutil.which(command)
    key = (path or command, language)
    with _ready_lock:
        if key not in _ready:
            _ready[key] = _has_language(path, language)
            if not _ready[key]:
                log.warning("scans are kept without their text: %s", _missing(path, command, language))
        return _ready[key]


def _has_language(path: str | None, language: str) -> bool:
    if path is None:
        return False
    try:
        listed = subprocess.run(
            [path, "--list-langs"], capture_output=True, timeout=30, check=False, env=child_env()
        )
    except (OSError, subprocess.SubprocessError):
        return False
    names = (listed.stdout + listed.stderr).decode("utf-8", "replace").split()
    return listed.returncode == 0 and language in names


def _missing(path: str | None, command: str, language: str) -> str:
    if path is None:
        return f"{command!r} not found (Debian: apt install tesseract-ocr tesseract-ocr-{language})"
    return f"Tesseract has no {language!r} model (Debian: apt install tesseract-ocr-{language})"


def child_env() -> dict[str, str]:
    """The environment Tesseract runs in: the locale and its model's folder, one thread."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "LANG", "LC_ALL", "TESSDATA_PREFIX")
    }
    return env | _TESSERACT_ENV
