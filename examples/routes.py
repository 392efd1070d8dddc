"""Compare routes from Kashgar to Baku across years and closures, and map them.

Usage: ``python examples/routes.py [OUTPUT_DIR]`` (default: the current folder). Writes
``routes_comparison.csv`` (one row per scenario) and ``routes_map.html`` (offline map).
"""

from __future__ import annotations

import sys
from pathlib import Path

import corridors


def main(out: Path) -> None:
    scenarios = {
        "2025": {"year": 2025},
        "2031 (CKU railway open)": {"year": 2031},
        "2031, Turkmenbashi closed": {"year": 2031, "closed": ["Turkmenbashi port"]},
        "2025, Aktau closed": {"year": 2025, "closed": ["Aktau port"]},
    }
    found = {name: corridors.route("Kashgar", "Baku", weight="hours", **kw) for name, kw in scenarios.items()}
    table = corridors.compare(list(found.values()))
    table.insert(1, "scenario", list(found))
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "routes_comparison.csv", index=False)
    cols = ["scenario", "total_km", "days", "countries", "border_crossings", "transshipments"]
    print(table[cols].round({"total_km": 0, "days": 1}).to_string(index=False))
    print()
    print(found["2031 (CKU railway open)"].to_text())
    corridors.save_map(corridors.route_map([found["2031 (CKU railway open)"], found["2025"]], offline=True,
                       title="Kashgar – Baku: 2031 (CKU railway) vs 2025"), out / "routes_map.html", offline=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
