"""suggestions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

`factbase suggest` reads claims out of a document; each one waits here for a reviewer,
who accepts it (it becomes a claim, linked by claim_id) or rejects it with a reason.
The unique (document_id, fingerprint) pair is what keeps a re-run from proposing a
decided suggestion again. A new table only: downgrading drops the queue and its
decisions, and the claims accepted from it stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PRECISIONS = "'day', 'month', 'year', 'decade'"


def upgrade() -> None:
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("predicate", sa.String(length=200), nullable=False),
        sa.Column("object", sa.String(length=300), nullable=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("time_raw", sa.String(length=200), nullable=True),
        sa.Column("time_earliest", sa.Date(), nullable=True),
        sa.Column("time_latest", sa.Date(), nullable=True),
        sa.Column("time_precision", sa.String(length=10), nullable=True),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("modality", sa.String(length=10), nullable=False),
        sa.Column("attributed_to", sa.String(length=300), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("new_entities", sa.JSON(), nullable=False),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "status IN ('suggested', 'accepted', 'rejected')", name=op.f("ck_suggestions_status")
        ),
        sa.CheckConstraint(
            "modality IN ('asserted', 'reported', 'hedged', 'planned')",
            name=op.f("ck_suggestions_modality"),
        ),
        sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f("ck_suggestions_offsets")),
        sa.CheckConstraint(
            f"time_precision IS NULL OR time_precision IN ({_PRECISIONS})",
            name=op.f("ck_suggestions_time_precision"),
        ),
        sa.CheckConstraint(
            "status <> 'accepted' OR claim_id IS NOT NULL",
            name=op.f("ck_suggestions_accepted_claim"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_suggestions_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_suggestions_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint(
            "document_id", "fingerprint", name=op.f("uq_suggestions_document_id_fingerprint")
        ),
    )
    op.create_index(op.f("ix_suggestions_claim_id"), "suggestions", ["claim_id"], unique=False)
    op.create_index(
        "ix_suggestions_status_document", "suggestions", ["status", "document_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_suggestions_status_document", table_name="suggestions")
    op.drop_index(op.f("ix_suggestions_claim_id"), table_name="suggestions")
    op.drop_table("suggestions")
