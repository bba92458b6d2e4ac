"""Problem files: loading (``load_problem``), the model (``Problem``) and the built-in library.

The names below are imported lazily, so that ``tutor.problem.library`` (used by ``bptutor list``)
can be imported without pulling in pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from tutor.problem.load import load_problem, load_problem_text
    from tutor.kinds.graph.spec import GraphSpec
    from tutor.kinds.layer.spec import LayerSpec
    from tutor.kinds.network.spec import NetworkSpec
    from tutor.problem.schema import Localized, Problem

__all__ = ["GraphSpec", "LayerSpec", "Localized", "NetworkSpec", "Problem", "load_problem", "load_problem_text"]

_WHERE = {
    "load_problem": "tutor.problem.load",
    "load_problem_text": "tutor.problem.load",
    "Problem": "tutor.problem.schema",
    "Localized": "tutor.problem.schema",
    "NetworkSpec": "tutor.kinds.network.spec",
    "GraphSpec": "tutor.kinds.graph.spec",
    "LayerSpec": "tutor.kinds.layer.spec",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tutor.problem' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    if name != "Problem":  # rebuilt when a kind is registered: always read it from the schema
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
