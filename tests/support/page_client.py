"""Logged-in TestClients over a desk office (fixtures imported by the page tests)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.support.desk_office import PASSWORD, ROLES, DeskOffice, build_desk_office, copy_desk_office

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Desk:
    """A TestClient logged in as one role, and the CSRF token of its session."""

    def __init__(self, client: TestClient, role: str) -> None:
        self.client = client
        self.role = role
        self.csrf = ""

    def login(self) -> Desk:
        response = self.client.post(
            "/login", data={"username": self.role, "password": PASSWORD, "next": "/"}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        self.csrf = csrf_of(self.client.get("/exports").text)
        return self

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, *, csrf: bool = True, **kw):
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf
        return self.client.post(path, data=form, follow_redirects=False, **kw)


def client_over(desk_office: DeskOffice) -> TestClient:
    from thidua.web.app import create_app

    return TestClient(create_app(desk_office.settings()), base_url="http://testserver")


@pytest.fixture(scope="module")
def desk_office(tmp_path_factory) -> DeskOffice:
    """The example mails and the hostile one filed, one mail parked, an account per role.
    Read-only for the tests: ``fresh_office`` for a test that changes something."""
    return build_desk_office(tmp_path_factory.mktemp("desk") / "office")


@pytest.fixture
def fresh_office(desk_office, tmp_path) -> DeskOffice:
    return copy_desk_office(desk_office, tmp_path / "office")


@pytest.fixture(scope="module")
def reader(desk_office):
    """One logged-in client per role over the read-only office."""
    clients = {}
    for role in ROLES:
        clients[role] = Desk(client_over(desk_office), role).login()
    yield clients
    for desk in clients.values():
        desk.client.close()


@pytest.fixture
def writer(fresh_office):
    """A function giving a logged-in client of a role over a private copy of the office."""
    made = []

    def make(role: str) -> Desk:
        desk = Desk(client_over(fresh_office), role).login()
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.client.close()
