"""Sites of short stories for Pagefind, and what an index says about them, by page address."""

import json
from pathlib import Path

from build_archive.pagefind_format import decode, unpack
from build_archive.search import PAGEFIND_BYTES_PER_CHARACTER, IndexedPage
from conftest import write_files

PLACES = ["Derna", "Benghazi", "Tripoli", "Zürich"]


def story(number: int) -> str:
    """A story with words of its own, words every story shares, accented spellings and
    filters, so that words, variants and filters all span the batches."""
    place = PLACES[number % len(PLACES)]
    own = " ".join(f"w{number}x{k}" for k in range(number % 5 + 1))
    accents = "Café résumé in Zürich." if number % 3 == 0 else "Cafe resume near Zurich."
    return (f'<html lang="en"><body><div data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">Story {number} from {place}</h1>'
            f'<span data-pagefind-filter="place">{place}</span>'
            f'<span data-pagefind-filter="year">{1980 + number % 7}</span>'
            f"<p>The oil market in {place} {'rose' if number % 2 else 'fell'} today. {accents} {own}</p>"
            f"{'<p>Oil, oil and more oil.</p>' if number % 10 == 0 else ''}</div></body></html>")


def story_site(folder: Path, count: int) -> tuple[Path, list[IndexedPage]]:
    """A site of `count` stories and a list page; the stories, each counted as a twentieth
    of what a Pagefind run of 1 MiB may index."""
    pages = {f"articles/{n:03d}/index.html": story(n) for n in range(count)}
    pages["places/index.html"] = "<html><body><p>A list of places: Derna</p></body></html>"
    site = write_files(folder, pages)
    share = 1024 ** 2 // PAGEFIND_BYTES_PER_CHARACTER // 20
    return site, [IndexedPage(path, share) for path in pages if path.startswith("articles/")]


def index_contents(bundle: Path) -> dict:
    """What an index says, by page address rather than page number: each page's word count,
    each word's pages with positions (and its accented variants'), each filter's pages."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    found = {}
    for language, info in entry["languages"].items():
        meta = decode(unpack(bundle / f"pagefind.{info['hash']}.pf_meta"))
        urls = [json.loads(unpack(bundle / "fragment" / f"{page}.pf_fragment"))["url"] for page, _ in meta[1]]

        def by_url(pages: list) -> dict:
            number, located = 0, {}
            for step, positions, meta_positions in pages:
                number += step  # each page number counts from the one before
                located[urls[number]] = (positions, meta_positions)
            return located

        words = {}
        for _, _, part in meta[2]:
            for word, pages, variants in decode(unpack(bundle / "index" / f"{part}.pf_index"))[0]:
                words[word] = (by_url(pages), {spelling: by_url(p) for spelling, p in variants})
        filters = {}
        for name, file in meta[3]:
            values = decode(unpack(bundle / "filter" / f"{file}.pf_filter"))[1]
            filters[name] = {value: sorted(urls[page] for page in pages) for value, pages in values}
        found[language] = dict(pages=sorted(zip(urls, (count for _, count in meta[1]))), words=words,
                               filters=filters, page_count=info["page_count"], fields=meta[5])
    return found
