"""Every fuzz target in ``fuzz/`` imports and runs on its seeds, damaged and whole: a target
that rots fails here, not on the day someone runs it by hand."""

from __future__ import annotations

import importlib
import random
import re
from pathlib import Path

import pytest

from fuzz.seeds import TARGET_SEEDS, seeds_for

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
TARGETS = sorted(path.stem for path in FUZZ.glob("fuzz_*.py"))


def test_every_target_is_listed_and_has_seeds():
    listed = set(re.findall(r"`(fuzz_\w+)\.py`", (FUZZ / "README.md").read_text()))
    assert listed == set(TARGETS)
    assert set(TARGET_SEEDS) == set(TARGETS)


def damaged(seed: bytes, rng: random.Random) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(max(len(data), 1))
        if rng.random() < 0.5 and data:
            data[position] ^= 1 << rng.randrange(8)
        else:
            del data[position : position + rng.randint(1, 64)]
    return bytes(data)


@pytest.mark.parametrize("target", TARGETS)
def test_target_runs_on_its_seeds(target, monkeypatch):
    monkeypatch.syspath_prepend(str(FUZZ))  # the targets import their neighbour _common
    test_one_input = importlib.import_module(target).test_one_input
    rng = random.Random(target)
    for seed in seeds_for(target):
        test_one_input(seed)
        for _ in range(3):
            test_one_input(damaged(seed, rng))
    test_one_input(b"")
