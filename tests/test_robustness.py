"""read() on the files people actually have: each bad input has a clear, tested outcome."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.errors import CorridorsError, DataError, SkippedFeaturesWarning
from corridors.io import read
from corridors.writers import write

DATA = Path(__file__).parent / "data"
LINES_NEEDED = "lines (LineString/MultiLineString) are needed"


def _skip_read(path: Path | str):
    with pytest.warns(SkippedFeaturesWarning):
        return read(path, on_error="skip")


@pytest.mark.parametrize("name, feature, reason", [
    ("truncated.geojson", None, r"not valid JSON \(Expecting ',' delimiter .*\); truncated file\?"),
    ("binary.geojson", None, r"not UTF-8 text \(binary data, or another encoding\?\); expected GeoJSON"),
    ("topology.json", None, r"TopoJSON is not supported; convert it to GeoJSON first"),
    ("only_points.geojson", "0", r"Point geometry; lines \(LineString/MultiLineString\) are needed"),
    ("only_polygons.geojson", "0", r"Polygon geometry; lines"),
    ("empty_collection.geojson", None, r"no features \(empty collection\)"),
    ("mixed_good_bad.geojson", "1", r"null geometry"),
    ("bad_numbers.geojson", "0", r"coordinates are NaN or infinite"),
    ("duplicate_ids.geojson", "0 (id 5)", r"duplicate segment id 'duplicate_ids/5' \(2 features share it\)"),
])
def test_raise_names_file_feature_and_reason(name, feature, reason):
    with pytest.raises(DataError, match=reason) as info:
        read(DATA / name)
    err = info.value
    assert err.path == str(DATA / name)
    assert (None if err.feature is None else str(err.feature)) == feature
    assert str(err).startswith(str(DATA / name) + ": ")


@pytest.mark.parametrize("name, expected", [
    ("only_points.geojson", [("0", f"Point geometry; {LINES_NEEDED}"), ("1", f"MultiPoint geometry; {LINES_NEEDED}")]),
    ("only_polygons.geojson", [("0", f"Polygon geometry; {LINES_NEEDED}"), ("1", f"MultiPolygon geometry; {LINES_NEEDED}")]),
    ("empty_collection.geojson", [(None, "no features (empty collection)")]),
    ("topology.json", [(None, "TopoJSON is not supported; convert it to GeoJSON first "
                              "(e.g. `ogr2ogr out.geojson in.json`)")]),
])
def test_skip_whole_file_or_every_feature(name, expected):
    gdf = _skip_read(DATA / name)
    assert len(gdf) == 0
    assert {"corridor_id", "segment_id", "geometry"} <= set(gdf.columns)
    assert [(s["feature"], s["reason"]) for s in gdf.attrs["skipped"]] == expected
    assert all(s["file"] == str(DATA / name) for s in gdf.attrs["skipped"])


def test_mix_of_good_and_bad_features_skip():
    gdf = _skip_read(DATA / "mixed_good_bad.geojson")
    assert gdf["name"].tolist() == ["good 0", "good 7, 3D"]
    assert gdf["source_feature"].tolist() == ["0", "7"]
    reasons = {s["feature"]: s["reason"] for s in gdf.attrs["skipped"]}
    assert list(reasons) == ["1", "2", "3", "4", "5", "6"]
    assert reasons["1"] == "null geometry"
    assert reasons["2"] == "empty geometry"
    assert reasons["3"] == "a line needs at least 2 positions"
    assert reasons["4"].startswith("longitude 1.1e+06 is out of range") and "projected coordinates given as lon/lat" in reasons["4"]
    assert reasons["5"] == "a line whose positions are all the same point"
    assert reasons["6"] == f"Point geometry; {LINES_NEEDED}"
    # 3D accepted, z dropped
    assert not gdf.geometry.has_z.any()
    assert shapely.get_coordinates(gdf.geometry.iloc[1]).tolist() == [[62.0, 40.0], [63.0, 41.0]]


def test_warning_counts_problems():
    with pytest.warns(SkippedFeaturesWarning, match=r"^6 problem\(s\) in the input, 6 left out"):
        read(DATA / "mixed_good_bad.geojson", on_error="skip")


def test_bad_numbers_each_named():
    gdf = _skip_read(DATA / "bad_numbers.geojson")
    reasons = [s["reason"] for s in gdf.attrs["skipped"]]
    assert reasons[0] == reasons[1] == "coordinates are NaN or infinite"  # NaN, Infinity
    assert reasons[2].startswith("longitude 1e+308 is out of range")      # huge
    assert reasons[3] == "a coordinate is too large to be a number (overflow)"  # 1e400 as an integer
    assert reasons[4] == "coordinates are not all numbers"                  # "61"


def test_legacy_crs_web_mercator_is_transformed():
    # the fixture holds x = R*lon, y = R*ln(tan(pi/4 + lat/2)) (R = 6378137 m, spherical Web Mercator),
    # computed by hand from Kashgar (75.99, 39.47) and Osh (72.80, 40.53)
    gdf = read(DATA / "legacy_crs_3857.geojson")
    assert shapely.get_coordinates(gdf.geometry.iloc[0]) == pytest.approx(
        np.array([[75.99, 39.47], [72.80, 40.53]]), abs=1e-9)
    assert gdf.crs.equals("EPSG:4326")


def _write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _line_fc(coords: list, **extra: object) -> dict:
    return {"type": "FeatureCollection", **extra,
            "features": [{"type": "Feature", "properties": {"n": 1},
                          "geometry": {"type": "LineString", "coordinates": coords}}]}


def test_legacy_crs_utm_and_epsg_member(tmp_path):
    # UTM zone 43N (EPSG:32643): the central meridian is 75 E with false easting 500 000 m, and the
    # equator is northing 0 -- so (500000, 0) is (75, 0) and any (500000, y) lies on 75 E, by definition.
    doc = _line_fc([[500000.0, 0.0], [500000.0, 4_400_000.0]],
                   crs={"type": "EPSG", "properties": {"code": 32643}})
    xy = shapely.get_coordinates(read(_write(tmp_path / "utm.geojson", doc)).geometry.iloc[0])
    assert xy[0] == pytest.approx([75.0, 0.0], abs=1e-9)
    assert xy[1][0] == pytest.approx(75.0, abs=1e-9) and 39 < xy[1][1] < 40


def test_legacy_crs_problems(tmp_path):
    unknown = _write(tmp_path / "u.geojson", _line_fc([[0, 0], [1, 1]], crs={"type": "name", "properties": {"name": "EPSG:999999"}}))
    with pytest.raises(DataError, match="legacy 'crs' member names an unknown CRS 'EPSG:999999'"):
        read(unknown)
    odd = _write(tmp_path / "o.geojson", _line_fc([[0, 0], [1, 1]], crs={"type": "link", "properties": {"href": "x"}}))
    with pytest.raises(DataError, match="legacy 'crs' member not understood"):
        read(odd)
    crs84 = _write(tmp_path / "c.geojson", _line_fc([[0, 0], [1, 1]], crs={"type": "name", "properties": {
        "name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}))
    assert shapely.get_coordinates(read(crs84).geometry.iloc[0]).tolist() == [[0, 0], [1, 1]]


def test_projected_coordinates_as_lonlat(tmp_path):
    path = _write(tmp_path / "p.geojson", _line_fc([[500000.0, 4400000.0], [501000.0, 4401000.0]]))
    with pytest.raises(DataError, match=r"feature 0: longitude 501000 is out of range .*projected coordinates "
                                        r"given as lon/lat, or a missing CRS\?"):
        read(path)
    path = _write(tmp_path / "lat.geojson", _line_fc([[40.0, 95.0], [41.0, 96.0]]))
    with pytest.raises(DataError, match="latitude 96 is out of range"):
        read(path)


def test_duplicate_ids_skip_keeps_both_renamed():
    with pytest.warns(SkippedFeaturesWarning, match=r"2 problem\(s\) in the input, 0 left out"):
        gdf = read(DATA / "duplicate_ids.geojson", on_error="skip")
    assert gdf["segment_id"].tolist() == ["duplicate_ids/5#1", "duplicate_ids/5#2"]
    assert all("kept, renamed" in s["reason"] for s in gdf.attrs["skipped"])


def test_bare_feature_and_bare_geometry(tmp_path):
    feat = {"type": "Feature", "id": "x", "properties": {"corridor_id": "mine", "branch": "north"},
            "geometry": {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 0]], [], [[1, 0], [2, 1]]]}}
    gdf = read(_write(tmp_path / "f.geojson", feat))
    assert gdf[["corridor_id", "segment_id", "branch"]].values.tolist() == [["mine", "mine/x", "north"]]
    assert gdf.geometry.iloc[0].geom_type == "MultiLineString" and len(gdf.geometry.iloc[0].geoms) == 2
    gdf = read(_write(tmp_path / "g.geojson", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}))
    assert gdf["segment_id"].tolist() == ["g/0"]


@pytest.mark.parametrize("doc, reason", [
    ([1, 2], "JSON list at top level; expected a GeoJSON object"),
    ({"type": "Feature"}, "null geometry"),
    ({"type": "Something"}, "not GeoJSON (top-level type 'Something')"),
    ({"type": "FeatureCollection", "features": {}}, "FeatureCollection without a 'features' list"),
    ({"type": "FeatureCollection", "features": [1]}, "not a GeoJSON Feature object"),
    ({"type": "Feature", "properties": [1], "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
     "properties is not an object"),
    ({"type": "Feature", "geometry": {"type": "Curve", "coordinates": []}}, "unknown geometry type 'Curve'"),
    ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0, 0, 0, 0], [1, 1]]}},
     "positions must have 2 or 3 numbers"),
    ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, True], [1, 1]]}},
     "coordinates are not all numbers"),
    ({"type": "Feature", "geometry": {"type": "MultiLineString", "coordinates": [[0, 0], [1, 1]]}},
     "positions must have 2 or 3 numbers"),
    ({"type": "Feature", "geometry": {"type": "LineString"}}, "geometry has no coordinate list"),
])
def test_odd_objects(tmp_path, doc, reason):
    with pytest.raises(DataError) as info:
        read(_write(tmp_path / "odd.geojson", doc))
    assert info.value.reason == reason


def test_path_problems(tmp_path):
    with pytest.raises(DataError, match="no such file or directory"):
        read(tmp_path / "missing.geojson")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(DataError, match="unsupported file type '.txt'"):
        read(tmp_path / "notes.txt")
    with pytest.raises(DataError, match="no GeoJSON/GeoPackage/GeoParquet/CSV files in the directory"):
        read(tmp_path)
    with pytest.raises(ValueError, match="on_error must be"):
        read(DATA / "good_lines.geojson", on_error="ignore")


def _table(tmp_path: Path) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["line", "point", "none", "multi"], "km": [1, 2, None, 4]},
        geometry=[shapely.LineString([(70, 40), (71, 41)]), shapely.Point(70, 40), None,
                  shapely.MultiLineString([[(71, 41), (72, 41)]])], crs="EPSG:4326")


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet"])
def test_geopackage_and_geoparquet_inputs(tmp_path, suffix):
    gdf = _table(tmp_path)
    path = tmp_path / f"layer{suffix}"
    gdf.to_parquet(path) if suffix == ".parquet" else gdf.to_file(path, driver="GPKG", engine="pyogrio")
    with pytest.raises(DataError, match=re.escape(f"feature 1: Point geometry; {LINES_NEEDED}")):
        read(path)
    back = _skip_read(path)
    assert back["name"].tolist() == ["line", "multi"]
    assert back["km"].tolist() == [1, 4]
    assert [(s["feature"], s["reason"]) for s in back.attrs["skipped"]] == [
        ("1", f"Point geometry; {LINES_NEEDED}"), ("2", "null geometry")]
    assert back["segment_id"].tolist() == ["layer/0", "layer/1"]


def test_projected_geoparquet_is_transformed(tmp_path):
    # Web Mercator on the sphere R = 6378137 m: x = R * lon (radians), so 1 degree is 111319.4908 m
    gdf = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.LineString([(0, 0), (2 * 111319.49079327357, 0)])],
                           crs="EPSG:3857")
    gdf.to_parquet(tmp_path / "m.parquet")
    xy = shapely.get_coordinates(read(tmp_path / "m.parquet").geometry.iloc[0])
    assert xy == pytest.approx(np.array([[0, 0], [2, 0]]), abs=1e-9)


def test_unreadable_geopackage(tmp_path):
    (tmp_path / "bad.gpkg").write_bytes(b"not a database")
    with pytest.raises(DataError, match=r"bad.gpkg: cannot read as GeoPackage"):
        read(tmp_path / "bad.gpkg")


def test_directory_mixing_formats(tmp_path):
    gdf = _table(tmp_path)
    lines = gdf.iloc[[0, 3]]
    shutil.copy(DATA / "good_lines.geojson", tmp_path / "a.geojson")
    lines.to_file(tmp_path / "b.gpkg", driver="GPKG", engine="pyogrio")
    sub = tmp_path / "sub"
    sub.mkdir()
    lines.to_parquet(sub / "c.parquet")
    shutil.copy(DATA / "mixed_good_bad.geojson", sub / "d.geojson")
    (tmp_path / "readme.txt").write_text("ignored: not a data file")
    seen = []

    def progress(files):
        seen.extend(files)
        return files

    with pytest.warns(SkippedFeaturesWarning):
        back = read(tmp_path, on_error="skip", progress=progress)
    assert [p.name for p in seen] == ["a.geojson", "b.gpkg", "c.parquet", "d.geojson"]
    assert back["corridor_id"].tolist() == ["a", "a", "b", "b", "c", "c", "d", "d"]
    assert back["segment_id"].tolist()[:2] == ["demo/a", "demo/b"]
    assert back["source_file"].tolist() == [str(tmp_path / "a.geojson")] * 2 + [str(tmp_path / "b.gpkg")] * 2 + \
        [str(sub / "c.parquet")] * 2 + [str(sub / "d.geojson")] * 2
    assert {s["file"] for s in back.attrs["skipped"]} == {str(sub / "d.geojson")}
    with pytest.raises(DataError, match=r"d.geojson: feature 1: null geometry"):
        read(tmp_path)


# ---------------------------------------------------------------------------- fuzz

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5))
json_values = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                          st.dictionaries(st.text(max_size=5), kids, max_size=4)),
                           max_leaves=12)
number = st.one_of(st.floats(), st.integers(), st.sampled_from([0.0, 180.0, -90.0, 1e300]))
position = st.lists(st.one_of(number, json_values), min_size=0, max_size=4)
positions = st.lists(st.one_of(position, st.lists(number, min_size=2, max_size=3)), max_size=5)
geometry = st.one_of(
    st.none(), json_values,
    st.fixed_dictionaries({"type": st.sampled_from(["LineString", "MultiLineString", "Point", "Polygon", "Nope"]),
                           "coordinates": st.one_of(positions, st.lists(positions, max_size=3), json_values)}),
)
feature = st.one_of(json_values, st.fixed_dictionaries(
    {"type": st.just("Feature"), "geometry": geometry,
     "properties": st.one_of(st.none(), st.dictionaries(st.text(max_size=6), json_values, max_size=4), json_values)},
    optional={"id": st.one_of(st.integers(), st.text(max_size=3), json_values)}))
lonlat = st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list)
plausible = st.fixed_dictionaries({
    "type": st.just("Feature"),
    "geometry": st.fixed_dictionaries({
        "type": st.just("LineString"),
        "coordinates": st.one_of(st.lists(lonlat, min_size=2, max_size=6, unique_by=tuple),
                                 st.lists(st.one_of(lonlat, position), min_size=1, max_size=6))}),
    "properties": st.dictionaries(st.sampled_from(["name", "segment_id", "corridor_id", "branch", "x"]),
                                  json_values, max_size=4)},
    optional={"id": st.one_of(st.integers(0, 3), st.text(max_size=2))})
documents = st.one_of(
    st.fixed_dictionaries({"type": st.just("FeatureCollection"), "features": st.lists(plausible, min_size=1, max_size=6)}),
    st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                           "features": st.lists(st.one_of(plausible, feature), min_size=1, max_size=6)}),
    json_values,
    st.fixed_dictionaries({"type": st.sampled_from(["FeatureCollection", "Topology", "Feature", "LineString"]),
                           "features": st.lists(feature, max_size=5)},
                          optional={"crs": json_values, "corridor": json_values, "coordinates": positions}),
    feature,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents, raw=st.one_of(st.none(), st.binary(max_size=40)))
def test_fuzz_read_gives_lines_or_our_error(tmp_path, doc, raw):
    path = tmp_path / "fuzz.geojson"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(json.dumps(doc), encoding="utf-8")  # NaN/Infinity literals included
    for on_error in ("raise", "skip"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SkippedFeaturesWarning)
                gdf = read(path, on_error=on_error)
        except CorridorsError:
            continue
        assert isinstance(gdf, gpd.GeoDataFrame)
        geoms = gdf.geometry.to_numpy()
        assert np.isin(shapely.get_type_id(geoms), (1, 5)).all()
        xy = shapely.get_coordinates(geoms)
        assert np.isfinite(xy).all() and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
        assert gdf["segment_id"].is_unique
        assert all(s["file"] == str(path) and s["reason"] for s in gdf.attrs["skipped"])


def test_table_input_geometry_problems(tmp_path):
    gdf = gpd.GeoDataFrame({"a": [1, 2, 3, 4]}, crs="EPSG:4326", geometry=[
        shapely.MultiPoint([(0, 0), (1, 1)]), shapely.from_wkt("LINESTRING EMPTY"),
        shapely.Polygon([(0, 0), (1, 0), (1, 1)]), shapely.LineString([(0, 0, 5), (1, 1, 6)])])
    gdf.to_parquet(tmp_path / "t.parquet")
    back = _skip_read(tmp_path / "t.parquet")
    assert [(s["feature"], s["reason"]) for s in back.attrs["skipped"]] == [
        ("0", f"MultiPoint geometry; {LINES_NEEDED}"), ("1", "empty geometry"), ("2", f"Polygon geometry; {LINES_NEEDED}")]
    assert back["a"].tolist() == [4] and not back.geometry.has_z.any()


def test_text_encodings(tmp_path):
    """UTF-8 with a byte-order mark and UTF-16 are JSON text (RFC 8259 detection); Latin-1 is not UTF-8."""
    doc = json.dumps(_line_fc([[70.0, 40.0], [71.0, 41.0]]) | {"name": "Ürümqi"}, ensure_ascii=False)
    (tmp_path / "bom.geojson").write_bytes(b"\xef\xbb\xbf" + doc.encode("utf-8"))
    (tmp_path / "u16.geojson").write_bytes(doc.encode("utf-16"))
    for name in ("bom.geojson", "u16.geojson"):
        assert len(read(tmp_path / name)) == 1
    (tmp_path / "latin1.geojson").write_bytes(doc.replace('"n": 1', '"n": "Ürümqi"').encode("latin-1"))
    with pytest.raises(DataError, match=r"latin1.geojson: not UTF-8 text"):
        read(tmp_path / "latin1.geojson")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                                  "features": st.lists(plausible, min_size=1, max_size=5)}))
def test_fuzz_whatever_read_accepts_can_be_exported(tmp_path, doc):
    """Odd property values (nested, huge integers, NaN, mixed types) never break write()."""
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf = read(path, on_error="skip")
        for fmt in ("geojson", "gpkg", "parquet", "csv"):
            try:
                out = write(gdf, tmp_path / f"out.{fmt}")
            except DataError as exc:  # only values the format cannot hold, said so
                assert "NUL character" in exc.reason or "infinite" in exc.reason, exc.reason
                continue
            if len(gdf):
                back = read(out)
                assert back["segment_id"].tolist() == gdf["segment_id"].tolist(), fmt
