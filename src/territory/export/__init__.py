"""Writers: Folium maps, GeoJSON and GeoPackage layers, GeoTIFF rasters.

=====================  ====================================================
``control_map``        a Folium map of who holds what on one date
``timeline_map``       a Folium map with a time slider over a period
``static_map``         a print map (matplotlib Figure); ``save_static_map``
``write_geojson``      any layer as RFC 7946 GeoJSON
``write_geopackage``   the timeline's layers for QGIS (DateTime intervals)
``write_geotiff``      one band of actor codes per date
``atomic_path``        the temp-file-and-rename guarantee, for your writers
=====================  ====================================================

Every writer that makes a file writes it atomically (to a temporary file that
is renamed into place), so an existing file is replaced only on success.
Folium and rasterio are imported inside the functions that need them.  See
``docs/export.md``.
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
from territory.export.maps import control_map, control_map_from_frames
from territory.export.raster import write_geotiff
from territory.export.static import save_static_map, static_map
from territory.export.timeline_maps import timeline_map, timeline_map_from_frames

__all__ = [
    "atomic_path",
    "control_map",
    "control_map_from_frames",
    "geopackage_layers",
    "save_static_map",
    "static_map",
    "timeline_map",
    "timeline_map_from_frames",
    "to_rfc7946",
    "write_geojson",
    "write_geopackage",
    "write_geotiff",
    "write_layers",
]
