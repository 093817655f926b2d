import datetime as dt

from build_archive.index import build_archive
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
