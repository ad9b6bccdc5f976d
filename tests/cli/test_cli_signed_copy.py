"""Signed copies (SPEC "Signed copies"): a round that asks for the signed, stamped copy lists the
accepted submissions still waiting for it in the digest until staff record the paper copy."""

from __future__ import annotations

import json

import pytest

from tests.support.clitools import EXAMPLE_MAIL, EXAMPLES, assert_one_line_error, make_office, ok
from tests.support.digest_text import receipts, sections

EXAMPLE_CAMPAIGN = (EXAMPLES / "campaign.toml").read_text(encoding="utf-8")
ASKING = EXAMPLE_CAMPAIGN.replace("max_nominees = 5\n", "max_nominees = 5\nsigned_copy = true\n", 1)
WAITING = 9  # the digest's section of accepted submissions waiting for the paper copy


def _office(tmp_path, campaign: str):
    office = make_office(tmp_path / "office", campaign=campaign)
    ok(office.cli("schools", "import", office.root / "schools.csv"))
    ok(office.cli("process", EXAMPLE_MAIL / "03-danh-sach-an-binh.eml"))
    [record] = json.loads(ok(office.cli("submissions", "--json")).out)
    assert record["status"] == "accepted" and record["round"] == "q1-2018"
    return office, record


def test_an_accepted_list_waits_for_its_paper_copy_until_staff_record_it(tmp_path):
    office, record = _office(tmp_path, ASKING)
    assert record["signed_copy"] is None
    heading, count, body = sections(ok(office.cli("digest")).out)[WAITING]
    assert heading == "HỒ SƠ ĐÃ TIẾP NHẬN, CHỜ BẢN IN CÓ DẤU"
    assert count == 1 and receipts(body) == [record["receipt"]]

    ok(office.cli("signed-copy", record["receipt"]))
    [after] = json.loads(ok(office.cli("submissions", "--json")).out)
    assert after["signed_copy"] == "paper"
    heading, count, body = sections(ok(office.cli("digest")).out)[WAITING]
    assert count == 0 and receipts(body) == []


def test_a_round_that_does_not_ask_lists_nothing(tmp_path):
    office, record = _office(tmp_path, EXAMPLE_CAMPAIGN)
    assert record["signed_copy"] is None
    heading, count, body = sections(ok(office.cli("digest")).out)[WAITING]
    assert count == 0


@pytest.mark.parametrize("value", ['"yes"', "1"])
def test_signed_copy_must_be_true_or_false(tmp_path, value):
    campaign = EXAMPLE_CAMPAIGN.replace("max_nominees = 5\n", f"max_nominees = 5\nsigned_copy = {value}\n", 1)
    office = make_office(tmp_path / "office", campaign=campaign)
    assert_one_line_error(office.cli("digest"), "'signed_copy' must be true or false")
