"""Sending replies and digests through the office's SMTP server (aiosmtplib, driven synchronously).

Envelope (RFC 5321 / RFC 3834):

* an auto-reply (``Auto-Submitted: auto-replied``) goes out with the null reverse-path
  ``MAIL FROM:<>``, so a bounce or an out-of-office answer can never come back and start a loop;
  ``[outgoing] auto_reply_envelope_from`` names an address instead, for relays that refuse ``<>``;
* anything else (the staff digest) goes from its ``Sender:`` or ``From:`` address, the office's,
  so a bounce for a mistyped staff address reaches the office;
* ``RCPT TO`` are the ``To``, ``Cc`` (and ``Bcc``, which is removed from the copy sent) addresses.

Failures, for the outbox (``thidua.runners.outbox.drain``): a 5xx answer to the message or to its
recipients raises ``PermanentSendError`` (not retried). Everything else is temporary and raised
as an ordinary exception with one line of text: 4xx answers (``SmtpTemporaryError``), an
unreachable server, timeouts and lost connections (``ServiceUnavailable``), and configuration
problems that staff must fix, such as a refused login, which must not fail the replies for good
(``ConfigError``).

One connection serves the messages sent in a row (up to ``reuse_seconds`` apart); ``close()``
ends it, and the daemon calls it after each outbox run.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import ssl
import time
import weakref
from collections.abc import Callable
from email import policy
from email.message import Message
from email.utils import getaddresses, parseaddr

import aiosmtplib

from thidua.config import Outgoing, read_secret
from thidua.errors import ConfigError, ServiceUnavailable
from thidua.network import describe_network_error, is_tls_misconfiguration
from thidua.notifier.senders import PermanentSendError

log = logging.getLogger("thidua.smtp")

# 5xx answers about the session rather than the message: fix the configuration, then retry
_SESSION_REFUSALS = {530, 534, 535, 538}


class SmtpTemporaryError(Exception):
    """A 4xx answer: the server asks to try again later."""


def is_auto_reply(message: Message) -> bool:
    value = str(message.get("Auto-Submitted", "") or "").split(";", 1)[0].strip().lower()
    return value == "auto-replied"


def envelope_recipients(message: Message) -> list[str]:
    """Addresses of To, Cc and Bcc, each once, in order."""
    values = [str(v) for name in ("To", "Cc", "Bcc") for v in (message.get_all(name) or [])]
    seen: dict[str, str] = {}
    for _, address in getaddresses(values):
        address = address.strip()
        if address and "@" in address and address.lower() not in seen:
            seen[address.lower()] = address
    return list(seen.values())


def wire_bytes(message: Message) -> bytes:
    """The message as it goes over SMTP: CRLF line ends, no Bcc header."""
    if message.get("Bcc") is not None:
        import copy

        message = copy.copy(message)
        del message["Bcc"]
    return message.as_bytes(policy=policy.SMTP)


def _first_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:300]


def _network_words(exc: BaseException) -> str:
    """A few words for staff about a connection failure ("connection refused", "timed out")."""
    if isinstance(exc, (asyncio.TimeoutError, aiosmtplib.SMTPTimeoutError)):
        return "timed out"
    seen, cause = set(), exc
    while cause is not None and id(cause) not in seen:  # the OSError under aiosmtplib's own errors
        seen.add(id(cause))
        if isinstance(cause, OSError) and not isinstance(cause, aiosmtplib.SMTPException):
            return describe_network_error(cause)
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
        return "connection closed by the server"
    text = _first_line(str(exc))
    found = re.search(r"\[Errno (\d+)\]", text)
    if found:
        return describe_network_error(OSError(int(found.group(1)), os.strerror(int(found.group(1)))))
    return text or type(exc).__name__


class _Connection:
    """The private event loop and the open SMTP session; kept apart so a finalizer can close it."""

    def __init__(self) -> None:
        self.runner: asyncio.Runner | None = None
        self.smtp: aiosmtplib.SMTP | None = None
        self.last_used = 0.0

    def run(self, coroutine):
        if self.runner is None:
            self.runner = asyncio.Runner()
        return self.runner.run(coroutine)

    def drop(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.close()
            except Exception:
                pass

    def close(self) -> None:
        smtp = self.smtp
        if smtp is not None and self.runner is not None:
            try:
                self.runner.run(asyncio.wait_for(smtp.quit(), timeout=5))
            except Exception:
                pass
        self.drop()
        runner, self.runner = self.runner, None
        if runner is not None:
            try:
                runner.close()
            except Exception:
                pass


class SmtpSender:
    """``ReplySender`` over SMTP, configured by ``[outgoing]``."""

    def __init__(
        self, outgoing: Outgoing, *, reuse_seconds: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.outgoing = outgoing
        self.where = f"{outgoing.host}:{outgoing.port}"
        self.reuse_seconds = reuse_seconds
        self.clock = clock
        self._connection = _Connection()
        self._finalizer = weakref.finalize(self, self._connection.close)

    # -- the contract ----------------------------------------------------------------------------

    def send(self, message: Message, data: bytes | None = None) -> None:
        recipients = envelope_recipients(message)
        if not recipients:
            raise PermanentSendError("the message has no recipient address (To/Cc)")
        if is_auto_reply(message):
            sender = self.outgoing.auto_reply_envelope_from.strip()
        else:
            sender = parseaddr(str(message.get("Sender") or message.get("From") or ""))[1]
        if data is None or message.get("Bcc") is not None:
            data = wire_bytes(message)
        try:
            refused = self._connection.run(self._transaction(sender, recipients, data))
        except (PermanentSendError, ConfigError, ServiceUnavailable, SmtpTemporaryError):
            self._connection.drop()
            raise
        except BaseException as exc:
            self._connection.drop()
            raise self._translate(exc) from None
        self._connection.last_used = self.clock()
        if refused:
            words = "; ".join(
                f"{address}: {code} {_first_line(text)}" for address, (code, text) in refused.items()
            )
            log.warning("sent, but the SMTP server %s refused some recipients: %s", self.where, words)

    def close(self) -> None:
        """End the SMTP session (QUIT) and the private event loop."""
        self._connection.close()

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- the session -----------------------------------------------------------------------------

    async def _transaction(self, sender: str, recipients: list[str], data: bytes) -> dict:
        connection = self._connection
        reused = connection.smtp is not None and self.clock() - connection.last_used < self.reuse_seconds
        if not reused:
            await self._quit_quietly()
            connection.smtp = await self._open()
        smtp = connection.smtp
        try:
            return await self._mail(smtp, sender, recipients, data)
        except aiosmtplib.SMTPServerDisconnected:
            if not reused:
                raise
            # the kept session had ended on the server's side: once more on a new one
            connection.drop()
            connection.smtp = smtp = await self._open()
            return await self._mail(smtp, sender, recipients, data)

    async def _mail(self, smtp: aiosmtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> dict:
        options = []
        if not data.isascii() and smtp.supports_extension("8bitmime"):
            options.append("BODY=8BITMIME")
        if not all(a.isascii() for a in [sender, *recipients]):
            if not smtp.supports_extension("smtputf8"):
                raise PermanentSendError("a non-ASCII address, and the SMTP server does not offer SMTPUTF8")
            options.append("SMTPUTF8")
        refused, _ = await smtp.sendmail(sender, recipients, data, mail_options=options)
        return refused

    async def _quit_quietly(self) -> None:
        smtp, self._connection.smtp = self._connection.smtp, None
        if smtp is not None and smtp.is_connected:
            try:
                await asyncio.wait_for(smtp.quit(), timeout=5)
            except Exception:
                smtp.close()

    async def _open(self) -> aiosmtplib.SMTP:
        outgoing = self.outgoing
        if not outgoing.host:
            raise ConfigError(
                '[outgoing] host is not set: give the SMTP server\'s name (or kind = "directory")'
            )
        context = ssl.create_default_context() if outgoing.security != "none" else None
        smtp = aiosmtplib.SMTP(
            hostname=outgoing.host,
            port=outgoing.port,
            timeout=outgoing.timeout_seconds,
            use_tls=outgoing.security == "ssl",
            start_tls=outgoing.security == "starttls",
            tls_context=context,
        )
        try:
            await smtp.connect()
        except aiosmtplib.SMTPNotSupported as exc:
            raise ConfigError(
                f"the SMTP server {self.where} does not offer STARTTLS ({_first_line(exc)}): "
                "check [outgoing] security and port"
            ) from None
        except aiosmtplib.SMTPResponseException as exc:
            smtp.close()
            if exc.code >= 500:
                raise ServiceUnavailable(
                    f"the SMTP server {self.where} refuses connections: {exc.code} {_first_line(exc.message)}"
                ) from None
            raise SmtpTemporaryError(
                f"the SMTP server {self.where} answered {exc.code} {_first_line(exc.message)}"
            ) from None
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            smtp.close()
            if isinstance(exc, ssl.SSLError) or isinstance(exc.__cause__, ssl.SSLError):
                cause = exc if isinstance(exc, ssl.SSLError) else exc.__cause__
                if is_tls_misconfiguration(cause):
                    raise ConfigError(
                        f"cannot talk TLS to the SMTP server {self.where}: "
                        f"{_network_words(exc)}; check [outgoing] security and port"
                    ) from None
            raise ServiceUnavailable(
                f"cannot reach the SMTP server {self.where}: {_network_words(exc)}"
            ) from None
        if outgoing.username:
            password = read_secret(outgoing.password, outgoing.password_file, "[outgoing]")
            try:
                await smtp.login(outgoing.username, password)
            except aiosmtplib.SMTPAuthenticationError:
                smtp.close()
                raise ConfigError(
                    f"SMTP login failed for {outgoing.username}: check [outgoing] username/password"
                ) from None
            except aiosmtplib.SMTPException as exc:
                smtp.close()
                if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code < 500:
                    raise SmtpTemporaryError(
                        f"the SMTP server {self.where} answered {exc.code} "
                        f"{_first_line(exc.message)} to the login"
                    ) from None
                if isinstance(exc, (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError)):
                    raise ServiceUnavailable(
                        f"lost the connection to the SMTP server {self.where} while "
                        f"logging in: {_network_words(exc)}"
                    ) from None
                raise ConfigError(
                    f"SMTP login to {self.where} is not possible ({_first_line(exc)}): "
                    "check [outgoing] security, username and password"
                ) from None
        return smtp

    # -- errors ----------------------------------------------------------------------------------

    def _translate(self, exc: BaseException) -> BaseException:
        if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
            words = "; ".join(f"{r.recipient}: {r.code} {_first_line(r.message)}" for r in exc.recipients)
            if any(r.code >= 500 for r in exc.recipients):
                return PermanentSendError(f"recipient refused: {words}")
            return SmtpTemporaryError(f"recipient deferred by the SMTP server {self.where}: {words}")
        if isinstance(exc, aiosmtplib.SMTPResponseException) and not isinstance(
            exc, aiosmtplib.SMTPServerDisconnected
        ):
            said = f"{exc.code} {_first_line(exc.message)}"
            if exc.code in _SESSION_REFUSALS:
                return ConfigError(
                    f"the SMTP server {self.where} refused to send ({said}): "
                    "check [outgoing] security, username and password"
                )
            if exc.code >= 500:
                return PermanentSendError(f"the SMTP server {self.where} refused the message: {said}")
            return SmtpTemporaryError(f"the SMTP server {self.where} answered {said}")
        if isinstance(exc, ValueError):  # an address aiosmtplib will not put on a command line
            return PermanentSendError(f"address not usable on SMTP: {_first_line(exc)}")
        if isinstance(
            exc,
            (
                aiosmtplib.SMTPServerDisconnected,
                aiosmtplib.SMTPTimeoutError,
                OSError,
                asyncio.TimeoutError,
                aiosmtplib.SMTPConnectError,
            ),
        ):
            return ServiceUnavailable(
                f"lost the connection to the SMTP server {self.where}: {_network_words(exc)}"
            )
        if isinstance(exc, aiosmtplib.SMTPException):
            return SmtpTemporaryError(f"SMTP to {self.where} failed: {_first_line(exc)}")
        return exc
