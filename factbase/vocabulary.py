"""Entities and predicates with their aliases: the base's own vocabulary.

Names resolve case-insensitively through one alias table per kind (the
canonical name is stored as an alias of itself), so "CSTO", "Collective
Security Treaty" and "collective security treaty" all reach the same entity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .errors import DuplicateName, MetadataError, UnknownEntity, UnknownPredicate
from .models import (
    PREDICATE_KINDS,
    VALUE_TYPES,
    Entity,
    EntityAlias,
    Predicate,
    PredicateAlias,
    PredicateConflict,
)

Notify = Callable[[str], None]

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def alias_key(name: str) -> str:
    """The case- and typography-insensitive form under which a name is unique."""
    return re.sub(r"\s+", " ", name.translate(_TYPOGRAPHIC)).strip().casefold()


def _clean(name: str, what: str) -> str:
    cleaned = re.sub(r"\s+", " ", name).strip()
    if not cleaned:
        raise MetadataError(f"{what} name is empty")
    return cleaned


def suggest(name: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The closest known names, for "did you mean" messages."""
    from rapidfuzz import fuzz, process

    found = process.extract(name, list(choices), scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return [choice for choice, _score, _index in found]


def _did_you_mean(names: list[str]) -> str:
    return f"; did you mean {', '.join(repr(n) for n in names)}?" if names else ""


# Entities ------------------------------------------------------------------


def find_entity(session: Session, name: str) -> Entity | None:
    return session.scalar(
        select(Entity).join(EntityAlias).where(EntityAlias.key == alias_key(name))
    )


def get_entity(session: Session, name: str) -> Entity:
    entity = find_entity(session, name)
    if entity is None:
        known = session.scalars(select(EntityAlias.alias)).all()
        raise UnknownEntity(f"unknown entity {name!r}{_did_you_mean(suggest(name, known))}")
    return entity


def _add_entity_alias(session: Session, entity: Entity, alias: str) -> bool:
    """Attach `alias` to `entity`; False if it already has it, error if another entity does."""
    alias = _clean(alias, "alias")
    owner = find_entity(session, alias)
    if owner is entity:
        return False
    if owner is not None:
        raise DuplicateName(f"alias {alias!r} already names entity {owner.name!r}")
    entity.aliases.append(EntityAlias(alias=alias, key=alias_key(alias)))
    session.flush()
    return True


def add_entity(
    session: Session,
    name: str,
    kind: str | None = None,
    aliases: Iterable[str] = (),
    external_id: str | None = None,
    notify: Notify | None = None,
) -> Entity:
    """Create an entity, or add aliases (and a missing kind) to the one of that name."""
    name = _clean(name, "entity")
    entity = find_entity(session, name)
    if entity is not None and alias_key(entity.name) != alias_key(name):
        raise DuplicateName(f"{name!r} is already an alias of entity {entity.name!r}")
    before = None if entity is None else entity_dict(entity)
    if entity is None:
        entity = Entity(name=name, kind=kind, external_id=external_id)
        session.add(entity)
        session.flush()
        _add_entity_alias(session, entity, name)
        audit.record(session, "create", "entity", entity.id, after=entity_dict(entity))
    else:
        entity.kind = entity.kind or kind
        entity.external_id = entity.external_id or external_id
    added = [alias for alias in aliases if _add_entity_alias(session, entity, alias)]
    if before is None and notify:  # only once its aliases are in: a taken one undoes it all
        notify(f"created entity {name!r}")
    if added and notify:
        notify(f"entity {entity.name!r}: added alias {', '.join(repr(a) for a in added)}")
    if before is not None and before != entity_dict(entity):
        audit.record(
            session, "update", "entity", entity.id, before=before, after=entity_dict(entity)
        )
    return entity


def entity_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "external_id": entity.external_id,
        "aliases": [a.alias for a in entity.aliases if a.key != alias_key(entity.name)],
    }


def list_entities(session: Session, kind: str | None = None) -> list[Entity]:
    query = select(Entity).order_by(Entity.name)
    if kind:
        query = query.where(Entity.kind == kind)
    return list(session.scalars(query))


# Predicates ----------------------------------------------------------------


def find_predicate(session: Session, name: str) -> Predicate | None:
    return session.scalar(
        select(Predicate).join(PredicateAlias).where(PredicateAlias.key == alias_key(name))
    )


def get_predicate(session: Session, name: str) -> Predicate:
    predicate = find_predicate(session, name)
    if predicate is None:
        known = session.scalars(select(PredicateAlias.alias)).all()
        raise UnknownPredicate(
            f"unknown predicate {name!r}{_did_you_mean(suggest(name, known))}"
            " (add it with `factbase predicate add`)"
        )
    return predicate


def _add_predicate_alias(session: Session, predicate: Predicate, alias: str) -> bool:
    alias = _clean(alias, "alias")
    owner = find_predicate(session, alias)
    if owner is predicate:
        return False
    if owner is not None:
        raise DuplicateName(f"alias {alias!r} already names predicate {owner.name!r}")
    predicate.aliases.append(PredicateAlias(alias=alias, key=alias_key(alias)))
    session.flush()
    return True


def add_predicate(
    session: Session,
    name: str,
    kind: str,
    single_valued: bool = False,
    value_type: str = "entity",
    tolerance: float | None = None,
    aliases: Iterable[str] = (),
    conflicts_with: Iterable[str] = (),
    description: str | None = None,
) -> Predicate:
    """Declare a predicate; exclusive partners must already exist."""
    name = _clean(name, "predicate")
    if kind not in PREDICATE_KINDS:
        raise MetadataError(f"predicate kind must be one of {', '.join(PREDICATE_KINDS)}: {kind!r}")
    if value_type not in VALUE_TYPES:
        raise MetadataError(
            f"predicate value type must be one of {', '.join(VALUE_TYPES)}: {value_type!r}"
        )
    if tolerance is not None and tolerance < 0:
        raise MetadataError(f"tolerance must be zero or more: {tolerance}")
    if find_predicate(session, name) is not None:
        raise DuplicateName(f"predicate {name!r} already exists")
    predicate = Predicate(
        name=name,
        kind=kind,
        single_valued=single_valued,
        value_type=value_type,
        tolerance=tolerance,
        description=description,
    )
    session.add(predicate)
    session.flush()
    for alias in [name, *aliases]:
        _add_predicate_alias(session, predicate, alias)
    partners = {get_predicate(session, other_name) for other_name in conflicts_with}
    if predicate in partners:
        raise MetadataError(f"predicate {name!r} cannot exclude itself")
    for other in sorted(partners, key=lambda p: p.id):
        low, high = sorted((predicate.id, other.id))
        session.add(PredicateConflict(predicate_a_id=low, predicate_b_id=high))
    session.flush()
    audit.record(
        session, "create", "predicate", predicate.id, after=predicate_dict(session, predicate)
    )
    return predicate


def exclusive_with(session: Session, predicate: Predicate) -> list[Predicate]:
    pairs = session.execute(
        select(PredicateConflict.predicate_a_id, PredicateConflict.predicate_b_id).where(
            (PredicateConflict.predicate_a_id == predicate.id)
            | (PredicateConflict.predicate_b_id == predicate.id)
        )
    ).all()
    ids = [b if a == predicate.id else a for a, b in pairs]
    if not ids:
        return []
    return list(session.scalars(select(Predicate).where(Predicate.id.in_(ids))))


def predicate_dict(session: Session, predicate: Predicate) -> dict[str, Any]:
    return {
        "id": predicate.id,
        "name": predicate.name,
        "kind": predicate.kind,
        "single_valued": predicate.single_valued,
        "value_type": predicate.value_type,
        "tolerance": predicate.tolerance,
        "description": predicate.description,
        "aliases": [a.alias for a in predicate.aliases if a.key != alias_key(predicate.name)],
        "conflicts_with": sorted(p.name for p in exclusive_with(session, predicate)),
    }


def list_predicates(session: Session) -> list[Predicate]:
    return list(session.scalars(select(Predicate).order_by(Predicate.name)))


# Vocabulary files ------------------------------------------------------------

_ENTITY_KEYS = {"name", "kind", "aliases", "external_id"}
_PREDICATE_KEYS = {
    "name",
    "kind",
    "single_valued",
    "value_type",
    "tolerance",
    "aliases",
    "conflicts_with",
    "description",
}


def load_vocabulary(session: Session, data: Any, source: str = "vocabulary") -> tuple[int, int]:
    """Load `{entities: [...], predicates: [...]}`; exclusive pairs may point forward."""
    if not isinstance(data, dict) or set(data) - {"entities", "predicates"}:
        raise MetadataError(f"{source}: expected a mapping with 'entities' and 'predicates'")
    entities = data.get("entities") or []
    predicates = data.get("predicates") or []
    for key, items in (("entities", entities), ("predicates", predicates)):
        if not isinstance(items, list):
            raise MetadataError(f"{source}: {key!r} must be a list")
    for item in entities:
        _check_keys(item, _ENTITY_KEYS, source)
        add_entity(
            session,
            item["name"],
            kind=item.get("kind"),
            aliases=item.get("aliases") or [],
            external_id=item.get("external_id"),
        )
    for item in predicates:
        _check_keys(item, _PREDICATE_KEYS, source)
        add_predicate(
            session,
            item["name"],
            kind=item.get("kind", ""),
            single_valued=bool(item.get("single_valued", False)),
            value_type=item.get("value_type", "entity"),
            tolerance=item.get("tolerance"),
            aliases=item.get("aliases") or [],
            description=item.get("description"),
        )
    for item in predicates:
        for other in item.get("conflicts_with") or []:
            a, b = get_predicate(session, item["name"]), get_predicate(session, other)
            if a is b:
                raise MetadataError(f"{source}: predicate {item['name']!r} cannot exclude itself")
            low, high = sorted((a.id, b.id))
            exists = session.scalar(
                select(PredicateConflict.id).where(
                    PredicateConflict.predicate_a_id == low,
                    PredicateConflict.predicate_b_id == high,
                )
            )
            if exists is None:
                session.add(PredicateConflict(predicate_a_id=low, predicate_b_id=high))
    session.flush()
    return len(entities), len(predicates)


def _check_keys(item: Any, allowed: set[str], source: str) -> None:
    if not isinstance(item, dict) or "name" not in item:
        raise MetadataError(f"{source}: every entry needs a 'name': {item!r}")
    unknown = set(item) - allowed
    if unknown:
        raise MetadataError(f"{source}: {item['name']!r} has unknown keys {sorted(unknown)}")
    for key, value in item.items():
        expected = _type_problem(key, value)
        if expected:
            raise MetadataError(f"{source}: {item['name']!r}: {key} must be {expected}: {value!r}")


def _type_problem(key: str, value: Any) -> str | None:
    """What `value` should have been, or None when it fits (a string is not a list)."""
    if value is None:
        return None
    if key in {"aliases", "conflicts_with"}:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "a list of strings"
    if key == "single_valued":
        return None if isinstance(value, bool) else "true or false"
    if key == "tolerance":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "a number"
    return None if isinstance(value, str) else "a string"
