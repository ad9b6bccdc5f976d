"""Results to schools (công khai): one mail per school with each nominee's verdict and selection,
in the school's thread, through the outbox, once only, from the desk (clerk) or the command line."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from sqlmodel import select

from tests.support.clitools import ok
from thidua.intake.app import App
from thidua.store import audit
from thidua.store.models import Reply, ResultsSent, Submission

ROUND = "q1-2018"
SELECTION = f"/rounds/{ROUND}/selection"
CARD = re.compile(r'<article class="nominee[^"]*" id="n-(\d+)"')


@pytest.fixture
def app(fresh_office):
    application = App(fresh_office.settings())
    yield application
    application.db.dispose()


def _results(app) -> list[tuple[Reply, Submission]]:
    with app.db.session() as session:
        rows = session.exec(
            select(Reply, Submission)
            .join(Submission, Reply.submission_id == Submission.id)
            .where(Reply.kind == "results")
            .order_by(Reply.id)
        ).all()
        return [(reply, submission) for reply, submission in rows]


def _decide(writer) -> tuple[int, int]:
    """A reviewer selects one nominee and finds another's evidence insufficient."""
    reviewer = writer("reviewer")
    chosen, short = [int(i) for i in CARD.findall(reviewer.get(SELECTION).text)[:2]]
    assert reviewer.post(f"{SELECTION}/{chosen}", {"award": "gk-chu-tich"}).status_code == 303
    reviewer.post(f"/rounds/{ROUND}/evidence/{chosen}", {"evidence": "ok", "note": ""})
    reviewer.post(
        f"/rounds/{ROUND}/evidence/{short}", {"evidence": "insufficient", "note": "Thiếu bản sao giấy khen"}
    )
    return chosen, short


def test_a_clerk_sends_each_school_its_outcome_once_in_its_thread(writer, app):
    chosen, short = _decide(writer)
    clerk = writer("clerk")
    page = clerk.get("/exports").text
    assert "Gửi kết quả cho 4 trường" in page and "0 / 4" in page

    sent = clerk.post(f"/exports/{ROUND}/results-mail")
    assert sent.status_code == 303 and "done=results_sent" in sent.headers["location"]
    mails = _results(app)
    assert len(mails) == 4 and {r.status for r, _ in mails} == {"queued"}, [
        (r.to_address, r.reason) for r, _ in mails
    ]
    assert len({s.school_id for _, s in mails}) == 4

    with app.db.session() as session:
        name_of = {n.id: n.name for s in session.exec(select(Submission)).all() for n in s.nominees}
    # An Bình's newest mail of the round is an out-of-office reply: the results answer its list
    reply, submission = next((r, s) for r, s in mails if r.to_address == "c2anbinh@example.vn")
    mail = message_from_bytes(app.blobs.get(reply.eml_sha256), policy=policy.default)
    assert mail["In-Reply-To"] == "<anbinh-q1-2018@example.vn>" == submission.message_id
    assert mail["To"].addresses[0].addr_spec == "c2anbinh@example.vn"
    assert mail["Subject"] == (
        f"[{submission.receipt}] Thông báo kết quả thẩm định, lựa chọn đề nghị khen thưởng: Quý I năm 2018"
    )
    with app.db.session() as session:
        entries = audit.entries_for(session, "default", "receipt", submission.receipt)
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert name_of[chosen] in text and "Được lựa chọn đề nghị Giấy khen của Chủ tịch UBND huyện" in text
    assert "Minh chứng: Đạt" in text and "Kết quả: Không được lựa chọn" in text
    assert "<strong>Được lựa chọn đề nghị Giấy khen của Chủ tịch UBND huyện</strong>" in html
    every_text = "".join(
        message_from_bytes(app.blobs.get(r.eml_sha256), policy=policy.default)
        .get_body(("plain",))
        .get_content()
        for r, _ in mails
    )
    assert "Minh chứng: Chưa đủ: Thiếu bản sao giấy khen" in every_text and name_of[short] in every_text
    assert [e.action for e in entries][-1] == "results_sent"
    assert "Thư thông báo kết quả" in clerk.get(f"/submissions/{submission.receipt}").text

    again = clerk.post(f"/exports/{ROUND}/results-mail")
    assert again.status_code == 303 and len(_results(app)) == 4  # once only
    assert "Đã gửi cho tất cả các trường" in clerk.get("/exports").text
    with app.db.session() as session:
        rows = session.exec(select(ResultsSent)).all()
    assert len(rows) == 4 and all(r.reply_id and r.office == "default" and r.round_id == ROUND for r in rows)


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_only_a_clerk_sends_the_results(writer, app, role):
    desk = writer(role)
    assert "results-mail" not in desk.get("/exports").text
    assert desk.post(f"/exports/{ROUND}/results-mail").status_code == 403
    assert _results(app) == []


def test_the_command_line_sends_once_and_the_daemon_delivers(writer, fresh_office, app):
    chosen, _ = _decide(writer)
    office = fresh_office.office
    first = ok(office.cli("results", "--round", ROUND, "--send"))
    assert "Đã đưa thư thông báo kết quả của 4 trường vào hộp thư đi" in first.out
    second = ok(office.cli("results", "--round", ROUND, "--send"))
    assert "của 0 trường" in second.out and "4 trường đã nhận trước đó" in second.out
    assert len(_results(app)) == 4
    with app.db.session() as session:
        assert (
            audit.entries_for(session, "default", "receipt", _results(app)[0][1].receipt)[-1].actor == "cli"
        )

    ok(office.cli("run", "--once"))
    delivered = [
        message_from_bytes(p.read_bytes(), policy=policy.default) for p in office.outbox.glob("*.eml")
    ]
    results = [m for m in delivered if "Thông báo kết quả thẩm định" in m["Subject"]]
    assert len(results) == 4
    assert {r.status for r, _ in _results(app)} == {"sent"}
