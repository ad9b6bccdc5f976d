"""An office for the API's route tests: real mail filed by the mailroom, one desk account and one
API token per role, and the desk application over it (httpx's TestClient, no server)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.support.mails import complete_mail, file_mail, incomplete_mail
from tests.support.office import Mailroom

ROLES = ("admin", "clerk", "reviewer", "viewer")
PASSWORD = "mat-khau-rat-dai-2018"
OFFICE_CODE = "pgd-phongdien"


@dataclass
class ApiOffice:
    room: Mailroom
    tokens: dict[str, str]

    @property
    def app(self):
        return self.room.app

    def client(self, role: str | None = None) -> TestClient:
        """A client authenticated by the role's API token (none: no credentials)."""
        from thidua.web.app import create_app

        client = TestClient(
            create_app(self.app.settings, engine=self.app.db.engine), base_url="https://testserver"
        )
        if role is not None:
            client.headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return client

    def logged_in(self, role: str, client: TestClient | None = None) -> TestClient:
        """A client with a desk session of the role's user (through the login form)."""
        client = client or self.client()
        response = client.post(
            "/login", data={"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        return client

    def session_csrf(self, client: TestClient) -> str:
        from thidua.store import accounts

        with self.app.db.session() as session:
            return accounts.session_user(session, OFFICE_CODE, client.cookies["thidua_session"])[0].csrf_token


def build(tmp_path, extra: str = "") -> ApiOffice:
    from thidua.desk.passwords import hash_password
    from thidua.store import accounts

    room = Mailroom(tmp_path, f'code = "{OFFICE_CODE}"\n' + extra)
    assert (
        file_mail(room, incomplete_mail(message_id="<list-1@example.vn>"), key="test:1").status
        == "needs_correction"
    )
    assert (
        file_mail(room, complete_mail(sender="thphonghoa@example.vn", name="Lê Thị Cúc"), key="test:2").status
        == "accepted"
    )
    tokens = {role: f"token-{role}-0123456789abcdef" for role in ROLES}
    password_hash = hash_password(PASSWORD)
    with room.app.db.session() as session:
        for role in ROLES:
            accounts.add_user(session, OFFICE_CODE, role, role, password_hash, display_name=f"Cán bộ {role}")
            accounts.add_token(session, OFFICE_CODE, f"script-{role}", role, tokens[role])
    return ApiOffice(room, tokens)


@pytest.fixture
def api_office(tmp_path) -> Iterator[ApiOffice]:
    office = build(tmp_path, "\n[web]\ncookie_secure = false\n")
    yield office
    office.app.db.dispose()
