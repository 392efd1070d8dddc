"""The layer file formats: which suffixes :func:`corridors.read` reads, which formats
:func:`corridors.write` writes, and the metadata members both keep.

Private: shared by :mod:`corridors.io` and :mod:`corridors.writers`. (The text formats of
tables are :data:`corridors.tables.TABLE_FORMATS`.)
"""

from __future__ import annotations

#: File suffixes :func:`corridors.read` understands, and the reader each one uses.
READ_SUFFIXES: dict[str, str] = {
    ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg",
    ".parquet": "parquet", ".geoparquet": "parquet", ".csv": "csv",
}
#: Export formats of :func:`corridors.write` and the suffix each gets by default.
EXPORT_FORMATS: dict[str, str] = {
    "geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv", "json": ".json",
}
#: The export formats that hold a layer's geometry (``json`` holds a table without one).
GEOMETRY_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "parquet", "csv")
#: Other names of export formats.
FORMAT_ALIASES: dict[str, str] = {"geopackage": "gpkg", "geoparquet": "parquet", "wkt": "csv"}
#: Key under which the ``.attrs`` metadata is stored in GeoPackage and GeoParquet files.
METADATA_KEY = "corridors"
#: ``.attrs`` entries written as GeoJSON foreign members and read back from them.
FOREIGN_MEMBERS = ("corridor", "corridors", "sources", "skipped")
#: Members of a GeoJSON FeatureCollection that ``.attrs`` entries must not overwrite.
RESERVED_MEMBERS = {"type", "features", "crs", "bbox", "geometry", "properties", "id"}


def export_format(suffix: str, has_geometry: bool) -> str | None:
    """The export format a file suffix names (None if none does).

    Parameters
    ----------
    suffix : str
        e.g. ``".gpkg"`` (any case).
    has_geometry : bool
        ``.json`` names GeoJSON for a layer, and plain JSON for a table without geometry.
    """
    suffix = suffix.lower()
    if suffix == ".json" and not has_geometry:
        return "json"
    return READ_SUFFIXES.get(suffix)
