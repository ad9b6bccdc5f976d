"""Initial schema: schools, submissions and their parts, replies, receipt counters, mail ledger, digests.

Generated with ``alembic revision --autogenerate`` against SQLite and reviewed by hand:
portable column types only (no SQLModel/thidua types, timestamps as ``timestamptz`` on PostgreSQL),
explicit constraint names from the models' naming convention, plain ``create_index``.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _children() -> list:
    """The id and submission_id columns and constraints shared by a submission's parts."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    ]


def _child_constraints(table: str) -> list:
    return [
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=f"fk_{table}_submission_id_submissions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def upgrade() -> None:
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        _when("sent_at"),
        sa.PrimaryKeyConstraint("id", name="pk_digest_runs"),
    )
    op.create_table(
        "receipt_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_receipt_counters"),
    )
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_schools"),
        sa.UniqueConstraint("name", name="uq_schools_name"),
    )
    op.create_table(
        "school_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_school_addresses_school_id_schools",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_school_addresses"),
        sa.UniqueConstraint("address", name="uq_school_addresses_address"),
    )
    op.create_index("ix_school_addresses_school_id", "school_addresses", ["school_id"])

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("school_name", sa.Text(), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("mail_sha256", sa.String(length=64), nullable=False),
        _when("received_at"),
        sa.Column("round_id", sa.Text(), nullable=True),
        sa.Column("source_key", sa.Text(), nullable=False),
        _when("created_at"),
        _when("superseded_at", nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_submissions_school_id_schools",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.UniqueConstraint("receipt", "version", name="uq_submissions_receipt_version"),
    )
    op.create_index("ix_submissions_content_key", "submissions", ["content_key"])
    op.create_index("ix_submissions_message_id", "submissions", ["message_id"])
    op.create_index("ix_submissions_received_at_id", "submissions", ["received_at", "id"])
    op.create_index("ix_submissions_school_id_round_id", "submissions", ["school_id", "round_id"])

    op.create_table(
        "documents",
        *_children(),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("container", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("detected", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=False),
        *_child_constraints("documents"),
    )
    op.create_index("ix_documents_submission_id", "documents", ["submission_id"])

    op.create_table(
        "registrations",
        *_children(),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        *_child_constraints("registrations"),
    )
    op.create_index("ix_registrations_submission_id", "registrations", ["submission_id"])

    op.create_table(
        "nominees",
        *_children(),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("category_text", sa.Text(), nullable=False),
        sa.Column("position_title", sa.Text(), nullable=False),
        sa.Column("achievements", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("award", sa.Text(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        *_child_constraints("nominees"),
    )
    op.create_index("ix_nominees_submission_id", "nominees", ["submission_id"])

    op.create_table(
        "problems",
        *_children(),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        *_child_constraints("problems"),
    )
    op.create_index("ix_problems_submission_id", "problems", ["submission_id"])

    op.create_table(
        "replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("to_address", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at", nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("sent_at", nullable=True),
        sa.Column("eml_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name="fk_replies_submission_id_submissions",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_replies"),
    )
    op.create_index("ix_replies_message_id", "replies", ["message_id"])
    op.create_index("ix_replies_to_address", "replies", ["to_address"])
    op.create_index("ix_replies_status_next_attempt_at", "replies", ["status", "next_attempt_at"])
    op.create_index("ix_replies_submission_id", "replies", ["submission_id"])

    op.create_table(
        "mail_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        _when("updated_at"),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name="fk_mail_ledger_submission_id_submissions",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_mail_ledger"),
        sa.UniqueConstraint("source_key", name="uq_mail_ledger_source_key"),
    )
    op.create_index("ix_mail_ledger_content_key", "mail_ledger", ["content_key"])


def downgrade() -> None:
    for table in ("mail_ledger", "replies", "problems", "nominees", "registrations", "documents",
                  "submissions", "school_addresses", "schools", "receipt_counters", "digest_runs"):
        op.drop_table(table)  # indexes go with their table
