"""Content-addressed file store for original mails, attachments and rendered replies.

A blob is named by the SHA-256 of its bytes and kept at ``root/ab/cd/<sha256>``. Writes go to a
temporary file in the target folder and are moved into place with ``os.replace``, so a reader
never sees half a file and a crash leaves at most a stray ``.tmp-*`` file. Storing the same bytes
twice is a no-op. Folders are 0700, files 0600. No name coming from a mail is ever used as a path:
the only path component derived from outside input is the hex digest, which is validated.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


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
        data = bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.is_file():
            return sha
        folder = self._folder_for(target)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            self._install(Path(temp), target)
        except BaseException:
            _remove_quietly(temp)
            raise
        return sha

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
            self._install(Path(temp), target)
        except BaseException:
            _remove_quietly(temp)
            raise
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

    @staticmethod
    def _install(temp: Path, target: Path) -> None:
        os.chmod(temp, 0o600)
        os.replace(temp, target)
        try:  # make the new name durable too
            dir_fd = os.open(target.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)


def _remove_quietly(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
