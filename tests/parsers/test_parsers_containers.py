"""collect_files() through every container: rar, 7z, gzip, winmail.dat, .msg and attached mails.

7z archives are made by libarchive and by the bsdtar command; RAR, TNEF and .msg files by the
byte-level writers in tests/support/container_builders.py (no free writer exists on Debian for them),
which bsdtar, tnefparse and olefile read back below.
"""

from __future__ import annotations

import gzip
import io
import shutil
import struct
import subprocess
import unicodedata
import zlib

import olefile
import pytest
import tnefparse

from tests.support import hostile
from tests.support.builders import make_docx, make_eml, make_pdf, make_xlsx, make_zip
from tests.support.container_builders import make_7z, make_compound_file, make_msg, make_rar, make_tnef
from thidua.parsers.archive import ArchiveIssue, ArchiveLimits, collect_files, display_path
from thidua.parsers.containers import ContainerError
from thidua.parsers.containers.tnef import read_tnef
from thidua.parsers.filetypes import sniff
from thidua.parsers.mail import Attachment

XLSX = make_xlsx({"Danh sách": [["STT", "Họ và tên"], [1, "Nguyễn Thị Hoa"]]})
DOCX = make_docx(["Báo cáo thành tích"])
PDF = make_pdf(["Giấy khen"])
BODY = (
    "Kính gửi Phòng Giáo dục và Đào tạo huyện Phong Điền,\n"
    "Trường THCS An Bình gửi danh sách đề nghị khen thưởng quý I cùng các minh chứng kèm theo.\nTrân trọng."
)


def collect(name: str, data: bytes, limits: ArchiveLimits = ArchiveLimits()):
    return collect_files([Attachment(name, "application/octet-stream", data)], limits)


def listed(result) -> list[tuple[str, str, str]]:
    return [(item.name, item.detected, item.container) for item in result.files]


# --------------------------------------------------------------------------- rar and 7z


@pytest.mark.parametrize(
    "build, kind",
    [(make_7z, "7z"), (make_rar, "rar"), (lambda m: make_rar(m, version=4), "rar")],
    ids=["7z", "rar5", "rar4"],
)
def test_archive_members_with_vietnamese_names_in_folders(build, kind):
    archive = build(
        [
            ("Hồ sơ/Danh sách đề nghị.xlsx", XLSX),
            ("Hồ sơ/Minh chứng/Giấy khen Nguyễn Văn A.pdf", PDF),
            ("Hồ sơ/Thumbs.db", b"\xd0\xcf\x11\xe0"),
            ("__MACOSX/Hồ sơ/._Danh sách đề nghị.xlsx", b"\0\5\26\7"),
        ]
    )
    assert sniff(archive) == kind
    result = collect(f"Hồ sơ thi đua.{kind}", archive)
    assert result.issues == ()
    assert listed(result) == [
        (f"Hồ sơ thi đua.{kind}", kind, ""),
        ("Danh sách đề nghị.xlsx", "xlsx", f"Hồ sơ thi đua.{kind}"),
        ("Giấy khen Nguyễn Văn A.pdf", "pdf", f"Hồ sơ thi đua.{kind}"),
    ]
    assert result.files[1].data == XLSX and result.files[2].data == PDF
    assert result.opened == (f"Hồ sơ thi đua.{kind}",)


@pytest.mark.skipif(shutil.which("bsdtar") is None, reason="needs bsdtar (Debian package libarchive-tools)")
def test_a_7z_made_by_the_bsdtar_command(tmp_path):
    folder = tmp_path / "Hồ sơ"
    (folder / "Minh chứng").mkdir(parents=True)
    (folder / "Danh sách.xlsx").write_bytes(XLSX)
    (folder / "Minh chứng" / unicodedata.normalize("NFD", "Giấy khen.pdf")).write_bytes(PDF)
    subprocess.run(
        ["bsdtar", "--format", "7zip", "-cf", str(tmp_path / "hoso.7z"), "Hồ sơ"], cwd=tmp_path, check=True
    )
    result = collect("hoso.7z", (tmp_path / "hoso.7z").read_bytes())
    assert result.issues == ()
    members = sorted((item.name, item.detected) for item in result.files[1:])
    assert members == [("Danh sách.xlsx", "xlsx"), ("Giấy khen.pdf", "pdf")]
    assert all(unicodedata.is_normalized("NFC", item.name) for item in result.files)


@pytest.mark.skipif(shutil.which("bsdtar") is None, reason="needs bsdtar (Debian package libarchive-tools)")
@pytest.mark.parametrize("version", [4, 5])
def test_the_rar_builder_writes_what_bsdtar_lists(tmp_path, version):
    path = tmp_path / "a.rar"
    path.write_bytes(make_rar([("Hồ sơ/Giấy khen.pdf", PDF), ("b.txt", b"x")], version=version))
    listing = subprocess.run(["bsdtar", "-tvf", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Hồ sơ/Giấy khen.pdf" in listing and "b.txt" in listing


@pytest.mark.parametrize("build", [make_7z, make_rar], ids=["7z", "rar"])
def test_hostile_member_names_never_become_paths(build):
    archive = build(
        [
            ("../../etc/passwd", b"root:x:0:0"),
            ("/etc/shadow", b"x"),
            ("C:\\Windows\\win.ini", b"[fonts]"),
            ("Giấy\u202ekhen\u200b.pdf", b"scan"),
            ("..", b"dots"),
            ("a/\x07chuông.txt", b"bell"),
        ]
    )
    result = collect("x.rar", archive)
    names = [item.name for item in result.files[1:]]
    assert names == ["passwd", "shadow", "win.ini", "Giấykhen.pdf", "attachment-5", "chuông.txt"]
    assert not any("/" in name or "\\" in name or name.startswith(".") for name in names)


def test_encrypted_rar_member_is_refused_and_the_rest_kept():
    archive = make_rar([("bi mat.docx", DOCX), ("cong khai.pdf", PDF)], version=4, encrypted=["bi mat.docx"])
    result = collect("x.rar", archive)
    assert [item.name for item in result.files] == ["x.rar", "cong khai.pdf"]
    assert [(issue.container, issue.member, issue.reason) for issue in result.issues] == [
        ("x.rar", "bi mat.docx", "encrypted")
    ]


def test_a_rar_with_encrypted_headers_is_encrypted_as_a_whole():
    archive = bytearray(make_rar([("a.docx", DOCX)], version=4))
    # Set the main header's "headers encrypted" flag (0x80) and fix its CRC, as WinRAR's "encrypt file names" does.
    archive[10] |= 0x80
    struct.pack_into("<H", archive, 7, zlib.crc32(bytes(archive[9:20])) & 0xFFFF)
    result = collect("x.rar", bytes(archive))
    assert [item.name for item in result.files] == ["x.rar"]
    assert [(issue.member, issue.reason) for issue in result.issues] == [("", "encrypted")]


@pytest.mark.parametrize("build, kind", [(make_7z, "7z"), (make_rar, "rar")])
def test_truncated_and_empty_archives_are_corrupt(build, kind):
    archive = build([("b.xlsx", XLSX), ("a.pdf", PDF)])
    for broken in (archive[: len(archive) // 2], archive[:40], archive[:8] + b"\0" * 200):
        result = collect(f"hong.{kind}", broken)
        assert result.files[0].name == f"hong.{kind}"
        assert [
            (issue.container, issue.member, issue.reason) for issue in result.issues if not issue.member
        ] == [(f"hong.{kind}", "", "corrupt")], broken[:16]


def test_a_7z_bomb_is_refused_by_its_expansion():
    archive = make_7z([("Danh sách.xlsx", b"\0" * (8 << 20)), ("giay-khen.pdf", PDF)])
    assert len(archive) * ArchiveLimits().max_ratio < 8 << 20
    result = collect("x.7z", archive)
    assert [(issue.member, issue.reason) for issue in result.issues] == [("Danh sách.xlsx", "bomb")]
    # in a solid archive what follows the bomb is left unread rather than decompressed to skip it
    assert [item.name for item in result.files] == ["x.7z"]


def test_a_7z_of_small_well_compressed_files_is_no_bomb():
    archive = make_7z([("trang.bmp", b"\xff" * 200_000), ("anh.bmp", b"\0" * 200_000)])
    result = collect("x.7z", archive)
    assert result.issues == () and [item.size for item in result.files[1:]] == [200_000, 200_000]


@pytest.mark.parametrize("build", [make_7z, make_rar], ids=["7z", "rar"])
def test_member_and_total_size_limits_while_streaming(build):
    archive = build([(f"anh-{i}.jpg", bytes([i]) * 1500) for i in range(3)])
    result = collect("x.7z", archive, ArchiveLimits(max_total_bytes=3000, ratio_floor_bytes=10**9))
    assert [item.name for item in result.files] == ["x.7z", "anh-0.jpg", "anh-1.jpg"]
    assert [(issue.member, issue.reason) for issue in result.issues] == [("anh-2.jpg", "too_large")]
    result = collect("x.7z", archive, ArchiveLimits(max_member_bytes=1000, ratio_floor_bytes=10**9))
    assert [(issue.member, issue.reason) for issue in result.issues] == [("anh-0.jpg", "too_large")]


@pytest.mark.parametrize("build", [make_7z, make_rar], ids=["7z", "rar"])
def test_too_many_members_gives_none_of_them(build):
    archive = build([(f"anh-{i}.jpg", b"x") for i in range(501)])
    result = collect("anh.rar", archive)
    assert [item.name for item in result.files] == ["anh.rar"]
    assert result.issues == (
        ArchiveIssue("anh.rar", "", "too_many_members", "more than 500 files, at most 500 are read"),
    )
    assert len(collect("anh.rar", archive, ArchiveLimits(max_members=600)).files) == 502


def test_limits_hold_for_the_whole_mail():
    first, second = (
        make_zip([(f"a{i}.pdf", PDF) for i in range(3)]),
        make_7z([(f"b{i}.pdf", PDF) for i in range(3)]),
    )
    attachments = [
        Attachment("a.zip", "application/zip", first),
        Attachment("b.7z", "application/x-7z-compressed", second),
    ]
    result = collect_files(attachments, ArchiveLimits(max_members=5))
    assert [item.name for item in result.files] == ["a.zip", "a0.pdf", "a1.pdf", "a2.pdf", "b.7z"]
    assert [(issue.container, issue.reason) for issue in result.issues] == [("b.7z", "too_many_members")]
    result = collect_files(attachments, ArchiveLimits(max_total_bytes=4 * len(PDF)))
    assert [(issue.member, issue.reason) for issue in result.issues] == [("b1.pdf", "too_large")]


def test_gzip_holds_one_file_named_after_the_archive():
    result = collect("Danh sách.xlsx.gz", gzip.compress(XLSX))
    assert listed(result) == [
        ("Danh sách.xlsx.gz", "gzip", ""),
        ("Danh sách.xlsx", "xlsx", "Danh sách.xlsx.gz"),
    ]


def test_an_archive_inside_an_archive_is_listed_not_opened():
    inner = make_zip([("khong-mo.pdf", PDF)])
    result = collect(
        "ngoai.rar", make_rar([("trong.zip", inner), ("trong.7z", make_7z([("khong-mo.pdf", PDF)]))])
    )
    assert listed(result) == [
        ("ngoai.rar", "rar", ""),
        ("trong.zip", "zip", "ngoai.rar"),
        ("trong.7z", "7z", "ngoai.rar"),
    ]
    assert result.issues == () and result.opened == ("ngoai.rar",)


@pytest.mark.parametrize(
    "build",
    [lambda: make_rar([("Giấy khen.pdf", PDF)]), lambda: make_tnef([("Giấy khen.pdf", PDF)])],
    ids=["stored rar", "winmail.dat"],
)
def test_a_container_whose_first_file_is_a_pdf_is_still_a_container(build):
    assert sniff(build()) in ("rar", "tnef")


# --------------------------------------------------------------------------- winmail.dat


def test_winmail_dat_gives_its_attachments():
    winmail = make_tnef(
        [("Danh sách đề nghị.xlsx", XLSX), (unicodedata.normalize("NFD", "Giấy khen.pdf"), PDF)],
        subject="Hồ sơ thi đua",
        body=BODY,
    )
    assert sniff(winmail) == "tnef"
    # the builder writes what an independent reader sees the same way
    assert [a.long_filename() for a in tnefparse.TNEF(winmail).attachments][0] == "Danh sách đề nghị.xlsx"
    result = collect("winmail.dat", winmail)
    assert result.issues == ()
    assert listed(result) == [
        ("winmail.dat", "tnef", ""),
        ("Danh sách đề nghị.xlsx", "xlsx", "winmail.dat"),
        ("Giấy khen.pdf", "pdf", "winmail.dat"),
    ]
    assert result.files[1].data == XLSX and result.opened == ("winmail.dat",)


def test_winmail_dat_names_from_the_code_page_when_no_long_name():
    winmail = bytearray(make_tnef([("Giấy khen.pdf", PDF)], codepage=1258))
    # Drop the attachment's MAPI properties (long name): only the 8-bit title in cp1258 is left.
    at = winmail.rfind(struct.pack("<BHH", 2, 0x9005, 0x0006))
    content = read_tnef(bytes(winmail[:at])).attachments
    assert [(a.filename, a.data) for a in content] == [("Giấy khen.pdf", PDF)]


def test_an_outlook_item_attached_inside_winmail_dat_is_read_one_level_deep():
    winmail = make_tnef([("Danh sách.xlsx", XLSX)], embedded=[("Minh chứng.pdf", PDF)])
    assert [a.filename for a in read_tnef(winmail).attachments] == ["Danh sách.xlsx", "Minh chứng.pdf"]


def test_winmail_dat_without_attachments_is_opened_and_holds_nothing():
    result = collect("winmail.dat", make_tnef([], subject="Hồ sơ", body=BODY))
    assert listed(result) == [("winmail.dat", "tnef", "")]
    assert result.issues == () and result.opened == ("winmail.dat",)


@pytest.mark.timeout(60)
def test_hostile_winmail_dat_costs_what_its_bytes_do():
    # A property list claiming 2**32 values in a dozen bytes: tnefparse loops on it for minutes.
    result = collect("winmail.dat", hostile.runaway_tnef())
    assert listed(result) == [("winmail.dat", "tnef", "")] and result.issues == ()
    truncated = make_tnef([("Giấy khen.pdf", PDF)], subject="Hồ sơ", body=BODY)[
        :-40
    ]  # inside the last attribute
    result = collect("winmail.dat", truncated)
    assert [(issue.member, issue.reason) for issue in result.issues] == [("", "corrupt")]


# --------------------------------------------------------------------------- Outlook .msg


def test_the_compound_file_builder_writes_what_olefile_reads():
    data = make_compound_file({"nho": b"abc", "kho": {"lon": b"x" * 5000, "rong": b""}})
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        assert sorted(ole.listdir(storages=True)) == [["kho"], ["kho", "lon"], ["kho", "rong"], ["nho"]]
        assert ole.openstream("nho").read() == b"abc" and ole.openstream("kho/lon").read() == b"x" * 5000


def test_msg_gives_its_attachments_and_those_of_an_attached_item():
    item = make_msg(
        "Fwd: Hồ sơ thi đua",
        [("Danh sách đề nghị.xlsx", XLSX), ("Giấy khen.pdf", PDF)],
        body=BODY,
        embedded=("Minh chứng bổ sung", [("Quyết định.docx", DOCX)]),
    )
    assert sniff(item) == "msg"
    result = collect("Hồ sơ.msg", item)
    assert result.issues == ()
    assert listed(result) == [
        ("Hồ sơ.msg", "msg", ""),
        ("Danh sách đề nghị.xlsx", "xlsx", "Hồ sơ.msg"),
        ("Giấy khen.pdf", "pdf", "Hồ sơ.msg"),
        ("Quyết định.docx", "docx", "Hồ sơ.msg"),
    ]
    assert [item.data for item in result.files[1:]] == [XLSX, PDF, DOCX]


def test_subject_and_body_of_a_msg():
    from thidua.parsers.containers.outlook import read_msg

    message = read_msg(make_msg("Hồ sơ thi đua", [], body=BODY))
    assert (message.subject, message.body, message.attachments) == ("Hồ sơ thi đua", BODY, ())


@pytest.mark.parametrize(
    "broken", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b"", b"not a compound file"]
)
def test_a_broken_msg_is_corrupt(broken):
    from thidua.parsers.containers.outlook import read_msg

    with pytest.raises(ContainerError) as refused:
        read_msg(broken)
    assert refused.value.reason == "corrupt"


# --------------------------------------------------------------------------- attached mails


def forwarded(attachments, subject="Hồ sơ thi đua") -> bytes:
    return make_eml(
        sender="c2anbinh@example.vn",
        to="hieutruong@example.vn",
        subject=subject,
        body=BODY,
        attachments=attachments,
    )


def test_an_attached_mail_gives_its_attachments():
    inner = forwarded(
        [
            ("Danh sách đề nghị.xlsx", XLSX, "application/octet-stream"),
            ("Giấy khen.pdf", PDF, "application/pdf"),
        ]
    )
    assert sniff(inner) == "eml"
    result = collect("Fwd Hồ sơ.eml", inner)
    assert result.issues == ()
    assert listed(result) == [
        ("Fwd Hồ sơ.eml", "eml", ""),
        ("Danh sách đề nghị.xlsx", "xlsx", "Fwd Hồ sơ.eml"),
        ("Giấy khen.pdf", "pdf", "Fwd Hồ sơ.eml"),
    ]


def test_a_zip_in_an_attached_mail_is_opened_but_not_deeper():
    archive = make_zip([("Minh chứng/Giấy khen.pdf", PDF), ("trong.zip", make_zip([("sau.pdf", PDF)]))])
    inner = forwarded([("Minh chứng.zip", archive, "application/zip")])
    result = collect("Fwd.eml", inner)
    assert listed(result) == [
        ("Fwd.eml", "eml", ""),
        ("Minh chứng.zip", "zip", "Fwd.eml"),
        ("Giấy khen.pdf", "pdf", "Fwd.eml/Minh chứng.zip"),
        ("trong.zip", "zip", "Fwd.eml/Minh chứng.zip"),
    ]
    assert display_path(result.files[2]) == "Fwd.eml/Minh chứng.zip/Giấy khen.pdf"
    assert result.opened == ("Fwd.eml", "Fwd.eml/Minh chứng.zip")
    # a mail forwarded twice: the innermost attachments lie deeper than two containers
    twice = forwarded([("Fwd.eml", inner, "message/rfc822")])
    result = collect("Fwd Fwd.eml", twice)
    assert [item.name for item in result.files] == ["Fwd Fwd.eml", "Fwd.eml", "Minh chứng.zip"]
    assert result.opened == ("Fwd Fwd.eml", "Fwd Fwd.eml/Fwd.eml")


def test_winmail_dat_in_an_attached_mail():
    winmail = make_tnef([("Danh sách.xlsx", XLSX)], subject="Hồ sơ", body=BODY)
    result = collect("Fwd.eml", forwarded([("winmail.dat", winmail, "application/ms-tnef")]))
    assert listed(result)[-1] == ("Danh sách.xlsx", "xlsx", "Fwd.eml/winmail.dat")
