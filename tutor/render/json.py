"""The answer key as JSON: every step with formula and value, and the values grouped by name."""

from __future__ import annotations

import json

from ..steps import AnswerKind, Solution
from .rows import sections


def render_json(problem, solution: Solution, lang: str = "en") -> str:
    steps = []
    for phase, rows in sections(solution):
        for row in rows:
            entry = {
                "name": row.step.name,
                "phase": phase.value,
                "symbol": row.symbol_text,
                "formula": row.formula_text,
                "substituted": row.numbers_text,
                "value": list(row.step.value) if isinstance(row.step.value, tuple) else row.step.value,
                "answer": row.step.answer.value,
                "latex": {"symbol": row.symbol_latex, "formula": row.formula_latex, "substituted": row.numbers_latex},
            }
            if row.step.answer is AnswerKind.FORMULA:
                entry["expected_formula"] = row.step.expected_formula
                entry["variables"] = list(row.step.variables)
            steps.append(entry)
    document = {
        "id": problem.id,
        "title": problem.title.get(lang),
        "kind": problem.kind,
        # The data by env name ("x_1", "W1_2_1", "d_1", "eta"): a random variant's numbers are here.
        "given": {name: list(v) if isinstance(v, tuple) else v for name, v in solution.givens.items()},
        "steps": steps,
        "values": solution.values,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
