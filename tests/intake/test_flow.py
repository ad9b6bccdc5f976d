"""The processing flow end to end: real files in real mails, filed, checked and answered."""

from __future__ import annotations

import time
import unicodedata

import pytest

from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_docx,
    make_eml,
    make_ole,
    make_pdf,
    make_zip,
    registration_docx,
)
from tests.support.mails import OCTET, certificate, nomination_mail, nominee
from tests.support.office import AFTER_DEADLINE, BEFORE_DEADLINE, OFFICE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def codes(entry: dict) -> set[str]:
    return {p["code"] for p in entry["problems"]}


def test_octet_stream_list_with_evidence_in_a_zip_is_accepted_and_answered(mailroom):
    evidence = make_zip(
        [
            ("minh chung/Giấy khen Hoa.pdf", certificate("Hoa")),
            ("minh chung/GCN to Toan.pdf", certificate("Tổ Toán")),
        ],
        names="utf-8-unflagged",
    )
    rows = [nominee(), nominee("Tổ Toán – Tin", "Tập thể", ("GCN to Toan",), position="")]
    mailroom.deliver(nomination_mail(rows, [("Minh chứng.zip", evidence, "application/zip")]))
    [outcome] = mailroom.run_once()
    assert outcome.status == "accepted", mailroom.submissions()[0]["problems"]
    [entry] = mailroom.submissions()
    assert entry["receipt"] == "HS-2018-0001" and entry["version"] == 1
    assert entry["school"] == "Trường THCS An Bình" and entry["round"] == "q1-2018"
    kinds = {d["filename"]: d["kind"] for d in entry["documents"]}
    assert kinds == {
        "Danh sách đề nghị khen thưởng.xlsx": "nomination_list",
        "Giấy khen Hoa.pdf": "evidence",
        "GCN to Toan.pdf": "evidence",
    }
    assert [(n["rank"], n["category"]) for n in entry["nominees"]] == [(1, "teacher"), (2, "collective")]
    [reply] = mailroom.replies()
    assert reply["To"] == "c2anbinh@example.vn"
    assert reply["Subject"].startswith("[HS-2018-0001] ")
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["In-Reply-To"] == entry["message_id"]
    body = reply.get_body(("plain",)).get_content()
    assert "Nguyễn Thị Hoa" in body and "Tổ Toán – Tin" in body
    # the mailbox is touched only after filing: the mail now sits in the processed folder
    assert not any((mailroom.inbox / "new").iterdir())
    assert len(list((mailroom.inbox / ".Processed" / "cur").iterdir())) == 1


def test_missing_evidence_and_unquantified_achievement_ask_for_correction(mailroom):
    rows = [
        nominee(),
        nominee(
            "Lê Văn Nam",
            "Học sinh",
            ("GCN Nam.pdf",),
            position="Học sinh lớp 9A",
            achievements="Chăm ngoan, tích cực tham gia phong trào.",
        ),
    ]
    outcome = mailroom.process(
        nomination_mail(rows, [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")])
    )
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    by_code = {p["code"]: p for p in entry["problems"]}
    assert by_code["missing_evidence"]["field"] == "nominees[2].evidence"
    assert by_code["missing_evidence"]["severity"] == "error"
    assert by_code["not_quantified"]["severity"] == "warning"
    assert "GCN Nam.pdf" in by_code["missing_evidence"]["message"]
    [reply] = mailroom.replies()
    body = reply.get_body(("plain",)).get_content()
    assert "GCN Nam.pdf" in body and "15/03/2018" in body  # what is missing, and by when


def test_a_reply_in_our_thread_becomes_version_two_and_supersedes_the_first(mailroom):
    first = nomination_mail([nominee()])  # evidence not attached → needs correction
    mailroom.process(first, key="test:first")
    [reply] = mailroom.replies()
    corrected = nomination_mail(
        [nominee()],
        [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")],
        subject="Bổ sung minh chứng",
        in_reply_to=reply["Message-ID"],
        references=[reply["Message-ID"]],
    )
    outcome = mailroom.process(corrected, BEFORE_DEADLINE.replace(day=11), key="test:second")
    assert (outcome.receipt, outcome.version, outcome.status) == ("HS-2018-0001", 2, "accepted")
    newest, oldest = mailroom.submissions()
    assert (newest["version"], newest["status"]) == (2, "accepted")
    assert (oldest["version"], oldest["status"]) == (1, "superseded")


def test_receipt_code_in_the_subject_continues_the_submission(mailroom):
    mailroom.process(nomination_mail([nominee()]), key="test:a")
    outcome = mailroom.process(
        nomination_mail(
            [nominee()],
            [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")],
            subject="Re: [HS-2018-0001] gửi bổ sung",
        ),
        key="test:b",
    )
    assert (outcome.receipt, outcome.version) == ("HS-2018-0001", 2)


def test_another_school_cannot_replace_a_submission_by_quoting_its_code(mailroom):
    mailroom.process(nomination_mail([nominee()]), key="test:a")
    outcome = mailroom.process(
        nomination_mail([nominee()], sender="thphonghoa@example.vn", subject="[HS-2018-0001] danh sách"),
        key="test:b",
    )
    assert (outcome.receipt, outcome.version) == ("HS-2018-0002", 1)


def test_the_same_mail_delivered_twice_is_filed_once_and_answered_once(mailroom):
    raw = nomination_mail([nominee()], [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")])
    mailroom.deliver(raw)
    mailroom.deliver(b"Received: from relay2.example.vn\r\n" + raw)  # a second delivery path
    outcomes = mailroom.run_once()
    assert [o.status for o in outcomes] == ["accepted", "duplicate"]
    assert len(mailroom.submissions()) == 1
    assert len(mailroom.replies()) == 1


def test_arrival_time_not_the_date_header_decides_lateness(mailroom):
    raw = nomination_mail(
        [nominee()], [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")], date=BEFORE_DEADLINE
    )  # the sender claims an early date
    mailroom.deliver(raw, AFTER_DEADLINE)
    [outcome] = mailroom.run_once()
    [entry] = mailroom.submissions()
    assert outcome.status == "accepted"  # late is a warning
    assert codes(entry) == {"late"}
    assert entry["received_at"] == "2018-03-16T09:00:00+07:00"
    assert entry["round"] == "q1-2018"


def test_quota_counts_this_and_earlier_submissions_of_the_school(make_mailroom):
    mailroom = make_mailroom(max_nominees=2)
    files = [(f"Giấy khen {n}.pdf", certificate(n), "application/pdf") for n in ("A", "B", "C")]
    rows = [nominee(f"Giáo viên {n}", evidence=(f"Giấy khen {n}.pdf",)) for n in ("A", "B")]
    assert mailroom.process(nomination_mail(rows, files[:2]), key="k1").status == "accepted"
    third = mailroom.process(
        nomination_mail(
            [nominee("Giáo viên C", evidence=("Giấy khen C.pdf",))], files[2:], subject="Bổ sung 1 cá nhân"
        ),
        key="k2",
    )
    assert third.status == "needs_correction"
    assert "quota_exceeded" in codes(mailroom.submissions()[0])


def test_registration_in_nfd_with_missing_fields_is_filed_in_nfc(mailroom):
    values = dict(REGISTRATION_EXAMPLE, school="Trường Tiểu học Phong Hòa", school_year="2017 – 2018")
    values.pop("objectives")
    raw = make_eml(
        sender="thphonghoa@example.vn",
        to=OFFICE,
        subject="Đăng ký đổi mới",
        attachments=[("Đăng ký.docx", registration_docx(normal_form="NFD", **values), DOCX)],
    )
    outcome = mailroom.process(raw, BEFORE_DEADLINE.replace(year=2017, month=10, day=1))
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    [registration] = entry["registrations"]
    assert registration["full_name"] == "Nguyễn Thị Hoa"
    assert all(unicodedata.is_normalized("NFC", v) for v in registration.values())
    assert [(p["code"], p["field"]) for p in entry["problems"]] == [("missing_field", "objectives")]
    body = mailroom.replies()[0].get_body(("plain",)).get_content()
    assert "Mục tiêu giải pháp đổi mới" in body


def test_a_registration_table_with_many_rows_gives_many_registrations(mailroom):
    header = [
        "STT",
        "Họ tên người đăng ký",
        "Nhiệm vụ được giao",
        "Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực",
        "Thực trạng vấn đề dự kiến đổi mới",
        "Mục tiêu giải pháp đổi mới",
        "Dự kiến kết quả sẽ đạt được",
        "Thời gian dự kiến thử nghiệm",
        "Các bước tiến hành thử nghiệm",
        "Phạm vi công bố và nhân rộng",
    ]
    people = [
        [
            str(i),
            name,
            "Giáo viên",
            "Phương pháp giảng dạy",
            "40% học sinh chưa hứng thú",
            "Dạy học dự án",
            "Giảm còn 10%",
            "10/2017 – 4/2018",
            "Khảo sát; thử nghiệm; đánh giá",
            "Tổ chuyên môn",
        ]
        for i, name in enumerate(["Trần Văn Bình", "Lê Thị Cúc", "Phan Văn Dũng"], start=1)
    ]
    document = make_docx(
        [
            "TRƯỜNG TIỂU HỌC PHONG HÒA",
            "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC",
            "Thời gian thực hiện: Năm học 2017 – 2018",
            [header, *people],
        ]
    )
    raw = make_eml(
        sender="thphonghoa@example.vn",
        to=OFFICE,
        subject="Đăng ký của tổ 5",
        attachments=[("dang ky to 5.docx", document, DOCX)],
    )
    mailroom.process(raw, BEFORE_DEADLINE.replace(year=2017, month=10, day=1))
    [entry] = mailroom.submissions()
    assert [r["full_name"] for r in entry["registrations"]] == [
        "Trần Văn Bình",
        "Lê Thị Cúc",
        "Phan Văn Dũng",
    ]
    assert entry["documents"][0]["kind"] == "registration"


@pytest.mark.parametrize(
    "attachment, code",
    [
        (("ho so.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, OCTET), "unreadable_attachment"),
        (("trinh chieu.ppt", make_ole({"PowerPoint Document": b"\x00" * 64}), OCTET), "unsupported_format"),
        (("danh sach.xlsx", b"PK\x03\x04 this is not really a workbook", XLSX), "unreadable_attachment"),
        (
            ("bao cao.pdf", make_pdf(["BÁO CÁO"], password="secret"), "application/pdf"),
            "unreadable_attachment",
        ),
    ],
)
def test_files_that_cannot_be_read_are_named_in_a_correction_request(mailroom, attachment, code):
    outcome = mailroom.process(
        make_eml(sender="c2anbinh@example.vn", to=OFFICE, subject="Hồ sơ", attachments=[attachment])
    )
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    assert code in codes(entry)
    problem = next(p for p in entry["problems"] if p["code"] == code)
    assert attachment[0] in problem["message"]
    assert len(mailroom.replies()) == 1


def test_a_file_over_the_size_limit(make_mailroom):
    mailroom = make_mailroom("[limits]\nmax_attachment_mb = 0.01\n")
    big = make_pdf(["GIẤY KHEN"] + ["Nội dung dài " * 40] * 60)
    assert len(big) > 10_486
    outcome = mailroom.process(nomination_mail([nominee()], [("Giấy khen Hoa.pdf", big, "application/pdf")]))
    assert outcome.status == "needs_correction"
    assert "attachment_too_large" in codes(mailroom.submissions()[0])


def test_a_mail_without_any_document(mailroom):
    outcome = mailroom.process(
        make_eml(sender="c2anbinh@example.vn", to=OFFICE, subject="Gửi hồ sơ", body="Gửi phòng.")
    )
    assert outcome.status == "needs_correction"
    assert codes(mailroom.submissions()[0]) == {"no_attachment"}


def test_unknown_sender_is_rejected_and_told_once(mailroom):
    outcome = mailroom.process(nomination_mail([nominee()], sender="someone@gmail.example"))
    assert outcome.status == "rejected"
    [entry] = mailroom.submissions()
    assert "unknown_sender" in codes(entry)
    [reply] = mailroom.replies()
    assert reply["To"] == "someone@gmail.example"


def test_unknown_senders_can_be_left_unanswered(make_mailroom):
    mailroom = make_mailroom("reply_to_unknown_senders = false\n")
    outcome = mailroom.process(nomination_mail([nominee()], sender="someone@gmail.example"))
    assert outcome.status == "rejected" and outcome.reply == "suppressed: unknown sender"
    assert mailroom.replies() == []


def test_spoofed_sender_by_the_trusted_server_is_rejected_without_reply(make_mailroom):
    mailroom = make_mailroom('[mailbox]\ntrusted_authserv_id = "mx.pgd.example.vn"\n')
    raw = nomination_mail(
        [nominee()],
        headers=[
            (
                "Authentication-Results",
                "mx.pgd.example.vn; spf=fail smtp.mailfrom=example.vn; dkim=none; dmarc=fail header.from=example.vn",
            )
        ],
    )
    outcome = mailroom.process(raw)
    assert outcome.status == "rejected"
    assert "spoofed_sender" in codes(mailroom.submissions()[0])
    assert mailroom.replies() == []


def test_authentication_results_from_another_server_are_ignored(make_mailroom):
    mailroom = make_mailroom('[mailbox]\ntrusted_authserv_id = "mx.pgd.example.vn"\n')
    raw = nomination_mail(
        [nominee()],
        [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")],
        headers=[("Authentication-Results", "evil.example; dmarc=fail header.from=example.vn")],
    )
    assert mailroom.process(raw).status == "accepted"


@pytest.mark.parametrize(
    "headers, sender",
    [
        ([("Auto-Submitted", "auto-replied")], "c2anbinh@example.vn"),
        ([("Precedence", "bulk")], "c2anbinh@example.vn"),
        ([("List-Id", "<gv.example.vn>")], "c2anbinh@example.vn"),
        ([], "MAILER-DAEMON@example.vn"),
        ([], OFFICE),
    ],
)
def test_no_auto_reply_loops(mailroom, headers, sender):
    outcome = mailroom.process(nomination_mail([nominee()], sender=sender, headers=headers))
    assert outcome.reply.startswith("suppressed")
    assert mailroom.replies() == []


def test_one_address_gets_a_bounded_number_of_replies_a_day(make_mailroom):
    mailroom = make_mailroom("max_replies_per_day = 2\n")
    for i in range(4):
        mailroom.process(make_eml(sender="c2anbinh@example.vn", to=OFFICE, subject=f"thư {i}"), key=f"k{i}")
    assert len(mailroom.submissions()) == 4
    assert len(mailroom.replies()) == 2


def test_a_mail_that_keeps_crashing_is_parked_for_review_and_kept(mailroom, monkeypatch):
    import thidua.intake.flow as flow

    def explode(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(flow, "examine", explode)
    raw = nomination_mail([nominee()])
    mailroom.deliver(raw)
    for _ in range(3):
        [outcome] = mailroom.run_once()
    assert outcome.status == "review"
    assert not any((mailroom.inbox / "new").iterdir()) and not any((mailroom.inbox / "cur").iterdir())
    assert len(list((mailroom.inbox / ".Needs review" / "cur").iterdir())) == 1
    assert mailroom.submissions() == []
    import hashlib

    assert mailroom.app.blobs.exists(hashlib.sha256(raw).hexdigest())  # the original is kept
    # a good mail behind it is not blocked
    monkeypatch.undo()
    mailroom.deliver(nomination_mail([nominee()], subject="thư khác"))
    assert [o.status for o in mailroom.run_once()] == ["needs_correction"]


def test_an_unregistered_sender_is_not_listed_under_the_school_its_file_claims(mailroom):
    mailroom.process(nomination_mail([nominee()], sender="someone@gmail.example"))
    [entry] = mailroom.submissions()
    assert entry["status"] == "rejected" and entry["school"] == ""


def test_a_mail_over_the_message_limit_is_kept_filed_and_answered(make_mailroom):
    mailroom = make_mailroom("[limits]\nmax_message_mb = 0.05\n")
    big = make_pdf(["GIẤY KHEN"] + ["Nội dung dài " * 40] * 120)
    raw = nomination_mail([nominee()], [("Giấy khen Hoa.pdf", big, "application/pdf")])
    assert len(raw) > 0.05 * 1024 * 1024
    outcome = mailroom.process(raw)
    assert outcome.status == "needs_correction"
    [entry] = mailroom.submissions()
    assert [p["code"] for p in entry["problems"]] == ["attachment_too_large"]
    assert entry["subject"] == "Danh sách khen thưởng quý I" and entry["sender"] == "c2anbinh@example.vn"
    import hashlib

    assert mailroom.app.blobs.exists(hashlib.sha256(raw).hexdigest())
    assert len(mailroom.replies()) == 1


def test_a_pass_cut_short_by_the_database_leaves_no_staged_files_and_every_mail_in_the_inbox(
    mailroom, monkeypatch
):
    from thidua.errors import ServiceUnavailable
    from thidua.intake.flow import Mailroom as Flow

    for n in range(6):
        mailroom.deliver(
            nomination_mail(
                [nominee()],
                [("Giấy khen Hoa.pdf", certificate("Hoa"), "application/pdf")],
                subject=f"Danh sách {n}",
            )
        )

    def database_gone(self, session, begun, read, replies):
        raise ServiceUnavailable("the database server 127.0.0.1:5432 does not answer")

    monkeypatch.setattr(Flow, "_file_or_fail", database_gone)
    with pytest.raises(ServiceUnavailable):
        mailroom.run_once()
    store = mailroom.app.blobs.root
    deadline = time.monotonic() + 10  # reads still running when the pass stopped drop theirs as they end
    while list(store.rglob(".tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(store.rglob(".tmp-*"))
    assert len(list((mailroom.inbox / "new").iterdir()) + list((mailroom.inbox / "cur").iterdir())) == 6

    monkeypatch.undo()  # the database is back: every mail is filed on the next pass
    assert len(mailroom.run_once()) == 6
    assert len(mailroom.submissions()) == 6
