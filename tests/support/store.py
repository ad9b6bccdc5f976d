"""Drafts and replies as the store tests file them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from thidua.store.drafts import DocumentDraft, NomineeDraft, SubmissionDraft
from thidua.store.replies import add_reply

T0 = datetime(2018, 3, 14, 2, 12, tzinfo=UTC)  # 09:12 in Asia/Ho_Chi_Minh


def make_draft(n: int = 1, **changes) -> SubmissionDraft:
    draft = SubmissionDraft(
        sender="c2anbinh@example.vn",
        school_id=None,
        school_name="Trường THCS An Bình",
        subject="Danh sách đề nghị khen thưởng quý I",
        message_id=f"<mail-{n}@example.vn>",
        content_key=f"{n:064x}",
        mail_sha256="a" * 64,
        received_at=T0,
        round_id="q1-2018",
        status="accepted",
        documents=(
            DocumentDraft(
                filename="Danh sách.xlsx",
                container="",
                kind="nomination_list",
                detected="xlsx",
                sha256="b" * 64,
                size=1234,
            ),
            DocumentDraft(
                filename="hoso.zip/minh-chung-1.pdf",
                container="hoso.zip",
                kind="evidence",
                detected="pdf",
                sha256="c" * 64,
                size=99,
            ),
        ),
        registrations=(),
        registration_labels=(),
        nominees=(
            NomineeDraft(
                rank=1,
                name="Nguyễn Văn A",
                category="teacher",
                position="Giáo viên Toán",
                achievements="2 giải nhất cấp huyện",
                evidence=("minh-chung-1.pdf",),
                award="Giấy khen",
                category_text="Giáo viên",
                labels={"name": "Họ và tên"},
            ),
            NomineeDraft(
                rank=2,
                name="Tổ Toán",
                category="collective",
                position="",
                achievements="100% học sinh đạt",
                evidence=(),
                award="",
                category_text="Tập thể",
            ),
        ),
        problems=(),
        source_key=f"maildir:{n}",
    )
    return replace(draft, **changes)


NOW = datetime(2018, 3, 20, 1, 0, tzinfo=UTC)


def queued_reply(
    session, n, *, status="queued", to="c2anbinh@example.vn", created=NOW, kind="receipt", submission_id=None
):
    return add_reply(
        session,
        submission_id=submission_id,
        kind=kind,
        to_address=to,
        subject=f"reply {n}",
        message_id=f"<reply-{n}@pgd>",
        eml_sha256=f"{n:064x}",
        status=status,
        now=created,
    )
