"""source trust evidence counts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The desk's Sources and Report screens showed each publication's active and corroborated
claims by counting through every cited span per request (seconds at 100k claims, far
more at 1M). The full `factbase check` that stores a publication's trust now stores
these two counts beside it, and the screens say when the base changed since. NULL for a
document without a publication and for rows stored before this revision (until the next
check). Downgrading drops the counts; the next check after an upgrade writes them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("source_trust") as batch:
        batch.add_column(sa.Column("claims", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("corroborated", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_trust") as batch:
        batch.drop_column("corroborated")
        batch.drop_column("claims")
