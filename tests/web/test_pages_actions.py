"""The desk's forms: decisions, paper copies, the review queue and schools, each refused to a role
without the right and to a post without the session's CSRF token, and each audited."""

from __future__ import annotations

import pytest

from tests.support.desk_office import LONG_NAME

RECEIPT = "HS-2018-0002"


def _status(desk, receipt=RECEIPT) -> str:
    return desk.get(f"/api/submissions/{receipt}").json()["status"]


def test_a_clerk_accepts_with_a_note_and_the_reply_is_queued_in_the_thread(writer):
    clerk = writer("clerk")
    response = clerk.post(
        f"/submissions/{RECEIPT}/decision",
        {"action": "accept", "note": "Minh chứng đã nộp bản giấy tại phòng.", "items": ""},
    )
    assert (
        response.status_code == 303 and response.headers["location"] == f"/submissions/{RECEIPT}?done=accept"
    )
    page = clerk.get(response.headers["location"]).text
    assert "Đã tiếp nhận hồ sơ; thư báo đã tiếp nhận" in page
    assert "Minh chứng đã nộp bản giấy tại phòng." in page  # the decision, and the audit entry
    assert page.count("Minh chứng đã nộp bản giấy tại phòng.") >= 2
    assert "chờ gửi" in page  # the reply waits in the outbox for the daemon's next pass
    assert _status(clerk) == "accepted"


def test_a_correction_request_lists_the_clerks_own_words(writer):
    clerk = writer("clerk")
    clerk.post(
        f"/submissions/{RECEIPT}/decision",
        {
            "action": "request_correction",
            "note": "Gọi điện cho cô Hạnh ngày 14/3.",
            "items": "Bổ sung quyết định công nhận sáng kiến\n\nGhi rõ chức vụ của tập thể",
        },
    )
    page = clerk.get(f"/submissions/{RECEIPT}").text
    assert '<li class="school-text">Bổ sung quyết định công nhận sáng kiến</li>' in page
    assert "Ghi rõ chức vụ của tập thể" in page and _status(clerk) == "needs_correction"


def test_a_decision_without_a_note_is_refused_with_the_reason(writer):
    clerk = writer("clerk")
    response = clerk.post(f"/submissions/{RECEIPT}/decision", {"action": "reject", "note": "  "})
    assert response.status_code == 422 and "Cần ghi ý kiến" in response.text
    assert _status(clerk) == "needs_correction"


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_a_forged_post_from_a_reader_changes_nothing(writer, role):
    desk = writer(role)
    for path, data in (
        (f"/submissions/{RECEIPT}/decision", {"action": "accept", "note": "giả mạo"}),
        (f"/submissions/{RECEIPT}/signed-copy", {}),
        ("/schools", {"name": "Trường giả mạo", "addresses": "gia@example.vn"}),
        ("/review/11/discard", {}),
    ):
        assert desk.post(path, data).status_code == 403, path
    assert _status(desk) == "needs_correction"
    assert "Trường giả mạo" not in desk.get("/schools").text
    assert "giả mạo" not in desk.get(f"/submissions/{RECEIPT}").text


def test_a_post_without_the_csrf_token_is_refused(writer):
    clerk = writer("clerk")
    response = clerk.post(f"/submissions/{RECEIPT}/decision", {"action": "accept", "note": "ok"}, csrf=False)
    assert response.status_code == 403
    wrong = clerk.post(
        f"/submissions/{RECEIPT}/decision",
        {"action": "accept", "note": "ok", "csrf_token": "x" * 43},
        csrf=False,
    )
    assert wrong.status_code == 403 and _status(clerk) == "needs_correction"


def test_the_paper_copy_is_recorded(writer):
    clerk = writer("clerk")
    response = clerk.post(f"/submissions/{RECEIPT}/signed-copy")
    assert response.status_code == 303
    page = clerk.get(response.headers["location"]).text
    assert "Đã nhận bản giấy" in page and "Ghi nhận bản giấy" in page  # the state and the audit entry
    assert 'action="/submissions/HS-2018-0002/signed-copy"' not in page


def test_the_review_queue_discards_and_reprocesses(writer):
    clerk = writer("clerk")
    queue = clerk.get("/review").text
    ledger = queue.split('href="/review/', 1)[1].split("/", 1)[0]
    assert "Báo cáo thi đua quý I (gửi lại)" in queue
    response = clerk.post(f"/review/{ledger}/reprocess")
    assert response.status_code == 303
    assert "Báo cáo thi đua quý I (gửi lại)" not in clerk.get("/review").text
    assert clerk.post(f"/review/{ledger}/discard").status_code == 404


def test_the_review_queue_sets_a_mail_aside(writer):
    clerk = writer("clerk")
    ledger = clerk.get("/review").text.split('href="/review/', 1)[1].split("/", 1)[0]
    response = clerk.post(f"/review/{ledger}/discard")
    assert response.status_code == 303 and response.headers["location"] == "/review?done=discard"
    page = clerk.get(response.headers["location"]).text
    assert "Đã bỏ qua thư" in page and "Không có thư nào chờ xử lý." in page
    assert clerk.get(f"/review/{ledger}/mail.eml").status_code == 404  # off the queue; the original stays


def test_an_admin_adds_edits_and_imports_schools(writer):
    admin = writer("admin")
    added = admin.post("/schools", {"name": LONG_NAME, "addresses": "toxahoi@example.vn\nDoanTN@Example.vn"})
    assert added.status_code == 303
    page = admin.get("/schools").text
    assert LONG_NAME in page and "doantn@example.vn" in page
    school_id = page.split(LONG_NAME, 1)[1].split('href="/schools/', 1)[1].split('"', 1)[0]
    edit = admin.get(f"/schools/{school_id}").text
    assert "toxahoi@example.vn" in edit
    saved = admin.post(
        f"/schools/{school_id}", {"name": "Trường Tiểu học Phong Thu", "addresses": "phongthu@example.vn"}
    )
    assert saved.status_code == 303
    page = admin.get("/schools").text
    assert "Trường Tiểu học Phong Thu" in page and "toxahoi@example.vn" not in page
    taken = admin.post("/schools", {"name": "Trường trùng địa chỉ", "addresses": "c2anbinh@example.vn"})
    assert taken.status_code == 422 and "đã thuộc" in taken.text
    csv = "Tên trường,Email\nTrường THCS Phong Mỹ,thcsphongmy@example.vn\n".encode()
    imported = admin.client.post(
        "/schools/import",
        data={"csrf_token": admin.csrf},
        files={"file": ("truong.csv", csv, "text/csv")},
        follow_redirects=False,
    )
    assert imported.status_code == 303
    assert "Trường THCS Phong Mỹ" in admin.get("/schools").text


def test_a_clerk_cannot_edit_schools(writer):
    clerk = writer("clerk")
    assert clerk.get("/schools/1").status_code == 403
    assert clerk.post("/schools/1", {"name": "Đổi tên", "addresses": ""}).status_code == 403


def test_logging_out_ends_the_session(writer):
    clerk = writer("clerk")
    assert clerk.post("/logout").status_code == 303
    assert clerk.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_an_admin_adds_an_unknown_senders_address_to_a_school_from_its_submission(writer):
    admin = writer("admin")
    page = admin.get("/submissions/HS-2018-0003").text
    assert "Địa chỉ chưa đăng ký" in page and 'value="thu.gv1985@gmail.example"' in page
    school_id = page.split('<option value="', 1)[1].split('"', 1)[0]
    response = admin.post(
        "/schools/add-address",
        {"school_id": school_id, "address": "thu.gv1985@gmail.example", "back": "/submissions/HS-2018-0003"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/submissions/HS-2018-0003?done=address_added"
    assert "thu.gv1985@gmail.example" in admin.get("/schools").text
    assert "Địa chỉ chưa đăng ký" not in writer("clerk").get("/submissions/HS-2018-0003").text  # admins only


def _hold_replies(office, count: int) -> list[int]:
    """Replies over the daily cap, held as the intake holds them."""
    from thidua.intake.app import App
    from thidua.store.models import HELD
    from thidua.store.replies import add_reply

    app = App(office.settings())
    with app.db.session() as session:
        ids = [
            add_reply(
                session,
                submission_id=None,
                kind="receipt",
                to_address="tu.dong@example.vn",
                subject=f"[HS-2018-00{10 + n}] Đã tiếp nhận hồ sơ",
                message_id=f"<held-{n}@example.vn>",
                eml_sha256="0" * 64,
                status=HELD,
                reason="quá giới hạn 10 thư trả lời trong 24 giờ",
            ).id
            for n in range(count)
        ]
    app.db.dispose()
    return ids


def test_a_clerk_sends_and_drops_held_replies_and_each_is_audited(writer, fresh_office):
    send, drop = _hold_replies(fresh_office, 2)
    clerk = writer("clerk")
    queue = clerk.get("/review").text
    assert "Thư trả lời đang giữ lại (2)" in queue and f'action="/review/replies/{send}/send"' in queue
    response = clerk.post(f"/review/replies/{send}/send")
    assert response.status_code == 303 and response.headers["location"] == "/review?done=reply_sent"
    assert "Đã đưa thư trả lời vào hộp thư đi." in clerk.get(response.headers["location"]).text
    response = clerk.post(f"/review/replies/{drop}/drop")
    assert response.status_code == 303 and response.headers["location"] == "/review?done=reply_dropped"
    assert "Thư trả lời đang giữ lại (0)" in clerk.get("/review").text
    again = clerk.post(f"/review/replies/{send}/drop")
    assert again.status_code == 409 and "không còn ở trạng thái giữ lại" in again.text
    assert clerk.post("/review/replies/999999/send").status_code == 404

    from thidua.intake.app import App
    from thidua.store import audit
    from thidua.store.models import Reply

    app = App(fresh_office.settings())
    with app.db.session() as session:
        assert session.get(Reply, send).status == "queued" and session.get(Reply, drop).status == "dropped"
        assert session.get(Reply, drop).handled_by == "clerk"
        actions = [
            e.action for n in (send, drop) for e in audit.entries_for(session, "default", "reply", str(n))
        ]
    app.db.dispose()
    assert actions == ["send_held_reply", "drop_held_reply"]


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_a_reader_cannot_send_a_held_reply(writer, fresh_office, role):
    [held] = _hold_replies(fresh_office, 1)
    desk = writer(role)
    assert f'action="/review/replies/{held}/send"' not in desk.get("/review").text
    assert desk.post(f"/review/replies/{held}/send").status_code == 403
