"""Batch normalisation of one unit over a mini-batch (problem kind "batchnorm"), as the lecture
writes it: μ = (1/N) Σ uₙ, σ² = (1/N) Σ (uₙ − μ)² (the mean of squares: divided by N, not N − 1),
ûₙ = (uₙ − μ) / √(σ² + ε), yₙ = f_BN(uₙ) = γ ûₙ + β (yₙ on screen, as in the JSON key).

The upstream ∂E/∂yₙ is given. Backward, in the order the graph is walked back: ∂E/∂γ and
∂E/∂β (sums over the batch), each ∂E/∂ûₙ, then ∂E/∂σ² and ∂E/∂μ (σ² and μ read every uₙ), and
each ∂E/∂uₙ, which collects the three paths from uₙ to E: through ûₙ, σ² and μ.
"""

from __future__ import annotations

import math

import sympy as sp

from tutor.engine import mistakes as common
from tutor.engine.build import StepBuilder
from tutor.engine.symbols import Notation
from tutor.maths.forms import add, minus, mul
from tutor.maths.printed import Sqrt
from tutor.steps import Env, Phase, Solution

from . import keys as K
from . import rules


def _declare(spec, notation: Notation) -> dict[str, float]:
    givens: dict[str, float] = {}
    for n, value in enumerate(spec.u, 1):
        notation.indexed(K.u(n), "u", "u", None, (n,))
        givens[K.u(n)] = float(value)
    for key, text, latex, value in ((K.GAMMA, "γ", r"\gamma", spec.gamma), (K.BETA, "β", r"\beta", spec.beta),
                                    (K.EPS, "ε", r"\varepsilon", spec.epsilon)):
        notation.add(key, text, latex)
        givens[key] = float(value)
    for n, value in enumerate(spec.upstream, 1):
        notation.gradient(K.upstream(n), "y", "y", None, (n,))
        givens[K.upstream(n)] = float(value)
    notation.add(K.MU, "μ", r"\mu")
    notation.add(K.VAR, "σ²", r"\sigma^{2}")
    for n in range(1, spec.N + 1):
        notation.indexed(K.u_hat(n), "û", r"\hat{u}", None, (n,))
        notation.indexed(K.y(n), "y", "y", None, (n,))
    for key, text, latex in ((K.GRAD_GAMMA, "γ", r"\gamma"), (K.GRAD_BETA, "β", r"\beta"),
                             (K.GRAD_VAR, "σ²", r"\sigma^{2}"), (K.GRAD_MU, "μ", r"\mu")):
        notation.gradient_of(key, text, latex)
    for n in range(1, spec.N + 1):
        for key, base, base_latex in ((K.grad_u_hat(n), "û", r"\hat{u}"), (K.grad_u(n), "u", "u")):
            notation.gradient(key, base, base_latex, None, (n,))
    return givens


def derive_batchnorm(problem) -> Solution:
    spec = problem.batchnorm
    notation = Notation()
    givens = _declare(spec, notation)
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    samples = range(1, spec.N + 1)
    _statistics(builder, spec.N)
    _normalised(builder, spec.N)
    _parameter_gradients(builder, spec.N)
    _backward(builder, spec.N)
    env = builder.env
    values = {
        "mu": env[K.MU],
        "var": env[K.VAR],
        "u_hat": [env[K.u_hat(n)] for n in samples],
        "y": [env[K.y(n)] for n in samples],
        "grad_gamma": env[K.GRAD_GAMMA],
        "grad_beta": env[K.GRAD_BETA],
        "grad_u_hat": [env[K.grad_u_hat(n)] for n in samples],
        "grad_var": env[K.GRAD_VAR],
        "grad_mu": env[K.GRAD_MU],
        "grad_u": [env[K.grad_u(n)] for n in samples],
    }
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values, symbols=notation)


# ---------------------------------------------------------------- the numbers, from an environment


def _squares(env: Env, count: int) -> float:
    """Σ (uₙ − μ)², with the μ the environment holds (the student's own, in follow-through)."""
    return math.fsum((env[K.u(n)] - env[K.MU]) ** 2 for n in range(1, count + 1))


def _root(env: Env) -> float:
    """√(σ² + ε)."""
    return math.sqrt(env[K.VAR] + env[K.EPS])


def _unbiased_hat(env: Env, count: int, n: int) -> float:
    """ûₙ built on σ² divided by N − 1."""
    return (env[K.u(n)] - env[K.MU]) / math.sqrt(_squares(env, count) / (count - 1) + env[K.EPS])


# ---------------------------------------------------------------- forward


def _statistics(builder: StepBuilder, count: int) -> None:
    sym = builder.notation
    inputs = [sym[K.u(n)] for n in range(1, count + 1)]
    builder.add(K.MU, Phase.FORWARD, mul(sp.Rational(1, count), add(*inputs)),
                lambda env: math.fsum(env[K.u(n)] for n in range(1, count + 1)) / count, rule="bn_mean")
    deviations = [sp.Pow(minus(x, sym[K.MU]), 2, evaluate=False) for x in inputs]
    builder.add(
        K.VAR, Phase.FORWARD, mul(sp.Rational(1, count), add(*deviations)),
        lambda env: _squares(env, count) / count,
        mistakes=[rules.var_unbiased(lambda env: _squares(env, count) / (count - 1)),
                  rules.std_for_var(lambda env: math.sqrt(_squares(env, count) / count))],
        rule="bn_var",
    )


def _normalised(builder: StepBuilder, count: int) -> None:
    sym = builder.notation
    shifted = add(sym[K.VAR], sym[K.EPS])
    for n in range(1, count + 1):
        centred = minus(sym[K.u(n)], sym[K.MU])
        builder.add(
            K.u_hat(n), Phase.FORWARD, sp.Mul(centred, sp.Pow(Sqrt(shifted), -1, evaluate=False), evaluate=False),
            lambda env, n=n: (env[K.u(n)] - env[K.MU]) / _root(env),
            mistakes=[rules.var_unbiased(lambda env, n=n: _unbiased_hat(env, count, n)),
                      rules.sqrt_forgotten(lambda env, n=n: (env[K.u(n)] - env[K.MU]) / (env[K.VAR] + env[K.EPS]))],
            index=(n,), rule="bn_normalise",
        )
    for n in range(1, count + 1):
        builder.add(
            K.y(n), Phase.FORWARD, add(mul(sym[K.GAMMA], sym[K.u_hat(n)]), sym[K.BETA]),
            lambda env, n=n: env[K.GAMMA] * env[K.u_hat(n)] + env[K.BETA],
            mistakes=[rules.var_unbiased(lambda env, n=n: env[K.GAMMA] * _unbiased_hat(env, count, n) + env[K.BETA]),
                      rules.beta_forgotten(lambda env, n=n: env[K.GAMMA] * env[K.u_hat(n)])],
            index=(n,), rule="bn_output",
        )


# ---------------------------------------------------------------- backward


def _parameter_gradients(builder: StepBuilder, count: int) -> None:
    """γ and β are shared by every sample: their gradients are sums over the batch."""
    sym = builder.notation
    samples = range(1, count + 1)
    terms = [lambda env, n=n: env[K.upstream(n)] * env[K.u_hat(n)] for n in samples]
    total = lambda env: math.fsum(term(env) for term in terms)
    builder.add(
        K.GRAD_GAMMA, Phase.BACKWARD, add(*(mul(sym[K.upstream(n)], sym[K.u_hat(n)]) for n in samples)), total,
        mistakes=[*common.batch_not_summed(terms), common.batch_averaged(total, count),
                  rules.u_for_u_hat(lambda env: math.fsum(env[K.upstream(n)] * env[K.u(n)] for n in samples))],
        rule="bn_grad_gamma",
    )
    shares = [lambda env, n=n: env[K.upstream(n)] for n in samples]
    summed = lambda env: math.fsum(share(env) for share in shares)
    builder.add(
        K.GRAD_BETA, Phase.BACKWARD, add(*(sym[K.upstream(n)] for n in samples)), summed,
        mistakes=[*common.batch_not_summed(shares), common.batch_averaged(summed, count)],
        rule="bn_grad_beta",
    )
    for n in samples:
        builder.add(
            K.grad_u_hat(n), Phase.BACKWARD, mul(sym[K.upstream(n)], sym[K.GAMMA]),
            lambda env, n=n: env[K.upstream(n)] * env[K.GAMMA],
            mistakes=[rules.gamma_forgotten(lambda env, n=n: env[K.upstream(n)])],
            index=(n,), rule="bn_grad_u_hat",
        )


def _carried(env: Env, count: int) -> float:
    """Σ ∂E/∂ûₙ ûₙ."""
    return math.fsum(env[K.grad_u_hat(n)] * env[K.u_hat(n)] for n in range(1, count + 1))


def _backward(builder: StepBuilder, count: int) -> None:
    """∂E/∂σ² is written with ûₙ: Σ ∂E/∂ûₙ (uₙ − μ) · (−½)(σ² + ε)⁻³ᐟ² = −½ Σ ∂E/∂ûₙ ûₙ / (σ² + ε),
    and ∂E/∂μ without its term ∂E/∂σ² · (−2/N) Σ (uₙ − μ), which is 0 (the rules show both whole);
    so every formula fits a printed line."""
    sym = builder.notation
    samples = range(1, count + 1)
    shifted = add(sym[K.VAR], sym[K.EPS])
    centred = [minus(sym[K.u(n)], sym[K.MU]) for n in samples]
    var_gradient = lambda env: -0.5 * _carried(env, count) / (env[K.VAR] + env[K.EPS])
    builder.add(
        K.GRAD_VAR, Phase.BACKWARD,
        sp.Mul(add(*(mul(sym[K.grad_u_hat(n)], sym[K.u_hat(n)]) for n in samples)), sp.Rational(-1, 2),
               sp.Pow(shifted, -1, evaluate=False), evaluate=False),
        var_gradient,
        mistakes=[common.sign_flipped_back(var_gradient),
                  rules.var_power(lambda env: -0.5 * _carried(env, count))],
        rule="bn_grad_var",
    )
    mean_gradient = lambda env: -math.fsum(env[K.grad_u_hat(n)] for n in samples) / _root(env)
    builder.add(
        K.GRAD_MU, Phase.BACKWARD,
        sp.Mul(sp.Integer(-1), add(*(sym[K.grad_u_hat(n)] for n in samples)),
               sp.Pow(Sqrt(shifted), -1, evaluate=False), evaluate=False),
        mean_gradient,
        mistakes=[common.sign_flipped_back(mean_gradient)],
        rule="bn_grad_mu",
    )
    through_mean = lambda env: env[K.GRAD_MU] / count
    for n, c in zip(samples, centred):
        through_hat = lambda env, n=n: env[K.grad_u_hat(n)] / _root(env)
        through_var = lambda env, n=n: env[K.GRAD_VAR] * 2 * (env[K.u(n)] - env[K.MU]) / count
        builder.add(
            K.grad_u(n), Phase.BACKWARD,
            add(mul(sym[K.grad_u_hat(n)], sp.Pow(Sqrt(shifted), -1, evaluate=False)),
                mul(sym[K.GRAD_VAR], sp.Rational(2, count), c),
                mul(sym[K.GRAD_MU], sp.Rational(1, count))),
            lambda env, a=through_hat, b=through_var: a(env) + b(env) + through_mean(env),
            mistakes=[
                rules.stats_constant(lambda env, n=n: env[K.GAMMA] * env[K.upstream(n)] / _root(env)),
                rules.var_path_forgotten(lambda env, a=through_hat: a(env) + through_mean(env)),
                rules.mean_path_forgotten(lambda env, a=through_hat, b=through_var: a(env) + b(env)),
            ],
            index=(n,), rule="bn_grad_u",
        )


def objective(problem, env: Env) -> float:
    """E as the problem defines it through the upstream: Σₙ ∂E/∂yₙ · yₙ (yₙ = f_BN(uₙ)), a linear probe
    whose derivatives by γ, β and each uₙ are the backward pass's (the gradient check differentiates it)."""
    return math.fsum(env[K.upstream(n)] * env[K.y(n)] for n in range(1, problem.batchnorm.N + 1))
