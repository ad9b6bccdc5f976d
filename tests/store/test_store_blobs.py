"""The content-addressed blob store."""

from __future__ import annotations

import hashlib
import os
import stat
import threading

import pytest

from thidua.store.blobs import BlobStore


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_put_get_layout_and_permissions(tmp_path):
    store = BlobStore(tmp_path / "files")
    data = "Danh sách đề nghị".encode()
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    path = store.path(sha)
    assert path == tmp_path / "files" / sha[:2] / sha[2:4] / sha
    assert store.exists(sha)
    assert store.get(sha) == data
    with store.open(sha) as handle:
        assert handle.read() == data
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert _mode(path.parent.parent) == 0o700
    assert _mode(tmp_path / "files") == 0o700


def test_put_is_idempotent(tmp_path):
    store = BlobStore(tmp_path)
    sha = store.put(b"same bytes")
    before = store.path(sha).stat()
    assert store.put(bytearray(b"same bytes")) == sha
    assert store.put(memoryview(b"same bytes")) == sha
    after = store.path(sha).stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [sha]


def test_empty_blob(tmp_path):
    store = BlobStore(tmp_path)
    sha = store.put(b"")
    assert sha == hashlib.sha256(b"").hexdigest()
    assert store.get(sha) == b""


def test_put_file_streams_and_matches_put(tmp_path):
    source = tmp_path / "big.bin"
    chunk = os.urandom(1024 * 1024)
    with source.open("wb") as handle:
        for _ in range(5):
            handle.write(chunk)
    store = BlobStore(tmp_path / "files")
    sha = store.put_file(source)
    assert sha == hashlib.sha256(source.read_bytes()).hexdigest()
    assert store.path(sha).read_bytes() == source.read_bytes()
    assert _mode(store.path(sha)) == 0o600
    assert store.put_file(source) == sha  # again: no second copy, no temporary left behind
    leftovers = [p for p in (tmp_path / "files").rglob(".tmp-*")]
    assert leftovers == []
    assert store.put(source.read_bytes()) == sha


def test_missing_blob(tmp_path):
    store = BlobStore(tmp_path)
    sha = "0" * 64
    assert not store.exists(sha)
    with pytest.raises(FileNotFoundError, match=sha):
        store.get(sha)
    with pytest.raises(FileNotFoundError):
        store.open(sha)


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "A" * 64, "0" * 63, "0" * 65, "", "g" * 64, "0" * 62 + "/x"]
)
def test_only_digests_become_paths(tmp_path, bad):
    store = BlobStore(tmp_path)
    with pytest.raises(ValueError):
        store.path(bad)
    with pytest.raises(ValueError):
        store.get(bad)
    with pytest.raises(ValueError):
        store.exists(bad)


def test_failed_write_leaves_nothing_half_written(tmp_path, monkeypatch):
    store = BlobStore(tmp_path)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.put(b"important mail")
    sha = hashlib.sha256(b"important mail").hexdigest()
    assert not store.exists(sha)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    assert store.put(b"important mail") == sha
    assert store.get(sha) == b"important mail"


def test_concurrent_puts_of_the_same_bytes(tmp_path):
    store = BlobStore(tmp_path)
    data = os.urandom(256 * 1024)
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def run():
        try:
            barrier.wait()
            results.append(store.put(data))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 1
    assert store.get(results[0]) == data
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [results[0]]


def test_root_is_created_lazily(tmp_path):
    root = tmp_path / "not" / "yet"
    store = BlobStore(root)
    assert not root.exists()
    assert not store.exists("1" * 64)
    store.put(b"x")
    assert root.is_dir()


def test_put_many_stores_each_blob_once_and_returns_digests_in_order(tmp_path):
    store = BlobStore(tmp_path / "files")
    blobs = [b"thu goc", "Giấy khen.pdf".encode(), b"thu goc", memoryview(b"tep thu ba")]
    digests = store.put_many(blobs)
    assert digests == [hashlib.sha256(bytes(b)).hexdigest() for b in blobs]
    assert digests[0] == digests[2]
    assert all(store.get(sha) == bytes(data) for sha, data in zip(digests, blobs))
    assert all(_mode(store.path(sha)) == 0o600 for sha in digests)
    assert not list((tmp_path / "files").rglob(".tmp-*"))
    assert store.put_many(blobs) == digests  # idempotent
    assert store.put_many([]) == []


def test_put_many_that_fails_half_way_leaves_no_temporary_files_and_no_blob(tmp_path):
    store = BlobStore(tmp_path / "files")
    first, second = b"written first", b"cannot be written"
    blocked = store.path(hashlib.sha256(second).hexdigest()).parent.parent
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_bytes(b"a file where the folder should be")
    with pytest.raises(OSError):
        store.put_many([first, second])
    assert not list((tmp_path / "files").rglob(".tmp-*"))
    assert not store.exists(hashlib.sha256(first).hexdigest())  # all or nothing


def test_staged_files_have_no_final_name_until_finished_together(tmp_path):
    store = BlobStore(tmp_path / "files")
    store.put(b"already stored")
    first_digests, first = store.stage([b"thu goc 1", "Giấy khen.pdf".encode(), b"already stored"])
    second_digests, second = store.stage(
        [b"thu goc 2", "Giấy khen.pdf".encode()]
    )  # the same file in two mails
    assert len(first.moves) == 2 and len(second.moves) == 2  # nothing staged for a stored blob
    assert not any(
        store.exists(sha) for sha in first_digests[:2] + second_digests
    )  # a crash now leaves no blob
    store.finish([first, second])
    assert [store.get(sha) for sha in first_digests] == [
        b"thu goc 1",
        "Giấy khen.pdf".encode(),
        b"already stored",
    ]
    assert store.get(second_digests[0]) == b"thu goc 2"
    assert all(_mode(store.path(sha)) == 0o600 for sha in first_digests + second_digests)
    assert not list((tmp_path / "files").rglob(".tmp-*"))
    store.finish([])  # nothing to do


def test_discarded_staged_files_leave_nothing(tmp_path):
    store = BlobStore(tmp_path / "files")
    digests, staged = store.stage([b"never committed"])
    store.discard([staged])
    assert not store.exists(digests[0])
    assert not list((tmp_path / "files").rglob(".tmp-*"))
