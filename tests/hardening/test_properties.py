"""Random and mutated files: every parser gives a result or its own typed refusal, nothing else."""
from __future__ import annotations

import contextlib
import functools
import resource
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import make_eml, make_pdf, make_zip, nomination_xlsx, registration_docx, REGISTRATION_EXAMPLE
from thidua.parsers.archive import collect_files
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.docx import read_docx
from thidua.parsers.filetypes import TYPES, sniff
from thidua.parsers.isolation import read_isolated
from thidua.parsers.mail import Attachment, ParsedMail
from thidua.parsers.mime import parse_mail
from thidua.parsers.xlsx import read_xlsx

BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@functools.cache
def seeds() -> dict[str, bytes]:
    row = {"name": "Nguyễn Thị Hoa", "category": "Giáo viên", "position": "Giáo viên Toán",
           "achievements": "Giải Nhất", "evidence": ["GK.pdf"], "award": "Giấy khen"}
    pdf = make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa"])
    docx = registration_docx(**REGISTRATION_EXAMPLE)
    return {
        "docx": docx,
        "xlsx": nomination_xlsx([row]),
        "pdf": pdf,
        "zip": make_zip([("GK.pdf", pdf), ("a.docx", docx)]),
        "eml": make_eml(sender="a@example.vn", to="b@example.vn", subject="Hồ sơ", attachments=[("GK.pdf", pdf, "application/pdf")]),
    }


seeds()  # built once, outside hypothesis (the mail builder draws random Message-IDs)


def mutated(kind: str):
    return mutations(seeds()[kind])


@st.composite
def mutations(draw, seed: bytes) -> bytes:
    """``seed`` with a few bits flipped, bytes inserted or deleted, or its end cut off:
    a file damaged in transit, or one a stranger edited to see what breaks."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if operation == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "truncate":
            del data[position:]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        elif operation == "delete":
            del data[position:position + draw(st.integers(1, 256))]
    return bytes(data)


def anything(kind: str):
    return st.one_of(st.binary(max_size=4096), mutated(kind))


def result_or_refusal(read, data: bytes) -> None:
    try:
        assert isinstance(read(data), DocumentText)
    except UnreadableDocument as refusal:
        assert refusal.reason in UnreadableDocument.REASONS


@BOUNDED
@given(st.one_of(*(anything(kind) for kind in ("docx", "xlsx", "pdf", "zip", "eml"))))
def test_sniff_names_a_known_type(data):
    assert sniff(data) in TYPES


@BOUNDED
@given(st.one_of(anything("zip"), anything("docx")))
def test_collect_files_keeps_every_attachment(data):
    collected = collect_files([Attachment("a.zip", "application/zip", data)])
    assert collected.files[0].data == data
    assert all(issue.reason in issue.REASONS for issue in collected.issues)


@BOUNDED
@given(anything("docx"))
def test_read_docx(data):
    result_or_refusal(read_docx, data)


@BOUNDED
@given(anything("xlsx"))
def test_read_xlsx(data):
    result_or_refusal(read_xlsx, data)


@BOUNDED
@given(anything("pdf"))
def test_read_pdf_in_the_worker(data):
    result_or_refusal(lambda raw: read_isolated("pdf", raw), data)


@BOUNDED
@given(anything("eml"))
def test_parse_mail(data):
    parsed = parse_mail(data)
    assert isinstance(parsed, ParsedMail)
    for attachment in parsed.attachments:
        assert "/" not in attachment.filename and "\\" not in attachment.filename
        assert not any(ord(ch) < 32 for ch in attachment.filename)


@contextlib.contextmanager
def memory_ceiling(extra_bytes: int = 1 << 30):
    """At most ``extra_bytes`` more address space for the block: a regression to unbounded
    allocation fails it with MemoryError instead of taking the machine's memory."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    ceiling = in_use + extra_bytes if hard == resource.RLIM_INFINITY else min(hard, in_use + extra_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def looping_mini_fat(data: bytes) -> bytes:
    """``data`` (a compound file with a mini FAT) claiming a billion-sector mini FAT whose chain
    loops: olefile read round the loop for as many sectors as claimed."""
    patched = bytearray(data)
    first_mini_fat, _count, _first_difat, _difat_count, fat_sector = struct.unpack_from("<5I", patched, 0x3C)
    struct.pack_into("<I", patched, (fat_sector + 1) * 512 + 4 * first_mini_fat, first_mini_fat)
    struct.pack_into("<I", patched, 0x40, 1_000_000_000)
    return bytes(patched)
