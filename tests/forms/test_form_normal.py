"""The fast normalisers give exactly what thidua.text gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua import text
from thidua.parsers.forms import normal

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
ODD = " \n\t\r\u00a0\u200b\u00ad\u2028\u2003\ue000\u0301\u0323\u20d7ﬁ²ßÆİ.,;:…–—-()“”/&%·_0123456789"
characters = st.text(alphabet=VIETNAMESE + ODD, max_size=40) | st.text(max_size=20)


@settings(max_examples=3000, deadline=None)
@given(characters)
def test_same_as_thidua_text(sample):
    for form in (sample, unicodedata.normalize("NFD", sample), text.clean(sample)):
        assert normal.clean.__wrapped__(form) == text.clean(form)
        assert normal.fold.__wrapped__(form) == text.fold(form)


def test_examples():
    assert normal.clean(" Họ  và\u00a0tên:\t\n\n Nguyễn ") == "Họ và tên:\nNguyễn"
    assert normal.fold(unicodedata.normalize("NFD", "ĐĂNG KÝ Đổi mới")) == "dang ky doi moi"
    assert normal.clean(None) == "" and normal.fold("") == ""
