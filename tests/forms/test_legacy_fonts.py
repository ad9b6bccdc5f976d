"""Forms typed in the old Vietnamese fonts (TCVN3 .VnTime, VNI-Times) read like their Unicode twins.

The legacy files are the builders' Unicode files retyped the way Word and Excel
store text typed with a TCVN3 or VNI keyboard: each run or cell names the legacy
font and holds the font's 8-bit codes as Windows-1252 characters. TCVN3's
ordinary fonts have no toned capitals, so capitals are typed as small letters in
the "H" font (.VnTimeH), for whole titles or for a single letter.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest

from tests.support import builders
from tests.support.legacy_fonts import (
    TCVN3_CAPITALS_FONT,
    TCVN3_FONT,
    UNICODE_FONT,
    VNI_FONT,
    retype_docx,
    retype_xlsx,
    tcvn3_runs,
)
from thidua.parsers.documents import read_document
from thidua.parsers.filetypes import sniff
from thidua.parsers.forms import understand
from thidua.parsers.mail import FileItem
from thidua.parsers.vnlegacy import detect_encoding

# VNI-Windows: the codes typed after a base letter for each tone, alone and with â/ê/ô or ă.
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_OWN_CODE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}


def vni(text: str) -> str:
    return "".join(_vni_letter(ch) for ch in unicodedata.normalize("NFC", text))


def _vni_letter(ch: str) -> str:
    small = ch.lower()
    if small in _VNI_OWN_CODE:
        stored = _VNI_OWN_CODE[small]
    else:
        base, *marks = unicodedata.normalize("NFD", small)
        tone = next((mark for mark in marks if mark in _VNI_TONE), "")
        if "\u031b" in marks:  # ơ, ư with a tone
            stored = _VNI_OWN_CODE[unicodedata.normalize("NFC", base + "\u031b")] + _VNI_TONE[tone]
        elif "\u0302" in marks:
            stored = base + _VNI_CIRCUMFLEX[tone]
        elif "\u0306" in marks:
            stored = base + _VNI_BREVE[tone]
        elif tone and base in "aeouy":
            stored = base + _VNI_TONE[tone]
        else:
            return ch
    return stored.upper() if ch != small else stored


def vni_runs(text: str) -> list[tuple[str, str]]:
    return [(vni(text), VNI_FONT)]


def unicode_runs(text: str) -> list[tuple[str, str]]:
    return [(text, UNICODE_FONT)]


def read(name: str, data: bytes):
    item = FileItem(name=name, data=data, detected=sniff(data), size=len(data))
    return understand(read_document(item), name)


def body_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


REGISTRATION = builders.registration_docx(**builders.REGISTRATION_EXAMPLE)


@pytest.fixture(scope="module")
def unicode_registration():
    understood = read("Đăng ký.docx", REGISTRATION)
    assert understood.kind == "registration"
    assert understood.registrations[0].values["full_name"] == "Nguyễn Thị Hoa"
    return understood


def test_the_legacy_typing_is_what_word_stores():
    assert tcvn3_runs("Họ tên người đăng ký") == [("Hä tªn ng\xadêi ®¨ng ký", TCVN3_FONT)]
    assert tcvn3_runs("ĐĂNG KÝ") == [("®¨ng ký", TCVN3_CAPITALS_FONT)]
    assert tcvn3_runs("Ủy ban") == [("ñ", TCVN3_CAPITALS_FONT), ("y ban", TCVN3_FONT)]
    assert vni("Họ tên người đăng ký") == "Hoï teân ngöôøi ñaêng kyù"
    assert vni("ĐĂNG KÝ") == "ÑAÊNG KYÙ"


def test_registration_typed_in_tcvn3_fonts_set_on_the_normal_style(unicode_registration):
    legacy = retype_docx(REGISTRATION, tcvn3_runs, style_font=TCVN3_FONT)
    xml = body_xml(legacy)
    assert "Hä tªn" in xml and "®¨ng ký" in xml and TCVN3_CAPITALS_FONT in xml and "Họ" not in xml
    assert read("Đăng ký.docx", legacy) == unicode_registration


def test_registration_typed_in_vni(unicode_registration):
    legacy = retype_docx(REGISTRATION, vni_runs)
    assert "Hoï teân" in body_xml(legacy)
    assert read("Đăng ký.docx", legacy) == unicode_registration


def test_a_short_value_is_decoded_by_its_font_alone():
    values = dict(builders.REGISTRATION_EXAMPLE, full_name="Hà Thị Hoa")
    assert detect_encoding(vni("Hà Thị Hoa")) is None  # too short to recognise without the font
    unicode_form = builders.registration_docx(inline=False, **values)
    (registration,) = read("dk.docx", retype_docx(unicode_form, vni_runs)).registrations
    assert registration.values["full_name"] == "Hà Thị Hoa"
    assert registration == read("dk.docx", unicode_form).registrations[0]


def test_tcvn3_header_over_a_unicode_body(unicode_registration):
    mixed = retype_docx(REGISTRATION, unicode_runs, header=tcvn3_runs)
    xml = body_xml(mixed)
    assert "thùc hiÖn" in xml and "Thêi gian" in xml and "Họ tên người đăng ký" in xml
    assert read("Đăng ký.docx", mixed) == unicode_registration


def test_unicode_text_left_in_legacy_fonts_is_kept(unicode_registration):
    # Converters turn the text into Unicode but leave the font names; words that
    # only use Latin-1 letters ("Hà", "Tô") must not be "decoded" again.
    values = dict(builders.REGISTRATION_EXAMPLE, full_name="Lê Thu Hà", innovation_area="Tô Hoài")
    stale = retype_docx(builders.registration_docx(inline=False, **values), lambda text: [(text, TCVN3_FONT)])
    (registration,) = read("dk.docx", stale).registrations
    assert registration.values["full_name"] == "Lê Thu Hà"
    assert registration.values["innovation_area"] == "Tô Hoài"
    assert registration.values["assigned_task"] == builders.REGISTRATION_EXAMPLE["assigned_task"]


def test_tcvn3_text_whose_font_was_lost_is_recognised(unicode_registration):
    lost = retype_docx(REGISTRATION, lambda text: [(stored, UNICODE_FONT) for stored, _ in tcvn3_runs(text)])
    assert "Hä tªn" in body_xml(lost) and ".Vn" not in body_xml(lost)
    (registration,) = read("dk.docx", lost).registrations
    (expected,) = unicode_registration.registrations
    assert registration.values["full_name"] == "Nguyễn Thị Hoa"
    assert registration.values == expected.values


def test_nomination_list_in_tcvn3_cells():
    rows = [
        {
            "name": "Tổ Toán – Tin",
            "category": "Tập thể",
            "achievements": "3 giải học sinh giỏi cấp huyện",
            "evidence": "Biên bản tổ.pdf",
            "award": "Giấy khen",
        },
        {
            "name": "Nguyễn Văn An",
            "category": "Giáo viên",
            "position": "Tổ trưởng chuyên môn",
            "achievements": "Giải nhất giáo viên dạy giỏi cấp huyện",
            "evidence": ["Giấy khen.pdf", "ảnh tiết dạy.jpg"],
            "award": "Giấy khen",
        },
        {
            "name": "Lê Thị Bình",
            "category": "Nhân viên",
            "position": "Kế toán",
            "achievements": "Quyết toán đúng hạn 100%",
            "evidence": "quyết toán.pdf",
            "award": "Giấy khen",
        },
        {
            "name": "Trần Minh Đức",
            "category": "Học sinh",
            "position": "Lớp 9A",
            "achievements": "Giải ba học sinh giỏi tỉnh môn Vật lý",
            "evidence": "giấy chứng nhận.pdf",
            "award": "",
        },
    ]
    unicode_list = builders.nomination_xlsx(rows)
    legacy_list = retype_xlsx(unicode_list)
    expected = read("Danh sách.xlsx", unicode_list)
    assert [(n.name, n.category) for n in expected.nominees] == [
        ("Tổ Toán – Tin", "collective"),
        ("Nguyễn Văn An", "teacher"),
        ("Lê Thị Bình", "staff"),
        ("Trần Minh Đức", "student"),
    ]
    understood = read("Danh sách.xlsx", legacy_list)
    assert understood == expected
    assert understood.nominees[1].evidence == ("Giấy khen.pdf", "ảnh tiết dạy.jpg")


def test_doc_saved_by_libreoffice_keeps_the_legacy_fonts(unicode_registration):
    from tests.support.legacy_builders import libreoffice_twin

    legacy = retype_docx(REGISTRATION, tcvn3_runs, style_font=TCVN3_FONT)
    doc = libreoffice_twin(legacy, "docx", "doc")
    understood = read("Đăng ký.doc", doc)
    assert understood.registrations == unicode_registration.registrations
    assert (understood.title, understood.school) == (unicode_registration.title, unicode_registration.school)
