"""The Maildir as a mail source: oldest first, moved out only when told, whatever a mail client did meanwhile."""

from __future__ import annotations

import os
from datetime import timedelta

from tests.support.office import BEFORE_DEADLINE
from thidua.intake.sources import MaildirSource, deliver_to_maildir


def test_mails_come_oldest_first_and_leave_only_when_filed(tmp_path):
    inbox = tmp_path / "inbox"
    for n in (2, 0, 1):
        deliver_to_maildir(
            inbox, f"Subject: {n}\r\n\r\nthư {n}\r\n".encode(), BEFORE_DEADLINE + timedelta(minutes=n)
        )
    source = MaildirSource(inbox)
    mails = list(source.pending())
    assert [m.raw.split(b"\r\n", 1)[0] for m in mails] == [b"Subject: 0", b"Subject: 1", b"Subject: 2"]
    # the delivery stamp of the file name (with its microseconds, which keep names unique)
    assert [m.arrived_at.replace(microsecond=0) for m in mails] == [
        BEFORE_DEADLINE + timedelta(minutes=n) for n in range(3)
    ]
    assert len(list((inbox / "new").iterdir())) == 3  # reading changes nothing
    source.mark_filed(*mails[:2])
    source.mark_for_review(mails[2], "broken")
    assert list((inbox / "new").iterdir()) == []
    assert len(list((inbox / ".Processed" / "cur").iterdir())) == 2
    assert len(list((inbox / ".Needs review" / "cur").iterdir())) == 1


def test_a_mail_a_client_marked_read_meanwhile_is_still_moved(tmp_path):
    inbox = tmp_path / "inbox"
    path = deliver_to_maildir(inbox, b"Subject: x\r\n\r\nthu\r\n", BEFORE_DEADLINE)
    source = MaildirSource(inbox)
    [mail] = source.pending()
    os.replace(path, inbox / "cur" / f"{path.name}:2,S")  # what a mail client does when it shows the mail
    source.mark_filed(mail)
    assert list((inbox / "cur").iterdir()) == []
    assert [p.name for p in (inbox / ".Processed" / "cur").iterdir()] == [f"{path.name}:2,S"]


def test_a_mail_taken_by_another_process_is_not_an_error(tmp_path):
    inbox = tmp_path / "inbox"
    path = deliver_to_maildir(inbox, b"Subject: x\r\n\r\nthu\r\n", BEFORE_DEADLINE)
    source = MaildirSource(inbox)
    [mail] = source.pending()
    path.unlink()
    source.mark_filed(mail)
    assert not (inbox / ".Processed" / "cur").exists() or list((inbox / ".Processed" / "cur").iterdir()) == []
