"""Each layer activation once: NumPy forms for the numbers (the engine and training), the
lecture's SymPy forms for what students see, and which mistake rules its slope allows.

NumPy forms work on the last axis, so one vector (the engine) and a batch of rows (training) go
through the same code. SymPy is imported only when a formula is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .functions import FUNCTIONS, Function


def softmax(u: np.ndarray) -> np.ndarray:
    shifted = np.exp(u - np.max(u, axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def logsumexp(u: np.ndarray) -> np.ndarray:
    """log Σ e^u over the last axis, without overflow."""
    top = np.max(u, axis=-1, keepdims=True)
    return (top + np.log(np.exp(u - top).sum(axis=-1, keepdims=True)))[..., 0]


@dataclass(frozen=True)
class Activation:
    name: str
    forward: Callable[[np.ndarray], np.ndarray]  # u -> h, over the last axis
    slope: Callable[[Any, np.ndarray], np.ndarray] | None  # f'(u) from (u, h); None: softmax
    slope_at: Callable[[float], float] | None  # f' at a number (for the "f' at h" mistake)
    formula: Callable[[Any], Any] | None  # u -> h in the lecture's form; None: softmax (needs all u)
    slope_formula: Callable[[Any, Any], Any] | None  # f'(u) in the lecture's form, from (u, h)
    slope_needs_u: bool = False  # f' cannot be written from h alone (ReLU), so u is needed
    mistakes: tuple[str, ...] = ()  # mistake rules (tutor/engine/mistakes.py) that its slope allows
    kinks: tuple[float, ...] = ()  # values of u where f has no derivative

    @property
    def elementwise(self) -> bool:
        return self.slope is not None

    def formulas(self, u: Sequence[Any]) -> list[Any]:
        """h_j for every unit j, in the lecture's form."""
        if self.formula is not None:
            return [self.formula(uj) for uj in u]
        import sympy as sp

        from .forms import add

        total = add(*(sp.exp(uk, evaluate=False) for uk in u))
        return [sp.Mul(sp.exp(uj, evaluate=False), sp.Pow(total, -1, evaluate=False), evaluate=False) for uj in u]


def _of(name: str, f: Function, slope_formula: Callable[[Any, Any], Any], **rules: Any) -> Activation:
    """An activation that applies one of the expression functions to each unit."""
    return Activation(
        name,
        forward=f.vector,
        slope=lambda u, h: f.slope(u, h) * np.ones_like(h),
        slope_at=lambda v: float(f.slope(v, f.scalar(v))),
        formula=f.printed,
        slope_formula=slope_formula,
        kinks=f.kinks,
        **rules,
    )


def _h_times_one_minus_h(u: Any, h: Any) -> Any:
    import sympy as sp

    from .forms import one_minus

    return sp.Mul(h, one_minus(h), evaluate=False)


def _one_minus_h_squared(u: Any, h: Any) -> Any:
    import sympy as sp

    from .forms import one_minus

    return one_minus(sp.Pow(h, 2, evaluate=False))


def _one(u: Any, h: Any) -> Any:
    import sympy as sp

    return sp.Integer(1)


# slope_in_u: a slope written in h (h(1 - h), 1 - h²) evaluated with u put for h.
_SLOPE_RULES = ("missing_derivative", "derivative_at_h", "slope_in_u")

ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", forward=lambda u: u, slope=lambda u, h: np.ones_like(h),
                           slope_at=lambda v: 1.0, formula=lambda u: u, slope_formula=_one),
    # ReLU'(u) is a step: it cannot be read off h, and evaluating it at h gives the same value.
    "relu": _of("relu", FUNCTIONS["relu"], lambda u, h: FUNCTIONS["relu"].slope_sympy(u),
                slope_needs_u=True, mistakes=("missing_derivative",)),
    "sigmoid": _of("sigmoid", FUNCTIONS["sigma"], _h_times_one_minus_h, mistakes=_SLOPE_RULES),
    "tanh": _of("tanh", FUNCTIONS["tanh"], _one_minus_h_squared, mistakes=_SLOPE_RULES),
    "softmax": Activation("softmax", forward=softmax, slope=None, slope_at=None, formula=None, slope_formula=None,
                          mistakes=("missing_derivative",)),
}
