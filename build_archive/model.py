"""Plain data passed between the stages: load → resolve → index → render."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# Where a value sits in its file: (line, column), 1-based.
Position = tuple[int, int]
# Path of a value inside a YAML document: ("places", 2) is the third place.
KeyPath = tuple[Any, ...]


def find_position(positions: dict[KeyPath, Position], key_path: KeyPath, default: Position) -> Position:
    """The position of the value at key_path, or of its nearest parent that has one."""
    while key_path:
        if key_path in positions:
            return positions[key_path]
        key_path = key_path[:-1]
    return default


class PackedMapping(Mapping):
    """A read-only dict kept pickled until first read. The build cache keeps each article's
    front-matter values and positions so: reading a cache back then makes one object per
    article instead of dozens, and only an article checked again (its registries edited)
    ever unpacks them."""

    __slots__ = ("_packed", "_values")

    def __init__(self, packed: bytes) -> None:
        self._packed = packed
        self._values: dict | None = None

    @classmethod
    def of(cls, values: Mapping) -> PackedMapping:
        return values if isinstance(values, PackedMapping) else cls(pickle.dumps(dict(values), pickle.HIGHEST_PROTOCOL))

    def _unpacked(self) -> dict:
        if self._values is None:
            self._values = pickle.loads(self._packed)
        return self._values

    def __getitem__(self, key: Any) -> Any:
        return self._unpacked()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._unpacked()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def __reduce__(self) -> tuple:
        return PackedMapping, (self._packed,)


@dataclass(frozen=True)
class SourceArticle:
    """An article file as read: front-matter values with their positions, and the body."""

    path: str
    fields: dict[str, Any]
    positions: dict[KeyPath, Position]
    body: str
    body_line: int
    # The file's stamp (load._stamp) when it was read without a problem: a later build
    # may reuse this record while the file keeps that stamp. None: always read again.
    stamp: tuple[int, int, int, int] | None = None
    name: str = ""  # path inside the articles folder, e.g. 2016/derna.md: the record's key

    def position(self, *key_path: Any) -> Position:
        """Where a value sits, falling back to its parent key, then to the file's start."""
        return find_position(self.positions, key_path, (1, 1))

    def __reduce__(self) -> tuple:
        # Pickled for the build cache: values and positions packed (see PackedMapping).
        return SourceArticle, (self.path, PackedMapping.of(self.fields), PackedMapping.of(self.positions),
                               self.body, self.body_line, self.stamp, self.name)


@dataclass(frozen=True)
class SourceEntity:
    """One entry of a registry (places.yml or actors.yml) as read."""

    path: str
    name: str
    fields: dict[str, Any]
    positions: dict[KeyPath, Position]
    line: int
    column: int

    def position(self, *key_path: Any) -> Position:
        """Where a value sits, falling back to its parent key, then to the entry's name."""
        return find_position(self.positions, key_path, (self.line, self.column))


@dataclass(frozen=True)
class PublishedArticle:
    """One article's entry in the record: every address it was published at, oldest first,
    and what identifies it (as at the last record) should its file be renamed or moved."""

    addresses: tuple[str, ...]
    date: str = ""  # YYYY-MM-DD; empty in entries recorded before files were followed
    title: str = ""
    text: str = ""  # fingerprint of the body (moved.fingerprint)
    line: int = 1  # where the entry starts in published.yml, for messages


@dataclass(frozen=True)
class Published:
    """The record of addresses already published (articles/published.yml): what must
    keep working. Written only by `build-archive record`, never by a build."""

    articles: dict[str, PublishedArticle] = field(default_factory=dict)  # file name → its entry
    places: tuple[str, ...] = ()  # entity slugs
    actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sources:
    """Everything `load` read from the articles folder."""

    articles: tuple[SourceArticle, ...]
    places: tuple[SourceEntity, ...]
    actors: tuple[SourceEntity, ...]
    published: Published = field(default_factory=Published)


@dataclass(frozen=True)
class Link:
    """An outside web page about an entity, from the registry's optional `links`."""

    title: str
    url: str


@dataclass(frozen=True)
class Entity:
    """A place or an actor, with its own page."""

    kind: str  # "place" or "actor": which registry it belongs to
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    category: str = ""  # city, country… / person, armed group…
    description: str = ""
    within: str | None = None  # slug of the parent place
    coordinates: tuple[float, float] | None = None
    wikidata: str | None = None
    links: tuple[Link, ...] = ()  # further reading, in the registry's order
    registered: bool = True  # False for a name that no registry lists

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.slug)


@dataclass(frozen=True)
class Article:
    path: str
    slug: str
    title: str
    date: dt.date
    time: dt.time | None
    body: str
    places: tuple[str, ...] = ()  # entity slugs, in the article's order
    actors: tuple[str, ...] = ()
    summary: str = ""
    source: str = ""
    byline: tuple[str, ...] = ()
    dateline: str | None = None  # slug of a place
    url: str | None = None
    language: str | None = None
    draft: bool = False
    autolink: bool = True  # link the first mention of each known entity in the body
    extra: tuple[tuple[str, Any], ...] = field(default=())  # unknown keys, kept
    name: str = ""  # path inside the articles folder
    former: tuple[str, ...] = ()  # permalinks it was published at before; they redirect here
    recorded_as: str = ""  # the record's entry for it: its name, or the old name of a moved file

    @cached_property  # asked for millions of times while indexing a large archive
    def permalink(self) -> str:
        """Site path of the article's page, e.g. articles/2016/04/derna/."""
        return f"articles/{self.date.year:04d}/{self.date.month:02d}/{self.slug}/"

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.time or dt.time.min, self.slug)


@dataclass(frozen=True)
class Resolved:
    """Articles and entities after validation and name resolution."""

    articles: tuple[Article, ...]
    places: dict[str, Entity]  # slug → entity
    actors: dict[str, Entity]


@dataclass(frozen=True)
class SiteText:
    """Site settings that go into generated pages and files. (The home page's hand-written
    introduction is not one: it goes into that page alone, so a preview rebuilds only it.)"""

    site_name: str = "News archive"
    site_url: str = ""  # where the site is published, e.g. https://example.org/archive/

    def absolute(self, site_path: str) -> str:
        """The address readers and feed readers use for a site path like places/derna/."""
        return (self.site_url.rstrip("/") + "/" if self.site_url else "/") + site_path
