"""Who may call the API and post the desk's forms: tokens, sessions, roles, CSRF, login limits."""

# ruff: noqa: F811 - pytest fixtures imported from their module and used as parameters
from __future__ import annotations

import pytest

from tests.support.api_office import OFFICE_CODE, PASSWORD, ROLES, api_office, build  # noqa: F401 - fixture
from thidua.store import accounts, audit

READS = [
    ("GET", "/api/submissions"),
    ("GET", "/api/submissions/HS-2018-0001"),
    ("GET", "/api/review"),
    ("GET", "/api/rounds/q1-2018/export.xlsx"),
]
WRITES = {
    ("POST", "/api/submissions/HS-2018-0001/decision"): ("admin", "clerk"),
    ("POST", "/api/submissions/HS-2018-0001/signed-copy"): ("admin", "clerk"),
    ("POST", "/api/nominees/1/review"): ("admin", "reviewer"),
    ("POST", "/api/nominees/1/selection"): ("admin", "reviewer"),
    ("POST", "/api/review/1/reprocess"): ("admin", "clerk"),
}
BODIES = {
    "decision": {"action": "accept", "note": "Đồng ý"},
    "review": {"evidence": "ok", "note": "Đủ"},
    "selection": {"selected": False},
}


def _body(path: str):
    return BODIES.get(path.rsplit("/", 1)[-1])


@pytest.mark.parametrize("method, path", READS + list(WRITES))
def test_no_credentials_is_401(api_office, method, path):
    response = api_office.client().request(method, path, json=_body(path))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"].startswith("Cần đăng nhập")


@pytest.mark.parametrize("header", ["Bearer wrong-token", "Basic YWRtaW46YWRtaW4=", "Bearer "])
def test_unknown_or_malformed_credentials_are_401(api_office, header):
    client = api_office.client()
    response = client.get("/api/submissions", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_revoked_token_is_401(api_office):
    client = api_office.client("viewer")
    assert client.get("/api/submissions").status_code == 200
    with api_office.app.db.session() as session:
        accounts.revoke_token(session, OFFICE_CODE, "script-viewer")
    assert client.get("/api/submissions").status_code == 401


def test_a_token_of_another_office_is_401(tmp_path, api_office):
    with api_office.app.db.session() as session:
        accounts.add_token(session, "another-office", "theirs", "admin", "token-of-another-office-123")
    client = api_office.client()
    assert (
        client.get(
            "/api/submissions", headers={"Authorization": "Bearer token-of-another-office-123"}
        ).status_code
        == 401
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads(api_office, role):
    client = api_office.client(role)
    for _, path in READS:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", ROLES)
def test_a_role_without_the_right_is_403_and_changes_nothing(api_office, role):
    client = api_office.client(role)
    for (method, path), allowed in WRITES.items():
        if role in allowed:
            continue
        response = client.request(method, path, json=_body(path))
        assert response.status_code == 403, (role, path)
        assert role in response.json()["detail"]
    with api_office.app.db.session() as session:
        assert audit.entries_for(session, OFFICE_CODE, "receipt", "HS-2018-0001") == []


def test_a_viewer_changes_nothing_through_pages_either(api_office):
    client = api_office.logged_in("viewer")
    csrf = api_office.session_csrf(client)
    before = client.get("/api/submissions/HS-2018-0001").json()
    for path in (
        "/submissions/HS-2018-0001/decision",
        "/submissions/HS-2018-0001/signed-copy",
        "/review/1/reprocess",
        "/review/1/discard",
        "/schools/new",
    ):
        response = client.post(
            path,
            data={"csrf_token": csrf, "action": "accept", "note": "x", "name": "X"},
            follow_redirects=False,
        )
        assert response.status_code in (403, 404, 405), (path, response.status_code)
        assert response.status_code != 200
    assert client.get("/api/submissions/HS-2018-0001").json() == before


def test_a_session_calls_the_api_and_writes_only_with_its_csrf_token(api_office):
    client = api_office.logged_in("clerk")
    assert client.get("/api/submissions").status_code == 200
    path, body = "/api/submissions/HS-2018-0001/decision", {"action": "accept", "note": "Đồng ý tiếp nhận"}
    refused = client.post(path, json=body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = client.post(path, json=body, headers={"X-CSRF-Token": "not-the-token"})
    assert wrong.status_code == 403
    accepted = client.post(path, json=body, headers={"X-CSRF-Token": api_office.session_csrf(client)})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_a_form_post_without_the_csrf_token_is_refused(api_office):
    client = api_office.logged_in("clerk")
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    assert client.get("/api/submissions").status_code == 200  # still logged in
    out = client.post("/logout", data={"csrf_token": api_office.session_csrf(client)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/api/submissions").status_code == 401


def test_pages_send_strangers_to_the_login_page(api_office):
    response = api_office.client().get("/submissions?status=accepted", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/submissions%3Fstatus%3Daccepted"


def test_the_session_cookie_is_secure_httponly_and_samesite(tmp_path):
    office = build(tmp_path)  # [web] cookie_secure left at its default (true)
    try:
        response = office.client().post(
            "/login", data={"username": "clerk", "password": PASSWORD}, follow_redirects=False
        )
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("thidua_session=")
        for attribute in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
            assert attribute.lower() in cookie.lower()
    finally:
        office.app.db.dispose()


def test_wrong_passwords_are_refused_then_logins_paused(api_office):
    client = api_office.client()
    for _ in range(5):
        wrong = client.post(
            "/login", data={"username": "clerk", "password": "sai-mat-khau-123"}, follow_redirects=False
        )
        assert wrong.status_code == 401 and "thidua_session" not in wrong.cookies
    paused = client.post("/login", data={"username": "clerk", "password": PASSWORD}, follow_redirects=False)
    assert paused.status_code == 429 and "thidua_session" not in paused.cookies
    # one person's typos do not lock out the others reaching the desk from the same address
    other = client.post("/login", data={"username": "viewer", "password": PASSWORD}, follow_redirects=False)
    assert other.status_code == 303


def test_guessing_across_many_names_pauses_the_address(api_office):
    client = api_office.client()
    for attempt in range(20):
        name = f"khach-{attempt}"
        assert client.post("/login", data={"username": name, "password": "doan-mo-123"}).status_code == 401
    paused = client.post("/login", data={"username": "viewer", "password": PASSWORD}, follow_redirects=False)
    assert paused.status_code == 429


def test_an_unknown_user_is_refused_like_a_wrong_password(api_office):
    response = api_office.client().post(
        "/login", data={"username": "ghost", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 401


def test_a_disabled_account_loses_its_sessions_at_once(api_office):
    client = api_office.logged_in("clerk")
    assert client.get("/api/submissions").status_code == 200
    with api_office.app.db.session() as session:
        accounts.set_disabled(session, OFFICE_CODE, "clerk")
    assert client.get("/api/submissions").status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303
    again = api_office.client().post(
        "/login", data={"username": "clerk", "password": PASSWORD}, follow_redirects=False
    )
    assert again.status_code == 401
