"""Bring your own conflict: build a small dataset, then run territory on it.

Everything in this dataset is INVENTED for this guide: Norland, its Eastern
Province, the towns, the armed groups, the events and the trade figures do
not exist.  The shapes sit in the open sea south of Null Island (0°N, 0°E),
where no real country lies, so that nobody mistakes them for a real place.

``docs/bring_your_own.md`` walks through this script; every code block of
the guide appears verbatim below, and the test suite runs this file.

Run it with::

    python examples/bring_your_own.py [OUT_DIR]

It writes the dataset to ``OUT_DIR/norland`` (default ``./my_conflict``),
loads it, asks a few questions and writes a map and a GeoPackage next to it.
"""

import json
import sys
from pathlib import Path

import territory

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "my_conflict")
DATA = OUT / "norland"


def write(relative_path, text):
    """Write one file of the dataset as UTF-8, creating its folder."""
    path = DATA / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- dataset.json ---------------------------------------------------------
write(
    "dataset.json",
    """\
{
  "name": "Norland, Eastern Province (invented)",
  "baseline_date": "2024-04-30",
  "as_of": "2024-12-31",
  "origin": "port_alder",
  "sides": {
    "incumbent": "incumbent",
    "labels": {"incumbent": "Government", "opposition": "Opposition", "neutral": "Neutral"}
  }
}
""",
)


# --- boundaries -----------------------------------------------------------
def box(west, south, east, north):
    """A rectangle as a GeoJSON polygon, counter-clockwise, in (lon, lat) order."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def write_geojson(relative_path, properties, geometry):
    feature = {"type": "Feature", "properties": properties, "geometry": geometry}
    write(relative_path, json.dumps({"type": "FeatureCollection", "features": [feature]}))


border = {"type": "LineString", "coordinates": [[1.0, -0.9], [3.0, -0.9]]}
write_geojson("boundaries/country.geojson", {"NAME": "Norland"}, box(1.0, -0.9, 3.0, -0.1))
write_geojson("boundaries/state.geojson", {"name": "Eastern Province"}, box(2.0, -0.9, 3.0, -0.1))
write_geojson("boundaries/international_borders.geojson", {"left": "NOR", "right": "XSU"}, border)
write_geojson("boundaries/neighbours.geojson", {"NAME": "Sudland"}, box(1.0, -1.7, 3.0, -0.9))

# --- places and roads -------------------------------------------------------
write(
    "boundaries/places.csv",
    """\
id,name,alt_names,kind,township,lon,lat,coord_source,coord_confidence,post,partner_country,partner_town,official,population,population_year,population_source,note
port_alder,Port Alder,Alderhaven,town,Alder,1.40,-0.40,Invented,high,,,,,,,,"the capital, outside the province"
brindle,Brindle,,township_seat,Brindle,2.20,-0.30,Invented,high,,,,,,,,
hill_camp,Brindle Hill Camp,,base,Brindle,2.32,-0.50,Invented,high,,,,,,,,
carrow,Carrow,Karrow,township_seat,Carrow,2.75,-0.35,Invented,high,,,,,,,,
dunmore,Dunmore,,township_seat,Dunmore,2.45,-0.70,Invented,high,,,,,,,,
dunmore_gate,Dunmore Gate,,crossing,Dunmore,2.45,-0.88,Invented,high,dunmore,XSU,Southport,true,,,,
dunmore_ford,Dunmore Ford,,crossing,Dunmore,2.58,-0.89,Invented,high,dunmore,XSU,Southport,false,,,,a second informal gate of the Dunmore post
east_gate,East Gate,,crossing,Carrow,2.88,-0.88,Invented,high,east_gate,XSU,Easton,true,,,,
""",
)
write(
    "boundaries/routes.csv",
    """\
route_id,name,places,source,note
south_road,Alder to Dunmore road,port_alder;brindle;hill_camp;dunmore;dunmore_gate,"Invented, 2026-11-28",
ford_track,Dunmore to the ford,dunmore;dunmore_ford,"Invented, 2026-11-28",
east_road,Brindle to East Gate,brindle;carrow;east_gate,"Invented, 2026-11-28",
""",
)

# --- who is who, who held what, and what happened -------------------------
write(
    "events/actors.csv",
    """\
id,name,aliases,side,coalition,colour,source,note
NAF,Norland Armed Forces,the army,incumbent,,#4d4d4d,"Invented, 2026-11-28",the incumbent: dataset.json names its side
ELF,Eastern Liberation Front,,opposition,Eastern Alliance,#d62728,"Invented, 2026-11-28",
CMV,Carrow Militia,,neutral,,#9467bd,"Invented, 2026-11-28",a local militia that sides with nobody
""",
)
write(
    "events/baseline.csv",
    """\
place,holder,confidence,source,note
port_alder,NAF,high,"Invented, 2026-11-28",
brindle,NAF,high,"Invented, 2026-11-28",
hill_camp,NAF,high,"Invented, 2026-11-28",
carrow,CMV,high,"Invented, 2026-11-28",
dunmore,NAF,high,"Invented, 2026-11-28",
dunmore_gate,NAF,high,"Invented, 2026-11-28",
dunmore_ford,NAF,high,"Invented, 2026-11-28",
east_gate,NAF,high,"Invented, 2026-11-28",
""",
)
write(
    "events/events.csv",
    """\
event_id,date,date_uncertainty_days,reported,place,from_actor,to_actor,kind,confidence,source,note
e01,2024-05-10,0,,east_gate,NAF,ELF,contested,high,"Invented, 2026-11-28",
e02,2024-05-14,2,2024-05-16,east_gate,NAF,ELF,capture,medium,"Invented, 2026-11-28 | Invented too, 2026-11-28",the two reports disagree by two days
e03,2024-06-01,0,,hill_camp,NAF,ELF,capture,high,"Invented, 2026-11-28",
e04,2024-06-20,0,,dunmore_ford,NAF,ELF,capture,high,"Invented, 2026-11-28",
e05,2024-07-15,0,,carrow,CMV,ELF,handover,high,"Invented, 2026-11-28",
e06,2024-08-01,0,,,NAF,ELF,ceasefire,high,"Invented, 2026-11-28",a truce that changes no holder
e07,2024-09-10,0,,dunmore,NAF,ELF,contested,high,"Invented, 2026-11-28",
e08,2024-09-25,3,,dunmore,NAF,ELF,capture,low,"Invented, 2026-11-28",
e09,2024-10-05,0,,dunmore_gate,NAF,ELF,capture,high,"Invented, 2026-11-28",
e10,2024-11-20,0,,carrow,ELF,NAF,handover,high,"Invented, 2026-11-28",
""",
)

# --- border trade, by post and fiscal year --------------------------------
write(
    "trade/border_trade.csv",
    """\
post,post_name,partner_country,period_start,period_end,period_label,exports_usd,imports_usd,total_usd,source,note
dunmore,Dunmore,XSU,2023-04-01,2024-03-31,FY2023-24,,,60000000,"Invented, 2026-11-28",
east_gate,East Gate,XSU,2023-04-01,2024-03-31,FY2023-24,,,25000000,"Invented, 2026-11-28",
west_port,West Port,XSU,2023-04-01,2024-03-31,FY2023-24,,,15000000,"Invented, 2026-11-28","a post outside the province, so not on the map"
""",
)

# --- check it -----------------------------------------------------------
problems = territory.validate(DATA)
for problem in problems:
    print(problem)
assert not problems, f"{len(problems)} problem(s) in {DATA}"
ds = territory.load_dataset(DATA)
print(ds)

# --- ask it questions ---------------------------------------------------
tl = territory.ControlTimeline(ds)
print(tl.holder("Karrow", "2024-08-01"))  # an alt name works as well as the id
print(tl.places_at("2024-06-25")[["holder", "side", "status", "held_since"]])
print(tl.series("2024-05-01", ds.as_of, freq="MS", by="side", measure="area_km2").round(0))

# --- the share of border trade out of the incumbent's hands -------------
for day in ["2024-04-30", "2024-06-25", "2024-10-10"]:
    for basis in ("held", "cut"):
        share = territory.trade_share(tl, day, basis=basis, origin="port_alder")
        print(f"{day} {basis}: {share.value:.0%} [{share.low:.0%}, {share.high:.0%}]")

# --- files for GIS and the web ------------------------------------------
from territory.export import control_map, write_geopackage  # noqa: E402

write_geopackage(tl, OUT / "norland.gpkg")
control_map(tl, "2024-10-10").save(str(OUT / "norland_2024-10-10.html"))
print("wrote", OUT / "norland.gpkg", "and", OUT / "norland_2024-10-10.html")
