"""From a problem to its worked solution: derive(problem) -> Solution."""

from __future__ import annotations

from ..errors import NumericError, ProblemError
from ..steps import Solution


def derive(problem) -> Solution:
    """The ordered steps of a problem, by its kind; numeric trouble is reported against the problem's file."""
    from ..kinds import get  # the kinds build on this package, so they are looked up when needed

    try:
        return get(problem.kind).derive(problem)
    except NumericError as exc:
        from ..problem.yamlsafe import format_key, locate

        line, column = locate(problem.path, exc.at)
        raise ProblemError(problem.path, exc.message, line, column, format_key(exc.at)) from None
