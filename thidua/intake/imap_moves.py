"""Moving mail out of the IMAP inbox once it is filed: ``UID MOVE`` when the server has MOVE, else
``UID COPY`` + ``\\Deleted`` + ``UID EXPUNGE`` (UIDPLUS), else a plain ``EXPUNGE``; the target
folders are created (and subscribed) on first use. Part of ``imap.ImapSource``, whose connection
(``_session``, ``_talking``) it uses."""

from __future__ import annotations

import logging

from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from thidua.errors import ConfigError
from thidua.intake import imap_parse as parse
from thidua.intake.sources import IncomingMail

log = logging.getLogger("thidua.imap")


class FolderMoves:
    def mark_filed(self, *mails: IncomingMail) -> None:
        with self._commands:
            self._move(mails, self.mailbox.processed_folder)

    def mark_for_review(self, mail: IncomingMail, reason: str) -> None:
        with self._commands:
            self._move((mail,), self.mailbox.review_folder)

    def _move(self, mails, folder_name: str) -> None:
        """Move ``mails`` with one command (one round trip for a group of mails filed together)."""
        client = self._session()
        uids = []
        for mail in mails:
            key = parse.parse_source_key(mail.source_key)
            if key is None:
                continue
            folder, validity, uid = key
            if folder != self.mailbox.folder or validity != self._uidvalidity:
                # UIDVALIDITY changed (the server rebuilt the folder): this UID may now be another
                # mail. The message shows up again under its new key and is then moved as a duplicate.
                log.warning(
                    "not moving %s: the folder's UIDVALIDITY is now %d", mail.source_key, self._uidvalidity
                )
                continue
            uids.append(uid)
        if not uids:
            return
        target = self._ensure_folder(folder_name)
        with self._talking(f"moving mail to {target!r}"):
            try:
                self._move_uids(client, uids, target)
            except IMAPClientError:
                # Another daemon on the same mailbox may have moved some first: that is its job done.
                left = sorted(client.search(["UID", ",".join(map(str, uids))]))
                gone = sorted(set(uids) - set(left))
                if gone:
                    log.info(
                        "%s already moved out of the inbox by another process",
                        ", ".join(
                            parse.source_key(self.mailbox.folder, self._uidvalidity, uid) for uid in gone
                        ),
                    )
                if left and gone:
                    self._move_uids(client, left, target)
                elif left:
                    raise

    def _move_uids(self, client, uids: list[int], target: str) -> None:
        if parse.has_capability(self._capabilities, "MOVE"):
            client.move(uids, target)
        else:
            client.copy(uids, target)
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            if parse.has_capability(self._capabilities, "UIDPLUS"):
                client.uid_expunge(uids)
            else:
                client.expunge()

    def _ensure_folder(self, name: str) -> str:
        client = self._session()
        with self._talking("listing folders"):
            if self._namespace is None:
                self._namespace = ("", None)
                if parse.has_capability(self._capabilities, "NAMESPACE"):
                    self._namespace = parse.personal_namespace(client.namespace())
            prefix, delimiter = self._namespace
            target = parse.server_folder_name(name, prefix=prefix, delimiter=delimiter)
            if target in self._ready_folders:
                return target
            exists = client.folder_exists(target)
        if not exists:
            with self._talking(f"creating the folder {target!r}"):
                try:
                    client.create_folder(target)
                    log.info("created the IMAP folder %r", target)
                except IMAPClientAbortError:
                    raise
                except IMAPClientError as exc:
                    said = parse.server_text(exc)
                    if "ALREADYEXISTS" not in said.upper():  # created meanwhile by someone else: fine
                        raise ConfigError(
                            f"cannot create the IMAP folder {target!r} on {self.where} ({said}): "
                            "check [mailbox] processed_folder and review_folder"
                        ) from None
            try:
                client.subscribe_folder(target)  # so staff see it in their mail program
            except IMAPClientError:
                pass
        self._ready_folders.add(target)
        return target
