"""Word 97-2003 (.doc), OpenDocument text (.odt) and RTF files turned into .docx by LibreOffice.

These formats are read by no well-kept Python library, and LibreOffice has read
them for decades; the .docx it writes then goes through ``docx.read_docx`` like
any other, so tables, merged cells and legacy-font repair apply unchanged.

LibreOffice is a separate program started once per file (about 1.5-2 s), so
this module is the side effect at the edge; the rest stays bytes -> text. Each
run is fenced for a daemon that must never hang on a stranger's file:

* its own temporary folder holding the input (under a generated name, never the
  school's), the output, a private user profile (``-env:UserInstallation``:
  instances never share or lock one another's profile) and its temporary
  files; removed afterwards whatever happened;
* its own process group, killed whole when the wall-time limit passes;
* resource limits set before LibreOffice starts: address space, CPU time and
  the size of any file it writes (the output, so a hostile file cannot fill
  the disk).

Without LibreOffice the file is refused as ``unsupported`` so that the school
is asked to save it as .docx.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from thidua.parsers.content import UnreadableDocument
from thidua.parsers.protection import check_not_encrypted

log = logging.getLogger("thidua.parsers")

MiB = 1 << 20

CONVERTED_FORMATS = ("doc", "odt", "rtf")
# A path to the LibreOffice program, for an installation outside PATH; empty: look in PATH.
SOFFICE_ENV = "THIDUA_SOFFICE"
_PROGRAM_NAMES = ("soffice", "libreoffice")


@dataclass(frozen=True)
class ConversionLimits:
    # A 100-page .doc converts in a few seconds; a minute means a file too complex
    # or built to stall, and the mail must go on.
    timeout: float = 60.0
    # LibreOffice maps about 400 MiB to start; room for a long document with pictures.
    memory_bytes: int = 2048 * MiB
    # The .docx of a 25 MB attachment stays well below this.
    max_output_bytes: int = 128 * MiB


DEFAULT_LIMITS = ConversionLimits()
# LibreOffice writes its new profile (a bibliography database of 75 KB among others)
# under the same file-size limit; below this it cannot start.
_FILE_SIZE_FLOOR = 16 * MiB

# Runs between fork and LibreOffice: sets the limits, then becomes LibreOffice.
# (subprocess's preexec_fn would do the same but is unsafe in a threaded daemon.)
_LAUNCHER = """\
import os, resource, sys
memory, cpu, file_size = (int(value) for value in sys.argv[1:4])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
os.execv(sys.argv[4], sys.argv[4:])
"""


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when it is not installed."""
    configured = os.environ.get(SOFFICE_ENV, "").strip()
    if configured:
        return shutil.which(configured)
    for name in _PROGRAM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, kind: str, limits: ConversionLimits = DEFAULT_LIMITS) -> bytes:
    """``data``, a ``kind`` file (one of CONVERTED_FORMATS), as .docx bytes.

    Raises UnreadableDocument: ``encrypted`` (seen before LibreOffice starts),
    ``unsupported`` when LibreOffice is not installed, ``corrupt`` when it cannot
    read the file or does not finish in time, ``too_large`` for an oversized result.
    """
    if kind not in CONVERTED_FORMATS:
        raise ValueError(f"not a converted format: {kind}")
    check_not_encrypted(data, kind)
    soffice = find_soffice()
    if soffice is None:
        log.warning("LibreOffice (soffice) is not installed: a .%s file cannot be read", kind)
        raise UnreadableDocument("unsupported", f"{kind}: LibreOffice not installed")
    with tempfile.TemporaryDirectory(prefix="thidua-convert-") as folder:
        return _convert_in(Path(folder), soffice, data, kind, limits)


def _convert_in(folder: Path, soffice: str, data: bytes, kind: str, limits: ConversionLimits) -> bytes:
    source = folder / f"document.{kind}"
    source.write_bytes(data)
    output = folder / "out"
    scratch = folder / "tmp"
    scratch.mkdir()
    command = [
        sys.executable,
        "-I",
        "-S",
        "-c",
        _LAUNCHER,
        str(limits.memory_bytes),
        str(int(limits.timeout) + 10),
        str(max(limits.max_output_bytes, _FILE_SIZE_FLOOR) + 1),
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(output),
        str(source),
    ]
    environment = {
        "PATH": os.environ.get("PATH") or os.defpath,
        "HOME": str(folder),  # caches LibreOffice or fontconfig may write stay in the folder
        "TMPDIR": str(scratch),
        "LANG": "C.UTF-8",
    }
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=folder,
        env=environment,
        start_new_session=True,
    )
    try:
        _, errors = process.communicate(timeout=limits.timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        log.warning("LibreOffice did not convert a .%s file within %g s", kind, limits.timeout)
        raise UnreadableDocument("corrupt", f"conversion not finished within {limits.timeout:g} s") from None
    finally:
        if process.returncode is None:  # also on any exception while waiting
            _kill_group(process)
    result = output / "document.docx"
    if not result.is_file():
        reason = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {process.returncode}"]
        log.info("LibreOffice could not convert a .%s file: %s", kind, reason[0][:200])
        raise UnreadableDocument("corrupt", f"conversion failed: {reason[0]}"[:200])
    if result.stat().st_size > limits.max_output_bytes:
        raise UnreadableDocument("too_large", f"converted document over {limits.max_output_bytes} bytes")
    return result.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    # The group is killed before the launcher is reaped, so its id cannot have been reused.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
