"""What conv and pool problems share: the section and the layout of either kind."""

from __future__ import annotations

from .derive import Layout, conv_layout, pool_layout


def section(problem):
    return problem.conv if problem.kind == "conv" else problem.pool


def layout(problem) -> Layout:
    return conv_layout(problem.conv) if problem.kind == "conv" else pool_layout(problem.pool)
