"""Read the articles folder: split front-matter from body, parse registries.

The only stage that reads input files. Everything wrong becomes a Problem
naming the file and line; nothing here raises for bad input.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path, PurePath

from .model import Published, SourceArticle, SourceEntity, Sources
from .problem import Problem, error
from .published_file import parse_published
from .safe_yaml import parse_yaml

PLACES_FILE = "places.yml"
ACTORS_FILE = "actors.yml"
PUBLISHED_FILE = "published.yml"
# Files changed less than this long ago are read again by the next build (see _stamp).
RACY_NS = 2_000_000_000
_FENCES = ("---", "...")


def load_sources(articles_dir: Path, display_root: Path | None = None, *,
                 reuse: Sources | None = None) -> tuple[Sources, list[Problem]]:
    """Read every article and both registries under `articles_dir`. Articles of `reuse`
    (an earlier load) whose file is unchanged are taken as they are, not read again."""
    articles_dir = Path(articles_dir)
    root = Path(display_root) if display_root else articles_dir.parent
    problems: list[Problem] = []
    if not articles_dir.is_dir():
        problems.append(error(str(articles_dir), 1, 1, "the articles folder does not exist: create it"))
        return Sources((), (), ()), problems

    earlier = {a.path: a for a in reuse.articles if a.stamp} if reuse else {}
    prefix = _display(articles_dir, root)
    articles = []
    folder = str(articles_dir)
    for name in list_article_files(articles_dir, root, problems):
        display = f"{prefix}/{name}"
        previous = earlier.get(display)
        if previous is not None and previous.stamp == _stamp(f"{folder}/{name}"):
            articles.append(previous)
            continue
        article, found = read_article(articles_dir / name, display, name)
        problems.extend(found)
        if article:
            articles.append(article)
    places = read_registry(articles_dir / PLACES_FILE, _display(articles_dir / PLACES_FILE, root), problems)
    actors = read_registry(articles_dir / ACTORS_FILE, _display(articles_dir / ACTORS_FILE, root), problems)
    published = read_published(articles_dir / PUBLISHED_FILE, _display(articles_dir / PUBLISHED_FILE, root),
                               problems)
    return Sources(tuple(articles), places, actors, published), problems


def _display(path: Path, root: Path) -> str:
    """The path as editors see it in messages: relative to the project when possible."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def list_article_files(articles_dir: Path, root: Path, problems: list[Problem]) -> list[str]:
    """Every article file as a path inside the folder (2016/derna.md), sorted; hidden files
    and README.md are not articles. Paths stay strings: the folder may hold tens of
    thousands of files, and this runs on every preview."""
    real_root = articles_dir.resolve()
    found: list[str] = []

    def leads_outside(entry: os.DirEntry, name: str) -> bool:
        if not entry.is_symlink() or _is_within(Path(entry.path).resolve(), real_root):
            return False
        problems.append(error(_display(Path(entry.path), root), 1, 1,
                              f"this link leads outside the articles folder (to {os.readlink(entry.path)}): "
                              "replace it with the file itself"))
        return True

    # Folders still to look into, not a recursive function: one would hold itself in a
    # reference cycle, garbage that a preview's frozen generation would keep.
    folders = [(str(articles_dir), "")]
    while folders:
        folder, inside = folders.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = entry.name
                if _is_hidden(name):
                    continue
                if entry.is_dir():
                    # A linked folder is not followed (its articles would count twice).
                    if not leads_outside(entry, name) and not entry.is_symlink():
                        folders.append((entry.path, f"{inside}{name}/"))
                elif _is_article_name(name) and not leads_outside(entry, name):
                    found.append(inside + name)
    return sorted(found)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")  # editors' swap and lock files, .git


def _is_article_name(name: str) -> bool:
    return name.endswith(".md") and name != "README.md"


def is_read(relative: PurePath) -> bool:
    """Whether a file at this path under the articles folder is one that loading reads:
    an article, a registry or the record of published addresses."""
    if any(_is_hidden(part) for part in relative.parts):
        return False
    if len(relative.parts) == 1 and relative.name in (PLACES_FILE, ACTORS_FILE, PUBLISHED_FILE):
        return True
    return _is_article_name(relative.name)


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8, accepting a BOM and CRLF line endings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(display, 1, 1, f"cannot read the file: {exc.strerror}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(
            display, line, column,
            f"not UTF-8: byte 0x{data[exc.start]:02X} at offset {exc.start} cannot be decoded; "
            "save the file with UTF-8 encoding",
        )]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _stamp(path: Path | str) -> tuple[int, int, int, int] | None:
    """What tells a file changed without reading it: (mtime, ctime, inode, size), as git
    does. None (read it again next time) while the file is younger than a clock tick or
    two, since a second save within the same tick of the file system's clock could leave
    the stamp as it was."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) < RACY_NS:
        return None
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_size)


def read_article(path: Path, display: str, name: str = "") -> tuple[SourceArticle | None, list[Problem]]:
    """An article file (named `name` inside the articles folder) as read, or its problems."""
    stamp = _stamp(path)
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    article, problems = parse_article(text, display)
    if article is not None:
        article = replace(article, stamp=None if problems else stamp, name=name)
    return article, problems


def parse_article(text: str, display: str) -> tuple[SourceArticle | None, list[Problem]]:
    """Split an article's text into front-matter fields and body."""
    if not text.strip():
        return None, [error(display, 1, 1, "the file is empty: an article needs front-matter "
                                           "(title, date) between two '---' lines, then its text")]
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, [error(display, 1, 1, "no front-matter: start the file with a line '---', "
                                           "then 'title: …' and 'date: YYYY-MM-DD', then '---'")]
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in _FENCES), None)
    if end is None:
        return None, [error(display, 1, 1, "the front-matter opened on line 1 is never closed: "
                                           "add a line '---' after the last field")]
    document, problems = parse_yaml("\n".join(lines[1:end]), display, first_line=2)
    if document is None:
        return None, problems
    fields = document.value
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        problems.append(error(display, 2, 1, "the front-matter must be fields like 'title: …', "
                                             "one per line"))
        return None, problems
    body = "\n".join(lines[end + 1:]).strip("\n")
    body_line = end + 2 + _leading_blank_lines(lines[end + 1:])
    return SourceArticle(display, fields, document.positions, body + "\n" if body else "", body_line), problems


def _leading_blank_lines(lines: list[str]) -> int:
    count = 0
    for line in lines:
        if line.strip():
            break
        count += 1
    return count


def read_registry(path: Path, display: str, problems: list[Problem]) -> tuple[SourceEntity, ...]:
    """Read places.yml or actors.yml: canonical name → its fields. A missing file is empty."""
    if not path.exists():
        return ()
    text, found = read_text(path, display)
    problems.extend(found)
    if text is None:
        return ()
    document, found = parse_yaml(text, display)
    problems.extend(found)
    if document is None or document.value is None:
        return ()
    if not isinstance(document.value, dict):
        problems.append(error(display, 1, 1, "a registry maps each name to its fields, e.g.\n"
                                             "Derna:\n  kind: city\n  aliases: [Darnah]"))
        return ()
    positions_of: dict[str, dict] = {}
    for key_path, position in document.positions.items():
        if key_path:
            positions_of.setdefault(key_path[0], {})[key_path[1:]] = position
    entities = []
    for name, fields in document.value.items():
        positions = positions_of.get(name, {})
        line, column = document.positions[(name, "<key>")]
        if fields is None:
            fields = {}
        if not isinstance(fields, dict):
            problems.append(error(display, *document.positions[(name,)],
                                  f"'{name}' must be followed by its fields (kind, description, "
                                  "aliases…), each on its own indented line"))
            continue
        entities.append(SourceEntity(display, name, fields, positions, line, column))
    return tuple(entities)


def read_published(path: Path, display: str, problems: list[Problem]) -> Published:
    """Read the record of published addresses; a missing file is an empty record."""
    if not path.exists():
        return Published()
    text, found = read_text(path, display)
    problems.extend(found)
    if text is None:
        return Published()
    published, found = parse_published(text, display)
    problems.extend(found)
    return published
