"""Writers: Folium maps, GeoJSON and GeoPackage layers, GeoTIFF rasters.

Every writer that makes a file writes it atomically (to a temporary file that
is renamed into place), so an existing file is replaced only on success.
Folium and rasterio are imported inside the functions that need them.
"""

from __future__ import annotations

from territory.export.atomic import atomic_path
from territory.export.layers import (
    geopackage_layers,
    to_rfc7946,
    write_geojson,
    write_geopackage,
    write_layers,
)
from territory.export.maps import (
    control_map,
    control_map_from_frames,
    timeline_map,
    timeline_map_from_frames,
)
from territory.export.raster import write_geotiff

__all__ = [
    "atomic_path",
    "control_map",
    "control_map_from_frames",
    "geopackage_layers",
    "timeline_map",
    "timeline_map_from_frames",
    "to_rfc7946",
    "write_geojson",
    "write_geopackage",
    "write_geotiff",
    "write_layers",
]
