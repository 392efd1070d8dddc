"""Print the README's table of the bundled corridors (stated vs geometry length, countries, status, accuracy).

Run:  python scripts/readme_table.py           # prints the Markdown table
      python scripts/readme_table.py --check   # exit 1 if README.md does not contain it (used by the tests)

The table is generated from the bundled data so the README cannot drift from it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import corridors

README = Path(__file__).resolve().parents[1] / "README.md"


def table() -> str:
    """The Markdown table, one row per bundled corridor.

    Returns
    -------
    str
        Geometry lengths are WGS84 geodesic lengths of the main line, in km; the stated length is the headline (first)
        ``stated_lengths`` entry with its source.
    """
    rows = [
        "| corridor | kind | stated length (source) | geometry length | countries | status | segments | accuracy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for cid in corridors.list_corridors():
        gdf = corridors.load(cid)
        meta = gdf.attrs["corridor"]
        sources = {s["id"]: s for s in meta["sources"]}
        head = meta["stated_lengths"][0]
        src = sources[head["source"]]
        note = head.get("note", "")
        geom_km = float(corridors.length_km(gdf).iloc[0])  # the main line, as `list`, `info` and `profile`
        diff = 100 * (geom_km - head["value"]) / head["value"]
        statuses = ", ".join(dict.fromkeys(gdf["status"]))
        acc = f"{gdf['accuracy_km'].min():g}–{gdf['accuracy_km'].max():g} km"
        rows.append(
            f"| **{meta['name']}** (`{cid}`) | {meta['kind']} | {head['value']:,} km, {note} "
            f"([{src['publisher']}]({src['url']}), {src['date']}) | {geom_km:,.0f} km ({diff:+.1f}%) | "
            f"{', '.join(meta['countries'])} | {statuses} | {len(gdf)} | {acc} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="check README.md contains the current table")
    args = parser.parse_args(argv)
    text = table()
    if args.check:
        if text not in README.read_text(encoding="utf-8"):
            print("README.md's data table is out of date: run python scripts/readme_table.py", file=sys.stderr)
            return 1
        return 0
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
