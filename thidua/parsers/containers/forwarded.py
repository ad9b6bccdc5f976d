"""A mail attached to a mail (a forwarded submission): its attachments, read by the mail parser."""

from __future__ import annotations

from thidua.parsers.containers.model import Listing, listed
from thidua.parsers.mime import parse_mail


def listing(data: bytes) -> Listing:
    return listed((attachment.filename, attachment.data) for attachment in parse_mail(data).attachments)
