"""Legacy Office and OpenDocument test files, made by LibreOffice from the builders' .docx/.xlsx.

Every file is what a real office suite writes: ``libreoffice_twins`` saves
files of ``tests.support.builders`` as .doc, .odt, .rtf, .xls or .ods (one LibreOffice
run per call, cached for the test session since LibreOffice takes seconds to
start); ``password_protected`` saves one with a password to open it, through
LibreOffice's UNO interface; ``damaged_stream`` spoils one stream of a compound
file the way a failing disk or a broken upload does.

Needs Debian's ``libreoffice-writer-nogui`` and ``libreoffice-calc-nogui`` (and
``python3-uno`` for passwords); the tests that use them are skipped without LibreOffice.
"""

from __future__ import annotations

import functools
import io
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import olefile
import pytest

NO_LIBREOFFICE = "LibreOffice is not installed (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui)"
# LibreOffice's export filter for each target format.
_EXPORT_FILTERS = {
    "doc": "MS Word 97",
    "odt": "writer8",
    "rtf": "Rich Text Format",
    "xls": "MS Excel 97",
    "ods": "calc8",
}
_TIMEOUT = 300  # generous: a shared machine may be slow, and a stuck LibreOffice must not hang the tests


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip(NO_LIBREOFFICE)
    return found


def libreoffice_twins(files: Mapping[str, bytes], source: str, target: str) -> dict[str, bytes]:
    """Each ``.source`` file of ``files`` (name -> bytes) as LibreOffice saves it as ``.target``."""
    return dict(_convert(tuple(sorted(files.items())), source, target))


def libreoffice_twin(data: bytes, source: str, target: str) -> bytes:
    return libreoffice_twins({"document": data}, source, target)["document"]


@functools.cache
def _convert(files: tuple[tuple[str, bytes], ...], source: str, target: str) -> tuple[tuple[str, bytes], ...]:
    with tempfile.TemporaryDirectory(prefix="thidua-test-office-") as folder:
        work = Path(folder)
        inputs = []
        for name, data in files:
            path = work / f"{name}.{source}"
            path.write_bytes(data)
            inputs.append(str(path))
        done = subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                f"{target}:{_EXPORT_FILTERS[target]}" if target in _EXPORT_FILTERS else target,
                "--outdir",
                str(work / "out"),
                *inputs,
            ],
            capture_output=True,
            timeout=_TIMEOUT,
            cwd=work,
        )
        results = []
        for name, _ in files:
            output = work / "out" / f"{name}.{target}"
            if not output.is_file():
                raise RuntimeError(
                    f"LibreOffice did not write {output.name}: {done.stderr.decode(errors='replace')}"
                )
            results.append((name, output.read_bytes()))
        return tuple(results)


# Run by the system Python, which has LibreOffice's ``uno`` module: a private
# LibreOffice listens on a pipe, opens the file and stores it with a password.
_PROTECT = r"""
import subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

soffice, profile, pipe, source, target, export_filter, password = sys.argv[1:8]

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

office = subprocess.Popen([soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible",
                           "--norestore", "--accept=pipe,name=%s;urp;" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for attempt in range(600):
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if attempt == 599:
                raise
            time.sleep(0.2)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    document.storeToURL(uno.systemPathToFileUrl(target),
                        (prop("FilterName", export_filter), prop("Password", password)))
    document.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass  # the bridge closes as LibreOffice quits
    office.wait(60)
finally:
    if office.poll() is None:
        office.kill()
"""


@functools.cache
def password_protected(data: bytes, source: str, target: str, password: str = "matkhau") -> bytes:
    """``data`` (a ``.source`` file) saved by LibreOffice as ``.target`` with a password to open it."""
    program = soffice()
    system_python = shutil.which("python3", path=os.defpath)
    if (
        not system_python
        or subprocess.run([system_python, "-c", "import uno"], capture_output=True).returncode
    ):
        pytest.skip("LibreOffice's Python bridge is not installed (Debian: python3-uno)")
    with tempfile.TemporaryDirectory(prefix="thidua-test-office-") as folder:
        work = Path(folder)
        source_path, target_path = work / f"document.{source}", work / f"protected.{target}"
        source_path.write_bytes(data)
        subprocess.run(
            [
                system_python,
                "-c",
                _PROTECT,
                program,
                (work / "profile").as_uri(),
                f"thidua{os.getpid()}",
                str(source_path),
                str(target_path),
                _EXPORT_FILTERS[target],
                password,
            ],
            check=True,
            capture_output=True,
            timeout=_TIMEOUT,
            cwd=work,
        )
        return target_path.read_bytes()


def damaged_stream(data: bytes, stream: str, seed: int = 6) -> bytes:
    """The compound file ``data`` with ``stream`` overwritten by noise of the same length:
    the container still opens, the document in it does not."""
    noise = random.Random(seed)
    with olefile.OleFileIO(io.BytesIO(data), write_mode=True) as ole:
        size = ole.get_size(stream)
        ole.write_stream(stream, bytes(noise.randrange(256) for _ in range(size)))
        return ole.fp.getvalue()


def long_table_rtf(rows: int = 6000) -> bytes:
    """An RTF file holding one table of ``rows`` rows: LibreOffice lays out such a table
    slowly (6000 rows take it over a minute), a real file that outlasts a conversion limit."""
    cells = r"\cellx3000\cellx6000\cellx9000"
    body = "".join(
        rf"\trowd{cells}\pard\intbl {i}\cell Nguy\u7877?n V\u259?n A\cell Gi\u225?o vi\u234?n\cell\row" + "\n"
        for i in range(1, rows + 1)
    )
    return (r"{\rtf1\ansi\deff0 " + body + "}").encode("ascii")
