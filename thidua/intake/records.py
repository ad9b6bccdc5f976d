"""What each step of the flow hands to the next: a mail begun, a mail read, the outcome."""

from __future__ import annotations

from dataclasses import dataclass

from thidua.intake.examine import Examined
from thidua.intake.sources import IncomingMail
from thidua.parsers.mail import ParsedMail
from thidua.store.blobs import Staged


@dataclass(frozen=True)
class Outcome:
    source_key: str
    receipt: str = ""
    version: int = 0
    status: str = ""  # submission status, or "duplicate" / "review" / "failed"
    school: str = ""
    sender: str = ""
    reply: str = ""  # "queued", "suppressed: <reason>", or ""
    error: str = ""


@dataclass(frozen=True)
class Begun:
    """A mail whose attempt is noted in the ledger."""

    mail: IncomingMail
    key: str  # content_key
    attempts: int  # this one included, those forgiven left out (see store.ledger.ledger_begin)
    retry: bool = False  # an earlier attempt failed or never finished: read it alone


@dataclass(frozen=True)
class Read:
    """What ``Mailroom.read`` made of a mail; its files are in the store."""

    parsed: ParsedMail
    examined: Examined
    mail_sha: str
    sha_by_name: dict[str, str]
    staged: Staged = Staged()  # its files, made durable by ``file`` just before the commit
