"""Turn raw wire copy and exports into new article files, never touching existing ones.

The library API, used by `build-archive import` and by anything that fills an
archive in bulk:

    plan = plan_import([Path("stories.jsonl")], Path("articles"), ImportOptions())
    plan.articles   # ImportedArticle: path inside articles/, file text, front-matter
    plan.rejected   # Rejection: file, line, reason ("missing body"…), what to do
    plan.summary()  # counts of imported and rejected records, by reason
    written = write_articles(plan, Path("articles"))

`plan_import` writes nothing; `write_articles` creates each file only if no file
has its name, so an editor's article is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .load import load_sources
from .mention import NameFinder
from .record import FieldMap, Record, guess_format, open_text, read_records
from .resolve import resolve_sources
from .scaffold import ArticleDraft, escape_body, file_name, format_article, is_taken, write_new_file
from .wire import parse_byline, parse_dateline_city, parse_wire_story, split_hard_wrapped

PROPOSAL_NOTE = ("Places and actors named in the text, proposed by the importer:\n"
                 "keep those the story is about, then delete this comment.")


@dataclass(frozen=True)
class ImportOptions:
    fields: FieldMap = field(default_factory=FieldMap)
    format: str = ""  # "jsonl", "csv" or "text"; guessed from each file's name when empty
    title: str = ""  # for copy that has no headline
    date: dt.date | None = None  # for copy that carries no date
    source: str = ""  # for stories that do not name their source
    propose: bool = True  # add registry names found in the text to places and actors


@dataclass(frozen=True)
class ImportedArticle:
    path: str  # inside the articles folder, e.g. "1987/1987-02-26-bahia-cocoa-review.md"
    text: str  # the whole file
    draft: ArticleDraft
    origin: str  # "stories.jsonl:17", where the story came from
    proposed: tuple[str, ...] = ()  # names added because the text mentions them


@dataclass(frozen=True, order=True)
class Rejection:
    """A record that was not imported, and why."""

    file: str
    line: int
    reason: str  # short, for counting: "missing body", "bad date", "unreadable line"…
    hint: str  # what to do about it

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}: {self.hint}"


@dataclass(frozen=True)
class ImportPlan:
    articles: tuple[ImportedArticle, ...]
    rejected: tuple[Rejection, ...]

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        counts = Counter(r.reason for r in self.rejected)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> str:
        lines = [f"{len(self.articles)} imported, {len(self.rejected)} rejected"]
        lines += [f"  {count} {reason}" for reason, count in self.rejected_by_reason.items()]
        return "\n".join(lines)


@dataclass(frozen=True)
class Written:
    written: tuple[str, ...]  # paths inside the articles folder
    existing: tuple[str, ...]  # left alone: a file of that name appeared meanwhile


class _TargetArchive:
    """What the importer must know of the archive: its registries and the addresses in use."""

    def __init__(self, articles_dir: Path):
        self.dir = articles_dir
        sources, _ = load_sources(articles_dir)
        resolved, _ = resolve_sources(sources)
        self.finder = NameFinder(resolved.places, resolved.actors)
        self.owner = {a.permalink: a.path for a in resolved.articles}
        self.taken = set(self.owner)
        # Stories already in the archive, so that importing a file twice adds no copies.
        self.known = {_identity(a.title, a.date, a.body): a.path for a in resolved.articles}

    def allocate(self, draft: ArticleDraft) -> tuple[str, str, bool] | None:
        """A slug free in the article's month, and a file name no file has; the first
        of "slug", "slug-2", "slug-3"… in import order, so a rerun gives the same names."""
        base = draft.natural_slug
        if not base:
            return None
        number = 1
        while True:
            slug = base if number == 1 else f"{base}-{number}"
            permalink = f"articles/{draft.month}/{slug}/"
            path = file_name(draft, slug)
            if permalink not in self.taken and not is_taken(os.path.join(self.dir, path)):
                self.taken.add(permalink)
                return slug, path, number > 1
            number += 1


def plan_import(paths: Iterable[Path], articles_dir: Path, options: ImportOptions = ImportOptions(),
                *, display_root: Path | None = None) -> ImportPlan:
    """Read every file and decide what to write where; nothing is written."""
    archive = _TargetArchive(Path(articles_dir))
    articles: list[ImportedArticle] = []
    rejected: list[Rejection] = []
    for path in paths:
        path = Path(path)
        display = _display(path, display_root)
        fmt = options.format or guess_format(path)
        try:
            if fmt == "text":
                items: Iterator[ImportedArticle | Rejection] = iter([_import_wire(path, display, archive, options)])
            else:
                items = (_import_record(r, archive, options)
                         for r in read_records(path, display, fmt, options.fields))
            for item in items:
                (articles if isinstance(item, ImportedArticle) else rejected).append(item)
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            rejected.append(Rejection(display, 1, "unreadable file",
                                      f"cannot read it ({exc}); check the path and that it is UTF-8 text"))
    return ImportPlan(tuple(articles), tuple(rejected))


def write_articles(plan: ImportPlan, articles_dir: Path) -> Written:
    """Create the planned files; a name taken since planning is left as it is."""
    written, existing = [], []
    for article in plan.articles:
        try:
            write_new_file(Path(articles_dir) / article.path, article.text)
        except FileExistsError:
            existing.append(article.path)
        else:
            written.append(article.path)
    return Written(tuple(written), tuple(existing))


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _import_wire(path: Path, display: str, archive: _TargetArchive,
                 options: ImportOptions) -> ImportedArticle | Rejection:
    with open_text(path) as handle:
        story = parse_wire_story(handle.read())
    values = {"title": story.title or options.title, "date": story.date or options.date,
              "byline": list(story.byline), "dateline": story.dateline, "source": story.source,
              "places": [], "actors": []}
    return _make_article(display, 1, values, story.paragraphs, archive, options, _WIRE_HINT)


def _import_record(record: Record, archive: _TargetArchive, options: ImportOptions) -> ImportedArticle | Rejection:
    if record.problem:
        return Rejection(record.file, record.line, "unreadable line",
                         f"{record.problem}; fix the line and import it again")
    values = dict(record.values)
    values["byline"] = [n for item in values.get("byline", []) for n in parse_byline(item)]
    values["dateline"] = parse_dateline_city(values.get("dateline"))
    if not values.get("source") and "reuters" in " ".join(record.values.get("byline", [])).casefold():
        values["source"] = "Reuters"
    if not values.get("date") and options.date:
        values["date"] = options.date
    paragraphs = split_hard_wrapped(values.get("body", ""), sentence_ends=False)
    return _make_article(record.file, record.line, values, paragraphs, archive, options)


def _make_article(file: str, line: int, values: dict, paragraphs: tuple[str, ...],
                  archive: _TargetArchive, options: ImportOptions,
                  hints: dict[str, str] | None = None) -> ImportedArticle | Rejection:
    title = " ".join(str(values.get("title") or "").split())
    missing = [name for name, value in (("title", title), ("date", values.get("date")),
                                        ("body", paragraphs)) if not value]
    if missing:
        return Rejection(file, line, "missing " + " and ".join(missing),
                         (hints or _MISSING_HINT)[missing[0]])
    date = _parse_date(values["date"])
    if date is None:
        return Rejection(file, line, "bad date",
                         f"{values['date']!r} is not a date: write it as YYYY-MM-DD "
                         "(or YYYY-MM-DDTHH:MM:SS)")

    finder = archive.finder
    dateline_text = values.get("dateline") or ""
    dateline = finder.canonical("place", dateline_text) or _title_case(dateline_text)
    places = _merge([dateline] if finder.canonical("place", dateline) else [],
                    [finder.canonical("place", p) or p for p in values.get("places", [])])
    actors = _merge([finder.canonical("actor", a) or a for a in values.get("actors", [])])
    proposed: list[str] = []
    if options.propose:
        # An all-capitals headline says "IS" for "is": only mixed-case text is searched.
        texts = ([title] if not title.isupper() else []) + list(paragraphs)
        found = finder.find(*texts)
        new_places = [p for p in found.places if p.casefold() not in {x.casefold() for x in places}]
        new_actors = [a for a in found.actors if a.casefold() not in {x.casefold() for x in actors}]
        places, actors = places + new_places, actors + new_actors
        proposed = new_places + new_actors

    draft = ArticleDraft(
        title=title, date=date, body=escape_body(paragraphs),
        source=" ".join(str(values.get("source") or options.source or "").split()),
        byline=tuple(values.get("byline", ())), dateline=dateline,
        places=tuple(places), actors=tuple(actors),
        summary=" ".join(str(values.get("summary") or "").split()),
        url=str(values.get("url") or "").strip(),
        note=PROPOSAL_NOTE if proposed else "",
    )
    copy_of = archive.known.get(_identity(title, date, draft.body))
    if copy_of:
        return Rejection(file, line, "already in the archive",
                         f"{copy_of} has the same title, date and text; edit that file instead")
    allocated = archive.allocate(draft)
    if allocated is None:
        return Rejection(file, line, "title without letters or digits",
                         f"{title!r} gives no page address; give the story a headline in words")
    slug, path, renamed = allocated
    if renamed:  # the title's slug is taken: fix this one's address in the front-matter
        draft = replace(draft, slug=slug)
    return ImportedArticle(path, format_article(draft), draft, f"{file}:{line}", tuple(proposed))


_MISSING_HINT = {
    "title": "the record has no headline; add one (or map another field with --field title=NAME)",
    "date": "the record has no date; add one (or pass --date YYYY-MM-DD for undated copy)",
    "body": "the record has no text; add the story's text or leave the record out",
}

_WIRE_HINT = {
    "title": 'the copy has no headline line: pass --title "…" (or add the headline, then a blank line)',
    "date": "the copy carries no date: pass --date YYYY-MM-DD",
    "body": "the copy has no story text after its dateline",
}


def _parse_date(value: object) -> dt.date | dt.datetime | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value).strip()
    try:
        if len(text) <= 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(microsecond=0)


def _identity(title: str, date: dt.date, body: str) -> tuple[str, str, str]:
    day = date.date() if isinstance(date, dt.datetime) else date
    return (" ".join(title.split()).casefold(), day.isoformat(), " ".join(body.split()))


def _title_case(name: str) -> str:
    """A dateline city the registry does not know, as a name: "NEW YORK" → "New York"."""
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def _merge(*lists: list[str]) -> list[str]:
    """Names in order, each once whatever its case."""
    seen: set[str] = set()
    merged = []
    for name in (n for names in lists for n in names if n):
        if name.casefold() not in seen:
            seen.add(name.casefold())
            merged.append(name)
    return merged


class ArticleExistsError(FileExistsError):
    """Raised by `create_article` when the file or the page address is already taken."""


@dataclass(frozen=True)
class NewArticle:
    path: str  # inside the articles folder
    text: str
    unknown: tuple[str, ...]  # names neither registry knows, as "place 'X'"


def create_article(articles_dir: Path, draft: ArticleDraft) -> NewArticle:
    """Write one new article file named from its date and slug; never replaces a file.

    Raises ArticleExistsError when the file exists or another article has the address,
    ValueError when the title gives no address and no slug is set."""
    articles_dir = Path(articles_dir)
    archive = _TargetArchive(articles_dir)
    slug = draft.slug or draft.natural_slug
    if not slug:
        raise ValueError(f"the title {draft.title!r} has no letters or digits to make a page "
                         "address from: pass --slug some-words")
    path = file_name(draft, slug)
    if is_taken(articles_dir / path):
        raise ArticleExistsError(f"{articles_dir / path} already exists: edit that file, "
                                 "or choose another title or --slug")
    permalink = f"articles/{draft.month}/{slug}/"
    if permalink in archive.taken:
        owner = archive.owner.get(permalink, "another article")
        raise ArticleExistsError(f"the page address {permalink} is already used by {owner}: "
                                 "pass --slug with other words")
    unknown = tuple(
        [f"place {name!r}" for name in (*draft.places, *([draft.dateline] if draft.dateline else []))
         if not archive.finder.canonical("place", name)]
        + [f"actor {name!r}" for name in draft.actors if not archive.finder.canonical("actor", name)])
    text = format_article(draft)
    try:
        write_new_file(articles_dir / path, text)
    except FileExistsError as exc:
        raise ArticleExistsError(f"{articles_dir / path} already exists: edit that file, "
                                 "or choose another title or --slug") from exc
    return NewArticle(path, text, unknown)
