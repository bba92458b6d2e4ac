#!/usr/bin/env python
"""bptutor's speed budgets, measured against floors taken in the same run.

    python benchmarks/run.py [--quick] [--markdown] [--only cli,solution,tui,check,scaling,library]

Prints a table and exits 1 when a budget is missed (2 on a usage error). The machines this runs on
are shared and noisy, so no budget is an absolute time: each command is timed against a floor (the
same interpreter importing the libraries the command cannot avoid), floor and command runs are
interleaved (A B A B ...) so a slow patch of the machine hits both, and medians are compared.
Only the in-process answer check has an absolute bound (p99 < 5 ms), because that is what a
student feels per keystroke. See benchmarks/README.md for what each row measures and why.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the in-process row imports tutor even without an install

RATIO_BUDGET = 1.5  # every start-up row: at most 1.5x its floor
CHECK_P99_BUDGET = 0.005  # seconds: one answer checked, 99th percentile
SCALING_BUDGET = 3.0  # per-weight cost at n=12 at most 3x that at n=4: "about linear"
# n-n-n nets up to the widest a problem may be: n=12 asks for 697 steps, within the 1,000-step
# limit (n=16 would ask for 1,185). 312 weights against 40 is still 8 times the work.
SCALING_SIZES = (2, 4, 8, 12)
SCALING_MID, SCALING_TOP = 4, 12
SCALING_SEED = 20240607
TUI_SIZE = (100, 32)
TIMEOUT = 600  # seconds: a command that takes longer has hung (the widest net takes a second or two)

PASS, FAIL, NOT_AVAILABLE = "pass", "FAIL", "not available"

# Runs as `python -c`: the first screen of `bptutor solve xor`, headless. It exits with os._exit
# the moment the first step is on screen, so the time is "until the student sees the first step"
# and not Textual's teardown, which no student waits for.
TUI_SNIPPET = f"""
import asyncio, os, sys
from tutor.loading import load_and_derive
from tutor.tui.app import TutorApp

def first_step_shown(app):
    boxes = app.query("#quantity")
    return bool(boxes) and "= ?" in str(boxes.first().render())

async def main():
    problem, solution = load_and_derive("xor")  # as `bptutor solve xor` does
    app = TutorApp(problem, solution, "en", None, None, ask_resume=False)
    async with app.run_test(size={TUI_SIZE!r}) as pilot:
        for _ in range(500):
            await pilot.pause()
            if first_step_shown(app):
                sys.stdout.write("FIRST STEP SHOWN\\n")
                sys.stdout.flush()
                os._exit(0)
    sys.exit("the first step never appeared on the screen")

asyncio.run(main())
"""
TUI_MARKER = "FIRST STEP SHOWN"


# ---------------------------------------------------------------------------------------------
# Settings and results


@dataclass(frozen=True)
class Settings:
    reps: int  # timed runs per command, after one warm-up
    check_calls: int  # timed answer checks
    scaling_sizes: tuple[int, ...]  # the sizes timed `reps` times
    single_sizes: tuple[int, ...]  # sizes timed once, without warm-up (quick mode's widest net)
    library_passes: int  # passes over the whole library (each pass is ~40 s of subprocesses)


NORMAL = Settings(reps=7, check_calls=2000, scaling_sizes=SCALING_SIZES, single_sizes=(), library_passes=7)
QUICK = Settings(reps=3, check_calls=500, scaling_sizes=(2, 4, 8), single_sizes=(SCALING_TOP,), library_passes=1)


@dataclass
class Row:
    name: str
    floor_name: str = "—"
    median: float | None = None  # seconds
    floor: float | None = None  # seconds
    ratio: float | None = None
    budget: str = ""
    status: str = PASS
    shown_ratio: str | None = None  # overrides the ratio column (the in-process row shows its p99)
    notes: list[str] = field(default_factory=list)


class CommandFailed(Exception):
    def __init__(self, argv: Sequence[str], code: int | None, stderr: str):
        tail = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
        what = f"exited with {code}" if code is not None else f"did not finish in {TIMEOUT} s"
        command = " ".join(argv[1:]) if argv[1] != "-c" or len(argv[2]) < 60 else "-c <snippet>"
        super().__init__(f"`{command}` {what}: {tail}")


# ---------------------------------------------------------------------------------------------
# Statistics (unit-tested in tests/test_benchmark_script.py)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q % of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(candidate: float, floor: float) -> float:
    return candidate / floor if floor > 0 else math.inf


def ratio_row(
    name: str, floor_name: str, candidate: Sequence[float], floor: Sequence[float], budget: float = RATIO_BUDGET
) -> Row:
    """A row comparing the median of candidate runs with the median of floor runs."""
    cand, flo = median(candidate), median(floor)
    r = ratio(cand, flo)
    return Row(name, floor_name, cand, flo, r, f"≤ {budget:g}×", PASS if r <= budget else FAIL)


def network_weights(sizes: Sequence[int]) -> int:
    """Weights and biases of a layered net: what a student differentiates once each."""
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes, sizes[1:]))


def per_weight_costs(times: Mapping[int, float], weights: Mapping[int, int], base: int) -> dict[int, float]:
    """(t_n - t_base) / (w_n - w_base): the cost of each weight beyond the smallest net.

    The smallest net's time is the fixed start-up (interpreter, imports, loading), so what is
    left grows with the work; dividing by the extra weights makes linear growth a flat line.
    """
    return {
        n: (times[n] - times[base]) / (weights[n] - weights[base]) for n in sorted(times) if n != base
    }


def growth(costs: Mapping[int, float]) -> dict[int, float | None]:
    """Each size's per-weight cost over the previous size's: about 1 when growth is linear.

    None when the previous cost is not above zero: its extra work was lost in start-up noise.
    """
    sizes = sorted(costs)
    return {n: ratio(costs[n], costs[prev]) if costs[prev] > 0 else None for prev, n in zip(sizes, sizes[1:])}


def interleave(
    commands: Mapping[str, Sequence[str]], reps: int, run: Callable[[Sequence[str]], float]
) -> dict[str, list[float]]:
    """Time every command `reps` times, round-robin (A B A B ...), in the order given.

    Round-robin puts each command's runs next to the floor's, so a noisy minute on a shared
    machine slows both rather than one.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, argv in commands.items():
            times[name].append(run(argv))
    return times


# ---------------------------------------------------------------------------------------------
# Running subprocesses


def subprocess_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(BPTUTOR_HOME=str(home), BPTUTOR_LANG="en", COLUMNS="100", LINES="32")
    # As installed for a student, bytecode is cached: the warm-up run writes it. With
    # PYTHONDONTWRITEBYTECODE (set on some CI machines) every run would compile bptutor afresh.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Runner:
    """Runs `python ...` in the repository root with a private BPTUTOR_HOME."""

    def __init__(self, home: Path):
        self.env = subprocess_env(home)

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, *args]

    def _run(self, argv: Sequence[str], stdout: int) -> subprocess.CompletedProcess:
        try:
            proc = subprocess.run(
                argv, stdout=stdout, stderr=subprocess.PIPE, text=True, env=self.env, cwd=ROOT, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired as exc:
            raise CommandFailed(argv, None, exc.stderr or "") from None
        if proc.returncode != 0:
            raise CommandFailed(argv, proc.returncode, proc.stderr)
        return proc

    def output(self, argv: Sequence[str]) -> str:
        """One untimed run, its stdout checked by the caller: the warm-up."""
        return self._run(argv, subprocess.PIPE).stdout

    def time(self, argv: Sequence[str]) -> float:
        # stdout to /dev/null: the floor prints nothing, so the command should not pay a terminal.
        start = time.perf_counter()
        self._run(argv, subprocess.DEVNULL)
        return time.perf_counter() - start

    def warm_and_time(self, commands: Mapping[str, Sequence[str]], reps: int) -> dict[str, list[float]]:
        for argv in commands.values():
            self.output(argv)
        return interleave(commands, reps, self.time)


def bptutor(runner: Runner, *args: str) -> list[str]:
    return runner.argv("-m", "tutor", *args)


def imports(runner: Runner, modules: str) -> list[str]:
    return runner.argv("-c", f"import {modules}")


# ---------------------------------------------------------------------------------------------
# The rows


def bench_cli(runner: Runner, settings: Settings) -> list[Row]:
    """--help and list never need SymPy or NumPy: they should cost about what Typer costs."""
    commands = {
        "floor": imports(runner, "typer"),
        "help": bptutor(runner, "--help"),
        "list": bptutor(runner, "list"),
    }
    times = runner.warm_and_time(commands, settings.reps)
    return [
        ratio_row("bptutor --help", "import typer", times["help"], times["floor"]),
        ratio_row("bptutor list", "import typer", times["list"], times["floor"]),
    ]


def bench_solution(runner: Runner, settings: Settings) -> list[Row]:
    """The answer key of one small net: SymPy and NumPy are the unavoidable part."""
    command = bptutor(runner, "solution", "xor", "--format", "json")
    json.loads(runner.output(command))  # the warm-up doubles as a check that the output is whole
    commands = {"floor": imports(runner, "sympy, numpy"), "solution": command}
    times = runner.warm_and_time(commands, settings.reps)
    return [ratio_row("solution xor --format json", "import sympy, numpy", times["solution"], times["floor"])]


def bench_tui(runner: Runner, settings: Settings) -> list[Row]:
    """The first screen of `solve xor`: Textual, SymPy and NumPy are the unavoidable part."""
    name, floor_name = "TUI first screen (solve xor)", "import textual.app, sympy, numpy"
    command = runner.argv("-c", TUI_SNIPPET)
    try:
        shown = runner.output(command)
    except CommandFailed as exc:  # the TUI is still being built: say so, don't fail the suite
        shown, reason = "", str(exc)
    else:
        reason = "the first step never appeared"
    if TUI_MARKER not in shown:
        return [Row(name, floor_name, budget=f"≤ {RATIO_BUDGET:g}×", status=NOT_AVAILABLE, notes=[reason])]
    commands = {"floor": imports(runner, "textual.app, sympy, numpy"), "tui": command}
    times = runner.warm_and_time(commands, settings.reps)
    return [ratio_row(name, floor_name, times["tui"], times["floor"])]


def check_cases() -> list[tuple[str, object, dict]]:
    """(answer text, step, exact env): right, wrong, arithmetic, unreadable, vector and formula answers."""
    from tutor.engine import derive
    from tutor.problem import load_problem
    from tutor.problem.library import builtin_dir

    def solved(problem_id: str):
        solution = derive(load_problem(builtin_dir() / f"{problem_id}.yaml"))
        return solution, solution.exact_env()

    cases = []
    xor, env = solved("xor")
    for step in xor.steps:
        v = step.value
        right, wrong, arithmetic, sign = f"{v:.4g}", f"{v * 1.37 + 0.11:.4g}", f"({v:.6g})*3/3", f"{-v:.3g}"
        for text in (right, wrong, arithmetic, sign, "0.5, 0.5", "1/(1+exp(-0.5))", "abc"):
            cases.append((text, step, env))
    chain, env = solved("chain_log_cos")
    formula = chain.step("formula_grad_x")
    for text in ("-tan(x)", "-sin(x)/cos(x)", "tan(x)", "-1/cos(x)**2", "log(cos(x))", "-tan(x"):
        cases.append((text, formula, env))
    softmax, env = solved("softmax_loss")
    vector = softmax.step("delta1")
    for text in ("0.3, -0.8, 0.5", "0.3, 0.2, 0.5", "-0.3, 0.8, -0.5", "0.3, -0.8", "3/10, -4/5, 1/2"):
        cases.append((text, vector, env))
    return cases


@dataclass
class CheckTimes:
    cpu: list[float]  # this thread's CPU seconds per call: what the product spends
    wall: list[float]  # wall seconds per call: also what other processes on the machine took
    full_gc: list[float]  # wall seconds of each full (generation 2) garbage collection during the calls


def time_checks(cases: list, calls: int) -> CheckTimes:
    """Time `check` calls, cycling through the cases in a fixed shuffled order."""
    from tutor.check import check

    for text, step, env in cases:  # warm-up: every case once (parsers, caches, lazy imports)
        check(text, step, env, exact_env=env)
    order = cases[:]
    random.Random(SCALING_SEED).shuffle(order)
    result = CheckTimes([], [], [])
    watch = _full_gc_watch(result.full_gc)
    gc.callbacks.append(watch)
    try:
        for i in range(calls):
            text, step, env = order[i % len(order)]
            wall, cpu = time.perf_counter(), time.thread_time()
            check(text, step, env, exact_env=env)
            result.cpu.append(time.thread_time() - cpu)
            result.wall.append(time.perf_counter() - wall)
    finally:
        gc.callbacks.remove(watch)
    return result


def _full_gc_watch(pauses: list[float]) -> Callable[[str, dict], None]:
    # With SymPy loaded the heap is large, so a full collection is the one thing that can make a
    # single check slow; it is rare enough to miss the p99, so it is reported separately.
    started: list[float] = []

    def watch(phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append(time.perf_counter() - started[0])

    return watch


def bench_check(runner: Runner, settings: Settings) -> list[Row]:
    """Marking one answer, in this process: what a student waits for after Enter.

    Judged on CPU time: on two shared cores a 0.1 ms call preempted for one time slice reads
    4 ms of wall time, which says something about the neighbours, not about bptutor.
    """
    cases = check_cases()
    times = time_checks(cases, settings.check_calls)
    p99 = percentile(times.cpu, 99)
    row = Row(f"check one answer, CPU ({len(times.cpu)} calls)", median=median(times.cpu))
    row.shown_ratio = f"p99 {format_seconds(p99)}"
    row.budget = f"p99 < {format_seconds(CHECK_P99_BUDGET)}"
    row.status = PASS if p99 < CHECK_P99_BUDGET else FAIL
    row.notes.append(
        f"{len(cases)} answer cases; wall time median {format_seconds(median(times.wall))}, "
        f"p99 {format_seconds(percentile(times.wall, 99))}, max {format_seconds(max(times.wall))}"
    )
    if times.full_gc:
        row.notes.append(f"{len(times.full_gc)} full GC during the calls, longest {format_seconds(max(times.full_gc))}")
    return [row]


def scaling_problem(n: int, seed: int = SCALING_SEED) -> dict:
    """An n-n-n sigmoid net with squared error; weights rounded to 2 decimals like a textbook."""
    rng = random.Random(seed * 100 + n)

    def numbers(count: int, low: float = -1.0, high: float = 1.0) -> list[float]:
        return [round(rng.uniform(low, high), 2) for _ in range(count)]

    return {
        "id": f"scale_{n}",
        "title": f"{n}-{n}-{n} sigmoid net",
        "kind": "network",
        "network": {
            "sizes": [n, n, n],
            "activations": ["sigmoid", "sigmoid"],
            "loss": "squared_error",
            "weights": {"W1": [numbers(n) for _ in range(n)], "b1": numbers(n),
                        "W2": [numbers(n) for _ in range(n)], "b2": numbers(n)},
            "input": numbers(n, 0, 1),
            "target": numbers(n, 0, 1),
            "learning_rate": 0.5,
        },
    }


def write_scaling_problems(directory: Path, sizes: Sequence[int]) -> dict[int, Path]:
    # JSON is YAML: no YAML library needed to write the files.
    paths = {}
    for n in sizes:
        paths[n] = directory / f"scale_{n}.yaml"
        paths[n].write_text(json.dumps(scaling_problem(n)), encoding="utf-8")
    return paths


def bench_scaling(runner: Runner, settings: Settings, workdir: Path) -> tuple[list[Row], list[tuple]]:
    """`solution` on ever wider nets: the work should grow with the number of weights, no faster."""
    paths = write_scaling_problems(workdir, settings.scaling_sizes + settings.single_sizes)
    commands = {n: bptutor(runner, "solution", str(paths[n]), "--format", "json") for n in settings.scaling_sizes}
    for n, argv in commands.items():
        json.loads(runner.output(argv))
    times = {n: median(ts) for n, ts in interleave(commands, settings.reps, runner.time).items()}
    for n in settings.single_sizes:  # quick mode: one run of the largest net, to see it finish
        times[n] = runner.time(bptutor(runner, "solution", str(paths[n]), "--format", "json"))
    weights = {n: network_weights([n, n, n]) for n in times}
    base = min(times)
    costs = per_weight_costs(times, weights, base)
    steps = growth(costs)
    detail = [(n, weights[n], times[n], times[n] - times[base], costs.get(n), steps.get(n)) for n in sorted(times)]
    top, mid = SCALING_TOP, SCALING_MID
    row = Row(f"scaling: per-weight cost n={top} / n={mid}", f"n={base} net", times.get(top), times[base])
    row.budget = f"≤ {SCALING_BUDGET:g}×"
    if top in costs and mid in costs:
        row.ratio = ratio(costs[top], costs[mid])
        row.status = PASS if costs[mid] > 0 and row.ratio <= SCALING_BUDGET else FAIL
        if costs[mid] <= 0:  # the extra work was lost in start-up noise: no baseline to scale from
            row.notes.append(f"n={mid} was not slower than n={base}; rerun on a quieter machine")
    else:
        row.status, row.notes = NOT_AVAILABLE, [f"needs n={mid} and n={top}"]
    return [row], detail


def library_pass(
    run: Callable[[Sequence[str]], float], floor: Sequence[str], commands: Mapping[str, Sequence[str]]
) -> tuple[float, float]:
    """One pass, floor and problem alternating: (total of the problems, their count × the floor median)."""
    floors, total = [], 0.0
    for argv in commands.values():
        floors.append(run(floor))
        total += run(argv)
    return total, len(commands) * median(floors)


def bench_library(runner: Runner, settings: Settings) -> list[Row]:
    """Every built-in problem as Markdown and as JSON, one process each, as a teacher would run them."""
    from tutor.problem.library import list_problems

    ids = [info.id for info in list_problems()]
    floor = imports(runner, "sympy, numpy")
    rows = []
    for fmt, label in (("md", "Markdown"), ("json", "JSON")):
        commands = {pid: bptutor(runner, "solution", pid, "--format", fmt) for pid in ids}
        # One warm-up per format, not per problem: after the first, every module is compiled and cached.
        runner.output(floor)
        runner.output(commands[ids[0]])
        passes = [library_pass(runner.time, floor, commands) for _ in range(settings.library_passes)]
        totals, floors = [total for total, _ in passes], [floor_total for _, floor_total in passes]
        name, floor_name = f"library as {label} ({len(ids)} runs)", f"{len(ids)} × import sympy, numpy"
        rows.append(ratio_row(name, floor_name, totals, floors))
    return rows


# ---------------------------------------------------------------------------------------------
# Output


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 0.01:
        return f"{seconds * 1000:.3g} ms"
    return f"{seconds:.3f} s"


def format_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def row_cells(row: Row) -> list[str]:
    shown = row.shown_ratio if row.shown_ratio is not None else format_ratio(row.ratio)
    times = [format_seconds(row.median), format_seconds(row.floor)]
    return [row.name, row.floor_name, *times, shown, row.budget, row.status]


def note_lines(rows: Sequence[Row]) -> list[str]:
    return [f"{row.name}: {note}" for row in rows for note in row.notes]


HEADERS = ["measurement", "floor", "median", "floor median", "ratio", "budget", "result"]
SCALING_HEADERS = ["n", "weights", "median", "minus base", "per weight", "growth vs previous"]


def scaling_cells(detail: list[tuple]) -> list[list[str]]:
    return [
        [str(n), str(w), format_seconds(t), format_seconds(extra),
         "—" if cost is None else f"{cost * 1e6:.0f} µs", format_ratio(step)]
        for n, w, t, extra, cost, step in detail
    ]


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(headers), line(["---"] * len(headers)), *(line(r) for r in rows)])


def rich_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(*headers, title=title, title_justify="left")
    for cells in rows:
        style = "red" if cells[-1] == FAIL else None
        table.add_row(*cells, style=style)
    return table


def failed(rows: Sequence[Row]) -> bool:
    return any(row.status == FAIL for row in rows)


# ---------------------------------------------------------------------------------------------
# Main

ROW_KEYS = ("cli", "solution", "tui", "check", "scaling", "library")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI): under 2 minutes")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as Markdown at the end")
    parser.add_argument("--only", default=",".join(ROW_KEYS), help=f"comma-separated subset of {','.join(ROW_KEYS)}")
    args = parser.parse_args(argv)
    args.only = [key.strip() for key in args.only.split(",") if key.strip()]
    unknown = set(args.only) - set(ROW_KEYS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    return args


def run_rows(keys: Sequence[str], settings: Settings, workdir: Path, console: Console) -> tuple[list[Row], list]:
    runner = Runner(workdir / "home")
    rows: list[Row] = []
    detail: list = []
    for key in keys:
        console.print(f"[dim]… {key}[/dim]")
        try:
            if key == "scaling":
                new, detail = bench_scaling(runner, settings, workdir)
            else:
                new = globals()[f"bench_{key}"](runner, settings)
        except CommandFailed as exc:  # a command that crashes misses its budget, with the reason shown
            new = [Row(key, status=FAIL, notes=[str(exc)])]
        rows.extend(new)
    return rows, detail


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = QUICK if args.quick else NORMAL
    console = Console(width=None if sys.stdout.isatty() else 150)  # logs: wide enough for one line a row
    console.print(
        f"bptutor benchmarks ({'quick' if args.quick else 'normal'}: {settings.reps} runs after a warm-up), "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bptutor-bench-") as tmp:
        rows, detail = run_rows([key for key in ROW_KEYS if key in args.only], settings, Path(tmp), console)
    elapsed = time.perf_counter() - started
    table_rows = [row_cells(row) for row in rows]
    console.print(rich_table("Budgets", HEADERS, table_rows))
    for line in note_lines(rows):
        console.print(f"  {line}", highlight=False, markup=False)
    if detail:
        title = "Derivation scaling (solution FILE --format json)"
        console.print(rich_table(title, SCALING_HEADERS, scaling_cells(detail)))
    verdict = "some budgets missed" if failed(rows) else "every budget met"
    console.print(f"{verdict} in {elapsed:.0f} s")
    if args.markdown:
        print()
        print(markdown_table(HEADERS, table_rows))
        for line in note_lines(rows):
            print(f"- {line}")
        if detail:
            print()
            print(markdown_table(SCALING_HEADERS, scaling_cells(detail)))
    return 1 if failed(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
