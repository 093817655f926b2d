"""Link the first mention of each known place and actor in an article's body.

The body is the editor's Markdown. Names are matched as whole words, case and
all, with any run of spaces or one line break between their words; the longest
name wins ("Islamic State" before "IS"). Nothing is linked inside code (fenced,
indented or inline), headings, existing links or images, link definitions,
admonition titles or raw HTML, so the editor's markup is never broken.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import Entity

_WORD = re.compile(r"\w+")
# Inline spans whose text must stay as written.
_PROTECTED_INLINE = re.compile(
    r"(`+)[\s\S]*?\1"                                     # inline code
    r"|<(a|code|kbd|pre|script|style|samp|svg)\b[\s\S]*?</\2\s*>"  # raw HTML that links or shows code
    r"|<[^<>\n]*>"                                        # any other tag, autolinks
    r"|!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\](?:\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)|\[[^\]\n]*\])?"  # links, images
    r"|\bhttps?://\S+"                                    # bare web addresses
    r"|\{[^{}\n]*\}",                                     # attribute lists
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:")
_ADMONITION = re.compile(r"^ {0,3}(!!!|\?\?\?\+?)")
_HTML_BLOCK = re.compile(r"^ {0,3}<[A-Za-z!/?]")
_INDENTED = re.compile(r"^(    |\t)")


@dataclass(frozen=True)
class MentionIndex:
    """Every name and alias, by its first word, longest first."""

    by_first_word: dict[str, tuple[tuple[re.Pattern[str], Entity], ...]]


def build_mention_index(entities: Iterable[Entity]) -> MentionIndex:
    candidates: dict[str, list[tuple[str, Entity]]] = defaultdict(list)
    for entity in entities:
        for label in dict.fromkeys((entity.name, *entity.aliases)):
            words = _WORD.findall(label)
            if words and label[:1].isalnum():
                candidates[words[0]].append((label, entity))
    return MentionIndex({
        first: tuple((_label_pattern(label), entity) for label, entity in
                     sorted(labels, key=lambda le: (-len(le[0]), le[0], le[1].key)))
        for first, labels in sorted(candidates.items())
    })


def _label_pattern(label: str) -> re.Pattern[str]:
    """The label with any run of blanks (at most one line break) between its words."""
    parts = [re.escape(part) for part in label.split()]
    return re.compile(r"[ \t]*\n?[ \t]*".join(parts) + r"(?!\w)")


def link_first_mentions(body: str, index: MentionIndex, href: Callable[[Entity], str]) -> str:
    """The body with the first mention of each entity turned into a link to its page."""
    if not index.by_first_word:
        return body
    linked: set[tuple[str, str]] = set()
    out: list[str] = []
    for text, linkable in _split_blocks(body):
        out.append(_link_text(text, index, href, linked) if linkable else text)
    return "".join(out)


def _split_blocks(body: str) -> list[tuple[str, bool]]:
    """The body cut into runs of lines, each marked linkable (prose) or not."""
    lines = body.splitlines(keepends=True)
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
    protected = [(m.start(), m.end()) for m in _PROTECTED_INLINE.finditer(text)]
    out: list[str] = []
    done = 0  # text before this is already in out
    span = 0  # the first protected span that may still lie ahead
    for word in _WORD.finditer(text):
        start = word.start()
        if start < done:
            continue
        while span < len(protected) and protected[span][1] <= start:
            span += 1
        if span < len(protected) and protected[span][0] <= start:
            continue
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-&#/\\"):
            continue
        for pattern, entity in index.by_first_word.get(word.group(), ()):
            match = pattern.match(text, start)
            if not match or (span < len(protected) and match.end() > protected[span][0]):
                continue
            out.append(text[done:start])
            if entity.key in linked:
                # A later mention: left as text, and no shorter name inside it is linked
                # (no "Derna" link inside "Derna Mujahideen Shura Council").
                out.append(match.group())
            else:
                linked.add(entity.key)
                out.append(f"[{match.group()}]({href(entity)})")
            done = match.end()
            break
    out.append(text[done:])
    return "".join(out)
