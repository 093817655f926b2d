"""Parse YAML into plain values while keeping every value's line and column.

PyYAML's constructors lose positions (and raise bare ValueErrors for dates like
2015-02-30), so we compose the node tree and convert it ourselves. Only plain
scalars, lists and mappings are accepted: tags that construct objects, and
anchors/aliases (no article needs them; alias bombs exhaust memory), are refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .model import KeyPath, Position
from .problem import Problem, error

try:  # the C loader is several times faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_CONSTRUCT = yaml.SafeLoader("")  # only used to turn plain scalars into values


class _Invalid:
    """Stands for a value that could not be read; its problem is already reported."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()


@dataclass(frozen=True)
class Document:
    value: Any
    positions: dict[KeyPath, Position]


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    simple = parse_simple_mapping(text, first_line)
    if simple is not None:
        return simple, []
    return parse_yaml_fully(text, path, first_line)


def parse_yaml_fully(text: str, path: str, first_line: int = 1) -> tuple[Document | None, list[Problem]]:
    """Parse with PyYAML's composer: any YAML, with its problems reported."""
    offset = first_line - 1
    if "&" in text or "*" in text:  # cheap test first: scanning tokens costs time
        problem = _find_anchor(text, path, offset)
        if problem:
            return None, [problem]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, path, offset)]
    except yaml.YAMLError as exc:  # e.g. a character YAML does not allow
        return None, [error(path, first_line, 1, f"not valid YAML: {exc}")]
    if node is None:
        return Document(None, {}), []
    converter = _Converter(path, offset)
    value = converter.convert(node, ())
    return Document(value, converter.positions), converter.problems


# The fast path: most front-matter is one `key: value` a line, the value a quoted string
# without escapes, a plain word or date, or a flow list of plain names. Reading those
# lines directly gives the same values and positions as composing them, several
# times faster; anything else (or anything in doubt) goes to the full parser.
_SIMPLE_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*): (.+)")
_QUOTED = re.compile(r'"[^"\\]*"')
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .'()/+-]*")
_LIST = re.compile(r"\[([^\[\]]*)\]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ Tt]\d{2}:\d{2}:\d{2}")  # wire copy's time stamps
_RESOLVER = yaml.resolver.Resolver()


def parse_simple_mapping(text: str, first_line: int = 1) -> Document | None:
    """The document, if every line is a simple `key: value`; None means "use the parser"."""
    result: dict[str, Any] = {}
    positions: dict[KeyPath, Position] = {(): (first_line, 1)}
    for number, line in enumerate(text.split("\n"), first_line):
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None or line != line.rstrip() or not line.isprintable():
            return None
        key, raw = match.groups()
        if key in result or _plain_value(key) != key:
            return None
        column = match.start(2) + 1
        positions[(key, "<key>")] = (number, 1)
        positions[(key,)] = (number, column)
        if _QUOTED.fullmatch(raw):
            value: Any = raw[1:-1]
        elif raw.startswith("["):
            value = _simple_list(raw, number, column, key, positions)
        else:
            value = _plain_value(raw) if _PLAIN.fullmatch(raw) or _ISO_DATE_TIME.fullmatch(raw) else None
        if value is None:
            return None
        result[key] = value
    return Document(result, positions) if result else None


def _simple_list(raw: str, line: int, column: int, key: str, positions: dict) -> list | None:
    match = _LIST.fullmatch(raw)
    if match is None:
        return None
    inside = match.group(1)
    if not inside.strip():
        return [] if not inside else None
    items = []
    start = 1
    for i, piece in enumerate(inside.split(",")):
        name = piece.strip()
        if not name or not _PLAIN.fullmatch(name) or _plain_value(name) != name:
            return None
        positions[(key, i)] = (line, column + start + (len(piece) - len(piece.lstrip())))
        items.append(name)
        start += len(piece) + 1
    return items


# The same names fill thousands of articles' lists; the values are immutable.
@functools.lru_cache(maxsize=1 << 16)
def _plain_value(raw: str) -> Any:
    """A plain scalar as YAML reads it: text, a number, true/false, a date or a time stamp."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, raw, (True, False))
    if tag == _TAG + "str":
        return raw
    if tag == _TAG + "timestamp":
        if not (_ISO_DATE.fullmatch(raw) or _ISO_DATE_TIME.fullmatch(raw)):
            return None
        try:
            return _read_timestamp(raw)
        except ValueError:
            return None  # the parser reports it, with its position
    if tag in _SCALAR_TAGS and tag != _TAG + "null":
        return _CONSTRUCT.construct_object(yaml.ScalarNode(tag, raw), deep=True)
    return None


def _read_timestamp(text: str) -> dt.date | dt.datetime:
    """A YAML timestamp as a date, or a date and time; ValueError if no such day or time exists."""
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace("t", "T").replace(" ", "T", 1))


def _find_anchor(text: str, path: str, offset: int) -> Problem | None:
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                mark = token.start_mark
                what = "anchor" if isinstance(token, yaml.AnchorToken) else "alias"
                return error(
                    path, mark.line + offset + 1, mark.column + 1,
                    f"YAML {what} '{token.value}' is not allowed here: write the value out in full "
                    "(if '&' or '*' starts a title, put the title in quotes)",
                )
    except yaml.YAMLError:
        return None  # compose reports the syntax error with a better message
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str, offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line if mark else 0) + offset + 1
    column = (mark.column if mark else 0) + 1
    what = exc.problem or "not valid YAML"
    hint = ""
    if "mapping values are not allowed" in what:
        # Nearly always an unquoted value containing ": ", e.g. a headline.
        hint = ': a value containing ": " must be quoted, e.g. title: "Libya: the battle for Derna"'
        what = "a colon followed by a space inside an unquoted value"
    elif "tab" in what:
        hint = ": indent with spaces, not tabs"
    return error(path, line, column, f"cannot read the YAML ({what}){hint}")


class _Converter:
    def __init__(self, path: str, offset: int):
        self.path = path
        self.offset = offset
        self.positions: dict[KeyPath, Position] = {}
        self.problems: list[Problem] = []

    def _where(self, node: yaml.Node) -> Position:
        return (node.start_mark.line + self.offset + 1, node.start_mark.column + 1)

    def _problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(error(self.path, *self._where(node), message))

    def convert(self, node: yaml.Node, key_path: KeyPath) -> Any:
        self.positions[key_path] = self._where(node)
        if isinstance(node, yaml.MappingNode):
            return self._convert_mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                return self._refuse_tag(node)
            return [self.convert(item, key_path + (i,)) for i, item in enumerate(node.value)]
        return self._convert_scalar(node)

    def _convert_mapping(self, node: yaml.MappingNode, key_path: KeyPath) -> Any:
        if node.tag != _TAG + "map":
            return self._refuse_tag(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._convert_scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                self._problem(key_node, "a key must be a plain name, like 'title' or 'Derna'")
                continue
            key = str(key)
            if key in result:
                self._problem(key_node, f"'{key}' is given twice: keep one")
                continue
            self.positions[key_path + (key, "<key>")] = self._where(key_node)
            result[key] = self.convert(value_node, key_path + (key,))
        return result

    def _convert_scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _TAG + "timestamp":
            return self._convert_timestamp(node)
        if node.tag not in _SCALAR_TAGS:
            return self._refuse_tag(node)
        try:
            return _CONSTRUCT.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            self._problem(node, f"cannot read the value {node.value!r}: {exc}")
            return INVALID

    def _convert_timestamp(self, node: yaml.ScalarNode) -> Any:
        text = node.value.strip()
        try:
            return _read_timestamp(text)
        except ValueError:
            self._problem(
                node, f"{text} is not a real date or time: write an existing date as YYYY-MM-DD"
            )
            return INVALID

    def _refuse_tag(self, node: yaml.Node) -> _Invalid:
        self._problem(
            node,
            f"the YAML tag '{node.tag}' is not allowed: use plain text, numbers, lists and mappings",
        )
        return INVALID
