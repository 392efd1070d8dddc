"""Geodesic lengths, densification and antimeridian splitting, against hand-computed values.

The expected meridian arcs come from the series for the WGS84 meridian arc (Helmert's
expansion in the third flattening n), written out here independently of pyproj.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from corridors.geodesy import geodesic_distance_m, geodesic_length_m, segments

A = 6378137.0
F = 1 / 298.257223563


def meridian_arc_m(lat_deg: float) -> float:
    """Distance (m) along a WGS84 meridian from the equator to ``lat_deg`` (Helmert's series)."""
    n = F / (2 - F)
    phi = math.radians(lat_deg)
    return A / (1 + n) * (
        (1 + n**2 / 4 + n**4 / 64) * phi
        - 1.5 * (n - n**3 / 8) * math.sin(2 * phi)
        + 15 / 16 * (n**2 - n**4 / 4) * math.sin(4 * phi)
        - 35 / 48 * n**3 * math.sin(6 * phi)
        + 315 / 512 * n**4 * math.sin(8 * phi)
    )


def test_meridian_arc_series_matches_published_quadrant() -> None:
    # the WGS84 meridian quadrant is 10,001,965.729 m (published figure)
    assert meridian_arc_m(90.0) == pytest.approx(10_001_965.729, abs=0.01)


def test_meridian_length_equals_arc_formula() -> None:
    line = shapely.LineString([(100.0, 40.0), (100.0, 45.0)])
    expected = meridian_arc_m(45.0) - meridian_arc_m(40.0)
    assert geodesic_length_m([line])[0] == pytest.approx(expected, abs=0.01)


def test_one_degree_of_latitude_at_equator() -> None:
    # about 110,574 m: the length of a degree of latitude at the equator on WGS84 (published tables)
    assert float(geodesic_distance_m(0, -0.5, 0, 0.5)) == pytest.approx(110_574.3, abs=0.1)
    assert float(geodesic_distance_m(0, 0, 0, 1)) == pytest.approx(meridian_arc_m(1.0), abs=0.01)


def test_multilinestring_and_3d_and_empty() -> None:
    a = shapely.LineString([(100.0, 40.0, 1200.0), (100.0, 41.0, 3000.0)])
    multi = shapely.MultiLineString([[(100.0, 40.0), (100.0, 41.0)], [(100.0, 43.0), (100.0, 45.0)]])
    got = geodesic_length_m([a, multi, None, shapely.LineString()])
    m = meridian_arc_m
    assert got[0] == pytest.approx(m(41) - m(40), abs=0.01)  # z ignored
    assert got[1] == pytest.approx(m(41) - m(40) + m(45) - m(43), abs=0.01)  # the gap is not counted
    assert got[2] == 0 and got[3] == 0


def test_densify_keeps_length_and_limits_pieces() -> None:
    line = shapely.LineString([(62.3586, 37.3014), (76.046, 39.464)])  # Galkynysh - Kashgar
    whole = geodesic_length_m([line])[0]
    seg = segments([line], max_km=5.0)
    assert seg.length_m.sum() == pytest.approx(whole, rel=1e-12)
    assert seg.length_m.max() <= 5000.0 + 1e-6
    assert len(seg) == math.ceil(whole / 5000.0)
    # pieces chain end to start and every inner point lies on the geodesic: the recomputed
    # lengths of the pieces add up to the whole
    assert np.allclose(seg.x1[:-1], seg.x0[1:]) and np.allclose(seg.y1[:-1], seg.y0[1:])
    again = geodesic_distance_m(seg.x0, seg.y0, seg.x1, seg.y1)
    assert again.sum() == pytest.approx(whole, abs=0.01)
    # the geodesic bulges north of the straight lon/lat chord (northern hemisphere, west to east)
    mid = len(seg) // 2
    chord_lat = 37.3014 + (seg.x0[mid] - 62.3586) / (76.046 - 62.3586) * (39.464 - 37.3014)
    assert seg.y0[mid] > chord_lat + 0.1


def test_antimeridian_split() -> None:
    line = shapely.LineString([(178.0, 67.0), (-178.0, 67.0)])
    whole = geodesic_length_m([line])[0]
    # 4 degrees of longitude at 67 N is about 174 km, not the 356 degrees the long way round
    assert 170_000 < whole < 180_000
    seg = segments([line], max_km=5.0)
    assert seg.length_m.sum() == pytest.approx(whole, rel=1e-12)
    assert (np.abs(seg.x1 - seg.x0) < 1.0).all()
    assert ((seg.x0 == 180.0) | (seg.x1 == 180.0) | (seg.x0 == -180.0) | (seg.x1 == -180.0)).sum() == 2


def test_line_parts_are_the_parts_shapely_gives_without_copying_linestrings() -> None:
    import shapely

    from corridors.geodesy import line_parts

    line = shapely.LineString([(0, 0), (1, 1)])
    geoms = np.array([line, None, shapely.MultiLineString([[(0, 0), (1, 0)], [(2, 2), (3, 3)]]),
                      shapely.from_wkt("MULTILINESTRING EMPTY"), shapely.from_wkt("LINESTRING EMPTY"),
                      shapely.MultiLineString([[(5, 5), (6, 6)]]), shapely.LineString([(9, 9), (8, 8)])], dtype=object)
    parts, row = line_parts(geoms)
    expected, expected_row = shapely.get_parts(geoms, return_index=True)
    assert row.tolist() == expected_row.tolist() == [0, 2, 2, 4, 5, 6]
    assert shapely.to_wkt(parts).tolist() == shapely.to_wkt(expected).tolist()
    assert parts[0] is line  # the LineString itself, not a copy
