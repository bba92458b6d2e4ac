"""Random variants: reproducible from the seed on any machine, drawn on the problem's grid, pleasant
to compute by hand, and right (every variant's backprop agrees with finite differences)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml

from tutor.engine import derive
from tutor.errors import ProblemError
from tutor.gradcheck import gradient_check
from tutor.problem import load_problem_text
from tutor.problem.variants import make_variant
from tutor.progress import ProgressStore

from .conftest import BUILTIN_IDS, builtin
from .test_cli import run

NETWORK_IDS = [pid for pid in BUILTIN_IDS if builtin(pid).kind == "network"]


def on_grid(value: float, low: float, high: float, step: float) -> bool:
    k = (Decimal(repr(value)) - Decimal(repr(low))) / Decimal(repr(step))
    return low <= value <= high and k == k.to_integral_value()


def test_the_same_seed_gives_the_same_variant_in_another_process():
    code = (
        "import json, sys; from tutor.problem.variants import make_variant; from tests.conftest import builtin\n"
        "print(json.dumps([make_variant(builtin(p), 41).model_dump(mode='json') for p in sys.argv[1:]]))"
    )
    outputs = set()
    for hash_seed in ("0", "12345"):  # str hashing differs between these; the variants must not
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        result = subprocess.run([sys.executable, "-c", code, "xor", "apple", "softmax_loss"], env=env,
                                capture_output=True, text=True, timeout=120, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_different_seeds_give_different_numbers():
    drawn = {make_variant(builtin("xor"), seed).network.weights.model_dump_json() for seed in range(10)}
    assert len(drawn) == 10


def test_xor_variants_follow_its_vary_section():
    original = builtin("xor").network
    for seed in range(30):
        net = make_variant(builtin("xor"), seed).network
        assert net.input == original.input == (1.0, 0.0) and net.target == original.target == (1.0,)
        assert net.learning_rate == original.learning_rate
        for l in (1, 2):
            entries = [w for row in net.W(l) for w in row] + list(net.b(l))
            assert all(on_grid(w, -1, 1, 0.1) for w in entries), entries


def test_graph_inputs_stay_the_same_kind_of_number():
    for seed in range(30):
        inputs = make_variant(builtin("apple"), seed).graph.inputs
        assert on_grid(inputs["apple"], 50, 200, 10)  # book: 100 yen
        assert on_grid(inputs["apple_num"], 1, 4, 1)  # book: 2 apples
        assert on_grid(inputs["tax"], 0.6, 2.2, 0.1)  # book: 1.1


def test_loss_layer_variants_have_reachable_targets():
    for seed in range(30):
        layer = make_variant(builtin("softmax_loss"), seed).layer
        assert sorted(layer.target) == [0.0, 0.0, 1.0]  # one-hot
        assert sum(Decimal(repr(p)) for p in layer.outputs) == 1 and min(layer.outputs) >= 0.1


@pytest.mark.parametrize("problem_id", NETWORK_IDS)
def test_200_variants_agree_with_finite_differences(problem_id):
    problem = builtin(problem_id)
    for seed in range(200):
        variant = make_variant(problem, seed)
        checks = gradient_check(variant, derive(variant))
        assert checks and all(c.ok for c in checks), (seed, [c for c in checks if not c.ok])


@pytest.mark.parametrize("problem_id", [pid for pid in NETWORK_IDS if "relu" in builtin(pid).network.activations])
def test_relu_variants_keep_a_unit_on_and_stay_off_the_kink(problem_id):
    problem = builtin(problem_id)
    relu_layers = [l for l, a in enumerate(problem.network.activations, 1) if a == "relu"]
    for seed in range(100):
        values = derive(make_variant(problem, seed)).values
        for l in relu_layers:
            assert any(u > 0 for u in values[f"u{l}"]), seed
            assert all(abs(u) >= 0.05 for u in values[f"u{l}"]), seed


def test_a_vary_section_with_no_usable_draw_says_so():
    text = (
        "id: bad_range\ntitle: t\nkind: graph\ngraph:\n  inputs: {x: 0.5}\n  nodes: {y: log(cos(x))}\n"
        "  output: y\nvary:\n  x: {low: 2, high: 4, step: 0.5}\n"  # cos(x) < 0 on the whole range
    )
    problem = load_problem_text(text, "bad_range.yaml")
    with pytest.raises(ProblemError, match="no usable random variant .* widen or change the 'vary:' ranges"):
        make_variant(problem, 1)


def test_fixed_and_choices(tmp_path):
    data = yaml.safe_load((builtin("xor").path).read_text(encoding="utf-8"))
    data["vary"] = {"W1": [0.5, -0.5], "weights": "fixed", "input": "fixed", "target": "fixed"}
    problem = load_problem_text(yaml.safe_dump(data, allow_unicode=True), "xor.yaml")
    variants = [make_variant(problem, seed).network for seed in range(20)]
    assert all(w in (0.5, -0.5) for net in variants for row in net.W(1) for w in row)
    assert all(net.W(2) == ((0.5, 0.5),) and net.b(1) == (0.0, 0.0) for net in variants)


def test_solution_and_solve_take_a_seed_and_say_it(tmp_path, monkeypatch):
    result = run("solution", "xor", "--seed", "5", "--format", "json")
    assert result.exit_code == 0
    key = json.loads(result.stdout)
    assert key["title"].endswith("(variant 5)")
    variant = make_variant(builtin("xor"), 5)
    assert key["values"]["W1_new"] != json.loads(run("solution", "xor", "--format", "json").stdout)["values"]["W1_new"]
    assert [[float(w) for w in row] for row in variant.network.W(1)] == [
        [float(x) for x in row] for row in _given_matrix(key, "W1")
    ]
    assert "--seed 5" in result.stderr

    answers = "".join(f"{_answer(step['value'])}\n" for step in key["steps"])
    solved = subprocess.run([sys.executable, "-m", "tutor", "solve", "xor", "--plain", "--seed", "5"], input=answers,
                            capture_output=True, text=True, timeout=120, env=dict(os.environ, BPTUTOR_LANG="en"))
    assert solved.stdout.splitlines()[-1] == f"Score: {len(key['steps'])}/{len(key['steps'])}"
    with ProgressStore() as store:
        variants = {row[0] for row in store._read("SELECT variant FROM sessions")}
    assert variants == {"seed=5"}


def _given_matrix(key: dict, name: str) -> list[list[float]]:
    rows: dict[int, dict[int, float]] = {}
    for entry_name, value in key["given"].items():
        if entry_name.startswith(f"{name}_"):
            j, i = (int(n) for n in entry_name.split("_")[1:])
            rows.setdefault(j, {})[i] = value
    return [[rows[j][i] for i in sorted(rows[j])] for j in sorted(rows)]


def _answer(value) -> str:
    return ", ".join(repr(v) for v in value) if isinstance(value, list) else str(value)


def test_a_vary_range_with_no_usable_draw_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "bad_range.yaml"
    path.write_text(
        "id: bad_range\ntitle: t\nkind: graph\ngraph:\n  inputs: {x: 0.5}\n  nodes: {y: log(cos(x))}\n"
        "  output: y\nvary:\n  x: {low: 2, high: 4, step: 0.5}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tutor", "solution", str(path), "--seed", "1"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no usable random variant" in result.stderr and "bad_range.yaml" in result.stderr


def test_the_json_answer_key_carries_the_given_numbers():
    given = json.loads(run("solution", "xor", "--format", "json").stdout)["given"]
    assert (given["x_1"], given["x_2"], given["W1_2_1"], given["b1_1"], given["d_1"], given["eta"]) == (1, 0, 0.5, 0, 1, 0.5)


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_every_builtin_problem_has_variants_that_check_out(problem_id):
    problem = builtin(problem_id)
    seen = set()
    for seed in range(20):
        variant = make_variant(problem, seed)
        solution = derive(variant)
        assert all(c.ok for c in gradient_check(variant, solution)), seed
        seen.add(json.dumps(variant.model_dump(mode="json", exclude={"title", "statement"}), sort_keys=True))
    assert len(seen) > 1  # the numbers do change


def test_adam_variants_keep_v_non_negative():
    for seed in range(50):
        opt = make_variant(builtin("adam_step"), seed).optimizer
        assert all(v >= 0 for v in opt.v) and opt.t == builtin("adam_step").optimizer.t
