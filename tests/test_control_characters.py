"""Escape sequences from problem files and typed answers never reach a terminal or a document.

A corpus of terminal attacks (OSC 52 clipboard writes, OSC 0/2 window titles, CSI cursor moves
and erases, C1 controls, bidirectional overrides) is put (a) into problem files, where
``validate`` must refuse each with the file and line, and (b) into a problem built in process
without validation and into typed answers, where no command's output and no output format may
carry one of these characters.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import solved
from tutor.cli import app
from tutor.engine import derive
from tutor.problem.common import Localized
from tutor.problem.library import ProblemInfo

runner = CliRunner()

# name -> (the attack, the code point validate must name first)
CORPUS = {
    "osc52_clipboard": ("\x1b]52;c;ZWNobyBwd25lZA==\x07", "U+001B"),
    "osc0_title": ("\x1b]0;pwned\x07", "U+001B"),
    "osc2_title": ("\x1b]2;pwned\x1b\\", "U+001B"),
    "csi_erase_screen": ("\x1b[2J\x1b[H", "U+001B"),
    "csi_cursor_up_erase_line": ("\x1b[1A\x1b[2K", "U+001B"),
    "c1_csi": ("\x9b2J", "U+009B"),
    "c1_osc": ("\x9d0;pwned\x9c", "U+009D"),
    "bell": ("\x07", "U+0007"),
    "backspace": ("ok\x08\x08", "U+0008"),
    "carriage_return": ("safe\rEVIL", "U+000D"),
    "delete": ("\x7f", "U+007F"),
    "bidi_override": ("abc\u202efdp.exe", "U+202E"),
    "bidi_isolate": ("\u2066hidden\u2069", "U+2066"),
    "bidi_mark": ("a\u200fb", "U+200F"),
}

# Written apart from tutor.safe_text: what must never be in an output (newline and tab may).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def assert_inert(text: str, where: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{where}: U+{ord(found.group()):04X} at {found.start()}: {text[max(0, found.start() - 30):found.start() + 30]!r}"


def run(*args: str, input: str | None = None):
    result = runner.invoke(app, list(args), input=input, env={"COLUMNS": "200", "BPTUTOR_LANG": "en"})
    assert "Traceback" not in result.output
    return result


# ----------------------------------------------------------------------------------------------
# (a) In a problem file: refused by validate with file and line


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted string with every non-printable character as a \\u escape."""
    body = "".join(
        f"\\u{ord(c):04x}" if not c.isprintable() or FORBIDDEN.match(c) else "\\\\" if c == "\\" else '\\"' if c == '"' else c
        for c in text
    )
    return f'"{body}"'


TEMPLATE = """id: probe
title: {title}
statement: {statement}
notes:
  en: Fine notes.
  ja: {notes_ja}
topics: [graph, {topic}]
source: {source}
hints:
  {hint_key}: {hint}
kind: graph
graph:
  inputs: {{{input}: 2}}
  nodes:
    {node}: x*x
  output: y
"""
BENIGN = {"title": "Probe", "statement": "Square x.", "notes_ja": "日本語のノート", "topic": "chain", "source": "book",
          "hint_key": '"y"', "hint": "Multiply.", "input": "x", "node": "y"}
LINE_OF = {"title": 2, "statement": 3, "notes_ja": 6, "topic": 7, "source": 8, "hint_key": 10, "hint": 10,
           "input": 13, "node": 15}


def probe_file(tmp_path, **fields) -> str:
    path = tmp_path / "probe.yaml"
    path.write_text(TEMPLATE.format(**{**BENIGN, **fields}), encoding="utf-8")
    return str(path)


def test_the_benign_probe_file_is_valid(tmp_path):
    result = run("validate", probe_file(tmp_path))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("field", sorted(LINE_OF))
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_validate_refuses_an_escaped_control_character_with_file_and_line(tmp_path, name, field):
    attack, code = CORPUS[name]
    path = probe_file(tmp_path, **{field: yaml_quoted(f"n{attack}")})
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:{LINE_OF[field]}:")
    assert code in result.output and ("control" in result.output)
    assert_inert(result.output, "validate's message")


@pytest.mark.parametrize("name", sorted(set(CORPUS) - {"carriage_return"}))  # YAML reads a raw CR as a line break
def test_validate_refuses_a_raw_control_character_with_file_and_line(tmp_path, name):
    attack, code = CORPUS[name]
    path = probe_file(tmp_path, title='"' + attack.replace("\\", "\\\\") + '"')
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:2:")
    assert code in result.output
    assert_inert(result.output, "validate's message")


def test_the_clipboard_reproducer_is_refused_by_the_installed_command(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "nice.yaml"
    path.write_text('id: nice\ntitle: "Nice\\u001b]52;c;ZWNobyBwd25lZA==\\u0007"\nkind: graph\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tutor", "validate", str(path)], capture_output=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout.decode().startswith(f"{path}:2:")
    assert b"Traceback" not in done.stderr
    assert_inert(done.stdout.decode() + done.stderr.decode(), "validate")


def test_list_reports_such_a_file_without_printing_its_title(tmp_path):
    folder = tmp_path / "problems"
    folder.mkdir()
    (folder / "nice.yaml").write_text('id: nice\ntitle: "Nice\\u001b]52;c;ZWNobyBwd25lZA==\\u0007"\nkind: graph\n',
                                      encoding="utf-8")
    result = run("list", "--dir", str(folder))
    assert result.exit_code == 0
    assert "nice" in result.output and "U+001B" in result.output
    assert_inert(result.output, "list")


def test_a_file_that_is_not_yaml_is_not_quoted(tmp_path):
    secret = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    path = tmp_path / "passwd.yaml"
    path.write_text(secret, encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "not a problem file" in result.output
    message = result.output.replace(str(path), "")
    assert "root" not in message and "bash" not in message and "daemon" not in message


# ----------------------------------------------------------------------------------------------
# (b) A problem that skipped validation, and typed answers: every output stays inert

ALL_ATTACKS = "".join(attack for attack, _ in CORPUS.values())


def hostile_problem():
    problem, _ = solved("apple")

    def text(where: str) -> Localized:
        return Localized.model_construct(en=f"{where} {ALL_ATTACKS} end", ja=f"{where}ja {ALL_ATTACKS} end")

    problem = problem.model_copy(update={
        "id": f"apple{ALL_ATTACKS}", "title": text("title"), "statement": text("statement"),
        "notes": text("notes"), "hints": {"*": text("hint")}, "topics": (f"topic{ALL_ATTACKS}",),
        "source": f"source{ALL_ATTACKS}",
    })
    return problem, derive(problem)


@pytest.fixture
def hostile(monkeypatch):
    problem, solution = hostile_problem()
    monkeypatch.setattr("tutor.loading.load_and_derive", lambda *args, **kwargs: (problem, solution))
    return problem


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_show_prints_no_control_character(hostile, lang):
    result = run("show", "apple", "--lang", lang)
    assert result.exit_code == 0
    assert "statement" in result.output
    assert_inert(result.output, "show")


@pytest.mark.parametrize("fmt", ["text", "md", "latex", "json", "dot"])
def test_every_solution_format_is_inert_on_stdout_and_in_a_file(hostile, fmt, tmp_path):
    result = run("solution", "apple", "--format", fmt)
    assert result.exit_code == 0
    assert "title" in result.output
    assert_inert(result.output, f"solution --format {fmt}")
    out = tmp_path / f"out.{fmt}"
    assert run("solution", "apple", "--format", fmt, "-o", str(out)).exit_code == 0
    assert_inert(out.read_text(encoding="utf-8"), f"solution --format {fmt} -o")
    if fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))["title"].startswith("title ")


def typed_answers() -> str:
    lines = [attack for attack, _ in CORPUS.values()] + [f"220{attack}" for attack, _ in CORPUS.values()]
    return "\n".join(["hint", "hint", *lines, "show", ALL_ATTACKS, "quit"]) + "\n"


def test_plain_mode_and_progress_print_no_control_character(hostile):
    result = run("solve", "apple", "--plain", "--new", input=typed_answers())
    assert result.exit_code == 0
    assert "Score:" in result.output and "hint" in result.output
    assert_inert(result.output, "solve --plain")
    result = run("progress")
    assert result.exit_code == 0 and "apple" in result.output
    assert_inert(result.output, "progress")


def test_list_prints_no_control_character_from_the_listed_fields(monkeypatch):
    infos = [
        ProblemInfo(id=f"evil{ALL_ATTACKS}", path=Path("evil.yaml"),
                    title={"en": f"title{ALL_ATTACKS}"}, kind="graph", topics=(f"topic{ALL_ATTACKS}",)),
        ProblemInfo(id="broken", path=Path("b.yaml"), error=f"broken{ALL_ATTACKS}"),
    ]
    monkeypatch.setattr("tutor.problem.library.list_problems", lambda dirs=(): infos)
    result = run("list")
    assert result.exit_code == 0 and "title" in result.output and "broken" in result.output
    assert_inert(result.output, "list")


def test_error_lines_print_no_control_character_from_a_file_name(tmp_path):
    import subprocess
    import sys

    name = tmp_path / "evil\x1b]0;pwned\x07.yaml"
    done = subprocess.run([sys.executable, "-m", "tutor", "show", str(name)], capture_output=True, timeout=60)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert_inert(done.stdout.decode() + done.stderr.decode(), "show's error")


# ----------------------------------------------------------------------------------------------
# Documents: Markdown text cannot become HTML or a link; LaTeX text cannot become a command

HTML_AND_LINKS = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
                  "<javascript:alert(1)> ![x](javascript:y) \\[z](javascript:w) & done")


def document(fmt: str, text: str) -> str:
    from tutor.render.latex import render_latex
    from tutor.render.markdown import render_markdown

    problem, _ = solved("apple")
    localized = Localized(en=text)
    problem = problem.model_copy(update={"title": localized, "statement": localized, "notes": localized})
    render = render_markdown if fmt == "md" else render_latex
    return render(problem, derive(problem), "en")


def test_markdown_writes_html_and_links_from_problem_text_as_text():
    out = document("md", HTML_AND_LINKS)
    for live in ("<script", "<img", "<javascript:"):
        assert live not in out
    # A link or image needs a "[" or "]" behind an even number of backslashes (none escaping it).
    assert re.search(r"(?<!\\)(?:\\\\)*[\[\]]", out) is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "\\[click\\](javascript:alert(1))" in out  # shown as the characters typed
    assert "\\\\\\[z\\]" in out  # a teacher's backslash cannot undo the escape
    assert "&amp; done" in out


def test_latex_writes_commands_from_problem_text_as_text():
    out = document("latex", r"\input{/etc/passwd} \write18{rm -rf ~} $x$ 100% #1 a_b ^")
    title = next(line for line in out.splitlines() if line.startswith(r"\section*"))
    assert r"\input" not in title and r"\write18" not in title
    assert r"\textbackslash{}input\{/etc/passwd\}" in title
    assert r"\textbackslash{}write18\{rm -rf \textasciitilde{}\}" in title
    assert r"\$x\$ 100\% \#1 a\_b \^{}" in title


# ----------------------------------------------------------------------------------------------
# The TUI: problem text, a pasted answer and the problem list (also what serve's pages show)


def tui_run(scenario):
    import asyncio
    import functools

    @functools.wraps(scenario)
    def run_it(*args, **kwargs):
        return asyncio.run(scenario(*args, **kwargs))

    return run_it


def tui_screen_text(app) -> str:
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


@tui_run
async def test_the_tui_shows_problem_text_and_a_pasted_answer_inert():
    from tutor.tui.app import TutorApp
    from tutor.tui.widgets.answer import AnswerInput
    from tutor.tui.widgets.feedback import FeedbackArea

    problem, solution = hostile_problem()
    app = TutorApp(problem, solution, "en", None, None, ask_resume=False)
    async with app.run_test(size=(110, 36)) as pilot:
        box = app.solving.query_one(AnswerInput)
        box.focus()
        box.insert_text_at_cursor(f"220{ALL_ATTACKS}")  # what a bracketed paste does
        await pilot.pause()
        assert_inert(box.value, "the answer box")
        await pilot.press("enter")
        await pilot.pause()
        assert_inert(str(app.query_one(FeedbackArea).render()), "the feedback")
        box.value = ALL_ATTACKS
        await pilot.pause()
        assert_inert(box.value, "the answer box set directly")
        await pilot.press("f2")
        await pilot.pause()
        screen = tui_screen_text(app)
        assert "title" in screen and "hint" in screen
        assert_inert(screen, "the solving screen")


@tui_run
async def test_the_problem_list_shows_titles_inert():

    from textual.widgets import DataTable

    from tutor.tui.app import TutorApp
    from tutor.tui.screens.picker import Library

    info = ProblemInfo(id="evil", path=Path("evil.yaml"), title={"en": f"title{ALL_ATTACKS}"}, kind="graph")
    app = TutorApp(None, None, "en", library=Library(problems=[info]))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert_inert("".join(str(cell) for cell in table.get_row_at(0)), "the problem list")
        assert_inert(tui_screen_text(app), "the problem list screen")
