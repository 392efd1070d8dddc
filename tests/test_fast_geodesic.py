"""The fast short-segment geodesic against GeographicLib (``pyproj.Geod``) and a meridian-arc series.

The bound under test is the one stated in :func:`corridors.geodesy.short_geodesic_m` and the
README: at most 0.1 mm per km of segment (plus 10 nm of round-off), at latitudes up to 89.9
degrees, every azimuth, every length up to :data:`corridors.geodesy.SHORT_M`.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod
from test_geodesy import meridian_arc_m

from corridors.geodesy import SHORT_ABS_ERROR, SHORT_M, SHORT_REL_ERROR, geodesic_length_m, segments, short_geodesic_m

GEOD = Geod(ellps="WGS84")


def bound(s: np.ndarray) -> np.ndarray:
    return SHORT_REL_ERROR * s + SHORT_ABS_ERROR


def check(lon0, lat0, az, dist) -> np.ndarray:
    """Error of the fast formula against Geod.inv for the geodesics (start, azimuth, distance); returns err / bound."""
    lon0, lat0, az, dist = (np.asarray(a, float).ravel() for a in np.broadcast_arrays(lon0, lat0, az, dist))
    lon1, lat1, _ = GEOD.fwd(lon0, lat0, az, dist)
    ref = np.asarray(GEOD.inv(lon0, lat0, lon1, lat1)[2])
    got = short_geodesic_m(lon0, lat0, lon1, lat1)
    return np.abs(got - ref) / bound(ref)


def test_constants_are_the_issue_bound() -> None:
    assert SHORT_REL_ERROR == 1e-7  # 0.1 mm per km
    assert SHORT_ABS_ERROR <= 1e-8


def test_dense_sweep_latitude_azimuth_length() -> None:
    # every 0.5 degree of latitude up to +/-89.9, every 5 degrees of azimuth, lengths from 1 mm
    # to the limit (log-spaced, the limit itself included)
    lat = np.r_[np.arange(-89.5, 90.0, 0.5), -89.9, 89.9, -89.75, 89.75]
    az = np.arange(-180.0, 180.0, 5.0)
    dist = np.r_[np.geomspace(1e-3, SHORT_M, 40), SHORT_M]
    la, a, d = np.meshgrid(lat, az, dist, indexing="ij")
    lon = np.resize(np.array([0.0, 37.3, -120.7, 179.999]), la.shape)  # across the antimeridian too
    ratio = check(lon, la, a, d)
    assert ratio.max() <= 1.0, ratio.max()
    # and the bound is not loose by orders of magnitude: the formula is not exact
    assert ratio.max() > 0.01


def test_sweep_near_poles_and_across_the_antimeridian() -> None:
    lat = np.r_[np.linspace(89.0, 89.9, 10), -np.linspace(89.0, 89.9, 10)]
    az = np.arange(0.0, 360.0, 1.0)
    dist = np.geomspace(1.0, SHORT_M, 12)
    la, a, d = np.meshgrid(lat, az, dist, indexing="ij")
    assert check(179.99, la, a, d).max() <= 1.0
    assert check(-180.0, la, a, d).max() <= 1.0


@given(
    lon=st.floats(-180.0, 180.0),
    lat=st.floats(-89.9, 89.9),
    az=st.floats(-180.0, 180.0),
    dist=st.floats(0.0, SHORT_M),
)
def test_random_geodesics_within_bound(lon: float, lat: float, az: float, dist: float) -> None:
    assert check(lon, lat, az, dist)[0] <= 1.0


def test_meridian_arcs_against_helmert_series() -> None:
    # independent of GeographicLib: short arcs along a meridian, from the series in test_geodesy
    for lat in (0.0, 10.0, 45.0, 71.3, 89.4):
        for km in (0.001, 1.0, 5.0, 49.0):
            dlat = km * 1000.0 / 111_000.0  # approximately km long
            expected = meridian_arc_m(lat + dlat) - meridian_arc_m(lat)
            got = float(short_geodesic_m(25.0, lat, 25.0, lat + dlat))
            assert abs(got - expected) <= 1e-7 * expected + 1e-6  # the series itself is good to ~1 um


def test_engine_lengths_use_it_and_stay_within_bound() -> None:
    # a line of short and long segments: per-segment lengths match Geod.inv within the bound,
    # the long ones (beyond SHORT_M) exactly
    coords = np.array([(60.0, 40.0), (60.01, 40.02), (60.3, 40.2), (61.5, 41.0), (65.0, 43.0), (65.0, 43.000001)])
    line = shapely.LineString(coords)
    seg = segments([line])
    ref = np.asarray(GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])[2])
    assert np.all(np.abs(seg.length_m - ref) <= bound(ref))
    long = ref > SHORT_M
    assert long.sum() == 2 and np.array_equal(seg.length_m[long], ref[long])
    assert geodesic_length_m([line])[0] == pytest.approx(ref.sum(), abs=bound(ref).sum())


def test_threaded_halves_equal_one_pass() -> None:
    rng = np.random.default_rng(3)
    n = 500_001  # above the threading threshold, odd
    lon0, lat0 = rng.uniform(-180, 180, n), rng.uniform(-89.9, 89.9, n)
    lon1, lat1 = lon0 + rng.uniform(-0.05, 0.05, n), np.clip(lat0 + rng.uniform(-0.05, 0.05, n), -90, 90)
    from corridors.geodesy import _chord_arc

    assert np.array_equal(short_geodesic_m(lon0, lat0, lon1, lat1), _chord_arc(lon0, lat0, lon1, lat1))


def test_bundled_tables_change_by_no_more_than_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # the same tables with every segment measured by Geod.inv (SHORT_M = 0: the engine before
    # the fast formula) and with the fast formula: same rows, lengths within the bound
    import corridors
    from corridors import analysis, geodesy

    lines = corridors.load_all()
    tables = []
    for short in (0.0, SHORT_M):
        monkeypatch.setattr(geodesy, "SHORT_M", short)
        analysis.clear_cache()
        tables.append((corridors.lengths_by_country(lines), corridors.border_crossings(lines)))
    (a, ca), (b, cb) = tables
    assert a[["corridor_id", "iso3"]].equals(b[["corridor_id", "iso3"]])
    assert not np.array_equal(a["length_km"], b["length_km"])  # the two paths did differ
    total_m = a.groupby("corridor_id")["length_km"].transform("sum").to_numpy() * 1000.0
    vertices = int(shapely.get_num_coordinates(lines.geometry.values).sum())
    allowed_km = (SHORT_REL_ERROR * total_m + SHORT_ABS_ERROR * vertices) / 1000.0
    assert np.all(np.abs(a["length_km"].to_numpy() - b["length_km"].to_numpy()) <= allowed_km)
    assert ca[["corridor_id", "from_iso3", "to_iso3"]].equals(cb[["corridor_id", "from_iso3", "to_iso3"]])
    assert np.abs(ca["km"].to_numpy() - cb["km"].to_numpy()).max() <= allowed_km.max()
