"""Typical wrong derivations, one small named rule each.

A rule turns the pieces of a correct step (callables of the environment) into a Mistake whose
value is what the wrong derivation gives. The checker names the mistake when a student's answer
matches that value and not the right one. Messages live in tutor/i18n.py under "mistake.<key>".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..steps import Env, Mistake

Part = Callable[[Env], float]

KEYS = (
    "sign_flipped",
    "missing_derivative",
    "derivative_at_h",
    "half_forgotten",
    "mse_sum_not_mean",
    "mse_factor_forgotten",
    "squared_error_for_mse",
    "transposed_weights",
    "update_sign",
    "update_forgotten",
    "learning_rate_forgotten",
    "output_as_gradient",
    "bias_forgotten",
    "gradient_uses_u",
    "fan_out_not_summed",
)


def sign_flipped(correct: Part) -> Mistake:
    """d - y instead of y - d: the whole value changes sign."""
    return Mistake("sign_flipped", lambda env: -correct(env))


def missing_derivative(without_slope: Part) -> Mistake:
    """delta computed without the factor f'(u)."""
    return Mistake("missing_derivative", without_slope)


def derivative_at_h(without_slope: Part, slope_at: Callable[[float], float], h: Part) -> Mistake:
    """f' evaluated at the output h instead of at u, e.g. sigma(h)(1 - sigma(h))."""
    return Mistake("derivative_at_h", lambda env: without_slope(env) * slope_at(h(env)))


def half_forgotten(correct: Part) -> Mistake:
    """E = sum (y-d)^2 without the 1/2, or its derivative 2(y-d): twice the right value."""
    return Mistake("half_forgotten", lambda env: 2.0 * correct(env))


def mse_sum_not_mean(correct: Part, n: int) -> Mistake:
    """MSE taken as the sum of squares instead of their mean."""
    return Mistake("mse_sum_not_mean", lambda env: n * correct(env))


def mse_factor_forgotten(correct: Part) -> Mistake:
    """dMSE/dy taken as (y-d) instead of 2(y-d)/n (the squared-error habit carried over)."""
    return Mistake("mse_factor_forgotten", lambda env: correct(env) / 2.0)


def squared_error_for_mse(correct: Part) -> Mistake:
    """MSE computed as 1/2 sum (y-d)^2, the lecture's E, when the problem says MSELoss."""
    return Mistake("squared_error_for_mse", lambda env: correct(env) / 2.0)


def transposed_weights(wrong: Part) -> Mistake:
    """w_ij used where w_ji belongs (the weight matrix read transposed)."""
    return Mistake("transposed_weights", wrong)


def update_sign(weight: Part, rate: Part, gradient: Part) -> Mistake:
    """w + eta * dE/dw: a step up the gradient instead of down."""
    return Mistake("update_sign", lambda env: weight(env) + rate(env) * gradient(env))


def update_forgotten(weight: Part) -> Mistake:
    """The old weight given as the new one: the gradient step was not taken."""
    return Mistake("update_forgotten", weight)


def learning_rate_forgotten(weight: Part, gradient: Part) -> Mistake:
    return Mistake("learning_rate_forgotten", lambda env: weight(env) - gradient(env))


def output_as_gradient(output: Part) -> Mistake:
    """Softmax (or sigmoid) with cross-entropy: the backward value is y - t, not y."""
    return Mistake("output_as_gradient", output)


def bias_forgotten(without_bias: Part) -> Mistake:
    return Mistake("bias_forgotten", without_bias)


def gradient_uses_u(wrong: Part) -> Mistake:
    """dE/dw_ji = delta_j u_i instead of delta_j h_i: the input before the activation."""
    return Mistake("gradient_uses_u", wrong)


def fan_out_not_summed(terms: Sequence[Part]) -> list[Mistake]:
    """A value used by several nodes gets the sum of their gradients; one term alone is wrong."""
    return [Mistake("fan_out_not_summed", term) for term in terms]
