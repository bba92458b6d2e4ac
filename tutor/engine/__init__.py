"""From a problem to its worked solution: derive(problem) -> Solution."""

from __future__ import annotations

from ..errors import NumericError, ProblemError
from ..steps import Solution


def derive(problem) -> Solution:
    """The ordered steps of a problem; numeric trouble is reported against the problem's file."""
    try:
        return _derive(problem)
    except NumericError as exc:
        raise ProblemError(problem.path, str(exc)) from None


def _derive(problem) -> Solution:
    if problem.kind == "network":
        from tutor.kinds.network.derive import derive_network

        return derive_network(problem)
    if problem.kind == "graph":
        from tutor.kinds.graph.derive import derive_graph

        return derive_graph(problem)
    if problem.kind == "affine":
        from tutor.kinds.affine.derive import derive_affine

        return derive_affine(problem)
    if problem.kind == "optimizer":
        from tutor.kinds.optimizer.derive import derive_optimizer

        return derive_optimizer(problem)
    from tutor.kinds.layer.derive import derive_layer

    return derive_layer(problem)
