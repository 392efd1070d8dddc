"""The Global Energy Monitor pipeline-route corpus (6,769 real files) read end to end.

Runs when ``../shared/data/gem-pipeline-routes.tar.gz`` is present (CI has it); the
tarball is extracted once per session into a temporary directory (the ``gem_dir`` fixture
of ``conftest.py``), never into the project.
The expected counts were measured by a separate script that uses only :mod:`json` (no
corridors code): 47,937 line features with 3,412,559 positions; 3,132 features left out
(1,724 Point, 1,370 null geometry, 28 MultiPoint, 7 empty geometry, 3 lines whose positions
are all one point). ``test_counts_match_a_plain_json_count`` repeats that count here.
"""

from __future__ import annotations

import collections
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import shapely

from corridors.errors import SkippedFeaturesWarning
from corridors.io import read

# the corpus comes from the session fixture ``gem_dir`` (tests/conftest.py), which skips when it is absent
pytestmark = pytest.mark.slow

EXPECTED_SKIPS = {
    "Point geometry; lines (LineString/MultiLineString) are needed": 1724,
    "null geometry": 1370,
    "MultiPoint geometry; lines (LineString/MultiLineString) are needed": 28,
    "empty geometry": 7,
    "a line whose positions are all the same point": 3,
}


@pytest.fixture(scope="session")
def gem(gem_dir: Path):
    seen: list[Path] = []

    def progress(files):
        seen.extend(files)
        return files

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = read(gem_dir, on_error="skip", progress=progress)
    return gdf, seen, caught


def _plain_count(root: Path) -> tuple[int, int, collections.Counter]:
    """Count line features, positions and the reasons to leave features out, with json only."""
    lines = positions = 0
    skips: collections.Counter = collections.Counter()
    for path in sorted(root.rglob("*.geojson")):
        doc = json.loads(path.read_bytes())
        for feat in doc["features"] if doc["type"] == "FeatureCollection" else [doc]:
            geom = feat.get("geometry")
            if geom is None:
                skips["null"] += 1
                continue
            if geom["type"] not in ("LineString", "MultiLineString"):
                skips[geom["type"]] += 1
                continue
            parts = [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]
            parts = [p for p in parts if p]
            if not parts:
                skips["empty"] += 1
            elif any(len({tuple(q[:2]) for q in p}) == 1 for p in parts):
                skips["same point"] += 1
            else:
                lines += 1
                positions += sum(len(p) for p in parts)
    return lines, positions, skips


def test_counts_match_a_plain_json_count(gem_dir):
    lines, positions, skips = _plain_count(gem_dir)
    assert (lines, positions) == (47_937, 3_412_559)
    assert skips == {"Point": 1724, "null": 1370, "MultiPoint": 28, "empty": 7, "same point": 3}


def test_every_line_read_and_every_skip_named(gem, gem_dir):
    gdf, seen, caught = gem
    assert len(seen) == 6769
    assert len(gdf) == 47_937
    geoms = gdf.geometry.to_numpy()
    assert int(shapely.get_num_coordinates(geoms).sum()) == 3_412_559
    assert np.isin(shapely.get_type_id(geoms), (1, 5)).all()
    xy = shapely.get_coordinates(geoms)
    assert np.isfinite(xy).all() and np.abs(xy[:, 0]).max() <= 180 and np.abs(xy[:, 1]).max() <= 90
    skipped = gdf.attrs["skipped"]
    assert len(skipped) == 3132
    assert collections.Counter(s["reason"] for s in skipped) == EXPECTED_SKIPS
    assert all(s["file"].endswith(".geojson") and Path(s["file"]).is_file() and s["feature"] is not None
               for s in skipped)
    warned = [w for w in caught if issubclass(w.category, SkippedFeaturesWarning)]
    assert len(warned) == 1 and str(warned[0].message).startswith("3132 problem(s) in the input, 3132 left out")


def test_corridor_columns_and_provenance(gem):
    gdf, _, _ = gem
    assert gdf["segment_id"].is_unique
    assert gdf["corridor_id"].str.fullmatch(r"P\d{4}").all()  # GEM project ids, from the file names
    assert gdf["corridor_id"].nunique() <= 6769
    assert (gdf["corridor_id"] == gdf["source_file"].map(lambda p: Path(p).stem)).all()
    assert gdf["branch"].eq("main").all()
    # mixed-type properties are kept per value (text in one file, numbers in another)
    kinds = {type(v).__name__ for v in gdf["OBJECTID"].dropna()}
    assert {"str", "int"} <= kinds


def test_export_of_the_corpus_sample(gem, tmp_path):
    """Mixed-type columns of real data survive every export format (as text where typed)."""
    from corridors.writers import write

    gdf, _, _ = gem
    sample = gdf.iloc[::500].copy()
    sample.attrs = {}  # pandas deep-copies attrs (3,132 skips) on every column access below
    sample = sample[[c for c in sample.columns if sample[c].notna().any()]]
    sample.attrs = {"skipped": gdf.attrs["skipped"][:5]}
    for fmt in ("geojson", "gpkg", "parquet", "csv"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedFeaturesWarning)
            back = read(write(sample, tmp_path / f"gem.{fmt}"))
        assert len(back) == len(sample), fmt
        if fmt != "csv":
            assert back.attrs["skipped"] == sample.attrs["skipped"], fmt
        assert back["segment_id"].tolist() == sample["segment_id"].tolist()
        assert shapely.equals_exact(back.geometry.to_numpy(), sample.geometry.to_numpy(), 0).all(), fmt
