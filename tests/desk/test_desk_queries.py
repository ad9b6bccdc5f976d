"""The desk's read side over real filed mail, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.mails import complete_mail, file_mail, incomplete_mail
from tests.support.office import AFTER_DEADLINE
from thidua.desk import queries

OFFICE_CODE = "pgd-phongdien"


def test_dashboard_puts_every_school_against_its_status(office):
    assert file_mail(office, incomplete_mail()).status == "needs_correction"
    with office.app.db.session() as session:
        board = queries.dashboard(session, OFFICE_CODE, office.app.campaign, "q1-2018")
    assert board.round_label == "Quý I năm 2018" and board.deadline.year == 2018
    assert [(r.school, r.status, r.status_label) for r in board.rows] == [
        ("Trường THCS An Bình", "can_bo_sung", "Cần bổ sung"),
        ("Trường Tiểu học Phong Hòa", "chua_gui", "Chưa gửi"),
    ]
    assert board.rows[0].receipt == "HS-2018-0001" and board.rows[0].received_at.tzinfo is not None
    assert board.counts == {"chua_gui": 1, "can_bo_sung": 1, "da_tiep_nhan": 0, "gui_muon": 0}

    late = file_mail(
        office, complete_mail(sender="thphonghoa@example.vn", name="Lê Thị Cúc"), when=AFTER_DEADLINE
    )
    assert late.status == "accepted"
    with office.app.db.session() as session:
        board = queries.dashboard(session, OFFICE_CODE, office.app.campaign, "q1-2018")
        other_round = queries.dashboard(session, OFFICE_CODE, office.app.campaign, "dang-ky")
    assert [r.status for r in board.rows] == ["can_bo_sung", "gui_muon"]
    assert [r.status for r in other_round.rows] == ["chua_gui", "chua_gui"]


def test_the_list_shows_current_versions_searched_and_paged(office):
    file_mail(office, incomplete_mail())
    file_mail(office, complete_mail(sender="thphonghoa@example.vn", name="Lê Thị Cúc"))
    with office.app.db.session() as session:
        everything = queries.list_submissions(session, OFFICE_CODE)
        by_nominee = queries.list_submissions(session, OFFICE_CODE, q="Cúc")
        by_receipt = queries.list_submissions(session, OFFICE_CODE, q="hs-2018-0001")
        by_sender = queries.list_submissions(session, OFFICE_CODE, q="thphonghoa")
        by_status = queries.list_submissions(session, OFFICE_CODE, status="needs_correction")
        by_school = queries.list_submissions(session, OFFICE_CODE, school="Trường THCS An Bình")
        none = queries.list_submissions(session, OFFICE_CODE, q="100%_")
        second_page = queries.list_submissions(session, OFFICE_CODE, page=2, per_page=1)
    assert everything.total == 2 and everything.pages == 1
    assert [row.receipt for row in by_nominee.items] == ["HS-2018-0002"]
    assert [row.receipt for row in by_receipt.items] == ["HS-2018-0001"]
    assert [row.school for row in by_sender.items] == ["Trường Tiểu học Phong Hòa"]
    assert [row.status_label for row in by_status.items] == ["Cần bổ sung, chỉnh sửa"]
    assert [row.receipt for row in by_school.items] == ["HS-2018-0001"]
    assert none.total == 0 and none.items == ()
    assert (second_page.page, second_page.pages, len(second_page.items)) == (2, 2, 1)


def test_a_new_full_list_is_the_current_version_and_the_page_shows_both(office):
    file_mail(office, incomplete_mail(message_id="<first@example.vn>"))
    second = file_mail(office, complete_mail(subject="Re: [HS-2018-0001] Bổ sung minh chứng"))
    assert (second.receipt, second.version) == ("HS-2018-0001", 2)
    with office.app.db.session() as session:
        page = queries.list_submissions(session, OFFICE_CODE)
        detail = queries.submission_detail(
            session, OFFICE_CODE, "hs-2018-0001", office.app.settings.office.tz
        )
        missing = queries.submission_detail(session, OFFICE_CODE, "HS-2018-0999")
    assert [(r.receipt, r.version) for r in page.items] == [("HS-2018-0001", 2)]
    assert missing is None
    assert [v.version for v in detail.versions] == [1, 2] and detail.current.status == "accepted"
    assert [r["version"] for r in detail.record["versions"]] == [1, 2]
    assert detail.record["version"] == 2 and detail.record["decisions"] == []
    assert detail.record["signed_copy"] is None
    assert all(isinstance(n["id"], int) for n in detail.record["nominees"])
    assert detail.versions[0].message_id == "<first@example.vn>" and len(detail.versions[0].mail_sha256) == 64
    assert {(f.version, f.filename, f.detected) for f in detail.files} >= {
        (1, "Danh sách đề nghị khen thưởng.xlsx", "xlsx"),
        (2, "Giấy khen Hoa.pdf", "pdf"),
    }
    assert [(r.version, r.kind, r.status) for r in detail.replies] == [
        (1, "correction", "queued"),
        (2, "receipt", "queued"),
    ]


def test_problems_quote_the_schools_own_labels(office):
    file_mail(office, incomplete_mail())
    with office.app.db.session() as session:
        detail = queries.submission_detail(session, OFFICE_CODE, "HS-2018-0001")
    [problem] = [p for p in detail.problems if p.code == "missing_evidence"]
    assert problem.severity == "error" and problem.field.endswith(".evidence")
    assert problem.label  # the column header the school's own file used


def test_schools_and_an_empty_review_queue(office):
    with office.app.db.session() as session:
        rows = queries.schools(session, OFFICE_CODE)
        queue = queries.review_queue(session, OFFICE_CODE)
    assert [(s.name, s.addresses) for s in rows] == [
        ("Trường THCS An Bình", ("c2anbinh@example.vn",)),
        ("Trường Tiểu học Phong Hòa", ("thphonghoa@example.vn",)),
    ]
    assert queue.mails == () and queue.held_replies == ()


def test_a_mail_without_files_does_not_undo_a_schools_accepted_list(office):
    """An out-of-office answer or a question by mail is filed, but the school's paperwork stands."""
    from tests.support.builders import make_eml
    from tests.support.office import OFFICE

    assert file_mail(office, complete_mail()).status == "accepted"
    question = make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Hỏi về hạn nộp hồ sơ quý I",
        body="Kính gửi Phòng, trường xin hỏi hạn nộp hồ sơ quý I.",
    )
    assert file_mail(office, question).status == "needs_correction"
    with office.app.db.session() as session:
        board = queries.dashboard(session, OFFICE_CODE, office.app.campaign, "q1-2018")
    assert [(r.school, r.status) for r in board.rows][0] == ("Trường THCS An Bình", "da_tiep_nhan")

    other = file_mail(
        office,
        make_eml(
            sender="thphonghoa@example.vn",
            to=OFFICE,
            subject="Hỏi về hạn nộp quý I",
            body="Trường xin hỏi hạn nộp.",
        ),
    )
    assert other.status == "needs_correction"
    with office.app.db.session() as session:
        board = queries.dashboard(session, OFFICE_CODE, office.app.campaign, "q1-2018")
    assert dict((r.school, r.status) for r in board.rows)["Trường Tiểu học Phong Hòa"] == "can_bo_sung"
