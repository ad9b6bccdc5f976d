"""One class per rule: it fires when it should, with the right field and a useful message,
and stays quiet otherwise."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.support import checks_factory as f
from thidua.checks import rules
from thidua.checks.model import SEVERITY, Problem
from thidua.checks.rules import RULES, run_checks
from thidua.parsers.forms.model import REGISTRATION_FIELDS
from thidua.text import nominee_identity


def run(rule, ctx) -> list[Problem]:
    return list(rule(ctx))


# --- the whole set ----------------------------------------------------------------------------


class TestRuleSet:
    def test_one_rule_per_code_named_after_it(self):
        assert [r.__name__ for r in RULES] == [
            "spoofed_sender",
            "unknown_sender",
            "no_attachment",
            "attachment_too_large",
            "unsupported_format",
            "unreadable_attachment",
            "late",
            "quota_exceeded",
            "missing_field",
            "unknown_category",
            "bad_rank",
            "missing_evidence",
            "not_quantified",
        ]
        assert {r.__name__ for r in RULES} == set(SEVERITY)

    def test_every_rule_is_documented(self):
        assert all(r.__doc__ and r.__doc__.strip() for r in RULES)

    def test_valid_submission_has_no_problem(self, valid_ctx):
        assert run_checks(valid_ctx) == ()

    def test_each_rule_is_quiet_on_a_valid_submission(self, valid_ctx):
        for rule in RULES:
            assert run(rule, valid_ctx) == [], rule.__name__

    def test_problems_come_in_rule_order(self):
        ctx = f.list_context(
            f.nominee(1, achievements="Nhiệt tình"),
            sender_school=None,
            spoof="dmarc=fail",
            received_at=f.at("2018-03-16 08:00"),
        )
        assert f.codes(run_checks(ctx)) == ["spoofed_sender", "unknown_sender", "late", "not_quantified"]

    def test_exact_duplicates_are_removed(self):
        twice = lambda ctx: [Problem("late", "received_at", "x"), Problem("late", "received_at", "x")]
        other = lambda ctx: [Problem("late", "received_at", "y")]
        assert run_checks(f.valid_context(), rules=(twice, other, twice)) == (
            Problem("late", "received_at", "x"),
            Problem("late", "received_at", "y"),
        )

    def test_rules_still_run_for_a_rejected_sender(self):
        ctx = f.list_context(f.nominee(1, evidence=()), sender_school=None)
        assert f.codes(run_checks(ctx)) == ["unknown_sender", "missing_evidence"]

    def test_messages_are_polite_vietnamese_nfc(self):
        ctx = f.context(
            f.nomination_list(
                f.nominee(
                    2, name="", category=None, category_text="Bảo vệ", achievements="Tốt", evidence=("x.pdf",)
                )
            ),
            f.file("a.rar", detected="rar", failure="unsupported"),
            f.file("b.docx", detected="docx", failure="corrupt", kind="unknown"),
            f.file("c.pdf", size=40 * f.MB, failure="too_large"),
            sender_school=None,
            spoof="dkim=fail",
            received_at=f.at("2018-04-01 10:00"),
            round=f.make_round(max_nominees=1),
            elsewhere=others(3),
        )
        problems = run_checks(ctx)
        assert {p.code for p in problems} >= {
            "unsupported_format",
            "unreadable_attachment",
            "attachment_too_large",
            "missing_evidence",
            "bad_rank",
            "quota_exceeded",
            "late",
        }
        for p in problems:
            assert p.message == unicodedata.normalize("NFC", p.message)
            assert p.message.strip() and p.message[0].isupper()
            assert "dkim" not in p.message and "Traceback" not in p.message
            if SEVERITY[p.code] == "error" and p.code not in ("spoofed_sender", "bad_rank"):
                assert "vui lòng" in p.message, p

    def test_staff_details_never_reach_the_school(self):
        secret = "zlib.error: Error -3 while decompressing data"
        docs = [
            replace(f.file(f"{i}.docx", detected="docx", kind="unknown", failure=failure), detail=secret)
            for i, failure in enumerate(["corrupt", "encrypted", "archive_limit", "unsupported", "too_large"])
        ]
        for p in run_checks(f.context(*docs, spoof="dmarc=fail (p=reject) header.from=example.vn")):
            assert "zlib" not in p.message and "Error -3" not in p.message and "p=reject" not in p.message


# --- the sender -------------------------------------------------------------------------------


class TestSpoofedSender:
    def test_fires_on_auth_failure(self, valid_ctx):
        ctx = f.list_context(f.nominee(), spoof="dmarc=fail")
        [problem] = run(rules.spoofed_sender, ctx)
        assert (problem.code, problem.field) == ("spoofed_sender", "sender")
        assert f.SENDER in problem.message
        assert "dmarc" not in problem.message.lower()  # technical detail stays with staff

    def test_quiet_without_failure(self, valid_ctx):
        assert run(rules.spoofed_sender, valid_ctx) == []


class TestUnknownSender:
    def test_fires_for_unregistered_address(self):
        [problem] = run(
            rules.unknown_sender, f.list_context(f.nominee(), sender="la@gmail.com", sender_school=None)
        )
        assert (problem.code, problem.field) == ("unknown_sender", "sender")
        assert "la@gmail.com" in problem.message
        assert "chưa có trong danh sách" in problem.message and "liên hệ" in problem.message

    def test_quiet_for_registered_school(self, valid_ctx):
        assert run(rules.unknown_sender, valid_ctx) == []


# --- the files --------------------------------------------------------------------------------


class TestNoAttachment:
    def test_fires_for_an_empty_mail(self):
        [problem] = run(rules.no_attachment, f.context())
        assert (problem.code, problem.field) == ("no_attachment", "attachments")
        assert "danh sách đề nghị khen thưởng" in problem.message and "Mẫu 2" in problem.message

    def test_tiny_inline_images_do_not_count(self):
        ctx = f.context(
            f.file("logo.png", detected="png", size=4_000, failure="scan"),
            f.file("image001.jpg", detected="jpeg", size=9_000),
        )
        assert f.codes(run(rules.no_attachment, ctx)) == ["no_attachment"]
        assert run(rules.unreadable_attachment, ctx) == []  # a logo is not a scan to complain about

    def test_names_what_the_round_expects(self):
        ctx = f.context(round=f.make_round(documents=("registration", "report")))
        [problem] = run(rules.no_attachment, ctx)
        assert "phiếu đăng ký" in problem.message and "Mẫu gợi ý số 1" in problem.message
        assert "báo cáo kết quả" in problem.message
        assert "Mẫu 2" not in problem.message

    def test_without_round_lists_every_document(self):
        [problem] = run(rules.no_attachment, f.context(round=None))
        assert "Mẫu gợi ý số 1" in problem.message and "Mẫu 2" in problem.message

    def test_never_when_files_came(self):
        ctx = f.context(
            f.file("Ảnh hoạt động.jpg", detected="jpeg", size=800_000),
            f.file("Thư ngỏ.docx", detected="docx", kind="unknown"),
        )
        assert run(rules.no_attachment, ctx) == []

    def test_quiet_when_a_file_failed(self):
        # the failed file has its own problem, which already asks for a readable copy
        ctx = f.context(f.file("Danh sách.docx", detected="docx", kind="unknown", failure="corrupt"))
        assert run(rules.no_attachment, ctx) == []
        ctx = f.context(f.file("Danh sách.pdf", kind="evidence", failure="scan"))
        assert run(rules.no_attachment, ctx) == []

    @pytest.mark.parametrize("kind", ["registration", "nomination_list", "report"])
    def test_quiet_with_a_main_document(self, kind):
        assert run(rules.no_attachment, f.context(f.file("x.docx", detected="docx", kind=kind))) == []


LIST_WORDS = "danh sách đề nghị khen thưởng tập thể, cá nhân tiêu biểu, xuất sắc (Mẫu 2)"
REGISTRATION_WORDS = "phiếu đăng ký thực hiện nhiệm vụ đổi mới, sáng tạo trong dạy và học (Mẫu gợi ý số 1)"


class TestNothingRecognised:
    def test_says_what_each_file_looked_like_and_asks_for_the_list_the_subject_names(self):
        ctx = replace(
            f.context(
                f.file("ds.pdf", kind="unknown"),
                f.file("IMG_1.jpg", detected="jpeg", failure="scan"),
                round=f.make_round(documents=("registration",)),
            ),
            pointed_kinds=("nomination_list",),
        )
        ctx = replace(ctx, documents=(replace(ctx.documents[0], shape="table"), ctx.documents[1]))
        [problem] = run(rules.unreadable_attachment, ctx)
        assert (problem.code, problem.field) == ("unreadable_attachment", "documents")
        assert problem.message == (
            f"Thư có 2 tệp gửi kèm nhưng hệ thống chưa nhận ra {LIST_WORDS} trong đó:\n"
            "- “ds.pdf”: một bảng không đọc được thành danh sách (các cột không khớp với mẫu);\n"
            "- “IMG_1.jpg”: một ảnh chụp.\n"
            f"Thầy/cô vui lòng gửi {LIST_WORDS} theo đúng mẫu, dạng tệp Word (.docx) hoặc Excel (.xlsx), "
            "giữ nguyên tiêu đề và các mục, các cột của mẫu; các tệp minh chứng gửi kèm như trước."
        )
        assert len(run(rules.unreadable_attachment, ctx)) == 1  # the photo is told of here, once
        assert run(rules.no_attachment, ctx) == []

    def test_asks_for_what_the_round_wants_when_the_mail_says_nothing(self):
        ctx = f.context(
            f.file("Thư ngỏ.docx", detected="docx", kind="unknown"),
            round=f.make_round(documents=("registration",)),
        )
        ctx = replace(ctx, documents=(replace(ctx.documents[0], shape="text"),))
        [problem] = run(rules.unreadable_attachment, ctx)
        assert problem.message.startswith(
            f"Thư có 1 tệp gửi kèm nhưng hệ thống chưa nhận ra {REGISTRATION_WORDS} "
            "trong đó:\n- “Thư ngỏ.docx”: một văn bản không theo mẫu nào.\n"
        )

    def test_a_certificate_alone_is_named_as_evidence(self):
        ctx = f.context(f.file("gk.pdf", kind="evidence"))
        [problem] = run(rules.unreadable_attachment, ctx)
        assert "- “gk.pdf”: một minh chứng (giấy khen, quyết định, sản phẩm…)." in problem.message

    def test_not_with_a_main_document_a_failed_file_only_scans_or_no_files(self):
        assert run(rules.unreadable_attachment, f.list_context(f.nominee())) == []
        [corrupt] = run(
            rules.unreadable_attachment, f.context(f.file("a.docx", kind="unknown", failure="corrupt"))
        )
        assert corrupt.field == "a.docx"
        [scan] = run(rules.unreadable_attachment, f.context(f.file("a.pdf", failure="scan")))
        assert scan.field == "a.pdf" and "bản chụp/bản quét" in scan.message
        assert run(rules.unreadable_attachment, f.context()) == []


class TestAttachmentTooLarge:
    def test_fires_on_failure_and_on_size(self):
        ctx = f.context(
            f.file("Video tiết dạy.mp4", detected="unknown", size=0, failure="too_large"),
            f.file("hoso.zip/Ảnh.jpg", detected="jpeg", size=30 * f.MB),
            max_attachment_bytes=25 * f.MB,
        )
        problems = run(rules.attachment_too_large, ctx)
        assert f.fields(problems) == ["Video tiết dạy.mp4", "hoso.zip/Ảnh.jpg"]
        assert all("25 MB" in p.message for p in problems)
        assert "30 MB" in problems[1].message
        assert "chia" in problems[0].message and "giảm dung lượng" in problems[0].message

    def test_limit_in_decimal_megabytes(self):
        ctx = f.context(f.file("a.pdf", size=11 * f.MB), max_attachment_bytes=int(10.5 * f.MB))
        [problem] = run(rules.attachment_too_large, ctx)
        assert "10,5 MB" in problem.message and "11 MB" in problem.message

    def test_quiet_at_the_limit(self):
        assert (
            run(rules.attachment_too_large, f.context(f.file("a.pdf", size=f.MB), max_attachment_bytes=f.MB))
            == []
        )


class TestUnsupportedFormat:
    def test_names_file_and_readable_formats(self):
        ctx = f.context(f.file("Danh sách.rar", detected="rar", kind="unknown", failure="unsupported"))
        [problem] = run(rules.unsupported_format, ctx)
        assert (problem.code, problem.field) == ("unsupported_format", "Danh sách.rar")
        for words in ("“Danh sách.rar”", "Word (.docx)", "Excel (.xlsx)", "PDF", ".zip"):
            assert words in problem.message
        assert "nén lại thành tệp .zip" in problem.message

    def test_old_word_file_gets_a_save_as_hint(self):
        ctx = f.context(f.file("Danh sách.doc", detected="doc", kind="unknown", failure="unsupported"))
        [problem] = run(rules.unsupported_format, ctx)
        assert ".docx" in problem.message and "Save As" in problem.message

    def test_formats_come_from_the_context(self):
        ctx = replace(
            f.context(f.file("a.odt", detected="odt", kind="unknown", failure="unsupported")),
            readable_formats=("docx", "pdf"),
        )
        [problem] = run(rules.unsupported_format, ctx)
        assert "Word (.docx) hoặc PDF (.pdf)" in problem.message
        assert "Excel" not in problem.message and ".zip" not in problem.message

    def test_quiet_otherwise(self, valid_ctx):
        assert run(rules.unsupported_format, valid_ctx) == []


class TestUnreadableAttachment:
    @pytest.mark.parametrize(
        ("failure", "field", "words"),
        [
            ("corrupt", "hoso.zip/Danh sach.xlsx", "bị lỗi"),
            ("encrypted", "hoso.zip/Danh sach.xlsx", "mật khẩu"),
            ("archive_limit", "hoso.zip", "mở hết"),
        ],
    )
    def test_broken_files(self, failure, field, words):
        ctx = f.list_context(f.nominee(), round=None)
        ctx = replace(
            ctx,
            documents=ctx.documents
            + (f.file("hoso.zip/Danh sach.xlsx", detected="xlsx", kind="unknown", failure=failure),),
        )
        [problem] = run(rules.unreadable_attachment, ctx)
        assert (problem.code, problem.field) == ("unreadable_attachment", field)
        assert words in problem.message and "“hoso.zip”" in problem.message
        assert "Thầy/cô vui lòng" in problem.message

    def test_encrypted_archive_itself(self):
        ctx = f.context(f.file("hoso.zip", detected="zip", size=0, kind="unknown", failure="encrypted"))
        [problem] = run(rules.unreadable_attachment, ctx)
        assert problem.field == "hoso.zip" and problem.message.startswith("Tệp “hoso.zip” được đặt mật khẩu")

    def test_one_problem_per_archive_over_the_limits(self):
        ctx = f.context(
            *[
                f.file(f"hoso.zip/{i}.pdf", detected="zip", size=0, kind="unknown", failure="archive_limit")
                for i in range(5)
            ],
            f.file("khac.zip", detected="zip", size=0, kind="unknown", failure="archive_limit"),
        )
        assert f.fields(run(rules.unreadable_attachment, ctx)) == ["hoso.zip", "khac.zip"]

    def test_scan_alone_asks_for_the_editable_file(self):
        ctx = f.context(f.file("Danh sách có dấu.pdf", failure="scan"))
        [problem] = run(rules.unreadable_attachment, ctx)
        assert problem.field == "Danh sách có dấu.pdf"
        assert ".docx" in problem.message and ".xlsx" in problem.message and "Mẫu 2" in problem.message
        assert "bản quét" in problem.message

    def test_several_scans_make_one_problem(self):
        ctx = f.context(
            f.file("IMG_1.jpg", detected="jpeg", size=900_000, failure="scan"),
            f.file("IMG_2.jpg", detected="jpeg", size=900_000, failure="scan"),
        )
        [problem] = run(rules.unreadable_attachment, ctx)
        assert problem.field == "attachments"
        assert "“IMG_1.jpg”" in problem.message and "“IMG_2.jpg”" in problem.message

    def test_scan_next_to_the_editable_file_is_evidence(self):
        ctx = f.list_context(f.nominee())
        ctx = replace(ctx, documents=ctx.documents + (f.file("Danh sách có dấu.pdf", failure="scan"),))
        assert run(rules.unreadable_attachment, ctx) == []

    def test_quiet_otherwise(self, valid_ctx):
        assert run(rules.unreadable_attachment, valid_ctx) == []


# --- the round --------------------------------------------------------------------------------


class TestLate:
    def test_fires_after_the_deadline_in_its_time_zone(self):
        arrived = datetime(2018, 3, 15, 17, 30, tzinfo=UTC)  # 00:30 on the 16th in Vietnam
        [problem] = run(rules.late, f.list_context(f.nominee(), received_at=arrived))
        assert (problem.code, problem.field) == ("late", "received_at")
        assert "15/03/2018 23:59" in problem.message and "16/03/2018 00:30" in problem.message
        assert "Quý I năm 2018" in problem.message
        assert problem.severity == "warning"

    def test_quiet_on_time_even_if_utc_date_is_later(self):
        arrived = datetime(2018, 3, 15, 16, 0, tzinfo=UTC)  # 23:00 in Vietnam
        assert run(rules.late, f.list_context(f.nominee(), received_at=arrived)) == []

    def test_quiet_exactly_at_the_deadline(self):
        assert run(rules.late, f.list_context(f.nominee(), received_at=f.at("2018-03-15 23:59:59"))) == []

    def test_quiet_without_a_round(self):
        assert (
            run(rules.late, f.list_context(f.nominee(), round=None, received_at=f.at("2030-01-01 00:00")))
            == []
        )

    def test_an_ad_hoc_list_is_never_late(self):
        ctx = f.list_context(f.nominee(), received_at=f.at("2018-03-20 08:00"), ad_hoc=True)
        assert run(rules.late, ctx) == []


class TestQuotaExceeded:
    def test_fires_over_the_limit(self):
        ctx = f.list_context(
            *[f.nominee(i, name=f"Người {i}") for i in range(1, 5)], round=f.make_round(max_nominees=3)
        )
        [problem] = run(rules.quota_exceeded, ctx)
        assert (problem.code, problem.field) == ("quota_exceeded", "nominees")
        assert "tối đa 3" in problem.message and "có 4" in problem.message
        assert "giữ lại 3" in problem.message

    def test_counts_nominees_filed_elsewhere(self):
        ctx = f.list_context(
            f.nominee(1), f.nominee(2, name="B"), round=f.make_round(max_nominees=3), elsewhere=others(2)
        )
        [problem] = run(rules.quota_exceeded, ctx)
        assert "đã gửi trong hồ sơ trước" in problem.message and "giữ lại 1" in problem.message

    def test_counts_every_list_of_the_submission(self):
        ctx = f.context(
            f.nomination_list(f.nominee(1), f.nominee(2, name="B"), name="Tập thể.xlsx"),
            f.nomination_list(f.nominee(1, name="C"), f.nominee(2, name="D"), name="Cá nhân.xlsx"),
            round=f.make_round(max_nominees=3),
        )
        assert f.codes(run(rules.quota_exceeded, ctx)) == ["quota_exceeded"]

    def test_quota_already_used_up(self):
        ctx = f.list_context(f.nominee(1), round=f.make_round(max_nominees=2), elsewhere=others(2))
        [problem] = run(rules.quota_exceeded, ctx)
        assert "đã gửi đủ" in problem.message

    @pytest.mark.parametrize(("limit", "elsewhere"), [(None, 50), (3, 0), (3, 1)])
    def test_quiet_within_the_limit(self, limit, elsewhere):
        ctx = f.list_context(
            f.nominee(1),
            f.nominee(2, name="B"),
            round=f.make_round(max_nominees=limit),
            elsewhere=others(elsewhere),
        )
        assert run(rules.quota_exceeded, ctx) == []

    def test_a_person_filed_before_is_counted_once(self):
        # the school's earlier list holds the same two people, written differently
        earlier = frozenset({nominee_identity("NGUYEN VAN  A", "teacher"), nominee_identity("b", "teacher")})
        ctx = f.list_context(
            f.nominee(1, name="Nguyễn Văn A"),
            f.nominee(2, name="B"),
            round=f.make_round(max_nominees=2),
            elsewhere=earlier,
        )
        assert run(rules.quota_exceeded, ctx) == []

    def test_the_same_person_twice_in_one_list_counts_once(self):
        ctx = f.list_context(
            f.nominee(1, name="Lê Thị Hoa"),
            f.nominee(2, name="le thi hoa"),
            round=f.make_round(max_nominees=1),
        )
        assert run(rules.quota_exceeded, ctx) == []

    def test_same_name_in_another_category_is_another_nominee(self):
        earlier = frozenset({nominee_identity("Lê Thị Hoa", "student")})
        ctx = f.list_context(
            f.nominee(1, name="Lê Thị Hoa"), round=f.make_round(max_nominees=1), elsewhere=earlier
        )
        [problem] = run(rules.quota_exceeded, ctx)
        assert "cùng với 1 đã gửi" in problem.message

    def test_an_ad_hoc_list_never_counts(self):
        ctx = f.list_context(
            *[f.nominee(i, name=f"Người {i}") for i in range(1, 5)],
            round=f.make_round(max_nominees=3),
            elsewhere=others(3),
            ad_hoc=True,
        )
        assert run(rules.quota_exceeded, ctx) == []


def others(count: int) -> frozenset[tuple[str, str]]:
    """``count`` distinct nominees the school filed in its other current submissions."""
    return frozenset((f"nguoi khac {i}", "teacher") for i in range(count))


# --- the content ------------------------------------------------------------------------------


class TestMissingFieldRegistration:
    def test_factory_fills_every_field(self):
        assert set(f.REGISTRATION_VALUES) == set(REGISTRATION_FIELDS)

    def test_complete_registration_is_quiet(self):
        assert run(rules.missing_field, f.context(f.registration_doc(f.registration()))) == []

    @pytest.mark.parametrize("key", [k for k in REGISTRATION_FIELDS if k not in ("school", "school_year")])
    @pytest.mark.parametrize("empty", ["", "……………", ". . . . .", None])
    def test_each_field_is_required(self, key, empty):
        ctx = f.context(f.registration_doc(f.registration(**{key: empty})))
        [problem] = run(rules.missing_field, ctx)
        assert (problem.code, problem.field) == ("missing_field", key)

    def test_message_quotes_the_schools_own_label(self):
        reg = f.registration(objectives="", labels={"objectives": "5. Mục tiêu của giải pháp:"})
        [problem] = run(rules.missing_field, f.context(f.registration_doc(reg)))
        assert "“Mục tiêu của giải pháp”" in problem.message
        assert "Nguyễn Thị Bình" in problem.message and "“Đăng ký.docx”" in problem.message
        assert "vui lòng" in problem.message

    def test_official_label_when_the_school_label_is_unknown(self):
        [problem] = run(rules.missing_field, f.context(f.registration_doc(f.registration(trial_steps=""))))
        assert "“Các bước tiến hành thử nghiệm đổi mới”" in problem.message

    def test_several_registrations_are_numbered_across_files(self):
        ctx = f.context(
            f.registration_doc(
                f.registration(), f.registration(full_name="Lê Văn Cường", objectives=""), name="a.docx"
            ),
            f.registration_doc(f.registration(full_name="", assigned_task=""), name="b.docx"),
        )
        problems = run(rules.missing_field, ctx)
        assert f.fields(problems) == [
            "registrations[2].objectives",
            "registrations[3].full_name",
            "registrations[3].assigned_task",
        ]
        assert "Lê Văn Cường" in problems[0].message
        assert "“b.docx”" in problems[2].message

    def test_school_falls_back_to_header_then_sender(self):
        reg = f.registration(school="")
        assert run(rules.missing_field, f.context(f.registration_doc(reg))) == []
        assert run(rules.missing_field, f.context(f.registration_doc(reg, school=""))) == []
        [problem] = run(
            rules.missing_field, f.context(f.registration_doc(reg, school=""), sender_school=None)
        )
        assert problem.field == "school"

    def test_school_year_falls_back_to_header(self):
        reg = f.registration(school_year="")
        assert run(rules.missing_field, f.context(f.registration_doc(reg))) == []
        [problem] = run(rules.missing_field, f.context(f.registration_doc(reg, school_year="")))
        assert problem.field == "school_year" and "2024 – 2025" in problem.message

    def test_template_school_year_is_missing(self):
        reg = f.registration(school_year="Năm học 20. . . – 20. . .")
        [problem] = run(rules.missing_field, f.context(f.registration_doc(reg, school_year="")))
        assert problem.field == "school_year"

    def test_other_kinds_are_not_registrations(self):
        doc = f.registration_doc(f.registration(objectives=""))
        doc = replace(doc, kind="report")
        assert run(rules.missing_field, f.context(doc)) == []


class TestEmptyDocuments:
    def test_nomination_list_without_rows(self):
        [problem] = run(rules.missing_field, f.context(f.nomination_list()))
        assert (problem.code, problem.field) == ("missing_field", "nominees")
        assert (
            "“Danh sách đề nghị.xlsx”" in problem.message
            and "chưa có tập thể, cá nhân nào" in problem.message
        )

    def test_registration_form_without_content(self):
        [problem] = run(rules.missing_field, f.context(f.registration_doc()))
        assert (problem.code, problem.field) == ("missing_field", "registrations")

    def test_empty_list_is_still_a_main_document(self):
        assert run(rules.no_attachment, f.context(f.nomination_list())) == []


class TestMissingFieldNominee:
    @pytest.mark.parametrize("key", ["name", "position", "achievements"])
    def test_required_cells(self, key):
        n = f.nominee(3, **{key: ""})
        [problem] = run(rules.missing_field, f.list_context(n))
        assert (problem.code, problem.field) == ("missing_field", f"nominees[3].{key}")
        assert "STT 3" in problem.message and "“Danh sách đề nghị.xlsx”" in problem.message

    def test_empty_category_is_missing(self):
        [problem] = run(rules.missing_field, f.list_context(f.nominee(1, category=None, category_text="")))
        assert problem.field == "nominees[1].category"
        assert "tập thể, cán bộ quản lý, giáo viên, nhân viên, học sinh" in problem.message

    def test_unrecognised_category_is_not_missing(self):
        assert (
            run(rules.missing_field, f.list_context(f.nominee(1, category=None, category_text="Bảo vệ")))
            == []
        )

    def test_collective_needs_no_position(self):
        assert (
            run(
                rules.missing_field,
                f.list_context(f.nominee(1, name="Tổ Văn", category="collective", position="")),
            )
            == []
        )

    def test_unknown_category_collective_name_needs_no_position(self):
        n = f.nominee(1, name="Tổ Ngữ văn", category=None, category_text="", position="")
        assert f.fields(run(rules.missing_field, f.list_context(n))) == ["nominees[1].category"]

    @pytest.mark.parametrize(
        ("name", "needs_position"),
        [
            ("Tổ Ngữ văn", False),
            ("Khối 9", False),
            ("Chi đoàn giáo viên", False),
            ("Lien doi Truong THCS", False),
            ("Tô Thị Lan", True),
            ("Bàng Văn Khối", True),
            ("Bang Van Khoi", True),
            ("Nguyễn Văn Tổ", True),
        ],
    )
    def test_unknown_category_guesses_collectives_by_name(self, name, needs_position):
        n = f.nominee(1, name=name, category=None, category_text="", position="")
        expected = ["nominees[1].category"] + (["nominees[1].position"] if needs_position else [])
        assert f.fields(run(rules.missing_field, f.list_context(n))) == expected

    @pytest.mark.parametrize("category", ["manager", "teacher", "staff", "student"])
    def test_individuals_need_a_position(self, category):
        [problem] = run(rules.missing_field, f.list_context(f.nominee(1, category=category, position="")))
        assert problem.field == "nominees[1].position"

    def test_row_number_when_rank_missing(self):
        n = f.nominee(None, row=4, achievements="")
        [problem] = run(rules.missing_field, f.list_context(n))
        assert problem.field == "nominees[4].achievements" and "dòng 4" in problem.message

    def test_column_header_the_school_used(self):
        n = f.nominee(1, achievements="", labels={"achievements": "Thành tích nổi bật (tóm tắt)"})
        [problem] = run(rules.missing_field, f.list_context(n))
        assert "“Thành tích nổi bật (tóm tắt)”" in problem.message

    def test_placeholder_cells_are_empty(self):
        [problem] = run(rules.missing_field, f.list_context(f.nominee(1, name="………")))
        assert problem.field == "nominees[1].name"


class TestUnknownCategory:
    def test_fires_for_an_unrecognised_word(self):
        n = f.nominee(2, category=None, category_text="Bảo vệ", labels={"category": "Đối tượng đề nghị"})
        [problem] = run(rules.unknown_category, f.list_context(f.nominee(1), n))
        assert (problem.code, problem.field) == ("unknown_category", "nominees[2].category")
        assert "“Bảo vệ”" in problem.message and "“Đối tượng đề nghị”" in problem.message
        assert "tập thể, cán bộ quản lý, giáo viên, nhân viên, học sinh" in problem.message

    def test_quiet_for_an_empty_cell_or_a_known_category(self, valid_ctx):
        assert (
            run(rules.unknown_category, f.list_context(f.nominee(1, category=None, category_text=""))) == []
        )
        assert run(rules.unknown_category, valid_ctx) == []


class TestBadRank:
    def names(self, *ranks, rank_texts=None):
        rank_texts = rank_texts or [None] * len(ranks)
        return [
            f.nominee(r, name=f"Người {i}", row=i, rank_text=t)
            for i, (r, t) in enumerate(zip(ranks, rank_texts), start=1)
        ]

    @pytest.mark.parametrize("ranks", [(1,), (1, 2, 3), (2, 1, 3)])
    def test_quiet_for_one_to_n(self, ranks):
        assert run(rules.bad_rank, f.list_context(*self.names(*ranks))) == []

    @pytest.mark.parametrize("ranks", [(1, 2), (4, 5, 6), (7, 6)])
    def test_an_additional_list_may_start_at_one_or_continue(self, ranks):
        assert run(rules.bad_rank, f.list_context(*self.names(*ranks), additional=True)) == []

    @pytest.mark.parametrize("ranks", [(4, 6), (4, 4), (4, None)])
    def test_an_additional_list_still_needs_ranks_that_follow_each_other(self, ranks):
        assert f.codes(run(rules.bad_rank, f.list_context(*self.names(*ranks), additional=True))) == [
            "bad_rank"
        ]

    def test_a_full_list_may_not_continue(self):
        assert f.codes(run(rules.bad_rank, f.list_context(*self.names(4, 5, 6)))) == ["bad_rank"]

    @pytest.mark.parametrize(
        ("ranks", "words"),
        [
            ((1, None, 3), "dòng 2 chưa ghi số thứ tự"),
            ((None, None), "các dòng 1 và 2 chưa ghi số thứ tự"),
            ((1, 2, 2), "số 2 bị trùng (các dòng 2 và 3)"),
            ((1, 2, 4), "thiếu số 3"),
            ((1, 2, 4), "số 4 nằm ngoài khoảng 1–3"),
            ((0, 1, 2), "số 0 nằm ngoài"),
            ((2, 3, 4), "thiếu số 1"),
        ],
    )
    def test_fires_once_per_list(self, ranks, words):
        [problem] = run(rules.bad_rank, f.list_context(*self.names(*ranks)))
        assert (problem.code, problem.field) == ("bad_rank", "nominees.rank")
        assert words in problem.message
        assert "1, 2, 3" in problem.message and "thứ tự ưu tiên" in problem.message

    def test_text_that_is_not_a_number(self):
        [problem] = run(rules.bad_rank, f.list_context(*self.names(1, None, rank_texts=[None, "II"])))
        assert "dòng 2 ghi “II”" in problem.message

    def test_each_list_is_numbered_on_its_own(self):
        ctx = f.context(
            f.nomination_list(*self.names(1, 2), name="Tập thể.xlsx"),
            f.nomination_list(*self.names(1, 1), name="Cá nhân.xlsx"),
        )
        [problem] = run(rules.bad_rank, ctx)
        assert "“Cá nhân.xlsx”" in problem.message

    def test_schools_header(self):
        n = self.names(1, 1)
        n[0] = f.nominee(1, name="Người 1", row=1, labels={"rank": "Thứ tự ưu tiên"})
        [problem] = run(rules.bad_rank, f.list_context(*n))
        assert "“Thứ tự ưu tiên”" in problem.message


class TestMissingEvidence:
    def test_fires_when_nothing_is_listed(self):
        [problem] = run(rules.missing_evidence, f.list_context(f.nominee(2, evidence=())))
        assert (problem.code, problem.field) == ("missing_evidence", "nominees[2].evidence")
        assert "chưa ghi minh chứng" in problem.message and ".zip" in problem.message
        assert "“Minh chứng, sản phẩm”" in problem.message

    def test_placeholders_are_not_evidence(self):
        [problem] = run(rules.missing_evidence, f.list_context(f.nominee(1, evidence=("……", " "))))
        assert "chưa ghi minh chứng" in problem.message

    def test_names_the_missing_files_as_written(self):
        n = f.nominee(
            1,
            name="Nguyễn Văn An",
            evidence=("Giấy khen Nguyễn Văn An.pdf", "Quyết định số 45.pdf"),
            labels={"evidence": "Minh chứng"},
        )
        ctx = f.context(f.nomination_list(n), f.file("Giấy khen Nguyễn Văn An.pdf"))
        [problem] = run(rules.missing_evidence, ctx)
        assert "“Quyết định số 45.pdf”" in problem.message
        assert "Giấy khen" not in problem.message.split("ghi ở cột")[0].split("chưa nhận được")[1]
        assert (
            "“Minh chứng”" in problem.message and "đính kèm" in problem.message and ".zip" in problem.message
        )

    def test_found_in_an_archive_tolerantly(self):
        n = f.nominee(1, evidence=("Giay khen Nguyen Van An", "Giấy chứng nhận giải Nhì (bản scan)"))
        ctx = f.context(
            f.nomination_list(n),
            f.file("hoso.zip/Giấy khen Nguyễn Văn An.PDF"),
            f.file(unicodedata.normalize("NFD", "hoso.zip/Giấy chứng nhận giải Nhì.jpg")),
        )
        assert run(rules.missing_evidence, ctx) == []

    def test_a_failed_file_is_still_attached(self):
        n = f.nominee(1, evidence=("Giấy khen.pdf",))
        ctx = f.context(f.nomination_list(n), f.file("Giấy khen.pdf", failure="corrupt"))
        assert run(rules.missing_evidence, ctx) == []

    def test_links_must_be_attached(self):
        n = f.nominee(1, evidence=("https://drive.google.com/abc",))
        [problem] = run(rules.missing_evidence, f.list_context(n, with_evidence=False))
        assert "đường liên kết" in problem.message and "https://drive.google.com/abc" in problem.message

    def test_attached_without_naming_anything(self):
        [problem] = run(rules.missing_evidence, f.list_context(f.nominee(1, evidence=("Đính kèm",))))
        assert "“Đính kèm”" in problem.message and "tên tệp" in problem.message

    def test_one_problem_per_nominee(self):
        ctx = f.list_context(
            f.nominee(1, evidence=()),
            f.nominee(2, name="B", evidence=("a.pdf", "b.pdf")),
            with_evidence=False,
        )
        assert f.fields(run(rules.missing_evidence, ctx)) == ["nominees[1].evidence", "nominees[2].evidence"]

    def test_quiet_when_everything_is_attached(self, valid_ctx):
        assert run(rules.missing_evidence, valid_ctx) == []


class TestNotQuantified:
    def test_fires_for_prose(self):
        n = f.nominee(
            2,
            achievements="Nhiệt tình, có nhiều đóng góp cho nhà trường",
            labels={"achievements": "Thành tích"},
        )
        [problem] = run(rules.not_quantified, f.list_context(n))
        assert (problem.code, problem.field, problem.severity) == (
            "not_quantified",
            "nominees[2].achievements",
            "warning",
        )
        assert "“Thành tích”" in problem.message and "số liệu" in problem.message
        assert "vẫn được tiếp nhận" in problem.message

    def test_quiet_for_figures_and_for_empty_cells(self):
        assert (
            run(rules.not_quantified, f.list_context(f.nominee(1, achievements="Đạt giải Ba cấp tỉnh"))) == []
        )
        assert (
            run(rules.not_quantified, f.list_context(f.nominee(1, achievements=""))) == []
        )  # missing_field's job
