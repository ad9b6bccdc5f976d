"""Shared fixtures for the check tests; the builders live in ``tests.support.checks_factory``."""

from __future__ import annotations

import pytest

from tests.support import checks_factory as f


@pytest.fixture
def valid_ctx():
    return f.valid_context()
