"""The dask backend gives the in-memory tables: same rows, lengths to 1e-9 relative.

Fast tests run on dask's threaded scheduler with three toy countries; the ``slow`` ones
start a two-process ``distributed.LocalCluster`` and use the bundled borders on a quarter
of the GEM pipeline corpus (``../shared/data``) when it is present.
"""

from __future__ import annotations

import itertools
import tarfile
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

import corridors
from corridors.errors import OutsideCountriesWarning

dask_geopandas = pytest.importorskip("dask_geopandas")

GEM = Path(__file__).resolve().parents[2] / "shared" / "data" / "gem-pipeline-routes.tar.gz"
WGS84 = Geod(ellps="WGS84")


def toy_borders() -> gpd.GeoDataFrame:
    """Three countries: AAA (lon 0-2, lat 0-2), BBB (lon 2-4, lat 0-2), CCC (lon 0-4, lat 2-4)."""
    return gpd.GeoDataFrame(
        {"iso3": ["AAA", "BBB", "CCC"], "name": ["Aland", "Bland", "Cland"]},
        geometry=[shapely.box(0, 0, 2, 2), shapely.box(2, 0, 4, 2), shapely.box(0, 2, 4, 4)],
        crs="EPSG:4326",
    )


def synthetic_lines(n_corridors: int = 40, seed: int = 6) -> gpd.GeoDataFrame:
    """Random-walk corridors over the toy countries (some leave them), cut into chained
    segments, some reversed, with branches, rows shuffled so corridors are interleaved."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_corridors):
        for b, branch in enumerate(["main", "spur"][: 1 + c % 2]):
            n = int(rng.integers(6, 30))
            start = rng.uniform(0.2, 3.8, 2) if b == 0 else rows[-1][3].coords[0]
            steps = rng.normal(0, 0.25, (n, 2))
            pts = np.vstack([start, start + np.cumsum(steps, axis=0)])
            pts = np.clip(pts, -0.5, 4.6)
            cuts = np.unique(np.r_[0, np.sort(rng.choice(np.arange(1, n), size=min(4, n - 1), replace=False)), n])
            for k, (i, j) in enumerate(itertools.pairwise(cuts)):
                seg = shapely.LineString(pts[i : j + 1])
                if rng.random() < 0.3:
                    seg = shapely.reverse(seg)
                rows.append((f"c{c:02d}", f"c{c:02d}/{branch}/{k}", branch, seg))
    gdf = gpd.GeoDataFrame(rows, columns=["corridor_id", "segment_id", "branch", "geometry"],
                           geometry="geometry", crs="EPSG:4326")
    return gdf.iloc[rng.permutation(len(gdf))].reset_index(drop=True)


def meridian_line() -> gpd.GeoDataFrame:
    """One line along the meridian 1 deg E from lat 1 to lat 3 (AAA -> CCC at lat 2)."""
    return gpd.GeoDataFrame({"corridor_id": ["m"], "branch": ["main"]},
                            geometry=[shapely.LineString([(1, 1), (1, 3)])], crs="EPSG:4326")


def no_places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [], "kind": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))


def assert_lengths_equal(memory: pd.DataFrame, dask: pd.DataFrame) -> None:
    """Same rows in the same order; lengths and shares to 1e-9 relative."""
    pd.testing.assert_frame_equal(dask, memory, check_exact=False, rtol=1e-9, atol=0)


@pytest.fixture(scope="module")
def toy_index():
    from corridors.border_index import border_index

    return border_index(toy_borders())


def test_meridian_by_hand(toy_index):
    # expected: GeographicLib meridian arcs, 1-2 deg N and 2-3 deg N (about 110.6 km each);
    # the overlay cuts 5 km chords linearly, good to a millimetre (1e-8 relative)
    a = WGS84.inv(1, 1, 1, 2)[2] / 1000
    c = WGS84.inv(1, 2, 1, 3)[2] / 1000
    ddf = dask_geopandas.from_geopandas(meridian_line(), npartitions=1)
    got = corridors.lengths_by_country(ddf, toy_index)
    assert type(got) is pd.DataFrame
    assert got["iso3"].tolist() == ["AAA", "CCC"]
    np.testing.assert_allclose(got["length_km"], [a, c], rtol=1e-8)
    np.testing.assert_allclose(got["share"], [a / (a + c), c / (a + c)], rtol=1e-8)
    cross = corridors.border_crossings(ddf, toy_index, places=no_places())
    assert type(cross) is gpd.GeoDataFrame
    assert cross[["from_iso3", "to_iso3", "seq"]].values.tolist() == [["AAA", "CCC", 1]]
    np.testing.assert_allclose(cross["km"], [a], rtol=1e-8)
    assert cross.geometry.iloc[0].equals_exact(shapely.Point(1, 2), 1e-9)


@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_synthetic_matches_in_memory(toy_index, npartitions):
    lines = synthetic_lines()
    ddf = dask_geopandas.from_geopandas(lines, npartitions=npartitions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountriesWarning)
        memory = corridors.lengths_by_country(lines, toy_index)
        dask = corridors.lengths_by_country(ddf, toy_index)
    # every corridor is spread over the partitions, yet rows and their order are the same
    assert_lengths_equal(memory, dask)
    assert set(memory["iso3"]) == {"AAA", "BBB", "CCC", ""}  # the set really crosses borders and leaves them
    np.testing.assert_allclose(dask.groupby("corridor_id")["share"].sum(), 1.0, rtol=1e-12)
    cross_memory = corridors.border_crossings(lines, toy_index, places=no_places())
    cross_dask = corridors.border_crossings(ddf, toy_index, places=no_places())
    assert len(cross_memory) > 40
    pd.testing.assert_frame_equal(cross_dask, cross_memory, check_exact=False, rtol=1e-9, atol=0)


def test_whole_corridors_keep_route_order(toy_index):
    # rows sorted by corridor, partitions cut at corridor boundaries: identical order too
    lines = synthetic_lines().sort_values("corridor_id", kind="stable").reset_index(drop=True)
    pdf_parts = [g for _, g in lines.groupby("corridor_id", sort=False)]
    ddf = dask_geopandas.from_geopandas(lines, npartitions=1).repartition(
        divisions=[0, *np.cumsum([len(p) for p in pdf_parts])[9::10].tolist()[:-1], len(lines) - 1])
    assert ddf.npartitions == 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountriesWarning)
        memory = corridors.lengths_by_country(lines, toy_index)
        dask = corridors.lengths_by_country(ddf, toy_index)
    assert_lengths_equal(memory, dask)


def test_outside_warning_reaches_the_caller(toy_index):
    far = gpd.GeoDataFrame({"corridor_id": ["far"]}, geometry=[shapely.LineString([(10, 10), (11, 10)])],
                           crs="EPSG:4326")
    ddf = dask_geopandas.from_geopandas(pd.concat([meridian_line(), far], ignore_index=True), npartitions=2)
    with pytest.warns(OutsideCountriesWarning, match="far"):
        got = corridors.lengths_by_country(ddf, toy_index)
    assert got.loc[got["corridor_id"] == "far", "country"].tolist() == ["at sea"]


def test_empty_frame_gives_empty_tables(toy_index):
    empty = meridian_line().iloc[0:0]
    ddf = dask_geopandas.from_geopandas(empty, npartitions=1)
    got = corridors.lengths_by_country(ddf, toy_index)
    assert len(got) == 0
    assert list(got.columns) == ["corridor_id", "iso3", "country", "length_km", "share"]
    assert len(corridors.border_crossings(ddf, toy_index, places=no_places())) == 0


def _installed_id(token: str) -> int:
    from corridors.distributed import _INSTALLED

    return id(_INSTALLED[token]) if token in _INSTALLED else 0


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.mark.slow
def test_local_cluster_synthetic_and_index_sent_once(client, toy_index):
    from corridors import distributed as backend

    lines = synthetic_lines(n_corridors=120, seed=11)
    ddf = dask_geopandas.from_geopandas(lines, npartitions=6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountriesWarning)
        memory = corridors.lengths_by_country(lines, toy_index)
        dask = corridors.lengths_by_country(ddf, toy_index)
        token = backend._BROADCAST[0][2]
        # the index is installed on both workers, and a second call uses the same objects
        before = client.run(_installed_id, token)
        assert len(before) == 2 and all(before.values())
        corridors.lengths_by_country(ddf, toy_index)
        assert backend._BROADCAST[0][2] == token
        assert client.run(_installed_id, token) == before
    assert_lengths_equal(memory, dask)
    cross_memory = corridors.border_crossings(lines, toy_index, places=no_places())
    cross_dask = corridors.border_crossings(ddf, toy_index, places=no_places())
    pd.testing.assert_frame_equal(cross_dask, cross_memory, check_exact=False, rtol=1e-9, atol=0)


@pytest.fixture(scope="module")
def gem_subset(tmp_path_factory):
    if not GEM.exists():
        pytest.skip("GEM corpus not present")
    root = tmp_path_factory.mktemp("gem")
    with tarfile.open(GEM) as tar:  # in archive order: a gzip stream cannot seek back cheaply
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".geojson")]
        tar.extractall(root, members=members[::4], filter="data")  # about 1,700 of 6,770 files
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf = corridors.read(root, on_error="skip")
    gdf.attrs = {}
    return gdf[["corridor_id", "segment_id", "branch", "geometry"]]


@pytest.mark.slow
def test_local_cluster_gem_matches_in_memory(client, gem_subset):
    lines = gem_subset
    assert len(lines) > 1000
    ddf = dask_geopandas.from_geopandas(lines, npartitions=8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountriesWarning)
        memory = corridors.lengths_by_country(lines)
        dask = corridors.lengths_by_country(ddf)
    assert memory["corridor_id"].nunique() > 1000
    assert_lengths_equal(memory, dask)
    np.testing.assert_allclose(dask["length_km"].sum(), memory["length_km"].sum(), rtol=1e-9)
    cross_memory = corridors.border_crossings(lines)
    cross_dask = corridors.border_crossings(ddf)
    assert len(cross_memory) > 50
    pd.testing.assert_frame_equal(cross_dask, cross_memory, check_exact=False, rtol=1e-9, atol=0)


@pytest.mark.parametrize("edges", ["geodesic", "planar"])
def test_edges_on_dask_as_in_memory_and_by_hand(edges):
    """A 2,770 km segment from (1 E, 49 N) to (39 E, 49 N), a degree south of a border on the
    parallel 50 N: its geodesic bulges north to about 50.6 N, into the other country; read
    straight in lon/lat it stays on 49 N. Expected values by GeographicLib: the geodesic walked
    in 100,000 steps (about 28 m each) and the steps north of 50 N counted."""
    borders = gpd.GeoDataFrame({"iso3": ["AAA", "BBB"], "name": ["South", "North"]},
                               geometry=[shapely.box(0, 40, 40, 50), shapely.box(0, 50, 40, 60)], crs="EPSG:4326")
    from corridors.border_index import border_index

    index = border_index(borders)
    line = gpd.GeoDataFrame({"corridor_id": ["long", "short"]},
                            geometry=[shapely.LineString([(1, 49), (39, 49)]), shapely.LineString([(5, 45), (5, 55)])],
                            crs="EPSG:4326")
    total = WGS84.inv(1, 49, 39, 49)[2] / 1000
    pts = np.array(WGS84.npts(1, 49, 39, 49, 99_999))
    ends = np.r_[False, pts[:, 1] > 50.0, False].astype(float)  # the two end points lie at 49 N
    # each of the 100,000 equal steps counts in the north when both its ends are there, half when one is
    north_km = total / 100_000 * float(np.sum((ends[1:] + ends[:-1]) / 2))
    ddf = dask_geopandas.from_geopandas(line, npartitions=2)
    memory = corridors.lengths_by_country(line, index, edges=edges)
    dask = corridors.lengths_by_country(ddf, index, edges=edges)
    assert_lengths_equal(memory, dask)
    got = dask[dask["corridor_id"] == "long"].set_index("iso3")["length_km"]
    if edges == "geodesic":
        assert north_km > 700  # the bulge really reaches far into the north
        assert got["BBB"] == pytest.approx(north_km, abs=0.05)
        assert got["AAA"] == pytest.approx(total - north_km, abs=0.05)
    else:
        assert got.to_dict() == {"AAA": pytest.approx(total, rel=1e-7)}
    cross_memory = corridors.border_crossings(line, index, places=no_places(), edges=edges)
    cross_dask = corridors.border_crossings(ddf, index, places=no_places(), edges=edges)
    pd.testing.assert_frame_equal(cross_dask, cross_memory, check_exact=False, rtol=1e-9, atol=0)
    long = cross_dask[cross_dask["corridor_id"] == "long"]
    assert long[["from_iso3", "to_iso3"]].values.tolist() == ([["AAA", "BBB"], ["BBB", "AAA"]] if edges == "geodesic" else [])
    # the meridian segment crosses at 50 N either way (a meridian is a geodesic and straight in lon/lat)
    short = cross_dask[cross_dask["corridor_id"] == "short"]
    assert short["km"].tolist() == pytest.approx([WGS84.inv(5, 45, 5, 50)[2] / 1000], rel=1e-7)
