"""The layout engine of the text pictures on its own: blocks in columns joined by box-drawing
lines that a reader can follow from each source to each target.

``follow`` below reads a drawing the way a reader does, knowing nothing of the engine: from the
end of a source's text it walks along the line characters (rightwards, up or down, straight
through a crossing "┼", over a label written on the line) and reports each "▶" it reaches."""

from __future__ import annotations

import itertools
import re

import pytest

from tutor.render.columns import cell_width
from tutor.render.wiring import Block, Edge, LayoutError, layout

# The arms of each line character: up, down, left, right.
ARMS = {
    "─": "lr", "│": "ud", "┌": "dr", "┐": "dl", "└": "ur", "┘": "ul",
    "├": "udr", "┤": "udl", "┬": "dlr", "┴": "ulr", "┼": "udlr",
}
STEP = {"u": (-1, 0), "d": (1, 0), "r": (0, 1)}
OPPOSITE = {"u": "d", "d": "u", "r": "l"}


def cells(lines: list[str]) -> list[dict[int, str]]:
    """Each line as terminal cell -> character (a wide character takes its first cell)."""
    grid = []
    for line in lines:
        row, x = {}, 0
        for ch in line:
            row[x] = ch
            x += cell_width(ch)
        grid.append(row)
    return grid


def text_at(row: dict[int, str], x: int) -> str:
    """The text starting at cell x, up to two spaces, a line leaving it, or the end of the line."""
    out = ""
    while x in row or x + 1 in row:
        ch = row.get(x, "")
        if ch == " " and (row.get(x + 1, " ") == " " or row.get(x + 1) in ARMS):
            break
        out += ch
        x += max(cell_width(ch), 1)
    return out.strip()


def where(lines: list[str], text: str) -> tuple[int, int]:
    """Row and cell where ``text`` is written, once in the whole drawing."""
    found = [(n, m.start()) for n, line in enumerate(lines) for m in re.finditer(rf"(?:^|(?<= )){re.escape(text)}", line)]
    assert len(found) == 1, (text, found)
    n, at = found[0]
    return n, cell_width(lines[n][:at])


def follow(lines: list[str], source: str) -> dict[str, tuple[set[str], set[int]]]:
    """From the line leaving the end of ``source``: each target reached (the text after its "▶"),
    with the labels met on the way and the row of the last stretch of line (two cells or more)
    before it: the edge's own track."""
    grid = cells(lines)
    row, x = where(lines, source)
    x += cell_width(source) + 1
    reached: dict[str, tuple[set[str], set[int]]] = {}
    seen = set()
    # (row, cell, direction, label met, cells of the present run to the right, row of the last run)
    todo = [(row, x, "r", "", 0, row)]
    while todo:
        state = todo.pop()
        r, x, going, label, run, track = state
        if state in seen or not 0 <= r < len(grid):
            continue
        seen.add(state)
        ch = grid[r].get(x, " ")
        if ch == "▶" and going == "r":
            target = text_at(grid[r], x + 2)
            labels, rows = reached.setdefault(target, (set(), set()))
            labels.add(label)
            rows.add(track)
            continue
        if ch == " " and going == "r":  # a label written on the line: " w₁₂ 0.5 "
            end = x + 1
            while grid[r].get(end, " ") not in ARMS and end - x < 60:
                end += 1
            written = "".join(grid[r].get(k, "") for k in range(x, end))
            if grid[r].get(end) in ARMS and "  " not in written.strip():
                todo.append((r, end, "r", written.strip(), run + 1, r))
            continue
        arms = ARMS.get(ch, "")
        if OPPOSITE[going] not in arms:
            continue
        ways = going if ch == "┼" else arms.replace(OPPOSITE[going], "")
        for way in ways:
            if way in STEP:  # a line never runs back to the left
                dr, dx = STEP[way]
                longer = run + 1 if way == "r" else 0
                todo.append((r + dr, x + dx, way, label, longer, r if longer >= 2 else track))
    return reached


def targets(lines: list[str], source: str) -> dict[str, set[str]]:
    return {target: labels for target, (labels, _) in follow(lines, source).items()}


# Two inputs, each to both of two units, as in the first layer of XOR.
XOR_COLUMNS = [
    [Block(("x₁ = 1",), 0), Block(("x₂ = 0",), 1)],
    [Block(("u₁ = ?", "h₁ = ?", "δ₁ = ?"), 0, out_port=1), Block(("u₂ = ?", "h₂ = ?", "δ₂ = ?"), 4, out_port=1)],
]
XOR_EDGES = [Edge((0, i), (1, j), f"w{j + 1}{i + 1}") for j in range(2) for i in range(2)]


def test_two_inputs_fanning_out_to_two_units_are_drawn_as_the_lecture_draws_them():
    assert layout(XOR_COLUMNS, XOR_EDGES).lines == [
        "x₁ = 1 ─┬─── w11 ─┬▶ u₁ = ?",
        "x₂ = 0 ─┼─┬─ w12 ─┘  h₁ = ?",
        "        │ │          δ₁ = ?",
        "        │ │",
        "        └─┼─ w21 ─┬▶ u₂ = ?",
        "          └─ w22 ─┘  h₂ = ?",
        "                     δ₂ = ?",
    ]


def test_each_edge_is_a_line_of_its_own_from_its_source_to_its_target():
    lines = layout(XOR_COLUMNS, XOR_EDGES).lines
    assert targets(lines, "x₁ = 1") == {"u₁ = ?": {"w11"}, "u₂ = ?": {"w21"}}
    assert targets(lines, "x₂ = 0") == {"u₁ = ?": {"w12"}, "u₂ = ?": {"w22"}}


def test_junctions_join_and_crossings_cross():
    lines = layout(XOR_COLUMNS, XOR_EDGES).lines
    grid = cells(lines)
    trunk_1, trunk_2 = 8, 10
    assert grid[0][trunk_1] == "┬"  # x₁'s line turns down where its first edge goes on
    assert grid[1][trunk_1] == "┼"  # x₂'s line crosses x₁'s trunk without joining it
    assert grid[1][trunk_2] == "┬"
    assert grid[4][trunk_1] == "└" and grid[4][trunk_2] == "┼"
    assert grid[5][trunk_2] == "└"


def test_labels_stand_on_above_and_below_their_line_where_no_vertical_runs():
    columns = [[Block(("a = 1",), 1)], [Block(("b = ?",), 1)]]
    lines = layout(columns, [Edge((0, 0), (1, 0), "on", above="up", below="down")]).lines
    assert lines == [
        "          up",
        "a = 1 ─── on ────▶ b = ?",
        "          down",
    ]


def test_labels_of_neighbouring_edges_do_not_overlap():
    columns = [[Block(("a",), 1), Block(("b",), 2)], [Block(("c",), 1)]]
    edges = [Edge((0, 0), (1, 0), above="A1", below="A2"), Edge((0, 1), (1, 0), above="B1", below="B2")]
    drawing = layout(columns, edges)
    rows = sorted(route.row for route in drawing.routes.values())
    assert rows[1] - rows[0] >= 3  # a label row between them for each
    text = "\n".join(drawing.lines)
    for label in ("A1", "A2", "B1", "B2"):
        assert text.count(label) == 1
    assert targets(drawing.lines, "a") == {"c": {""}} and targets(drawing.lines, "b") == {"c": {""}}


def test_a_target_moves_down_when_the_lines_into_it_need_the_room():
    sources = [Block((f"x{i}",), i) for i in range(3)]
    columns = [sources, [Block(("p",), 0), Block(("q",), 1)]]
    edges = [Edge((0, i), (1, j)) for i in range(3) for j in range(2)]
    drawing = layout(columns, edges)
    assert drawing.rows[(1, 1)] >= 3
    for i in range(3):
        assert set(targets(drawing.lines, f"x{i}")) == {"p", "q"}


def test_a_line_that_may_not_rise_leaves_level_or_falls():
    columns = [[Block(("top",), 0), Block(("low",), 3)], [Block(("t",), 0)]]
    drawing = layout(columns, [Edge((0, 0), (1, 0)), Edge((0, 1), (1, 0), rise=False)])
    assert drawing.routes[Edge((0, 1), (1, 0), rise=False)].row >= 3


def test_a_pass_through_carries_a_line_across_a_column():
    columns = [[Block(("v = 1",), 0)], [Block(("wide block text",), 2), Block(row=4, through=True)], [Block(("c = ?",), 0)]]
    edges = [Edge((0, 0), (1, 0)), Edge((0, 0), (1, 1)), Edge((1, 0), (2, 0)), Edge((1, 1), (2, 0))]
    lines = layout(columns, edges).lines
    assert targets(lines, "v = 1") == {"wide block text": {""}, "c = ?": {""}}


def test_wide_characters_take_two_cells():
    columns = [[Block(("入力 = 1",), 0), Block(("x = 2",), 1)], [Block(("y",), 0)]]
    lines = layout(columns, [Edge((0, 0), (1, 0)), Edge((0, 1), (1, 0))]).lines
    grid = cells(lines)
    start = cell_width("入力 = 1") + 1
    assert grid[0][start] == "─" and grid[0][start - 1] == " "  # the line starts a space after the text
    arrow = next(x for x, ch in grid[0].items() if ch == "▶")
    assert grid[0][arrow - 1] == "┬" and grid[1][arrow - 1] == "┘"  # both arrive at one collector
    assert set(targets(lines, "入力 = 1")) == {"y"} and set(targets(lines, "x = 2")) == {"y"}


def test_no_line_ends_in_a_space_and_the_drawing_does_not_depend_on_the_order_of_the_edges():
    drawings = {tuple(layout(XOR_COLUMNS, list(order)).lines) for order in itertools.permutations(XOR_EDGES)}
    assert len(drawings) == 1
    (lines,) = drawings
    assert all(line == line.rstrip() for line in lines)


def test_an_edge_that_skips_a_column_is_refused_with_a_reason():
    columns = [[Block(("a",))], [Block(("b",))], [Block(("c",))]]
    with pytest.raises(LayoutError, match="neighbouring columns"):
        layout(columns, [Edge((0, 0), (2, 0))])
