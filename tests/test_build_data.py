"""The bundled corridor layers are built from the committed waypoint data, byte for byte.

``scripts/build_layers.py corridors`` turns ``scripts/data/corridors/`` into
``geodata/corridors/`` and ``geodata/places/``. Building into a temporary folder must give
exactly the committed files: a waypoint, segment fact or place edited in the data without
rebuilding the layers (or the other way round) fails here.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from pyproj import Geod

REPO = Path(__file__).resolve().parents[1]
BUILDER = REPO / "scripts" / "build_layers.py"
DATA = REPO / "scripts" / "data"
GEODATA = REPO / "geodata"


def build(out: Path, data: Path = DATA) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILDER), "corridors", "--out", str(out), "--data", str(data)],
                          capture_output=True, encoding="utf-8", timeout=300)


def test_corridor_layers_rebuild_byte_identical(tmp_path: Path) -> None:
    proc = build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    ids = sorted(p.stem for p in (DATA / "corridors").glob("*.json"))
    assert ids == sorted(p.stem for p in (GEODATA / "corridors").glob("*.geojson"))
    assert ids == ["cku-railway", "dushanbe-kulma", "line-d", "trans-caspian"]
    for cid in ids:
        for layer in ("corridors", "places"):
            built, committed = tmp_path / layer / f"{cid}.geojson", GEODATA / layer / f"{cid}.geojson"
            assert built.read_bytes() == committed.read_bytes(), f"{layer}/{cid}.geojson differs from its data"
    # nothing else was written (no temporary files left by the atomic writer)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        f"{layer}/{cid}.geojson" for cid in ids for layer in ("corridors", "places"))


def _one_corridor(tmp_path: Path, cid: str = "cku-railway") -> Path:
    data = tmp_path / "data"
    (data / "corridors").mkdir(parents=True)
    for suffix in (".json", "_waypoints.csv", "_places.csv"):
        shutil.copy(DATA / "corridors" / f"{cid}{suffix}", data / "corridors" / f"{cid}{suffix}")
    return data


def test_broken_chain_is_refused(tmp_path: Path) -> None:
    # Move the first waypoint of torugart-makmal (the Torugart pass, 75.38869 E 40.55773 N)
    # off the last waypoint of kashgar-torugart: the two segments no longer meet.
    data = _one_corridor(tmp_path)
    path = data / "corridors" / "cku-railway_waypoints.csv"
    text = path.read_text(encoding="utf-8")
    row = "cku-railway/torugart-makmal,1,Torugart pass (CHN/KGZ border),75.38869,40.55773\n"
    assert row in text
    path.write_text(text.replace(row, row.replace("75.38869", "75.38870")), encoding="utf-8")
    proc = build(tmp_path / "out", data)
    assert proc.returncode != 0
    assert "cku-railway/torugart-makmal" in proc.stderr and "does not chain" in proc.stderr
    assert not (tmp_path / "out" / "corridors" / "cku-railway.geojson").exists()


def test_unknown_source_is_refused(tmp_path: Path) -> None:
    data = _one_corridor(tmp_path)
    path = data / "corridors" / "cku-railway.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["segments"][2]["sources"] += "; no-such-source"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    proc = build(tmp_path / "out", data)
    assert proc.returncode != 0
    assert "cku-railway/makmal-jalal-abad" in proc.stderr and "'no-such-source' is not in" in proc.stderr
    assert not (tmp_path / "out" / "corridors").exists()


def test_filled_segments_keep_their_waypoints_and_no_gap_over_fill_km() -> None:
    """Trans-Caspian land segments: waypoints in order, fillers so no step exceeds fill_km (WGS84)."""
    geod = Geod(ellps="WGS84")
    with (DATA / "corridors" / "trans-caspian_waypoints.csv").open(encoding="utf-8", newline="") as fh:
        rows: dict[str, list[list[float]]] = {}
        for row in csv.DictReader(fh):
            rows.setdefault(row["segment_id"], []).append([float(row["lon"]), float(row["lat"])])
    spec = json.loads((DATA / "corridors" / "trans-caspian.json").read_text(encoding="utf-8"))
    layer = json.loads((GEODATA / "corridors" / "trans-caspian.geojson").read_text(encoding="utf-8"))
    filled = 0
    for seg, feat in zip(spec["segments"], layer["features"], strict=True):
        coords, wps = feat["geometry"]["coordinates"], rows[seg["segment_id"]]
        if not seg.get("fill_km"):
            assert seg["mode"] == "sea" and coords == wps, seg["segment_id"]
            continue
        it = iter(coords)
        assert all(any(c == w for c in it) for w in wps), seg["segment_id"]  # waypoints kept, in order
        lon, lat = np.array(coords).T
        steps = geod.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2] / 1000.0
        assert steps.max() <= seg["fill_km"] + 0.01, seg["segment_id"]
        filled += len(coords) - len(wps)
    assert filled > 100  # many waypoints are more than 20 km apart (Kazakhstan, Turkey)
