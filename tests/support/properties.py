"""Shared by the property tests: hypothesis settings, mutations of real files, a memory ceiling for
the process under test, a compound file whose mini FAT loops."""

from __future__ import annotations

import contextlib
import resource
import struct

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

BOUNDED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@st.composite
def mutations(draw, seed: bytes) -> bytes:
    """``seed`` with a few bits flipped, bytes inserted or deleted, or its end cut off:
    a file damaged in transit, or one a stranger edited to see what breaks."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if operation == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "truncate":
            del data[position:]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 256))]
    return bytes(data)


@contextlib.contextmanager
def memory_ceiling(extra_bytes: int = 1 << 30):
    """At most ``extra_bytes`` more address space for the block: a regression to unbounded
    allocation fails it with MemoryError instead of taking the machine's memory."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    ceiling = in_use + extra_bytes if hard == resource.RLIM_INFINITY else min(hard, in_use + extra_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def looping_mini_fat(data: bytes) -> bytes:
    """``data`` (a compound file with a mini FAT) claiming a billion-sector mini FAT whose chain
    loops: olefile read round the loop for as many sectors as claimed."""
    patched = bytearray(data)
    first_mini_fat, _count, _first_difat, _difat_count, fat_sector = struct.unpack_from("<5I", patched, 0x3C)
    struct.pack_into("<I", patched, (fat_sector + 1) * 512 + 4 * first_mini_fat, first_mini_fat)
    struct.pack_into("<I", patched, 0x40, 1_000_000_000)
    return bytes(patched)
