"""One pass over many mails: the next mails are read while earlier ones are filed, mails are
filed in arrival order, a mail tried before is read alone, replies go out during the pass."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_eml,
    make_pdf,
    nomination_xlsx,
    registration_docx,
)
from tests.support.office import BEFORE_DEADLINE, OFFICE
from thidua.intake import pipeline
from thidua.intake.records import Begun, Outcome
from thidua.intake.sources import IncomingMail, MaildirSource
from thidua.runners.daemon import one_pass
from thidua.store.ledger import ledger_get

OCTET = "application/octet-stream"


def registration_mail(n: int) -> bytes:
    values = dict(REGISTRATION_EXAMPLE, full_name=f"Giáo viên Số {n}")
    return make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject=f"Đăng ký số {n}",
        attachments=[(f"Đăng ký {n}.docx", registration_docx(**values), OCTET)],
    )


def nomination_mail(n: int) -> bytes:
    row = {
        "name": f"Nguyễn Thị Hoa {n}",
        "category": "Giáo viên",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện",
        "evidence": [f"Giấy khen {n}.pdf"],
        "award": "Giấy khen",
    }
    # an additional (bổ sung) list each: it adds to the school's list instead of replacing it
    return make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject=f"Danh sách bổ sung số {n}",
        attachments=[
            ("Danh sách.xlsx", nomination_xlsx([row]), OCTET),
            (f"Giấy khen {n}.pdf", make_pdf(["GIẤY KHEN", f"Tặng cô Hoa {n}"]), "application/pdf"),
        ],
    )


# -- through the real mailroom ------------------------------------------------------------------


def test_a_burst_is_filed_in_arrival_order_with_one_receipt_and_one_reply_each(mailroom):
    for n in range(10):  # five lists of one nominee: the school's quota for the round
        mailroom.deliver(
            registration_mail(n) if n % 2 else nomination_mail(n), BEFORE_DEADLINE + timedelta(seconds=n)
        )
    outcomes = mailroom.run_once()
    assert [o.status for o in outcomes] == ["accepted"] * 10
    assert [o.receipt for o in outcomes] == [f"HS-2018-{n:04d}" for n in range(1, 11)]
    submissions = {s["receipt"]: s for s in mailroom.submissions()}
    assert [submissions[o.receipt]["subject"] for o in outcomes] == [
        f"{'Đăng ký' if n % 2 else 'Danh sách bổ sung'} số {n}" for n in range(10)
    ]
    assert len(mailroom.replies()) == 10
    assert not any((mailroom.inbox / "new").iterdir())


def test_a_mail_whose_reading_fails_is_noted_and_the_mails_around_it_are_filed(mailroom, monkeypatch):
    from thidua.intake import flow

    real = flow.parse_mail

    def parse_mail(raw):
        parsed = real(raw)
        if parsed.subject == "Danh sách bổ sung số 3":
            raise RuntimeError("a bug met by this mail")
        return parsed

    monkeypatch.setattr(flow, "parse_mail", parse_mail)
    for n in range(6):
        mailroom.deliver(
            nomination_mail(n) if n == 3 else registration_mail(n), BEFORE_DEADLINE + timedelta(seconds=n)
        )
    outcomes = mailroom.run_once()
    assert [o.status for o in outcomes] == ["accepted"] * 3 + ["failed"] + ["accepted"] * 2
    assert "RuntimeError: a bug met by this mail" in outcomes[3].error
    with mailroom.app.db.session() as session:
        entry = ledger_get(session, outcomes[3].source_key)
    assert (entry.status, entry.attempts) == ("failed", 1)
    # the failed mail stays in the inbox for the next pass; the others have left it
    assert len(list((mailroom.inbox / "new").iterdir())) == 1


def test_replies_go_out_while_the_rest_of_a_burst_is_still_being_filed(mailroom, monkeypatch):
    """The next mail is only handed over once the reply to the one before it is in the outbox:
    a pass that sent replies only at its end would wait here and fail."""
    for n in range(4):
        mailroom.deliver(registration_mail(n), BEFORE_DEADLINE + timedelta(seconds=n))
    source = MaildirSource(mailroom.inbox)

    def paced():
        for index, mail in enumerate(source.pending()):
            deadline = time.monotonic() + 20
            while len(list(mailroom.outbox.glob("*.eml"))) < index and time.monotonic() < deadline:
                time.sleep(0.02)
            assert len(list(mailroom.outbox.glob("*.eml"))) >= index, "no reply was sent during the pass"
            yield mail

    class PacedSource:
        pending = staticmethod(paced)
        mark_filed = source.mark_filed
        mark_for_review = source.mark_for_review

    monkeypatch.setattr(
        pipeline, "AHEAD", 0
    )  # each mail filed before the next is taken, so that its reply can go
    outcomes, sent = one_pass(mailroom.app, PacedSource())
    assert [o.status for o in outcomes] == ["accepted"] * 4
    assert sent == 4 and len(mailroom.replies()) == 4


# -- the pass's order of work, with a stand-in for the mailroom ---------------------------------------


class ScriptedClaims:
    """Mail claims where ``elsewhere`` are held by another daemon; what this one holds is noted."""

    def __init__(self, elsewhere=()):
        self.elsewhere = set(elsewhere)
        self.held: set[str] = set()
        self.ever_taken: list[str] = []

    def take(self, key):
        if key in self.elsewhere:
            return False
        self.held.add(key)
        self.ever_taken.append(key)
        return True

    def release(self, *keys):
        self.held.difference_update(keys)

    def release_all(self):
        self.held.clear()


class ScriptedMailroom:
    """The three steps of the flow, recording when each happens; ``read`` waits for its mail's gate."""

    def __init__(self, attempts: dict[str, int] | None = None, sizes: dict[str, int] | None = None):
        self.claims = ScriptedClaims()
        self.attempts = attempts or {}
        self.behind_others: dict[str, bool] = {}
        self.events: list[tuple[str, str]] = []
        self.gates: dict[str, threading.Event] = {}
        self.reading = 0
        self.most_reading = 0
        self.lock = threading.Lock()

    def _note(self, what: str, key: str) -> None:
        with self.lock:
            self.events.append((what, key))

    def begin(self, mail, source=None, *, behind_others=False, before_retry=None):
        attempts = self.attempts.get(mail.source_key, 1)
        if attempts > 1 and before_retry is not None:
            before_retry()
        self._note("begin", mail.source_key)
        if attempts == 1:  # a retry is read alone, whatever was in flight before it
            self.behind_others[mail.source_key] = behind_others
        return Begun(mail, mail.source_key, attempts, retry=attempts > 1)

    def read(self, begun):
        with self.lock:
            self.reading += 1
            self.most_reading = max(self.most_reading, self.reading)
        self._note("read", begun.key)
        gate = self.gates.setdefault(begun.key, threading.Event())
        gate.wait(10)
        with self.lock:
            self.reading -= 1
        if begun.key == "broken":
            raise ValueError("unreadable")
        return f"read {begun.key}"

    def discard(self, reads):
        self.discarded = [*getattr(self, "discarded", []), *reads]

    def file(self, group, source=None):
        outcomes = []
        for begun, read in group:
            self._note("file", begun.key)
            outcomes.append(
                Outcome(
                    begun.key,
                    status="failed" if isinstance(read, Exception) else "accepted",
                    error=str(read) if isinstance(read, Exception) else "",
                )
            )
        return outcomes


def mails(*keys: str, size: int = 10):
    return [IncomingMail(b"x" * size, datetime.now(UTC), key) for key in keys]


def open_gates(room: ScriptedMailroom, keys, delay: float = 0.0) -> threading.Thread:
    def run():
        for key in keys:
            time.sleep(delay)
            room.gates.setdefault(key, threading.Event()).set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_mails_are_read_side_by_side_but_filed_in_order():
    room = ScriptedMailroom()
    # the last mail's reading ends first
    opener = open_gates(room, ["c", "b", "a"], delay=0.05)
    outcomes = pipeline.run_pass(room, mails("a", "b", "c"), None)
    opener.join()
    assert [o.source_key for o in outcomes] == ["a", "b", "c"]
    assert [key for what, key in room.events if what == "file"] == ["a", "b", "c"]
    assert room.most_reading > 1


def test_a_mail_tried_before_is_read_alone_after_the_mails_in_flight_are_filed():
    room = ScriptedMailroom(attempts={"suspect": 2})
    opener = open_gates(room, ["a", "b", "suspect", "c"], delay=0.02)
    outcomes = pipeline.run_pass(room, mails("a", "b", "suspect", "c"), None)
    opener.join()
    assert [o.source_key for o in outcomes] == ["a", "b", "suspect", "c"]
    events = room.events
    # a and b were filed before the suspect's attempt was counted (its begin) …
    assert events.index(("file", "b")) < events.index(("begin", "suspect"))
    # … and nothing else was begun or read until the suspect was filed
    suspect_filed = events.index(("file", "suspect"))
    assert events.index(("begin", "c")) > suspect_filed
    # the attempts of a and of the retried mail are theirs alone; b began behind a
    assert room.behind_others == {"a": False, "b": True, "c": False}


def test_a_failed_read_is_filed_as_that_mail_s_failure():
    room = ScriptedMailroom()
    opener = open_gates(room, ["a", "broken", "c"])
    outcomes = pipeline.run_pass(room, mails("a", "broken", "c"), None)
    opener.join()
    assert [(o.source_key, o.status) for o in outcomes] == [
        ("a", "accepted"),
        ("broken", "failed"),
        ("c", "accepted"),
    ]
    assert outcomes[1].error == "unreadable"


def test_large_mails_are_not_held_in_memory_together(monkeypatch):
    monkeypatch.setattr(pipeline, "AHEAD_BYTES", 1000)
    room = ScriptedMailroom()
    opener = open_gates(room, ["a", "b", "c"])
    pipeline.run_pass(room, mails("a", "b", "c", size=800), None)
    opener.join()
    assert room.most_reading == 1


def test_a_stop_ends_the_pass_after_the_mails_in_flight_are_filed():
    room = ScriptedMailroom()
    stop = threading.Event()
    opener = open_gates(room, ["a", "b", "c", "d"])

    def arriving():
        for n, mail in enumerate(mails("a", "b", "c", "d")):
            if n == 1:
                stop.set()  # SIGTERM while the second mail is taken
            yield mail

    outcomes = pipeline.run_pass(room, arriving(), None, stop=stop)
    opener.join()
    assert [what for what, key in room.events if key in ("c", "d")] == []
    assert [o.source_key for o in outcomes] == ["a", "b"]  # both in flight: filed, nothing left half-done


@pytest.mark.parametrize("ahead", [0, 1, 4])
def test_every_mail_is_filed_whatever_the_read_ahead(monkeypatch, ahead):
    monkeypatch.setattr(pipeline, "AHEAD", ahead)
    room = ScriptedMailroom()
    keys = [f"m{n}" for n in range(9)]
    opener = open_gates(room, keys)
    outcomes = pipeline.run_pass(room, mails(*keys), None)
    opener.join()
    assert [o.source_key for o in outcomes] == keys


def test_mails_held_by_another_daemon_are_left_to_it_and_each_taken_mail_is_let_go_once_filed():
    room = ScriptedMailroom()
    room.claims.elsewhere = {"b", "d"}
    still_held = []

    def watch(outcome):  # called as each outcome is reported: by then its mail is let go
        still_held.append(outcome.source_key in room.claims.held)

    opener = open_gates(room, ["a", "c", "e"])
    outcomes = pipeline.run_pass(room, mails("a", "b", "c", "d", "e"), None, on_outcome=watch)
    opener.join()
    assert [o.source_key for o in outcomes] == ["a", "c", "e"]
    assert [key for what, key in room.events if key in ("b", "d")] == []  # not even begun
    assert room.claims.ever_taken == ["a", "c", "e"] and still_held == [False] * 3 and not room.claims.held


def test_a_pass_cut_short_lets_go_of_every_mail_it_took():
    room = ScriptedMailroom()

    class Lost(Exception):
        pass

    def file(group, source=None):
        raise Lost("the database went away")

    room.file = file
    opener = open_gates(room, ["a", "b", "c"])
    with pytest.raises(Lost):
        pipeline.run_pass(room, mails("a", "b", "c"), None)
    opener.join()
    assert room.claims.ever_taken and not room.claims.held
