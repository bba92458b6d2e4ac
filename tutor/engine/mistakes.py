"""Typical wrong derivations, one small named rule each.

A rule turns the pieces of a correct step (callables of the environment) into a Mistake whose
value is what the wrong derivation gives. The checker names the mistake when a student's answer
matches that value and not the right one. Messages live in tutor/i18n/ under "mistake.<key>".
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
    "slope_not_cancelled",
    "dx_transpose_forgotten",
    "dw_transpose_forgotten",
    "batch_not_summed",
    "batch_averaged",
    "bias_correction_forgotten",
    "sqrt_forgotten",
    "gradient_not_squared",
    "moment_weights_swapped",
    "activation_forgotten",
    "scores_as_probabilities",
    "slope_in_u",
    "sign_flipped_back",
    "delta_wrong_layer",
    "bias_twice",
    "upstream_forgotten",
    "chain_factor_forgotten",
    "formula_sign",
    "formula_factor",
    "bn_var_unbiased",
    "bn_std_for_var",
    "bn_sqrt_forgotten",
    "bn_beta_forgotten",
    "bn_u_for_u_hat",
    "bn_gamma_forgotten",
    "bn_var_power",
    "bn_stats_constant",
    "bn_var_path_forgotten",
    "bn_mean_path_forgotten",
    "rnn_recurrent_input_forgotten",
    "rnn_recurrent_term_forgotten",
    "rnn_recurrent_transposed",
    "rnn_not_summed_over_t",
    "rnn_state_of_same_t",
    "conv_filter_flipped",
    "conv_filter_grad_not_summed",
    "conv_maxpool_to_every_input",
    "conv_maxpool_averaged",
    "conv_avgpool_not_divided",
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


def activation_forgotten(u: Part) -> Mistake:
    """h = u: the weighted sum given as the unit's output, f not applied."""
    return Mistake("activation_forgotten", u)


def scores_as_probabilities(u: Part) -> Mistake:
    """Softmax: the scores u typed as the probabilities h."""
    return Mistake("scores_as_probabilities", u)


def slope_in_u(without_slope: Part, slope_from_h: Callable[[float], float], u: Part) -> Mistake:
    """f' written in h (sigma' = h(1 - h), tanh' = 1 - h^2) but evaluated with u put for h."""
    return Mistake("slope_in_u", lambda env: without_slope(env) * slope_from_h(u(env)))


def sign_flipped_back(correct: Part) -> Mistake:
    """A hidden delta or a gradient with the sign lost somewhere in the factors carried back."""
    return Mistake("sign_flipped_back", lambda env: -correct(env))


def delta_wrong_layer(wrong: Part) -> Mistake:
    """dE/dw_ji^(l) built with delta_j of the layer above or below instead of layer l."""
    return Mistake("delta_wrong_layer", wrong)


def bias_twice(with_bias: Part, bias: Part) -> Mistake:
    """u = W h + b + b: the bias counted twice."""
    return Mistake("bias_twice", lambda env: with_bias(env) + bias(env))


def upstream_forgotten(locals_: Sequence[Part]) -> Mistake:
    """d(out)/d(v) given as the local derivative(s) d(c)/d(v), the upstream d(out)/d(c) not multiplied in."""
    return Mistake("upstream_forgotten", lambda env: sum(part(env) for part in locals_))


def chain_factor_forgotten(without_factor: Part) -> Mistake:
    """A formula dy/dx missing one factor of the chain (the inner or the outer derivative)."""
    return Mistake("chain_factor_forgotten", without_factor)


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


def slope_not_cancelled(matched: Part, slope: Part) -> Mistake:
    """Cross-entropy after softmax or sigmoid: (y - t) f'(u), though f' cancels and delta = y - t."""
    return Mistake("slope_not_cancelled", lambda env: matched(env) * slope(env))


# ---------------------------------------------------------------- Affine layer on a batch


def dx_transpose_forgotten(wrong: Part) -> Mistake:
    """dE/dX = dE/dY W instead of dE/dY W^T (the shapes fit only when W is square)."""
    return Mistake("dx_transpose_forgotten", wrong)


def dw_transpose_forgotten(wrong: Part) -> Mistake:
    """dE/dW = X dE/dY instead of X^T dE/dY (the shapes fit when the batch size equals D)."""
    return Mistake("dw_transpose_forgotten", wrong)


def batch_not_summed(terms: Sequence[Part]) -> list[Mistake]:
    """A bias (or weight) gradient from one example of the batch: the sum over examples is missing."""
    return [Mistake("batch_not_summed", term) for term in terms]


def batch_averaged(correct: Part, n: int) -> Mistake:
    """The batch's contributions averaged instead of summed (the loss here is not divided by N)."""
    return Mistake("batch_averaged", lambda env: correct(env) / n)


# ---------------------------------------------------------------- Adam


def bias_correction_forgotten(uncorrected: Part) -> Mistake:
    """m or v (or the update built from them) used without dividing by 1 - beta^t."""
    return Mistake("bias_correction_forgotten", uncorrected)


def sqrt_forgotten(weight: Part, rate: Part, m_hat: Part, v_hat: Part, eps: Part) -> Mistake:
    """w - eta m^ / (v^ + eps): the square root of v^ left out."""
    return Mistake("sqrt_forgotten", lambda env: weight(env) - rate(env) * m_hat(env) / (v_hat(env) + eps(env)))


def gradient_not_squared(beta: Part, previous: Part, gradient: Part) -> Mistake:
    """v = beta2 v + (1 - beta2) g: the second moment averages g^2, not g."""
    return Mistake("gradient_not_squared", lambda env: beta(env) * previous(env) + (1 - beta(env)) * gradient(env))


def moment_weights_swapped(beta: Part, previous: Part, new: Part) -> Mistake:
    """(1 - beta) * old + beta * new: the decay rate put on the new term instead of the old one."""
    return Mistake("moment_weights_swapped", lambda env: (1 - beta(env)) * previous(env) + beta(env) * new(env))
