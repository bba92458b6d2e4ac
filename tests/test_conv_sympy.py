"""Convolution and pooling against SymPy: the forward pass is built in SymPy from the problem file's
numbers (read with yaml.safe_load, not through the engine), the loss E = Σ upstream ⊙ (last output)
is differentiated with sympy.diff with respect to every filter entry, the bias, every input entry
(and every u and pre-pool entry), and every entry of the `solution --format json` values must agree
to 1e-9 relative."""

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
# Padding 1 around a 3×3 image with tanh and no pooling: upstream is ∂E/∂f(u) itself.
TEACHER_TANH_PADDING = {
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


def channels(grids) -> list:
    """The file's grid, or its channels: always a list of channels."""
    return grids if isinstance(grids[0][0], list) else [grids]


def with_free(tree, at: tuple, x: sp.Symbol):
    """A copy of ``tree`` with the entry at ``at`` replaced by the symbol ``x``."""
    if not at:
        return x
    return [with_free(item, at[1:], x) if k == at[0] else item for k, item in enumerate(tree)]


def map_tree(tree, fn, at=()):
    """``fn(position, entry)`` for every entry of a nested list, keeping its shape."""
    if isinstance(tree, list):
        return [map_tree(item, fn, (*at, k)) for k, item in enumerate(tree)]
    return fn(at, tree)


def pooled(conv: dict, before, point: dict) -> list[list[sp.Expr]]:
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
            at = [sp.N(entry.xreplace(point), 30) for entry in region]
            ties = [k for k, value in enumerate(at) if value == max(at)]
            row.append(region[ties[0]] if len(ties) > 1 else sp.Max(*region))
        out.append(row)
    return out


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


def activated(conv: dict, u) -> list[list[sp.Expr]]:
    return [[ACTIVATIONS[conv.get("activation")](entry) for entry in row] for row in u]


def last_output(conv: dict, z, point: dict):
    return pooled(conv, z, point) if conv.get("pool") else z


def partials(tree, loss_of) -> list:
    """∂E/∂(each entry of tree) by sympy.diff of the whole loss as a function of that entry, every
    other number held at its value (the partial derivative's definition). One symbol at a time keeps
    SymPy's Max from comparing large symbolic sums, which would take minutes."""
    x = sp.Symbol("x", real=True)

    def grad(at, number):
        return sp.diff(loss_of(with_free(tree, at, x), {x: number}), x).xreplace({x: number})

    return map_tree(tree, grad)


def symbolic(conv: dict, kind: str) -> dict:
    """Every value the JSON should give, from SymPy: the forward maps and the loss's derivatives."""
    upstream = conv["upstream"]
    image = map_tree(conv["input"], lambda _, v: exact(v))
    expected: dict = {}
    if kind == "pool":
        expected["pooled"] = pooled(conv, image, {})
        expected["grad_pooled_input"] = partials(image, lambda m, point: loss(upstream, pooled(conv, m, point)))
        return expected

    images, filters = channels(image), map_tree(channels(conv["filter"]), lambda _, v: exact(v))
    bias = exact(conv.get("bias", 0))
    u = conv_u(conv, images, filters, bias)
    z = activated(conv, u)
    expected["u"] = u
    if conv.get("activation") not in (None, "identity"):
        expected["z"] = z
    if conv.get("pool"):
        expected["pooled"] = last_output(conv, z, {})
        # ∂E/∂ of the pre-pool map: the same loss, seen as a function of that map.
        expected["grad_pooled_input"] = partials(z, lambda m, point: loss(upstream, pooled(conv, m, point)))
    expected["grad_u"] = partials(u, lambda m, point: loss(upstream, last_output(conv, activated(conv, m), point)))

    def whole(imgs, fils, b, point):
        return loss(upstream, last_output(conv, activated(conv, conv_u(conv, imgs, fils, b)), point))

    expected["grad_filter"] = partials(filters, lambda fils, point: whole(images, fils, bias, point))
    expected["grad_input"] = partials(images, lambda imgs, point: whole(imgs, filters, bias, point))
    b = sp.Symbol("b", real=True)
    expected["grad_bias"] = sp.diff(whole(images, filters, b, {b: bias}), b).xreplace({b: bias})
    if not isinstance(conv["filter"][0][0], list):
        expected["grad_filter"], expected["grad_input"] = expected["grad_filter"][0], expected["grad_input"][0]
    return expected


def numeric(tree):
    return map_tree(tree, lambda _, entry: float(sp.N(entry, 30)))


def teacher_file(folder: Path, name: str, section: dict) -> str:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"id": name, "title": {"en": name, "ja": name},
                                    "statement": {"en": "Work it out.", "ja": "計算してください。"},
                                    "kind": "conv", "conv": section}, allow_unicode=True), encoding="utf-8")
    return str(path)


def engine_values(source: str) -> dict:
    result = runner.invoke(app, ["solution", source, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["values"]


def flat(tree) -> list:
    found = []
    map_tree(tree, lambda at, entry: found.append((at, entry)))
    return found


def assert_agrees(source: str, kind: str, section: dict) -> None:
    want = {name: numeric(tree) for name, tree in symbolic(section, kind).items()}
    # ReLU′ at exactly 0 is not defined either; the problems here keep every u away from it.
    assert section.get("activation") != "relu" or all(u != 0 for row in want["u"] for u in row)
    got = engine_values(source)
    assert sorted(got) == sorted(want), "a value the JSON gives is not checked, or one is missing"
    for name, tree in want.items():
        expected, actual = flat(tree), flat(got[name])
        assert [at for at, _ in actual] == [at for at, _ in expected], f"{name} has the wrong shape"
        for (at, e), (_, a) in zip(expected, actual):
            # abs_tol only for entries that are exactly 0, where relative agreement means nothing.
            assert math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-12), f"{name}{list(at)}: got {a}, SymPy {e}"


@pytest.mark.parametrize("problem_id", BUILTIN)
def test_every_value_of_the_built_in_problem_matches_sympy_differentiation_of_the_whole_loss(problem_id):
    document = yaml.safe_load((builtin_dir() / f"{problem_id}.yaml").read_text(encoding="utf-8"))
    assert_agrees(problem_id, document["kind"], document[document["kind"]])


TEACHERS = {"teacher_sigmoid_average": TEACHER_SIGMOID_AVERAGE, "teacher_two_channels": TEACHER_TWO_CHANNELS,
            "teacher_tanh_padding": TEACHER_TANH_PADDING}


@pytest.mark.parametrize("name", TEACHERS)
def test_a_teacher_written_convolution_matches_sympy_differentiation_of_the_whole_loss(name, tmp_path: Path):
    assert_agrees(teacher_file(tmp_path, name, TEACHERS[name]), "conv", TEACHERS[name])


def test_a_tied_max_pooling_region_sends_its_delta_to_the_first_maximum_in_row_order(tmp_path: Path):
    """In the two-channel problem u = (−3 −5.5 −2.5), (4 −1 −15.5), (−18.5 −15.5 1): ReLU zeroes the
    whole top-right region (rows 1–2, columns 2–3), so its four entries tie at 0 and only the first,
    f(u₁₂), receives that region's upstream −2."""
    values = engine_values(teacher_file(tmp_path, "teacher_two_channels", TEACHER_TWO_CHANNELS))
    assert values["u"] == [[-3, -5.5, -2.5], [4, -1, -15.5], [-18.5, -15.5, 1]]
    assert values["grad_pooled_input"] == [[0, -2, 0], [1.5, 0, 0], [0, 0, 3]]
