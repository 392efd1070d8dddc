"""Arbitrary JSON values in properties and file-level metadata, through the whole pipeline.

read -> validate -> lengths (API and command line) -> map -> export: whatever a file holds,
only the library's own exceptions (:class:`corridors.errors.CorridorsError`) may come out,
and the command line never exits 3 (an unexpected error) because of input data.
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridors
from corridors import cli
from corridors.errors import CorridorsError

# the columns and members the library reads, so that values of every type reach them
KEYS = ("corridor_id", "segment_id", "branch", "mode", "status", "gauge_mm", "name", "sources", "accuracy",
        "accuracy_km", "method", "kind", "from", "to", "length_km", "source_file", "source_feature", "id",
        "geometry", "fid", "OBJECTID", "other_properties", "notes")
MEMBERS = ("corridor", "corridors", "sources", "skipped", "name", "crs_note")
RECORD_KEYS = ("id", "name", "kind", "status", "countries", "stated_lengths", "cost", "dates", "sources",
               "notes", "local_names", "developer", "description")

text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12)
numbers = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(st.none(), st.booleans(), numbers, text, st.sampled_from(
    ["main", "rail", "sea", "road", "pipeline", "operating", "proposed", "1520", "", " ", "http://x", "javascript:x"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(text, st.sampled_from(RECORD_KEYS)), inner, max_size=4)),
    max_leaves=8)
records = st.dictionaries(st.sampled_from(RECORD_KEYS), json_values, max_size=5)
properties = st.dictionaries(st.one_of(st.sampled_from(KEYS), text), json_values, max_size=6)
members = st.dictionaries(st.sampled_from(MEMBERS), st.one_of(json_values, records,
                                                              st.dictionaries(text, records, max_size=2)), max_size=3)
lines = st.sampled_from([
    [[73.0, 39.5], [74.5, 40.5]],                       # China - Kyrgyzstan
    [[69.2, 41.3], [72.3, 40.8]],                       # Uzbekistan
    [[170.0, 66.0], [180.0, 66.0], [-180.0, 66.0], [-170.0, 66.0]],  # over the antimeridian
    [[180.0, 40.0], [-180.0, 41.0]],                    # along it
    [[50.0, 40.5], [51.0, 40.0]],                       # Caspian Sea
])


def _document(props: list[dict], member_values: dict, geoms: list[list[list[float]]]) -> str:
    doc = {"type": "FeatureCollection", **member_values,
           "features": [{"type": "Feature", "properties": p, "geometry": {"type": "LineString", "coordinates": g}}
                        for p, g in zip(props, geoms)]}
    doc["type"] = "FeatureCollection"
    # allow_nan: NaN and Infinity literals are what such files really hold (Python writes them)
    return json.dumps(doc, allow_nan=True)


def _cli(*args: str) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    assert code != cli.EXIT_BUG, f"corridors {' '.join(args)} exited 3: {err.getvalue()}"
    assert "Traceback" not in err.getvalue()
    return code


def _allowed(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except CorridorsError:
        return None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(props=st.lists(properties, min_size=1, max_size=3), member_values=members,
       geoms=st.lists(lines, min_size=3, max_size=3))
def test_any_json_values_give_only_library_errors(tmp_path_factory, props, member_values, geoms) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    src = folder / "input.geojson"
    src.write_text(_document(props, member_values, geoms), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf = _allowed(corridors.read, src, on_error="skip")
        code = _cli("validate", str(src))
        if gdf is None or gdf.empty:
            assert code == cli.EXIT_ERROR  # what read refuses, validate reports
            return
        for call in (corridors.length_km, corridors.lengths_by_country, corridors.border_crossings,
                     corridors.transfers):
            _allowed(call, gdf)
        for by in ("mode", "status", "branch"):
            _allowed(corridors.lengths_by, gdf, by)
        m = _allowed(corridors.render_map, gdf, offline=True)
        if m is not None:
            _allowed(corridors.save_map if hasattr(corridors, "save_map") else corridors.maps.save_map,
                     m, folder / "map.html")
        for fmt in ("geojson", "gpkg", "parquet", "csv"):
            _allowed(corridors.write, gdf, folder / f"out.{fmt}")
        for args in (["lengths", "--input", str(src), "--on-error", "skip", "--by", "country"],
                     ["crossings", "--input", str(src), "--on-error", "skip"],
                     ["map", "--input", str(src), "--on-error", "skip", "--offline", "-o", str(folder / "m.html")],
                     ["export", "--input", str(src), "--on-error", "skip", "-o", str(folder / "e.gpkg")]):
            _cli(*args)


@pytest.mark.parametrize("member", [
    {"corridor": {"id": "x", "name": 5}},
    {"corridor": {"id": "x", "stated_lengths": [{"value": "1", "unit": "km"}]}},
    {"corridor": {"id": "x", "countries": "KAZ"}},
    {"corridors": [1, 2]},
    {"corridors": {"x": {"sources": [{"id": ["a"]}]}}},
    {"sources": 7},
    {"skipped": [{"file": 1}]},
])
def test_a_wrong_typed_metadata_member_is_a_problem_of_the_file(tmp_path: Path, member: dict) -> None:
    src = tmp_path / "meta.geojson"
    src.write_text(_document([{"corridor_id": "x"}], member, [[[73.0, 39.5], [74.5, 40.5]]]), encoding="utf-8")
    key = next(iter(member))
    with pytest.raises(CorridorsError, match=f"metadata member '{key}' left out"):
        corridors.read(src)
    with pytest.warns(UserWarning):
        gdf = corridors.read(src, on_error="skip")
    assert len(gdf) == 1 and gdf.attrs.get(key) != member[key]  # the feature is kept, the member is not
    assert [s["feature"] for s in gdf.attrs["skipped"]] == [None]
    # validate reports it (exit 1), and the map of the file works
    assert _cli("validate", str(src)) == cli.EXIT_ERROR
    assert _cli("map", "--input", str(src), "--on-error", "skip", "-o", str(tmp_path / "m.html")) == cli.EXIT_OK
