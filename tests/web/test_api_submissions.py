"""The SPEC's API paths, their status codes and bodies, through the real application."""

# ruff: noqa: F811 - pytest fixtures imported from their module and used as parameters
from __future__ import annotations

import io
import unicodedata

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.support.api_office import OFFICE_CODE, api_office  # noqa: F401 - fixture
from tests.support.mails import complete_mail, file_mail
from tests.support.office import BEFORE_DEADLINE
from thidua.desk import queries
from thidua.intake.sources import MaildirSource
from thidua.store import audit
from thidua.store.models import Reply


def test_the_list_is_the_current_versions_as_in_submissions_json(api_office):
    client = api_office.client("viewer")
    everything = client.get("/api/submissions").json()
    assert [s["receipt"] for s in everything] == ["HS-2018-0002", "HS-2018-0001"]  # newest first
    first = everything[1]
    assert first["status"] == "needs_correction" and first["school"] == "Trường THCS An Bình"
    assert first["round"] == "q1-2018" and first["received_at"].endswith("+07:00")
    assert {"documents", "nominees", "problems", "decisions", "signed_copy"} <= set(first)
    assert all(unicodedata.is_normalized("NFC", n["name"]) for n in first["nominees"])
    [nominee] = first["nominees"]
    assert isinstance(nominee["id"], int) and {"review", "selected", "proposed_award"} <= set(nominee)
    assert [s["receipt"] for s in client.get("/api/submissions", params={"status": "accepted"}).json()] == [
        "HS-2018-0002"
    ]
    assert [
        s["receipt"] for s in client.get("/api/submissions", params={"school": "Trường THCS An Bình"}).json()
    ] == ["HS-2018-0001"]
    assert client.get("/api/submissions", params={"round": "dang-ky"}).json() == []


def test_one_submission_with_its_versions(api_office):
    client = api_office.client("viewer")
    # a second version, in the thread of the first
    file_mail(api_office.room, complete_mail(subject="Re: [HS-2018-0001] bổ sung minh chứng"), key="test:3")
    record = client.get("/api/submissions/HS-2018-0001").json()
    assert record["version"] == 2 and record["status"] == "accepted"
    assert [(v["version"], v["status"]) for v in record["versions"]] == [(1, "superseded"), (2, "accepted")]
    missing = client.get("/api/submissions/HS-2018-0404")
    assert missing.status_code == 404 and missing.json() == {"detail": "Không có hồ sơ mã HS-2018-0404."}


def test_a_decision_is_returned_audited_and_answered_through_the_outbox(api_office):
    response = api_office.client("clerk").post(
        "/api/submissions/HS-2018-0001/decision",
        json={
            "action": "request_correction",
            "note": "Thiếu chữ ký",
            "items": ["Gửi bản có chữ ký hiệu trưởng"],
        },
    )
    assert response.status_code == 200
    record = response.json()
    assert record["status"] == "needs_correction"
    assert [(d["action"], d["by"], d["items"]) for d in record["decisions"]] == [
        ("request_correction", "token:script-clerk", ["Gửi bản có chữ ký hiệu trưởng"])
    ]
    with api_office.app.db.session() as session:
        replies = session.exec(select(Reply).order_by(Reply.id)).all()
        entries = audit.entries_for(session, OFFICE_CODE, "receipt", "HS-2018-0001")
    assert replies[-1].kind == "correction" and replies[-1].status == "queued"
    assert replies[-1].subject.startswith("[HS-2018-0001]")
    assert [(e.action, e.actor) for e in entries] == [("decision", "token:script-clerk")]


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"action": "accept", "note": ""}, "Cần ghi ý kiến (note) cho quyết định."),
        ({"action": "accept"}, "Thiếu trường note (ý kiến)."),
        ({"action": "approve", "note": "x"}, "Giá trị của action (quyết định) không hợp lệ"),
        (
            {"action": "accept", "note": "x", "items": "một chuỗi"},
            "Trường items (nội dung đề nghị) sai kiểu dữ liệu.",
        ),
        ({"action": "accept", "note": "x", "by": "someone"}, "Trường by không được dùng ở đây."),
    ],
)
def test_a_bad_decision_body_is_422_in_vietnamese(api_office, body, expected):
    response = api_office.client("clerk").post("/api/submissions/HS-2018-0001/decision", json=body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(expected)
    with api_office.app.db.session() as session:
        assert audit.decisions_for(session, OFFICE_CODE, ["HS-2018-0001"])["HS-2018-0001"] == []


def test_a_body_without_its_json_content_type_is_422(api_office):
    response = api_office.client("clerk").post(
        "/api/submissions/HS-2018-0001/decision", content=b'{"action": "accept", "note": "x"}'
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Nội dung gửi lên phải là một đối tượng JSON")


def test_a_body_that_is_not_json_is_422(api_office):
    response = api_office.client("clerk").post(
        "/api/submissions/HS-2018-0001/decision",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Nội dung gửi lên không phải JSON hợp lệ." and body["errors"]


def test_a_decision_on_an_unknown_receipt_is_404(api_office):
    response = api_office.client("clerk").post(
        "/api/submissions/HS-2018-0999/decision", json={"action": "accept", "note": "x"}
    )
    assert response.status_code == 404 and response.json()["detail"] == "Không có hồ sơ mã HS-2018-0999."


def test_the_signed_copy(api_office):
    client = api_office.client("clerk")
    response = client.post("/api/submissions/HS-2018-0002/signed-copy")
    assert response.status_code == 200 and response.json()["signed_copy"] == "paper"
    assert client.post("/api/submissions/HS-2018-0999/signed-copy").status_code == 404


def test_review_and_selection_bodies(api_office):
    client = api_office.client("reviewer")
    bad = client.post("/api/nominees/1/review", json={"evidence": "maybe"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("Giá trị của evidence")
    assert client.post("/api/nominees/999999/review", json={"evidence": "ok"}).status_code == 404
    assert client.post("/api/nominees/999999/selection", json={"selected": False}).status_code == 404
    assert client.post("/api/nominees/1/selection", json={"award": "gk"}).status_code == 422


def test_the_consolidated_list_downloads_as_an_attachment(api_office):
    response = api_office.client("viewer").get("/api/rounds/q1-2018/export.xlsx")
    assert response.status_code == 200
    assert (
        response.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    assert response.headers["x-content-type-options"] == "nosniff"
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
    assert {"Trần Văn Bình", "Lê Thị Cúc"} <= names
    assert api_office.client("viewer").get("/api/rounds/q9-2099/export.xlsx").status_code == 404


def test_the_review_queue_and_processing_a_parked_mail_again(api_office):
    room = api_office.room
    room.deliver(complete_mail(sender="thphonghoa@example.vn", name="Phạm Văn Dũng"), BEFORE_DEADLINE)
    source = MaildirSource(room.inbox)
    [mail] = list(source.pending())
    room.app.mailroom._park(mail, source, "the worker reading the documents was killed")
    viewer, clerk = api_office.client("viewer"), api_office.client("clerk")
    [parked] = viewer.get("/api/review").json()["mails"]
    assert parked["sender"] == "thphonghoa@example.vn" and "killed" in parked["error"]
    assert viewer.post(f"/api/review/{parked['id']}/reprocess").status_code == 403
    assert clerk.post("/api/review/99999/reprocess").status_code == 404
    done = clerk.post(f"/api/review/{parked['id']}/reprocess")
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert viewer.get("/api/review").json()["mails"] == []
    with room.app.db.session() as session:
        assert queries.review_queue(session, OFFICE_CODE).mails == ()


def test_health_and_security_headers(api_office):
    client = api_office.client()
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    for response in (health, client.get("/api/submissions"), client.get("/login")):
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
    assert client.get("/docs").status_code == 404 and client.get("/openapi.json").status_code == 404
    assert client.get("/api/nothing-here", headers={"Authorization": "Bearer x"}).json()["detail"]


def test_unknown_pages_are_a_vietnamese_404_page_and_unknown_api_paths_json(api_office):
    stranger = api_office.client().get("/khong-co-trang-nay")
    assert stranger.status_code == 404 and stranger.headers["content-type"].startswith("text/html")
    assert "Không có trang hoặc tài nguyên này." in stranger.text
    viewer = api_office.logged_in("viewer")
    page = viewer.get("/khong-co-trang-nay")
    assert page.status_code == 404 and "Cán bộ viewer" in page.text  # still shown as logged in
    api = viewer.get("/api/khong-co")
    assert api.status_code == 404 and api.json() == {"detail": "Không có trang hoặc tài nguyên này."}


def test_a_refusal_no_route_caught_keeps_its_status_and_words(api_office):
    from fastapi.testclient import TestClient

    from thidua.desk.actor import Conflict, DeskError, NotFound
    from thidua.web.app import create_app

    app = create_app(api_office.app.settings, engine=api_office.app.db.engine)
    refusals = {"missing": NotFound("Không có."), "taken": Conflict("Đã đủ."), "bad": DeskError("Sai.")}

    @app.get("/api/refuse/{what}")
    def refuse(what: str):
        raise refusals[what]

    client = TestClient(app)
    answers = {what: client.get(f"/api/refuse/{what}") for what in refusals}
    assert {what: (r.status_code, r.json()["detail"]) for what, r in answers.items()} == {
        "missing": (404, "Không có."),
        "taken": (409, "Đã đủ."),
        "bad": (422, "Sai."),
    }
