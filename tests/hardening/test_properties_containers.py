"""Containers from strangers (rar, 7z, gzip, winmail.dat, .msg, forwarded mails, zip).

Each reader may refuse with ContainerError, while listing or while reading a member, and
with nothing else; ``collect_files`` never raises: the attachment is kept as sent and
what could not be read is an issue. These run in the daemon itself, not in the limited
worker, so a reader that allocates without bound costs the whole service.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz import _common
from fuzz.seeds import EVIDENCE_PDF, seed_files
from tests.support.container_builders import make_msg
from tests.support.properties import BOUNDED, looping_mini_fat, memory_ceiling, mutations
from thidua.parsers.archive import collect_files
from thidua.parsers.containers import ContainerError, open_container
from thidua.parsers.filetypes import open_compound_file, sniff
from thidua.parsers.mail import Attachment

SEEDS = seed_files()
# A parser that hangs fails its test here, not at the suite's five minutes.
pytestmark = pytest.mark.timeout(120)
KINDS = {
    "7z": "7z",
    "rar": "rar",
    "rar4": "rar",
    "gzip": "gzip",
    "tnef": "tnef",
    "msg": "msg",
    "eml": "eml",
    "zip": "zip",
}


def test_the_seed_containers_hold_their_files():
    for seed, kind in KINDS.items():
        assert sniff(SEEDS[seed]) == kind, seed
        collected = collect_files([Attachment(f"Hồ sơ.{kind}", "application/octet-stream", SEEDS[seed])])
        names = {item.name for item in collected.files[1:]}
        assert names >= ({"Hồ sơ"} if kind == "gzip" else {"Giấy khen.pdf"}), (seed, names)


@BOUNDED
@given(
    st.sampled_from(sorted(KINDS)).flatmap(
        lambda seed: st.tuples(st.just(KINDS[seed]), mutations(SEEDS[seed]))
    )
)
def test_each_reader_refuses_with_container_error_only(kind_and_data):
    kind, data = kind_and_data
    _common.check_container(kind, data)


@BOUNDED
@given(st.one_of(st.binary(max_size=2048), *(mutations(SEEDS[seed]) for seed in sorted(KINDS))))
def test_collect_files_keeps_the_attachment_and_reports_the_rest(data):
    _common.check_collected(data)


def stored_zip(members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_member_that_fails_its_crc_is_the_readers_refusal():
    data = bytearray(stored_zip([("Giấy khen.pdf", EVIDENCE_PDF)]))
    data[data.index(b"%PDF")] ^= 0xFF  # the stored data no longer matches its CRC
    listing = open_container("zip", bytes(data))
    with pytest.raises(ContainerError) as caught:  # BadZipFile escaped the reader before
        for member in listing.members:
            b"".join(member.chunks())
    assert caught.value.reason == "corrupt"
    [issue] = collect_files([Attachment("Hồ sơ.zip", "application/zip", bytes(data))]).issues
    assert (issue.member, issue.reason) == ("Giấy khen.pdf", "corrupt") and "CRC" in issue.detail


def test_a_zip_member_whose_local_header_is_elsewhere_is_the_readers_refusal():
    data = bytearray(SEEDS["zip"])
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 42, 0xFFFFFF)  # the first member's local header offset
    listing = open_container("zip", bytes(data))
    with pytest.raises(ContainerError):  # ValueError (a negative seek) escaped the reader before
        for member in listing.members:
            b"".join(member.chunks())


@pytest.mark.timeout(20)
def test_a_msg_claiming_a_billion_sector_mini_fat_does_not_fill_memory():
    # olefile read as many sectors as the header claims, round the loop: this 7 kB .msg,
    # opened in the daemon, allocated until the machine ran out of memory.
    data = looping_mini_fat(SEEDS["msg"])
    started = time.monotonic()
    with memory_ceiling():
        with pytest.raises(ValueError):
            open_compound_file(data)
        with pytest.raises(ContainerError):
            open_container("msg", data)
        collected = collect_files([Attachment("Hồ sơ.msg", "application/octet-stream", data)])
    assert collected.files[0].data == data and sniff(data) == "ole"
    assert time.monotonic() - started < 2


def cross_linked_msg(small: int = 40) -> bytes:
    """A .msg with one 64 kB attachment and ``small`` tiny ones whose data streams were
    redirected to the big one's sectors: each reads as 64 kB."""
    data = bytearray(
        make_msg(
            "Hồ sơ",
            [("Lớn.pdf", EVIDENCE_PDF * 900)] + [(f"{number}.pdf", EVIDENCE_PDF) for number in range(small)],
        )
    )
    name = "__substg1.0_37010102".encode("utf-16-le")
    entries = [
        position for position in range(0, len(data), 128) if data[position : position + len(name)] == name
    ]
    sizes = [struct.unpack_from("<I", data, entry + 120)[0] for entry in entries]
    big = entries[sizes.index(max(sizes))]
    start, size = struct.unpack_from("<II", data, big + 116)
    for entry in entries:
        struct.pack_into("<II", data, entry + 116, start, size)
    return bytes(data)


def test_attachments_sharing_their_sectors_are_not_read_over_and_over():
    # Every stream is stored once, so a .msg holds no more than its own size; shared chains
    # made thousands of attachments of one file's size out of one small file.
    data = cross_linked_msg()
    with pytest.raises(ContainerError) as caught:
        open_container("msg", data)
    assert "more than the file" in caught.value.detail


def test_an_honest_msg_reads_all_its_attachments():
    data = make_msg("Hồ sơ", [(f"{number}.pdf", EVIDENCE_PDF * 100) for number in range(40)])
    members = list(open_container("msg", data).members)
    assert len(members) == 40 and all(b"".join(member.chunks()) == EVIDENCE_PDF * 100 for member in members)


def test_a_zip_bomb_inside_a_forwarded_mail_stays_bounded():
    # the containers nest: mail → zip → members, the limits hold for the whole walk
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Danh sách.xlsx", b"\0" * (60 << 20))
    from tests.support.builders import make_eml

    mail = make_eml(
        sender="a@example.vn",
        to="b@example.vn",
        subject="Fwd",
        attachments=[("Hồ sơ.zip", buffer.getvalue(), "application/zip")],
    )
    collected = collect_files([Attachment("Fwd.eml", "message/rfc822", mail)])
    assert [issue.reason for issue in collected.issues] == ["too_large"]
