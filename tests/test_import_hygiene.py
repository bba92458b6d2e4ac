"""Layering and start-up: the core never imports a front end's library, and the quick commands
never import the heavy ones."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "tutor.errors", "tutor.steps", "tutor.expr", "tutor.check", "tutor.numbers", "tutor.i18n", "tutor.lang",
    "tutor.session", "tutor.progress", "tutor.formula", "tutor.problem", "tutor.problem.load",
    "tutor.problem.schema", "tutor.problem.library", "tutor.engine", "tutor.kinds.network.derive", "tutor.kinds.graph.derive",
    "tutor.kinds.layer.derive", "tutor.render.markdown", "tutor.render.latex", "tutor.render.json",
    "tutor.render.diagram", "tutor.plain",
]


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('MODULES', *sorted(m.split('.')[0] for m in sys.modules), file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("MODULES ")
    return set(line.split()[1:])


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_front_end_library(module):
    assert not loaded_after(f"import {module}") & {"textual", "typer", "rich", "click"}


def _command(*argv: str) -> str:
    return (
        "import sys\n"
        f"sys.argv = ['bptutor', {', '.join(repr(a) for a in argv)}]\n"
        "from tutor import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
    )


@pytest.mark.parametrize("argv", [("--help",), ("list",), ("--version",)])
def test_quick_commands_import_no_heavy_library(argv):
    # Typer is pinned below 0.29, which imports pydantic for every option.
    assert not loaded_after(_command(*argv)) & {"sympy", "numpy", "textual", "pydantic", "rich"}


def test_a_second_list_reads_no_yaml(tmp_path, monkeypatch):
    monkeypatch.setenv("BPTUTOR_HOME", str(tmp_path))
    assert "yaml" in loaded_after(_command("list"))  # the first list reads the files and fills the index
    assert "yaml" not in loaded_after(_command("list"))
