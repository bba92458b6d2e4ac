"""Every file of the hostile corpus through the real commands: exit status 2, one clear line,
no traceback, nothing written, and quickly."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor import cli

CORPUS = sorted((Path(__file__).parent / "bad_inputs").glob("*.yaml"))
COMMANDS = [("validate",), ("show",), ("solution",), ("solution", "--format", "json")]


def run_main(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["bptutor", *argv])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_each_bad_file_is_refused_cleanly(path, command, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    code, out, err = run_main(monkeypatch, capsys, *command, str(path))
    elapsed = time.perf_counter() - started
    assert code == 2
    message = out if command[0] == "validate" else err
    assert message.strip().count("\n") == 0, message
    assert str(path) in message
    assert "Traceback" not in out + err
    assert list(tmp_path.iterdir()) == []  # nothing written
    assert elapsed < 2.0


@pytest.mark.parametrize("path", [p for p in CORPUS if "alias" in p.stem or "garbage" in p.stem][:3])
def test_in_a_real_process_too(path):
    result = subprocess.run([sys.executable, "-m", "tutor", "solution", str(path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"bptutor: {path}")
