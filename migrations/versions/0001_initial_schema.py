"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Every table of DESIGN.md §2, plus full-text search over claims.text: an FTS5
external-content table kept in sync by triggers on SQLite (quoted content="claims"
so Datasette detects it), a GIN expression index on PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SQLITE_FTS = [
    'CREATE VIRTUAL TABLE claims_fts USING fts5(text, content="claims", content_rowid="id")',
    "CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN"
    " INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN"
    " INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claims_fts_au AFTER UPDATE OF text ON claims BEGIN"
    " INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END",
]
POSTGRES_FTS = [
    "CREATE INDEX ix_claims_fts ON claims USING gin (to_tsvector('english', text))",
]


def create_fulltext() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS:
        op.execute(statement)


def drop_fulltext() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("claims_fts_ai", "claims_fts_ad", "claims_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claims_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_claims_fts")


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("name", name=op.f("uq_entities_name")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("target", sa.String(length=50), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_target", ["target", "target_id"], unique=False)

    op.create_table(
        "predicates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("single_valued", sa.Boolean(), nullable=False),
        sa.Column("value_type", sa.String(length=10), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('event', 'state', 'attribute')", name=op.f("ck_predicates_kind")
        ),
        sa.CheckConstraint(
            "value_type IN ('entity', 'string', 'number', 'date')",
            name=op.f("ck_predicates_value_type"),
        ),
        sa.CheckConstraint(
            "tolerance IS NULL OR tolerance >= 0", name=op.f("ck_predicates_tolerance")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predicates")),
        sa.UniqueConstraint("name", name=op.f("uq_predicates_name")),
    )
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=50), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
        sa.UniqueConstraint("name", name=op.f("uq_publications_name")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("predicate_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("value_unit", sa.String(length=50), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("modality", sa.String(length=10), nullable=False),
        sa.Column("attributed_to_id", sa.Integer(), nullable=True),
        sa.Column("time_raw", sa.String(length=200), nullable=True),
        sa.Column("time_earliest", sa.Date(), nullable=True),
        sa.Column("time_latest", sa.Date(), nullable=True),
        sa.Column("time_precision", sa.String(length=10), nullable=True),
        sa.Column("time_anchor", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "modality IN ('asserted', 'reported', 'hedged', 'planned')",
            name=op.f("ck_claims_modality"),
        ),
        sa.CheckConstraint("polarity IN ('affirmed', 'negated')", name=op.f("ck_claims_polarity")),
        sa.CheckConstraint(
            "status IN ('active', 'retracted', 'superseded')", name=op.f("ck_claims_status")
        ),
        sa.CheckConstraint(
            "time_precision IS NULL OR time_precision IN ('day', 'month', 'year', 'decade')",
            name=op.f("ck_claims_time_precision"),
        ),
        sa.CheckConstraint(
            "(time_earliest IS NULL) = (time_latest IS NULL)"
            " AND (time_earliest IS NULL OR time_earliest <= time_latest)",
            name=op.f("ck_claims_time_interval"),
        ),
        sa.CheckConstraint(
            "object_id IS NULL OR (value_text IS NULL AND value_number IS NULL"
            " AND value_date IS NULL)",
            name=op.f("ck_claims_object_or_value"),
        ),
        sa.ForeignKeyConstraint(
            ["attributed_to_id"], ["entities.id"], name=op.f("fk_claims_attributed_to_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["object_id"], ["entities.id"], name=op.f("fk_claims_object_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["predicate_id"], ["predicates.id"], name=op.f("fk_claims_predicate_id_predicates")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["entities.id"], name=op.f("fk_claims_subject_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_block", ["subject_id", "predicate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_object_id"), ["object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_predicate_id"), ["predicate_id"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("volume", sa.String(length=50), nullable=True),
        sa.Column("issue", sa.String(length=50), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.Column("authors", sa.String(length=1000), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=10), nullable=True),
        sa.Column("date_source", sa.String(length=10), nullable=True),
        sa.Column("date_note", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("source_path", sa.String(length=2000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "date_precision IN ('day', 'month', 'year')", name=op.f("ck_documents_date_precision")
        ),
        sa.CheckConstraint(
            "date_source IN ('stated', 'inferred', 'given')", name=op.f("ck_documents_date_source")
        ),
        sa.CheckConstraint(
            "(date IS NULL) = (date_precision IS NULL AND date_source IS NULL)",
            name=op.f("ck_documents_date_complete"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_documents_version_positive")),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_documents_publication_id_publications"),
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["documents.id"], name=op.f("fk_documents_supersedes_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("slug", "version", name=op.f("uq_documents_slug_version")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_publication_id"), ["publication_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_documents_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_slug"), ["slug"], unique=False)

    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_entity_aliases_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_aliases")),
        sa.UniqueConstraint("key", name=op.f("uq_entity_aliases_key")),
    )
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_aliases_entity_id"), ["entity_id"], unique=False
        )

    op.create_table(
        "predicate_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predicate_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["predicate_id"],
            ["predicates.id"],
            name=op.f("fk_predicate_aliases_predicate_id_predicates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predicate_aliases")),
        sa.UniqueConstraint("key", name=op.f("uq_predicate_aliases_key")),
    )
    with op.batch_alter_table("predicate_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_predicate_aliases_predicate_id"), ["predicate_id"], unique=False
        )

    op.create_table(
        "predicate_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predicate_a_id", sa.Integer(), nullable=False),
        sa.Column("predicate_b_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "predicate_a_id < predicate_b_id", name=op.f("ck_predicate_conflicts_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["predicate_a_id"],
            ["predicates.id"],
            name=op.f("fk_predicate_conflicts_predicate_a_id_predicates"),
        ),
        sa.ForeignKeyConstraint(
            ["predicate_b_id"],
            ["predicates.id"],
            name=op.f("fk_predicate_conflicts_predicate_b_id_predicates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predicate_conflicts")),
        sa.UniqueConstraint(
            "predicate_a_id",
            "predicate_b_id",
            name=op.f("uq_predicate_conflicts_predicate_a_id_predicate_b_id"),
        ),
    )
    with op.batch_alter_table("predicate_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_predicate_conflicts_predicate_b_id"), ["predicate_b_id"], unique=False
        )

    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'confirmed', 'dismissed', 'resolved')",
            name=op.f("ck_conflicts_status"),
        ),
        sa.CheckConstraint("claim_a_id < claim_b_id", name=op.f("ck_conflicts_ordered")),
        sa.ForeignKeyConstraint(
            ["claim_a_id"], ["claims.id"], name=op.f("fk_conflicts_claim_a_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["claim_b_id"], ["claims.id"], name=op.f("fk_conflicts_claim_b_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
        sa.UniqueConstraint(
            "claim_a_id", "claim_b_id", "rule", name=op.f("uq_conflicts_claim_a_id_claim_b_id_rule")
        ),
    )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_claim_b_id"), ["claim_b_id"], unique=False)

    op.create_table(
        "spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("exact", sa.Text(), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("suffix", sa.String(length=32), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f("ck_spans_offsets")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_spans_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spans")),
        sa.UniqueConstraint(
            "document_id", "start", "end", name=op.f("uq_spans_document_id_start_end")
        ),
    )
    op.create_table(
        "claim_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("span_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_spans_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["span_id"], ["spans.id"], name=op.f("fk_claim_spans_span_id_spans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_spans")),
        sa.UniqueConstraint("claim_id", "span_id", name=op.f("uq_claim_spans_claim_id_span_id")),
    )
    with op.batch_alter_table("claim_spans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_spans_span_id"), ["span_id"], unique=False)

    create_fulltext()


def downgrade() -> None:
    drop_fulltext()
    with op.batch_alter_table("claim_spans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_spans_span_id"))

    op.drop_table("claim_spans")
    op.drop_table("spans")
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_claim_b_id"))

    op.drop_table("conflicts")
    with op.batch_alter_table("predicate_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_predicate_conflicts_predicate_b_id"))

    op.drop_table("predicate_conflicts")
    with op.batch_alter_table("predicate_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_predicate_aliases_predicate_id"))

    op.drop_table("predicate_aliases")
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_aliases_entity_id"))

    op.drop_table("entity_aliases")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_slug"))
        batch_op.drop_index(batch_op.f("ix_documents_sha256"))
        batch_op.drop_index(batch_op.f("ix_documents_publication_id"))

    op.drop_table("documents")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_predicate_id"))
        batch_op.drop_index(batch_op.f("ix_claims_object_id"))
        batch_op.drop_index("ix_claims_block")

    op.drop_table("claims")
    op.drop_table("publications")
    op.drop_table("predicates")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_target")

    op.drop_table("events")
    op.drop_table("entities")
