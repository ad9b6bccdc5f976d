"""Replies to schools: a ReplyView in, the finished message out (as bytes for the outbox,
or as an EmailMessage). Pure: no I/O apart from reading the templates, no clock unless
``now`` is left out.

The three kinds of reply (receipt, correction request, rejection) share one text and
one HTML template with a branch per kind, so the common parts cannot drift apart.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from email import encoders, message_from_bytes, policy
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime
from functools import lru_cache
from typing import NamedTuple

import jinja2

from thidua.clock import utcnow
from thidua.notifier.dates import days_left_vi, local, vn_date, vn_datetime
from thidua.notifier.headers import (
    folded_ids,
    folded_mailbox,
    folded_text,
    header_safe,
    message_id_or_empty,
    new_message_id,
    references_chain,
    shorten,
    strip_reply_prefixes,
)
from thidua.notifier.problem_text import describe_all, document_notes
from thidua.notifier.views import ReplyView
from thidua.text import nfc
from thidua.wording.vocabulary import category_vi, kind_vi, problem_vi, status_vi

SUBJECT_SUMMARY = {
    "receipt": "Đã tiếp nhận hồ sơ",
    "correction": "Đề nghị bổ sung, chỉnh sửa hồ sơ",
    "rejection": "Hồ sơ không được tiếp nhận",
}
_BRANCH = {
    "accepted": "receipt",
    "superseded": "receipt",
    "needs_correction": "correction",
    "rejected": "rejection",
}
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def reply_branch(status: str) -> str:
    """Which reply a status gets: receipt, correction or rejection."""
    return _BRANCH.get(status, "receipt")


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
        auto_reload=False,  # package files do not change under a running service: no stat per mail
    )
    env.filters.update(
        vn_date=vn_date,
        vn_datetime=vn_datetime,
        days_left_vi=days_left_vi,
        category_vi=category_vi,
        kind_vi=kind_vi,
        status_vi=status_vi,
        problem_vi=problem_vi,
        header_safe=header_safe,
    )
    return env


def render_template(name: str, **context: object) -> str:
    return nfc(template_environment().get_template(name).render(**context))


def tidy_text(text: str) -> str:
    """Plain text as a mail client shows it well: no trailing blanks, at most one empty line."""
    text = _TRAILING_SPACE.sub("\n", text.replace("\r\n", "\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"


def reply_subject(view: ReplyView) -> str:
    """ "[HS-2024-0007] Đã tiếp nhận hồ sơ: <the school's subject, shortened>"."""
    summary = SUBJECT_SUMMARY[reply_branch(view.status)]
    original = shorten(strip_reply_prefixes(view.mail_subject, tuple(SUBJECT_SUMMARY.values())))
    subject = f"[{header_safe(view.receipt)}] {summary}"
    return f"{subject}: {original}" if original else subject


def reply_context(view: ReplyView, now: datetime) -> dict[str, object]:
    """Everything the templates show, decided here so the templates only lay it out."""
    errors, warnings = describe_all(view)
    warnings += document_notes(view)
    deadline_passed = view.deadline is not None and local(now, view.timezone) > local(
        view.deadline, view.timezone
    )
    return {
        "view": view,
        "branch": reply_branch(view.status),
        "tz": view.timezone,
        "school": header_safe(view.school),
        "subject": reply_subject(view),
        "errors": errors,
        "warnings": warnings,
        "deadline_passed": deadline_passed,
        "registrations": tuple(header_safe(name) for name in view.registrations),
    }


def reply_text(view: ReplyView, now: datetime | None = None) -> str:
    context = reply_context(view, now or utcnow())
    return tidy_text(render_template("reply.txt.j2", **context))


def reply_html(view: ReplyView, now: datetime | None = None) -> str:
    context = reply_context(view, now or utcnow())
    return render_template("reply.html.j2", **context)


class RenderedReply(NamedTuple):
    """A reply as the outbox stores it, with the two headers it records beside it."""

    data: bytes
    subject: str
    message_id: str


class _AsBuilt(policy.Compat32):
    """Writes header values exactly as built. headers.py has encoded and folded them
    already; folding each again, above all with the modern folder, was most of the
    time a reply took. Refuses a line break that would start a new header, and any
    8-bit octet."""

    def fold(self, name: str, value: str) -> str:
        lines = value.splitlines()
        if any(line[:1] not in (" ", "\t") for line in lines[1:]):
            raise ValueError(f"{name} value is not folded: {value!r}")
        return f"{name}: {self.linesep.join(lines)}{self.linesep}"

    def fold_binary(self, name: str, value: str) -> bytes:
        return self.fold(name, value).encode("ascii")


# CRLF, as on the wire: the outbox parses only the headers of a stored reply and passes its
# body on untouched. Bodies are base64, so no line starts with "From " to be mangled.
_AS_BUILT = _AsBuilt(linesep="\r\n", mangle_from_=False)


def render_reply_bytes(
    view: ReplyView,
    *,
    to: str,
    in_reply_to: str,
    references: tuple[str, ...],
    message_id: str | None = None,
    now: datetime | None = None,
) -> RenderedReply:
    """The reply to one submission, threaded under the school's mail.

    ``to`` that is not a single valid address leaves the message without To: such mail
    is refused by the loop guard anyway, and filing must not fail because of it.
    Raises ValueError for an invalid office address or ``message_id`` (configuration
    or caller bugs).
    """
    now = now or utcnow()
    own_id = (
        message_id_or_empty(message_id) if message_id is not None else new_message_id(view.office_address)
    )
    if not own_id:
        raise ValueError(f"not a usable Message-ID: {message_id!r}")
    subject = header_safe(reply_subject(view))

    # Base64 lines never start with "--", so no delimiter can turn up in the bodies: a
    # boundary chosen here spares the generator searching them for one.
    message = MIMEMultipart("alternative", boundary=secrets.token_hex(12), policy=_AS_BUILT)
    message["From"] = folded_mailbox("From", view.office_address, view.office_name)
    try:
        message["To"] = folded_mailbox("To", to)
    except ValueError:
        pass
    message["Subject"] = folded_text("Subject", subject)
    message["Date"] = format_datetime(local(now, view.timezone))
    message["Message-ID"] = own_id
    parent = message_id_or_empty(in_reply_to)
    if parent:
        message["In-Reply-To"] = parent
    chain = references_chain(tuple(references or ()), parent)
    if chain:
        message["References"] = folded_ids("References", chain)
    # RFC 3834: mark the reply as automatic so other responders do not answer it, and ask
    # Exchange not to send out-of-office notices back. Precedence: bulk would get it filtered.
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "All"
    message["Content-Language"] = "vi"

    context = reply_context(view, now)
    text = tidy_text(render_template("reply.txt.j2", **context))
    html = render_template("reply.html.j2", **context)
    message.attach(utf8_part(text, "plain"))
    message.attach(utf8_part(html, "html"))
    return RenderedReply(message.as_bytes(), subject, own_id)


def utf8_part(body: str, subtype: str) -> MIMENonMultipart:
    """text/<subtype> in UTF-8 and base64: compact for Vietnamese, 7-bit clean for any
    relay. The same bytes as MIMEText, whose line-by-line encoder costs twice as much."""
    part = MIMENonMultipart("text", subtype, charset="utf-8", policy=_AS_BUILT)
    del part["MIME-Version"]  # a header of the message, not of its parts
    part.set_payload(body.encode("utf-8"))
    encoders.encode_base64(part)
    return part


def render_reply(
    view: ReplyView,
    *,
    to: str,
    in_reply_to: str,
    references: tuple[str, ...],
    message_id: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """``render_reply_bytes`` parsed: the same reply as an EmailMessage, for callers
    that read or send it rather than store it."""
    rendered = render_reply_bytes(
        view, to=to, in_reply_to=in_reply_to, references=references, message_id=message_id, now=now
    )
    return message_from_bytes(rendered.data, policy=policy.default)


def fill_bodies(message: EmailMessage, text: str, html: str) -> None:
    """multipart/alternative, plain text first. Base64 keeps Vietnamese compact and
    7-bit clean for any relay."""
    message.set_content(text, charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    # set after the bodies: set_content drops every Content-* header already present
    message["Content-Language"] = "vi"
