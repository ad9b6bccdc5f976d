"""Document readers run in a separate, limited worker process.

A PDF, workbook or Word file from a stranger can make a C library or a pure
Python parser spin or allocate without end. The readers therefore run in one
child process that the daemon keeps between files (starting a process costs
far more than reading a typical two-page file) and that is bounded three ways:

* address space (``RLIMIT_AS``), set in the child: an allocation beyond it
  fails there, never in the daemon;
* wall time per file: the daemon waits at most ``timeout`` seconds, then kills
  the child and starts a fresh one for the next file;
* CPU time (``RLIMIT_CPU``) as a second fence against a child that outlives
  its parent's patience.

Whatever happens, the caller gets the reader's result or an
``UnreadableDocument``; a dead or stuck child costs that one file only.
If no child process can be started at all (a restricted sandbox), reading
falls back to the calling process, so that the service still works.

Each set of limits has a small pool of such children (one per core, at most
``WorkerLimits.processes``), so that the files of a mail, and of the next mail,
are read side by side while the daemon files the previous one. A child can also
recognise the document it has read (``understand=True``): recognition is pure
Python and the daemon's own process is the busiest one.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import tempfile
import threading
import time
from dataclasses import dataclass

from thidua.parsers.content import UnreadableDocument

log = logging.getLogger("thidua.parsers")

MiB = 1 << 20


@dataclass(frozen=True)
class WorkerLimits:
    # Python with pdfium, pdfplumber, openpyxl and python-docx loaded maps about
    # 90 MiB; a real form needs well under 100 MiB more. 512 MiB leaves room for
    # a 25 MiB attachment copied a few times while it is read.
    memory_bytes: int = 512 * MiB
    # A 300-page text PDF with tables reads in a few seconds; a file that takes
    # longer is hostile or broken beyond use.
    timeout: float = 20.0
    # A child is replaced after this many files, so that fragmentation and
    # caches of the parsing libraries cannot grow for weeks.
    max_tasks: int = 200
    # Children reading at the same time; fewer on a machine with fewer cores.
    processes: int = 2


DEFAULT_LIMITS = WorkerLimits()
_ENV_DISABLE = "THIDUA_READ_IN_PROCESS"  # "1": read in the calling process (debugging)


def _readers():
    from thidua.parsers.docx import read_docx
    from thidua.parsers.ocr_pages import ocr_image, ocr_pdf
    from thidua.parsers.ods import read_ods
    from thidua.parsers.pdf import probe_pdf, probe_pdf_file, read_pdf_document
    from thidua.parsers.xls import read_xls
    from thidua.parsers.xlsx import read_xlsx

    return {
        "pdf": read_pdf_document,
        "pdf_probe": probe_pdf,
        "pdf_probe_file": lambda path: probe_pdf_file(os.fsdecode(path)),
        "docx": read_docx,
        "xlsx": read_xlsx,
        "ocr_image": ocr_image,
        "ocr_pdf": ocr_pdf,
        "xls": read_xls,
        "ods": read_ods,
    }


def read_isolated(kind: str, data: bytes, limits: WorkerLimits | None = None, *, understand: bool = False):
    """``kind`` ("pdf", "docx", "xlsx"; "ocr_image", "ocr_pdf" with ocr.WORKER_LIMITS) read from
    ``data`` in a worker process of the pool for ``limits``.

    Returns the reader's DocumentText, or with ``understand`` the pair (DocumentText,
    UnderstoodDocument or None for a scan); raises UnreadableDocument and nothing else:
    ``too_large`` when the file needs more memory or time than allowed.
    """
    limits = limits or DEFAULT_LIMITS
    if os.environ.get(_ENV_DISABLE) == "1":
        return _read_here(kind, data, understand)
    if kind in _BY_PATH and len(data) >= SPOOL_BYTES:
        with _spooled(data) as path:
            return _pool_for(limits).read(_BY_PATH[kind], os.fsencode(path), understand)
    return _pool_for(limits).read(kind, bytes(data), understand)


# A large PDF goes to the worker as a file, not as bytes: PDFium reads a file only as far as
# it needs (the cross-reference table, a few objects), so a 20 MB scan named as evidence costs
# the worker a few pages of memory, not 20 MB.
SPOOL_BYTES = 4 * 1024 * 1024
_BY_PATH = {"pdf_probe": "pdf_probe_file"}


@contextlib.contextmanager
def _spooled(data: bytes):
    handle, path = tempfile.mkstemp(prefix="thidua-read-", suffix=".pdf")  # private: mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _read(readers, kind: str, data: bytes, understand: bool):
    text = readers[kind](data)
    if not understand:
        return text
    from thidua.parsers.forms import understand as understand_text

    return text, (None if text.is_scan else understand_text(text))


def _read_here(kind: str, data: bytes, understand: bool = False):
    try:
        return _read(_readers(), kind, bytes(data), understand)
    except UnreadableDocument:
        raise
    except MemoryError:
        raise UnreadableDocument("too_large", "needs more memory than allowed") from None
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None


# --------------------------------------------------------------------------- the child


def _serve(connection, memory_bytes: int, cpu_seconds: int) -> None:
    """The child's loop: (kind, understand) and the file's bytes in, ("ok", result) or ("error", reason, detail) out."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY or hard > cpu_seconds:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    except (ImportError, ValueError, OSError):
        pass  # not on Linux: the wall-time limit still holds
    readers = _readers()
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        kind, understand = request
        try:
            data = connection.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", _read(readers, kind, data, understand))
        except UnreadableDocument as error:
            reply = ("error", error.reason, error.detail)
        except MemoryError:
            reply = ("error", "too_large", "needs more memory than allowed")
        except RecursionError:
            reply = ("error", "corrupt", "structure nested too deeply")
        except Exception as error:  # a reader's bug costs one file
            reply = ("error", "corrupt", f"{type(error).__name__}: {error}"[:200])
        del data, request
        try:
            connection.send(reply)
        except MemoryError:
            connection.send(("error", "too_large", "result too large"))
        if reply[0] == "error" and reply[1] == "too_large":
            return  # the heap may be left fragmented; the next file gets a fresh child


# -------------------------------------------------------------------------- the parent


class _Worker:
    def __init__(self, limits: WorkerLimits) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self._process = None
        self._connection = None
        self._tasks = 0
        self._broken = False  # no child process can be started here

    def read(self, kind: str, data: bytes, understand: bool = False):
        with self._lock:
            if self._broken:
                return _read_here(kind, data, understand)
            try:
                self._ensure_started()
            except Exception as error:  # no process support: read here rather than not at all
                log.warning("cannot start the document worker (%s); reading in process", error)
                self._broken = True
                return _read_here(kind, data, understand)
            return self._exchange(kind, data, understand)

    def _exchange(self, kind: str, data: bytes, understand: bool):
        started = time.monotonic()
        try:
            self._connection.send((kind, understand))
            self._connection.send_bytes(
                data
            )  # from the buffer itself: a pickle would copy a 20 MB file first
            ready = self._connection.poll(self.limits.timeout)
            reply = self._connection.recv() if ready else None
        except (EOFError, OSError, BrokenPipeError):
            reply = None
            ready = True  # the child died: it ran out of memory or crashed in C code
        self._tasks += 1
        if reply is None:
            code = self._stop()
            elapsed = time.monotonic() - started
            if not ready:
                raise UnreadableDocument("too_large", f"not read within {self.limits.timeout:g} s")
            detail = f"reader stopped (exit {code}) after {elapsed:.1f} s"
            raise UnreadableDocument("too_large" if code in (-9, -24, 137) else "corrupt", detail)
        if (reply[0] == "error" and reply[1] == "too_large") or self._tasks >= self.limits.max_tasks:
            self._stop()
        if reply[0] == "ok":
            return reply[1]
        raise UnreadableDocument(reply[1], reply[2])

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._stop()
        context = _context()
        parent, child = context.Pipe(duplex=True)
        cpu = int(self.limits.timeout * 3) + 10
        process = context.Process(
            target=_serve, args=(child, self.limits.memory_bytes, cpu), name="thidua-reader", daemon=True
        )
        process.start()
        child.close()
        self._process, self._connection, self._tasks = process, parent, 0

    def _stop(self) -> int | None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            try:
                connection.close()
            except OSError:
                pass
        if process is None:
            return None
        if process.is_alive():
            process.kill()
        process.join(5)
        return process.exitcode

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.send(None)
                except OSError:
                    pass
            if self._process is not None:
                self._process.join(1)
            self._stop()


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # The libraries are imported once in the fork server, not in every child.
        context.set_forkserver_preload(
            [
                "thidua.parsers.isolation",
                "thidua.parsers.pdf",
                "thidua.parsers.docx",
                "thidua.parsers.xlsx",
                "thidua.parsers.ocr_pages",
                "thidua.parsers.xls",
                "thidua.parsers.ods",
                "thidua.parsers.forms",
            ]
        )
        return context
    return multiprocessing.get_context("spawn")


class _Pool:
    """Up to ``limits.processes`` workers (no more than the machine's cores); a read takes an
    idle one, started on first use, and waits while all are busy."""

    def __init__(self, limits: WorkerLimits) -> None:
        size = max(1, min(limits.processes, os.cpu_count() or 1))
        self._idle = [_Worker(limits) for _ in range(size)]
        self._all = tuple(self._idle)
        self._available = threading.Condition()

    @property
    def size(self) -> int:
        return len(self._all)

    def read(self, kind: str, data: bytes, understand: bool):
        with self._available:
            while not self._idle:
                self._available.wait()
            # the most recently used first: its process is already running
            worker = self._idle.pop()
        try:
            return worker.read(kind, data, understand)
        finally:
            with self._available:
                self._idle.append(worker)
                self._available.notify()

    def close(self) -> None:
        for worker in self._all:
            worker.close()


_pools: dict[WorkerLimits, _Pool] = {}
_pools_lock = threading.Lock()


def _pool_for(limits: WorkerLimits) -> _Pool:
    with _pools_lock:
        pool = _pools.get(limits)
        if pool is None:
            pool = _pools[limits] = _Pool(limits)
        return pool


def parallel_reads(limits: WorkerLimits | None = None) -> int:
    """How many files the pool for ``limits`` reads at once."""
    return _pool_for(limits or DEFAULT_LIMITS).size


def shutdown() -> None:
    """Stop every worker process (they are also stopped when the daemon exits)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


atexit.register(shutdown)
