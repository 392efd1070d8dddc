"""README.md stays true: its data table matches the bundled data, its commands exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_data_table_is_current():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "readme_table.py"), "--check"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_cli_commands_in_readme_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"^corridors (\w+)", readme, flags=re.M))
    assert {"list", "info", "profile", "lengths", "crossings", "map", "figure", "validate", "export"} <= commands
    exe = Path(sys.executable).with_name("corridors")  # the console script of this Python's environment
    proc = subprocess.run([str(exe) if exe.exists() else "corridors", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    for command in commands:
        assert command in proc.stdout, command


def test_api_tour_names_are_public_and_resolve():
    import corridors

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\bcorridors\.([A-Za-z_]\w*)\(", readme))
    assert {"load", "lengths_by_country", "border_crossings", "read", "render_map", "plot"} <= used
    assert used <= set(corridors.__all__), used - set(corridors.__all__)
    for name in corridors.__all__:  # every public name imports (they are loaded lazily)
        assert getattr(corridors, name) is not None, name
