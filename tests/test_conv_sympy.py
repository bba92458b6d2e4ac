"""Convolution and pooling against SymPy: the whole forward pass is built as one symbolic expression
from the problem file's numbers (read with yaml.safe_load, not through the engine), the loss
E = Σ upstream ⊙ (last output) is differentiated with sympy.diff, and every entry of the
`solution --format json` values must agree to 1e-9 relative."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import sympy as sp
import yaml
from typer.testing import CliRunner

from tutor.cli import app
from tutor.problem.library import builtin_dir

runner = CliRunner()

BUILTIN = sorted(p.stem for p in builtin_dir().glob("conv_*.yaml")) + \
    sorted(p.stem for p in builtin_dir().glob("pool_*.yaml"))

# An asymmetric filter with stride 2, padding 1, sigmoid and overlapping average pooling.
TEACHER_SIGMOID_AVERAGE = {
    "input": [[1, 2, 0, -1], [3, 1, 2, 0], [0, -2, 1, 4], [2, 1, 0, 1]],
    "filter": [[1, 2], [0, -1]],
    "bias": 0.5,
    "stride": 2,
    "padding": 1,
    "activation": "sigmoid",
    "pool": {"method": "average", "size": 2, "stride": 1},
    "upstream": [[1, -2], [0.5, 3]],
}
# Two channels, summed; ReLU zeroes a whole pooling region, so its maximum is a four-way tie.
TEACHER_TWO_CHANNELS = {
    "input": [[[1, 2, 0, -1], [3, 1, 2, 0], [0, -2, 1, 4], [2, 1, 0, 1]],
              [[0, 1, -1, 2], [1, 0, 3, 1], [2, 2, 0, -1], [1, -3, 1, 0]]],
    "filter": [[[1, 2], [0, -1]], [[-1, 0], [2, 1.5]]],
    "bias": -9,
    "activation": "relu",
    "pool": {"method": "max", "size": 2, "stride": 1},
    "upstream": [[1, -2], [0.5, 3]],
}
TANH_TEACHER = {
    "input": [[0.5, -1, 2], [1, 0, -0.5], [2, 1, 1]],
    "filter": [[0.25, -0.5], [1, 0.75]],
    "bias": 0.1,
    "padding": 1,
    "activation": "tanh",
    "upstream": [[1, -1, 0.5, 2], [0, 1, -2, 1], [0.5, 0.5, 1, -1], [2, -1, 0, 1]],
}

ACTIVATIONS = {
    None: lambda u: u,
    "identity": lambda u: u,
    "relu": lambda u: sp.Max(0, u),
    "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
    "tanh": sp.tanh,
}


def exact(value) -> sp.Rational:
    return sp.Rational(str(value))


def grid_of_symbols(name: str, rows: int, cols: int) -> list[list[sp.Symbol]]:
    return [[sp.Symbol(f"{name}_{i}_{j}") for j in range(cols)] for i in range(rows)]


def channels(grids) -> list:
    """The file's grid, or its channels: always a list of channels."""
    return grids if isinstance(grids[0][0], list) else [grids]


def pooled(conv: dict, before, numbers: dict) -> list[list[sp.Expr]]:
    """Pooling of the map ``before``. At a tie in max pooling the derivative of Max is not defined
    (SymPy's would split δ through Heaviside(0) = 1/2); the engine states that δ goes to the first
    maximum in row order, so a tied region is replaced by that entry and those entries are compared
    with the stated rule."""
    pool = conv["pool"]
    size, step = pool["size"], pool.get("stride") or pool["size"]
    n = (len(before) - size) // step + 1
    out = []
    for i in range(n):
        row = []
        for j in range(n):
            region = [before[i * step + p][j * step + q] for p in range(size) for q in range(size)]
            if pool["method"] == "average":
                row.append(sp.Add(*region) / size**2)
                continue
            at = [sp.N(entry.xreplace(numbers), 30) for entry in region]
            top = max(at)
            ties = [k for k, value in enumerate(at) if value == top]
            row.append(region[ties[0]] if len(ties) > 1 else sp.Max(*region))
        out.append(row)
    return out


def at_numbers(at: dict, numbers: dict) -> dict:
    """The numeric value of each stand-in symbol of an intermediate map."""
    return {s: sp.N(v.xreplace(numbers), 30) for s, v in at.items()}


def loss(upstream, last) -> sp.Expr:
    return sp.Add(*(exact(g) * y for g_row, y_row in zip(upstream, last) for g, y in zip(g_row, y_row)))


def conv_u(conv: dict, images, filters, bias) -> list[list[sp.Expr]]:
    """u_ij = Σ_c Σ_p,q z_c,(i−1)S+p,(j−1)S+q h_c,pq + b over the zero-padded image, no flip."""
    pad, stride, size = conv.get("padding", 0), conv.get("stride", 1), len(filters[0])
    width = len(images[0]) + 2 * pad

    def z(c, a, b):
        a, b = a - pad, b - pad
        return images[c][a][b] if 0 <= a < len(images[c]) and 0 <= b < len(images[c]) else sp.Integer(0)

    n = (width - size) // stride + 1
    return [[sp.Add(*(z(c, i * stride + p, j * stride + q) * filters[c][p][q]
                      for c in range(len(images)) for p in range(size) for q in range(size))) + bias
             for j in range(n)] for i in range(n)]


def symbolic(conv: dict, kind: str) -> dict:
    """Every value the JSON should give, as SymPy expressions differentiated from the loss."""
    images = [grid_of_symbols(f"z{c}", len(g), len(g)) for c, g in enumerate(channels(conv["input"]))]
    numbers = {s: exact(v) for c, g in enumerate(channels(conv["input"]))
               for s_row, v_row in zip(images[c], g) for s, v in zip(s_row, v_row)}
    expected: dict = {}
    if kind == "pool":
        result = pooled(conv, images[0], numbers)
        e = loss(conv["upstream"], result)
        expected["pooled"] = result
        expected["grad_pooled_input"] = [[sp.diff(e, s) for s in row] for row in images[0]]
        return {"numbers": numbers, "values": expected, "relu_inputs": []}

    filters = [grid_of_symbols(f"h{c}", len(g), len(g)) for c, g in enumerate(channels(conv["filter"]))]
    numbers |= {s: exact(v) for c, g in enumerate(channels(conv["filter"]))
                for s_row, v_row in zip(filters[c], g) for s, v in zip(s_row, v_row)}
    bias = sp.Symbol("b")
    numbers[bias] = exact(conv.get("bias", 0))
    f = ACTIVATIONS[conv.get("activation")]
    u = conv_u(conv, images, filters, bias)
    z = [[f(entry) for entry in row] for row in u]
    last = pooled(conv, z, numbers) if conv.get("pool") else z
    e = loss(conv["upstream"], last)

    expected["u"] = u
    if conv.get("activation") is not None and conv.get("activation") != "identity":
        expected["z"] = z
    if conv.get("pool"):
        expected["pooled"] = last
        # ∂E/∂ of the pre-pool map and ∂E/∂u: the same loss, differentiated from those maps on.
        maps = grid_of_symbols("a", len(z), len(z))
        at_z = {m: v for row_m, row_z in zip(maps, z) for m, v in zip(row_m, row_z)}
        e_map = loss(conv["upstream"], pooled(conv, maps, at_numbers(at_z, numbers)))
        expected["grad_pooled_input"] = [[sp.diff(e_map, m).xreplace(at_z) for m in row] for row in maps]
    us = grid_of_symbols("u", len(u), len(u))
    at_u = {s: v for row_s, row_u in zip(us, u) for s, v in zip(row_s, row_u)}
    z_of_us = [[f(s) for s in row] for row in us]
    e_u = loss(conv["upstream"], pooled(conv, z_of_us, at_numbers(at_u, numbers)) if conv.get("pool") else z_of_us)
    expected["grad_u"] = [[sp.diff(e_u, s).xreplace(at_u) for s in row] for row in us]
    expected["grad_filter"] = [[[sp.diff(e, s) for s in row] for row in grid] for grid in filters]
    expected["grad_bias"] = sp.diff(e, bias)
    expected["grad_input"] = [[[sp.diff(e, s) for s in row] for row in grid] for grid in images]
    if not isinstance(conv["filter"][0][0], list):
        expected["grad_filter"], expected["grad_input"] = expected["grad_filter"][0], expected["grad_input"][0]
    relu_inputs = [entry for row in u for entry in row] if conv.get("activation") == "relu" else []
    return {"numbers": numbers, "values": expected, "relu_inputs": relu_inputs}


def numeric(tree, numbers: dict):
    if isinstance(tree, list):
        return [numeric(item, numbers) for item in tree]
    return float(sp.N(tree.xreplace(numbers), 30))


def engine_values(source: str) -> dict:
    result = runner.invoke(app, ["solution", source, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["values"]


def flat(tree, at=()):
    if isinstance(tree, list):
        for i, item in enumerate(tree):
            yield from flat(item, (*at, i))
    else:
        yield at, tree


def assert_agrees(source: str, kind: str, section: dict) -> None:
    model = symbolic(section, kind)
    # ReLU′ at exactly 0 is not defined either; the problems here keep every u away from it.
    assert all(numeric(u, model["numbers"]) != 0 for u in model["relu_inputs"])
    got = engine_values(source)
    want = {name: numeric(tree, model["numbers"]) for name, tree in model["values"].items()}
    assert sorted(got) == sorted(want), "a value the JSON gives is not checked, or one is missing"
    for name, tree in want.items():
        expected, actual = list(flat(tree)), list(flat(got[name]))
        assert [at for at, _ in actual] == [at for at, _ in expected], f"{name} has the wrong shape"
        for (at, e), (_, a) in zip(expected, actual):
            # abs_tol only for entries that are exactly 0, where relative agreement means nothing.
            assert math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-12), f"{name}{list(at)}: got {a}, SymPy {e}"


@pytest.mark.parametrize("problem_id", BUILTIN)
def test_every_value_of_the_built_in_problem_matches_sympy_differentiation_of_the_whole_loss(problem_id):
    document = yaml.safe_load((builtin_dir() / f"{problem_id}.yaml").read_text(encoding="utf-8"))
    assert_agrees(problem_id, document["kind"], document[document["kind"]])


@pytest.mark.parametrize("name, section", [("teacher_sigmoid_average", TEACHER_SIGMOID_AVERAGE),
                                           ("teacher_two_channels", TEACHER_TWO_CHANNELS),
                                           ("teacher_tanh_padding", TANH_TEACHER)])
def test_a_teacher_written_convolution_matches_sympy_differentiation_of_the_whole_loss(
        name, section, tmp_path: Path):
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"id": name, "title": {"en": name, "ja": name},
                                    "statement": {"en": "Work it out.", "ja": "計算してください。"},
                                    "kind": "conv", "conv": section}, allow_unicode=True), encoding="utf-8")
    assert_agrees(str(path), "conv", section)


def test_a_tied_max_pooling_region_sends_its_delta_to_the_first_maximum_in_row_order(tmp_path: Path):
    """In the two-channel problem u = (−3 −5.5 −2.5), (4 −1 −15.5), (−18.5 −15.5 1): ReLU zeroes the
    whole top-right region (rows 1–2, columns 2–3), so its four entries tie at 0 and only the first,
    f(u₁₂), receives that region's upstream −2."""
    path = tmp_path / "teacher_two_channels.yaml"
    path.write_text(yaml.safe_dump({"id": "teacher_two_channels", "title": {"en": "t", "ja": "t"},
                                    "statement": {"en": "t", "ja": "t"}, "kind": "conv",
                                    "conv": TEACHER_TWO_CHANNELS}), encoding="utf-8")
    values = engine_values(str(path))
    assert values["u"] == [[-3, -5.5, -2.5], [4, -1, -15.5], [-18.5, -15.5, 1]]
    assert values["grad_pooled_input"] == [[0, -2, 0], [1.5, 0, 0], [0, 0, 3]]
