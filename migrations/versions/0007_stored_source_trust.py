"""stored source trust

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

`claim show` and `claim list --json` gave each claim's confidence by running truth
discovery over the whole base on every call. `factbase check` now stores each source's
TruthFinder trust here, and a claim's confidence is computed from its own slot with it.
A new table rather than columns on publications: documents without a publication are
sources too, and no existing table is recreated. Downgrading drops the numbers, which
the next check recomputes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_trust",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("trust", sa.Float(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(publication_id IS NULL) <> (document_id IS NULL)",
            name=op.f("ck_source_trust_one_source"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_source_trust_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_source_trust_publication_id_publications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_trust")),
        sa.UniqueConstraint("document_id", name=op.f("uq_source_trust_document_id")),
        sa.UniqueConstraint("publication_id", name=op.f("uq_source_trust_publication_id")),
    )


def downgrade() -> None:
    op.drop_table("source_trust")
