"""`make desk`'s demo account: made on the first run, its password set again on the next ones."""

from __future__ import annotations

import sys

from fastapi.testclient import TestClient

from tests.support.clitools import EXAMPLES


def test_the_demo_account_is_made_once_and_always_logs_in(fresh_office, monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    sys.modules.pop("run_desk", None)
    import run_desk

    from thidua.web.app import create_app

    settings = fresh_office.settings()
    for _ in range(2):
        run_desk.demo_account(settings)
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/login",
            data={"username": run_desk.USERNAME, "password": run_desk.PASSWORD, "next": "/schools"},
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/schools"
        assert 'action="/schools/import"' in client.get("/schools").text  # an admin: every page is open
