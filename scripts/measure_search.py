"""Measure what a reader's first search downloads on a large archive.

    python scripts/measure_search.py [--articles 20000] [--query oil] [--keep DIR]

Turns Reuters-21578 stories (../shared/corpora/reuters-21578, read in place, never
copied into the repository) into an articles folder in a temporary project, builds it
with this project's mkdocs.yml (`mkdocs build`, Pagefind included), then opens the
search page in Chromium, runs one query and adds up every search file the browser
fetched. Prints the figure and a breakdown by kind of file.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
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
        shutil.copytree(ROOT / name, project / name)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", "site"],
                            cwd=project, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    return time.monotonic() - started


# Pagefind's own files (.pf_*, .pagefind) are gzip-compressed already; the scripts and
# styles are text, which static hosts (GitHub Pages, Netlify, Cloudflare…) send gzipped.
TEXT_SUFFIXES = (".js", ".css", ".json")


def measure_first_search(site: Path, query: str) -> tuple[Counter, Counter, int]:
    """Bytes of each search file the browser fetched for one query, by file kind:
    as stored, and as sent by a host that gzips text; then what opening the facets
    (places, actors, years) adds."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: Counter = Counter()
    sent: Counter = Counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()

        def record(response) -> None:
            if "/pagefind/" in response.url:
                name = response.url.split("/pagefind/", 1)[1].split("?", 1)[0]
                kind = name.split("/", 1)[0] if "/" in name else name.split(".")[0] + "." + name.rsplit(".", 1)[-1]
                body = response.body()
                sizes[kind] += len(body)
                sent[kind] += len(gzip.compress(body, 6)) if name.endswith(TEXT_SUFFIXES) else len(body)

        page.on("response", record)
        page.goto(f"http://127.0.0.1:{server.server_port}/search/?q={query}")
        page.wait_for_selector(".archive-search__result-link", timeout=120_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(2000)  # let anything late arrive
        shown = page.locator(".archive-search__result").count()
        first_sizes, first_sent = Counter(sizes), Counter(sent)
        page.locator(".archive-search__facets summary").click()
        page.wait_for_selector(".archive-search__filters fieldset", timeout=120_000)
        page.wait_for_load_state("networkidle")
        facets = sum(sent.values()) - sum(first_sent.values())
        browser.close()
    server.shutdown()
    print(f"results shown: {shown}")
    return first_sizes, first_sent, facets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--query", default="oil")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    project = args.keep or Path(tempfile.mkdtemp(prefix="measure-search-"))
    project.mkdir(parents=True, exist_ok=True)
    try:
        if not (project / "site" / "pagefind").is_dir():
            count = write_articles(CORPUS, project / "articles", args.articles)
            print(f"{count} articles written; building…", flush=True)
            print(f"mkdocs build (with Pagefind): {build_site(project):.0f} s", flush=True)
        index_bytes = sum(f.stat().st_size for f in (project / "site" / "pagefind").rglob("*") if f.is_file())
        sizes, sent, facets = measure_first_search(project / "site", args.query)
        print(f"whole search bundle on disk: {index_bytes / 1e6:.1f} MB")
        print(f"first search for {args.query!r} downloaded {sum(sent.values()) / 1024:.0f} KB "
              f"from a host that gzips text ({sum(sizes.values()) / 1024:.0f} KB uncompressed):")
        for kind, size in sizes.most_common():
            print(f"  {kind:30} {sent[kind] / 1024:8.1f} KB sent  {size / 1024:8.1f} KB stored")
        print(f"opening the facets then adds {facets / 1024:.0f} KB")
    finally:
        if not args.keep:
            shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
