"""SQLAlchemy models: the relational shape of the fact base (DESIGN.md §2).

Every constraint is named through the metadata naming convention so that
Alembic batch mode on SQLite can recreate tables without losing CHECKs, and
so that migrations and models compare cleanly on both dialects.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PRECISIONS = ("day", "month", "year", "decade")
DATE_SOURCES = ("stated", "inferred", "given")
PREDICATE_KINDS = ("event", "state", "attribute")
VALUE_TYPES = ("entity", "string", "number", "date", "any")
POLARITIES = ("affirmed", "negated")
MODALITIES = ("asserted", "reported", "hedged", "planned")
CLAIM_STATUSES = ("active", "retracted", "superseded")
CONFLICT_STATUSES = ("open", "confirmed", "dismissed", "resolved")
SUGGESTION_STATUSES = ("suggested", "accepted", "rejected")


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL for `column IN (...)`, used by the named CHECK constraints."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Publication(Base):
    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    publisher: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(50))
    url: Mapped[str | None] = mapped_column(String(1000))

    documents: Mapped[list[Document]] = relationship(back_populates="publication")


class Document(Base):
    """One version of a source text; the text never changes in place."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("slug", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(_in("date_precision", PRECISIONS[:3]), name="date_precision"),
        CheckConstraint(_in("date_source", DATE_SOURCES), name="date_source"),
        CheckConstraint(
            "(date IS NULL) = (date_precision IS NULL AND date_source IS NULL)",
            name="date_complete",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"), index=True)
    volume: Mapped[str | None] = mapped_column(String(50))
    issue: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(1000))
    authors: Mapped[str | None] = mapped_column(String(1000))
    date: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_source: Mapped[str | None] = mapped_column(String(10))
    date_note: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))
    source_path: Mapped[str | None] = mapped_column(String(2000))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)

    publication: Mapped[Publication | None] = relationship(back_populates="documents")
    supersedes: Mapped[Document | None] = relationship(remote_side=[id])


class Span(Base):
    """A W3C TextQuoteSelector + TextPositionSelector pair over one document."""

    __tablename__ = "spans"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end"),
        CheckConstraint('start >= 0 AND "end" > start', name="offsets"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(32))
    suffix: Mapped[str] = mapped_column(String(32))

    document: Mapped[Document] = relationship()


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str | None] = mapped_column(String(50))
    external_id: Mapped[str | None] = mapped_column(String(100))

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityAlias.id"
    )


class EntityAlias(Base):
    """An alias; `key` is its case-folded form, unique across all entities."""

    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Predicate(Base):
    __tablename__ = "predicates"
    __table_args__ = (
        CheckConstraint(_in("kind", PREDICATE_KINDS), name="kind"),
        CheckConstraint(_in("value_type", VALUE_TYPES), name="value_type"),
        CheckConstraint("tolerance IS NULL OR tolerance >= 0", name="tolerance"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    single_valued: Mapped[bool] = mapped_column(default=False)
    value_type: Mapped[str] = mapped_column(String(10), default="any")
    tolerance: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)

    aliases: Mapped[list[PredicateAlias]] = relationship(
        back_populates="predicate", cascade="all, delete-orphan", order_by="PredicateAlias.id"
    )


class PredicateAlias(Base):
    __tablename__ = "predicate_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    predicate_id: Mapped[int] = mapped_column(ForeignKey("predicates.id"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), unique=True)

    predicate: Mapped[Predicate] = relationship(back_populates="aliases")


class PredicateConflict(Base):
    """A pair of predicates declared mutually exclusive (stored once, lower id first)."""

    __tablename__ = "predicate_conflicts"
    __table_args__ = (
        UniqueConstraint("predicate_a_id", "predicate_b_id"),
        CheckConstraint("predicate_a_id < predicate_b_id", name="ordered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    predicate_a_id: Mapped[int] = mapped_column(ForeignKey("predicates.id"))
    predicate_b_id: Mapped[int] = mapped_column(ForeignKey("predicates.id"), index=True)


class Claim(Base):
    """An atomic statement; (subject_id, predicate_id) is the conflict-check block."""

    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_block", "subject_id", "predicate_id"),
        Index("ix_claims_predicate_id_id", "predicate_id", "id"),  # listings in id order
        CheckConstraint(_in("polarity", POLARITIES), name="polarity"),
        CheckConstraint(_in("modality", MODALITIES), name="modality"),
        CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
        CheckConstraint(
            "object_id IS NULL OR (value_text IS NULL AND value_number IS NULL"
            " AND value_date IS NULL)",
            name="object_or_value",
        ),
        CheckConstraint(
            "(time_earliest IS NULL) = (time_latest IS NULL)"
            " AND (time_earliest IS NULL OR time_earliest <= time_latest)",
            name="time_interval",
        ),
        CheckConstraint(
            f"time_precision IS NULL OR {_in('time_precision', PRECISIONS)}",
            name="time_precision",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    predicate_id: Mapped[int] = mapped_column(ForeignKey("predicates.id"))
    object_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    value_text: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float)
    value_unit: Mapped[str | None] = mapped_column(String(50))
    value_date: Mapped[date | None] = mapped_column(Date)
    polarity: Mapped[str] = mapped_column(String(10), default="affirmed")
    modality: Mapped[str] = mapped_column(String(10), default="asserted")
    attributed_to_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    time_raw: Mapped[str | None] = mapped_column(String(200))
    time_earliest: Mapped[date | None] = mapped_column(Date)
    time_latest: Mapped[date | None] = mapped_column(Date)
    time_precision: Mapped[str | None] = mapped_column(String(10))
    time_anchor: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="active")
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))

    subject: Mapped[Entity] = relationship(foreign_keys=[subject_id])
    predicate: Mapped[Predicate] = relationship()
    object: Mapped[Entity | None] = relationship(foreign_keys=[object_id])
    attributed_to: Mapped[Entity | None] = relationship(foreign_keys=[attributed_to_id])
    spans: Mapped[list[Span]] = relationship(secondary="claim_spans", order_by="Span.id")


class ClaimSpan(Base):
    __tablename__ = "claim_spans"
    __table_args__ = (UniqueConstraint("claim_id", "span_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    span_id: Mapped[int] = mapped_column(ForeignKey("spans.id"), index=True)


class Conflict(Base):
    """Two claims that cannot both hold; identity is (claim_a, claim_b, rule)."""

    __tablename__ = "conflicts"
    __table_args__ = (
        UniqueConstraint("claim_a_id", "claim_b_id", "rule"),
        CheckConstraint("claim_a_id < claim_b_id", name="ordered"),
        CheckConstraint(_in("status", CONFLICT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    rule: Mapped[str] = mapped_column(String(30))
    explanation: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(10), default="open")
    reason: Mapped[str | None] = mapped_column(Text)
    detected_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))


class CorroboratedClaim(Base):
    """A claim that another claim in an independent document corroborates (written by the
    conflict check), with its group: the lowest id among the corroborated claims of its
    subject, predicate, value and polarity. Its partners are the claims of its group that
    ``rules.corroborates`` accepts, so a fact restated in n documents costs n rows."""

    __tablename__ = "corroborated_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    group_id: Mapped[int] = mapped_column(Integer, index=True)
    detected_at: Mapped[datetime] = mapped_column(DateTime)


class SourceTrust(Base):
    """A source's TruthFinder trust as of the last `factbase check`.

    Stored so that a claim's confidence comes from its own slot and these numbers
    (sources.claim_confidence) instead of truth discovery over the whole base per listing.
    A source is a publication, or a document that has none (exactly one of the two).
    """

    __tablename__ = "source_trust"
    __table_args__ = (
        CheckConstraint("(publication_id IS NULL) <> (document_id IS NULL)", name="one_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"), unique=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), unique=True)
    trust: Mapped[float] = mapped_column(Float)
    # A publication's active and corroborated claims at that check, for the desk's screens
    # (sources.stored_source_report); None for a document source or before revision 0010.
    claims: Mapped[int | None] = mapped_column(Integer)
    corroborated: Mapped[int | None] = mapped_column(Integer)
    checked_at: Mapped[datetime] = mapped_column(DateTime)


class Suggestion(Base):
    """A claim `suggest` read in a document, waiting for a reviewer (or decided).

    Names rather than ids for subject, predicate, object and attributed_to: a suggestion
    may propose entities that do not exist yet (`new_entities`), which `accept` creates.
    `fingerprint` identifies what is proposed (span, roles, value, polarity), so running
    `suggest` again neither re-proposes a decided suggestion nor duplicates a pending one.
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint("document_id", "fingerprint"),
        Index("ix_suggestions_status_document", "status", "document_id"),
        CheckConstraint(_in("status", SUGGESTION_STATUSES), name="status"),
        CheckConstraint(_in("modality", MODALITIES), name="modality"),
        CheckConstraint('start >= 0 AND "end" > start', name="offsets"),
        CheckConstraint(
            f"time_precision IS NULL OR {_in('time_precision', PRECISIONS)}",
            name="time_precision",
        ),
        CheckConstraint("status <> 'accepted' OR claim_id IS NOT NULL", name="accepted_claim"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(300))
    predicate: Mapped[str] = mapped_column(String(200))
    object: Mapped[str | None] = mapped_column(String(300))
    value: Mapped[str | float | None] = mapped_column(JSON)
    unit: Mapped[str | None] = mapped_column(String(50))
    time_raw: Mapped[str | None] = mapped_column(String(200))
    time_earliest: Mapped[date | None] = mapped_column(Date)
    time_latest: Mapped[date | None] = mapped_column(Date)
    time_precision: Mapped[str | None] = mapped_column(String(10))
    negated: Mapped[bool] = mapped_column(default=False)
    modality: Mapped[str] = mapped_column(String(10), default="asserted")
    attributed_to: Mapped[str | None] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    new_entities: Mapped[list] = mapped_column(JSON)
    alternatives: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="suggested")
    reason: Mapped[str | None] = mapped_column(Text)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))

    document: Mapped[Document] = relationship()


class Event(Base):
    """Append-only audit log: who changed what, when, before and after."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_target", "target", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
