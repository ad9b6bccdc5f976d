"""Repository functions, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.support.store import NOW, T0, make_draft, queued_reply
from thidua.errors import ThiduaError
from thidua.parsers.forms.model import REGISTRATION_FIELDS
from thidua.store.digest import digest_data, last_digest_at, record_digest, schools_without_submission
from thidua.store.drafts import NomineeDraft, ProblemDraft
from thidua.store.export import nominees_for_round
from thidua.store.ledger import ledger_begin, ledger_finish, ledger_get
from thidua.store.models import MailLedger, ReceiptCounter, Reply, Submission
from thidua.store.replies import add_reply, due_replies, mark_reply, replies_to_address_since
from thidua.store.schools import ImportResult, import_schools, list_schools, school_for_address
from thidua.store.submission_records import submissions_json
from thidua.store.submissions import (
    DuplicateSubmission,
    current_nominee_count,
    file_submission,
    find_duplicate,
    find_thread_submission,
    latest_version,
    next_receipt,
)
from thidua.store.values import CLAIM_LEASE, MESSAGE_ID_MAX

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _file(db, draft, year=2018, now=None):
    with db.session() as session:
        submission = file_submission(session, draft, year=year, now=now)
        return submission.id, submission.receipt, submission.version


def _school(db, name="Trường THCS An Bình", addresses=("c2anbinh@example.vn",)):
    with db.session() as session:
        import_schools(session, [(name, list(addresses))])
        return school_for_address(session, addresses[0]).id


# =============================================================================================
# Schools
# =============================================================================================


def test_import_schools_upserts_by_name(db):
    with db.session() as session:
        result = import_schools(
            session,
            [
                ("Trường THCS An Bình", ["C2AnBinh@Example.vn", " hieutruong@example.vn "]),
                ("Trường TH Phong Hòa", ["thphonghoa@example.vn"]),
            ],
        )
    assert result == ImportResult(added=2, updated=0, addresses=3)
    with db.session() as session:
        assert school_for_address(session, "c2anbinh@EXAMPLE.VN").name == "Trường THCS An Bình"
        assert school_for_address(session, "nobody@example.vn") is None
        assert school_for_address(session, "") is None

    # The same file again: nothing changes.
    with db.session() as session:
        again = import_schools(
            session,
            [
                ("Trường THCS An Bình", ["c2anbinh@example.vn", "hieutruong@example.vn"]),
                ("Trường TH Phong Hòa", ["thphonghoa@example.vn"]),
            ],
        )
    assert again == ImportResult(added=0, updated=0, addresses=3)

    # An address moves to another school; another is dropped; a new school arrives.
    with db.session() as session:
        moved = import_schools(
            session,
            [
                ("Trường TH Phong Hòa", ["thphonghoa@example.vn", "HIEUTRUONG@example.vn"]),
                ("Trường THCS An Bình", ["c2anbinh@example.vn"]),
                ("Trường MN Hoa Sen", []),
            ],
        )
    assert moved == ImportResult(added=1, updated=2, addresses=3)
    with db.session() as session:
        schools = {s.name: [a.address for a in s.addresses] for s in list_schools(session)}
        assert school_for_address(session, "hieutruong@example.vn").name == "Trường TH Phong Hòa"
    assert schools == {
        "Trường MN Hoa Sen": [],
        "Trường TH Phong Hòa": ["hieutruong@example.vn", "thphonghoa@example.vn"],
        "Trường THCS An Bình": ["c2anbinh@example.vn"],
    }


def test_import_schools_moves_an_address_from_a_school_not_in_the_file(db):
    with db.session() as session:
        import_schools(session, [("Trường A", ["shared@example.vn"]), ("Trường B", ["b@example.vn"])])
    with db.session() as session:
        result = import_schools(session, [("Trường B", ["b@example.vn", "shared@example.vn"])])
    assert result == ImportResult(added=0, updated=1, addresses=2)
    with db.session() as session:
        assert school_for_address(session, "shared@example.vn").name == "Trường B"


def test_import_schools_normalises_names_to_nfc(db):
    nfd = unicodedata.normalize("NFD", "Trường THCS An Bình")
    with db.session() as session:
        import_schools(session, [(nfd, ["a@example.vn"])])
        result = import_schools(session, [("Trường  THCS An Bình", ["a@example.vn"])])
    assert result.added == 0
    with db.session() as session:
        assert [s.name for s in list_schools(session)] == ["Trường THCS An Bình"]


def test_import_schools_same_address_twice_in_one_file(db):
    with db.session() as session:
        import_schools(session, [("Trường A", ["x@example.vn"]), ("Trường B", ["x@example.vn"])])
        assert school_for_address(session, "x@example.vn").name == "Trường B"


@pytest.mark.parametrize("entry", [("", ["a@example.vn"]), ("Trường A", ["not-an-address"])])
def test_import_schools_rejects_bad_rows(db, entry):
    with pytest.raises(ThiduaError):
        with db.session() as session:
            import_schools(session, [entry])


# =============================================================================================
# Receipts, versions, duplicates
# =============================================================================================


def test_receipts_are_per_year_with_four_digits(db):
    receipts = [_file(db, make_draft(n))[1] for n in range(1, 4)]
    assert receipts == ["HS-2018-0001", "HS-2018-0002", "HS-2018-0003"]
    assert _file(db, make_draft(10), year=2019)[1] == "HS-2019-0001"
    assert _file(db, make_draft(11))[1] == "HS-2018-0004"
    for code in receipts:
        assert re.fullmatch(r"HS-\d{4}-\d{4}", code)


def test_receipts_past_9999_keep_growing(db):
    with db.session() as session:
        session.add(ReceiptCounter(year=2018, last_seq=9999))
    assert _file(db, make_draft(1))[1] == "HS-2018-10000"


def test_a_rolled_back_receipt_is_never_filed_twice(db):
    assert _file(db, make_draft(1))[1] == "HS-2018-0001"
    with pytest.raises(RuntimeError):
        with db.session() as session:
            file_submission(session, make_draft(2), year=2018)
            raise RuntimeError("crash after drawing a number")
    third = _file(db, make_draft(3))[1]
    fourth = _file(db, make_draft(4))[1]
    with db.session() as session:
        filed = session.exec(sa.select(Submission.receipt)).scalars().all()
    assert sorted(filed) == sorted({"HS-2018-0001", third, fourth})
    assert len(set(filed)) == 3


def test_a_receipt_already_filed_is_skipped_when_the_counter_is_behind(db):
    _file(db, make_draft(1))
    _file(db, make_draft(2))
    with db.session() as session:  # e.g. the counter table restored from an older backup
        session.get(ReceiptCounter, 2018).last_seq = 0
    assert _file(db, make_draft(3))[1] == "HS-2018-0003"


def test_receipt_year_must_have_four_digits(db):
    with pytest.raises(ValueError):
        with db.session() as session:
            next_receipt(session, 18)


def test_new_version_supersedes_the_earlier_ones(db):
    first_id, receipt, version = _file(db, make_draft(1, status="needs_correction"), now=NOW)
    assert version == 1
    second_id, receipt2, version2 = _file(
        db, make_draft(2, thread_receipt=receipt), now=NOW + timedelta(hours=1)
    )
    assert (receipt2, version2) == (receipt, 2)
    third_id, receipt3, version3 = _file(
        db, make_draft(3, thread_receipt=receipt.lower()), now=NOW + timedelta(hours=2)
    )
    assert (receipt3, version3) == (receipt, 3)
    with db.session() as session:
        rows = {s.id: s for s in session.exec(sa.select(Submission)).scalars()}
        latest = latest_version(session, receipt)
    assert rows[first_id].status == rows[second_id].status == "superseded"
    assert rows[first_id].superseded_at == NOW + timedelta(hours=1)
    assert rows[second_id].superseded_at == NOW + timedelta(hours=2)
    assert rows[third_id].status == "accepted" and rows[third_id].superseded_at is None
    assert latest.id == third_id
    # another mail starts its own receipt
    assert _file(db, make_draft(4))[1] == "HS-2018-0002"


def test_unknown_thread_receipt_starts_a_new_one(db):
    _, receipt, version = _file(db, make_draft(1, thread_receipt="HS-2017-0042"))
    assert (receipt, version) == ("HS-2018-0001", 1)


def test_filing_stores_every_part_in_order(db):
    draft = make_draft(
        1,
        registrations=({"full_name": "Lê Thị B", "assigned_task": "Dạy Văn"}, {"full_name": "Trần C"}),
        registration_labels=({"full_name": "Họ tên người đăng ký"}, {"full_name": "Họ và tên"}),
        problems=(
            ProblemDraft("missing_evidence", "error", "nominees[2].evidence", "Thiếu minh chứng"),
            ProblemDraft("late", "warning", "", "Nộp muộn"),
        ),
    )
    submission_id, _, _ = _file(db, draft)
    with db.session() as session:
        s = session.get(Submission, submission_id)
        assert [d.filename for d in s.documents] == ["Danh sách.xlsx", "hoso.zip/minh-chung-1.pdf"]
        assert [(d.position, d.container, d.size) for d in s.documents] == [
            (0, "", 1234),
            (1, "hoso.zip", 99),
        ]
        assert [r.values["full_name"] for r in s.registrations] == ["Lê Thị B", "Trần C"]
        assert s.registrations[0].labels == {"full_name": "Họ tên người đăng ký"}
        assert [(n.rank, n.name, n.position_title, n.evidence) for n in s.nominees] == [
            (1, "Nguyễn Văn A", "Giáo viên Toán", ["minh-chung-1.pdf"]),
            (2, "Tổ Toán", "", []),
        ]
        assert s.nominees[0].labels == {"name": "Họ và tên"}
        assert s.nominees[0].category_text == "Giáo viên"
        assert [p.code for p in s.problems] == ["missing_evidence", "late"]
        assert s.received_at == T0 and s.received_at.tzinfo is not None


def test_file_submission_refuses_bad_input(db):
    with pytest.raises(ValueError):
        with db.session() as session:
            file_submission(session, make_draft(1, status="pending"), year=2018)
    with pytest.raises(ValueError):
        with db.session() as session:
            file_submission(session, make_draft(1, received_at=datetime(2018, 3, 14, 9, 12)), year=2018)


def test_find_duplicate(db):
    draft = make_draft(1)
    assert _file_and_find(db, draft) is None
    with db.session() as session:
        duplicate = find_duplicate(session, draft.content_key)
        assert duplicate is not None and duplicate.receipt == "HS-2018-0001"
        assert find_duplicate(session, make_draft(2).content_key) is None
        assert find_duplicate(session, "") is None


def test_filing_the_same_mail_twice_is_refused(db):
    first_id, receipt, _ = _file(db, make_draft(1))
    for again in (make_draft(1, source_key="imap:other"), make_draft(1, thread_receipt=receipt)):
        with pytest.raises(DuplicateSubmission) as info:
            _file(db, again)
        assert (info.value.submission_id, info.value.receipt, info.value.version) == (first_id, receipt, 1)
    with db.session() as session:
        assert session.exec(sa.select(sa.func.count()).select_from(Submission)).one()[0] == 1
        # the refused attempt did not use up a receipt number
        assert session.get(ReceiptCounter, 2018).last_seq == 1


def _file_and_find(db, draft):
    with db.session() as session:
        before = find_duplicate(session, draft.content_key)
        file_submission(session, draft, year=2018)
    return before


# =============================================================================================
# Threads
# =============================================================================================


def test_thread_by_subject_code(db):
    _, receipt, _ = _file(db, make_draft(1))
    with db.session() as session:
        assert find_thread_submission(session, receipt_codes=[receipt], reference_ids=[]) == receipt
        assert find_thread_submission(session, receipt_codes=["hs-2018-0001"], reference_ids=[]) == receipt
        assert (
            find_thread_submission(session, receipt_codes=["HS-2018-0999", receipt], reference_ids=[])
            == receipt
        )
        assert find_thread_submission(session, receipt_codes=["HS-2018-0999"], reference_ids=[]) is None
        assert find_thread_submission(session, receipt_codes=[], reference_ids=[]) is None


def test_thread_by_our_reply_message_id(db):
    submission_id, receipt, _ = _file(db, make_draft(1))
    other_id, other, _ = _file(db, make_draft(2))
    with db.session() as session:
        add_reply(
            session,
            submission_id=submission_id,
            kind="correction",
            to_address="c2anbinh@example.vn",
            subject=f"[{receipt}] Đề nghị bổ sung",
            message_id="<reply-1@pgd.example.vn>",
            eml_sha256="d" * 64,
        )
        add_reply(
            session,
            submission_id=None,
            kind="digest",
            to_address="staff@pgd.example.vn",
            subject="Tổng hợp",
            message_id="<digest-1@pgd.example.vn>",
            eml_sha256="e" * 64,
        )
    with db.session() as session:
        find = find_thread_submission
        assert find(session, receipt_codes=[], reference_ids=["<reply-1@pgd.example.vn>"]) == receipt
        assert find(session, receipt_codes=[], reference_ids=["reply-1@pgd.example.vn"]) == receipt
        assert (
            find(session, receipt_codes=[], reference_ids=["<x@y>", " <reply-1@pgd.example.vn> "]) == receipt
        )
        # a school replying to its own earlier mail
        assert find(session, receipt_codes=[], reference_ids=["<mail-2@example.vn>"]) == other
        # the first reference wins (In-Reply-To comes first)
        assert (
            find(session, receipt_codes=[], reference_ids=["<mail-2@example.vn>", "<reply-1@pgd.example.vn>"])
            == other
        )
        # a digest is not a submission's thread; unknown ids and blanks find nothing
        assert find(session, receipt_codes=[], reference_ids=["<digest-1@pgd.example.vn>"]) is None
        assert find(session, receipt_codes=[], reference_ids=["", "<>", "<nope@x>"]) is None
        # a code in the subject beats the references
        assert find(session, receipt_codes=[other], reference_ids=["<reply-1@pgd.example.vn>"]) == other
    assert other_id != submission_id


# =============================================================================================
# Quota
# =============================================================================================


def test_current_nominee_count_excludes_superseded_and_rejected(db):
    school_id = _school(db)
    other_school = _school(db, "Trường TH Phong Hòa", ("phonghoa@example.vn",))
    base = dict(school_id=school_id)
    _, receipt, _ = _file(db, make_draft(1, **base))  # 2 nominees, later superseded
    _file(db, make_draft(2, thread_receipt=receipt, status="needs_correction", **base))  # 2 current
    _file(db, make_draft(3, **base))  # 2 current, accepted
    _file(db, make_draft(4, status="rejected", **base))  # rejected: not counted
    _file(db, make_draft(5, round_id="q2-2018", **base))  # another round
    _file(db, make_draft(6, school_id=other_school))  # another school
    with db.session() as session:
        count = current_nominee_count
        assert count(session, school_id=school_id, round_id="q1-2018", excluding_receipt=None) == 4
        assert count(session, school_id=school_id, round_id="q1-2018", excluding_receipt=receipt) == 2
        assert count(session, school_id=school_id, round_id="q2-2018", excluding_receipt=None) == 2
        assert count(session, school_id=school_id, round_id="q3-2018", excluding_receipt=None) == 0


# =============================================================================================
# `thidua submissions --json`
# =============================================================================================

TOP_KEYS = [
    "receipt",
    "version",
    "status",
    "school",
    "sender",
    "subject",
    "message_id",
    "received_at",
    "round",
    "documents",
    "registrations",
    "nominees",
    "ad_hoc",
    "signed_copy",
    "decisions",
    "problems",
]


def test_submissions_json_shape(db):
    nfd = lambda text: unicodedata.normalize("NFD", text)
    draft = make_draft(
        1,
        school_name=nfd("Trường THCS An Bình"),
        subject=nfd("Danh sách đề nghị khen thưởng quý I"),
        status="needs_correction",
        registrations=({"full_name": nfd("Lê Thị Bích"), "assigned_task": nfd("Dạy Ngữ văn")},),
        registration_labels=({},),
        nominees=(
            NomineeDraft(
                rank=1,
                name=nfd("Nguyễn Văn Ánh"),
                category="teacher",
                position=nfd("Giáo viên"),
                achievements=nfd("Đạt 2 giải"),
                evidence=(nfd("minh-chứng-1.pdf"),),
                award=nfd("Giấy khen"),
                unit=nfd("Trường TH Hòa Bình"),
                section=nfd("II. CÁ NHÂN › A. Giáo viên"),
            ),
            NomineeDraft(
                rank=None, name="Tổ Toán", category=None, position="", achievements="", evidence=(), award=""
            ),
        ),
        problems=(
            ProblemDraft("missing_evidence", "error", "nominees[2].evidence", nfd("Thiếu minh chứng")),
        ),
    )
    _file(db, draft)
    with db.session() as session:
        records = submissions_json(session, office="default", tz=HCM)
    assert json.loads(json.dumps(records, ensure_ascii=False)) == records
    [record] = records
    assert list(record) == TOP_KEYS
    assert record["receipt"] == "HS-2018-0001"
    assert record["version"] == 1 and isinstance(record["version"], int)
    assert record["status"] == "needs_correction"
    assert record["school"] == "Trường THCS An Bình"
    assert record["sender"] == "c2anbinh@example.vn"
    assert record["message_id"] == "<mail-1@example.vn>"
    assert record["received_at"] == "2018-03-14T09:12:00+07:00"
    assert datetime.fromisoformat(record["received_at"]) == T0
    assert record["round"] == "q1-2018"
    assert record["documents"] == [
        {"filename": "Danh sách.xlsx", "kind": "nomination_list", "sha256": "b" * 64},
        {"filename": "hoso.zip/minh-chung-1.pdf", "kind": "evidence", "sha256": "c" * 64},
    ]
    [registration] = record["registrations"]
    assert list(registration) == list(REGISTRATION_FIELDS)
    assert registration["full_name"] == "Lê Thị Bích" and registration["objectives"] == ""
    assert record["nominees"] == [
        {
            "rank": 1,
            "name": "Nguyễn Văn Ánh",
            "category": "teacher",
            "position": "Giáo viên",
            "achievements": "Đạt 2 giải",
            "evidence": ["minh-chứng-1.pdf"],
            "award": "Giấy khen",
            "unit": "Trường TH Hòa Bình",
            "section": "II. CÁ NHÂN › A. Giáo viên",
            "id": record["nominees"][0]["id"],
            "review": None,
            "selected": False,
            "proposed_award": None,
        },
        {
            "rank": None,
            "name": "Tổ Toán",
            "category": None,
            "position": "",
            "achievements": "",
            "evidence": [],
            "award": "",
            "unit": None,
            "section": "",
            "id": record["nominees"][1]["id"],
            "review": None,
            "selected": False,
            "proposed_award": None,
        },
    ]
    assert record["signed_copy"] is None and record["decisions"] == []
    assert record["problems"] == [
        {
            "code": "missing_evidence",
            "severity": "error",
            "field": "nominees[2].evidence",
            "message": "Thiếu minh chứng",
        }
    ]

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    assert all(unicodedata.is_normalized("NFC", text) for text in strings(records))


def test_submissions_json_newest_first_and_round_null(db):
    _file(db, make_draft(1, received_at=T0))
    _file(db, make_draft(2, received_at=T0 + timedelta(days=1), round_id=None))
    _file(db, make_draft(3, received_at=T0))  # same time as the first: higher id first
    with db.session() as session:
        records = submissions_json(session, office="default", tz=HCM)
    assert [r["message_id"] for r in records] == [
        "<mail-2@example.vn>",
        "<mail-3@example.vn>",
        "<mail-1@example.vn>",
    ]
    assert records[0]["round"] is None
    assert records[0]["received_at"] == "2018-03-15T09:12:00+07:00"
    with db.session() as session:
        assert (
            submissions_json(session, office="default", tz=UTC)[0]["received_at"]
            == "2018-03-15T02:12:00+00:00"
        )


def test_submissions_json_runs_a_bounded_number_of_queries(db):
    def count_queries(n_more: int) -> int:
        for i in range(n_more):
            _file(
                db,
                make_draft(
                    1000 + i + count_queries.filed,
                    problems=(ProblemDraft("late", "warning", "", "muộn"),),
                    registrations=({"full_name": "X"},),
                    registration_labels=({},),
                ),
            )
        count_queries.filed += n_more
        statements: list[str] = []

        def listener(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with db.session() as session:
                records = submissions_json(session, office="default", tz=HCM)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(records) == count_queries.filed
        return len(statements)

    count_queries.filed = 0
    few = count_queries(2)
    many = count_queries(40)
    assert few == many <= 9  # submissions and their four parts; decisions, paper copies, reviews, selections


def test_submissions_json_empty(db):
    with db.session() as session:
        assert submissions_json(session, office="default", tz=HCM) == []


# =============================================================================================
# Replies
# =============================================================================================


def test_add_reply_validates(db):
    with db.session() as session:
        with pytest.raises(ValueError):
            add_reply(
                session,
                submission_id=None,
                kind="letter",
                to_address="a@b",
                subject="",
                message_id="",
                eml_sha256="0" * 64,
            )
        with pytest.raises(ValueError):
            add_reply(
                session,
                submission_id=None,
                kind="receipt",
                to_address="a@b",
                subject="",
                message_id="",
                eml_sha256="0" * 64,
                status="lost",
            )
        reply = add_reply(
            session,
            submission_id=None,
            kind="reminder",
            to_address="a@b",
            subject="Nhắc",
            message_id="<m@pgd>",
            eml_sha256="0" * 64,
            status="suppressed",
            reason="unknown sender",
        )
        assert (reply.status, reply.reason, reply.attempts) == ("suppressed", "unknown sender", 0)


def test_replies_to_address_since_counts_sent_and_queued(db):
    with db.session() as session:
        queued_reply(session, 1, status="sent", created=NOW - timedelta(hours=2))
        queued_reply(session, 2, status="queued", created=NOW - timedelta(hours=1), to="C2AnBinh@Example.VN")
        queued_reply(session, 3, status="failed", created=NOW - timedelta(hours=1))
        queued_reply(session, 4, status="suppressed", created=NOW - timedelta(hours=1))
        queued_reply(session, 5, status="sent", created=NOW - timedelta(days=2))
        queued_reply(session, 6, status="sent", created=NOW, to="other@example.vn")
    with db.session() as session:
        since = NOW - timedelta(days=1)
        assert replies_to_address_since(session, "c2anbinh@example.vn", since) == 2
        assert replies_to_address_since(session, "C2ANBINH@example.vn", since) == 2
        assert replies_to_address_since(session, "c2anbinh@example.vn", NOW - timedelta(hours=1)) == 1
        assert replies_to_address_since(session, "nobody@example.vn", since) == 0


def test_due_replies_order_claim_and_mark(db):
    with db.session() as session:
        late = queued_reply(session, 1, created=NOW - timedelta(minutes=1)).id
        early = queued_reply(session, 2, created=NOW - timedelta(minutes=30)).id
        later = queued_reply(session, 3, created=NOW - timedelta(minutes=40)).id
        future = queued_reply(session, 4, created=NOW - timedelta(hours=1)).id
        sent = queued_reply(session, 5, status="sent", created=NOW - timedelta(hours=2)).id
        session.get(Reply, future).next_attempt_at = NOW + timedelta(minutes=5)
        session.get(Reply, later).next_attempt_at = NOW - timedelta(seconds=1)
    with db.session() as session:
        assert [r.id for r in due_replies(session, NOW, 10, lease=None)] == [later, early, late]
        assert [r.id for r in due_replies(session, NOW, 2, lease=None)] == [later, early]
    # claiming: a second sender right after sees none of the claimed ones
    with db.session() as session:
        claimed = [r.id for r in due_replies(session, NOW, 2)]
    assert claimed == [later, early]
    with db.session() as session:
        assert [r.id for r in due_replies(session, NOW, 10)] == [late]
    with db.session() as session:
        assert due_replies(session, NOW, 10) == []
        # once the lease runs out (sender crashed), they are due again
        after_lease = NOW + CLAIM_LEASE + timedelta(seconds=1)
        assert {r.id for r in due_replies(session, after_lease, 10, lease=None)} == {
            later,
            early,
            late,
            future,
        }

    with db.session() as session:
        done = mark_reply(session, early, "sent", now=NOW)
        assert (done.status, done.attempts, done.sent_at, done.next_attempt_at) == ("sent", 1, NOW, None)
        retry = mark_reply(
            session,
            later,
            "queued",
            reason="SMTPServerDisconnected",
            next_attempt_at=NOW + timedelta(minutes=2),
            now=NOW,
        )
        assert (retry.status, retry.attempts, retry.reason) == ("queued", 1, "SMTPServerDisconnected")
        mark_reply(session, late, "failed", reason="550 no such user", now=NOW)
        with pytest.raises(LookupError):
            mark_reply(session, 999_999, "sent")
        with pytest.raises(ValueError):
            mark_reply(session, late, "bounced")
    with db.session() as session:
        assert [r.id for r in due_replies(session, NOW + timedelta(minutes=3), 10, lease=None)] == [later]
        assert session.get(Reply, sent).status == "sent"


# =============================================================================================
# Ledger
# =============================================================================================


def test_ledger_begin_finish_get(db):
    with db.session() as session:
        assert ledger_get(session, "maildir:1") is None
        entry = ledger_begin(session, "maildir:1", "k" * 64, now=NOW)
        assert (entry.status, entry.attempts, entry.updated_at) == ("processing", 1, NOW)
    with db.session() as session:
        ledger_finish(session, "maildir:1", "failed", error="ValueError: broken zip", now=NOW)
    with db.session() as session:
        entry = ledger_begin(session, "maildir:1", "k" * 64, now=NOW + timedelta(minutes=1))
        assert (entry.status, entry.attempts, entry.last_error) == ("processing", 2, "ValueError: broken zip")
    submission_id, _, _ = _file(db, make_draft(1))
    with db.session() as session:
        ledger_finish(session, "maildir:1", "filed", submission_id=submission_id)
    with db.session() as session:
        entry = ledger_get(session, "maildir:1")
        assert (entry.status, entry.attempts, entry.submission_id, entry.last_error) == (
            "filed",
            2,
            submission_id,
            "",
        )
        with pytest.raises(ValueError):
            ledger_finish(session, "maildir:1", "lost")
        parked = ledger_finish(session, "imap:INBOX/7/42", "review", error="failed 3 times")
        assert (parked.status, parked.attempts) == ("review", 1)
        assert session.exec(sa.select(sa.func.count()).select_from(MailLedger)).one()[0] == 2


def test_an_unfinished_attempt_begun_behind_others_is_not_held_against_the_mail(db):
    with db.session() as session:
        assert ledger_begin(session, "imap:1", "k" * 64, behind_others=True).attempts == 1
    with db.session() as session:  # the process was killed; retried alone
        entry = ledger_begin(session, "imap:1", "k" * 64)
        assert (entry.attempts, entry.behind_others) == (1, False)
    with db.session() as session:  # killed again, alone this time: that one counts
        assert ledger_begin(session, "imap:1", "k" * 64).attempts == 2


def test_a_failed_attempt_counts_even_behind_others(db):
    with db.session() as session:
        ledger_begin(session, "imap:2", "k" * 64, behind_others=True)
        ledger_finish(session, "imap:2", "failed", error="ValueError: broken zip")
    with db.session() as session:
        assert ledger_begin(session, "imap:2", "k" * 64).attempts == 2


# =============================================================================================
# Digest
# =============================================================================================


def test_digest_data(db):
    school_id = _school(db)
    _school(db, "Trường TH Phong Hòa", ("phonghoa@example.vn",))
    _school(db, "Trường MN Hoa Sen", ("hoasen@example.vn",))
    before = NOW - timedelta(days=1)
    # before the last digest: a correction request still outstanding, and one already corrected
    _, open_receipt, _ = _file(db, make_draft(1, status="needs_correction", school_id=school_id), now=before)
    _, fixed_receipt, _ = _file(db, make_draft(2, status="needs_correction"), now=before)
    with db.session() as session:
        record_digest(session, NOW - timedelta(hours=12))
        assert last_digest_at(session) == NOW - timedelta(hours=12)
    # since the last digest
    _file(db, make_draft(3, thread_receipt=fixed_receipt, status="accepted"), now=NOW - timedelta(hours=2))
    _file(
        db,
        make_draft(
            4,
            status="rejected",
            school_name="",
            round_id=None,
            problems=(ProblemDraft("unknown_sender", "error", "", "…"),),
        ),
        now=NOW - timedelta(hours=1),
    )
    _file(
        db,
        make_draft(5, problems=(ProblemDraft("late", "warning", "", "…"),)),
        now=NOW - timedelta(minutes=5),
    )
    _file(db, make_draft(6), now=NOW + timedelta(minutes=5))  # after "now": not in this digest
    with db.session() as session:
        old_failure = queued_reply(session, 1, created=before)
        mark_reply(session, old_failure.id, "failed", reason="550", now=before)
        failing = queued_reply(session, 2, created=before)
        mark_reply(
            session, failing.id, "failed", reason="550 mailbox unavailable", now=NOW - timedelta(hours=3)
        )
        ledger_begin(session, "maildir:bad", "f" * 64)
        ledger_finish(
            session,
            "maildir:bad",
            "review",
            error="failed 3 times",
            sender="c3@example.vn",
            subject=unicodedata.normalize("NFD", "Hồ sơ quý I"),
        )
        ledger_begin(session, "maildir:ok", "0" * 64)
        ledger_finish(session, "maildir:ok", "filed")

    with db.session() as session:
        since = last_digest_at(session)
        data = digest_data(session, since=since, now=NOW, round_id="q1-2018")
    assert data.since == since and data.now == NOW
    assert [(s.receipt, s.version, s.status) for s in data.new] == [
        (fixed_receipt, 2, "accepted"),
        ("HS-2018-0003", 1, "rejected"),
        ("HS-2018-0004", 1, "accepted"),
    ]
    assert data.new[1].problem_codes == ("unknown_sender",)
    assert [s.receipt for s in data.late] == ["HS-2018-0004"]
    assert [s.receipt for s in data.rejected] == ["HS-2018-0003"]
    assert [(s.receipt, s.version) for s in data.corrections] == [(open_receipt, 1)]
    assert [(r.id, r.reason) for r in data.failed_replies] == [(failing.id, "550 mailbox unavailable")]
    assert [(e.source_key, e.last_error, e.sender, e.subject) for e in data.review] == [
        ("maildir:bad", "failed 3 times", "c3@example.vn", "Hồ sơ quý I")
    ]
    assert data.counts == {
        "needs_correction": 1,
        "accepted": 3,
        "rejected": 1,
    }  # all current versions, superseded left out
    # An Bình filed (needs correction counts as current); the school names are NFC and sorted
    assert [s.name for s in data.missing_schools] == ["Trường MN Hoa Sen", "Trường TH Phong Hòa"]
    assert data.missing_schools[0].addresses == ("hoasen@example.vn",)
    assert all(s.received_at.tzinfo is not None for s in data.new)

    with db.session() as session:
        everything = digest_data(session, since=None, now=NOW)
    assert len(everything.new) == 5 and everything.missing_schools == []
    assert {r.id for r in everything.failed_replies} == {old_failure.id, failing.id}


def test_schools_without_submission(db):
    an_binh = _school(db)
    phong_hoa = _school(db, "Trường TH Phong Hòa", ("phonghoa@example.vn",))
    _file(db, make_draft(1, school_id=an_binh, status="rejected"))
    _file(db, make_draft(2, school_id=phong_hoa, round_id="q2-2018"))
    with db.session() as session:
        names = [s.name for s in schools_without_submission(session, "q1-2018")]
    assert names == ["Trường TH Phong Hòa", "Trường THCS An Bình"]
    _file(db, make_draft(3, school_id=an_binh, status="needs_correction"))
    with db.session() as session:
        assert [s.id for s in schools_without_submission(session, "q1-2018")] == [phong_hoa]
        assert schools_without_submission(session, "q2-2018")[0].id == an_binh


def test_last_digest_at_empty(db):
    with db.session() as session:
        assert last_digest_at(session) is None


# =============================================================================================
# Export
# =============================================================================================


def test_nominees_for_round(db):
    an_binh = _school(db)
    phong_hoa = _school(db, "Trường TH Phong Hòa", ("phonghoa@example.vn",))
    two = (
        NomineeDraft(
            rank=2,
            name="Trần B",
            category="staff",
            position="Nhân viên",
            achievements="5 năm",
            evidence=("b.pdf",),
            award="",
        ),
        NomineeDraft(
            rank=1,
            name="Lê A",
            category="teacher",
            position="Giáo viên",
            achievements="2 giải",
            evidence=("a.pdf", "a2.jpg"),
            award="Bằng khen",
        ),
    )
    _, receipt, _ = _file(db, make_draft(1, school_id=an_binh))  # superseded below
    _file(
        db, make_draft(2, school_id=an_binh, thread_receipt=receipt, nominees=two, status="needs_correction")
    )
    _file(db, make_draft(3, school_id=phong_hoa, school_name="Trường TH Phong Hòa"))
    _file(db, make_draft(4, school_id=phong_hoa, school_name="Trường TH Phong Hòa", status="rejected"))
    _file(db, make_draft(5, school_id=phong_hoa, school_name="Trường TH Phong Hòa", round_id="q2-2018"))
    with db.session() as session:
        rows = nominees_for_round(session, "q1-2018")
    assert [(r.school, r.rank, r.name, r.receipt, r.status) for r in rows] == [
        ("Trường TH Phong Hòa", 1, "Nguyễn Văn A", "HS-2018-0002", "accepted"),
        ("Trường TH Phong Hòa", 2, "Tổ Toán", "HS-2018-0002", "accepted"),
        ("Trường THCS An Bình", 1, "Lê A", receipt, "needs_correction"),
        ("Trường THCS An Bình", 2, "Trần B", receipt, "needs_correction"),
    ]
    assert rows[2].evidence == ("a.pdf", "a2.jpg") and rows[2].position == "Giáo viên"
    assert rows[2].award == "Bằng khen" and rows[2].category == "teacher" and rows[2].version == 2
    with db.session() as session:
        assert nominees_for_round(session, "nope") == []


def test_hostile_lengths_do_not_break_filing(db):
    """Indexed columns have size limits; a mail's Message-ID or sender may be anything."""
    huge_id = "<" + "ư" * 3000 + "@x>"
    huge_address = "a" * 5000 + "@example.vn"
    with db.session() as session:
        s = file_submission(session, make_draft(1, message_id=huge_id, sender=huge_address), year=2018)
        add_reply(
            session,
            submission_id=s.id,
            kind="receipt",
            to_address=huge_address,
            subject="x",
            message_id=huge_id,
            eml_sha256="0" * 64,
        )
    with db.session() as session:
        assert replies_to_address_since(session, huge_address, NOW - timedelta(days=365 * 20)) == 1
        assert find_thread_submission(session, receipt_codes=[], reference_ids=[huge_id]) == "HS-2018-0001"
        [record] = submissions_json(session, office="default", tz=HCM)
    assert len(record["message_id"].encode()) <= MESSAGE_ID_MAX
