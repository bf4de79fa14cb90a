"""A Folium map for a report: control on one day, with a note of your own.

``territory.export.control_map`` returns an ordinary ``folium.Map``: add your
own layers, markers or text to it, then save it as one HTML file that opens
in any browser (it loads Leaflet from a CDN, so the reader needs a network).

Run it with::

    python examples/report_map.py [OUT_DIR] [YYYY-MM-DD]

It writes ``OUT_DIR/report_map.html`` (default day: 2024-08-10, a week after
the fall of Lashio).
"""

import sys
from pathlib import Path

import folium

import territory
from territory.export import control_map

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
day = sys.argv[2] if len(sys.argv) > 2 else "2024-08-10"
out.mkdir(parents=True, exist_ok=True)

tl = territory.ControlTimeline(territory.load_shan())
m = control_map(tl, day)

# Your own layer on top: here a marker on Lashio with the holder of the day.
lashio = tl.dataset.places.loc["lashio"]
folium.Marker(
    [lashio.geometry.y, lashio.geometry.x],
    tooltip=f"Lashio: held by {tl.holder('lashio', day)} on {day}",
    icon=folium.Icon(color="red", icon="info-sign"),
).add_to(m)

path = out / "report_map.html"
m.save(str(path))
print(f"wrote {path}")
