"""Reading a problem file's YAML safely, keeping where every value came from.

Standard library and PyYAML only (no pydantic): ``bptutor list`` uses this module on its own and
must start fast. ``tutor.problem.load`` adds the schema check on top.

Problem files are untrusted (students share them), so PyYAML's defaults are tightened:

* the file is refused before parsing when it is larger than ``MAX_BYTES``;
* bytes are decoded as UTF-8 (a leading byte-order mark is dropped);
* anchors, aliases and explicit tags are refused (no "billion laughs", no object construction);
* keys must be text and may appear only once in a mapping;
* plain scalars follow the YAML 1.2 core schema: ``no``/``yes``/``on``/``off`` stay text,
  ``1e-3`` is a number, ``010`` is ten, ``1:30`` is text, dates are text;
* nesting (20 levels) and the number of values (30,000) are limited;
* exactly one document must be present, and its top level must be a mapping.

Every failure is a :class:`tutor.errors.ProblemError` with a 1-based line and column when known.

Parsing: libyaml's event parser (``CParser``, with line/column marks) feeds our own strict composer;
the pure-Python PyYAML parser is the fallback. The composer, not PyYAML's, builds the node tree, so
nothing is ever constructed from a tag. libyaml matters for speed: 120,000 tiny list items (a file
just under the size cap) took about 0.8 s to compose this way and over 5 s with the pure parser;
the value cap now stops such a file after 30,000 values.
The node tree is kept so that schema errors can be mapped back to lines (``tutor.problem.load``).
"""

from __future__ import annotations

import math
import os
import re
import stat
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.errors import ProblemError
from tutor.problem.yamlstrict import (  # noqa: F401 - MAX_NODES, PureLoader: part of this module's API
    BOOL,
    FLOAT,
    INT,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    NULL,
    STR,
    Loader,
    PathLike,
    PureLoader,
    _Refused,
)
from tutor.safe_text import describe_character, is_bidi, unsafe_character

# ----------------------------------------------------------------------------------------------
# Marks and messages


def mark_of(mark: Any) -> tuple[int | None, int | None]:
    """A PyYAML mark as a 1-based (line, column)."""
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def format_key(parts: tuple[str | int, ...] | list[str | int]) -> str | None:
    """('network', 'sizes', 2) -> 'network.sizes[2]'."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            shown = str(part) if part and not any(c.isspace() or c in ".[]'\"" for c in str(part)) else repr(part)
            text += ("." if text else "") + shown
    return text or None


def describe(value: Any) -> str:
    """How a YAML value reads to a teacher, for "expected X, got Y" messages."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"the number {value}" if value.bit_length() < 100 else "a huge number"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return f"a {type(value).__name__}"


_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "unexpected ':' here; check the indentation, or quote a value that contains ': '"),
    ("could not find expected ':'", "expected 'key: value' here (is a ':' missing, or a quote left open?)"),
    ("expected a single document", "a problem file must hold exactly one YAML document, but a second one starts here (remove the '---' line)"),
    ("found unexpected end of stream", "the file ends inside a quoted text or a bracket; is a closing quote or bracket missing?"),
    ("did not find expected key", "a key was expected here; check the indentation of this line"),
    ("expected ',' or ']'", "a list in [...] is not closed properly: expected ',' or ']'"),
    ("expected ',' or '}'", "a mapping in {...} is not closed properly: expected ',' or '}'"),
    ("expected <block end>", "the indentation is inconsistent here (a line is indented differently from its siblings)"),
    ("expected the node content", "a value was expected here"),
    ("did not find expected node content", "a value was expected here"),
    ("found unknown escape character", "unknown escape sequence in a double-quoted text; use single quotes or write '\\\\'"),
)


def _syntax_message(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or ""
    context = err.context or ""
    for needle, message in _SYNTAX_HINTS:
        if needle in problem or needle in context:
            return message
    parts = [p for p in (problem, context) if p]
    return "invalid YAML: " + ("; ".join(parts) if parts else "the file could not be parsed")


def _line_col(text: str, position: int) -> tuple[int, int]:
    position = max(0, min(position, len(text)))
    line = text.count("\n", 0, position) + 1
    start = text.rfind("\n", 0, position) + 1
    return line, position - start + 1


# ----------------------------------------------------------------------------------------------
# Reading


def read_bytes(path: PathLike) -> bytes:
    """The file's bytes, refusing folders, devices, unreadable files and files over the cap."""
    where = path
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ProblemError(where, "this is a folder, not a problem file")
        if not stat.S_ISREG(info.st_mode):
            raise ProblemError(where, "this is not a regular file")
        if info.st_size > MAX_BYTES:
            raise ProblemError(where, _too_big(info.st_size))
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except ProblemError:
        raise
    except FileNotFoundError:
        raise ProblemError(where, "no such file") from None
    except IsADirectoryError:
        raise ProblemError(where, "this is a folder, not a problem file") from None
    except PermissionError:
        raise ProblemError(where, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise ProblemError(where, f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError:  # e.g. a NUL character in the file name
        raise ProblemError(where, "this is not a valid file name") from None
    if len(data) > MAX_BYTES:
        raise ProblemError(where, _too_big(len(data)))
    return data


def _too_big(size: int) -> str:
    return (
        f"the file is larger than {MAX_BYTES // 1024} KiB (problem files are small text files; "
        "is this the right file?)"
    )


def decode(data: bytes | str, path: PathLike | None) -> str:
    """UTF-8 text (byte-order mark dropped), size-checked before anything else is done."""
    if isinstance(data, str):
        if len(data) > MAX_BYTES or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise ProblemError(path, _too_big(len(data)))
        text = data[1:] if data.startswith("\ufeff") else data
    else:
        if len(data) > MAX_BYTES:
            raise ProblemError(path, _too_big(len(data)))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            byte = data[exc.start]
            raise ProblemError(
                path,
                f"the file is not UTF-8 text (byte 0x{byte:02x} cannot be read); save it as UTF-8",
                line,
                column,
            ) from None
    return text


# ----------------------------------------------------------------------------------------------
# Parsing


_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def compose(text: str, path: PathLike | None, loader_class: type | None = None) -> MappingNode:
    """The root node of the only document, which must be a mapping."""
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line, column = _line_col(text, bad.start())
        raise ProblemError(path, f"{describe_character(bad.group())} is not allowed in a problem file", line, column)
    loader = None
    try:
        loader = (loader_class or Loader)(text)
        root = loader.get_single_node()
    except _Refused as exc:
        raise ProblemError(path, exc.message, *mark_of(exc.mark), exc.key) from None
    except yaml.reader.ReaderError as exc:
        raise ProblemError(path, f"the file contains characters that cannot be read ({exc.reason})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and _flow_depth(text, mark.index) > MAX_DEPTH:
            # Newer PyYAML scanners stop deep brackets themselves, before our composer sees them.
            raise ProblemError(path, f"the file is nested more than {MAX_DEPTH} levels deep", *mark_of(mark)) from None
        message = _syntax_message(exc)
        context = exc.context or ""
        if exc.context_mark is not None and ("flow sequence" in context or "flow mapping" in context):
            mark = exc.context_mark  # where the unclosed [ or { opened
            message = message.replace(" is not closed", " that starts here is not closed")
        elif exc.context_mark is not None and mark is not None and not text[mark.index :].strip():
            mark = exc.context_mark  # the file ended: point at where the bracket or quote opened
        char = _char_at(text, mark.line, mark.column) if mark is not None else ""
        if char == "\t":
            message = "tab characters cannot be used for indentation in YAML; indent with spaces"
        elif "cannot start any token" in (exc.problem or "") and char:
            message = f"a value cannot start with {char!r}; put the value in quotes"
        raise ProblemError(path, message, *mark_of(mark)) from None
    except yaml.YAMLError as exc:
        raise ProblemError(path, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ProblemError(path, "the file is nested too deeply") from None
    except MemoryError:
        raise ProblemError(path, "the file is too large to read") from None
    finally:
        del loader
    if root is None:
        raise ProblemError(path, "the file is empty; a problem file starts with 'id:', 'title:' and 'kind:'", 1, 1)
    if not isinstance(root, MappingNode):
        # Nothing of the content is quoted: this may be any file (a link to /etc/passwd), not a problem.
        got = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise ProblemError(
            path,
            f"this is not a problem file: the top level must be a mapping of keys such as 'id:', 'title:' "
            f"and 'kind:', but the file holds {got}",
            *mark_of(root.start_mark),
        )
    return root


def _flow_depth(text: str, end: int) -> int:
    """How many [ and { are open at ``end``, ignoring quoted text (roughly: only
    used to say why the scanner stopped)."""
    depth = 0
    quote = ""
    for char in text[:end]:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
    return depth


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _scalar(node: ScalarNode, where: tuple[str | int, ...]) -> Any:
    tag, value = node.tag, node.value
    if tag == STR:
        return _printable(value, node, where)
    if tag == NULL:
        return None
    if tag == BOOL:
        return value.lower() == "true"
    if tag == INT:
        try:
            return int(value)
        except ValueError:  # more digits than Python converts
            raise _Refused(f"the number has too many digits ({len(value)})", node.start_mark, format_key(where)) from None
    if tag == FLOAT:
        lowered = value.lower()
        if lowered.endswith(".nan"):
            return math.nan
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        return float(value)
    return value  # pragma: no cover - explicit tags are refused while composing


def _printable(text: str, node: ScalarNode, where: tuple[str | int, ...]) -> str:
    """``text`` as decoded (a ``"\\u001b"`` escape is an ESC by now), refused when printing it could
    drive the terminal: control characters other than newline and tab, and bidirectional controls."""
    char = unsafe_character(text)
    if char is None:
        return text
    if is_bidi(char):
        why = "it can reorder or hide text; problem files may not contain bidirectional controls"
    else:
        why = "problem files may not contain control characters (only newlines and tabs)"
    raise _Refused(f"the text contains {describe_character(char)}; {why}", node.start_mark, format_key(where))


def construct(node: Node, where: tuple[str | int, ...] = ()) -> Any:
    """Plain Python data (dict, list, str, int, float, bool, None) from a checked node tree."""
    if isinstance(node, ScalarNode):
        return _scalar(node, where)
    if isinstance(node, SequenceNode):
        return [construct(item, (*where, i)) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _key(key_node, where)
            if key in first_line:
                raise _Refused(
                    f"duplicate key {key!r} (first at line {first_line[key]})",
                    key_node.start_mark,
                    format_key(where),
                )
            first_line[key] = key_node.start_mark.line + 1
            result[key] = construct(value_node, (*where, key))
        return result
    raise _Refused("unsupported YAML node", node.start_mark, format_key(where))  # pragma: no cover


def _key(node: Node, where: tuple[str | int, ...]) -> str:
    if isinstance(node, ScalarNode):
        if node.tag == STR:
            return _printable(node.value, node, where)
        if node.tag == NULL:
            raise _Refused("a key is empty; write 'name: value'", node.start_mark, format_key(where))
        raise _Refused(
            f"keys must be text, but {node.value!r} reads as a {'number' if node.tag in (INT, FLOAT) else 'true/false value'}; "
            f"put it in quotes: '{node.value}'",
            node.start_mark,
            format_key(where),
        )
    raise _Refused("keys must be plain text, not a list or mapping", node.start_mark, format_key(where))


def parse(text: str | bytes, path: PathLike | None = "<string>") -> tuple[dict[str, Any], MappingNode]:
    """Decode, compose and construct: the top-level mapping as data, and its node tree."""
    try:
        decoded = decode(text, path)
        root = compose(decoded, path)
        data = construct(root)
    except _Refused as exc:
        raise ProblemError(path, exc.message, *mark_of(exc.mark), exc.key) from None
    except RecursionError:
        raise ProblemError(path, "the file is nested too deeply") from None
    except MemoryError:
        raise ProblemError(path, "the file is too large to read") from None
    return data, root


def parse_file(path: PathLike) -> tuple[dict[str, Any], MappingNode]:
    """``parse`` on a file's content, with the size cap checked on the bytes before parsing."""
    return parse(read_bytes(path), path)


def lookup(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    """The (key node, value node) of ``key`` in a mapping node, or None."""
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def locate(path: PathLike | None, at: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """The 1-based line and column of the key ``at`` (("graph", "nodes", "z")) in a problem file,
    for errors found after loading; (None, None) when the file or the key cannot be found."""
    if path is None or not at:
        return None, None
    try:
        _, node = parse_file(path)
    except (ProblemError, OSError):
        return None, None
    mark = None
    for part in at:
        if isinstance(node, MappingNode) and isinstance(part, str):
            found = lookup(node, part)
            if found is None:
                break
            mark, node = found[0].start_mark, found[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return mark_of(mark) if mark is not None else (None, None)
