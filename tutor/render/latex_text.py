"""Problem text (titles, statements, notes) as LaTeX text that compiles.

Statements are written in Unicode with the lecture's symbols (δⱼ, ∂E/∂w₁₁⁽¹⁾, h − d, ½, m̂).
pdfLaTeX stops at a character it has no definition for, and the Japanese fonts of LuaLaTeX lack
sub- and superscript digits, so each such character becomes the math it stands for:
δ → \\delta, a run of subscripts → _{...}, m̂ → \\hat{m}. TeX's special characters are escaped, so
no command can be smuggled in through a problem file.

In an English document (pdfLaTeX with T1 fonts) a character that has no LaTeX form here and is
not in the Latin-1 or Latin Extended-A blocks is written as its code point, "[U+4E00]", rather
than stop the build; a Japanese document (LuaLaTeX) keeps it, since its fonts have it.
"""

from __future__ import annotations

import unicodedata

SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\^{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
}

# ᐟ (a Canadian syllabics letter) is how Unicode text writes a raised slash: x⁻³ᐟ².
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᐟ" "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ" "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ",
                         "0123456789+-=()/" "abcdefghijklmnoprstuvwxyz" "ABDEGHIJKLMNOPRTUVW"))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" "ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "0123456789+-=()" "aeoxhklmnpstijruv"))

# Combining marks written over the letter before them.
_ACCENTS = {"\u0302": r"\hat", "\u0304": r"\bar", "\u0303": r"\tilde", "\u0307": r"\dot", "\u20d7": r"\vec"}

_MATH = {
    "−": "-", "·": r"\cdot", "⋅": r"\cdot", "×": r"\times", "÷": r"\div", "±": r"\pm", "∓": r"\mp",
    "½": r"\tfrac{1}{2}", "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}",
    "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "≡": r"\equiv", "∝": r"\propto",
    "→": r"\rightarrow", "←": r"\leftarrow", "↔": r"\leftrightarrow", "⇒": r"\Rightarrow", "↦": r"\mapsto",
    "∂": r"\partial", "∇": r"\nabla", "√": r"\surd", "∞": r"\infty", "∑": r"\sum", "∏": r"\prod",
    "∫": r"\int", "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "∪": r"\cup", "∩": r"\cap",
    "⊙": r"\odot", "⊗": r"\otimes", "∘": r"\circ", "⊤": r"\top", "∀": r"\forall", "∃": r"\exists",
    "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "′": r"\prime", "″": r"\prime\prime", "‖": r"\|",
    "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil", "ℝ": r"\mathbb{R}",
    "∅": r"\emptyset", "ℓ": r"\ell", "°": r"^{\circ}", "…": r"\ldots", "⋯": r"\cdots",
}
_PRIMES = {"′", "″"}  # written as a superscript of the letter before them

# Greek capitals that have no command of their own look like Latin ones.
_GREEK_AS_LATIN = {"Alpha": "A", "Beta": "B", "Epsilon": "E", "Zeta": "Z", "Eta": "H", "Iota": "I",
                   "Kappa": "K", "Mu": "M", "Nu": "N", "Omicron": "O", "Rho": "P", "Tau": "T", "Chi": "X",
                   "omicron": "o"}
_GREEK_VARIANTS = {"ς": r"\varsigma", "ϵ": r"\epsilon", "ε": r"\varepsilon", "ϕ": r"\phi", "φ": r"\varphi"}

# Typeset by pdfLaTeX's own UTF-8 support with T1 fonts.
_TEXT_PUNCTUATION = set("“”‘’–—•«»")


def _greek(char: str) -> str | None:
    """\\delta for δ, \\Sigma for Σ, A for Α; None for a character that is not a Greek letter."""
    if char in _GREEK_VARIANTS:
        return _GREEK_VARIANTS[char]
    name = unicodedata.name(char, "")
    for prefix, spell in (("GREEK SMALL LETTER ", str.lower), ("GREEK CAPITAL LETTER ", str.capitalize)):
        word = name.removeprefix(prefix)
        if word != name and " " not in word:
            word = spell(word.replace("LAMDA", "LAMBDA"))  # Unicode's spelling of λ
            return _GREEK_AS_LATIN.get(word, "\\" + word)
    return None


def _math_of(char: str) -> str | None:
    """The math-mode LaTeX of one character, or None when it is not a math symbol."""
    if char in _MATH:
        return _MATH[char]
    return _greek(char)


def _run(text: str, start: int, table: dict[str, str]) -> tuple[str, int]:
    end = start
    while end < len(text) and text[end] in table:
        end += 1
    return "".join(table[c] for c in text[start:end]), end


def _allowed_raw(char: str, lang: str) -> bool:
    if char.isascii() or lang == "ja":
        return True
    return "\u00a0" <= char <= "\u017f" or char in _TEXT_PUNCTUATION


def _escape_ascii(char: str) -> str:
    return SPECIAL.get(char, char)


def to_latex_text(text: str, lang: str = "en") -> str:
    """``text`` as LaTeX text for a document in ``lang``: specials escaped, symbols as math."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in _SUPERSCRIPTS or char in _PRIMES:
            table = {**_SUPERSCRIPTS, **{p: _MATH[p] for p in _PRIMES}}
            body, i = _run(text, i, table)
            out.append(rf"\ensuremath{{^{{{body}}}}}")
            continue
        if char in _SUBSCRIPTS:
            body, i = _run(text, i, _SUBSCRIPTS)
            out.append(rf"\ensuremath{{_{{{body}}}}}")
            continue
        accent = _ACCENTS.get(text[i + 1]) if i + 1 < len(text) else None
        if accent is not None:
            base = _math_of(char) or (char if char.isascii() and char.isalnum() else None)
            if base is not None:
                out.append(rf"\ensuremath{{{accent}{{{base}}}}}")
                i += 2
                continue
        if char in _ACCENTS:  # a combining mark with nothing it can sit on
            i += 1
            continue
        math = _math_of(char)
        if math is not None:
            out.append(rf"\ensuremath{{{math}}}")
        elif _allowed_raw(char, lang):
            out.append(_escape_ascii(char))
        else:
            out.append(f"[U+{ord(char):04X}]")
        i += 1
    return "".join(out)
