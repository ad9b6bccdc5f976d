"""`thidua schools import`: the registry from CSV or XLSX as offices keep it."""

from __future__ import annotations

import unicodedata

import pytest

from tests.support.builders import encode_cp1258, make_docx, make_eml, make_pdf, make_xlsx, nomination_xlsx
from tests.support.clitools import OFFICE_ADDRESS, Office, assert_one_line_error, ok, run_thidua
from thidua.config import load_settings
from thidua.intake.app import App
from thidua.store.schools import list_schools

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def registry(office: Office) -> dict[str, set[str]]:
    """School name → addresses, as stored."""
    application = App(load_settings(office.config))
    try:
        with application.db.session() as session:
            return {s.name: {a.address for a in s.addresses} for s in list_schools(session)}
    finally:
        application.db.engine.dispose()


def import_file(office: Office, name: str, data: bytes):
    path = office.root / name
    path.write_bytes(data)
    return ok(office.cli("schools", "import", path))


def test_bundled_csv(office):
    result = import_file(office, "truong.csv", (office.root / "schools.csv").read_bytes())
    assert result.out.strip() == "5 trường trong tệp: 5 thêm mới, 0 cập nhật, 6 địa chỉ thư."
    assert registry(office) == {
        "Trường THCS An Bình": {"c2anbinh@example.vn"},
        "Trường Tiểu học Phong Hòa": {"thphonghoa@example.vn", "hieutruong.phonghoa@example.vn"},
        "Trường Mầm non Hoa Sen": {"mnhoasen@example.vn"},
        "Trường THCS Phong Điền": {"thcsphongdien@example.vn"},
        "Trường Tiểu học Phong An": {"thphongan@example.vn"},
    }


CSV_TEXT = {
    "comma": 'Tên trường,Email\r\nTrường THCS An Bình,C2AnBinh@Example.VN\r\n"Trường TH Phong Hòa, điểm lẻ",'
    '"th.phonghoa@example.vn; diemle@example.vn"\r\n',
    "semicolon": "STT;Tên trường;Email\r\n1;Trường THCS An Bình;C2AnBinh@Example.VN\r\n"
    "2;Trường TH Phong Hòa, điểm lẻ;th.phonghoa@example.vn, diemle@example.vn\r\n",
    "title row": "DANH SÁCH CÁC TRƯỜNG NĂM HỌC 2017-2018\r\nSTT;Tên trường;Địa chỉ email\r\n"
    "1;Trường THCS An Bình;C2AnBinh@Example.VN\r\n"
    "2;Trường TH Phong Hòa, điểm lẻ;th.phonghoa@example.vn diemle@example.vn\r\n",
}
EXPECTED = {
    "Trường THCS An Bình": {"c2anbinh@example.vn"},
    "Trường TH Phong Hòa, điểm lẻ": {"th.phonghoa@example.vn", "diemle@example.vn"},
}


@pytest.mark.parametrize("variant", list(CSV_TEXT))
def test_csv_separators(office, variant):
    result = import_file(office, "truong.csv", CSV_TEXT[variant].encode("utf-8"))
    assert result.out.strip() == "2 trường trong tệp: 2 thêm mới, 0 cập nhật, 3 địa chỉ thư."
    assert registry(office) == EXPECTED


def test_csv_utf8_with_bom(office):
    import_file(office, "truong.csv", CSV_TEXT["comma"].encode("utf-8-sig"))
    assert registry(office) == EXPECTED


def test_csv_in_windows_1258(office):
    data = encode_cp1258(CSV_TEXT["semicolon"])
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really the legacy encoding
    import_file(office, "truong.csv", data)
    stored = registry(office)
    assert stored == EXPECTED
    assert all(unicodedata.is_normalized("NFC", name) for name in stored)


def test_csv_in_nfd(office):
    import_file(office, "truong.csv", unicodedata.normalize("NFD", CSV_TEXT["comma"]).encode("utf-8"))
    assert registry(office) == EXPECTED


def test_xlsx_with_title_rows_and_several_addresses_in_a_cell(office):
    workbook = make_xlsx(
        {
            "Danh sách": [
                ["PHÒNG GD&ĐT HUYỆN PHONG ĐIỀN"],
                ["DANH SÁCH CÁC TRƯỜNG VÀ ĐỊA CHỈ THƯ ĐIỆN TỬ"],
                [],
                ["STT", "Tên trường", "Địa chỉ email"],
                [1, "Trường THCS An Bình", "C2AnBinh@Example.VN; HieuTruong.AnBinh@example.vn"],
                [2, "Trường Mầm non Hoa Sen", "mnhoasen@example.vn\nketoan.hoasen@example.vn"],
                [3, "Trường Tiểu học Phong An", "thphongan@example.vn, vanthu.phongan@example.vn"],
                [4, "Trường chưa có thư", None],
            ]
        },
        {"Danh sách": ["A1:C1", "A2:C2"]},
    )
    result = import_file(office, "truong.xlsx", workbook)
    assert result.out.strip() == "3 trường trong tệp: 3 thêm mới, 0 cập nhật, 6 địa chỉ thư."
    assert registry(office) == {
        "Trường THCS An Bình": {"c2anbinh@example.vn", "hieutruong.anbinh@example.vn"},
        "Trường Mầm non Hoa Sen": {"mnhoasen@example.vn", "ketoan.hoasen@example.vn"},
        "Trường Tiểu học Phong An": {"thphongan@example.vn", "vanthu.phongan@example.vn"},
    }


def test_reimport_updates(office):
    import_file(office, "truong.csv", (office.root / "schools.csv").read_bytes())
    result = import_file(
        office,
        "moi.csv",
        (
            "Tên trường,Email\n"
            "Trường THCS An Bình,c2anbinh@example.vn; vanthu.anbinh@example.vn\n"  # one address added
            "Trường Tiểu học Phong Hòa,thphonghoa@example.vn\n"  # one address dropped
            "Trường THCS Phong Điền,thcsphongdien@example.vn\n"  # unchanged
            "Trường Mầm non Sen Hồng,mnsenhong@example.vn\n"  # new school
        ).encode(),
    )
    assert result.out.strip() == "4 trường trong tệp: 1 thêm mới, 2 cập nhật, 5 địa chỉ thư."
    stored = registry(office)
    assert stored["Trường THCS An Bình"] == {"c2anbinh@example.vn", "vanthu.anbinh@example.vn"}
    assert stored["Trường Tiểu học Phong Hòa"] == {"thphonghoa@example.vn"}
    assert stored["Trường Mầm non Sen Hồng"] == {"mnsenhong@example.vn"}
    # schools not in the new file are kept as they were
    assert stored["Trường Mầm non Hoa Sen"] == {"mnhoasen@example.vn"}
    assert len(stored) == 6


def test_reimport_of_the_same_file_changes_nothing(office):
    data = (office.root / "schools.csv").read_bytes()
    import_file(office, "truong.csv", data)
    before = registry(office)
    result = import_file(office, "truong.csv", data)
    assert result.out.strip() == "5 trường trong tệp: 0 thêm mới, 0 cập nhật, 6 địa chỉ thư."
    assert registry(office) == before


def test_file_without_the_needed_columns(office, tmp_path):
    path = tmp_path / "truong.csv"
    path.write_text("STT,Tên trường,Điện thoại\n1,Trường THCS An Bình,0234 3551 234\n", encoding="utf-8")
    result = run_thidua("--config", office.config, "schools", "import", path)
    assert_one_line_error(result, str(path), "Tên trường", "Email")
    assert registry(office) == {}


def test_xlsx_without_the_needed_columns(office, tmp_path):
    path = tmp_path / "truong.xlsx"
    path.write_bytes(
        make_xlsx({"Sheet1": [["STT", "Họ và tên", "Chức vụ"], [1, "Nguyễn Văn A", "Hiệu trưởng"]]})
    )
    assert_one_line_error(office.cli("schools", "import", path), str(path), "Email")


def test_word_file_is_not_a_registry(office, tmp_path):
    path = tmp_path / "truong.xlsx"  # the name says Excel; the content is Word
    path.write_bytes(make_docx(["Danh sách trường"]))
    assert_one_line_error(office.cli("schools", "import", path), "CSV or XLSX", "docx")


def test_registry_with_names_but_no_address(office, tmp_path):
    path = tmp_path / "truong.csv"
    path.write_text("Tên trường,Email\nTrường THCS An Bình,chưa có\n", encoding="utf-8")
    assert_one_line_error(office.cli("schools", "import", path), "no school with an e-mail address")


def _nomination_mail(sender: str, message_id: str) -> bytes:
    rows = [
        {
            "name": "Nguyễn Thị Hoa",
            "category": "Giáo viên",
            "position": "Giáo viên Toán",
            "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện.",
            "evidence": ["GK Hoa.pdf"],
            "award": "Giấy khen",
        }
    ]
    return make_eml(
        sender=sender,
        to=OFFICE_ADDRESS,
        subject="Danh sách khen thưởng quý II",
        attachments=[
            ("Danh sách.xlsx", nomination_xlsx(rows), XLSX),
            ("GK Hoa.pdf", make_pdf(["GIẤY KHEN", "Nguyễn Thị Hoa"]), "application/pdf"),
        ],
        message_id=message_id,
    )


def test_mail_from_a_registered_address_is_not_rejected(office, tmp_path):
    before = tmp_path / "truoc.eml"
    before.write_bytes(_nomination_mail("Trường An Bình <vanthu.anbinh@example.vn>", "<truoc@example.vn>"))
    ok(office.cli("process", before))
    [first] = office.submissions()
    assert first["status"] == "rejected"
    assert "unknown_sender" in {p["code"] for p in first["problems"]}

    import_file(
        office, "truong.csv", "Tên trường;Email\nTrường THCS An Bình;VanThu.AnBinh@Example.VN\n".encode()
    )
    after = tmp_path / "sau.eml"
    # the school writes its address in yet another case
    after.write_bytes(_nomination_mail("Trường An Bình <Vanthu.ANBINH@example.vn>", "<sau@example.vn>"))
    ok(office.cli("process", after))
    newest = office.submissions()[0]
    assert newest["message_id"] == "<sau@example.vn>"
    assert newest["status"] != "rejected"
    assert newest["school"] == "Trường THCS An Bình"
    assert "unknown_sender" not in {p["code"] for p in newest["problems"]}
