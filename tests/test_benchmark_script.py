"""benchmarks/run.py's arithmetic: medians, percentiles, ratios, per-weight costs, interleaving and
the tables. No timing is asserted here; timings belong to the benchmark itself."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from tutor.problem import load_problem

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bptutor_benchmarks_run", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_median_of_odd_and_even_counts(bench):
    assert bench.median([3.0, 1.0, 2.0]) == 2.0
    assert bench.median([4.0, 1.0, 3.0, 2.0]) == 2.5


def test_percentile_is_nearest_rank(bench):
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 99) == 99.0
    assert bench.percentile(values, 50) == 50.0
    assert bench.percentile(values, 100) == 100.0
    assert bench.percentile([5.0, 1.0, 9.0], 99) == 9.0  # few values: p99 is the largest
    assert bench.percentile([7.0], 99) == 7.0


def test_ratio_and_zero_floor(bench):
    assert bench.ratio(3.0, 2.0) == 1.5
    assert bench.ratio(1.0, 0.0) == math.inf


def test_ratio_row_compares_medians_and_passes_at_the_budget(bench):
    # One slow outlier in the candidate runs does not move the median.
    row = bench.ratio_row("cmd", "floor", [1.5, 1.5, 9.0], [1.0, 1.0, 1.0])
    assert (row.median, row.floor, row.ratio, row.status) == (1.5, 1.0, 1.5, bench.PASS)
    assert bench.ratio_row("cmd", "floor", [1.6], [1.0]).status == bench.FAIL


def test_network_weights_counts_weights_and_biases(bench):
    assert bench.network_weights([2, 2, 1]) == 2 * 2 + 2 + 1 * 2 + 1
    assert bench.network_weights([8, 8, 8]) == 2 * (8 * 8 + 8)


def test_per_weight_costs_are_flat_when_time_is_linear(bench):
    weights = {n: bench.network_weights([n, n, n]) for n in (2, 4, 8, 16, 32)}
    times = {n: 0.9 + 0.001 * w for n, w in weights.items()}  # fixed start-up + 1 ms a weight
    costs = bench.per_weight_costs(times, weights, base=2)
    assert set(costs) == {4, 8, 16, 32}
    assert all(c == pytest.approx(0.001) for c in costs.values())
    assert all(g == pytest.approx(1.0) for g in bench.growth(costs).values())


def test_growth_shows_quadratic_time(bench):
    weights = {n: bench.network_weights([n, n, n]) for n in (2, 8, 32)}
    times = {n: 1.0 + 1e-6 * w * w for n, w in weights.items()}
    costs = bench.per_weight_costs(times, weights, base=2)
    assert costs[32] / costs[8] > bench.SCALING_BUDGET  # the budget would catch it
    assert bench.growth(costs)[32] == pytest.approx(costs[32] / costs[8])


def test_growth_after_a_cost_lost_in_noise_is_unknown(bench):
    assert bench.growth({4: -0.001, 8: 0.001, 16: 0.002}) == {8: None, 16: 2.0}


def test_interleave_alternates_floor_and_candidate(bench):
    order = []

    def run(argv):
        order.append(argv[0])
        return float(len(order))

    times = bench.interleave({"floor": ["F"], "cand": ["C"]}, 3, run)
    assert order == ["F", "C"] * 3
    assert times == {"floor": [1.0, 3.0, 5.0], "cand": [2.0, 4.0, 6.0]}


def test_library_pass_runs_a_floor_before_each_problem(bench):
    order = []
    cost = {"F": 1.0, "A": 2.0, "B": 3.0}

    def run(argv):
        order.append(argv[0])
        return cost[argv[0]]

    total, floor = bench.library_pass(run, ["F"], {"a": ["A"], "b": ["B"]})
    assert order == ["F", "A", "F", "B"]
    assert (total, floor) == (5.0, 2 * 1.0)


def test_scaling_problems_are_valid_and_reproducible(bench, tmp_path):
    paths = bench.write_scaling_problems(tmp_path, [3])
    problem = load_problem(paths[3])
    assert problem.id == "scale_3"
    assert list(problem.network.sizes) == [3, 3, 3]
    assert bench.scaling_problem(3) == bench.scaling_problem(3)
    weights = bench.scaling_problem(3)["network"]["weights"]["W1"]
    assert all(round(w, 2) == w for row in weights for w in row)


def test_tables(bench):
    row = bench.Row("check", median=0.0001, shown_ratio="p99 0.3 ms", budget="p99 < 5 ms")
    cells = bench.row_cells(row)
    assert cells == ["check", "—", "0.1 ms", "—", "p99 0.3 ms", "p99 < 5 ms", "pass"]
    text = bench.markdown_table(["a", "b"], [["x|y", "1.50×"]])
    assert text.splitlines() == ["| a | b |", "| --- | --- |", "| x\\|y | 1.50× |"]
    assert bench.format_seconds(1.23456) == "1.235 s"
    assert bench.format_seconds(None) == "—"


def test_only_a_missed_budget_fails(bench):
    assert not bench.failed([bench.Row("tui", status=bench.NOT_AVAILABLE), bench.Row("help")])
    assert bench.failed([bench.Row("help", status=bench.FAIL)])


def test_arguments(bench):
    args = bench.parse_args(["--quick", "--only", "cli, check"])
    assert args.quick and args.only == ["cli", "check"]
    with pytest.raises(SystemExit):
        bench.parse_args(["--only", "nope"])
