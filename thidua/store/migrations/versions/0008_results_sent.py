"""The outcome of a round told to each school, once (``thidua results --send`` and the desk): the
school, when, and the reply that carried it. The table carries the office.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "results_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_name", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_results_sent_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["replies.id"], name="fk_results_sent_reply_id_replies", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_results_sent"),
        sa.UniqueConstraint(
            "office", "round_id", "school_id", name="uq_results_sent_office_round_id_school_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("results_sent")
