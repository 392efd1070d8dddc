"""Routes over the corridor network: km by country and mode, border crossings, transfers, time.

:func:`route` finds the best route between two places (or points) over the graph of
:func:`corridors.network`, under closures (ports, checkpoints, segments, links, country
pairs), avoided countries, a year and a set of modes; :func:`routes` gives distinct
alternatives with a comparison table. Costs are geodesic km or hours under a stated,
overridable :class:`TransitModel`. Transfers (a change of mode, a break of gauge) are
costed where they happen: the search runs over states (place, arriving mode and gauge).
"""

from __future__ import annotations

import difflib
import itertools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from .catalog import borders
from .errors import DataError, NoRouteError, UnknownPlaceError
from .geodesy import geodesic_distance_m
from .graph import bundled_places, network

Weight = Literal["km", "hours"]
Place = str | tuple[float, float]

#: Columns of :attr:`Route.legs` (geometry follows).
LEG_COLUMNS: tuple[str, ...] = (
    "seq", "from_node", "to_node", "from_name", "to_name", "segment_id", "name", "mode", "gauge_mm",
    "status", "countries", "length_km", "hours", "sources",
)


@dataclass(frozen=True)
class TransitModel:
    """Speeds and dwell times behind ``weight="hours"``; every figure can be overridden.

    Parameters
    ----------
    speed_kmh : dict
        Average speed by mode including stops en route, km/h. Defaults: rail 42, road 40,
        sea 12, pipeline None (no time model).
    border_hours : float, default 12
        Dwell at each border crossing (land, or a change of country across a sea leg).
    gauge_hours : float, default 6
        Dwell at each break of gauge (bogie exchange or transfer of containers).
    transshipment_hours : float, default 12
        Dwell at each change of mode (rail-sea at a port, rail-road).
    basis : dict
        Where each default comes from, stated in every route timed with the model.
    """

    speed_kmh: dict[str, float | None] = field(default_factory=lambda: {"rail": 42.0, "road": 40.0, "sea": 12.0,
                                                                        "pipeline": None})
    border_hours: float = 12.0
    gauge_hours: float = 6.0
    transshipment_hours: float = 12.0
    basis: dict[str, str] = field(default_factory=lambda: {
        "rail": "calibrated: with the dwell times below, a Xi'an-Baku block train (about 6,200 km by rail "
                "and 490 km by sea) takes 10 days, the upper end of the 8-10 days China-Azerbaijan stated by "
                "Azerbaijan Railways' chairman (Caspian News, 2024-10-10, "
                "https://caspiannews.com/news-detail/middle-corridor-freight-volumes-rise-70-in-2024-2024-10-10-0/)",
        "sea": "a Caspian feeder round trip of 3-4 days Aktau-Baku (index1520, 2022-04-14, "
               "https://index1520.com/en/news/dostatochna-li-propusknaya-sposobnost-transkaspiyskogo-mezhdunarodnogo-transportnogo-marshruta/), "
               "i.e. about 42 h one way for ~490 km",
        "road": "assumption: a truck's average over mountain roads, not from a published figure",
        "border_hours": "assumption: half a day per border, not from a published figure",
        "gauge_hours": "assumption: a quarter of a day per break of gauge, not from a published figure",
        "transshipment_hours": "assumption: half a day per change of mode (port handling), not from a published figure",
    })

    def with_overrides(self, **changes: Any) -> TransitModel:
        """A copy with some figures replaced, e.g. ``border_hours=48`` or ``speed_kmh={"rail": 40}``.

        Overridden figures are stated as "set by the user" in :meth:`assumptions`.
        """
        speeds = {**self.speed_kmh, **changes.pop("speed_kmh", {})}
        basis = dict(self.basis)
        for mode in set(speeds) - {k for k, v in self.speed_kmh.items() if speeds[k] == v}:
            basis[mode] = "set by the user"
        for key in changes:
            basis[key] = "set by the user"
        return replace(self, speed_kmh=speeds, basis=basis, **changes)

    def assumptions(self) -> list[str]:
        """The figures used and their basis, one line each."""
        out = [f"{mode} {speed:g} km/h ({self.basis.get(mode, 'set by the user')})"
               for mode, speed in self.speed_kmh.items() if speed]
        for key in ("border_hours", "gauge_hours", "transshipment_hours"):
            out.append(f"{key.replace('_', ' ')} {getattr(self, key):g} ({self.basis.get(key, 'set by the user')})")
        return out

    def edge_hours(self, data: dict[str, Any]) -> float:
        speed = self.speed_kmh.get(str(data.get("mode")))
        if not speed:
            raise DataError(f"no speed for mode {data.get('mode')!r} in the transit model; pass speed_kmh=")
        customs = [c for c in data.get("crossings") or []
                   if not (str(c["from_iso3"]).startswith("X") or str(c["to_iso3"]).startswith("X"))]
        return data["length_km"] / speed + self.border_hours * len(customs)

    def dwell(self, a: tuple[Any, Any] | None, b: tuple[Any, Any]) -> float:
        if a is None or a == b:
            return 0.0
        if a[0] != b[0]:
            return self.transshipment_hours
        return self.gauge_hours if a[0] == "rail" else 0.0


DEFAULT_MODEL = TransitModel()


@dataclass
class Route:
    """One route: its legs, km by country and mode, crossings, transfers and time.

    Attributes
    ----------
    legs : geopandas.GeoDataFrame
        :data:`LEG_COLUMNS`, one row per edge in travel order, geometry oriented in the
        direction of travel.
    total_km : float
        Geodesic length, the sum of the legs' ``length_km``.
    hours : float or None
        Travel time under :attr:`model` (dwell included), None if a mode has no speed.
    by_country, by_mode : pandas.DataFrame
        ``iso3``/``country`` (or ``mode``), ``length_km``, ``share``.
    crossings : pandas.DataFrame
        Ordered border crossings: ``seq``, ``km`` (from the origin), ``from_iso3``,
        ``to_iso3``, ``by`` (``land`` or ``sea``: a change of country across a sea leg),
        ``checkpoint``, ``counted`` (False for the edge of a Natural Earth unit without an
        ISO code, such as XBK, the Baikonur lease inside Kazakhstan, which is no customs
        border; such rows are listed but left out of the count).
    transfers : pandas.DataFrame
        ``seq``, ``km``, ``place``, ``kind`` (``transshipment`` or ``break-of-gauge``),
        ``from_mode``, ``to_mode`` (mode and gauge before and after).
    origin, destination, via : str
    conditions : dict
        The closures, avoided countries, year and modes the route was found under.
    model : TransitModel
    """

    legs: gpd.GeoDataFrame
    total_km: float
    hours: float | None
    by_country: pd.DataFrame
    by_mode: pd.DataFrame
    crossings: pd.DataFrame
    transfers: pd.DataFrame
    origin: str
    destination: str
    via: list[str]
    conditions: dict[str, Any]
    model: TransitModel
    weight: str = "km"
    access_km: dict[str, float] = field(default_factory=dict)

    @property
    def places(self) -> list[str]:
        """Names of the places along the route, origin first."""
        if self.legs.empty:
            return [self.origin]
        return [self.legs["from_name"].iloc[0], *self.legs["to_name"]]

    def summary(self) -> dict[str, Any]:
        """One row of figures for a comparison table."""
        return {
            "via": " – ".join(_key_places(self)), "total_km": self.total_km, "hours": self.hours,
            "days": None if self.hours is None else self.hours / 24.0,
            "countries": " ".join(self.by_country["iso3"].replace("", "sea")),
            "border_crossings": int(self.crossings["counted"].sum()),
            "breaks_of_gauge": int((self.transfers["kind"] == "break-of-gauge").sum()),
            "transshipments": int((self.transfers["kind"] == "transshipment").sum()),
            "sea_km": float(self.by_mode.loc[self.by_mode["mode"] == "sea", "length_km"].sum()),
        }

    def to_text(self) -> str:
        """A plain-text report of the route, its figures, conditions and assumptions."""
        lines = [f"Route {self.origin} -> {self.destination}"
                 + (f" via {', '.join(self.via)}" if self.via else ""),
                 f"  {self.total_km:,.0f} km" + ("" if self.hours is None else
                                                  f", {self.hours:,.0f} h ({self.hours / 24:.1f} days)")
                 + f" (shortest by {self.weight})"]
        cond = {k: v for k, v in self.conditions.items() if v not in (None, [], ())}
        if cond:
            lines.append("  conditions: " + "; ".join(f"{k}={v}" for k, v in cond.items()))
        lines.append("  path: " + " – ".join(self.places))
        lines.append("  km by country: " + ", ".join(f"{r.country} {r.length_km:,.0f}" for r in self.by_country.itertuples()))
        lines.append("  km by mode: " + ", ".join(f"{r.mode} {r.length_km:,.0f}" for r in self.by_mode.itertuples()))
        lines.append(f"  border crossings ({int(self.crossings['counted'].sum())}):")
        lines += [f"    {r.seq}. km {r.km:,.0f} {r.from_iso3} -> {r.to_iso3} ({r.by})"
                  + (f" at {r.checkpoint}" if r.checkpoint else "")
                  + ("" if r.counted else " (not counted: a Natural Earth unit without an ISO code)")
                  for r in self.crossings.itertuples()]
        lines.append(f"  transfers ({len(self.transfers)}):")
        lines += [f"    {r.seq}. km {r.km:,.0f} {r.kind} at {r.place}: {r.from_mode} -> {r.to_mode}" for r in self.transfers.itertuples()]
        for name, km in self.access_km.items():
            lines.append(f"  {name} joined to the network at {km:.1f} km from the given point")
        if self.hours is not None:
            lines.append("  assumptions: " + "; ".join(self.model.assumptions()))
        statuses = sorted(set(self.legs["status"].dropna()) - {"operating"})
        if statuses:
            lines.append(f"  note: the route uses lines that are {', '.join(statuses)} (see legs.status)")
        return "\n".join(lines)


def _key_places(r: Route) -> list[str]:
    """The places that tell routes apart: border checkpoints and transfer points, in order."""
    events = sorted([(row.km, row.checkpoint) for row in r.crossings.itertuples() if row.checkpoint]
                    + [(row.km, row.place) for row in r.transfers.itertuples()])
    return list(dict.fromkeys([r.origin, *(name for _, name in events), r.destination]))


@lru_cache(maxsize=16)
def _bundled_network(year: int | None, modes: tuple[str, ...] | None) -> nx.MultiGraph:
    return network(year=year, modes=modes)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    b = borders()
    return dict(zip(b["iso3"], b["name"]))


_TABLES: weakref.WeakKeyDictionary[nx.MultiGraph, tuple[int, pd.DataFrame]] = weakref.WeakKeyDictionary()


def _place_table(graph: nx.MultiGraph) -> pd.DataFrame:
    """Nodes (and bundled places off the network) with names; kept per graph while it is unchanged."""
    kept = _TABLES.get(graph)
    if kept is not None and kept[0] == graph.number_of_nodes():
        return kept[1]
    table = _node_table(graph)
    named = pd.concat([table.assign(on=True), _off_network(table)], ignore_index=True)
    _TABLES[graph] = (graph.number_of_nodes(), named)
    return named


def _node_table(graph: nx.MultiGraph) -> pd.DataFrame:
    rows = [{"node": n, "name": d.get("name"), "place_id": d.get("place_id"), "kind": d.get("kind"),
             "x": d["x"], "y": d["y"]} for n, d in graph.nodes(data=True)]
    return pd.DataFrame(rows)


#: A named place off the network is joined to its nearest node only within this distance (km);
#: a (lon, lat) point is joined at any distance, and the distance is reported.
MAX_ACCESS_KM: float = 25.0

_KIND_ORDER = {"station": 0, "city": 1, "port": 2, "border-checkpoint": 3, "break-of-gauge": 4}


def resolve(graph: nx.MultiGraph, place: Place) -> tuple[Any, float]:
    """The network node for a place name, place id or ``(lon, lat)``, and the km to reach it.

    Names match case-insensitively: a place id, an exact name, or a name that begins with
    the words given ("Kashgar" -> "Kashgar station"). A place of the bundled places that
    is not itself a node is joined to the nearest node within :data:`MAX_ACCESS_KM`.

    Raises
    ------
    UnknownPlaceError
        Listing the nearest matching names.
    NoRouteError
        For a known place farther than :data:`MAX_ACCESS_KM` from the network.
    """
    named = _place_table(graph)
    if isinstance(place, tuple) or (isinstance(place, Sequence) and not isinstance(place, str)):
        table = named[named["on"]]
        lon, lat = (float(v) for v in place)
        x, y = table["x"].to_numpy(dtype=float), table["y"].to_numpy(dtype=float)
        # rough (equirectangular) distances pick the candidates; geodesics decide among them
        dx = (x - lon + 180.0) % 360.0 - 180.0
        rough = np.hypot(dx * np.cos(np.radians((y + lat) / 2.0)), y - lat)
        near = np.argsort(rough)[:32]
        d = geodesic_distance_m(np.full(len(near), lon), np.full(len(near), lat), x[near], y[near])
        i = int(near[np.argmin(d)])
        return table["node"].iloc[i], float(d.min()) / 1000.0
    q = str(place).strip().casefold()
    if q in graph:
        return q, 0.0
    names = named["name"].fillna("").str.casefold()
    ids = named["place_id"].fillna("").str.casefold()
    hit = named[(ids == q) | (names == q)]
    if hit.empty:
        starts = names.str.startswith(q + " ") | names.str.startswith(q + " (") | names.str.startswith(q + ",")
        hit = named[starts]
    if hit.empty:
        pool = sorted(set(named["name"].dropna()))
        close = difflib.get_close_matches(str(place), pool, n=5, cutoff=0.5)
        close += [p for p in pool if q and q in p.casefold() and p not in close][: max(0, 5 - len(close))]
        raise UnknownPlaceError(place, close)
    hit = hit.assign(rank=hit["kind"].map(_KIND_ORDER).fillna(9)).sort_values(["on", "rank"], ascending=[False, True])
    row = hit.iloc[0]
    if row["on"]:
        return row["node"], 0.0
    node, km = resolve(graph, (row["x"], row["y"]))
    if km > MAX_ACCESS_KM:
        raise NoRouteError(f"{row['name']} is not on this network: the nearest place on it, "
                           f"{graph.nodes[node]['name']}, is {km:,.0f} km away (more than {MAX_ACCESS_KM:g} km)")
    return node, km


def _off_network(table: pd.DataFrame) -> pd.DataFrame:
    """Bundled places that are not nodes, with the km to the nearest node."""
    pl = bundled_places()
    pl = pl[~pl["place_id"].isin(table["place_id"].dropna())]
    if pl.empty or table.empty:
        return pd.DataFrame(columns=["node", "name", "place_id", "kind", "x", "y", "on", "access_km"])
    x, y = shapely.get_x(pl.geometry.values), shapely.get_y(pl.geometry.values)
    d = geodesic_distance_m(x[:, None], y[:, None], table["x"].to_numpy()[None, :], table["y"].to_numpy()[None, :])
    return pd.DataFrame({"node": None, "name": pl["name"].to_numpy(), "place_id": pl["place_id"].to_numpy(),
                         "kind": pl["kind"].to_numpy(), "x": x, "y": y, "on": False, "access_km": d.min(axis=1) / 1000.0})


def _pair(value: Any) -> frozenset[str] | None:
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return frozenset(v.upper() for v in value)
    if isinstance(value, str):
        for sep in ("-", "/", "|"):
            parts = value.split(sep)
            if len(parts) == 2 and all(len(p.strip()) == 3 and p.strip().isalpha() for p in parts):
                return frozenset(p.strip().upper() for p in parts)
    return None


def _blocked(graph: nx.MultiGraph, closed: Iterable[Any], avoid: Iterable[Any]) -> tuple[set[Any], set[tuple[Any, Any, Any]], dict[str, list[str]]]:
    """Nodes and edges taken out by ``closed`` and ``avoid``, and how each item was read."""
    nodes: set[Any] = set()
    edges: set[tuple[Any, Any, Any]] = set()
    read: dict[str, list[str]] = {}
    names = _country_names()
    by_name = {v.casefold(): k for k, v in names.items()}
    for item in [*closed, *avoid]:
        pair = _pair(item)
        key = str(item)
        if pair is not None:
            for u, v, k, d in graph.edges(keys=True, data=True):
                sea = d.get("mode") == "sea" and frozenset((graph.nodes[u].get("iso3"), graph.nodes[v].get("iso3"))) == pair
                if sea or any(frozenset((c["from_iso3"], c["to_iso3"])) == pair for c in d.get("crossings") or []):
                    edges.add((u, v, k))
            read[key] = ["country pair"]
            continue
        iso = key.upper() if key.upper() in names else by_name.get(key.casefold())
        if iso is not None and len(key) >= 3:
            hit = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if d.get("km_by_country", {}).get(iso, 0) > 0]
            edges.update(hit)
            read[key] = [f"country {iso}"]
            continue
        seg = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
               if key in (d.get("segment_id"), d.get("link_id"), d.get("branch") if d.get("corridor_id") == "links" else None,
                          d.get("corridor_id"))]
        if seg:
            edges.update(seg)
            read[key] = ["segment/link"]
            continue
        node, _ = resolve(graph, key)
        nodes.add(node)
        read[key] = [f"place {graph.nodes[node]['name']}"]
    return nodes, edges, read


def _cls(d: dict[str, Any]) -> tuple[Any, Any]:
    return (d.get("mode"), d.get("gauge_mm") if d.get("mode") == "rail" else None)


@dataclass
class _Core:
    """The state graph of one network under one set of closures, kept for the next query."""

    graph: nx.MultiGraph
    model: TransitModel
    states: nx.DiGraph
    leaving: dict[Any, list[tuple[Any, Any, float, tuple[Any, Any, Any]]]]
    classes: dict[Any, set[Any]]


_CORES: OrderedDict[tuple[Any, ...], _Core] = OrderedDict()
_CORES_LOCK = threading.Lock()


def _core(graph: nx.MultiGraph, vias: list[Any], weight: Weight, model: TransitModel,
          nodes_out: set[Any], edges_out: set[tuple[Any, Any, Any]]) -> _Core:
    """Directed graph of states (node, arriving mode and gauge, stage) with dwell at transfers.

    Stage ``s`` means the first ``s`` via points are behind; at a via point a free edge
    leads to the next stage. Weight "km" needs no arriving class (every state has None).
    Built once per network, weight, model, via points and closures (call under the lock);
    a graph is taken as unchanged while it has the same nodes (pass a copy to route over
    a graph that was edited in place).
    """
    key = (id(graph), graph.number_of_nodes(), weight, id(model), tuple(vias), frozenset(nodes_out), frozenset(edges_out))
    core = _CORES.get(key)
    if core is not None and core.graph is graph and core.model is model:
        _CORES.move_to_end(key)
        return core
    timed = weight == "hours"
    best: dict[tuple[Any, Any, Any], tuple[float, Any]] = {}
    classes: dict[Any, set[Any]] = {}
    for u, v, k, d in graph.edges(keys=True, data=True):
        if (u, v, k) in edges_out or u in nodes_out or v in nodes_out or u == v:
            continue
        cost = model.edge_hours(d) if timed else d["length_km"]
        c = _cls(d) if timed else None
        for a, b in ((u, v), (v, u)):
            prev = best.get((a, b, c))
            if prev is None or cost < prev[0]:
                best[(a, b, c)] = (cost, (u, v, k))
            classes.setdefault(b, set()).add(c)
    states = nx.DiGraph()
    leaving: dict[Any, list[tuple[Any, Any, float, tuple[Any, Any, Any]]]] = {}
    for (a, b, c), (cost, edge) in best.items():
        leaving.setdefault(a, []).append((b, c, cost, edge))
        for c_in in classes.get(a, set()):
            extra = model.dwell(c_in, c) if timed else 0.0
            for stage in range(len(vias) + 1):
                states.add_edge((a, c_in, stage), (b, c, stage), weight=cost + extra, edge=edge)
    for stage, stop in enumerate(vias):
        for c in classes.get(stop, set()):
            states.add_edge((stop, c, stage), (stop, c, stage + 1), weight=0.0, edge=None)
    core = _Core(graph, model, states, leaving, classes)
    _CORES[key] = core
    while len(_CORES) > 8:
        _CORES.popitem(last=False)
    return core


def _edges_of(sg: nx.DiGraph, path: list[Any]) -> list[tuple[Any, Any, Any]]:
    return [e for e in (sg.edges[a, b]["edge"] for a, b in zip(path[:-1], path[1:])) if e is not None]


def _build(graph: nx.MultiGraph, edges: list[tuple[Any, Any, Any]], start: Any, weight: Weight, model: TransitModel,
           names: tuple[str, str, list[str]], conditions: dict[str, Any], access: dict[str, float]) -> Route:
    rows, geoms, at = [], [], start
    crossings, transfers = [], []
    km_so_far, prev_cls, hours = 0.0, None, 0.0
    timed = all(model.speed_kmh.get(graph.edges[e].get("mode")) for e in edges)
    for seq, (u, v, k) in enumerate(edges, 1):
        d = graph.edges[u, v, k]
        to = v if at == u else u
        forward = d["start"] == at
        geom = d["geometry"] if forward else shapely.reverse(d["geometry"])
        cls = _cls(d)
        if prev_cls is not None and cls != prev_cls:
            kind = "transshipment" if cls[0] != prev_cls[0] else ("break-of-gauge" if cls[0] == "rail" else None)
            if kind:
                transfers.append({"km": km_so_far, "place": graph.nodes[at]["name"], "kind": kind,
                                  "from_mode": _cls_text(prev_cls), "to_mode": _cls_text(cls)})
                hours += model.dwell(prev_cls, cls)
        own = sorted(d.get("crossings") or [], key=lambda c: c["km"], reverse=not forward)
        for c in own:
            along = c["km"] if forward else d["length_km"] - c["km"]
            fr, tt = (c["from_iso3"], c["to_iso3"]) if forward else (c["to_iso3"], c["from_iso3"])
            crossings.append({"km": km_so_far + along, "from_iso3": fr, "to_iso3": tt, "by": "land",
                              "checkpoint": c["checkpoint"]})
        if d.get("mode") == "sea":
            a_iso, b_iso = graph.nodes[at].get("iso3"), graph.nodes[to].get("iso3")
            if a_iso and b_iso and a_iso != b_iso:
                crossings.append({"km": km_so_far + d["length_km"], "from_iso3": a_iso, "to_iso3": b_iso, "by": "sea",
                                  "checkpoint": graph.nodes[to]["name"]})
                hours += model.border_hours
        leg_h = model.edge_hours(d) if timed else np.nan
        hours += leg_h if timed else 0.0
        rows.append({"seq": seq, "from_node": at, "to_node": to, "from_name": graph.nodes[at]["name"],
                     "to_name": graph.nodes[to]["name"], "segment_id": d.get("segment_id"), "name": d.get("name"),
                     "mode": d.get("mode"), "gauge_mm": d.get("gauge_mm"), "status": d.get("status"),
                     "countries": " ".join(iso or "sea" for iso in d.get("km_by_country", {})),
                     "length_km": d["length_km"], "hours": leg_h, "sources": d.get("sources")})
        geoms.append(geom)
        km_so_far += d["length_km"]
        prev_cls, at = cls, to
    legs = gpd.GeoDataFrame(pd.DataFrame(rows, columns=list(LEG_COLUMNS)), geometry=geoms, crs="EPSG:4326")
    legs["gauge_mm"] = legs["gauge_mm"].astype("Int64")
    km: dict[str, float] = {}
    for e in edges:
        for iso, val in graph.edges[e].get("km_by_country", {}).items():
            km[iso] = km.get(iso, 0.0) + val
    total = float(legs["length_km"].sum())
    names_ = _country_names()
    by_country = pd.DataFrame({"iso3": [("" if k == "sea" else k) for k in km],
                               "country": [names_.get(k, "Caspian Sea" if k == "sea" else k) for k in km],
                               "length_km": list(km.values())})
    by_country["share"] = by_country["length_km"] / total if total else 0.0
    by_mode = legs.groupby("mode", sort=False, dropna=False)["length_km"].sum().reset_index()
    by_mode["share"] = by_mode["length_km"] / total if total else 0.0
    cross = pd.DataFrame(crossings, columns=["km", "from_iso3", "to_iso3", "by", "checkpoint"])
    # Natural Earth units without an ISO code (user-assigned X.. codes, e.g. XBK, the Baikonur
    # lease inside Kazakhstan) are not customs borders: listed, not counted
    cross["counted"] = ~(cross["from_iso3"].str.startswith("X") | cross["to_iso3"].str.startswith("X"))
    cross.insert(0, "seq", np.arange(1, len(cross) + 1))
    trans = pd.DataFrame(transfers, columns=["km", "place", "kind", "from_mode", "to_mode"])
    trans.insert(0, "seq", np.arange(1, len(trans) + 1))
    origin, destination, via = names
    out = Route(legs=legs, total_km=total, hours=hours if timed else None, by_country=by_country, by_mode=by_mode,
                crossings=cross, transfers=trans, origin=origin, destination=destination, via=via,
                conditions=conditions, model=model, weight=weight, access_km=access)
    return out


def _cls_text(c: tuple[Any, Any]) -> str:
    return f"{c[0]} {c[1]} mm" if c[1] else str(c[0])


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str) or (isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float | int) for v in value)):
        return [value]
    return list(value)


def routes(
    origin: Place,
    destination: Place,
    *,
    k: int = 3,
    via: Place | Sequence[Place] | None = None,
    avoid: Sequence[str] | str | None = None,
    closed: Sequence[Any] | str | None = None,
    year: int | None = None,
    modes: Sequence[str] | None = None,
    weight: Weight = "km",
    lines: gpd.GeoDataFrame | None = None,
    graph: nx.MultiGraph | None = None,
    model: TransitModel | None = None,
) -> list[Route]:
    """The ``k`` best distinct routes, best first; see :func:`route` for the parameters.

    Alternatives are distinct simple paths over places (two routes differing only in a
    parallel line between the same two places count once). :func:`compare` puts them
    side by side.

    Returns
    -------
    list of Route
        At most ``k``; fewer when the network has fewer distinct routes.
    """
    if weight not in ("km", "hours"):
        raise DataError(f"weight must be 'km' or 'hours', not {weight!r}")
    if k < 1:
        raise DataError(f"k must be at least 1, not {k}")
    model = model or DEFAULT_MODEL
    if graph is None:
        graph = (_bundled_network(year, tuple(modes) if modes else None) if lines is None
                 else network(lines, year=year, modes=modes))
    vias = _as_list(via)
    stops, access = [], {}
    for p in [origin, *vias, destination]:
        node, km = resolve(graph, p)
        stops.append(node)
        if km > 0:
            access[str(p)] = km
    closed_l, avoid_l = _as_list(closed), _as_list(avoid)
    nodes_out, edges_out, _ = _blocked(graph, closed_l, avoid_l)
    hit = [graph.nodes[s]["name"] for s in stops if s in nodes_out]
    if hit:
        raise NoRouteError(f"{', '.join(hit)} is closed or avoided but is the origin, destination or a via point")
    conditions = {"via": [str(v) for v in vias], "avoid": [str(a) for a in avoid_l], "closed": [str(c) for c in closed_l],
                  "year": year, "modes": list(modes) if modes else None}
    names = (graph.nodes[stops[0]]["name"], graph.nodes[stops[-1]]["name"], [graph.nodes[s]["name"] for s in stops[1:-1]])
    if stops[0] == stops[-1] and not vias:
        raise DataError(f"the origin and the destination are the same place ({graph.nodes[stops[0]]['name']})")
    vias_n = [v for i, v in enumerate(stops[1:-1]) if not (i == 0 and v == stops[0])]
    found: list[list[tuple[Any, Any, Any]]] = []
    with _CORES_LOCK:
        core = _core(graph, vias_n, weight, model, nodes_out, edges_out)
        sg = core.states
        for b, c, cost, edge in core.leaving.get(stops[0], []):
            sg.add_edge("START", (b, c, 0), weight=cost, edge=edge)
        for c in core.classes.get(stops[-1], set()):
            sg.add_edge((stops[-1], c, len(vias_n)), "END", weight=0.0, edge=None)
        seen: set[tuple[Any, ...]] = set()
        try:
            if "START" in sg and "END" in sg:
                for path in itertools.islice(nx.shortest_simple_paths(sg, "START", "END", weight="weight"), 20 * k):
                    edges = _edges_of(sg, path)
                    sig = tuple(frozenset((u, v)) for u, v, _ in edges)
                    if sig not in seen:
                        seen.add(sig)
                        found.append(edges)
                    if len(found) == k:
                        break
        except nx.NetworkXNoPath:
            pass
        finally:
            sg.remove_nodes_from(["START", "END"])
    out = [_build(graph, edges, stops[0], weight, model, names, conditions, access) for edges in found]
    if not out:
        raise NoRouteError(_no_route(graph, stops, closed_l, avoid_l, year, modes))
    return out


def _no_route(graph: nx.MultiGraph, stops: list[Any], closed: list[Any], avoid: list[Any], year: Any, modes: Any) -> str:
    cond = ", ".join(f"{k}={v}" for k, v in (("closed", closed), ("avoid", avoid), ("year", year), ("modes", modes)) if v)
    return (f"no route from {graph.nodes[stops[0]]['name']} to {graph.nodes[stops[-1]]['name']}"
            + (f" under {cond}" if cond else "") + " on this network")


def route(
    origin: Place,
    destination: Place,
    *,
    via: Place | Sequence[Place] | None = None,
    avoid: Sequence[str] | str | None = None,
    closed: Sequence[Any] | str | None = None,
    year: int | None = None,
    modes: Sequence[str] | None = None,
    weight: Weight = "km",
    lines: gpd.GeoDataFrame | None = None,
    graph: nx.MultiGraph | None = None,
    model: TransitModel | None = None,
) -> Route:
    """The best route between two places over the corridor network.

    Parameters
    ----------
    origin, destination : str or (lon, lat)
        A place name or id ("Kashgar", "alat-port"), matched case-insensitively (a name
        that begins with the words given also matches), or a point joined to the nearest
        node (the distance is reported, not counted).
    via : place or list of places, optional
        Places the route must pass, in order.
    avoid : str or list of str, optional
        Countries (ISO3 or name) or places the route must not touch.
    closed : str or list, optional
        Closures: places (ports, checkpoints), segment ids, link ids, corridor ids, or
        country pairs (``"KAZ-AZE"`` or ``("KAZ", "AZE")``: every land crossing between
        them and every sea leg joining them).
    year : int, optional
        Only lines in service in that year (see :func:`corridors.network`).
    modes : list of str, optional
        Modes allowed, e.g. ``["rail", "sea"]``; freight modes by default.
    weight : {"km", "hours"}
        Minimise geodesic km, or hours under ``model`` (speed per mode, dwell at each
        border crossing, break of gauge and transshipment).
    lines : GeoDataFrame, optional
        Route over these lines instead of the bundled network.
    graph : networkx.MultiGraph, optional
        A prebuilt :func:`corridors.network` graph (fastest for many queries).
    model : TransitModel, optional
        Transit-time figures; :data:`DEFAULT_MODEL` by default. Its assumptions are stated
        in :meth:`Route.to_text`.

    Returns
    -------
    Route

    Raises
    ------
    UnknownPlaceError
        For a place name not in the network; the message lists the nearest matches.
    NoRouteError
        If the conditions leave no route.
    """
    return routes(origin, destination, k=1, via=via, avoid=avoid, closed=closed, year=year, modes=modes,
                  weight=weight, lines=lines, graph=graph, model=model)[0]


def compare(found: Sequence[Route]) -> pd.DataFrame:
    """Routes side by side: one row each (``route`` 1, 2, ...) with their figures.

    Returns
    -------
    pandas.DataFrame
        ``route``, ``via`` (key places), ``total_km``, ``hours``, ``days``, ``countries``,
        ``border_crossings``, ``breaks_of_gauge``, ``transshipments``, ``sea_km``.
    """
    df = pd.DataFrame([r.summary() for r in found])
    df.insert(0, "route", np.arange(1, len(df) + 1))
    return df
