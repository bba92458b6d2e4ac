"""An Adam update drawn as text, weight by weight (no Graphviz picture: it has no graph to show)."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.engine.keys import Adam
from tutor.i18n import t
from tutor.render.diagram import entry, grid
from tutor.steps import Solution, Value


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """Per weight: the weight and its gradient, each moment before and after with its bias-corrected
    value, and the new weight."""
    spec = problem.optimizer
    constants = "   ".join(entry(solution, key, known) for key in ("eta", "beta1", "beta2", "eps"))
    lines = [t("diagram.adam", lang, t=spec.t), "  " + constants]
    for i in range(1, len(spec.weights) + 1):
        lines.append(t("diagram.adam_weight", lang, i=i))
        rows = [[Adam.w(i), Adam.g(i)], [Adam.m_old(i), Adam.m(i), Adam.m_hat(i)],
                [Adam.v_old(i), Adam.v(i), Adam.v_hat(i)], [Adam.w_new(i)]]
        lines += grid([[entry(solution, name, known) for name in row] for row in rows])
    return "\n".join(lines)
