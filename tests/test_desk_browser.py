"""The desk end to end in headless Chromium (Debian's, driven by Playwright's sync API):
select a passage -> a claim with exactly that span; dismiss a conflict -> the row updates
in place and the audit names the reviewer; verify a statement -> verdict and evidence;
accept a suggestion. One server and one browser for the module; SQLite (TestClient tests
cover PostgreSQL). FACTBASE_REQUIRE_CHROMIUM=1 (as .ci/run sets) makes a missing
chromium a failure, not a skip."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from factbase import ClaimFilter, FactBase

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REVIEWER = "Bea Browser"


def _need_chromium() -> None:
    missing = CHROMIUM is None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("FACTBASE_REQUIRE_CHROMIUM") == "1":
            pytest.fail("chromium and playwright are required (FACTBASE_REQUIRE_CHROMIUM=1)")
        pytest.skip("Debian's chromium or the playwright package is not installed")


@pytest.fixture(scope="module")
def served(sqlite_templates: dict[bool, Path], tmp_path_factory) -> Iterator[tuple[str, FactBase]]:
    """The desk over a seeded, checked SQLite base, served by uvicorn on a free port."""
    _need_chromium()
    import uvicorn

    from factbase.web.app import create_app

    path = tmp_path_factory.mktemp("desk") / "factbase.db"
    shutil.copy(sqlite_templates[True], path)
    fb = FactBase(f"sqlite:///{path}")
    fb.check()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(fb), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", fb
    server.should_exit = True
    thread.join(10)
    fb.close()


@pytest.fixture(scope="module")
def browser(served) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser, served) -> Iterator:
    """One logged-in tab: the reviewer's name given once, kept by the session."""
    url, _fb = served
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{url}/documents")
    assert "/reviewer" in tab.url
    tab.fill("input[name=name]", REVIEWER)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{url}/documents")
    yield tab
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def test_select_a_passage_adds_a_claim_with_that_span(page, served) -> None:
    url, fb = served
    text = fb.document("fir-6-17", with_text=True)["text"]
    phrase = "Uzbek Deputy Foreign Affairs Minister Abdusamat Haidarov"
    start = text.index(phrase)
    page.goto(f"{url}/documents/fir-6-17")
    # Drag the mouse from the phrase's first character to its last, as a reader does.
    box = page.evaluate(
        """([start, end]) => {
            const runs = Array.from(document.querySelectorAll('#doc-text [data-start]'));
            const at = (offset) => {
                const run = runs.filter(r => Number(r.dataset.start) <= offset).pop();
                const node = run.firstChild;
                return [node, Array.from(node.data).slice(0, offset - Number(run.dataset.start))
                    .join('').length];
            };
            const range = document.createRange();
            const [a, i] = at(start); range.setStart(a, i); range.setEnd(a, i + 1);
            const first = range.getBoundingClientRect();
            const [b, j] = at(end - 1); range.setStart(b, j); range.setEnd(b, j + 1);
            const last = range.getBoundingClientRect();
            return [first.left + 1, first.top + first.height / 2,
                    last.right - 1, last.top + last.height / 2];
        }""",
        [start, start + len(phrase)],
    )
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move(box[2], box[3], steps=8)
    page.mouse.up()
    form = page.locator("#new-claim")
    form.wait_for(state="visible")
    if hasattr(fb, "read_span"):  # the reading layer's pre-fill replaces the form
        page.wait_for_load_state("networkidle")
    assert form.locator("textarea[name=exact]").input_value() == phrase
    form.locator("input[name=text]").fill("Haidarov was Uzbekistan's deputy foreign minister")
    form.locator("input[name=subject]").fill("Abdusamat Haidarov")
    form.locator("input[name=predicate]").fill("requested assistance from")
    form.locator("input[name=object]").fill("Russia")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/claims/*")
    claim = fb.claim(int(page.url.rsplit("/", 1)[1]))
    span = claim["spans"][0]
    where = (span["document"], span["start"], span["end"])
    assert where == ("fir-6-17", start, start + len(phrase))
    assert span["exact"] == phrase and claim["created_by"] == REVIEWER


def test_dismiss_a_conflict_updates_the_row_in_place(page, served) -> None:
    url, fb = served
    conflict = fb.conflicts(rule="single_value", status="open")[0]["id"]
    page.goto(f"{url}/conflicts")
    marker = page.evaluate("window.desk_marker = Math.random()")
    row = page.locator(f"#conflict-row-{conflict}")
    row.locator("input[name=reason]").fill("the foundation moved offices")
    row.locator("form.decide button", has_text="dismiss").click()
    page.locator(f"#conflict-row-{conflict} td.status", has_text="dismissed").wait_for()
    assert page.evaluate("window.desk_marker") == marker, "the page was not reloaded"
    assert REVIEWER in page.locator(f"#conflict-row-{conflict} td.decided").inner_text()
    assert "the foundation moved offices" in page.locator(f"#conflict-row-{conflict}").inner_text()
    decided = fb.conflict(conflict)
    assert (decided["status"], decided["decided_by"]) == ("dismissed", REVIEWER)
    assert fb.history("conflict", conflict)[-1]["actor"] == REVIEWER


def test_verify_shows_verdict_and_evidence(page, served) -> None:
    url, _fb = served
    page.goto(f"{url}/verify")
    page.fill("input[name=statement]", "Uzbekistan left the Collective Security Treaty in 1999")
    page.click("form.verify button")
    page.locator("#verdict").wait_for()
    assert page.locator("#verdict").inner_text().lower() == "disputed"
    cards = page.locator(".evidence .card")
    assert cards.count() >= 2
    assert "having abandoned it last year" in cards.first.inner_text()
    with page.expect_download() as download:
        page.click("text=Download the ClaimReview")
    assert download.value.suggested_filename == "claimreview.json"


def test_accept_a_suggestion(page, served) -> None:
    url, fb = served
    page.goto(f"{url}/suggestions")
    if not hasattr(fb, "list_suggestions"):
        assert "no suggestion queue yet" in page.locator(".notice").inner_text()
        pytest.skip("this factbase has no suggestion queue (factbase suggest) yet")
    before = len(fb.claims(ClaimFilter(doc="fir-6-17")))
    page.goto(f"{url}/suggestions?doc=fir-6-17")
    page.click("details.run summary")
    run = page.locator("#suggest-runs li", has_text="fir-6-17")
    run.locator("button").click()  # the per-document "suggest" button, progress beside it
    run.locator(".progress .done").wait_for()
    page.reload()
    first = page.locator("li.suggestion").first
    first.wait_for()
    sid = first.get_attribute("id")
    page.keyboard.press("j")
    page.keyboard.press("k")  # back to the best one
    page.keyboard.press("a")
    page.locator(f"#{sid}.status-accepted").wait_for()
    assert len(fb.claims(ClaimFilter(doc="fir-6-17"))) == before + 1
    accepted = fb.get_suggestion(int(sid.split("-")[1]))
    assert accepted["decided_by"] == REVIEWER
