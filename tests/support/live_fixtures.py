"""Real servers on 127.0.0.1 for the mail tests: Dovecot (IMAP, LMTP) and aiosmtpd (SMTP).

Dovecot runs from a configuration written into a temporary folder (its own base_dir, a static
password for every user name so each test has its own empty mailbox, Maildir storage, plaintext
login allowed because it only listens on loopback) and is stopped in the fixture's teardown.
Needs Debian's ``dovecot-imapd`` and ``dovecot-lmtpd``; the IMAP tests are skipped without them.
"""

from __future__ import annotations

import itertools

import pytest

from tests.support.live import DOVECOT, NO_DOVECOT, Dovecot, Office, SmtpServer, free_port

# -- Dovecot -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dovecot():
    if DOVECOT is None:
        pytest.skip(NO_DOVECOT)
    server = Dovecot()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def own_dovecot():
    """A Dovecot for one test only (one that the test stops and starts)."""
    if DOVECOT is None:
        pytest.skip(NO_DOVECOT)
    server = Dovecot()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


# -- SMTP ----------------------------------------------------------------------------------------


@pytest.fixture
def smtp_server():
    server = SmtpServer(free_port()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_smtp_server():
    """Start one later (or on a given port); every server made is stopped at teardown."""
    servers = []

    def make(port: int | None = None, **kw) -> SmtpServer:
        server = SmtpServer(port or free_port(), **kw).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


# -- the office -----------------------------------------------------------------------------------


@pytest.fixture
def make_office(tmp_path):
    counter = itertools.count(1)

    def make(
        *, mailbox: str = 'kind = "maildir"', outgoing: str = 'kind = "directory"', office_extra: str = ""
    ) -> Office:
        return Office(
            tmp_path / f"office{next(counter)}", mailbox=mailbox, outgoing=outgoing, office_extra=office_extra
        )

    return make
