"""A mailroom with real mails filed, on SQLite and on PostgreSQL, for the desk's operations."""

from __future__ import annotations

import pytest

from tests.support.office import Mailroom
from thidua.desk.actor import Actor


@pytest.fixture
def office(tmp_path, database_url) -> Mailroom:
    """A mailroom (Maildir inbox, outbox folder) on the parametrised database, schools registered."""
    extra = f'code = "pgd-phongdien"\n\n[database]\nurl = "{database_url}"\n'
    room = Mailroom(tmp_path, extra)
    yield room
    room.app.db.dispose()


@pytest.fixture
def clerk() -> Actor:
    return Actor("lan", "clerk", "pgd-phongdien", "Nguyễn Thị Lan")
