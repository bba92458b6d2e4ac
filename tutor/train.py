"""Training a network problem by full-batch gradient descent: the numbers behind ``bptutor train``.

NumPy only, no printing: the command draws the progress bar, the chart and the table.

A batch holds one example per row, so layer l computes U = H W^T + b for all rows at once
(the lecture's u = W h + b, with W shaped (units of layer l, units of layer l-1), w_ji to unit j
from unit i). Parameters are a dict keyed like the worked solution: "W1", "b1", "W2", ...

The training loss is the MEAN over the examples of the problem's own E per example. With one
example it is exactly the problem's E, so the first gradient is the worked solution's; and the
learning rate means the same whatever the size of the training set.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from .errors import TutorError
from .maths.activations import ACTIVATIONS
from .maths.losses import loss_value, output_delta

Params = dict[str, np.ndarray]

OPTIMIZERS = ("sgd", "momentum", "adam")
MOMENTUM = 0.9  # alpha, the usual choice
ADAM_BETA1, ADAM_BETA2, ADAM_EPS = 0.9, 0.999, 1e-8  # the values of the Adam paper


class TrainingDiverged(TutorError):
    """The loss or a weight stopped being a finite number."""

    def __init__(self, step: int) -> None:
        self.step = step
        super().__init__(f"training diverged at step {step}: the loss is no longer a finite number; "
                         "try a smaller --lr")


# ---------------------------------------------------------------------------------------------
# The network


@dataclass(frozen=True)
class Net:
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str

    @classmethod
    def of(cls, spec) -> Net:
        """From a problem's NetworkSpec."""
        return cls(tuple(spec.sizes), tuple(spec.activations), spec.loss)

    @property
    def layers(self) -> int:
        return len(self.sizes) - 1


def problem_params(spec) -> Params:
    """The weights written in the problem file (biases default to zeros, as in the file format)."""
    params: Params = {}
    for l in range(1, len(spec.sizes)):
        params[f"W{l}"] = np.array(spec.W(l), dtype=float)
        params[f"b{l}"] = np.array(spec.b(l), dtype=float)
    return params


def random_params(net: Net, rng: np.random.Generator) -> Params:
    """Normal weights with standard deviation sqrt(1/fan-in) (Xavier), sqrt(2/fan-in) for ReLU
    layers (He), drawn W1, W2, ... in order; biases zero. Random weights break the symmetry of
    hidden units that start identical (they would get identical updates forever)."""
    params: Params = {}
    for l in range(1, net.layers + 1):
        fan_in = net.sizes[l - 1]
        gain = 2.0 if net.activations[l - 1] == "relu" else 1.0
        params[f"W{l}"] = rng.normal(0.0, math.sqrt(gain / fan_in), size=(net.sizes[l], fan_in))
        params[f"b{l}"] = np.zeros(net.sizes[l])
    return params


def training_set(spec) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, targets), one example per row: the problem's training set, else its one example."""
    if spec.training is not None:
        return np.array(spec.training.inputs, dtype=float), np.array(spec.training.targets, dtype=float)
    return np.array([spec.input], dtype=float), np.array([spec.target], dtype=float)


def symmetric_units(net: Net, params: Params) -> list[tuple[int, int, int]]:
    """(layer, j, k), 1-based: hidden units j and k with the same incoming weights, bias and
    outgoing weights. They compute the same value and get the same update, so they stay equal."""
    found = []
    for l in range(1, net.layers):
        W, b, out = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(net.sizes[l]):
            for k in range(j + 1, net.sizes[l]):
                if np.array_equal(W[j], W[k]) and b[j] == b[k] and np.array_equal(out[:, j], out[:, k]):
                    found.append((l, j + 1, k + 1))
    return found


# ---------------------------------------------------------------------------------------------
# Forward and backward over the batch


def forward(net: Net, params: Params, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(U, H) for layers 0..L]; layer 0 is (X, X)."""
    layers = [(X, X)]
    H = X
    for l in range(1, net.layers + 1):
        U = H @ params[f"W{l}"].T + params[f"b{l}"]
        H = ACTIVATIONS[net.activations[l - 1]].forward(U)
        layers.append((U, H))
    return layers


def example_losses(net: Net, U: np.ndarray, H: np.ndarray, D: np.ndarray) -> np.ndarray:
    """The problem's E for each example (row), from the output scores U and outputs H."""
    return loss_value(net.loss, H, D, U, net.activations[-1])


def loss(net: Net, params: Params, X: np.ndarray, D: np.ndarray) -> float:
    """The training loss: the mean of E over the examples."""
    with _quiet():
        U, H = forward(net, params, X)[-1]
        return float(np.mean(example_losses(net, U, H, D)))


def predict(net: Net, params: Params, X: np.ndarray) -> np.ndarray:
    with _quiet():
        return forward(net, params, X)[-1][1]


def loss_and_gradients(net: Net, params: Params, X: np.ndarray, D: np.ndarray) -> tuple[float, Params]:
    """The training loss and its gradient with respect to every parameter (keys as in params)."""
    layers = forward(net, params, X)
    U, H = layers[-1]
    n = X.shape[0]
    value = float(np.mean(example_losses(net, U, H, D)))
    grads: Params = {}
    delta = output_delta(net.activations[-1], net.loss, H, D, U) / n  # the 1/n of the mean, once for all layers below
    for l in range(net.layers, 0, -1):
        H_prev = layers[l - 1][1]
        grads[f"W{l}"] = delta.T @ H_prev
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            U_prev = layers[l - 1][0]
            delta = ACTIVATIONS[net.activations[l - 2]].slope(U_prev, H_prev) * (delta @ params[f"W{l}"])
    return value, grads


def correct(net: Net, H: np.ndarray, D: np.ndarray) -> np.ndarray | None:
    """Per example, whether the output gives the target's class: the right side of 0.5 for a
    sigmoid output with 0/1 targets, the largest output at the target's 1 for softmax with
    one-hot targets. None when the targets are not classes."""
    act = net.activations[-1]
    if act == "sigmoid" and np.all((D == 0) | (D == 1)):
        return np.all((H > 0.5) == (D == 1), axis=1)
    if act == "softmax" and np.all((D == 0) | (D == 1)) and np.all(D.sum(axis=1) == 1):
        return H.argmax(axis=1) == D.argmax(axis=1)
    return None


# ---------------------------------------------------------------------------------------------
# Optimizers: each step(params, grads) updates params in place


@dataclass
class SGD:
    """w <- w - eta g."""

    lr: float

    def step(self, params: Params, grads: Params) -> None:
        for key, g in grads.items():
            params[key] -= self.lr * g


@dataclass
class Momentum:
    """v <- alpha v - eta g;  w <- w + v  (v starts at zero)."""

    lr: float
    alpha: float = MOMENTUM
    velocity: Params = field(default_factory=dict)

    def step(self, params: Params, grads: Params) -> None:
        for key, g in grads.items():
            v = self.alpha * self.velocity.get(key, 0.0) - self.lr * g
            self.velocity[key] = v
            params[key] += v


@dataclass
class Adam:
    """m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  m^ = m/(1-b1^t);  v^ = v/(1-b2^t);
    w <- w - eta m^/(sqrt(v^) + eps)  (m, v start at zero; t counts steps from 1)."""

    lr: float
    beta1: float = ADAM_BETA1
    beta2: float = ADAM_BETA2
    eps: float = ADAM_EPS
    t: int = 0
    m: Params = field(default_factory=dict)
    v: Params = field(default_factory=dict)

    def step(self, params: Params, grads: Params) -> None:
        self.t += 1
        for key, g in grads.items():
            m = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
            v = self.beta2 * self.v.get(key, 0.0) + (1 - self.beta2) * g * g
            self.m[key], self.v[key] = m, v
            m_hat = m / (1 - self.beta1 ** self.t)
            v_hat = v / (1 - self.beta2 ** self.t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def make_optimizer(name: str, lr: float) -> SGD | Momentum | Adam:
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError("the learning rate must be a positive number")
    try:
        return {"sgd": SGD, "momentum": Momentum, "adam": Adam}[name](lr)
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; use one of {', '.join(OPTIMIZERS)}") from None


# ---------------------------------------------------------------------------------------------
# The loop


def run(net: Net, params: Params, X: np.ndarray, D: np.ndarray, optimizer, steps: int) -> Iterator[float]:
    """Update params in place ``steps`` times; yield the loss each update started from (steps
    0 .. steps-1). The loss after the last update is ``loss(net, params, X, D)``.
    Raises TrainingDiverged when the loss stops being finite."""
    for step in range(steps):
        with _quiet():
            value, grads = loss_and_gradients(net, params, X, D)
        if not math.isfinite(value):
            raise TrainingDiverged(step)
        yield value
        with _quiet():
            optimizer.step(params, grads)


def _quiet():
    # Overflow on the way to divergence is reported once, as TrainingDiverged, not as warnings.
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")
