"""Articles-per-month charts, drawn at build time as static SVG: no JavaScript.

A chart is a `<figure>` of plain HTML the Markdown carries through untouched:
the bars are SVG (they stretch to any width), the year labels and the caption
are HTML text (they stay legible on a phone). Colours come from the theme's
CSS variables (see assets/archive.css), so the chart follows light and dark
mode; `currentColor` keeps it visible where that stylesheet is absent.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
BAR_WIDTH = 10  # viewBox units per month; the SVG is stretched to the page's width
BAR_HEIGHT = 100
# Year labels closer than this share of the width would overlap on a phone.
MIN_LABEL_SPACING = 0.1


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"


def count_by_month(dates: Iterable[dt.date]) -> list[MonthCount]:
    """Every month from the first date's to the last's, empty months included."""
    counts = Counter((d.year, d.month) for d in dates)
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    months = []
    while (year, month) <= last:
        months.append(MonthCount(year, month, counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def describe_months(months: list[MonthCount]) -> str:
    """The chart in one sentence, for readers who cannot see it."""
    total = sum(m.count for m in months)
    peak = max(m.count for m in months)
    busiest = [m for m in months if m.count == peak]
    span = f"in {months[0].label}" if len(months) == 1 else f"from {months[0].label} to {months[-1].label}"
    text = f"{total:,} article{'s' if total != 1 else ''} {span}"
    if len(months) == 1:
        return text + "."
    if len(busiest) == 1:
        return f"{text}; the busiest month was {busiest[0].label}, with {peak:,}."
    return f"{text}; at most {peak:,} in a month ({len(busiest)} months)."


def render_month_chart(months: list[MonthCount], *, title: str, chart_id: str) -> str:
    """A bar chart of articles per month as one HTML block (no blank lines inside)."""
    if not months:
        return ""
    peak = max(m.count for m in months)
    width = BAR_WIDTH * len(months)
    gap = 2 if len(months) <= 120 else 0
    bars = []
    for i, m in enumerate(months):
        if not m.count:
            continue
        height = max(2.0, BAR_HEIGHT * m.count / peak)
        bars.append(
            f'<rect class="archive-chart__bar" x="{i * BAR_WIDTH + gap / 2:g}" '
            f'y="{BAR_HEIGHT - height:.2f}" width="{BAR_WIDTH - gap:g}" height="{height:.2f}" '
            f'fill="currentColor"><title>{m.label}: {m.count:,} article{"s" if m.count != 1 else ""}'
            f'</title></rect>')
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    description = describe_months(months)
    return "\n".join([
        f'<figure class="archive-chart" id="{chart_id}">',
        f'<svg class="archive-chart__bars" viewBox="0 0 {width} {BAR_HEIGHT}" '
        f'preserveAspectRatio="none" role="img" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{html.escape(title)}</title>'
        f'<desc id="{desc_id}">{html.escape(description)}</desc>'
        f'<line class="archive-chart__axis-line" x1="0" y1="{BAR_HEIGHT}" x2="{width}" '
        f'y2="{BAR_HEIGHT}" stroke="currentColor" vector-effect="non-scaling-stroke"/>'
        + "".join(bars) + "</svg>",
        '<div class="archive-chart__years" aria-hidden="true">'
        + "".join(f'<span style="left: {100 * i / len(months):.3f}%">{m.year}</span>'
                  for i, m in _year_marks(months)) + "</div>",
        f'<figcaption>{html.escape(title)}: {html.escape(description)}</figcaption>',
        "</figure>",
    ])


def _year_marks(months: list[MonthCount]) -> list[tuple[int, MonthCount]]:
    """Where each year starts, spaced so the labels never overlap; the first month is
    labelled too when the first January is far enough from it."""
    spacing = max(1, round(len(months) * MIN_LABEL_SPACING))
    januaries = [i for i, m in enumerate(months) if m.month == 1]
    starts = januaries if januaries and januaries[0] < spacing else [0, *januaries]
    marks: list[tuple[int, MonthCount]] = []
    for i in dict.fromkeys(starts):
        if not marks or i - marks[-1][0] >= spacing:
            marks.append((i, months[i]))
    return marks


LOCATOR_WIDTH, LOCATOR_MAX_HEIGHT = 400, 260
LOCATOR_FONT = 14  # viewBox units; about 12 px on a phone
LOCATOR_NEIGHBOURS = 12


@dataclass(frozen=True)
class Point:
    name: str
    lat: float
    lon: float


def render_locator(here: Point, others: list[Point], *, chart_id: str, region: str) -> str:
    """A place among its nearest neighbours, to scale, north up: no tiles, no script.
    Empty when there is no neighbour to place it against."""
    others = sorted(others, key=lambda p: ((p.lat - here.lat) ** 2 + (p.lon - here.lon) ** 2, p.name))
    others = others[:LOCATOR_NEIGHBOURS]
    if not others:
        return ""
    points = [here, *others]
    scale_x = math.cos(math.radians(sum(p.lat for p in points) / len(points)))
    xs = [p.lon * scale_x for p in points]
    ys = [-p.lat for p in points]
    margin = 30
    # Room on both sides for labels; the height follows the places' spread, within limits.
    unit = min((LOCATOR_WIDTH - 180) / max(max(xs) - min(xs), 1e-6),
               (LOCATOR_MAX_HEIGHT - 2 * margin) / max(max(ys) - min(ys), 1e-6))
    height = round((max(ys) - min(ys)) * unit + 2 * margin)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def place(i: int) -> tuple[float, float]:
        return (LOCATOR_WIDTH / 2 + (xs[i] - mid_x) * unit, height / 2 + (ys[i] - mid_y) * unit)

    taken: list[tuple[float, float, float, float]] = []
    labelled: list[tuple[float, float]] = []
    marks, labels = [], []
    for i in sorted(range(len(points)), key=lambda i: i != 0):  # the place itself first
        x, y = place(i)
        point = points[i]
        radius = 6 if i == 0 else 3.5
        cls = "archive-locator__here" if i == 0 else "archive-locator__other"
        marks.append(f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="currentColor">'
                     f'<title>{html.escape(point.name)}</title></circle>')
        width = 0.6 * LOCATOR_FONT * len(point.name)
        left = x + radius + 3 if x + radius + 3 + width <= LOCATOR_WIDTH else x - radius - 3 - width
        box = (left, y - LOCATOR_FONT, left + width, y + 3)
        if (any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)
                or any(abs(x - lx) < LOCATOR_FONT and abs(y - ly) < LOCATOR_FONT for lx, ly in labelled)):
            continue  # too close to a labelled place to tell apart; the dot keeps its tooltip
        taken.append(box)
        labelled.append((x, y))
        weight = ' font-weight="bold"' if i == 0 else ""
        labels.append(f'<text class="{cls}-label" x="{left:.1f}" y="{y + 4:.1f}" font-size="{LOCATOR_FONT}"'
                      f'{weight} fill="currentColor">{html.escape(point.name)}</text>')
    nearest = ", ".join(p.name for p in others[:5])
    description = (f"{here.name} ({here.lat:g}, {here.lon:g}) among the nearest places in {region}: "
                   f"{nearest}{'…' if len(others) > 5 else ''}.")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return (f'<figure class="archive-locator" id="{chart_id}">'
            f'<svg viewBox="0 0 {LOCATOR_WIDTH} {height}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}"><title id="{title_id}">Where {html.escape(here.name)} '
            f'is</title><desc id="{desc_id}">{html.escape(description)}</desc>'
            + "".join(marks) + "".join(labels) + "</svg>"
            f"<figcaption>{html.escape(here.name)} and the nearest places in {html.escape(region)}, "
            "to scale, north up.</figcaption></figure>")
