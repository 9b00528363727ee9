"""corroboration groups

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

`corroborations` held one row per agreeing pair: a fact restated in n documents cost
n(n−1)/2 rows (876,395 for the 1M-claim benchmark base), and writing them was most of a
check on PostgreSQL. `corroborated_claims` holds one row per corroborated claim with its
group (the lowest id among the corroborated claims of its subject, predicate, value key and
polarity); a claim's partners are the members of its group that `rules.corroborates`
accepts. Both directions convert the stored rows through the rules (value keys up, the pair
rule down), so that up and down give what a check would have stored.
"""

from collections.abc import Iterator, Sequence
from itertools import combinations
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FACTS = sa.text(
    "SELECT c.id, c.subject_id, c.predicate_id, c.object_id, c.value_text, c.value_number,"
    " c.value_unit, c.value_date, c.polarity, c.time_earliest, c.time_latest, s.document_id"
    " FROM claims c JOIN claim_spans cs ON cs.claim_id = c.id JOIN spans s ON s.id = cs.span_id"
    " WHERE c.id IN :ids ORDER BY c.id"
).bindparams(sa.bindparam("ids", expanding=True))
_FACTS = _FACTS.columns(value_date=sa.Date, time_earliest=sa.Date, time_latest=sa.Date)
_CHUNK = 5_000


def _facts(connection: sa.Connection, ids: Sequence[int]) -> Iterator[Any]:
    """The rules' ClaimFacts of the claims `ids` (whatever their status)."""
    from factbase.rules import ClaimFacts

    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        rows = connection.execute(_FACTS, {"ids": wanted[start : start + _CHUNK]}).all()
        current: list[Any] = []
        for row in [*rows, None]:
            if current and (row is None or row[0] != current[0][0]):
                first = current[0]
                yield ClaimFacts(
                    *first[:8],
                    first[8] == "negated",
                    first[9],
                    first[10],
                    frozenset(r[11] for r in current),
                )
                current = []
            if row is not None:
                current.append(row)


def _create_pairs_table() -> None:
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


def upgrade() -> None:
    groups = op.create_table(
        "corroborated_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_corroborated_claims_claim_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corroborated_claims")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_corroborated_claims_claim_id")),
    )
    with op.batch_alter_table("corroborated_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_corroborated_claims_group_id"), ["group_id"], unique=False
        )
    connection = op.get_bind()
    pairs = sa.table(
        "corroborations",
        sa.column("claim_a_id", sa.Integer),
        sa.column("claim_b_id", sa.Integer),
        sa.column("detected_at", sa.DateTime),
    )
    detected: dict[int, Any] = {}
    for a, b, at in connection.execute(sa.select(pairs)):
        for claim_id in (a, b):
            detected[claim_id] = min(at, detected.get(claim_id, at))
    classes: dict[tuple[Any, ...], list[int]] = {}
    for claim in _facts(connection, list(detected)):
        key = (claim.subject, claim.predicate, claim.key, claim.negated)
        classes.setdefault(key, []).append(claim.id)
    group = {claim_id: min(ids) for ids in classes.values() for claim_id in ids}
    rows = [
        {"claim_id": claim_id, "group_id": group[claim_id], "detected_at": detected[claim_id]}
        for claim_id in sorted(group)
    ]
    for start in range(0, len(rows), _CHUNK):
        connection.execute(sa.insert(groups), rows[start : start + _CHUNK])
    with op.batch_alter_table("corroborations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corroborations_claim_b_id"))
    op.drop_table("corroborations")


def downgrade() -> None:
    from factbase.rules import corroborates

    _create_pairs_table()
    connection = op.get_bind()
    members = sa.table(
        "corroborated_claims",
        sa.column("claim_id", sa.Integer),
        sa.column("group_id", sa.Integer),
        sa.column("detected_at", sa.DateTime),
    )
    tolerance = dict(connection.execute(sa.text("SELECT id, tolerance FROM predicates")).all())
    grouped: dict[int, list[int]] = {}
    detected: dict[int, Any] = {}
    for claim_id, group_id, at in connection.execute(sa.select(members)):
        grouped.setdefault(group_id, []).append(claim_id)
        detected[claim_id] = at
    facts = {claim.id: claim for claim in _facts(connection, list(detected))}
    found = sorted(
        (min(x, y), max(x, y))
        for ids in grouped.values()
        for x, y in combinations(ids, 2)
        if x in facts
        and y in facts
        and corroborates(facts[x], facts[y], tolerance[facts[x].predicate])
    )
    table = sa.table(
        "corroborations",
        sa.column("claim_a_id", sa.Integer),
        sa.column("claim_b_id", sa.Integer),
        sa.column("detected_at", sa.DateTime),
    )
    rows = [
        {"claim_a_id": a, "claim_b_id": b, "detected_at": max(detected[a], detected[b])}
        for a, b in found
    ]
    for start in range(0, len(rows), _CHUNK):
        connection.execute(sa.insert(table), rows[start : start + _CHUNK])
    with op.batch_alter_table("corroborated_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corroborated_claims_group_id"))
    op.drop_table("corroborated_claims")
