"""What every document reader returns: the text of a file in reading order.

Readers are pure functions ``bytes -> DocumentText``; they raise
``UnreadableDocument`` (corrupt, encrypted, …) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """Rows of cell texts; a merged cell repeats its text in every cell it covers."""

    rows: tuple[tuple[str, ...], ...]
    sheet: str = ""  # worksheet name for spreadsheets, "" otherwise


Block = Paragraph | Table


@dataclass(frozen=True)
class DocumentText:
    format: str  # "docx" | "xlsx" | "pdf" | …
    blocks: tuple[Block, ...]
    is_scan: bool = False  # a PDF or image with no text layer
    pages: int | None = None
    notes: tuple[str, ...] = field(default=())  # e.g. "macros", "ocr"

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if isinstance(b, Paragraph))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))


class UnreadableDocument(Exception):
    """A file that cannot be read. ``reason`` is one of REASONS."""

    REASONS = ("corrupt", "encrypted", "too_large", "unsupported")

    def __init__(self, reason: str, detail: str = "") -> None:
        assert reason in self.REASONS, reason
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
