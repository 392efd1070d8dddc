"""read(): the shape of what comes back (columns, dtypes, ids, metadata) for good input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

import corridors
from corridors.catalog import geodata_dir
from corridors.io import read
from corridors.schema import SEGMENT_COLUMNS

DATA = Path(__file__).parent / "data"


def _write(path: Path, features: list[dict], **members: object) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", **members, "features": features}), encoding="utf-8")
    return path


def _feature(props: dict | None, coords=((70.0, 40.0), (71.0, 40.5)), **extra: object) -> dict:
    return {"type": "Feature", "properties": props, **extra,
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}


def test_bundled_corridor_reads_like_load():
    path = geodata_dir() / "corridors" / "cku-railway.geojson"
    gdf = read(path)
    ref = corridors.load("cku-railway")
    assert list(gdf.columns) == [*SEGMENT_COLUMNS[:2], "branch",
                                 *[c for c in SEGMENT_COLUMNS[2:] if c != "branch"],
                                 "source_file", "source_feature", "geometry"]
    assert gdf["segment_id"].tolist() == ref["segment_id"].tolist()
    assert gdf["gauge_mm"].tolist() == ref["gauge_mm"].tolist()
    assert shapely.equals_exact(gdf.geometry.to_numpy(), ref.geometry.to_numpy(), 0).all()
    assert gdf.attrs["corridor"] == ref.attrs["corridor"]
    assert gdf.attrs["skipped"] == []
    assert gdf["source_file"].eq(str(path)).all()
    assert gdf["source_feature"].tolist() == [str(i) for i in range(len(gdf))]


def test_bundled_directory_gives_corridors_metadata():
    gdf = read(geodata_dir() / "corridors")
    assert sorted(gdf.attrs["corridors"]) == sorted(corridors.list_corridors())
    assert "corridor" not in gdf.attrs
    assert set(gdf["corridor_id"]) == set(corridors.list_corridors())


def test_property_types(tmp_path):
    feats = [
        _feature({"i": 1, "gap": 5, "f": 1.5, "mix": "A-1", "s": "x", "b": True, "nested": {"a": [1, 2]}}),
        _feature({"i": 2, "f": 2, "mix": 7, "s": None, "b": False, "nested": [1, "two"]}),
    ]
    gdf = read(_write(tmp_path / "t.geojson", feats))
    assert gdf["i"].dtype == np.int64 and gdf["i"].tolist() == [1, 2]
    assert str(gdf["gap"].dtype) == "Int64" and gdf["gap"].isna().tolist() == [False, True]
    assert gdf["f"].dtype == np.float64 and gdf["f"].tolist() == [1.5, 2.0]
    assert gdf["mix"].dtype == object and gdf["mix"].tolist() == ["A-1", 7]
    assert pd.api.types.is_string_dtype(gdf["s"]) and gdf["s"].iloc[0] == "x" and pd.isna(gdf["s"].iloc[1])
    assert gdf["b"].dtype == bool
    assert [json.loads(v) for v in gdf["nested"]] == [{"a": [1, 2]}, [1, "two"]]


def test_corridor_segment_branch_defaults(tmp_path):
    feats = [
        _feature({"corridor_id": "mine", "segment_id": "mine/x", "branch": "north"}),
        _feature({"corridor_id": "  "}, id="abc"),       # blank id: the file stem
        _feature(None),                                   # no properties at all
        _feature({"segment_id": None, "branch": None}),
    ]
    gdf = read(_write(tmp_path / "routes.geojson", feats))
    assert gdf[["corridor_id", "segment_id", "branch"]].values.tolist() == [
        ["mine", "mine/x", "north"],
        ["routes", "routes/abc", "main"],
        ["routes", "routes/1", "main"],
        ["routes", "routes/2", "main"],
    ]
    assert gdf["source_feature"].tolist() == ["0", "1 (id 'abc')", "2", "3"]


def test_reserved_property_names(tmp_path):
    gdf = read(_write(tmp_path / "r.geojson", [_feature({"geometry": "a road", "_file": 3})]))
    assert gdf["geometry_"].tolist() == ["a road"] and gdf["_file_"].tolist() == [3]
    assert gdf.geometry.name == "geometry" and gdf.geometry.iloc[0].geom_type == "LineString"


def test_progress_wraps_the_file_list(tmp_path):
    for name in ("b.geojson", "a.geojson"):
        _write(tmp_path / name, [_feature({})])
    calls = []

    def progress(files):
        calls.append(list(files))
        return iter(files)

    gdf = read(tmp_path, progress=progress)
    assert [[p.name for p in c] for c in calls] == [["a.geojson", "b.geojson"]]
    assert gdf["corridor_id"].tolist() == ["a", "b"]


def test_csv_with_and_without_csvt(tmp_path):
    (tmp_path / "c.csv").write_text('name,code,geometry\n"a, b",007,"LINESTRING (70 40, 71 41)"\n', encoding="utf-8")
    gdf = read(tmp_path / "c.csv")
    assert gdf["code"].tolist() == [7]  # no sidecar: pandas infers a number
    (tmp_path / "c.csvt").write_text('"String","String","WKT"\n', encoding="utf-8")
    gdf = read(tmp_path / "c.csv")
    assert gdf["code"].tolist() == ["007"] and gdf["name"].tolist() == ["a, b"]
    assert shapely.get_coordinates(gdf.geometry.iloc[0]).tolist() == [[70, 40], [71, 41]]
    (tmp_path / "n.csv").write_text("name\nx\n", encoding="utf-8")
    with pytest.raises(corridors.DataError, match="CSV without a WKT 'geometry' column"):
        read(tmp_path / "n.csv")


def test_skips_recorded_in_a_file_come_back_first(tmp_path):
    members = {"skipped": [{"file": "old.geojson", "feature": "9", "reason": "null geometry"}]}
    path = _write(tmp_path / "s.geojson", [_feature({}), {"type": "Feature", "properties": {}, "geometry": None}],
                  **members)
    with pytest.warns(corridors.SkippedFeaturesWarning, match=r"^1 problem"):
        gdf = read(path, on_error="skip")
    assert gdf.attrs["skipped"] == members["skipped"] + [{"file": str(path), "feature": "1", "reason": "null geometry"}]
    # frames and columns derived from the result carry the records without copying each one
    # (pandas deep-copies attrs on every column access)
    for derived in (gdf["corridor_id"], gdf.copy(), gdf[gdf["corridor_id"] != ""]):
        assert derived.attrs["skipped"] == gdf.attrs["skipped"]
        assert derived.attrs["skipped"] is not gdf.attrs["skipped"]  # its own list ...
        assert all(a is b for a, b in zip(derived.attrs["skipped"], gdf.attrs["skipped"]))  # ... of the same records
