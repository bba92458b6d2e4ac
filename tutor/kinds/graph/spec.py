"""The ``graph:`` section: a computational graph of scalar nodes."""

from __future__ import annotations

import keyword
import re
from typing import TYPE_CHECKING

from pydantic import ValidationInfo, field_validator, model_validator

from tutor.maths import names as maths_names
from tutor.problem.common import Model, Names, Number, check_steps, close_match, fail

if TYPE_CHECKING:  # pragma: no cover
    from tutor.expr import Expr

MAX_GRAPH_INPUTS = 50
MAX_GRAPH_NODES = 100
MAX_NAME_LENGTH = 32

# Names a graph input or node may not take: the expression language's functions and constants.
RESERVED_NAMES = maths_names.CALLABLE | frozenset(maths_names.CONSTANTS)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def _check_name(name: str, what: str) -> str | None:
    """Why ``name`` cannot name a graph input or node, or None when it is fine."""
    if not _NAME.match(name):
        return (
            f"{what} name {name!r} is not a valid name: use letters, digits and '_', "
            "starting with a letter (for example apple_price)"
        )
    if len(name) > MAX_NAME_LENGTH:
        return f"{what} name {name!r} is longer than {MAX_NAME_LENGTH} characters"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{what} name {name!r} is a reserved word; choose another name"
    if name in RESERVED_NAMES:
        return f"{what} name {name!r} is the name of a function or constant in expressions; choose another name"
    if name.startswith("grad_"):
        return f"{what} name {name!r} starts with 'grad_', which is reserved for derivatives; choose another name"
    return None



class GraphSpec(Model):
    """A computational graph of scalar nodes, each an expression of inputs and earlier nodes."""

    inputs: dict[str, Number]
    """The inputs and their values, in order, e.g. {apple: 100, apple_num: 2, tax: 1.1}.
    Names use letters, digits and '_' (starting with a letter) and may not be a function or
    constant of the expression language (exp, log, sin, cos, tan, tanh, sqrt, pi, e, ...)."""
    nodes: dict[str, str]
    """The nodes in order, each an expression of inputs and EARLIER nodes, written with numbers,
    + - * / **, parentheses and the functions exp log sin cos tan tanh sqrt,
    e.g. {apple_price: "apple * apple_num", price: "apple_price * tax"}."""
    output: str
    """The name of the node whose derivatives are asked for (usually the last node)."""
    formula_of: Names = ()
    """Inputs whose derivative d(output)/d(input) the student must also give as a formula."""

    @field_validator("inputs")
    @classmethod
    def _inputs(cls, inputs: dict[str, float]) -> dict[str, float]:
        if not inputs:
            raise fail("a graph needs at least one input")
        if len(inputs) > MAX_GRAPH_INPUTS:
            raise fail(f"a graph may have at most {MAX_GRAPH_INPUTS} inputs, got {len(inputs)}")
        for name in inputs:
            problem = _check_name(name, "input")
            if problem:
                raise fail(problem, name, on_key=True)
        return inputs

    @field_validator("nodes")
    @classmethod
    def _nodes(cls, nodes: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if not nodes:
            raise fail("a graph needs at least one node")
        if len(nodes) > MAX_GRAPH_NODES:
            raise fail(f"a graph may have at most {MAX_GRAPH_NODES} nodes, got {len(nodes)}")
        inputs = info.data.get("inputs")
        for name in nodes:
            problem = _check_name(name, "node")
            if problem:
                raise fail(problem, name, on_key=True)
            if inputs is not None and name in inputs:
                raise fail(f"{name!r} is already an input; a node needs a name of its own", name, on_key=True)
        if inputs is None:
            return nodes  # the inputs have their own error; references cannot be checked yet
        from tutor.expr import ExprError, parse

        order = list(nodes)
        every = [*inputs, *order]
        for position, (name, text) in enumerate(nodes.items()):
            if not text.strip():
                raise fail(f"node {name!r} has an empty expression", name)
            allowed = [*inputs, *order[:position]]
            try:
                parse(text, allowed)
            except ExprError as exc:
                try:
                    wider = parse(text, every)
                except ExprError:
                    shown = text if len(text) <= 60 else text[:57] + "..."
                    raise fail(f"cannot use the expression {shown!r}: {exc}", name) from None
                used = min(wider.names - set(allowed), key=order.index)
                where = "is this node itself" if used == name else "is defined later"
                raise fail(
                    f"refers to {used!r}, which {where}; nodes may use only inputs and earlier nodes", name
                ) from None
        return nodes

    @field_validator("output")
    @classmethod
    def _output(cls, output: str, info: ValidationInfo) -> str:
        nodes = info.data.get("nodes")
        inputs = info.data.get("inputs") or {}
        if nodes is None:
            return output
        if output in nodes:
            return output
        if output in inputs:
            raise fail(f"output must be a node, but {output!r} is an input")
        raise fail(f"there is no node called {output!r}{close_match(output, list(nodes))}")

    @field_validator("formula_of")
    @classmethod
    def _formula_of(cls, names: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        inputs = info.data.get("inputs")
        if inputs is None:
            return names
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name not in inputs:
                raise fail(f"formula_of lists inputs, but {name!r} is not an input{close_match(name, list(inputs))}", i)
            if name in seen:
                raise fail(f"{name!r} is listed twice", i)
            seen.add(name)
        return names

    @model_validator(mode="after")
    def _size(self) -> GraphSpec:
        nodes = self.parsed_nodes()
        uses = sum(len(expr.names) for expr in nodes.values())
        count = len(nodes) + uses + len(self.inputs) + len(nodes) - 1 + len(self.formula_of)
        check_steps(count, "one per node, one per use of a name in a node (its local derivative), one per "
                    "input and node for its gradient, one per formula_of", "nodes")
        return self

    def parsed_nodes(self) -> dict[str, Expr]:
        """Each node's expression, parsed by the safe expression parser, in order."""
        from tutor.expr import parse

        names = list(self.inputs)
        parsed: dict[str, Expr] = {}
        for name, text in self.nodes.items():
            parsed[name] = parse(text, names)
            names.append(name)
        return parsed
