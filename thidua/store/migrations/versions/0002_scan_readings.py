"""Documents say whether their text was recognised by OCR, and which file a scan is the signed copy of.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-23
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("ocr", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("signed_copy_of", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("signed_copy_of")
        batch.drop_column("ocr")
