"""Shared set-up of the fuzz targets: the repository on sys.path, atheris or a clear message."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def atheris_or_exit():
    try:
        import atheris
    except ImportError:
        print("atheris is not installed: run `.venv/bin/pip install atheris` (needs clang/libFuzzer wheels, "
              "Linux x86-64), then run this file again.", file=sys.stderr)
        raise SystemExit(2)
    return atheris


def run(test_one_input, instrument: tuple[str, ...] = ("thidua",)) -> None:
    atheris = atheris_or_exit()
    with atheris.instrument_imports(include=list(instrument)):
        import thidua.parsers.documents  # noqa: F401  (instrumented)
        import thidua.parsers.mime  # noqa: F401
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
