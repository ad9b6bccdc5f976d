"""The office's IMAP mailbox as a mail source (imapclient).

Reading never changes the mailbox: bodies are fetched with ``BODY.PEEK[]`` so nothing is marked
seen. A mail leaves the inbox only through ``mark_filed`` / ``mark_for_review``, which the
mailroom calls after the submission is committed: ``UID MOVE`` when the server has MOVE, else
``UID COPY`` + ``\\Deleted`` + ``UID EXPUNGE`` (UIDPLUS), else a plain ``EXPUNGE``.

A mail larger than ``max_bytes`` is still fetched (alone, not in a batch) and processed: the
pipeline reads it and answers ``attachment_too_large`` for its oversize files, so the school is
told instead of the mail sitting unanswered. Streaming such mails is not done.

The connection is made on first use and again after it is lost; a lost connection or an
unreachable server raises ``ServiceUnavailable`` (one line), a refused login ``ConfigError``.
``wait_for_mail`` waits with IMAP IDLE when the server has it, otherwise by polling.
"""

from __future__ import annotations

import logging
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from thidua.config import Mailbox, read_secret
from thidua.errors import ConfigError, ServiceUnavailable
from thidua.intake import imap_parse as parse
from thidua.intake.imap_idle import IdleWaiting
from thidua.intake.imap_moves import FolderMoves
from thidua.intake.sources import IncomingMail
from thidua.network import describe_network_error, is_tls_misconfiguration

log = logging.getLogger("thidua.imap")
if logging.getLogger("imapclient").level == logging.NOTSET:
    # imapclient logs every connection at INFO and the whole protocol (mail bodies too) at DEBUG
    logging.getLogger("imapclient").setLevel(logging.WARNING)

IDLE_REFRESH_SECONDS = 600  # RFC 2177 asks for a new IDLE at least every 29 minutes; we do it every 10
TOKEN_COMMAND_TIMEOUT = 60
INFO_CHUNK = 500  # UIDs per FETCH of sizes and dates
_NETWORK_ERRORS = (OSError, IMAPClientAbortError, EOFError)


def echo_protocol_only_when_logged(client: IMAPClient) -> IMAPClient:
    """Turn off imaplib's protocol echo unless the ``imapclient.imaplib`` logger would keep it.

    imapclient routes imaplib's echo to that logger by setting imaplib's debug level to 5, and
    imaplib then formats every response line and literal with ``%r`` before the logger throws the
    text away: for a burst of mails with attachments that was two thirds of the CPU of fetching
    them, with the interpreter lock held, and a passing copy four times the size of each mail."""
    imap = getattr(client, "_imap", None)  # imapclient's own imaplib connection
    if imap is not None and not logging.getLogger("imapclient.imaplib").isEnabledFor(logging.DEBUG):
        imap.debug = 0
    return client


def imap_client(mailbox: Mailbox, timeout: float) -> IMAPClient:
    """A connection to ``[mailbox] host`` (TLS from the start with security = "ssl"; STARTTLS is
    the caller's), not yet logged in."""
    if mailbox.security == "ssl":
        client = IMAPClient(
            mailbox.host,
            port=mailbox.port,
            ssl=True,
            ssl_context=ssl.create_default_context(),
            timeout=timeout,
        )
    else:
        client = IMAPClient(mailbox.host, port=mailbox.port, ssl=False, timeout=timeout)
    return echo_protocol_only_when_logged(client)


class ImapSource(FolderMoves, IdleWaiting):
    """``MailSource`` for one IMAP folder (``[mailbox] folder``). Moving mail out of the inbox is
    in ``imap_moves``, waiting for new mail in ``imap_idle``; this module connects and fetches."""

    def __init__(
        self,
        mailbox: Mailbox,
        *,
        max_bytes: int = parse.DEFAULT_MAX_BYTES,
        timeout_seconds: float | None = None,
        idle_refresh_seconds: float = IDLE_REFRESH_SECONDS,
        batch_count: int = parse.BATCH_COUNT,
        clock: Callable[[], float] = time.monotonic,
        new_client: Callable[[Mailbox, float], IMAPClient] | None = None,
    ) -> None:
        self.mailbox = mailbox
        self.new_client = (
            new_client or imap_client
        )  # another IMAP client object (a test double) plugs in here
        self.max_bytes = max_bytes
        self.timeout = float(timeout_seconds if timeout_seconds is not None else mailbox.timeout_seconds)
        self.idle_refresh = idle_refresh_seconds
        self.batch_count = batch_count
        self.clock = clock
        self.where = f"{mailbox.host}:{mailbox.port}"
        self._client: IMAPClient | None = None
        self._uidvalidity = 0
        self._capabilities: tuple = ()
        self._namespace: tuple[str, str | None] | None = None
        self._ready_folders: set[str] = set()
        self._last_poll: float | None = None
        self._idle_started: float | None = None  # when the running IDLE command began
        self.connections = 0  # how many times a connection was made (a reconnect is the 2nd, 3rd…)
        # One command at a time on the connection: the next batch of bodies is fetched in a thread
        # of its own while the caller files the mails of this one and moves them (see pending).
        self._commands = threading.RLock()

    # -- the connection -----------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._client is not None

    def connect(self) -> IMAPClient:
        """The logged-in connection with the folder selected, made now if there is none."""
        if self._client is not None:
            return self._client
        mailbox = self.mailbox
        if not mailbox.host:
            raise ConfigError('[mailbox] host is not set: give the IMAP server\'s name (or kind = "maildir")')
        client = self._open()
        _keep_alive(client)
        try:
            self._login(client)
            client.normalise_times = False  # INTERNALDATE with the server's offset, never local time
            try:
                selected = client.select_folder(mailbox.folder)
            except IMAPClientAbortError:
                raise
            except IMAPClientError as exc:
                if parse.is_temporary_refusal(exc):
                    raise ServiceUnavailable(
                        f"the IMAP server {self.where} cannot open {mailbox.folder!r} "
                        f"right now ({parse.server_text(exc)})"
                    ) from None
                raise ConfigError(
                    f"IMAP folder {mailbox.folder!r} cannot be opened on {self.where} "
                    f"({parse.server_text(exc)}): check [mailbox] folder"
                ) from None
            self._uidvalidity = parse.uidvalidity_of(selected)
            client._imap.untagged_responses.pop("EXISTS", None)  # SELECT's own count
            self._capabilities = tuple(client.capabilities())
        except _NETWORK_ERRORS as exc:
            self._shutdown(client)
            raise ServiceUnavailable(
                f"lost the connection to the IMAP server {self.where} while logging in: "
                f"{describe_network_error(exc)}"
            ) from None
        except BaseException:
            self._shutdown(client)
            raise
        self._client = client
        self._ready_folders = set()
        self._last_poll = self.clock()
        self.connections += 1
        log.debug(
            "connected to %s as %s, folder %s (UIDVALIDITY %d)",
            self.where,
            mailbox.username,
            mailbox.folder,
            self._uidvalidity,
        )
        return client

    def _session(self) -> IMAPClient:
        """The connection, out of IDLE, ready for commands."""
        client = self.connect()
        self._leave_idle()
        return client

    def _open(self) -> IMAPClient:
        mailbox = self.mailbox
        try:
            client = self.new_client(mailbox, self.timeout)
        except _NETWORK_ERRORS + (IMAPClientError,) as exc:
            raise self._unreachable(exc) from None
        if mailbox.security == "starttls":
            try:
                client.starttls(ssl.create_default_context())
            except _NETWORK_ERRORS as exc:
                self._shutdown(client)
                raise self._unreachable(exc) from None
            except IMAPClientError as exc:
                self._shutdown(client)
                raise ConfigError(
                    f"the IMAP server {self.where} refused STARTTLS ({parse.server_text(exc)}): "
                    "check [mailbox] security and port"
                ) from None
        return client

    def _unreachable(self, exc: BaseException) -> Exception:
        if is_tls_misconfiguration(exc):
            return ConfigError(
                f"cannot talk TLS to the IMAP server {self.where}: {describe_network_error(exc)}; "
                "check [mailbox] security and port"
            )
        return ServiceUnavailable(f"cannot reach the IMAP server {self.where}: {describe_network_error(exc)}")

    def _login(self, client: IMAPClient) -> None:
        mailbox = self.mailbox
        user = mailbox.username
        if not user:
            raise ConfigError("[mailbox] username is not set")
        try:
            if mailbox.oauth2_token_command:
                client.oauth2_login(user, self._oauth2_token())
            else:
                password = read_secret(mailbox.password, mailbox.password_file, "[mailbox]")
                if not password:
                    raise ConfigError("[mailbox] needs password, password_file or oauth2_token_command")
                client.login(user, password)
        except LoginError as exc:
            if parse.is_temporary_refusal(exc):
                raise ServiceUnavailable(
                    f"the IMAP server {self.where} cannot log in {user} right now ({parse.server_text(exc)})"
                ) from None
            what = "oauth2_token_command" if mailbox.oauth2_token_command else "username/password"
            raise ConfigError(f"IMAP login failed for {user}: check [mailbox] {what}") from None

    def _oauth2_token(self) -> str:
        command = self.mailbox.oauth2_token_command
        try:
            done = subprocess.run(
                command, shell=True, capture_output=True, text=True, timeout=TOKEN_COMMAND_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise ConfigError(
                f"[mailbox] oauth2_token_command did not finish in {TOKEN_COMMAND_TIMEOUT} s"
            ) from None
        except OSError as exc:
            raise ConfigError(f"[mailbox] oauth2_token_command cannot be run ({exc.strerror})") from None
        if done.returncode != 0:
            detail = (done.stderr or "").strip().splitlines()
            said = f": {detail[-1]}" if detail else ""
            raise ConfigError(f"[mailbox] oauth2_token_command failed (exit {done.returncode}){said}")
        token = done.stdout.strip()
        if not token:
            raise ConfigError("[mailbox] oauth2_token_command printed no token")
        return token

    def close(self) -> None:
        """Log out (politely if the connection still works)."""
        with self._commands:
            self._close()

    def _close(self) -> None:
        client, self._client = self._client, None
        idling, self._idle_started = self._idle_started is not None, None
        if client is None:
            return
        try:
            if idling:
                client.idle_done()
            client.logout()
        except Exception:  # the connection is gone anyway
            self._shutdown(client)

    @staticmethod
    def _shutdown(client: IMAPClient) -> None:
        try:
            client.shutdown()
        except Exception:
            pass

    def _drop(self) -> None:
        client, self._client = self._client, None
        self._idle_started = None
        if client is not None:
            self._shutdown(client)

    @contextmanager
    def _talking(self, doing: str):
        """Turn a lost connection or a refused command into one-line errors; drop the connection."""
        try:
            yield
        except (ConfigError, ServiceUnavailable):
            raise
        except _NETWORK_ERRORS as exc:
            self._drop()
            raise ServiceUnavailable(
                f"lost the connection to the IMAP server {self.where} while {doing}: "
                f"{describe_network_error(exc)}"
            ) from None
        except IMAPClientError as exc:
            self._drop()
            raise ServiceUnavailable(
                f"the IMAP server {self.where} refused {doing}: {parse.server_text(exc)}"
            ) from None

    # -- reading ------------------------------------------------------------------------------

    def pending(self) -> Iterator[IncomingMail]:
        """Every message in the folder not flagged \\Deleted, oldest first (a full UID catch-up).

        The bodies of the next batch are fetched while the caller works on the mails of this
        one: on a burst, waiting for the server and parsing its answer would otherwise hold up
        the thread that files the mail."""
        with self._commands:
            client = self._session()
            folder, validity = self.mailbox.folder, self._uidvalidity
            with self._talking("searching the inbox"):
                client._imap.untagged_responses.pop("EXISTS", None)  # see wait_for_mail
                uids = sorted(client.search(["NOT", "DELETED"]))
                fetched: dict = {}
                for start in range(0, len(uids), INFO_CHUNK):
                    fetched.update(
                        client.fetch(uids[start : start + INFO_CHUNK], ["INTERNALDATE", "RFC822.SIZE"])
                    )
            self._last_poll = self.clock()
        infos = parse.message_infos(fetched)
        for info in infos:
            if info.size > self.max_bytes:
                log.warning(
                    "message %s is %.1f MB, over the %.0f MB limit: fetched on its own",
                    parse.source_key(folder, validity, info.uid),
                    info.size / parse.MIB,
                    self.max_bytes / parse.MIB,
                )
        batches = parse.fetch_batches(infos, max_bytes=self.max_bytes, batch_count=self.batch_count)
        if not batches:
            return
        given_up = threading.Event()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="thidua-imap-fetch") as fetcher:
            ahead = fetcher.submit(self._fetch_batch, folder, validity, batches[0], given_up)
            try:
                for index, batch in enumerate(batches):
                    bodies = ahead.result()  # a lost connection is raised here, to the caller
                    if bodies is None:
                        return  # reconnected meanwhile and the UIDs changed meaning: the next pass starts over
                    ahead = (
                        fetcher.submit(self._fetch_batch, folder, validity, batches[index + 1], given_up)
                        if index + 1 < len(batches)
                        else None
                    )
                    for info in batch:
                        mail = parse.incoming_mail(folder, validity, info, bodies.get(info.uid))
                        if mail is not None:
                            yield mail
            finally:
                given_up.set()  # a pass cut short: the batch ahead is not wanted
                if ahead is not None:
                    ahead.cancel()

    def _fetch_batch(self, folder: str, validity: int, batch: list, given_up: threading.Event) -> dict | None:
        with self._commands:
            if given_up.is_set():
                return {}
            if self._client is None or self._uidvalidity != validity:
                return None
            return self._fetch_bodies(self._session(), folder, validity, batch)

    def _fetch_bodies(self, client: IMAPClient, folder: str, validity: int, batch: list) -> dict:
        """Bodies of a batch. When the server refuses the batch (NO / BAD), the messages are
        fetched one by one and only one it cannot give is skipped (it stays in the inbox and is
        tried again on the next pass), so a damaged message never holds up the others."""
        items = ["BODY.PEEK[]", "INTERNALDATE"]
        groups = [[info.uid for info in batch]]
        bodies: dict = {}
        with self._talking("fetching mail"):
            while groups:
                uids = groups.pop(0)
                try:
                    bodies.update(client.fetch(uids, items))
                except IMAPClientAbortError:
                    raise
                except IMAPClientError as exc:
                    if len(uids) > 1:
                        groups.extend([uid] for uid in uids)
                        continue
                    log.warning(
                        "the IMAP server cannot give %s (%s): it stays in the inbox",
                        parse.source_key(folder, validity, uids[0]),
                        parse.server_text(exc),
                    )
        return bodies


def _keep_alive(client: IMAPClient) -> None:
    """TCP keepalive, so a connection silently dropped by a router is noticed in minutes while idling."""
    try:
        sock = client.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        for option, value in (("TCP_KEEPIDLE", 120), ("TCP_KEEPINTVL", 30), ("TCP_KEEPCNT", 4)):
            if hasattr(socket, option):
                sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)
    except (OSError, AttributeError):
        pass
