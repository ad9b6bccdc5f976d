"""The desk's write side over real filed mail: decisions and their replies, paper copies, the
review queue, schools; every change audited. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from tests.support.builders import make_xlsx
from tests.support.mails import SCHOOL_REFERENCES, complete_mail, file_mail, incomplete_mail
from tests.support.office import BEFORE_DEADLINE
from thidua.desk import actions, queries
from thidua.desk.actor import DeskError, NotFound
from thidua.intake.sources import MaildirSource
from thidua.runners.outbox import drain
from thidua.store import audit
from thidua.store.models import Reply

OFFICE_CODE = "pgd-phongdien"


def _decide(office, clerk, receipt, action, note, items=()):
    with office.app.db.session() as session:
        return actions.decide(
            session,
            office.app.settings,
            clerk,
            receipt,
            action,
            note,
            items,
            blobs=office.app.blobs,
            campaign=office.app.campaign,
        )


def _sent(office) -> list:
    """The replies sent, in the order they were queued (the daemon's own reply first)."""
    drain(office.app.db, office.app.blobs, office.app.reply_sender(), datetime.now(UTC))
    with office.app.db.session() as session:
        order = [r.message_id for r in session.exec(select(Reply).order_by(Reply.id))]
    return sorted(office.replies(), key=lambda message: order.index(message["Message-ID"]))


def test_a_correction_request_goes_out_in_the_thread_with_the_clerks_words(office, clerk):
    outcome = file_mail(office, complete_mail(message_id="<list-1@example.vn>", references=SCHOOL_REFERENCES))
    assert outcome.status == "accepted"
    record = _decide(
        office,
        clerk,
        "HS-2018-0001",
        "request_correction",
        "Thiếu chữ ký hiệu trưởng",
        ["Bổ sung bản scan có chữ ký, đóng dấu", "Ghi rõ số quyết định"],
    )
    assert record["status"] == "needs_correction"
    [decision] = record["decisions"]
    assert decision["action"] == "request_correction" and decision["by"] == "lan"
    assert decision["note"] == "Thiếu chữ ký hiệu trưởng" and len(decision["items"]) == 2

    _, correction = _sent(office)
    assert correction["Subject"].startswith("[HS-2018-0001] Đề nghị bổ sung")
    assert correction["To"] == "c2anbinh@example.vn"
    assert correction["In-Reply-To"] == "<list-1@example.vn>"
    assert correction["References"].split() == ["<thread-start@example.vn>", "<list-1@example.vn>"]
    assert correction["Auto-Submitted"] == "auto-replied" and correction["Content-Language"] == "vi"
    text = correction.get_body(("plain",)).get_content()
    html = correction.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Thiếu chữ ký hiệu trưởng" in body and "Bổ sung bản scan có chữ ký, đóng dấu" in body
        assert "Ghi rõ số quyết định" in body and "HS-2018-0001" in body

    with office.app.db.session() as session:
        [entry] = audit.entries_for(session, OFFICE_CODE, "receipt", "HS-2018-0001")
        assert entry.actor == "lan" and entry.action == "decision"
        assert entry.before["status"] == "accepted" and entry.after["status"] == "needs_correction"
        assert audit.entries_for(session, "another-office", "receipt", "HS-2018-0001") == []


def test_accepting_despite_problems_sends_a_receipt_without_them(office, clerk):
    assert file_mail(office, incomplete_mail()).status == "needs_correction"
    record = _decide(office, clerk, "HS-2018-0001", "accept", "Minh chứng đã nộp bản giấy")
    assert record["status"] == "accepted"
    _, receipt = _sent(office)
    assert receipt["Subject"].startswith("[HS-2018-0001] Đã tiếp nhận hồ sơ")
    text = receipt.get_body(("plain",)).get_content()
    assert "Minh chứng đã nộp bản giấy" in text
    assert "NỘI DUNG CẦN BỔ SUNG" not in text


def test_a_rejection_sends_nothing(office, clerk):
    file_mail(office, complete_mail())
    record = _decide(office, clerk, "HS-2018-0001", "reject", "Gửi nhầm đợt")
    assert record["status"] == "rejected" and record["decisions"][0]["action"] == "reject"
    assert len(_sent(office)) == 1  # only the daemon's receipt of the mail itself


def test_decisions_refused_in_vietnamese(office, clerk):
    file_mail(office, complete_mail())
    with pytest.raises(DeskError, match="Cần ghi ý kiến"):
        _decide(office, clerk, "HS-2018-0001", "accept", "   ")
    with pytest.raises(DeskError, match="Quyết định phải là"):
        _decide(office, clerk, "HS-2018-0001", "approve", "ok")
    with pytest.raises(NotFound, match="HS-2018-0042"):
        _decide(office, clerk, "HS-2018-0042", "accept", "ok")
    with office.app.db.session() as session:
        assert queries.submission_detail(session, OFFICE_CODE, "HS-2018-0001").record["decisions"] == []


def test_the_paper_copy_is_recorded_once(office, clerk):
    file_mail(office, complete_mail())
    for _ in range(2):
        with office.app.db.session() as session:
            record = actions.record_signed_copy(session, office.app.settings, clerk, "HS-2018-0001")
        assert record["signed_copy"] == "paper"
    with office.app.db.session() as session:
        entries = audit.entries_for(session, OFFICE_CODE, "receipt", "HS-2018-0001")
        with pytest.raises(NotFound):
            actions.record_signed_copy(session, office.app.settings, clerk, "HS-2018-0077")
    assert [(e.action, e.after) for e in entries] == [("signed_copy", {"signed_copy": "paper"})]


def _park(office, raw: bytes):
    """Park a mail exactly as the daemon does after its last failed attempt."""
    source = MaildirSource(office.inbox)
    office.deliver(raw, BEFORE_DEADLINE)
    [mail] = list(source.pending())
    office.app.mailroom._park(mail, source, "the worker reading the documents was killed")
    with office.app.db.session() as session:
        [parked] = queries.review_queue(session, OFFICE_CODE).mails
    return parked


def test_a_parked_mail_is_processed_again_now(office, clerk):
    parked = _park(office, complete_mail())
    assert parked.sender == "c2anbinh@example.vn" and "killed" in parked.error
    result = actions.reprocess(
        office.app.settings,
        clerk,
        parked.id,
        db=office.app.db,
        blobs=office.app.blobs,
        campaign=office.app.campaign,
    )
    assert result["status"] == "accepted" and result["receipt"] == "HS-2018-0001"
    assert len(list((office.inbox / ".Processed" / "cur").iterdir())) == 1
    assert not any((office.inbox / ".Needs review" / "cur").iterdir())
    with office.app.db.session() as session:
        assert queries.review_queue(session, OFFICE_CODE).mails == ()
        actions_done = [e.action for e in audit.entries_for(session, OFFICE_CODE, "ledger", str(parked.id))]
        with pytest.raises(NotFound):
            actions.discard(session, office.app.settings, clerk, parked.id)
    assert actions_done == ["reprocess", "reprocessed"]


def test_a_discarded_mail_leaves_the_queue_and_its_original_stays(office, clerk):
    parked = _park(office, complete_mail())
    with office.app.db.session() as session:
        actions.discard(session, office.app.settings, clerk, parked.id)
    with office.app.db.session() as session:
        assert queries.review_queue(session, OFFICE_CODE).mails == ()
        [entry] = audit.entries_for(session, OFFICE_CODE, "ledger", str(parked.id))
    assert entry.action == "discard" and entry.before["status"] == "review"
    assert len(list((office.inbox / ".Needs review" / "cur").iterdir())) == 1


def test_schools_added_edited_and_imported(office, clerk):
    settings = office.app.settings
    with office.app.db.session() as session:
        school = actions.save_school(
            session,
            settings,
            clerk,
            None,
            "  Trường Mầm non  Hoa Sen ",
            ["MNHoaSen@Example.vn", "mnhoasen@example.vn"],
        )
        school_id = school.id
    with office.app.db.session() as session, pytest.raises(DeskError, match="đã thuộc Trường THCS An Bình"):
        actions.save_school(
            session, settings, clerk, school_id, "Trường Mầm non Hoa Sen", ["c2anbinh@example.vn"]
        )
    with office.app.db.session() as session, pytest.raises(DeskError, match="không hợp lệ"):
        actions.save_school(session, settings, clerk, school_id, "Trường Mầm non Hoa Sen", ["not an address"])
    with office.app.db.session() as session:
        actions.save_school(
            session, settings, clerk, school_id, "Trường Mầm non Hoa Sen", ["hoasen@example.vn"]
        )
        with pytest.raises(NotFound):
            actions.save_school(session, settings, clerk, 9999, "X", [])
    registry = make_xlsx(
        {"Trường": [["Tên trường", "Email"], ["Trường Tiểu học Sông Hồng", "songhong@example.vn"]]}
    )
    with office.app.db.session() as session:
        result = actions.import_schools(session, settings, clerk, "danh sách.xlsx", registry)
        with pytest.raises(DeskError, match="Không dùng được tệp danh sách trường"):
            actions.import_schools(session, settings, clerk, "x.pdf", b"%PDF-1.4 nothing")
    assert result.added == 1
    with office.app.db.session() as session:
        rows = {s.name: s.addresses for s in queries.schools(session, OFFICE_CODE)}
        entries = audit.entries_for(session, OFFICE_CODE, "school", str(school_id))
    assert rows["Trường Mầm non Hoa Sen"] == ("hoasen@example.vn",)
    assert rows["Trường Tiểu học Sông Hồng"] == ("songhong@example.vn",)
    assert [e.after["addresses"] for e in entries] == [["mnhoasen@example.vn"], ["hoasen@example.vn"]]
