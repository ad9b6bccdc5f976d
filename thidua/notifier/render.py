"""Replies to schools: a ReplyView in, a ready-to-send EmailMessage out. Pure: no I/O
apart from reading the templates, no clock unless ``now`` is left out.

The three kinds of reply (receipt, correction request, rejection) share one text and
one HTML template with a branch per kind, so the common parts cannot drift apart.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache

import jinja2

from thidua.notifier.dates import days_left_vi, local, vn_date, vn_datetime
from thidua.notifier.headers import (
    message_id_or_empty,
    mailbox,
    new_message_id,
    one_line,
    references_chain,
    set_text_header,
    shorten,
    strip_reply_prefixes,
)
from thidua.notifier.views import ReplyView
from thidua.notifier.vocabulary import category_vi, kind_vi, problem_vi, status_vi
from thidua.notifier.wording import describe_all, document_notes
from thidua.text import nfc

SUBJECT_SUMMARY = {
    "receipt": "Đã tiếp nhận hồ sơ",
    "correction": "Đề nghị bổ sung, chỉnh sửa hồ sơ",
    "rejection": "Hồ sơ không được tiếp nhận",
}
_BRANCH = {"accepted": "receipt", "superseded": "receipt", "needs_correction": "correction", "rejected": "rejection"}
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def reply_branch(status: str) -> str:
    """Which reply a status gets: receipt, correction or rejection."""
    return _BRANCH.get(status, "receipt")


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)  # compiled templates are reused across mails
def template_environment() -> jinja2.Environment:
    """Templates from the package; HTML ones autoescaped, so school-provided text
    (names, file names, subjects) can never inject markup."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("thidua", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined,  # a misspelt variable is a bug, not an empty line in a mail
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        vn_date=vn_date,
        vn_datetime=vn_datetime,
        days_left_vi=days_left_vi,
        category_vi=category_vi,
        kind_vi=kind_vi,
        status_vi=status_vi,
        problem_vi=problem_vi,
        one_line=one_line,
    )
    return env


def render_template(name: str, **context: object) -> str:
    return nfc(template_environment().get_template(name).render(**context))


def tidy_text(text: str) -> str:
    """Plain text as a mail client shows it well: no trailing blanks, at most one empty line."""
    text = _TRAILING_SPACE.sub("\n", text.replace("\r\n", "\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"


def reply_subject(view: ReplyView) -> str:
    """"[HS-2024-0007] Đã tiếp nhận hồ sơ: <the school's subject, shortened>"."""
    summary = SUBJECT_SUMMARY[reply_branch(view.status)]
    original = shorten(strip_reply_prefixes(view.mail_subject, tuple(SUBJECT_SUMMARY.values())))
    subject = f"[{one_line(view.receipt)}] {summary}"
    return f"{subject}: {original}" if original else subject


def reply_context(view: ReplyView, now: datetime) -> dict[str, object]:
    """Everything the templates show, decided here so the templates only lay it out."""
    errors, warnings = describe_all(view)
    warnings += document_notes(view)
    deadline_passed = view.deadline is not None and local(now, view.timezone) > local(view.deadline, view.timezone)
    return {
        "view": view,
        "branch": reply_branch(view.status),
        "tz": view.timezone,
        "school": one_line(view.school),
        "subject": reply_subject(view),
        "errors": errors,
        "warnings": warnings,
        "deadline_passed": deadline_passed,
        "registrations": tuple(one_line(name) for name in view.registrations),
    }


def reply_text(view: ReplyView, now: datetime | None = None) -> str:
    context = reply_context(view, now or datetime.now(timezone.utc))
    return tidy_text(render_template("reply.txt.j2", **context))


def reply_html(view: ReplyView, now: datetime | None = None) -> str:
    context = reply_context(view, now or datetime.now(timezone.utc))
    return render_template("reply.html.j2", **context)


def render_reply(
    view: ReplyView,
    *,
    to: str,
    in_reply_to: str,
    references: tuple[str, ...],
    message_id: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """The reply to one submission, threaded under the school's mail.

    ``to`` that is not a single valid address leaves the message without To: such mail
    is refused by the loop guard anyway, and filing must not fail because of it.
    Raises ValueError for an invalid office address or ``message_id`` (configuration
    or caller bugs).
    """
    now = now or datetime.now(timezone.utc)
    own_id = message_id_or_empty(message_id) if message_id is not None else new_message_id(view.office_address)
    if not own_id:
        raise ValueError(f"not a usable Message-ID: {message_id!r}")

    message = EmailMessage()
    message["From"] = mailbox(view.office_address, view.office_name)
    try:
        message["To"] = mailbox(to)
    except ValueError:
        pass
    set_text_header(message, "Subject", reply_subject(view))
    message["Date"] = format_datetime(local(now, view.timezone))
    message["Message-ID"] = own_id
    parent = message_id_or_empty(in_reply_to)
    if parent:
        message["In-Reply-To"] = parent
    chain = references_chain(tuple(references or ()), parent)
    if chain:
        message["References"] = chain
    # RFC 3834: mark the reply as automatic so other responders do not answer it, and ask
    # Exchange not to send out-of-office notices back. Precedence: bulk would get it filtered.
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "All"

    context = reply_context(view, now)
    fill_bodies(message, tidy_text(render_template("reply.txt.j2", **context)),
                render_template("reply.html.j2", **context))
    return message


def fill_bodies(message: EmailMessage, text: str, html: str) -> None:
    """multipart/alternative, plain text first. Base64 keeps Vietnamese compact and
    7-bit clean for any relay."""
    message.set_content(text, charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    # set after the bodies: set_content drops every Content-* header already present
    message["Content-Language"] = "vi"
