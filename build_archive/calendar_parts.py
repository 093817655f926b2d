"""Cut a list of articles too long for one page into pages along the calendar.

A year too long is cut into months, a month into days; neighbouring months (or days)
share a page while they fit, packed from the oldest. Cuts fall between months or days
and move only when a page overflows, so a new story changes the one page its date
falls on, not every page after it as cutting by count did. Only a single day too
long for a page is cut by count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from .model import Article, Entity

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

Item = tuple[Article, tuple[Entity, ...]]  # an article and the sub-places it is listed via
Unit = tuple[int, ...]  # (year,), (year, month) or (year, month, day)
PathOf = Callable[[Unit, int], str]  # where a page starting at a unit lives; the int numbers a day's pages


@dataclass(frozen=True)
class Part:
    """One page of a long list: a stretch of the calendar within one year."""

    path: str
    year: int
    span: str  # "" (the whole year), "March", "January – March", "4–6 March", "9 March"
    number: int  # 1, 2… of a day cut by count; 1 otherwise
    of: int  # how many pages that day has; 1 otherwise
    articles: tuple[Item, ...]  # newest first

    @property
    def suffix(self) -> str:
        return f" ({self.number}/{self.of})" if self.of > 1 else ""

    @property
    def label(self) -> str:
        """The part among the others of its year: "4–6 March", "9 March (2/3)"."""
        return (self.span or str(self.year)) + self.suffix

    @property
    def heading(self) -> str:
        """The part on its own: "4–6 March 1987", "9 March 1987 (2/3)"."""
        return f"{self.span} {self.year}".lstrip() + self.suffix


def cut_by_calendar(unit: Unit, items: list[Item], limit: int, path_of: PathOf) -> list[Part]:
    """The parts of `unit` (a year or a month), newest first, each of at most `limit` items.
    `items` are the unit's, newest first. The first page keeps the unit's own path."""
    if not items:
        return []
    return _cut(unit, items[::-1], limit, path_of, path_of(unit, 1))[::-1]


def _cut(unit: Unit, oldest_first: list[Item], limit: int, path_of: PathOf, path: str) -> list[Part]:
    """Parts of one unit, oldest first; the first at `path`."""
    if len(oldest_first) <= limit:
        return [_part(path, [unit], oldest_first)]
    if len(unit) == 3:
        return _cut_day(unit, oldest_first, limit, path_of, path)
    parts: list[Part] = []
    pack: list[tuple[Unit, list[Item]]] = []

    def close_pack() -> None:
        if pack:
            parts.append(_part(path_of(pack[0][0], 1) if parts else path, [u for u, _ in pack],
                               [item for _, group in pack for item in group]))
            pack.clear()

    for inner, group in _by_inner_unit(unit, oldest_first):
        if len(group) > limit:
            close_pack()
            parts.extend(_cut(inner, group, limit, path_of, path_of(inner, 1) if parts else path))
            continue
        if pack and sum(len(g) for _, g in pack) + len(group) > limit:
            close_pack()
        pack.append((inner, group))
    close_pack()
    return parts


def _cut_day(day: Unit, oldest_first: list[Item], limit: int, path_of: PathOf, path: str) -> list[Part]:
    chunks = [oldest_first[start:start + limit] for start in range(0, len(oldest_first), limit)]
    return [Part(path if number == 1 else path_of(day, number), day[0], _span([day]), number, len(chunks),
                 tuple(reversed(chunk)))
            for number, chunk in enumerate(chunks, 1)]


def _by_inner_unit(unit: Unit, oldest_first: list[Item]) -> list[tuple[Unit, list[Item]]]:
    """The months of a year, or the days of a month, that have items."""
    if len(unit) == 1:
        return [((unit[0], month), list(group))
                for month, group in groupby(oldest_first, key=lambda item: item[0].date.month)]
    return [((*unit, day), list(group))
            for day, group in groupby(oldest_first, key=lambda item: item[0].date.day)]


def _part(path: str, units: list[Unit], oldest_first: list[Item]) -> Part:
    return Part(path, units[0][0], _span(units), 1, 1, tuple(reversed(oldest_first)))


def _span(units: list[Unit]) -> str:
    """Words for consecutive units of one kind: "", "March", "January – March", "4–6 March"."""
    first, last = units[0], units[-1]
    if len(first) == 1:
        return ""
    if len(first) == 2:
        return MONTHS[first[1] - 1] + ("" if first == last else f" – {MONTHS[last[1] - 1]}")
    month = MONTHS[first[1] - 1]
    return f"{first[2]} {month}" if first == last else f"{first[2]}–{last[2]} {month}"
