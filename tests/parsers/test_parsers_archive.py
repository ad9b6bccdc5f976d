"""collect_files(): attachments and the members of attached zips, safely."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile

import pytest

from tests.support.builders import make_docx, make_pdf, make_xlsx, make_zip
from thidua.parsers.archive import (
    ArchiveIssue,
    ArchiveLimits,
    CollectedFiles,
    check_office_package,
    collect_files,
)
from thidua.parsers.content import UnreadableDocument
from thidua.parsers.mail import Attachment, FileItem

PDF = make_pdf(["Giấy khen"])
DOCX = make_docx(["Báo cáo thành tích"])
XLSX = make_xlsx({"Danh sách": [["STT"]]})


def _attachment(name: str, data: bytes, claimed: str = "application/octet-stream") -> Attachment:
    return Attachment(filename=name, claimed_type=claimed, data=data)


def test_every_attachment_becomes_a_file_item():
    result = collect_files(
        [_attachment("Danh sách.xlsx", XLSX), _attachment("giay-khen.pdf", PDF, "application/pdf")]
    )
    assert isinstance(result, CollectedFiles)
    assert result.issues == ()
    assert result.files == (
        FileItem(name="Danh sách.xlsx", data=XLSX, detected="xlsx", container="", size=len(XLSX)),
        FileItem(name="giay-khen.pdf", data=PDF, detected="pdf", container="", size=len(PDF)),
    )


def test_office_files_are_not_opened_as_archives():
    result = collect_files([_attachment("bao-cao.docx", DOCX)])
    assert [item.detected for item in result.files] == ["docx"]


def test_zip_members_one_level_deep_with_base_names():
    inner_zip = make_zip([("khong-mo.pdf", PDF)])
    archive = make_zip(
        [
            ("Hồ sơ/Danh sách đề nghị.xlsx", XLSX),
            ("Hồ sơ/Minh chứng/Giấy khen Nguyễn Văn A.pdf", PDF),
            ("Hồ sơ/Minh chứng/", b""),
            ("Hồ sơ/khác.zip", inner_zip),
        ]
    )
    result = collect_files([_attachment("Hồ sơ thi đua.zip", archive, "application/zip")])
    assert result.issues == ()
    assert [(item.name, item.detected, item.container) for item in result.files] == [
        ("Hồ sơ thi đua.zip", "zip", ""),
        ("Danh sách đề nghị.xlsx", "xlsx", "Hồ sơ thi đua.zip"),
        ("Giấy khen Nguyễn Văn A.pdf", "pdf", "Hồ sơ thi đua.zip"),
        ("khác.zip", "zip", "Hồ sơ thi đua.zip"),  # listed, not opened: khong-mo.pdf is absent
    ]
    member = result.files[1]
    assert member.data == XLSX and member.size == len(XLSX)


def test_junk_members_are_skipped():
    archive = make_zip(
        [
            ("__MACOSX/._bao-cao.docx", b"\x00\x05\x16\x07"),
            ("Hồ sơ/.DS_Store", b"\x00\x00\x00\x01Bud1"),
            ("Hồ sơ/Thumbs.db", b"\xd0\xcf\x11\xe0"),
            ("desktop.ini", b"[.ShellClassInfo]"),
            ("bao-cao.docx", DOCX),
        ]
    )
    result = collect_files([_attachment("a.zip", archive)])
    assert [item.name for item in result.files] == ["a.zip", "bao-cao.docx"]


@pytest.mark.parametrize("names", ["utf-8", "utf-8-unflagged"])
def test_vietnamese_member_names_with_and_without_the_utf8_flag(names):
    archive = make_zip([("Báo cáo tổng kết.docx", DOCX)], names=names)
    flags = zipfile.ZipFile(io.BytesIO(archive)).infolist()[0].flag_bits & 0x800
    assert bool(flags) == (names == "utf-8")
    result = collect_files([_attachment("x.zip", archive)])
    assert result.files[1].name == "Báo cáo tổng kết.docx"


def test_legacy_cp437_names_and_nfd_names():
    archive = make_zip([("Übersicht.pdf", PDF)], names="cp437")
    assert collect_files([_attachment("x.zip", archive)]).files[1].name == "Übersicht.pdf"
    nfd = unicodedata.normalize("NFD", "Minh chứng hoạt động.pdf")
    archive = make_zip([(nfd, PDF)])
    name = collect_files([_attachment("x.zip", archive)]).files[1].name
    assert name == "Minh chứng hoạt động.pdf" and unicodedata.is_normalized("NFC", name)


def test_a_zip_bomb_is_refused_but_the_rest_is_kept():
    archive = make_zip([("bom.txt", b"\x00" * (8 << 20)), ("giay-khen.pdf", PDF)])
    result = collect_files([_attachment("x.zip", archive)])
    assert [item.name for item in result.files] == ["x.zip", "giay-khen.pdf"]
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert (issue.container, issue.member, issue.reason) == ("x.zip", "bom.txt", "bomb")


def test_small_highly_compressible_members_are_not_bombs():
    archive = make_zip([("trang.bmp", b"\xff" * 200_000)])
    result = collect_files([_attachment("x.zip", archive)])
    assert result.issues == () and result.files[1].size == 200_000


def test_member_and_total_size_limits():
    archive = make_zip([(f"anh-{i}.jpg", bytes([i]) * 1500) for i in range(3)])
    result = collect_files(
        [_attachment("x.zip", archive)], ArchiveLimits(max_member_bytes=1000, ratio_floor_bytes=10**9)
    )
    assert [issue.reason for issue in result.issues] == ["too_large"] * 3
    result = collect_files(
        [_attachment("x.zip", archive)], ArchiveLimits(max_total_bytes=3000, ratio_floor_bytes=10**9)
    )
    assert [item.name for item in result.files] == ["x.zip", "anh-0.jpg", "anh-1.jpg"]
    assert [(issue.member, issue.reason) for issue in result.issues] == [("anh-2.jpg", "too_large")]


def test_headers_that_understate_the_size_never_yield_more_bytes():
    archive = bytearray(make_zip([("a.txt", b"A" * 5000)]))
    # Claim 10 bytes uncompressed in both the local and the central header.
    local = archive.find(b"PK\x03\x04")
    central = archive.find(b"PK\x01\x02")
    struct.pack_into("<I", archive, local + 22, 10)
    struct.pack_into("<I", archive, central + 24, 10)
    result = collect_files([_attachment("x.zip", bytes(archive))])
    members = [item for item in result.files if item.container]
    assert all(item.size <= 10 for item in members)
    assert [issue.reason for issue in result.issues] == ["corrupt"]  # the CRC no longer matches


def test_too_many_members():
    archive = make_zip([(f"anh-{i}.jpg", b"x") for i in range(501)])
    result = collect_files([_attachment("anh.zip", archive)])
    assert [item.name for item in result.files] == ["anh.zip"]
    assert result.issues == (
        ArchiveIssue("anh.zip", "", "too_many_members", "501 files, at most 500 are read"),
    )
    assert len(collect_files([_attachment("anh.zip", archive)], ArchiveLimits(max_members=600)).files) == 502


def test_encrypted_member():
    archive = make_zip([("bi-mat.docx", DOCX), ("cong-khai.pdf", PDF)], encrypted=["bi-mat.docx"])
    result = collect_files([_attachment("x.zip", archive)])
    assert [item.name for item in result.files] == ["x.zip", "cong-khai.pdf"]
    assert [(issue.member, issue.reason) for issue in result.issues] == [("bi-mat.docx", "encrypted")]


def test_corrupt_zip_stays_a_file_with_an_issue():
    archive = make_zip([("a.pdf", PDF), ("b.pdf", PDF)])
    broken = archive[: len(archive) - 40]
    result = collect_files([_attachment("hong.zip", broken)])
    assert [(item.name, item.detected) for item in result.files] == [("hong.zip", "zip")]
    assert len(result.issues) == 1
    assert (result.issues[0].container, result.issues[0].member, result.issues[0].reason) == (
        "hong.zip",
        "",
        "corrupt",
    )


def test_corrupt_member_data():
    archive = bytearray(make_zip([("a.txt", b"Danh sach " * 500)]))
    start = archive.find(b"PK\x03\x04") + 30 + len("a.txt")
    archive[start : start + 20] = b"\xff" * 20
    result = collect_files([_attachment("x.zip", bytes(archive))])
    assert [issue.reason for issue in result.issues] == ["corrupt"]
    assert [item.name for item in result.files] == ["x.zip"]


def test_check_office_package_limits():
    check_office_package(DOCX, "word/document.xml")
    with pytest.raises(UnreadableDocument) as caught:
        check_office_package(DOCX, "word/document.xml", max_total_bytes=1000)
    assert caught.value.reason == "too_large"
    with pytest.raises(UnreadableDocument) as caught:
        check_office_package(DOCX, "xl/workbook.xml")
    assert (caught.value.reason, caught.value.detail) == ("corrupt", "no xl/workbook.xml")
    with pytest.raises(UnreadableDocument) as caught:
        check_office_package(b"not a zip", "word/document.xml")
    assert caught.value.reason == "corrupt"
