"""Take docs/desk-conflicts.png: the desk's Conflicts screen on the demo base, in headless
Chromium (Playwright driving Debian's chromium). Run from a checkout:
``python docs/desk_screenshot.py`` (it builds a fresh demo base in a temporary directory).
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from factbase import FactBase  # noqa: E402
from factbase.web.app import create_app  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fb = FactBase(f"sqlite:///{tmp}/demo.db")
        fb.load_corpus()
        fb.check()
        single = fb.conflicts(rule="single_value")[0]["id"]
        with fb.acting_as("Ada Reviewer"):
            fb.decide(single, "dismiss", "the foundation moved offices")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(fb), host="127.0.0.1", port=port, log_level="warning")
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 820})
            page.goto(f"http://127.0.0.1:{port}/conflicts?status=")
            page.fill("input[name=name]", "Ada Reviewer")
            page.click("button[type=submit]")
            page.wait_for_selector("table.conflicts")
            page.screenshot(path=str(ROOT / "docs" / "desk-conflicts.png"), full_page=True)
            browser.close()
        server.should_exit = True
        fb.close()


if __name__ == "__main__":
    main()
