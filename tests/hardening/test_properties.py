"""Random and mutated files: every parser gives a result or its own typed refusal, nothing else."""

from __future__ import annotations

import functools

from hypothesis import given
from hypothesis import strategies as st

from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_eml,
    make_pdf,
    make_zip,
    nomination_xlsx,
    registration_docx,
)
from tests.support.properties import BOUNDED, mutations
from thidua.parsers.archive import collect_files
from thidua.parsers.content import DocumentText, UnreadableDocument
from thidua.parsers.docx import read_docx
from thidua.parsers.filetypes import TYPES, sniff
from thidua.parsers.isolation import read_isolated
from thidua.parsers.mail import Attachment, ParsedMail
from thidua.parsers.mime import parse_mail
from thidua.parsers.xlsx import read_xlsx


@functools.cache
def seeds() -> dict[str, bytes]:
    row = {
        "name": "Nguyễn Thị Hoa",
        "category": "Giáo viên",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất",
        "evidence": ["GK.pdf"],
        "award": "Giấy khen",
    }
    pdf = make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa"])
    docx = registration_docx(**REGISTRATION_EXAMPLE)
    return {
        "docx": docx,
        "xlsx": nomination_xlsx([row]),
        "pdf": pdf,
        "zip": make_zip([("GK.pdf", pdf), ("a.docx", docx)]),
        "eml": make_eml(
            sender="a@example.vn",
            to="b@example.vn",
            subject="Hồ sơ",
            attachments=[("GK.pdf", pdf, "application/pdf")],
        ),
    }


seeds()  # built once, outside hypothesis (the mail builder draws random Message-IDs)


def mutated(kind: str):
    return mutations(seeds()[kind])


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
