"""The yardstick for generation's speed: a minimal generator, timed beside ours.

    python -m build_archive.benchmark_reference ARTICLES OUT

The generation target (3 s for 20,000 articles) was set on a machine where a minimal
generator took 5.9 s, 2.6 s of it parsing front-matter with PyYAML's C loader. This is
such a generator: it reads every article, parses its front-matter with the C loader and
writes a Markdown page per article, per place and per actor, and a list of all articles;
no checks, links in stories, related articles, feeds or downloads. Timed on the same
machine as our generation, it turns the target into a ratio that holds on any machine,
slow or fast: ours within 3/5.9 of its time.

Prints `REFERENCE <seconds parsing YAML>`; the benchmark times the whole process.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

TARGET_SHARE = 3 / 5.9  # the target's 3 s against the reference generator's 5.9 s


def generate(articles_dir: Path, out: Path) -> float:
    """Write the minimal site's pages into out; the seconds spent parsing YAML."""
    parsing = 0.0
    articles = []
    for path in sorted(articles_dir.rglob("*.md")):
        parts = path.read_text(encoding="utf-8").split("---\n", 2)
        if len(parts) < 3:
            continue
        started = time.perf_counter()
        meta = yaml.load(parts[1], Loader=yaml.CSafeLoader)
        parsing += time.perf_counter() - started
        if isinstance(meta, dict) and "title" in meta and "date" in meta:
            articles.append((str(meta["date"]), path.relative_to(articles_dir).with_suffix("").as_posix(),
                             meta, parts[2]))
    articles.sort(key=lambda a: a[:2])
    listed: dict[str, list[str]] = defaultdict(list)
    for date, stem, meta, body in articles:
        entities = [(kind, str(name)) for kind in ("places", "actors") for name in meta.get(kind) or ()]
        links = " · ".join(f"[{name}](../../{kind}/{_slug(name)}.md)" for kind, name in entities)
        _write(out / "articles" / f"{stem}.md", f"# {meta['title']}\n\n{date}\n\n{links}\n\n{body}")
        line = f"- {date} [{meta['title']}](../articles/{stem}.md)\n"
        for kind, name in entities:
            listed[f"{kind}/{_slug(name)}.md"].append(line)
    for page, lines in listed.items():
        _write(out / page, "".join(reversed(lines)))
    _write(out / "index.md", "".join(f"- {date} [{meta['title']}](articles/{stem}.md)\n"
                                     for date, stem, meta, _ in reversed(articles)))
    return parsing


def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    print(f"REFERENCE {generate(Path(sys.argv[1]), Path(sys.argv[2])):.3f}")
