"""An export for QGIS: the whole timeline as a GeoPackage, plus GeoJSON and a GeoTIFF.

Open ``OUT_DIR/territory.gpkg`` in QGIS's Browser and double-click the
project ``territory`` inside it (or *Project → Open From → GeoPackage*): the
layers open styled in the actors' colours, and the Temporal Controller plays
the timeline week by week.  Its layers:

- ``control_intervals``: one polygon per zone and holder interval
  (``valid_from``, ``valid_to``; an empty ``valid_to`` means the interval is
  still open on the as-of date).
- ``places``, ``crossings`` (with their holder intervals), ``events`` (with
  their sources) and ``changes``.

``control_2024-08-10.geojson`` is one day's control polygons in RFC 7946
GeoJSON, for web maps; ``control_quarterly.tif`` holds one band of actor codes
for the eve of the offensive and one for the first day of each quarter; the
code → actor table is in its metadata and ``control_quarterly.qml`` beside it
makes QGIS draw every band in the actors' colours.

Run it with::

    python examples/qgis_export.py [OUT_DIR]
"""

import sys
from pathlib import Path

import pandas as pd

import territory
from territory.export import write_geojson, write_geopackage, write_geotiff

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

ds = territory.load_shan()
tl = territory.ControlTimeline(ds)

print("wrote", write_geopackage(tl, out / "territory.gpkg"))
print("wrote", write_geojson(tl.at("2024-08-10", by="actor"), out / "control_2024-08-10.geojson"))
quarters = [ds.baseline_date, *pd.date_range(ds.baseline_date, ds.as_of, freq="QS")]
print("wrote", write_geotiff(tl, quarters, out / "control_quarterly.tif"))
