"""One Adam update of a few weights from given gradients (problem kind "optimizer").

Per weight i, in the lecture's order: m_i = beta1 m_i + (1 - beta1) g_i,
v_i = beta2 v_i + (1 - beta2) g_i^2, the bias corrections m^_i = m_i / (1 - beta1^t) and
v^_i = v_i / (1 - beta2^t), and w_i (new) = w_i - eta m^_i / (sqrt(v^_i) + epsilon).
Superscripts count updates: m_i^(t-1) is given, m_i^(t) is found.
"""

from __future__ import annotations

import math

import sympy as sp

from tutor.steps import Phase, Solution
from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder, update_tolerance
from tutor.maths.forms import add as _add
from tutor.maths.forms import minus as _minus
from tutor.maths.forms import mul as _mul
from tutor.maths.forms import one_minus as _one_minus
from tutor.maths.printed import Sqrt
from tutor.engine.keys import Adam as N
from tutor.engine.symbols import Notation, label


CONSTANTS = {"eta": ("η", r"\eta"), "beta1": ("β₁", r"\beta_{1}"), "beta2": ("β₂", r"\beta_{2}"),
             "eps": ("ε", r"\varepsilon"), "t": ("t", "t")}


def _declare(spec, notation: Notation) -> dict[str, float]:
    t = spec.t
    m_old, v_old = spec.moments()
    givens: dict[str, float] = {}
    for i, (w, g, m, v) in enumerate(zip(spec.weights, spec.gradients, m_old, v_old), 1):
        notation.indexed(N.w(i), "w", "w", None, (i,))
        notation.indexed(N.g(i), "g", "g", None, (i,))
        notation.indexed(N.m_old(i), "m", "m", t - 1, (i,))
        notation.indexed(N.v_old(i), "v", "v", t - 1, (i,))
        givens.update({N.w(i): float(w), N.g(i): float(g), N.m_old(i): float(m), N.v_old(i): float(v)})
    for key, (text, latex) in CONSTANTS.items():
        notation.add(key, text, latex)
    givens.update(eta=float(spec.learning_rate), beta1=float(spec.beta1), beta2=float(spec.beta2),
                  eps=float(spec.epsilon), t=float(t))
    for i in range(1, len(spec.weights) + 1):
        notation.indexed(N.m(i), "m", "m", t, (i,))
        notation.indexed(N.v(i), "v", "v", t, (i,))
        notation.indexed(N.m_hat(i), "m̂", r"\hat{m}", t, (i,))
        notation.indexed(N.v_hat(i), "v̂", r"\hat{v}", t, (i,))
        text, latex = label("w", "w", None, (i,))
        notation.with_word(N.w_new(i), "symbol.updated", {"name": text}, {"name": latex})
    return givens


def derive_optimizer(problem) -> Solution:
    spec = problem.optimizer
    notation = Notation()
    givens = _declare(spec, notation)
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    count = len(spec.weights)
    for i in range(1, count + 1):
        _adam(builder, i)
    env = builder.env
    values = {
        key: [env[name(i)] for i in range(1, count + 1)]
        for key, name in (("m", N.m), ("v", N.v), ("m_hat", N.m_hat), ("v_hat", N.v_hat), ("w_new", N.w_new))
    }
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values, symbols=notation)


def _get(key: str):
    return lambda env: env[key]


def _adam(builder: StepBuilder, i: int) -> None:
    sym = builder.notation
    beta1, beta2, eta, eps, t = (sym[k] for k in ("beta1", "beta2", "eta", "eps", "t"))
    w, g, m, v, m_hat, v_hat = (_get(k) for k in (N.w(i), N.g(i), N.m(i), N.v(i), N.m_hat(i), N.v_hat(i)))
    m_old, v_old = _get(N.m_old(i)), _get(N.v_old(i))
    b1, b2, rate, epsilon = _get("beta1"), _get("beta2"), _get("eta"), _get("eps")
    g_squared = lambda env: env[N.g(i)] ** 2  # noqa: E731

    builder.add(
        N.m(i), Phase.UPDATE,
        _add(_mul(beta1, sym[N.m_old(i)]), _mul(_one_minus(beta1), sym[N.g(i)])),
        lambda env: env["beta1"] * env[N.m_old(i)] + (1 - env["beta1"]) * env[N.g(i)],
        mistakes=[rules.moment_weights_swapped(b1, m_old, g)], index=(i,), rule="adam_m",
    )
    builder.add(
        N.v(i), Phase.UPDATE,
        _add(_mul(beta2, sym[N.v_old(i)]), _mul(_one_minus(beta2), sp.Pow(sym[N.g(i)], 2, evaluate=False))),
        lambda env: env["beta2"] * env[N.v_old(i)] + (1 - env["beta2"]) * env[N.g(i)] ** 2,
        mistakes=[rules.gradient_not_squared(b2, v_old, g), rules.moment_weights_swapped(b2, v_old, g_squared)],
        index=(i,), rule="adam_v",
    )
    corrections = ((N.m_hat(i), N.m(i), "beta1", "adam_mhat"), (N.v_hat(i), N.v(i), "beta2", "adam_vhat"))
    for key, raw, beta, rule in corrections:
        builder.add(
            key, Phase.UPDATE,
            sp.Mul(sym[raw], sp.Pow(_one_minus(sp.Pow(sym[beta], t, evaluate=False)), -1, evaluate=False),
                   evaluate=False),
            lambda env, raw=raw, beta=beta: env[raw] / (1 - env[beta] ** env["t"]),
            mistakes=[rules.bias_correction_forgotten(_get(raw))], index=(i,), rule=rule,
        )

    def step(env, first=m_hat, second=v_hat) -> float:
        return env["eta"] * first(env) / (math.sqrt(second(env)) + env["eps"])

    ratio = lambda env: m_hat(env) / (math.sqrt(v_hat(env)) + env["eps"])  # noqa: E731
    uncorrected = lambda env: env[N.w(i)] - step(env, m, v)  # noqa: E731
    name = N.w_new(i)
    builder.add(
        name, Phase.UPDATE,
        _minus(sym[N.w(i)], sp.Mul(eta, sym[N.m_hat(i)], sp.Pow(_add(Sqrt(sym[N.v_hat(i)]), eps), -1, evaluate=False),
                                   evaluate=False)),
        lambda env: env[N.w(i)] - step(env),
        tolerance=update_tolerance(builder.tolerance_for(name), builder.env[N.w(i)], step(builder.env)),
        mistakes=[
            rules.bias_correction_forgotten(uncorrected),
            rules.sqrt_forgotten(w, rate, m_hat, v_hat, epsilon),
            rules.update_sign(w, rate, ratio),
            rules.update_forgotten(w),
        ],
        index=(i,), rule="adam_update",
    )
