"""Waiting for new mail on the IMAP connection: IDLE (RFC 2177) when the server has it, else
polling every ``[mailbox] poll_seconds``. Part of ``imap.ImapSource``, whose connection
(``connect``, ``_session``, ``_talking``, ``_drop``) it uses."""

from __future__ import annotations

import logging
import threading
import time

from imapclient import IMAPClient

from thidua.errors import ServiceUnavailable
from thidua.intake import imap_parse as parse

log = logging.getLogger("thidua.imap")


class IdleWaiting:
    @property
    def can_idle(self) -> bool:
        return parse.has_capability(self._capabilities, "IDLE")

    def wait_for_mail(self, timeout_seconds: float, stop: threading.Event | None = None) -> bool:
        """Wait up to ``timeout_seconds`` for new mail; True when some may have arrived.

        IMAP IDLE when the server has it, else polling every ``[mailbox] poll_seconds``. Returns
        early (False) once ``stop`` is set. After a timeout the IDLE command keeps running, so
        the next call goes on waiting without a round trip; it is renewed every
        ``idle_refresh_seconds`` (10 minutes) and ended by the next command (a pass, a move).
        A connection made by this call answers True at once: what is in the folder (or came
        while the connection was down) has not been looked at yet."""
        with self._commands:
            fresh = self._client is None
            client = self.connect()
            if fresh:
                return True
            if self.can_idle:
                return self._idle(client, timeout_seconds, stop)
            return self._poll(timeout_seconds, stop)

    def _idle(self, client: IMAPClient, timeout_seconds: float, stop: threading.Event | None) -> bool:
        deadline = self.clock() + max(0.0, timeout_seconds)
        if self._idle_started is None:
            # New mail announced in the answer to an earlier command (a MOVE, a FETCH) after the
            # last SEARCH: imaplib keeps such untagged EXISTS lines; inside IDLE they would be lost.
            if client._imap.untagged_responses.pop("EXISTS", None):
                return True
            if timeout_seconds <= 0:
                return False
            if self._start_idle(client):
                return True
        while True:
            now = self.clock()
            if now >= deadline or (stop is not None and stop.is_set()):
                return False  # still idling: the next call goes on from here
            renew_at = self._idle_started + self.idle_refresh
            if now >= renew_at:
                if self._leave_idle() or self._start_idle(client):
                    return True
                continue
            slice_ = min(1.0, deadline - now, renew_at - now)
            with self._talking("waiting for mail"):
                responses = client.idle_check(timeout=slice_)
            if parse.says_bye(responses):
                self._drop()
                raise ServiceUnavailable(
                    f"the IMAP server {self.where} closed the connection ({_bye_text(responses)})"
                )
            if parse.announces_new_mail(responses):
                self._leave_idle()
                return True
            if not responses and self.clock() - now < slice_ * 0.5:
                # woken with nothing to read: the connection may be closed; DONE finds out
                if self._leave_idle() or self._start_idle(client):
                    return True

    def _start_idle(self, client: IMAPClient) -> bool:
        """Start IDLE; True (and IDLE ended again) when the server announced new mail at once.

        A server tells what changed since the last command right behind its "+ idling"
        (Dovecot does, for mail that came between our last SEARCH and the IDLE). imaplib may
        already have read those lines off the socket into its buffer, where ``idle_check``
        never looks: they are read by ending the IDLE, and a new one is started."""
        for _ in range(3):
            with self._talking("starting IDLE"):
                client.idle()
            self._idle_started = self.clock()
            if not _lines_buffered(client):
                return False
            if self._leave_idle():
                return True
        # a server that always says something at once: idle all the same
        with self._talking("starting IDLE"):
            client.idle()
        self._idle_started = self.clock()
        return False

    def _leave_idle(self) -> bool:
        """End a running IDLE; True when the server announced new mail while it ran."""
        client = self._client
        if client is None or self._idle_started is None:
            return False
        self._idle_started = None
        with self._talking("ending IDLE"):
            _, responses = client.idle_done()
        return parse.announces_new_mail(responses)

    def _poll(self, timeout_seconds: float, stop: threading.Event | None) -> bool:
        poll = float(self.mailbox.poll_seconds)
        last = self._last_poll if self._last_poll is not None else self.clock()
        due = last + poll
        wait = max(0.0, min(timeout_seconds, due - self.clock()))
        if stop is not None:
            stop.wait(wait)
        else:
            time.sleep(wait)
        if self.clock() < due:
            return False
        self._last_poll = self.clock()
        client = self._session()
        with self._talking("checking for mail"):
            client.noop()  # keeps the session alive; the pass's UID SEARCH finds what is new
        return True


def _lines_buffered(client: IMAPClient) -> bool:
    """Whether the server's lines wait in imaplib's read buffer (taken off the socket, not parsed)."""
    sock = client.socket()
    timeout = sock.gettimeout()
    sock.setblocking(False)  # peek must not wait for the network when the buffer is empty
    try:
        return bool(client._imap.file.peek(1))  # imaplib's reader
    except OSError:  # nothing buffered and nothing on the socket either (EAGAIN)
        return False
    finally:
        sock.settimeout(timeout)


def _bye_text(responses) -> str:
    for response in responses:
        if isinstance(response, tuple) and response and response[0] == b"BYE":
            words = [w.decode("utf-8", "replace") if isinstance(w, bytes) else str(w) for w in response[1:]]
            return " ".join(words).strip() or "BYE"
    return "BYE"
