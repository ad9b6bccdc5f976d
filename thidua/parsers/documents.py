"""One entry point from a collected file to its text, chosen by the type its bytes show."""
from __future__ import annotations

from dataclasses import replace

from thidua.parsers import vnlegacy
from thidua.parsers.content import DocumentText, Paragraph, UnreadableDocument
from thidua.parsers.convert import CONVERTED_FORMATS, convert_to_docx, find_soffice
from thidua.parsers.isolation import read_isolated
from thidua.parsers.mail import FileItem
from thidua.parsers.ocr import recognise_scan
from thidua.text import clean

# What a school may send, named in messages that explain a refusal: .doc, .odt and
# .rtf only where LibreOffice was found (at start) to convert them.
_CAN_CONVERT = find_soffice() is not None
READABLE_FORMATS = tuple(
    kind for kind in ("docx", "doc", "xlsx", "xls", "pdf", "odt", "ods", "rtf")
    if _CAN_CONVERT or kind not in CONVERTED_FORMATS
)

IMAGE_TYPES = ("jpeg", "png", "gif", "tiff", "bmp", "webp", "heic")


def read_document(item: FileItem) -> DocumentText:
    """The text of ``item``; raises UnreadableDocument (also ``unsupported``) and nothing else."""
    try:
        return _read(item)
    except UnreadableDocument:
        raise
    except Exception as error:  # a reader's bug must cost one file, not the mail
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None


def _read(item: FileItem) -> DocumentText:
    kind = item.detected
    # The three real readers, and OCR of scans and photos, run in limited worker processes
    # (see isolation.py): a hostile file costs that file, never the daemon's memory or time.
    if kind in ("docx", "docm"):
        return read_isolated("docx", item.data)
    if kind in ("xlsx", "xlsm"):
        return read_isolated("xlsx", item.data)
    if kind in ("xls", "ods"):
        return read_isolated(kind, item.data)
    if kind in CONVERTED_FORMATS:
        # LibreOffice writes .docx; the docx reader then reads it like any other.
        text = read_isolated("docx", convert_to_docx(item.data, kind))
        return replace(text, format=kind, notes=(*text.notes, "converted"))
    if kind == "pdf":
        text = read_isolated("pdf", item.data)
        return recognise_scan(text, item.data) if text.is_scan else text
    if kind in IMAGE_TYPES:
        return recognise_scan(DocumentText(format=kind, blocks=(), is_scan=True), item.data)
    if kind == "text":
        return DocumentText(format="text", blocks=_text_paragraphs(item.data))
    if kind == "ole_encrypted":
        raise UnreadableDocument("encrypted", "password-protected")
    raise UnreadableDocument("unsupported", kind)


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
