"""The Vietnamese sentences a reply says about each problem and about the files sent: what is
wrong (with the place, when one is known), and what to do when the check gave no advice of its
own. ``notifier.problem_text`` fills them in."""

# What is wrong, with {where} the field ("Mục «…»", "Cột «… » của …") when one is known.
PROBLEM_WITH_PLACE = {
    "missing_field": "{where} còn để trống hoặc chưa điền nội dung.",
    "missing_evidence": "{where}: chưa có minh chứng, hoặc tệp minh chứng ghi trong danh sách chưa được gửi kèm thư.",
    "not_quantified": "{where}: thành tích chưa nêu số liệu cụ thể (chưa lượng hóa).",
    "bad_rank": "{where}: số thứ tự ưu tiên bị thiếu, bị trùng hoặc không liên tục.",
    "unknown_category": "{where}: chưa xác định được đối tượng.",
}
PROBLEM_WITHOUT_PLACE = {
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
PROBLEM_ABOUT_FILE = {
    "unreadable_attachment": "Tệp «{file}» không đọc được.",
    "unsupported_format": "Tệp «{file}» có định dạng hệ thống chưa đọc được.",
    "attachment_too_large": "Tệp «{file}» quá lớn hoặc quá phức tạp, hệ thống không đọc được.",
}
# Files came but none was recognised (field "documents"): the advice says what each one looked like.
NOTHING_RECOGNISED = "Chưa nhận ra hồ sơ trong các tệp gửi kèm."
# A scan is not unreadable (OCR may have read it): what it lacks is the editable file.
SCAN_WITHOUT_EDITABLE = "Tệp «{file}» là bản chụp/bản quét; thư chưa có tệp Word hoặc Excel của văn bản này."
SCANS_WITHOUT_EDITABLE = "Thư chỉ có bản chụp/bản quét, chưa có tệp Word hoặc Excel của hồ sơ."
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

# A macro-enabled file is read like any other; the school is told that its macros were left alone.
MACRO_NOTE = (
    "Tệp «{file}» có chứa macro. Vì lý do an toàn, hệ thống đã đọc nội dung tệp nhưng không mở "
    "và không chạy macro trong tệp."
)
MACRO_ADVICE = (
    "Thầy/cô không cần gửi lại vì điều này. Lần sau, thầy/cô vui lòng lưu tệp dưới dạng Word (.docx) "
    "hoặc Excel (.xlsx) thông thường (chọn Tệp > Lưu thành, kiểu «Word Document» hoặc «Excel Workbook») "
    "rồi gửi."
)
