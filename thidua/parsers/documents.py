"""One entry point from a collected file to its text, chosen by the type its bytes show."""
from __future__ import annotations

import re

from thidua.parsers.content import DocumentText, Paragraph, UnreadableDocument
from thidua.parsers.docx import read_docx
from thidua.parsers.mail import FileItem
from thidua.parsers.pdf import read_pdf
from thidua.parsers.xlsx import read_xlsx
from thidua.text import clean, fold

# What a school may send, named in messages that explain a refusal.
READABLE_FORMATS = ("docx", "xlsx", "pdf")

IMAGE_TYPES = ("jpeg", "png", "gif", "tiff", "bmp", "webp", "heic")
# Table extraction is the slow part of reading a PDF; only lists need it.
_TABLE_HINT = re.compile(r"\b(?:stt|ho va ten|ho ten)\b")


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
    if kind in ("docx", "docm"):
        return read_docx(item.data)
    if kind in ("xlsx", "xlsm"):
        return read_xlsx(item.data)
    if kind == "pdf":
        return _read_pdf(item.data)
    if kind in IMAGE_TYPES:
        return DocumentText(format=kind, blocks=(), is_scan=True)
    if kind == "text":
        return DocumentText(format="text", blocks=_text_paragraphs(item.data))
    if kind == "ole_encrypted":
        raise UnreadableDocument("encrypted", "password-protected")
    raise UnreadableDocument("unsupported", kind)


def _read_pdf(data: bytes) -> DocumentText:
    document = read_pdf(data, tables=False)
    if _TABLE_HINT.search(fold(" ".join(document.paragraphs))):
        return read_pdf(data, tables=True)
    return document


def _text_paragraphs(data: bytes) -> tuple[Paragraph, ...]:
    lines = clean(_decode_text(data)).split("\n")
    return tuple(Paragraph(line) for line in lines if line)


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Vietnamese Windows' legacy code page, the other encoding schools' text files use.
        return data.decode("cp1258", "replace")
