"""write() then read() gives back the same rows, columns, values, geometry and metadata."""

from __future__ import annotations

import json
import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridors
from corridors.errors import DataError
from corridors.io import read
from corridors.writers import write

HOSTILE = [
    "<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "${alert(1)}", "`${x}`",
    "'; DROP TABLE segments; --", '"quoted", with comma', "line\nbreak", "cr\ronly", "\r\n", "tab\there", "  padded  ",
    "NaN", "null", "None", "NA", "1e5", "007", "Ürümqi – Кашгар – 喀什", "emoji 🚂", "\\u0000 literal",
]
RESERVED = {"geometry", "corridor_id", "segment_id", "branch", "source_file", "source_feature", "fid", "id"}

text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),  # NUL, CR, LF included
)
kinds = {
    "str": text,
    "int": st.integers(-(2**63), 2**63 - 1),
    "float": st.floats(allow_nan=False, allow_infinity=False),
}
names = st.from_regex(r"[a-zA-Zé_][a-zA-Z0-9_é]{0,11}", fullmatch=True).filter(lambda s: s.lower() not in RESERVED)
lon = st.floats(-180, 180, allow_nan=False)
lat = st.floats(-90, 90, allow_nan=False)


@st.composite
def line(draw: st.DrawFn) -> shapely.Geometry:
    def part() -> list[tuple[float, float]]:
        pts = draw(st.lists(st.tuples(lon, lat), min_size=2, max_size=50))
        if len(set(pts)) == 1:  # all the same point is rejected by read(); make it move
            pts[-1] = (pts[0][0] / 2 + 1.0, pts[0][1] / 2)
        return pts

    if draw(st.booleans()):
        return shapely.LineString(part())
    return shapely.MultiLineString([part() for _ in range(draw(st.integers(1, 3)))])


@st.composite
def layers(draw: st.DrawFn) -> gpd.GeoDataFrame:
    n = draw(st.integers(1, 6))
    cols = draw(st.lists(names, max_size=5, unique_by=str.lower))
    data: dict[str, object] = {}
    for col in cols:
        kind = draw(st.sampled_from(sorted(kinds)))
        values = draw(st.lists(st.one_of(st.none(), kinds[kind]), min_size=n, max_size=n))
        if kind == "int":
            data[col] = pd.array(values, dtype="Int64")
        elif kind == "float":
            data[col] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            data[col] = np.array(values, dtype=object)
    gdf = gpd.GeoDataFrame(data, geometry=[draw(line()) for _ in range(n)], crs="EPSG:4326")
    gdf.attrs = {"corridor": {"id": "user", "name": draw(text), "stated_lengths": [{"value": 1.5, "unit": "km"}]},
                 "skipped": [{"file": "a.geojson", "feature": "3", "reason": "null geometry"}]}
    return gdf


def _norm(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def assert_same(orig: gpd.GeoDataFrame, back: gpd.GeoDataFrame, fmt: str) -> None:
    """Same rows, columns, values (type and value) and geometry, coordinate for coordinate."""
    assert len(back) == len(orig)
    attrs_cols = [c for c in orig.columns if c != "geometry"]
    assert [c for c in back.columns if c in attrs_cols] == attrs_cols
    for col in attrs_cols:
        expect = [_norm(v) for v in orig[col].astype(object)]
        if fmt == "csv":  # CSV cannot tell an empty string from a missing value (documented)
            expect = [None if v == "" else v for v in expect]
        got = [_norm(v) for v in back[col].astype(object)]
        assert got == expect, col
        for e, g in zip(expect, got):
            assert e is None or type(g) is type(e), (col, e, g)
    for a, b in zip(orig.geometry, back.geometry):
        assert a.geom_type == b.geom_type
        assert np.array_equal(shapely.get_coordinates(a), shapely.get_coordinates(b))
        assert shapely.get_num_geometries(a) == shapely.get_num_geometries(b)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet", "csv"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gdf=layers())
def test_round_trip(tmp_path, fmt, gdf):
    if fmt == "gpkg":  # GeoPackage text cannot hold NUL: write() refuses it (test_values_a_format_cannot_store)
        for col in gdf.columns.drop(gdf.geometry.name):  # object and pandas string columns alike
            if gdf[col].map(lambda v: isinstance(v, str) and "\x00" in v).any():
                gdf[col] = gdf[col].map(lambda v: v.replace("\x00", "") if isinstance(v, str) else v).astype(gdf[col].dtype)
    path = write(gdf, tmp_path / f"layer.{fmt}")
    assert path.suffix == f".{fmt}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean layer reads back without any skip
        back = read(path)
    assert_same(gdf, back, fmt)
    assert back["corridor_id"].eq("layer").all() and back["branch"].eq("main").all()
    if fmt != "csv":
        assert back.attrs["corridor"] == gdf.attrs["corridor"]
        assert back.attrs["skipped"] == gdf.attrs["skipped"]


def test_round_trip_of_read_output_keeps_provenance(tmp_path):
    """A user's lines, read, exported and read again: every column including the provenance."""
    src = tmp_path / "mine.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 7, "properties": {"name": "a", "km": 3},
         "geometry": {"type": "LineString", "coordinates": [[70.0, 40.0], [71.0, 40.5]]}},
        {"type": "Feature", "properties": {"name": "b", "km": None},
         "geometry": {"type": "LineString", "coordinates": [[71.0, 40.5], [72.0, 41.0, 900.0]]}},
    ]}), encoding="utf-8")
    first = read(src)
    assert first["segment_id"].tolist() == ["mine/7", "mine/1"]
    assert first["source_feature"].tolist() == ["0 (id 7)", "1"]
    assert str(first["km"].dtype) == "Int64"
    for fmt in ("geojson", "gpkg", "parquet", "csv"):
        again = read(write(first, tmp_path / f"out.{fmt}"))
        assert again.columns.tolist() == first.columns.tolist(), fmt
        assert again.drop(columns="geometry").astype(object).where(again.notna(), None).values.tolist() == \
            first.drop(columns="geometry").astype(object).where(first.notna(), None).values.tolist(), fmt


def test_bundled_layers_round_trip_with_metadata(tmp_path):
    layer = corridors.load("cku-railway")
    for fmt in ("geojson", "gpkg", "parquet"):
        back = read(write(layer, tmp_path / f"cku.{fmt}"))
        assert back.attrs["corridor"] == layer.attrs["corridor"], fmt
        assert back[list(layer.columns[:-1])].astype(object).values.tolist() == \
            layer.drop(columns="geometry").astype(object).values.tolist()
        assert shapely.equals_exact(back.geometry.values, layer.geometry.values, 0).all()


def test_metadata_locations(tmp_path):
    """Where each format keeps the metadata, read with the format's own tools."""
    layer = corridors.load("line-d")
    meta = layer.attrs["corridor"]
    doc = json.loads(write(layer, tmp_path / "d.geojson").read_text(encoding="utf-8"))
    assert doc["corridor"] == meta and "crs" not in doc
    info = pyogrio.read_info(write(layer, tmp_path / "d.gpkg"))
    assert info["layer_name"] == "d"
    assert json.loads(info["layer_metadata"]["corridors"])["corridor"] == meta
    kv = pq.read_schema(write(layer, tmp_path / "d.parquet")).metadata
    assert json.loads(kv[b"corridors"])["corridor"] == meta and b"geo" in kv
    assert gpd.read_parquet(tmp_path / "d.parquet").crs.equals("EPSG:4326")


def test_mixed_type_columns_are_written_as_text(tmp_path):
    """OBJECTID as text in one file and a number in another (as in the GEM corpus)."""
    gdf = gpd.GeoDataFrame({"OBJECTID": np.array(["A-1", 2.5, None, 7], dtype=object)},
                           geometry=[shapely.LineString([(0, 0), (1, i + 1)]) for i in range(4)], crs=4326)
    for fmt in ("gpkg", "parquet", "csv"):
        back = read(write(gdf, tmp_path / f"m.{fmt}"))
        assert [_norm(v) for v in back["OBJECTID"].astype(object)] == ["A-1", "2.5", None, "7"], fmt
    back = read(write(gdf, tmp_path / "m.geojson"))  # JSON keeps each value's own type
    assert [_norm(v) for v in back["OBJECTID"].astype(object)] == ["A-1", 2.5, None, 7]


def test_points_crossings_and_tables(tmp_path):
    pl = corridors.places()
    back = gpd.read_file(write(pl, tmp_path / "places.gpkg"))
    assert len(back) == len(pl) and (back.geom_type == "Point").all()
    assert back["place_id"].tolist() == pl["place_id"].tolist()
    table = pd.DataFrame({"corridor_id": ["a", "b"], "iso3": ["KGZ", ""], "length_km": [1.25, 300.0]})
    table.attrs = {"note": "lengths"}
    assert json.loads(write(table, tmp_path / "t.json").read_text(encoding="utf-8")) == [
        {"corridor_id": "a", "iso3": "KGZ", "length_km": 1.25}, {"corridor_id": "b", "iso3": "", "length_km": 300.0}]
    csv_back = pd.read_csv(write(table, tmp_path / "t.csv"), keep_default_na=False)
    assert csv_back.values.tolist() == [["a", "KGZ", 1.25], ["b", "", 300.0]]
    assert (tmp_path / "t.csvt").read_text().strip() == '"String","String","Real"'
    pq_back = pd.read_parquet(write(table, tmp_path / "t.parquet"))
    assert pq_back.values.tolist() == table.values.tolist()
    assert json.loads(pq.read_schema(tmp_path / "t.parquet").metadata[b"corridors"]) == {"note": "lengths"}


def test_geojson_is_lonlat(tmp_path):
    """A projected layer is written to GeoJSON in lon/lat (RFC 7946)."""
    gdf = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.LineString([(0, 0), (111319.49079327357, 0)])],
                           crs="EPSG:3857")
    doc = json.loads(write(gdf, tmp_path / "p.geojson").read_text(encoding="utf-8"))
    # x = R * lon(rad) on the Web Mercator sphere (R = 6378137 m): 111319.49 m is 1 degree
    assert np.array(doc["features"][0]["geometry"]["coordinates"]) == pytest.approx(np.array([[0, 0], [1, 0]]),
                                                                                    abs=1e-9)
    back = read(write(gdf, tmp_path / "p.gpkg"))  # GeoPackage keeps the CRS; read() transforms
    assert shapely.get_coordinates(back.geometry.values) == pytest.approx(np.array([[0, 0], [1, 0]]), abs=1e-9)


@pytest.mark.parametrize("bad, message", [
    (dict(format="shp"), "unknown export format"),
    (dict(path="x.txt"), "cannot tell the export format"),
])
def test_bad_format(tmp_path, bad, message):
    gdf = corridors.load("line-d")
    with pytest.raises(DataError, match=message):
        write(gdf, tmp_path / bad.get("path", "x.geojson"), format=bad.get("format"))


def test_values_a_format_cannot_store(tmp_path):
    gdf = gpd.GeoDataFrame({"s": ["a\x00b"], "f": [math.inf]}, geometry=[shapely.LineString([(0, 0), (1, 1)])],
                           crs=4326)
    with pytest.raises(DataError, match="NUL character"):
        write(gdf, tmp_path / "n.gpkg")
    with pytest.raises(DataError, match="infinite"):
        write(gdf, tmp_path / "n.geojson")
    with pytest.raises(DataError, match="without geometry cannot be written as gpkg"):
        write(pd.DataFrame({"a": [1]}), tmp_path / "t.gpkg")
    gdf.attrs["bad"] = object()
    with pytest.raises(DataError, match="cannot be stored as JSON"):
        write(gdf, tmp_path / "o.parquet")


def test_geopackage_column_names(tmp_path):
    """A property called "fid" stays a property; names equal but for case are renamed, with a warning."""
    gdf = gpd.GeoDataFrame({"fid": ["x", "y"], "n": [3, 4]},
                           geometry=[shapely.LineString([(0, 0), (1, i + 1)]) for i in range(2)], crs=4326)
    back = read(write(gdf, tmp_path / "f.gpkg"))
    assert back[["fid", "n"]].values.tolist() == [["x", 3], ["y", 4]]
    gdf["FID"] = 1
    gdf["Fid_2"] = 2.5
    with pytest.warns(UserWarning, match=r"renamed 'FID' -> 'FID_3'"):
        back = read(write(gdf, tmp_path / "g.gpkg"))
    assert back[["fid", "n", "FID_3", "Fid_2"]].values.tolist() == [["x", 3, 1, 2.5], ["y", 4, 1, 2.5]]


def test_integers_beyond_64_bits(tmp_path):
    """JSON allows any integer; typed formats get such a column as text, GeoJSON keeps the numbers."""
    gdf = gpd.GeoDataFrame({"big": np.array([10**30, 1, None], dtype=object),
                            "mixed": np.array([1.5, 10**400, None], dtype=object)},
                           geometry=[shapely.LineString([(0, 0), (1, i + 1)]) for i in range(3)], crs=4326)
    back = read(write(gdf, tmp_path / "b.geojson"))
    assert [_norm(v) for v in back["big"]] == [10**30, 1, None]
    assert [_norm(v) for v in back["mixed"]] == [1.5, 10**400, None]
    for fmt in ("gpkg", "parquet", "csv"):
        back = read(write(gdf, tmp_path / f"b.{fmt}"))
        assert [_norm(v) for v in back["big"]] == [str(10**30), "1", None], fmt
        assert [_norm(v) for v in back["mixed"]] == ["1.5", str(10**400), None], fmt
