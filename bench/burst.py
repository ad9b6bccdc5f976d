"""A burst of mixed mails end to end, as `thidua run --once` takes them: Maildir and, with Dovecot, IMAP."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import Row, burst_mails, make_office, size_summary, verdict

TARGET = 50.0  # mails/s
DEADLINE_DAY = 1000  # mails in the largest burst


def run_once(app) -> tuple[list, int]:
    """What `thidua run --once` does: one pass over the inbox, then the outbox."""
    from thidua.runners.daemon import one_pass

    source = app.source()
    try:
        return one_pass(app, source)
    finally:
        close = getattr(source, "close", None)
        if close:
            close()


def _statuses(outcomes) -> str:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def maildir(mails, root: Path) -> tuple[float, list, int]:
    from thidua.intake.sources import deliver_to_maildir

    office = make_office(root)
    for raw, when in mails:
        deliver_to_maildir(office.app.settings.mailbox.path, raw, when)
    office.app.mailroom  # campaign and database opened, as the CLI does before the pass
    start = time.perf_counter()
    outcomes, sent = run_once(office.app)
    return time.perf_counter() - start, outcomes, sent


def maildir_command(mails, root: Path) -> tuple[float, int, str]:
    """The same burst through the command itself, start-up included: (seconds, reply files, what
    went wrong if not every mail was answered)."""
    import subprocess
    import sys

    from thidua.intake.sources import deliver_to_maildir

    office = make_office(root)
    for raw, when in mails:
        deliver_to_maildir(office.app.settings.mailbox.path, raw, when)
    office.app.db.dispose()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "thidua.cli", "--config", str(office.config), "run", "--once"],
        cwd=office.root,
        capture_output=True,
        timeout=600,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"thidua run --once failed: {done.stderr.decode(errors='replace')[-500:]}")
    replies = len(list(office.app.settings.outgoing.path.glob("*.eml")))
    if replies != len(mails):  # say what became of the others
        import sqlalchemy as sa

        with office.app.db.engine.connect() as connection:
            ledger = connection.execute(
                sa.text("SELECT status, count(*) FROM mail_ledger GROUP BY status")
            ).all()
        return (
            seconds,
            replies,
            (
                f"; only {replies} replies for {len(mails)} mails, mail ledger {dict(ledger)}, "
                f"log: {done.stderr.decode(errors='replace')[-300:]}"
            ),
        )
    return seconds, replies, ""


def imap_floor(server, user: str, batch: int = 20) -> float:
    """Fetch every mail of the INBOX with imapclient and parse its MIME: nothing else."""
    from thidua.intake.imap import echo_protocol_only_when_logged
    from thidua.parsers.mime import parse_mail

    start = time.perf_counter()
    with server.client(user) as client:
        echo_protocol_only_when_logged(client)  # as the daemon does
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["ALL"])
        for i in range(0, len(uids), batch):
            data = client.fetch(uids[i : i + batch], ["BODY.PEEK[]"])
            for uid in uids[i : i + batch]:
                parse_mail(data[uid][b"BODY[]"])
    return time.perf_counter() - start


def append_all(server, user: str, mails) -> None:
    with server.client(user) as client:
        for raw, when in mails:
            client.append("INBOX", raw, msg_time=when)


def imap(mails, root: Path, server) -> tuple[float, float, list, int]:
    from tests.support.live import imap_section

    user = server.new_user()
    append_all(server, user, mails)
    floor = imap_floor(server, user)
    office = make_office(root, mailbox=imap_section(server, user))
    office.app.mailroom
    start = time.perf_counter()
    outcomes, sent = run_once(office.app)
    return time.perf_counter() - start, floor, outcomes, sent


def run(quick: bool = False, dovecot=None) -> list[Row]:
    count = 50 if quick else 200
    mails = burst_mails(count)
    rows = []
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        seconds, outcomes, sent = maildir(mails, Path(tmp) / "maildir")
        rate = len(outcomes) / seconds
        rows.append(
            Row(
                "burst: Maildir → SQLite → outbox folder",
                f"{rate:.1f} mails/s",
                f"≥ {TARGET:.0f} mails/s",
                "",
                verdict(rate >= TARGET and len(outcomes) == count),
                f"{size_summary(mails)}; {len(outcomes)} processed in {seconds:.1f} s "
                f"({_statuses(outcomes)}), {sent} replies; timed from the first mail taken to the "
                f"last reply sent",
            )
        )
        whole, replies, trouble = maildir_command(mails, Path(tmp) / "command")
        rows.append(
            Row(
                "burst: the same, `thidua run --once` as a command",
                f"{count / whole:.1f} mails/s",
                f"≥ {TARGET:.0f} mails/s",
                "",
                verdict(count / whole >= TARGET and replies == count),
                f"{whole:.1f} s including start-up (imports, opening the database, the reader "
                f"processes), {replies} replies{trouble}",
            )
        )
        if not quick:  # a province's deadline day: over a thousand schools
            many = burst_mails(DEADLINE_DAY, seed=11)
            whole, replies, trouble = maildir_command(many, Path(tmp) / "deadline-day")
            rows.append(
                Row(
                    f"burst: {DEADLINE_DAY:,} mails, `thidua run --once` as a command",
                    f"{DEADLINE_DAY / whole:.1f} mails/s",
                    f"≥ {TARGET:.0f} mails/s",
                    "",
                    verdict(DEADLINE_DAY / whole >= TARGET and replies == DEADLINE_DAY),
                    f"{size_summary(many)}; {whole:.1f} s including start-up, {replies} replies{trouble}",
                )
            )
            del many
        if dovecot is None:
            rows.append(
                Row(
                    "burst: IMAP (Dovecot) → SQLite",
                    "skipped",
                    "",
                    "",
                    "SKIP",
                    "Dovecot not installed (apt-get install dovecot-imapd)",
                )
            )
        else:
            seconds, floor, outcomes, sent = imap(mails, Path(tmp) / "imap", dovecot)
            rate = len(outcomes) / seconds
            floor_rate = count / floor
            rows.append(
                Row(
                    "burst: IMAP (Dovecot) → SQLite → outbox folder",
                    f"{rate:.1f} mails/s",
                    f"≥ {TARGET:.0f} mails/s",
                    f"fetch+MIME floor {floor_rate:.0f} mails/s",
                    verdict(rate >= TARGET and len(outcomes) == count),
                    f"{len(outcomes)} processed in {seconds:.1f} s ({_statuses(outcomes)}), {sent} replies; "
                    f"floor {floor:.1f} s",
                )
            )
    return rows
