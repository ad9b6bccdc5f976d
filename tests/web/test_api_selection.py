"""Review and selection through the API, and the official list of the selected nominees."""

# ruff: noqa: F811 - pytest fixtures imported from their module and used as parameters
from __future__ import annotations

from tests.support.api_office import OFFICE_CODE, api_office  # noqa: F401 - the fixture
from thidua.store import audit

AWARDS = """
[[awards]]
id = "gk-chu-tich"
label = "Giấy khen của Chủ tịch UBND"
max = 1
"""


def test_review_selection_within_the_cap_and_the_official_list(api_office):
    campaign = api_office.room.root / "campaign.toml"
    campaign.write_text(campaign.read_text(encoding="utf-8") + AWARDS, encoding="utf-8")
    viewer, reviewer = api_office.client("viewer"), api_office.client("reviewer")
    newest, oldest = viewer.get("/api/submissions").json()
    [first], [second] = newest["nominees"], oldest["nominees"]

    reviewed = reviewer.post(
        f"/api/nominees/{first['id']}/review", json={"evidence": "ok", "note": "Đủ minh chứng"}
    )
    assert reviewed.status_code == 200 and reviewed.json()["review"]["evidence"] == "ok"
    award = {"selected": True, "award": "gk-chu-tich"}
    assert reviewer.post(f"/api/nominees/{first['id']}/selection", json=award).status_code == 200
    over = reviewer.post(f"/api/nominees/{second['id']}/selection", json=award)
    assert over.status_code == 409 and "tối đa 1" in over.json()["detail"]
    unknown = reviewer.post(
        f"/api/nominees/{second['id']}/selection", json={"selected": True, "award": "khong-co"}
    )
    assert unknown.status_code == 422

    again = viewer.get("/api/submissions").json()[0]["nominees"][0]
    assert again["selected"] is True and again["proposed_award"] == "gk-chu-tich"
    assert again["review"]["evidence"] == "ok" and again["review"]["by"] == "token:script-reviewer"
    with api_office.app.db.session() as session:
        entries = audit.entries_for(session, OFFICE_CODE, "nominee", str(first["id"]))
    assert [e.action for e in entries] == ["review", "selection"]

    official = viewer.get("/api/rounds/q1-2018/export.xlsx", params={"selected": "true"})
    assert official.status_code == 200
    assert official.headers["content-disposition"].startswith("attachment;")
    assert (
        reviewer.post(f"/api/nominees/{first['id']}/selection", json={"selected": False}).status_code == 200
    )
