"""The council's pages: evidence review and selection per round, each refused to the roles without
the right, the cap shown as a message, "insufficient" turned into a correction request in the
school's thread, and the papers downloaded from the exports page."""

from __future__ import annotations

import io
import re
from email import message_from_bytes, policy

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.support.desk_office import HOSTILE_NAME
from thidua.intake.app import App
from thidua.store import audit
from thidua.store.models import Reply, Submission

ROUND = "q1-2018"
EVIDENCE = f"/rounds/{ROUND}/evidence"
SELECTION = f"/rounds/{ROUND}/selection"
CARD = re.compile(r'<article class="nominee[^"]*" id="n-(\d+)"')
CAP = "Đã chọn đủ 3 tập thể, cá nhân cho hình thức “Bằng khen của Giám đốc Sở GD&amp;ĐT”"


def _cards(html: str) -> list[int]:
    return [int(i) for i in CARD.findall(html)]


def _card(html: str, nominee_id: int) -> str:
    start = html.index(f'id="n-{nominee_id}"')
    return html[start : html.index("</article>", start)]


@pytest.fixture
def app(fresh_office):
    application = App(fresh_office.settings())
    yield application
    application.db.dispose()


def test_every_nominee_of_the_round_grouped_by_school_in_rank_order(reader):
    page = reader["reviewer"].get(EVIDENCE)
    assert page.status_code == 200
    schools = re.findall(r'<h2 id="school-\d+"><span class="school-text">([^<]+)<', page.text)
    assert schools == [
        "Trường THCS An Bình",
        "Trường THCS Phong Điền",
        "Trường Tiểu học Phong An",
        "Trường Tiểu học Phong Hòa",
    ]
    ranks = re.findall(r'<span class="rank"[^>]*>(\d+|—)</span>', page.text)
    assert ranks[:3] == ["1", "2", "3"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and HOSTILE_NAME not in page.text
    assert "Đã thẩm định <strong>0 / 9</strong>" in page.text
    assert 'data-key="o"' in page.text and "Phím tắt" in page.text


def test_evidence_files_are_one_click_away(reader):
    reviewer = reader["reviewer"]
    page = reviewer.get(EVIDENCE).text
    links = re.findall(r'href="(/submissions/HS-2018-\d{4}/files/[0-9a-f]{64})"', page)
    assert links
    opened = reviewer.get(links[0])
    assert opened.status_code == 200 and "<object" in opened.text  # a PDF shown in the page
    downloaded = reviewer.get(links[0] + "/download")
    assert downloaded.headers["content-disposition"].startswith("attachment;")


def test_evidence_and_selection_go_to_the_round_being_worked_on(reader):
    for path in ("/evidence", "/selection"):
        response = reader["viewer"].get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/rounds/")
    assert reader["viewer"].get("/rounds/khong-co/evidence").status_code == 404


def test_a_reviewer_marks_evidence_with_and_without_htmx(writer):
    reviewer = writer("reviewer")
    first, second = _cards(reviewer.get(EVIDENCE).text)[:2]
    saved = reviewer.post(f"{EVIDENCE}/{first}", {"evidence": "ok", "note": ""})
    assert saved.status_code == 303 and saved.headers["location"].endswith(f"#n-{first}")
    page = reviewer.get(saved.headers["location"]).text
    assert "Đã ghi kết quả thẩm định." in page and "badge ok verdict" in _card(page, first)

    refused = reviewer.post(f"{EVIDENCE}/{second}", {"evidence": "insufficient", "note": " "})
    assert refused.status_code == 422 and "hãy ghi rõ còn thiếu gì" in _card(refused.text, second)

    card = reviewer.post(
        f"{EVIDENCE}/{second}",
        {"evidence": "insufficient", "note": "Thiếu giấy chứng nhận giải Nhất"},
        headers={"HX-Request": "true"},
    )
    assert card.status_code == 200 and card.text.startswith(
        f'<article class="nominee insufficient" id="n-{second}"'
    )
    assert "Thiếu giấy chứng nhận giải Nhất" in card.text and "<html" not in card.text
    assert 'id="evidence-counts" class="tally" hx-swap-oob="true"' in card.text
    assert "Đã thẩm định <strong>2 / 9</strong>" in card.text
    json = reviewer.get("/api/submissions?round=q1-2018").json()
    verdicts = {n["id"]: n["review"] for s in json for n in s["nominees"] if n["review"]}
    assert verdicts[first]["evidence"] == "ok" and verdicts[second]["by"] == "reviewer"


@pytest.mark.parametrize("role", ["clerk", "viewer"])
def test_clerks_and_viewers_can_neither_review_nor_select(writer, role):
    desk = writer(role)
    page = desk.get(EVIDENCE).text
    nominee = _cards(page)[0]
    assert "verdict-form" not in page and "Phím tắt" not in page
    assert desk.post(f"{EVIDENCE}/{nominee}", {"evidence": "ok"}).status_code == 403
    assert "selection-form" not in desk.get(SELECTION).text
    assert desk.post(f"{SELECTION}/{nominee}", {"award": "gk-chu-tich"}).status_code == 403
    assert "Đã thẩm định <strong>0 / 9</strong>" in desk.get(EVIDENCE).text
    assert "Đã chọn:" not in desk.get(SELECTION).text


def test_a_post_without_the_csrf_token_is_refused(writer):
    reviewer = writer("reviewer")
    nominee = _cards(reviewer.get(EVIDENCE).text)[0]
    assert reviewer.post(f"{EVIDENCE}/{nominee}", {"evidence": "ok"}, csrf=False).status_code == 403


def test_insufficient_becomes_a_correction_request_in_the_thread(writer, app):
    reviewer, clerk = writer("reviewer"), writer("clerk")
    page = reviewer.get(EVIDENCE).text
    nominee = _cards(page)[0]
    receipt = re.search(r'hồ sơ <a href="/submissions/(HS-2018-\d{4})"', _card(page, nominee)).group(1)
    assert "evidence-request" not in page  # a reviewer marks; a clerk writes to the school
    reviewer.post(f"{EVIDENCE}/{nominee}", {"evidence": "insufficient", "note": "Thiếu quyết định công nhận"})
    shown = clerk.get(EVIDENCE).text
    assert f'name="receipt" value="{receipt}"' in shown
    assert reviewer.post(f"{EVIDENCE}-request", {"receipt": receipt}).status_code == 403

    sent = clerk.post(f"{EVIDENCE}-request", {"receipt": receipt, "note": "Hạn bổ sung 20/3."})
    assert sent.status_code == 303 and sent.headers["location"].endswith("done=evidence_requested")
    with app.db.session() as session:
        submission = session.query(Submission).filter_by(receipt=receipt, status="needs_correction").one()
        reply = session.query(Reply).filter_by(submission_id=submission.id, kind="correction").all()[-1]
        name = next(n.name for n in submission.nominees if n.id == nominee)
        decisions = audit.decisions_for(session, "default", [receipt])[receipt]
    mail = message_from_bytes(app.blobs.get(reply.eml_sha256), policy=policy.default)
    text = mail.get_body(("plain",)).get_content()
    assert f"Bổ sung minh chứng cho {name}" in text and "Thiếu quyết định công nhận" in text
    assert "Hạn bổ sung 20/3." in text and mail["In-Reply-To"] == submission.message_id
    assert decisions[-1].action == "request_correction"

    nothing = clerk.post(f"{EVIDENCE}-request", {"receipt": "HS-2018-0003"})
    assert nothing.status_code == 422 and "không có tập thể, cá nhân nào" in nothing.text


def test_selection_shows_the_usage_and_refuses_past_the_cap(writer):
    reviewer = writer("reviewer")
    page = reviewer.get(SELECTION).text
    assert re.search(r"Bằng khen của Giám đốc Sở GD&amp;ĐT:\s*<span class=\"n\">0 / 3</span>", page)
    nominees = _cards(page)
    for nominee in nominees[:3]:
        done = reviewer.post(f"{SELECTION}/{nominee}", {"award": "bk-giam-doc-so"})
        assert done.status_code == 303
    page = reviewer.get(SELECTION).text
    assert re.search(r"<span class=\"n\">3 / 3</span>\s*<span class=\"small\">đã đủ</span>", page)
    assert "Đã chọn: Bằng khen của Giám đốc Sở GD&amp;ĐT" in _card(page, nominees[0])

    over = reviewer.post(f"{SELECTION}/{nominees[3]}", {"award": "bk-giam-doc-so"})
    assert over.status_code == 409 and CAP in _card(over.text, nominees[3])
    assert '<option value="bk-giam-doc-so" selected>' in _card(over.text, nominees[3])  # as asked
    over_htmx = reviewer.post(
        f"{SELECTION}/{nominees[3]}", {"award": "bk-giam-doc-so"}, headers={"HX-Request": "true"}
    )
    assert over_htmx.status_code == 409 and over_htmx.text.lstrip().startswith("<title>")

    assert reviewer.post(f"{SELECTION}/{nominees[0]}", {"selected": "0"}).status_code == 303
    assert reviewer.post(f"{SELECTION}/{nominees[3]}", {"award": "bk-giam-doc-so"}).status_code == 303
    unknown = reviewer.post(f"{SELECTION}/{nominees[4]}", {"award": "khong-co"})
    assert unknown.status_code == 422 and "Không có hình thức khen thưởng" in unknown.text
    with_audit = reviewer.get("/api/submissions?round=q1-2018").json()
    chosen = [n["id"] for s in with_audit for n in s["nominees"] if n["selected"]]
    assert sorted(chosen) == sorted(nominees[1:4])


def test_the_papers_download_from_the_exports_page(writer):
    reviewer = writer("reviewer")
    nominee = _cards(reviewer.get(SELECTION).text)[0]
    reviewer.post(f"{SELECTION}/{nominee}", {"award": "gk-chu-tich"})
    name = next(
        n["name"]
        for s in reviewer.get("/api/submissions?round=q1-2018").json()
        for n in s["nominees"]
        if n["id"] == nominee
    )
    viewer = writer("viewer")
    page = viewer.get("/exports").text
    for href in (
        f"/exports/{ROUND}/official-list.docx",
        f"/exports/{ROUND}/official-list.xlsx",
        f"/exports/{ROUND}/results-report.docx",
        f"/exports/{ROUND}/results-report.xlsx",
    ):
        assert f'href="{href}"' in page
    official = viewer.get(f"/exports/{ROUND}/official-list.docx")
    assert official.status_code == 200 and official.headers["content-disposition"].startswith("attachment;")
    paragraphs = [p.text for p in Document(io.BytesIO(official.content)).paragraphs]
    assert "I. Giấy khen của Chủ tịch UBND huyện (1 tập thể, cá nhân)" in paragraphs
    table_text = [
        c.text for t in Document(io.BytesIO(official.content)).tables for r in t.rows for c in r.cells
    ]
    assert name in table_text
    sheet = load_workbook(io.BytesIO(viewer.get(f"/exports/{ROUND}/official-list.xlsx").content)).active
    assert name in [c.value for row in sheet.iter_rows() for c in row]
    report = load_workbook(io.BytesIO(viewer.get(f"/exports/{ROUND}/results-report.xlsx").content))
    assert report.sheetnames
    assert viewer.get(f"/exports/{ROUND}/results-report.docx").status_code == 200
    assert viewer.get(f"/exports/{ROUND}/official-list.pdf").status_code == 404
    assert viewer.get("/exports/khong-co/official-list.docx").status_code == 404
