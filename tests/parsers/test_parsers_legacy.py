"""Legacy formats: .xls/.ods read directly, .doc/.odt/.rtf converted by LibreOffice.

Every file is made by LibreOffice from a builders' .docx/.xlsx (its "twin"), so
each test can ask: does the old format give what the modern one gives?
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    Merge,
    make_docx,
    make_xlsx,
    nomination_xlsx,
    registration_docx,
)
from tests.support.legacy_builders import (
    damaged_stream,
    libreoffice_twins,
    long_table_rtf,
    password_protected,
)
from thidua.parsers.content import UnreadableDocument
from thidua.parsers.convert import SOFFICE_ENV, ConversionLimits, convert_to_docx
from thidua.parsers.documents import read_document
from thidua.parsers.filetypes import sniff
from thidua.parsers.forms import understand
from thidua.parsers.mail import FileItem

NOMINEES = [
    {
        "name": "Nguyễn Thị Hoa",
        "category": "Giáo viên",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
        "evidence": ["Giấy khen Hoa.pdf", "Sáng kiến Hoa.docx"],
        "award": "Giấy khen",
    },
    {
        "name": "Tổ Toán – Tin",
        "category": "Tập thể",
        "position": "",
        "achievements": "100% giáo viên đạt chuẩn; 3 sáng kiến cấp huyện.",
        "evidence": ["GCN tổ Toán.pdf"],
        "award": "Giấy khen",
    },
]
# A table merged both ways, as schools lay out their lists.
MERGED_TABLE = [
    ["STT", "Họ và tên", "Đối tượng", Merge.LEFT],
    [Merge.UP, Merge.UP, "Cá nhân", "Tập thể"],
    ["1", "Lê Văn Nam", "x", ""],
    ["2", "Phan Thị Lụa", "x", ""],
]
WORKBOOK = {
    "Danh sách": [
        ["DANH SÁCH ĐỀ NGHỊ", None, None],
        ["STT", "Họ và tên", "Ngày sinh", "Điểm", "Đối tượng"],
        [1, "Nguyễn Văn An", date(1985, 3, 14), 9.5, "Giáo viên"],
        [2, "Trần Thị Bình", date(1990, 12, 1), 8, None],
        [None, None, None, None, None, None, "G6"],
    ],
    "Ghi chú": [[None, "Ô B1"]],
    "Ẩn": [["Trang tính ẩn"]],
}
WORKBOOK_MERGES = {"Danh sách": ["A1:C1", "E3:E4"]}


def item(data: bytes, name: str) -> FileItem:
    return FileItem(name=name, data=data, detected=sniff(data), size=len(data))


@pytest.fixture(scope="module")
def word_twins():
    """{format: {name: bytes}} for the same .docx files saved as .doc, .odt and .rtf."""
    docx = {
        "registration": registration_docx(**REGISTRATION_EXAMPLE),
        "tables": make_docx(["Danh sách đề nghị", MERGED_TABLE, "Hết danh sách."]),
    }
    return {"docx": docx, **{kind: libreoffice_twins(docx, "docx", kind) for kind in ("doc", "odt", "rtf")}}


@pytest.fixture(scope="module")
def sheet_twins():
    xlsx = {
        "nominations": nomination_xlsx(NOMINEES, column_numbers=True),
        "workbook": make_xlsx(WORKBOOK, WORKBOOK_MERGES, hidden=["Ẩn"]),
    }
    return {"xlsx": xlsx, **{kind: libreoffice_twins(xlsx, "xlsx", kind) for kind in ("xls", "ods")}}


# ----------------------------------------------------------------------------- Word formats


@pytest.mark.parametrize("kind", ["doc", "odt", "rtf"])
def test_registration_gives_the_fields_of_its_docx_twin(word_twins, kind):
    data = word_twins[kind]["registration"]
    assert sniff(data) == kind
    document = read_document(item(data, f"Đăng ký.{kind}"))
    twin = read_document(item(word_twins["docx"]["registration"], "Đăng ký.docx"))
    assert (document.format, document.notes) == (kind, ("converted",))
    assert document.blocks == twin.blocks
    understood = understand(document, f"Đăng ký.{kind}")
    assert understood.kind == "registration"
    assert understood.registrations == understand(twin, "Đăng ký.docx").registrations
    [registration] = understood.registrations
    assert registration.values["full_name"] == "Nguyễn Thị Hoa"


@pytest.mark.parametrize("kind", ["doc", "odt", "rtf"])
def test_tables_with_merged_cells_survive_the_conversion(word_twins, kind):
    document = read_document(item(word_twins[kind]["tables"], f"ds.{kind}"))
    [table] = document.tables
    assert table.rows == (
        ("STT", "Họ và tên", "Đối tượng", "Đối tượng"),
        ("STT", "Họ và tên", "Cá nhân", "Tập thể"),
        ("1", "Lê Văn Nam", "x", ""),
        ("2", "Phan Thị Lụa", "x", ""),
    )
    assert document.paragraphs == ("Danh sách đề nghị", "Hết danh sách.")


@pytest.mark.parametrize("kind", ["doc", "odt"])
def test_password_protected_word_files_are_encrypted_not_corrupt(word_twins, kind):
    data = password_protected(word_twins["docx"]["tables"], "docx", kind)
    assert sniff(data) == kind
    with pytest.raises(UnreadableDocument) as caught:
        read_document(item(data, f"ds.{kind}"))
    assert caught.value.reason == "encrypted"


def test_a_damaged_doc_is_corrupt(word_twins):
    data = damaged_stream(word_twins["doc"]["registration"], "WordDocument")
    assert sniff(data) == "doc"
    with pytest.raises(UnreadableDocument) as caught:
        read_document(item(data, "Đăng ký.doc"))
    assert caught.value.reason == "corrupt"
    assert "conversion failed" in caught.value.detail


def test_a_tiny_hand_written_rtf_is_read():
    document = read_document(item(rb"{\rtf1\ansi Tr\u432?\u7901?ng THCS An B\u236?nh\par}", "x.rtf"))
    assert document.paragraphs == ("Trường THCS An Bình",)


def test_without_libreoffice_the_file_is_unsupported(word_twins, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no soffice, no libreoffice
    with pytest.raises(UnreadableDocument) as caught:
        read_document(item(word_twins["doc"]["registration"], "Đăng ký.doc"))
    assert (caught.value.reason, caught.value.detail) == ("unsupported", "doc: LibreOffice not installed")


def test_a_configured_program_that_is_not_there_is_no_libreoffice(word_twins, tmp_path, monkeypatch):
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "soffice"))
    with pytest.raises(UnreadableDocument) as caught:
        read_document(item(word_twins["odt"]["registration"], "Đăng ký.odt"))
    assert caught.value.reason == "unsupported"


def test_readable_formats_name_the_converted_ones_only_with_libreoffice(tmp_path):
    show = "from thidua.parsers.documents import READABLE_FORMATS; print(' '.join(READABLE_FORMATS))"
    environment = {**os.environ, "PATH": str(tmp_path)}
    environment.pop(SOFFICE_ENV, None)
    without = subprocess.run(
        [sys.executable, "-c", show], env=environment, capture_output=True, text=True, check=True
    )
    assert without.stdout.split() == ["docx", "xlsx", "xls", "pdf", "ods"]


def test_a_conversion_out_of_time_is_stopped_whole_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the converter's folder goes here
    with pytest.raises(UnreadableDocument) as caught:
        # LibreOffice is well into laying out the table when the limit passes.
        convert_to_docx(long_table_rtf(), "rtf", ConversionLimits(timeout=6))
    assert caught.value.reason == "corrupt" and "not finished" in caught.value.detail
    assert _processes_mentioning(str(tmp_path)) == []  # LibreOffice's own processes too
    assert list(tmp_path.iterdir()) == []


def test_an_oversized_result_is_too_large(word_twins):
    with pytest.raises(UnreadableDocument) as caught:
        convert_to_docx(word_twins["doc"]["registration"], "doc", ConversionLimits(max_output_bytes=1000))
    assert caught.value.reason == "too_large"


def test_a_conversion_leaves_no_file_behind(word_twins, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert sniff(convert_to_docx(word_twins["rtf"]["registration"], "rtf")) == "docx"
    assert list(tmp_path.iterdir()) == []


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # ended meanwhile
    return found


# ----------------------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_nomination_list_gives_the_nominees_of_its_xlsx_twin(sheet_twins, kind):
    data = sheet_twins[kind]["nominations"]
    assert sniff(data) == kind
    document = read_document(item(data, f"Danh sách.{kind}"))
    twin = read_document(item(sheet_twins["xlsx"]["nominations"], "Danh sách.xlsx"))
    assert document.format == kind
    assert document.tables == twin.tables
    [table] = document.tables
    # the header merged over rows 7-8 reads on both rows, as in Excel
    assert table.rows[6] == table.rows[7] and table.rows[6][1] == "Họ và tên"
    understood = understand(document, f"Danh sách.{kind}")
    assert understood.kind == "nomination_list"
    assert understood.nominees == understand(twin, "Danh sách.xlsx").nominees
    assert [(n.name, n.category, n.evidence) for n in understood.nominees] == [
        ("Nguyễn Thị Hoa", "teacher", ("Giấy khen Hoa.pdf", "Sáng kiến Hoa.docx")),
        ("Tổ Toán – Tin", "collective", ("GCN tổ Toán.pdf",)),
    ]


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_sheets_coordinates_values_merges_and_hidden_sheets_like_xlsx(sheet_twins, kind):
    document = read_document(item(sheet_twins[kind]["workbook"], f"tong hop.{kind}"))
    twin = read_document(item(sheet_twins["xlsx"]["workbook"], "tong hop.xlsx"))
    assert document.tables == twin.tables
    assert [table.sheet for table in document.tables] == ["Danh sách", "Ghi chú", "Ẩn"]
    assert "hidden sheets" in document.notes
    listing, note, _ = document.tables
    assert listing.rows[0][:3] == ("DANH SÁCH ĐỀ NGHỊ",) * 3
    assert listing.rows[2] == ("1", "Nguyễn Văn An", "14/03/1985", "9.5", "Giáo viên", "", "")
    assert listing.rows[3][4] == "Giáo viên"  # E3:E4 merged
    assert listing.rows[4][6] == "G6"
    assert note.rows == (("", "Ô B1"),)


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_password_protected_workbooks_are_encrypted(sheet_twins, kind):
    data = password_protected(sheet_twins["xlsx"]["nominations"], "xlsx", kind)
    assert sniff(data) == kind
    with pytest.raises(UnreadableDocument) as caught:
        read_document(item(data, f"Danh sách.{kind}"))
    assert caught.value.reason == "encrypted"


def test_a_damaged_xls_is_corrupt(sheet_twins):
    data = damaged_stream(sheet_twins["xls"]["nominations"], "Workbook")
    with pytest.raises(UnreadableDocument) as caught:
        read_document(item(data, "Danh sách.xls"))
    assert caught.value.reason == "corrupt"


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_a_merge_reaching_far_below_the_written_cells_is_clipped_to_them(kind):
    # The empty rows after it are one row repeated a million times in an .ods: counted, never expanded.
    workbook = make_xlsx({"S": [["Cả cột", None], [None, "B2"]]}, {"S": ["A1:A2000"]})
    data = libreoffice_twins({"column": workbook}, "xlsx", kind)["column"]
    document = read_document(item(data, f"cot.{kind}"))
    assert document.tables[0].rows == (("Cả cột", ""), ("Cả cột", "B2"))
