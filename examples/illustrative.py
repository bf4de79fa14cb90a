"""The fictional Vellmark dataset end to end: load, validate, timeline, map, layers, ACLED.

Part 2 of ``docs/bring_your_own.md``; every Python block of that part is in
this script, in order, and the test suite runs it.  Nothing here is real:
Vellmark, Aldoria, their towns, armed groups and events are invented (see
``examples/vellmark/README.md``).

Usage::

    python examples/illustrative.py OUT_DIR
"""

import shutil
import sys
from pathlib import Path

import pandas as pd
import pyproj

import territory

HERE = Path(__file__).resolve().parent
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "vellmark_out")
DATA = OUT / "vellmark"  # a copy, so that the ACLED import below leaves examples/ alone
shutil.copytree(HERE / "vellmark", DATA, dirs_exist_ok=True)

# --- load and validate --------------------------------------------------
problems = territory.validate(DATA)
assert not problems, "\n".join(map(str, problems))
ds = territory.load_dataset(DATA)
print(ds)
print("areas and distances in:", ds.equal_area_crs)
print("sides:", {side: ds.sides.label(side) for side in ds.sides.ids})
print("incumbent:", ds.sides.incumbent)

# --- areas, checked against the ellipsoid -------------------------------
tl = territory.ControlTimeline(ds)
geod = pyproj.Geod(ellps="WGS84")
geodesic_km2 = abs(geod.geometry_area_perimeter(ds.state.geometry.iloc[0])[0]) / 1e6
print(f"study area: {tl.zones['area_km2'].sum():,.0f} km² (geodesic: {geodesic_km2:,.0f} km²)")

# --- the timeline -------------------------------------------------------
print(tl.series("2025-02-01", ds.as_of, freq="MS", by="side").round(0))
print(tl.places_at("2025-08-15")[["holder", "side", "status", "held_since"]])
print(tl.changes("2025-01-31", "2025-12-31")[["from_actor", "to_actor", "to_side", "area_km2"]])

# --- optional parts: no trade data here ---------------------------------
try:
    territory.trade_share(tl, "2025-08-15")
except territory.TerritoryError as error:
    print("trade share:", error)

# --- a map and GIS layers -----------------------------------------------
from territory.export import control_map, write_geopackage  # noqa: E402

control_map(tl, "2025-08-15").save(str(OUT / "vellmark_2025-08-15.html"))
write_geopackage(tl, OUT / "vellmark.gpkg")
print("wrote", OUT / "vellmark_2025-08-15.html", "and", OUT / "vellmark.gpkg")

# --- ACLED: candidate events, reviewed, then accepted --------------------
from territory.io import accept_review, read_acled, write_review  # noqa: E402

review = read_acled(
    HERE / "vellmark_acled" / "export.csv", HERE / "vellmark_acled" / "actor_map.csv", DATA
)
write_review(review, OUT / "acled_review.csv")
print(review[["review_status", "acled_event_id", "place", "from_actor", "to_actor", "kind"]])
print("unmatched ACLED locations:", review.attrs["unmatched"])

# A person reads acled_review.csv and writes "yes" in the accept column of
# the rows to take; here the script accepts every new row.
table = pd.read_csv(OUT / "acled_review.csv", dtype=str, keep_default_na=False)
table.loc[table["review_status"] == "new", "accept"] = "yes"
table.to_csv(OUT / "acled_review.csv", index=False)
problems = accept_review(OUT / "acled_review.csv", DATA)
print("after accepting:", problems or "valid")
print(len(territory.load_dataset(DATA).events), "events in the log")
