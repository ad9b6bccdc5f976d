"""One pass over the mail waiting in the inbox, the next mails read while one is filed.

Reading a mail (MIME, its documents in the reader pool, storing its files) needs no database,
and filing it (checks, the submission, the reply) needs no reading: a second thread reads up
to ``AHEAD`` mails ahead while this one takes the next mail from the source, notes its attempt
and files the mails already read. Mails read meanwhile are filed together, one transaction and
one flush to disk for all of them; they leave the inbox only after that commit.

Crash safety is the flow's: a mail's attempt is noted before it is read, and a mail that has
ended ``failures_before_review`` attempts unfinished is parked. With several mails in flight, a
killed process cannot tell whose doing the kill was, so an attempt that began behind others is
not held against its mail; a mail tried before is read alone, after the mails in flight are
filed, and from then on each kill counts against it. A mail that kills the process is thus
parked after at most one more try than when mails are read one by one, and a mail that merely
stood behind it is not.

Several daemons on one mailbox and one PostgreSQL database take each mail before they begin it
(``store.claims``); a mail another daemon holds is left to it, so that the daemons share the
inbox instead of each reading all of it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from thidua.intake.records import Begun, Outcome, Read
from thidua.intake.sources import IncomingMail, MailSource
from thidua.store.claims import MailClaims


class Steps(Protocol):
    """The three steps of the flow (``flow.Mailroom``) that a pass runs for each mail."""

    claims: MailClaims

    def begin(
        self,
        mail: IncomingMail,
        source: MailSource | None = None,
        *,
        behind_others: bool = False,
        before_retry: Callable[[], None] | None = None,
    ) -> Begun | Outcome: ...

    def read(self, begun: Begun) -> Read: ...

    def file(
        self, group: Sequence[tuple[Begun, Read | Exception]], source: MailSource | None = None
    ) -> list[Outcome]: ...

    def discard(self, reads: Iterable[Future]) -> None: ...


AHEAD = 4  # mails read ahead of the ones being filed …
AHEAD_BYTES = (
    48 * 1024 * 1024
)  # … unless they are this large together: a burst of large mails is not held at once
GROUP = 16  # mails filed in one transaction, at most


def run_pass(
    mailroom: Steps,
    mails: Iterable[IncomingMail],
    source: MailSource | None,
    *,
    stop=None,
    on_outcome: Callable[[Outcome], None] | None = None,
    readers: int = 3,
) -> list[Outcome]:
    """Begin, read and file every mail of ``mails``; ``readers`` mails are read at once
    (``[limits] readers``)."""
    outcomes: list[Outcome] = []
    in_flight: deque[tuple[Begun, Future]] = deque()

    claims = mailroom.claims

    def done(finished: list[Outcome]) -> None:
        outcomes.extend(finished)
        claims.release(*(outcome.source_key for outcome in finished))
        if on_outcome is not None:
            for outcome in finished:
                on_outcome(outcome)

    def file_read(wait: bool) -> None:
        """File the mails at the head of the line whose reading is over (waiting for the first
        one when ``wait``), in one group."""
        group: list[tuple[Begun, Read | Exception]] = []
        while in_flight and len(group) < GROUP and (in_flight[0][1].done() or (wait and not group)):
            begun, future = in_flight.popleft()
            group.append((begun, _result(future)))
        if group:
            done(mailroom.file(group, source))

    def file_all() -> None:
        while in_flight:
            file_read(wait=True)

    with ThreadPoolExecutor(max_workers=readers, thread_name_prefix="thidua-reader") as reader:
        try:
            for mail in mails:
                # room first, then the attempt: a mail is counted only once it is read
                while in_flight and _bytes(in_flight) + len(mail.raw) > AHEAD_BYTES:
                    file_read(wait=True)
                if claims.take(mail.source_key):  # else another daemon on this mailbox is at it
                    begun = mailroom.begin(mail, source, behind_others=bool(in_flight), before_retry=file_all)
                    if isinstance(begun, Outcome):
                        done([begun])
                    else:
                        in_flight.append((begun, reader.submit(mailroom.read, begun)))
                        if begun.retry:
                            file_all()  # tried before: read alone (see above)
                        while len(in_flight) > AHEAD:
                            file_read(wait=True)
                        file_read(wait=False)
                if stop is not None and stop.is_set():
                    break
            file_all()
        finally:
            for _, future in in_flight:  # a pass cut short (the database went away): redone next pass
                future.cancel()
            mailroom.discard([future for _, future in in_flight])
            claims.release_all()
    return outcomes


def _bytes(in_flight: deque[tuple[Begun, Future]]) -> int:
    return sum(len(begun.mail.raw) for begun, _ in in_flight)


def _result(future: Future) -> Read | Exception:
    try:
        return future.result()
    except Exception as exc:  # filed as this mail's failed attempt
        return exc
