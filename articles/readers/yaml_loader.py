"""The one YAML loader (front matter, manifests): safe tags only, each key's line, every failure a ContentError."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Collection
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ...errors import ContentError
from ..content.characters import UNHELD

try:  # libyaml's parser, which PyYAML's wheels include: it reads a front matter about 5 times faster
    from yaml.cyaml import CParser
except ImportError:  # a PyYAML built without libyaml
    CParser = None

MAX_QUOTED_CHARS = 80
MAX_VALUE_CHARS = 4096  # one scalar: a title, a description, a name
MAX_ITEMS = 200  # one list or mapping: authors, subjects
_NULL_TAG = "tag:yaml.org,2002:null"
# What YAML cannot read as text: what no edition can hold (characters.py), and the line breaks only
# YAML sees (U+2028, U+2029), where a value would end silently or fail with an error that makes no
# sense in the file.
_REFUSED_CHARACTER = re.compile(f"[{UNHELD}\u2028\u2029]")
_QUOTED_IN_YAML_MESSAGE = re.compile(r"'([^']*)'")
_SYNTAX_FIX = "check the quotes and the indentation there; quote values that contain ': ' or ' #'"


class Located(NamedTuple):
    """A value read from YAML and the 1-based line of the file its key is on."""

    value: Any
    line: int


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxstring, _SHORT_REPR.maxother = 3, MAX_QUOTED_CHARS, MAX_QUOTED_CHARS


def quoted(value: Any) -> str:
    """`value` as a message may show it: its repr, cut to about MAX_QUOTED_CHARS characters (never
    built whole: a value may be large)."""
    text = repr(value[:MAX_QUOTED_CHARS + 1]) if isinstance(value, str) else _SHORT_REPR.repr(value)
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    closing_quote = text[-1] if isinstance(value, str) else ""
    return text[:MAX_QUOTED_CHARS - 2] + "…" + closing_quote


class _AnchorFound(Exception):
    """An anchor (`&name`) or alias (`*name`) met while composing: which, and where it was written."""

    def __init__(self, mark: yaml.Mark, written: str) -> None:
        super().__init__(written)
        self.mark, self.written = mark, written


class _NoAliasComposer(Composer):
    """PyYAML's composer, refusing anchors and aliases before they are composed: one alias may stand
    for a value built from millions of others (an "alias bomb")."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _AnchorFound(event.start_mark, f"alias '*{event.anchor[:MAX_QUOTED_CHARS]}'")
        if getattr(event, "anchor", None) is not None:
            raise _AnchorFound(event.start_mark, f"anchor '&{event.anchor[:MAX_QUOTED_CHARS]}'")
        return super().compose_node(parent, index)


class _PurePythonLoader(_NoAliasComposer, yaml.SafeLoader):
    """The safe loader, without anchors and aliases, all in Python."""


class _DeeplyNested(Exception):
    """A document libyaml composed nests deeper than SHALLOW_LEVELS: it is composed here instead."""


# Nested no deeper than this, a document libyaml composes is composed as PyYAML's composer would
# compose it here; deeper, that composer may run out of Python's stack first (what it says then is kept).
SHALLOW_LEVELS = 20


def _nested_deeper_than(node: yaml.Node, levels: int) -> bool:
    below = [(node, 1)]
    while below:
        node, level = below.pop()
        if level > levels:
            return True
        if isinstance(node, yaml.SequenceNode):
            below += [(child, level + 1) for child in node.value]
        elif isinstance(node, yaml.MappingNode):
            below += [(child, level + 1) for pair in node.value for child in pair]
    return False


if CParser is None:
    _NoAliasLoader = _PurePythonLoader
    _LibyamlComposer = None
else:
    class _NoAliasLoader(_NoAliasComposer, CParser, SafeConstructor, Resolver):
        """The safe loader, without anchors and aliases, on libyaml's events: the nodes are still
        composed here, so that anchors and aliases are refused before any is."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            _NoAliasComposer.__init__(self)

    class _LibyamlComposer(yaml.CSafeLoader):
        """The safe loader all in libyaml, composing the nodes too (twice as fast as composing them
        here): for a text with no "&" and no "*", which can hold no anchor or alias to refuse."""

        def get_single_node(self):
            node = super().get_single_node()
            if node is not None and _nested_deeper_than(node, SHALLOW_LEVELS):
                raise _DeeplyNested
            return node


class YamlLoader:
    """Reads a YAML mapping from text that starts at line `first_line` of the file at `path`.

    The steps are hooks for the rules YAML text must follow: `check_characters` (the text as a
    whole), `compose` (the document's nodes, before anything is built: anchors and aliases are
    refused there, and values longer than MAX_VALUE_CHARS or MAX_ITEMS after it) and
    `construct_value` (each value); messages show values through `quoted`. The values of the keys in `as_written` are kept as written: each
    scalar its source text (`title: 1984` is "1984"), an empty or null one None, never typed. The
    values of the keys in `located` are kept as written too, with each item of a list and each value
    of a mapping in them a Located (a manifest's entries are named by their own line).
    """

    def __init__(self, path: Path | str, *, subject: str, first_line: int = 1,
                 as_written: Collection[str] = (), located: Collection[str] = ()) -> None:
        self.path = path
        self.first_line = first_line
        self.subject = subject  # what the text is, for messages: "front matter", "manifest"
        self.as_written = frozenset(as_written)
        self.located = frozenset(located)

    def load_mapping(self, text: str) -> dict[str, Located]:
        """The mapping's values by key (an empty text gives {}); a ContentError for anything else."""
        self.check_characters(text)  # before YAML, which would not say where for every reader
        if _LibyamlComposer is not None and "&" not in text and "*" not in text:
            try:
                return self._load_mapping(text, _LibyamlComposer)
            except (ContentError, _DeeplyNested):
                pass  # judged, and explained, as any other text is below
        try:
            return self._load_mapping(text, _NoAliasLoader)
        except ContentError:
            if _NoAliasLoader is _PurePythonLoader:
                raise
        # libyaml refuses a little more than PyYAML (an escaped lone surrogate), and words its
        # errors its own way: a text it refuses is judged, and explained, by PyYAML's own parser.
        return self._load_mapping(text, _PurePythonLoader)

    def _load_mapping(self, text: str, loader_class: type) -> dict[str, Located]:
        loader = loader_class(text)
        try:
            node = self.compose(loader)
            if node is None:
                return {}
            oversized = _oversized(node)
            if oversized is not None:
                raise self._error(text, oversized.start_mark.index, f"a value of the {self.subject} is longer "
                                  f"than {MAX_VALUE_CHARS} characters or holds more than {MAX_ITEMS} items",
                                  fix="shorten it: only the article's metadata belongs there")
            if not isinstance(node, yaml.MappingNode):
                raise self._error(text, node.start_mark.index,
                                  f"the {self.subject} is not a list of 'key: value' lines",
                                  fix="write one 'key: value' per line, e.g. 'title: My article'")
            values: dict[str, Located] = {}
            for key_node, value_node in node.value:
                key = self.construct_value(loader, key_node)
                try:
                    if str(key) in self.located:
                        value = self._written_located(loader, text, value_node)
                    elif str(key) in self.as_written:
                        value = _written(loader, value_node)
                    else:
                        value = self.construct_value(loader, value_node)
                except ValueError as error:  # e.g. an impossible date such as 2024-02-30
                    raise self._error(text, key_node.start_mark.index,
                                      f"{quoted(key)} has an impossible value: {error}",
                                      fix="write dates as YYYY-MM-DD with a real day") from None
                values[str(key)] = Located(value, self._line_at(text, key_node.start_mark.index))
            return values
        except _AnchorFound as found:
            raise self._error(text, found.mark.index, f"the {self.subject} uses the YAML {found.written}; "
                              "Pressroom does not expand anchors and aliases",
                              fix="write the value out in full wherever it is used") from None
        except yaml.MarkedYAMLError as error:
            raise self._syntax_error(text, error) from None
        except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
            raise self._error(text, 0, f"invalid YAML {self.subject}: {_short_quotes(str(error))}",
                              fix="use plain 'key: value' lines") from None
        finally:
            loader.dispose()

    def check_characters(self, text: str) -> None:
        match = _REFUSED_CHARACTER.search(text)
        if match is not None:
            raise self._refused_character(text, match.start(), ord(match.group()))

    def compose(self, loader: yaml.SafeLoader) -> yaml.Node | None:
        """The document's root node, or None for an empty document."""
        return loader.get_single_node()

    def construct_value(self, loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        return loader.construct_object(node, deep=True)

    def _written_located(self, loader: yaml.SafeLoader, text: str, node: yaml.Node) -> Any:
        """`node` as `_written` reads it, each list item and mapping value a Located on its own line."""
        if isinstance(node, yaml.SequenceNode):
            return [Located(self._written_located(loader, text, item), self._line_at(text, item.start_mark.index))
                    for item in node.value]
        if isinstance(node, yaml.MappingNode):
            return {str(_written(loader, key)): Located(self._written_located(loader, text, value),
                                                        self._line_at(text, key.start_mark.index))
                    for key, value in node.value}
        return _written(loader, node)

    def _line_at(self, text: str, index: int) -> int:
        # Counted from the text, not from YAML's marks, which also count lines YAML alone sees.
        return self.first_line + text.count("\n", 0, index)

    def _error(self, text: str, index: int, problem: str, fix: str) -> ContentError:
        return ContentError(self.path, problem, line=self._line_at(text, index), fix=fix)

    def _syntax_error(self, text: str, error: yaml.MarkedYAMLError) -> ContentError:
        # An error found at the end of the text (an unclosed quote) is best reported where it began.
        mark = error.problem_mark
        if mark is None or (error.context_mark is not None and "end of stream" in (error.problem or "")):
            mark = error.context_mark
        problem = "; ".join(part for part in (error.context, error.problem) if part) or "it is not valid YAML"
        return self._error(text, mark.index if mark is not None else 0,
                           f"invalid YAML {self.subject}: {_short_quotes(problem)}", fix=_SYNTAX_FIX)

    def _refused_character(self, text: str, index: int, code_point: int) -> ContentError:
        return self._error(text, index, f"the {self.subject} holds the character U+{code_point:04X}, "
                           "which YAML cannot read as text",
                           fix="delete it; most editors do not show it, so retype the line")


def _oversized(node: yaml.Node) -> yaml.Node | None:
    """The first node (in document order) that is too long, if any."""
    if isinstance(node, yaml.ScalarNode):
        return node if len(node.value) > MAX_VALUE_CHARS else None
    if len(node.value) > MAX_ITEMS:
        return node
    children = [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else node.value
    return next((found for found in map(_oversized, children) if found is not None), None)


def _written(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """The value of `node` as written: scalars as their source text (YAML escapes applied), a plain
    empty or null scalar None, lists and mappings of those; a tag the safe loader lacks is refused."""
    if node.tag not in loader.yaml_constructors:
        raise yaml.constructor.ConstructorError(None, None, f"could not determine a constructor for the tag "
                                                f"{node.tag!r}", node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        return None if node.style is None and node.tag == _NULL_TAG else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_written(loader, item) for item in node.value]
    return {str(_written(loader, key)): _written(loader, value) for key, value in node.value}


def _short_quotes(message: str) -> str:
    """One of YAML's messages with every quoted part (a tag, a key) cut to MAX_QUOTED_CHARS."""
    def cut(match: re.Match) -> str:
        inner = match.group(1)
        return match.group() if len(inner) <= MAX_QUOTED_CHARS else f"'{inner[:MAX_QUOTED_CHARS - 1]}…'"
    return _QUOTED_IN_YAML_MESSAGE.sub(cut, message)


def read_yaml_file(path: Path, subject: str, max_chars: int, missing_fix: str, long_fix: str) -> tuple[bytes, str]:
    """The bytes and decoded text of the YAML file at `path` (a manifest, a periodical), or a
    ContentError naming `subject`: no such file, unreadable, or longer than `max_chars`."""
    from .decoding import decode_source

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, f"no such {subject}", fix=missing_fix) from None
    except OSError as error:
        raise ContentError(path, f"the {subject} cannot be read: {error.strerror}") from None
    text = decode_source(path, data)
    if len(text) > max_chars:
        raise ContentError(path, f"the {subject} is longer than {max_chars} characters", line=1, fix=long_fix)
    return data, text


def without_lines(value: Any) -> Any:
    """A value read with its lines (`Located`, in lists and mappings too), without them."""
    if isinstance(value, Located):
        return without_lines(value.value)
    if isinstance(value, list):
        return [without_lines(item) for item in value]
    if isinstance(value, dict):
        return {key: without_lines(item) for key, item in value.items()}
    return value
