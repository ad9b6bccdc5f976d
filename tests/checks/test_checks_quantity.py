"""is_quantified: does an achievement summary hold a figure?"""

from __future__ import annotations

import unicodedata

import pytest

from thidua.checks.quantity import is_quantified

QUANTIFIED = [
    # digits and percentages
    "Có 2 sáng kiến được công nhận cấp huyện",
    "Tỷ lệ học sinh lên lớp đạt 98,5%",
    "Tỷ lệ học sinh khá giỏi tăng 12 phần trăm",
    "Năm học 2017-2018 có 3 đề tài nghiên cứu khoa học",
    "Quyên góp 2000 quyển sách cho thư viện",
    "Top 10 toàn tỉnh",
    # counts in words
    "Có hai sáng kiến kinh nghiệm được xếp loại cấp huyện",
    "Bồi dưỡng ba học sinh giỏi cấp tỉnh",
    "Hướng dẫn năm học sinh đạt giải cấp huyện",
    "Hai mươi lăm lượt học sinh tham gia",
    "Dự mười hai tiết dạy tốt",
    "Có một sáng kiến được công nhận",
    # prize ranks, medals, letter grades
    "Đạt giải Nhất hội thi giáo viên dạy giỏi",
    "Giải Khuyến khích cuộc thi Khoa học kỹ thuật",
    "Giải Ba cấp tỉnh",
    "Đạt hạng Nhì toàn huyện",
    "Xếp thứ nhất toàn đoàn",
    "Thủ khoa kỳ thi vào lớp 10",
    "Huy chương Vàng Hội khỏe Phù Đổng",
    "HCB môn điền kinh",
    "Sáng kiến kinh nghiệm xếp loại A cấp huyện",
    # without diacritics
    "co hai sang kien cap huyen",
    "dat giai khuyen khich",
    "sau hoc sinh dat giai",
    "huy chuong dong",
]

NOT_QUANTIFIED = [
    "Nhiệt tình, có nhiều đóng góp cho nhà trường",
    "Hoàn thành xuất sắc nhiệm vụ năm học 2017-2018",
    "Hoàn thành xuất sắc nhiệm vụ năm học 2017 – 2018",
    "Ngày 15/3/2018 được tặng giấy khen",
    "Ngày 5 tháng 3 năm 2018 được biểu dương",
    "Chủ nhiệm lớp 9A2 nhiệt tình, trách nhiệm",
    "Đạt loại Xuất sắc",  # a verbal rating, not a figure (see the module docstring)
    "Xếp loại Tốt theo chuẩn nghề nghiệp",
    "Là một giáo viên tận tụy, yêu nghề",  # "một" as an article
    "Tận tâm với học sinh",  # "tâm", not "tám"
    "tan tam voi hoc sinh",
    "sau buoi hoc thuong phu dao hoc sinh yeu",  # "sau" = after
    "tu hoc, tu boi duong thuong xuyen",
    "Tham gia hàng chục hoạt động",  # vague
    "Có một số sáng kiến",
    "Đạt giải cấp tỉnh",  # a prize without its rank
    "Chiến sĩ thi đua cơ sở",
    "Loại bỏ thói quen xấu của học sinh",
    "",
    "…………",
]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("text", QUANTIFIED)
def test_quantified(text, form):
    assert is_quantified(unicodedata.normalize(form, text)) is True


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("text", NOT_QUANTIFIED)
def test_not_quantified(text, form):
    assert is_quantified(unicodedata.normalize(form, text)) is False


def test_upper_case_and_multiline():
    assert is_quantified("ĐẠT GIẢI NHÌ\nCẤP HUYỆN")
    assert is_quantified("- Tích cực\n- Có 4 bài viết đăng trên trang web")
