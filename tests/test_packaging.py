"""The oldest-versions constraints file names exactly the lower bounds pyproject.toml declares."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def test_the_oldest_versions_file_pins_every_lower_bound():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lower = {}
    for requirement in declared:
        name, bound = re.match(r"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)", requirement).groups()
        lower[name.lower()] = Version(bound)
    pinned = {}
    for line in (ROOT / "constraints-oldest.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pinned[name.strip().lower()] = Version(version.strip())
    assert pinned == lower
