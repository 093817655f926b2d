"""Screenshot pages of a built site in light and dark mode, at desktop and phone width.

    python scripts/screenshots.py SITE_DIR OUT_DIR [PAGE ...]

For looking at the archive the way a reader does; not part of the test suite.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

DEFAULT_PAGES = ["", "places/derna/", "actors/", "timeline/",
                 "articles/2016/04/islamic-state-in-retreat-around-east-libyan-city-military/"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 800)}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(site_dir: str, out_dir: str, *pages: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=site_dir)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for scheme in ("light", "dark"):
            for name, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              color_scheme=scheme)
                page = context.new_page()
                for path in pages or DEFAULT_PAGES:
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")  # pages that fetch data, like search
                    slug = path.strip("/").replace("/", "_") or "home"
                    page.screenshot(path=out / f"{slug}-{scheme}-{name}.png", full_page=True)
                context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python scripts/screenshots.py SITE_DIR OUT_DIR [PAGE ...]")
    main(*sys.argv[1:])
