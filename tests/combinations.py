"""Helpers for test_combinations: the CLI run in process, problem files written as YAML text, and
reference maths written here from the formulas, independent of tutor's own code."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import sys
import traceback
from pathlib import Path

import numpy as np

from tutor import cli
from tutor.maths.names import ALIASES

# The kind of a lone output layer (section `layer:`); flip to "layer" when the rename lands.
LAYER_KIND = "layer"

# Words that belong to Python or NumPy, not to us: none may reach a teacher.
FOREIGN = (r"Traceback", r"math domain error", r"math range error", r"division by zero", r"\w*Error:",
           r"\w*Exception", r"\bnan\b", r"\binf\b")


def run_cli(*argv: str) -> tuple[int | None, str]:
    """(exit status, stdout + stderr) of ``bptutor ARGV`` through the real entry point, in process.
    An exception that escapes main() is what a user would see as a traceback: returned as text."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["bptutor", *argv]
    code: int | None = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception:  # noqa: BLE001 - a leak is exactly what the tests look for
                code = None
                err.write(traceback.format_exc())
    finally:
        sys.argv = saved
    return code, out.getvalue() + err.getvalue()


def solution_values(path: Path) -> dict:
    code, output = run_cli("solution", str(path), "--format", "json")
    assert code == 0, output
    return json.loads(output)["values"]


def assert_one_located_line(output: str, path: Path, key: str) -> str:
    """The refusal format of README "Writing a problem": one line, FILE:LINE:COL: key: message."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    match = re.fullmatch(rf"{re.escape(str(path))}:(\d+):(\d+): {re.escape(key)}: (.+)", lines[0])
    assert match, lines[0]
    assert_own_words(lines[0])
    return match.group(3)


def assert_own_words(text: str) -> None:
    for pattern in FOREIGN:
        assert not re.search(pattern, text), (pattern, text)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"id: {name}\ntitle: t\n{body}", encoding="utf-8")
    return path


def yaml_list(values) -> str:
    return json.dumps(np.asarray(values, dtype=float).tolist())


# ----------------------------------------------------------------------------------------------
# Reference maths, from the textbook formulas


def sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


def softmax(u):
    e = np.exp(u - np.max(u))
    return e / e.sum()


ACTIVATION = {
    "identity": lambda u: u,
    "relu": lambda u: np.where(u > 0, u, 0.0),
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "softmax": softmax,
}

LOSS = {
    "squared_error": lambda y, d: 0.5 * np.sum((y - d) ** 2),
    "mse": lambda y, d: np.mean((y - d) ** 2),
    "binary_cross_entropy": lambda y, d: -np.sum(d * np.log(y) + (1 - d) * np.log(1 - y)),
    "cross_entropy": lambda y, d: -np.sum(d * np.log(y)),
}


def forward(params: dict, activations, loss: str, x, d) -> tuple[float, list]:
    """E of a layered net u = W h + b, h = f(u), and every layer's u."""
    h, scores = np.asarray(x, float), []
    for l, name in enumerate(activations, start=1):
        u = params[f"W{l}"] @ h + params[f"b{l}"]
        scores.append(u)
        h = ACTIVATION[name](u)
    return float(LOSS[loss](h, np.asarray(d, float))), scores


def central_differences(f, params: dict, step: float = 1e-6) -> dict:
    """dE/dp for every entry of every array in ``params``, by (f(p + h) - f(p - h)) / 2h."""
    grads = {}
    for key, array in params.items():
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            moved = {k: v.copy() for k, v in params.items()}
            moved[key][index] += step
            up = f(moved)
            moved[key][index] -= 2 * step
            grad[index] = (up - f(moved)) / (2 * step)
        grads[key] = grad
    return grads


# Graph node functions: (value, derivative) in the standard library. Where math raises
# (ValueError outside the domain, OverflowError, ZeroDivisionError for a slope that does not
# exist), the tool must refuse the problem.
FUNCTION = {
    "exp": (math.exp, math.exp),
    "log": (math.log, lambda x: 1 / x),
    "sqrt": (math.sqrt, lambda x: 1 / (2 * math.sqrt(x))),
    "sin": (math.sin, math.cos),
    "cos": (math.cos, lambda x: -math.sin(x)),
    "tan": (math.tan, lambda x: 1 / math.cos(x) ** 2),
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "sigma": (lambda x: 0.5 * (1 + math.tanh(x / 2)), lambda x: 0.25 * (1 - math.tanh(x / 2) ** 2)),
    # The lecture's convention: ReLU'(0) = 0.
    "relu": (lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0),
    "abs": (abs, lambda x: x / abs(x)),
}
BINARY = {
    "+": (lambda x, y: x + y, lambda x, y: (1.0, 1.0)),
    "-": (lambda x, y: x - y, lambda x, y: (1.0, -1.0)),
    "*": (lambda x, y: x * y, lambda x, y: (y, x)),
    "/": (lambda x, y: x / y, lambda x, y: (1 / y, -x / y**2)),
    "**": (math.pow, lambda x, y: (y * math.pow(x, y - 1), math.pow(x, y) * math.log(x))),
}


def expected_call(f: str, x: float) -> tuple[float, float] | str:
    """(value, derivative), or the word a refusal must use."""
    value, slope = FUNCTION[ALIASES.get(f, f)]
    try:
        y = value(x)
    except OverflowError:
        return "too large"
    except ValueError:
        return ALIASES.get(f, f)  # "log needs a positive number", in the function's own name
    try:
        return y, slope(x)
    except ZeroDivisionError:
        return "undefined"


def adam(w, g, m, v, t, lr, beta1=0.9, beta2=0.999, epsilon=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat, "w_new": w - lr * m_hat / (np.sqrt(v_hat) + epsilon)}
