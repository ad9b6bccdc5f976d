"""Builds the service's parts from the configuration: the one place that knows them all. In
``intake`` (not with the runners) so that everything above it, the runners, the staff's desk and
the web pages, can use it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from thidua.campaign import Campaign, load_campaign
from thidua.clock import utcnow
from thidua.config import Settings
from thidua.errors import ConfigError
from thidua.intake.flow import Mailroom
from thidua.intake.sources import MaildirSource, MailSource
from thidua.notifier.senders import DirectoryOutbox, ReplySender
from thidua.store.blobs import BlobStore
from thidua.store.db import Database, open_database


@dataclass
class App:
    settings: Settings

    @cached_property
    def db(self) -> Database:
        database = open_database(self.settings.database.url)
        database.migrate()
        return database

    @cached_property
    def blobs(self) -> BlobStore:
        return BlobStore(self.settings.storage.path)

    @cached_property
    def campaign(self) -> Campaign:
        if not self.settings.campaign.file.exists():
            raise ConfigError(
                f"campaign file {self.settings.campaign.file} not found: set [campaign] file in the configuration"
            )
        return load_campaign(self.settings.campaign.file)

    @cached_property
    def mailroom(self) -> Mailroom:
        return Mailroom(self.settings, self.db, self.blobs, self.campaign, clock=utcnow)

    def source(self) -> MailSource:
        mailbox = self.settings.mailbox
        if mailbox.kind == "maildir":
            return MaildirSource(mailbox.path, mailbox.processed_folder, mailbox.review_folder)
        from thidua.intake.imap import ImapSource  # imported only when configured

        return ImapSource(mailbox)

    def reply_sender(self) -> ReplySender:
        outgoing = self.settings.outgoing
        if outgoing.kind == "directory":
            return DirectoryOutbox(outgoing.path)
        from thidua.notifier.smtp import SmtpSender  # imported only when configured

        return SmtpSender(outgoing)
