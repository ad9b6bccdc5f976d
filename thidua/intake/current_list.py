"""Where a mail's list or registrations go in the school's paperwork for the round (SPEC: "One
current list per school and round"): a new full list replaces the school's current list, thread
or no thread; a list titled or described as *bổ sung* adds to it; a person's new registration
replaces the earlier one; the quota counts the distinct nominees the school has once the mail
is filed.

Called inside the filing transaction, after the school's round is locked
(:func:`thidua.store.current_lists.lock_school_round`), so that two mails of one school, in one
filing group or in two daemons, never both find "no current list".
"""

from __future__ import annotations

from dataclasses import dataclass

from thidua.campaign import Round
from thidua.intake.examine import Examined
from thidua.intake.intent import MailIntent
from thidua.store.current_lists import (
    CurrentSubmission,
    current_lists,
    lock_school_round,
    nominee_identities,
    registrations_replaced,
)
from thidua.text import clean, strip_placeholder


@dataclass(frozen=True)
class Placement:
    thread_receipt: str | None  # the receipt the mail becomes a new version of
    supersedes: tuple[str, ...] = ()  # other receipts the mail replaces
    added_to: tuple[str, ...] = ()  # receipts of the current list an additional list adds to
    nominees_elsewhere: frozenset[tuple[str, str]] = frozenset()  # for the quota


def carries_list(examined: Examined) -> bool:
    return any(
        f.kind == "nomination_list" and f.understood is not None and f.understood.nominees
        for f in examined.findings
    )


def registered_people(examined: Examined) -> list[str]:
    names = (
        clean(strip_placeholder(r.values.get("full_name", "")))
        for f in examined.findings
        if f.kind == "registration" and f.understood is not None
        for r in f.understood.registrations
    )
    return [name for name in names if name]


def place(
    session,
    *,
    school_id: int | None,
    round_: Round | None,
    thread_receipt: str | None,
    intent: MailIntent,
    examined: Examined,
) -> Placement:
    """The receipt the mail continues (its thread's, or the current list or registration it
    replaces), the other receipts it replaces, and the nominees the quota counts besides its own."""
    if school_id is None or round_ is None:
        return Placement(thread_receipt)
    has_list, people = carries_list(examined), registered_people(examined)
    if not has_list and not people:
        return Placement(thread_receipt)
    lock_school_round(session, school_id=school_id, round_id=round_.id)
    supersedes: tuple[str, ...] = ()
    added_to: tuple[str, ...] = ()
    if has_list and intent.ad_hoc:
        pass  # each ad-hoc list is an award of its own: it replaces nothing, only its thread's versions
    elif has_list:
        earlier = current_lists(session, school_id=school_id, round_id=round_.id)
        if thread_receipt is None and not intent.additional:
            thread_receipt, supersedes = _replacing(earlier)
        elif intent.additional and thread_receipt is None:
            added_to = tuple(dict.fromkeys(s.receipt for s in earlier))
    elif thread_receipt is None:
        replaced = registrations_replaced(session, school_id=school_id, round_id=round_.id, people=people)
        thread_receipt, supersedes = _replacing(replaced)
    elsewhere: frozenset[tuple[str, str]] = frozenset()
    if has_list and round_.max_nominees is not None and not intent.ad_hoc:
        leaving = [r for r in (thread_receipt, *supersedes) if r]
        elsewhere = nominee_identities(
            session, school_id=school_id, round_id=round_.id, excluding_receipts=leaving
        )
    return Placement(thread_receipt, supersedes, added_to, elsewhere)


def _replacing(earlier: list[CurrentSubmission]) -> tuple[str | None, tuple[str, ...]]:
    """The oldest current submission's receipt goes on (the list the school first sent); the
    others (its additional lists) are replaced with it."""
    if not earlier:
        return None, ()
    receipts = list(dict.fromkeys(s.receipt for s in earlier))
    return receipts[0], tuple(receipts[1:])
