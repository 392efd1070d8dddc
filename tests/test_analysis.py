"""The analysis engine against independently worked-out values.

Border positions are read from the bundled borders themselves (a meridian crosses a
polygon edge at a latitude that planar geometry finds exactly, since meridians are
geodesics); distances along meridians come from the meridian arc series in
``test_geodesy``; other distances from GeographicLib (pyproj.Geod) where the thing under
test is the overlay, not the distance.
"""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from test_geodesy import meridian_arc_m as arc

import corridors
from corridors import OutsideCountriesWarning
from corridors.analysis import border_crossings, chain, length_km, lengths_by, lengths_by_country, transfers
from corridors.profiles import profile

GEOD = Geod(ellps="WGS84")


def lines(geoms, **cols) -> gpd.GeoDataFrame:
    n = len(geoms)
    data = {"corridor_id": cols.pop("corridor_id", ["t"] * n), **cols}
    return gpd.GeoDataFrame(data, geometry=list(geoms), crs="EPSG:4326")


@pytest.fixture(scope="module")
def border_lat() -> float:
    """Latitude where the meridian 100 E leaves Mongolia for China, from the borders data."""
    b = corridors.borders().set_index("iso3")
    meridian = shapely.LineString([(100.0, 40.0), (100.0, 45.0)])
    hit = meridian.intersection(b.geometry["MNG"].boundary)
    assert hit.geom_type == "Point"  # one crossing only
    return hit.y


def test_meridian_across_mongolia_china(border_lat: float) -> None:
    gdf = lines([shapely.LineString([(100.0, 45.0), (100.0, 40.0)])])
    table = lengths_by_country(gdf)
    assert table["iso3"].tolist() == ["MNG", "CHN"]
    assert table["length_km"].iloc[0] == pytest.approx((arc(45) - arc(border_lat)) / 1000, abs=1e-3)
    assert table["length_km"].iloc[1] == pytest.approx((arc(border_lat) - arc(40)) / 1000, abs=1e-3)
    crossing = border_crossings(gdf)
    assert len(crossing) == 1
    row = crossing.iloc[0]
    assert (row["from_iso3"], row["to_iso3"], row["seq"]) == ("MNG", "CHN", 1)
    assert row["km"] == pytest.approx((arc(45) - arc(border_lat)) / 1000, abs=1e-3)
    assert row.geometry.x == pytest.approx(100.0) and row.geometry.y == pytest.approx(border_lat, abs=1e-9)


def test_multilinestring_and_3d(border_lat: float) -> None:
    multi = shapely.MultiLineString([[(100.0, 44.0, 1500.0), (100.0, 43.0, 1400.0)],
                                     [(100.0, 42.0, 1300.0), (100.0, 41.0, 1200.0)]])
    table = lengths_by_country(lines([multi]))
    got = dict(zip(table["iso3"], table["length_km"]))
    assert got["MNG"] == pytest.approx((arc(44) - arc(43)) / 1000, abs=1e-3)
    assert got["CHN"] == pytest.approx((arc(42) - arc(41)) / 1000, abs=1e-3)
    assert length_km(lines([multi])).iloc[0] == pytest.approx((arc(44) - arc(43) + arc(42) - arc(41)) / 1000, abs=1e-3)
    # the two parts do not connect: the jump between them is not a crossing
    assert len(border_crossings(lines([multi]))) == 0


def _shared_boundary() -> np.ndarray:
    """A run of vertices of the Mongolia-China border (shared by both polygons)."""
    b = corridors.borders().set_index("iso3")
    shared = shapely.line_merge(shapely.intersection(b.geometry["MNG"].boundary, b.geometry["CHN"].boundary))
    longest = max(shapely.get_parts(shared), key=lambda g: g.length)
    coords = shapely.get_coordinates(longest)
    return coords[len(coords) // 2: len(coords) // 2 + 40]


def test_line_touching_a_border() -> None:
    # from inside Mongolia to a border vertex and back inside: all in Mongolia, no crossing
    v = _shared_boundary()[10]
    b = corridors.borders().set_index("iso3")
    probe = [(v[0] - 0.3, v[1] + 0.5), (v[0] + 0.3, v[1] + 0.5)]
    assert all(b.geometry["MNG"].contains(shapely.Point(p)) for p in probe)
    line = shapely.LineString([probe[0], tuple(v), probe[1]])
    expected = (GEOD.inv(*probe[0], *v)[2] + GEOD.inv(*v, *probe[1])[2]) / 1000
    table = lengths_by_country(lines([line]))
    assert table["iso3"].tolist() == ["MNG"]
    assert table["length_km"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert len(border_crossings(lines([line]))) == 0


def test_line_along_a_border() -> None:
    run = _shared_boundary()
    line = shapely.LineString(run)
    expected = GEOD.line_length(run[:, 0], run[:, 1]) / 1000
    table = lengths_by_country(lines([line]))
    assert table["length_km"].sum() == pytest.approx(expected, rel=1e-9)
    assert set(table["iso3"]) <= {"CHN", "MNG"}
    # a shared edge belongs to one country consistently: no zig-zag of crossings
    assert len(border_crossings(lines([line]))) == 0


def test_antimeridian_in_chukotka() -> None:
    line = shapely.LineString([(178.0, 67.0), (-178.0, 67.0)])
    expected = GEOD.inv(178.0, 67.0, -178.0, 67.0)[2] / 1000
    # by hand: 4 degrees of the 67 N parallel is N(phi) cos(phi) dlon = 174.48 km; the geodesic
    # is a little shorter (not the 356 degrees the long way round)
    e2 = 0.00669437999014
    phi = np.radians(67.0)
    parallel = 6378137.0 / np.sqrt(1 - e2 * np.sin(phi) ** 2) * np.cos(phi) * np.radians(4.0) / 1000
    assert parallel - 0.1 < expected < parallel
    table = lengths_by_country(lines([line]))
    assert table["iso3"].tolist() == ["RUS"]  # Russia on both sides of 180
    assert table["length_km"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert len(border_crossings(lines([line]))) == 0


def test_galkynysh_kashgar_two_point_line_follows_the_geodesic() -> None:
    a, b = (62.3586, 37.3014), (76.046, 39.464)
    gdf = lines([shapely.LineString([a, b])])
    table = lengths_by_country(gdf)
    # independent expectation: sample the geodesic every ~200 m (GeographicLib) and test
    # each sample point against the country polygons
    total = GEOD.inv(*a, *b)[2]
    n = int(total // 200)
    pts = np.array(GEOD.npts(*a, *b, n))
    borders = corridors.borders()
    hit_pt, hit_c = borders.sindex.query(shapely.points(pts), predicate="intersects")
    who = np.full(n, "", dtype=object)
    who[hit_pt] = borders["iso3"].to_numpy()[hit_c]
    order = pd.unique(who[who != ""])
    assert table["iso3"].tolist() == list(order)
    step_km = total / (n + 1) / 1000
    for iso, km in zip(table["iso3"], table["length_km"]):
        assert km == pytest.approx((who == iso).sum() * step_km, abs=2 * step_km + 0.05), iso
    # the straight lon/lat chord (no densification) would give Turkmenistan about 27 km more
    tkm = borders.set_index("iso3").geometry["TKM"]
    chord = shapely.get_coordinates(shapely.LineString([a, b]).intersection(tkm))
    chord_km = GEOD.line_length(chord[:, 0], chord[:, 1]) / 1000
    assert chord_km - table.set_index("iso3").loc["TKM", "length_km"] > 20
    assert table["length_km"].sum() == pytest.approx(total / 1000, rel=1e-9)


def test_unordered_reversed_segments_are_chained() -> None:
    ordered = corridors.load("cku-railway")
    mixed = ordered.iloc[[2, 0, 3, 1]].copy()
    mixed.loc[mixed.index[0], "geometry"] = shapely.reverse(mixed.geometry.iloc[0])
    a, b = border_crossings(ordered), border_crossings(mixed)
    assert a["km"].to_numpy() == pytest.approx(b["km"].to_numpy(), abs=1e-6)
    assert (a["to_iso3"] == b["to_iso3"]).all()
    assert chain(mixed).geometry.iloc[0].equals(chain(ordered).geometry.iloc[0])
    ta, tb = transfers(ordered), transfers(mixed)
    assert ta["km"].to_numpy() == pytest.approx(tb["km"].to_numpy(), abs=1e-6)


def test_cku_railway_crossings_and_gauge_break() -> None:
    gdf = corridors.load("cku-railway")
    cross = border_crossings(gdf)
    assert list(zip(cross["from_iso3"], cross["to_iso3"])) == [("CHN", "KGZ"), ("KGZ", "UZB")]
    assert "Torugart" in cross["checkpoint"].iloc[0]
    table = lengths_by_country(gdf)
    km = dict(zip(table["iso3"], table["length_km"]))
    assert cross["km"].iloc[0] == pytest.approx(km["CHN"], abs=1e-6)
    assert cross["km"].iloc[1] == pytest.approx(km["CHN"] + km["KGZ"], abs=1e-6)
    moves = transfers(gdf)
    assert moves["kind"].tolist() == ["break-of-gauge"]
    assert (moves["from_gauge_mm"].iloc[0], moves["to_gauge_mm"].iloc[0]) == (1435, 1520)
    assert moves["place"].iloc[0] == "Makmal"
    std = gdf[gdf["gauge_mm"] == 1435]
    assert moves["km"].iloc[0] == pytest.approx(length_km(std).iloc[0], abs=1e-6)


def test_transfers_on_a_meridian() -> None:
    # rail 1435 mm 44->43 N, rail 1520 mm 43->42 N, sea 42->41 N; given shuffled and one reversed
    segs = [
        ("rail", 1435, [(100.0, 44.0), (100.0, 43.0)]),
        ("sea", None, [(100.0, 41.0), (100.0, 42.0)]),  # reversed
        ("rail", 1520, [(100.0, 43.0), (100.0, 42.0)]),
    ]
    gdf = lines([shapely.LineString(c) for *_, c in segs], mode=[s[0] for s in segs],
                gauge_mm=pd.array([s[1] for s in segs], dtype="Int64"))
    moves = transfers(gdf)
    assert moves["kind"].tolist() == ["break-of-gauge", "transshipment"]
    assert moves["km"].to_numpy() == pytest.approx([(arc(44) - arc(43)) / 1000, (arc(44) - arc(42)) / 1000], abs=1e-3)
    assert moves["from_mode"].tolist() == ["rail", "rail"] and moves["to_mode"].tolist() == ["rail", "sea"]
    assert moves.geometry.y.to_numpy() == pytest.approx([43.0, 42.0])
    assert (moves["place"] == "").all()  # no bundled place within 25 km
    by_mode = lengths_by(gdf, "mode")
    assert dict(zip(by_mode["mode"], by_mode["length_km"])) == pytest.approx(
        {"rail": (arc(44) - arc(42)) / 1000, "sea": (arc(42) - arc(41)) / 1000}, abs=1e-3)


def test_caspian_sea_leg_is_not_a_crossing() -> None:
    aktau, baku = (51.17, 43.65), (49.87, 40.37)
    gdf = lines([shapely.LineString([aktau, baku])], mode=["sea"])
    table = lengths_by_country(gdf)
    assert table["country"].tolist() == ["Kazakhstan", "Caspian Sea", "Azerbaijan"]
    assert table.loc[1, "iso3"] == ""
    assert table["length_km"].sum() == pytest.approx(GEOD.inv(*aktau, *baku)[2] / 1000, rel=1e-9)
    assert len(border_crossings(gdf)) == 0


def test_swapped_coordinates_warn() -> None:
    gdf = corridors.load("cku-railway")
    gdf["geometry"] = shapely.transform(gdf.geometry.values, lambda xy: xy[:, ::-1])
    with pytest.warns(OutsideCountriesWarning, match="swapped") as caught:
        table = lengths_by_country(gdf)
    assert (table["iso3"] == "").all()
    # the warning points at the user's call, also through lengths_by and the batched path
    assert [w.filename for w in caught] == [__file__]
    from corridors import analysis

    for budget in (analysis.BATCH_VERTICES, 1):
        analysis.clear_cache()
        old, analysis.BATCH_VERTICES = analysis.BATCH_VERTICES, budget
        try:
            with pytest.warns(OutsideCountriesWarning) as caught:
                lengths_by(gdf, "country")
        finally:
            analysis.BATCH_VERTICES = old
        assert [w.filename for w in caught] == [__file__]


def test_rows_add_up_for_bundled_corridors() -> None:
    gdf = corridors.load_all()
    total = length_km(gdf)
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideCountriesWarning)
        for by in ("country", "mode", "status"):
            sums = lengths_by(gdf, by).groupby("corridor_id")["length_km"].sum()
            assert sums[total.index].to_numpy() == pytest.approx(total.to_numpy(), rel=1e-3), by


def test_lengths_by_unknown_column() -> None:
    with pytest.raises(corridors.DataError, match="cannot split lengths by 'colour'"):
        lengths_by(corridors.load("cku-railway"), "colour")


def test_profile_of_cku_railway() -> None:
    p = profile("cku-railway")
    assert p.length_km == pytest.approx(length_km(corridors.load("cku-railway")).iloc[0])
    assert p.stated_km == 523  # the first whole-line figure in the metadata
    assert p.diff_pct == pytest.approx((p.length_km - 523) / 523 * 100)
    kgz = p.stated[(p.stated["scope"] == "country") & (p.stated["iso3"] == "KGZ")]
    assert len(kgz) >= 3
    assert (kgz["geometry_km"] == p.by_country.set_index("iso3").loc["KGZ", "length_km"]).all()
    assert (p.stated.loc[p.stated["note"].str.contains("gauge"), "scope"] == "part").all()
    data = json.loads(json.dumps(p.to_dict()))
    assert data["crossings"][0]["from_iso3"] == "CHN" and data["gauge_breaks"][0]["place"] == "Makmal"
    text = str(p)
    assert "CHN -> KGZ" in text and "1435 -> 1520  at Makmal" in text and f"{p.length_km:,.3f} km" in text


def test_trans_caspian_sea_legs_and_transfers() -> None:
    gdf = corridors.load("trans-caspian")
    cross = border_crossings(gdf)
    main = cross[cross["branch"] == "main"]
    assert (main["from_iso3"].iloc[0], main["to_iso3"].iloc[0]) == ("CHN", "KAZ")
    # the ferry Aktau -> Alat leaves Kazakhstan and reaches Azerbaijan without a crossing
    pairs = set(zip(cross["from_iso3"], cross["to_iso3"]))
    assert ("KAZ", "AZE") not in pairs and ("AZE", "GEO") in pairs and ("GEO", "TUR") in pairs
    assert (main["km"].diff().dropna() > 0).all()
    table = lengths_by_country(gdf)
    assert "Caspian Sea" in set(table["country"])
    moves = transfers(gdf)
    ships = moves[(moves["kind"] == "transshipment") & (moves["branch"] == "main")]
    assert list(zip(ships["from_mode"], ships["to_mode"])) == [("rail", "sea"), ("sea", "rail")]
    assert "Aktau" in ships["place"].iloc[0] and "Alat" in ships["place"].iloc[1]
    gauge = moves[moves["kind"] == "break-of-gauge"]
    assert "Akhalkalaki" in set(gauge["place"])
    # the ferry leg's length is the distance between the two transshipments
    sea = gdf[(gdf["mode"] == "sea") & (gdf["branch"] == "main")]
    assert ships["km"].iloc[1] - ships["km"].iloc[0] == pytest.approx(length_km(sea).iloc[0], abs=1e-6)


def test_memo_follows_the_content(border_lat: float) -> None:
    gdf = lines([shapely.LineString([(100.0, 45.0), (100.0, 40.0)])])
    first = lengths_by_country(gdf)
    gdf["geometry"] = [shapely.LineString([(100.0, 45.0), (100.0, 44.0)])]  # now all in Mongolia
    second = lengths_by_country(gdf)
    assert first["iso3"].tolist() == ["MNG", "CHN"] and second["iso3"].tolist() == ["MNG"]
    assert second["length_km"].iloc[0] == pytest.approx((arc(45) - arc(44)) / 1000, abs=1e-3)


def test_profile_of_user_lines() -> None:
    gdf = lines([shapely.LineString([(100.0, 45.0), (100.0, 40.0)])], corridor_id=["mine"], mode=["rail"])
    p = profile(gdf)
    assert p.corridor_id == "mine" and p.stated_km is None and p.diff_pct is None
    assert [c["to_iso3"] for c in p.to_dict()["crossings"]] == ["CHN"]
    with pytest.raises(corridors.DataError, match="one corridor"):
        profile(corridors.load_all())


def test_threads_each_get_the_tables_of_their_own_lines() -> None:
    # the remembered analysis is shared by the process: threads analysing different lines at
    # once must each get their own tables
    import threading

    everything = corridors.load_all()
    subsets = [everything[everything["corridor_id"] == c] for c in corridors.list_corridors()]
    expected = [lengths_by_country(s).reset_index(drop=True) for s in subsets]
    failures: list[str] = []

    def work(first: int) -> None:
        for k in range(12):
            j = (first + k) % len(subsets)
            if not lengths_by_country(subsets[j]).reset_index(drop=True).equals(expected[j]):
                failures.append(f"thread {first}, corridor {j}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_remembered_result_is_read_and_replaced_atomically() -> None:
    # a reader slowed down while it compares keys; a writer replaces the entry meanwhile.
    # The reader must get the result of the key it checked, not the writer's.
    import threading
    import time

    from corridors._cache import ResultCache

    class SlowKey(tuple):
        def __eq__(self, other):
            time.sleep(0.2)
            return tuple.__eq__(self, other)

        __hash__ = tuple.__hash__

    cache = ResultCache()
    cache.remember(("a",), None, "A")
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(cache.recall(SlowKey(("a",)))))
    reader.start()
    time.sleep(0.05)  # the reader is now inside its look-up
    cache.remember(("b",), None, "B")
    reader.join()
    assert got == ["A"]
    assert cache.result == "B"
    cache.clear()
    assert cache.result is None and cache.recall(("b",)) is None


def test_the_second_table_of_the_same_lines_reuses_the_overlay_but_not_a_changed_input() -> None:
    from corridors import analysis

    analysis.clear_cache()
    gdf = corridors.load("cku-railway")
    lengths_by_country(gdf)
    first = analysis.cached_result()
    border_crossings(gdf)
    assert analysis.cached_result() is first  # same lines: no second overlay
    # one geometry replaced (even by an equal one: another object) is other lines
    other = gdf.copy()
    other.loc[other.index[3], "geometry"] = shapely.LineString(other.geometry.iloc[3].coords)
    border_crossings(other)
    assert analysis.cached_result() is not first
    lengths_by_country(gdf)
    first = analysis.cached_result()
    # a corridor id changed in place is other lines too
    renamed = gdf.copy()
    renamed.loc[renamed.index[0], "corridor_id"] = "renamed"
    border_crossings(renamed)
    assert analysis.cached_result() is not first
    lengths_by_country(gdf)
    first = analysis.cached_result()
    # what the identity does not cover is still checked: a column of the wrong type
    bad = gdf.copy()
    bad["status"] = 1
    with pytest.raises(corridors.DataError, match="status"):
        border_crossings(bad)
    # the same coordinates in another CRS are other lines: degrees read as metres of Web
    # Mercator lie within a kilometre of 0 N 0 E, at sea
    moved = gdf.set_crs(3857, allow_override=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutsideCountriesWarning)
        table = lengths_by_country(moved)
    assert analysis.cached_result() is not first
    assert (table["iso3"] == "").all() and table["length_km"].sum() < 1.0
