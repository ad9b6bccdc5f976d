"""A few words for staff about a failed network connection, shared by the IMAP and SMTP sides."""

from __future__ import annotations

import errno
import socket
import ssl


def describe_network_error(exc: BaseException) -> str:
    """A few words for staff: "connection refused", "timed out", "host name not found"…"""
    if isinstance(exc, socket.gaierror):
        return "host name not found"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, (BrokenPipeError, ConnectionAbortedError)):
        return "connection closed by the server"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({exc.verify_message or exc.reason})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
        if exc.errno == errno.ECONNREFUSED:
            return "connection refused"
        return exc.strerror or str(exc) or type(exc).__name__
    text = str(exc).strip()
    if "EOF" in text or "socket error" in text:
        return "connection closed by the server"
    return text.splitlines()[0] if text else type(exc).__name__


def is_tls_misconfiguration(exc: BaseException) -> bool:
    """A TLS failure that retrying will not fix: untrusted certificate, TLS spoken to a plain port."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return True
    return isinstance(exc, ssl.SSLError) and (exc.reason or "") in {
        "WRONG_VERSION_NUMBER",
        "UNKNOWN_PROTOCOL",
        "HTTP_REQUEST",
        "RECORD_LAYER_FAILURE",
    }
