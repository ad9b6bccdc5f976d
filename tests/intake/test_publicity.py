"""Which files of a mail are articles and photos for the website (``publicity``)."""

from __future__ import annotations

from dataclasses import replace

from tests.support import checks_factory as f
from thidua.checks import rules
from thidua.intake.examine import Examined
from thidua.intake.intent import mail_intent
from thidua.intake.publicity import as_publicity, publicity_notes

ARTICLES = mail_intent("Gửi bài viết, hình ảnh minh họa quý I", "")
PLAIN = mail_intent("Hồ sơ thi đua quý I", "")


def examined(*findings) -> Examined:
    return Examined(tuple(findings), (), ())


def photo(name: str, size: int = 300_000):
    return f.file(name, detected="jpeg", size=size, kind="evidence", failure="scan")


def kinds(result: Examined) -> list[tuple[str, str]]:
    return [(d.kind, d.failure) for d in result.findings]


def test_an_article_mail_makes_its_documents_and_photos_publicity():
    result = as_publicity(
        examined(f.file("bai.docx", detected="docx", kind="unknown"), photo("1.jpg")), ARTICLES
    )
    assert kinds(result) == [("publicity", ""), ("publicity", "")]
    assert publicity_notes(result) == (
        "Đã nhận 1 bài viết và 1 ảnh minh họa để tuyên truyền trên trang thông tin của cơ quan. Ảnh gửi kèm bài viết "
        "là ảnh minh họa, không tính là minh chứng; nhà trường không cần gửi lại theo mẫu.",
    )


def test_a_document_titled_as_an_article_is_enough():
    result = as_publicity(
        examined(f.file("tin.docx", detected="docx", kind="publicity"), photo("1.jpg")), PLAIN
    )
    assert kinds(result) == [("publicity", ""), ("publicity", "")]


def test_a_mail_with_a_list_keeps_its_photos_as_evidence():
    docs = examined(f.nomination_list(f.nominee()), photo("1.jpg"))
    assert as_publicity(docs, ARTICLES) == docs


def test_a_corrupt_file_and_a_signature_logo_stay_as_they_are():
    docs = examined(
        f.file("hong.docx", detected="docx", kind="unknown", failure="corrupt"), photo("logo.png", size=2_000)
    )
    assert kinds(as_publicity(docs, ARTICLES)) == [("unknown", "corrupt"), ("evidence", "scan")]


def test_photos_without_a_word_about_articles_are_not_publicity():
    docs = examined(photo("1.jpg"))
    assert as_publicity(docs, PLAIN) == docs
    assert publicity_notes(docs) == ()


def test_publicity_is_never_asked_for_as_a_form():
    ctx = f.context(
        replace(photo("1.jpg"), kind="publicity", failure=""), f.file("bai.docx", kind="publicity")
    )
    assert list(rules.no_attachment(ctx)) == [] and list(rules.unreadable_attachment(ctx)) == []
