"""The LaTeX solution compiles: every built-in problem in English with pdfLaTeX and in Japanese
with LuaLaTeX (as the document's first line says), and a teacher's text full of TeX specials and
Unicode symbols is typeset literally. The TeX programs are skipped when absent; CI installs them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tutor.cli import app
from tutor.render.latex_text import to_latex_text

from .conftest import BUILTIN_IDS

runner = CliRunner()


def _solution_latex(problem: str, lang: str) -> str:
    result = runner.invoke(app, ["solution", problem, "--format", "latex", "--lang", lang])
    assert result.exit_code == 0, result.output
    return result.stdout


def _compile(engine: str, source: str, folder: Path) -> str:
    if shutil.which(engine) is None:
        pytest.skip(f"{engine} is not installed")
    (folder / "solution.tex").write_text(source, encoding="utf-8")
    result = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "solution.tex"],
                            capture_output=True, encoding="utf-8", errors="replace", timeout=300, cwd=folder)
    log = (folder / "solution.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log[-3000:]
    assert (folder / "solution.pdf").stat().st_size > 1000
    return log


def _every_builtin_in_one_document(lang: str) -> str:
    """Each built-in's document has the same preamble; their bodies, one after another, make one
    document that compiles exactly when each does (one TeX run instead of one per problem)."""
    preamble, bodies = None, []
    for problem in BUILTIN_IDS:
        source = _solution_latex(problem, lang)
        head, begin, rest = source.partition("\\begin{document}\n")
        body, end, tail = rest.rpartition("\\end{document}")
        assert begin and end and not tail.strip(), problem
        assert preamble in (None, head), problem
        preamble = head
        bodies.append(f"% {problem}\n{body}")
    return preamble + "\\begin{document}\n" + "\\clearpage\n".join(bodies) + "\\end{document}\n"


def test_every_english_solution_compiles_with_pdflatex(tmp_path):
    log = _compile("pdflatex", _every_builtin_in_one_document("en"), tmp_path)
    assert "Missing character" not in log


def test_every_japanese_solution_compiles_with_lualatex_and_every_character_has_a_glyph(tmp_path):
    log = _compile("lualatex", _every_builtin_in_one_document("ja"), tmp_path)
    assert "Missing character" not in log


HOSTILE = r"""id: hostile_text
title:
  en: '100% of $x_1$ & {braces} #1 ~ ^ \input{/etc/passwd} δⱼ = ∂E/∂wⱼᵢ'
  ja: '100% の $x_1$ と {波括弧} \input{/etc/passwd} δⱼ = ∂E/∂wⱼᵢ'
statement:
  en: 'E = ½ (h − d)², f′(u), m̂ ≤ v̂ · 3 × 2 → w₁₁⁽¹⁾ ← Xᵀ, λ Λ Σ, café, 中文, \end{document}'
  ja: 'E = ½ (h − d)²、f′(u)、m̂ ≤ v̂、w₁₁⁽¹⁾ ← Xᵀ、λ Λ Σ、café、中文、\end{document}'
notes:
  en: |-
    Line one.

    Line two with a backslash \ and 50 % off.
  ja: |-
    一行目。

    二行目 \ と 50 %。
kind: graph
graph:
  inputs: {x: 1, y: 2}
  nodes: {t: x + y, z: t**2}
  output: z
"""


@pytest.mark.parametrize(("lang", "engine"), [("en", "pdflatex"), ("ja", "lualatex")])
def test_a_teachers_hostile_text_is_typeset_literally(lang, engine, tmp_path):
    path = tmp_path / "hostile_text.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    source = _solution_latex(str(path), lang)
    assert r"\input{" not in source and r"\end{document}" in source.splitlines()[-1]
    assert source.count(r"\end{document}") == 1
    assert "Missing character" not in _compile(engine, source, tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("δⱼ = ∂E/∂uⱼ", r"\ensuremath{\delta}\ensuremath{_{j}} = \ensuremath{\partial}E/\ensuremath{\partial}u\ensuremath{_{j}}"),
        ("w₁₁⁽¹⁾", r"w\ensuremath{_{11}}\ensuremath{^{(1)}}"),
        ("½ (y − d)²", r"\ensuremath{\tfrac{1}{2}} (y \ensuremath{-} d)\ensuremath{^{2}}"),
        ("m̂", r"\ensuremath{\hat{m}}"),
        ("f′(u)", r"f\ensuremath{^{\prime}}(u)"),
        ("(σ² + ε)⁻³ᐟ²", r"(\ensuremath{\sigma}\ensuremath{^{2}} + \ensuremath{\varepsilon})\ensuremath{^{-3/2}}"),
        ("λ Α", r"\ensuremath{\lambda} \ensuremath{A}"),
        ("50% & $x_1$ {a} \\cmd ~^#", r"50\% \& \$x\_1\$ \{a\} \textbackslash{}cmd \textasciitilde{}\^{}\#"),
        ("café “q”", "café “q”"),
    ],
)
def test_symbols_become_their_latex_and_specials_are_escaped(text, expected):
    assert to_latex_text(text) == expected


def test_a_character_pdflatex_cannot_set_is_named_in_english_and_kept_in_japanese():
    assert to_latex_text("中") == "[U+4E2D]"
    assert to_latex_text("中", "ja") == "中"


_ALLOWED_EN = set("“”‘’–—•«»")


@given(st.text(max_size=60))
def test_english_latex_text_has_only_characters_pdflatex_sets_and_balanced_braces(text):
    out = to_latex_text(text)
    assert all(c.isascii() or "\u00a0" <= c <= "\u017f" or c in _ALLOWED_EN for c in out)
    depth = 0
    for k, c in enumerate(out):
        if c in "{}" and (k == 0 or out[k - 1] != "\\"):
            depth += 1 if c == "{" else -1
            assert depth >= 0
    assert depth == 0


@pytest.mark.parametrize(("lang", "engine"), [("en", "pdflatex"), ("ja", "lualatex")])
def test_a_solution_with_its_figure_compiles(lang, engine, tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    result = runner.invoke(app, ["solution", "apple", "--format", "latex", "--figure", "--lang", lang,
                                 "-o", str(tmp_path / "solution.tex")])
    assert result.exit_code == 0, result.output
    source = (tmp_path / "solution.tex").read_text(encoding="utf-8")
    assert r"\includegraphics" in source
    _compile(engine, source, tmp_path)
