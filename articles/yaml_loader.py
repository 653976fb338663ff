"""The one YAML loader (front matter, manifests): safe tags only, each key's line, every failure a ContentError."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .errors import ContentError

MAX_QUOTED_CHARS = 80
# DEL and the C1 controls, which YAML refuses, and the line breaks only YAML sees (U+0085, U+2028,
# U+2029): a value would end there silently, or fail with an error that makes no sense in the file.
_REFUSED_CHARACTER = re.compile("[\x7f-\x9f\u2028\u2029]")
_QUOTED_IN_YAML_MESSAGE = re.compile(r"'([^']*)'")
_SYNTAX_FIX = "check the quotes and the indentation there; quote values that contain ': ' or ' #'"


class Located(NamedTuple):
    """A value read from YAML and the 1-based line of the file its key is on."""

    value: Any
    line: int


def quoted(value: Any) -> str:
    """`value` as a message may show it: its repr, cut to about MAX_QUOTED_CHARS characters."""
    text = repr(value)
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    closing_quote = text[-1] if isinstance(value, str) else ""
    return text[:MAX_QUOTED_CHARS - 2] + "…" + closing_quote


class YamlLoader:
    """Reads a YAML mapping from text that starts at line `first_line` of the file at `path`.

    The steps are hooks for the rules YAML text must follow: `check_characters` (the text as a
    whole), `compose` (the document's nodes, before anything is built) and `construct_value`
    (each value); messages show values through `quoted`.
    """

    def __init__(self, path: Path | str, *, subject: str, first_line: int = 1) -> None:
        self.path = path
        self.first_line = first_line
        self.subject = subject  # what the text is, for messages: "front matter", "manifest"

    def load_mapping(self, text: str) -> dict[str, Located]:
        """The mapping's values by key (an empty text gives {}); a ContentError for anything else."""
        self.check_characters(text)
        try:
            loader = yaml.SafeLoader(text)  # refuses non-printable characters here, before any parsing
        except yaml.reader.ReaderError as error:
            raise self._refused_character(text, error.position, error.character) from None
        try:
            node = self.compose(loader)
            if node is None:
                return {}
            if not isinstance(node, yaml.MappingNode):
                raise self._error(text, node.start_mark.index,
                                  f"the {self.subject} is not a list of 'key: value' lines",
                                  fix="write one 'key: value' per line, e.g. 'title: My article'")
            values: dict[str, Located] = {}
            for key_node, value_node in node.value:
                key = self.construct_value(loader, key_node)
                try:
                    value = self.construct_value(loader, value_node)
                except ValueError as error:  # e.g. an impossible date such as 2024-02-30
                    raise self._error(text, key_node.start_mark.index,
                                      f"{quoted(key)} has an impossible value: {error}",
                                      fix="write dates as YYYY-MM-DD with a real day") from None
                values[str(key)] = Located(value, self._line_at(text, key_node.start_mark.index))
            return values
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


def _short_quotes(message: str) -> str:
    """One of YAML's messages with every quoted part (a tag, a key) cut to MAX_QUOTED_CHARS."""
    def cut(match: re.Match) -> str:
        inner = match.group(1)
        return match.group() if len(inner) <= MAX_QUOTED_CHARS else f"'{inner[:MAX_QUOTED_CHARS - 1]}…'"
    return _QUOTED_IN_YAML_MESSAGE.sub(cut, message)
