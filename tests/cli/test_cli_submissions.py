"""`thidua submissions --json`: SPEC's array, field by field."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import datetime, timedelta

import pytest

from tests.support.builders import make_eml, make_pdf, nomination_xlsx
from tests.support.clitools import EXAMPLE_MAIL, OFFICE_ADDRESS, RECEIPT, ok, read_eml

KEYS = {
    "receipt",
    "version",
    "status",
    "school",
    "sender",
    "subject",
    "message_id",
    "received_at",
    "round",
    "documents",
    "registrations",
    "nominees",
    "ad_hoc",
    "signed_copy",
    "decisions",
    "problems",
}
STATUSES = {"accepted", "needs_correction", "rejected", "superseded"}
KINDS = {"registration", "nomination_list", "report", "evidence", "unknown"}
CATEGORIES = {"collective", "manager", "teacher", "staff", "student"}
CODES = {
    "missing_field",
    "missing_evidence",
    "not_quantified",
    "bad_rank",
    "unknown_category",
    "quota_exceeded",
    "late",
    "no_attachment",
    "unreadable_attachment",
    "unsupported_format",
    "attachment_too_large",
    "unknown_sender",
    "spoofed_sender",
}
REGISTRATION_KEYS = {
    "school",
    "school_year",
    "full_name",
    "assigned_task",
    "innovation_area",
    "current_situation",
    "objectives",
    "expected_results",
    "trial_period",
    "trial_steps",
    "dissemination_scope",
}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
ISO_VN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")


@pytest.fixture(scope="module")
def records(demo) -> list[dict]:
    result = ok(demo.office.cli("submissions", "--json"))
    return json.loads(result.out)


def by(records, receipt, version=1) -> dict:
    [record] = [r for r in records if r["receipt"] == receipt and r["version"] == version]
    return record


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def test_output_is_only_the_json_array(demo):
    result = ok(demo.office.cli("submissions", "--json"))
    assert result.out.lstrip().startswith("[") and result.out.rstrip().endswith("]")
    assert isinstance(json.loads(result.out), list)
    assert result.err == ""


def test_one_entry_per_submission_version_newest_first(records):
    assert [(r["receipt"], r["version"]) for r in records] == [
        ("HS-2018-0006", 1),
        ("HS-2018-0005", 1),
        ("HS-2018-0001", 2),
        ("HS-2018-0004", 1),
        ("HS-2018-0003", 1),
        ("HS-2018-0002", 1),
        ("HS-2018-0001", 1),
        ("HS-2017-0002", 1),
        ("HS-2017-0001", 1),
    ]
    times = [datetime.fromisoformat(r["received_at"]) for r in records]
    assert times == sorted(times, reverse=True)


def test_every_entry_has_every_key_with_its_type(records):
    for r in records:
        assert set(r) == KEYS
        assert RECEIPT.match(r["receipt"])
        assert type(r["version"]) is int and r["version"] >= 1
        assert r["status"] in STATUSES
        for key in ("school", "sender", "subject", "message_id"):
            assert isinstance(r[key], str)
        assert r["message_id"].startswith("<") and r["message_id"].endswith(">")
        assert ISO_VN.match(r["received_at"]), r["received_at"]
        assert datetime.fromisoformat(r["received_at"]).utcoffset() == timedelta(hours=7)
        assert r["round"] is None or isinstance(r["round"], str)
        assert isinstance(r["documents"], list)
        for d in r["documents"]:
            assert set(d) == {"filename", "kind", "sha256"}
            assert isinstance(d["filename"], str) and d["filename"]
            assert d["kind"] in KINDS
            assert SHA256.match(d["sha256"])
        assert isinstance(r["registrations"], list)
        for registration in r["registrations"]:
            assert set(registration) == REGISTRATION_KEYS
            assert all(isinstance(v, str) for v in registration.values())
        assert isinstance(r["nominees"], list)
        for n in r["nominees"]:
            assert set(n) == {
                "rank",
                "name",
                "category",
                "position",
                "achievements",
                "evidence",
                "award",
                "unit",
                "section",
                "id",
                "review",
                "selected",
                "proposed_award",
            }
            assert n["unit"] is None  # the demo's schools send their own lists, naming no unit
            assert isinstance(n["section"], str)
            assert type(n["rank"]) is int and type(n["id"]) is int
            assert n["review"] is None and n["selected"] is False and n["proposed_award"] is None
            assert n["category"] in CATEGORIES
            for key in ("name", "position", "achievements", "award"):
                assert isinstance(n[key], str)
            assert isinstance(n["evidence"], list) and all(isinstance(e, str) for e in n["evidence"])
        assert r["signed_copy"] in (None, "scan", "paper") and r["decisions"] == []
        assert isinstance(r["problems"], list)
        for p in r["problems"]:
            assert set(p) == {"code", "severity", "field", "message"}
            assert p["code"] in CODES
            assert p["severity"] in {"error", "warning"}
            assert isinstance(p["field"], str)
            assert isinstance(p["message"], str) and p["message"]


def test_fields_of_a_complete_nomination_list(records):
    r = by(records, "HS-2018-0003")
    assert r["status"] == "accepted"
    assert r["school"] == "Trường THCS An Bình"
    assert r["sender"] == "c2anbinh@example.vn"
    assert r["subject"] == "Danh sách đề nghị khen thưởng quý I năm 2018 - THCS An Bình"
    assert r["message_id"] == "<anbinh-q1-2018@example.vn>"
    assert r["received_at"] == "2018-03-14T09:13:00+07:00"
    assert r["round"] == "q1-2018"
    assert r["problems"] == []
    assert r["registrations"] == []
    assert r["nominees"][1] == {
        "rank": 2,
        "name": "Nguyễn Thị Hoa",
        "category": "teacher",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh đạt giải Ba cấp tỉnh.",
        "evidence": ["Giấy khen Nguyễn Thị Hoa.pdf"],
        "award": "Giấy khen",
        "unit": None,
        "section": "",
        "id": r["nominees"][1]["id"],
        "review": None,
        "selected": False,
        "proposed_award": None,
    }
    assert [(n["rank"], n["category"]) for n in r["nominees"]] == [
        (1, "collective"),
        (2, "teacher"),
        (3, "student"),
    ]
    kinds = {d["filename"]: d["kind"] for d in r["documents"]}
    assert kinds["Danh sách đề nghị khen thưởng.xlsx"] == "nomination_list"
    assert kinds["Giấy khen Nguyễn Thị Hoa.pdf"] == "evidence"


def test_document_sha256_is_the_attached_file(records):
    r = by(records, "HS-2018-0006")
    mail = read_eml(EXAMPLE_MAIL / "09-bao-cao-muon.eml")
    attached = {
        part.get_filename(): hashlib.sha256(part.get_content()).hexdigest()
        for part in mail.iter_attachments()
    }
    assert {d["filename"]: d["sha256"] for d in r["documents"]} == attached
    assert {d["filename"]: d["kind"] for d in r["documents"]} == {
        "Bao cao quy I.docx": "report",
        "Danh sach quy I.xlsx": "nomination_list",
        "SK Tran Van Binh.pdf": "evidence",
    }


def test_the_resubmitted_list_supersedes_the_first(records):
    first, second = by(records, "HS-2018-0001", 1), by(records, "HS-2018-0001", 2)
    assert first["status"] == "superseded"
    assert second["status"] == "accepted"
    assert second["problems"] == []
    assert {p["code"] for p in first["problems"]} >= {"bad_rank", "missing_evidence"}
    assert [n["rank"] for n in first["nominees"]] == [1, 2, 4]
    assert [n["rank"] for n in second["nominees"]] == [1, 2, 3]
    assert second["subject"].startswith("Re: [HS-2018-0001]")
    assert [r["status"] for r in records if r["receipt"] == "HS-2018-0001"] == ["accepted", "superseded"]


def test_the_late_report_is_accepted_with_a_warning(records):
    r = by(records, "HS-2018-0006")
    assert r["status"] == "accepted"
    assert r["round"] == "q1-2018"
    [late] = r["problems"]
    assert (late["code"], late["severity"]) == ("late", "warning")
    assert "15/03/2018" in late["message"]


def test_the_unknown_sender_is_rejected(records):
    r = by(records, "HS-2018-0002")
    assert r["status"] == "rejected"
    assert r["sender"] == "thu.gv1985@gmail.example"
    unknown = [p for p in r["problems"] if p["code"] == "unknown_sender"]
    assert len(unknown) == 1 and unknown[0]["severity"] == "error"


def test_the_incomplete_registration_names_the_missing_fields(records):
    r = by(records, "HS-2017-0002")
    assert r["status"] == "needs_correction"
    assert r["round"] == "dang-ky-2017"
    assert sorted((p["code"], p["field"]) for p in r["problems"]) == [
        ("missing_field", "objectives"),
        ("missing_field", "trial_steps"),
    ]
    [registration] = r["registrations"]
    assert registration["objectives"] == "" and registration["trial_steps"] == ""


def test_text_is_nfc_although_the_school_wrote_nfd(records):
    # 02-dang-ky-hoa-sen-thieu.eml carries a Word file saved in NFD
    r = by(records, "HS-2017-0002")
    assert r["registrations"][0]["full_name"] == "Phạm Thị Lan"
    assert r["registrations"][0]["school"] == "Trường Mầm non Hoa Sen"
    for record in records:
        for text in strings(record):
            assert unicodedata.is_normalized("NFC", text), text


def test_nfd_mail_and_files_come_out_nfc(registered, tmp_path):
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    rows = [
        {
            "name": nfd("Trần Thị Ngọc Ánh"),
            "category": nfd("Giáo viên"),
            "position": nfd("Tổ trưởng chuyên môn"),
            "achievements": nfd("Giải Nhì giáo viên dạy giỏi cấp huyện; 3 chuyên đề."),
            "evidence": [nfd("Giấy khen Ánh.pdf")],
            "award": nfd("Giấy khen"),
        }
    ]
    raw = make_eml(
        sender=nfd("Trường THCS An Bình") + " <c2anbinh@example.vn>",
        to=OFFICE_ADDRESS,
        subject=nfd("Danh sách đề nghị quý II"),
        attachments=[
            (
                nfd("Danh sách quý II.xlsx"),
                nomination_xlsx(rows, school=nfd("TRƯỜNG THCS AN BÌNH")),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (nfd("Giấy khen Ánh.pdf"), make_pdf(["GIẤY KHEN", "Trần Thị Ngọc Ánh"]), "application/pdf"),
        ],
        message_id="<nfd-1@example.vn>",
    )
    path = tmp_path / "nfd.eml"
    path.write_bytes(raw)
    ok(registered.cli("process", path))
    [r] = registered.submissions()
    assert r["subject"] == "Danh sách đề nghị quý II"
    assert {d["filename"] for d in r["documents"]} == {"Danh sách quý II.xlsx", "Giấy khen Ánh.pdf"}
    [nominee] = r["nominees"]
    assert nominee["name"] == "Trần Thị Ngọc Ánh"
    assert nominee["category"] == "teacher"
    assert nominee["position"] == "Tổ trưởng chuyên môn"
    assert nominee["evidence"] == ["Giấy khen Ánh.pdf"]
    assert "missing_evidence" not in {p["code"] for p in r["problems"]}  # NFD name matched the NFD file
    for text in strings(r):
        assert unicodedata.is_normalized("NFC", text), text


def test_empty_database_gives_an_empty_array(office):
    assert ok(office.cli("submissions", "--json")).out.strip() == "[]"


def test_table_without_json(demo):
    result = ok(demo.office.cli("submissions"))
    assert "HS-2018-0002" in result.out and "Không tiếp nhận" in result.out
    assert "Đã có bản gửi thay thế" in result.out  # superseded, in Vietnamese
