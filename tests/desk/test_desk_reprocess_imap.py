"""Processing a mail parked on a real IMAP server (Dovecot) again from the desk."""

# ruff: noqa: F811 - pytest fixtures imported from their module and used as parameters
from __future__ import annotations

import pytest

from tests.support.live import DOVECOT, NO_DOVECOT, imap_section
from tests.support.mails import complete_mail
from tests.support.office import BEFORE_DEADLINE
from thidua.desk import actions, queries
from thidua.desk.actor import Actor, DeskError
from thidua.store import audit

if DOVECOT is None:
    pytest.skip(NO_DOVECOT, allow_module_level=True)

pytestmark = pytest.mark.dovecot


@pytest.fixture
def breaking(monkeypatch):
    """The mail reader fails on mails carrying ``X-Test-Breaks: yes`` while this fixture is active."""
    from thidua.intake import flow

    real_parse = flow.parse_mail

    def parse_mail(raw: bytes):
        if b"X-Test-Breaks: yes" in raw:
            raise RuntimeError("the reader cannot cope with this mail")
        return real_parse(raw)

    monkeypatch.setattr(flow, "parse_mail", parse_mail)
    return monkeypatch


def _parked_office(dovecot, make_office):
    user = dovecot.new_user()
    office = make_office(mailbox=imap_section(dovecot, user))
    dovecot.append(user, complete_mail(headers={"X-Test-Breaks": "yes"}), BEFORE_DEADLINE)
    source = office.app.source()
    try:
        for _ in range(3):
            [office.app.mailroom.process(mail, source) for mail in source.pending()]
    finally:
        source.close()
    assert len(dovecot.folders(user)["Needs review"]) == 1
    with office.app.db.session() as session:
        [parked] = queries.review_queue(session, office.app.settings.office.code).mails
    return office, user, parked


def _reprocess(office, ledger_id):
    app = office.app
    clerk = Actor("lan", "clerk", app.settings.office.code)
    return actions.reprocess(
        app.settings, clerk, ledger_id, db=app.db, blobs=app.blobs, campaign=app.campaign
    )


def test_a_parked_imap_mail_is_filed_and_moved_to_processed(dovecot, make_office, breaking):
    office, user, parked = _parked_office(dovecot, make_office)
    breaking.undo()  # the reader is fixed
    result = _reprocess(office, parked.id)
    assert result["status"] == "accepted" and result["receipt"] == "HS-2018-0001"
    folders = dovecot.folders(user)
    assert folders["Needs review"] == [] and len(folders["Processed"]) == 1
    code = office.app.settings.office.code
    with office.app.db.session() as session:
        assert queries.review_queue(session, code).mails == ()
        actions_done = [e.action for e in audit.entries_for(session, code, "ledger", str(parked.id))]
    assert actions_done == ["reprocess", "reprocessed"]
    assert office.submissions()[0]["received_at"].startswith("2018-03-10T09:00")  # the server's arrival time


def test_a_parked_imap_mail_that_fails_again_stays_in_review(dovecot, make_office, breaking):
    office, user, parked = _parked_office(dovecot, make_office)
    result = _reprocess(office, parked.id)
    assert result["status"] == "failed" and "cannot cope" in result["error"]
    assert len(dovecot.folders(user)["Needs review"]) == 1
    with office.app.db.session() as session:
        [still] = queries.review_queue(session, office.app.settings.office.code).mails
    assert still.id == parked.id


def test_a_parked_imap_mail_moved_away_by_hand_is_a_clear_refusal(dovecot, make_office, breaking):
    office, user, parked = _parked_office(dovecot, make_office)
    with dovecot.client(user) as client:
        client.select_folder("Needs review")
        client.delete_messages(client.search(["ALL"]))
        client.expunge()
    with pytest.raises(DeskError, match="Không tìm thấy thư này"):
        _reprocess(office, parked.id)


def test_the_original_of_a_parked_imap_mail_can_be_downloaded(dovecot, make_office, breaking):
    from thidua.desk.parked import parked_mail_bytes

    office, user, parked = _parked_office(dovecot, make_office)
    settings = office.app.settings
    data = parked_mail_bytes(
        settings, parked.source_key, sender=parked.sender, content_key=parked.content_key
    )
    assert data == dovecot.folders(user)["Needs review"][0]["raw"]
    assert parked_mail_bytes(settings, parked.source_key) is None  # without the content key: not searched
