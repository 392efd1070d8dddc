"""Large inputs are analysed in batches of whole corridors; the tables equal the unbatched ones.

Every test lowers :data:`corridors.analysis.BATCH_VERTICES` so that small real inputs take
the batched path, and compares with the unbatched tables of the same input (ids, order and
dtypes exact; lengths and km to 1e-9 relative).
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import corridors
from corridors import analysis, batches
from corridors.errors import OutsideCountriesWarning

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import synthetic_lines


def unbatched_and_batched(lines: gpd.GeoDataFrame, budget: int, monkeypatch: pytest.MonkeyPatch):
    """Both tables of ``lines`` unbatched, then with a budget of ``budget`` vertices; the
    OutsideCountriesWarning messages each raised."""
    tables = []
    for limit in (10**12, budget):
        monkeypatch.setattr(analysis, "BATCH_VERTICES", limit)
        analysis.clear_cache()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lengths = corridors.lengths_by_country(lines)
            crossings = corridors.border_crossings(lines)
        assert isinstance(analysis.cached_result(), batches.Batched if limit == budget else analysis.Analysis)
        tables.append((lengths, crossings, [str(w.message) for w in caught
                                            if issubclass(w.category, OutsideCountriesWarning)]))
    analysis.clear_cache()
    return tables


def assert_same(unbatched, batched) -> None:
    (lengths, crossings, warned), (b_lengths, b_crossings, b_warned) = unbatched, batched
    for a, b in ((lengths, b_lengths), (crossings, b_crossings)):
        assert list(b.columns) == list(a.columns)
        assert b.dtypes.astype(str).tolist() == a.dtypes.astype(str).tolist()
        assert isinstance(b.index, pd.RangeIndex) and len(b) == len(a)
        exact = [c for c in a.columns if c not in ("length_km", "share", "km", "checkpoint_km", "geometry")]
        pd.testing.assert_frame_equal(b[exact], a[exact], check_exact=True)
    pd.testing.assert_frame_equal(b_lengths, lengths, check_exact=False, rtol=1e-9, atol=0)
    pd.testing.assert_frame_equal(b_crossings, crossings, check_exact=False, rtol=1e-9, atol=0)
    assert b_warned == warned  # the same message, once


def vertices_per_corridor(lines: gpd.GeoDataFrame) -> pd.Series:
    n = shapely.get_num_coordinates(np.asarray(lines.geometry.values, dtype=object))
    return pd.Series(n).groupby(lines["corridor_id"].to_numpy(), sort=False).sum()


def batch_corridors(lines: gpd.GeoDataFrame, budget: int) -> list[list[str]]:
    n = shapely.get_num_coordinates(np.asarray(lines.geometry.values, dtype=object))
    rows = batches.plan(lines["corridor_id"].to_numpy(), n, budget)
    return [list(pd.unique(lines["corridor_id"].to_numpy()[r])) for r in rows]


def test_plan_keeps_corridors_whole_and_respects_the_budget():
    ids = np.array(["a", "b", "a", "c", "d", "b", "e"], dtype=object)
    verts = np.array([3, 2, 4, 10, 1, 1, 2])  # a: 7, b: 3, c: 10, d: 1, e: 2
    got = batches.plan(ids, verts, budget=8)
    # a alone (b would make 10), b (c would make 13), c alone (over the budget), d + e
    assert [r.tolist() for r in got] == [[0, 2], [1, 5], [3], [4, 6]]
    assert batches.plan(ids[:0], verts[:0], budget=8) == []


@pytest.mark.parametrize("budget", [1, 300, 700])
def test_bundled_corridors(monkeypatch, budget):
    lines = corridors.load_all()
    sizes = vertices_per_corridor(lines)
    groups = batch_corridors(lines, budget)
    assert len(groups) > 1 and all(len(sizes[g].index) == 1 or sizes[g].sum() <= budget for g in groups)
    if budget == 300:  # trans-caspian (503 vertices) is larger than the budget: a batch of its own
        assert ["trans-caspian"] in groups and sizes["trans-caspian"] > budget
    unbatched, batched = unbatched_and_batched(lines, budget, monkeypatch)
    assert len(unbatched[1]) > 5 and unbatched[1]["branch"].nunique() > 1
    assert_same(unbatched, batched)


def test_bundled_corridors_interleaved(monkeypatch):
    # rows shuffled: every corridor's rows are spread through the input, branches too
    lines = corridors.load_all()
    lines = lines.iloc[np.random.default_rng(3).permutation(len(lines))].reset_index(drop=True)
    ids = lines["corridor_id"].to_numpy()
    assert (ids[1:] != ids[:-1]).sum() > 10
    assert len(batch_corridors(lines, 300)) >= 3
    assert_same(*unbatched_and_batched(lines, 300, monkeypatch))


@pytest.fixture(scope="module")
def synthetic() -> gpd.GeoDataFrame:
    """3,000 synthetic routes over Eurasia in 429 corridors, two branches, rows of
    neighbouring corridors interleaved, and three lines in the Pacific (outside every country,
    as are many synthetic lines in the seas)."""
    lines = synthetic_lines(3000, seed=5)
    rng = np.random.default_rng(5)
    lines["branch"] = np.where(rng.random(len(lines)) < 0.3, "spur", "main").astype(object)
    lines.loc[rng.random(len(lines)) < 0.05, "branch"] = None  # read as "main"
    far = gpd.GeoDataFrame({"corridor_id": ["far-1", "far-2", "far-1"], "name": ["p1", "p2", "p3"],
                            "mode": "pipeline", "branch": ["main", "main", "x"]},
                           geometry=[shapely.LineString([(-150, k), (-149, k + 0.5)]) for k in (0, 1, 2)],
                           crs="EPSG:4326")
    lines = pd.concat([lines.iloc[:1000], far.iloc[:2], lines.iloc[1000:], far.iloc[2:]], ignore_index=True)
    # interleave: sort by a noisy row number, so that neighbouring corridors' rows mix
    key = np.arange(len(lines)) + rng.normal(0, 15, len(lines))
    return lines.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)


@pytest.mark.parametrize("executor", ["processes", "threads"])
def test_synthetic_interleaved(monkeypatch, synthetic, executor):
    monkeypatch.setattr(batches, "EXECUTOR", executor)
    monkeypatch.setattr(batches, "THREADS", 2)
    sizes = vertices_per_corridor(synthetic)
    budget = 2_000  # corridors have 103-2,437 vertices
    groups = batch_corridors(synthetic, budget)
    assert len(groups) > 5
    big = [g for g in groups if sizes[g].sum() > budget]
    assert big and all(len(g) == 1 for g in big)  # corridors larger than the budget, alone
    unbatched, batched = unbatched_and_batched(synthetic, budget, monkeypatch)
    assert len(unbatched[1]) > 100
    assert set(unbatched[0]["iso3"]) > {"", "CHN", "KAZ", "RUS"}
    assert len(unbatched[2]) == 1 and "corridor(s) lie wholly outside every country" in unbatched[2][0]
    assert_same(unbatched, batched)


def test_processes_analyse_the_batches_and_give_the_threads_tables(monkeypatch, synthetic, tmp_path):
    """On processes, batches after the first run in forked workers (other process ids) and
    the tables are those of threads, bit for bit (the same code on the same batches)."""
    monkeypatch.setattr(analysis, "BATCH_VERTICES", 2_000)
    monkeypatch.setattr(batches, "THREADS", 2)
    run = batches.batch_tables

    def recording(part, rows, *args, **kwargs):
        (tmp_path / f"{os.getpid()}-{rows[0]}").touch()  # a file survives the worker, a list would not
        return run(part, rows, *args, **kwargs)

    monkeypatch.setattr(batches, "batch_tables", recording)
    tables = {}
    for executor in ("threads", "processes"):
        monkeypatch.setattr(batches, "EXECUTOR", executor)
        analysis.clear_cache()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables[executor] = (corridors.lengths_by_country(synthetic), corridors.border_crossings(synthetic))
        pids = {int(f.name.split("-")[0]) for f in tmp_path.iterdir()}
        for f in tmp_path.iterdir():
            f.unlink()
        assert (pids == {os.getpid()}) == (executor == "threads")
        if executor == "processes":
            assert os.getpid() not in pids and 1 <= len(pids) <= 2  # only the forked workers (two, both busy unless one was slow to start)
    analysis.clear_cache()
    for a, b in zip(tables["threads"], tables["processes"]):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_a_batched_run_overlays_once_for_both_tables(monkeypatch, synthetic):
    monkeypatch.setattr(analysis, "BATCH_VERTICES", 2_000)
    analysis.clear_cache()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountriesWarning)
        lengths = corridors.lengths_by_country(synthetic)
    first = analysis.cached_result()
    assert isinstance(first, batches.Batched)
    crossings = corridors.border_crossings(synthetic)
    assert analysis.cached_result() is first  # the crossings came from the same run
    # the caller's copy is its own: changing it does not change the remembered table
    lengths["length_km"] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountriesWarning)
        again = corridors.lengths_by_country(synthetic)
    assert (again["length_km"] > 0).any()
    assert len(corridors.border_crossings(synthetic, places=corridors.places().iloc[0:0])) == len(crossings)
    # analyse() still gives a whole Analysis (and the tables agree with the batched ones)
    whole = corridors.analyse(synthetic)
    assert isinstance(whole, analysis.Analysis)
    pd.testing.assert_frame_equal(whole.border_crossings(), crossings, check_exact=False, rtol=1e-9, atol=0)
    analysis.clear_cache()


@pytest.mark.slow
def test_gem_subset(monkeypatch, gem_sample):
    lines = gem_sample(10)  # every 10th file: about 680 files
    assert len(lines) > 2000
    budget = 30_000
    sizes = vertices_per_corridor(lines)
    groups = batch_corridors(lines, budget)
    assert len(groups) > 5 and any(sizes[g].sum() > budget for g in groups)
    unbatched, batched = unbatched_and_batched(lines, budget, monkeypatch)
    assert len(unbatched[1]) > 20
    assert_same(unbatched, batched)


def test_progress_wraps_the_batches_of_a_large_input(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = corridors.load_all()
    seen: list[list[np.ndarray]] = []

    def record(items):
        items = list(items)
        seen.append(items)
        return iter(items)

    # small input: one pass, the wrapper is never called
    monkeypatch.setattr(analysis, "BATCH_VERTICES", 10**12)
    analysis.clear_cache()
    whole = corridors.lengths_by_country(lines, progress=record)
    assert seen == []
    # a budget of one vertex: every corridor is a batch of its own, in order of first appearance
    monkeypatch.setattr(analysis, "BATCH_VERTICES", 1)
    analysis.clear_cache()
    batched = corridors.lengths_by(lines, "country", progress=record)
    assert len(seen) == 1 and len(seen[0]) == lines["corridor_id"].nunique()
    assert [lines["corridor_id"].iloc[rows].unique().tolist() for rows in seen[0]] == \
        [[c] for c in pd.unique(lines["corridor_id"])]
    pd.testing.assert_frame_equal(batched, whole)
    # the crossings of the same lines come from the remembered run: no second pass
    corridors.border_crossings(lines, progress=record)
    assert len(seen) == 1


def file_and_frame_tables(lines: gpd.GeoDataFrame, path: Path) -> tuple[tuple, tuple]:
    """Both tables of ``lines`` written to the GeoParquet ``path`` and given as the path, then
    of the same file read back into a GeoDataFrame (the in-memory path, unbatched)."""
    lines.to_parquet(path)
    out = []
    for given in (path, gpd.read_parquet(path)):
        analysis.clear_cache()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lengths = corridors.lengths_by_country(given)
            crossings = corridors.border_crossings(given)
        out.append((lengths, crossings, [str(w.message) for w in caught if issubclass(w.category, OutsideCountriesWarning)]))
    analysis.clear_cache()
    return out[0], out[1]


@pytest.mark.parametrize("executor", ["processes", "threads"])
def test_a_geoparquet_path_gives_the_tables_of_the_frame(monkeypatch, synthetic, tmp_path, executor):
    monkeypatch.setattr(batches, "EXECUTOR", executor)
    monkeypatch.setattr(batches, "STEP_VERTICES", 20_000)  # several batches of whole corridors
    from_file, from_frame = file_and_frame_tables(synthetic, tmp_path / "lines.parquet")
    assert len(from_frame[1]) > 100 and len(from_frame[2]) == 1  # crossings, and the outside warning
    assert_same(from_frame, from_file)


def test_a_geoparquet_path_of_the_bundled_corridors(tmp_path):
    """The bundled corridors (modes, gauges, branches, a sea leg) from a file: the tables of the frame."""
    from_file, from_frame = file_and_frame_tables(corridors.load_all(), tmp_path / "bundled.parquet")
    assert set(from_frame[0]["iso3"]) >= {"CHN", "KGZ", "UZB", "KAZ", "AZE", "GEO", "TUR"}
    assert_same(from_frame, from_file)


def test_a_geoparquet_path_is_read_once_for_both_tables(tmp_path, synthetic):
    path = tmp_path / "lines.parquet"
    synthetic.to_parquet(path)
    seen: list[int] = []

    def record(items):
        items = list(items)
        seen.append(len(items))
        return iter(items)

    analysis.clear_cache()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corridors.lengths_by_country(path, progress=record)
        corridors.border_crossings(str(path), progress=record)  # the same file, named as a str
        assert len(seen) == 1 and seen[0] >= 1
        synthetic.iloc[:100].to_parquet(path)  # the file changes: analysed again
        assert len(corridors.border_crossings(path, progress=record)) < 100
    assert len(seen) == 2
    analysis.clear_cache()


@pytest.mark.parametrize("executor", ["processes", "threads"])
def test_a_bad_row_in_a_geoparquet_path_is_named_with_the_file(monkeypatch, synthetic, tmp_path, executor):
    monkeypatch.setattr(batches, "EXECUTOR", executor)
    monkeypatch.setattr(batches, "STEP_VERTICES", 20_000)
    lines = synthetic.copy()
    lines.loc[2500, "geometry"] = shapely.LineString([(70, 40), (200, 41)])  # longitude past 180
    path = tmp_path / "bad.parquet"
    lines.to_parquet(path)
    analysis.clear_cache()
    with pytest.raises(corridors.errors.DataError) as err:
        corridors.lengths_by_country(path)
    assert err.value.path == str(path) and err.value.feature == "2500"
    assert "out of range" in str(err.value) and "bad.parquet" in str(err.value)
    # not GeoParquet, no corridor_id
    (tmp_path / "lines.geojson").write_text("{}")
    with pytest.raises(corridors.errors.DataError, match="only GeoParquet"):
        corridors.lengths_by_country(tmp_path / "lines.geojson")
    lines.drop(columns="corridor_id").to_parquet(tmp_path / "noid.parquet")
    with pytest.raises(corridors.errors.DataError, match="no 'corridor_id'"):
        corridors.border_crossings(tmp_path / "noid.parquet")
    with pytest.raises(corridors.errors.DataError, match="cannot read"):
        corridors.border_crossings(tmp_path / "missing.parquet")


@pytest.mark.slow
def test_gem_subset_from_a_geoparquet_path(monkeypatch, gem_sample, tmp_path):
    monkeypatch.setattr(batches, "STEP_VERTICES", 30_000)
    lines = gem_sample(10)
    lines = lines[[c for c in lines.columns if c in ("corridor_id", "branch", "mode", "status", "geometry")]]
    from_file, from_frame = file_and_frame_tables(lines, tmp_path / "gem.parquet")
    assert len(from_frame[1]) > 20
    assert_same(from_frame, from_file)


def test_geoparquet_as_other_tools_write_it(tmp_path):
    """GeoParquet without GeoArrow field metadata and without a CRS (as GDAL and DuckDB write
    it: OGC:CRS84 by the specification), in a projected CRS, and in the native GeoArrow
    encoding: the tables of the same lines as a GeoDataFrame."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    lines = corridors.load_all()[["corridor_id", "branch", "mode", "geometry"]]
    analysis.clear_cache()
    expected = (corridors.lengths_by_country(lines), corridors.border_crossings(lines))
    plain = pa.table({"corridor_id": lines["corridor_id"].to_numpy(dtype=object).astype(str),
                      "branch": lines["branch"].to_numpy(dtype=object),
                      "mode": lines["mode"].to_numpy(dtype=object),
                      "geom": shapely.to_wkb(lines.geometry.values)})
    geo = {"version": "1.1.0", "primary_column": "geom",
           "columns": {"geom": {"encoding": "WKB", "geometry_types": ["LineString"]}}}
    pq.write_table(plain.replace_schema_metadata({"geo": json.dumps(geo)}), tmp_path / "plain.parquet")
    lines.to_crs(3857).to_parquet(tmp_path / "mercator.parquet")
    lines.to_parquet(tmp_path / "native.parquet", geometry_encoding="geoarrow")
    for name in ("plain", "mercator", "native"):
        analysis.clear_cache()
        got = (corridors.lengths_by_country(tmp_path / f"{name}.parquet"),
               corridors.border_crossings(tmp_path / f"{name}.parquet"))
        pd.testing.assert_frame_equal(got[0], expected[0], check_exact=False, rtol=1e-9, atol=1e-9)
        pd.testing.assert_frame_equal(got[1].drop(columns="geometry"), expected[1].drop(columns="geometry"),
                                      check_exact=False, rtol=1e-9, atol=1e-9)
    analysis.clear_cache()
