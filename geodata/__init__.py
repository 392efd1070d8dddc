"""The bundled geodata of corridors (data files only; see docs/DATA_FORMAT.md)."""
