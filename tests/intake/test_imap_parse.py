"""The IMAP side's pure rules (``intake.imap_parse``) and the network wording: server answers,
source keys, batches, folder names, no server needed."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta, timezone

import pytest

from thidua.intake import imap_parse as parse
from thidua.network import describe_network_error

VN = timezone(timedelta(hours=7))


@pytest.mark.parametrize("folder", ["INBOX", "Hộp thư:2018", "a:1:2"])
def test_source_keys_round_trip_even_with_colons_in_the_folder(folder):
    key = parse.source_key(folder, 1795433444, 17)
    assert parse.parse_source_key(key) == (folder, 1795433444, 17)


def test_other_keys_are_not_imap_keys():
    assert parse.parse_source_key("maildir:1700000000.M1P2.host") is None
    assert parse.parse_source_key("imap:INBOX:x:1") is None


def test_infos_are_oldest_first_in_utc_and_skip_vanished_messages():
    fetched = {
        5: {b"INTERNALDATE": datetime(2018, 3, 16, 9, 0, tzinfo=VN), b"RFC822.SIZE": 10},
        3: {b"INTERNALDATE": datetime(2018, 3, 10, 9, 0, tzinfo=VN), b"RFC822.SIZE": 20},
        4: {b"INTERNALDATE": datetime(2018, 3, 10, 9, 0, tzinfo=VN), b"RFC822.SIZE": 30},
        6: {b"FLAGS": ()},  # expunged between SEARCH and FETCH
    }
    infos = parse.message_infos(fetched)
    assert [i.uid for i in infos] == [3, 4, 5]
    assert infos[0].arrived_at == datetime(2018, 3, 10, 2, 0, tzinfo=UTC)
    assert infos[0].arrived_at.tzinfo is UTC


def test_a_naive_internaldate_is_taken_as_utc():
    assert parse.arrival_time(datetime(2018, 3, 10, 2, 0)) == datetime(2018, 3, 10, 2, 0, tzinfo=UTC)
    assert parse.arrival_time(None) is None


def test_batches_are_small_and_a_big_mail_goes_alone():
    now = datetime(2018, 3, 10, tzinfo=UTC)
    infos = [
        parse.MessageInfo(uid, size, now) for uid, size in [(1, 10), (2, 10), (3, 10), (4, 500), (5, 10)]
    ]
    batches = parse.fetch_batches(infos, max_bytes=100, batch_count=2, batch_bytes=1000)
    assert [[i.uid for i in b] for b in batches] == [[1, 2], [3], [4], [5]]
    batches = parse.fetch_batches(infos, max_bytes=10_000, batch_count=20, batch_bytes=100)
    assert [[i.uid for i in b] for b in batches] == [[1, 2, 3], [4], [5]]


def test_idle_answers():
    assert parse.announces_new_mail([(b"OK", b"Still here"), (3, b"EXISTS"), (1, b"RECENT")])
    assert not parse.announces_new_mail([(2, b"EXPUNGE"), (b"OK", b"Still here")])
    assert parse.says_bye([(b"BYE", b"Server", b"shutting", b"down.")])


def test_incoming_mail_from_a_fetch_answer():
    info = parse.MessageInfo(7, 3, datetime(2018, 3, 10, tzinfo=UTC))
    mail = parse.incoming_mail(
        "INBOX", 42, info, {b"BODY[]": b"abc", b"INTERNALDATE": datetime(2018, 3, 10, 9, tzinfo=VN)}
    )
    assert (mail.raw, mail.source_key, mail.arrived_at) == (
        b"abc",
        "imap:INBOX:42:7",
        datetime(2018, 3, 10, 2, tzinfo=UTC),
    )
    assert parse.incoming_mail("INBOX", 42, info, None) is None


@pytest.mark.parametrize(
    "name, prefix, delimiter, expected",
    [
        ("Processed", "", ".", "Processed"),
        ("Needs review", "INBOX.", ".", "INBOX.Needs review"),
        ("Thi đua/Đã xử lý", "", ".", "Thi đua.Đã xử lý"),
        ("INBOX", "INBOX.", ".", "INBOX"),
        ("INBOX.Processed", "INBOX.", ".", "INBOX.Processed"),
    ],
)
def test_folder_names_follow_the_servers_namespace(name, prefix, delimiter, expected):
    assert parse.server_folder_name(name, prefix=prefix, delimiter=delimiter) == expected


def test_network_errors_in_a_few_words():
    assert describe_network_error(ConnectionRefusedError(111, "Connection refused")) == "connection refused"
    assert describe_network_error(TimeoutError("timed out")) == "timed out"
    assert describe_network_error(socket.gaierror(-2, "Name or service not known")) == "host name not found"


def test_server_words_and_temporary_refusals():
    error = Exception("b'[AUTHENTICATIONFAILED] Authentication failed.'")
    assert parse.server_text(error) == "[AUTHENTICATIONFAILED] Authentication failed."
    assert not parse.is_temporary_refusal(error)
    assert parse.is_temporary_refusal(Exception("[UNAVAILABLE] Temporary authentication failure."))
