"""untyped predicates

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

DESIGN.md §4's `predicate add` has no value type, yet factbase stored every such
predicate as "entity" and then refused `--value` on it. A predicate declared without a
type is now "any": each claim's value is typed by what it gives (an object, a number
with its unit, an ISO date, else text) and the rules compare values of one kind only.
Stored predicates keep their type: "entity" may have been chosen on purpose (the seed
vocabulary does), and the old default cannot be told from it. Downgrading turns "any"
back into "entity", the old default.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = "value_type IN ('entity', 'string', 'number', 'date', 'any')"
_OLD = "value_type IN ('entity', 'string', 'number', 'date')"


def _check(condition: str) -> None:
    with op.batch_alter_table("predicates") as batch:
        batch.drop_constraint(op.f("ck_predicates_value_type"), type_="check")
        batch.create_check_constraint(op.f("ck_predicates_value_type"), condition)


def upgrade() -> None:
    _check(_NEW)


def downgrade() -> None:
    op.execute(sa.text("UPDATE predicates SET value_type = 'entity' WHERE value_type = 'any'"))
    _check(_OLD)
