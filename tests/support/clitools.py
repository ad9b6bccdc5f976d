"""Helpers for the command-line tests: an office folder, the `thidua` command run two ways.

``run_cli`` calls ``thidua.cli.main`` in this process (fast: for the bulk of the tests);
``run_thidua`` runs the installed console script as a subprocess (what staff run: for the
error-line checks and the main job). Both strip every ``THIDUA_*`` variable inherited from
the environment and set only the ones given, so the tests see exactly their own settings.
"""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from thidua.intake.sources import deliver_to_maildir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXAMPLE_MAIL = EXAMPLES / "mail"
THIDUA = Path(sys.executable).parent / "thidua"

OFFICE_ADDRESS = "thidua@pgd-phongdien.example.vn"
OFFICE_NAME = "Phòng GD&ĐT huyện Phong Điền"
STAFF = "chuyenvien@pgd-phongdien.example.vn"
RECEIPT = re.compile(r"^HS-\d{4}-\d{4}$")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.upper().startswith("THIDUA_")}
    environ.update(env or {})
    return environ


def run_cli(*args: object, env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
    """``thidua ARGS`` through ``thidua.cli.main`` in this process."""
    from thidua.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.upper().startswith("THIDUA_"):
                mp.delenv(name)
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        if cwd is not None:
            mp.chdir(cwd)
        mp.setattr(sys, "argv", ["thidua", *map(str, args)])
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def run_thidua(*args: object, env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
    """``thidua ARGS`` as a subprocess of the installed console script."""
    completed = subprocess.run(
        [str(THIDUA), *map(str, args)],
        capture_output=True,
        text=True,
        env=_environment(env),
        cwd=cwd,
        timeout=120,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def ok(result: Result) -> Result:
    assert result.code == 0, f"exit {result.code}\nstdout:\n{result.out}\nstderr:\n{result.err}"
    assert "Traceback" not in result.err, result.err
    return result


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """A failure staff can act on: non-zero exit, exactly one line on stderr, "thidua: …"."""
    assert result.code != 0, f"expected a failure, got exit 0\nstdout:\n{result.out}"
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{result.err}"
    line = lines[0]
    assert line.startswith("thidua: "), line
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    return line


# ------------------------------------------------------------------------------ the office


@dataclass(frozen=True)
class Office:
    """An office folder made from the bundled demo configuration (relative paths inside)."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "thidua.toml"

    @property
    def inbox(self) -> Path:
        return self.root / "var" / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "var" / "outbox"

    @property
    def database(self) -> Path:
        return self.root / "var" / "thidua.db"

    def cli(self, *args: object, env: dict[str, str] | None = None) -> Result:
        return run_cli("--config", self.config, *args, env=env)

    def thidua(self, *args: object, env: dict[str, str] | None = None) -> Result:
        return run_thidua("--config", self.config, *args, env=env)

    def deliver(self, raw: bytes, when: datetime) -> Path:
        return deliver_to_maildir(self.inbox, raw, when)

    def deliver_examples(self) -> None:
        for name, arrival, _build in example_mails():
            self.deliver((EXAMPLE_MAIL / name).read_bytes(), arrival)

    def replies(self) -> list[EmailMessage]:
        return [read_eml(p) for p in sorted(self.outbox.glob("*.eml"))]

    def submissions(self) -> list[dict]:
        return json.loads(ok(self.cli("submissions", "--json")).out)


def make_office(root: Path, *, config_extra: str = "", campaign: str | None = None) -> Office:
    root.mkdir(parents=True, exist_ok=True)
    config = (EXAMPLES / "thidua.toml").read_text(encoding="utf-8")
    (root / "thidua.toml").write_text(config + config_extra, encoding="utf-8")
    if campaign is None:
        shutil.copy(EXAMPLES / "campaign.toml", root / "campaign.toml")
    else:
        (root / "campaign.toml").write_text(campaign, encoding="utf-8")
    shutil.copy(EXAMPLES / "schools.csv", root / "schools.csv")
    return Office(root)


def example_mails() -> list:
    """``MAILS`` of examples/make_examples.py: (file name, arrival time, builder)."""
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    from make_examples import MAILS

    return MAILS


def read_eml(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def plain_text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def table_rows(text: str) -> list[list[str]]:
    """The body rows of a rich table printed by the CLI, each as a list of stripped cells."""
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in text.splitlines()
        if line.startswith("│")
    ]
