"""Fixtures of the desk's page tests (see page_client.py)."""

from tests.support.page_client import desk_office, fresh_office, reader, writer  # noqa: F401 - fixtures
