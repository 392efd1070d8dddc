"""The border index: the shipped derived file is current and equals a fresh build."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import corridors
from corridors.border_index import border_index
from corridors.catalog import (
    DERIVED_PATH,
    INDEX_BUILD,
    bundled_index,
    geodata_dir,
    index_source_digest,
    load_index,
    save_index,
)


def test_shipped_index_matches_the_bundled_borders() -> None:
    source = index_source_digest(geodata_dir() / "borders" / "countries.parquet")
    shipped = load_index(geodata_dir() / DERIVED_PATH, source)
    assert shipped is not None, "geodata/derived/border_index.npz is stale: run scripts/build_border_index.py"
    assert shipped.cell_deg == INDEX_BUILD["cell_deg"]
    assert not (shipped._cell_region == -3).any()  # every clean cell resolved
    # a stale digest is refused
    assert load_index(geodata_dir() / DERIVED_PATH, "0" * 64) is None


def test_bundled_index_loads_without_the_borders() -> None:
    """The shipped file holds all the index needs: loading it does not read the borders layer."""
    from corridors import catalog

    catalog.bundled_index.cache_clear()
    catalog._borders_cached.cache_clear()
    index = bundled_index()
    assert catalog._borders_cached.cache_info().currsize == 0
    assert index._cell_region.dtype == np.int16
    # the chunks are the borders' rings: every chunk vertex lies on a country's boundary
    some = index.chunks[:: max(1, len(index.chunks) // 200)]
    borders = corridors.borders()
    near = shapely.STRtree(shapely.boundary(borders.geometry.values)).query(
        shapely.points(shapely.get_coordinates(some)), predicate="dwithin", distance=1e-9)[0]
    assert len(np.unique(near)) == len(shapely.get_coordinates(some))


def test_index_locates_known_places() -> None:
    index = bundled_index()
    iso3, name = index.label(index.locate([74.6, 69.24, 50.0, 0.0], [42.87, 41.31, 42.0, 0.0]))
    assert list(iso3) == ["KGZ", "UZB", "", ""]  # Bishkek, Tashkent, the Caspian, the Gulf of Guinea
    assert list(name[2:]) == ["Caspian Sea", "at sea"]


def test_grid_look_up_gives_what_point_in_polygon_gives() -> None:
    index = bundled_index()
    rng = np.random.default_rng(7)
    x, y = rng.uniform(-180, 180, 200_000), rng.uniform(-90, 90, 200_000)
    # and points on the Central Asian borders, where most cells are mixed, and off the grid
    bx, by = rng.uniform(66, 80, 50_000), rng.uniform(36, 44, 50_000)
    x = np.r_[x, bx, np.nan, 181.0, -180.5, 0.0]
    y = np.r_[y, by, 0.0, 10.0, 0.0, 91.0]
    fast, exact = index.locate(x, y), index._in_pieces(x, y)
    assert np.array_equal(fast, exact)
    assert (fast[-4:] == -1).all()


@pytest.mark.slow
def test_shipped_index_equals_a_fresh_build(tmp_path) -> None:
    fresh = border_index(corridors.borders(), **INDEX_BUILD)
    source = index_source_digest(geodata_dir() / "borders" / "countries.parquet")
    shipped = load_index(geodata_dir() / DERIVED_PATH, source)
    assert list(fresh.iso3) == list(shipped.iso3) and list(fresh.name) == list(shipped.name)
    assert len(fresh.pieces) == len(shipped.pieces)
    assert shapely.equals_exact(fresh.pieces, shipped.pieces, 0.0).all()
    assert (fresh.piece_region == shipped.piece_region).all()
    assert (fresh.mixed == shipped.mixed).all()
    # the boundary chunks come from the file, vertex for vertex as a fresh build cuts them
    assert len(fresh.chunks) == len(shipped.chunks)
    assert shapely.equals_exact(fresh.chunks, shipped.chunks, 0.0).all()
    # lazily resolved grid cells agree with the precomputed ones
    rng = np.random.default_rng(1)
    cells = rng.integers(0, fresh.mixed.size, 20000)
    assert (fresh.cell_region(cells) == shipped.cell_region(cells)).all()
    # a save/load round trip keeps everything
    save_index(fresh, tmp_path / "i.npz", "x")
    again = load_index(tmp_path / "i.npz", "x")
    assert shapely.equals_exact(again.pieces, fresh.pieces, 0.0).all()
    assert (again._cell_region == fresh._cell_region).all()
    assert shapely.equals_exact(again.chunks, fresh.chunks, 0.0).all()


@pytest.mark.parametrize("tol_deg", [0.005, 0.05, 0.25])
def test_near_border_gives_what_the_distance_to_the_boundary_gives(tol_deg: float) -> None:
    # points scattered over Central Asia and points just beside the boundary: the grid may
    # answer "not near" only where the distance to the boundary lines says so too
    index = corridors.catalog.bundled_index()
    rng = np.random.default_rng(16)
    x, y = rng.uniform(40, 90, 20_000), rng.uniform(30, 55, 20_000)
    edge = shapely.get_coordinates(index.chunks[::50])[:5_000]
    bx = edge[:, 0] + rng.uniform(-2, 2, len(edge)) * tol_deg
    by = edge[:, 1] + rng.uniform(-2, 2, len(edge)) * tol_deg
    x, y = np.r_[x, bx], np.r_[y, by]
    # the distance to the nearest boundary chunk, found by the tree alone (no grid)
    pts = shapely.points(x, y)
    (at, chunk), dist = index.chunk_tree.query_nearest(pts, return_distance=True, all_matches=False)
    expected = np.zeros(len(x), bool)
    expected[at] = dist <= tol_deg
    got = index.near_border(x, y, tol_deg)
    assert 500 < expected.sum() < len(x) - 500  # both kinds are there
    assert np.array_equal(got, expected)
