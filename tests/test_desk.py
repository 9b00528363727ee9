"""The review desk through Starlette's TestClient, on SQLite and PostgreSQL: every route,
CSRF refusal, the token off loopback, security headers, stored markup rendered inert,
and bad form input refused with the library's one-line message, changing nothing."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from factbase import ClaimFilter, ClaimInput, FactBase
from factbase.curation import DocumentEdit
from factbase.web.app import create_app
from factbase.web.security import TokenRequired, is_loopback, require_token

from .conftest import Invoke

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page carries a CSRF token"
    return found.group(1)


def client_for(fb: FactBase, reviewer: str | None = "Ada Reviewer", **options) -> TestClient:
    client = TestClient(
        create_app(fb, **options), base_url="http://127.0.0.1", raise_server_exceptions=False
    )
    if reviewer:
        page = client.get("/reviewer")
        answer = client.post("/reviewer", data={"csrf": csrf_of(page.text), "name": reviewer})
        assert answer.status_code == 200 and answer.url.path == "/documents"  # via home
    return client


@pytest.fixture
def desk(seeded: FactBase) -> Iterator[TestClient]:
    seeded.check()
    with client_for(seeded) as client:
        yield client


def token(client: TestClient, path: str = "/documents") -> str:
    return csrf_of(client.get(path).text)


def test_every_screen_answers(desk: TestClient, seeded: FactBase) -> None:
    first = seeded.claims()[0]
    claim, doc = first["id"], first["spans"][0]["document"]
    conflict = seeded.conflicts()[0]["id"]
    for path in (
        "/documents",
        f"/documents/{doc}",
        f"/documents/{doc}/at?ids={claim}",
        f"/documents/{doc}/prefill?start=0&end=4",
        "/suggestions",
        "/conflicts",
        "/conflicts?status=&rule=single_value",
        f"/conflicts/{conflict}",
        f"/claims/{claim}",
        f"/claims/{claim}/citations",
        "/verify",
        "/verify?statement=Uzbekistan+rejoined+the+CSTO+in+2006",
        "/report",
        "/sources",
        "/sources?method=crh",
    ):
        answer = desk.get(path)
        assert answer.status_code == 200, (path, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/html")
        fragment = any(part in path for part in ("/at?", "/prefill?", "/citations"))
        assert ('<nav class="top">' in answer.text) is not fragment, path
    assert f'href="/claims/{claim}"' in desk.get(f"/documents/{doc}/at?ids={claim}").text


def test_unknown_things_are_404_pages_without_traceback(desk: TestClient) -> None:
    for path, message in (
        ("/claims/999999", "no claim with id 999999"),
        ("/conflicts/999999", "no conflict with id 999999"),
        ("/documents/no-such-doc", "unknown document"),
        ("/no/such/page", "Not Found"),
    ):
        answer = desk.get(path)
        assert answer.status_code == 404, path
        assert message in html.unescape(answer.text)
        assert "Traceback" not in answer.text
    bad = desk.get("/sources?method=astrology")
    assert bad.status_code == 400
    assert "unknown method 'astrology': use one of truthfinder, crh, vote" in html.unescape(
        bad.text
    )


def test_security_headers_everywhere(desk: TestClient) -> None:
    for path in ("/documents", "/static/desk.js", "/no/such/page", "/login"):
        headers = desk.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_no_inline_script_in_any_page(desk: TestClient, seeded: FactBase) -> None:
    claim = seeded.claims()[0]["id"]
    for path in ("/documents", f"/claims/{claim}", "/conflicts", "/report", "/verify"):
        page = desk.get(path).text
        for tag in re.findall(r"<script[^>]*>", page):
            assert 'src="/static/' in tag, (path, tag)
        assert not re.search(r"\son\w+=", page), path  # no inline event handlers
        assert "<style" not in page, path


def test_session_cookie_is_httponly_and_strict(seeded: FactBase) -> None:
    client = TestClient(create_app(seeded), base_url="http://127.0.0.1")
    cookie = client.get("/reviewer").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def _post_routes() -> list[str]:
    app = create_app(FactBase("sqlite://"))  # an in-memory base: only the routes matter
    return [r.path for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]


def test_every_post_needs_the_csrf_token(desk: TestClient, seeded: FactBase) -> None:
    before = seeded.counts()
    paths = _post_routes()
    assert len(paths) >= 9
    for path in paths:
        concrete = path.replace("{id:int}", "1").replace("{slug}", "fir-6-17")
        concrete = concrete.replace("{action:str}", "accept")
        data = {"decision": "confirm", "name": "Mallory", "reason": "x", "text": "t"}
        assert desk.post(concrete, data=data).status_code == 403, path
        data["csrf"] = "forged"
        assert desk.post(concrete, data=data).status_code == 403, path
    assert seeded.counts() == before


def test_get_changes_nothing(desk: TestClient, seeded: FactBase) -> None:
    before = seeded.counts()
    conflict = seeded.conflicts()[0]["id"]
    desk.get(f"/conflicts/{conflict}/decide?decision=confirm")
    desk.get("/claims/1/retract?reason=x")
    desk.get("/verify?statement=Uzbekistan+left+the+CST+in+1999")
    assert seeded.counts() == before
    assert seeded.conflicts()[0]["status"] == "open"


def test_reviewer_is_asked_once_and_recorded(seeded: FactBase) -> None:
    seeded.check()
    client = TestClient(create_app(seeded), base_url="http://127.0.0.1")
    first = client.get("/conflicts", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/reviewer")
    page = client.get("/reviewer?next=/conflicts")
    empty = client.post("/reviewer", data={"csrf": csrf_of(page.text), "name": "  "})
    assert empty.status_code == 400 and "give your name" in empty.text
    done = client.post(
        "/reviewer",
        data={"csrf": csrf_of(page.text), "name": "Grace Hopper", "next": "/conflicts"},
    )
    assert done.url.path == "/conflicts" and "Grace Hopper" in done.text
    conflict = seeded.conflicts(rule="single_value")[0]["id"]
    answer = client.post(
        f"/conflicts/{conflict}/decide",
        data={"csrf": csrf_of(done.text), "decision": "dismiss", "reason": "office moved"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<tr id="conflict-row-{conflict}"')
    assert "Grace Hopper" in answer.text and "office moved" in answer.text
    decided = seeded.conflict(conflict)
    assert (decided["status"], decided["decided_by"]) == ("dismissed", "Grace Hopper")
    events = seeded.history("conflict", conflict)
    assert events[-1]["actor"] == "Grace Hopper"
    assert events[-1]["action"] == "dismiss"


def test_next_never_leaves_the_desk(seeded: FactBase) -> None:
    client = TestClient(create_app(seeded), base_url="http://127.0.0.1")
    page = client.get("/reviewer")
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        answer = client.post(
            "/reviewer",
            data={"csrf": csrf_of(page.text), "name": "Ada", "next": target},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/", target


def test_token_is_required_off_loopback() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert is_loopback(host)
        require_token(host, None)
    for host in ("0.0.0.0", "192.168.1.5", "example.org", "::"):
        assert not is_loopback(host)
        with pytest.raises(TokenRequired, match="needs an access token"):
            require_token(host, None)
        require_token(host, "s3cret")


def test_cli_serve_refuses_public_host_without_token(cli: Invoke, monkeypatch) -> None:
    monkeypatch.delenv("FACTBASE_TOKEN", raising=False)
    result = cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: serving on 0.0.0.0 needs an access token: pass --token or set FACTBASE_TOKEN\n"
    )


def test_login_with_token(seeded: FactBase) -> None:
    client = TestClient(create_app(seeded, token="open sesame"), base_url="http://desk.example.org")
    gate = client.get("/documents", follow_redirects=False)
    assert gate.status_code == 303 and gate.headers["location"].startswith("/login")
    assert client.get("/claims/1", follow_redirects=False).status_code == 303
    form = client.get("/login")
    assert form.status_code == 200
    wrong = client.post("/login", data={"csrf": csrf_of(form.text), "token": "guess"})
    assert wrong.status_code == 403 and "wrong access token" in wrong.text
    assert client.get("/documents", follow_redirects=False).status_code == 303
    right = client.post(
        "/login",
        data={"csrf": csrf_of(form.text), "token": "open sesame", "next": "/documents"},
        follow_redirects=False,
    )
    assert right.status_code == 303
    asked = client.get("/documents", follow_redirects=False)
    assert asked.headers["location"].startswith("/reviewer")  # then the name, once
    other = TestClient(create_app(seeded, token="another"), base_url="http://desk.example.org")
    other.cookies = client.cookies  # a cookie signed for another desk is worth nothing
    assert other.get("/documents", follow_redirects=False).headers["location"].startswith("/login")


def test_loopback_desk_refuses_foreign_host_header(seeded: FactBase) -> None:
    """Without a token only loopback Host names are served (DNS rebinding)."""
    client = TestClient(create_app(seeded), base_url="http://attacker.example")
    assert client.get("/documents").status_code == 400


def test_selection_adds_claim_with_exact_span(desk: TestClient, seeded: FactBase) -> None:
    text = seeded.document("fir-6-17", with_text=True)["text"]
    exact = "the Islamist rebels"
    start = text.index(exact)
    answer = desk.post(
        "/documents/fir-6-17/claims",
        data={
            "csrf": token(desk),
            "start": str(start),
            "end": str(start + len(exact)),
            "exact": exact,
            "text": "Islamist rebels fought Uzbekistan",
            "subject": "Islamist rebels",
            "predicate": "requested assistance from",
            "object": "Russia",
            "when": "2000",
        },
    )
    assert answer.status_code == 200 and answer.url.path.startswith("/claims/")
    claim = seeded.claim(int(answer.url.path.rsplit("/", 1)[1]))
    span = claim["spans"][0]
    assert (span["start"], span["end"], span["exact"]) == (start, start + len(exact), exact)
    assert claim["created_by"] == "Ada Reviewer"
    assert seeded.history("claim", claim["id"])[0]["actor"] == "Ada Reviewer"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"exact": "the Islamist rebelz"}, "the selection does not match the document"),
        ({"start": "x"}, "start must be a character offset, not 'x'"),
        ({"predicate": "frobnicated"}, "unknown predicate 'frobnicated'"),
        ({"when": "the twelfth of never"}, "the twelfth of never"),
        ({"subject": ""}, "the subject is empty"),
    ],
)
def test_bad_claim_form_changes_nothing(
    desk: TestClient, seeded: FactBase, change: dict[str, str], message: str
) -> None:
    text = seeded.document("fir-6-17", with_text=True)["text"]
    exact = "the Islamist rebels"
    start = text.index(exact)
    data = {
        "csrf": token(desk),
        "start": str(start),
        "end": str(start + len(exact)),
        "exact": exact,
        "text": "a claim",
        "subject": "Uzbekistan",
        "predicate": "requested assistance from",
        "object": "Russia",
    } | change
    before = seeded.counts()
    answer = desk.post("/documents/fir-6-17/claims", data=data)
    assert answer.status_code == 400
    errors = re.findall(r'<p class="error" role="alert">([^<]*)</p>', answer.text)
    assert len(errors) == 1 and message in html.unescape(errors[0])
    assert "\n" not in errors[0]
    assert seeded.counts() == before


def test_decisions_in_the_pair_view(desk: TestClient, seeded: FactBase) -> None:
    conflict = seeded.conflicts(rule="event_date")[0]["id"]
    csrf = token(desk, f"/conflicts/{conflict}")
    hx = {"HX-Request": "true"}
    url = f"/conflicts/{conflict}/decide"
    refused = desk.post(url, data={"csrf": csrf, "decision": "dismiss", "view": "pair"}, headers=hx)
    assert refused.status_code == 400
    assert "dismissing a conflict needs a --reason" in refused.text
    assert seeded.conflict(conflict)["status"] == "open"
    confirmed = desk.post(
        url, data={"csrf": csrf, "decision": "confirm", "view": "pair"}, headers=hx
    )
    assert confirmed.status_code == 200 and "confirmed" in confirmed.text
    assert "Ada Reviewer" in confirmed.text
    reopened = desk.post(url, data={"csrf": csrf, "decision": "reopen", "view": "pair"}, headers=hx)
    assert reopened.status_code == 200 and seeded.conflict(conflict)["status"] == "open"
    plain = desk.post(url, data={"csrf": csrf, "decision": "confirm"}, follow_redirects=False)
    assert plain.status_code == 303  # without htmx: back to the pair view


def test_conflict_queue_facets(desk: TestClient, seeded: FactBase) -> None:
    conflicts = seeded.conflicts()
    page = desk.get("/conflicts?status=").text
    rows = re.findall(r'<tr id="conflict-row-(\d+)"', page)
    assert sorted(map(int, rows)) == sorted(c["id"] for c in conflicts)
    single = desk.get("/conflicts?status=&rule=single_value").text
    assert set(re.findall(r'<tr id="conflict-row-(\d+)"', single)) == {
        str(c["id"]) for c in conflicts if c["rule"] == "single_value"
    }
    assert "Jamestown Foundation" in single  # the subject facet


def test_claim_screen_edit_and_retract(desk: TestClient, seeded: FactBase) -> None:
    claim = seeded.claims()[0]
    page = desk.get(f"/claims/{claim['id']}").text
    assert f'hx-get="/claims/{claim["id"]}/citations" hx-trigger="load"' in page
    cited = desk.get(f"/claims/{claim['id']}/citations").text
    for style in ("chicago", "apa", "mla", "bibtex", "csl-json"):
        assert f'id="cite-{style}"' in cited
    assert 'class="copy"' in cited
    assert seeded.cite_claim(claim["id"], "bibtex").split("\n")[0] in html.unescape(cited)
    csrf = csrf_of(page)
    nothing = desk.post(f"/claims/{claim['id']}/edit", data={"csrf": csrf, "text": claim["text"]})
    assert nothing.status_code == 400 and "nothing to change" in nothing.text
    bad = desk.post(f"/claims/{claim['id']}/edit", data={"csrf": csrf, "predicate": "zzz"})
    assert bad.status_code == 400 and "unknown predicate 'zzz'" in html.unescape(bad.text)
    edited = desk.post(f"/claims/{claim['id']}/edit", data={"csrf": csrf, "text": "New words"})
    assert edited.status_code == 200 and seeded.claim(claim["id"])["text"] == "New words"
    assert "Ada Reviewer" in edited.text  # the history shows who edited
    no_reason = desk.post(f"/claims/{claim['id']}/retract", data={"csrf": csrf, "reason": ""})
    assert no_reason.status_code == 400 and "a retraction needs a reason" in no_reason.text
    retracted = desk.post(f"/claims/{claim['id']}/retract", data={"csrf": csrf, "reason": "dup"})
    assert retracted.status_code == 200
    assert seeded.claim(claim["id"])["status"] == "retracted"


def test_verify_and_claimreview_download(desk: TestClient) -> None:
    statement = "Uzbekistan left the Collective Security Treaty in 1999"
    page = desk.get("/verify", params={"statement": statement}).text
    assert 'id="verdict">disputed</h2>' in page
    assert page.count('class="card role-') >= 2
    download = desk.get("/verify/claimreview.json", params={"statement": statement})
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    review = download.json()
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == statement


def test_reader_highlights_every_span(desk: TestClient, seeded: FactBase) -> None:
    document = seeded.document("fir-6-17", with_text=True)
    page = desk.get("/documents/fir-6-17").text
    article = re.search(r'<article id="doc-text"[^>]*>(.*?)</article>', page, re.S).group(1)
    shown = html.unescape(re.sub(r"<[^>]+>", "", article))
    assert shown == document["text"]  # every character once, offsets intact
    marked = {int(i) for ids in re.findall(r'data-claims="([^"]+)"', article) for i in ids.split()}
    assert marked == {c["id"] for c in seeded.claims(ClaimFilter(doc="fir-6-17"))}


def test_stored_markup_is_inert(desk: TestClient, seeded: FactBase) -> None:
    seeded.add_entity(XSS)
    seeded.add_predicate(XSS, "state")
    added = seeded.add_claim(
        ClaimInput(
            text=XSS,
            doc="fir-6-17",
            quote="4526 43rd Street NW, Washington, DC 20016",
            subject="Jamestown Foundation",
            predicate="postal address",
            value=XSS,
            attributed_to=XSS,
        )
    )
    seeded.check()
    seeded.edit_document("fir-6-17", DocumentEdit(title=XSS))
    conflict = seeded.conflicts(rule="single_value")
    for path in (
        "/documents",
        "/documents/fir-6-17",
        f"/claims/{added['id']}",
        "/conflicts?status=",
        f"/conflicts/{conflict[0]['id']}",
        "/report",
        f"/documents/fir-6-17/at?ids={added['id']}",
    ):
        page = desk.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(&quot;x&quot;)" in page or "&lt;script&gt;" in page, path
    reviewer = XSS[:90]
    hostile = client_for(seeded, reviewer=reviewer)
    page = hostile.get("/documents").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_without_a_queue_the_suggestions_screen_says_so(desk: TestClient, seeded, monkeypatch):
    monkeypatch.delattr(type(seeded), "list_suggestions", raising=False)
    page = desk.get("/suggestions")
    assert page.status_code == 200 and "no suggestion queue yet" in page.text
    run = desk.post("/suggestions/run", data={"csrf": token(desk), "doc": "fir-6-17"})
    assert run.status_code == 404


needs_queue = pytest.mark.skipif(
    not hasattr(FactBase, "list_suggestions"), reason="no suggestion queue in this factbase"
)


@needs_queue
def test_suggestions_run_accept_reject(desk: TestClient, seeded: FactBase) -> None:
    csrf = token(desk, "/suggestions")
    hx = {"HX-Request": "true"}
    ran = desk.post("/suggestions/run", data={"csrf": csrf, "doc": "fir-6-17"}, headers=hx)
    assert ran.status_code == 200 and "suggestions for fir-6-17" in ran.text
    queue = seeded.list_suggestions(doc="fir-6-17", status="suggested")
    assert len(queue) >= 2
    page = desk.get("/suggestions?doc=fir-6-17").text
    shown = [int(i) for i in re.findall(r'<li id="suggestion-(\d+)"', page)]
    by_score = sorted(queue, key=lambda s: (-(s["score"] or 0), s["id"]))
    assert shown == [s["id"] for s in by_score]  # best first
    first, second = by_score[0], by_score[1]
    fields = {"csrf": csrf, "text": first["text"], "subject": first["subject"]}
    accepted = desk.post(f"/suggestions/{first['id']}/accept", data=fields, headers=hx)
    assert accepted.status_code == 200 and "status-accepted" in accepted.text
    stored = seeded.get_suggestion(first["id"])
    assert stored["status"] == "accepted" and stored["decided_by"] == "Ada Reviewer"
    assert seeded.claim(stored["claim_id"])["created_by"] == "Ada Reviewer"
    no_reason = desk.post(f"/suggestions/{second['id']}/reject", data={"csrf": csrf}, headers=hx)
    assert no_reason.status_code == 400
    assert seeded.get_suggestion(second["id"])["status"] == "suggested"
    rejected = desk.post(
        f"/suggestions/{second['id']}/reject",
        data={"csrf": csrf, "reason": "not a claim"},
        headers=hx,
    )
    assert rejected.status_code == 200 and "not a claim" in rejected.text
    desk.post("/suggestions/run", data={"csrf": csrf, "doc": "fir-6-17"}, headers=hx)
    again = seeded.list_suggestions(doc="fir-6-17", status="suggested")
    reading = ("quote", "subject", "predicate", "object", "value", "negated")
    back = [s for s in again if all(s[k] == second[k] for k in reading)]
    assert back == []  # a rejected reading never comes back


@needs_queue
def test_selection_prefill_from_the_reading_layer(desk: TestClient, seeded: FactBase) -> None:
    text = seeded.document("fir-6-17", with_text=True)["text"]
    exact = "having abandoned it last year in favor of bilateral arrangements with Russia"
    start = text.index(exact)
    form = desk.get(
        "/documents/fir-6-17/prefill",
        params={"start": start, "end": start + len(exact), "exact": exact},
    ).text
    read = seeded.read_span("fir-6-17", start, start + len(exact))
    assert f'name="start" value="{read["start"]}"' in form
    if read["suggestion"]:
        assert f'name="predicate" value="{read["suggestion"]["predicate"]}"' in html.unescape(form)


def test_sources_screen_shows_stored_trust_and_says_when_stale(
    desk: TestClient, seeded: FactBase
) -> None:
    answer = desk.get("/sources")
    assert "Computed by the full check of" in answer.text
    trust = seeded.stored_sources()["rows"][0]["trust"]
    assert f"{trust:.3f}" in answer.text
    conflict = seeded.conflicts(rule="single_value")[0]["id"]
    seeded.decide(conflict, "dismiss", "not a disagreement")
    assert "Stale: the base changed since the last full check" in desk.get("/sources").text
    assert "trust-state" not in desk.get("/sources?method=vote").text
