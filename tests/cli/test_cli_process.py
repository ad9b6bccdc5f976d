"""`thidua process FILE.eml…`: mail files processed as if they had arrived now."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

from tests.support.clitools import EXAMPLE_MAIL, ok, table_rows

AN_BINH = EXAMPLE_MAIL / "03-danh-sach-an-binh.eml"


def test_arrival_time_is_now(registered):
    before = datetime.now(UTC)
    result = ok(registered.cli("process", AN_BINH))
    after = datetime.now(UTC)
    [row] = table_rows(result.out)
    [submission] = registered.submissions()
    assert row[0] == submission["receipt"]
    received = datetime.fromisoformat(submission["received_at"])
    assert received.utcoffset() == timedelta(hours=7)
    # seconds precision in the JSON
    assert before - timedelta(seconds=1) <= received <= after + timedelta(seconds=1)
    # the receipt's year is the year of arrival, not of the mail's Date header (2018)
    assert submission["receipt"].startswith(f"HS-{received.year}-")
    # arriving now, after the round's deadline: a late warning, still accepted
    assert submission["round"] == "q1-2018"
    assert submission["status"] == "accepted"
    assert [p["code"] for p in submission["problems"]] == ["late"]


def test_the_same_file_twice_is_filed_once_and_answered_once(registered):
    result = ok(registered.cli("process", AN_BINH, AN_BINH))
    first, second = table_rows(result.out)
    assert first[0] == second[0]
    assert first[2] == "accepted"
    assert second[2] == "duplicate"
    assert result.out.rstrip().splitlines()[-1] == "2 thư đã xử lý, 1 phản hồi đã gửi."
    assert len(registered.submissions()) == 1
    assert len(registered.replies()) == 1


def test_a_copy_processed_later_is_a_duplicate(registered, tmp_path):
    ok(registered.cli("process", AN_BINH))
    copy = tmp_path / "luu" / "thu-an-binh.eml"
    copy.parent.mkdir()
    shutil.copy(AN_BINH, copy)
    result = ok(registered.cli("process", copy))
    [row] = table_rows(result.out)
    assert row[2] == "duplicate"
    assert result.out.rstrip().splitlines()[-1] == "1 thư đã xử lý, 0 phản hồi đã gửi."
    assert len(registered.submissions()) == 1
    assert len(registered.replies()) == 1
    assert copy.read_bytes() == AN_BINH.read_bytes()  # the user's own files are left as they are


def test_several_files_in_one_call(registered):
    files = [
        EXAMPLE_MAIL / n
        for n in ("01-dang-ky-phong-hoa.eml", "06-nguoi-gui-la.eml", "08-tra-loi-tu-dong.eml")
    ]
    result = ok(registered.cli("process", *files))
    rows = table_rows(result.out)
    assert [r[2] for r in rows] == ["accepted", "rejected", "needs_correction"]
    assert (
        result.out.rstrip().splitlines()[-1] == "3 thư đã xử lý, 2 phản hồi đã gửi."
    )  # not to the auto-reply
    assert len(registered.replies()) == 2
