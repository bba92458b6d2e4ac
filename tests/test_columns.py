"""Columns measured in terminal cells, for the Rich-free `bptutor list`."""

from tutor.render.columns import cell_width, columns


def test_wide_characters_take_two_cells_and_combining_marks_none():
    assert cell_width("abc") == 3
    assert cell_width("りんご") == 6
    assert cell_width("０．６") == 6  # full-width digits from an IME
    assert cell_width("e\u0301") == 1  # e + combining acute


def test_columns_line_up_under_japanese_titles():
    text = columns(["id", "title", "kind"], [["apple", "りんごの買い物", "graph"], ["xor", "XOR", "network"]])
    lines = text.splitlines()
    assert lines[0] == "id     title           kind"
    assert lines[1] == "apple  りんごの買い物  graph"
    assert lines[2] == "xor    XOR             network"
    assert len({cell_width(line[: line.index(kind)]) for line, kind in zip(lines, ["kind", "graph", "network"])}) == 1
