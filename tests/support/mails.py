"""School mails with a nomination list and its evidence, as the intake tests send them."""

from __future__ import annotations

from tests.support.builders import make_eml, make_pdf, nomination_xlsx
from tests.support.office import BEFORE_DEADLINE, OFFICE, Mailroom

OCTET = "application/octet-stream"


def nominee(name="Nguyễn Thị Hoa", category="Giáo viên", evidence=("Giấy khen Hoa.pdf",), **more):
    return {
        "name": name,
        "category": category,
        "position": more.pop("position", "Giáo viên Toán"),
        "achievements": more.pop(
            "achievements", "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh."
        ),
        "evidence": list(evidence),
        "award": "Giấy khen",
        **more,
    }


def certificate(who: str) -> bytes:
    return make_pdf(["GIẤY KHEN", f"Tặng {who}", "Đã có thành tích xuất sắc"])


def nomination_mail(
    rows, attachments=(), sender="c2anbinh@example.vn", subject="Danh sách khen thưởng quý I", **kw
):
    return make_eml(
        sender=sender,
        to=OFFICE,
        subject=subject,
        attachments=[("Danh sách đề nghị khen thưởng.xlsx", nomination_xlsx(rows), OCTET), *attachments],
        **kw,
    )


def list_with_evidence(names, subject="Danh sách khen thưởng quý I", **kw) -> bytes:
    """A nomination list of teachers called ``names``, with each one's certificate attached."""
    rows = [nominee(name=name, evidence=(f"Giấy khen {name}.pdf",)) for name in names]
    evidence = [(f"Giấy khen {name}.pdf", certificate(name), OCTET) for name in names]
    return nomination_mail(rows, evidence, subject=subject, **kw)


# -- for the desk's tests: one complete and one incomplete list, filed as the daemon files them --

SCHOOL_REFERENCES = ("<thread-start@example.vn>",)


def complete_mail(
    sender="c2anbinh@example.vn", name="Nguyễn Thị Hoa", subject="Danh sách khen thưởng quý I", **kw
) -> bytes:
    """A list whose every nominee has its evidence: accepted."""
    return make_eml(
        sender=sender,
        to=OFFICE,
        subject=subject,
        attachments=[
            ("Danh sách đề nghị khen thưởng.xlsx", nomination_xlsx([nominee(name)]), OCTET),
            ("Giấy khen Hoa.pdf", certificate(name), "application/pdf"),
        ],
        **kw,
    )


def incomplete_mail(sender="c2anbinh@example.vn", name="Trần Văn Bình", **kw) -> bytes:
    """A list naming evidence that is not attached: needs correction (missing_evidence)."""
    return make_eml(
        sender=sender,
        to=OFFICE,
        subject="Danh sách khen thưởng quý I",
        attachments=[("Danh sách đề nghị khen thưởng.xlsx", nomination_xlsx([nominee(name)]), OCTET)],
        references=SCHOOL_REFERENCES,
        **kw,
    )


def file_mail(room: Mailroom, raw: bytes, when=BEFORE_DEADLINE, key: str | None = None):
    """File one mail as the daemon does (replies are left in the outbox, not sent)."""
    from thidua.intake.sources import IncomingMail

    key = key or f"test:{abs(hash(raw))}"
    return room.app.mailroom.process(IncomingMail(raw, when, key))
