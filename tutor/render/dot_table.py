"""Graphviz HTML-like tables for the pictures that draw grids and batches (conv, pool, batchnorm,
rnn): cells of escaped text, tables of rows, and a node whose label is a table.

Every text goes through :func:`tutor.render.dot.escape`; attributes are ours (colours and port
names written here), never text from a problem file. Standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence

from .dot import FORWARD, escape

WINDOW = "#ffd966"  # the window of the first output entry (or the first pooling region)
PADDING = "#eeeeee"  # the zeros that padding adds around an image


def cell(text: str, colour: str = FORWARD, *, bold: bool = False, background: str | None = None,
         port: str | None = None, span: int = 1, width: int | None = None) -> str:
    """One table cell holding ``text`` (over ``span`` columns, at least ``width`` points wide)."""
    content = f"<B>{escape(text)}</B>" if bold else escape(text)
    attributes = "".join(f' {key}="{value}"' for key, value in
                         (("BGCOLOR", background), ("PORT", port), ("COLSPAN", span if span > 1 else None),
                          ("WIDTH", width))
                         if value is not None)
    return f'<TD{attributes}><FONT COLOR="{colour}">{content}</FONT></TD>'


def nested(inner: str, *, port: str | None = None, span: int = 1) -> str:
    """A cell holding a whole table (a grid under its caption)."""
    attributes = (f' PORT="{port}"' if port else "") + (f' COLSPAN="{span}"' if span > 1 else "")
    return f"<TD{attributes}>{inner}</TD>"


def table(rows: Sequence[Sequence[str]], *, border: int = 0, cellborder: int = 0, colour: str | None = None,
          padding: int = 2) -> str:
    """Rows of cells (each made by :func:`cell` or :func:`nested`) as one table."""
    tint = f' COLOR="{colour}"' if colour else ""
    body = "".join("<TR>" + "".join(row) + "</TR>" for row in rows)
    return (f'<TABLE BORDER="{border}" CELLBORDER="{cellborder}" CELLSPACING="0" CELLPADDING="{padding}"{tint}>'
            f"{body}</TABLE>")


def table_node(node_id: str, label: str, **attributes: str) -> str:
    """A node drawn as the table ``label`` alone (no shape around it)."""
    extra = "".join(f", {key}={value}" for key, value in attributes.items())
    return f'  "{node_id}" [label=<{label}>, shape=plain{extra}];'


def arrow(tail: str, head: str, **attributes: str) -> str:
    """An edge without a label (ports and colours as attributes)."""
    extra = ", ".join(f"{key}={value}" for key, value in attributes.items())
    return f'  "{tail}" -> "{head}"' + (f" [{extra}];" if extra else ";")


def same_rank(node_ids: list[str]) -> str:
    """The nodes side by side in this order, joined by invisible arrows: a statement naming a node
    again would read as a node without a label."""
    if len(node_ids) < 2:
        return ""
    return "  { rank=same; " + " -> ".join(f'"{v}"' for v in node_ids) + " [style=invis]; }"
