"""What a mail says about itself, in its subject, its body and its documents' titles: an additional
(*bổ sung*) or an ad-hoc (*đột xuất*) list, articles for the website, or which document it means
to carry ("Danh sách…", "Đăng ký…") when none of its files could be recognised.

Pure functions of text. Lines quoted from an earlier mail ("> …") and everything below a
forwarded or replied-to header are left out: our own replies ask schools to "bổ sung", and a
school answering one is not sending an additional list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from thidua.text import fold, nfc

# "danh sách bổ sung", "đề nghị khen thưởng bổ sung", "bổ sung danh sách", "DS bổ sung"…, but not
# "danh sách khen thưởng, bổ sung minh chứng" (a full list sent with the evidence that was missing)
_ADDITIONAL = re.compile(
    r"\b(?:(?:danh sach|ds|khen thuong|de nghi|de xuat|ca nhan|tap the)(?: \w+){0,3} bo sung"
    r"(?! (?:them )?(?:minh chung|so lieu|thong tin|ho so|noi dung|tep|file|chu ky))"
    r"|bo sung (?:danh sach|ds)"
    r"|bo sung (?:them )?(?:\w+ ){0,2}(?:ca nhan|tap the|nguoi))\b"
)
_AD_HOC = re.compile(r"\bdot xuat\b")
_PUBLICITY = re.compile(
    r"\b(?:bai viet|tin bai|bai tuyen truyen|tuyen truyen|hinh anh minh hoa|anh minh hoa|bai bao|"
    r"dua tin|dang tin|dang website|dang tren website|trang thong tin dien tu)\b"
)
# The document a subject or body points to, first match wins (a list named before a registration).
_POINTED = (
    ("nomination_list", re.compile(r"\b(?:danh sach|ds)\b|\bkhen thuong\b")),
    ("registration", re.compile(r"\bdang ky\b|\bphieu dang ky\b")),
    ("report", re.compile(r"\bbao cao\b")),
)
# Where a reply's or a forward's quoted mail begins (Gmail, Outlook, Thunderbird, in English or Vietnamese).
_QUOTE_START = re.compile(
    r"^(?:-{2,}.*(?:forwarded|original|chuyển tiếp|thư gốc).*|on .+ wrote:|vào .+ đã viết:|from:\s.*|từ:\s.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MailIntent:
    additional: bool  # the list adds to the school's current list for the round
    ad_hoc: bool  # an ad-hoc (đột xuất) list: never late, never counted toward the quota
    publicity: bool  # articles or photos for the office's website
    pointed_kinds: tuple[str, ...]  # the documents the subject and body point to, in that order


def own_text(body: str) -> str:
    """The body without lines quoted from earlier mails."""
    kept: list[str] = []
    for line in (body or "").splitlines():
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        if _QUOTE_START.match(nfc(stripped)):
            break
        kept.append(line)
    return "\n".join(kept)


def mail_intent(subject: str, body: str, titles: Iterable[str] = ()) -> MailIntent:
    """What the school's own words (subject, body without quotes, document titles) say."""
    titles = tuple(titles)
    words = " | ".join(fold(text) for text in (subject, own_text(body), *titles) if text)
    heading = " | ".join(fold(text) for text in (subject, *titles) if text)
    pointed = tuple(kind for kind, pattern in _POINTED if pattern.search(heading))
    if not pointed:
        pointed = tuple(kind for kind, pattern in _POINTED if pattern.search(fold(own_text(body))))
    return MailIntent(
        additional=bool(_ADDITIONAL.search(words)),
        ad_hoc=bool(_AD_HOC.search(words)),
        publicity=bool(_PUBLICITY.search(words)),
        pointed_kinds=pointed,
    )
