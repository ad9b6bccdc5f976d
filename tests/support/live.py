"""The real servers the live tests run against (Dovecot for IMAP, an aiosmtpd server for SMTP),
an office configured for them, and small helpers for waiting on them."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tests.support.office import CAMPAIGN, OFFICE, SCHOOLS
from thidua.config import load_settings
from thidua.intake.app import App
from thidua.store.schools import import_schools
from thidua.store.submission_records import submissions_json

PASSWORD = "mat-khau-thu-nghiem"


DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)


NO_DOVECOT = "Dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = thidua-test-{name}
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
log_path = {root}/dovecot.log
default_internal_user = {internal_user}
default_login_user = {login_user}
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    # no growing delay for logins from 127.0.0.1 after a test's wrong password
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
  unix_listener lmtp {{
    mode = 0600
  }}
}}
"""


class Dovecot:
    """One Dovecot instance of our own; ``restart()`` keeps its ports and mailboxes."""

    _names = itertools.count(1)

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="thidua-dovecot-"))
        self.root.chmod(0o755)  # Dovecot's unprivileged processes must reach their folders
        (self.root / "run").mkdir()
        (self.root / "state").mkdir()
        (self.root / "mail").mkdir()
        self.imap_port = free_port()
        self.lmtp_port = free_port()
        if os.geteuid() == 0:  # mail processes may not run as root: they run as nobody
            uid = gid = 65534
            internal, login = "dovecot", "dovenull"
            os.chown(self.root / "mail", uid, gid)
        else:  # an unprivileged developer: everything as that user
            import pwd

            uid, gid = os.getuid(), os.getgid()
            internal = login = pwd.getpwuid(uid).pw_name
        self.config = self.root / "dovecot.conf"
        self.config.write_text(
            DOVECOT_CONF.format(
                root=self.root,
                name=f"{os.getpid()}-{next(self._names)}",
                password=PASSWORD,
                uid=uid,
                gid=gid,
                internal_user=internal,
                login_user=login,
                imap_port=self.imap_port,
                lmtp_port=self.lmtp_port,
            )
        )
        self.process: subprocess.Popen | None = None
        self._users = itertools.count(1)

    @property
    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self) -> None:
        # a session of its own: stop() ends every process of this instance, not only the master
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if not wait_until(self._answers, 15, 0.05):
            self.stop()
            raise RuntimeError(f"Dovecot did not start on 127.0.0.1:{self.imap_port}:\n{self.log[-2000:]}")

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(
                f"Dovecot exited ({self.process.returncode}): "
                f"{self.process.stderr.read().decode(errors='replace')}\n{self.log[-2000:]}"
            )
        try:
            with socket.create_connection(("127.0.0.1", self.imap_port), timeout=1) as sock:
                return sock.recv(100).startswith(b"* OK")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop like a crash or a restart of the service: the master and every process it started
        (Dovecot's master lets IMAP sessions outlive it for a while; a restarted server's clients
        see their connection closed)."""
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            if wait_until(lambda: not _group_alive(group), 3, 0.05):
                break
        process.stderr.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- mailboxes ---------------------------------------------------------------------------------

    def new_user(self) -> str:
        """A user name nobody used yet: an empty mailbox of its own."""
        return f"hop-thu-{next(self._users)}@pgd.example.vn"

    def client(self, user: str):
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.imap_port, ssl=False, timeout=10)
        client.login(user, PASSWORD)
        client.normalise_times = False
        return client

    def append(self, user: str, raw: bytes, when: datetime | None = None, folder: str = "INBOX") -> None:
        with self.client(user) as client:
            client.append(folder, raw, msg_time=when)

    def deliver_lmtp(self, user: str, raw: bytes, sender: str = "c2anbinh@example.vn") -> None:
        """Delivery the way the office's MTA hands mail to Dovecot."""
        with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=10) as lmtp:
            lmtp.sendmail(sender, [user], raw)

    def folders(self, user: str) -> dict[str, list[dict]]:
        """{folder: [{uid, flags, internaldate, raw}]} of every folder of ``user``."""
        found = {}
        with self.client(user) as client:
            for _, _, name in client.list_folders():
                client.select_folder(name, readonly=True)
                uids = client.search(["ALL"])
                data = client.fetch(uids, ["FLAGS", "INTERNALDATE", "BODY.PEEK[]"]) if uids else {}
                found[name] = [
                    {
                        "uid": uid,
                        "flags": data[uid][b"FLAGS"],
                        "internaldate": data[uid][b"INTERNALDATE"],
                        "raw": data[uid][b"BODY[]"],
                    }
                    for uid in sorted(data)
                ]
        return found


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    at: float  # time.monotonic() when DATA ended

    @property
    def message(self):
        from email import message_from_bytes, policy

        return message_from_bytes(self.content, policy=policy.default)


@dataclass
class SmtpServer:
    """aiosmtpd on 127.0.0.1: collects what it accepts; ``refuse_rcpt`` / ``refuse_data`` answer with a code."""

    port: int
    login: tuple[str, str] | None = None
    refuse_rcpt: str = ""
    refuse_data: str = ""
    received: list[Received] = field(default_factory=list)
    rcpt_attempts: int = 0
    # The first ``stall`` messages are held at the end of DATA until ``go`` is set (a send caught
    # in flight); ``data_started`` counts the messages that reached the end of DATA.
    stall: int = 0
    go: threading.Event = field(default_factory=threading.Event)
    data_started: int = 0
    _controller: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_attempts += 1
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_started += 1
        if self.data_started <= self.stall:
            while not self.go.is_set():
                await asyncio.sleep(0.02)
        if self.refuse_data:
            return self.refuse_data
        with self._lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, time.monotonic())
            )
        return "250 2.0.0 queued"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        ok = self.login is not None and (auth_data.login.decode(), auth_data.password.decode()) == self.login
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        extra = {}
        if self.login is not None:  # plaintext AUTH is fine on loopback, whatever aiosmtpd warns
            extra = dict(authenticator=self._authenticate, auth_required=True, auth_require_tls=False)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **extra)
        self._controller.start()
        return self

    def stop(self) -> None:
        self.go.set()
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        wait_until(lambda: len(self.received) >= count, timeout)
        return list(self.received)


class Office:
    """A thidua installation in a temporary folder, configured by a thidua.toml like an office's."""

    def __init__(self, root: Path, *, mailbox: str, outgoing: str, office_extra: str = ""):
        root.mkdir(parents=True, exist_ok=True)
        (root / "campaign.toml").write_text(CAMPAIGN.format(max_nominees=5), encoding="utf-8")
        self.config = root / "thidua.toml"
        self.config.write_text(
            f'[office]\nname = "Phòng GD&ĐT huyện Phong Điền"\naddress = "{OFFICE}"\n{office_extra}\n'
            f"[mailbox]\n{mailbox}\n[outgoing]\n{outgoing}\n",
            encoding="utf-8",
        )
        self.root = root
        self.app = App(load_settings(self.config))
        with self.app.db.session() as session:
            import_schools(session, SCHOOLS)

    def submissions(self) -> list[dict]:
        with self.app.db.session() as session:
            return submissions_json(
                session, office=self.app.settings.office.code, tz=self.app.settings.office.tz
            )

    def replies(self) -> list:
        from sqlmodel import select

        from thidua.store.models import Reply

        with self.app.db.session() as session:
            return [
                dict(
                    status=r.status,
                    attempts=r.attempts,
                    reason=r.reason,
                    to=r.to_address,
                    kind=r.kind,
                    next_attempt_at=r.next_attempt_at,
                )
                for r in session.exec(select(Reply).order_by(Reply.id)).all()
            ]

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "thidua.cli", "--config", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,
        )


def imap_section(server: Dovecot, user: str, password: str | None = PASSWORD, **more) -> str:
    """The [mailbox] lines for ``user``; ``more`` are TOML values as written (None leaves a key out)."""
    lines = {
        "kind": '"imap"',
        "host": '"127.0.0.1"',
        "port": str(server.imap_port),
        "security": '"none"',
        "username": f'"{user}"',
        "password": None if password is None else f'"{password}"',
        "poll_seconds": "5",
        "timeout_seconds": "10",
    }
    lines.update({k: v for k, v in more.items()})
    return "\n".join(f"{k} = {v}" for k, v in lines.items() if v is not None)


def smtp_section(port: int, **more) -> str:
    lines = {
        "kind": '"smtp"',
        "host": '"127.0.0.1"',
        "port": str(port),
        "security": '"none"',
        "timeout_seconds": "5",
    }
    lines.update(more)
    return "\n".join(f"{k} = {v}" for k, v in lines.items() if v is not None)
