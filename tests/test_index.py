import datetime as dt
from dataclasses import replace

from build_archive.index import COOCCURRING_SHOWN, build_archive
from build_archive.model import Article, Entity, Resolved


def make_article(slug: str, date: str, places=(), actors=()) -> Article:
    return Article(path=f"articles/{slug}.md", slug=slug, title=slug.title(),
                   date=dt.date.fromisoformat(date), time=None, body="",
                   places=tuple(places), actors=tuple(actors))


def make_archive(*articles: Article):
    places = {s: Entity("place", s, s.title()) for a in articles for s in a.places}
    actors = {s: Entity("actor", s, s.title()) for a in articles for s in a.actors}
    ordered = tuple(sorted(articles, key=lambda a: a.sort_key))
    return build_archive(Resolved(ordered, places, actors))


def test_entity_lists_are_newest_first_and_neighbours_follow_time():
    archive = make_archive(
        make_article("b", "2016-04-20", ["derna"]),
        make_article("a", "2015-06-14", ["derna"]),
        make_article("c", "2017-01-01", ["sirte"]),
    )
    assert [a.slug for a in archive.articles_of[("place", "derna")]] == ["b", "a"]
    assert archive.previous[archive.articles[1].permalink].slug == "a"
    assert archive.next[archive.articles[1].permalink].slug == "c"
    assert archive.previous[archive.articles[0].permalink] is None


def test_related_articles_prefer_rare_shared_entities_then_closeness_in_time():
    common = ["libya"]
    archive = make_archive(
        make_article("focus", "2016-01-01", common + ["derna"]),
        make_article("shares-rare", "2014-01-01", common + ["derna"]),
        make_article("shares-common-near", "2016-01-02", common),
        make_article("shares-common-far", "2010-01-01", common),
        make_article("unrelated", "2016-01-01", ["sirte"]),
    )
    related = [a.slug for a in archive.related["articles/2016/01/focus/"]]
    assert related == ["shares-rare", "shares-common-near", "shares-common-far"]


def test_cooccurrence_counts_entities_mentioned_together():
    archive = make_archive(
        make_article("a", "2016-01-01", ["derna"], ["islamic-state"]),
        make_article("b", "2016-01-02", ["derna", "sirte"], ["islamic-state"]),
    )
    together = [(e.slug, n) for e, n in archive.cooccurring[("place", "derna")]]
    assert together == [("islamic-state", 2), ("sirte", 1)]


def test_a_place_lists_articles_about_its_sub_places_marked_with_them():
    articles = (
        make_article("district-story", "2016-03-01", ["guwarsha"]),
        make_article("city-story", "2016-02-01", ["benghazi"]),
        make_article("both", "2016-01-01", ["benghazi", "guwarsha"]),
    )
    places = {
        "libya": Entity("place", "libya", "Libya"),
        "benghazi": Entity("place", "benghazi", "Benghazi", within="libya"),
        "guwarsha": Entity("place", "guwarsha", "Guwarsha", within="benghazi"),
    }
    archive = build_archive(Resolved(tuple(sorted(articles, key=lambda a: a.sort_key)), places, {}))
    benghazi = [(a.slug, [p.slug for p in via]) for a, via in archive.listing(places["benghazi"])]
    assert benghazi == [("district-story", ["guwarsha"]), ("city-story", []), ("both", [])]
    libya = [(a.slug, [p.slug for p in via]) for a, via in archive.listing(places["libya"])]
    assert libya == [("district-story", ["guwarsha"]), ("city-story", ["benghazi"]),
                     ("both", ["benghazi", "guwarsha"])]
    assert [p.slug for p in archive.ancestors(places["guwarsha"])] == ["libya", "benghazi"]
    assert archive.children["benghazi"] == (places["guwarsha"],)


def test_cooccurrence_ranks_by_count_then_name_across_places_and_actors():
    archive = make_archive(
        make_article("a", "2016-01-01", ["derna", "sirte"], ["haftar"]),
        make_article("b", "2016-01-02", ["derna", "sirte"], ["islamic-state"]),
        make_article("c", "2016-01-03", ["derna"], ["islamic-state"]),
    )
    together = [(e.kind, e.slug, n) for e, n in archive.cooccurring[("place", "derna")]]
    assert together == [("actor", "islamic-state", 2), ("place", "sirte", 2), ("actor", "haftar", 1)]


def test_cooccurrence_keeps_the_places_and_actors_a_page_shows():
    # Derna is named with 12 places and 12 actors; the nth of each kind in n articles.
    articles = [make_article(f"a{n}-{i}", f"2016-01-{n:02d}", ["derna", f"place{n:02d}"], [f"actor{n:02d}"])
                for n in range(1, 13) for i in range(n)]
    together = [(e.slug, count) for e, count in make_archive(*articles).cooccurring[("place", "derna")]]
    assert len(together) == 2 * COOCCURRING_SHOWN
    assert together[:4] == [("actor12", 12), ("place12", 12), ("actor11", 11), ("place11", 11)]
    assert {slug for slug, _ in together} == {f"{kind}{n:02d}" for kind in ("place", "actor")
                                              for n in range(13 - COOCCURRING_SHOWN, 13)}


def test_related_articles_are_at_most_five_and_never_the_article_itself():
    archive = make_archive(*(make_article(f"a{i}", f"2016-01-{i + 1:02d}", ["derna"]) for i in range(9)))
    for article in archive.articles:
        related = archive.related[article.permalink]
        assert len(related) == 5 and article not in related
    nearest = [a.slug for a in archive.related["articles/2016/01/a4/"]]
    assert sorted(nearest[:2]) == ["a3", "a5"]  # nearest in time first


def test_indexes_kept_from_an_earlier_generation_equal_indexes_built_afresh():
    from dataclasses import replace

    from build_archive.memo import Memo
    articles = [make_article(f"s{i}", f"2016-01-{i // 2 + 1:02d}", ["derna", "libya"][:1 + i % 2],
                             ["haftar"] if i % 3 else []) for i in range(20)]
    first = make_archive(*articles)
    memo = Memo()
    earlier = build_archive(Resolved(first.articles, first.places, first.actors), memo)

    def edit(index: int, **changes) -> Resolved:
        edited = replace(earlier.articles[index], **changes)
        ordered = tuple(sorted(earlier.articles[:index] + (edited,) + earlier.articles[index + 1:],
                               key=lambda a: a.sort_key))
        return Resolved(ordered, earlier.places, earlier.actors)

    # A new title (and slug, which can reorder a day's stories) keeps the costly indexes.
    retitled = edit(6, title="Retitled", slug="zz-retitled", body="New text")
    later = Memo(memo)
    kept = build_archive(retitled, later)
    assert kept == build_archive(retitled)
    assert kept.cooccurring is earlier.cooccurring

    # A change of place is not just text: those indexes are worked out again.
    moved = edit(7, places=("libya",))
    assert build_archive(moved, Memo(later)) == build_archive(moved)
    assert build_archive(moved, Memo(later)).cooccurring != earlier.cooccurring


def test_indexes_brought_up_to_date_edit_by_edit_equal_indexes_built_afresh():
    """Articles retimed, moved between places, added and deleted, a few at a time, as a
    preview sees them: the related articles and the entities named together, updated from
    the generation before, are the ones a generation from scratch finds. Common entities
    here have more articles than the nearest looked at, rare ones a handful."""
    import random

    from build_archive.memo import Memo
    rng = random.Random(20)
    places = ["libya", "derna", "sirte", "tobruk", "ghat", "kufra"]
    actors = ["haftar", "un", "lna", "gna"]

    def random_article(number: int) -> Article:
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(900))
        return make_article(f"s{number}", day.isoformat(),
                            sorted(set(rng.choices(places, weights=[40, 20, 8, 3, 1, 1], k=rng.randint(1, 3)))),
                            sorted(set(rng.choices(actors, weights=[10, 5, 2, 1], k=rng.randint(0, 2)))))

    articles = {a.slug: a for a in (random_article(i) for i in range(260))}
    entity_names = {"libya": "Libya", "haftar": "Haftar"}

    def resolved() -> Resolved:
        ordered = tuple(sorted(articles.values(), key=lambda a: a.sort_key))
        return Resolved(ordered, {s: Entity("place", s, entity_names.get(s, s.title())) for s in places},
                        {s: Entity("actor", s, entity_names.get(s, s.title())) for s in actors})

    memo = Memo()
    build_archive(resolved(), memo)
    added = 260
    for round_number in range(40):
        for _ in range(rng.randint(1, 4)):
            slug = rng.choice(sorted(articles))
            change = rng.choice(["retime", "move", "add", "delete"])
            if change == "add":
                articles[f"s{added}"] = random_article(added)
                added += 1
            elif change == "delete":
                del articles[slug]
            else:
                fresh = random_article(0)
                articles[slug] = replace(articles[slug], **({"date": fresh.date} if change == "retime" else
                                                            {"places": fresh.places, "actors": fresh.actors}))
        if round_number == 20:
            entity_names["derna"] = "Darnah"  # a registry edit renames a place
        memo = Memo(memo)
        updated = build_archive(resolved(), memo)
        afresh = build_archive(resolved())
        assert updated.related == afresh.related, round_number
        assert updated.cooccurring == afresh.cooccurring, round_number
