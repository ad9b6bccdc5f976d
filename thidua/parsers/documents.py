"""One entry point from a collected file to its text, chosen by the type its bytes show."""
from __future__ import annotations

from thidua.parsers.content import DocumentText, Paragraph, UnreadableDocument
from thidua.parsers.isolation import read_isolated
from thidua.parsers.mail import FileItem
from thidua.text import clean

# What a school may send, named in messages that explain a refusal.
READABLE_FORMATS = ("docx", "xlsx", "pdf")

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
    # The three real readers run in a limited worker process (see isolation.py):
    # a hostile file costs that file, never the daemon's memory or time.
    if kind in ("docx", "docm"):
        return read_isolated("docx", item.data)
    if kind in ("xlsx", "xlsm"):
        return read_isolated("xlsx", item.data)
    if kind == "pdf":
        return read_isolated("pdf", item.data)
    if kind in IMAGE_TYPES:
        return DocumentText(format=kind, blocks=(), is_scan=True)
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
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Vietnamese Windows' legacy code page, the other encoding schools' text files use.
        return data.decode("cp1258", "replace")
