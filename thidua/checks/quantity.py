"""Is an achievement summary quantified?

Seed 02 asks that results be "lượng hóa cụ thể" and seed 01 that they be "lượng hóa bằng
các số liệu": a summary should hold at least one figure.  What counts as a figure:

* a number written in digits ("2 sáng kiến", "đạt 95%", "Top 10"), except digits that only
  date or place the achievement: years and school years ("năm học 2017-2018", "năm 2018"),
  dates ("15/3/2018", "ngày 5 tháng 3"), class and grade names ("lớp 9A2", "khối 6");
* a percentage ("%", "phần trăm");
* a count in words: a Vietnamese number word followed by what is counted
  ("hai sáng kiến", "ba học sinh", "mười hai giờ dạy", "hai mươi lăm lượt");
* a prize or ranking position: "giải Nhất/Nhì/Ba/Tư/Khuyến khích/Đặc biệt" (also "giải I, II, III",
  "giải A/B/C"), "hạng Nhất/Nhì/Ba", "xếp thứ nhất/nhì/ba…", "thủ khoa", "huy chương
  vàng/bạc/đồng" (HCV/HCB/HCĐ), a letter grade ("xếp loại A", "loại B").

Not a figure: verbal ratings ("đạt loại Xuất sắc", "xếp loại Tốt", "hoàn thành xuất sắc nhiệm
vụ", "giáo viên dạy giỏi cấp huyện").  Every nominee on the list is "xuất sắc" by
definition; those words restate praise, not a measured result.  Vague amounts ("nhiều",
"hàng chục", "một số") are not figures either.

Matching ignores case and Unicode form.  Text typed with diacritics is read as written,
so "tâm" (heart) is never "tám" (eight).  Text typed without any diacritics is folded and
read with care: the words that are also common non-numbers once accents are gone
("sau" sau/sáu, "tam" tâm/tám, "tu" tự/tư, "nam" năm/nam) count only before a person or
a product ("sau hoc sinh", "nam sang kien"), not before a unit of time or a lesson
("sau buoi hoc" is "after the lesson").
"""

from __future__ import annotations

import re
import unicodedata

from thidua.text import clean, is_placeholder

# --- digits that are not figures ---------------------------------------------------------

_DASH = r"[-/–—]"
_NOT_FIGURES = [
    # dates: 15/3/2018, 15-03-2018, 15.3.2018, ngày 15/3, ngày 5 tháng 3, tháng 3/2018
    r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b",
    r"\b(?:ngay|thang)\s+\d{1,2}(?:\s*[/.\-]\s*\d{1,4}){0,2}\b",
    # school years and year ranges: 2017-2018, 2017 – 2018, 2017/18
    rf"\b(?:19|20)\d{{2}}\s*{_DASH}\s*(?:19|20)?\d{{2}}\b",
    # a year named as such: năm 2018, năm học 2017-2018, niên khóa 2015-2019, khóa 2015
    rf"\b(?:nam(?:\s+hoc)?|nien\s+khoa|khoa)\s+(?:19|20)\d{{2}}(?:\s*{_DASH}\s*(?:19|20)?\d{{2}})?\b",
    # class, grade and group names: lớp 9A2, lớp 5/3, khối 6, tổ 1
    r"\blop\s+\d{1,2}(?:\s*[a-z]\s*\d{0,2}|\s*/\s*\d{1,2})?\b",
    r"\b(?:khoi|to)\s+\d{1,2}\b",
]
_NOT_FIGURES_RE = re.compile("|".join(_NOT_FIGURES))

# --- prize and ranking positions (matched on folded text) ----------------------------------

_RANKS_RE = re.compile(
    r"\bgiai\s+(?:nhat|nhi|ba|tu|khuyen\s+khich|dac\s+biet|iii|ii|iv|i|a|b|c)\b"
    r"|\bhang\s+(?:nhat|nhi|ba|tu|iii|ii|iv|i)\b"
    r"|\bxep\s+(?:hang\s+|vi\s+tri\s+)?thu\s+(?:nhat|nhi|hai|ba|tu|nam)\b"
    r"|\bthu\s+khoa\b"
    r"|\bhuy\s+chuong\s+(?:vang|bac|dong)\b"
    r"|\bhc(?:v|b|d)\b"
    r"|\b(?:xep\s+)?loai\s+[abc]\b"
    r"|\bphan\s+tram\b"
)

# --- counts in words ------------------------------------------------------------------------

# What a count counts.  STRONG: people and products (unambiguous after any number word);
# UNITS: times, occasions, lessons (only after unambiguous number words in folded text).
_PERSON_NOUNS = [
    "học sinh",
    "hs",
    "em",
    "giáo viên",
    "gv",
    "cán bộ",
    "nhân viên",
    "người",
    "cá nhân",
    "tập thể",
    "đồng chí",
    "thầy",
    "cô",
    "tấm gương",
    "gương",
]
_STRONG_NOUNS = _PERSON_NOUNS + [
    "lớp",
    "tổ",
    "trường",
    "đơn vị",
    "đội",
    "nhóm",
    "sáng kiến",
    "đề tài",
    "giải pháp",
    "giải",
    "huy chương",
    "bằng khen",
    "giấy khen",
    "cờ thi đua",
    "bài",
    "bài báo",
    "bài viết",
    "bài giảng",
    "chuyên đề",
    "sản phẩm",
    "công trình",
    "mô hình",
    "phần mềm",
    "video",
    "clip",
    "đồ dùng",
    "thiết bị",
    "sách",
    "cuốn",
    "quyển",
    "câu lạc bộ",
    "clb",
    "dự án",
    "học liệu",
    "kế hoạch",
    "giáo án",
    "hội thảo",
    "chỉ tiêu",
]
_UNIT_NOUNS = [
    "năm",
    "tháng",
    "tuần",
    "ngày",
    "giờ",
    "tiết",
    "buổi",
    "lần",
    "lượt",
    "đợt",
    "kỳ",
    "hội thi",
    "cuộc thi",
    "kỳ thi",
    "hoạt động",
    "phong trào",
    "triệu",
    "nghìn",
    "ngàn",
    "trăm",
    "chục",
    "đồng",
]
# Number words with diacritics; "mốt", "lăm", "nhăm", "tư", "linh", "lẻ" only inside a number.
# "hàng chục", "hàng trăm" are vague: multipliers count only after a number.
_NUMBER_WORDS = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín", "mười"]
_INNER_NUMBER_WORDS = [
    "mốt",
    "lăm",
    "nhăm",
    "tư",
    "linh",
    "lẻ",
    "mươi",
    "trăm",
    "nghìn",
    "ngàn",
    "vạn",
    "triệu",
    "chục",
]
# After folding: words that are also everyday non-numbers need a strong noun after them.
_FOLDED_CLEAR = ["mot", "hai", "ba", "bon", "bay", "chin", "muoi"]
_FOLDED_AMBIGUOUS = ["sau", "tam", "tu", "nam"]
_FOLDED_INNER = [
    "mot",
    "lam",
    "nham",
    "tu",
    "linh",
    "le",
    "sau",
    "tam",
    "nam",
    "muoi",
    "tram",
    "nghin",
    "ngan",
    "trieu",
    "chuc",
]


def _alternatives(words: list[str]) -> str:
    words = sorted({unicodedata.normalize("NFC", w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


def _fold_keep_punctuation(text: str) -> str:
    """Lower case, no diacritics (đ→d), punctuation kept so that sentences stay apart."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").replace("đ", "d")


# A lone "một" before a person is the article "a" ("là một giáo viên tận tụy"), not a count.
_FOLDED_PERSONS = frozenset(_fold_keep_punctuation(w) for w in _PERSON_NOUNS)


def _fold_nouns(words: list[str]) -> list[str]:
    return [_fold_keep_punctuation(w) for w in words]


def _count_re(leading: list[str], inner: list[str], nouns: list[str]) -> re.Pattern[str]:
    number = rf"(?:{_alternatives(leading)})(?:\s+(?:{_alternatives(leading + inner)}))*"
    return re.compile(rf"(?<!\w)({number})\s+({_alternatives(nouns)})(?!\w)")


_ACCENTED_COUNT = _count_re(_NUMBER_WORDS, _INNER_NUMBER_WORDS, _STRONG_NOUNS + _UNIT_NOUNS)
_FOLDED_CLEAR_COUNT = _count_re(_FOLDED_CLEAR, _FOLDED_INNER, _fold_nouns(_STRONG_NOUNS + _UNIT_NOUNS))
_FOLDED_AMBIGUOUS_COUNT = _count_re(_FOLDED_AMBIGUOUS, _FOLDED_INNER, _fold_nouns(_STRONG_NOUNS))


def _has_diacritics(text: str) -> bool:
    return any(ch in "đĐ" or unicodedata.normalize("NFD", ch) != ch for ch in text)


def _digit_figure(folded: str) -> bool:
    return any(ch.isdigit() for ch in _NOT_FIGURES_RE.sub(" ", folded))


def _word_count(lowered: str, folded: str, accented: bool) -> bool:
    patterns = (_ACCENTED_COUNT,) if accented else (_FOLDED_CLEAR_COUNT, _FOLDED_AMBIGUOUS_COUNT)
    text = lowered if accented else folded
    for pattern in patterns:
        for match in pattern.finditer(text):
            number = _fold_keep_punctuation(match.group(1))
            noun = re.sub(r"\s+", " ", _fold_keep_punctuation(match.group(2)))
            if number == "mot" and noun in _FOLDED_PERSONS:
                continue
            return True
    return False


def is_quantified(text: str) -> bool:
    """True when ``text`` (an achievement summary) holds at least one figure: a number, a
    percentage, a count in words or a prize/ranking position (see the module docstring)."""
    text = clean(text)
    if is_placeholder(text):
        return False
    lowered = text.lower()
    folded = _fold_keep_punctuation(lowered)
    if "%" in folded or _digit_figure(folded):
        return True
    if _RANKS_RE.search(folded):
        return True
    return _word_count(lowered, folded, _has_diacritics(text))
