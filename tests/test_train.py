"""bptutor train: the vectorised gradients against the step engine and finite differences, the
optimizers against hand-computed updates, XOR actually learned, and the command end to end."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest

from tutor import train as T
from tutor.engine import derive
from tutor.problem import load_problem_text

from .conftest import builtin

# Networks beyond the built-in ones, so that every loss and output activation is covered:
# (sizes, activations, loss, input, target).
EXTRA_NETS = {
    "tanh_mse_2out": ([2, 3, 2], ["tanh", "identity"], "mse", [0.5, -1.0], [0.2, -0.3]),
    "softmax_ce": ([3, 2, 3], ["sigmoid", "softmax"], "cross_entropy", [1.0, 0.5, -0.5], [0.0, 1.0, 0.0]),
    "softmax_squared": ([2, 3], ["softmax"], "squared_error", [0.3, -0.7], [1.0, 0.0, 0.0]),
    "sigmoid_bce": ([2, 2, 2, 1], ["relu", "tanh", "sigmoid"], "binary_cross_entropy", [0.8, 0.2], [1.0]),
}


def _yaml_list(values) -> str:
    return "[" + ", ".join(_yaml_list(v) if isinstance(v, (list, np.ndarray)) else repr(float(v)) for v in values) + "]"


def extra_problem(name: str, seed: int = 7):
    """One of EXTRA_NETS as a problem file, with seeded weights far from symmetric."""
    sizes, activations, loss, x, d = EXTRA_NETS[name]
    rng = np.random.default_rng(seed)
    weights = []
    for l in range(1, len(sizes)):
        weights.append(f"    W{l}: {_yaml_list(rng.uniform(-1, 1, (sizes[l], sizes[l - 1])).round(2))}")
        weights.append(f"    b{l}: {_yaml_list(rng.uniform(-0.5, 0.5, sizes[l]).round(2))}")
    text = "\n".join([
        f"id: {name}", f"title: {name}", "kind: network", "network:",
        f"  sizes: {sizes}", f"  activations: [{', '.join(activations)}]", f"  loss: {loss}", "  weights:",
        *weights, f"  input: {_yaml_list(x)}", f"  target: {_yaml_list(d)}",
    ])
    return load_problem_text(text)


NETWORK_PROBLEMS = ["xor", "pytorch_relu", "ex71_relu", *EXTRA_NETS]


def network_problem(name: str):
    return extra_problem(name) if name in EXTRA_NETS else builtin(name)


# ---------------------------------------------------------------------------------------------
# Gradients


@pytest.mark.parametrize("name", NETWORK_PROBLEMS)
def test_gradient_on_the_problems_example_equals_the_step_engines(name):
    problem = network_problem(name)
    spec = problem.network
    net, params = T.Net.of(spec), T.problem_params(spec)
    X, D = np.array([spec.input]), np.array([spec.target])
    value, grads = T.loss_and_gradients(net, params, X, D)
    engine = derive(problem).values
    assert value == pytest.approx(engine["E"], rel=1e-12, abs=1e-15)
    for key in params:
        np.testing.assert_allclose(grads[key], np.array(engine[f"grad_{key}"]), rtol=1e-10, atol=1e-14,
                                   err_msg=f"{name}: {key}")


def _central_differences(net, params, X, D, eps=1e-6):
    numeric = {}
    for key, array in params.items():
        numeric[key] = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + eps
            up = T.loss(net, params, X, D)
            array[index] = saved - eps
            down = T.loss(net, params, X, D)
            array[index] = saved
            numeric[key][index] = (up - down) / (2 * eps)
    return numeric


@pytest.mark.parametrize("name", NETWORK_PROBLEMS)
def test_gradient_equals_central_differences_of_the_training_loss(name):
    spec = network_problem(name).network
    net = T.Net.of(spec)
    params = T.problem_params(spec)
    X, D = np.array([spec.input]), np.array([spec.target])
    _, grads = T.loss_and_gradients(net, params, X, D)
    numeric = _central_differences(net, params, X, D)
    for key in params:
        np.testing.assert_allclose(grads[key], numeric[key], rtol=1e-6, atol=1e-9, err_msg=f"{name}: {key}")


@pytest.mark.parametrize("name", ["tanh_mse_2out", "softmax_ce", "softmax_squared", "sigmoid_bce"])
def test_batch_gradient_equals_central_differences_of_the_mean_loss(name):
    # Several examples at once, random weights, and for softmax targets that do not add up to 1.
    spec = network_problem(name).network
    net = T.Net.of(spec)
    rng = np.random.default_rng(3)
    params = T.random_params(net, rng)
    X = rng.normal(size=(5, net.sizes[0]))
    D = rng.uniform(0, 1, size=(5, net.sizes[-1]))
    _, grads = T.loss_and_gradients(net, params, X, D)
    numeric = _central_differences(net, params, X, D)
    for key in params:
        np.testing.assert_allclose(grads[key], numeric[key], rtol=1e-6, atol=1e-9, err_msg=f"{name}: {key}")


def test_training_loss_is_the_mean_of_the_problems_loss_over_the_examples():
    spec = builtin("xor").network
    net, params = T.Net.of(spec), T.problem_params(spec)
    X, D = T.training_set(spec)
    # All weights 0.5, biases 0: h = σ(0.5 (x1 + x2)) for both hidden units, y = σ(h1 + h2 · 0.5 · 2 / 2).
    sig = lambda u: 1 / (1 + math.exp(-u))  # noqa: E731
    expected = []
    for (x1, x2), (d,) in zip([(0, 0), (0, 1), (1, 0), (1, 1)], [(0,), (1,), (1,), (0,)]):
        h = sig(0.5 * x1 + 0.5 * x2)
        y = sig(0.5 * h + 0.5 * h)
        expected.append(0.5 * (y - d) ** 2)
    assert T.loss(net, params, X, D) == pytest.approx(sum(expected) / 4, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Optimizers: a 1-1 identity unit, E = 1/2 (w x + b - d)^2 with x = 2, d = 3, w = 0.5, b = 0, so
# dE/dw = (w x + b - d) x and dE/db = w x + b - d. Step 1 starts from y = 1: g_w = -4, g_b = -2.

TINY = """
id: tiny
title: tiny
kind: network
network:
  sizes: [1, 1]
  activations: [identity]
  loss: squared_error
  weights: {W1: [[0.5]], b1: [0]}
  input: [2]
  target: [3]
  learning_rate: 0.1
"""


def _two_steps(optimizer_name: str):
    spec = load_problem_text(TINY).network
    net, params = T.Net.of(spec), T.problem_params(spec)
    X, D = T.training_set(spec)
    optimizer = T.make_optimizer(optimizer_name, 0.1)
    seen = []
    for loss in T.run(net, params, X, D, optimizer, 2):
        seen.append(loss)
    # run() yields the loss before each update; the loop ends after the second update.
    return seen, float(params["W1"][0, 0]), float(params["b1"][0])


def _after_one_step(optimizer_name: str):
    spec = load_problem_text(TINY).network
    net, params = T.Net.of(spec), T.problem_params(spec)
    X, D = T.training_set(spec)
    optimizer = T.make_optimizer(optimizer_name, 0.1)
    for _ in T.run(net, params, X, D, optimizer, 1):
        pass
    return float(params["W1"][0, 0]), float(params["b1"][0])


def test_sgd_first_two_updates():
    # Step 1: w = 0.5 - 0.1·(-4) = 0.9, b = 0 - 0.1·(-2) = 0.2.
    assert _after_one_step("sgd") == pytest.approx((0.9, 0.2), rel=1e-12)
    # Step 2: y = 0.9·2 + 0.2 = 2, g_w = (2 - 3)·2 = -2, g_b = -1: w = 1.1, b = 0.3.
    losses, w, b = _two_steps("sgd")
    assert losses == pytest.approx([0.5 * (1 - 3) ** 2, 0.5 * (2 - 3) ** 2])
    assert (w, b) == pytest.approx((1.1, 0.3), rel=1e-12)


def test_momentum_first_two_updates():
    # Step 1: v_w = 0.9·0 - 0.1·(-4) = 0.4, w = 0.9; v_b = 0.2, b = 0.2 (as SGD: v starts at 0).
    assert _after_one_step("momentum") == pytest.approx((0.9, 0.2), rel=1e-12)
    # Step 2: the same gradients as SGD's (-2, -1): v_w = 0.9·0.4 + 0.2 = 0.56, w = 0.9 + 0.56 = 1.46;
    # v_b = 0.9·0.2 + 0.1 = 0.28, b = 0.2 + 0.28 = 0.48.
    _, w, b = _two_steps("momentum")
    assert (w, b) == pytest.approx((1.46, 0.48), rel=1e-12)


def test_adam_first_two_updates():
    eps = 1e-8
    # Step 1: m^ = g and v^ = g^2 after bias correction, so each weight moves by eta·g/(|g| + eps).
    w1 = 0.5 - 0.1 * (-4) / (4 + eps)
    b1 = 0.0 - 0.1 * (-2) / (2 + eps)
    assert _after_one_step("adam") == pytest.approx((w1, b1), rel=1e-12)
    # Step 2 from w ≈ 0.6, b ≈ 0.1: y ≈ 1.3, g_w = (y - 3)·2, g_b = y - 3.
    r = w1 * 2 + b1 - 3
    g_w, g_b = r * 2, r
    m_w = 0.9 * (0.1 * -4) + 0.1 * g_w
    v_w = 0.999 * (0.001 * 16) + 0.001 * g_w**2
    m_b = 0.9 * (0.1 * -2) + 0.1 * g_b
    v_b = 0.999 * (0.001 * 4) + 0.001 * g_b**2
    w2 = w1 - 0.1 * (m_w / (1 - 0.9**2)) / (math.sqrt(v_w / (1 - 0.999**2)) + eps)
    b2 = b1 - 0.1 * (m_b / (1 - 0.9**2)) / (math.sqrt(v_b / (1 - 0.999**2)) + eps)
    _, w, b = _two_steps("adam")
    assert (w, b) == pytest.approx((w2, b2), rel=1e-12)
    assert w == pytest.approx(0.69925, abs=1e-4)  # the same, worked on paper to 4 decimals


def test_a_bad_optimizer_or_rate_is_refused():
    with pytest.raises(ValueError):
        T.make_optimizer("rmsprop", 0.1)
    for rate in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError):
            T.make_optimizer("sgd", rate)


# ---------------------------------------------------------------------------------------------
# XOR: learned from random weights, never from the file's symmetric ones

# (optimizer, learning rate, step budget, seeds). Measured over seeds 0-99, full batch: momentum
# at the file's rate 0.5 learns XOR within 2000 steps for 80 seeds (median 400 steps), SGD at 0.5
# within 10000 (the command's default) for 77 (median 3400), Adam at 0.05 within 1000 for 58
# (median 100). The rest stop in a local minimum (an output stuck at 0.5 or 2/3), which no
# budget fixes; so the tests pin seeds that learn, each in well under half its budget.
XOR_RUNS = [
    ("momentum", 0.5, 2000, [0, 2, 3, 7, 8, 9]),
    ("adam", 0.05, 500, [1, 2, 3, 5, 7, 9]),
    ("sgd", 0.5, 10000, [2, 3]),
]


def _xor():
    spec = builtin("xor").network
    net = T.Net.of(spec)
    X, D = T.training_set(spec)
    return spec, net, X, D


@pytest.mark.parametrize(("optimizer", "lr", "budget", "seeds"), XOR_RUNS, ids=[run[0] for run in XOR_RUNS])
def test_xor_is_learned_within_the_budget(optimizer, lr, budget, seeds):
    _, net, X, D = _xor()
    for seed in seeds:
        params = T.random_params(net, np.random.default_rng(seed))
        losses = list(T.run(net, params, X, D, T.make_optimizer(optimizer, lr), budget))
        outputs = T.predict(net, params, X).ravel()
        assert list(outputs > 0.5) == [False, True, True, False], (seed, outputs)
        assert T.loss(net, params, X, D) < losses[0] / 10


def test_xor_from_the_files_weights_keeps_its_hidden_units_identical():
    spec, net, X, D = _xor()
    params = T.problem_params(spec)
    assert T.symmetric_units(net, params) == [(1, 1, 2)]
    for _ in T.run(net, params, X, D, T.make_optimizer("sgd", 0.5), 500):
        pass
    np.testing.assert_allclose(params["W1"][0], params["W1"][1], rtol=0, atol=1e-12)
    assert not T.correct(net, T.predict(net, params, X), D).all()


def test_the_same_seed_gives_the_same_start():
    net = _xor()[1]
    a = T.random_params(net, np.random.default_rng(42))
    b = T.random_params(net, np.random.default_rng(42))
    c = T.random_params(net, np.random.default_rng(43))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["W1"], c["W1"])
    assert T.symmetric_units(net, a) == []


def test_without_a_training_set_the_one_example_is_used():
    spec = builtin("pytorch_relu").network
    X, D = T.training_set(spec)
    assert X.tolist() == [[3.0]] and D.tolist() == [[4.0]]


def test_divergence_is_reported_not_returned_as_nan():
    spec = builtin("pytorch_relu").network
    net, params = T.Net.of(spec), T.problem_params(spec)
    X, D = T.training_set(spec)
    with pytest.raises(T.TrainingDiverged) as caught:
        for _ in T.run(net, params, X, D, T.make_optimizer("sgd", 100.0), 1000):
            pass
    assert 0 < caught.value.step < 1000


# ---------------------------------------------------------------------------------------------
# The command


def run_process(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    full_env.update(BPTUTOR_LANG="en", COLUMNS="100", **env)
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=full_env,
                          timeout=120)


def test_train_xor_end_to_end_prints_the_outputs_table():
    result = run_process("train", "xor", "--steps", "200", "--seed", "0")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Seed: 0 (--seed 0 repeats this run)" in out
    assert "200/200" in out  # the progress bar's final state
    assert "loss (mean over 4 examples)" in out and "step" in out  # the chart
    assert "After training" in out and "output y" in out
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("0, 0", "0, 1", "1, 0", "1, 1"))]
    assert [row[:2] for row in rows] == [["0,", "0"], ["0,", "1"], ["1,", "0"], ["1,", "1"]]
    assert "Traceback" not in result.stderr


def test_the_same_seed_prints_the_same_run():
    first = run_process("train", "xor", "--steps", "50", "--seed", "11", "--optimizer", "adam", "--lr", "0.05")
    second = run_process("train", "xor", "--steps", "50", "--seed", "11", "--optimizer", "adam", "--lr", "0.05")
    table = lambda out: out[out.index("After training"):]  # noqa: E731 - the timer above differs
    assert first.returncode == 0 and table(first.stdout) == table(second.stdout)


def test_without_a_seed_one_is_chosen_and_shown():
    result = run_process("train", "xor", "--steps", "5")
    assert result.returncode == 0
    assert "--seed " in result.stdout and "repeats this run" in result.stdout


def test_no_color_and_a_pipe_give_plain_text():
    result = run_process("train", "xor", "--steps", "30", "--seed", "1", NO_COLOR="1")
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout


def test_in_process_with_clirunner_twice():
    # plotext keeps a global figure; a second run in the same process must start clean.
    from typer.testing import CliRunner

    from tutor.cli import app

    runner = CliRunner()
    for seed in ("1", "2"):
        result = runner.invoke(app, ["train", "xor", "--steps", "20", "--seed", seed], env={"COLUMNS": "90"})
        assert result.exit_code == 0, result.output
        assert result.output.count("After training") == 1


def test_init_problem_warns_about_the_symmetric_hidden_units():
    result = run_process("train", "xor", "--steps", "10", "--init", "problem")
    assert result.returncode == 0
    assert "start identical" in result.stdout
    assert "Seed:" not in result.stdout


@pytest.mark.parametrize(("problem", "what"), [("apple", "computational graph"), ("softmax_loss", "output layer")])
def test_a_problem_without_weights_exits_2_with_a_clear_message(problem, what):
    result = run_process("train", problem)
    assert result.returncode == 2
    assert what in result.stderr and "bptutor train xor" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_diverging_run_exits_1_with_advice():
    result = run_process("train", "pytorch_relu", "--init", "problem", "--lr", "100", "--steps", "300")
    assert result.returncode == 1
    assert "diverged" in result.stderr and "smaller --lr" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_options_are_refused():
    assert run_process("train", "xor", "--lr", "0").returncode == 2
    assert run_process("train", "xor", "--optimizer", "rmsprop").returncode == 2
    assert run_process("train", "xor", "--steps", "0").returncode == 2


def test_the_numerics_import_no_front_end_library():
    probe = ("import tutor.train, sys\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'typer', 'textual', 'click', 'plotext', "
             "'sympy'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
