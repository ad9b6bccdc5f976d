"""Everything the checks look at, gathered by the pipeline before they run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from thidua.campaign import Round
from thidua.parsers.forms.model import UnderstoodDocument


@dataclass(frozen=True)
class DocumentFinding:
    """One file of the submission and what was made of it."""

    name: str  # display name as the school sent it ("hoso.zip/Danh sách.xlsx" for archive members)
    detected: str  # file type from the bytes (docx, xlsx, pdf, zip, jpeg, …, unknown)
    size: int
    kind: str  # registration | nomination_list | report | evidence | unknown
    understood: UnderstoodDocument | None = None
    # Why it could not be used, "" when it could:
    # corrupt | encrypted | scan | unsupported | too_large | archive_limit
    failure: str = ""
    detail: str = ""  # short technical detail for staff (never shown to schools)
    # A scan that is the signed, stamped copy ("bản in có dấu") of this editable file received with it.
    signed_copy_of: str = ""
    # What a file that was read looked like: "table" (it holds a table), "text" or "empty"; told to the
    # school when nothing in its mail was recognised
    shape: str = ""


@dataclass(frozen=True)
class CheckContext:
    documents: tuple[DocumentFinding, ...]
    sender: str
    sender_school: str | None  # registered school of the sender; None when not registered
    received_at: datetime
    round: Round | None
    max_attachment_bytes: int
    # the distinct nominees (thidua.text.nominee_identity) this school keeps for the same round in
    # its other current submissions once this mail is filed (a list it replaces left out), for the quota
    nominees_elsewhere: frozenset[tuple[str, ...]] = frozenset()
    ad_hoc: bool = False  # an ad-hoc (đột xuất) list: never late, never counted toward the quota
    additional: bool = False  # an additional (bổ sung) list: its ranks may continue the earlier list's
    spoof_failure: str = ""  # e.g. "dmarc=fail" when the trusted server says the sender is forged
    readable_formats: tuple[str, ...] = ("docx", "xlsx", "pdf", "zip")
    # the documents the mail's subject and body point to ("Danh sách…": nomination_list), in that order
    pointed_kinds: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def file_names(self) -> tuple[str, ...]:
        """Every file received, archive members included, for evidence matching."""
        return tuple(d.name for d in self.documents)
