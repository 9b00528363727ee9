"""Entities and predicates with their aliases: the base's own vocabulary.

Names resolve case-insensitively through one alias table per kind (the
canonical name is stored as an alias of itself), so "CSTO", "Collective
Security Treaty" and "collective security treaty" all reach the same entity.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
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
from .reading.demonyms import country_of_demonym
from .reading.lemmas import tokens as reading_tokens
from .reading.mentions import TITLES, EntityName, PredicateName, Vocabulary

Notify = Callable[[str], None]

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def clean_name(name: str) -> str:
    """A name as it is stored: NFC, no control or zero-width characters, single spaces.

    Names are pasted from web pages and PDFs, which carry zero-width spaces, soft hyphens,
    bidi marks and decomposed accents; stored as typed they would make two entities of one
    name ("Uzbek\u200bistan") that no user can tell apart.
    """
    kept = "".join(
        " " if char.isspace() else char
        for char in unicodedata.normalize("NFC", name)
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf"}
    )
    return " ".join(kept.split())


def alias_key(name: str) -> str:
    """The case- and typography-insensitive form under which a name is unique."""
    return clean_name(name.translate(_TYPOGRAPHIC)).casefold()


def checked_name(name: str, what: str) -> str:
    """The cleaned name, or an error naming `what` when nothing is left of it."""
    cleaned = clean_name(name)
    if not cleaned:
        raise MetadataError(f"{what} name is empty")
    return cleaned


# How close (rapidfuzz ratio, 0-100, case-folded) a new name must be to a known one for
# the notice to suggest merging them. Typos score high ("Harlow Brige" / "Harlow Bridge"
# 96, "Putn" / "Putin" 89), but so do some different names ("Prussia" / "Russia" 92,
# "Sergei Ivashov" / "Sergei Ivanov" 89): the notice only asks, the user decides.
CLOSE_NAME_SCORE = 85


def close_names(
    session: Session, names: Iterable[str], exclude: Iterable[int] = ()
) -> dict[str, tuple[str, str]]:
    """For each name, the closest known alias and its entity's name, when they are close.

    Compares with every alias, so callers ask only for a handful of names (the ones a
    command just created), never for a bulk import's thousands.
    """
    from rapidfuzz import fuzz, process, utils

    skip = set(exclude)
    known = [
        (alias, entity)
        for alias, entity, entity_id in session.execute(
            select(EntityAlias.alias, Entity.name, Entity.id).join(Entity)
        )
        if entity_id not in skip
    ]
    found: dict[str, tuple[str, str]] = {}
    for name in names:
        best = process.extractOne(
            name,
            [alias for alias, _entity in known],
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=CLOSE_NAME_SCORE,
        )
        if best is not None:
            found[name] = known[best[2]]
    return found


def created_notice(name: str, close: tuple[str, str] | None) -> str:
    """ "created entity 'X'", with the merge command when a known name is close to it."""
    if close is None:
        return f"created entity {name!r}"
    alias, entity = close
    near = repr(alias) if alias == entity else f"{alias!r} (an alias of {entity!r})"
    return (
        f"created entity {name!r} — close to {near}; if they are the same: "
        f"factbase entity merge {shlex.quote(name)} --into {shlex.quote(entity)}"
    )


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
    alias = checked_name(alias, "alias")
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
    name = checked_name(name, "entity")
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
        close = close_names(session, [name], exclude=[entity.id]).get(name)
        notify(created_notice(name, close))
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
    alias = checked_name(alias, "alias")
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
    value_type: str = "any",
    tolerance: float | None = None,
    aliases: Iterable[str] = (),
    conflicts_with: Iterable[str] = (),
    description: str | None = None,
) -> Predicate:
    """Declare a predicate; exclusive partners must already exist."""
    name = checked_name(name, "predicate")
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


def predicate_names(session: Session) -> list[str]:
    return list(session.scalars(select(Predicate.name).order_by(Predicate.name)))


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
            value_type=item.get("value_type", "any"),
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


def reading_vocabulary(session: Session, entities: bool = True) -> Vocabulary:
    """The base's entities (unless not wanted) and predicates as plain data for the
    reading layer. A few queries, whatever the size of the base: the reader indexes the
    names once.
    """
    if not entities:
        return Vocabulary([], _reading_predicates(session))
    aliases: dict[int, list[str]] = {}
    for entity_id, alias in session.execute(
        select(EntityAlias.entity_id, EntityAlias.alias).order_by(EntityAlias.id)
    ):
        aliases.setdefault(entity_id, []).append(alias)
    names = [
        EntityName(entity_id, name, kind, tuple(a for a in aliases.get(entity_id, ()) if a != name))
        for entity_id, name, kind in session.execute(
            select(Entity.id, Entity.name, Entity.kind).order_by(Entity.id)
        )
    ]
    return Vocabulary(names, _reading_predicates(session))


def _reading_predicates(session: Session) -> list[PredicateName]:
    phrases: dict[int, list[str]] = {}
    for predicate_id, alias in session.execute(
        select(PredicateAlias.predicate_id, PredicateAlias.alias).order_by(PredicateAlias.id)
    ):
        phrases.setdefault(predicate_id, []).append(alias)
    return [
        PredicateName(p.id, p.name, tuple(phrases.get(p.id, ())), p.value_type, p.kind)
        for p in session.scalars(select(Predicate).order_by(Predicate.id))
    ]


_MAX_NAME_WORDS = 8
_TITLE_WORDS = frozenset(alias_key(title.split()[-1]) for title in TITLES)


def text_vocabulary(session: Session, text: str) -> Vocabulary:
    """The part of the vocabulary a short text can name, for reading that text.

    Entities are looked up by the alias keys of the text's n-grams (possessive "'s"
    dropped too), by the countries of the demonyms it uses, and — after a title — by
    surname; so the cost follows the text, not the number of entities. All predicates
    (a vocabulary has few) come along.
    """
    words = reading_tokens(text)
    keys: set[str] = set()
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + _MAX_NAME_WORDS) + 1):
            span = text[words[start].start : words[end - 1].end]
            keys |= {alias_key(span), alias_key(re.sub(r"['’]s?$", "", span))}
    countries = country_of_demonym()
    keys |= {alias_key(country) for key in list(keys) for country in countries.get(key, ())}
    ids = set(
        session.scalars(select(EntityAlias.entity_id).where(EntityAlias.key.in_(sorted(keys))))
    )
    titled = {
        alias_key(re.sub(r"['’]s$", "", words[i].text))
        for i in range(1, len(words))
        if words[i].text[:1].isupper() and alias_key(words[i - 1].text) in _TITLE_WORDS
    }
    for surname in titled:
        ids |= set(
            session.scalars(
                select(EntityAlias.entity_id)
                .join(Entity)
                .where(
                    Entity.kind == "person",
                    EntityAlias.key.endswith(f" {surname}", autoescape=True),
                )
            )
        )
    aliases: dict[int, list[str]] = {}
    found = session.execute(
        select(Entity.id, Entity.name, Entity.kind, EntityAlias.alias)
        .join(EntityAlias)
        .where(Entity.id.in_(sorted(ids)))
        .order_by(EntityAlias.id)
    ).all()
    entities: dict[int, tuple[str, str | None]] = {}
    for entity_id, name, kind, alias in found:
        entities[entity_id] = (name, kind)
        if alias != name:
            aliases.setdefault(entity_id, []).append(alias)
    full = reading_vocabulary(session, entities=False)
    return Vocabulary(
        [EntityName(i, n, k, tuple(aliases.get(i, ()))) for i, (n, k) in entities.items()],
        full.predicates,
    )
