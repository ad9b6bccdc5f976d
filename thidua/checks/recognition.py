"""When nothing in a mail is recognised as a registration, list or report: what each file looked
like, and which document to ask for (the one the subject and body point to, else the round's)."""

from __future__ import annotations

from collections.abc import Sequence

from thidua.checks.context import CheckContext, DocumentFinding
from thidua.parsers.documents import IMAGE_TYPES
from thidua.parsers.forms.titles import title_kind
from thidua.text import clean
from thidua.wording import findings as say


def looks_like(finding: DocumentFinding) -> str:
    """What the file looked like, in the school's words ("một bảng không đọc được thành danh sách")."""
    if finding.failure == "scan":
        return say.LOOKS_LIKE["photo" if finding.detected in IMAGE_TYPES else "scan"]
    title = clean(finding.understood.title) if finding.understood is not None else ""
    if finding.kind == "evidence":
        return say.looks_titled("evidence", title)
    announced = title_kind(title) if title else None
    if announced in ("nomination_list", "registration"):  # titled as a form whose fields could not be read
        return say.LOOKS_LIKE[f"unread_{announced}"]
    if finding.shape == "table":
        return say.LOOKS_LIKE["table"]
    if finding.shape == "text":
        return say.looks_titled("text", title)
    return say.LOOKS_LIKE["empty"]


def expected_kinds(ctx: CheckContext, read_by_ocr: Sequence[str] = ()) -> Sequence[str] | None:
    """The documents to ask for: what OCR read on a scan, else what the subject and body point to,
    else what the round asks for (every main document when no round is known)."""
    return read_by_ocr or ctx.pointed_kinds or (ctx.round.documents if ctx.round else None)
