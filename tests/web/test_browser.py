"""The desk in a real browser (Debian's chromium through Playwright) against a real uvicorn server
over mails filed by the real pipeline: log in, read the dashboard, open a submission, accept it
with a note, and find the reply in the outbox after the daemon's next pass.

A screenshot of each main page is kept under the test's temporary folder (``screens/``).
Any Content-Security-Policy violation or script dialog (an escaped name that ran) fails the test.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from email import message_from_bytes, policy

import pytest

from tests.support.desk_office import HOSTILE_NAME, LONG_NAME, PASSWORD, build_desk_office

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
RECEIPT = "HS-2018-0002"
NOTE = "Đã kiểm tra bản giấy minh chứng tại phòng; đồng ý tiếp nhận."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """uvicorn serving the desk over a freshly filed office, on a free port of 127.0.0.1."""
    import uvicorn

    from thidua.web.app import create_app

    desk = build_desk_office(tmp_path / "office")
    port = _free_port()
    config = uvicorn.Config(create_app(desk.settings()), host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uvicorn_server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield desk, f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(params=[True], ids=["javascript"])
def page(request, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="vi-VN", java_script_enabled=request.param
        )
        page = context.new_page()
        problems: list[str] = []
        page.on(
            "console",
            lambda m: (
                problems.append(f"{page.url}: {m.text} {m.location}")
                if "Content Security Policy" in m.text
                else None
            ),
        )
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.problems = problems
        yield page
        context.close()
        browser.close()


def _shot(page, tmp_path, name: str) -> None:
    folder = tmp_path / "screens"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_a_clerk_accepts_a_submission_and_the_reply_reaches_the_outbox(server, page, tmp_path):
    desk, base = server
    page.goto(base + "/")
    assert "/login" in page.url
    _shot(page, tmp_path, "login")
    page.fill("#username", "clerk")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")

    page.goto(base + "/rounds/q1-2018")
    assert page.locator("h1").inner_text() == "Quý I năm 2018"
    assert page.locator("tbody tr").count() == 5
    _shot(page, tmp_path, "dashboard")
    page.goto(base + "/rounds/q2-2018")
    _shot(page, tmp_path, "dashboard-empty-round")

    page.goto(base + "/submissions")
    page.evaluate("window.notReloaded = true")
    page.select_option("#status", "needs_correction")  # htmx swaps the results in place
    page.wait_for_url("**status=needs_correction**")
    page.wait_for_function("!document.querySelector('#results').innerText.includes('HS-2018-0004')")
    assert page.evaluate("window.notReloaded") is True
    _shot(page, tmp_path, "submissions")

    page.click(f"a[href='/submissions/{RECEIPT}']")
    page.wait_for_url(f"**/submissions/{RECEIPT}")
    assert page.get_by_text(HOSTILE_NAME).first.is_visible()  # shown as text, never run
    assert page.get_by_text(LONG_NAME).first.is_visible()
    _shot(page, tmp_path, "submission")

    page.fill("#note-accept", NOTE)
    page.click("form.decision.accept button[type=submit]")
    page.wait_for_selector("p.flash.ok")
    assert "Đã tiếp nhận hồ sơ" in page.locator("p.flash.ok").inner_text()
    assert page.locator(".status-line .badge").first.inner_text() == "Đã tiếp nhận"
    assert NOTE in page.locator("#decisions-panel").inner_text()
    _shot(page, tmp_path, "submission-accepted")

    for path, name in (("/review", "review"), ("/schools", "schools"), ("/exports", "exports")):
        page.goto(base + path)
        _shot(page, tmp_path, name)
    page.goto(base + f"/submissions/{RECEIPT}")
    page.click("a:text-is('Xem')")  # the evidence PDF, shown in the page from our own path
    page.wait_for_selector("object[type='application/pdf']")
    _shot(page, tmp_path, "file")
    assert page.problems == [], "\n".join(page.problems)

    # the daemon's next pass sends what the decision queued
    from tests.support.clitools import ok

    ok(desk.office.cli("run", "--once"))
    replies = [
        message_from_bytes(p.read_bytes(), policy=policy.default) for p in desk.office.outbox.glob("*.eml")
    ]
    ours = [
        m for m in replies if f"[{RECEIPT}]" in m["Subject"] and NOTE in m.get_body(("plain",)).get_content()
    ]
    assert len(ours) == 1, [m["Subject"] for m in replies]
    assert ours[0]["To"].addresses[0].addr_spec == "thphongan@example.vn"
    assert ours[0]["In-Reply-To"] == "<phongan-q1-2018@example.vn>"


@pytest.mark.parametrize("page", [False], ids=["no-javascript"], indirect=True)
def test_without_javascript_every_form_still_works(server, page, tmp_path):
    desk, base = server
    page.goto(base + "/login")
    page.fill("#username", "clerk")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    page.goto(base + "/submissions")
    page.select_option("#status", "needs_correction")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**status=needs_correction**")
    assert "HS-2018-0004" not in page.locator("#results").inner_text()
    page.goto(base + f"/submissions/{RECEIPT}")
    page.fill("#items", "Bổ sung quyết định công nhận sáng kiến\nGhi rõ chức vụ")
    page.fill("#note-correction", "Đã gọi điện cho nhà trường.")
    page.click("form.decision.request_correction button[type=submit]")
    page.wait_for_selector("p.flash.ok")
    panel = page.locator("#decisions-panel").inner_text()
    assert "Yêu cầu bổ sung" in panel and "Ghi rõ chức vụ" in panel
    _shot(page, tmp_path, "no-javascript")
    assert page.problems == []


def _log_in(page, base: str, role: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_a_council_reviews_by_keyboard_and_selects_within_the_cap(server, page, tmp_path):
    from playwright.sync_api import expect

    desk, base = server
    _log_in(page, base, "reviewer")
    page.goto(base + "/evidence")
    page.wait_for_url("**/rounds/q1-2018/evidence")
    page.evaluate("window.notReloaded = true")
    cards = page.locator("article.nominee")
    first, second = cards.nth(0).get_attribute("id"), cards.nth(1).get_attribute("id")
    assert page.evaluate("document.activeElement.id") == first  # the first nominee is current

    page.keyboard.press("o")  # evidence ok: the card is saved in place, the next becomes current
    page.wait_for_selector(f"#{first}.ok")
    expect(page.locator(f"#{second}")).to_be_focused()
    assert page.locator(f"#{first} .verdict").inner_text() == "Đạt"

    page.keyboard.press("i")  # to the note; Enter marks insufficient
    expect(page.locator(f"#note-{second[2:]}")).to_be_focused()
    page.keyboard.type("Thiếu bản sao giấy chứng nhận")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#{second}.insufficient")
    assert "Thiếu bản sao giấy chứng nhận" in page.locator(f"#{second}").inner_text()
    assert "Đã thẩm định 2 / 9" in page.locator("#evidence-counts").inner_text()
    assert page.evaluate("window.notReloaded") is True
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == first
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, tmp_path, "evidence")

    page.goto(base + "/rounds/q1-2018/selection")
    usage = page.locator(".usage li[data-award='bk-giam-doc-so'] .n")
    assert usage.inner_text() == "0 / 3"
    ids = page.locator("article.nominee").evaluate_all("cards => cards.map(c => c.id)")
    for done, card in enumerate(ids[:4], start=1):
        page.focus(f"#{card} select")
        page.select_option(f"#{card} select", "bk-giam-doc-so")
        page.keyboard.press("Escape")  # back from the field to the nominee
        expect(page.locator(f"#{card}")).to_be_focused()
        page.keyboard.press("s")
        if done <= 3:
            expect(usage).to_have_text(f"{done} / 3")
            expect(page.locator(f"#{card}")).to_be_focused()  # the page swapped in, the same nominee
        else:
            page.wait_for_selector(f"#{card} [role=alert]")
    message = page.locator(f"#{ids[3]} [role=alert]").inner_text()
    assert message.startswith("Đã chọn đủ 3 tập thể, cá nhân cho hình thức “Bằng khen của Giám đốc Sở GD&ĐT”")
    assert usage.inner_text() == "3 / 3"
    assert "Đã chọn: Bằng khen của Giám đốc Sở GD&ĐT" in page.locator(f"#{ids[0]}").inner_text()
    _shot(page, tmp_path, "selection")
    assert page.problems == [], "\n".join(page.problems)


@pytest.mark.parametrize("page", [False], ids=["no-javascript"], indirect=True)
def test_review_and_selection_work_without_javascript(server, page, tmp_path):
    desk, base = server
    _log_in(page, base, "reviewer")
    page.goto(base + "/rounds/q1-2018/evidence")
    first = page.locator("article.nominee").first.get_attribute("id")
    page.click(f"#{first} button[value=ok]")
    page.wait_for_selector("p.flash.ok")
    assert page.locator(f"#{first} .verdict").inner_text() == "Đạt"
    page.goto(base + "/rounds/q1-2018/selection")
    page.select_option(f"#{first} select", "gk-chu-tich")
    page.click(f"#{first} button[data-key=s]")
    page.wait_for_selector("p.flash.ok")
    assert "Đã chọn: Giấy khen của Chủ tịch UBND huyện" in page.locator(f"#{first}").inner_text()
    assert page.problems == []
