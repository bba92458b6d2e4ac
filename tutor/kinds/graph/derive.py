"""A computational graph of scalar nodes, as in the book's shopping example.

Forward: every node's value. Backward, from the output: for each node or input v (latest first),
each local derivative d(c)/d(v) for the nodes c that use v, then d(output)/d(v) as the sum over
those c of d(output)/d(c) * d(c)/d(v) (a value used twice gets the sum: fan-out).
Optionally, d(output)/d(x) as a formula of the inputs (the chain-rule exercises).
"""

from __future__ import annotations

import math
from typing import NoReturn

import sympy as sp

from tutor.errors import DomainError, ProblemError
from tutor.expr import Expr, ExprError, parse
from tutor.steps import AnswerKind, Env, Phase, Solution
from tutor.engine import budget
from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder
from tutor.engine.keys import formula_grad, grad, local
from tutor.engine.symbols import Notation
from tutor.problem.yamlsafe import locate

# The most operations (+ - * / ** and functions, as sympy.count_ops counts them) a formula step
# may ask a student to type: -tan(x) has 2, the raw derivative of a three-level chain
# n = m*m + sin(m) has 58 and of a four-level one 164.
MAX_FORMULA_OPS = 60


def derive_graph(problem) -> Solution:
    graph = problem.graph
    nodes = graph.parsed_nodes()
    notation = Notation()
    for name in [*graph.inputs, *nodes]:
        notation.plain(name)
    givens = {name: float(value) for name, value in graph.inputs.items()}
    givens[grad(graph.output)] = 1.0  # d(output)/d(output): where backward starts
    notation.partial(grad(graph.output), graph.output, graph.output)

    builder = StepBuilder(notation, givens, problem.tolerance_for)
    exprs = {name: expr.to_sympy(notation.symbols) for name, expr in nodes.items()}
    for variable in graph.formula_of:  # refuse an untypeable formula before the longer work
        _check_written_out_size(problem, exprs, notation, variable)
    for name, expr in nodes.items():
        builder.add(name, Phase.FORWARD, exprs[name], _evaluator(expr, ("graph", "nodes", name)), node=name, rule="graph_forward")
    _backward(graph, builder, exprs, nodes)
    for variable in graph.formula_of:
        _formula_step(problem, builder, exprs, variable)

    values = {name: builder.env[name] for name in nodes}
    values.update({grad(name): builder.env[grad(name)] for name in [*graph.inputs, *nodes]})
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values, symbols=notation)


def _evaluator(expr, at: tuple[str, ...]):
    def compute(env: Env) -> float:
        try:
            return expr.evaluate(env)
        except ExprError as exc:
            raise DomainError(str(exc), at=at) from None

    return compute


def _local(node, name: str, variable: str):
    """d(node)/d(variable) by the maths table's slopes: stable where a lambdified SymPy derivative
    overflows (σ far from 0), and an undefined derivative is named in the problem's terms."""

    def compute(env: Env) -> float:
        try:
            return node.derivative(variable, env)
        except ExprError as exc:
            raise DomainError(str(exc), at=("graph", "nodes", name)) from None

    return compute


def _backward(graph, builder: StepBuilder, exprs: dict[str, sp.Expr], nodes: dict) -> None:
    sym = builder.notation
    names = [*graph.inputs, *exprs]
    consumers = {v: [c for c in exprs if sym[v] in exprs[c].free_symbols] for v in names}
    order = [n for n in reversed(list(exprs)) if n != graph.output] + list(reversed(list(graph.inputs)))
    for v in order:
        terms = []
        for c in consumers[v]:
            local_key = local(c, v)
            sym.partial(local_key, c, v, local=True)
            slope = sp.diff(exprs[c], sym[v])
            builder.add(local_key, Phase.BACKWARD, slope, _local(nodes[c], c, v), node=v, rule="graph_local")
            terms.append((grad(c), local_key))
        sym.partial(grad(v), graph.output, v)
        formula = (
            sp.Add(*(sp.Mul(sym[g], sym[k], evaluate=False) for g, k in terms), evaluate=False)
            if len(terms) > 1
            else (sp.Mul(sym[terms[0][0]], sym[terms[0][1]], evaluate=False) if terms else sp.Integer(0))
        )
        parts = [lambda env, g=g, k=k: env[g] * env[k] for g, k in terms]
        found = rules.fan_out_not_summed(parts) if len(parts) > 1 else []
        if any(g != grad(graph.output) for g, _ in terms):  # an upstream of 1 changes nothing when left out
            found.append(rules.upstream_forgotten([lambda env, k=k: env[k] for _, k in terms]))
        builder.add(
            grad(v), Phase.BACKWARD, formula, lambda env, parts=parts: math.fsum(p(env) for p in parts),
            mistakes=found, node=v, rule="graph_chain",
        )


def _formula_step(problem, builder: StepBuilder, exprs: dict[str, sp.Expr], variable: str) -> None:
    """d(output)/d(variable) as a formula of the inputs, derived by SymPy from the composed graph."""
    graph = problem.graph
    sym = builder.notation
    name = f"d{graph.output}/d{variable}"
    composed = exprs[graph.output]
    for node in reversed(list(exprs)):  # substitute later nodes first so every node disappears
        composed = composed.xreplace({sym[node]: exprs[node]})
    raw = sp.diff(composed, sym[variable])
    if budget.tree_size(raw) > MAX_FORMULA_OPS * 4 or sp.count_ops(raw) > budget.SIMPLIFY_MAX_OPS:
        _refuse(problem, variable, _too_large(name, raw))
    inputs = tuple(graph.inputs)
    derivative, expected, parsed = _typeable(raw, inputs)
    if derivative is None:
        why = _too_large(name, raw) if sp.count_ops(raw) > MAX_FORMULA_OPS else (
            f"{name} = {raw} cannot be typed with the answer grammar")
        _refuse(problem, variable, why)
    key = formula_grad(variable)
    sym.add(key, name, rf"\frac{{d\,{graph.output}}}{{d\,{variable}}}")
    builder.add(
        key, Phase.BACKWARD, derivative, _evaluator(parsed, ("graph", "formula_of")),
        mistakes=_chain_slips(exprs, sym, graph.output, variable, inputs),
        answer=AnswerKind.FORMULA, variables=inputs, expected_formula=expected, node=variable,
        rule="graph_formula",
    )


def _chain_slips(exprs: dict[str, sp.Expr], sym, output: str, variable: str, inputs: tuple[str, ...]) -> list:
    """When the output reaches ``variable`` along one chain of nodes, the derivative with one link's
    local derivative left out (the inner or the outer derivative forgotten), as formulas in the inputs."""
    chain, node, reaching = [], output, _depending_on(exprs, sym, variable)
    while node != variable:
        used = [n for n in reaching if sym[n] in exprs[node].free_symbols]
        if len(used) != 1:
            return []  # several paths (or none): no single link to leave out
        chain.append((node, used[0]))
        node = used[0]
    links = [_written_out(sp.diff(exprs[c], sym[v]), exprs, sym) for c, v in chain]
    slips = []
    for leave_out in range(len(links)) if len(links) > 1 else ():
        text = _answer_text(sp.Mul(*(f for k, f in enumerate(links) if k != leave_out)))
        try:
            parsed = parse(text, inputs)
        except ExprError:
            continue
        slips.append(rules.chain_factor_forgotten(_evaluator(parsed, ("graph", "formula_of"))))
    return slips


def _depending_on(exprs: dict[str, sp.Expr], sym, variable: str) -> set[str]:
    """``variable`` and the nodes whose value depends on it (a node uses only nodes defined before it)."""
    reached = {variable}
    for node, expr in exprs.items():
        if any(sym[name] in expr.free_symbols for name in reached):
            reached.add(node)
    return reached


def _written_out(expr: sp.Expr, exprs: dict[str, sp.Expr], sym) -> sp.Expr:
    for node in reversed(list(exprs)):
        expr = expr.xreplace({sym[node]: exprs[node]})
    return expr


def _check_written_out_size(problem, exprs: dict[str, sp.Expr], sym, variable: str) -> None:
    """A node used twice doubles the written-out output at each level, and xreplace and sp.diff
    work on the written-out tree (measured here: 12 chained levels took 1 s, 16 levels 22 s, and
    deep nesting exhausts Python's recursion), so its size is worked out before it is built."""
    output = problem.graph.output
    if _written_out_size(exprs, sym, output) > MAX_FORMULA_OPS * 4:
        _refuse(problem, variable, f"d{output}/d{variable} is too large to type: written out in the inputs, "
                f"{output} alone has over {MAX_FORMULA_OPS * 4} numbers, names and operations")


def _written_out_size(exprs: dict[str, sp.Expr], sym, output: str) -> int:
    """The tree size of ``output`` with every node replaced by its expression, from each node's own
    (small) tree: a node's size counts each use of an earlier node as that node's whole size."""
    sizes: dict[sp.Symbol, int] = {}
    for node, expr in exprs.items():
        sizes[sym[node]] = sum(sizes.get(part, 1) for part in sp.preorder_traversal(expr))
        if node == output:
            break
    return sizes[sym[output]]


def _too_large(name: str, raw: sp.Expr) -> str:
    return (f"{name} is too large to type: written out it has {sp.count_ops(raw)} operations, and a formula "
            f"answer may have at most {MAX_FORMULA_OPS}; remove {name.rpartition('/d')[2]} from formula_of or use fewer nodes")


def _refuse(problem, variable: str, message: str) -> NoReturn:
    at = ("graph", "formula_of", problem.graph.formula_of.index(variable))
    line, column = locate(problem.path, at)
    raise ProblemError(problem.path, message, line, column, key="graph.formula_of")


def _typeable(derivative: sp.Expr, inputs: tuple[str, ...]) -> tuple[sp.Expr | None, str, Expr | None]:
    """The simplest form of the derivative a student could type (SymPy may simplify to cosh),
    its text, and that text parsed (evaluated by the same rules as answers). Simplifying is
    bounded by tutor.engine.budget; past it the derivative is asked as SymPy wrote it."""
    for candidate in (budget.bounded_simplify(derivative), derivative):
        if candidate is None or sp.count_ops(candidate) > MAX_FORMULA_OPS:
            continue
        text = _answer_text(candidate)
        try:
            parsed = parse(text, inputs)
        except ExprError:
            continue
        return candidate, text, parsed
    return None, "", None


def _answer_text(expression: sp.Expr) -> str:
    """SymPy's str form, with the few names our answer grammar spells differently."""
    return sp.sstr(expression).replace("Abs(", "abs(")
