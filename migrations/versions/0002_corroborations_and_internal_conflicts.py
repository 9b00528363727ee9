"""corroborations and internal conflicts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The conflict check links agreeing claims of different documents
(corroborations) and marks conflicts between claims of one document as internal.
Existing conflicts default to not internal.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "corroborations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("claim_a_id < claim_b_id", name=op.f("ck_corroborations_ordered")),
        sa.ForeignKeyConstraint(
            ["claim_a_id"], ["claims.id"], name=op.f("fk_corroborations_claim_a_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["claim_b_id"], ["claims.id"], name=op.f("fk_corroborations_claim_b_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corroborations")),
        sa.UniqueConstraint(
            "claim_a_id", "claim_b_id", name=op.f("uq_corroborations_claim_a_id_claim_b_id")
        ),
    )
    with op.batch_alter_table("corroborations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_corroborations_claim_b_id"), ["claim_b_id"], unique=False
        )

    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_column("internal")

    with op.batch_alter_table("corroborations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corroborations_claim_b_id"))

    op.drop_table("corroborations")
