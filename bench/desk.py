"""The desk's server time with a full office: 10,000 submissions and 50,000 nominees.

The rows are written with bulk inserts (no mail is processed): 300 schools, four versions of a
list for some of them, problems on a third, five nominees per submission. Measured: the round
dashboard (one grouped query) and the submission list (one page of 50, with a filter, with a
search over names), each as the desk's query and as the page the server renders for a logged-in
clerk (in process, no network). SQLite always; PostgreSQL too when its server answers.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from bench.common import Row, percentile, verdict

SUBMISSIONS = 10_000
NOMINEES_PER_SUBMISSION = 5
SCHOOLS = 300
TARGET_MS = 150.0
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
OFFICE = "bench"
PASSWORD = "mat-khau-bench-desk"
VN = timezone(timedelta(hours=7))
CAMPAIGN = """
name = "Đổi mới, sáng tạo trong dạy và học"
school_year = "2017-2018"

[[rounds]]
id = "q1-2018"
label = "Quý I năm 2018"
opens = 2017-12-16T00:00:00+07:00
deadline = 2018-03-15T23:59:59+07:00

[[rounds]]
id = "q2-2018"
label = "Quý II năm 2018"
opens = 2018-03-16T00:00:00+07:00
deadline = 2018-06-15T23:59:59+07:00
"""
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Thị", "Văn", "Minh", "Ngọc", "Thanh", "Đức", "Hữu", "Quang")
GIVEN = ("Hoa", "Bình", "Cúc", "Dũng", "Lan", "Hùng", "Mai", "Nam", "Phương", "Sơn", "Tâm", "Yến")


def _insert(connection, table, rows: list[dict], chunk: int = 2000) -> None:
    for start in range(0, len(rows), chunk):
        connection.execute(sa.insert(table), rows[start : start + chunk])


def populate(engine, seed: int = 15) -> None:
    """Schools, submissions (with superseded versions), nominees and problems, in bulk."""
    from thidua.store.models import Nominee, Problem, School, SchoolAddress, Submission

    rng = random.Random(seed)
    now = datetime.now(UTC)
    schools = [{"id": i, "name": f"Trường Tiểu học Số {i:03d}"} for i in range(1, SCHOOLS + 1)]
    addresses = [{"school_id": i, "address": f"th{i:03d}@example.vn"} for i in range(1, SCHOOLS + 1)]
    submissions, nominees, problems = [], [], []
    receipt_seq, versions_left = 0, {}
    for sid in range(1, SUBMISSIONS + 1):
        school = rng.randint(1, SCHOOLS)
        round_id = "q1-2018" if sid % 3 else "q2-2018"
        base = datetime(2018, 3, 1, tzinfo=VN) if round_id == "q1-2018" else datetime(2018, 6, 1, tzinfo=VN)
        received = base + timedelta(days=rng.randint(0, 18), minutes=rng.randint(0, 1440))
        key = (school, round_id)
        if key in versions_left and versions_left[key][1] < 4:  # a newer version of this school's list
            receipt, version = versions_left[key][0], versions_left[key][1] + 1
            for row in submissions:
                if row["receipt"] == receipt and row["status"] != "superseded":
                    row["status"], row["superseded_at"] = "superseded", received
        else:
            receipt_seq += 1
            receipt, version = f"HS-2018-{receipt_seq:05d}", 1
        versions_left[key] = (receipt, version)
        status = rng.choice(("accepted", "accepted", "needs_correction", "rejected"))
        submissions.append(
            {
                "id": sid,
                "receipt": receipt,
                "version": version,
                "status": status,
                "school_id": school,
                "school_name": f"Trường Tiểu học Số {school:03d}",
                "sender": f"th{school:03d}@example.vn",
                "subject": f"Danh sách đề nghị khen thưởng {round_id}",
                "message_id": f"<bench-{sid}@example.vn>",
                "content_key": f"{sid:064x}",
                "mail_sha256": "",
                "received_at": received,
                "round_id": round_id,
                "source_key": f"bench:{sid}",
                "created_at": now,
                "superseded_at": None,
            }
        )
        for position in range(NOMINEES_PER_SUBMISSION):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            nominees.append(
                {
                    "submission_id": sid,
                    "position": position,
                    "rank": position + 1,
                    "name": name,
                    "category": "teacher",
                    "category_text": "Giáo viên",
                    "position_title": "Giáo viên",
                    "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện",
                    "evidence": [],
                    "award": "Giấy khen",
                    "labels": {},
                }
            )
        if status == "needs_correction":
            problems.append(
                {
                    "submission_id": sid,
                    "position": 0,
                    "code": "missing_evidence",
                    "severity": "error",
                    "field": "nominees[1].evidence",
                    "message": "Thiếu minh chứng",
                }
            )
        if received.day > 15 and rng.random() < 0.5:
            problems.append(
                {
                    "submission_id": sid,
                    "position": 1,
                    "code": "late",
                    "severity": "warning",
                    "field": "received_at",
                    "message": "Gửi sau hạn",
                }
            )
    with engine.begin() as connection:
        _insert(connection, School.__table__, schools)
        _insert(connection, SchoolAddress.__table__, addresses)
        _insert(connection, Submission.__table__, submissions)
        _insert(connection, Nominee.__table__, nominees)
        _insert(connection, Problem.__table__, problems)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    else:
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")


def _times(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm: templates compiled, statements cached
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        found.append((time.perf_counter() - started) * 1000)
    return found


def measure(url: str, root: Path, runs: int) -> list[tuple[str, list[float] | str]]:
    """Each case's times in ms, or the error that stopped it (one broken page hides no other row)."""
    from fastapi.testclient import TestClient

    from thidua.config import load_settings
    from thidua.desk import queries
    from thidua.desk.passwords import hash_password
    from thidua.store import accounts
    from thidua.web.app import create_app, settle_heap

    root.mkdir(parents=True, exist_ok=True)
    (root / "campaign.toml").write_text(CAMPAIGN, encoding="utf-8")
    (root / "thidua.toml").write_text(
        f'[office]\nname = "Phòng GD&ĐT huyện Phong Điền"\ncode = "{OFFICE}"\n\n[database]\nurl = "{url}"\n\n'
        "[web]\ncookie_secure = false\n",
        encoding="utf-8",
    )
    settings = load_settings(root / "thidua.toml")
    app = create_app(settings)
    service = app.state.thidua
    db, campaign = service.db, service.campaign
    populate(db.engine)
    with db.session() as session:
        accounts.add_user(session, OFFICE, "clerk", "clerk", hash_password(PASSWORD))
    client = TestClient(app, base_url="https://bench")
    login = client.post("/login", data={"username": "clerk", "password": PASSWORD}, follow_redirects=False)
    assert login.status_code == 303, login.text
    settle_heap()  # as `thidua web` does once started

    def query(fn):
        def run():
            with db.session() as session:
                return fn(session)

        return run

    def page(path):
        def run():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return run

    cases = [
        ("dashboard query", query(lambda s: queries.dashboard(s, OFFICE, campaign, "q1-2018"))),
        ("list query, page 1", query(lambda s: queries.list_submissions(s, OFFICE))),
        (
            "list query, page 60, round filter",
            query(lambda s: queries.list_submissions(s, OFFICE, round_id="q1-2018", page=60)),
        ),
        ("list query, name search", query(lambda s: queries.list_submissions(s, OFFICE, q="Phương"))),
        ("dashboard page /rounds/q1-2018", page("/rounds/q1-2018")),
        ("list page /submissions", page("/submissions")),
        ("list page, status and search", page("/submissions?status=accepted&q=Ph%C6%B0%C6%A1ng")),
    ]
    results: list[tuple[str, list[float] | str]] = []
    try:
        for name, fn in cases:
            try:
                results.append((name, _times(fn, runs)))
            except Exception as error:  # noqa: BLE001 - reported as the row's result
                results.append((name, f"{type(error).__name__}: {error}"[:300]))
        return results
    finally:
        client.close()
        db.dispose()


def _postgres_url() -> tuple[str, Callable[[], None]] | None:
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except Exception:  # noqa: BLE001 - no server: the PostgreSQL rows are skipped
        return None
    name = f"thidua_bench_desk_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", drop


def run(quick: bool = False) -> list[Row]:
    runs = 10 if quick else 40
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="thidua-bench-desk-") as tmp:
        backends = [("SQLite", f"sqlite:///{Path(tmp) / 'sqlite' / 'thidua.db'}", None)]
        postgres = _postgres_url()
        if postgres is not None:
            backends.append(("PostgreSQL", *postgres))
        for label, url, cleanup in backends:
            try:
                for name, times in measure(url, Path(tmp) / label.lower(), runs):
                    if isinstance(times, str):
                        rows.append(
                            Row(
                                f"desk ({label}): {name}",
                                "error",
                                f"p95 ≤ {TARGET_MS:.0f} ms",
                                "",
                                "ERROR",
                                times,
                            )
                        )
                        continue
                    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
                    rows.append(
                        Row(
                            f"desk ({label}): {name}",
                            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
                            f"p95 ≤ {TARGET_MS:.0f} ms",
                            "",
                            verdict(p95 <= TARGET_MS),
                            f"{SUBMISSIONS:,} submissions, {SUBMISSIONS * NOMINEES_PER_SUBMISSION:,} nominees, "
                            f"{SCHOOLS} schools; {runs} runs; load average {os.getloadavg()[0]:.1f} "
                            f"on {os.cpu_count()} cores",
                        )
                    )
            finally:
                if cleanup is not None:
                    cleanup()
        if postgres is None:
            rows.append(Row("desk (PostgreSQL)", "not run", "", "", "SKIP", "no PostgreSQL server answered"))
    return rows


if __name__ == "__main__":
    from rich.console import Console
    from rich.table import Table

    table = Table(title="desk server time")
    for column in ("Measure", "Result", "Target", "Verdict"):
        table.add_column(column)
    for row in run(quick=False):
        table.add_row(row.measure, row.result, row.target, row.verdict)
    Console().print(table)
