"""Content-addressed file store for original mails, attachments and rendered replies.

A blob is named by the SHA-256 of its bytes and kept at ``root/ab/cd/<sha256>``. Writes go to a
temporary file in the target folder and are moved into place with ``os.replace``, so a reader
never sees half a file and a crash leaves at most a stray ``.tmp-*`` file. Storing the same bytes
twice is a no-op. Folders are 0700, files 0600. No name coming from a mail is ever used as a path:
the only path component derived from outside input is the hex digest, which is validated.

Durability costs a flush to disk per file and per new folder entry. ``put_many`` stores the
files of one mail together and flushes them side by side: the file system joins flushes that
are waiting at the same moment into one journal commit, about a quarter of the cost of
flushing them one after the other. ``stage`` goes further for the intake, which needs its files
durable only before the commit that points at them: it writes them under temporary names, and
``finish`` flushes and names the files of a whole group of mails at once, just before that commit.
A staged file never appears under its final name before its bytes are on disk, so a crash can
never leave a blob that exists but is incomplete.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024
_FLUSHERS = 8  # flushes waiting at once; they only wait on the disk


@dataclass(frozen=True)
class Staged:
    """Files written under temporary names: (temporary path, final path) each."""

    moves: tuple[tuple[str, Path], ...] = ()


class BlobStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # -- reading ------------------------------------------------------------------------------------

    def path(self, sha: str) -> Path:
        """Where the blob ``sha`` lives (whether or not it exists). ValueError for a non-digest."""
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise ValueError(f"not a SHA-256 hex digest: {sha!r}")
        return self.root / sha[:2] / sha[2:4] / sha

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def get(self, sha: str) -> bytes:
        """The blob's bytes; FileNotFoundError when it is not in the store."""
        path = self.path(sha)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(f"blob {sha} is not in the store at {self.root}") from None

    def open(self, sha: str) -> BinaryIO:
        """The blob opened for reading (for large files); the caller closes it."""
        path = self.path(sha)
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise FileNotFoundError(f"blob {sha} is not in the store at {self.root}") from None

    # -- writing ------------------------------------------------------------------------------------

    def put(self, data: bytes | bytearray | memoryview) -> str:
        """Store ``data``; returns its SHA-256 hex digest. Idempotent."""
        return self.put_many([data])[0]

    def put_many(self, blobs: Sequence[bytes | bytearray | memoryview]) -> list[str]:
        """Store each of ``blobs``, durably, before returning their digests (in order). Idempotent."""
        digests, staged = self.stage(blobs)
        self.finish([staged])
        return digests

    def stage(self, blobs: Sequence[bytes | bytearray | memoryview]) -> tuple[list[str], Staged]:
        """Write each of ``blobs`` under a temporary name, not yet durable: their digests (in
        order), and what ``finish`` (or ``discard``) must be given."""
        digests = [hashlib.sha256(data).hexdigest() for data in blobs]
        written: dict[Path, str] = {}  # target -> temporary file
        try:
            for sha, data in zip(digests, blobs):
                target = self.path(sha)
                if target in written or target.is_file():
                    continue
                fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=self._folder_for(target))
                written[target] = temp
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    os.fchmod(handle.fileno(), 0o600)
        except BaseException:
            for temp in written.values():
                _remove_quietly(temp)
            raise
        return digests, Staged(tuple((temp, target) for target, temp in written.items()))

    def finish(self, staged: Sequence[Staged]) -> None:
        """Make staged files durable under their final names, all of them side by side."""
        moves = [move for group in staged for move in group.moves]
        if not moves:
            return
        try:
            _flush_all(_fsync_path, [temp for temp, _ in moves])
            for temp, target in moves:
                os.replace(temp, target)  # the same bytes staged twice: the second lands on the first
        except BaseException:
            for temp, _ in moves:
                _remove_quietly(temp)
            raise
        _flush_all(_fsync_folder, {target.parent for _, target in moves})  # make the new names durable too

    def discard(self, staged: Sequence[Staged]) -> None:
        """Remove staged files that will not be committed."""
        for group in staged:
            for temp, _ in group.moves:
                _remove_quietly(temp)

    def put_file(self, source: str | os.PathLike[str]) -> str:
        """Store the file at ``source`` without reading it into memory; returns its digest."""
        folder = self._ensure(self.root)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path(sha)
            if target.is_file():
                _remove_quietly(temp)
                return sha
            self._folder_for(target)
            os.chmod(temp, 0o600)
            os.replace(temp, target)
        except BaseException:
            _remove_quietly(temp)
            raise
        _fsync_folder(target.parent)
        return sha

    # -- internals ----------------------------------------------------------------------------------

    def _folder_for(self, target: Path) -> Path:
        self._ensure(self.root)
        self._ensure(target.parent.parent)
        return self._ensure(target.parent)

    @staticmethod
    def _ensure(folder: Path) -> Path:
        if not folder.is_dir():
            try:
                folder.mkdir(mode=0o700, parents=True)
            except FileExistsError:
                pass  # another process made it first
            if not folder.is_dir():
                raise NotADirectoryError(f"{folder} is not a folder")
        return folder


def _fsync_path(path: str | os.PathLike[str]) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        _fsync_path(folder)
    except OSError:
        pass  # some file systems cannot flush a folder; the file itself is durable


def _flush_all(flush, paths) -> None:
    paths = list(paths)
    if len(paths) < 2:
        for path in paths:
            flush(path)
        return
    for _ in _flushers().map(flush, paths):  # re-raises the first failure
        pass


@lru_cache(maxsize=1)
def _flushers() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=_FLUSHERS, thread_name_prefix="thidua-fsync")


def _remove_quietly(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
