"""Publication figures: plot() draws what it promises; save_figure() writes PNG/SVG."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from PIL import Image

from corridors import catalog
from corridors.errors import DataError
from corridors.geodesy import GEOD
from corridors.static import plot, save_figure


def test_plot_draws_every_segment_with_its_status_style():
    ax = plot("cku-railway", places=False)
    segments = catalog.load("cku-railway")
    red = [ln for ln in ax.get_lines() if ln.get_color() == "#d62728" and len(ln.get_xdata()) > 2]
    assert len(red) == len(segments)
    styles = {(ln.get_linestyle(), str(ln._unscaled_dash_pattern)) for ln in red}
    assert len(styles) == segments["status"].nunique()  # proposed and construction look different
    labels = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert catalog.metadata("cku-railway")["name"] in labels and "Border crossing" in labels
    assert "Under construction" in labels and "construction" not in labels
    ax.figure.clf()


def test_scale_bar_measures_the_true_scale_parallel():
    ax = plot("line-d", places=False, crossings=False, legend=False)
    label = next(t.get_text() for t in ax.texts if " km (at " in t.get_text())
    km = float(label.split()[0].replace(",", ""))
    lat = float(label.split("(at ")[1].split("°")[0])
    y0, y1 = ax.get_ylim()
    assert lat == pytest.approx((y0 + y1) / 2, abs=0.5)  # the parallel where the equirectangular aspect is true
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians((y0 + y1) / 2)))
    bar = next(ln for ln in ax.get_lines() if ln.get_linewidth() == 3)
    (lon0, lon1), (lat0, lat1) = bar.get_xdata(), bar.get_ydata()
    assert lat0 == lat1  # drawn level, as a reader expects
    # the same longitude span measured along that parallel by GeographicLib (many short geodesics)
    lons = np.linspace(lon0, lon1, 2001)
    along = GEOD.line_length(lons, np.full_like(lons, (y0 + y1) / 2)) / 1000
    assert along == pytest.approx(km, rel=1e-6)
    x0, x1 = ax.get_xlim()
    assert 0.05 < (lon1 - lon0) / (x1 - x0) < 0.25  # about a fifth of the map, rounded down to a nice length
    ax.figure.clf()


def test_save_png_and_svg(output_dir):
    png = save_figure(None, output_dir / "figure_all.png", dpi=120)
    with Image.open(png) as im:
        assert im.size[0] > 800
        arr = np.asarray(im.convert("RGB"))
    # the corridor colours are really painted
    for hex_colour in ("#d62728", "#ff7f0e"):
        rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(arr.astype(int) - rgb).sum(axis=2) < 30).sum() > 50, hex_colour
    svg = save_figure(["line-d"], output_dir / "figure_line_d.svg")
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(DataError):
        save_figure(None, output_dir / "figure.gif")


def _boxes_overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("data", [None, "cku-railway", ["line-d", "dushanbe-kulma"]])
def test_labels_title_and_legend_do_not_overlap(data):
    ax = plot(data, inset=True)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_zorder() == 9]
    names = {t.get_text() for t in labels}
    assert len(labels) >= 4
    if data == "cku-railway":
        assert {"Kashgar", "Andijan", "Makmal", "KYRGYZSTAN", "CHINA"} <= names
    boxes = [t.get_window_extent(r) for t in labels]
    for i, a in enumerate(boxes):
        assert ax.bbox.contains(a.x0, a.y0) and ax.bbox.contains(a.x1, a.y1)
        for b in boxes[i + 1:]:
            assert not _boxes_overlap(a, b)
    # the title is set, and the legend lies below the map, not over it
    assert ax.get_title(loc="left")
    assert fig.legends[0].get_window_extent(r).y1 <= ax.get_window_extent(r).y0
    # the locator inset holds the map's frame
    inset = next(c for c in ax.child_axes if c.get_label() == "locator")
    frame = inset.patches[-1]
    assert frame.get_x() == pytest.approx(ax.get_xlim()[0]) and frame.get_width() == pytest.approx(np.ptp(ax.get_xlim()))
    fig.clf()


def test_frame_is_fitted_to_the_data():
    for data in ("cku-railway", "line-d", None):
        ax = plot(data, labels=False)
        segs = catalog.load_all() if data is None else catalog.load(data)
        x0, y0, x1, y1 = segs.total_bounds
        (fx0, fx1), (fy0, fy1) = ax.get_xlim(), ax.get_ylim()
        mid = (fy0 + fy1) / 2
        aspect = (fx1 - fx0) * np.cos(np.radians(mid)) / (fy1 - fy0)
        assert 0.75 - 1e-9 <= aspect <= 2.0 + 1e-9
        # the data fill at least 70 % of the frame in one direction
        assert max((x1 - x0) / (fx1 - fx0), (y1 - y0) / (fy1 - fy0)) >= 0.7
        ax.figure.clf()


def test_png_is_300_dpi_and_svg_pdf_keep_text_as_text(output_dir):
    png = save_figure("line-d", output_dir / "figure_line_d.png")
    with Image.open(png) as im:
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.5)
    svg = save_figure("line-d", output_dir / "figure_line_d_text.svg").read_text(encoding="utf-8")
    title = catalog.metadata("line-d")["name"]
    assert "<text" in svg and "Wuqia" in svg and title.split(",")[0] in svg
    pdf = save_figure("line-d", output_dir / "figure_line_d.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf and b"/Type3" not in pdf


def test_rivers_and_lakes_are_drawn_under_the_corridors():
    ax = plot(["line-d", "dushanbe-kulma"], labels=False)
    rivers = next(c for c in ax.collections if c.get_gid() == "rivers")
    lines = [c for c in ax.lines if c.get_zorder() == 4]
    assert lines and all(rivers.get_zorder() < ln.get_zorder() for ln in lines)
    xy = np.concatenate([p.vertices for p in rivers.get_paths()])
    # the Amu Darya passes Termez (37.22 N, 67.28 E; Wikipedia), within the source's 1:50m precision
    termez = np.array([67.28, 37.22])
    assert np.hypot(*(xy - termez).T).min() < 0.1
    ax.figure.clf()
    ax = plot(None, labels=False)
    lakes = next(c for c in ax.collections if c.get_gid() == "lakes")
    issyk_kul = (77.25, 42.42)  # Wikipedia's coordinates of the lake
    assert any(p.contains_point(issyk_kul) for p in lakes.get_paths())
    assert not any(p.contains_point((68.0, 48.0)) for p in lakes.get_paths())  # the Kazakh steppe
    ax.figure.clf()


def test_country_labels_sit_in_their_country_clear_of_the_corridor_lines():
    import shapely

    ax = plot(None)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    borders = catalog.borders()
    names = dict(zip(borders["name"].str.upper(), borders.geometry.values))
    labels = [t for t in ax.texts if t.get_zorder() == 9 and t.get_text() in names]
    assert {"UZBEKISTAN", "KYRGYZSTAN", "TAJIKISTAN", "KAZAKHSTAN", "TURKEY"} <= {t.get_text() for t in labels}
    lines = shapely.MultiLineString([shapely.LineString(ln.get_xydata()) for ln in ax.lines if ln.get_zorder() == 4])
    lines_px = shapely.transform(lines, ax.transData.transform)
    for t in labels:
        x, y = t.get_position()
        assert names[t.get_text()].contains(shapely.Point(x, y)), t.get_text()
        b = t.get_window_extent(r)
        assert not shapely.box(b.x0, b.y0, b.x1, b.y1).intersects(lines_px), t.get_text()
    # main towns are labelled too, each beside its dot
    towns = [t for t in ax.texts if t.get_zorder() == 9 and t.get_fontstyle() == "italic"]
    assert {"Tehran", "Ashgabat"} <= {t.get_text() for t in towns}
    fig.clf()
