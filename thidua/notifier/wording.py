"""How a problem reads in a reply: where it is, in the school's own words, and what to do.

A clerk fixes a file faster when the reply names the field the way her file names it
("Mục «Mục tiêu của giải pháp»" rather than an internal key) and says whose row it is.
"""
from __future__ import annotations

from dataclasses import dataclass

from thidua.notifier.headers import one_line, shorten
from thidua.notifier.views import ReplyProblem, ReplyView
from thidua.wording.vocabulary import field_label_vi, is_nominee_field, problem_vi, split_field
from thidua.text import strip_numbering

LABEL_CHARS = 90

# What is wrong, with {where} the field ("Mục «…»", "Cột «… » của …") when one is known.
_WITH_PLACE = {
    "missing_field": "{where} còn để trống hoặc chưa điền nội dung.",
    "missing_evidence": "{where}: chưa có minh chứng, hoặc tệp minh chứng ghi trong danh sách chưa được gửi kèm thư.",
    "not_quantified": "{where}: thành tích chưa nêu số liệu cụ thể (chưa lượng hóa).",
    "bad_rank": "{where}: số thứ tự ưu tiên bị thiếu, bị trùng hoặc không liên tục.",
    "unknown_category": "{where}: chưa xác định được đối tượng.",
}
_WITHOUT_PLACE = {
    "missing_field": "Hồ sơ còn thiếu nội dung bắt buộc.",
    "missing_evidence": "Có tập thể/cá nhân chưa có minh chứng, hoặc tệp minh chứng chưa được gửi kèm thư.",
    "not_quantified": "Có thành tích chưa nêu số liệu cụ thể (chưa lượng hóa).",
    "bad_rank": "Số thứ tự ưu tiên trong danh sách bị thiếu, bị trùng hoặc không liên tục.",
    "unknown_category": "Có tập thể/cá nhân chưa xác định được đối tượng.",
    "quota_exceeded": "Số tập thể, cá nhân được đề nghị vượt quá số lượng cho phép của đợt.",
    "late": "Hồ sơ được gửi sau hạn của đợt.",
    "no_attachment": "Thư không kèm tệp hồ sơ nào.",
    "unreadable_attachment": "Có tệp không đọc được.",
    "unsupported_format": "Có tệp ở định dạng hệ thống chưa đọc được.",
    "attachment_too_large": "Có tệp quá lớn hoặc quá phức tạp, hệ thống không đọc được.",
    "unknown_sender": "Địa chỉ thư gửi hồ sơ chưa được đăng ký.",
    "spoofed_sender": "Thư không vượt qua kiểm tra xác thực người gửi.",
}
_ABOUT_FILE = {
    "unreadable_attachment": "Tệp «{file}» không đọc được.",
    "unsupported_format": "Tệp «{file}» có định dạng hệ thống chưa đọc được.",
    "attachment_too_large": "Tệp «{file}» quá lớn hoặc quá phức tạp, hệ thống không đọc được.",
}
# A scan is not unreadable (OCR may have read it): what it lacks is the editable file.
_SCAN_WITHOUT_EDITABLE = "Tệp «{file}» là bản chụp/bản quét; thư chưa có tệp Word hoặc Excel của văn bản này."
_SCANS_WITHOUT_EDITABLE = "Thư chỉ có bản chụp/bản quét, chưa có tệp Word hoặc Excel của hồ sơ."
# Said when the check gave no message of its own: how to fix it.
DEFAULT_ADVICE = {
    "missing_field": "Đề nghị điền đầy đủ nội dung mục này rồi gửi lại tệp.",
    "missing_evidence": "Đề nghị ghi tên tệp minh chứng vào cột minh chứng và gửi kèm đủ các tệp đó.",
    "not_quantified": "Nên nêu thành tích bằng số liệu cụ thể: số lượng, tỉ lệ %, giải thưởng đạt được…",
    "bad_rank": "Đề nghị đánh số thứ tự ưu tiên liên tục 1, 2, 3…, không trùng, không bỏ trống.",
    "unknown_category": "Đề nghị ghi rõ đối tượng: tập thể, cán bộ quản lý, giáo viên, nhân viên hoặc học sinh.",
    "quota_exceeded": "Đề nghị chọn lại theo thứ tự ưu tiên, chỉ giữ số lượng được phép.",
    "late": "Hồ sơ vẫn được ghi nhận; việc xét hồ sơ gửi sau hạn do cơ quan quyết định.",
    "no_attachment": "Đề nghị gửi lại thư có đính kèm các tệp hồ sơ (Word, Excel hoặc PDF).",
    "unreadable_attachment": "Đề nghị kiểm tra lại tệp, bỏ mật khẩu (nếu có) và gửi bản Word hoặc Excel.",
    "unsupported_format": "Đề nghị gửi tệp dạng Word (.docx), Excel (.xlsx, .xls) hoặc PDF.",
    "attachment_too_large": "Đề nghị giảm dung lượng tệp (nén, chụp lại với độ phân giải thấp hơn) rồi gửi lại.",
    "unknown_sender": "Đề nghị liên hệ cơ quan để được hướng dẫn.",
    "spoofed_sender": "Đề nghị liên hệ cơ quan để được hướng dẫn.",
}


@dataclass(frozen=True)
class ProblemText:
    code: str
    severity: str
    heading: str  # what is wrong and where, in the school's words
    advice: str  # what to do (the check's own message when it gave one)


def school_label(label: str) -> str:
    """The school's label without its numbering and trailing colon or dots:
    "7. Mục tiêu giải pháp đổi mới:" → "Mục tiêu giải pháp đổi mới"."""
    text = strip_numbering(one_line(label)).strip(" :;,.…-–—")
    return shorten(text, LABEL_CHARS)


def _place(problem: ReplyProblem, view: ReplyView) -> str:
    label = school_label(problem.label) or field_label_vi(problem.field)
    if not label:
        return ""
    group, index, _ = split_field(problem.field)
    if is_nominee_field(problem.field):
        place = f"Cột «{label}»"
        nominee = next((n for n in view.nominees if index is not None and n.rank == index), None)
        if nominee is not None and one_line(nominee.name):
            place += f" của {one_line(nominee.name)} (STT {index})"
        elif index is not None:
            place += f" ở dòng STT {index}"
        return place
    place = f"Mục «{label}»"
    # registrations[n] counts from 1 (the checks number them as a clerk would).
    if group == "registrations" and index is not None and 1 <= index <= len(view.registrations):
        name = one_line(view.registrations[index - 1])
        if name and len(view.registrations) > 1:
            place += f" trong phiếu đăng ký của {name}"
    return place


def _file(problem: ReplyProblem, view: ReplyView) -> str:
    """The file a file-level problem is about, when its field names one we received."""
    names = {one_line(d.name) for d in view.documents}
    candidate = one_line(problem.field)
    return candidate if candidate in names else ""


def _about_scans(problem: ReplyProblem, view: ReplyView) -> bool:
    """The problem is the one about scans sent without their editable file (its field is the
    scan, or "attachments" when there are several)."""
    file = _file(problem, view)
    if file:
        return any(d.scan and one_line(d.name) == file for d in view.documents)
    return problem.field == "attachments" and any(d.scan for d in view.documents)


def describe(problem: ReplyProblem, view: ReplyView) -> ProblemText:
    heading = ""
    place = _place(problem, view) if problem.code in _WITH_PLACE else ""
    if place:
        heading = _WITH_PLACE[problem.code].format(where=place)
    elif problem.code == "unreadable_attachment" and _about_scans(problem, view):
        file = _file(problem, view)
        heading = _SCAN_WITHOUT_EDITABLE.format(file=file) if file else _SCANS_WITHOUT_EDITABLE
    elif problem.code in _ABOUT_FILE and _file(problem, view):
        heading = _ABOUT_FILE[problem.code].format(file=_file(problem, view))
    else:
        heading = _WITHOUT_PLACE.get(problem.code, problem_vi(problem.code) + ".")
    advice = (problem.message or "").strip() or DEFAULT_ADVICE.get(problem.code, "")
    return ProblemText(problem.code, problem.severity, heading, advice)


def describe_all(view: ReplyView) -> tuple[tuple[ProblemText, ...], tuple[ProblemText, ...]]:
    """(errors to fix, warnings to note), each in the order the checks found them."""
    texts = [describe(p, view) for p in view.problems]
    errors = tuple(t for t in texts if t.severity == "error")
    warnings = tuple(t for t in texts if t.severity != "error")
    return errors, warnings


# A macro-enabled file is read like any other; the school is told that its macros were left alone.
MACRO_NOTE = ("Tệp «{file}» có chứa macro. Vì lý do an toàn, hệ thống đã đọc nội dung tệp nhưng không mở "
              "và không chạy macro trong tệp.")
MACRO_ADVICE = ("Thầy/cô không cần gửi lại vì điều này. Lần sau, thầy/cô vui lòng lưu tệp dưới dạng Word (.docx) "
                "hoặc Excel (.xlsx) thông thường (chọn Tệp > Lưu thành, kiểu «Word Document» hoặc «Excel Workbook») "
                "rồi gửi.")


def document_notes(view: ReplyView) -> tuple[ProblemText, ...]:
    """Notes about files that are not problems of the submission (no SPEC code): shown with the warnings."""
    return tuple(ProblemText("macros", "warning", MACRO_NOTE.format(file=one_line(d.name)), MACRO_ADVICE)
                 for d in view.documents if d.macros)
