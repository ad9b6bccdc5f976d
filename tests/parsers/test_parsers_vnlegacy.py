"""vnlegacy: TCVN3 and VNI-Windows text, as Word and Excel store it, back to Unicode."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests.support.builders import encode_cp1258
from thidua.parsers.content import Paragraph
from thidua.parsers.documents import read_document
from thidua.parsers.filetypes import sniff
from thidua.parsers.mail import FileItem
from thidua.parsers.vnlegacy import (
    convert,
    decode_tcvn3,
    decode_text_bytes,
    decode_vni,
    detect_encoding,
    legacy_encoding_of_font,
    looks_like_tcvn3,
    looks_like_vni,
    to_unicode,
    trusted_encodings,
    vietnamese_letters,
)

# The project's real documents, beside the repository (tests using them skip without).
SHARED = Path(__file__).resolve().parents[3] / "shared"
LETTERS = vietnamese_letters()
LOWER, UPPER = LETTERS[:67], LETTERS[67:]
CAPITALS_WITH_A_CODE = "ĂÂÊÔƠƯĐ"  # the only capitals TCVN3's ordinary fonts have

# The VNI-Windows table as its publishers print it: each letter with sắc, huyền, hỏi, ngã, nặng.
VNI_PUBLISHED = {
    "a á à ả ã ạ": "a aù aø aû aõ aï",
    "ă ắ ằ ẳ ẵ ặ": "aê aé aè aú aü aë",
    "â ấ ầ ẩ ẫ ậ": "aâ aá aà aå aã aä",
    "e é è ẻ ẽ ẹ": "e eù eø eû eõ eï",
    "ê ế ề ể ễ ệ": "eâ eá eà eå eã eä",
    "i í ì ỉ ĩ ị": "i í ì æ ó ò",
    "o ó ò ỏ õ ọ": "o où oø oû oõ oï",
    "ô ố ồ ổ ỗ ộ": "oâ oá oà oå oã oä",
    "ơ ớ ờ ở ỡ ợ": "ô ôù ôø ôû ôõ ôï",
    "u ú ù ủ ũ ụ": "u uù uø uû uõ uï",
    "ư ứ ừ ử ữ ự": "ö öù öø öû öõ öï",
    "y ý ỳ ỷ ỹ ỵ": "y yù yø yû yõ î",
    "đ": "ñ",
}

SENTENCES = [
    "Họ tên người đăng ký: Nguyễn Thị Hoa",
    "Nhiệm vụ được giao: giáo viên dạy Toán lớp 8A, chủ nhiệm lớp 8B",
    "Dự kiến thực hiện đổi mới sáng tạo trong lĩnh vực phương pháp giảng dạy",
    "Thực trạng vấn đề dự kiến đổi mới: khoảng 40% học sinh chưa hứng thú với môn Toán.",
    "Giảm số học sinh dưới trung bình từ 12 xuống còn 5 em; 90% học sinh tham gia dự án.",
    "Phạm vi công bố và nhân rộng kết quả đổi mới: tổ Khoa học tự nhiên và các trường trong huyện.",
    "Danh sách tập thể, cá nhân tiêu biểu, xuất sắc trong phong trào thi đua",
    "Trường Trung học cơ sở An Bình, huyện Phong Điền, tỉnh Thừa Thiên Huế",
]

NOT_LEGACY = [
    # Unicode Vietnamese, also the words that only use Latin-1 letters, in both tone placements
    *SENTENCES,
    "Lê Thu Hà, Tô Hoài, Hoà Bình, Hoá, Võ Văn Kiệt",
    "Lê Thu Hà, Tô Hoài, Hoà Bình, Hoá, Hà Giang, Lào Cai, Cà Mau, Toà, Khoá",
    "LÊ THU HÀ, TÔ HOÀI, HOÀ BÌNH, CÀ MAU, LÀO CAI, HÀ GIANG",
    "Ông Tô Hà và bà Lê Thu, cô Hà, chú Tô",
    unicodedata.normalize("NFD", "Họ tên người đăng ký: Nguyễn Thị Hoa"),
    # Latin-1 languages
    "Où est la bibliothèque ? Je suis allé à l'école où j'ai étudié ; Noël, le maïs est mûr, août, le goût du pâté.",
    "Müller und Schröder fahren über die Brücke nach Österreich; die Größe der Straße ist schön, Grüße aus München.",
    "El año pasado el niño aún no sabía leer. España, señor Núñez, ¿qué tal? Aún así, Raúl y María están aquí.",
    "Não sei se você já viu o coração da situação; a saúde é importante. João, Conceição, país, avô e avó.",
    "La città è bella, però è più cara. Perché così? Università, caffè, virtù, libertà.",
    "Crème brûlée, naïve café, São Paulo, Zürich, Ångström, Øresund, Þingvellir",
    "Microsoft® Word© 2010, ±5 µm, 10µm and 20µm, ¼ ½ ¾, 25°C, § 3 ¶ 2",
    "Plain ASCII text, a file name giay-khen.pdf and 100%.",
]


def tcvn3_as_stored(text: str) -> str:
    """``text`` in TCVN 5712:1993 by glibc's converter, as Word stores the codes (Windows-1252 characters)."""
    if shutil.which("iconv") is None:
        pytest.skip("iconv (glibc) is needed as the reference TCVN3 table")
    result = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("cp1252")


def vni_as_stored(text: str) -> str:
    table = {}
    for letters, codes in VNI_PUBLISHED.items():
        for letter, code in zip(letters.split(), codes.split()):
            table[letter], table[letter.upper()] = code, code.upper()
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# ------------------------------------------------------------------------- tables


def test_the_134_vietnamese_letters():
    assert len(set(LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", letter) and not letter.isascii() for letter in LETTERS)
    assert [letter.lower() for letter in UPPER] == list(LOWER)


def test_every_letter_round_trips_through_tcvn3():
    stored = tcvn3_as_stored("".join(LOWER) + CAPITALS_WITH_A_CODE)
    assert len(stored) == 67 + 7  # one 8-bit code per letter
    assert all(0xA1 <= ord(code) <= 0xFE for code in stored)
    assert decode_tcvn3(stored) == "".join(LOWER) + CAPITALS_WITH_A_CODE
    # Other capitals only exist in the "H" fonts, typed with the small letter's code.
    assert decode_tcvn3(tcvn3_as_stored("".join(LOWER)), upper=True) == "".join(UPPER)


def test_every_letter_round_trips_through_vni():
    for letter in LETTERS:
        assert decode_vni(vni_as_stored(letter)) == letter, letter
    everything = "".join(LETTERS)
    assert decode_vni(vni_as_stored(everything)) == everything


def test_published_spellings():
    assert decode_tcvn3("Hä tªn ng\xadêi ®¨ng ký") == "Họ tên người đăng ký"
    assert decode_tcvn3("®¨ng ký thùc hiÖn nhiÖm vô", upper=True) == "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ"
    assert decode_vni("Hoï teân ngöôøi ñaêng kyù") == "Họ tên người đăng ký"
    assert decode_vni("ÑAÊNG KYÙ THÖÏC HIEÄN NHIEÄM VUÏ") == "ĐĂNG KÝ THỰC HIỆN NHIỆM VỤ"
    assert decode_vni("Tröôøng") == "Trường"


def test_vni_diacritic_typed_in_the_other_case():
    assert decode_vni("Aù") == "Á" and decode_vni("aÙ") == "á"


def test_digits_punctuation_and_ascii_pass_through():
    text = "1. STT – “Giấy khen” … 100% (a/b) [x] {y} @#&*"
    ascii_part = "STT 1. (a) 100% @#&*"
    assert decode_tcvn3(ascii_part) == decode_vni(ascii_part) == ascii_part
    assert decode_tcvn3("– “x” …") == "– “x” …"
    assert decode_vni(vni_as_stored(text)) == text


# -------------------------------------------------------------------------- fonts


@pytest.mark.parametrize(
    "font, encoding",
    [
        (".VnTime", "tcvn3"),
        (".VnTimeH", "tcvn3_upper"),
        ("VnTime", "tcvn3"),
        (".VnArial", "tcvn3"),
        (".VnArialH", "tcvn3_upper"),
        (".VnCentury Schoolbook", "tcvn3"),
        (".VnArial NarrowH", "tcvn3_upper"),
        (" .VnTime ", "tcvn3"),
        (".VNTIME", "tcvn3"),
        ("VNI-Times", "vni"),
        ("VNI Times", "vni"),
        ("VNI-Helve-Condense", "vni"),
        ("VNI-Top", "vni"),
        ("vni-times", "vni"),
        ("Times New Roman", None),
        ("Arial", None),
        ("Calibri", None),
        ("Helvetica", None),
        ("", None),
        (None, None),
    ],
)
def test_legacy_encoding_of_font(font, encoding):
    assert legacy_encoding_of_font(font) == encoding


# ---------------------------------------------------------------------- detection


@pytest.mark.parametrize("sentence", SENTENCES)
def test_detects_tcvn3_and_vni_without_a_font(sentence):
    tcvn3 = tcvn3_as_stored(sentence.lower()) if not sentence.islower() else tcvn3_as_stored(sentence)
    assert looks_like_tcvn3(tcvn3) and not looks_like_vni(tcvn3)
    assert to_unicode(tcvn3) == sentence.lower()
    vni = vni_as_stored(sentence)
    assert looks_like_vni(vni) and not looks_like_tcvn3(vni)
    assert to_unicode(vni) == sentence


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_no_false_alarm_on_unicode_vietnamese_or_latin_languages(text):
    assert detect_encoding(text) is None
    assert to_unicode(text) == unicodedata.normalize("NFC", text)


def test_one_tell_tale_word_is_not_enough():
    assert detect_encoding(tcvn3_as_stored("trường")) is None
    assert detect_encoding(vni_as_stored("trường")) is None


def _seed_lines() -> list[str]:
    seeds = SHARED / "seeds"
    lines = [line for path in sorted(seeds.glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    return [line for line in lines if line.strip()]


def _corpus_texts() -> list[str]:
    corpus = SHARED / "corpus" / "mail"
    texts = []
    for path in sorted(corpus.glob("*.eml")):
        raw = path.read_bytes()
        texts.append(raw.decode("latin-1"))  # base64 blocks, binary parts, every header
        for part in email.message_from_bytes(raw, policy=email.policy.compat32).walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True) or b""
                texts += [
                    payload.decode("latin-1"),
                    payload.decode(part.get_content_charset() or "latin-1", "replace"),
                ]
    return texts


def test_no_false_alarm_on_the_real_seed_documents():
    lines = _seed_lines()
    if not lines:
        pytest.skip("the seed documents are not beside the repository")
    assert [line for line in lines if detect_encoding(line)] == []
    # the same documents in the old encodings are recognised
    found = [
        line
        for line in lines
        if sum(not ch.isascii() for ch in line) >= 10 and detect_encoding(vni_as_stored(line)) == "vni"
    ]
    assert len(found) > 100


def test_no_false_alarm_on_real_mails():
    texts = _corpus_texts()
    if not texts:
        pytest.skip("the mail corpus is not beside the repository")
    for text in texts:
        assert detect_encoding(text) is None
        assert [line for line in text.splitlines() if detect_encoding(line)] == []


# ----------------------------------------------------------------------- converting


def test_to_unicode_uses_the_font_and_keeps_unicode_as_it_is():
    assert to_unicode("Hä tªn", ".VnTime") == "Họ tên"
    assert to_unicode("hä tªn", ".VnTimeH") == "HỌ TÊN"
    assert to_unicode("Hoï teân", "VNI-Times") == "Họ tên"
    assert to_unicode("häc", ".VnTime") == "học"  # one word, no doubt: the font says so
    # text converted to Unicode that kept its old font name
    assert to_unicode("Nguyễn Văn An", ".VnTime") == "Nguyễn Văn An"
    assert to_unicode(unicodedata.normalize("NFD", "Nguyễn"), "VNI-Times") == "Nguyễn"
    assert to_unicode("Hä tªn", "Times New Roman") == "Hä tªn"  # too little to tell without the font
    assert to_unicode("Hä tªn ng\xadêi ®¨ng ký", "Times New Roman") == "Họ tên người đăng ký"


def test_stale_font_names_are_not_trusted():
    converted = [("tcvn3", "Nguyễn Văn An"), ("tcvn3", "Trường THCS"), ("tcvn3", "Tô Hà"), ("tcvn3", "STT")]
    assert trusted_encodings(converted) == frozenset()
    assert convert("Tô Hà", "tcvn3", trusted=False) == "Tô Hà"
    assert convert("Tr\xadêng", "tcvn3", trusted=False) == "Trường"  # still plainly TCVN3
    typed = [
        ("tcvn3", "NguyÔn V¨n An"),
        ("tcvn3_upper", "tr\xadêng"),
        ("tcvn3", "T« Hµ"),
        ("vni", "Hoï teân"),
    ]
    assert trusted_encodings(typed) == frozenset({"tcvn3", "tcvn3_upper", "vni"})


def test_text_files_in_the_old_encodings():
    lines = ["Họ tên người đăng ký: Nguyễn Thị Hoa", "Nhiệm vụ được giao: giáo viên dạy Toán"]
    vni = "\r\n".join(vni_as_stored(line) for line in lines).encode("cp1252")
    assert decode_text_bytes(vni) == "\r\n".join(lines)
    item = FileItem(name="dang-ky.txt", data=vni, detected=sniff(vni), size=len(vni))
    assert read_document(item).blocks == tuple(Paragraph(line) for line in lines)
    tcvn3 = "\n".join(tcvn3_as_stored(line.lower()) for line in lines).encode("cp1252")
    assert decode_text_bytes(tcvn3) == "\n".join(line.lower() for line in lines)
    # Windows-1258 text is not mistaken for either
    assert decode_text_bytes(encode_cp1258("\n".join(SENTENCES[i] for i in (0, 3, 4)))) is None
