"""The Vietnamese texts the checks send to schools.

Written for the school clerk who will read the reply: polite, plain, one problem per
message, saying what is wrong, where (in the words the school itself used), and how to fix
it.  Nothing here may carry staff-only detail: no technical error, no other school's data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from thidua.parsers.convert import CONVERTED_FORMATS
from thidua.parsers.forms.definitions import NOMINEE_DISPLAY_LABELS, REGISTRATION_DISPLAY_LABELS
from thidua.text import clean, strip_numbering

# The official wording of each field, used when the school's own label is unknown.
REGISTRATION_LABELS = REGISTRATION_DISPLAY_LABELS
NOMINEE_LABELS = NOMINEE_DISPLAY_LABELS

# What the office expects, per document kind, in the words of the guidance (seeds 01-03).
DOCUMENT_WORDS = {
    "registration": "phiếu đăng ký thực hiện nhiệm vụ đổi mới, sáng tạo trong dạy và học (Mẫu gợi ý số 1)",
    "nomination_list": "danh sách đề nghị khen thưởng tập thể, cá nhân tiêu biểu, xuất sắc (Mẫu 2)",
    "report": "báo cáo kết quả thực hiện phong trào thi đua",
}
ALL_DOCUMENTS = ("registration", "nomination_list", "report")

CATEGORY_WORDS = "tập thể, cán bộ quản lý, giáo viên, nhân viên, học sinh"

FORMAT_WORDS = {
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pdf": "PDF (.pdf)",
    "doc": "Word 97-2003 (.doc)",
    "xls": "Excel 97-2003 (.xls)",
    "odt": "OpenDocument văn bản (.odt)",
    "ods": "OpenDocument bảng tính (.ods)",
    "rtf": "RTF (.rtf)",
    "txt": "văn bản thuần (.txt)",
    "jpeg": "ảnh JPG",
    "png": "ảnh PNG",
}
# What a school can do with a file the service cannot read, by the type found in its bytes.
CONVERT_HINTS = {
    "doc": "mở tệp bằng Microsoft Word (bản 2007 trở lên), chọn Tệp (File) > Lưu thành (Save As), "
    "chọn kiểu tệp “Word Document (*.docx)”, lưu thành tệp .docx",
    "xls": "mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu “Excel Workbook (.xlsx)”",
    "odt": "mở tệp bằng LibreOffice Writer hoặc Microsoft Word, chọn Tệp (File) > Lưu thành (Save As), "
    "chọn kiểu tệp Word (.docx), lưu thành tệp .docx",
    "ods": "lưu tệp thành kiểu Excel (.xlsx)",
    "rtf": "mở tệp bằng Microsoft Word, chọn Tệp (File) > Lưu thành (Save As), "
    "chọn kiểu tệp “Word Document (*.docx)”, lưu thành tệp .docx",
    "rar": "giải nén tệp, nén lại thành tệp .zip (hoặc đính kèm trực tiếp các tệp)",
    "7z": "giải nén tệp, nén lại thành tệp .zip (hoặc đính kèm trực tiếp các tệp)",
    "gzip": "giải nén tệp, nén lại thành tệp .zip (hoặc đính kèm trực tiếp các tệp)",
    "tar": "giải nén tệp, nén lại thành tệp .zip (hoặc đính kèm trực tiếp các tệp)",
}
KIND_NAMES = {
    "rar": "tệp nén RAR",
    "7z": "tệp nén 7z",
    "gzip": "tệp nén gzip",
    "tar": "tệp nén tar",
    "doc": "Word 97-2003 (.doc)",
    "xls": "Excel 97-2003 (.xls)",
    "odt": "OpenDocument văn bản (.odt)",
    "rtf": "RTF (.rtf)",
}
# Readable formats of one family are named together: "Word (.docx, .doc)".
FORMAT_FAMILIES = {
    "docx": "Word",
    "doc": "Word",
    "xlsx": "Excel",
    "xls": "Excel",
    "odt": "OpenDocument",
    "ods": "OpenDocument",
    "rtf": "RTF",
    "pdf": "PDF",
}

FIELD_HINTS = {
    "school": "tên cơ sở giáo dục (tên trường) ở đầu phiếu",
    "school_year": "năm học thực hiện (ví dụ: Năm học 2024 – 2025)",
    "trial_period": "thời gian thử nghiệm (ví dụ: từ tháng 9/2024 đến tháng 12/2024)",
}
NOMINEE_HINTS = {
    "name": "họ và tên (hoặc tên tập thể)",
    "category": f"đối tượng ({CATEGORY_WORDS})",
    "position": "chức vụ hoặc nhiệm vụ được giao",
    "achievements": "tóm tắt thành tích nổi bật, có số liệu cụ thể (số sáng kiến, số học sinh đạt giải, tỷ lệ %…)",
}

ATTACH_HOW = "đính kèm trực tiếp vào thư hoặc nén chung trong một tệp .zip"


# --- small helpers ----------------------------------------------------------------------------


def q(text: str) -> str:
    """Quote a label, a file name or a value the school wrote."""
    return f"“{text}”"


def label_text(label: str | None, fallback: str) -> str:
    """The school's label as it should be quoted: without numbering, trailing colon or dots."""
    text = clean(label or "")
    text = strip_numbering(text)
    text = text.rstrip(" :.…").strip()
    return text or fallback


def join_words(items: Sequence[str], last: str = "và") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def quoted_list(items: Iterable[str], limit: int = 6) -> str:
    items = list(items)
    shown = [q(i) for i in items[:limit]]
    if len(items) > limit:
        shown.append(f"và {len(items) - limit} tệp khác")
        return ", ".join(shown)
    return join_words(shown)


def expected_documents(kinds: Sequence[str] | None) -> str:
    """The documents a round asks for, in words; every main document when no round is known."""
    wanted = [k for k in (kinds or ()) if k in DOCUMENT_WORDS]
    if not wanted:
        return join_words([DOCUMENT_WORDS[k] for k in ALL_DOCUMENTS], last="hoặc")
    return join_words([DOCUMENT_WORDS[k] for k in wanted])


def readable_formats(formats: Sequence[str]) -> str:
    extensions: dict[str, list[str]] = {}
    for f in formats:
        if f in FORMAT_FAMILIES:
            extensions.setdefault(FORMAT_FAMILIES[f], []).append(f".{f}")
    words = []
    for f in formats:
        family = FORMAT_FAMILIES.get(f)
        if family is None and f != "zip":
            words.append(FORMAT_WORDS.get(f, f".{f}"))
        elif family in extensions:
            words.append(f"{family} ({', '.join(extensions.pop(family))})")
    if "zip" not in formats:
        return join_words(words, last="hoặc")
    if not words:
        return "tệp nén .zip"
    return f"{', '.join(words)}, hoặc các tệp đó nén trong một tệp .zip"


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    text = f"{value:.1f}".replace(".", ",")
    if text.endswith(",0"):
        text = text[:-2]
    return f"{text} MB"


def when(moment: datetime) -> str:
    """Vietnamese date and time: 15/03/2018 23:59."""
    return moment.strftime("%d/%m/%Y %H:%M")


# --- registrations and nominees -------------------------------------------------------------


def registration_subject(full_name: str, filename: str, index_in_file: int, count_in_file: int) -> str:
    if full_name:
        return f"Phiếu đăng ký của {full_name} (tệp {q(filename)})"
    if count_in_file > 1:
        return f"Phiếu đăng ký thứ {index_in_file} trong tệp {q(filename)}"
    return f"Phiếu đăng ký trong tệp {q(filename)}"


def missing_registration_field(subject: str, key: str, label: str) -> str:
    hint = FIELD_HINTS.get(key)
    what = f"điền {hint}" if hint else "điền nội dung cho mục này"
    return f"{subject} còn trống mục {q(label)}. Thầy/cô vui lòng {what} rồi gửi lại tệp."


def empty_registration(filename: str) -> str:
    return (
        f"Tệp {q(filename)} là phiếu đăng ký nhưng chưa điền nội dung nào. Thầy/cô vui lòng điền đầy đủ "
        "các mục của phiếu (họ tên người đăng ký, nhiệm vụ được giao, lĩnh vực đổi mới…) rồi gửi lại tệp."
    )


def empty_nomination_list(filename: str) -> str:
    return (
        f"Danh sách {q(filename)} chưa có tập thể, cá nhân nào. Thầy/cô vui lòng ghi các tập thể, cá nhân "
        "đề nghị khen thưởng vào bảng (mỗi dòng một tập thể/cá nhân, theo thứ tự ưu tiên) rồi gửi lại danh sách."
    )


def nominee_subject(
    filename: str, rank: int | None, row: int, name: str, unit: str = "", section: str = ""
) -> str:
    """Which nominee: the unit (a consolidated list) and section (when ranks restart in each) say
    where the rank is, since "STT 1" is then in several places."""
    place = f"STT {rank}" if rank is not None else f"dòng {row}"
    within = "".join(f", {what} {q(text)}" for what, text in (("đơn vị", unit), ("phần", section)) if text)
    who = f" – {name}" if name else ""
    return f"Danh sách {q(filename)}{within}, {place}{who}"


def missing_nominee_field(subject: str, key: str, label: str) -> str:
    hint = NOMINEE_HINTS.get(key, "nội dung")
    return f"{subject}: cột {q(label)} còn trống. Thầy/cô vui lòng ghi {hint} rồi gửi lại danh sách."


def unknown_category(subject: str, label: str, written: str) -> str:
    return (
        f"{subject}: cột {q(label)} ghi {q(written)}, chưa đúng với các đối tượng được đề nghị khen thưởng. "
        f"Thầy/cô vui lòng ghi một trong các đối tượng: {CATEGORY_WORDS}, rồi gửi lại danh sách."
    )


def not_quantified(subject: str, label: str) -> str:
    return (
        f"{subject}: phần {q(label)} chưa có số liệu cụ thể. Theo hướng dẫn, thành tích cần được "
        "lượng hóa cụ thể, ví dụ: số sáng kiến được công nhận, số học sinh đạt giải (giải Nhất, Nhì, Ba…), "
        "tỷ lệ % học sinh tiến bộ. Thầy/cô nên bổ sung số liệu; hồ sơ vẫn được tiếp nhận."
    )


def no_evidence_listed(subject: str, label: str) -> str:
    return (
        f"{subject}: cột {q(label)} chưa ghi minh chứng nào. Thầy/cô vui lòng ghi tên các tệp minh chứng "
        f"(giấy khen, quyết định, giấy chứng nhận, sản phẩm…) vào cột này và {ATTACH_HOW}."
    )


def evidence_not_named(subject: str, label: str, written: Sequence[str]) -> str:
    return (
        f"{subject}: cột {q(label)} ghi {quoted_list(written)} nhưng chưa nêu tên tệp minh chứng cụ thể. "
        f"Thầy/cô vui lòng ghi tên từng tệp minh chứng vào cột này và {ATTACH_HOW}."
    )


def evidence_not_attached(subject: str, label: str, missing: Sequence[str], links: Sequence[str]) -> str:
    parts = []
    if missing:
        what = "tệp minh chứng" if len(missing) == 1 else "các tệp minh chứng"
        parts.append(
            f"{subject}: chưa nhận được {what} {quoted_list(missing)} ghi ở cột {q(label)}. "
            f"Thầy/cô vui lòng {ATTACH_HOW}; nếu đã gửi, xin kiểm tra tên tệp khớp với tên ghi trong danh sách."
        )
    if links:
        if missing:
            parts.append(
                f"Minh chứng ghi dạng đường liên kết ({', '.join(links)}) cũng cần được tải về và gửi kèm "
                "như vậy."
            )
        else:
            parts.append(
                f"{subject}: minh chứng ghi dạng đường liên kết ({', '.join(links)}) cần được tải về và "
                f"{ATTACH_HOW}."
            )
    return " ".join(parts)


def bad_rank(filename: str, label: str, details: Sequence[str]) -> str:
    return (
        f"Cột {q(label)} trong danh sách {q(filename)} chưa đúng: {'; '.join(details)}. "
        "Danh sách cần đánh số thứ tự 1, 2, 3… liên tục, không trùng, theo thứ tự ưu tiên đề nghị "
        "(tập thể, cá nhân được ưu tiên nhất ghi số 1). Thầy/cô vui lòng sửa lại cột này rồi gửi lại danh sách."
    )


def bad_rank_by_section(filename: str, label: str, details: Sequence[str]) -> str:
    return (
        f"Cột {q(label)} trong danh sách {q(filename)} chưa đúng: {'; '.join(details)}. "
        "Mỗi phần của danh sách (tập thể, cá nhân, hoặc từng hình thức khen thưởng) cần đánh số thứ tự "
        "1, 2, 3… liên tục, không trùng, theo thứ tự ưu tiên đề nghị; cũng có thể đánh số liên tục cho "
        "cả danh sách. Thầy/cô vui lòng sửa lại cột này rồi gửi lại danh sách."
    )


def bad_rank_by_unit(filename: str, label: str, details: Sequence[str]) -> str:
    return (
        f"Cột {q(label)} trong danh sách {q(filename)} chưa đúng: {'; '.join(details)}. "
        "Các tập thể, cá nhân của mỗi đơn vị cần được đánh số thứ tự 1, 2, 3… liên tục, không trùng, "
        "theo thứ tự ưu tiên đề nghị của đơn vị đó; cũng có thể đánh số liên tục cho cả danh sách. "
        "Đề nghị sửa lại cột này rồi gửi lại danh sách."
    )


def rank_unit_faults(unit: str, section: str, details: Sequence[str]) -> str:
    where = f"đơn vị {q(unit)}" if unit else "các dòng không ghi đơn vị"
    if section:
        where += f", phần {q(section)}"
    return f"{where}: {', '.join(details)}"


def rank_section_faults(section: str, details: Sequence[str]) -> str:
    where = f"phần {q(section)}" if section else "phần không có tiêu đề"
    return f"{where}: {', '.join(details)}"


def rank_rows_empty(rows: Sequence[int]) -> str:
    return (
        f"{'dòng' if len(rows) == 1 else 'các dòng'} {join_words([str(r) for r in rows])} chưa ghi số thứ tự"
    )


def rank_not_number(row: int, written: str) -> str:
    return f"dòng {row} ghi {q(written)}, không phải là số"


def rank_duplicated(rank: int, rows: Sequence[int]) -> str:
    return f"số {rank} bị trùng (các dòng {join_words([str(r) for r in rows])})"


def rank_missing(ranks: Sequence[int]) -> str:
    return f"thiếu số {join_words([str(r) for r in ranks])}"


def rank_outside(ranks: Sequence[int], count: int) -> str:
    return (
        f"có số {join_words([str(r) for r in ranks])} nằm ngoài khoảng 1–{count} (danh sách có {count} dòng)"
    )


def quota_exceeded_by_units(round_label: str, limit: int, over: Sequence[tuple[str, int]]) -> str:
    """A consolidated list whose units (schools) propose more than each may."""
    units = join_words([f"{q(unit)} có {count}" for unit, count in over])
    return (
        f"Đợt {q(round_label)}, mỗi trường (đơn vị) được đề nghị tối đa {limit} tập thể, cá nhân. "
        f"Trong danh sách gửi kèm, {units}. Đề nghị giữ lại những người được ưu tiên nhất của mỗi đơn vị "
        "(theo số thứ tự) rồi gửi lại danh sách."
    )


def quota_exceeded(round_label: str, limit: int, here: int, elsewhere: int) -> str:
    total = here + elsewhere
    text = f"Đợt {q(round_label)}, mỗi trường được đề nghị tối đa {limit} tập thể, cá nhân. "
    if elsewhere:
        text += (
            f"Thư này đề nghị {here}; cùng với {elsewhere} đã gửi trong hồ sơ trước của nhà trường, "
            f"tổng cộng là {total}, vượt {total - limit}. "
        )
    else:
        text += f"Danh sách gửi kèm thư này có {here}, vượt {total - limit}. "
    allowed = limit - elsewhere
    if allowed > 0:
        text += (
            f"Thầy/cô vui lòng chỉ giữ lại {allowed} tập thể, cá nhân có thứ tự ưu tiên cao nhất "
            "rồi gửi lại danh sách."
        )
    else:
        text += (
            "Nhà trường đã gửi đủ số lượng cho đợt này. Nếu muốn thay đổi danh sách đã gửi, thầy/cô vui lòng "
            "trả lời (Reply) thư xác nhận của hồ sơ trước để gửi bản thay thế."
        )
    return text


def late(round_label: str, deadline: datetime, arrived: datetime) -> str:
    return (
        f"Hồ sơ được nhận lúc {when(arrived)}, sau hạn chót {when(deadline)} của đợt {q(round_label)}. "
        "Hồ sơ vẫn được ghi nhận và chuyển cán bộ phụ trách xem xét; thầy/cô không cần gửi lại. "
        "Ở các đợt sau, thầy/cô vui lòng gửi trước hạn."
    )


# --- attachments --------------------------------------------------------------------------


def no_attachment(expected: str) -> str:
    return (
        f"Thư chưa kèm tệp hồ sơ nào. Thầy/cô vui lòng gửi lại thư, đính kèm {expected} "
        "dạng tệp Word (.docx) hoặc Excel (.xlsx), cùng các tệp minh chứng."
    )


# What a file that was not recognised looked like (checks.recognition.looks_like).
LOOKS_LIKE = {
    "table": "một bảng không đọc được thành danh sách (các cột không khớp với mẫu)",
    "unread_nomination_list": "một danh sách không đọc được thành bảng (không nhận ra các cột của mẫu)",
    "unread_registration": "một phiếu đăng ký không đọc được các mục của mẫu",
    "text": "một văn bản không theo mẫu nào",
    "evidence": "một minh chứng (giấy khen, quyết định, sản phẩm…)",
    "photo": "một ảnh chụp",
    "scan": "một bản chụp/bản quét",
    "empty": "một tệp không có nội dung chữ",
}


def looks_titled(shape: str, title: str) -> str:
    return f"{LOOKS_LIKE[shape]}, tiêu đề {q(title)}" if title else LOOKS_LIKE[shape]


def nothing_recognised(files: Sequence[tuple[str, str]], expected: str) -> str:
    """``files``: (name, what it looked like)."""
    lines = "\n".join(f"- {q(name)}: {looks};" for name, looks in files).rstrip(";") + "."
    return (
        f"Thư có {len(files)} tệp gửi kèm nhưng hệ thống chưa nhận ra {expected} trong đó:\n{lines}\n"
        f"Thầy/cô vui lòng gửi {expected} theo đúng mẫu, dạng tệp Word (.docx) hoặc Excel (.xlsx), "
        "giữ nguyên tiêu đề và các mục, các cột của mẫu; các tệp minh chứng gửi kèm như trước."
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _file_ref(name: str) -> str:
    container, sep, member = name.partition("/")
    if sep and member:
        return f"tệp {q(member)} trong tệp nén {q(container)}"
    return f"tệp {q(name)}"


def corrupt(name: str) -> str:
    return (
        f"Không mở được {_file_ref(name)}: tệp bị lỗi hoặc chưa được lưu trọn vẹn. "
        "Thầy/cô vui lòng mở thử tệp trên máy, lưu lại rồi gửi lại tệp này."
    )


def encrypted(name: str) -> str:
    return (
        f"{_cap(_file_ref(name))} được đặt mật khẩu nên không mở được. "
        "Thầy/cô vui lòng gỡ mật khẩu (hoặc nén lại không đặt mật khẩu) rồi gửi lại."
    )


def archive_limit(name: str) -> str:
    return (
        f"Không mở hết được tệp nén {q(name.partition('/')[0])}: tệp nén chứa quá nhiều tệp, quá lớn sau khi "
        "giải nén, hoặc có tệp nén lồng bên trong. Thầy/cô vui lòng nén lại thành một tệp .zip gọn hơn, "
        "không đặt mật khẩu và không chứa tệp nén khác, hoặc đính kèm trực tiếp các tệp vào thư."
    )


def scan_without_editable(scans: Sequence[str], expected: str, read: Sequence[str] = ()) -> str:
    """``read``: what OCR recognised on the scans (``scan_reading``), when it recognised anything."""
    what = f"Tệp {q(scans[0])} là" if len(scans) == 1 else f"Các tệp {quoted_list(scans)} là"
    if read:
        return (
            f"{what} bản chụp/bản quét. Hệ thống đã đọc chữ trên bản quét và nhận ra {join_words(read)}, "
            "nhưng chữ đọc từ ảnh có thể bị sai nên không thay được tệp gốc: thư chưa có "
            f"{expected} dạng tệp chỉnh sửa được. Thầy/cô vui lòng gửi kèm tệp Word (.docx) hoặc Excel (.xlsx) "
            "của văn bản này; bản quét có chữ ký, đóng dấu gửi cùng sẽ được ghi nhận là bản ký, đóng dấu."
        )
    return (
        f"{what} bản chụp/bản quét nên không đọc được nội dung. Bản quét có đóng dấu vẫn được dùng làm "
        f"minh chứng, nhưng thư chưa có {expected} dạng tệp chỉnh sửa được. Thầy/cô vui lòng gửi kèm "
        "tệp Word (.docx) hoặc Excel (.xlsx) của văn bản này (có thể gửi kèm cả bản quét có đóng dấu)."
    )


# What OCR recognised a scan to be, in words.
SCANNED_KIND_WORDS = {
    "registration": "phiếu đăng ký thực hiện đổi mới, sáng tạo",
    "nomination_list": "danh sách đề nghị khen thưởng",
    "report": "báo cáo kết quả thực hiện phong trào thi đua",
}


def scan_reading(kind: str, people: Sequence[str], name: str = "") -> str:
    """ "phiếu đăng ký thực hiện đổi mới, sáng tạo của Nguyễn Thị Hoa (tệp “x.jpg”)"; ``name``
    only when several scans are described together."""
    text = SCANNED_KIND_WORDS.get(kind, "văn bản")
    if people:
        text += f" của {join_words(list(people))}"
    return f"{text} (tệp {q(name)})" if name else text


def unsupported(name: str, detected: str, formats: Sequence[str]) -> str:
    kind = KIND_NAMES.get(detected)
    what = f"{_file_ref(name)} ({kind})" if kind else _file_ref(name)
    hint = CONVERT_HINTS.get(detected, "lưu hoặc chuyển tệp sang một trong các định dạng trên")
    if detected in CONVERTED_FORMATS:  # refused only where LibreOffice is missing: none of them is read
        formats = [f for f in formats if f not in CONVERTED_FORMATS]
    return (
        f"Hệ thống chưa đọc được {what}. Các định dạng đọc được: {readable_formats(formats)}. "
        f"Thầy/cô vui lòng {hint} rồi gửi lại."
    )


def too_large(name: str, size: int, limit: int) -> str:
    if size <= limit:  # within the size limit: it needed more time or memory to read than allowed
        return too_complex(name, limit)
    return (
        f"{_cap(_file_ref(name))} ({megabytes(size)}) vượt quá dung lượng tối đa {megabytes(limit)} cho mỗi tệp. "
        "Thầy/cô vui lòng giảm dung lượng (quét ở độ phân giải thấp hơn, nén ảnh, lưu PDF ở chế độ nhỏ gọn) "
        "hoặc chia thành nhiều tệp gửi trong nhiều thư; nếu tệp vẫn quá lớn (ví dụ video), thầy/cô có thể "
        "gửi đường liên kết tải tệp trong thư và liên hệ cơ quan để được hướng dẫn."
    )


def too_complex(name: str, limit: int) -> str:
    return (
        f"{_cap(_file_ref(name))} quá lớn hoặc quá phức tạp (rất nhiều trang, bảng, ô hoặc hình ảnh) nên hệ thống "
        "không đọc hết được trong giới hạn cho phép. Thầy/cô vui lòng chia nội dung thành nhiều tệp nhỏ hơn, "
        "hoặc giảm dung lượng (bỏ bớt hình ảnh, trang trống, trang tính không dùng), rồi gửi lại dưới dạng "
        f"Word (.docx), Excel (.xlsx) hoặc PDF, mỗi tệp không quá {megabytes(limit)}."
    )


# --- the sender -----------------------------------------------------------------------------


def unknown_sender(sender: str) -> str:
    who = f"Địa chỉ thư {sender}" if sender else "Địa chỉ gửi thư"
    return (
        f"{who} chưa có trong danh sách địa chỉ thư của các cơ sở giáo dục đã đăng ký với cơ quan, nên hồ sơ "
        "chưa được tiếp nhận. Thầy/cô vui lòng gửi lại từ địa chỉ thư chính thức của nhà trường, "
        "hoặc liên hệ cơ quan để đăng ký địa chỉ này."
    )


def spoofed_sender(sender: str) -> str:
    who = f"từ địa chỉ {sender}" if sender else "từ địa chỉ ghi trong thư"
    return (
        f"Máy chủ thư không xác nhận được thư này thực sự được gửi {who}, nên hồ sơ không được tiếp nhận. "
        "Nếu nhà trường đã gửi thư này, thầy/cô vui lòng liên hệ cơ quan."
    )
