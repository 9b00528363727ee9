"""Vocabulary: entities and predicates with their aliases, exclusive pairs and YAML files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factbase import FactBase
from factbase.errors import DuplicateName, MetadataError, UnknownEntity, UnknownPredicate

from .conftest import Invoke

ENTITY_KEYS = {"id", "name", "kind", "external_id", "aliases"}
PREDICATE_KEYS = {
    "id",
    "name",
    "kind",
    "single_valued",
    "value_type",
    "tolerance",
    "description",
    "aliases",
    "conflicts_with",
}


def _one_line_error(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, f"not one line: {result.stderr!r}"


# Entities ------------------------------------------------------------------------


def test_entity_dict_shape(fb: FactBase) -> None:
    entity = fb.add_entity(
        "Islam Karimov", kind="person", aliases=["Karimov", "I. Karimov"], external_id="Q184541"
    )
    assert set(entity) == ENTITY_KEYS
    assert entity["name"] == "Islam Karimov"
    assert entity["kind"] == "person"
    assert entity["external_id"] == "Q184541"
    assert sorted(entity["aliases"]) == ["I. Karimov", "Karimov"]  # not the name itself
    shown = fb.entity("Karimov")
    assert shown == entity | {"claims": 0}


def test_aliases_are_case_and_typography_insensitive(fb: FactBase) -> None:
    entity = fb.add_entity("Defense Chief’s Visit", aliases=["Ivanov–Gulomov  talks"])
    for spelling in (
        "defense chief's visit",
        "DEFENSE CHIEF’S VISIT",
        "  Defense   Chief's Visit ",
        "ivanov-gulomov talks",
        "Ivanov—Gulomov Talks",
    ):
        assert fb.entity(spelling)["id"] == entity["id"], spelling


def test_alias_of_another_entity_is_refused(fb: FactBase) -> None:
    fb.add_entity("Collective Security Treaty Organization", aliases=["CSTO"])
    before = fb.counts()
    with pytest.raises(DuplicateName, match="alias 'csto' already names entity"):
        fb.add_entity("Commonwealth of Independent States", aliases=["CIS", "csto"])
    with pytest.raises(DuplicateName, match="already an alias of entity"):
        fb.add_entity("Csto")
    assert fb.counts() == before  # the new entity and its first alias rolled back too
    with pytest.raises(UnknownEntity):
        fb.entity("CIS")


def test_adding_aliases_to_an_existing_entity(fb: FactBase) -> None:
    first = fb.add_entity("Sergei Ivanov", aliases=["Ivanov"])
    again = fb.add_entity("sergei ivanov", kind="person", aliases=["S. Ivanov", "IVANOV"])
    assert again["id"] == first["id"]
    assert again["name"] == "Sergei Ivanov"
    assert again["kind"] == "person"  # a missing kind is filled in
    assert sorted(again["aliases"]) == ["Ivanov", "S. Ivanov"]  # no duplicate alias
    kept = fb.add_entity("Sergei Ivanov", kind="country")
    assert kept["kind"] == "person"  # an existing kind is not overwritten
    assert fb.counts()["entities"] == 1
    assert fb.counts()["entity_aliases"] == 3


def test_canonical_name_typed_plainly_is_the_same_entity(fb: FactBase) -> None:
    first = fb.add_entity("Chief’s Visit")
    again = fb.add_entity("chief's visit", aliases=["the visit"])
    assert again["id"] == first["id"]
    assert again["aliases"] == ["the visit"]


def test_empty_and_unknown_entities(fb: FactBase) -> None:
    with pytest.raises(MetadataError, match="entity name is empty"):
        fb.add_entity("   ")
    fb.add_entity("Uzbekistan")
    with pytest.raises(
        UnknownEntity, match="unknown entity 'Uzbekistn'; did you mean 'Uzbekistan'"
    ):
        fb.entity("Uzbekistn")


def test_entities_listed_by_name_and_kind(fb: FactBase) -> None:
    fb.add_entity("Uzbekistan", kind="country")
    fb.add_entity("Islam Karimov", kind="person")
    fb.add_entity("Russia", kind="country")
    assert [e["name"] for e in fb.entities()] == ["Islam Karimov", "Russia", "Uzbekistan"]
    assert [e["name"] for e in fb.entities("country")] == ["Russia", "Uzbekistan"]


# Predicates ------------------------------------------------------------------------


def test_predicate_kinds_and_value_types(fb: FactBase) -> None:
    for kind in ("event", "state", "attribute"):
        for value_type in ("entity", "string", "number", "date", "any"):
            predicate = fb.add_predicate(
                f"{kind} {value_type}",
                kind=kind,
                value_type=value_type,
                single_valued=kind != "event",
                tolerance=0.5 if value_type == "number" else None,
                description=f"a {kind} with {value_type} values",
            )
            assert set(predicate) == PREDICATE_KEYS
            assert predicate == fb.predicate(f"{kind} {value_type}")
            assert (predicate["kind"], predicate["value_type"]) == (kind, value_type)
            assert predicate["single_valued"] is (kind != "event")
            assert predicate["tolerance"] == (0.5 if value_type == "number" else None)
    assert len(fb.predicates()) == 15
    default = fb.add_predicate("plain", kind="state")
    assert (default["value_type"], default["single_valued"], default["tolerance"]) == (
        "any",
        False,
        None,
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kind": "happening"}, "predicate kind must be one of event, state, attribute"),
        ({"kind": "state", "value_type": "money"}, "value type must be one of"),
        ({"kind": "attribute", "tolerance": -0.1}, "tolerance must be zero or more: -0.1"),
    ],
)
def test_bad_predicates_are_refused(fb: FactBase, options: dict, message: str) -> None:
    before = fb.counts()
    with pytest.raises(MetadataError, match=message):
        fb.add_predicate("p", **options)
    assert fb.counts() == before


def test_zero_tolerance_is_allowed(fb: FactBase) -> None:
    assert fb.add_predicate("duration", kind="attribute", tolerance=0)["tolerance"] == 0


def test_exclusive_pairs_are_stored_once_and_symmetric(fb: FactBase) -> None:
    fb.add_predicate("member of", kind="state", aliases=["party to"])
    fb.add_predicate("allied with", kind="state")
    estranged = fb.add_predicate(
        "estranged from",
        kind="state",
        # the same partner by name, alias and case counts once
        conflicts_with=["member of", "allied with", "Party To", "MEMBER OF"],
    )
    assert estranged["conflicts_with"] == ["allied with", "member of"]
    assert fb.predicate("member of")["conflicts_with"] == ["estranged from"]
    assert fb.predicate("allied with")["conflicts_with"] == ["estranged from"]
    assert fb.counts()["predicate_conflicts"] == 2
    listed = {p["name"]: p["conflicts_with"] for p in fb.predicates()}
    assert listed == {
        "allied with": ["estranged from"],
        "estranged from": ["allied with", "member of"],
        "member of": ["estranged from"],
    }


def test_a_predicate_cannot_exclude_itself(fb: FactBase) -> None:
    fb.add_predicate("left", kind="event")
    before = fb.counts()
    with pytest.raises(MetadataError, match="cannot exclude itself"):
        fb.add_predicate("joined", kind="event", aliases=["entered"], conflicts_with=["entered"])
    assert fb.counts() == before


def test_unknown_predicate_suggests_close_names(fb: FactBase) -> None:
    fb.add_predicate("left", kind="event", aliases=["withdrew from"])
    fb.add_predicate("rejoined", kind="event")
    with pytest.raises(UnknownPredicate) as raised:
        fb.predicate("withdrew form")
    message = str(raised.value)
    assert message.startswith("unknown predicate 'withdrew form'; did you mean 'withdrew from'")
    assert "factbase predicate add" in message
    before = fb.counts()
    with pytest.raises(UnknownPredicate, match="unknown predicate 'rejoind'"):
        fb.add_predicate("joined", kind="event", conflicts_with=["rejoind"])
    assert fb.counts() == before


def test_predicate_aliases_resolve_insensitively(fb: FactBase) -> None:
    left = fb.add_predicate("left", kind="event", aliases=["withdrew from", "pulled out of"])
    assert sorted(left["aliases"]) == ["pulled out of", "withdrew from"]
    for spelling in ("Withdrew  From", "PULLED OUT OF", "Left"):
        assert fb.predicate(spelling)["id"] == left["id"]


def test_duplicate_predicates_are_refused(fb: FactBase) -> None:
    fb.add_predicate("left", kind="event", aliases=["abandoned"])
    before = fb.counts()
    with pytest.raises(DuplicateName, match="predicate 'LEFT' already exists"):
        fb.add_predicate("LEFT", kind="event")
    with pytest.raises(DuplicateName, match="predicate 'abandoned' already exists"):
        fb.add_predicate("abandoned", kind="state")
    with pytest.raises(DuplicateName, match="alias 'Abandoned' already names predicate 'left'"):
        fb.add_predicate("quit", kind="event", aliases=["Abandoned"])
    assert fb.counts() == before


# Vocabulary files --------------------------------------------------------------------

VOCABULARY = """\
entities:
  - name: Uzbekistan
    kind: country
    aliases: [Republic of Uzbekistan]
    external_id: Q265
  - name: Collective Security Treaty Organization
    kind: organisation
    aliases: [CSTO, CST]
predicates:
  - name: member of
    kind: state
    conflicts_with: [estranged from]   # points forward
  - name: estranged from
    kind: state
    conflicts_with: [member of]        # the same pair again
  - name: Uzbek contingent
    kind: attribute
    single_valued: true
    value_type: number
    tolerance: 5
    aliases: [Uzbek servicemen taking part]
    description: how many Uzbek servicemen take part
"""


def _yaml(tmp_path: Path, text: str, name: str = "vocabulary.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_load_vocabulary(fb: FactBase, tmp_path: Path) -> None:
    assert fb.load_vocabulary(_yaml(tmp_path, VOCABULARY)) == {"entities": 2, "predicates": 3}
    assert fb.entity("cst")["name"] == "Collective Security Treaty Organization"
    assert fb.entity("Republic of Uzbekistan")["external_id"] == "Q265"
    assert fb.predicate("member of")["conflicts_with"] == ["estranged from"]
    assert fb.predicate("estranged from")["conflicts_with"] == ["member of"]
    assert fb.counts()["predicate_conflicts"] == 1
    contingent = fb.predicate("uzbek servicemen taking part")
    assert contingent["name"] == "Uzbek contingent"
    assert contingent["single_valued"] is True
    assert (contingent["value_type"], contingent["tolerance"]) == ("number", 5)
    assert contingent["description"] == "how many Uzbek servicemen take part"


BAD_VOCABULARIES = {
    "unknown top-level key": ("entities: []\nrelations: []\n", "expected a mapping"),
    "not a mapping": ("- name: Uzbekistan\n", "expected a mapping"),
    "entities not a list": ("entities: Uzbekistan\n", "'entities' must be a list"),
    "unknown entity key": (
        "entities:\n  - name: Uzbekistan\n    capital: Tashkent\n",
        "'Uzbekistan' has unknown keys ['capital']",
    ),
    "entity without name": (
        "entities:\n  - name: Russia\n  - kind: country\n",
        "every entry needs a 'name'",
    ),
    "predicate without name": ("predicates:\n  - kind: state\n", "every entry needs a 'name'"),
    "unknown predicate key": (
        "predicates:\n  - name: left\n    kind: event\n    inverse: joined\n",
        "'left' has unknown keys ['inverse']",
    ),
    "predicate without kind": ("predicates:\n  - name: left\n", "predicate kind must be one of"),
    "aliases as a string": (
        "entities:\n  - name: Russia\n    aliases: Russian Federation\n",
        "aliases must be a list of strings",
    ),
    "single_valued as a string": (
        "predicates:\n  - name: president\n    kind: state\n    single_valued: no\n",
        "single_valued must be true or false",
    ),
    "tolerance as a string": (
        "predicates:\n  - name: size\n    kind: attribute\n    tolerance: some\n",
        "tolerance must be a number",
    ),
    "unknown exclusive partner": (
        "predicates:\n  - name: left\n    kind: event\n    conflicts_with: [joined]\n",
        "unknown predicate 'joined'",
    ),
    "self-exclusion": (
        "predicates:\n  - name: left\n    kind: event\n    conflicts_with: [left]\n",
        "predicate 'left' cannot exclude itself",
    ),
    "alias taken": (
        "entities:\n  - name: Russia\n    aliases: [RF]\n  - name: Rossiya\n    aliases: [rf]\n",
        "alias 'rf' already names entity 'Russia'",
    ),
}


@pytest.mark.parametrize("case", list(BAD_VOCABULARIES))
def test_bad_vocabulary_loads_nothing(fb: FactBase, tmp_path: Path, case: str) -> None:
    text, message = BAD_VOCABULARIES[case]
    before = fb.counts()
    with pytest.raises((MetadataError, UnknownPredicate, DuplicateName)) as raised:
        fb.load_vocabulary(_yaml(tmp_path, text))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert fb.counts() == before


def test_loading_a_vocabulary_twice_is_refused(fb: FactBase, tmp_path: Path) -> None:
    path = _yaml(tmp_path, VOCABULARY)
    fb.load_vocabulary(path)
    before = fb.counts()
    with pytest.raises(DuplicateName, match="predicate 'member of' already exists"):
        fb.load_vocabulary(path)
    assert fb.counts() == before


# Through the CLI -----------------------------------------------------------------------


def test_cli_entity_add_list_show(cli: Invoke) -> None:
    added = cli(
        "entity", "add", "Islam Karimov", "--kind", "person", "--alias", "Karimov", "--json"
    )
    assert added.exit_code == 0, added.output
    entity = json.loads(added.stdout)
    assert set(entity) == ENTITY_KEYS
    assert (entity["name"], entity["kind"], entity["aliases"]) == (
        "Islam Karimov",
        "person",
        ["Karimov"],
    )
    assert added.stderr == (
        "created entity 'Islam Karimov'\nentity 'Islam Karimov': added alias 'Karimov'\n"
    )
    more = cli("entity", "add", "islam karimov", "--alias", "I. A. Karimov", "--json")
    assert more.exit_code == 0, more.output
    assert json.loads(more.stdout)["aliases"] == ["Karimov", "I. A. Karimov"]
    assert more.stderr == "entity 'Islam Karimov': added alias 'I. A. Karimov'\n"
    cli("entity", "add", "Uzbekistan", "--kind", "country")

    listed = cli("entity", "list", "--kind", "person", "--json")
    assert listed.exit_code == 0, listed.output
    assert [e["name"] for e in json.loads(listed.stdout)] == ["Islam Karimov"]

    shown = cli("entity", "show", "KARIMOV", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == json.loads(more.stdout) | {"claims": 0}

    table = cli("entity", "list")
    assert table.exit_code == 0
    assert "Islam Karimov" in table.stdout and "Karimov, I. A. Karimov" in table.stdout


def test_cli_entity_errors(cli: Invoke) -> None:
    cli("entity", "add", "Russia", "--alias", "RF")
    _one_line_error(
        cli("entity", "add", "Rossiya", "--alias", "rf"), "alias 'rf' already names entity"
    )
    _one_line_error(cli("entity", "show", "Rusia"), "unknown entity 'Rusia'; did you mean 'Russia'")
    listed = json.loads(cli("entity", "list", "--json").stdout)
    assert [e["name"] for e in listed] == ["Russia"]


def test_cli_predicate_add_list_show(cli: Invoke) -> None:
    first = cli("predicate", "add", "member of", "--kind", "state", "--alias", "party to", "--json")
    assert first.exit_code == 0, first.output
    assert set(json.loads(first.stdout)) == PREDICATE_KEYS
    args = ["--kind", "state", "--single-valued", "--conflicts-with", "party to", "--json"]
    second = cli("predicate", "add", "estranged from", *args)
    assert second.exit_code == 0, second.output
    estranged = json.loads(second.stdout)
    assert estranged["single_valued"] is True
    assert estranged["conflicts_with"] == ["member of"]
    number = cli(
        "predicate", "add", "size", "--kind", "attribute", "--value-type", "number",
        "--tolerance", "2.5", "--json",
    )  # fmt: skip
    assert json.loads(number.stdout)["tolerance"] == 2.5

    shown = cli("predicate", "show", "Party To", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["conflicts_with"] == ["estranged from"]
    listed = cli("predicate", "list", "--json")
    assert [p["name"] for p in json.loads(listed.stdout)] == ["estranged from", "member of", "size"]

    _one_line_error(
        cli("predicate", "add", "x", "--kind", "state", "--tolerance", "-1"),
        "tolerance must be zero or more: -1.0",
    )
    _one_line_error(cli("predicate", "add", "x", "--kind", "mood"), "predicate kind must be one of")
    _one_line_error(
        cli("predicate", "add", "MEMBER OF", "--kind", "state"), "predicate 'MEMBER OF' already"
    )
    _one_line_error(cli("predicate", "show", "membr of"), "did you mean 'member of'")
    assert len(json.loads(cli("predicate", "list", "--json").stdout)) == 3


def test_cli_vocabulary_load(cli: Invoke, tmp_path: Path) -> None:
    result = cli("vocabulary", "load", str(_yaml(tmp_path, VOCABULARY)), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"entities": 2, "predicates": 3}
    shown = json.loads(cli("entity", "show", "CSTO", "--json").stdout)
    assert shown["name"] == "Collective Security Treaty Organization"
    bad = _yaml(tmp_path, BAD_VOCABULARIES["unknown entity key"][0], "bad.yaml")
    _one_line_error(cli("vocabulary", "load", str(bad)), "has unknown keys ['capital']")
    _one_line_error(cli("vocabulary", "load", str(tmp_path / "missing.yaml")), "missing.yaml")
