"""Text from scans and photos: Tesseract's Vietnamese model over the page images.

Two halves, split by trust, in two modules:

* ``ocr_pages`` (the worker's side) decodes a school's file into page images (Pillow,
  pdfium) and runs Tesseract on each page. Decoding a stranger's image is the dangerous
  part, so it runs in its own limited worker process (see isolation.py), with more memory
  and time than the document readers get: recognising a page takes seconds, not
  milliseconds. Tesseract inherits the worker's address-space and CPU limits, and each
  page has its own timeout, all inside the worker's wall-time limit.
* this module (the daemon's side): ``recognise_scan`` asks that worker for the text and
  keeps the scan without text when Tesseract or its Vietnamese model is not installed or
  nothing could be read; it never raises. It loads neither Pillow nor pdfium.

Tesseract is run as a command, page image on stdin and text on stdout, rather
than through pytesseract: no temporary files in a process that handles
strangers' files, and the child gets its own environment. That matters:
``OMP_THREAD_LIMIT=1`` stops Tesseract's OpenMP threads from fighting over a
small shared machine, which made a page about three times slower there.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, replace

from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.isolation import MiB, WorkerLimits, read_isolated

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
# The worker that runs OCR: Tesseract needs about 70 MiB, a decoded 50-megapixel
# photo about 200 MiB; the wall time covers every page's timeout.
WORKER_LIMITS = WorkerLimits(memory_bytes=1024 * MiB, timeout=DEFAULT_LIMITS.file_seconds + 30, max_tasks=50,
                             processes=1)
_TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}


def recognise_scan(scan: DocumentText, data: bytes) -> DocumentText:
    """``scan`` (an image, or a PDF without a text layer) with the text read on its pages,
    marked ``notes=("ocr", …)``; ``scan`` unchanged when no text can be recognised."""
    if not tesseract_ready():
        return scan
    reader = "ocr_pdf" if scan.format == "pdf" else "ocr_image"
    try:
        found = read_isolated(reader, data, WORKER_LIMITS)
    except UnreadableDocument as error:
        # Still a scan, as before OCR existed: the school is asked for the editable file.
        log.info("no text recognised in a %s scan: %s", scan.format, error)
        return scan
    if not found.blocks:
        return scan
    notes = tuple(dict.fromkeys(scan.notes + found.notes))
    return replace(found, format=scan.format, pages=scan.pages or found.pages, notes=notes)


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
        listed = subprocess.run([path, "--list-langs"], capture_output=True, timeout=30, check=False,
                                env=child_env())
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
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "TESSDATA_PREFIX")}
    return env | _TESSERACT_ENV
