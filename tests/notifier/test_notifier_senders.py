"""DirectoryOutbox: one parseable .eml per message, written atomically."""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from thidua.notifier.senders import DirectoryOutbox, OutboxNotWritable, ReplySender

WHEN = datetime(2018, 3, 14, 2, 12, 5, tzinfo=UTC)


def message(subject="[HS-2018-0003] Đã tiếp nhận hồ sơ: Danh sách", message_id="<r1@pgd.example.vn>"):
    msg = EmailMessage()
    msg["From"] = "thidua@pgd.example.vn"
    msg["To"] = "c2anbinh@example.vn"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg.set_content("Kính gửi: Trường THCS An Bình,\nĐã tiếp nhận hồ sơ.\n", charset="utf-8")
    return msg


def outbox(path):
    return DirectoryOutbox(path, clock=lambda: WHEN)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_it_is_a_reply_sender(tmp_path):
    sender: ReplySender = outbox(tmp_path)
    assert callable(sender.send)


def test_writes_one_parseable_crlf_eml(tmp_path, umask_022):
    folder = tmp_path / "var" / "outbox"
    outbox(folder).send(message())
    files = list(folder.iterdir())
    assert len(files) == 1
    name = files[0].name
    assert re.fullmatch(r"20180314T021205Z-HS-2018-0003-[0-9a-f]{10}\.eml", name), name
    data = files[0].read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    parsed = message_from_bytes(data, policy=policy.default)
    assert parsed["Subject"] == "[HS-2018-0003] Đã tiếp nhận hồ sơ: Danh sách"
    assert parsed["Message-ID"] == "<r1@pgd.example.vn>"
    assert "Đã tiếp nhận hồ sơ." in parsed.get_content()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o640


def test_a_message_without_receipt_is_named_digest(tmp_path):
    path = outbox(tmp_path).write(message(subject="Tổng hợp hồ sơ thi đua ngày 14/03/2018"))
    assert re.fullmatch(r"20180314T021205Z-digest-[0-9a-f]{10}\.eml", path.name)


def test_different_messages_get_different_files_and_a_resend_overwrites(tmp_path):
    box = outbox(tmp_path)
    first = box.write(message(message_id="<a@pgd.example.vn>"))
    second = box.write(message(message_id="<b@pgd.example.vn>"))
    again = box.write(message(message_id="<a@pgd.example.vn>"))
    assert first != second and again == first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({first.name, second.name})


def test_nothing_half_written_is_ever_visible(tmp_path, monkeypatch):
    seen = {}
    real_replace = os.replace

    def watching_replace(source, target):
        # at the moment of the rename: the data is complete in a hidden temporary file
        seen["source"] = os.path.basename(source)
        seen["eml_before"] = [p.name for p in tmp_path.iterdir() if p.suffix == ".eml"]
        seen["complete"] = message_from_bytes(open(source, "rb").read())["Subject"] is not None
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", watching_replace)
    outbox(tmp_path).send(message())
    assert seen["source"].startswith(".") and seen["eml_before"] == [] and seen["complete"]
    assert [p.suffix for p in tmp_path.iterdir()] == [".eml"]


def test_a_failed_write_leaves_no_file_behind(tmp_path, monkeypatch):
    def failing_replace(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutboxNotWritable) as caught:
        outbox(tmp_path).send(message())
    assert isinstance(caught.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_gives_a_clear_oserror(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "outbox"
    with pytest.raises(OutboxNotWritable) as caught:
        outbox(target).send(message())
    text = str(caught.value)
    assert str(target) in text and "outbox" in text and "[outgoing] path" in text
    assert isinstance(caught.value, OSError) and caught.value.errno is not None
