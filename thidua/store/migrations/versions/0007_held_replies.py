"""Replies held by the daily cap for staff, who sends them now, and which wait for the mail server.

- ``office``: the office the reply belongs to (``[office] code``, "default" for one office).
- ``counts_toward_cap`` and ``documents_key``: the daily cap counts only replies to mails with no
  document of their own and repeats of the same documents; a school's receipts are exempt.
  Replies made before this revision all counted, as they did then.
- ``claimed_by``: the process sending the reply now, so that a claim of a process that is gone
  is taken over at once instead of after its lease.
- ``waits_for_server``: queued again after an outage of the office's mail server; due as soon as
  one send succeeds.
- ``handled_by`` and ``handled_at``: the staff member who sent or dropped a held reply, and when.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    sa.Column("office", sa.String(length=64), nullable=False, server_default="default"),
    sa.Column("counts_toward_cap", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("documents_key", sa.String(length=64), nullable=False, server_default=""),
    sa.Column("claimed_by", sa.Text(), nullable=False, server_default=""),
    sa.Column("waits_for_server", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("handled_by", sa.Text(), nullable=False, server_default=""),
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
)


def upgrade() -> None:
    with op.batch_alter_table("replies") as batch:
        for column in COLUMNS:
            batch.add_column(column.copy())


def downgrade() -> None:
    with op.batch_alter_table("replies") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column.name)
