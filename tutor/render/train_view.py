"""What ``bptutor train`` shows: the set-up, a live progress bar, the loss curve and the outputs.

The numbers come from ``tutor.train``; this module only words and draws them (Rich, plotext).
"""

from __future__ import annotations

import math
import sys

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import train as T
from ..numbers import format_number, typed_value

CHART_HEIGHT = 15
CHART_MAX_WIDTH = 100
CHART_MIN_WIDTH = 40


def run_training(problem, *, steps: int, optimizer: str, lr: float | None, seed: int | None,
                 init: str, console: Console | None = None) -> int:
    """Train, showing progress; return the exit status (0, or 1 when training diverged)."""
    console = console or Console()
    spec = problem.network
    net = T.Net.of(spec)
    X, D = T.training_set(spec)
    rate = spec.learning_rate if lr is None else lr
    if init == "problem":
        params = T.problem_params(spec)
    else:
        if seed is None:
            import secrets

            seed = secrets.randbelow(10_000)  # short enough to type back
        params = T.random_params(net, np.random.default_rng(seed))
    opt = T.make_optimizer(optimizer, rate)

    _print_setup(console, problem, net, X, optimizer, rate, steps, init, seed, params)
    losses, stopped, diverged = _train_with_progress(console, net, params, X, D, opt, steps)
    if diverged is not None:  # no chart: plotext cannot scale an axis up to 1e308
        sys.stderr.write(f"bptutor: {diverged}\n")
        return 1
    losses.append(T.loss(net, params, X, D))
    if stopped:
        console.print(f"Stopped by the user after {len(losses) - 1} of {steps} steps.", markup=False)
    _print_chart(console, losses, len(X))
    _print_outputs(console, net, params, X, D, losses)
    return 0


def _print_setup(console, problem, net, X, optimizer, rate, steps, init, seed, params) -> None:
    shape = "-".join(str(n) for n in net.sizes)
    examples = len(X)
    data = (f"the problem's training set, {examples} examples, all in every step" if problem.network.training is not None
            else "the problem's one example (a training: section in the file gives a whole training set)")
    lines = [
        f"Training {problem.id}: a {shape} network ({', '.join(net.activations)}), loss {net.loss}"
        + (f" averaged over the {examples} examples" if examples > 1 else ""),
        f"Data: {data}",
        f"Optimizer: {_optimizer_text(optimizer)}, learning rate {format_number(rate)}, {steps} steps",
    ]
    if init == "problem":
        lines.append("Start: the weights written in the problem file (--init problem)")
    else:
        relu = " (√(2/fan-in) for ReLU layers)" if "relu" in net.activations else ""
        lines.append(f"Start: random weights, normal with standard deviation √(1/fan-in){relu}, biases 0")
        lines.append(f"Seed: {seed} (--seed {seed} repeats this run)")
    for text in lines:
        console.print(text, markup=False, highlight=False)
    for l, j, k in T.symmetric_units(net, params):
        console.print(f"Note: hidden units {j} and {k} of layer {l} start identical (the same weights in and out), "
                      "so they get the same updates and stay identical; --init random breaks the symmetry.",
                      style="yellow", markup=False, highlight=False)


def _optimizer_text(name: str) -> str:
    if name == "momentum":
        return f"momentum (α = {T.MOMENTUM:g})"
    if name == "adam":
        return f"Adam (β₁ = {T.ADAM_BETA1:g}, β₂ = {T.ADAM_BETA2:g}, ε = {T.ADAM_EPS:g})"
    return "SGD"


def _train_with_progress(console, net, params, X, D, opt, steps):
    """(losses before each update, stopped by Ctrl+C, TrainingDiverged or None)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    losses: list[float] = []
    every = max(1, steps // 200)  # redrawing on every step would cost more than the step
    columns = (TextColumn("training"), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("train", total=steps, loss="-")
        try:
            for value in T.run(net, params, X, D, opt, steps):
                losses.append(value)
                if len(losses) % every == 0:
                    progress.update(task, completed=len(losses), loss=format_number(value))
            progress.update(task, completed=steps, loss=format_number(T.loss(net, params, X, D)))
        except T.TrainingDiverged as exc:
            return losses, False, exc
        except KeyboardInterrupt:
            return losses, True, None
    return losses, False, None


def _print_chart(console: Console, losses: list[float], examples: int) -> None:
    import plotext as plt

    width = max(CHART_MIN_WIDTH, min(console.width, CHART_MAX_WIDTH))
    last = len(losses) - 1
    # A few points per braille column are all the chart can show.
    picked = np.unique(np.linspace(0, last, num=min(last + 1, 4 * width)).round().astype(int))
    x = [int(i) for i in picked]
    y = [losses[i] for i in x]
    log = min(y) > 0 and all(math.isfinite(v) for v in y)
    plt.clear_figure()
    plt.plotsize(width, CHART_HEIGHT)
    plt.theme("clear")
    plt.plot(x, y, marker="braille", color="cyan")
    if log:
        plt.yscale("log")
    what = "loss" if examples == 1 else f"loss (mean over {examples} examples)"
    plt.title(what + (", log scale" if log else ""))
    plt.xlabel("step")
    chart = plt.build()
    plt.clear_figure()
    # Through Rich, so that NO_COLOR and pipes get plain text like every other line.
    console.print(Text.from_ansi(chart), no_wrap=True, crop=True)


def _print_outputs(console, net, params, X, D, losses) -> None:
    H = T.predict(net, params, X)
    U = T.forward(net, params, X)[-1][0]
    errors = T.example_losses(net, U, H, D)
    right = T.correct(net, H, D)
    headers = ["input x", "target d", "output y", "E"] + (["right"] if right is not None else [])
    table = Table(*headers, box=None, title="After training", title_justify="left")
    for n in range(len(X)):
        row = [_vector(X[n]), _vector(D[n]), _vector(H[n]), format_number(float(errors[n]))]
        if right is not None:
            row.append(Text("✓", style="green") if right[n] else Text("✗", style="red"))
        table.add_row(*row)
    console.print(table)
    console.print(f"Loss {format_number(losses[0])} at step 0, {format_number(losses[-1])} after "
                  f"{len(losses) - 1} steps.", markup=False, highlight=False)
    if right is None:
        return
    side = "on the right side of 0.5" if net.activations[-1] == "sigmoid" else "largest at the target's class"
    if right.all():
        console.print(f"All {len(right)} outputs {side}.", markup=False, highlight=False)
    else:
        console.print(f"{int(right.sum())} of {len(right)} outputs {side}. Try more --steps, another --seed, "
                      "--optimizer momentum or adam, or another --lr: a small network can get stuck in a "
                      "local minimum.", markup=False, highlight=False)


def _vector(values: np.ndarray) -> str:
    return typed_value(tuple(float(v) for v in values))
