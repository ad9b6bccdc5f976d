"""The staff desk: accounts, sessions, API tokens, the audit log, decisions and paper copies.

Every table carries the office it belongs to (``[office] code``), so that several offices can
share one database.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _office() -> sa.Column:
    return sa.Column("office", sa.String(length=64), nullable=False)


def upgrade() -> None:
    op.create_table(
        "desk_users",
        sa.Column("id", sa.Integer(), nullable=False),
        _office(),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_desk_users"),
        sa.UniqueConstraint("office", "username", name="uq_desk_users_office_username"),
    )
    op.create_table(
        "desk_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        _office(),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("last_seen"),
        _when("expires_at"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["desk_users.id"], name="fk_desk_sessions_user_id_desk_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_desk_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_desk_sessions_token_hash"),
    )
    op.create_index("ix_desk_sessions_user_id", "desk_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        _office(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_office_name", "api_tokens", ["office", "name"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        _office(),
        _when("at"),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_key", sa.String(length=200), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
    )
    op.create_index(
        "ix_audit_entries_office_subject_kind_subject_key",
        "audit_entries",
        ["office", "subject_kind", "subject_key"],
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        _office(),
        sa.Column("receipt", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
    )
    op.create_index("ix_decisions_office_receipt", "decisions", ["office", "receipt"])
    op.create_table(
        "paper_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        _office(),
        sa.Column("receipt", sa.String(length=32), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name="pk_paper_copies"),
        sa.UniqueConstraint("office", "receipt", name="uq_paper_copies_office_receipt"),
    )


def downgrade() -> None:
    op.drop_table("paper_copies")
    op.drop_index("ix_decisions_office_receipt", table_name="decisions")
    op.drop_table("decisions")
    op.drop_index("ix_audit_entries_office_subject_kind_subject_key", table_name="audit_entries")
    op.drop_table("audit_entries")
    op.drop_index("ix_api_tokens_office_name", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("ix_desk_sessions_user_id", table_name="desk_sessions")
    op.drop_table("desk_sessions")
    op.drop_table("desk_users")
