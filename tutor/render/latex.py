"""The worked solution as a complete LaTeX document (pdflatex; LuaLaTeX with ltjsarticle for Japanese)."""

from __future__ import annotations

from ..i18n import t
from ..steps import Solution
from .given import given_latex
from .latex_text import to_latex_text as latex_text
from .rows import sections

def render_latex(problem, solution: Solution, lang: str = "en") -> str:
    if lang == "ja":
        preamble = [r"\documentclass{ltjsarticle}"]
    else:  # T1 fonts: accented Latin letters from a teacher's text are typeset, not refused
        preamble = [r"\documentclass[a4paper]{article}", r"\usepackage[T1]{fontenc}", r"\usepackage{lmodern}"]
    out = [
        *preamble,
        r"\usepackage{amsmath,amssymb}",
        r"\allowdisplaybreaks",
        r"\begin{document}",
        rf"\section*{{{latex_text(problem.title.get(lang), lang)}}}",
    ]
    if problem.statement is not None:
        out.append(latex_text(problem.statement.get(lang).strip(), lang).replace("\n\n", "\n\n\\par "))
    out += [rf"\subsection*{{{latex_text(t('solution.given', lang), lang)}}}", rf"\[ {given_latex(solution)} \]"]
    for number, (phase, rows) in enumerate(sections(solution), 1):
        out += [rf"\subsection*{{{number}. {latex_text(t(f'phase.{phase.value}', lang), lang)}}}", r"\begin{align*}"]
        for row in rows:
            out.append(rf"{row.symbol_latex} &= {row.formula_latex} \\")
            if row.numbers_latex != row.formula_latex:
                out.append(rf"&= {row.numbers_latex} \\")
            out.append(rf"&= {row.value_latex} \\[4pt]")
        out.append(r"\end{align*}")
    if problem.notes is not None:
        out += [rf"\subsection*{{{latex_text(t('solution.notes', lang), lang)}}}", latex_text(problem.notes.get(lang).strip(), lang)]
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
