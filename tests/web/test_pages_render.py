"""Every page renders for every role, in Vietnamese, with no inline script or style, school data
escaped, and write controls only for the roles that may use them."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.support.desk_office import HOSTILE_NAME, LONG_NAME, ROLES
from tests.support.page_client import client_over

HOSTILE_RECEIPT = "HS-2018-0002"
PAGES = (
    "/",
    "/rounds/q1-2018",
    "/rounds/q2-2018",
    "/rounds/dang-ky-2017",
    "/submissions",
    "/submissions?round=q1-2018&status=needs_correction",
    "/submissions?q=script",
    "/submissions?page=9",
    f"/submissions/{HOSTILE_RECEIPT}",
    "/submissions/HS-2018-0001?version=1",
    "/submissions/HS-2018-0001",
    "/review",
    "/schools",
    "/exports",
)


class Markup(HTMLParser):
    """What the browser would treat as code or style: tags, attributes and script bodies."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inline: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "style" or "style" in names or any(name.startswith("on") for name in names):
            self.inline.append(f"<{tag} {sorted(names)}>")
        if tag == "script" and "src" not in names:
            self.inline.append("<script> without src")
        if tag in ("iframe", "embed") or (
            tag == "a" and any(v and v.lower().startswith("javascript:") for _, v in attrs)
        ):
            self.inline.append(f"<{tag}>")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_for_every_role_without_inline_code(reader, role, path):
    response = reader[role].get(path)
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in html
    assert Markup(html).inline == []
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_a_hostile_nominee_subject_and_file_are_shown_as_text(reader):
    html = reader["viewer"].get(f"/submissions/{HOSTILE_RECEIPT}").text
    assert HOSTILE_NAME not in html and "<b>chủ nhiệm</b>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "./../x" in html and LONG_NAME in html
    # the problem quotes the school's own column label, as the reply did
    assert "Cột «Minh chứng, sản phẩm» của &lt;script&gt;alert(1)&lt;/script&gt; (STT 1)" in html
    listing = reader["viewer"].get("/submissions", params={"q": "<script>"}).text
    assert HOSTILE_RECEIPT in listing and "<img src=x" not in listing


def test_the_dashboard_shows_every_school_against_its_status(reader):
    html = reader["viewer"].get("/rounds/q1-2018").text
    assert "Quý I năm 2018" in html and "15/03/2018 23:59" in html
    for label in ("Chưa gửi", "Cần bổ sung", "Đã tiếp nhận", "Gửi muộn"):
        assert label in html
    for school in ("Trường THCS An Bình", "Trường Tiểu học Phong An", "Trường THCS Phong Điền"):
        assert school in html
    assert "Chưa trường nào gửi hồ sơ cho đợt này." in reader["viewer"].get("/rounds/q2-2018").text
    only_late = reader["viewer"].get("/rounds/q1-2018?status=gui_muon").text
    assert "Trường Tiểu học Phong Hòa" in only_late and "Trường THCS Phong Điền" not in only_late
    assert reader["viewer"].get("/rounds/no-such-round").status_code == 404


def test_the_list_filters_searches_and_pages(reader):
    desk = reader["viewer"]
    corrections = desk.get("/submissions", params={"status": "needs_correction"}).text
    assert "HS-2018-0002" in corrections and "HS-2018-0004" not in corrections
    found = desk.get("/submissions", params={"q": "Nguyễn Thị Hoa"}).text
    assert "HS-2018-0004" in found and "HS-2018-0002" not in found
    by_school = desk.get("/submissions", params={"school": "Trường THCS Phong Điền"}).text
    assert "HS-2018-0001" in by_school and "HS-2018-0004" not in by_school
    assert "Không có hồ sơ nào khớp" in desk.get("/submissions", params={"q": "không-có-ai"}).text


def test_the_submission_page_shows_versions_files_problems_replies(reader):
    html = reader["viewer"].get("/submissions/HS-2018-0001").text
    assert "Lần 1" in html and "Lần 2" in html  # the corrected list replaced the first one
    assert "/submissions/HS-2018-0001/v2/mail.eml" in html
    assert "Thư báo đã tiếp nhận" in html and "[HS-2018-0001]" in html
    old = reader["viewer"].get("/submissions/HS-2018-0001?version=1").text
    assert "Đây là bản cũ" in old and "thứ tự ưu tiên" in old.lower()  # its bad_rank problem


@pytest.mark.parametrize(
    "role,can_decide", [("admin", True), ("clerk", True), ("reviewer", False), ("viewer", False)]
)
def test_write_controls_only_for_roles_that_may_use_them(reader, role, can_decide):
    page = reader[role].get(f"/submissions/{HOSTILE_RECEIPT}").text
    assert ('action="/submissions/HS-2018-0002/decision"' in page) is can_decide
    assert ('action="/submissions/HS-2018-0002/signed-copy"' in page) is can_decide
    review = reader[role].get("/review").text
    assert ("/reprocess" in review) is can_decide
    schools = reader[role].get("/schools").text
    assert ('action="/schools/import"' in schools) is (role == "admin")


def test_a_visitor_is_sent_to_the_login_page(desk_office):
    with client_over(desk_office) as client:
        response = client.get("/submissions/HS-2018-0002", follow_redirects=False)
        assert response.status_code in (302, 303, 307)
        assert response.headers["location"].startswith("/login")
        login = client.get("/login").text
        assert "Đăng nhập" in login and 'name="password"' in login
        wrong = client.post("/login", data={"username": "clerk", "password": "sai mật khẩu rồi", "next": "/"})
        assert wrong.status_code in (400, 401, 403) and "Đăng nhập" in wrong.text


def test_once_every_deadline_has_passed_the_home_page_shows_the_round_of_the_latest_mail(reader):
    html = reader["clerk"].get("/").text
    assert "<h1>Quý I năm 2018</h1>" in html  # not the empty Quý II, whose deadline is the latest
    assert '<a href="/rounds/q1-2018" aria-current="page">' in html


def test_every_export_link_downloads_for_a_reader(reader):
    desk = reader["viewer"]
    html = desk.get("/exports").text
    links = [part.split('"', 1)[0].replace("&amp;", "&") for part in html.split('href="/api/')[1:]]
    assert len(links) == 6
    for link in links:
        response = desk.get("/api/" + link)
        assert response.status_code == 200, link
    xlsx = desk.get("/api/rounds/q1-2018/export.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_each_reply_says_which_version_it_answered(reader):
    html = reader["viewer"].get("/submissions/HS-2018-0001").text
    assert "Thư đề nghị bổ sung (lần gửi 1)" in html and "Thư báo đã tiếp nhận (lần gửi 2)" in html
