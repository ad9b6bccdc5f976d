"""Evidence reviews of nominees, selections for award forms, and the per-round row locked while
a selection is checked against the awards' caps. Every table carries the office.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-06
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "nominee_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("nominee_id", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewed_by", sa.Text(), nullable=False),
        _when("reviewed_at"),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["nominee_id"], ["nominees.id"], name="fk_nominee_reviews_nominee_id_nominees", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["carried_from"],
            ["nominees.id"],
            name="fk_nominee_reviews_carried_from_nominees",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_nominee_reviews"),
    )
    op.create_index("ix_nominee_reviews_office_nominee_id", "nominee_reviews", ["office", "nominee_id"])

    op.create_table(
        "nominee_selections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("nominee_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("award_id", sa.Text(), nullable=False),
        sa.Column("selected_by", sa.Text(), nullable=False),
        _when("selected_at"),
        sa.ForeignKeyConstraint(
            ["nominee_id"],
            ["nominees.id"],
            name="fk_nominee_selections_nominee_id_nominees",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_nominee_selections"),
        sa.UniqueConstraint("office", "nominee_id", name="uq_nominee_selections_office_nominee_id"),
    )
    op.create_index(
        "ix_nominee_selections_office_round_id_award_id",
        "nominee_selections",
        ["office", "round_id", "award_id"],
    )

    op.create_table(
        "selection_rounds",
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.Text(), nullable=False),
        _when("changed_at"),
        sa.PrimaryKeyConstraint("office", "round_id", name="pk_selection_rounds"),
    )


def downgrade() -> None:
    for table in ("selection_rounds", "nominee_selections", "nominee_reviews"):
        op.drop_table(table)
