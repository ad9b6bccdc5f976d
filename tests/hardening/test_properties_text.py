"""Text properties: legacy Vietnamese fonts to Unicode (vnlegacy), and the fast MIME splitter
(mime_split) that must build the standard library's tree or decline."""

from __future__ import annotations

import email
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.properties import BOUNDED
from thidua.parsers import vnlegacy
from thidua.parsers.mime_split import split_message

# A parser that hangs fails its test here, not at the suite's five minutes.
pytestmark = pytest.mark.timeout(120)

# ----------------------------------------------------------------------------- Vietnamese text

_ONSETS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
_NUCLEI = [
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "oa",
    "oe",
    "uy",
    "iê",
    "ươ",
    "uô",
    "ia",
    "ưa",
]
_FINALS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u", "y"]
_TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


@st.composite
def syllables(draw, onsets=_ONSETS, nuclei=_NUCLEI, tones=_TONES) -> str:
    """A Vietnamese syllable in NFC, its tone on the nucleus; capitalised now and then."""
    nucleus = draw(st.sampled_from(nuclei))
    toned = nucleus[:-1] + unicodedata.normalize("NFC", nucleus[-1] + draw(st.sampled_from(tones)))
    word = draw(st.sampled_from(onsets)) + toned + draw(st.sampled_from(_FINALS))
    return draw(st.sampled_from([word, word.capitalize(), word.upper()]))


def sentences(words):
    return st.lists(words, min_size=1, max_size=14).flatmap(
        lambda chosen: st.sampled_from([" ", ", ", "\n", " - "]).map(lambda glue: glue.join(chosen))
    )


vietnamese = sentences(syllables())
# Texts a legacy font could also have stored, letter for letter (Latin-1 letters only):
# "Tô Hà", "bà má", the case where a wrong guess would garble a Unicode name.
latin1_vietnamese = sentences(
    syllables(
        onsets=[onset for onset in _ONSETS if "đ" not in onset],
        nuclei=["a", "e", "i", "o", "u", "y", "â", "ê", "ô", "oa", "oe", "ia", "ua", "uy"],
        tones=["", "\u0300", "\u0301", "\u0303"],
    )
).filter(lambda text: all(ord(ch) < 0x100 for ch in text))


def legacy_codes() -> tuple[dict[str, str], dict[str, str]]:
    """Unicode letter → its TCVN3 code and its VNI spelling, read back from the decoders."""
    tcvn3 = {
        vnlegacy.decode_tcvn3(chr(code)): chr(code)
        for code in range(0xA1, 0x100)
        if vnlegacy.decode_tcvn3(chr(code)) != chr(code)
    }
    vni: dict[str, str] = {}
    for base in "aAeEiIoOuUyYdD" + "ôÔöÖ":
        # VNI-Windows types a small letter's diacritic in small (0xE0-0xFF), a capital's in capital
        marks = range(0xE0, 0x100) if base.islower() else range(0xC0, 0xE0)
        for mark in marks:
            spelling = base + chr(mark)
            if len(letter := vnlegacy.decode_vni(spelling)) == 1:
                vni.setdefault(letter, spelling)
    for code in range(0xC0, 0x100):
        if len(letter := vnlegacy.decode_vni(chr(code))) == 1 and letter != chr(code):
            vni[letter] = chr(code)
    return tcvn3, vni


TCVN3_CODES, VNI_SPELLINGS = legacy_codes()


def encode(text: str, codes: dict[str, str]) -> str:
    return "".join(codes.get(ch, ch) for ch in text)


@BOUNDED
@given(vietnamese)
def test_unicode_vietnamese_is_left_as_it_is(text):
    assert vnlegacy.convert(text) == text
    assert vnlegacy.to_unicode(text, "Times New Roman") == text
    if vnlegacy.is_unicode(text):  # even in a legacy font: converters keep the font names
        for encoding in (vnlegacy.TCVN3, vnlegacy.TCVN3_UPPER, vnlegacy.VNI):
            assert vnlegacy.convert(text, encoding) == text
            assert vnlegacy.to_unicode(text, ".VnTime") == text


@BOUNDED
@given(latin1_vietnamese)
def test_unicode_vietnamese_in_latin1_letters_is_not_taken_for_a_legacy_font(text):
    assert vnlegacy.detect_encoding(text) is None
    assert vnlegacy.convert(text) == text
    assert vnlegacy.decode_text_bytes(text.encode("cp1252")) is None


@BOUNDED
@given(vietnamese)
def test_tcvn3_and_vni_round_trip(text):
    lower = text.lower()  # TCVN3 has no capitals for toned letters: its "H" fonts show small ones as capitals
    assert vnlegacy.decode(encode(lower, TCVN3_CODES), vnlegacy.TCVN3) == lower
    assert vnlegacy.decode(encode(lower, TCVN3_CODES), vnlegacy.TCVN3_UPPER) == lower.upper()
    assert vnlegacy.decode(encode(text, VNI_SPELLINGS), vnlegacy.VNI) == text


@BOUNDED
@given(vietnamese)
def test_legacy_text_files_decode_to_their_text_or_are_left_alone(text):
    for raw in (
        encode(text.lower(), TCVN3_CODES).encode("latin-1"),
        encode(text, VNI_SPELLINGS).encode("cp1252"),
    ):
        decoded = vnlegacy.decode_text_bytes(raw)
        assert decoded is None or decoded in (text.lower(), text)


def test_a_legacy_text_file_is_recognised():
    text = "Họ tên người đăng ký: Nguyễn Thị Hoa, giáo viên trường trung học cơ sở An Bình"
    assert vnlegacy.decode_text_bytes(encode(text.lower(), TCVN3_CODES).encode("latin-1")) == text.lower()
    assert vnlegacy.decode_text_bytes(encode(text, VNI_SPELLINGS).encode("cp1252")) == text


@BOUNDED
@given(st.binary(max_size=2048), st.text(max_size=200))
def test_any_bytes_or_text_give_text(data, text):
    decoded = vnlegacy.decode_text_bytes(data)
    assert decoded is None or decoded == unicodedata.normalize("NFC", decoded)
    for encoding in (None, vnlegacy.TCVN3, vnlegacy.TCVN3_UPPER, vnlegacy.VNI):
        converted = vnlegacy.convert(text, encoding, trusted=False)
        assert isinstance(converted, str)
        if vnlegacy.is_unicode(text):
            assert converted == text


# ----------------------------------------------------------------------------- MIME splitting

EOLS = st.sampled_from(["\n", "\r\n", "\r"])
BOUNDARIES = st.sampled_from(["b", "==b==", "----=_Part_1_2", "x y", "b1", "b'(),+_./:=?-", "a" * 70])
_line_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20)


@st.composite
def body_lines(draw, boundary: str) -> list[str]:
    """Lines of a body, some of them almost a boundary (a longer one, text after it)."""
    near = st.sampled_from(
        [f"--{boundary}x", f"--{boundary}--x", f"x--{boundary}", "--", "-", f"--{boundary[:-1]}"]
    )
    return draw(st.lists(st.one_of(_line_text, near, st.just(""), st.just("Nội dung có dấu")), max_size=4))


@st.composite
def parts(draw, depth: int) -> str:
    eol = draw(EOLS)
    if depth < 2 and draw(st.booleans()) and draw(st.booleans()):
        return draw(multiparts(depth + 1))
    if draw(st.integers(0, 5)) == 0:
        return eol + eol.join(draw(body_lines("b")))  # no header at all
    headers = [
        draw(
            st.sampled_from(
                [
                    "Content-Type: text/plain; charset=utf-8",
                    "Content-Type: application/pdf",
                    "Content-Type: text/plain;\r\n charset=utf-8",
                    "Content-Type: text/html",
                ]
            )
        )
    ]
    if draw(st.booleans()):
        headers.append(
            "Content-Transfer-Encoding: " + draw(st.sampled_from(["7bit", "base64", "quoted-printable"]))
        )
    if draw(st.booleans()):
        headers.append('Content-Disposition: attachment; filename="Giấy khen.pdf"')
    return eol.join(headers) + eol + eol + eol.join(draw(body_lines("b")))


@st.composite
def multiparts(draw, depth: int = 0) -> str:
    boundary, eol = draw(BOUNDARIES), draw(EOLS)
    quoted = f'"{boundary}"' if " " in boundary or draw(st.booleans()) else boundary
    lines = ["From: c2anbinh@example.vn"] if depth == 0 else []
    lines += [
        f"Content-Type: multipart/{draw(st.sampled_from(['mixed', 'alternative']))}; boundary={quoted}",
        "",
    ]
    lines += draw(st.lists(_line_text, max_size=2))  # preamble
    text = eol.join(lines)
    for part in draw(st.lists(parts(depth), min_size=1, max_size=3)):
        text += eol + f"--{boundary}" + draw(st.sampled_from(["", " ", "\t"])) + eol + part
    if draw(st.integers(0, 9)):  # now and then no closing boundary
        text += eol + f"--{boundary}--" + draw(st.sampled_from(["", " ", "x"]))
        text += draw(st.sampled_from(["", eol, eol + eol.join(draw(body_lines(boundary))) + eol]))  # epilogue
    return text


def tree(message):
    """Everything of a message the parser decides: headers, payloads, preamble, epilogue, defects."""
    # The payload as parsed: get_payload() would decode it with the declared charset.
    payload = message._payload
    parts_ = tuple(tree(part) for part in payload) if isinstance(payload, list) else payload
    return (
        message.get_unixfrom(),
        tuple(message.raw_items()),
        message.preamble,
        message.epilogue,
        [type(defect).__name__ for defect in message.defects],
        parts_,
    )


def rendered(message) -> bytes | str:
    try:
        return message.as_bytes()
    except Exception as error:  # the standard library's own limits, the same for both trees
        return type(error).__name__


def same_tree_or_declined(raw: bytes) -> bool:
    fast = split_message(raw)
    if fast is None:
        return False
    slow = email.message_from_bytes(raw)
    assert tree(fast) == tree(slow)
    assert rendered(fast) == rendered(slow)
    return True


@BOUNDED
@given(multiparts())
def test_split_message_builds_the_standard_tree_or_declines(text):
    same_tree_or_declined(text.encode())


@BOUNDED
@given(multiparts(), st.integers(0, 200), st.binary(min_size=1, max_size=8))
def test_split_message_on_damaged_mails(text, position, junk):
    raw = text.encode()
    same_tree_or_declined(raw[:position] + junk + raw[position:])


def test_plain_multiparts_take_the_fast_path():
    # The properties above hold trivially for a splitter that always declines.
    for eol in ("\n", "\r\n"):
        raw = eol.join(
            [
                "From: a@example.vn",
                'Content-Type: multipart/mixed; boundary="b"',
                "",
                "preamble",
                "--b",
                "Content-Type: text/plain",
                "",
                "--bx is no boundary",
                "--b",
                "Content-Type: application/pdf",
                "",
                "%PDF-1.4",
                "--b--",
                "epilogue",
                "",
            ]
        ).encode()
        assert same_tree_or_declined(raw)


def test_a_part_without_headers_takes_the_fast_path():
    raw = b'From: a@example.vn\nContent-Type: multipart/mixed; boundary="b"\n\n--b\n\nno headers\n--b--\n'
    assert same_tree_or_declined(raw)
