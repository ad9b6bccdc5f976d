"""Fixtures for the command-line tests: fresh office folders and the processed demo."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

from tests.support.clitools import Office, Result, make_office, ok


@dataclass(frozen=True)
class Demo:
    office: Office
    run: Result  # `thidua run --once` over the nine example mails, as a subprocess
    delivered: tuple[str, ...]  # the Maildir file names, as delivered


@pytest.fixture
def office(tmp_path) -> Office:
    """The bundled demo configuration in a fresh folder; nothing imported or delivered."""
    return make_office(tmp_path / "office")


@pytest.fixture
def registered(office) -> Office:
    """A fresh office with the bundled school registry imported."""
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    return office


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Demo:
    """`make demo` in a temporary folder: registry imported, the nine example mails delivered
    with their arrival times, one `thidua run --once` through the console script.
    Read-only for the tests: copy it (``demo_copy``) to change anything."""
    office = make_office(tmp_path_factory.mktemp("demo") / "office")
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    office.deliver_examples()
    delivered = tuple(sorted(p.name for p in (office.inbox / "new").iterdir()))
    run = office.thidua("run", "--once")
    return Demo(office, run, delivered)


@pytest.fixture
def demo_copy(demo, tmp_path) -> Office:
    """A private copy of the processed demo office (its configuration uses relative paths)."""
    shutil.copytree(demo.office.root, tmp_path / "office")
    return Office(tmp_path / "office")
