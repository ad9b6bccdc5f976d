"""The database tables (SQLModel on SQLAlchemy 2.x).

Timestamps are stored in UTC and always come back timezone-aware, on SQLite too.
Text is stored in Unicode NFC (the store's functions normalise before writing).
The schema itself is created by the Alembic migrations in ``migrations/``; keep the two in step
(tests compare them).
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, Relationship, SQLModel

SUBMISSION_STATUSES = ("accepted", "needs_correction", "rejected", "superseded")
CURRENT_STATUSES = ("accepted", "needs_correction")  # what counts as a school's current paperwork
REPLY_KINDS = ("receipt", "correction", "rejection", "digest", "reminder", "results")
REPLY_STATUSES = ("queued", "sent", "failed", "suppressed", "held", "dropped")
HELD, DROPPED = "held", "dropped"  # over the daily cap: waiting for staff; discarded by staff
LEDGER_STATUSES = ("processing", "filed", "failed", "review")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A registry of our own: the store's tables never mix with any other SQLModel metadata.
store_registry = registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION))


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware timestamp, stored in UTC.

    PostgreSQL keeps it in ``timestamptz``; SQLite has no time zones, so the UTC wall time is
    stored and UTC is attached again on the way out. Naive datetimes are refused: an arrival
    time without a zone cannot be compared with a deadline.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given: timestamps must carry a time zone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _text(**kw: Any) -> Any:
    return Field(sa_type=sa.Text, **kw)


def _json(factory: Any) -> Any:
    return Field(default_factory=factory, sa_type=sa.JSON, sa_column_kwargs={"nullable": False})


def _when(*, nullable: bool = False, default_now: bool = False, **kw: Any) -> Any:
    if default_now:
        kw["default_factory"] = _utcnow
    elif nullable:
        kw["default"] = None
    return Field(sa_type=UTCDateTime, sa_column_kwargs={"nullable": nullable}, **kw)


class StoreModel(SQLModel, registry=store_registry):
    """Base of every table of the store."""


class School(StoreModel, table=True):
    __tablename__ = "schools"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, unique=True)

    addresses: list["SchoolAddress"] = Relationship(
        back_populates="school",
        sa_relationship_kwargs={"order_by": "SchoolAddress.address", "cascade": "all, delete-orphan"},
    )


class SchoolAddress(StoreModel, table=True):
    __tablename__ = "school_addresses"

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="schools.id", index=True, ondelete="CASCADE")
    address: str = Field(max_length=320, unique=True)  # lower case

    school: School | None = Relationship(back_populates="addresses")


class Submission(StoreModel, table=True):
    """One mail = one version of a submission; ``receipt`` is shared by all its versions."""

    __tablename__ = "submissions"
    __table_args__ = (
        sa.UniqueConstraint("receipt", "version"),
        sa.Index("ix_submissions_school_id_round_id", "school_id", "round_id"),
        sa.Index("ix_submissions_received_at_id", "received_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    receipt: str = Field(max_length=32)
    version: int = 1
    status: str = Field(max_length=20)
    school_id: int | None = Field(default=None, foreign_key="schools.id", ondelete="SET NULL")
    school_name: str = _text(default="")
    sender: str = _text(default="")
    subject: str = _text(default="")
    message_id: str = Field(default="", max_length=998, index=True)
    content_key: str = Field(max_length=64, index=True)
    mail_sha256: str = Field(default="", max_length=64)
    received_at: datetime = _when()
    round_id: str | None = Field(default=None, sa_type=sa.Text)
    source_key: str = _text(default="")
    created_at: datetime = _when(default_now=True)
    superseded_at: datetime | None = _when(nullable=True)
    ad_hoc: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}
    )  # an ad-hoc (đột xuất) list

    documents: list["Document"] = Relationship(
        sa_relationship_kwargs={"order_by": "Document.position", "cascade": "all, delete-orphan"}
    )
    registrations: list["Registration"] = Relationship(
        sa_relationship_kwargs={"order_by": "Registration.position", "cascade": "all, delete-orphan"}
    )
    nominees: list["Nominee"] = Relationship(
        sa_relationship_kwargs={"order_by": "Nominee.position", "cascade": "all, delete-orphan"}
    )
    problems: list["Problem"] = Relationship(
        sa_relationship_kwargs={"order_by": "Problem.position", "cascade": "all, delete-orphan"}
    )


class Document(StoreModel, table=True):
    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True, ondelete="CASCADE")
    position: int
    filename: str = _text()
    container: str = _text(default="")
    kind: str = Field(max_length=30)
    detected: str = _text(default="")
    sha256: str = Field(default="", max_length=64)
    size: int = Field(default=0, sa_type=sa.BigInteger)
    failure: str = _text(default="")
    ocr: bool = False  # a scan or photo whose text was recognised by OCR
    signed_copy_of: str = _text(default="")  # the editable file this scan is the signed, stamped copy of
    people: list[str] = _json(list)  # the people a results report names (whose registrations it reports on)


class Registration(StoreModel, table=True):
    __tablename__ = "registrations"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True, ondelete="CASCADE")
    position: int
    values: dict[str, str] = _json(dict)
    labels: dict[str, str] = _json(dict)


class Nominee(StoreModel, table=True):
    __tablename__ = "nominees"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True, ondelete="CASCADE")
    position: int  # order in the submission
    rank: int | None = None
    name: str = _text(default="")
    category: str | None = Field(default=None, max_length=20)
    category_text: str = _text(default="")
    position_title: str = _text(default="")  # SPEC's nominee field "position" (chức vụ / nhiệm vụ)
    achievements: str = _text(default="")
    evidence: list[str] = _json(list)
    award: str = _text(default="")
    labels: dict[str, str] = _json(dict)
    # the unit a consolidated list names on the row (a school in an office's list), None when none
    unit: str | None = _text(default=None, nullable=True)
    section: str = _text(default="")  # the sheet and section rows above it ("II. CÁ NHÂN › A. …")


class Problem(StoreModel, table=True):
    __tablename__ = "problems"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True, ondelete="CASCADE")
    position: int
    code: str = Field(max_length=60)
    severity: str = Field(max_length=20)
    field: str = _text(default="")
    message: str = _text(default="")


class Reply(StoreModel, table=True):
    """A reply (or digest, reminder) in the outbox; the rendered message is in the blob store."""

    __tablename__ = "replies"
    __table_args__ = (sa.Index("ix_replies_status_next_attempt_at", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int | None = Field(
        default=None, foreign_key="submissions.id", index=True, ondelete="SET NULL"
    )
    kind: str = Field(max_length=20)
    to_address: str = Field(sa_type=sa.Text, index=True)  # lower case
    subject: str = _text(default="")
    message_id: str = Field(default="", max_length=998, index=True)
    status: str = Field(default="queued", max_length=20)
    reason: str = _text(default="")
    attempts: int = 0
    next_attempt_at: datetime | None = _when(nullable=True)
    created_at: datetime = _when(default_now=True)
    updated_at: datetime = _when(default_now=True)  # last change of status (for the digest)
    sent_at: datetime | None = _when(nullable=True)
    eml_sha256: str = Field(default="", max_length=64)
    office: str = Field(default="default", max_length=64, sa_column_kwargs={"server_default": "default"})
    # The daily cap counts replies to mails with no document of their own, and repeats of the
    # same documents (``documents_key``: their hashes, "" for none); a school's receipts are exempt.
    counts_toward_cap: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    documents_key: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    # Who sends it now ("" when nobody): a claim of a process that is gone is taken over at once.
    claimed_by: str = _text(default="", sa_column_kwargs={"server_default": ""})
    # Queued again after an outage of the office's mail server: due as soon as one send succeeds.
    waits_for_server: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    handled_by: str = _text(
        default="", sa_column_kwargs={"server_default": ""}
    )  # staff who sent or dropped it
    handled_at: datetime | None = _when(nullable=True)


class ReceiptCounter(StoreModel, table=True):
    __tablename__ = "receipt_counters"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = 0


class MailLedger(StoreModel, table=True):
    """The crash-safe record of each mail taken from the inbox."""

    __tablename__ = "mail_ledger"

    id: int | None = Field(default=None, primary_key=True)
    source_key: str = _text(unique=True)
    content_key: str = Field(default="", max_length=64, index=True)
    status: str = Field(default="processing", max_length=20)
    attempts: int = 0
    # The attempt began while other mails were still being read ahead of it: if it ends unfinished
    # (the process was killed), it is not held against this mail, which is then retried alone.
    behind_others: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    last_error: str = _text(default="")
    submission_id: int | None = Field(default=None, foreign_key="submissions.id", ondelete="SET NULL")
    updated_at: datetime = _when(default_now=True)
    # what staff see of a mail parked for review (given to ledger_finish; "" when not known)
    sender: str = _text(default="")
    subject: str = _text(default="")


class DigestRun(StoreModel, table=True):
    __tablename__ = "digest_runs"

    id: int | None = Field(default=None, primary_key=True)
    sent_at: datetime = _when()


# -- after intake: evidence review and selection (thidua/store/selection.py) -----------------------

REVIEW_VERDICTS = ("ok", "insufficient")
DEFAULT_OFFICE = "default"  # the [office] code of an installation serving one office


class NomineeReview(StoreModel, table=True):
    """One verdict on a nominee's evidence; the latest stands, earlier ones are its history."""

    __tablename__ = "nominee_reviews"
    __table_args__ = (sa.Index("ix_nominee_reviews_office_nominee_id", "office", "nominee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default=DEFAULT_OFFICE, max_length=64)
    nominee_id: int = Field(foreign_key="nominees.id", ondelete="CASCADE")
    evidence: str = Field(max_length=20)  # one of REVIEW_VERDICTS
    note: str = _text(default="")
    reviewed_by: str = _text(default="")
    reviewed_at: datetime = _when()
    # the earlier entry of the same person this verdict was carried over from (a school's newer list)
    carried_from: int | None = Field(default=None, foreign_key="nominees.id", ondelete="SET NULL")


class NomineeSelection(StoreModel, table=True):
    """A nominee the office proposes for an award form of its round (at most one award each)."""

    __tablename__ = "nominee_selections"
    __table_args__ = (
        sa.UniqueConstraint("office", "nominee_id"),
        sa.Index("ix_nominee_selections_office_round_id_award_id", "office", "round_id", "award_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default=DEFAULT_OFFICE, max_length=64)
    nominee_id: int = Field(foreign_key="nominees.id", ondelete="CASCADE")
    round_id: str = _text()
    award_id: str = _text()
    selected_by: str = _text(default="")
    selected_at: datetime = _when()


class SelectionRound(StoreModel, table=True):
    """One row per office and round, locked (SELECT … FOR UPDATE) while a selection is checked
    against the awards' caps, so two reviewers selecting at once cannot both pass a cap."""

    __tablename__ = "selection_rounds"

    office: str = Field(primary_key=True, max_length=64)
    round_id: str = Field(primary_key=True, sa_type=sa.Text)
    changed_at: datetime = _when()


class ResultsSent(StoreModel, table=True):
    """The outcome of a round told to a school (công khai), once: the reply that carried it."""

    __tablename__ = "results_sent"
    __table_args__ = (sa.UniqueConstraint("office", "round_id", "school_id"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default=DEFAULT_OFFICE, max_length=64)
    round_id: str = _text()
    school_id: int = Field(foreign_key="schools.id", ondelete="CASCADE")
    school_name: str = _text(default="")
    sent_at: datetime = _when()
    reply_id: int | None = Field(default=None, foreign_key="replies.id", ondelete="SET NULL")


# -- the staff desk: accounts, sessions, tokens; the audit log, decisions, paper copies ---------


class DeskUser(StoreModel, table=True):
    __tablename__ = "desk_users"
    __table_args__ = (sa.UniqueConstraint("office", "username"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    username: str = Field(max_length=100)
    display_name: str = Field(default="", sa_type=sa.Text)
    role: str = Field(max_length=20)
    password_hash: str = Field(default="", sa_type=sa.Text)
    disabled: bool = False
    created_at: datetime = _when(default_now=True)


class DeskSession(StoreModel, table=True):
    __tablename__ = "desk_sessions"

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="desk_users.id", index=True, ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _when(default_now=True)
    last_seen: datetime = _when(default_now=True)
    expires_at: datetime = _when()


class ApiToken(StoreModel, table=True):
    __tablename__ = "api_tokens"
    __table_args__ = (sa.Index("ix_api_tokens_office_name", "office", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _when(default_now=True)
    revoked_at: datetime | None = _when(nullable=True)


class AuditEntry(StoreModel, table=True):
    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_office_subject_kind_subject_key", "office", "subject_kind", "subject_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    at: datetime = _when(default_now=True)
    actor: str = Field(default="", sa_type=sa.Text)
    action: str = Field(max_length=40)
    subject_kind: str = Field(max_length=20)  # receipt | ledger | school | user | token | nominee
    subject_key: str = Field(default="", max_length=200)
    before: Any | None = Field(default=None, sa_type=sa.JSON)
    after: Any | None = Field(default=None, sa_type=sa.JSON)
    note: str = Field(default="", sa_type=sa.Text)


class Decision(StoreModel, table=True):
    __tablename__ = "decisions"
    __table_args__ = (sa.Index("ix_decisions_office_receipt", "office", "receipt"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    receipt: str = Field(max_length=32)
    version: int
    action: str = Field(max_length=30)
    note: str = Field(default="", sa_type=sa.Text)
    items: list[str] = Field(default_factory=list, sa_type=sa.JSON, sa_column_kwargs={"nullable": False})
    decided_by: str = Field(default="", sa_type=sa.Text)
    at: datetime = _when(default_now=True)


class PaperCopy(StoreModel, table=True):
    __tablename__ = "paper_copies"
    __table_args__ = (sa.UniqueConstraint("office", "receipt"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(default="default", max_length=64)
    receipt: str = Field(max_length=32)
    recorded_by: str = Field(default="", sa_type=sa.Text)
    at: datetime = _when(default_now=True)


metadata = store_registry.metadata
