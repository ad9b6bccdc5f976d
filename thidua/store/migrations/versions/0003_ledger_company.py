"""The ledger notes whether a mail's attempt began behind others still in flight.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("mail_ledger") as batch:
        batch.add_column(sa.Column("behind_others", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("mail_ledger") as batch:
        batch.drop_column("behind_others")
