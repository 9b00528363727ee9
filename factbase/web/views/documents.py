"""Documents: the list, and the reader with every claim's span highlighted.

Selecting a passage in the reader (static/desk.js) fills the new-claim form with the
span's offsets and exact text; the server stores the claim only if the document holds
exactly that text there (`FactBase.add_claim_at`).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...claims import ClaimFilter, ClaimInput
from ...display import layers
from ...errors import FactbaseError, InvalidClaim
from ..common import base, call, is_htmx, page
from ..security import checked_form

MODALITIES = ("asserted", "reported", "hedged", "planned")


PAGE_SIZE = 50


def page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


async def document_list(request: Request) -> Response:
    number = page_number(request)
    found = await call(request, lambda fb: fb.document_page(PAGE_SIZE, (number - 1) * PAGE_SIZE))
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    return page(
        request,
        "documents.html",
        documents=found["items"],
        total=found["total"],
        page_number=number,
        pages=pages,
    )


def reading(fb: Any, slug: str) -> dict[str, Any]:
    """The document, its claims and the text cut into highlight runs."""
    document = fb.document(slug, with_text=True)
    cited = fb.claims(ClaimFilter(doc=slug))
    spans = [
        (span["start"], span["end"], claim["id"])
        for claim in cited
        for span in claim["spans"]
        if span["document"] == document["slug"] and span["version"] == document["version"]
    ]
    text = document["text"]
    runs = [
        (start, text[start:end], " ".join(map(str, ids)), ",".join(map(str, ids)))
        for start, end, ids in layers(len(text), spans)
    ]
    return {"document": document, "claims": cited, "runs": runs}


async def reader(request: Request) -> Response:
    slug = request.path_params["slug"]
    data = await call(request, lambda fb: reading(fb, slug))
    predicates = await call(request, lambda fb: fb.predicate_names())
    return page(
        request,
        "reader.html",
        **data,
        predicates=predicates,
        modalities=MODALITIES,
        prefill=hasattr(base(request), "read_span"),
        form={},
        error=None,
    )


async def claims_at(request: Request) -> Response:
    """The claims whose spans cover one run of the reader (a click on a highlight)."""
    slug = request.path_params["slug"]
    try:
        ids = [int(i) for i in request.query_params.get("ids", "").split(",") if i]
    except ValueError:
        ids = []
    shown = await call(request, lambda fb: fb.claims(ClaimFilter(doc=slug)))
    picked = [c for c in shown if c["id"] in ids]
    return page(request, "partials/claims_at.html", claims=picked)


async def prefill(request: Request) -> Response:
    """The new-claim form pre-filled by the reading layer for a selected span, when the
    base has one (`FactBase.read_span`); else the form as it is."""
    slug = request.path_params["slug"]
    query = request.query_params
    form: dict[str, Any] = {"start": query.get("start"), "end": query.get("end")}
    form["exact"] = query.get("exact", "")
    error = None
    fb = base(request)
    if hasattr(fb, "read_span"):
        try:
            start, end = int(query.get("start", "")), int(query.get("end", ""))
            read = await call(request, lambda fb: fb.read_span(slug, start, end))
            form |= {"start": read["start"], "end": read["end"], "exact": read["quote"]}
            form |= prefilled(read.get("suggestion"))
        except ValueError:
            error = "the selection's offsets must be numbers"
        except FactbaseError as failure:
            error = str(failure)
    predicates = await call(request, lambda fb: fb.predicate_names())
    return page(
        request,
        "partials/claim_form.html",
        document={"slug": slug},
        form=form,
        predicates=predicates,
        modalities=MODALITIES,
        error=error,
    )


def prefilled(suggestion: dict[str, Any] | None) -> dict[str, Any]:
    """The new-claim form's fields from the reading layer's best reading of a passage,
    with the predicate's best alternatives to pick from."""
    if not suggestion:
        return {}
    form = {
        key: suggestion.get(key)
        for key in ("text", "subject", "predicate", "object", "value", "unit", "modality")
    }
    form["attributed_to"] = suggestion.get("attributed_to")
    form["when"] = (suggestion.get("when") or {}).get("raw")
    form["negated"] = bool(suggestion.get("negated"))
    form["alternatives"] = (suggestion.get("alternatives") or {}).get("predicate", [])[:5]
    return {key: value for key, value in form.items() if value not in (None, "")}


def _int(form: Any, key: str) -> int:
    try:
        return int(form.get(key, ""))
    except ValueError:
        raise InvalidClaim(f"{key} must be a character offset, not {form.get(key)!r}") from None


def claim_input(slug: str, form: Any) -> ClaimInput:
    def text(key: str) -> str | None:
        value = str(form.get(key) or "").strip()
        return value or None

    return ClaimInput(
        text=text("text") or "",
        doc=slug,
        quote=str(form.get("exact") or ""),
        subject=text("subject") or "",
        predicate=text("predicate") or "",
        object=text("object"),
        value=text("value"),
        unit=text("unit"),
        when=text("when"),
        negated=form.get("negated") in ("on", "true", "1"),
        modality=text("modality") or "asserted",
        attributed_to=text("attributed_to"),
    )


async def add_claim(request: Request) -> Response:
    slug = request.path_params["slug"]
    form = await checked_form(request)
    try:
        inp = claim_input(slug, form)
        for key, label in (
            ("text", "claim text"),
            ("subject", "subject"),
            ("predicate", "predicate"),
        ):
            if not getattr(inp, key):
                raise InvalidClaim(f"the {label} is empty")
        start, end = _int(form, "start"), _int(form, "end")
        added = await call(
            request, lambda fb: fb.add_claim_at(inp, start, end, str(form.get("exact") or ""))
        )
    except FactbaseError as failure:
        predicates = await call(request, lambda fb: fb.predicate_names())
        return page(
            request,
            "partials/claim_form.html",
            status_code=400,
            document={"slug": slug},
            form=dict(form),
            predicates=predicates,
            modalities=MODALITIES,
            error=str(failure),
        )
    target = f"/claims/{added['id']}"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


routes = [
    Route("/documents", document_list),
    Route("/documents/{slug}", reader),
    Route("/documents/{slug}/at", claims_at),
    Route("/documents/{slug}/prefill", prefill),
    Route("/documents/{slug}/claims", add_claim, methods=["POST"]),
]
