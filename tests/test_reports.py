"""The consistency report: regression files on the seed corpus, escaping, and real Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from factbase import ClaimInput, FactBase

from .conftest import Invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = "<script>document.body.setAttribute('data-pwned', '1')</script> & <b>bold</b>"


@pytest.fixture
def checked(seeded: FactBase) -> FactBase:
    seeded.check()
    return seeded


def test_markdown_report_on_seeds(checked: FactBase, file_regression) -> None:
    file_regression.check(checked.report("md"), extension=".md", basename="seed_report")


def test_json_report_on_seeds(checked: FactBase, data_regression) -> None:
    data_regression.check(json.loads(checked.report("json")), basename="seed_report")


def test_report_sections_follow_triage(checked: FactBase) -> None:
    dismissed = checked.conflicts(rule="single_value")[0]["id"]
    checked.decide(dismissed, "dismiss", "the foundation moved offices")
    report = json.loads(checked.report("json"))
    assert [c["id"] for c in report["dismissed"]] == [dismissed]
    assert report["dismissed"][0]["reason"] == "the foundation moved offices"
    assert dismissed not in [c["id"] for c in report["open"]]
    assert report["summary"]["conflicts"]["single_value"]["dismissed"] == 1
    markdown = checked.report("md")
    assert "## Dismissed conflicts" in markdown
    assert ": the foundation moved offices" in markdown


def test_publications_show_trust_with_its_evidence(checked: FactBase) -> None:
    """Each publication's row counts its claims in confirmed conflicts beside the
    corroborated ones; confirming a conflict moves its claims from the open count."""

    def rows() -> dict[str, dict]:
        report = json.loads(checked.report("json"))
        return {p["publication"]: p for p in report["summary"]["publications"]}

    before = rows()
    assert all(p["in_confirmed_conflict"] == 0 for p in before.values())
    conflict = checked.conflicts(rule="single_value")[0]["id"]
    checked.decide(conflict, "confirm", "two addresses cannot both be right")
    after = rows()
    moved = {name for name, p in after.items() if p["in_confirmed_conflict"]}
    assert moved, "a confirmed conflict counts against the publications of its claims"
    assert sum(p["in_confirmed_conflict"] for p in after.values()) == 2  # its two claims
    assert all(after[n]["in_conflict"] < before[n]["in_conflict"] for n in moved)
    assert "| in confirmed conflict |" in checked.report("md")
    assert "<th>in confirmed conflict</th>" in checked.report("html")


def _hostile(fb: FactBase) -> None:
    """A conflict whose claims carry markup, so the report must escape it."""
    fb.add_claim(
        ClaimInput(
            text=HOSTILE,
            doc="fir-6-17",
            quote="4526 43rd Street NW, Washington, DC 20016",
            subject="Jamestown Foundation",
            predicate="postal address",
            value="<i>4526</i> 43rd Street",
        )
    )
    fb.check()


def test_html_escapes_stored_text(seeded: FactBase) -> None:
    _hostile(seeded)
    page = seeded.report("html")
    assert "<script>document" not in page
    assert "&lt;script&gt;document.body.setAttribute(&#x27;data-pwned&#x27;" in page
    assert page.count("<svg") == len(json.loads(seeded.report("json"))["timelines"]) >= 1


MARKDOWN_HOSTILE = "<svg onload=alert(1)> | *bold* _it_ `code` [link](javascript:x) \x1b[31m &amp;"


def test_markdown_cannot_inject_html_or_markup(seeded: FactBase) -> None:
    """Rendered (with raw HTML allowed, as many viewers do), stored text stays text."""
    from markdown_it import MarkdownIt

    seeded.add_claim(
        ClaimInput(
            text=MARKDOWN_HOSTILE,
            doc="fir-6-17",
            quote="4526 43rd Street NW, Washington, DC 20016",
            subject="Jamestown Foundation",
            predicate="postal address",
            value="# <img src=x onerror=alert(1)>",
        )
    )
    seeded.check()
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    page = rendered.render(seeded.report("md"))
    for tag in ("<svg", "<img", "<em>", "<strong>", "<code>", "<a ", "<s>"):
        assert tag not in page
    assert page.count("<h1>") == 1  # the report's title; the stored "# …" is no heading
    assert "&lt;svg onload=alert(1)&gt; | *bold* _it_ `code` [link](javascript:x)" in page
    assert "\\x1b[31m &amp;amp;" in page and "\x1b" not in page
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):  # no stored | split a cell
        cells = len(re.findall(r"<t[dh]", row))
        assert cells in {3, 5, 7}, row  # sides, rules, publications


def test_html_highlights_quotes_and_differences(seeded: FactBase) -> None:
    seeded.check()
    page = seeded.report("html")
    assert (
        "<mark>having abandoned it last year in favor of bilateral arrangements with Russia</mark>"
        in page
    )
    assert "45<mark>2</mark>6 43rd Street NW, Washington<mark>,</mark> DC 20016" in page
    assert "45<mark>1</mark>6 43rd Street NW, Washington DC 20016" in page
    assert "event_date — different dates for the same event</h3>" in page
    assert "<td>single_value — different values where only one can hold</td>" in page


def test_html_report_in_headless_chromium(seeded: FactBase, tmp_path: Path) -> None:
    if CHROMIUM is None:
        if os.environ.get("FACTBASE_REQUIRE_CHROMIUM") == "1":
            pytest.fail("chromium is required (FACTBASE_REQUIRE_CHROMIUM=1) but not installed")
        pytest.skip("Debian's chromium is not installed")
    _hostile(seeded)
    page = tmp_path / "report.html"
    page.write_text(seeded.report("html"), "utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None and "data-pwned" not in body.group(0), "stored script ran"
    assert "&lt;script&gt;" in dom, "the claim text is shown as text"
    assert "<b>bold</b>" not in dom
    conflicts = len(json.loads(seeded.report("json"))["open"])
    assert len(re.findall(r"<section class=\"conflict\"", dom)) == conflicts >= 3
    assert re.search(r"<svg[^>]*>.*<rect", dom, re.S), "the timeline rendered as SVG"
    shot = tmp_path / "report.png"
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000, "a non-trivial page was painted"


def test_cli_report_formats(checked: FactBase, cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = cli("report", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(cli("report", "--format", "json").stdout)["summary"]["documents"] == 5
    bad = cli("report", "--format", "pdf")
    assert (bad.exit_code, bad.stderr) == (
        1,
        "Error: unknown format 'pdf': use one of md, html, json\n",
    )
