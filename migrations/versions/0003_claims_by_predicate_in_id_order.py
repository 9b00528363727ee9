"""claims by predicate in id order

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

`claim list --predicate P --limit N` reads claims of one predicate in id order. On
PostgreSQL the single-column index gave them in no useful order, so a limited listing
walked the primary key and filtered thousands of rows; (predicate_id, id) lets it stop
after N. It replaces ix_claims_predicate_id, whose look-ups it serves as well.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_claims_predicate_id_id", "claims", ["predicate_id", "id"])
    op.drop_index("ix_claims_predicate_id", table_name="claims")


def downgrade() -> None:
    op.create_index("ix_claims_predicate_id", "claims", ["predicate_id"])
    op.drop_index("ix_claims_predicate_id_id", table_name="claims")
