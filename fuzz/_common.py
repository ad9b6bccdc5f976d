"""Shared set-up of the fuzz targets: the repository on sys.path, atheris or a clear message."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def atheris_or_exit():
    try:
        import atheris
    except ImportError:
        print(
            "atheris is not installed: run `.venv/bin/pip install atheris` (needs clang/libFuzzer wheels, "
            "Linux x86-64), then run this file again.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return atheris


def run(
    test_one_input,
    instrument: tuple[str, ...] = ("thidua",),
    modules: tuple[str, ...] = ("thidua.parsers.documents", "thidua.parsers.mime"),
) -> None:
    """Fuzz ``test_one_input``; ``modules`` are imported first, instrumented, so that the
    fuzzer sees which branches an input reaches (a module imported later is not)."""
    atheris = atheris_or_exit()
    with atheris.instrument_imports(include=list(instrument)):
        for module in modules:
            importlib.import_module(module)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


def check_container(kind: str, data: bytes) -> None:
    """``open_container``'s contract: a listing whose members read, or ContainerError, nothing else."""
    from thidua.parsers.containers import ContainerError, open_container

    try:
        listing = open_container(kind, data)
        for member in listing.members:
            assert isinstance(member.path, str)
            for chunk in member.chunks():
                assert isinstance(chunk, bytes)
    except ContainerError as error:
        assert error.reason in ("corrupt", "encrypted"), error.reason


def check_collected(data: bytes, name: str = "Hồ sơ") -> None:
    """``collect_files``' contract: every attachment kept as sent, issues with known reasons, never a raise."""
    from thidua.parsers.archive import ArchiveIssue, ArchiveLimits, collect_files
    from thidua.parsers.mail import Attachment

    limits = ArchiveLimits()
    collected = collect_files([Attachment(name, "application/octet-stream", data)], limits)
    assert collected.files[0].data == data and collected.files[0].container == ""
    assert all(issue.reason in ArchiveIssue.REASONS for issue in collected.issues)
    members = collected.files[1:]
    assert len(members) <= limits.max_members
    assert sum(member.size for member in members) <= limits.max_total_bytes
    assert all("/" not in member.name and "\\" not in member.name for member in members)
