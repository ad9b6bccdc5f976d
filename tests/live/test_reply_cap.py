"""The daily reply cap through the real command line, a Maildir inbox and a real SMTP server: it
stops mail loops, never a school's receipts, and what it holds waits for staff to send or drop."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.support.builders import REGISTRATION_EXAMPLE, make_eml, registration_docx
from tests.support.live import smtp_section
from tests.support.office import BEFORE_DEADLINE, OFFICE
from thidua.intake.sources import deliver_to_maildir

SCHOOL = "c2anbinh@example.vn"
OCTET = "application/octet-stream"


def registration_mail(n: int, document: bytes | None = None) -> bytes:
    document = document or registration_docx(**dict(REGISTRATION_EXAMPLE, full_name=f"Giáo viên Số {n}"))
    return make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject=f"Đăng ký đổi mới sáng tạo số {n}",
        body="Kính gửi Phòng, trường gửi phiếu đăng ký.",
        attachments=[(f"Đăng ký {n}.docx", document, OCTET)],
    )


def out_of_office(n: int) -> bytes:
    """A school's mailbox answering by itself, with none of the headers that say so."""
    return make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject=f"Re: [HS-2018-{n:04d}] Đã nhận thư của quý vị",
        body="Tôi đang đi công tác, sẽ trả lời khi về. Trân trọng.",
    )


@pytest.fixture
def office(make_office, smtp_server):
    def make(cap: int = 10):
        return make_office(
            mailbox='kind = "maildir"\npath = "inbox"',
            outgoing=smtp_section(smtp_server.port),
            office_extra=f"max_replies_per_day = {cap}",
        )

    return make


def deliver(office, mails) -> None:
    for n, raw in enumerate(mails):
        deliver_to_maildir(office.app.settings.mailbox.path, raw, BEFORE_DEADLINE + timedelta(minutes=n))


def run_once(office):
    result = office.cli("run", "--once", timeout=180)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def statuses(office) -> list[str]:
    return [r["status"] for r in office.replies()]


def held(office) -> list[dict]:
    result = office.cli("replies", "held", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_line_failure(result, *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("thidua: "), result.stderr
    assert all(fragment in lines[0] for fragment in fragments), lines[0]


def test_twelve_registrations_in_one_day_get_twelve_receipts(office, smtp_server):
    office = office(cap=10)
    deliver(office, [registration_mail(n) for n in range(1, 13)])
    result = run_once(office)
    assert result.stdout.rstrip().splitlines()[-1] == "12 thư đã xử lý, 12 phản hồi đã gửi."
    assert len(smtp_server.wait_for(12)) == 12
    assert {tuple(r.rcpt_tos) for r in smtp_server.received} == {(SCHOOL,)}
    assert statuses(office) == ["sent"] * 12
    assert held(office) == []


def test_an_auto_responder_loop_is_held_listed_for_staff_and_sent_or_dropped_by_them(office, smtp_server):
    office = office(cap=10)
    deliver(office, [out_of_office(n) for n in range(1, 13)])
    result = run_once(office)
    assert result.stdout.rstrip().splitlines()[-1] == "12 thư đã xử lý, 10 phản hồi đã gửi."
    assert result.stdout.count("giữ lại chờ cán bộ") == 2
    assert len(smtp_server.wait_for(10)) == 10
    assert statuses(office) == ["sent"] * 10 + ["held"] * 2

    first, second = held(office)
    assert first["to"] == SCHOOL and first["kind"] == "correction"
    assert "quá giới hạn 10 thư trả lời" in first["reason"] and "thư không kèm tài liệu" in first["reason"]
    table = office.cli("replies", "held")
    assert (
        table.returncode == 0
        and str(first["id"]) in table.stdout
        and "Thư trả lời đang giữ lại" in table.stdout
    )
    digest = office.cli("digest")
    assert digest.returncode == 0, digest.stderr
    section = digest.stdout.split("8. THƯ TRẢ LỜI ĐANG GIỮ LẠI: QUÁ GIỚI HẠN TRONG NGÀY (2)", 1)[1]
    assert f"Số {first['id']} · tới {SCHOOL}" in section and f"Số {second['id']}" in section

    # the loop goes on: still held; the school's own document is answered all the same
    deliver(office, [out_of_office(13), registration_mail(1)])
    result = run_once(office)
    assert result.stdout.rstrip().splitlines()[-1] == "2 thư đã xử lý, 1 phản hồi đã gửi."
    assert statuses(office)[-2:] == ["held", "sent"]
    assert "Đăng ký" in str(smtp_server.wait_for(11)[-1].message["Subject"])
    third = held(office)[-1]

    sent = office.cli("replies", "send", str(first["id"]))
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == f"Đã gửi thư trả lời số {first['id']} tới {SCHOOL}."
    assert len(smtp_server.wait_for(12)) == 12
    assert smtp_server.received[-1].message["Subject"] == first["subject"]
    dropped = office.cli("replies", "drop", str(second["id"]))
    assert (
        dropped.returncode == 0
        and dropped.stdout.strip() == f"Đã hủy thư trả lời số {second['id']} tới {SCHOOL}."
    )
    assert [r["id"] for r in held(office)] == [third["id"]]

    one_line_failure(office.cli("replies", "drop", str(second["id"])), f"số {second['id']}", "đã hủy")
    one_line_failure(office.cli("replies", "send", str(first["id"])), f"số {first['id']}", "đã gửi")
    one_line_failure(office.cli("replies", "send", "999999"), "không có thư trả lời số 999999")
    one_line_failure(office.cli("replies", "drop", "tám"))
    assert len(smtp_server.received) == 12  # nothing more went
    with office.app.db.session() as session:
        from thidua.store.models import Reply

        decided = {r.id: (r.status, r.handled_by) for r in session.query(Reply) if r.handled_by}
    assert decided[first["id"]][0] == "sent" and decided[second["id"]][0] == "dropped"
    assert all(who.startswith("cli") for _, who in decided.values())


def test_the_same_documents_sent_again_and_again_count_toward_the_cap(office, smtp_server):
    office = office(cap=2)
    same = registration_docx(**REGISTRATION_EXAMPLE)
    deliver(office, [registration_mail(n, same) for n in range(1, 5)] + [registration_mail(5)])
    result = run_once(office)
    # the first is a receipt; the repeats count: two go, the third is held; a new document goes
    assert result.stdout.rstrip().splitlines()[-1] == "5 thư đã xử lý, 4 phản hồi đã gửi."
    assert statuses(office) == ["sent", "sent", "sent", "held", "sent"]
    [repeat] = held(office)
    assert "gửi lại đúng các tệp đã gửi trước đó" in repeat["reason"]
    assert len(smtp_server.wait_for(4)) == 4
