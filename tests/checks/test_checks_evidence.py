"""find_evidence / evidence_files: a nominee's evidence cell against the files received."""

from __future__ import annotations

import unicodedata
from types import SimpleNamespace

import pytest

from thidua.checks.evidence import evidence_files, find_evidence, is_link


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


FILES = [
    "Danh sách đề nghị.xlsx",
    "Giấy khen Nguyễn Văn An.pdf",
    "hoso.zip/Minh chung/GCN_giai_Nhi_cap_huyen.PDF",
    "hoso.zip/Quyết định công nhận SKKN.docx",
    "Bằng khen Tổ Toán-Tin.jpg",
]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        # exact, and the same name however it is typed
        ("Giấy khen Nguyễn Văn An.pdf", "Giấy khen Nguyễn Văn An.pdf"),
        (nfd("Giấy khen Nguyễn Văn An.pdf"), "Giấy khen Nguyễn Văn An.pdf"),
        ("GIẤY KHEN NGUYỄN VĂN AN.PDF", "Giấy khen Nguyễn Văn An.pdf"),
        ("Giay khen Nguyen Van An", "Giấy khen Nguyễn Văn An.pdf"),  # no diacritics, no extension
        ("giay_khen_nguyen_van_an.pdf", "Giấy khen Nguyễn Văn An.pdf"),
        ("GiayKhen-NguyenVanAn", "Giấy khen Nguyễn Văn An.pdf"),
        ("  Giấy  khen   Nguyễn Văn An  ", "Giấy khen Nguyễn Văn An.pdf"),
        ("Giấy khen Nguyễn Văn An.jpg", "Giấy khen Nguyễn Văn An.pdf"),  # converted to PDF since
        # archive members and folder prefixes
        ("GCN giai Nhi cap huyen.pdf", "hoso.zip/Minh chung/GCN_giai_Nhi_cap_huyen.PDF"),
        ("hoso.zip/Quyết định công nhận SKKN.docx", "hoso.zip/Quyết định công nhận SKKN.docx"),
        ("Minh chung/GCN_giai_Nhi_cap_huyen.PDF", "hoso.zip/Minh chung/GCN_giai_Nhi_cap_huyen.PDF"),
        (nfd("Quyết định công nhận SKKN"), "hoso.zip/Quyết định công nhận SKKN.docx"),
        # descriptions rather than file names
        ("Giấy chứng nhận giải Nhì cấp huyện (bản scan)", "hoso.zip/Minh chung/GCN_giai_Nhi_cap_huyen.PDF"),
        ("Bản scan Giấy khen Nguyễn Văn An", "Giấy khen Nguyễn Văn An.pdf"),
        ("Nguyễn Văn An - giấy khen", "Giấy khen Nguyễn Văn An.pdf"),  # words in another order
        ("Quyết định công nhận sáng kiến kinh nghiệm", "hoso.zip/Quyết định công nhận SKKN.docx"),
        ("Bằng khen của Tổ Toán – Tin năm học 2017-2018", "Bằng khen Tổ Toán-Tin.jpg"),
        # a whole archive or folder named as the evidence
        ("hoso.zip", "hoso.zip"),
        ("Minh chứng", "hoso.zip/Minh chung"),
    ],
)
def test_found(reference, expected):
    assert find_evidence(reference, FILES) == expected


@pytest.mark.parametrize(
    "reference",
    [
        "Giấy khen Nguyễn Văn Bình",  # another person's certificate
        "Giấy khen Trần Thị Cúc.pdf",
        "Quyết định số 45/QĐ-PGD",
        "2018",  # a bare number never identifies a file
        "An",  # a single short word neither
        "https://drive.google.com/file/d/abc",  # a link is not an attachment
        "",
        "……",
        "Sổ điểm lớp 9A",
    ],
)
def test_not_found(reference):
    assert find_evidence(reference, FILES) is None


def test_number_is_a_whole_word():
    files = ["Minh chứng 10.pdf", "Minh chứng 11.pdf"]
    assert find_evidence("Minh chứng 1", files) is None
    assert find_evidence("Minh chứng 01", ["Minh chung 1.pdf"]) == "Minh chung 1.pdf"
    assert find_evidence("MC1", ["Minh chứng 1.jpg"]) == "Minh chứng 1.jpg"


def test_exact_name_wins_over_a_longer_one():
    files = ["Giấy khen Nguyễn Văn An năm 2017.pdf", "Giấy khen Nguyễn Văn An.pdf"]
    assert find_evidence("giay khen nguyen van an", files) == "Giấy khen Nguyễn Văn An.pdf"


def test_same_extension_wins_when_two_files_share_the_name():
    files = ["Giấy khen.jpg", "Giấy khen.pdf"]
    assert find_evidence("Giấy khen.pdf", files) == "Giấy khen.pdf"
    assert find_evidence("Giấy khen.JPG", files) == "Giấy khen.jpg"


def test_ambiguous_description_is_present_and_returns_the_best():
    files = ["Giấy khen Nguyễn Văn An.pdf", "Giấy khen Lê Thị Hoa.pdf", "Danh sách.xlsx"]
    found = find_evidence("Giấy khen", files)
    assert found == "Giấy khen Lê Thị Hoa.pdf"  # the closest in length; ties go to the first received
    assert find_evidence("Giấy khen", list(reversed(files))) == "Giấy khen Lê Thị Hoa.pdf"


def test_nfd_file_names_match_nfc_references():
    files = [nfd("hồ sơ.zip/Giấy chứng nhận Hội thi.pdf")]
    assert find_evidence("Giấy chứng nhận hội thi", files) == files[0]


def test_numbering_in_the_cell_is_ignored():
    assert find_evidence("1. Giấy khen Nguyễn Văn An.pdf", FILES) == "Giấy khen Nguyễn Văn An.pdf"
    assert find_evidence("- Giay khen Nguyen Van An", FILES) == "Giấy khen Nguyễn Văn An.pdf"


def test_a_slash_in_a_description_is_not_a_path():
    files = ["QĐ-UBND huyện.pdf"]
    assert find_evidence("Quyết định số 12/QĐ-UBND", files) is None  # "QĐ-UBND" alone is not the reference
    assert find_evidence("Thư mục khác/QĐ-UBND huyện.pdf", files) == "QĐ-UBND huyện.pdf"


def test_no_files():
    assert find_evidence("Giấy khen.pdf", []) is None


def test_is_link():
    assert is_link("https://drive.google.com/x")
    assert is_link("www.example.vn/a")
    assert not is_link("Giấy khen.pdf")


def test_evidence_files_claims_only_what_is_referenced():
    files = [
        "Danh sách.xlsx",
        "Giấy khen An.pdf",
        "Giấy khen Hoa.pdf",
        "Ảnh hoạt động.jpg",
        "minhchung.zip/a.pdf",
        "minhchung.zip/b.pdf",
    ]
    nominees = [
        SimpleNamespace(evidence=("Giấy khen An",)),
        SimpleNamespace(evidence=("minhchung.zip", "Không có tệp này.pdf")),
        SimpleNamespace(evidence=()),
    ]
    assert evidence_files(nominees, files) == {
        "Giấy khen An.pdf",
        "minhchung.zip/a.pdf",
        "minhchung.zip/b.pdf",
    }


def test_evidence_files_takes_one_file_for_an_ambiguous_reference():
    files = ["Giấy khen An.pdf", "Giấy khen Hoa.pdf", "Giấy khen Bảo.pdf"]
    assert len(evidence_files([SimpleNamespace(evidence=("Giấy khen",))], files)) == 1
