"""Rendering result tables as text: an aligned table, CSV, JSON or a Markdown table.

The command line prints every table through :func:`render`. Kilometres (columns ``km``
and ``*_km``) are rounded to 3 decimals (metres) in every format. ``csv`` and ``json`` are
for machines (other numbers to 6 decimals, ``null`` for missing values); ``table`` and ``md``
are for people (shares as percentages, longitudes and latitudes to 5 decimals, about 1 m,
other numbers to 1 decimal). The API keeps full floats.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # numpy and pandas are imported when a table is rendered, keeping `corridors --help` quick
    import pandas as pd

TableFormat = Literal["table", "csv", "json", "md"]
#: The formats :func:`render` writes.
TABLE_FORMATS: tuple[str, ...] = ("table", "csv", "json", "md")


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """A plain DataFrame of a (Geo)DataFrame: geometry replaced by ``lon``/``lat`` or WKT.

    Parameters
    ----------
    df : pandas.DataFrame or geopandas.GeoDataFrame
        The table; a point geometry column becomes ``lon`` and ``lat`` (degrees),
        any other geometry becomes a ``wkt`` column.

    Returns
    -------
    pandas.DataFrame
        Same rows, no geometry dtype, a fresh 0..n-1 index.
    """
    import numpy as np
    import pandas as pd

    geom_col = getattr(df, "_geometry_column_name", None)
    if geom_col is None or geom_col not in df.columns:
        return pd.DataFrame(df).reset_index(drop=True)
    geom = df[geom_col]
    out = pd.DataFrame(df.drop(columns=geom_col)).reset_index(drop=True)
    present = geom.notna().to_numpy() & ~geom.is_empty.to_numpy()
    if len(geom) and (geom.geom_type[present] == "Point").all():
        out["lon"] = np.where(present, geom.x.where(present), np.nan)
        out["lat"] = np.where(present, geom.y.where(present), np.nan)
    else:
        out["wkt"] = geom.to_wkt().to_numpy()
    return out


#: Decimals of kilometres in every rendered format (metres).
KM_DECIMALS = 3
#: Decimals of other floats in CSV and JSON.
FLOAT_DECIMALS = 6


def is_km(column: str) -> bool:
    """True for a column of kilometres: ``km`` or a name ending in ``_km``."""
    return column == "km" or column.endswith("_km")


def _rounded(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns rounded for CSV/JSON: km to :data:`KM_DECIMALS`, others to :data:`FLOAT_DECIMALS`."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(KM_DECIMALS if is_km(str(col)) else FLOAT_DECIMALS) + 0.0  # no -0.0
    return out


def _cell(value: Any, column: str) -> str:
    """One cell for people: floats rounded (shares as %), missing values blank."""
    import numpy as np

    from ._values import is_missing

    if is_missing(value):
        return ""
    if isinstance(value, (float, np.floating)):
        if column == "share":
            return f"{value:.1%}"
        if column in ("lon", "lat"):
            return f"{value:.5f}"
        if is_km(column):
            return f"{value:,.{KM_DECIMALS}f}"
        return f"{value:,.1f}"
    return str(value).replace("\r", " ").replace("\n", " ")


def _is_numeric(series: pd.Series) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _text_table(df: pd.DataFrame) -> str:
    columns = [str(c) for c in df.columns]
    cells = [[_cell(v, c) for v in df[c].tolist()] for c in df.columns]
    widths = [max([len(name), *map(len, col)]) for name, col in zip(columns, cells)]
    right = [_is_numeric(df[c]) for c in df.columns]

    def line(values: list[str]) -> str:
        parts = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right)]
        return "  ".join(parts).rstrip()

    rows = [line(columns), line(["-" * w for w in widths])]
    rows += [line([col[i] for col in cells]) for i in range(len(df))]
    return "\n".join(rows) + "\n"


def _markdown(df: pd.DataFrame) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    columns = [esc(str(c)) for c in df.columns]
    rule = ["---:" if _is_numeric(df[c]) else "---" for c in df.columns]
    rows = ["| " + " | ".join(columns) + " |", "| " + " | ".join(rule) + " |"]
    for record in df.itertuples(index=False):
        rows.append("| " + " | ".join(esc(_cell(v, c)) for v, c in zip(record, map(str, df.columns))) + " |")
    return "\n".join(rows) + "\n"


def render(df: pd.DataFrame, fmt: TableFormat = "table") -> str:
    """Render a table as text.

    Parameters
    ----------
    df : pandas.DataFrame or geopandas.GeoDataFrame
        The table (a geometry column is turned into ``lon``/``lat`` or ``wkt``, see :func:`plain`).
    fmt : {"table", "csv", "json", "md"}
        ``table``: aligned columns for a terminal; ``csv``: RFC 4180 with a header row;
        ``json``: a list of row objects (missing and non-finite numbers as ``null``);
        ``md``: a GitHub Markdown table.

    Returns
    -------
    str
        The text, ending in a newline.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    df = plain(df)
    if fmt in ("csv", "json"):
        df = _rounded(df)
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        from ._values import json_scalar

        records = [{str(k): json_scalar(v) for k, v in zip(df.columns, row)}
                   for row in df.itertuples(index=False)]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(df)
    if fmt == "table":
        return _text_table(df)
    raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(TABLE_FORMATS)}")
