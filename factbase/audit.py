"""The append-only audit log: every change to the base records who, when and what."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Event
from .store import current_user


def now() -> datetime:
    """UTC wall time without tzinfo: both backends store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def record(
    session: Session,
    action: str,
    target: str,
    target_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    """Append one event in the caller's transaction, so it lands only if the change does."""
    session.add(
        Event(
            at=now(),
            actor=actor or current_user(),
            action=action,
            target=target,
            target_id=target_id,
            before=before,
            after=after,
        )
    )


def history(session: Session, target: str, target_id: int) -> list[dict[str, Any]]:
    """A row's audit events, oldest first, each naming the top-level fields it changed."""
    events = session.scalars(
        select(Event).where(Event.target == target, Event.target_id == target_id).order_by(Event.id)
    )
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "changed": _changed(e.before, e.after),
            "before": e.before,
            "after": e.after,
        }
        for e in events
    ]


def _changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
