"""Link the first mention of each known place and actor in an article's body.

The body is the editor's Markdown. Names are matched as whole words, case and
all, with any run of spaces or one line break between their words; the longest
name wins ("Islamic State" before "IS"). Nothing is linked inside code (fenced,
indented or inline), headings, existing links or images, link definitions,
admonition titles or raw HTML, so the editor's markup is never broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .model import Entity

# Inline spans whose text must stay as written.
_PROTECTED_INLINE = re.compile(
    r"(`+)[\s\S]*?\1"                                     # inline code
    r"|<(a|code|kbd|pre|script|style|samp|svg)\b[\s\S]*?</\2\s*>"  # raw HTML that links or shows code
    r"|<[^<>\n]*>"                                        # any other tag, autolinks
    r"|!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\](?:\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)|\[[^\]\n]*\])?"  # links, images
    r"|https?://\S+"                                      # bare web addresses
    r"|\{[^{}\n]*\}",                                     # attribute lists
)
# Every protected span contains one of these; text without them needs no scan.
_MARKUP_SIGNS = ("`", "<", "[", "{", "://")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:")
_ADMONITION = re.compile(r"^ {0,3}(!!!|\?\?\?\+?)")
_HTML_BLOCK = re.compile(r"^ {0,3}<[A-Za-z!/?]")
_INDENTED = re.compile(r"^(    |\t)")
# What a line that is not plain prose starts with (code, a heading, HTML, a link
# definition, an admonition, an underline); "" is a blank line, which is neither.
_BLOCK_MARKS = frozenset(" \t#<[!?`~=-")


# Between the words of a name: any run of blanks, with at most one line break.
_BLANKS = r"[ \t]*\n?[ \t]*"


@dataclass(frozen=True)
class MentionIndex:
    """One pattern matching every name and alias (the longest at each position), and
    the entity each name, blanks collapsed, belongs to.

    Two indexes are equal when each name leads to the same entity's page: an entity's
    other fields (its description, its coordinates) change no article's links."""

    pattern: re.Pattern[str] | None
    by_label: dict[str, Entity] = field(compare=False)
    targets: tuple[tuple[str, tuple[str, str]], ...] = ()  # (name, entity key) for each name

    def entity_named(self, matched: str) -> Entity:
        """The entity a match of the pattern names; most are written as registered,
        on one line with single spaces, and are found without rewriting them."""
        return self.by_label.get(matched) or self.by_label[" ".join(matched.split())]


def build_mention_index(entities: Iterable[Entity]) -> MentionIndex:
    by_label: dict[str, Entity] = {}
    for entity in sorted(entities, key=lambda e: e.key):
        for label in (entity.name, *entity.aliases):
            label = " ".join(label.split())
            if label[:1].isalnum() and label not in by_label:
                by_label[label] = entity
    if not by_label:
        return MentionIndex(None, by_label)
    targets = tuple((label, entity.key) for label, entity in by_label.items())
    return MentionIndex(re.compile(_trie_pattern(sorted(by_label)) + r"(?!\w)"), by_label, targets)


def changed_first_words(earlier: MentionIndex, later: MentionIndex) -> tuple[str, ...]:
    """The first words of the names the two indexes link differently (one has the name,
    the other not, or they send it to different pages). A text containing none of these
    words is linked alike by both: every match starts with its name's first word, as
    written, so the names that may match in it, and the longest of them, are the same."""
    return tuple(sorted({label.split(" ", 1)[0] for label, _ in set(earlier.targets) ^ set(later.targets)}))


def _trie_pattern(labels: list[str]) -> str:
    """The names as a trie in one regular expression: the scan stays in C and its time
    grows with the text, not with the number of names (a plain alternation of a
    thousand names is some forty times slower)."""
    trie: dict = {}
    for label in labels:
        node = trie
        for char in label:
            node = node.setdefault(char, {})
        node[""] = {}  # a name may end here

    # Each name's first character comes first, as a plain character, so that the regular
    # expression engine skips straight to the next of them (a test in C per character);
    # only then is the character before it checked (no letter, digit, hyphen…), by a
    # look-behind over both. A pattern opening with the look-behind was tried at every
    # position of the text, and scanned 2.3 times slower.
    starts = r"[\w\-&#/\\][\s\S]"
    return "(?:" + "|".join(f"{re.escape(char)}(?<!{starts}){_trie_rest(child)}"
                            for char, child in sorted(trie.items())) + ")"


def _trie_rest(node: dict) -> str:
    """The pattern of what may follow in the trie from `node`."""
    branches = [(_BLANKS if char == " " else re.escape(char)) + _trie_rest(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy: the longer name is tried first, then the name that ends here.
    return f"(?:{body})?" if "" in node else body


def link_first_mentions(body: str, index: MentionIndex, href: Callable[[Entity], str]) -> str:
    """The body with the first mention of each entity turned into a link to its page."""
    if index.pattern is None:
        return body
    linked: set[tuple[str, str]] = set()
    out: list[str] = []
    for text, linkable in _split_blocks(body):
        out.append(_link_text(text, index, href, linked) if linkable else text)
    return "".join(out)


def _split_blocks(body: str) -> list[tuple[str, bool]]:
    """The body cut into runs of lines, each marked linkable (prose) or not."""
    lines = body.splitlines(keepends=True)
    if not any(line[:1] in _BLOCK_MARKS for line in lines) and not any(mark in body for mark in _MARKUP_SIGNS):
        # Paragraphs of plain words, as most stories are: all of it is prose, and a name
        # cannot run over a blank line, so it is linked as one run.
        return [(body, True)]
    runs: list[tuple[str, bool]] = []
    fence: str | None = None
    in_html = False
    previous_blank = True
    for i, line in enumerate(lines):
        stripped = line.strip()
        linkable = False
        if fence:
            if stripped.startswith(fence) and set(stripped) <= set(fence[0]):
                fence = None
        elif (match := _FENCE.match(line)):
            fence = match.group(1)
        elif in_html:
            in_html = bool(stripped)
        elif not stripped:
            pass
        elif _HTML_BLOCK.match(line) and previous_blank:
            in_html = True
        elif (_HEADING.match(line) or _LINK_DEFINITION.match(line) or _ADMONITION.match(line)
              or _INDENTED.match(line) or _SETEXT_UNDERLINE.match(line)):
            pass  # indented lines may be code: left alone, even inside lists
        elif i + 1 < len(lines) and _SETEXT_UNDERLINE.match(lines[i + 1]) and lines[i + 1].strip():
            pass  # the text of an underlined heading
        else:
            linkable = True
        previous_blank = not stripped
        if runs and runs[-1][1] == linkable:
            runs[-1] = (runs[-1][0] + line, linkable)
        else:
            runs.append((line, linkable))
    return runs


def _link_text(text: str, index: MentionIndex, href: Callable[[Entity], str],
               linked: set[tuple[str, str]]) -> str:
    protected = ([(m.start(), m.end()) for m in _PROTECTED_INLINE.finditer(text)]
                 if any(mark in text for mark in _MARKUP_SIGNS) else [])  # plain prose: skip the scan
    out: list[str] = []
    done = 0  # text before this is already in out
    span = 0  # the first protected span that may still lie ahead
    for match in index.pattern.finditer(text):
        start, end = match.span()
        while span < len(protected) and protected[span][1] <= start:
            span += 1
        if span < len(protected) and protected[span][0] < end:
            continue  # inside (or running into) code, a link or markup
        name = match.group()
        entity = index.entity_named(name)
        if entity.key in linked:
            # A later mention: left as text, and no shorter name inside it is linked
            # (no "Derna" link inside "Derna Mujahideen Shura Council").
            continue
        linked.add(entity.key)
        out.append(text[done:start])
        out.append(f"[{name}]({href(entity)})")
        done = end
    out.append(text[done:])
    return "".join(out)


@dataclass(frozen=True)
class Mentions:
    """Canonical names found in a text, in order of first mention."""

    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()


class NameFinder:
    """Finds the registries' places and actors named in wire copy, to propose them to an
    editor; the same whole-word, case-aware matching as the links in article pages."""

    def __init__(self, places: dict[str, Entity], actors: dict[str, Entity]):
        registered = [e for e in (*places.values(), *actors.values()) if e.registered]
        self._index = build_mention_index(registered)
        self._folded = {kind: {label.casefold(): e.name for e in table.values() if e.registered
                               for label in (e.name, *e.aliases)}
                        for kind, table in (("place", places), ("actor", actors))}

    def find(self, *texts: str) -> Mentions:
        found: dict[str, list[str]] = {"place": [], "actor": []}
        if self._index.pattern is None:
            return Mentions()
        for text in texts:
            for match in self._index.pattern.finditer(text):
                entity = self._index.entity_named(match.group())
                if entity.name not in found[entity.kind]:
                    found[entity.kind].append(entity.name)
        return Mentions(tuple(found["place"]), tuple(found["actor"]))

    def canonical(self, kind: str, name: str) -> str | None:
        """The registry's name for a place or actor written in any case or as an alias
        (BENGHAZI → Benghazi); None when the registry does not know it."""
        return self._folded[kind].get(" ".join(name.split()).casefold())
