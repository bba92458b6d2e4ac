"""Open a problem by id or path and derive its solution: what every command but ``list`` does first.

Kept apart from the CLI so that the benchmark's TUI row starts the way ``bptutor solve`` does.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def open_problem(ref: str, dirs: Sequence[Path | str] = ()):
    from .problem import load_problem
    from .problem.library import resolve

    return load_problem(resolve(ref, dirs))


def load_and_derive(ref: str, dirs: Sequence[Path | str] = (), seed: int | None = None):
    """(problem, solution) for an id or a path, or for its random variant ``seed``; raises
    tutor.errors.TutorError subclasses."""
    with no_gc_while_loading():
        from .engine import derive

        problem = open_problem(ref, dirs)
        if seed is not None:
            from .problem.variants import make_variant

            problem = make_variant(problem, seed)
        return problem, derive(problem)


@contextmanager
def no_gc_while_loading() -> Iterator[None]:
    """SymPy, NumPy and pydantic create about a million long-lived objects on import, and the
    cyclic collector walks them again and again: 0.1 to 0.3 s of start-up (benchmarks/run.py).
    Collect nothing while loading, then freeze what was loaded so later collections skip it."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
