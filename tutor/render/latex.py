"""The worked solution as a complete LaTeX document (pdflatex; LuaLaTeX with ltjsarticle for Japanese)."""

from __future__ import annotations

from ..i18n import t
from ..steps import Solution
from .given import given_latex
from .rows import sections

_SPECIAL = {
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


def escape(text: str) -> str:
    """Teacher-written text as literal LaTeX text (no commands can be smuggled in)."""
    return "".join(_SPECIAL.get(c, c) for c in text)


def render_latex(problem, solution: Solution, lang: str = "en") -> str:
    document_class = r"\documentclass{ltjsarticle}" if lang == "ja" else r"\documentclass[a4paper]{article}"
    out = [
        document_class,
        r"\usepackage{amsmath,amssymb}",
        r"\allowdisplaybreaks",
        r"\begin{document}",
        rf"\section*{{{escape(problem.title.get(lang))}}}",
    ]
    if problem.statement is not None:
        out.append(escape(problem.statement.get(lang).strip()).replace("\n\n", "\n\n\\par "))
    out += [rf"\subsection*{{{escape(t('solution.given', lang))}}}", rf"\[ {given_latex(solution)} \]"]
    for number, (phase, rows) in enumerate(sections(solution), 1):
        out += [rf"\subsection*{{{number}. {escape(t(f'phase.{phase.value}', lang))}}}", r"\begin{align*}"]
        for row in rows:
            out.append(rf"{row.symbol_latex} &= {row.formula_latex} \\")
            if row.numbers_latex != row.formula_latex:
                out.append(rf"&= {row.numbers_latex} \\")
            out.append(rf"&= {row.value_latex} \\[4pt]")
        out.append(r"\end{align*}")
    if problem.notes is not None:
        out += [rf"\subsection*{{{escape(t('solution.notes', lang))}}}", escape(problem.notes.get(lang).strip())]
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
