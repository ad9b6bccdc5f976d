"""When not to answer a mail automatically (SPEC "Replies", RFC 3834 section 2).

An auto-reply to a robot starts a mail loop or spams a list; a missed reply to a school
only costs a phone call. So every rule here errs towards silence, but only on signals
that ordinary mail from a school never carries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from thidua.parsers.mail import ParsedMail

BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})

# Local parts of system senders (compared after lower-casing, dropping a +tag and
# treating "." and "_" as "-"): bounces, list managers and no-reply robots.
SYSTEM_LOCAL_PARTS = frozenset(
    {
        "mailer-daemon",
        "mailerdaemon",
        "mail-daemon",
        "postmaster",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "dont-reply",
        "bounce",
        "bounces",
        "listserv",
        "majordomo",
    }
)
SYSTEM_PREFIXES = ("owner-", "bounce-", "bounces-", "noreply-", "no-reply-", "donotreply-", "do-not-reply-")
SYSTEM_SUFFIXES = ("-request", "-bounces", "-owner")

# Headers some vacation responders set instead of Auto-Submitted.
AUTOREPLY_HEADERS = ("x-autoreply", "x-autorespond")

_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+$")


def _header_values(mail: ParsedMail, name: str) -> list[str]:
    wanted = name.lower()
    return [value for key, value in mail.headers if key.strip().lower() == wanted]


def _first_token(value: str) -> str:
    """ "auto-replied; owner-email=x" → "auto-replied"."""
    return value.split(";", 1)[0].strip().lower()


def _system_local_part(address: str) -> bool:
    local = address.rpartition("@")[0].lower() if "@" in address else address.lower()
    local = local.split("+", 1)[0].replace(".", "-").replace("_", "-")
    return local in SYSTEM_LOCAL_PARTS or local.startswith(SYSTEM_PREFIXES) or local.endswith(SYSTEM_SUFFIXES)


def _bare(address: str | None) -> str:
    return (address or "").strip().strip("<>").strip().lower()


def reply_refusal(mail: ParsedMail, own_addresses: Iterable[str]) -> str | None:
    """Why this mail must not get an automatic reply (a short English reason for the
    logs), or None when a reply is allowed."""
    sender = _bare(mail.from_address)
    if mail.from_count > 1:
        return f"several From addresses ({mail.from_count})"
    if not sender or not _ADDRESS.match(sender):
        return "no valid From address"

    own = {_bare(a) for a in own_addresses if _bare(a)}
    if sender in own:
        return "sender is our own address"
    return_path = _bare(mail.return_path) if mail.return_path is not None else None
    if return_path and return_path in own:
        return "return path is our own address"

    auto_submitted = [mail.auto_submitted, *_header_values(mail, "auto-submitted")]
    for value in auto_submitted:
        token = _first_token(value or "")
        if token and token != "no":
            return f"auto-submitted: {token}"
    for name in AUTOREPLY_HEADERS:
        if _header_values(mail, name):
            return f"auto-reply header: {name}"

    for value in [mail.precedence, *_header_values(mail, "precedence")]:
        token = _first_token(value or "")
        if token in BULK_PRECEDENCE:
            return f"precedence: {token}"

    if (mail.list_id or "").strip() or _header_values(mail, "list-id"):
        return "mailing list (List-Id)"
    if _header_values(mail, "list-unsubscribe"):
        return "mailing list (List-Unsubscribe)"

    if mail.return_path is not None and return_path == "":
        return "empty return path"
    if _system_local_part(sender):
        return f"system sender: {sender}"
    if return_path and _system_local_part(return_path):
        return f"system return path: {return_path}"
    return None


def within_daily_cap(sent_today: int, cap: int) -> bool:
    """True while one more reply to the same address stays within the day's cap."""
    return sent_today < cap
