"""When nothing in a mail is recognised, through `thidua run --once`: the reply says what came and
what it looked like, asks for the document the subject, body or round points to, and never says
that nothing was attached. The replies are checked word for word."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.support.builders import Title, make_docx, make_eml, make_pdf, make_xlsx
from tests.support.clitools import ok, plain_text
from tests.support.office import OFFICE
from tests.support.scan_builders import event_photo

VN = timezone(timedelta(hours=7))
SCHOOL = "c2anbinh@example.vn"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OCTET = "application/octet-stream"
LIST = "danh sách đề nghị khen thưởng tập thể, cá nhân tiêu biểu, xuất sắc (Mẫu 2)"
REGISTRATION = "phiếu đăng ký thực hiện nhiệm vụ đổi mới, sáng tạo trong dạy và học (Mẫu gợi ý số 1)"
REPORT = "báo cáo kết quả thực hiện phong trào thi đua"
ASK = (
    "theo đúng mẫu, dạng tệp Word (.docx) hoặc Excel (.xlsx), giữ nguyên tiêu đề và các mục, các cột của mẫu; "
    "các tệp minh chứng gửi kèm như trước."
)


TABLE = [
    ["TT", "Nội dung", "Thời gian", "Ghi chú"],
    ["1", "Nguyễn Thị Hoa - Giáo viên Toán", "Quý I", "Giải Nhất cấp huyện"],
    ["2", "Tổ Khoa học Tự nhiên", "Quý I", "4/9 sáng kiến"],
]


def table_pdf() -> bytes:
    """A list saved as PDF whose table the service cannot read as the form's columns."""
    return make_pdf(["TRƯỜNG THCS AN BÌNH", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG QUÝ I"], TABLE)


def letter() -> bytes:
    return make_docx([Title("THƯ NGỎ"), "Trường THCS An Bình kính gửi Phòng GD&ĐT lời chào trân trọng."])


def answer(office) -> tuple[dict, str]:
    ok(office.thidua("run", "--once"))
    [submission] = office.submissions()
    return submission, plain_text(office.replies()[-1])


def test_a_list_that_could_not_be_read_is_asked_for_as_a_list_in_its_round(registered):
    # before the quarter opens, while registrations are still being taken: the subject says it is a list
    mail = make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject="Danh sách đề nghị khen thưởng",
        attachments=[("ds.pdf", table_pdf(), "application/pdf")],
    )
    registered.deliver(mail, datetime(2017, 10, 5, 9, 0, tzinfo=VN))
    submission, text = answer(registered)
    assert submission["round"] == "q1-2018"
    assert [(p["code"], p["field"]) for p in submission["problems"]] == [
        ("unreadable_attachment", "documents")
    ]
    assert (
        "1. Chưa nhận ra hồ sơ trong các tệp gửi kèm.\n"
        f"   Thư có 1 tệp gửi kèm nhưng hệ thống chưa nhận ra {LIST} trong đó:\n"
        "   - “ds.pdf”: một danh sách không đọc được thành bảng (không nhận ra các cột của mẫu).\n"
        f"   Thầy/cô vui lòng gửi {LIST} {ASK}\n"
    ) in text
    assert "không kèm tệp" not in text and "chưa kèm tệp" not in text


def test_a_workbook_whose_table_is_not_a_list_is_told_as_such(registered):
    mail = make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject="Danh sách khen thưởng quý I",
        attachments=[("tong hop.xlsx", make_xlsx({"Sheet1": TABLE}), OCTET)],
    )
    registered.deliver(mail, datetime(2018, 2, 1, 9, 0, tzinfo=VN))
    _, text = answer(registered)
    assert (
        "   - “tong hop.xlsx”: một bảng không đọc được thành danh sách (các cột không khớp với mẫu).\n"
        in text
    )


def test_a_registration_mail_with_a_photo_and_a_letter_is_asked_for_the_registration(registered):
    mail = make_eml(
        sender=SCHOOL,
        to=OFFICE,
        subject="Hồ sơ thi đua",
        body="Trường gửi phiếu đăng ký của cô Hoa.",
        attachments=[("thu.docx", letter(), DOCX), ("IMG_1.jpg", event_photo(1), "image/jpeg")],
    )
    registered.deliver(mail, datetime(2018, 1, 10, 9, 0, tzinfo=VN))
    submission, text = answer(registered)
    assert submission["round"] == "dang-ky-2017"
    assert (
        "1. Chưa nhận ra hồ sơ trong các tệp gửi kèm.\n"
        f"   Thư có 2 tệp gửi kèm nhưng hệ thống chưa nhận ra {REGISTRATION} trong đó:\n"
        "   - “thu.docx”: một văn bản không theo mẫu nào;\n"
        "   - “IMG_1.jpg”: một ảnh chụp.\n"
        f"   Thầy/cô vui lòng gửi {REGISTRATION} {ASK}\n"
    ) in text


def test_a_mail_that_says_nothing_is_asked_for_what_its_round_wants(registered):
    mail = make_eml(
        sender=SCHOOL, to=OFFICE, subject="Gửi Phòng GD&ĐT", attachments=[("thu.docx", letter(), DOCX)]
    )
    registered.deliver(mail, datetime(2018, 2, 1, 9, 0, tzinfo=VN))
    submission, text = answer(registered)
    assert submission["round"] == "q1-2018"
    assert (
        "1. Chưa nhận ra hồ sơ trong các tệp gửi kèm.\n"
        f"   Thư có 1 tệp gửi kèm nhưng hệ thống chưa nhận ra {LIST} và {REPORT} trong đó:\n"
        "   - “thu.docx”: một văn bản không theo mẫu nào.\n"
        f"   Thầy/cô vui lòng gửi {LIST} và {REPORT} {ASK}\n"
    ) in text


def test_a_mail_without_files_is_still_told_so(registered):
    mail = make_eml(
        sender=SCHOOL, to=OFFICE, subject="Danh sách khen thưởng quý I", body="Trường gửi danh sách."
    )
    registered.deliver(mail, datetime(2018, 2, 1, 9, 0, tzinfo=VN))
    submission, text = answer(registered)
    assert [p["code"] for p in submission["problems"]] == ["no_attachment"]
    assert (
        "1. Thư không kèm tệp hồ sơ nào.\n"
        f"   Thư chưa kèm tệp hồ sơ nào. Thầy/cô vui lòng gửi lại thư, đính kèm {LIST} dạng tệp Word (.docx) hoặc "
        "Excel (.xlsx), cùng các tệp minh chứng.\n"
    ) in text
