"""Citations: documents as CSL-JSON, rendered references, and claim citations with their quotes.

A document becomes one CSL-JSON item (:func:`document_csl`), the form Zotero
and every CSL processor import. The Chicago (author-date), APA and MLA
references are that item rendered by citeproc-py with the style files vendored
in ``factbase/csl/`` (see its README for their source and licence); BibTeX is
written by hand. A claim citation is the reference of each document it cites
followed by its quotes, each re-verified against the stored text when the
citation is made: the quote must equal ``document.text[start:end]`` and the
text must still match its stored SHA-256.

In CSL-JSON a claim's quotes go in the item's ``note`` (Zotero's "Extra"
field), before the line saying how the date was established: ``note`` is the
one free-text field every CSL consumer keeps, while ``abstract`` would misstate
what the quote is. In BibTeX the quotes go in ``note`` and their verification
in ``annote`` (not in ``%`` comments: BibTeX reads any "@" outside an entry,
such as the one in ``slug@2``, as the start of an entry).

citeproc-py (a CSL 1.0.1 processor) leaves gaps that show in these styles: the
styles are loaded with corrected element classes (:func:`_style_class`) and
the output's punctuation is tidied (:func:`_tidy`). Rendering holds a lock:
the parsed styles are shared and citeproc-py keeps per-entry state in them.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from .claims import get_claim
from .errors import FactbaseError, InvalidClaim
from .ingest import get_document, list_documents
from .models import Claim, Document, Span

STYLES = ("chicago", "apa", "mla", "bibtex", "csl-json")
CSL_DIR = Path(__file__).resolve().parent / "csl"
CSL_FILES = {
    "chicago": "chicago-author-date.csl",
    "apa": "apa.csl",
    "mla": "modern-language-association.csl",
}
# publication.kind → CSL item type (another kind: "article-magazine", a piece in a
# named publication); without a publication a document is a "webpage" when it
# has a URL, else a "document" (CSL 1.0.2; Zotero's Document).
CSL_TYPES = {
    "periodical": "article-magazine",
    "magazine": "article-magazine",
    "newsletter": "article-magazine",
    "weekly": "article-magazine",
    "journal": "article-journal",
    "wire": "article-newspaper",
    "newspaper": "article-newspaper",
    "news": "article-newspaper",
    "website": "webpage",
    "blog": "post-weblog",
    "report": "report",
}
UNTITLED = "[Untitled document]"
PERIODICAL_TYPES = {"article-journal", "article-magazine", "article-newspaper"}
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
# Lower-case words before a family name that belong to it ("Ludwig van Beethoven").
_PARTICLES = {"al", "bin", "da", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "ten"}
_PARTICLES |= {"ter", "van", "von", "zu"}


class UnknownStyle(FactbaseError):
    "No citation style has this name"


# CSL-JSON -----------------------------------------------------------------------------


def item_id(document: Document) -> str:
    """The document's citation key: its slug, with @N for a version after the first."""
    return document.slug if document.version == 1 else f"{document.slug}@{document.version}"


def parse_authors(authors: str | None) -> list[dict[str, str]]:
    """CSL names from "A. Writer; B. van Writer" (or "Writer, A."); one word is a literal."""
    names = []
    for raw in re.split(r"[;\n]", authors or ""):
        name = " ".join(raw.split())
        if not name:
            continue
        if "," in name:
            family, given = (part.strip() for part in name.split(",", 1))
            names.append({"family": family, "given": given} if given else {"literal": family})
            continue
        words = name.split(" ")
        if len(words) == 1:
            names.append({"literal": name})
            continue
        cut = len(words) - 1
        while cut > 1 and words[cut - 1] in _PARTICLES:
            cut -= 1
        parsed = {"family": words[-1], "given": " ".join(words[:cut])}
        if cut < len(words) - 1:
            parsed["non-dropping-particle"] = " ".join(words[cut:-1])
        names.append(parsed)
    return names


def date_parts(day: date, precision: str | None) -> list[int]:
    """[y], [y, m] or [y, m, d]: only the parts the date is known to."""
    parts = [day.year, day.month, day.day]
    return parts[: {"year": 1, "month": 2}.get(precision or "day", 3)]


def date_note(document: Document) -> str | None:
    """How the date was established, unless the text states it."""
    if document.date is None:
        return "Undated: no date is stated or known."
    if document.date_source == "stated":
        return None
    source = document.date_source or "given"
    return f"Date {source}: {document.date_note}" if document.date_note else f"Date {source}."


def _csl_type(document: Document) -> str:
    publication = document.publication
    if publication is None:
        return "webpage" if document.url else "document"
    return CSL_TYPES.get((publication.kind or "").strip().lower(), "article-magazine")


def document_csl(document: Document) -> dict[str, Any]:
    """The CSL-JSON item of a document (for Zotero, pandoc, citeproc)."""
    publication = document.publication
    item: dict[str, Any] = {"id": item_id(document), "type": _csl_type(document)}
    if document.title:
        item["title"] = document.title
    if publication is not None:
        item["container-title"] = publication.name
        if publication.publisher:
            item["publisher"] = publication.publisher
    if document.volume:
        item["volume"] = document.volume
    if document.issue:
        item["issue"] = document.issue
    authors = parse_authors(document.authors)
    if authors:
        item["author"] = authors
    if document.date is not None:
        item["issued"] = {"date-parts": [date_parts(document.date, document.date_precision)]}
    if document.url:
        item["URL"] = document.url
    note = date_note(document)
    if note:
        item["note"] = note
    return item


def export_csl(session: Session) -> list[dict[str, Any]]:
    """Every document (its latest version) as CSL-JSON, by slug: `factbase export csl`."""
    return [document_csl(document) for document in list_documents(session)]


# Verification ---------------------------------------------------------------------------


def verify_span(span: Span) -> str:
    """Re-check a span against the stored text now: "verified: …" or "NOT verified: <why>"."""
    return _verdict(span_problems(span))


def _verdict(problems: list[str]) -> str:
    if problems:
        return "NOT verified: " + "; ".join(problems)
    return (
        "verified: the quote equals the stored text at its offsets and the text matches its sha256"
    )


def span_problems(span: Span) -> list[str]:
    """Why a span no longer stands in the stored text; empty when it does."""
    document = span.document
    problems = []
    if span.end > len(document.text):
        problems.append(
            f"offsets {span.start}–{span.end} run past the end of the text "
            f"({len(document.text)} characters)"
        )
    else:
        stored = document.text[span.start : span.end]
        if stored != span.exact:
            problems.append(
                f"the stored text at {span.start}–{span.end} reads “{_one_line(stored)}”, "
                "not the quote"
            )
    digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    if digest != document.sha256:
        problems.append(
            f"the document text does not match its sha256 "
            f"(stored {document.sha256[:12]}…, computed {digest[:12]}…)"
        )
    return problems


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _where(span: Span) -> str:
    return f"span {span.start}–{span.end} of {item_id(span.document)}"


def quote_line(span: Span) -> str:
    """“quote” (span START–END of SLUG, verified: …)."""
    return f"“{_one_line(span.exact)}” ({_where(span)}, {verify_span(span)})"


# Rendering ------------------------------------------------------------------------------


def _check_style(style: str) -> str:
    key = style.strip().lower()
    if key not in STYLES:
        raise UnknownStyle(f"unknown citation style {style!r}: use one of {', '.join(STYLES)}")
    return key


def cite_document(session: Session, slug: str, style: str) -> str:
    """A ready-to-paste reference for a document (SLUG or SLUG@N) in `style`."""
    return document_citation(session, slug, style)["text"]


def document_citation(session: Session, slug: str, style: str) -> dict[str, Any]:
    """A document's reference as data (`doc cite --json`).

    {"document", "style", "reference", "text"}: `reference` is the CSL-JSON item
    for csl-json, else the text; `text` is what `cite_document` returns.
    """
    style = _check_style(style)
    document = get_document(session, slug)
    if style == "csl-json":
        reference: str | dict[str, Any] = document_csl(document)
        text = to_json([reference])
    else:
        reference = text = (
            bibtex(document) if style == "bibtex" else render(document_csl(document), style)
        )
    return {"document": item_id(document), "style": style, "reference": reference, "text": text}


def cite_claim(session: Session, claim_id: int, style: str) -> str:
    """The reference of each document a claim cites, then its quotes, each re-verified."""
    return claim_citation(session, claim_id, style)["text"]


def claim_citation(session: Session, claim_id: int, style: str) -> dict[str, Any]:
    """A claim's citation as data (`cite --json`), with `text` as `cite_claim` prints it.

    {"claim", "style", "status", "references": [{"document", "reference"}],
    "quotes": [{"exact", "document", "start", "end", "verified", "verification"}], "text"}:
    a reference is the CSL-JSON item (quotes in its note) for csl-json, else text;
    `verified` says whether the quote still stands in the stored text, `verification` why.
    """
    style = _check_style(style)
    claim = get_claim(session, claim_id)
    if not claim.spans:
        raise InvalidClaim(f"claim {claim_id} cites no span: there is nothing to cite")
    status = _status(claim)
    blocks = []
    references: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    for document, spans in _by_document(claim.spans):
        lines = [quote_line(span) for span in spans]
        if style == "csl-json":
            item = document_csl(document)
            notes = [f"Quote: {line}" for line in lines] + [status, item.get("note")]
            item["note"] = "\n".join(note for note in notes if note)
            reference: str | dict[str, Any] = item
        elif style == "bibtex":
            reference = bibtex(document, spans, status)
            blocks.append(reference)
        else:
            reference = render(document_csl(document), style)
            blocks.append(
                "\n".join(line for line in [reference, "", *lines, status] if line is not None)
            )
        references.append({"document": item_id(document), "reference": reference})
        quotes += [_quote_data(span) for span in spans]
    items = [r["reference"] for r in references]
    return {
        "claim": claim.id,
        "style": style,
        "status": claim.status,
        "references": references,
        "quotes": quotes,
        "text": to_json(items) if style == "csl-json" else "\n\n".join(blocks),
    }


def _quote_data(span: Span) -> dict[str, Any]:
    problems = span_problems(span)
    return {
        "exact": span.exact,
        "document": item_id(span.document),
        "start": span.start,
        "end": span.end,
        "verified": not problems,
        "verification": _verdict(problems),
    }


def _status(claim: Claim) -> str | None:
    """A line for a claim that is no longer active; None for an active one."""
    if claim.status == "active":
        return None
    reason = f": {claim.status_reason}" if claim.status_reason else ""
    return f"Claim {claim.id} is {claim.status}{reason}."


def _by_document(spans: list[Span]) -> list[tuple[Document, list[Span]]]:
    """Spans grouped by document (in the claim's order), each group by offset."""
    groups: dict[int, tuple[Document, list[Span]]] = {}
    for span in spans:
        groups.setdefault(span.document_id, (span.document, []))[1].append(span)
    return [(document, sorted(group, key=lambda s: s.start)) for document, group in groups.values()]


def to_json(items: list[dict[str, Any]]) -> str:
    """CSL-JSON text, indented, with each date's parts on one line: [[2000, 9]]."""
    text = json.dumps(items, indent=2, ensure_ascii=False)
    # Only a date's parts are lists of numbers; a newline cannot occur inside a JSON string.
    return re.sub(
        r"\[\n\s*\[\n\s*(-?\d+(?:,\n\s*-?\d+)*)\n\s*\]\n\s*\]",
        lambda m: "[[" + ", ".join(part.strip() for part in m[1].split(",")) + "]]",
        text,
    )


def _for_style(item: dict[str, Any], style: str) -> dict[str, Any]:
    """The item as the style should see it: the renderer's view, not the exported data.

    - No publisher for a periodical: none of the three styles cites one (MLA 9
      omits it for periodicals), but the MLA style prints any it is given;
      Zotero's article types carry none, so it never sees one there.
    - A document without a title is cited by a description in brackets, as the
      three styles cite untitled works (MLA rendered nothing at all and failed
      when it had no title, author, date or publication either).
    - MLA prints only month and year for an "article-magazine"; a periodical
      issue dated to the day is a daily's or a weekly's, cited with its full
      date, as the style does for "article-newspaper" (the two types render
      alike otherwise).
    """
    shown = dict(item)
    shown.setdefault("title", UNTITLED)
    if shown["type"] in PERIODICAL_TYPES:
        shown.pop("publisher", None)
    parts = shown.get("issued", {}).get("date-parts", [[]])[0]
    if style == "mla" and shown["type"] == "article-magazine" and len(parts) == 3:
        shown["type"] = "article-newspaper"
    return shown


def render(item: dict[str, Any], style: str) -> str:
    """One CSL-JSON item as a plain-text bibliography entry in a vendored CSL style."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with _render_lock:
        source = CiteProcJSON([_for_style(item, style)])
        bibliography = CitationStylesBibliography(_csl_style(style), source, formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"].lower())]))  # ids are lowered
        [entry] = bibliography.bibliography()
        return _tidy(str(entry))


def _tidy(text: str) -> str:
    """Punctuation citeproc-py leaves as it is but CSL's en-US locale does not.

    en-US sets punctuation-in-quote: a period or comma after a closing quote moves
    inside it, and is dropped when the title already ends in punctuation.
    Doubled periods ("Jr..") become one.
    """
    text = re.sub(r"([.?!])”[.,]", r"\1”", text)
    text = re.sub(r"”([.,])", r"\1”", text)
    text = re.sub(r"([?!])\.", r"\1", text)
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)


# citeproc-py corrections ----------------------------------------------------------------

_render_lock = threading.RLock()
# The variables rendered while a <substitute> child is being tried (a stack: they nest).
_recording: list[set[str]] = []


@contextmanager
def _recorded() -> Iterator[set[str]]:
    used: set[str] = set()
    _recording.append(used)
    try:
        yield used
    finally:
        _recording.pop()


@cache
def _style_class() -> type:
    """citeproc-py's style loader, with element classes that suppress substituted variables."""
    from citeproc import CitationStylesStyle, model
    from citeproc.source import VariableError
    from lxml import etree

    def suppressed(context: Any) -> set[str]:
        return context.get_layout().repressed.get("*", set())

    def record(variable: str) -> None:
        for used in _recording:
            used.add(variable)

    class Text(model.Text):
        """A text variable: empty once a substitute has rendered it."""

        def _variable(self, item, context):
            variable = self.get("variable")
            if variable in suppressed(context):
                return None
            text = super()._variable(item, context)
            if text is not None:
                record(variable)
            return text

    class Number(model.Number):
        """A number variable: empty once a substitute has rendered it."""

        def process(self, item, context=None, **kwargs):
            variable = self.get("variable")
            if context is not None and variable in suppressed(context):
                raise VariableError
            text = super().process(item, context=context, **kwargs)
            record(variable)
            return text

    class Substitute(model.Substitute):
        """CSL: the variables a substitute renders are suppressed in the rest of the entry.

        citeproc-py suppresses only a `<text variable=…>` child; these styles
        substitute through macros (the title for a missing author), so the
        title came out twice.
        """

        def render(self, item, context=None, **kwargs):
            for child in self.getchildren():
                with _recorded() as used:
                    try:
                        if isinstance(child, model.Names) and child.name is None:
                            names = self.xpath_search("./parent::cs:names[1]")[0]
                            text = child.render(
                                item, names_context=names, context=context, **kwargs
                            )
                        else:
                            text = child.render(item, context=context, **kwargs)
                    except VariableError:
                        continue
                if text:
                    self.add_to_repressed_list(child, context)
                    repressed = context.get_layout().repressed
                    repressed["*"] = repressed.get("*", set()) | used
                    return text
            return None

    corrected = {"text": Text, "number": Number, "substitute": Substitute}

    class Style(CitationStylesStyle):
        """`CitationStylesStyle(path, validate=False)`, parsed with the corrected classes."""

        def __init__(self, path: Path):
            lookup = etree.ElementNamespaceClassLookup()
            namespace = lookup.get_namespace("http://purl.org/net/xbiblio/csl")
            namespace[None] = model.CitationStylesElement
            for cls in model.CitationStylesElement.__subclasses__():
                namespace[cls.__name__.replace("_", "-").lower()] = cls
            namespace.update(corrected)
            self.parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
            self.parser.set_element_class_lookup(lookup)
            self.xml = etree.parse(str(path), self.parser)
            self.root = self.xml.getroot()
            self.root.set_locale_list(self.root.get("default-locale", "en-US"), validate=False)

    return Style


@cache
def _csl_style(style: str) -> Any:
    """A vendored style, parsed once (parsing takes a while)."""
    return _style_class()(CSL_DIR / CSL_FILES[style])


# BibTeX ---------------------------------------------------------------------------------


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters ({}&%$#_~^\\) in a BibTeX field value."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group()], " ".join(text.split()))


def bibtex_key(document: Document) -> str:
    """The slug (and version) with every character but letters and digits replaced by _."""
    return re.sub(r"[^A-Za-z0-9]", "_", item_id(document))


def _bibtex_names(names: list[dict[str, str]]) -> str:
    def one(name: dict[str, str]) -> str:
        if "literal" in name:
            return "{" + latex_escape(name["literal"]) + "}"
        family = " ".join(filter(None, (name.get("non-dropping-particle"), name["family"])))
        return f"{latex_escape(family)}, {latex_escape(name['given'])}"

    return " and ".join(one(name) for name in names)


def bibtex(document: Document, spans: list[Span] | None = None, status: str | None = None) -> str:
    """A hand-written BibTeX entry; with spans, their quotes in `note`, verified in `annote`.

    An article in a periodical is an `@article`; anything else a `@misc`.
    `annote` (printed only by annotated bibliography styles) also says how the
    date was established when the text does not state it.
    """
    item = document_csl(document)
    fields: list[tuple[str, str]] = []
    if "author" in item:
        fields.append(("author", _bibtex_names(item["author"])))
    if "title" in item:
        fields.append(("title", "{" + latex_escape(item["title"]) + "}"))  # keep its case
    article = item["type"] in PERIODICAL_TYPES
    if "container-title" in item:
        container = latex_escape(item["container-title"])
        fields.append(("journal", container) if article else ("howpublished", container))
    if "publisher" in item:
        fields.append(("publisher", latex_escape(item["publisher"])))
    for key, field in (("volume", "volume"), ("issue", "number")):
        if key in item:
            fields.append((field, latex_escape(item[key])))
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", BIBTEX_MONTHS[parts[1] - 1]))  # a macro: no braces
    if "URL" in item:
        # url is verbatim for url.sty and biblatex: percent-encode braces, which would break it.
        fields.append(("url", item["URL"].replace("{", "%7B").replace("}", "%7D")))
    spans = spans or []
    if spans:
        quotes = "; ".join(f"“{_one_line(span.exact)}”" for span in spans)
        fields.append(("note", latex_escape(f"Quoted: {quotes}")))
    notes = [f"Quote at {_where(span)}, {verify_span(span)}." for span in spans]
    notes += [status, item.get("note")]
    if any(notes):
        fields.append(("annote", latex_escape(" ".join(note for note in notes if note))))
    entry_type = "article" if article else "misc"
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@{entry_type}{{{bibtex_key(document)},\n{body}\n}}"
