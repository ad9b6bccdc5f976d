"""Fixtures every folder of tests may use: a whole office's mailroom in a temporary folder
(``tests.support.office``), the databases (``tests.support.database_fixtures``: SQLite and
PostgreSQL) and the real mail servers (``tests.support.live_fixtures``: Dovecot, aiosmtpd)."""

from __future__ import annotations

import pytest

from tests.support.office import Mailroom

pytest_plugins = ["tests.support.database_fixtures", "tests.support.live_fixtures"]


@pytest.fixture
def mailroom(tmp_path) -> Mailroom:
    return Mailroom(tmp_path)


@pytest.fixture
def make_mailroom(tmp_path):
    counter = iter(range(100))

    def make(extra: str = "", max_nominees: int = 5) -> Mailroom:
        root = tmp_path / f"office{next(counter)}"
        root.mkdir()
        return Mailroom(root, extra, max_nominees)

    return make
