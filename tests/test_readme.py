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


def test_api_tour_runs_verbatim(tmp_path):
    """The README's API tour, copied out of README.md and run as it is, from a folder holding
    the sample lines it reads (``examples/my_routes/``, shipped with the repository)."""
    import os
    import shutil

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A short API tour", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert 'corridors.read("examples/my_routes/"' in tour
    shutil.copytree(REPO / "examples" / "my_routes", tmp_path / "examples" / "my_routes")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", tour + "\nprint('TOUR-OK', type(ax).__name__, len(mine))"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    # the tour's plot() gives an Axes, as the README says; its file output lands in the folder
    assert "TOUR-OK Axes 2" in proc.stdout
    assert (tmp_path / "crossings.gpkg").exists()
