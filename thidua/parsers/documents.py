"""From a collected file to its text and what it is, the reader chosen by the type its bytes show.

Reading and recognising are two steps with different costs: the text of a Word, Excel or
PDF file takes milliseconds (done in the reader pool, recognition with it), while the text
of a scan or photo takes Tesseract seconds, so it is a separate step (``read_scan``) that
the caller runs only for scans that may be a form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from thidua.parsers import vnlegacy
from thidua.parsers.content import DocumentText, Paragraph, UnreadableDocument
from thidua.parsers.convert import CONVERTED_FORMATS, convert_to_docx, find_soffice
from thidua.parsers.forms import understand
from thidua.parsers.forms.model import UnderstoodDocument
from thidua.parsers.isolation import read_isolated
from thidua.parsers.mail import FileItem
from thidua.parsers.ocr import recognise_scan
from thidua.text import clean

# What a school may send, named in messages that explain a refusal: .doc, .odt and
# .rtf only where LibreOffice was found (at start) to convert them.
_CAN_CONVERT = find_soffice() is not None
READABLE_FORMATS = tuple(
    kind
    for kind in ("docx", "doc", "xlsx", "xls", "pdf", "odt", "ods", "rtf")
    if _CAN_CONVERT or kind not in CONVERTED_FORMATS
)

IMAGE_TYPES = ("jpeg", "png", "gif", "tiff", "bmp", "webp", "heic")
_READERS = {
    "docx": "docx",
    "docm": "docx",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "xls": "xls",
    "ods": "ods",
    "pdf": "pdf",
}


@dataclass(frozen=True)
class Reading:
    text: DocumentText
    understood: UnderstoodDocument  # what the text is; a scan not yet read by OCR is a picture


def read_document(item: FileItem) -> DocumentText:
    """The text of ``item``, scans read by OCR; raises UnreadableDocument (also ``unsupported``)
    and nothing else."""
    reading = read_form(item)
    return read_scan(item, reading.text).text if reading.text.is_scan else reading.text


def read_form(item: FileItem) -> Reading:
    """The text of ``item`` and what it is, without OCR: a scan or photo comes back as a scan.
    Raises UnreadableDocument and nothing else."""
    return _guarded(_read_form, item)


def read_scan(item: FileItem, scan: DocumentText) -> Reading:
    """The text OCR reads on the scan or photo ``item`` (``scan`` as ``read_form`` gave it) and
    what that text is; the scan unchanged when nothing could be read. Never raises."""
    text = recognise_scan(scan, item.data)
    return Reading(text, understand(text))


def check_opens(item: FileItem) -> None:
    """Raise UnreadableDocument when ``item`` is damaged or locked, without reading its text:
    for files that are kept as evidence, not read. Formats with no cheap check pass."""
    if item.detected == "pdf":
        _guarded(lambda i: read_isolated("pdf_probe", i.data), item)
    elif item.detected == "ole_encrypted":
        raise UnreadableDocument("encrypted", "password-protected")


def _guarded(read, item: FileItem):
    try:
        return read(item)
    except UnreadableDocument:
        raise
    except Exception as error:  # a reader's bug must cost one file, not the mail
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None


def _read_form(item: FileItem) -> Reading:
    kind = item.detected
    # The real readers, and OCR of scans and photos, run in limited worker processes
    # (see isolation.py): a hostile file costs that file, never the daemon's memory or time.
    if kind in _READERS:
        return _understood_in_worker(_READERS[kind], item.data)
    if kind in CONVERTED_FORMATS:
        # LibreOffice writes .docx; the docx reader then reads it like any other.
        reading = _understood_in_worker("docx", convert_to_docx(item.data, kind))
        return replace(
            reading, text=replace(reading.text, format=kind, notes=(*reading.text.notes, "converted"))
        )
    if kind in IMAGE_TYPES:
        scan = DocumentText(format=kind, blocks=(), is_scan=True)
        return Reading(scan, understand(scan))
    if kind == "text":
        text = DocumentText(format="text", blocks=_text_paragraphs(item.data))
        return Reading(text, understand(text))
    if kind == "ole_encrypted":
        raise UnreadableDocument("encrypted", "password-protected")
    raise UnreadableDocument("unsupported", kind)


def _understood_in_worker(reader: str, data: bytes) -> Reading:
    text, understood = read_isolated(reader, data, understand=True)
    return Reading(text, understood if understood is not None else understand(text))


def _text_paragraphs(data: bytes) -> tuple[Paragraph, ...]:
    lines = clean(_decode_text(data)).split("\n")
    return tuple(Paragraph(line) for line in lines if line)


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return vnlegacy.convert(data.decode("utf-8-sig"))  # TCVN3/VNI text pasted into a UTF-8 file
    except UnicodeDecodeError:
        # Text typed in an old Vietnamese font, else Vietnamese Windows' legacy code page.
        return vnlegacy.decode_text_bytes(data) or data.decode("cp1258", "replace")
