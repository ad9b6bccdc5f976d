"""An IMAP server as an object, in the manner of imapclient's own ``testable_imapclient``: the
folders and their messages, the capabilities a real server may lack (MOVE, UIDPLUS, IDLE), a clock
that IDLE advances instead of waiting, and faults to inject (a connection lost in the middle of a
command). ``FakeImapServer.new_client`` plugs into ``ImapSource(new_client=…)`` where a real
``IMAPClient`` is made; each call is one connection.

It answers in imapclient's shapes (bytes keys, UIDs as ints) for the commands ``ImapSource`` uses,
and records every command, so a test can tell a MOVE from a COPY and an IDLE kept from one renewed.
The Dovecot tests (tests/live) keep proving the same code against a real server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

PASSWORD = "mat-khau"
ALL_CAPABILITIES = ("IMAP4REV1", "IDLE", "MOVE", "UIDPLUS", "NAMESPACE")


@dataclass
class StoredMessage:
    raw: bytes
    arrived_at: datetime
    flags: set[bytes] = field(default_factory=set)


class FakeClock:
    """Monotonic seconds that pass only when the server waits (IDLE) or a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeImapServer:
    def __init__(self, capabilities=ALL_CAPABILITIES, uidvalidity: int = 1795433444) -> None:
        self.capabilities = tuple(c.encode() for c in capabilities)
        self.uidvalidity = uidvalidity
        self.clock = FakeClock()
        self.folders: dict[str, dict[int, StoredMessage]] = {"INBOX": {}}
        self.subscribed: set[str] = set()
        self.next_uid = 1
        self.commands: list[str] = []  # every command, in order, of every connection
        self.connections: list[FakeImapClient] = []
        self._faults: dict[str, BaseException] = {}

    # -- what a test does to the server ----------------------------------------------------------

    def deliver(self, raw: bytes, arrived_at: datetime, folder: str = "INBOX") -> int:
        uid, self.next_uid = self.next_uid, self.next_uid + 1
        self.folders[folder][uid] = StoredMessage(raw, arrived_at)
        for connection in self.connections:
            if connection.alive and connection.selected == folder:
                connection.untold.append((len(self.folders[folder]), b"EXISTS"))
        return uid

    def fail_next(self, command: str, error: BaseException) -> None:
        """The next ``command`` (on any connection) raises ``error``; a network error also ends
        that connection, as a lost connection would."""
        self._faults[command] = error

    def new_client(self, mailbox, timeout: float) -> FakeImapClient:
        client = FakeImapClient(self)
        self.connections.append(client)
        return client

    def uids(self, folder: str) -> list[int]:
        return sorted(
            uid for uid, message in self.folders.get(folder, {}).items() if b"\\Deleted" not in message.flags
        )

    def used(self, command: str) -> int:
        return self.commands.count(command)

    # -- what a connection asks of it --------------------------------------------------------------

    def _run(self, client: FakeImapClient, command: str) -> None:
        if not client.alive:
            raise IMAPClientAbortError("socket error: EOF")
        self.commands.append(command)
        fault = self._faults.pop(command, None)
        if fault is not None:
            if isinstance(fault, (OSError, IMAPClientAbortError)):
                client.alive = False
            raise fault


class _Socket:
    """What ImapSource does with the socket: keepalive options and a timeout set around a peek."""

    def __init__(self) -> None:
        self.timeout: float | None = None

    def setsockopt(self, *option) -> None:
        pass

    def gettimeout(self) -> float | None:
        return self.timeout

    def setblocking(self, flag: bool) -> None:
        self.timeout = None if flag else 0.0

    def settimeout(self, value: float | None) -> None:
        self.timeout = value


class _Reader:
    def peek(self, size: int) -> bytes:
        return b""  # nothing read off the socket and left unparsed: the server said nothing at once


class _ImaplibConnection:
    """The two parts of imapclient's imaplib connection ImapSource looks at."""

    def __init__(self) -> None:
        self.untagged_responses: dict[str, list] = {}
        self.file = _Reader()


class FakeImapClient:
    """One connection to a FakeImapServer, with IMAPClient's methods."""

    def __init__(self, server: FakeImapServer) -> None:
        self.server = server
        self.alive = True
        self.logged_in = False
        self.selected: str | None = None
        self.idling = False
        self.untold: list[tuple] = []  # untagged answers not yet given to the client
        self.normalise_times = True
        self._imap = _ImaplibConnection()
        self._socket = _Socket()

    def _run(self, command: str) -> None:
        self.server._run(self, command)

    def _folder(self, name: str) -> dict[int, StoredMessage]:
        if name not in self.server.folders:
            raise IMAPClientError(f"b'[NONEXISTENT] Mailbox doesn't exist: {name}'")
        return self.server.folders[name]

    def socket(self) -> _Socket:
        return self._socket

    def login(self, user: str, password: str) -> None:
        self._run("LOGIN")
        if password != PASSWORD:
            raise LoginError("b'[AUTHENTICATIONFAILED] Authentication failed.'")
        self.logged_in = True

    def capabilities(self) -> tuple:
        self._run("CAPABILITY")
        return self.server.capabilities

    def select_folder(self, folder: str) -> dict:
        self._run("SELECT")
        messages = self._folder(folder)
        self.selected = folder
        return {b"UIDVALIDITY": self.server.uidvalidity, b"EXISTS": len(messages)}

    def search(self, criteria) -> list[int]:
        self._run("SEARCH")
        if list(criteria)[:1] == ["UID"]:
            wanted = {int(uid) for uid in str(criteria[1]).split(",")}
            return [uid for uid in self.server.uids(self.selected) if uid in wanted]
        return self.server.uids(self.selected)

    def fetch(self, uids, items) -> dict:
        self._run("FETCH")
        messages = self._folder(self.selected)
        answer = {}
        for uid in uids:
            message = messages.get(uid)
            if message is None:
                continue
            data = {b"SEQ": uid}
            if "INTERNALDATE" in items:
                data[b"INTERNALDATE"] = message.arrived_at
            if "RFC822.SIZE" in items:
                data[b"RFC822.SIZE"] = len(message.raw)
            if "BODY.PEEK[]" in items:
                data[b"BODY[]"] = message.raw
            answer[uid] = data
        return answer

    def namespace(self):
        self._run("NAMESPACE")
        return (((b"", b"/"),), None, None)

    def folder_exists(self, name: str) -> bool:
        self._run("LIST")
        return name in self.server.folders

    def create_folder(self, name: str) -> None:
        self._run("CREATE")
        if name in self.server.folders:
            raise IMAPClientError("b'[ALREADYEXISTS] Mailbox already exists'")
        self.server.folders[name] = {}

    def subscribe_folder(self, name: str) -> None:
        self._run("SUBSCRIBE")
        self.server.subscribed.add(name)

    def _take(self, uids, target: str) -> list[StoredMessage]:
        source = self._folder(self.selected)
        self._folder(target)
        return [source[uid] for uid in uids if uid in source]

    def move(self, uids, target: str) -> None:
        if not self._has("MOVE"):
            raise IMAPClientError("b'Unknown command MOVE'")
        self._run("MOVE")
        for message in self._take(uids, target):
            self.server.deliver(message.raw, message.arrived_at, target)
        for uid in uids:
            self.server.folders[self.selected].pop(uid, None)

    def copy(self, uids, target: str) -> None:
        self._run("COPY")
        for message in self._take(uids, target):
            self.server.deliver(message.raw, message.arrived_at, target)

    def add_flags(self, uids, flags, silent: bool = False) -> None:
        self._run("STORE")
        messages = self._folder(self.selected)
        for uid in uids:
            if uid in messages:
                messages[uid].flags.update(flags)

    def uid_expunge(self, uids) -> None:
        if not self._has("UIDPLUS"):
            raise IMAPClientError("b'Unknown command UID EXPUNGE'")
        self._run("UID EXPUNGE")
        self._expunge(set(uids))

    def expunge(self) -> None:
        self._run("EXPUNGE")
        self._expunge(None)

    def _expunge(self, only: set[int] | None) -> None:
        messages = self._folder(self.selected)
        for uid in [
            uid for uid, m in messages.items() if b"\\Deleted" in m.flags and (only is None or uid in only)
        ]:
            del messages[uid]

    def _has(self, capability: str) -> bool:
        return capability.encode() in self.server.capabilities

    def idle(self) -> None:
        if not self._has("IDLE"):
            raise IMAPClientError("b'Unknown command IDLE'")
        self._run("IDLE")
        self.idling = True

    def idle_check(self, timeout: float | None = None) -> list:
        if not self.alive:
            raise IMAPClientAbortError("socket error: EOF")
        told, self.untold = self.untold, []
        if not told:
            self.server.clock.advance(timeout or 0)  # waited the whole slice: nothing came
        return told

    def idle_done(self) -> tuple:
        self._run("DONE")
        self.idling = False
        told, self.untold = self.untold, []
        return b"Idle completed", told

    def noop(self) -> tuple:
        self._run("NOOP")
        told, self.untold = self.untold, []
        return b"NOOP completed", told

    def logout(self) -> None:
        self._run("LOGOUT")
        self.alive = False

    def shutdown(self) -> None:
        self.alive = False
