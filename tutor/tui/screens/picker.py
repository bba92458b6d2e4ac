"""The problem list shown first by ``bptutor solve`` without an id (and so by ``bptutor serve``).

Enter on a row asks the TutorApp to open that problem (it derives it in a worker, and the list
stays and answers keys meanwhile); quitting the problem comes back here, with the cursor where it
was. The list is what ``bptutor list`` reads (no full check); a file that then fails to load is
reported and the list stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...i18n import kind_title, t
from ...problem.library import ProblemInfo, list_problems
from ...safe_text import clean


@dataclass
class Library:
    """Where the picker's problems come from and how one is opened.

    ``resume`` is ``bptutor solve``'s --resume/--new for every problem opened from the list:
    None asks when a problem has an unfinished session.
    """

    dirs: Sequence[Path | str] = ()
    resume: bool | None = None
    problems: list[ProblemInfo] | None = None  # None: list_problems(dirs)

    def __post_init__(self) -> None:
        if self.problems is None:
            # Files that cannot even be listed are left out: Enter could only report the error.
            self.problems = [info for info in list_problems(self.dirs) if info.error is None]

    def load(self, info: ProblemInfo):
        """(problem, solution); raises TutorError. By path: an id in --dir may shadow a built-in."""
        from ...loading import load_and_derive

        return load_and_derive(str(info.path), self.dirs)


def title_of(info: ProblemInfo, lang: str) -> str:
    return info.title.get(lang) or info.title.get("en", info.id)


class PickerScreen(Screen[None]):
    """Posts :class:`Chosen` for the app. Installed once by the app, so it keeps its cursor."""

    class Chosen(Message):
        """The student chose a problem to open."""

        def __init__(self, info: ProblemInfo) -> None:
            super().__init__()
            self.info = info

    BINDINGS = [Binding("q,f10", "app.quit", show=False)]

    def __init__(self, library: Library, lang: str) -> None:
        super().__init__()
        self.library, self.lang = library, lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="picker-box") as box:
            box.border_title = Content(t("tui.picker_heading", lang))
            if self.library.problems:
                yield DataTable(id="picker-table", cursor_type="row", zebra_stripes=True)
            else:
                yield Static(Content(t("tui.picker_empty", lang)), id="picker-empty", markup=False)
        yield Static(Content(t("tui.picker_keys", lang)), id="picker-keys", markup=False)

    def on_mount(self) -> None:
        if not self.library.problems:
            return
        table = self.query_one(DataTable)
        # Text, never str: a str cell is read as markup, and titles are teachers' text.
        for key in ("tui.picker_id", "tui.picker_title", "tui.picker_kind"):
            table.add_column(Text(t(key, self.lang)))
        for number, info in enumerate(self.library.problems):
            cells = (info.id, title_of(info, self.lang), kind_title(info.kind, self.lang))
            # The list reads files without the full check: neutralise what a terminal would obey.
            table.add_row(*(Text(clean(cell)) for cell in cells), key=str(number))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.library.problems[int(event.row_key.value)]))
