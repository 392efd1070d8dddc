"""corridors: a sourced open atlas and geodesic analysis of the infrastructure corridors
linking China, Central Asia, the Caucasus and Turkey.

The public API is re-exported here and imported lazily, so ``import corridors`` is cheap.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:  # one place for the version: pyproject.toml, as installed
    __version__ = version("corridors")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0+unknown"

_API: dict[str, str] = {
    # catalog
    "list_corridors": "catalog",
    "load": "catalog",
    "load_all": "catalog",
    "metadata": "catalog",
    "places": "catalog",
    "borders": "catalog",
    # io
    "read": "io",
    "write": "writers",
    # geodesy / analysis
    "length_km": "analysis",
    "lengths_by_country": "analysis",
    "lengths_by": "analysis",
    "border_crossings": "analysis",
    "transfers": "analysis",
    "profile": "profiles",
    "Profile": "profiles",
    "chain": "analysis",
    "analyse": "analysis",
    "clear_cache": "analysis",
    # network and routing
    "load_links": "links",
    "link_places": "links",
    "timeline": "links",
    "network": "graph",
    "topology_gaps": "graph",
    "route": "routing",
    "routes": "routing",
    "compare": "routing",
    "route_map": "routemap",
    "Route": "routing",
    "TransitModel": "routing",
    # maps
    "render_map": "maps",
    "save_map": "maps",
    "network_map": "routemap",
    "plot": "static",
    "save_figure": "static",
    # errors
    "CorridorsError": "errors",
    "DataError": "errors",
    "UnknownCorridorError": "errors",
    "SkippedFeaturesWarning": "errors",
    "OutsideCountriesWarning": "errors",
    "UnknownPlaceError": "errors",
    "NoRouteError": "errors",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'corridors' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
