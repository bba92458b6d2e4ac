"""The YAML parser a problem file goes through: one document, plain values only.

Anchors, aliases, tags, a second document, deep nesting and huge node counts are refused while
the node tree is composed (so a billion-laughs file never expands), and scalars resolve by the
YAML 1.2 core schema, so ``no`` stays text and ``1e3`` is a number. Nothing here builds Python
objects: ``tutor.problem.yamlsafe`` does, keeping where each value came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20
# The largest valid network (6 layers of 64 units) holds about 25,000 numbers.
MAX_NODES = 30_000

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, SEQ, MAP = (_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map"))

PathLike = Path | str


class _Refused(Exception):
    """Raised inside the YAML machinery; turned into a ProblemError with the file's path."""

    def __init__(self, message: str, mark: Any = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.key = key


class _StrictComposer:
    """Builds the node tree from parser events, refusing anchors, aliases, tags and deep nesting.

    Mixed into a parser class that provides ``peek_event``, ``get_event``, ``check_event`` and
    ``resolve`` (either libyaml's ``CParser`` or PyYAML's pure-Python parser); the parser itself
    never constructs Python objects.
    """

    _depth = 0
    _nodes = 0

    def get_single_node(self) -> Node | None:
        self.get_event()  # stream start
        document = None
        if not self.check_event(StreamEndEvent):
            self.get_event()  # document start
            document = self.compose_node(None, None)
            self.get_event()  # document end
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            raise _Refused(
                "a problem file must hold exactly one YAML document, but a second one starts here "
                "(remove the '---' line)",
                event.start_mark,
            )
        self.get_event()  # stream end
        return document

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise _Refused(
                "anchors (&a) and aliases (*a) are not allowed; write the value out in full",
                event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
            raise _Refused(f"YAML tags such as {shown!r} are not allowed; write plain values", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(
                f"the file holds more than {MAX_NODES:,} values; problem files are much smaller", event.start_mark
            )
        if self._depth >= MAX_DEPTH:
            raise _Refused(f"the file is nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            if isinstance(event, ScalarEvent):
                event = self.get_event()
                tag = self.resolve(ScalarNode, event.value, event.implicit)
                return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            if isinstance(event, SequenceStartEvent):
                start = self.get_event()
                seq = SequenceNode(SEQ, [], start.start_mark, None, flow_style=start.flow_style)
                while not self.check_event(SequenceEndEvent):
                    seq.value.append(self.compose_node(seq, len(seq.value)))
                seq.end_mark = self.get_event().end_mark
                return seq
            if isinstance(event, MappingStartEvent):
                start = self.get_event()
                mapping = MappingNode(MAP, [], start.start_mark, None, flow_style=start.flow_style)
                while not self.check_event(MappingEndEvent):
                    key = self.compose_node(mapping, None)
                    value = self.compose_node(mapping, key)
                    mapping.value.append((key, value))
                mapping.end_mark = self.get_event().end_mark
                return mapping
            raise _Refused("unexpected YAML content", event.start_mark)  # pragma: no cover
        finally:
            self._depth -= 1


class _Resolver(BaseResolver):
    """YAML 1.2 core scalar resolution (filled in below)."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {}


class PureLoader(_StrictComposer, Reader, Scanner, Parser, _Resolver):
    """The pure-Python parser (slow on large files; used when libyaml is not available)."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Resolver.__init__(self)


if CParser is not None:

    class FastLoader(_StrictComposer, CParser, _Resolver):  # type: ignore[misc, valid-type]
        """libyaml's parser (events with marks), composed by our own strict composer."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

    Loader: type = FastLoader
else:  # pragma: no cover - PyYAML without libyaml
    Loader = PureLoader


def _add(tag: str, pattern: str, first: str) -> None:
    _Resolver.add_implicit_resolver(tag, re.compile(pattern + r"\Z"), list(first))


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), decimal integers only.
_add(NULL, r"(?:~|null|Null|NULL|)", "~nN")
_Resolver.yaml_implicit_resolvers.setdefault("", []).append((NULL, re.compile(r"\Z")))
_add(BOOL, r"(?:true|True|TRUE|false|False|FALSE)", "tTfF")
_add(INT, r"[-+]?[0-9]+", "-+0123456789")
_add(FLOAT, r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", "-+.0123456789")
_add(FLOAT, r"[-+]?\.(?:inf|Inf|INF)", "-+.")
_add(FLOAT, r"\.(?:nan|NaN|NAN)", ".")
