"""Each loss once, and the output delta δ = ∂E/∂u of the output layer derived in one place.

NumPy forms work on the last axis: one output vector (the engine) or a batch of rows (training)
gives E, or δ, per row. The lecture's SymPy forms come from ``formula`` and ``delta_formulas``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import ACTIVATIONS, logsumexp
from .names import FUSED


def _weighted_log(weight: np.ndarray, p: np.ndarray) -> np.ndarray:
    """weight * log p, and 0 where the weight is 0 (so a target of 0 never meets log 0)."""
    return np.where(weight != 0, weight * np.log(np.where(weight != 0, p, 1.0)), 0.0)


def _squared_error(h: np.ndarray, d: np.ndarray) -> np.ndarray:
    return 0.5 * np.sum((h - d) ** 2, axis=-1)


def _mse(h: np.ndarray, d: np.ndarray) -> np.ndarray:
    return np.mean((h - d) ** 2, axis=-1)


def _bce(h: np.ndarray, d: np.ndarray) -> np.ndarray:
    return -np.sum(_weighted_log(d, h) + _weighted_log(1.0 - d, 1.0 - h), axis=-1)


def _bce_from_scores(u: np.ndarray, d: np.ndarray) -> np.ndarray:
    # -d log σ(u) - (1-d) log(1-σ(u)), written so that no rounded σ(u) enters a log.
    return np.sum(np.maximum(u, 0.0) - u * d + np.log1p(np.exp(-np.abs(u))), axis=-1)


def _ce(h: np.ndarray, d: np.ndarray) -> np.ndarray:
    return -np.sum(_weighted_log(d, h), axis=-1)


def _ce_from_scores(u: np.ndarray, d: np.ndarray) -> np.ndarray:
    # -Σ d log softmax(u) = Σ d (logsumexp(u) - u), exact for any targets.
    return np.sum(d * (logsumexp(u)[..., None] - u), axis=-1)


def _sp() -> Any:
    import sympy

    return sympy


def _squares_formula(h: Sequence[Any], d: Sequence[Any], factor: Any) -> Any:
    from .forms import add, minus, mul

    return mul(factor, add(*(_sp().Pow(minus(hj, dj), 2, evaluate=False) for hj, dj in zip(h, d))))


def _ce_formula(h: Sequence[Any], d: Sequence[Any]) -> Any:
    from .forms import add, mul, negate

    return negate(add(*(mul(dj, _sp().log(hj, evaluate=False)) for hj, dj in zip(h, d))))


def _bce_formula(h: Sequence[Any], d: Sequence[Any]) -> Any:
    from .forms import add, mul, negate, one_minus

    log = lambda x: _sp().log(x, evaluate=False)  # noqa: E731
    return negate(add(*(add(mul(dj, log(hj)), mul(one_minus(dj), log(one_minus(hj)))) for hj, dj in zip(h, d))))


def _difference(hj: Any, dj: Any, n: int) -> Any:
    from .forms import minus

    return minus(hj, dj)


def _bce_slope_formula(hj: Any, dj: Any, n: int) -> Any:
    from .forms import minus, mul, one_minus

    return mul(minus(hj, dj), _sp().Pow(mul(hj, one_minus(hj)), -1, evaluate=False))


def _ce_slope_formula(hj: Any, dj: Any, n: int) -> Any:
    from .forms import mul, negate

    return negate(mul(dj, _sp().Pow(hj, -1, evaluate=False)))


def _mse_slope_formula(hj: Any, dj: Any, n: int) -> Any:
    from .forms import minus, mul

    return mul(_sp().Rational(2, n) if n > 1 else _sp().Integer(2), minus(hj, dj))


@dataclass(frozen=True)
class Loss:
    name: str
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]  # E from (h, d)
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray]  # ∂E/∂h from (h, d)
    formula: Callable[[Sequence[Any], Sequence[Any]], Any]  # E in the lecture's form, from h_j and d_j
    slope_formula: Callable[[Any, Any, int], Any]  # ∂E/∂h_j from (h_j, d_j, n)
    output: str | None = None  # the output activation it is taught with (and the schema requires)
    from_scores: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None  # E from (u, d) after that output
    mistakes: tuple[str, ...] = ()  # mistake rules (tutor/engine/mistakes.py) for E
    delta_mistakes: tuple[str, ...] = ()  # and for δ, when it does not collapse to h - d


LOSSES: dict[str, Loss] = {
    "squared_error": Loss(
        "squared_error", _squared_error, lambda h, d: h - d, lambda h, d: _squares_formula(h, d, _sp().Rational(1, 2)),
        _difference, mistakes=("half_forgotten",), delta_mistakes=("half_forgotten",),
    ),
    "mse": Loss(
        "mse", _mse, lambda h, d: 2.0 * (h - d) / h.shape[-1], lambda h, d: _squares_formula(h, d, _sp().Rational(1, len(h))),
        _mse_slope_formula, mistakes=("squared_error_for_mse", "mse_sum_not_mean"), delta_mistakes=("mse_factor_forgotten",),
    ),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy", _bce, lambda h, d: (h - d) / (h * (1.0 - h)), _bce_formula, _bce_slope_formula,
        output="sigmoid", from_scores=_bce_from_scores,
    ),
    "cross_entropy": Loss(
        "cross_entropy", _ce, lambda h, d: -d / h, _ce_formula, _ce_slope_formula, output="softmax", from_scores=_ce_from_scores,
    ),
}


def loss_value(loss: str, h: np.ndarray, d: np.ndarray, u: np.ndarray | None = None, activation: str | None = None) -> np.ndarray:
    """E per row. From the scores u when the output activation is the loss's own (sigmoid with
    binary cross-entropy, softmax with cross-entropy): a rounded h would lose the digits of E."""
    spec = LOSSES[loss]
    if u is not None and activation == spec.output and spec.from_scores is not None:
        return spec.from_scores(u, d)
    return spec.value(h, d)


def fused(activation: str, loss: str) -> bool:
    """Whether δ = ∂E/∂u collapses to h - d (the activation's slope cancels)."""
    return (activation, loss) in FUSED


def output_delta(activation: str, loss: str, h: np.ndarray, d: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
    """δ = ∂E/∂u of the output layer, per row; u is needed only where f' needs it (ReLU)."""
    act = ACTIVATIONS[activation]
    if fused(activation, loss):
        # h Σd - d is the exact softmax gradient; the schema's targets add up to 1, giving h - d.
        return h * d.sum(axis=-1, keepdims=True) - d if activation == "softmax" else h - d
    g = LOSSES[loss].slope(h, d)
    if act.elementwise:
        return g * act.slope(u, h)
    return h * (g - np.sum(h * g, axis=-1, keepdims=True))  # through the softmax's Jacobian


def delta_formulas(activation: str, loss: str, u: Sequence[Any], h: Sequence[Any], d: Sequence[Any]) -> list[Any]:
    """δ_j for every output unit in the lecture's form."""
    from .forms import add, minus, mul

    if fused(activation, loss):
        return [minus(hj, dj) for hj, dj in zip(h, d)]
    act, n = ACTIVATIONS[activation], len(h)
    g = [LOSSES[loss].slope_formula(hj, dj, n) for hj, dj in zip(h, d)]
    if act.elementwise:
        return [mul(gj, act.slope_formula(uj, hj)) for uj, hj, gj in zip(u, h, g)]
    mixed = add(*(mul(hk, gk) for hk, gk in zip(h, g)))
    return [mul(hj, minus(gj, mixed)) for hj, gj in zip(h, g)]
