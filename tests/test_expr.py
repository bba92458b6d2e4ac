"""The safe expression parser: normalisation, grammar, evaluation, refusals, sympy conversion."""

from __future__ import annotations

import math
import time

import pytest

from tutor.expr import CONSTANTS, FUNCTIONS, Expr, ExprError, normalize, parse, parse_list

FAST = 0.1  # seconds: every hostile input must be refused well within this


def fastest(fn, *args, **kwargs) -> tuple[float, BaseException | None]:
    """Best time of up to 3 calls, and what the call raised.

    Repeating only a slow call filters out pauses from the garbage collector or a busy shared
    machine; an input that is really slow is slow every time.
    """
    best, error = math.inf, None
    for _ in range(3):
        start = time.perf_counter()
        try:
            fn(*args, **kwargs)
            error = None
        except Exception as exc:  # noqa: BLE001 - returned to the caller
            error = exc
        best = min(best, time.perf_counter() - start)
        if best < FAST:
            break
    return best, error


def value(text: str, names=(), env=None) -> float:
    return parse(text, names).evaluate(env or {})


def refused(text: str, names=(), **kwargs) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse(text, names, **kwargs)
    return info.value


# -- normalisation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("０．６２２５", 0.6225),  # full-width digits and point from a Japanese IME
        ("－０．５", -0.5),  # full-width hyphen-minus
        ("−8.25", -8.25),  # U+2212 minus sign
        ("–8.25", -8.25),  # en dash, as word processors write it
        ("3×4÷2", 6.0),
        ("3・4", 12.0),  # katakana middle dot
        ("（１＋２）＊３", 9.0),  # full-width parentheses and asterisk
        ("2＾3", 8.0),
        ("2^3", 8.0),
        ("2**3", 8.0),
        ("　1 +\t2 ", 3.0),  # ideographic space and a tab
    ],
)
def test_normalised_input_evaluates(typed, expected):
    assert value(typed) == pytest.approx(expected, rel=1e-15)


def test_normalize_output():
    assert normalize("０．６２２５") == "0.6225"
    assert normalize("－０．５") == "-0.5"
    assert normalize("−8.25") == "-8.25"
    assert normalize("3×4÷2") == "3*4/2"
    assert normalize("x^2") == "x**2"
    assert normalize("σ(u)") == "sigma(u)"
    assert normalize("η・δ") == "eta*delta"
    assert normalize("０．３、－０．８") == "0.3,-0.8"
    assert normalize("  1   +  2  ") == "1 + 2"


def test_greek_letters_become_names():
    u = 0.5
    assert value("σ(u)", ["u"], {"u": u}) == pytest.approx(1 / (1 + math.exp(-u)))
    assert value("η*δ", ["eta", "delta"], {"eta": 0.1, "delta": -0.3}) == pytest.approx(-0.03)
    assert value("2*π") == pytest.approx(2 * math.pi)


def test_superscripts_are_powers():
    assert value("x²+1", ["x"], {"x": 3.0}) == 10.0
    assert value("2⁻¹") == 0.5
    assert parse("x²", ["x"]).text == "x^2"


# -- parsing and evaluation ---------------------------------------------------------------------


def test_fraction_reads_and_echoes():
    expr = parse("3/4")
    assert expr.evaluate() == 0.75
    assert expr.text == "3/4"
    assert expr.names == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/(1+exp(-1))", 1 / (1 + math.exp(-1))),
        ("1e-3", 0.001),
        ("1E-3", 0.001),
        (".5", 0.5),
        ("5.", 5.0),
        ("0.5*0.7+0.9", 0.5 * 0.7 + 0.9),
        ("-2^2", -4.0),  # as in mathematics and Python: -(2^2)
        ("(-2)^2", 4.0),
        ("2^3^2", 512.0),  # right-associative
        ("2^-1", 0.5),
        ("1--2", 3.0),
        ("+3", 3.0),
        ("ln(e)", 1.0),
        ("log(e^2)", 2.0),
        ("sqrt(2)", math.sqrt(2)),
        ("abs(-3)", 3.0),
        ("relu(-3)", 0.0),
        ("relu(2.5)", 2.5),
        ("tanh(0.5)", math.tanh(0.5)),
        ("sigmoid(0)", 0.5),
        ("sigma(-800)", 0.0),  # stable: no overflow for large negative input
        ("sigma(800)", 1.0),
        ("sin(pi/6)", math.sin(math.pi / 6)),
        ("cos(0)+tan(0)", 1.0),
    ],
)
def test_values(text, expected):
    assert value(text) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_variables_and_names():
    expr = parse("w*x + b", ["w", "x", "b"])
    assert expr.names == frozenset({"w", "x", "b"})
    assert expr.evaluate({"w": 0.5, "x": 2.0, "b": -0.25}) == 0.75


def test_names_shadow_constants():
    assert parse("e").names == frozenset()
    assert value("e") == math.e
    shadowed = parse("e", ["e"])
    assert shadowed.names == frozenset({"e"})
    assert shadowed.evaluate({"e": 2.0}) == 2.0


def test_function_name_can_also_be_a_variable():
    # A problem may call a node "sigma"; calls still mean the function.
    expr = parse("sigma*sigma(0)", ["sigma"])
    assert expr.evaluate({"sigma": 4.0}) == 2.0


def test_env_values_may_be_numpy_floats():
    np = pytest.importorskip("numpy")
    assert value("2*x", ["x"], {"x": np.float64(1.5)}) == 3.0


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("1/(1+exp(-1))", "1/(1 + exp(-1))"),
        ("0.5*0.7+0.9", "0.5*0.7 + 0.9"),
        ("1e-3", "0.001"),
        ("1e-5", "1e-5"),
        ("2**3", "2^3"),
        ("(2^3)^2", "(2^3)^2"),
        ("2^-1", "2^(-1)"),
        ("2*-3", "2*(-3)"),
        ("1--2", "1 - (-2)"),
        ("a-(b-c)", "a - (b - c)"),
        ("(a-b)-c", "a - b - c"),
        ("-(x+y)", "-(x + y)"),
        ("((x))", "x"),
        ("ln(x)", "ln(x)"),
    ],
)
def test_canonical_text_round_trips(typed, canonical):
    names = ["a", "b", "c", "x", "y"]
    expr = parse(typed, names)
    assert expr.text == canonical
    again = parse(expr.text, names)
    assert again.text == canonical
    env = {"a": 1.5, "b": -2.25, "c": 0.75, "x": 0.3, "y": -0.7}
    assert again.evaluate(env) == expr.evaluate(env)


def test_literal_flag():
    assert parse("0.5").is_literal
    assert parse("-0.5").is_literal
    assert not parse("1/2").is_literal
    assert not parse("x", ["x"]).is_literal


def test_public_sets():
    assert {"exp", "log", "ln", "sqrt", "sin", "cos", "tan", "tanh", "sigma", "sigmoid", "relu", "abs"} == FUNCTIONS
    assert {"pi", "e"} == CONSTANTS
    assert "factorial" not in FUNCTIONS


# -- lists -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0.3, -0.8, 0.5", "[0.3, -0.8, 0.5]", "(0.3,-0.8,0.5)", "０．３、－０．８、０．５"])
def test_list_forms(text):
    assert [e.evaluate() for e in parse_list(text)] == [0.3, -0.8, 0.5]


def test_list_single_value_and_expressions():
    assert [e.evaluate() for e in parse_list("0.5")] == [0.5]
    assert [e.evaluate() for e in parse_list("(1)*(2)")] == [2.0]  # not an enclosing pair
    assert [e.evaluate() for e in parse_list("1/4, exp(0)")] == [0.25, 1.0]


def test_list_item_errors_say_which_value():
    with pytest.raises(ExprError) as info:
        parse_list("0.3, 2x, 0.5")
    assert info.value.code == "expr.list_item"
    assert info.value.params["item"] == 2
    assert info.value.params["inner"] == "expr.implicit_multiplication"
    assert str(info.value) == "Value 2: Write the multiplication sign: 2*x (position 2)."
    with pytest.raises(ExprError) as info:
        parse_list("0.3,,0.5")
    assert info.value.code == "expr.list_empty_item"
    with pytest.raises(ExprError) as info:
        parse_list(",".join(["1"] * 101))
    assert info.value.code == "expr.too_many_values"


# -- evaluation errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1/0", "expr.division_by_zero"),
        ("0^-1", "expr.division_by_zero"),
        ("log(0)", "expr.log_domain"),
        ("ln(-1)", "expr.log_domain"),
        ("sqrt(-1)", "expr.sqrt_domain"),
        ("(-8)^(1/3)", "expr.pow_domain"),
        ("exp(1000)", "expr.overflow"),
        ("1e300*1e300", "expr.overflow"),
        ("9**9**9**9", "expr.overflow"),
        ("10**10**10", "expr.overflow"),
        ("9^9^9", "expr.overflow"),
        ("(1e308+1e308)-1e308", "expr.overflow"),
    ],
)
def test_evaluation_errors(text, code):
    expr = parse(text)  # these are well-formed; only their values are out of reach
    elapsed, err = fastest(expr.evaluate)
    assert isinstance(err, ExprError)
    assert err.code == code
    assert elapsed < FAST


def test_missing_and_bad_env_values():
    expr = parse("x+1", ["x"])
    with pytest.raises(ExprError) as info:
        expr.evaluate({})
    assert info.value.code == "expr.unbound_name"
    with pytest.raises(ExprError) as info:
        expr.evaluate({"x": (1.0, 2.0)})
    assert info.value.code == "expr.not_a_number"


# -- refusals ------------------------------------------------------------------------------------

HOSTILE = [
    ("factorial(10**9)", "expr.unknown_function"),
    ("__import__('os').system('x')", "expr.string"),
    ("().__class__.__bases__", "expr.attribute"),
    ("x.__class__", "expr.attribute"),
    ("[/b]", "expr.brackets"),
    ("[@click=app.quit]", "expr.brackets"),
    ("@click", "expr.bad_char"),
    ("lambda: 1", "expr.keyword"),
    ("lambda x: x", "expr.keyword"),
    ("1 if x else 2", "expr.keyword"),
    ("not 1", "expr.keyword"),
    ("1\x00", "expr.control_char"),
    ("\x00" * 10, "expr.control_char"),
    ("'abc'", "expr.string"),
    ('"abc"', "expr.string"),
    ("x[0]", "expr.brackets"),
    ("{1}", "expr.bad_char"),
    ("x == 1", "expr.comparison"),
    ("x < 1", "expr.comparison"),
    ("x >= 1", "expr.comparison"),
    ("x != 1", "expr.comparison"),
    ("u = 0.5", "expr.equals"),
    ("5!", "expr.factorial"),
    ("5%", "expr.percent"),
    ("1//2", "expr.operator"),
    ("1e999", "expr.number_range"),
    ("1" * 5000, "expr.too_long"),
    ("1" * 200, "expr.number_too_long"),
    ("05", "expr.leading_zero"),
    ("0x1F", "expr.implicit_multiplication"),
    ("1j", "expr.implicit_multiplication"),
    ("True", "expr.keyword"),
    ("exp", "expr.function_needs_call"),
    ("exp 2", "expr.function_needs_call"),
    ("exp()", "expr.arity"),
    ("exp(1, x)", "expr.arity"),
    ("()", "expr.empty_parens"),
    ("1+", "expr.incomplete"),
    ("*2", "expr.syntax"),
    ("1 000", "expr.missing_operator"),
    ("1,5", "expr.decimal_comma"),
    ("1, x", "expr.one_value"),
    ("", "expr.empty"),
    ("   ", "expr.empty"),
    ("ー1", "expr.non_ascii_dash"),
    ("√2", "expr.non_ascii"),
    ("x", "expr.unknown_name"),
    ("X", "expr.unknown_name"),
    ("-" * 150 + "1", "expr.too_complex"),
    ("+".join(["1"] * 140), "expr.too_many_nodes"),
    ("+".join(["1*1*1"] * 45), "expr.too_many_nodes"),
]


@pytest.mark.parametrize(("text", "code"), HOSTILE)
def test_refusals_are_fast_and_named(text, code):
    elapsed, err = fastest(parse, text)
    assert isinstance(err, ExprError)
    assert err.code == code, str(err)
    assert elapsed < FAST
    assert str(err) and not str(err).startswith("expr.")  # a real message, not the bare key


def test_huge_inputs_are_refused_fast():
    nested = "(" * 10000 + "1" + ")" * 10000
    cases = [
        (nested, {}, "expr.too_long"),
        (nested, {"max_length": 100_000}, "expr.too_deep"),  # the length check off: nesting catches it
        ("1" * 1_000_000, {}, "expr.too_long"),
        ("x" * 100_000, {"max_length": 10**6}, "expr.unknown_name"),
        ("1" * 5000, {"max_length": 10_000}, "expr.number_too_long"),  # over Python's int-str limit
        ("-" * 5000 + "1", {"max_length": 10_000}, "expr.too_many_nodes"),
        ("+".join(["1"] * 4000), {"max_length": 10_000}, "expr.too_many_nodes"),
        ("+".join(["1*1*1"] * 1000), {"max_length": 10_000}, "expr.too_many_nodes"),
    ]
    for text, kwargs, code in cases:
        elapsed, err = fastest(parse, text, **kwargs)
        assert isinstance(err, ExprError)
        assert err.code == code
        assert elapsed < FAST, code
    elapsed, err = fastest(parse_list, "1," * 500_000)
    assert isinstance(err, ExprError) and err.code == "expr.too_long"
    assert elapsed < FAST


def test_nesting_limit_is_forty():
    assert value("(" * 40 + "1" + ")" * 40) == 1.0
    assert refused("(" * 41 + "1" + ")" * 41).code == "expr.too_deep"


# -- messages say what is wrong -------------------------------------------------------------------


def test_unknown_name_lists_allowed_names_and_suggests():
    err = refused("wx", ["w", "x"])
    assert err.code == "expr.unknown_name_suggest"
    assert err.params["suggestion"] == "w*x"
    err = refused("X", ["x", "y"])
    assert err.params["suggestion"] == "x"
    assert "x, y" in str(err)
    err = refused("sigm(u)", ["u"])
    assert err.code == "expr.unknown_function_suggest"
    assert err.params["suggestion"] == "sigma"
    err = refused("z", ["x"])
    assert err.code == "expr.unknown_name"
    assert str(err) == "I don't know the name 'z'; you can use: e, pi, x."


def test_decimal_comma_suggests_a_point():
    err = refused("0,62")
    assert err.code == "expr.decimal_comma"
    assert err.params["suggestion"] == "0.62"
    assert "0.62" in str(err)


def test_implicit_multiplication_suggests_star():
    assert refused("2x", ["x"]).params["suggestion"] == "2*x"
    assert refused("2(x+1)", ["x"]).params["suggestion"] == "2*("
    assert refused("(x+1)(x-1)", ["x"]).params["suggestion"] == ")*("
    assert refused("x y", ["x", "y"]).params["suggestion"] == "x*y"
    err = refused("x(1+y)", ["x", "y"])
    assert err.code == "expr.not_a_function"


def test_parentheses_errors_say_where():
    err = refused("(1+2")
    assert (err.code, err.params["pos"]) == ("expr.unclosed", 1)
    err = refused("1+(2*(3+4)")
    assert (err.code, err.params["pos"]) == ("expr.unclosed", 3)
    err = refused("1+2)")
    assert (err.code, err.params["pos"]) == ("expr.unbalanced_close", 4)


def test_messages_in_japanese():
    err = refused("0,62")
    assert err.message("ja") == "小数点にはコンマではなくピリオドを使ってください: 0.62"
    assert refused("").message("ja") == "答えを入力してください。"
    assert refused("z", ["x"]).message("ja").startswith("'z' という名前はわかりません。")


def test_error_is_a_value_error_with_code_and_params():
    err = refused("2x", ["x"])
    assert isinstance(err, ValueError)
    assert err.code == "expr.implicit_multiplication"
    assert err.params == {"suggestion": "2*x", "pos": 2}


def test_expr_is_frozen_and_compares_by_text():
    a, b = parse("1+2"), parse("1 + 2")
    assert isinstance(a, Expr)
    assert a == b
    with pytest.raises(AttributeError):
        a.text = "3"  # type: ignore[misc]


# -- sympy --------------------------------------------------------------------------------------


def test_to_sympy_types_and_functions():
    sympy = pytest.importorskip("sympy")
    x, u = sympy.Symbol("x"), sympy.Symbol("u")
    assert parse("3/4").to_sympy() == sympy.Rational(3, 4)
    assert parse("2*x+1", ["x"]).to_sympy() == 2 * x + 1
    half = parse("0.5").to_sympy()
    assert isinstance(half, sympy.Float) and half == 0.5
    assert sympy.simplify(parse("sigma(u)", ["u"]).to_sympy() - 1 / (1 + sympy.exp(-u))) == 0
    assert parse("ln(x)", ["x"]).to_sympy() == sympy.log(x)
    assert parse("abs(x)", ["x"]).to_sympy() == sympy.Abs(x)
    assert parse("sqrt(x)", ["x"]).to_sympy() == sympy.sqrt(x)
    relu = parse("relu(x)", ["x"]).to_sympy()
    assert relu.subs(x, 2) == 2 and relu.subs(x, -2) == 0
    assert parse("pi*e").to_sympy() == sympy.pi * sympy.E


def test_to_sympy_uses_given_symbols():
    sympy = pytest.importorskip("sympy")
    w = sympy.Symbol("w", positive=True)
    built = parse("w*x", ["w", "x"]).to_sympy({"w": w})
    assert w in built.free_symbols
    assert sympy.Symbol("x") in built.free_symbols


@pytest.mark.parametrize(
    "text", ["-tan(x)", "sigma(x)*(1-sigma(x))", "x^2/2 - 3*x + 1e-3", "relu(x - 0.5)", "exp(-x)/(1+exp(-x))^2"]
)
def test_to_sympy_agrees_with_evaluate(text):
    sympy = pytest.importorskip("sympy")
    x = sympy.Symbol("x")
    expr = parse(text, ["x"])
    built = expr.to_sympy({"x": x})
    for point in (-1.7, -0.3, 0.4, 1.9):
        assert float(built.subs(x, point).evalf()) == pytest.approx(expr.evaluate({"x": point}), rel=1e-12)


@pytest.mark.parametrize("text", ["9^9^9^9", "x*9^9^9", "sqrt(x*9^9^9)", "10^10^10 + x", "exp(9^9^9)"])
def test_to_sympy_never_computes_huge_numbers(text):
    pytest.importorskip("sympy")
    start = time.perf_counter()
    built = parse(text, ["x"]).to_sympy()
    assert time.perf_counter() - start < 1.0
    assert built is not None
