"""The staff digest: what came in, what is late or waiting, and what needs a person.

Pure like the replies: a DigestView in, text or an EmailMessage out.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from thidua.notifier.dates import local, vn_date
from thidua.notifier.headers import mailbox, new_message_id, set_text_header
from thidua.notifier.render import fill_bodies, render_template, tidy_text
from thidua.notifier.views import DigestView
from thidua.wording.vocabulary import STATUS_VI

# Statuses in the order staff think of them; any other status follows.
STATUS_ORDER = tuple(STATUS_VI)


def digest_subject(view: DigestView) -> str:
    return f"Tổng hợp hồ sơ thi đua ngày {vn_date(view.generated_at, view.timezone)}"


def digest_context(view: DigestView) -> dict[str, object]:
    counts = dict(view.counts or {})
    ordered = [(s, counts[s]) for s in STATUS_ORDER if s in counts]
    ordered += [(s, n) for s, n in sorted(counts.items()) if s not in STATUS_ORDER]
    return {
        "view": view,
        "tz": view.timezone,
        "subject": digest_subject(view),
        "counts": ordered,
        "total": sum(counts.values()),
        # The codes that explain a rejection; a rejected mail's other problems are noise
        # to staff and are listed only when neither of these is there.
        "rejection_codes": ("unknown_sender", "spoofed_sender"),
        "desk_page": _desk_page(view.desk_url),
    }


def _desk_page(base: str):
    """The desk page of a receipt (``[web] public_url``/submissions/HS-…), or "" without a desk URL."""
    base = (base or "").strip().rstrip("/")

    def page(receipt: str) -> str:
        return f"{base}/submissions/{quote(receipt, safe='')}" if base else ""

    return page


def digest_text(view: DigestView) -> str:
    """The digest as plain text (what ``thidua digest`` prints and the mail's text part)."""
    return tidy_text(render_template("digest.txt.j2", **digest_context(view)))


def digest_html(view: DigestView) -> str:
    return render_template("digest.html.j2", **digest_context(view))


def render_digest(view: DigestView, *, to: Sequence[str], from_address: str) -> EmailMessage:
    """The digest mail for the office's staff. Raises ValueError for an address that is
    not a single valid e-mail address (they come from the configuration)."""
    if not to:
        raise ValueError("the digest has no recipients: list them in [office] staff")
    message = EmailMessage()
    message["From"] = mailbox(from_address, view.office_name)
    message["To"] = [mailbox(address) for address in to]
    set_text_header(message, "Subject", digest_subject(view))
    message["Date"] = format_datetime(local(view.generated_at, view.timezone))
    message["Message-ID"] = new_message_id(from_address)
    # Generated, not a reply (RFC 3834); and no out-of-office answers back into the
    # office's own inbox, where they would be filed as submissions.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    fill_bodies(message, digest_text(view), digest_html(view))
    return message
