"""What a file is (sniff), whether it is password-protected (protection), and the image decoding
before OCR (ocr): on the newer file types, damaged and hostile."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from fuzz.seeds import seed_files
from tests.support.builders import make_ole
from tests.support.properties import BOUNDED, memory_ceiling, mutations
from thidua.parsers import ocr_pages as ocr
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.filetypes import TYPES, sniff
from thidua.parsers.protection import check_not_encrypted

SEEDS = seed_files()
# A parser that hangs fails its test here, not at the suite's five minutes.
pytestmark = pytest.mark.timeout(120)
NEW_TYPES = (
    "xls",
    "ods",
    "doc",
    "7z",
    "rar",
    "gzip",
    "tnef",
    "msg",
    "png",
    "jpeg",
    "gif",
    "bmp",
    "webp",
    "tiff",
)
IMAGES = ("png", "jpeg", "gif", "bmp", "webp", "tiff")
# Smaller than the daemon's, so that each example decodes in milliseconds.
SMALL = ocr.OcrLimits(max_pixels=4_000_000, page_pixels=1_000_000)


def test_the_seeds_are_what_they_claim():
    for kind in NEW_TYPES:
        assert sniff(SEEDS[kind]) == kind.replace("rar4", "rar")


@BOUNDED
@given(st.one_of(*(mutations(SEEDS[kind]) for kind in NEW_TYPES)))
def test_sniff_names_a_known_type(data):
    assert sniff(data) in TYPES


def difat_loop(data: bytes, claimed_fat_sectors: int = 1_000_000) -> bytes:
    """``data`` (a compound file) claiming a million FAT sectors, listed by a DIFAT sector
    that names itself as the next one: olefile added 16 000 FAT entries per turn, forever."""
    patched = bytearray(data)
    fat_sector = struct.unpack_from("<I", patched, 0x4C)[0]
    loop = len(patched) // 512 - 2  # the last sector: its content no longer matters
    patched[(loop + 1) * 512 : (loop + 2) * 512] = struct.pack("<128I", *[fat_sector] * 127, loop)
    struct.pack_into("<I", patched, 0x2C, claimed_fat_sectors)
    struct.pack_into("<II", patched, 0x44, loop, (claimed_fat_sectors - 109 + 126) // 127)
    struct.pack_into("<109I", patched, 0x4C, *[fat_sector] * 109)
    return bytes(patched)


@pytest.mark.timeout(30)
def test_sniffing_a_compound_file_that_claims_a_million_fat_sectors_is_quick():
    # sniff runs in the daemon on every attachment
    data = difat_loop(SEEDS["doc"])
    started = time.monotonic()
    with memory_ceiling():
        assert sniff(data) == "ole"
        check_not_encrypted(data, "doc")
    assert time.monotonic() - started < 2


# ----------------------------------------------------------------------------- protection


@BOUNDED
@given(st.one_of(st.binary(max_size=2048), *(mutations(SEEDS[kind]) for kind in ("xls", "doc", "ods"))))
def test_check_not_encrypted_says_encrypted_or_nothing(data):
    for kind in ("doc", "xls", "odt", "ods"):
        try:
            check_not_encrypted(data, kind)
        except UnreadableDocument as refusal:
            assert refusal.reason == "encrypted"


def test_encrypted_word_and_excel_files_are_told_apart():
    encrypted_doc = make_ole(
        {"WordDocument": b"\xec\xa5\xc1\x00" + bytes(6) + struct.pack("<H", 0x0100) + bytes(20)}
    )
    with pytest.raises(UnreadableDocument):
        check_not_encrypted(encrypted_doc, "doc")
    encrypted_xls = make_ole({"Workbook": struct.pack("<HH", 0x0809, 0) + struct.pack("<HHH", 0x002F, 2, 1)})
    with pytest.raises(UnreadableDocument):
        check_not_encrypted(encrypted_xls, "xls")
    check_not_encrypted(SEEDS["doc"], "doc")
    check_not_encrypted(SEEDS["xls"], "xls")


# ----------------------------------------------------------------------------- image decoding


def decoded_pages(data: bytes, limits: ocr.OcrLimits = SMALL) -> list[Image.Image]:
    """The pages ``ocr_image`` would give Tesseract; raises UnreadableDocument."""
    image = ocr._open_image(data)
    frames = ocr._frame_count(image)
    return [ocr._image_page(image, index, limits)[0] for index in range(min(frames, limits.max_pages))]


@BOUNDED
@given(st.one_of(st.binary(max_size=1024), *(mutations(SEEDS[kind]) for kind in IMAGES)))
def test_image_decoding_gives_grey_pages_or_refuses(data):
    try:
        pages = decoded_pages(data)
    except UnreadableDocument as refusal:
        assert refusal.reason in UnreadableDocument.REASONS
        return
    assert pages and all(page.mode == "L" for page in pages)


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header claiming ``width`` x ``height`` pixels, with one row of data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1)))
        + chunk(b"IEND", b"")
    )


@BOUNDED
@pytest.mark.timeout(60)
@given(st.integers(1, 2**31 - 1), st.integers(1, 2**31 - 1))
def test_an_image_claiming_any_size_is_refused_before_it_is_decoded(width, height):
    started = time.monotonic()
    try:
        decoded_pages(png_claiming(min(width, 1 << 20), height))
    except UnreadableDocument as refusal:
        assert refusal.reason in ("too_large", "corrupt")
    assert time.monotonic() - started < 5


def two_page_tiff_with_a_broken_second_page() -> bytes:
    data = bytearray(SEEDS["tiff"])
    first = struct.unpack_from("<I", data, 4)[0]
    entries = struct.unpack_from("<H", data, first)[0]
    second = struct.unpack_from("<I", data, first + 2 + 12 * entries)[0]
    for index in range(struct.unpack_from("<H", data, second)[0]):
        if struct.unpack_from("<H", data, second + 2 + 12 * index)[0] == 256:  # ImageWidth
            struct.pack_into("<H", data, second + 2 + 12 * index, 0x0FFF)
    return bytes(data)


def test_a_tiff_whose_second_page_is_broken_reads_its_first():
    # Counting the frames raised TypeError ("Missing dimensions") outside every handler.
    data = two_page_tiff_with_a_broken_second_page()
    image = ocr._open_image(data)
    assert ocr._frame_count(image) == 1
    [page] = decoded_pages(data)
    assert page.size == (96, 32)  # the 48 x 16 scan, enlarged for Tesseract


@pytest.mark.parametrize(
    "data",
    [SEEDS["png"], two_page_tiff_with_a_broken_second_page(), SEEDS["tiff"][:300], b"GIF89a" + bytes(20)],
    ids=["png", "broken-tiff", "cut-tiff", "gif-header"],
)
def test_ocr_image_on_tiny_images(data):
    # Tesseract is slow: only a few tiny images go all the way through it.
    try:
        document = ocr.ocr_image(data, SMALL)
    except UnreadableDocument as refusal:
        assert refusal.reason in UnreadableDocument.REASONS
    else:
        assert isinstance(document, DocumentText) and document.is_scan


def test_a_jpeg_cut_short_is_refused_not_raised():
    data = SEEDS["jpeg"][: len(SEEDS["jpeg"]) // 2]
    with pytest.raises(UnreadableDocument):
        ocr.ocr_image(data, SMALL)
    with pytest.raises(UnreadableDocument):
        decoded_pages(data)


def test_a_decompression_bomb_is_too_large():
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")  # 400 megapixels in about 50 kB
    with pytest.raises(UnreadableDocument) as caught:
        decoded_pages(buffer.getvalue(), ocr.DEFAULT_LIMITS)
    assert caught.value.reason == "too_large"
