"""Measure what a reader's first search downloads on a large archive.

    python scripts/measure_search.py [--articles 20000] [--query oil --query "bank of england"] [--keep DIR]

Turns Reuters-21578 stories (../shared/corpora/reuters-21578, read in place, never
copied into the repository) into an articles folder in a temporary project, builds it
with this project's mkdocs.yml (`mkdocs build`, Pagefind included), then, for each
query, opens the search page in a fresh Chromium (nothing cached) served by a plain
static server that compresses nothing, and adds up every search file the browser
fetched until the results show, then what opening the facets adds. Prints the figures
(also as a host that gzips text would send them), a breakdown by kind of file, and the
first excerpt; exits non-zero when a first search is over --budget KB.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "reuters-21578" / "reuters21578.jsonl.gz"


def write_articles(corpus: Path, out: Path, count: int) -> int:
    """Write up to `count` stories with a title, date and body as article files."""
    written = 0
    repeats = 1 + count // 19000  # the corpus has about 19,000 usable stories
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        stories = [json.loads(line) for line in lines]
    usable = [s for s in stories if s["title"] and s["date"] and s["body"]]
    for round_ in range(repeats):
        for story in usable:
            if written >= count:
                return written
            year = int(story["date"][:4]) - round_  # copies go to earlier years: new addresses
            date = f"{year}{story['date'][4:10]}"
            names = lambda codes: json.dumps([c.replace("-", " ").title() for c in codes])
            text = (f"---\ntitle: {json.dumps(story['title'].title())}\ndate: {date}\n"
                    f"slug: story-{story['id']}\nsource: Reuters\n"
                    f"places: {names(story['places'])}\nactors: {names(story['people'] + story['orgs'])}\n"
                    f"---\n\n{story['body']}\n")
            path = out / str(year) / f"{story['id']}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    return written


def build_site(project: Path) -> float:
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, project / name)
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, project / name, dirs_exist_ok=True)  # a kept project gets the current ones
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", "site"],
                            cwd=project, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    return time.monotonic() - started


# Pagefind's own files (.pf_*, .pagefind, .gz) are gzip-compressed already; the scripts and
# lists are text, which many static hosts (GitHub Pages, Netlify, Cloudflare…) send gzipped.
TEXT_SUFFIXES = (".js", ".css", ".json")


@dataclass
class Fetched:
    """Search files the browser fetched: bytes as stored (what a host that does not
    compress sends) and as a host that gzips text sends them, by kind of file."""

    stored: Counter = field(default_factory=Counter)
    gzipped: Counter = field(default_factory=Counter)

    def add(self, name: str, body: bytes) -> None:
        kind = name.split("/", 1)[0] + "/" if "/" in name else re.sub(r"\.[a-z]+_[0-9a-f]+\.", ".", name)
        self.stored[kind] += len(body)
        self.gzipped[kind] += len(gzip.compress(body, 6)) if name.endswith(TEXT_SUFFIXES) else len(body)

    def minus(self, earlier: Fetched) -> Fetched:
        return Fetched(self.stored - earlier.stored, self.gzipped - earlier.gzipped)


@dataclass
class Search:
    query: str
    first: Fetched  # the first search, as the page shows it
    facets: Fetched  # what opening "Narrow by place, actor and year" adds
    shown: int
    status: str
    excerpts: list[str]
    facet_groups: list[str]


def measure_first_search(site: Path, queries: list[str]) -> list[Search]:
    """Each query as a reader's first search (a fresh browser, nothing cached), then the facets."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    # A plain static server: it sends every file as it is stored, uncompressed.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    searches = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            fetched = Fetched()
            page.on("response", lambda response: fetched.add(
                response.url.split("/pagefind/", 1)[1].split("?", 1)[0], response.body())
                if "/pagefind/" in response.url else None)
            page.goto(f"http://127.0.0.1:{server.server_port}/search/?q={urllib.parse.quote_plus(query)}")
            # Done when the status line speaks: results (then shown), none, or a word too common.
            page.wait_for_function("document.querySelector('.archive-search__status').textContent.trim()",
                                   timeout=120_000)
            if page.locator(".archive-search__status").inner_text()[:1].isdigit():
                page.wait_for_selector(".archive-search__result-link", timeout=120_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(2000)  # let anything late arrive
            first = Fetched(Counter(fetched.stored), Counter(fetched.gzipped))
            results = page.locator(".archive-search__result")
            excerpts = [results.nth(i).locator("p").first.inner_text() for i in range(results.count())]
            status = page.locator(".archive-search__status").inner_text()
            groups = []
            if results.count():  # facets narrow results: with none shown there is nothing to narrow
                page.locator(".archive-search__facets summary").click()
                page.wait_for_selector(".archive-search__filters fieldset", timeout=120_000)
                page.wait_for_load_state("networkidle")
                groups = page.locator(".archive-search__filters legend").all_inner_texts()
            searches.append(Search(query, first, fetched.minus(first), results.count(), status, excerpts, groups))
            context.close()
        browser.close()
    server.shutdown()
    return searches


def print_search(search: Search) -> None:
    stored, gzipped = sum(search.first.stored.values()), sum(search.first.gzipped.values())
    print(f"\nfirst search for {search.query!r}: {stored / 1024:.0f} KB from a host that does not "
          f"compress, {gzipped / 1024:.0f} KB from one that gzips text")
    first = f", the first: {search.excerpts[0][:110]!r}" if search.excerpts else ""
    print(f"  {search.status}; {search.shown} results shown{first}")
    for kind, size in search.first.stored.most_common():
        print(f"  {kind:32} {size / 1024:7.1f} KB stored  {search.first.gzipped[kind] / 1024:7.1f} KB gzipped")
    if search.facet_groups:
        print(f"  opening the facets ({', '.join(search.facet_groups)}) then adds "
              f"{sum(search.facets.stored.values()) / 1024:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--query", action="append",
                        help="a reader's search (repeat for more); default: oil, and bank of england")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--budget", type=float, default=300, help="fail above this many KB (uncompressed)")
    args = parser.parse_args()
    queries = args.query or ["oil", "bank of england"]
    project = args.keep or Path(tempfile.mkdtemp(prefix="measure-search-"))
    project.mkdir(parents=True, exist_ok=True)
    try:
        if not (project / "site" / "pagefind").is_dir():
            count = write_articles(CORPUS, project / "articles", args.articles)
            print(f"{count} articles written; building…", flush=True)
            print(f"mkdocs build (with Pagefind): {build_site(project):.0f} s", flush=True)
        bundle = project / "site" / "pagefind"
        index_bytes = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
        print(f"whole search bundle on disk: {index_bytes / 1e6:.1f} MB; words left out of searches "
              f"of several words: {', '.join(json.loads((bundle / 'archive-common-words.json').read_text()))}")
        searches = measure_first_search(project / "site", queries)
        for search in searches:
            print_search(search)
        over = [s.query for s in searches if sum(s.first.stored.values()) / 1024 > args.budget]
        if over:
            sys.exit(f"over the {args.budget:.0f} KB budget: {', '.join(over)}")
    finally:
        if not args.keep:
            shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
