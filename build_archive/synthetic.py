"""A synthetic archive for benchmarks and scale tests, the same on every run.

Articles of about 600 words, each naming 3 places out of 400 and 4 actors out of
600; a few places and actors are on most articles and most are rare (Zipf-like
popularity), as in real news archives. Words follow Zipf's law too, as in any real
text: a few short ones are everywhere, most of the 20,000 are rare. (Drawn evenly from
4,000 words, as they once were, nearly every word of every article was a different
one, and the search index of such text needed several times the memory of real text.)
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path

SEED = 21578
VOCABULARY = 20_000
FIRST_DAY = dt.date(2000, 1, 1)
DAYS = 20 * 365
_CONSONANTS = "bdfghklmnprstvz"
_VOWELS = "aeiou"


def write_synthetic_archive(articles_dir: Path, *, articles: int = 20_000, places: int = 400,
                            actors: int = 600, words: int = 600, seed: int = SEED, days: int = DAYS) -> int:
    """Write `articles` article files, dated over `days` days, and both registries under
    `articles_dir`; returns the count."""
    rng = random.Random(seed)
    # The commonest words are the shortest, as in real text.
    vocabulary = sorted(_make_words(rng, VOCABULARY, 2, 4), key=len)
    word_weights = _zipf_weights(len(vocabulary))
    place_names = _make_names(rng, places, 2, 4)
    actor_names = [f"{a} {b}" for a, b in zip(_make_names(rng, actors, 2, 3),
                                               _make_names(rng, actors, 2, 4))]
    articles_dir = Path(articles_dir)
    articles_dir.mkdir(parents=True, exist_ok=True)
    _write_registry(articles_dir / "places.yml", place_names, "city", "A place in the synthetic archive.")
    _write_registry(articles_dir / "actors.yml", actor_names, "person", "An actor in the synthetic archive.")

    place_weights = _zipf_weights(places)
    actor_weights = _zipf_weights(actors)
    seen_titles: set[tuple[str, ...]] = set()
    for number in range(articles):
        date = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
        title_words = tuple(rng.choices(vocabulary, cum_weights=word_weights, k=rng.randint(5, 9)))
        while title_words in seen_titles:
            title_words += (rng.choice(vocabulary),)
        seen_titles.add(title_words)
        title = " ".join(title_words).capitalize()
        chosen_places = _sample(rng, place_names, place_weights, 3)
        chosen_actors = _sample(rng, actor_names, actor_weights, 4)
        body = _make_body(rng, vocabulary, word_weights, words, chosen_places + chosen_actors)
        front = "\n".join([
            "---",
            f'title: "{title}"',
            f"date: {date.isoformat()}",
            "source: Synthetic Wire",
            f"places: [{', '.join(chosen_places)}]",
            f"actors: [{', '.join(chosen_actors)}]",
            "---",
        ])
        path = articles_dir / f"{date:%Y}" / f"{date.isoformat()}-{number:05d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"{front}\n\n{body}\n", encoding="utf-8")
    return articles


def _make_words(rng: random.Random, count: int, shortest: int, longest: int) -> list[str]:
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < count:
        word = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS)
                       for _ in range(rng.randint(shortest, longest)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _make_names(rng: random.Random, count: int, shortest: int, longest: int) -> list[str]:
    return [word.capitalize() for word in _make_words(rng, count, shortest, longest)]


def _zipf_weights(count: int) -> list[float]:
    return list(itertools.accumulate(1 / rank for rank in range(1, count + 1)))


def _sample(rng: random.Random, names: list[str], cumulative: list[float], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        name = rng.choices(names, cum_weights=cumulative)[0]
        if name not in chosen:
            chosen.append(name)
    return chosen


def _make_body(rng: random.Random, vocabulary: list[str], cumulative: list[float], words: int,
               names: list[str]) -> str:
    paragraphs = []
    left = words
    while left > 0:
        size = min(left, rng.randint(60, 110))
        chosen = rng.choices(vocabulary, cum_weights=cumulative, k=size)
        chosen[rng.randrange(size)] = rng.choice(names)
        sentences = []
        for start in range(0, size, 12):
            sentence = " ".join(chosen[start:start + 12])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        paragraphs.append(" ".join(sentences))
        left -= size
    return "\n\n".join(paragraphs)


def _write_registry(path: Path, names: list[str], kind: str, description: str) -> None:
    entries = [f"{name}:\n  kind: {kind}\n  description: {description}\n" for name in sorted(names)]
    path.write_text("\n".join(entries), encoding="utf-8")
