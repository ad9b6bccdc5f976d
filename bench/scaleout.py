"""Two `thidua run --once` processes at once on one PostgreSQL database and one Dovecot mailbox."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import Row, burst_mails, make_office

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def _counts(url: str) -> tuple[int, int, int, int]:
    """(submissions, distinct content keys, replies, distinct replied submissions) in the database."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            subs, keys = connection.execute(
                sa.text("SELECT count(*), count(DISTINCT content_key) FROM submissions")
            ).one()
            replies, replied = connection.execute(
                sa.text("SELECT count(*), count(DISTINCT submission_id) FROM replies")
            ).one()
    finally:
        engine.dispose()
    return subs, keys, replies, replied


def run(quick: bool = False, dovecot=None, single_rate: float | None = None) -> list[Row]:
    name = "scale-out: 2 × `run --once`, PostgreSQL + one IMAP box"
    if dovecot is None:
        return [Row(name, "skipped", "", "", "SKIP", "Dovecot not installed")]
    try:
        import psycopg

        admin = psycopg.connect(ADMIN, autocommit=True, connect_timeout=5)
    except Exception as error:
        return [
            Row(name, "skipped", "", "", "SKIP", f"PostgreSQL not reachable: {str(error).splitlines()[0]}")
        ]
    from bench.burst import append_all
    from tests.support.live import imap_section

    count = 40 if quick else 100
    database = f"thidua_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{database}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
    try:
        with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
            root = Path(tmp)
            user = dovecot.new_user()
            mails = burst_mails(count, seed=11)
            append_all(dovecot, user, mails)
            outbox = root / "outbox"
            files = root / "files"
            outgoing = f'kind = "directory"\npath = "{outbox}"'
            offices = [
                make_office(
                    root / f"office{i}",
                    mailbox=imap_section(dovecot, user),
                    outgoing=outgoing,
                    database=url,
                    storage=files,
                )
                for i in (1, 2)
            ]
            for office in offices:  # migrations ran on building; close the bench's own connections
                office.app.db.engine.dispose()
            start = time.perf_counter()
            processes = [
                subprocess.Popen(
                    [sys.executable, "-m", "thidua.cli", "--config", str(o.config), "run", "--once"],
                    cwd=o.root,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                for o in offices
            ]
            errors = []
            for process in processes:
                try:
                    _, err = process.communicate(timeout=300)
                except subprocess.TimeoutExpired:
                    process.kill()
                    _, err = process.communicate()
                if process.returncode != 0:
                    errors.append(f"exit {process.returncode}: {err.decode(errors='replace')[-300:]}")
            seconds = time.perf_counter() - start
            subs, keys, replies, replied = _counts(url)
            sent = len(list(outbox.glob("*.eml"))) if outbox.exists() else 0
            left = dovecot.folders(user).get("INBOX", [])
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
    once = (
        subs == count
        and keys == count
        and replies == count
        and replied == count
        and sent == count
        and not errors
    )
    rate = count / seconds
    baseline = f"1 process (IMAP burst) {single_rate:.1f} mails/s" if single_rate else ""
    note = (
        f"{count} mails; submissions {subs} (distinct mails {keys}), replies queued {replies} for {replied} "
        f"submissions, reply files {sent}, left in INBOX {len(left)}; wall {seconds:.1f} s incl. start-up"
    )
    if errors:
        note += "; " + " | ".join(errors)
    return [
        Row(
            name,
            f"{rate:.1f} mails/s",
            "no mail filed or answered twice",
            baseline,
            "PASS" if once else "MISS",
            note,
        )
    ]
