"""Data checks for the Trans-Caspian route and the Dushanbe–Kulma highway (issue #2).

Everything here is computed independently of the analysis engine: countries by plain
point-in-polygon on the bundled borders, lengths by ``pyproj.Geod`` per feature.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

import corridors

GEOD = Geod(ellps="WGS84")
#: Densification step for point-in-polygon walks, degrees (about 0.5 km).
STEP_DEG = 0.005
#: The published Kulma pass coordinate (Wikipedia, "Kulma Pass"), lon/lat.
KULMA = (74.8014, 38.1494)


@pytest.fixture(scope="module")
def borders():
    return corridors.borders().set_index("iso3")


@pytest.fixture(scope="module")
def tcr():
    return corridors.load("trans-caspian")


@pytest.fixture(scope="module")
def dk():
    return corridors.load("dushanbe-kulma")


def _walk(geom: shapely.LineString) -> np.ndarray:
    """Points every ~0.5 km along a line (shapely points)."""
    return shapely.points(shapely.get_coordinates(shapely.segmentize(geom, STEP_DEG)))


def _owner(points: np.ndarray, borders) -> np.ndarray:
    """ISO3 of the country containing each point, '' outside every country."""
    out = np.full(len(points), "", dtype=object)
    box = shapely.box(*shapely.total_bounds(points))
    near = borders.geometry[shapely.intersects(borders.geometry.values, box)]
    for iso, geom in near.items():
        out[shapely.contains(geom, points)] = iso
    return out


def _km(gdf) -> float:
    return sum(GEOD.geometry_length(g) for g in gdf.geometry) / 1000


def _stated(gdf, note_start: str) -> float:
    hits = [f["value"] for f in gdf.attrs["corridor"]["stated_lengths"] if f["note"].startswith(note_start)]
    assert len(hits) == 1, note_start
    return hits[0]


def test_dushanbe_kulma_stays_in_tajikistan_until_the_kulma_pass(dk, borders):
    ordered = dk.set_index("segment_id")
    pts = np.concatenate([_walk(g) for g in ordered.geometry])
    owner = _owner(pts, borders)
    assert set(owner) == {"TJK", "CHN"}
    first_out = int(np.argmax(owner != "TJK"))
    assert first_out > 0 and (owner[:first_out] == "TJK").all()
    assert (owner[first_out:] == "CHN").all()  # once in China it stays there (Karasu)
    x, y = shapely.get_coordinates(pts[first_out])[0]
    _, _, metres = GEOD.inv(x, y, *KULMA)
    assert metres < 5000  # leaves Tajikistan only at the pass


def test_panj_reaches_keep_to_the_tajik_bank(dk, borders):
    """Along the Panj the road is on the right bank: every point inside TJK, none in AFG."""
    afg, tjk = borders.geometry["AFG"], borders.geometry["TJK"]
    panj = dk[dk["segment_id"].isin([
        "dushanbe-kulma/kulob-kalaikhumb", "dushanbe-kulma/kalaikhumb-rushan-line",
        "dushanbe-kulma/rushan-line-khorog"])]
    assert len(panj) == 3
    for geom in panj.geometry:
        pts = _walk(geom)
        assert shapely.contains(tjk, pts).all()
        assert not shapely.intersects(afg, pts).any()
    # and it really runs along the river: most Panj vertices within 2 km of the AFG boundary
    seg = panj.set_index("segment_id").geometry["dushanbe-kulma/rushan-line-khorog"]
    d_km = shapely.distance(afg.boundary, shapely.points(shapely.get_coordinates(seg))) * 111.0
    assert np.median(d_km) < 2.0


def test_trans_caspian_main_line_country_sequence(tcr, borders):
    main = tcr[tcr["branch"] == "main"]  # in route order, as bundled
    pts = np.concatenate([_walk(g) for g in main.geometry])
    owner = _owner(pts, borders)
    runs = [o for i, o in enumerate(owner) if i == 0 or o != owner[i - 1]]
    # the Caspian (outside every country) and the Baikonur lease (XBK) are not countries on the route
    seq = [o for o in runs if o not in ("", "XBK")]
    seq = [o for i, o in enumerate(seq) if i == 0 or o != seq[i - 1]]
    assert seq == ["CHN", "KAZ", "AZE", "GEO", "TUR", "BGR"]  # into the EU at Kapıkule–Svilengrad (issue 13)


@pytest.mark.parametrize("slug", ["aktau-alat", "kuryk-alat", "turkmenbashi-alat"])
def test_sea_legs_stay_at_sea(tcr, borders, slug):
    geom = tcr.set_index("segment_id").geometry[f"trans-caspian/{slug}"]
    pts = _walk(geom)
    owner = _owner(pts, borders)
    xy = shapely.get_coordinates(pts)
    start, end = xy[0], xy[-1]
    _, _, from_start = GEOD.inv(np.full(len(xy), start[0]), np.full(len(xy), start[1]), xy[:, 0], xy[:, 1])
    _, _, from_end = GEOD.inv(np.full(len(xy), end[0]), np.full(len(xy), end[1]), xy[:, 0], xy[:, 1])
    offshore = (from_start > 2000) & (from_end > 2000)  # ports sit on the coast
    assert offshore.sum() > 100
    assert (owner[offshore] == "").all()


def test_branches_chain_and_attach(tcr):
    ends = {}
    for branch, part in tcr.groupby("branch", sort=False):
        coords = [shapely.get_coordinates(g) for g in part.geometry]
        for a, b in zip(coords, coords[1:]):
            assert tuple(a[-1]) == tuple(b[0])
        ends[branch] = (tuple(coords[0][0]), tuple(coords[-1][-1]))
    assert set(ends) == {"main", "dostyk", "kuryk", "turkmenbashi", "poti", "batumi"}
    for branch, (start, end) in ends.items():
        if branch == "main":
            continue
        others = {tuple(p) for g in tcr.loc[tcr["branch"] != branch, "geometry"] for p in shapely.get_coordinates(g)}
        assert start in others or end in others, branch


def test_gauge_follows_the_country(tcr, borders):
    expected = {"CHN": 1435, "TUR": 1435, "BGR": 1435, "KAZ": 1520, "AZE": 1520, "GEO": 1520}
    # cross-border pieces and the BTK standard-gauge line start where the 1,435 mm track starts
    standard_from_break = {"trans-caspian/khorgos-altynkol", "trans-caspian/alashankou-dostyk",
                           "trans-caspian/akhalkalaki-kars"}
    rail = tcr[tcr["mode"] == "rail"]
    for seg, geom, gauge in zip(rail["segment_id"], rail.geometry, rail["gauge_mm"]):
        if seg in standard_from_break:
            assert gauge == 1435, seg
            continue
        mid = shapely.line_interpolate_point(geom, 0.5, normalized=True)
        iso = _owner(np.array([mid]), borders)[0]
        assert gauge == expected[iso], (seg, iso, gauge)
    assert tcr.loc[tcr["mode"] == "sea", "gauge_mm"].isna().all()


def test_btk_section_length_matches_the_stated_figure(tcr):
    """Alat – Kars drawn vs the 826 km Baku–Kars BTK length less the 65 km Baku–Alat."""
    ids = ["alat-boyuk-kesik", "gardabani-tbilisi", "tbilisi-akhalkalaki", "akhalkalaki-kars"]
    part = tcr[tcr["segment_id"].isin([f"trans-caspian/{s}" for s in ids])]
    stated = _stated(tcr, "Baku–Tbilisi–Kars railway section, Baku to Kars") - _stated(tcr, "Baku to the Alat port site")
    assert stated == 761
    assert abs(_km(part) - stated) / stated <= 0.10


def test_zhetygen_altynkol_length_matches_the_stated_figure(tcr):
    part = tcr[tcr["segment_id"] == "trans-caspian/altynkol-zhetygen"]
    stated = _stated(tcr, "Zhetygen–Altynkol line section")
    assert stated == 293
    assert abs(_km(part) - stated) / stated <= 0.10


def test_caspian_ferry_length_matches_the_stated_sea_distance(tcr):
    part = tcr[tcr["segment_id"] == "trans-caspian/aktau-alat"]
    stated = _stated(tcr, "sea (Caspian ferry) part of the route")
    assert abs(_km(part) - stated) / stated <= 0.10


def test_kalaikhumb_rushan_section_between_published_lengths(dk):
    """109 km before rehabilitation, 92 km after; the drawn river-bank line lies in that range (±10%)."""
    part = dk[dk["segment_id"] == "dushanbe-kulma/kalaikhumb-rushan-line"]
    km = _km(part)
    before = _stated(dk, "Kalaikhumb – Vanj – Rushan district line section, before")
    after = _stated(dk, "Kalaikhumb – Vanj – Rushan district line section, after")
    assert (before, after) == (109, 92)
    assert 0.9 * after <= km <= 1.1 * before
    assert (part["status"] == "construction").all()


def test_places_sit_on_their_lines(tcr, dk):
    pl = corridors.places()
    off_route = {"baku", "vanj"}  # described as off the line (city; district centre up the valley)
    for cid, gdf in (("trans-caspian", tcr), ("dushanbe-kulma", dk)):
        line = shapely.union_all(gdf.geometry.values)
        mine = pl[pl["corridor_ids"].str.split("; ").apply(lambda ids: cid in ids)]  # noqa: B023 (used at once)
        assert len(mine) >= 15
        for pid, geom, acc in zip(mine["place_id"], mine.geometry, mine["accuracy_km"]):
            if pid in off_route:
                continue
            near = shapely.ops.nearest_points(line, geom)[0]
            _, _, metres = GEOD.inv(near.x, near.y, geom.x, geom.y)
            assert metres / 1000 <= acc + 1.0, (pid, metres)
