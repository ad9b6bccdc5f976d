"""Articles and photos for the office's website (``publicity``, seed 03: "gửi bài viết, hình ảnh
minh họa"): a mail that says so, or carries a document titled as an article, and holds no list,
registration or report, is taken as it is. Its photos are the article's illustrations, not
evidence, and nothing in it is asked to be re-sent as a form."""

from __future__ import annotations

from dataclasses import replace

from thidua.checks.context import DocumentFinding
from thidua.checks.reading import MAIN_KINDS, is_trivial
from thidua.intake.examine import Examined
from thidua.intake.intent import MailIntent
from thidua.parsers.documents import IMAGE_TYPES
from thidua.wording import publicity as say


def as_publicity(examined: Examined, intent: MailIntent) -> Examined:
    """``examined`` with its articles and photos marked ``publicity`` when the mail is one of
    articles for the website; unchanged otherwise."""
    findings = examined.findings
    if any(f.kind in MAIN_KINDS and not f.failure for f in findings) or any(
        _read_as_form(f) for f in findings
    ):
        return examined
    if not (intent.publicity or any(f.kind == "publicity" for f in findings)):
        return examined
    return replace(examined, findings=tuple(_as_article(f) for f in findings))


def _read_as_form(finding: DocumentFinding) -> bool:
    """A scan on which OCR read a list, registration or report: the school is asked for its file."""
    understood = finding.understood
    return understood is not None and understood.ocr and understood.kind in MAIN_KINDS


def _as_article(finding: DocumentFinding) -> DocumentFinding:
    if finding.kind not in ("evidence", "unknown", "publicity") or finding.failure not in ("", "scan"):
        return finding
    if is_trivial(finding):
        return finding
    return replace(finding, kind="publicity", failure="")


def is_photo(finding: DocumentFinding) -> bool:
    return finding.detected in IMAGE_TYPES


def publicity_notes(examined: Examined) -> tuple[str, ...]:
    """What the reply says of the articles and photos received."""
    received = [f for f in examined.findings if f.kind == "publicity"]
    if not received:
        return ()
    photos = sum(1 for f in received if is_photo(f))
    return (say.received(len(received) - photos, photos),)
