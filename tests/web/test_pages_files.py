"""Files, original mails and replies: inline only for PDFs and raster images detected from their
bytes, everything else downloaded as an attachment; hostile names never reach a header as given."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from sqlmodel import select

from tests.support.desk_office import HOSTILE_FILE
from tests.support.page_client import Desk, client_over

RECEIPT = "HS-2018-0002"


def _documents(desk_office, receipt=RECEIPT):
    from thidua.intake.app import App
    from thidua.store.models import Document, Submission

    app = App(desk_office.settings())
    with app.db.session() as session:
        rows = session.exec(
            select(Document)
            .join(Submission, Document.submission_id == Submission.id)
            .where(Submission.receipt == receipt)
        ).all()
    return {row.filename: row for row in rows}


def test_a_list_is_downloaded_never_shown(reader, desk_office):
    xlsx = _documents(desk_office)["Danh sách <quý I>.xlsx"]
    base = f"/submissions/{RECEIPT}/files/{xlsx.sha256}"
    desk = reader["viewer"]
    for path in (base + "/download", base + "/raw"):
        response = desk.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.headers["x-content-type-options"] == "nosniff"
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment; ") and "<" not in disposition
        assert "filename*=UTF-8''Danh%20s%C3%A1ch%20%3Cqu%C3%BD%20I%3E.xlsx" in disposition
        assert response.content[:2] == b"PK"
    assert desk.get(base, follow_redirects=False).headers["location"].endswith("/download")


def test_a_pdf_is_shown_inline_as_a_pdf_with_its_own_policy(reader, desk_office):
    pdf = _documents(desk_office)["x"]
    base = f"/submissions/{RECEIPT}/files/{pdf.sha256}"
    page = reader["viewer"].get(base)
    assert page.status_code == 200 and f'data="{base}/raw" type="application/pdf"' in page.text
    raw = reader["viewer"].get(base + "/raw")
    assert raw.headers["content-type"] == "application/pdf"
    assert raw.headers["content-disposition"].startswith("inline; ")
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in raw.headers["content-security-policy"]
    assert raw.content.startswith(b"%PDF-")


def test_a_file_named_with_a_path_downloads_under_its_last_part(fresh_office):
    from thidua.intake.app import App
    from thidua.store.models import Document

    pdf = _documents(fresh_office)["x"]
    app = App(fresh_office.settings())
    with app.db.session() as session:
        row = session.get(Document, pdf.id)
        row.filename = HOSTILE_FILE + '"\r\nSet-Cookie: a=b'
        session.add(row)
    with client_over(fresh_office) as client:
        desk = Desk(client, "viewer").login()
        page = desk.get(f"/submissions/{RECEIPT}").text
        assert "../../x&#34;" in page or "../../x&quot;" in page
        response = desk.get(f"/submissions/{RECEIPT}/files/{pdf.sha256}/download")
    disposition = response.headers["content-disposition"]
    assert "a=b" not in response.headers.get("set-cookie", "")
    assert "/" not in disposition.split("filename*=", 1)[1] and ".." not in disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="x')


def test_the_original_mail_and_the_reply_download_as_eml(reader):
    desk = reader["viewer"]
    mail = desk.get(f"/submissions/{RECEIPT}/v1/mail.eml")
    assert mail.status_code == 200 and mail.headers["content-type"].startswith("message/rfc822")
    assert mail.headers["content-disposition"].startswith('attachment; filename="HS-2018-0002-lan-1.eml"')
    assert b"Message-ID: <phongan-q1-2018@example.vn>" in mail.content
    page = desk.get(f"/submissions/{RECEIPT}").text
    reply_path = page.split(f'href="/submissions/{RECEIPT}/replies/', 1)[1].split('"', 1)[0]
    reply = desk.get(f"/submissions/{RECEIPT}/replies/{reply_path}")
    assert reply.status_code == 200 and reply.headers["content-disposition"].startswith("attachment; ")
    assert "[HS-2018-0002]" in message_from_bytes(reply.content, policy=policy.default)["Subject"]


@pytest.mark.parametrize(
    "path",
    [
        f"/submissions/{RECEIPT}/files/{'0' * 64}/download",
        f"/submissions/{RECEIPT}/files/not-a-hash/raw",
        f"/submissions/{RECEIPT}/v9/mail.eml",
        f"/submissions/{RECEIPT}/replies/999999.eml",
        "/submissions/HS-2099-0001",
        "/review/999999/mail.eml",
    ],
)
def test_what_does_not_exist_is_a_404_page(reader, path):
    response = reader["viewer"].get(path)
    assert response.status_code == 404 and "Không tìm thấy" in response.text


def test_a_file_of_another_submission_is_not_served_under_this_receipt(reader, desk_office):
    other = next(iter(_documents(desk_office, "HS-2018-0004").values()))
    assert reader["viewer"].get(f"/submissions/{RECEIPT}/files/{other.sha256}/download").status_code == 404


def test_a_parked_mail_downloads_as_eml(reader):
    html = reader["clerk"].get("/review").text
    ledger = html.split('href="/review/', 1)[1].split("/", 1)[0]
    response = reader["viewer"].get(f"/review/{ledger}/mail.eml")
    assert response.status_code == 200 and b"<hoasen-parked@example.vn>" in response.content
    assert response.headers["content-disposition"].startswith("attachment; ")
