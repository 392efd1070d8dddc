"""The ``corridors`` command line.

Every command prints its result on stdout in a machine-readable form (``--format``) or
writes it to ``-o FILE``; everything else -- warnings, the list of skipped input
features, the progress bar, errors -- goes to stderr, so stdout can be piped.

Exit codes
----------
0
    Success.
1
    An error of the library (:class:`corridors.errors.CorridorsError`: bad input file or
    feature, unknown corridor id, ...), reported as one line naming the file, the feature
    and the reason; also ``validate`` when it finds a problem.
2
    A usage error (unknown command or option, missing argument), reported by argparse.
3
    An unexpected error (a bug); ``--debug`` shows its traceback.
130
    Interrupted (Ctrl-C).

With ``--on-error skip``, each bad file or feature is listed on stderr as one line
``problem: FILE: feature N: REASON``, followed by a count; redirect stderr
(``2> problems.txt``) to keep the list.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import textwrap
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from . import __version__
from ._formats import GEOMETRY_FORMATS
from .errors import (
    CorridorsError,
    DataError,
    SkippedFeaturesWarning,
    UnknownCorridorError,
    format_problem,
    printable,
)
from .tables import TABLE_FORMATS

if TYPE_CHECKING:  # geopandas is imported by the commands that need it, keeping --help quick
    import geopandas as gpd

    from ._problems import OnError

T = TypeVar("T")
PROG = "corridors"
_CLEAR = "\r\x1b[K"  # carriage return + erase to the end of the line
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


# --------------------------------------------------------------------------- stderr


def _say(message: str) -> None:
    """One line on stderr (newlines inside the message are folded, control characters escaped)."""
    clear = _CLEAR if sys.stderr.isatty() else ""
    print(clear + printable(" ".join(str(message).split())), file=sys.stderr, flush=True)


def _status(message: str) -> None:
    """A transient status line on a terminal (replaced by the next line, cleared at exit)."""
    if sys.stderr.isatty():
        sys.stderr.write(_CLEAR + message)
        sys.stderr.flush()


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: TextIO | None = None, line: str | None = None) -> None:
    """``warnings.showwarning`` for the command line: one line, no source location."""
    _say(f"{PROG}: warning: {message}")


def progress_bar(items: Iterable[T], label: str = "reading", stream: TextIO | None = None,
                 width: int = 30, every_s: float = 0.1, unit: str = "files") -> Iterator[T]:
    """Yield ``items`` while drawing a progress bar on a terminal.

    Parameters
    ----------
    items : iterable
        The work items (a list, so its length is known).
    label : str
        What is being done, shown before the bar.
    stream : file, optional
        Where to draw; ``sys.stderr`` by default. Nothing is drawn unless it is a terminal.
    width : int
        Bar width, characters.
    every_s : float
        Least time between redraws, seconds.
    unit : str
        What the items are, shown after the count.

    Yields
    ------
    object
        The items, unchanged.
    """
    stream = sys.stderr if stream is None else stream
    items = list(items)
    if not stream.isatty():
        yield from items
        return
    total = len(items)
    start = last = time.monotonic()

    def draw(done: int) -> None:
        filled = width * done // max(total, 1)
        pct = 100 * done // max(total, 1)
        elapsed = time.monotonic() - start
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {unit} "
                     f"{pct:3d}% {elapsed:5.1f} s")
        stream.flush()

    draw(0)
    try:
        for done, item in enumerate(items, start=1):
            yield item
            now = time.monotonic()
            if now - last >= every_s or done == total:
                draw(done)
                last = now
    finally:
        stream.write(_CLEAR)
        stream.flush()


# --------------------------------------------------------------------------- inputs


def _read(path: str, on_error: OnError) -> gpd.GeoDataFrame:
    """``corridors.read`` with the progress bar on a terminal; skips are left to the caller to list."""
    from .io import read

    with warnings.catch_warnings():
        # the summary warning of read() is replaced by the full list the commands print
        warnings.simplefilter("ignore", SkippedFeaturesWarning)
        return read(path, on_error=on_error, progress=progress_bar if sys.stderr.isatty() else None)


def _read_input(path: str, on_error: OnError) -> gpd.GeoDataFrame:
    """:func:`_read`, then every skipped file or feature listed on stderr, one line each."""
    gdf = _read(path, on_error)
    skipped = gdf.attrs.get("skipped", [])
    for s in skipped:
        _say(f"problem: {format_problem(s['file'], s['feature'], s['reason'])}")
    if skipped:
        _say(f"{PROG}: {len(skipped)} input problem(s) listed above; "
             f"{len(gdf)} line feature(s) read")
    return gdf


def _select(gdf: gpd.GeoDataFrame, ids: Sequence[str]) -> gpd.GeoDataFrame:
    """Rows of ``gdf`` whose ``corridor_id`` is one of ``ids`` (all rows when none given)."""
    if not ids:
        return gdf
    present = [str(v) for v in dict.fromkeys(gdf["corridor_id"].tolist())]
    for cid in ids:
        if cid not in present:
            raise UnknownCorridorError(cid, present)
    return gdf[gdf["corridor_id"].isin(list(ids))]


def _lines(args: argparse.Namespace) -> gpd.GeoDataFrame:
    """The lines a command works on: the user's ``--input`` or the bundled corridors."""
    if getattr(args, "input", None):
        gdf = _read_input(args.input, args.on_error)
        if gdf.empty:
            raise DataError("no line features left to work on: every file or feature was skipped "
                            "(listed above)", args.input)
        gdf = _select(gdf, args.ids)
        _status(f"{PROG} {args.command}: working on {len(gdf):,} line feature(s) ...")
        return gdf
    from .catalog import load_all

    return load_all(list(args.ids) or None)


def _measuring() -> Callable[[Iterable[T]], Iterator[T]] | None:
    """The progress bar over the batches of a large input, on a terminal (else None)."""
    if not sys.stderr.isatty():
        return None
    return functools.partial(progress_bar, label="measuring", unit="batches of corridors")


def _emit(text: str, output: str | None) -> None:
    """Print ``text`` on stdout, or write it to ``output`` (UTF-8)."""
    if output is None or output == "-":
        _status("")  # stdout and stderr may share one terminal
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ._atomic import write_text

    write_text(output, text)


def _table(df: Any, args: argparse.Namespace) -> None:
    from .tables import render

    _emit(render(df, args.format), getattr(args, "output", None))


# --------------------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    """`corridors list`: the bundled corridors with the drawn geodesic length of their main line."""
    import pandas as pd

    from .analysis import length_km
    from .catalog import list_corridors, load_all

    gdf = load_all()
    km = length_km(gdf)
    rows = []
    for cid in list_corridors():
        meta = gdf.attrs["corridors"][cid]
        rows.append({"corridor_id": cid, "name": meta["name"], "kind": meta["kind"],
                     "status": meta["status"], "countries": " ".join(meta["countries"]),
                     "segments": int((gdf["corridor_id"] == cid).sum()), "length_km": float(km[cid])})
    _table(pd.DataFrame(rows), args)
    return EXIT_OK


def _facts(title: str, items: list[dict[str, Any]], value: Callable[[dict[str, Any]], str]) -> list[str]:
    if not items:
        return []
    lines = [f"{title}:"]
    for item in items:
        note = f" ({item['note']})" if item.get("note") else ""
        source = f" [{item['source']}]" if item.get("source") else ""
        lines.append(f"  - {value(item)}{note}{source}")
    return lines


def info_text(meta: dict[str, Any], length: float, segments: int) -> str:
    """Plain-text account of one corridor's metadata record.

    Parameters
    ----------
    meta : dict
        The corridor metadata record (``docs/DATA_FORMAT.md``).
    length : float
        Geodesic length of the drawn main line, km (see :func:`corridors.length_km`).
    segments : int
        Number of segments in the layer.

    Returns
    -------
    str
    """
    qty = lambda i: f"{i['value']:g} {i['unit']}"  # noqa: E731
    out = [meta["name"], "=" * len(meta["name"]), f"id:        {meta['id']}",
           f"kind:      {meta['kind']}", f"status:    {meta['status']}",
           f"countries: {' -> '.join(meta['countries'])}",
           f"drawn:     {length:,.3f} km geodesic (main line), {segments} segment(s)"]
    out += [f"name ({lang}): {name}" for lang, name in meta.get("local_names", {}).items()]
    out += ["", meta.get("description", "")]
    out += _facts("stated lengths", meta.get("stated_lengths", []), qty)
    out += _facts("cost", meta.get("cost", []), qty)
    out += _facts("capacity", meta.get("capacity", []), qty)
    out += _facts("counts", meta.get("counts", []), qty)
    out += _facts("dates", meta.get("dates", []), lambda i: f"{i['date']} {i['event']}")
    for key in ("developer", "operator", "financiers"):
        out += _facts(key, meta.get(key, []), lambda i: i["name"])
    if meta.get("notes"):
        out += ["notes:", *[f"  - {n}" for n in meta["notes"]]]
    out.append("sources:")
    for s in meta.get("sources", []):
        out.append(f"  [{s['id']}] {s['publisher']}, \"{s['title']}\", {s['date']}, {s['url']}")
    return "\n".join(out) + "\n"


def cmd_info(args: argparse.Namespace) -> int:
    """`corridors info ID`: one corridor's metadata record, as text or JSON."""
    import json

    from .analysis import length_km
    from .catalog import load

    gdf = load(args.id)
    meta = gdf.attrs["corridor"]
    if args.format == "json":
        _emit(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        _emit(info_text(meta, float(length_km(gdf).iloc[0]), len(gdf)), args.output)
    return EXIT_OK


def cmd_profile(args: argparse.Namespace) -> int:
    """`corridors profile ID`: the :class:`corridors.profiles.Profile` report, as text or JSON."""
    import json

    from .profiles import profile

    if args.input:
        args.ids = [args.id]
        report = profile(_lines(args), edges=args.edges, **_country_options(args))
    else:
        report = profile(args.id, edges=args.edges, **_country_options(args))
    if args.format == "json":
        _emit(json.dumps(report.to_dict(decimals=3), ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        _emit(report.to_text().rstrip("\n") + "\n", args.output)
    return EXIT_OK


def _add_edges(p: argparse.ArgumentParser) -> None:
    """``--edges``: how a long segment runs when it is cut at borders (see ``lengths_by_country``)."""
    p.add_argument("--edges", choices=("geodesic", "planar"), default="geodesic",
                   help="where a long segment runs between its vertices when cut at borders: along the "
                        "geodesic (default) or straight in lon/lat (RFC 7946, GEOS, DuckDB); lengths are "
                        "geodesic either way")


def cmd_lengths(args: argparse.Namespace) -> int:
    """`corridors lengths`: km of each corridor's main line (or of each branch), or split by country or any column."""
    from .analysis import length_km, lengths_by

    gdf = _lines(args)
    if not args.input and args.by not in (None, "country") and args.by not in gdf.columns:  # bundled: a usage error
        raise _Usage(f"--by {args.by}: no such column; use country or one of: "
                     + ", ".join(c for c in gdf.columns if c not in ("corridor_id", gdf.geometry.name)))
    if args.by is None:
        df = length_km(gdf, by_branch=args.by_branch).reset_index()
    else:
        df = lengths_by(gdf, args.by, progress=_measuring(), by_branch=args.by_branch, edges=args.edges,
                        **_country_options(args))
    _table(df, args)
    return EXIT_OK


def cmd_crossings(args: argparse.Namespace) -> int:
    """`corridors crossings`: land border crossings in order along each line."""
    from .analysis import border_crossings

    _table(border_crossings(_lines(args), progress=_measuring(), edges=args.edges, **_country_options(args)), args)
    return EXIT_OK


def cmd_transfers(args: argparse.Namespace) -> int:
    """`corridors transfers`: transshipments and breaks of gauge in order along each line."""
    from .analysis import transfers

    _table(transfers(_lines(args)), args)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """`corridors validate PATH`: every problem of the input on stdout; exit 1 if any."""
    import pandas as pd

    gdf = _read(args.path, on_error="skip")
    skipped = gdf.attrs.get("skipped", [])
    files = gdf["source_file"].nunique() if len(gdf) else 0
    if args.format == "text":
        _emit("".join(format_problem(s["file"], s["feature"], s["reason"]) + "\n" for s in skipped),
              args.output)
    else:
        _table(pd.DataFrame(skipped, columns=["file", "feature", "reason"]), args)
    outside = _outside_features(gdf)
    for file, feature in outside:
        _say(f"{PROG}: warning: {format_problem(file, feature, OUTSIDE_REASON)}")
    noted = f"; {len(outside)} warning(s)" if outside else ""
    if skipped:
        _say(f"{printable(args.path)}: {len(skipped)} problem(s){noted}; {len(gdf)} line feature(s) from "
             f"{files} file(s) are fine")
        return EXIT_ERROR
    _say(f"{printable(args.path)}: OK, {len(gdf)} line feature(s) in {files} file(s){noted}")
    return EXIT_OK


#: Why ``validate`` warns about a line feature that touches no country.
OUTSIDE_REASON = ("lies wholly outside every country and sea of the borders, farther than 370 km from any "
                  "(latitude and longitude swapped?)")


def _outside_features(gdf: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """(file, feature) of each line feature, other than a sea leg, of which no point (the
    line densified along the geodesic to 5 km) lies in a country or sea of the bundled
    borders, and that is implausible there (:func:`corridors.engine.rows_outside`).
    A warning, not a problem: offshore lines near a coast are real and not listed."""
    import numpy as np

    from .catalog import bundled_index
    from .engine import rows_outside

    flagged = rows_outside(gdf, bundled_index())
    files, features = gdf["source_file"].to_numpy(), gdf["source_feature"].to_numpy()
    return [(str(files[i]), str(features[i])) for i in np.flatnonzero(flagged)]


def cmd_export(args: argparse.Namespace) -> int:
    """`corridors export`: segments, places or crossings to GeoJSON/GPKG/GeoParquet/CSV via :func:`corridors.write`."""
    from .writers import write

    if not args.input and not args.ids and not args.all:
        raise _Usage("name the corridors to export, or --all, or --input PATH")
    if args.all and args.ids:
        raise _Usage("give corridor ids or --all, not both")
    if args.input and args.layer == "places":
        raise _Usage("--layer places exports the bundled places; it does not go with --input")
    gdf = _lines(args)
    if args.layer == "crossings":
        from .analysis import border_crossings

        gdf = border_crossings(gdf)
    elif args.layer == "places":
        from .catalog import places

        pl = places()
        wanted = set(gdf["corridor_id"])
        from .schema import split_ids

        gdf = pl[pl["corridor_ids"].map(lambda v: bool(wanted & set(split_ids(v))))]
    write(gdf, args.output, format=args.format)
    _say(f"{PROG}: wrote {len(gdf)} row(s) to {printable(args.output)}")
    return EXIT_OK


def cmd_map(args: argparse.Namespace) -> int:
    """`corridors map`: an interactive HTML map (:func:`corridors.maps.render_map` + ``save_map``)."""
    from .maps import render_map, save_map

    if args.network or args.year is not None:
        if args.input or args.ids or args.context:
            raise _Usage("--network/--year draw the bundled network; they do not go with IDs, --input or --context")
        from .routemap import network_map

        m = network_map(args.year, offline=args.offline)
    else:
        data: Any = _lines(args) if args.input else (list(args.ids) or None)
        m = render_map(data, offline=args.offline, context=args.context, title=args.title, subtitle=args.subtitle,
                       edges=args.edges)
    save_map(m, args.output, offline=args.offline)
    _say(f"{PROG}: wrote {printable(args.output)}")
    return EXIT_OK


def cmd_figure(args: argparse.Namespace) -> int:
    """`corridors figure`: a static PNG/SVG/PDF map (:func:`corridors.static.save_figure`)."""
    from .static import save_figure

    data: Any = _lines(args) if args.input else (list(args.ids) or None)
    save_figure(data, args.output, dpi=args.dpi, title=args.title, inset=args.inset)
    _say(f"{PROG}: wrote {printable(args.output)}")
    return EXIT_OK


def cmd_route(args: argparse.Namespace) -> int:
    """`corridors route`: the best route(s) between two places over the corridor network."""
    from .routing import DEFAULT_MODEL, compare, routes

    modes = [m for part in args.mode for m in part.split(",") if m] if args.mode else None
    changes: dict[str, Any] = {}
    for option, items in (("--speed", args.speed or []), ("--dwell", args.dwell or [])):
        for item in items:
            key, _, value = item.partition("=")
            try:
                number = float(value)
            except ValueError:
                raise _Usage(f"{option} takes NAME=NUMBER, not {item!r}") from None
            if option == "--speed":
                changes.setdefault("speed_kmh", {})[key.strip()] = number
            elif key.strip() in ("border", "gauge", "transshipment"):
                changes[f"{key.strip()}_hours"] = number
            else:
                raise _Usage(f"--dwell takes border=, gauge= or transshipment=, not {item!r}")
    model = DEFAULT_MODEL.with_overrides(**changes) if changes else None
    found = routes(args.origin, args.destination, k=args.alternatives, via=args.via or None,
                   avoid=args.avoid or None, closed=args.closed or None, year=args.year, modes=modes,
                   weight=args.weight, model=model)
    if args.map:
        from .maps import save_map
        from .routemap import route_map

        save_map(route_map(found, offline=True), args.map, offline=True)
    if args.format == "text":
        text = "\n\n".join(r.to_text() for r in found)
        if len(found) > 1:
            from .tables import render

            text += "\n\nComparison\n" + render(compare(found), "table")
        _emit(text + "\n", args.output)
    elif len(found) > 1:
        _table(compare(found), args)
    else:
        _table(found[0].legs.drop(columns="geometry"), args)
    return EXIT_OK


# --------------------------------------------------------------------------- parser


class _Usage(Exception):
    """A usage error found after parsing (reported like argparse's, exit 2)."""


def _check_output_is_not_input(args: argparse.Namespace) -> None:
    """Refuse, before anything is read, an output file that is one of the command's inputs.

    The inputs are the file given by ``--input`` (or ``validate``'s PATH), or every file
    :func:`corridors.read` would read in that folder; a CSV output's ``.csvt`` sidecar
    counts as output too.
    """
    output = getattr(args, "output", None)
    source = getattr(args, "input", None) or getattr(args, "path", None)
    if not output or output == "-" or not source:
        return
    from ._atomic import SameFileError, check_output
    from .io import input_files

    try:
        inputs = input_files(source, on_error="skip")
    except CorridorsError:
        return  # the command itself reports an unreadable input
    companions = [inp.with_suffix(".csvt") for inp in inputs if inp.suffix.lower() == ".csv"]
    outputs = [Path(output)] + ([Path(output).with_suffix(".csvt")] if Path(output).suffix.lower() == ".csv" else [])
    try:
        for out in outputs:
            check_output(out, [*inputs, *companions])
    except SameFileError as exc:
        raise _Usage(f"{exc}") from exc
    except CorridorsError:
        return  # a bad output (a folder, a device) is reported when it is written


def _epilog(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _add_input(p: argparse.ArgumentParser, ids_help: str = "corridor ids (default: all)") -> None:
    p.add_argument("ids", nargs="*", metavar="ID", help=ids_help)
    p.add_argument("--input", "-i", metavar="PATH",
                   help="your own lines: a GeoJSON/GeoPackage/GeoParquet file or a directory of them "
                        "(the IDs then select by the corridor_id property or file name)")
    p.add_argument("--on-error", choices=("raise", "skip"), default="raise",
                   help="bad input features: stop at the first (raise, default) or leave each out "
                        "and list it on stderr (skip)")


def _add_country_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--admin-units", action="store_true",
                   help="count Natural Earth's admin units as drawn (Baikonur as XBK) instead of sovereign states")
    p.add_argument("--border-tolerance-km", type=_non_negative_km, metavar="KM", default=None,
                   help="settle stretches that stay this close to a border on the country before them "
                        "(default 0.557 km, i.e. 0.005 degrees; 0: exact point-in-polygon)")


def _non_negative_km(text: str) -> float:
    """A distance in km given on the command line: a finite number >= 0 (else a usage error)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a distance in km (a number >= 0)")
    return value


def _country_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"admin_units": getattr(args, "admin_units", False),
            "border_tolerance_km": getattr(args, "border_tolerance_km", None)}


def _add_table_output(p: argparse.ArgumentParser, formats: Sequence[str] = TABLE_FORMATS,
                      default: str = "table") -> None:
    p.add_argument("--format", "-f", choices=formats, default=default, help=f"output format (default {default})")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``corridors`` command.

    Returns
    -------
    argparse.ArgumentParser
    """
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the Python traceback of an error")
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=raw,
        description="Sourced atlas and WGS84 geodesic analysis of the infrastructure corridors\n"
                    "linking China, Central Asia, the Caucasus and Turkey.",
        epilog=_epilog("corridors list", "corridors lengths cku-railway --by country",
                       "corridors lengths --input routes/ --on-error skip --format csv -o lengths.csv",
                       "corridors map -o corridors.html --offline")
        + "\n\nstdout carries only the result; warnings, errors and the progress bar (on a terminal) go to"
          "\nstderr. With --on-error skip every skipped file or feature is listed on stderr, one line each:"
          "\n  problem: FILE: feature N (id ID): REASON"
          "\n\nexit codes: 0 ok, 1 data error (one line on stderr), 2 usage error, 3 unexpected error")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", default=False,
                        help="show the Python traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, func: Callable[[argparse.Namespace], int], help_: str,
                examples: Sequence[str]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=textwrap.fill(help_, 88), parents=[debug],
                           formatter_class=raw, epilog=_epilog(*examples))
        p.set_defaults(func=func)
        return p

    p = command("list", cmd_list, "list the bundled corridors",
                ["corridors list", "corridors list --format json"])
    _add_table_output(p)

    p = command("info", cmd_info, "show one corridor's metadata: names, stated figures, dates, sources",
                ["corridors info cku-railway", "corridors info line-d --format json"])
    p.add_argument("id", metavar="ID", help="corridor id (see `corridors list`)")
    _add_table_output(p, ("text", "json"), "text")

    p = command("profile", cmd_profile,
                "profile one corridor: length by country, mode and status, crossings, transfers, "
                "stated vs drawn length",
                ["corridors profile cku-railway", "corridors profile line-d --format json",
                 "corridors profile my-line --input my-line.geojson"])
    p.add_argument("id", metavar="ID", help="corridor id (bundled, or in --input)")
    p.add_argument("--input", "-i", metavar="PATH", help="profile a corridor of your own lines")
    p.add_argument("--on-error", choices=("raise", "skip"), default="raise",
                   help="bad input features: raise (default) or skip and list them on stderr")
    _add_country_options(p)
    _add_edges(p)
    _add_table_output(p, ("text", "json"), "text")

    p = command("lengths", cmd_lengths,
                "WGS84 geodesic length of each corridor's main line, or by country, branch, mode, status or any column",
                ["corridors lengths", "corridors lengths cku-railway line-d --by country --format md",
                 "corridors lengths trans-caspian --by country --by-branch",
                 "corridors lengths --input routes/ --on-error skip --format csv -o lengths.csv 2> skipped.txt"])
    _add_input(p)
    p.add_argument("--by", metavar="COLUMN",
                   help="split each corridor's length by country or by any column (mode, status, branch, ...)")
    p.add_argument("--by-branch", action="store_true",
                   help="one row per branch (default: each corridor's main line only)")
    _add_country_options(p)
    _add_edges(p)
    _add_table_output(p)

    p = command("crossings", cmd_crossings, "land border crossings of each corridor, in order along the line",
                ["corridors crossings cku-railway", "corridors crossings --input my-lines.gpkg --format json"])
    _add_input(p)
    _add_country_options(p)
    _add_edges(p)
    _add_table_output(p)

    p = command("transfers", cmd_transfers,
                "transshipments (change of mode) and breaks of gauge along each corridor, in order",
                ["corridors transfers", "corridors transfers cku-railway --format csv"])
    _add_input(p)
    _add_table_output(p)

    p = command("validate", cmd_validate,
                "check a file or directory of lines and list every problem on stdout, one per line "
                "(FILE: feature N: REASON), with a count on stderr; exit 1 if any",
                ["corridors validate my-lines.geojson", "corridors validate routes/ --format csv -o problems.csv"])
    p.add_argument("path", metavar="PATH", help="a GeoJSON/GeoPackage/GeoParquet file or a directory of them")
    _add_table_output(p, ("text", *TABLE_FORMATS), "text")

    p = command("export", cmd_export, "export corridor segments, places or crossings with their metadata",
                ["corridors export --all --format gpkg -o corridors.gpkg",
                 "corridors export cku-railway --layer crossings --format csv -o crossings.csv",
                 "corridors export --input routes/ --on-error skip --format parquet -o routes.parquet"])
    _add_input(p, "corridor ids to export")
    p.add_argument("--all", action="store_true", help="export every bundled corridor")
    p.add_argument("--layer", choices=("segments", "places", "crossings"), default="segments",
                   help="what to export (default segments)")
    p.add_argument("--format", "-f", choices=GEOMETRY_FORMATS,
                   help="file format (default: from the suffix of -o)")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write")

    p = command("map", cmd_map, "write an interactive HTML map",
                ["corridors map -o corridors.html", "corridors map cku-railway --offline -o cku.html",
                 "corridors map --context trade -o trade.html",
                 "corridors map --input my-lines.geojson -o mine.html",
                 "corridors map --network --year 2031 --offline -o network-2031.html"])
    _add_input(p)
    p.add_argument("--offline", action="store_true",
                   help="one self-contained HTML file that works without a network (no web tiles)")
    p.add_argument("--context", metavar="LAYER",
                   help="add a context layer: 'trade' (each Central Asian country's 2024 trade with China)")
    p.add_argument("--title", help="title shown at the top of the map (default: from the corridors shown)")
    p.add_argument("--subtitle", help="line shown under the title")
    p.add_argument("--network", action="store_true",
                   help="the whole network: the corridors and, in grey, the connecting links")
    p.add_argument("--year", type=int, help="the network as of YEAR: only what is in service then (implies --network)")
    _add_edges(p)
    p.add_argument("-o", "--output", metavar="FILE.html", default="corridors.html",
                   help="the HTML file to write (default corridors.html)")

    p = command("figure", cmd_figure, "write a static map figure (PNG, SVG or PDF) for a report",
                ["corridors figure -o corridors.png", "corridors figure cku-railway line-d -o two.svg",
                 "corridors figure --input my-lines.geojson --dpi 300 -o mine.png"])
    _add_input(p)
    p.add_argument("--dpi", type=int, default=300, help="resolution of a PNG, dots per inch (default 300)")
    p.add_argument("--title", help="title of the figure (default: from the corridors shown)")
    p.add_argument("--inset", action="store_true", help="add a locator inset showing where the area lies")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the .png, .svg or .pdf file to write")

    p = command("route", cmd_route,
                "the best route between two places over the corridors and their connecting links: km by "
                "country and mode, border crossings, breaks of gauge, transshipments, and time under stated "
                "assumptions",
                ["corridors route Kashgar Baku --year 2025",
                 "corridors route Kashgar Baku --year 2031 --alternatives 3",
                 "corridors route Kashgar Baku --closed 'Turkmenbashi port' --weight hours",
                 "corridors route Kashgar Baku --weight hours --speed rail=50 --dwell border=24",
                 "corridors route Kashgar Tashkent --avoid KAZ --mode rail --format json",
                 "corridors route Kashgar Baku --via Tashkent --map route.html"])
    p.add_argument("origin", metavar="ORIGIN", help="place name or id (e.g. Kashgar, alat-port)")
    p.add_argument("destination", metavar="DEST", help="place name or id")
    p.add_argument("--via", action="append", metavar="PLACE", help="pass through PLACE (repeat for several, in order)")
    p.add_argument("--avoid", action="append", metavar="COUNTRY|PLACE",
                   help="never touch this country (ISO3 or name) or place (repeatable)")
    p.add_argument("--closed", action="append", metavar="ITEM",
                   help="closed place, segment id, link id or country pair such as KAZ-AZE (repeatable)")
    p.add_argument("--year", type=int, help="only lines in service in YEAR (opened, or planned to open by then)")
    p.add_argument("--mode", action="append", metavar="MODE",
                   help="allowed modes, e.g. --mode rail --mode sea (default: rail, road, sea)")
    p.add_argument("--alternatives", "-k", type=int, default=1, metavar="K", help="give the K best distinct routes")
    p.add_argument("--weight", choices=("km", "hours"), default="km",
                   help="minimise geodesic km (default) or hours under the stated transit-time model")
    p.add_argument("--speed", action="append", metavar="MODE=KMH",
                   help="override a speed of the transit-time model, e.g. --speed rail=50 (repeatable)")
    p.add_argument("--dwell", action="append", metavar="KIND=HOURS",
                   help="override a dwell time: border=, gauge= or transshipment= hours (repeatable)")
    p.add_argument("--map", metavar="FILE.html", help="also write an offline HTML map of the route(s)")
    _add_table_output(p, ("text", *TABLE_FORMATS), "text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit code (see the module docstring).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_output_is_not_input(args)
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            return args.func(args)
    except _Usage as exc:
        _say(f"{PROG} {args.command}: error: {printable(str(exc))}")
        return EXIT_USAGE
    except CorridorsError as exc:
        if args.debug:
            traceback.print_exc()
        if isinstance(exc, DataError) and exc.path is None and getattr(args, "input", None):
            exc = DataError(exc.reason, args.input, exc.feature)  # name the user's input
        _say(f"{PROG}: error: {exc}")
        return EXIT_ERROR
    except BrokenPipeError:
        # the reader of stdout went away (e.g. `| head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as exc:  # the environment (permissions, a full disk), not the data
        if args.debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"{PROG}: error: {where}{exc.strerror or exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line, and the traceback on request
        if args.debug:
            traceback.print_exc()
            _say(f"{PROG}: unexpected error: {type(exc).__name__}: {exc}")
        else:
            _say(f"{PROG}: unexpected error: {type(exc).__name__}: {exc} "
                 "(run again with --debug for the traceback)")
        return EXIT_BUG
    finally:
        _status("")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
