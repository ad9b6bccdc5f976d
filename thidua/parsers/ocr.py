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
from dataclasses import replace

from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.isolation import MiB, WorkerLimits, read_isolated
from thidua.parsers.tesseract import DEFAULT_LIMITS, tesseract_ready

log = logging.getLogger("thidua.parsers")

# The worker that runs OCR: Tesseract needs about 70 MiB, a decoded 50-megapixel
# photo about 200 MiB; the wall time covers every page's timeout.
WORKER_LIMITS = WorkerLimits(
    memory_bytes=1024 * MiB, timeout=DEFAULT_LIMITS.file_seconds + 30, max_tasks=50, processes=1
)


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
