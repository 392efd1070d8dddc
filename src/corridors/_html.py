"""HTML for maps and popups (private): escaping, safe links, script-safe JSON, small tables.

Every value taken from the data goes through :func:`text` (or :func:`link`) before it
becomes HTML; data reach a page's ``<script>`` only as :func:`script_json`. Links are made
only from absolute ``http``/``https`` URLs.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import pandas as pd


def text(value: Any) -> str:
    """A value as HTML text (also safe inside a double- or single-quoted attribute).

    Parameters
    ----------
    value : object
        Anything; None, NaN and ``pd.NA`` become the empty string.

    Returns
    -------
    str
        The value's ``str``, HTML-escaped (quotes included).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def template_safe(value: Any) -> str:
    """Text escaped for HTML and for a JavaScript template literal (folium's tooltips).

    Parameters
    ----------
    value : object
        Anything; None becomes the empty string.

    Returns
    -------
    str
        As :func:`text`, with backtick, dollar and backslash written as character references.
    """
    return (html.escape("" if value is None else str(value), quote=True)
            .replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;"))


def url_href(value: Any) -> str | None:
    """The URL, escaped for an ``href``, if it is an absolute http(s) URL; else None.

    Parameters
    ----------
    value : object
        A candidate URL.

    Returns
    -------
    str or None
        The escaped URL, or None for anything that is not an absolute http(s) URL.
    """
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(parts.geturl(), quote=True)


def link(label: Any, url: Any) -> str:
    """``<a>`` to an http(s) URL (opened in a new tab), or the label as plain text.

    Parameters
    ----------
    label : object
        The link text (escaped here).
    url : object
        The target; anything but an absolute http(s) URL gives no link.

    Returns
    -------
    str
        HTML.
    """
    href = url_href(url)
    if href is None:
        return text(label)
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{text(label)}</a>'


def script_safe(json_text: str) -> str:
    """JSON text with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u`` escapes.

    Parameters
    ----------
    json_text : str
        JSON text.

    Returns
    -------
    str
        The same JSON value, safe to place inside a ``<script>`` element.
    """
    return (json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def script_json(obj: Any) -> str:
    """JSON text that is safe to place inside a ``<script>`` element.

    Parameters
    ----------
    obj : object
        A JSON-serialisable value (no NaN).

    Returns
    -------
    str
        Compact JSON (UTF-8 text kept), made safe by :func:`script_safe`.
    """
    return script_safe(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def km_text(value: float) -> str:
    """A length in km for a popup, e.g. ``"1,234.5 km"``."""
    return f"{value:,.1f} km"


def html_table(title: str, header: Sequence[str], rows: list[tuple[str, ...]]) -> str:
    """A titled table (empty string when there are no rows); cells already escaped.

    Parameters
    ----------
    title : str
        Heading (HTML, ours).
    header : sequence of str
        Column heads (HTML, ours).
    rows : list of tuple of str
        Cells, already escaped.

    Returns
    -------
    str
        HTML.
    """
    if not rows:
        return ""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h4>{title}</h4><table><tr>{head}</tr>{body}</table>"


def html_rows(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column table of (label, value); labels are ours, values already escaped; empty
    values are left out."""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in pairs if v)
    return f"<table>{body}</table>"


def sources_html(ids: Any, sources: dict[Any, dict[str, Any]], brief: bool = False) -> str:
    """A list of source links from ``; ``-separated ids (unknown ids shown as text).

    Parameters
    ----------
    ids : str or None
        Source ids separated by ``;``.
    sources : dict
        Source id -> record with ``publisher``, ``title``, ``url``, ``date``.
    brief : bool
        Publisher and date only, on one line, the title in the link's tooltip.

    Returns
    -------
    str
        HTML (``<ul>``, or one ``<p>`` when ``brief``); empty for no ids.
    """
    if not ids:
        return ""
    items = []
    for sid in (s.strip() for s in str(ids).split(";")):
        if not sid:
            continue
        src = sources.get(sid)
        if src is None:
            items.append(f"<li>{text(sid)}</li>")
            continue
        date = f" ({text(src.get('date'))})" if src.get("date") else ""
        if brief:
            a = link(src.get("publisher") or sid, src.get("url"))
            items.append(a.replace("<a ", f'<a title="{text(src.get("title"))}" ', 1) + date)
            continue
        label = " ".join(x for x in (src.get("publisher"), src.get("title")) if x) or sid
        items.append(f"<li>{link(label, src.get('url'))}{date}</li>")
    if brief:
        return f'<p class="corridors-sources">{"; ".join(items)}</p>'
    return f"<ul>{''.join(items)}</ul>"
