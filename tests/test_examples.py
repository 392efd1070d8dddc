"""The scripts in examples/ run as a user would run them, and produce what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def test_quickstart(tmp_path):
    out = _run("quickstart.py", str(tmp_path))
    assert "cku-railway" in out
    table = pd.read_csv(tmp_path / "lengths_by_country.csv")
    rail = table[table["corridor_id"] == "cku-railway"]
    assert list(rail["iso3"]) == ["CHN", "KGZ", "UZB"]
    html = (tmp_path / "corridors_map.html").read_text(encoding="utf-8")
    assert "<html" in html.lower()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html  # offline: nothing fetched


def test_own_lines_straight_leg_split_by_country():
    out = _run("own_lines.py")
    # the straight Galkynysh–Kashgar geodesic crosses Turkmenistan, Uzbekistan, Tajikistan and China, in order
    rows = [line.split() for line in out.splitlines() if line.startswith("my-pipeline") and len(line.split()) >= 5]
    crossed = [r[1] for r in rows if r[1].isalpha() and len(r[1]) == 3]
    assert crossed == ["TKM", "UZB", "TJK", "CHN"]


def test_large_lines_in_batches_and_on_dask():
    out = _run("large_lines.py", "30000")  # 2.4 M vertices: more than one batch
    batches = int(out.split("in memory: ")[1].split()[0])
    assert batches >= 2
    try:
        import dask_geopandas  # noqa: F401
    except ImportError:
        assert 'dask: not installed' in out
    else:
        assert "dask tables equal the in-memory ones: True" in out
