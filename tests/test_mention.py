from build_archive.mention import build_mention_index, link_first_mentions
from build_archive.model import Entity

ENTITIES = [
    Entity("place", "derna", "Derna", aliases=("Darnah",)),
    Entity("place", "al-fatayeh", "al-Fatayeh"),
    Entity("actor", "islamic-state", "Islamic State", aliases=("IS", "ISIS")),
    Entity("actor", "council", "Derna Mujahideen Shura Council"),
]
INDEX = build_mention_index(ENTITIES)


def link(body: str) -> str:
    return link_first_mentions(body, INDEX, lambda e: f"{e.kind}s/{e.slug}.md")


def test_only_the_first_mention_of_each_entity_is_linked_by_name_or_alias():
    assert link("Darnah fell. Derna celebrated; ISIS left, Islamic State said.\n") == (
        "[Darnah](places/derna.md) fell. Derna celebrated; [ISIS](actors/islamic-state.md) left, "
        "Islamic State said.\n")


def test_whole_words_only_with_case_and_the_longest_name_first():
    assert link("THIS is Dernaville. The Derna Mujahideen Shura Council met in Derna.\n") == (
        "THIS is Dernaville. The [Derna Mujahideen Shura Council](actors/council.md) met in "
        "[Derna](places/derna.md).\n")
    # A second mention of a long name hides the shorter names inside it.
    assert link("Derna Mujahideen Shura Council. Derna Mujahideen Shura Council in Darnah.\n") == (
        "[Derna Mujahideen Shura Council](actors/council.md). Derna Mujahideen Shura Council in "
        "[Darnah](places/derna.md).\n")


def test_a_name_wrapped_over_two_lines_is_one_mention():
    assert link("fighters of Islamic\nState near al-Fatayeh.\n") == (
        "fighters of [Islamic\nState](actors/islamic-state.md) near [al-Fatayeh](places/al-fatayeh.md).\n")


def test_code_headings_links_and_html_are_left_alone():
    body = (
        "# Derna under siege\n\n"
        "Setext Derna\n------------\n\n"
        "```\nDerna in a fence\n```\n\n"
        "    Derna indented\n\n"
        "In `Derna` code, [Derna](https://example.org) and [ISIS][ref], <a href=\"x\">Derna</a>,\n"
        "![Derna](derna.png) <span title=\"Derna\">x</span> https://example.org/Derna\n\n"
        "!!! note \"Derna\"\n\n"
        "[ref]: https://example.org/Derna\n\n"
        "Finally Derna and IS.\n"
    )
    linked = link(body)
    assert linked == body.replace("Finally Derna and IS.",
                                  "Finally [Derna](places/derna.md) and [IS](actors/islamic-state.md).")


def test_nothing_to_link_leaves_the_body_as_it_is():
    body = "No names here, just Libya.\n"
    assert link(body) == body
    assert link_first_mentions(body, build_mention_index([]), lambda e: "") == body


def test_a_name_is_linked_only_where_a_word_starts():
    for glued in ("xDerna", "2Derna", "-Derna", "&Derna", "#Derna", "/Derna", "\\Derna"):
        assert link(f"Seen in {glued} today.\n") == f"Seen in {glued} today.\n"
    assert link("Derna first.\n") == "[Derna](places/derna.md) first.\n"
    assert link("(Derna) and “ISIS”.\n") == "([Derna](places/derna.md)) and “[ISIS](actors/islamic-state.md)”.\n"


def test_plain_paragraphs_link_each_name_once_and_no_name_runs_over_a_blank_line():
    body = "Fighters of Islamic\n\nState left Derna.\n\nDerna was quiet; so was Islamic State.\n"
    assert link(body) == ("Fighters of Islamic\n\nState left [Derna](places/derna.md).\n\n"
                          "Derna was quiet; so was [Islamic State](actors/islamic-state.md).\n")
