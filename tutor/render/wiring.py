"""Blocks of text in columns, joined by lines drawn with box-drawing characters: a pure layout
function, text in, lines out, used by the network and graph diagrams.

In the gap between two columns every source gets its own vertical trunk (sources fan out to
several targets), every edge its own horizontal track row, labelled in a region of the gap that
no vertical crosses, and the edges into one target take rows beside it, so that a single
collector column ends in "▶" at each target's in-port. A trunk ends where its last track leaves
and a collector where its last track arrives; "┼" is only ever a crossing, never a joint, so a
reader (or a test) can follow each line from its source to its target.

Rows given for the blocks are where they would like to be; a target moves down (with the blocks
below it in its column) when the edges into it need the room.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .columns import cell_width

# Arms (up, down, left, right) -> glyph.
_GLYPHS = {
    (True, True, False, False): "│", (False, False, True, True): "─",
    (False, True, False, True): "┌", (False, True, True, False): "┐",
    (True, False, False, True): "└", (True, False, True, False): "┘",
    (True, True, False, True): "├", (True, True, True, False): "┤",
    (False, True, True, True): "┬", (True, False, True, True): "┴",
    (True, True, True, True): "┼",
    (False, False, True, False): "─", (False, False, False, True): "─",
    (True, False, False, False): "│", (False, True, False, False): "│",
}
ARROW = "▶"


class LayoutError(ValueError):
    """The edges cannot be drawn as asked (an edge that does not join neighbouring columns)."""


@dataclass(frozen=True)
class Block:
    """Lines of text at a wanted top ``row``; edges leave from line ``out_port`` and arrive at
    line ``in_port``. A ``through`` block has no text: a line passing through its column."""

    lines: tuple[str, ...] = ("",)
    row: int = 0
    out_port: int = 0
    in_port: int = 0
    through: bool = False


@dataclass(frozen=True)
class Edge:
    """From block ``source`` to block ``target`` (each ``(column, index)``, target one column to
    the right), ``label`` written on the line, ``above`` and ``below`` it."""

    source: tuple[int, int]
    target: tuple[int, int]
    label: str = ""
    above: str = ""
    below: str = ""
    rise: bool = True  # False: the line may run level or fall, never above its source's port


@dataclass(frozen=True)
class Route:
    """Where an edge runs: its track row, from its trunk's column to its target's collector."""

    row: int
    trunk: int
    collector: int


@dataclass
class Drawing:
    lines: list[str]
    routes: dict[Edge, Route] = field(default_factory=dict)
    rows: dict[tuple[int, int], int] = field(default_factory=dict)  # block -> top row as drawn
    columns: list[int] = field(default_factory=list)  # x of each column


class _Canvas:
    def __init__(self) -> None:
        self.cells: dict[int, dict[int, str]] = {}

    def put(self, row: int, x: int, text: str) -> None:
        line = self.cells.setdefault(row, {})
        for ch in text:
            w = cell_width(ch)
            if w == 0 and x - 1 in line:  # a combining mark rides on the character before it
                line[x - 1] += ch
                continue
            line[x] = ch
            if w == 2:
                line[x + 1] = ""
            x += max(w, 1)

    def get(self, row: int, x: int) -> str:
        return self.cells.get(row, {}).get(x, " ")

    def lines(self) -> list[str]:
        if not self.cells:
            return []
        out = []
        for row in range(max(self.cells) + 1):
            line = self.cells.get(row, {})
            right = max(line, default=-1)
            out.append("".join(line.get(x, " ") for x in range(right + 1)).rstrip())
        while out and not out[-1]:
            out.pop()
        return out


def glyph(up: bool, down: bool, left: bool, right: bool) -> str:
    return _GLYPHS.get((up, down, left, right), " ")


def layout(columns: list[list[Block]], edges: list[Edge]) -> Drawing:
    """The columns drawn side by side with every edge's line; see the module's description.

    Blocks of a column are listed top to bottom; edges are distinct (at most one from a block to
    another)."""
    for e in edges:
        if e.target[0] != e.source[0] + 1:
            raise LayoutError(f"edge {e.source} -> {e.target} does not join neighbouring columns")
    rows = {(k, i): block.row for k, column in enumerate(columns) for i, block in enumerate(column)}
    gaps = [_Gap(k, columns, [e for e in edges if e.source[0] == k]) for k in range(len(columns) - 1)]
    routes: dict[Edge, int] = {}
    for gap in gaps:
        routes.update(gap.route(rows))
    widths = [max((cell_width(line) for b in column for line in b.lines), default=0) for column in columns]
    xs, x = [], 0
    for k, column in enumerate(columns):
        xs.append(x)
        if k < len(gaps):
            x += widths[k] + gaps[k].width()
    canvas = _Canvas()
    for k, column in enumerate(columns):
        for i, block in enumerate(column):
            if block.through:
                canvas.put(rows[(k, i)] + block.in_port, xs[k], "─" * (widths[k] + 1))
            else:
                for n, line in enumerate(block.lines):
                    canvas.put(rows[(k, i)] + n, xs[k], line)
    drawn = {}
    for gap in gaps:
        drawn.update(gap.draw(canvas, rows, routes, xs[gap.k], xs[gap.k] + widths[gap.k]))
    return Drawing(canvas.lines(), drawn, rows, xs)


@dataclass
class _Routing:
    """What routing one gap has settled so far."""

    rows: dict[tuple[int, int], int]
    owner: dict[int, tuple[int, int]]  # port row -> its source
    pending: list[Edge] = field(default_factory=list)  # into the present target, not yet placed
    closing: set[tuple[int, int]] = field(default_factory=set)  # sources whose last target it is
    used: set[tuple[int, int]] = field(default_factory=set)  # sources with a track above
    band_end: int = -1  # the last row taken by a track or its labels


class _Gap:
    """The edges from column k to column k + 1."""

    def __init__(self, k: int, columns: list[list[Block]], edges: list[Edge]) -> None:
        self.k, self.columns, self.edges = k, columns, edges
        self.sources = sorted({e.source for e in edges}, key=lambda s: (self._block(s).row + self._block(s).out_port, s))
        self.trunk = {s: n for n, s in enumerate(self.sources)}

    def _block(self, at: tuple[int, int]) -> Block:
        return self.columns[at[0]][at[1]]

    def _port(self, rows, s) -> int:
        return rows[s] + self._block(s).out_port

    def _in(self, rows, t) -> int:
        return rows[t] + self._block(t).in_port

    def route(self, rows: dict[tuple[int, int], int]) -> dict[Edge, int]:
        """Track rows for the edges, targets top to bottom; moves targets down when needed."""
        targets = sorted({e.target for e in self.edges}, key=lambda t: t[1])
        last = {s: max(targets.index(e.target) for e in self.edges if e.source == s) for s in self.sources}
        state = _Routing(rows, {self._port(rows, s): s for s in self.sources})
        placed: dict[Edge, int] = {}
        collector_end = -1
        for n, t in enumerate(targets):
            state.pending = sorted((e for e in self.edges if e.target == t), key=lambda e: self.trunk[e.source])
            state.closing = {s for s in self.sources if last[s] == n}
            shift = max(0, collector_end + 1 - self._in(rows, t))
            while self._choose(state, self._in(rows, t) + shift) is None:  # the first track meets the arrow
                shift += 1
            self._move_down(rows, t, shift)
            r = self._in(rows, t)
            while state.pending:
                e = self._choose(state, r)
                if e is not None:
                    placed[e] = r
                    state.pending.remove(e)
                    state.band_end = r + bool(e.below)
                r += 1
            collector_end = max(placed[e] for e in self.edges if e.target == t)
            state.used |= {e.source for e in self.edges if e.target == t}
        return placed

    def _fits(self, state: _Routing, e: Edge, r: int) -> bool:
        """Whether edge e may run along row r."""
        if r - bool(e.above) <= state.band_end or (not e.rise and r < self._port(state.rows, e.source)):
            return False
        s = state.owner.get(r)
        # A port row carries only its own source's track, and only at an end of its trunk (a
        # joint with four arms would read as a crossing).
        return s is None or (s == e.source and (s not in state.used or s in state.closing))

    def _choose(self, state: _Routing, r: int) -> Edge | None:
        """The edge to run along row r, if any."""
        free = [e for e in state.pending if self._fits(state, e, r)]
        s = state.owner.get(r)
        if s is not None:
            return next(iter(free), None)
        # Keep for later a source whose own port row comes up before the edges into this target
        # run out (its track can then run straight out of it); of those, the farthest goes first.
        horizon = r + sum(1 + bool(e.above) + bool(e.below) for e in state.pending) - 1

        def later(e: Edge) -> tuple[int, int]:
            p = self._port(state.rows, e.source)
            return (1, r - p) if r < p <= horizon else (0, self.trunk[e.source])

        if not free or all(later(e)[0] for e in free):
            return None  # each may run straight out of its port a row or two further down
        return min(free, key=later)

    def _move_down(self, rows, t: tuple[int, int], shift: int) -> None:
        if shift:
            for i in range(t[1], len(self.columns[t[0]])):
                rows[(t[0], i)] += shift

    def _region(self) -> int:
        """Cells of the label region: the widest label with a space either side, or none."""
        widest = max((cell_width(text) for e in self.edges for text in (e.label, e.above, e.below)), default=0)
        return widest + 2 if widest else 0

    def width(self) -> int:
        """Cells from the end of column k to the start of column k + 1."""
        if not self.edges:
            return 3
        # " ─", the trunks two cells apart, "─", the label region, "─", the collector, "▶ "
        return 2 + 2 * (len(self.sources) - 1) + 2 + self._region() + 1 + 3

    def draw(self, canvas: _Canvas, rows, routes: dict[Edge, int], left: int, x0: int) -> dict[Edge, Route]:
        """Draw the gap after column k, which starts at cell ``left`` and ends at ``x0``."""
        if not self.edges:
            return {}
        self.trunk_x = {s: x0 + 2 + 2 * n for s, n in self.trunk.items()}
        self.spans = {s: _span([routes[e] for e in self.edges if e.source == s] + [self._port(rows, s)])
                      for s in self.sources}
        track = {routes[e]: e for e in self.edges}
        for s in self.sources:  # from the end of the block's text to its trunk
            start = x0 if self._block(s).through else left + cell_width(self._block(s).lines[self._block(s).out_port]) + 1
            self._horizontal(canvas, self._port(rows, s), start, self.trunk_x[s])
        for s in self.sources:
            self._trunk(canvas, s, self._port(rows, s), track)
        region = self.trunk_x[self.sources[-1]] + 2
        collector = region + self._region() + 1
        drawn = {}
        for r, e in track.items():
            self._horizontal(canvas, r, self.trunk_x[e.source] + 1, collector)
            if e.label:
                canvas.put(r, region, f" {e.label} ")
            if e.above:
                canvas.put(r - 1, region + 1, e.above)
            if e.below:
                canvas.put(r + 1, region + 1, e.below)
            drawn[e] = Route(r, self.trunk_x[e.source], collector)
        for t in {e.target for e in self.edges}:
            arrive = self._in(rows, t)
            top, bottom = _span([routes[e] for e in self.edges if e.target == t] + [arrive])
            for r in range(top, bottom + 1):
                canvas.put(r, collector, glyph(r > top, r < bottom, r in track and track[r].target == t, r == arrive))
            canvas.put(arrive, collector + 1, "──" if self._block(t).through else ARROW)
        return drawn

    def _horizontal(self, canvas: _Canvas, r: int, start: int, end: int) -> None:
        """A line along row r, crossing ("┼") each trunk it meets that runs on above and below."""
        trunks = {x: s for s, x in self.trunk_x.items()}
        for x in range(start, end):
            s = trunks.get(x)
            inside = s is not None and self.spans[s][0] < r < self.spans[s][1]
            canvas.put(r, x, "┼" if inside else "─")

    def _trunk(self, canvas: _Canvas, s, port: int, track: dict[int, Edge]) -> None:
        """The source's vertical, joined by its port and its tracks; crossings are left as drawn."""
        x = self.trunk_x[s]
        top, bottom = self.spans[s]
        for r in range(top, bottom + 1):
            own = r in track and track[r].source == s
            if r == port or own:
                canvas.put(r, x, glyph(r > top, r < bottom, r == port, own))
            elif canvas.get(r, x) == " ":
                canvas.put(r, x, "│")


def _span(rows: list[int]) -> tuple[int, int]:
    return min(rows), max(rows)
