"""Make the README's pictures: the default offline map, a one-corridor map, the trade map and
the figure, as PNG files in ``docs/img/``.

The maps are opened in headless Chromium (``/usr/bin/chromium``, driven by Playwright) at
1280x800 with every request to another host refused, so what is shown is the offline page.

Usage::

    python scripts/screenshots.py            # writes docs/img/*.png
    python scripts/screenshots.py --out DIR
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--force-gpu-mem-available-mb=4096"]


def _shoot(html: Path, png: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page.goto(html.resolve().as_uri())
        page.wait_for_function("window.corridorsMap && document.querySelectorAll('.corridors-label').length > 0")
        page.wait_for_timeout(600)
        page.screenshot(path=str(png))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = ap.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    from corridors.maps import render_map, save_map
    from corridors.static import save_figure

    args.out.mkdir(parents=True, exist_ok=True)
    maps = {"map_default": {}, "map_cku": {"data": "cku-railway"}, "map_trade": {"context": "trade"}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, kw in maps.items():
            html = save_map(render_map(kw.pop("data", None), offline=True, **kw), Path(tmp) / f"{name}.html",
                            offline=True)
            _shoot(html, args.out / f"{name}.png")
            print(args.out / f"{name}.png")
    fig = save_figure(None, args.out / "figure.png", dpi=150, inset=True)
    print(fig)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
