"""Layering and start-up: the core never imports a front end's library, and the quick commands
never import the heavy ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tutor

# The front ends: the only modules that may use a terminal or web library. Everything else in
# the package is the core, found by walking the source tree so a new module is covered at once.
FRONT_ENDS = ("tutor.cli", "tutor.tui", "tutor.serve", "tutor.__main__", "tutor.render.text", "tutor.render.train_view")
FRONT_END_LIBRARIES = {"textual", "typer", "rich", "click"}


def core_modules() -> list[str]:
    root = Path(tutor.__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not any(name == front or name.startswith(front + ".") for front in FRONT_ENDS):
            names.append(name)
    return names


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('MODULES', *sorted(m.split('.')[0] for m in sys.modules), file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("MODULES ")
    return set(line.split()[1:])


def test_the_walk_finds_the_whole_core():
    found = core_modules()
    assert {"tutor.steps", "tutor.maths.functions", "tutor.engine.mistakes", "tutor.problem.yamlsafe",
            "tutor.gradcheck", "tutor.train", "tutor.session", "tutor.plain"} <= set(found)
    assert not [name for name in found if name.startswith(("tutor.tui", "tutor.cli"))]


def test_no_core_module_imports_a_front_end_library():
    modules = core_modules()
    # One process for all of them; only when it fails, one per module to say which.
    if loaded_after("\n".join(f"import {m}" for m in modules)) & FRONT_END_LIBRARIES:
        culprits = {m: sorted(loaded_after(f"import {m}") & FRONT_END_LIBRARIES) for m in modules}
        pytest.fail(f"core modules import front-end libraries: { {m: libs for m, libs in culprits.items() if libs} }")


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
