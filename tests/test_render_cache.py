"""render --out again: only what changed is rendered, from the cache beside the folder,
and the folder ends up byte for byte as a run from scratch writes it."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_archive.cache import cache_file
from build_archive.synthetic import write_synthetic_archive


def render(articles: Path, out: Path, *options: str) -> tuple[int, int]:
    """Run `render --out`; (pages rendered, pages kept from the last run)."""
    result = subprocess.run([sys.executable, "-m", "build_archive", "render", "--articles", str(articles),
                             "--out", str(out), "--home", "/nonexistent", *options],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    rendered, kept = re.search(r"(\d+) pages rendered, (\d+) kept from the last run", result.stderr).groups()
    return int(rendered), int(kept)


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def same_as_from_scratch(articles: Path, out: Path) -> bool:
    fresh = out.parent / f"{out.name}-fresh"
    render(articles, fresh, "--no-cache")
    return listing(out) == listing(fresh)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    write_synthetic_archive(articles, articles=200, places=4, actors=12, words=30)
    # Files changed in the last two seconds are read again on every run (their stamp could
    # miss a second save within the file system's clock tick); let these age past that.
    time.sleep(2.1)
    return articles


def retitle(path: Path, title: str) -> None:
    path.write_text(re.sub(r"(?m)^title: .*$", f'title: "{title}"', path.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")


def test_a_second_run_renders_only_the_pages_an_edit_changes(archive: Path, tmp_path: Path):
    out = tmp_path / "pages"
    first, _ = render(archive, out)
    assert cache_file(out).is_file() and not any(p.name.endswith("cache") for p in out.iterdir())
    stories = sorted(archive.rglob("*.md"))
    retitle(stories[10], "A story retitled")
    added = stories[20].with_name("added-for-the-test.md")
    added.write_text(stories[20].read_text(encoding="utf-8").replace("title: ", 'title: "Added" #', 1),
                     encoding="utf-8")
    stories[30].unlink()
    inodes = {p: p.stat().st_ino for p in out.rglob("*.md")}
    rendered, kept = render(archive, out)
    # The output replaced is gone (removed by another process) by the time the command ends.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [cache_file(out).name]

    assert 0 < rendered < first // 4 and rendered + kept == first  # one added, one deleted
    assert same_as_from_scratch(archive, out)
    pages = list(out.rglob("*.md"))
    assert any("A story retitled" in p.read_text(encoding="utf-8") for p in pages)
    # The pages kept are the very files of the last run, taken over rather than written again.
    assert sum(inodes.get(p) == p.stat().st_ino for p in pages) == kept

    # Nothing changed: nothing to render.
    assert render(archive, out) == (0, first)


def test_a_registry_edit_and_a_new_home_text_are_rendered_again(archive: Path, tmp_path: Path):
    out = tmp_path / "pages"
    render(archive, out)
    places = archive / "places.yml"
    places.write_text(places.read_text(encoding="utf-8").replace(
        "A place in the synthetic archive.", "A place described anew.", 1), encoding="utf-8")
    rendered, _ = render(archive, out)
    assert 0 < rendered < 20
    assert same_as_from_scratch(archive, out)
    assert "A place described anew." in "".join(p.read_text(encoding="utf-8") for p in (out / "places").glob("*.md"))


def test_an_edit_keeping_size_and_time_of_the_file_is_seen(archive: Path, tmp_path: Path):
    out = tmp_path / "pages"
    render(archive, out)
    story = sorted(archive.rglob("*.md"))[40]
    before = story.stat()
    text = story.read_text(encoding="utf-8")
    title = re.search(r"(?m)^title: (.*)$", text).group(1)
    story.write_text(text.replace(title, title[::-1], 1), encoding="utf-8")
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert story.stat().st_size == before.st_size
    rendered, _ = render(archive, out)
    assert rendered > 0
    assert same_as_from_scratch(archive, out)


def test_a_damaged_or_foreign_cache_is_ignored(archive: Path, tmp_path: Path):
    out = tmp_path / "pages"
    first, _ = render(archive, out)
    cache = cache_file(out)
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])  # cut short
    assert render(archive, out) == (first, 0)
    lines = cache.read_bytes().split(b"\n", 2)
    cache.write_bytes(b"\n".join([lines[0], lines[1].replace(b'"code": "', b'"code": "0'), lines[2]]))
    assert render(archive, out) == (first, 0)  # written by other code
    assert same_as_from_scratch(archive, out)


def test_pages_missing_from_the_folder_are_rendered_again(archive: Path, tmp_path: Path):
    out = tmp_path / "pages"
    first, _ = render(archive, out)
    (out / "places" / "index.md").unlink()
    assert render(archive, out) == (first, 0)
    assert same_as_from_scratch(archive, out)


def test_a_failed_run_keeps_the_folder_and_its_cache(archive: Path, tmp_path: Path):
    out = tmp_path / "pages"
    first, _ = render(archive, out)
    before = listing(out)
    story = sorted(archive.rglob("*.md"))[50]
    good = story.read_text(encoding="utf-8")
    story.write_text(re.sub(r"(?m)^date: .*$", "date: 2016-02-30", good, count=1), encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "build_archive", "render", "--articles", str(archive),
                             "--out", str(out), "--home", "/nonexistent"], capture_output=True, text=True)
    assert failed.returncode == 1 and "date" in failed.stderr and "Traceback" not in failed.stderr
    assert listing(out) == before and cache_file(out).is_file()
    story.write_text(good, encoding="utf-8")
    assert render(archive, out) == (0, first)


def test_no_cache_renders_everything_and_leaves_no_cache(archive: Path, tmp_path: Path):
    out = tmp_path / "pages"
    first, _ = render(archive, out)
    assert render(archive, out, "--no-cache") == (first, 0)
    assert not cache_file(out).exists()
    assert render(archive, out) == (first, 0)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [cache_file(out).name]
