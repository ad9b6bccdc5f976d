"""`thidua digest [--send]`: the staff digest, printed or sent, and what it covers."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

from tests.support.builders import make_eml, make_pdf, nomination_xlsx
from tests.support.clitools import (
    EXAMPLE_MAIL,
    OFFICE_ADDRESS,
    OFFICE_NAME,
    STAFF,
    assert_one_line_error,
    make_office,
    ok,
    plain_text,
)
from tests.support.digest_text import receipts, sections

VN = timezone(timedelta(hours=7))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def digests(office) -> list:
    return [m for m in office.replies() if str(m["Subject"]).startswith("Tổng hợp hồ sơ thi đua")]


def test_digest_prints_counts_and_sections(demo_copy):
    text = ok(demo_copy.cli("digest")).out
    assert text.startswith("TỔNG HỢP HỒ SƠ THI ĐUA\n")
    assert OFFICE_NAME in text
    assert "Khoảng thời gian: từ trước đến" in text  # no digest was sent before
    assert "SỐ HỒ SƠ THEO TÌNH TRẠNG (tổng 8)" in text  # current versions: superseded not counted
    assert "- Đã tiếp nhận: 4\n" in text
    assert "- Cần bổ sung, chỉnh sửa: 3\n" in text
    assert "- Không tiếp nhận: 1\n" in text
    parts = sections(text)
    assert sorted(parts) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    heading, count, body = parts[1]
    assert (heading, count) == ("HỒ SƠ MỚI NHẬN", 9)
    assert receipts(body) == [
        "HS-2017-0001",
        "HS-2017-0002",
        "HS-2018-0001",
        "HS-2018-0002",
        "HS-2018-0003",
        "HS-2018-0004",
        "HS-2018-0001",
        "HS-2018-0005",
        "HS-2018-0006",
    ]
    heading, count, body = parts[2]
    assert (heading, count, receipts(body)) == ("HỒ SƠ GỬI SAU HẠN", 1, ["HS-2018-0006"])
    assert "Trường Tiểu học Phong Hòa" in body and "gửi sau hạn" in body
    heading, count, body = parts[3]
    assert (heading, count) == ("HỒ SƠ CHỜ TRƯỜNG BỔ SUNG, CHỈNH SỬA", 3)
    # HS-2018-0001 was corrected: only what still waits for the school
    assert receipts(body) == ["HS-2017-0002", "HS-2018-0004", "HS-2018-0005"]
    heading, count, body = parts[5]
    assert count == 1 and receipts(body) == ["HS-2018-0002"]
    assert "Địa chỉ gửi chưa đăng ký" in body
    assert parts[6][1] == 0 and parts[7][1] == 0 and parts[8][1] == 0


def test_printing_sends_and_records_nothing(demo_copy):
    ok(demo_copy.cli("digest"))
    assert digests(demo_copy) == []
    assert "Khoảng thời gian: từ trước đến" in ok(demo_copy.cli("digest")).out


def test_digest_send_writes_one_mail_to_the_staff(demo_copy):
    printed = ok(demo_copy.cli("digest")).out
    result = ok(demo_copy.cli("digest", "--send"))
    assert result.out.strip() == "Đã gửi bản tổng hợp tới 1 người nhận."
    [mail] = digests(demo_copy)
    assert [a.addr_spec for a in mail["To"].addresses] == [STAFF]
    assert mail["From"].addresses[0].addr_spec == OFFICE_ADDRESS
    assert mail["Auto-Submitted"] == "auto-generated"
    body = plain_text(mail)
    assert sections(body)[1][1] == 9
    # the mail is the printed digest (up to the time it was made)
    assert sections(body).keys() == sections(printed).keys()
    assert [s[:2] for s in sections(body).values()] == [s[:2] for s in sections(printed).values()]
    assert len(demo_copy.replies()) == 9  # 8 replies to schools + the digest


def test_digest_to_several_staff_from_the_environment(demo_copy):
    staff = ["a@pgd-phongdien.example.vn", "b@pgd-phongdien.example.vn"]
    result = ok(demo_copy.cli("digest", "--send", env={"THIDUA_OFFICE__STAFF": json.dumps(staff)}))
    assert result.out.strip() == "Đã gửi bản tổng hợp tới 2 người nhận."
    [mail] = digests(demo_copy)
    assert [a.addr_spec for a in mail["To"].addresses] == staff


def test_digest_send_without_staff(tmp_path):
    office = make_office(tmp_path / "office")
    office.config.write_text(
        office.config.read_text(encoding="utf-8").replace(
            'staff = ["chuyenvien@pgd-phongdien.example.vn"]\n', ""
        ),
        encoding="utf-8",
    )
    assert_one_line_error(office.cli("digest", "--send"), "no digest recipients", "[office] staff")
    assert not office.outbox.exists() or digests(office) == []


def test_next_digest_covers_only_what_arrived_since_the_last_one_sent(demo_copy):
    ok(demo_copy.cli("digest", "--send"))
    ok(demo_copy.cli("process", EXAMPLE_MAIL / "03-danh-sach-an-binh.eml"))  # a duplicate: nothing new
    ok(demo_copy.cli("process", EXAMPLE_MAIL / "06-nguoi-gui-la.eml"))  # also a duplicate
    # one genuinely new mail, arriving now
    raw = make_eml(
        sender="thphongan@example.vn",
        to=OFFICE_ADDRESS,
        subject="Danh sách quý I - TH Phong An",
        attachments=[
            (
                "DS.xlsx",
                nomination_xlsx(
                    [
                        {
                            "name": "Đặng Thị Mơ",
                            "category": "Giáo viên",
                            "position": "Giáo viên lớp 3",
                            "achievements": "Giải Ba giáo viên dạy giỏi cấp huyện.",
                            "evidence": ["GK Mo.pdf"],
                        }
                    ]
                ),
                XLSX,
            ),
            ("GK Mo.pdf", make_pdf(["GIẤY KHEN", "Đặng Thị Mơ"]), "application/pdf"),
        ],
        message_id="<phongan-q1@example.vn>",
    )
    path = demo_copy.root / "moi.eml"
    path.write_bytes(raw)
    ok(demo_copy.cli("process", path))
    [new] = [s for s in demo_copy.submissions() if s["message_id"] == "<phongan-q1@example.vn>"]

    text = ok(demo_copy.cli("digest")).out
    assert re.search(r"^Khoảng thời gian: từ \d{2}/\d{2}/\d{4} \d{2}:\d{2} đến", text, flags=re.MULTILINE)
    parts = sections(text)
    assert parts[1][1] == 1 and receipts(parts[1][2]) == [new["receipt"]]
    assert parts[2][1] == 1 and receipts(parts[2][2]) == [new["receipt"]]  # arrived now: late for quý I
    assert parts[5][1] == 0  # the unknown sender was reported in the last digest
    assert "SỐ HỒ SƠ THEO TÌNH TRẠNG (tổng 9)" in text  # counts stay totals
    # what waits for schools is listed again: it still waits
    assert receipts(parts[3][2]) == ["HS-2017-0002", "HS-2018-0004", "HS-2018-0005"]

    ok(demo_copy.cli("digest", "--send"))
    # both may be dated the same second: told apart by what they hold
    sent = sorted((sections(plain_text(m))[1] for m in digests(demo_copy)), key=lambda part: part[1])
    assert [part[1] for part in sent] == [1, 9]
    assert receipts(sent[0][2]) == [new["receipt"]]
    assert ok(demo_copy.cli("digest")).out.count("\n- HS-") == 3  # only the outstanding list is left


def test_schools_that_have_sent_nothing_for_an_open_round(tmp_path):
    now = datetime.now(VN).replace(microsecond=0)
    campaign = (
        'name = "Đổi mới, sáng tạo trong dạy và học"\nschool_year = "2025-2026"\n\n'
        '[[rounds]]\nid = "dot-nay"\nlabel = "Đợt đang mở"\n'
        f"opens = {(now - timedelta(days=20)).isoformat()}\n"
        f"deadline = {(now + timedelta(days=10)).isoformat()}\n"
        'documents = ["nomination_list"]\n'
    )
    office = make_office(tmp_path / "office", campaign=campaign)
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    ok(office.cli("process", EXAMPLE_MAIL / "03-danh-sach-an-binh.eml"))
    [submission] = office.submissions()
    assert submission["round"] == "dot-nay"
    heading, count, body = sections(ok(office.cli("digest")).out)[4]
    assert heading == "TRƯỜNG CHƯA GỬI HỒ SƠ"
    assert count == 4
    listed = [line.split(" · ")[0].removeprefix("- ") for line in body.splitlines() if line.startswith("- ")]
    assert sorted(listed) == sorted(
        [
            "Trường Tiểu học Phong Hòa",
            "Trường Mầm non Hoa Sen",
            "Trường THCS Phong Điền",
            "Trường Tiểu học Phong An",
        ]
    )
    assert all("Đợt đang mở" in line for line in body.splitlines() if line.startswith("- "))
