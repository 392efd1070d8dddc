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
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert catalog.metadata("cku-railway")["name"] in labels and "border crossing" in labels
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
