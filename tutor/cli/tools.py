"""Commands for checking and teaching: gradcheck, serve (a classroom) and train."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from .app import (
    DirOption,
    LangOption,
    ProblemArg,
    RandomOption,
    SeedOption,
    app,
    open_ref,
    resolve_lang,
    solve_ref,
    variant_seed,
)


@app.command()
def gradcheck(
    problem: ProblemArg,
    eps: Annotated[float, typer.Option("--eps", help="The finite-difference step.", min=1e-12, max=1.0)] = 1e-4,
    dirs: DirOption = None,
    random_variant: RandomOption = False,
    seed: SeedOption = None,
) -> None:
    """Gradient check: each backprop gradient beside the central finite difference; exit 1 if one disagrees."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..gradcheck import REL_TOLERANCE, Verdict, differentiated, gradient_check
    from ..numbers import format_number
    from .. import formula

    loaded, derived = solve_ref(problem, dirs, variant_seed(random_variant, seed, problem))
    checks = gradient_check(loaded, derived, eps)
    console = Console()
    if not checks:
        console.print(f"{loaded.id}: nothing to check (no weights, inputs or scores to move)", markup=False)
        return
    output = differentiated(loaded)
    table = Table("parameter", "backprop", "finite difference", "|difference|", "relative", "", box=None)
    notes = []
    for check in checks:
        try:
            label = formula.text(derived.symbols[check.name], derived.symbols)
        except KeyError:
            label = check.name
        symbol = f"∂{output}/∂{label}"
        table.add_row(Text(symbol), format_number(check.backprop), format_number(check.numeric),
                      f"{check.difference:.1e}", f"{check.relative:.1e}", _gradcheck_mark(check))
        if check.verdict is Verdict.KINK:
            left, right = check.one_sided
            notes.append(f"{symbol}: at a kink, where the slope from the left ({format_number(left)}) and from "
                         f"the right ({format_number(right)}) differ; backprop's {format_number(check.backprop)} "
                         f"is the convention (ReLU′(0) = 0, |x|′ = 0 at 0)")
        elif check.verdict is Verdict.NOT_SMOOTH:
            notes.append(f"{symbol}: not checked: the finite differences do not settle as eps shrinks, so the "
                         f"function is not smooth within eps of this point (a pole or a jump)")
        elif check.ok and check.eps != eps:
            notes.append(f"{symbol}: checked with eps {check.eps:g}: a larger step left the function's domain or "
                         f"crossed a kink")
    console.print(table)
    for note in notes:
        console.print(note, markup=False, highlight=False, soft_wrap=True)
    failed = [c for c in checks if not c.ok]
    if failed:
        console.print(f"FAIL: {len(failed)} of {len(checks)} gradients disagree (relative tolerance "
                      f"{REL_TOLERANCE:g}, eps {eps:g})", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    agreed = [c for c in checks if c.verdict is Verdict.AGREE]
    worst = max((c.relative for c in agreed), default=0.0)
    kinks = sum(c.verdict is Verdict.KINK for c in checks)
    unsmooth = sum(c.verdict is Verdict.NOT_SMOOTH for c in checks)
    if not kinks and not unsmooth:
        said = f"all {len(checks)} gradients agree"
    else:
        parts = [f"{len(agreed)} agree", f"{kinks} at a kink" if kinks else "", f"{unsmooth} not smooth" if unsmooth else ""]
        said = f"no gradient disagrees ({', '.join(p for p in parts if p)})"
    console.print(f"PASS: {said} (largest relative difference {worst:.1e}, eps {eps:g})", markup=False, soft_wrap=True)


def _gradcheck_mark(check):
    from rich.text import Text

    from ..gradcheck import Verdict

    words = {Verdict.AGREE: ("ok", "green"), Verdict.KINK: ("kink", "yellow"),
             Verdict.NOT_SMOOTH: ("not smooth", "yellow"), Verdict.DISAGREE: ("FAIL", "bold red")}
    word, style = words[check.verdict]
    return Text(word, style=style)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (0.0.0.0: every network interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8000,
    dirs: DirOption = None,
    lang: LangOption = None,
    max_pages: Annotated[
        Optional[int],
        typer.Option("--max-pages", min=1, help="Pages open at once (default: what this machine's free memory "
                     "holds at about 150 MB a page, at most 32)."),
    ] = None,
    allow_origin: Annotated[
        Optional[list[str]],
        typer.Option("--allow-origin", help="Also accept pages from this origin, e.g. https://tutor.example.org "
                     "for a reverse proxy (repeatable)."),
    ] = None,
) -> None:
    """Serve the tutor to web browsers: each page opens the problem list. Ctrl+C stops."""
    from ..serve import serve as serve_tutor

    serve_tutor(host, port, resolve_lang(lang), dirs or (), max_pages, allow_origin or ())


class TrainOptimizer(str, Enum):
    sgd = "sgd"
    momentum = "momentum"
    adam = "adam"


class TrainInit(str, Enum):
    random = "random"
    problem = "problem"


@app.command()
def train(
    problem: ProblemArg,
    steps: Annotated[int, typer.Option("--steps", min=1, max=1_000_000, help="How many updates.")] = 10_000,
    optimizer: Annotated[TrainOptimizer, typer.Option("--optimizer", help="sgd, momentum or adam.")] = TrainOptimizer.sgd,
    lr: Annotated[Optional[float], typer.Option("--lr", help="The learning rate (default: the problem's).")] = None,
    seed: Annotated[
        Optional[int], typer.Option("--seed", min=0, help="Seed of the random starting weights (default: a new one, shown).")
    ] = None,
    init: Annotated[
        TrainInit, typer.Option("--init", help="random (seeded) or problem (the file's weights).")
    ] = TrainInit.random,
    dirs: DirOption = None,
) -> None:
    """Train the network on its training set by gradient descent: progress, loss curve, final outputs."""
    import math

    if lr is not None and not (lr > 0 and math.isfinite(lr)):
        typer.echo(f"bptutor: --lr must be a positive number, got {lr:g}", err=True)
        raise typer.Exit(2)
    loaded = open_ref(problem, dirs)
    if loaded.network is None:  # training needs a network's section
        from ..kinds import get

        what = get(loaded.kind).describe
        typer.echo(f"bptutor: {loaded.id} is {what} (kind {loaded.kind}), not a network: train needs a "
                   "network problem, for example: bptutor train xor", err=True)
        raise typer.Exit(2)
    from ..render.train_view import run_training

    status = run_training(loaded, steps=steps, optimizer=optimizer.value, lr=lr, seed=seed, init=init.value)
    if status:
        raise typer.Exit(status)
