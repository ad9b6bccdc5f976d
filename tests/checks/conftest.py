"""Shared fixtures for the check tests; the builders live in ``checks_factory``."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The builders are imported by name from this folder, whatever pytest's import mode.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

import checks_factory as f


@pytest.fixture
def valid_ctx():
    return f.valid_context()
