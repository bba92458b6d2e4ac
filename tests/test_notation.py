"""Every message speaks the lecture's notation in Unicode, and the Japanese one speaks Japanese.

The lecture writes u = W h + b, h = f(u), δⱼ = ∂E/∂uⱼ, ∂E/∂wⱼᵢ = δⱼ hᵢ, w ← w − η ∂E/∂w, with h and
d for a network's output and target; the screen shows the same symbols, so messages must too.
"""

from __future__ import annotations

import re

import pytest

from tutor.i18n import EN, JA

# ASCII stand-ins for the lecture's symbols, each with the symbol a message should use instead.
ASCII_NOTATION = {
    r"\bdelta": "δ",
    # dy/dx of a function of one variable stays a d; a derivative of E is always partial
    r"\bd[A-Z]/d[A-Za-z]": "∂E/∂w (a partial derivative)",
    r"\b[wW]_[ijk]{1,2}\b|\b[a-zA-Z]_[ijk]\b": "wⱼᵢ, hᵢ, δⱼ (subscript indices)",
    r"\bf'": "f′ (a prime, not an apostrophe)",
    r"\beta\d?\b": "η",
    r"\bbeta\d?\b": "β₁, β₂",
    r"\bsigma\b": "σ",
    r"\bsum \(": "Σ",
    r"\bsqrt\(": "√",
    r"\^": "a superscript (², ᵀ, ᵗ) or a hat (m̂)",
    r"\b[yt] - [yt]\b|\b[yd] - [yd]\b": "h − d (the lecture's output and target, with a minus sign)",
    r"\b1/2\b": "½",
}

# Templates may name fields after the old spellings ({delta}); only the text around them counts.
_FIELD = re.compile(r"\{[^{}]*\}")

# Messages that are about what the student types, not about notation: an answer uses ASCII
# (sqrt(x), x^2, 1/2), so these quote it as typed.
TYPED_INPUT = {
    "expr.pow_domain",  # "{base}^{exponent}" shows the student's own input back
    "expr.keyword",  # lists the operators that can be typed: + - * / ^
    "expr.operator",
    "expr.slope_overflow",  # "1.8e308" is a number as typed
    "tui.help_answers",  # examples of what can be typed: 1/(1+exp(-1))
}

# ASCII words a Japanese message may keep, each for a reason a student would accept:
ALLOWED_ASCII_WORDS = {
    # functions as the student types them and as the formulas print them
    "exp", "log", "sqrt", "tan", "tanh",
    # names of things that have no Japanese name: a loss and an optimizer as PyTorch calls them,
    # and the layer as the book's own Japanese text calls it ("Affine レイヤ")
    "MSE", "MSELoss", "PyTorch", "Adam", "Affine",
    # the program, its commands and options, and a problem id, typed exactly so
    "bptutor", "solve", "plain", "resume", "xor",
    # the words typed into the answer box instead of an answer
    "hint", "show", "skip", "back", "quit", "help",
    # keys printed on the keyboard, and the name of an encoding
    "Enter", "Esc", "UTF",
}


# LaTeX forms of a name ("symbol.updated_latex") are typeset, not read: their command names are
# not words, and the Unicode rules don't apply to them.
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")


def _is_latex(key: str) -> bool:
    return key.endswith("_latex")


def _text(template: str) -> str:
    return _FIELD.sub("", template)


def _catalogue_entries():
    for lang, catalogue in (("en", EN), ("ja", JA)):
        for key, template in catalogue.items():
            if key not in TYPED_INPUT and not _is_latex(key):
                yield pytest.param(key, template, id=f"{lang}:{key}")


@pytest.mark.parametrize(("key", "template"), list(_catalogue_entries()))
def test_message_uses_the_lectures_symbols(key, template):
    text = _text(template)
    found = {symbol: re.findall(pattern, text) for pattern, symbol in ASCII_NOTATION.items()}
    assert not {symbol: hits for symbol, hits in found.items() if hits}, text


@pytest.mark.parametrize("key", sorted(JA))
def test_japanese_message_has_no_untranslated_word(key):
    template = _LATEX_COMMAND.sub("", JA[key]) if _is_latex(key) else JA[key]
    words = set(re.findall(r"[A-Za-z]{3,}", _text(template)))
    assert words <= ALLOWED_ASCII_WORDS, f"{JA[key]!r}: {sorted(words - ALLOWED_ASCII_WORDS)}"


def test_japanese_catalogue_has_every_english_message():
    assert set(EN) - set(JA) == set()


def test_the_scan_catches_each_ascii_spelling():
    # The patterns above must fire on what the old messages said, or the tests above prove nothing.
    old = [
        "delta = dE/du", "dE/dw_ji = delta_j h_i", "f' forgotten", "w_ij for w_ji", "w - eta * dE/dw",
        "m = beta1 m", "sigma(h)", "E = 1/2 sum (y - d)^2", "the backward value is y - t",
        "sqrt(v^) + eps", "X^T",
    ]
    for text in old:
        assert any(re.search(pattern, text) for pattern in ASCII_NOTATION), text


def test_the_scan_finds_an_english_word_left_in_japanese():
    assert set(re.findall(r"[A-Za-z]{3,}", "w₁ (new) と local ∂c/∂v")) - ALLOWED_ASCII_WORDS == {"new", "local"}


def _step_names(problem_id: str, lang: str) -> list[str]:
    from tutor import formula
    from tutor.loading import load_and_derive
    from tutor.session import Session

    problem, solution = load_and_derive(problem_id)
    session = Session(problem, solution, lang)
    return [formula.text(step.symbol, session.solution.symbols) for step in session.steps]


@pytest.mark.parametrize(
    ("problem_id", "lang", "expected"),
    [
        ("adam_step", "en", "w₁ (new)"),
        ("adam_step", "ja", "w₁（更新後）"),
        ("xor", "en", "w₁₁⁽¹⁾ (new)"),
        ("xor", "ja", "w₁₁⁽¹⁾（更新後）"),
        ("apple", "en", "local ∂price/∂tax"),
        ("apple", "ja", "局所 ∂price/∂tax"),
    ],
)
def test_step_names_with_a_word_are_in_the_sessions_language(problem_id, lang, expected):
    names = _step_names(problem_id, lang)
    assert expected in names
    if lang == "ja":
        assert not [name for name in names if re.search(r"\(new\)|\blocal\b", name)]


@pytest.mark.parametrize("problem_id", ["xor", "apple", "adam_step"])
@pytest.mark.parametrize("fmt", ["md", "latex"])
def test_a_japanese_printed_solution_names_new_and_local_values_in_japanese(problem_id, fmt):
    from typer.testing import CliRunner

    from tutor.cli import app

    japanese = CliRunner().invoke(app, ["solution", problem_id, "--format", fmt, "--lang", "ja"])
    english = CliRunner().invoke(app, ["solution", problem_id, "--format", fmt])
    assert japanese.exit_code == english.exit_code == 0
    assert re.search(r"\(new\)|\blocal\b", english.stdout)
    assert not re.search(r"\(new\)|\blocal\b", japanese.stdout)
    assert "（更新後）" in japanese.stdout or "局所" in japanese.stdout


def test_a_japanese_session_leaves_the_english_names_of_the_same_solution_alone():
    from tutor.loading import load_and_derive
    from tutor.session import Session

    problem, solution = load_and_derive("apple")
    Session(problem, solution, "ja")
    assert "local ∂price/∂tax" in [solution.symbols.text[step.symbol] for step in solution.steps]


def _network_texts():
    from tests.conftest import builtin, builtin_dir

    for path in sorted(builtin_dir().glob("*.yaml")):
        problem = builtin(path.stem)
        if problem.kind not in ("network", "layer"):
            continue  # graph nodes are named by the problem (y, t), not by the lecture
        for lang in ("en", "ja"):
            for part in (problem.title, problem.statement, problem.notes):
                if part is not None:
                    yield pytest.param(part.get(lang), id=f"{path.stem}:{lang}")


@pytest.mark.parametrize("text", list(_network_texts()))
def test_network_problem_text_uses_the_screens_symbols(text):
    # The screen names a network's output h and its target d; a statement may quote a source's
    # "(y − d)²" once, saying y is h, but works in h and d, with Unicode primes, powers and indices.
    ascii_spelling = [
        r"\by [−-] t\b", r"\bt [−-] y\b", r"\w'\(", r"\^", r"\b1/2\b", r"\bdeltas?\b", r"dE/d",
        r"<=|>=|->", r"\b[wxhu]\d\b", r"\bsigmoid\(",
    ]
    assert not [pattern for pattern in ascii_spelling if re.search(pattern, text)], text
    if re.search(r"\by\b", text):
        says_y_is_h = ("written h", "often written y", "h と書きます", "出力を y")
        assert any(phrase in text for phrase in says_y_is_h), text
