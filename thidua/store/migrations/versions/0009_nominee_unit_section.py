"""Nominees keep the unit a consolidated list names on their row and the section they stand under;
documents keep the people a results report names, to link it to their registrations.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-06
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("nominees") as batch:
        batch.add_column(sa.Column("unit", sa.Text(), nullable=True))
        batch.add_column(sa.Column("section", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("people", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("people")
    with op.batch_alter_table("nominees") as batch:
        batch.drop_column("section")
        batch.drop_column("unit")
