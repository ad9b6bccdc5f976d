"""The API through a real server: `thidua web`'s uvicorn on a free port of 127.0.0.1, called over
HTTP by a script holding an API token, as the office's own tools will."""

# ruff: noqa: F811 - pytest fixtures imported from their module and used as parameters
from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from tests.support.api_office import api_office  # noqa: F401 - the fixture


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(api_office):
    import uvicorn

    from thidua.web.app import create_app

    port = _free_port()
    app = create_app(api_office.app.settings, engine=api_office.app.db.engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield api_office, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_script_reads_decides_and_is_refused_over_http(served):
    office, base = served
    clerk = {"Authorization": f"Bearer {office.tokens['clerk']}"}
    with httpx.Client(base_url=base, timeout=30) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        assert http.get("/api/submissions").status_code == 401
        listed = http.get("/api/submissions", params={"status": "needs_correction"}, headers=clerk)
        assert [s["receipt"] for s in listed.json()] == ["HS-2018-0001"]
        bad = http.post("/api/submissions/HS-2018-0001/decision", json={"action": "accept"}, headers=clerk)
        assert bad.status_code == 422 and bad.json()["detail"] == "Thiếu trường note (ý kiến)."
        viewer = {"Authorization": f"Bearer {office.tokens['viewer']}"}
        body = {"action": "accept", "note": "Đã đối chiếu bản giấy"}
        assert (
            http.post("/api/submissions/HS-2018-0001/decision", json=body, headers=viewer).status_code == 403
        )
        decided = http.post("/api/submissions/HS-2018-0001/decision", json=body, headers=clerk)
        assert decided.status_code == 200
        assert decided.json()["status"] == "accepted"
        assert decided.json()["decisions"][0]["note"] == "Đã đối chiếu bản giấy"
        again = http.get("/api/submissions/HS-2018-0001", headers=viewer).json()
        assert again["status"] == "accepted" and len(again["decisions"]) == 1
        assert decided.headers["x-content-type-options"] == "nosniff"
