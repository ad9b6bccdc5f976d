"""One current list per school and round, inside one filing transaction and across versions: lists
of one school that replace each other in one group, and the office's verdicts following the same
person to the newer list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.support.mails import list_with_evidence
from tests.support.office import BEFORE_DEADLINE
from thidua.intake.records import Begun
from thidua.intake.sources import IncomingMail
from thidua.store.models import Nominee, NomineeReview
from thidua.store.selection import record_review

PEOPLE = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Mai", "Phạm Văn Nam", "Hoàng Thị Lan", "Võ Văn Tùng"]


def test_lists_of_one_school_that_replace_each_other_in_one_filing_group(mailroom):
    room = mailroom.app.mailroom
    mails = [
        IncomingMail(list_with_evidence(PEOPLE), BEFORE_DEADLINE, "test:1"),
        IncomingMail(
            list_with_evidence(PEOPLE[:5], subject="Danh sách quý I đã sửa"), BEFORE_DEADLINE, "test:2"
        ),
        IncomingMail(
            list_with_evidence(["Đặng Thị Thu"], subject="Danh sách bổ sung quý I"), BEFORE_DEADLINE, "test:3"
        ),
        IncomingMail(
            list_with_evidence(PEOPLE[:4], subject="Danh sách quý I, bản cuối"), BEFORE_DEADLINE, "test:4"
        ),
    ]
    begun = [room.begin(mail) for mail in mails]
    assert all(isinstance(b, Begun) for b in begun)
    outcomes = room.file([(b, room.read(b)) for b in begun])  # one transaction for the four

    assert [(o.version, o.status) for o in outcomes] == [
        (1, "needs_correction"),
        (2, "accepted"),
        (1, "needs_correction"),
        (3, "accepted"),
    ]
    first, _, added, last = outcomes
    assert last.receipt == first.receipt and added.receipt != first.receipt
    by_key = {(s["receipt"], s["version"]): s for s in mailroom.submissions()}
    # the final full list replaced the corrected one and the addition made meanwhile
    assert by_key[(added.receipt, 1)]["status"] == "superseded"
    assert [s["status"] for k, s in sorted(by_key.items()) if k[0] == first.receipt] == [
        "superseded",
        "superseded",
        "accepted",
    ]
    # the addition made six distinct people with the five of the corrected list: over the quota of 5
    assert by_key[(added.receipt, 1)]["problems"][0]["code"] == "quota_exceeded"


def test_the_offices_verdict_follows_the_same_person_to_the_new_list(mailroom):
    mailroom.process(list_with_evidence(PEOPLE[:3]), key="test:1")
    with mailroom.app.db.session() as session:
        hoa = session.execute(sa.select(Nominee.id).where(Nominee.name == "Nguyễn Thị Hoa")).scalar_one()
        record_review(
            session,
            office="default",
            nominee_id=hoa,
            evidence="ok",
            note="Đủ minh chứng",
            by="lan",
            at=datetime.now(UTC),
        )
    mailroom.process(
        list_with_evidence(["NGUYỄN THỊ HOA", "Phạm Văn Nam"], subject="Danh sách quý I đã sửa"),
        BEFORE_DEADLINE + timedelta(hours=1),
        key="test:2",
    )
    with mailroom.app.db.session() as session:
        carried = session.execute(
            sa.select(Nominee.name, NomineeReview.evidence, NomineeReview.carried_from)
            .join(NomineeReview, NomineeReview.nominee_id == Nominee.id)
            .where(Nominee.id != hoa)
        ).all()
    assert carried == [("NGUYỄN THỊ HOA", "ok", hoa)]
