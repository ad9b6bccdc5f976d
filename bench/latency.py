"""The daemon idling on IMAP: seconds from LMTP delivery to the reply at the SMTP server.

Mail reaches Dovecot the way an office's MTA hands it over (LMTP), so the time includes
Dovecot noticing the new mail and telling the idling daemon."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Row, make_office, nomination_mail, percentile, verdict

TARGET = 2.0  # seconds, median


def run(quick: bool = False, dovecot=None) -> list[Row]:
    if dovecot is None:
        return [
            Row(
                "latency: LMTP delivery → reply (daemon, IMAP IDLE)",
                "skipped",
                "",
                "",
                "SKIP",
                "Dovecot not installed (apt-get install dovecot-imapd)",
            )
        ]
    from tests.support.live import SmtpServer, free_port, imap_section, smtp_section

    count = 5 if quick else 10
    smtp = SmtpServer(free_port()).start()
    daemon = None
    try:
        with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
            user = dovecot.new_user()
            office = make_office(
                Path(tmp) / "office", mailbox=imap_section(dovecot, user), outgoing=smtp_section(smtp.port)
            )
            log = open(Path(tmp) / "daemon.log", "wb")
            daemon = subprocess.Popen(
                [sys.executable, "-m", "thidua.cli", "--config", str(office.config), "run"],
                cwd=office.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            mails = [nomination_mail(1000 + i, nominees=2) for i in range(count + 1)]
            # the first mail warms the daemon up (imports, the reader process); it is not counted
            dovecot.deliver_lmtp(user, mails[0])
            if not smtp.wait_for(1, 60):
                raise RuntimeError(
                    "the daemon sent no reply within 60 s: "
                    + (Path(tmp) / "daemon.log").read_text(errors="replace")[-1500:]
                )
            time.sleep(1.0)  # back to IDLE
            latencies = []
            for i, raw in enumerate(mails[1:], start=2):
                start = time.monotonic()
                dovecot.deliver_lmtp(user, raw)
                received = smtp.wait_for(i, 30)
                if len(received) < i:
                    raise RuntimeError(f"no reply to mail {i} within 30 s")
                latencies.append(received[i - 1].at - start)
                time.sleep(0.5)  # mails one at a time, the daemon idle before each
            median = statistics.median(latencies)
            p90 = percentile(latencies, 0.9)
            return [
                Row(
                    "latency: LMTP delivery → reply at SMTP (daemon, IMAP IDLE)",
                    f"median {median:.2f} s, p90 {p90:.2f} s",
                    f"median ≤ {TARGET:.0f} s",
                    "",
                    verdict(median <= TARGET),
                    f"{count} mails one at a time (1 warm-up not counted); min {min(latencies):.2f} s, "
                    f"max {max(latencies):.2f} s",
                )
            ]
    finally:
        if daemon is not None:
            daemon.terminate()
            try:
                daemon.wait(15)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait(5)
        smtp.stop()
