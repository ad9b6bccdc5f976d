"""clean() and fold() take fast paths in C; they must give exactly what the character-by-character
definitions give, for any text a school or a stranger may send."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.text import clean, fold

VIETNAMESE = "Nguyễn Thị Hoa Trường THCS Đổi mới sáng tạo ĐẠI ỨNG\u0301\u0309\u0323"
ANY_TEXT = st.text(
    st.one_of(st.characters(), st.sampled_from(VIETNAMESE + "\n\t \u00a0\u200b\u00ad\u200e")), max_size=40
)


def clean_by_definition(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u200b", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def fold_by_definition(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d").replace("Đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").replace("đ", "d")
    return " ".join(
        "".join(ch if ch in "0123456789abcdefghijklmnopqrstuvwxyz" else " " for ch in text).split()
    )


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_clean_is_its_definition(text):
    assert clean(text) == clean_by_definition(text)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_fold_is_its_definition(text):
    assert fold(text) == fold_by_definition(text)


def test_fold_and_clean_on_the_words_schools_type():
    assert fold("  Họ và TÊN người đăng ký:") == "ho va ten nguoi dang ky"
    assert fold(unicodedata.normalize("NFD", "Đổi mới")) == "doi moi"
    assert clean("Giấy\u00a0khen\u200b  Nguyễn\tVăn A\n\n") == "Giấy khen Nguyễn Văn A"
