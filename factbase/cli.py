"""The `factbase` command line: a thin Typer layer over :class:`factbase.db.FactBase`.

It parses arguments, calls the library, renders tables or JSON, and turns
library errors into one line on stderr with exit code 1. Heavy modules
(SQLAlchemy, Alembic, rapidfuzz) load only inside commands, so `--help` is fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .db import FactBase
    from .display import Segments

HELP = """A claim-and-citation fact base: atomic claims tied to the exact quotes that
state them and to the publications those quotes come from.

Start with `factbase demo` (the bundled seed corpus), then try
`factbase claim list --subject Uzbekistan`."""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None)
entity_app = typer.Typer(help="Entities (people, countries, organisations) and their aliases.")
alias_app = typer.Typer(help="Add or remove an entity's aliases.")
entity_app.add_typer(alias_app, name="alias", no_args_is_help=True)
predicate_app = typer.Typer(help="Predicates: what claims say about their subject.")
claim_app = typer.Typer(help="Add, list, show, retract and import claims.")
doc_app = typer.Typer(help="Stored documents.")
vocabulary_app = typer.Typer(help="Load entities and predicates from a YAML file.")
conflict_app = typer.Typer(help="Triage conflicts: list, show, confirm, dismiss, reopen.")
export_app = typer.Typer(help="Standard exports: ClaimReview, Web Annotations, CSL-JSON.")
suggestion_app = typer.Typer(help="Review claim suggestions: list, show, accept, reject.")
for sub, name in (
    (suggestion_app, "suggestion"),
    (export_app, "export"),
    (conflict_app, "conflict"),
    (entity_app, "entity"),
    (predicate_app, "predicate"),
    (claim_app, "claim"),
    (doc_app, "doc"),
    (vocabulary_app, "vocabulary"),
):
    app.add_typer(sub, name=name, no_args_is_help=True)


@cache
def console(stderr: bool = False) -> Console:
    """Rich consoles, made on first use so that `--help` does not import rich."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


MARK_STYLE = "bold underline"
"How a quote in its context, or what differs between two values, stands out on a terminal"


def shown(segments: Segments) -> Text:
    """Stored text with its marked runs highlighted, its controls made visible.

    Styled on a terminal; «between guillemets» in a pipe or file, where styles are lost.
    """
    from rich.text import Text

    from .display import marked, visible

    segments = [(visible(part), mark) for part, mark in segments]
    if console().is_terminal:
        return Text.assemble(*((part, MARK_STYLE if mark else "") for part, mark in segments))
    return Text(marked(segments))


def say(message: str | Text, style: str | None = None) -> None:
    """One line of text on stdout: stored text never reads as markup nor drives the terminal."""
    from .display import visible

    text = visible(message) if isinstance(message, str) else message
    console().print(text, markup=False, style=style, soft_wrap=True)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only on stdout.")]


@dataclass
class State:
    db: str | None


def fail(message: str) -> NoReturn:
    """A user error: one line on stderr, exit 1 (the message may quote stored text)."""
    from .display import visible

    console(stderr=True).print(f"Error: {visible(message)}", markup=False, soft_wrap=True)
    raise typer.Exit(1)


def notice(message: str) -> None:
    from .display import visible

    console(stderr=True).print(visible(message), markup=False, soft_wrap=True, style="dim")


@contextmanager
def opened(
    ctx: typer.Context, ensure_schema: bool = True, create: bool = False
) -> Iterator[FactBase]:
    """Open the base named by --db/FACTBASE_DB and map library errors to exit 1.

    Only commands that write pass `create=True`: reading a missing or empty base is an
    error (a mistyped --db), not a new empty base that answers "nothing found".
    """
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from .db import FactBase
    from .errors import FactbaseError

    try:
        fb = FactBase(ctx.obj.db, notify=notice, ensure_schema=ensure_schema, create=create)
        try:
            yield fb
        finally:
            fb.close()
    except KeyboardInterrupt:
        console(stderr=True).print("\ninterrupted: nothing was changed", markup=False)
        raise typer.Exit(130) from None
    except FactbaseError as error:
        fail(str(error))
    except ArgumentError as error:
        fail(f"invalid database URL {ctx.obj.db!r}: {error}")
    except DBAPIError as error:
        fail(f"database error: {str(error.orig).strip().splitlines()[0]}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A rich table that never loses text.

    Cells are plain text (stored text never reads as markup, its controls are made
    visible) or already `shown` Text. On a terminal long cells wrap, and a word
    wider than its column folds instead of being cut with "…". A pipe or file has
    no width: the table is laid out as wide as its widest cells, so every cell is
    whole on its line. TERMINAL_WIDTH (which Typer's help honours too) pins the
    width, as tests do.
    """
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    from .display import visible

    grid = Table(title=Text(visible(title)) if title else None, show_lines=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(
            *(
                cell if isinstance(cell, Text) else Text(visible("" if cell is None else str(cell)))
                for cell in row
            )
        )
    out = console()
    width = int(os.environ["TERMINAL_WIDTH"]) if os.environ.get("TERMINAL_WIDTH") else None
    if width is None and not out.is_terminal:
        width = Measurement.get(out, out.options.update_width(sys.maxsize), grid).maximum
    if width is not None:
        out = Console(file=out.file, width=width, highlight=False)
    out.print(grid)


def fields(data: dict[str, Any], keys: Sequence[str]) -> None:
    """A two-column key/value table for `show` commands."""
    table(None, ("field", "value"), [(key, _plain(data.get(key))) for key in keys])


def _plain(value: Any) -> str:
    from .display import format_number

    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, float):
        return format_number(value)
    return "" if value is None else str(value)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; none in pipes and tests."""
    if not console(stderr=True).is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="FACTBASE_DB",
            help="Database URL: sqlite:///file.db (default sqlite:///factbase.db) "
            "or postgresql://user@host/dbname; a plain path (notes.db) is a SQLite file.",
        ),
    ] = None,
) -> None:
    ctx.obj = State(db=db)


# Schema and integrity -------------------------------------------------------------


@app.command()
def init(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Create the database schema, or upgrade it to this version of factbase.

    Example: factbase --db sqlite:///news.db init
    """
    with opened(ctx, ensure_schema=False) as fb:
        result = fb.init()
    if as_json:
        print_json(result)
    elif result["from"] == result["to"]:
        say(f"schema is up to date (revision {result['to']})")
    else:
        say(f"schema upgraded from {result['from'] or 'empty'} to {result['to']}")


@app.command()
def fsck(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Verify every invariant: span texts, document hashes, aliases, references, the index.

    Exits 1 when anything is wrong, listing each problem.

    Example: factbase fsck
    """
    with opened(ctx) as fb:
        problems = fb.fsck()
        counts = fb.counts()
    if as_json:
        print_json({"ok": not problems, "problems": problems, "counts": counts})
    else:
        for problem in problems:
            notice(problem)
        if not problems:
            say(
                f"ok: {counts['documents']} documents, {counts['spans']} spans, "
                f"{counts['claims']} claims"
            )
    if problems:
        raise typer.Exit(1)


# Documents ------------------------------------------------------------------------------


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Text files or directories of them.")],
    slug: Annotated[
        str | None, typer.Option("--id", help="Document slug (default: the file stem).")
    ] = None,
    publication: Annotated[str | None, typer.Option(help="Publication name.")] = None,
    date: Annotated[
        str | None, typer.Option(help="Document date: 2007, 2007-05 or 2007-05-30 (given).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Document title.")] = None,
    new_version: Annotated[
        bool, typer.Option("--new-version", help="Store a changed text as a new version.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Store UTF-8 text files as documents, reading their metadata.

    Metadata comes from the text (a 'Publication: X Volume: N Issue: M' line, a
    title line, a dateline), then from metadata.yaml in the file's directory or a
    FILE.meta.yaml sidecar, then from these options. Re-ingesting an unchanged
    text does nothing.

    Example: factbase ingest seeds/ --json
    """
    with opened(ctx, create=True) as fb, progress_bar("ingesting") as progress:
        results = fb.ingest(paths, slug, publication, date, title, new_version, progress)
    if as_json:
        print_json(results)
        return
    for result in results:
        if result["status"] == "unchanged":
            notice(f"{result['slug']}: unchanged, already stored (version {result['version']})")
    statuses = Counter(r["status"] for r in results)
    notice(
        f"{len(results)} documents: "
        + ", ".join(f"{statuses[s]} {s}" for s in ("added", "new version", "unchanged"))
    )
    table(
        "documents",
        ("slug", "version", "status", "publication", "vol/issue", "title", "date", "date source"),
        [
            (
                r["slug"],
                r["version"],
                r["status"],
                r["publication"],
                _vol_issue(r),
                r["title"],
                _date_label(r),
                r["date_source"],
            )
            for r in results
        ],
    )


def _date_label(document: dict[str, Any]) -> str:
    """A document date shown only to the precision it is known ("2000-09", not "2000-09-01")."""
    from .reading.timex import iso_at_precision

    return iso_at_precision(document.get("date"), document.get("date_precision"))


def _vol_issue(document: dict[str, Any]) -> str:
    if not (document["volume"] or document["issue"]):
        return ""
    return f"{document['volume'] or '?'}/{document['issue'] or '?'}"


@doc_app.command("list")
def doc_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List documents (latest version of each slug).

    Example: factbase doc list
    """
    with opened(ctx) as fb:
        documents = fb.documents()
    if as_json:
        print_json(documents)
        return
    table(
        "documents",
        ("slug", "version", "publication", "vol/issue", "title", "date", "date source"),
        [
            (
                d["slug"],
                d["version"],
                d["publication"],
                _vol_issue(d),
                d["title"],
                _date_label(d),
                d["date_source"],
            )
            for d in documents
        ],
    )


@doc_app.command("show")
def doc_show(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Document slug; SLUG@N for version N.")],
    text: Annotated[bool, typer.Option("--text", help="Include the full text.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show a document's metadata (and with --text its stored text).

    Example: factbase doc show iwpr-2007-05-30 --text
    """
    with opened(ctx) as fb:
        document = fb.document(slug, with_text=text)
    if as_json:
        print_json(document)
        return
    keys = [k for k in document if k != "text"]
    fields(document, keys)
    if text:
        say(document["text"])


@doc_app.command("edit")
def doc_edit(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Document slug; SLUG@N for version N.")],
    date: Annotated[
        str | None, typer.Option(help="Document date: 2007, 2007-05 or 2007-05-30.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title ('' clears it).")] = None,
    publication: Annotated[str | None, typer.Option(help="Publication name.")] = None,
    volume: Annotated[str | None, typer.Option(help="Volume.")] = None,
    issue: Annotated[str | None, typer.Option(help="Issue.")] = None,
    authors: Annotated[str | None, typer.Option(help="Authors, separated by ';'.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the document is published.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Correct a document's metadata; its text never changes.

    A new date re-resolves the relative times ("last year") of every claim citing
    the document, and lists the claims whose time moved.

    Example: factbase doc edit fir-6-17 --date 2000-09 --title "Uzbekistan and Russia"
    """
    from .curation import DocumentEdit

    edit = DocumentEdit(
        date=date,
        title=title,
        publication=publication,
        volume=volume,
        issue=issue,
        authors=authors,
        url=url,
    )
    with opened(ctx) as fb:
        document = fb.edit_document(slug, edit)
    if as_json:
        print_json(document)
        return
    if document["changed"]:
        say(f"document {document['slug']} edited: {', '.join(document['changed'])}")
    for moved in document["retimed"]:
        old, new = moved["before"], moved["after"]
        say(
            f"claim {moved['id']}: {old['raw']!r} was {old['earliest']}..{old['latest']}, "
            f"now {new['earliest']}..{new['latest']}"
        )


# Vocabulary ------------------------------------------------------------------------------


@entity_app.command("add")
def entity_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Canonical name.")],
    kind: Annotated[str | None, typer.Option(help="person, country, organisation…")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="An alias (repeatable).")] = None,
    external_id: Annotated[
        str | None, typer.Option("--external-id", help="E.g. a Wikidata QID.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add an entity, or add aliases to an existing one. Aliases are case-insensitive.

    Example: factbase entity add "Islam Karimov" --kind person --alias Karimov
    """
    with opened(ctx, create=True) as fb:
        entity = fb.add_entity(name, kind, alias or [], external_id)
    _show_entity(entity, as_json)


@entity_app.command("list")
def entity_list(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="Only entities of this kind.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List entities with their aliases.

    Example: factbase entity list --kind person
    """
    with opened(ctx) as fb:
        entities = fb.entities(kind)
    if as_json:
        print_json(entities)
        return
    table(
        "entities",
        ("id", "name", "kind", "aliases"),
        [(e["id"], e["name"], e["kind"], ", ".join(e["aliases"])) for e in entities],
    )


@entity_app.command("show")
def entity_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name or alias.")],
    as_json: JsonOption = False,
) -> None:
    """Show an entity found by name or alias.

    Example: factbase entity show CSTO
    """
    with opened(ctx) as fb:
        entity = fb.entity(name)
    if as_json:
        print_json(entity)
    else:
        fields(entity, ("id", "name", "kind", "external_id", "aliases", "claims"))


def _show_entity(entity: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(entity)
    else:
        fields(entity, ("id", "name", "kind", "external_id", "aliases"))


@entity_app.command("rename")
def entity_rename(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Current name or an alias.")],
    new_name: Annotated[str, typer.Argument(help="The new canonical name.")],
    drop_old: Annotated[
        bool, typer.Option("--drop-old", help="Do not keep the old name as an alias.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Give an entity a new canonical name. The old name stays an alias (unless --drop-old),
    so imports that use it keep resolving.

    Example: factbase entity rename "Harlow Brige" "Harlow Bridge" --drop-old
    """
    with opened(ctx) as fb:
        entity = fb.rename_entity(name, new_name, keep_old=not drop_old)
    if not as_json:
        notice(f"renamed {name!r} to {entity['name']!r}")
    _show_entity(entity, as_json)


@entity_app.command("merge")
def entity_merge(
    ctx: typer.Context,
    duplicate: Annotated[str, typer.Argument(help="The entity to fold in (then deleted).")],
    into: Annotated[str, typer.Option("--into", help="The entity that stays.")],
    as_json: JsonOption = False,
) -> None:
    """Merge a duplicate entity into the canonical one: its claims (as subject, object or
    attribution) and aliases move, and its name becomes an alias. Run `factbase check`
    afterwards to re-derive the moved claims' conflicts and corroborations.

    Example: factbase entity merge "Harlow Brige" --into "Harlow Bridge"
    """
    with opened(ctx) as fb:
        entity = fb.merge_entities(duplicate, into)
    if not as_json:
        notice(f"merged {duplicate!r} into {entity['name']!r}")
    _show_entity(entity, as_json)


@alias_app.command("add")
def alias_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Entity name or alias.")],
    alias: Annotated[str, typer.Argument(help="The alias to add.")],
    as_json: JsonOption = False,
) -> None:
    """Add an alias to an entity (aliases are unique, case-insensitively).

    Example: factbase entity alias add Uzbekistan "Republic of Uzbekistan"
    """
    with opened(ctx) as fb:
        entity = fb.add_alias(name, alias)
    _show_entity(entity, as_json)


@alias_app.command("remove")
def alias_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Entity name or alias.")],
    alias: Annotated[str, typer.Argument(help="The alias to remove.")],
    as_json: JsonOption = False,
) -> None:
    """Remove an alias from an entity (not its canonical name: rename that).

    Example: factbase entity alias remove Uzbekistan Uzbek
    """
    with opened(ctx) as fb:
        entity = fb.remove_alias(name, alias)
    _show_entity(entity, as_json)


@predicate_app.command("add")
def predicate_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Predicate name.")],
    kind: Annotated[str, typer.Option(help="event, state or attribute.")],
    single_valued: Annotated[
        bool, typer.Option("--single-valued", help="A subject has one value at a time.")
    ] = False,
    value_type: Annotated[
        str,
        typer.Option(
            "--value-type",
            help="entity, string, number or date; default any: an object or a value, "
            "each claim's value typed by what it gives (number, ISO date, else text).",
        ),
    ] = "any",
    alias: Annotated[list[str] | None, typer.Option(help="A phrase (repeatable).")] = None,
    conflicts_with: Annotated[
        list[str] | None,
        typer.Option("--conflicts-with", help="A mutually exclusive predicate (repeatable)."),
    ] = None,
    tolerance: Annotated[
        float | None, typer.Option(help="Numeric values closer than this agree.")
    ] = None,
    description: Annotated[str | None, typer.Option(help="One line.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Declare a predicate with its kind, aliases and constraints.

    Example: factbase predicate add left --kind event --alias "withdrew from" --alias abandoned
    """
    with opened(ctx, create=True) as fb:
        predicate = fb.add_predicate(
            name,
            kind,
            single_valued,
            value_type,
            tolerance,
            alias or [],
            conflicts_with or [],
            description,
        )
    if as_json:
        print_json(predicate)
    else:
        fields(predicate, list(predicate))


@predicate_app.command("list")
def predicate_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List predicates.

    Example: factbase predicate list --json
    """
    with opened(ctx) as fb:
        predicates = fb.predicates()
    if as_json:
        print_json(predicates)
        return
    table(
        "predicates",
        ("id", "name", "kind", "single", "value", "aliases", "exclusive with"),
        [
            (
                p["id"],
                p["name"],
                p["kind"],
                "yes" if p["single_valued"] else "",
                p["value_type"],
                ", ".join(p["aliases"]),
                ", ".join(p["conflicts_with"]),
            )
            for p in predicates
        ],
    )


@predicate_app.command("show")
def predicate_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name or alias.")],
    as_json: JsonOption = False,
) -> None:
    """Show a predicate found by name or alias.

    Example: factbase predicate show "withdrew from"
    """
    with opened(ctx) as fb:
        predicate = fb.predicate(name)
    if as_json:
        print_json(predicate)
    else:
        fields(predicate, list(predicate))


@vocabulary_app.command("load")
def vocabulary_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="YAML with 'entities' and 'predicates' lists.")],
    as_json: JsonOption = False,
) -> None:
    """Load entities and predicates from a YAML file (the format of seeds/vocabulary.yaml).

    Example: factbase vocabulary load seeds/vocabulary.yaml
    """
    with opened(ctx, create=True) as fb:
        counts = fb.load_vocabulary(file)
    if as_json:
        print_json(counts)
    else:
        say(f"loaded {counts['entities']} entities and {counts['predicates']} predicates")


# Claims ------------------------------------------------------------------------------------


def _claim_rows(claims: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    from .display import value_words

    return [
        (
            c["id"],
            c["text"],
            c["subject"],
            ("not " if c["polarity"] == "negated" else "") + c["predicate"],
            value_words(c["object"], c["value"]),
            c["time"]["raw"] if c["time"] else "",
            ", ".join(sorted({s["document"] for s in c["spans"]})),
            c["status"],
        )
        for c in claims
    ]


CLAIM_COLUMNS = ("id", "text", "subject", "predicate", "object/value", "when", "doc", "status")


@claim_app.command("add")
def claim_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The atomic statement in plain words.")],
    doc: Annotated[str, typer.Option(help="Slug of the document that states it.")],
    quote: Annotated[list[str], typer.Option(help="Exact quote (repeatable for more spans).")],
    subject: Annotated[str, typer.Option(help="Subject entity (created if unknown).")],
    predicate: Annotated[str, typer.Option(help="Predicate name or alias.")],
    object_: Annotated[
        str | None, typer.Option("--object", help="Object entity (created if unknown).")
    ] = None,
    value: Annotated[str | None, typer.Option(help="Literal value instead of an object.")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of a numeric value.")] = None,
    when: Annotated[
        str | None,
        typer.Option(help="1999, 1999-08, 1999/2001, ~1996, 'last year' (per document date)."),
    ] = None,
    negated: Annotated[bool, typer.Option("--negated", help="The claim denies it.")] = False,
    modality: Annotated[str, typer.Option(help="asserted, reported, hedged or planned.")] = (
        "asserted"
    ),
    attributed_to: Annotated[
        str | None, typer.Option("--attributed-to", help="Who says it.")
    ] = None,
    occurrence: Annotated[
        int | None, typer.Option(help="Which occurrence of an ambiguous quote (1-based).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a claim citing exact quotes of a document.

    Example: factbase claim add "Uzbekistan left the CST in 1999" --doc fir-6-17
    --quote "having abandoned it last year" --subject Uzbekistan --predicate left
    --object CSTO --when "last year"
    """
    from .claims import ClaimInput

    inp = ClaimInput(
        text=text,
        doc=doc,
        quote=quote,
        subject=subject,
        predicate=predicate,
        object=object_,
        value=value,
        unit=unit,
        when=when,
        negated=negated,
        modality=modality,
        attributed_to=attributed_to,
        occurrence=occurrence,
    )
    with opened(ctx, create=True) as fb:
        claim = fb.add_claim(inp)
    if as_json:
        print_json(claim)
    else:
        table("claim added", CLAIM_COLUMNS, _claim_rows([claim]))


@claim_app.command("list")
def claim_list(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(help="Subject name or alias.")] = None,
    predicate: Annotated[str | None, typer.Option(help="Predicate name or alias.")] = None,
    object_: Annotated[str | None, typer.Option("--object", help="Object name or alias.")] = None,
    doc: Annotated[str | None, typer.Option(help="Document slug.")] = None,
    publication: Annotated[str | None, typer.Option(help="Publication name.")] = None,
    since: Annotated[str | None, typer.Option(help="Claims whose time reaches here.")] = None,
    until: Annotated[str | None, typer.Option(help="Claims whose time starts by here.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Full-text words (all must match).")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include retracted and superseded claims.")
    ] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many claims.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List claims, filtered. A time range keeps dated claims overlapping it.

    --json adds each claim's confidence, from the trust `factbase check` stored: null until
    a check has seen the sources of its subject and predicate.

    Example: factbase claim list --subject Uzbekistan --since 1999 --until 2001
    """
    from .claims import ClaimFilter

    filters = ClaimFilter(
        subject=subject,
        predicate=predicate,
        object=object_,
        doc=doc,
        publication=publication,
        since=since,
        until=until,
        text=search,
        status=None if all_ else "active",
        limit=limit,
    )
    with opened(ctx) as fb:
        claims = fb.claims(filters, confidence=as_json)
    if as_json:
        print_json(claims)
    else:
        table(f"{len(claims)} claims", CLAIM_COLUMNS, _claim_rows(claims))


@claim_app.command("show")
def claim_show(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    as_json: JsonOption = False,
) -> None:
    """Show a claim with its quotes in context and their citations.

    Example: factbase claim show 1
    """
    with opened(ctx) as fb:
        claim = fb.claim(claim_id)
    if claim["confidence"] is None and claim["status"] == "active":
        notice("no confidence yet: run `factbase check` to score this claim's sources")
    if as_json:
        print_json(claim)
        return
    from .display import value_words

    fields(
        claim | {"value": claim["value"] and value_words(None, claim["value"])},
        (
            "id",
            "text",
            "subject",
            "predicate",
            "object",
            "value",
            "polarity",
            "modality",
            "attributed_to",
            "time",
            "status",
            "status_reason",
            "created_at",
            "created_by",
            "corroborated_by",
            "conflicts",
            "confidence",
        ),
    )
    for span in claim["spans"]:
        say(f"\n{span['citation']} [{span['document']} {span['start']}:{span['end']}]")
        say(_in_context(span), style="italic")


def _in_context(span: dict[str, Any]) -> Text:
    """A span's context with its quote highlighted (see `shown`)."""
    start, end = span["context_quote"]
    text = span["context"]
    return shown([(text[:start], False), (text[start:end], True), (text[end:], False)])


@claim_app.command("edit")
def claim_edit(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    text: Annotated[str | None, typer.Option(help="New statement text.")] = None,
    subject: Annotated[str | None, typer.Option(help="New subject (created if unknown).")] = None,
    predicate: Annotated[str | None, typer.Option(help="New predicate name or alias.")] = None,
    object_: Annotated[
        str | None, typer.Option("--object", help="New object entity (replaces a value).")
    ] = None,
    value: Annotated[
        str | None, typer.Option(help="New literal value (replaces an object).")
    ] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of a numeric value.")] = None,
    when: Annotated[
        str | None, typer.Option(help="New time expression; '' makes the claim timeless.")
    ] = None,
    negated: Annotated[bool, typer.Option("--negated", help="The claim denies it.")] = False,
    affirmed: Annotated[bool, typer.Option("--affirmed", help="The claim affirms it.")] = False,
    modality: Annotated[
        str | None, typer.Option(help="asserted, reported, hedged or planned.")
    ] = None,
    attributed_to: Annotated[
        str | None, typer.Option("--attributed-to", help="Who says it; '' for nobody.")
    ] = None,
    quote: Annotated[
        list[str] | None,
        typer.Option(help="New exact quote(s) from the claim's document (replace the spans)."),
    ] = None,
    occurrence: Annotated[
        int | None, typer.Option(help="Which occurrence of an ambiguous --quote (1-based).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Correct a claim in place: its id, history and citations stay.

    If the subject, predicate, object/value, polarity or time changes, conflicts a
    reviewer decided reopen (and say so); the next `check` resolves the conflicts
    whose rule no longer fires.

    Example: factbase claim edit 7 --when 1996 --quote "after ten years of estrangement"
    """
    from .curation import ClaimEdit

    if negated and affirmed:
        fail("give --negated or --affirmed, not both")
    edit = ClaimEdit(
        text=text,
        subject=subject,
        predicate=predicate,
        object=object_,
        value=value,
        unit=unit,
        when=when,
        negated=True if negated else False if affirmed else None,
        modality=modality,
        attributed_to=attributed_to,
        quote=quote or None,
        occurrence=occurrence,
    )
    with opened(ctx) as fb:
        claim = fb.edit_claim(claim_id, edit)
    if as_json:
        print_json(claim)
        return
    if claim["changed"]:
        say(f"claim {claim['id']} edited: {', '.join(claim['changed'])}")
    table(None, CLAIM_COLUMNS, _claim_rows([claim]))


@claim_app.command("history")
def claim_history(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    as_json: JsonOption = False,
) -> None:
    """Every recorded change of a claim: who, when, what, before and after.

    Example: factbase claim history 4
    """
    with opened(ctx) as fb:
        events = fb.history("claim", claim_id)
    if as_json:
        print_json(events)
        return
    table(
        f"{len(events)} events",
        ("at", "who", "action", "changed"),
        [(e["at"], e["actor"], e["action"], ", ".join(e["changed"])) for e in events],
    )


@claim_app.command("retract")
def claim_retract(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    reason: Annotated[str, typer.Option(help="Why the claim is withdrawn.")],
    as_json: JsonOption = False,
) -> None:
    """Retract a claim: it stays, with its reason, but drops out of checks.

    Example: factbase claim retract 7 --reason "misread the source"
    """
    with opened(ctx) as fb:
        claim = fb.retract_claim(claim_id, reason)
    if as_json:
        print_json(claim)
    else:
        say(f"claim {claim['id']} retracted: {claim['status_reason']}")


@claim_app.command("import")
def claim_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL (one object per line) or YAML list.")],
    as_json: JsonOption = False,
) -> None:
    """Import claims all or nothing: one bad line and nothing is stored.

    Keys as `claim add`: text doc quote subject predicate object|value unit when
    negated modality attributed_to occurrence.

    Example: factbase claim import seeds/claims.jsonl
    """
    with opened(ctx, create=True) as fb, progress_bar("importing claims") as progress:
        result = fb.import_claims(file, progress)
    if as_json:
        print_json(result)
    else:
        skipped = f" ({result['skipped']} duplicates skipped)" if result["skipped"] else ""
        say(f"imported {result['imported']} claims{skipped}")


# Time expressions ---------------------------------------------------------------------


@app.command()
def when(
    expr: Annotated[
        str | None, typer.Argument(help="A time expression: 'last May', 'Q3 2005', 'Friday'.")
    ] = None,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="The date relative phrases count from (a document's date): "
            "1999-09-21, 1999-09 or 30 May 2007."
        ),
    ] = None,
    context: Annotated[
        str | None,
        typer.Option(
            help="The sentence the expression stands in; its tense picks which "
            "Friday or June is meant."
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help='JSONL, one {"text", "anchor", "context"} per '
            "line ('-' for stdin); one result or {\"error\"} per line out, in order.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Resolve a time expression to an interval, as claims store it. Needs no database.

    Without --context a year-less date ("June 17", "Friday") is the latest one not
    after the anchor; with it, the sentence's tense decides ("will meet Friday").
    With --file every line is resolved (--anchor and --context fill in lines that lack
    them); a line that cannot be read gives {"error": "line N: ..."} and the rest go on.

    Example: factbase when "June 17" --anchor 2005-06-09 --context "The vote will be held
    on June 17." --json
    """
    from .errors import FactbaseError
    from .reading import timex  # FactBase.when is this; importing db (SQLAlchemy) costs 0.5 s

    if (expr is None) == (file is None):
        raise typer.BadParameter("give one time expression or --file, not both or neither")
    if file is not None:
        _when_file(file, anchor, context, as_json)
        return
    try:
        result = timex.resolve(expr, anchor, context)
    except FactbaseError as error:
        fail(str(error))
    if as_json:
        print_json(result)
    else:
        say(_when_line(result))


def _when_line(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    span = result["earliest"]
    if result["latest"] != span:
        span += f" to {result['latest']}"
    anchored = f", from {result['anchor']}" if result["anchor"] else ""
    return f"{result['raw']}: {span} ({result['precision']}{anchored})"


def _when_file(file: Path, anchor: str | None, context: str | None, as_json: bool) -> None:
    """One output line per input line, written as it is resolved (a long file streams)."""
    from .errors import FactbaseError
    from .reading import timex

    try:
        lines = sys.stdin if str(file) == "-" else open(file, encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    write = sys.stdout.write
    with lines:
        try:
            for result in timex.resolve_lines(lines, anchor, context):
                write(
                    json.dumps(result, ensure_ascii=False) + "\n"
                    if as_json
                    else _when_line(result) + "\n"
                )
        except UnicodeDecodeError:
            fail(f"cannot read {file}: not UTF-8 text")
        except FactbaseError as error:
            fail(str(error))


# Conflicts ---------------------------------------------------------------------------------

CONFLICT_COLUMNS = ("id", "rule", "claims", "status", "explanation")


def _conflict_rows(conflicts: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    from .rules import rule_label

    return [
        (
            c["id"],
            rule_label(c["rule"]) + (" (internal)" if c["internal"] else ""),
            f"{c['claims'][0]} vs {c['claims'][1]}",
            c["status"],
            c["explanation"],
        )
        for c in conflicts
    ]


# A check that finds more conflicts than this prints counts by rule and the first ones.
CHECK_SHOWN = 20


@app.command()
def check(
    ctx: typer.Context,
    as_json: JsonOption = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes comparing subjects in parallel "
            "(default: one per core, up to 4, from 50,000 claims).",
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Compare every subject and refresh the sources' trust (default from "
            "50,000 claims: only the blocks changed since the last check).",
        ),
    ] = False,
    show_all: Annotated[
        bool,
        typer.Option("--all", help=f"List every conflict, not only the first {CHECK_SHOWN}."),
    ] = False,
) -> None:
    """Flag claims that contradict each other; link claims that corroborate each other.

    Walks claims subject by subject (never all pairs) and stores what it finds;
    running it again adds nothing, and decided conflicts are never raised again.
    On a large base only the subjects whose claims changed since the last check
    are compared; --full compares everything. More than 20 conflicts: counts by
    rule and the first 20 (--all or --json for every one).

    Example: factbase check --full --all  (or: factbase check --json)
    """
    with opened(ctx) as fb:
        result = fb.check(workers, "full" if full else "auto")
    if as_json:
        print_json(result)
        return
    scope = (
        "every subject"
        if result["full"]
        else f"{result['blocks_checked']} changed subject-predicate blocks"
    )
    notice(
        f"checked {result['claims_checked']} claims of {scope}: {result['new']} new "
        f"conflicts, {result['resolved']} resolved, "
        f"{result['corroborations']} corroborated claims"
    )
    found = result["conflicts"]
    if show_all or len(found) <= CHECK_SHOWN:
        table(f"{len(found)} conflicts", CONFLICT_COLUMNS, _conflict_rows(found))
        return
    from .models import CONFLICT_STATUSES
    from .rules import RULES, rule_label

    statuses = [s for s in CONFLICT_STATUSES if s != "resolved"]
    counts = Counter((c["rule"], c["status"]) for c in found)
    table(
        f"{len(found)} conflicts by rule",
        ("rule", *statuses),
        [
            (rule_label(rule), *(counts[(rule, s)] for s in statuses))
            for rule in RULES
            if any(counts[(rule, s)] for s in statuses)
        ],
    )
    table(f"the first {CHECK_SHOWN}", CONFLICT_COLUMNS, _conflict_rows(found[:CHECK_SHOWN]))
    say(
        f"… and {len(found) - CHECK_SHOWN} more: `factbase check --all`, "
        "`factbase conflict list --rule RULE` or `factbase report` show them"
    )


@conflict_app.command("list")
def conflict_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="open, confirmed, dismissed or resolved.")
    ] = None,
    rule: Annotated[
        str | None,
        typer.Option(help="negation, single_value, numeric, event_date or exclusive."),
    ] = None,
    entity: Annotated[
        str | None, typer.Option(help="Conflicts whose claims involve this entity.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List conflicts found by `factbase check`.

    Example: factbase conflict list --status open --entity Uzbekistan
    """
    with opened(ctx) as fb:
        conflicts = fb.conflicts(status, rule, entity)
    if as_json:
        print_json(conflicts)
    else:
        table(f"{len(conflicts)} conflicts", CONFLICT_COLUMNS, _conflict_rows(conflicts))


@conflict_app.command("show")
def conflict_show(
    ctx: typer.Context,
    conflict_id: Annotated[int, typer.Argument(metavar="ID", help="Conflict id.")],
    as_json: JsonOption = False,
) -> None:
    """Show a conflict with both claims side by side: text, quote in context, source, date.

    Example: factbase conflict show 1
    """
    with opened(ctx) as fb:
        conflict = fb.conflict(conflict_id)
    if as_json:
        print_json(conflict)
        return
    from rich.text import Text

    from .display import differences, value_words
    from .rules import VALUE_RULES, rule_label

    a, b = conflict["claim_details"]
    say(f"conflict {conflict['id']}: {rule_label(conflict['rule'])} ({conflict['status']})")
    say(conflict["explanation"])
    values = [value_words(claim["object"], claim["value"]) for claim in (a, b)]
    if conflict["rule"] in VALUE_RULES and values[0] != values[1]:
        ours, theirs = differences(*values)
        say(Text.assemble("differs: “", shown(ours), "” vs “", shown(theirs), "”"))
    if conflict["reason"]:
        say(f"decided by {conflict['decided_by']}: {conflict['reason']}")

    def when(claim: dict[str, Any]) -> str:
        time = claim["time"]
        return f"{time['earliest']} .. {time['latest']} ({time['raw']})" if time else "timeless"

    rows = [
        ("claim", f"{a['id']}: {a['text']}", f"{b['id']}: {b['text']}"),
        ("quote", _in_context(a["spans"][0]), _in_context(b["spans"][0])),
        ("source", a["spans"][0]["citation"], b["spans"][0]["citation"]),
        ("when", when(a), when(b)),
    ]
    table(None, ("", "claim A", "claim B"), rows)


def _decide(
    ctx: typer.Context, conflict_id: int, decision: str, reason: str | None, as_json: bool
) -> None:
    with opened(ctx) as fb:
        conflict = fb.decide(conflict_id, decision, reason)
    if as_json:
        print_json(conflict)
    else:
        say(f"conflict {conflict['id']} {conflict['status']}")


ReasonOption = Annotated[str | None, typer.Option(help="Why (kept in the audit log).")]
ConflictId = Annotated[int, typer.Argument(metavar="ID", help="Conflict id.")]


@conflict_app.command("confirm")
def conflict_confirm(
    ctx: typer.Context,
    conflict_id: ConflictId,
    reason: ReasonOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm a conflict: the sources really disagree.

    Example: factbase conflict confirm 1 --reason "the 2007 briefing counts from 1996"
    """
    _decide(ctx, conflict_id, "confirm", reason, as_json)


@conflict_app.command("dismiss")
def conflict_dismiss(
    ctx: typer.Context,
    conflict_id: ConflictId,
    reason: Annotated[str, typer.Option(help="Why it is not a real conflict.")],
    as_json: JsonOption = False,
) -> None:
    """Dismiss a conflict with a reason; `check` will not raise it again.

    Example: factbase conflict dismiss 2 --reason "the foundation moved offices"
    """
    _decide(ctx, conflict_id, "dismiss", reason, as_json)


@conflict_app.command("reopen")
def conflict_reopen(
    ctx: typer.Context, conflict_id: ConflictId, as_json: JsonOption = False
) -> None:
    """Reopen a confirmed or dismissed conflict.

    Example: factbase conflict reopen 2
    """
    _decide(ctx, conflict_id, "reopen", None, as_json)


SOURCE_COLUMNS = (
    "publication",
    "documents",
    "claims",
    "corroborated",
    "in open conflict",
    "decided for",
    "decided against",
    "trust",
)


MethodOption = Annotated[
    str, typer.Option("--method", help="Truth discovery: truthfinder, crh or vote.")
]


@app.command()
def sources(
    ctx: typer.Context, method: MethodOption = "truthfinder", as_json: JsonOption = False
) -> None:
    """How far each publication can be trusted, from what the base holds of it.

    Per publication: its active claims, how many are corroborated or in an
    open conflict, conflicts decided for it (dismissed) and against it
    (confirmed), and a trust score from 0 to 1 found by truth discovery
    (TruthFinder by default) over the competing claims of the whole base. A
    publication that nobody corroborates or contradicts keeps the prior, 0.9.
    Run `factbase check` first: corroborations and conflicts come from it.

    Example: factbase sources --method crh --json
    """
    with opened(ctx) as fb:
        rows = fb.sources(method)
    if as_json:
        print_json(rows)
        return
    table(
        f"{len(rows)} publications",
        SOURCE_COLUMNS,
        [
            (
                row["publication"],
                row["documents"],
                row["claims"],
                row["corroborated"],
                row["in_open_conflict"],
                row["decided_for"],
                row["decided_against"],
                f"{row['trust']:.3f}",
            )
            for row in rows
        ],
    )


@app.command()
def truth(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(help="Subject name or alias.")] = None,
    predicate: Annotated[str | None, typer.Option(help="Predicate name or alias.")] = None,
    method: MethodOption = "truthfinder",
    as_json: JsonOption = False,
) -> None:
    """The most likely value of each single-valued predicate, per subject.

    Truth discovery weighs every claim by the trust of its publications and by
    the values that support or contradict it; the confidence is in [0, 1] and
    `claims` are the ids stating the value. Values that do not compete (one
    office holder in 1999, another in 2004) are listed side by side.

    Example: factbase truth --subject Uzbekistan --method crh --json
    """
    with opened(ctx) as fb:
        values = fb.truth(subject, predicate, method)["values"]
    if as_json:
        print_json({"values": values})
        return
    from .display import value_words

    table(
        f"{len(values)} values",
        ("subject", "predicate", "object/value", "when", "confidence", "claims"),
        [
            (
                row["subject"],
                ("not " if row.get("negated") else "") + row["predicate"],
                row.get("object") or value_words(None, row["value"]),
                row.get("when") or "",
                f"{row['confidence']:.3f}",
                ", ".join(map(str, row["claims"])),
            )
            for row in values
        ],
    )


@app.command()
def report(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """The consistency report: summary, every open conflict side by side, decided ones.

    Example: factbase report --format html --out report.html
    """
    from .reports import FORMATS

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    with opened(ctx) as fb:
        text = fb.report(fmt)
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.write_text(text, "utf-8")
        notice(f"wrote {out_file}")


# Verification ------------------------------------------------------------------------------

OrganizationOption = Annotated[
    str | None,
    typer.Option(
        "--organization",
        envvar="FACTBASE_ORGANIZATION",
        help="Author of ClaimReviews (default: factbase).",
    ),
]
UrlTemplateOption = Annotated[
    str | None,
    typer.Option(
        "--url-template",
        envvar="FACTBASE_REVIEW_URL_TEMPLATE",
        help="Public address of each ClaimReview; {id} is the claim id "
        "(e.g. https://desk.example.org/claims/{id}). Required with ClaimReviews.",
    ),
]


def _show_verdict(result: dict[str, Any]) -> None:
    parsed = result["parsed"]
    say(f"{result['verdict']}: {result['statement']}", style="bold")
    reading = " ".join(
        str(part)
        for part in (
            parsed["subject"],
            "not" if parsed["negated"] else None,
            parsed["predicate"],
            parsed["object"] or parsed["value"],
            parsed["time"] and f"({parsed['time']['earliest']}..{parsed['time']['latest']})",
        )
        if part
    )
    say(f"read as: {reading or '(nothing)'}")
    if parsed["not_understood"]:
        notice(f"not understood: {' '.join(parsed['not_understood'])}")
    table(
        "evidence",
        ("role", "claim", "quote", "source"),
        [
            (e["role"], f"{e['id']}: {e['text']}", e["quote"], e["citation"])
            for e in result["evidence"]
        ],
    )


@app.command()
def verify(
    ctx: typer.Context,
    statement: Annotated[str | None, typer.Argument(help="A plain-English statement.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="One statement per line; prints JSONL.")
    ] = None,
    claimreview: Annotated[
        bool, typer.Option("--claimreview", help="Print schema.org ClaimReview JSON-LD.")
    ] = False,
    organization: OrganizationOption = None,
    url_template: UrlTemplateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a statement against the base: supported, refuted, disputed or not_enough_info.

    The statement is read with the base's own vocabulary (entity aliases,
    predicate phrases, negation, time expressions) and compared with the
    subject's claims by the conflict rules. With --claimreview the result is a
    schema.org ClaimReview whose url is --url-template with {id} = "statement-"
    and 12 hex digits of the statement's SHA-256.

    Example: factbase verify "Uzbekistan left the Collective Security Treaty in 1999"

    Example: factbase verify "Uzbekistan rejoined the CSTO in 2006" --claimreview
      --url-template 'https://desk.example.org/checks/{id}'
    """
    if (statement is None) == (file is None):
        fail("give a STATEMENT or --file, not both")
    if file is not None:
        from .ingest import read_text

        with opened(ctx):
            lines = [line.strip() for line in read_text(file).split("\n") if line.strip()]
    statements = [statement] if statement is not None else lines
    with opened(ctx) as fb:
        if claimreview:
            results = [fb.review_statement(s, organization, url_template) for s in statements]
        else:
            results = [fb.verify(s) for s in statements]
    if file is not None:
        for result in results:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    elif as_json or claimreview:
        print_json(results[0])
    else:
        _show_verdict(results[0])


# Suggestions -------------------------------------------------------------------------------

SUGGESTION_COLUMNS = ("id", "doc", "quote", "subject", "predicate", "object/value", "when",
                      "score", "status")  # fmt: skip


def _suggestion_rows(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    from .display import value_words

    rows = []
    for s in found:
        value = None if s["value"] is None else {"text": f"{s['value']} {s['unit'] or ''}".strip()}
        rows.append(
            (
                s["id"],
                f"{s['document']} {s['start']}:{s['end']}",
                s["quote"],
                s["subject"] + "".join(" (new)" for n in s["new_entities"] if n == s["subject"]),
                ("not " if s["negated"] else "") + s["predicate"],
                value_words(s["object"], value),
                s["when"]["raw"] if s["when"] else "",
                f"{s['score']:.2f}",
                s["status"] + (f" → claim {s['claim_id']}" if s["claim_id"] else ""),
            )
        )
    return rows


@app.command()
def suggest(
    ctx: typer.Context,
    docs: Annotated[
        list[str] | None, typer.Argument(metavar="DOC...", help="Document slugs.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every document.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Read documents into claim suggestions and queue them for review.

    Each suggestion quotes the sentence or clause that states it, with subject,
    predicate, object or value, time (resolved against the document date; none when the
    sentence gives none), negation, modality, attribution, a score and alternatives.
    Running it again never proposes what was accepted or rejected. --json prints
    {"document", "suggestions"} for one document, a list of them for several.

    Example: factbase suggest fir-6-17 --json

    Example: factbase suggest --all
    """
    if all_ == bool(docs):
        fail("give DOC slugs or --all, not both" if all_ else "give DOC slugs or --all")
    with opened(ctx, create=False) as fb, progress_bar("suggesting") as progress:
        results = fb.suggest_many(None if all_ else docs, progress)
    if as_json:
        print_json(results[0] if docs and len(docs) == 1 else results)
        return
    for result in results:
        table(
            f"{result['document']}: {len(result['suggestions'])} suggestions",
            SUGGESTION_COLUMNS,
            _suggestion_rows(result["suggestions"]),
        )


@suggestion_app.command("list")
def suggestion_list(
    ctx: typer.Context,
    doc: Annotated[str | None, typer.Option(help="Document slug.")] = None,
    status: Annotated[str | None, typer.Option(help="suggested, accepted or rejected.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored suggestions, in reading order.

    Example: factbase suggestion list --doc fir-6-17 --status suggested
    """
    with opened(ctx) as fb:
        found = fb.list_suggestions(doc, status)
    if as_json:
        print_json(found)
    else:
        table(f"{len(found)} suggestions", SUGGESTION_COLUMNS, _suggestion_rows(found))


SuggestionId = Annotated[int, typer.Argument(metavar="ID", help="Suggestion id.")]


@suggestion_app.command("show")
def suggestion_show(
    ctx: typer.Context, suggestion_id: SuggestionId, as_json: JsonOption = False
) -> None:
    """Show one suggestion with its alternatives.

    Example: factbase suggestion show 3
    """
    with opened(ctx) as fb:
        found = fb.get_suggestion(suggestion_id)
    if as_json:
        print_json(found)
        return
    fields(
        found | {"when": found["when"]["raw"] if found["when"] else None},
        ("id", "document", "start", "end", "quote", "text", "subject", "predicate", "object",
         "value", "unit", "when", "negated", "modality", "attributed_to", "score",
         "new_entities", "alternatives", "status", "reason", "claim_id", "decided_by"),
    )  # fmt: skip


@suggestion_app.command("accept")
def suggestion_accept(
    ctx: typer.Context,
    suggestion_id: SuggestionId,
    subject: Annotated[str | None, typer.Option(help="Correct the subject.")] = None,
    predicate: Annotated[str | None, typer.Option(help="Correct the predicate.")] = None,
    object_: Annotated[
        str | None, typer.Option("--object", help="Correct the object (drops the value).")
    ] = None,
    value: Annotated[
        str | None, typer.Option(help="A literal value instead (drops the object).")
    ] = None,
    when: Annotated[str | None, typer.Option(help="Correct the time ('' for none).")] = None,
    negated: Annotated[
        bool | None, typer.Option("--negated/--affirmed", help="Correct the polarity.")
    ] = None,
    text: Annotated[str | None, typer.Option(help="Correct the claim's text.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Accept a suggestion: it becomes a claim, as `claim add` would make it.

    New entities the suggestion names are created then. Prints the claim (JSON has "id").

    Example: factbase suggestion accept 3 --when 1999

    Example: factbase suggestion accept 4 --object CSTO --negated
    """
    if object_ is not None and value is not None:
        fail("give --object or --value, not both")
    overrides = {"subject": subject, "predicate": predicate, "object": object_,
                 "value": value, "when": when, "negated": negated, "text": text}  # fmt: skip
    with opened(ctx) as fb:
        claim = fb.accept_suggestion(suggestion_id, **overrides)
    if as_json:
        print_json(claim)
    else:
        table(f"suggestion {suggestion_id} accepted", CLAIM_COLUMNS, _claim_rows([claim]))


@suggestion_app.command("reject")
def suggestion_reject(
    ctx: typer.Context,
    suggestion_id: SuggestionId,
    reason: Annotated[str, typer.Option(help="Why (kept with the suggestion).")],
    as_json: JsonOption = False,
) -> None:
    """Reject a suggestion with a reason; `suggest` will not propose it again.

    Example: factbase suggestion reject 5 --reason "the quote is about Kazakhstan"
    """
    with opened(ctx) as fb:
        found = fb.reject_suggestion(suggestion_id, reason)
    if as_json:
        print_json(found)
    else:
        say(f"suggestion {found['id']} rejected")


@export_app.command("claimreview")
def export_claimreview(
    ctx: typer.Context,
    organization: OrganizationOption = None,
    url_template: UrlTemplateOption = None,
    include_all: Annotated[
        bool,
        typer.Option("--all", help="Also claims with no evidence either way (not_enough_info)."),
    ] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Active claims as schema.org ClaimReviews (JSON-LD), judged by the rest of the base.

    Only claims with a verdict (supported, refuted, disputed) unless --all. Each
    review's url is --url-template (or FACTBASE_REVIEW_URL_TEMPLATE) with {id} the
    claim id; its itemReviewed is the Claim with the documents it appeared in.
    Ratings: supported 4, disputed 3, not_enough_info 2, refuted 1 (best 4, worst 1).

    Example: factbase export claimreview --organization "Newsroom"
      --url-template 'https://desk.example.org/claims/{id}' --out reviews.jsonld
    """
    with opened(ctx) as fb:
        reviews = fb.claimreviews(organization, url_template, include_all)
    _write_json(reviews, out_file)


def _write_json(data: Any, out_file: Path | None) -> None:
    if out_file is None:
        print_json(data)
    else:
        out_file.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
        notice(f"wrote {out_file}")


# Dump and restore -------------------------------------------------------------------------


@app.command("dump")
def dump_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The JSONL file to write (replaced if it exists).")],
    as_json: JsonOption = False,
) -> None:
    """Write the whole base to FILE as JSONL: lossless, the same on SQLite and PostgreSQL.

    A header line with the schema revision, then one line per row, parents first.
    `factbase restore FILE` loads it into an empty database.

    Example: factbase dump backup.jsonl
    """
    with opened(ctx) as fb:
        counts = fb.dump(file)
    _show_counts(f"dumped to {file}", counts, as_json)


@app.command("restore")
def restore_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `factbase dump`.")],
    as_json: JsonOption = False,
) -> None:
    """Load a dump into an empty database at the dump's schema revision (all or nothing).

    Ids are kept; a non-empty database, another schema revision or a malformed
    line is refused and nothing is written.

    Example: factbase --db postgresql://localhost/factbase restore backup.jsonl
    """
    with opened(ctx, create=True) as fb:
        counts = fb.restore(file)
    _show_counts(f"restored from {file}", counts, as_json)


def _show_counts(title: str, counts: dict[str, int], as_json: bool) -> None:
    if as_json:
        print_json({"rows": counts, "total": sum(counts.values())})
        return
    table(title, ("table", "rows"), [(name, n) for name, n in counts.items()])
    say(f"{sum(counts.values())} rows")


@export_app.command("annotations")
def export_annotations(
    ctx: typer.Context,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Every span a claim cites, as W3C Web Annotations (JSON-LD).

    The @context is ["http://www.w3.org/ns/anno.jsonld", {factbase terms}]. Each
    annotation's target is the document with a TextQuoteSelector and a
    TextPositionSelector; its body is the claim's text, and `factbase:claim`
    holds the structured claim as JSON text.

    Example: factbase export annotations --out annotations.jsonld
    """
    with opened(ctx) as fb:
        annotations = fb.annotations()
    _write_json(annotations, out_file)


# Citations ---------------------------------------------------------------------------------

StyleOption = Annotated[
    str,
    typer.Option(
        "--style",
        envvar="FACTBASE_CITATION_STYLE",
        help="chicago (author-date), apa, mla, bibtex or csl-json.",
    ),
]


def _print_citation(citation: dict[str, Any], as_json: bool) -> None:
    """The citation as JSON, or its text (controls made visible: it quotes stored text)."""
    from .display import visible

    if as_json:
        print_json(citation)
    elif citation["style"] == "csl-json":
        sys.stdout.write(citation["text"] + "\n")  # JSON escapes controls itself
    else:
        sys.stdout.write(visible(citation["text"]) + "\n")


@app.command()
def cite(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="CLAIM_ID", help="Claim id.")],
    style: StyleOption = "chicago",
    as_json: JsonOption = False,
) -> None:
    """A ready-to-paste citation of a claim: its source's reference, then the quote.

    Each quote is re-checked against the stored text as the citation is made and
    marked "verified" or "NOT verified: <why>". With --json: {"claim", "style",
    "status", "references": [{"document", "reference"}], "quotes": [{"exact",
    "document", "start", "end", "verified", "verification"}], "text"}.

    Example: factbase cite 4 --style apa
    """
    with opened(ctx) as fb:
        citation = fb.claim_citation(claim_id, style)
    _print_citation(citation, as_json)


@doc_app.command("cite")
def doc_cite(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Document slug; SLUG@N for version N.")],
    style: StyleOption = "chicago",
    as_json: JsonOption = False,
) -> None:
    """A ready-to-paste reference for a document.

    With --json: {"document", "style", "reference", "text"} (the reference is the
    CSL-JSON item for --style csl-json).

    Example: factbase doc cite nbca-2007-05-30 --style mla
    """
    with opened(ctx) as fb:
        citation = fb.document_citation(slug, style)
    _print_citation(citation, as_json)


@export_app.command("csl")
def export_csl(
    ctx: typer.Context,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Every document (its latest version) as CSL-JSON, which Zotero and pandoc import.

    Example: factbase export csl --out sources.json
    """
    from .citations import to_json

    with opened(ctx) as fb:
        text = to_json(fb.export_csl()) + "\n"
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.write_text(text, "utf-8")
        notice(f"wrote {out_file}")


# The demo ------------------------------------------------------------------------------

DEMO_FILE = "factbase-demo.db"


@app.command()
def demo(
    ctx: typer.Context,
    seeds: Annotated[
        Path | None, typer.Option(help="A corpus directory (default: the bundled seeds).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Build a fact base from the seed corpus and print what it loaded.

    Without --db it writes a fresh ./factbase-demo.db (replacing an old one);
    with --db the database must hold no documents yet.

    Example: factbase demo && factbase --db sqlite:///factbase-demo.db claim list
    """
    if ctx.obj.db is None:
        for suffix in ("", "-wal", "-shm"):
            Path(DEMO_FILE + suffix).unlink(missing_ok=True)
        ctx.obj.db = f"sqlite:///{DEMO_FILE}"
    with opened(ctx, create=True) as fb, progress_bar("loading the seed corpus") as progress:
        summary = fb.load_corpus(seeds, progress)
        summary["check"] = fb.check()
        problems = fb.fsck()
    summary["database"] = fb.url
    summary["fsck"] = problems
    if as_json:
        print_json(summary)
    else:
        table(
            "seed corpus",
            ("slug", "publication", "vol/issue", "title", "date", "date source", "claims"),
            [
                (
                    d["slug"],
                    d["publication"],
                    _vol_issue(d),
                    d["title"],
                    _date_label(d),
                    d["date_source"],
                    d["claims"],
                )
                for d in summary["documents"]
            ],
        )
        say(
            f"loaded {len(summary['documents'])} documents, {summary['entities']} entities, "
            f"{summary['predicates']} predicates, {summary['claims']} claims into {fb.url}"
        )
        found = summary["check"]
        table(
            f"{len(found['conflicts'])} conflicts, {found['corroborations']} corroborated claims",
            CONFLICT_COLUMNS,
            _conflict_rows(found["conflicts"]),
        )
        say("fsck: ok" if not problems else f"fsck: {len(problems)} problems")
    if problems:
        raise typer.Exit(1)


# The review desk -----------------------------------------------------------------------------


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; not loopback needs a --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=0, max=65535)] = 8765,
    db: Annotated[
        str | None, typer.Option("--db", help="The base to serve (default: the global --db).")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="FACTBASE_TOKEN",
            help="Access token asked by the login form (required off loopback).",
        ),
    ] = None,
) -> None:
    """The review desk: a web UI for reading, claiming, triage and verifying.

    Binds 127.0.0.1 by default. Any other address needs an access token, which the
    login form asks for; every reviewer gives a name once, recorded in the audit log.

    Example: factbase --db factbase-demo.db serve   # then open http://127.0.0.1:8765
    """
    from .web.security import TokenRequired, require_token

    try:
        require_token(host, token)  # before anything heavy loads: a refusal is instant
    except TokenRequired as error:
        fail(str(error))
    import uvicorn

    from .web.app import create_app

    if db is not None:
        ctx.obj.db = db
    with opened(ctx) as fb:
        desk = create_app(fb, token=token)
        notice(f"factbase desk on http://{host}:{port} serving {fb.url} (Ctrl-C stops it)")
        uvicorn.run(desk, host=host, port=port, log_level="warning", server_header=False)
