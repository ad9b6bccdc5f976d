"""Scans and photos: a scan alone asks for the editable file and says what OCR read; next to
the editable file it is that file's signed copy; named by a nominee it stays evidence."""

from __future__ import annotations

from dataclasses import replace

from tests.support import checks_factory as f
from thidua.checks import rules
from thidua.checks.context import DocumentFinding
from thidua.intake.signed_copies import mark_signed_copies
from thidua.parsers.forms.model import UnderstoodDocument

REGISTRATION_TITLE = "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC"
LIST_TITLE = "DANH SÁCH TẬP THỂ, CÁ NHÂN TIÊU BIỂU, XUẤT SẮC TRONG PHONG TRÀO THI ĐUA"


def run(rule, ctx):
    return list(rule(ctx))


def scan(name: str, understood: UnderstoodDocument | None = None) -> DocumentFinding:
    return DocumentFinding(
        name=name, detected="jpeg", size=900_000, kind="evidence", understood=understood, failure="scan"
    )


def read_registration(*names: str) -> UnderstoodDocument:
    """What OCR makes of a scanned registration form of ``names``."""
    return UnderstoodDocument(
        kind="registration",
        title=REGISTRATION_TITLE,
        school_year="2017-2018",
        registrations=tuple(f.registration(full_name=n) for n in names),
        ocr=True,
    )


def read_list(kind: str = "nomination_list", title: str = LIST_TITLE) -> UnderstoodDocument:
    """A scanned list: OCR keeps its title and loses its table grid, so no nominees."""
    return UnderstoodDocument(kind=kind, title=title, ocr=True)


def signed_copy_of(findings, name: str) -> str:
    return next(x for x in findings if x.name == name).signed_copy_of


class TestScanWithoutEditableFile:
    def test_a_recognised_scan_alone_asks_for_the_editable_file_and_says_what_was_read(self):
        ctx = f.context(
            scan("Đăng ký có dấu.jpg", read_registration("Nguyễn Thị Bình")),
            round=f.make_round(documents=("registration", "nomination_list")),
        )
        [problem] = run(rules.unreadable_attachment, ctx)
        assert (problem.code, problem.severity, problem.field) == (
            "unreadable_attachment",
            "error",
            "Đăng ký có dấu.jpg",
        )
        message = problem.message
        assert "đã đọc chữ trên bản quét" in message
        assert "phiếu đăng ký thực hiện đổi mới, sáng tạo của Nguyễn Thị Bình" in message
        assert ".docx" in message and ".xlsx" in message
        # asks for the editable copy of what the scan is, not for everything the round wants
        assert "Mẫu gợi ý số 1" in message and "Mẫu 2" not in message
        assert "bản ký, đóng dấu" in message  # the scan itself is welcome next to the editable file

    def test_several_scans_name_what_was_read_in_each(self):
        ctx = f.context(
            scan("IMG_1.jpg", read_list()), scan("IMG_2.jpg", UnderstoodDocument(kind="evidence", ocr=True))
        )
        [problem] = run(rules.unreadable_attachment, ctx)
        assert problem.field == "attachments"
        assert "danh sách đề nghị khen thưởng (tệp “IMG_1.jpg”)" in problem.message
        assert "“IMG_2.jpg”" in problem.message and "Mẫu 2" in problem.message

    def test_a_scan_whose_text_says_nothing_reads_as_before(self):
        certificate = UnderstoodDocument(kind="evidence", title="GIẤY KHEN", ocr=True)
        for understood in (None, certificate, replace(read_registration("A"), ocr=False)):
            [problem] = run(rules.unreadable_attachment, f.context(scan("IMG_1.jpg", understood)))
            assert "không đọc được nội dung" in problem.message and "đã đọc chữ" not in problem.message

    def test_a_signed_copy_next_to_the_editable_file_is_accepted(self):
        editable = f.registration_doc(f.registration(full_name="Nguyễn Thị Bình"))
        signed = replace(
            scan("Đăng ký có dấu.jpg", read_registration("Nguyễn Thị Bình")), signed_copy_of=editable.name
        )
        assert run(rules.unreadable_attachment, f.context(editable, signed)) == []
        assert run(rules.no_attachment, f.context(editable, signed)) == []


class TestSignedCopies:
    def test_a_scan_of_the_same_form_is_its_signed_copy(self):
        editable = f.registration_doc(f.registration(full_name="Nguyễn Thị Bình"), name="Đăng ký.docx")
        findings = mark_signed_copies(
            [editable, scan("Đăng ký có dấu.jpg", read_registration("Nguyễn Thị Bình"))]
        )
        assert signed_copy_of(findings, "Đăng ký có dấu.jpg") == "Đăng ký.docx"
        assert findings[0] == editable

    def test_names_are_compared_as_ocr_reads_them(self):
        # OCR drops a diacritic now and then: "Nguyên" for "Nguyễn"
        editable = f.registration_doc(f.registration(full_name="Nguyễn Thị Bình"))
        findings = mark_signed_copies([editable, scan("scan.jpg", read_registration("Nguyên Thị Bình"))])
        assert signed_copy_of(findings, "scan.jpg") == editable.name

    def test_another_teachers_scanned_form_is_not_this_forms_signed_copy(self):
        editable = f.registration_doc(f.registration(full_name="Nguyễn Thị Bình"))
        findings = mark_signed_copies([editable, scan("scan.jpg", read_registration("Trần Văn Đức"))])
        assert signed_copy_of(findings, "scan.jpg") == ""

    def test_the_form_sharing_the_names_is_chosen(self):
        first = f.registration_doc(f.registration(full_name="Trần Văn Đức"), name="Đăng ký Đức.docx")
        second = f.registration_doc(f.registration(full_name="Nguyễn Thị Bình"), name="Đăng ký Bình.docx")
        findings = mark_signed_copies([first, second, scan("scan.jpg", read_registration("Nguyễn Thị Bình"))])
        assert signed_copy_of(findings, "scan.jpg") == "Đăng ký Bình.docx"

    def test_a_scanned_list_is_matched_by_its_kind_or_its_title(self):
        editable = f.nomination_list(f.nominee(evidence=("Giấy khen.pdf",)))
        by_kind = scan("Danh sách có dấu.pdf", read_list())
        by_title = scan("Danh sách ký.jpg", read_list(kind="unknown", title=f"Mẫu 2: {LIST_TITLE}"))
        findings = mark_signed_copies([editable, by_kind, by_title])
        assert signed_copy_of(findings, "Danh sách có dấu.pdf") == editable.name
        assert signed_copy_of(findings, "Danh sách ký.jpg") == editable.name

    def test_a_scan_of_another_kind_is_no_signed_copy(self):
        editable = f.nomination_list(f.nominee(evidence=("Giấy khen.pdf",)))
        report = read_list(kind="report", title="BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA")
        findings = mark_signed_copies([editable, scan("Báo cáo.jpg", report)])
        assert signed_copy_of(findings, "Báo cáo.jpg") == ""

    def test_a_scan_a_nominee_names_as_evidence_stays_evidence(self):
        editable = f.nomination_list(f.nominee(evidence=("Danh sách lớp 9A có dấu.jpg",)))
        findings = mark_signed_copies([editable, scan("Danh sách lớp 9A có dấu.jpg", read_list())])
        assert signed_copy_of(findings, "Danh sách lớp 9A có dấu.jpg") == ""

    def test_a_scan_without_recognised_text_is_not_matched(self):
        editable = f.registration_doc(f.registration())
        unread = [scan("a.jpg"), scan("b.jpg", replace(read_registration("Nguyễn Thị Bình"), ocr=False))]
        assert mark_signed_copies([editable, *unread]) == [editable, *unread]

    def test_without_an_editable_file_nothing_is_a_signed_copy(self):
        alone = [
            scan("a.jpg", read_registration("Nguyễn Thị Bình")),
            f.file("Đăng ký.docx", detected="docx", kind="registration", failure="corrupt"),
        ]
        assert mark_signed_copies(alone) == alone
