"""Loading a problem file: safe YAML (``yamlsafe``), then the schema (``schema``).

Every failure is a :class:`tutor.errors.ProblemError` whose ``str`` reads
``FILE:LINE:COL: key: message``; no other exception leaves this module. The first error in file
order is reported (an unknown key before a missing one, since the missing key is usually the
misspelt one), in plain English.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.errors import ProblemError
from tutor.problem import yamlsafe
from tutor.problem.library import shown_path
from tutor.problem import schema
from tutor.problem.schema import ProblemBase
from tutor.problem.yamlsafe import describe, format_key

__all__ = ["load_problem", "load_problem_text"]


def load_problem(path: Path | str) -> ProblemBase:
    """Load and check one problem file; its id must equal the file name's stem."""
    data = yamlsafe.read_bytes(path)
    file = Path(path)
    # A stem that is not UTF-8 can match no id; escaped, it can at least be shown in the error.
    return _load(data, path, expected_id=shown_path(file.stem), file=file)


def load_problem_text(text: str | bytes, path: str = "<string>", expected_id: str | None = None) -> ProblemBase:
    """Load and check a problem from its text; ``path`` is used in messages only."""
    return _load(text, path, expected_id=expected_id, file=None)


def _load(text: str | bytes, where: Path | str, expected_id: str | None, file: Path | None) -> ProblemBase:
    data, root = yamlsafe.parse(text, where)
    try:
        problem = schema.Problem.model_validate(data, context={"expected_id": expected_id})
    except ValidationError as exc:
        raise _to_problem_error(exc, root, where) from None
    except RecursionError:
        raise ProblemError(where, "the file is nested too deeply") from None
    except MemoryError:
        raise ProblemError(where, "the file is too large to check") from None
    except Exception as exc:  # a bug in a validator must still not crash a front end
        raise ProblemError(where, f"could not check the file ({type(exc).__name__}: {exc})") from None
    problem._path = file
    return problem


# ----------------------------------------------------------------------------------------------
# From pydantic errors to one located message


@dataclass
class _Located:
    rank: tuple[int, int, int]
    message: str
    line: int | None
    column: int | None
    key: str | None


def _to_problem_error(exc: ValidationError, root: MappingNode, where: Path | str) -> ProblemError:
    located = [_locate(error, root) for error in exc.errors(include_url=False)]
    if not located:  # pragma: no cover - pydantic always reports at least one error
        return ProblemError(where, str(exc))
    best = min(located, key=lambda item: item.rank)
    return ProblemError(where, best.message, best.line, best.column, best.key)


def _locate(error: dict[str, Any], root: MappingNode) -> _Located:
    ctx = error.get("ctx") or {}
    loc = list(error["loc"])
    if error["type"] == "problem":
        loc += list(ctx.get("at") or ())
    node: Node = root
    key_node: Node | None = None
    keys: list[str | int] = []  # the loc parts that have a node: the dotted key, and the schema path
    missing: str | None = None
    on_key = bool(ctx.get("on_key")) or error["type"] == "extra_forbidden"
    for i, part in enumerate(loc):
        if isinstance(node, MappingNode) and isinstance(part, str):
            found = yamlsafe.lookup(node, part)
            if found is not None:
                key_node, node = found
                keys.append(part)
                continue
            if i == len(loc) - 1 and not part.startswith("["):
                missing = part
                break
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            key_node = None
            keys.append(part)
            continue
        if part == "[key]":
            on_key = True
        # anything else (a union member's tag, a dict-key marker) has no node of its own

    if missing is not None:
        mark = node.start_mark
        near = ctx.get("near")
        if near and isinstance(node, MappingNode):
            found = yamlsafe.lookup(node, near)
            if found is not None:
                mark = found[0].start_mark
        message = _message(error, node, keys, missing)
        line, column = yamlsafe.mark_of(mark)
        return _Located((1, line or 0, column or 0), message, line, column, format_key(keys))

    if on_key and key_node is not None:
        mark = key_node.start_mark
    elif isinstance(node, ScalarNode) or key_node is None:
        mark = node.start_mark
    else:
        mark = key_node.start_mark
    line, column = yamlsafe.mark_of(mark)
    parent_keys = keys[:-1] if error["type"] == "extra_forbidden" else keys
    message = _message(error, _parent_of(root, keys) if error["type"] == "extra_forbidden" else node, keys, None)
    return _Located((0, line or 0, column or 0), message, line, column, format_key(parent_keys))


def _parent_of(root: MappingNode, keys: list[str | int]) -> Node:
    node: Node = root
    for part in keys[:-1]:
        if isinstance(node, MappingNode) and isinstance(part, str):
            found = yamlsafe.lookup(node, part)
            if found is None:
                break
            node = found[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            node = node.value[part]
    return node


# ----------------------------------------------------------------------------------------------
# Messages


_KIND_HINTS = {
    "loss": "for kind 'layer' the output layer goes under 'layer:'; in a network, 'loss' goes under 'network:'",
    "activation": "'activation' belongs under 'layer:' (kind layer); a network lists 'activations' under 'network:'",
}


def _message(error: dict[str, Any], node: Node, model_path: list[str | int], missing: str | None) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    text = str(error.get("msg", ""))
    if kind == "problem":
        return str(ctx.get("message", text))
    if kind == "missing":
        return f"missing required key {missing!r}" if missing else "a required key is missing"
    if kind == "extra_forbidden":
        return _unknown_key(error, node, model_path)
    if kind in ("string_type", "string_sub_type"):
        return f"expected text, got {describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {describe(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {describe(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {describe(value)}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list such as [1, 2], got {describe(value)}"
    if kind == "model_type" and ctx.get("class_name") == "Localized":
        return f"expected text, or English and Japanese texts as {{en: ..., ja: ...}}; got {describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys (key: value), got {describe(value)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'([^']*)'", expected)
        got = describe(value)
        hint = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, options, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"must be one of {expected}; got {got}{hint}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return text.replace("Input should be", "must be") + f", got {_number(value)}"
    if kind in ("too_short", "too_long"):
        low, high = ctx.get("min_length"), ctx.get("max_length")
        count = ctx.get("actual_length")
        bound = f"at least {low}" if kind == "too_short" else f"at most {high}"
        return f"needs {bound} {'entry' if (low if kind == 'too_short' else high) == 1 else 'entries'}, got {count}"
    if kind in ("finite_number",):
        return "must be a finite number; .nan and .inf are not allowed"
    if kind in ("value_error", "assertion_error"):
        return re.sub(r"^(Value|Assertion) error, ", "", text)
    return text.replace("Input should be", "must be")


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() < 100:
        return str(value)
    return describe(value)


def _unknown_key(error: dict[str, Any], parent: Node, model_path: list[str | int]) -> str:
    loc = list(error["loc"])
    name = str(loc[-1]) if loc else "?"
    valid = _field_names(model_path[:-1])
    if isinstance(parent, MappingNode):
        present = {k.value for k, _ in parent.value if isinstance(k, ScalarNode)}
    else:
        present = set()
    text = f"unknown key {name!r}"
    if len(model_path) == 1 and name in _KIND_HINTS:
        return f"{text}; {_KIND_HINTS[name]}"
    if not valid:
        return text
    candidates = [v for v in valid if v not in present] or valid
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.lower(), [c.lower() for c in candidates], n=1, cutoff=0.6)
        close = [c for c in candidates if close and c.lower() == close[0]][:1]
    if close:
        return f"{text}; did you mean {close[0]!r}?"
    return f"{text}; the keys allowed here are {', '.join(valid)}"


def _field_names(model_path: list[str | int]) -> list[str]:
    """The keys a mapping at ``model_path`` (relative to Problem) may hold, in schema order."""
    current: Any = schema.Problem
    for part in model_path:
        current = _walk(current, part)
        if current is None:
            return []
    model = _model_in(current)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _walk(annotation: Any, part: str | int) -> Any:
    model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    if model is not None:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field is not None else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _walk(args[0], part)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is type(None):
                continue
            found = _walk(arg, part)
            if found is not None:
                return found
        return None
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is tuple and args:
        return args[0]
    return None
