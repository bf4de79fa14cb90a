"""HTML size of the slider map against the naive approach that repeats geometry.

Three maps of the same data, with the same simplified zones and no tiles:

* ``single``: ``control_map(tl, as_of)``, one date;
* ``slider``: ``timeline_map(tl, baseline, as_of, freq)``: the zone geometry
  once, then per step only style numbers (run-length coded);
* ``plugin as is``: folium's ``TimeSliderChoropleth`` with its usual
  ``styledict`` (a full style object per zone and step), for comparison;
* ``naive``: folium's ``TimestampedGeoJson`` fed one feature per zone and
  step, each with its geometry, the way an animation is usually built.

The issue's target: a weekly slider over the whole period is no larger than
twice the single-date map.  Sizes are of the rendered HTML in bytes (UTF-8),
deterministic for given data.

Usage::

    python benchmarks/bench_maps.py                 # embedded Shan State data
    python benchmarks/bench_maps.py --data DIR      # any dataset directory
    python benchmarks/bench_maps.py --write-docs    # also update docs/performance.md "## Maps"
"""

from __future__ import annotations

import argparse
import datetime
import platform
import re
import time
from pathlib import Path

import pandas as pd

import territory
from territory.export import control_map, timeline_map
from territory.export.frames import simplify_for_web, zone_frame
from territory.export.layers import to_rfc7946
from territory.export.mapparts import MAP_DECIMALS
from territory.export.timeline_maps import timeline_steps
from territory.timeline import ControlTimeline

DOCS = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def naive_map_html(tl: ControlTimeline, steps: pd.DatetimeIndex, simplify_m: float) -> str:
    """A TimestampedGeoJson animation: every zone's geometry at every step."""
    import folium
    from folium.plugins import TimestampedGeoJson

    zones = simplify_for_web(zone_frame(tl), tolerance_m=simplify_m)
    geometry = to_rfc7946(zones, id_column="zone_id", decimals=MAP_DECIMALS)["features"]
    holders = tl.holders(steps, list(zones["zone_id"])).holder_frame().to_numpy()
    colours = tl.dataset.actors["colour"].to_dict()
    features = []
    for s, step in enumerate(steps):
        iso = step.date().isoformat()
        for z, feature in enumerate(geometry):
            colour = colours.get(holders[s, z], "#ffffff")
            features.append(
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {
                        "times": [iso],
                        "style": {"fillColor": colour, "fillOpacity": 0.55, "weight": 0.8},
                    },
                }
            )
    m = folium.Map(tiles=None)
    TimestampedGeoJson(
        {"type": "FeatureCollection", "features": features}, period="P1W", add_last_point=False
    ).add_to(m)
    return m.get_root().render()


def plugin_map_html(tl: ControlTimeline, steps: pd.DatetimeIndex, simplify_m: float) -> str:
    """folium's TimeSliderChoropleth as it comes: a full style object per zone and step."""
    import folium
    from folium.plugins import TimeSliderChoropleth

    zones = simplify_for_web(zone_frame(tl), tolerance_m=simplify_m)
    document = to_rfc7946(zones, id_column="zone_id", decimals=MAP_DECIMALS)
    holders = tl.holders(steps, list(zones["zone_id"])).holder_frame().to_numpy()
    colours = tl.dataset.actors["colour"].to_dict()
    seconds = [str(int(step.timestamp())) for step in steps]
    styledict = {
        str(zone): {
            seconds[s]: {
                "color": colours.get(holders[s, z], "#ffffff"),
                "opacity": 0.55,
            }
            for s in range(len(steps))
        }
        for z, zone in enumerate(zones["zone_id"])
    }
    m = folium.Map(tiles=None)
    TimeSliderChoropleth(document, styledict=styledict).add_to(m)
    return m.get_root().render()


def measure(tl: ControlTimeline, freq: str, simplify_m: float) -> list[dict[str, object]]:
    ds = tl.dataset
    steps = timeline_steps(ds.baseline_date, ds.as_of, freq)
    results = []
    for label, build in (
        (
            "single date (control_map)",
            lambda: (
                control_map(tl, ds.as_of, tiles=None, simplify_m=simplify_m).get_root().render()
            ),
        ),
        (
            f"slider, {freq} (timeline_map)",
            lambda: (
                timeline_map(tl, freq=freq, tiles=None, simplify_m=simplify_m).get_root().render()
            ),
        ),
        (
            f"plugin as is, {freq} (TimeSliderChoropleth, full styledict)",
            lambda: plugin_map_html(tl, steps, simplify_m),
        ),
        (f"naive, {freq} (TimestampedGeoJson)", lambda: naive_map_html(tl, steps, simplify_m)),
    ):
        start = time.perf_counter()
        html = build()
        seconds = time.perf_counter() - start
        results.append({"map": label, "bytes": len(html.encode("utf-8")), "seconds": seconds})
    return results


def table(results: list[dict[str, object]], *, steps: int, zones: int) -> str:
    single = int(results[0]["bytes"])  # type: ignore[arg-type]
    lines = [
        f"{steps} steps, {zones} zones.",
        "",
        "| map | HTML size | × single-date map | build time |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        size = int(r["bytes"])  # type: ignore[arg-type]
        lines.append(
            f"| {r['map']} | {size / 1024:,.0f} KiB | {size / single:.2f} | {float(r['seconds']):.2f} s |"  # type: ignore[arg-type]
        )
    return "\n".join(lines)


def write_docs(text: str) -> None:
    """Replace (or append) the "## Maps" section of docs/performance.md."""
    body = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    section = f"## Maps\n\n{text}\n"
    pattern = re.compile(r"^## Maps\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(body):
        body = pattern.sub(lambda _: section + "\n", body).rstrip() + "\n"
    else:
        body = body.rstrip() + "\n\n" + section
    DOCS.write_text(body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset directory")
    parser.add_argument(
        "--freq", default="W,D", help="slider step frequencies, comma-separated (default W,D)"
    )
    parser.add_argument("--simplify-m", type=float, default=100.0)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    import folium

    ds = territory.load_shan() if args.data is None else territory.load_dataset(args.data)
    tl = ControlTimeline(ds)
    zones = tl.intervals()["zone_id"].nunique()
    tables = []
    for freq in args.freq.split(","):
        steps = len(timeline_steps(ds.baseline_date, ds.as_of, freq))
        tables += [table(measure(tl, freq, args.simplify_m), steps=steps, zones=zones), ""]
    where = "the embedded Shan State data" if args.data is None else f"`{args.data}`"
    text = "\n".join(
        [
            "`benchmarks/bench_maps.py` renders the same data four ways and compares",
            "the size of the HTML (all with zones simplified by "
            f"{args.simplify_m:g} m and no base tiles):",
            "",
            "- **single date**: `control_map(tl, as_of)`, with its places, gates,",
            "  events and popups;",
            "- **slider**: `timeline_map(tl, freq=...)`: each zone's geometry once,",
            "  then per zone the run lengths of style numbers (`ControlTimeSlider`);",
            "- **plugin as is**: folium's `TimeSliderChoropleth` with its usual",
            "  `styledict`, a full style object per zone and step;",
            "- **naive**: folium's `TimestampedGeoJson`, one feature per zone and step,",
            "  each carrying its geometry.",
            "",
            "```",
            "python benchmarks/bench_maps.py                 # embedded data",
            "python benchmarks/bench_maps.py --data DIR --freq W",
            "python benchmarks/bench_maps.py --write-docs    # rewrite this section",
            "```",
            "",
            f"On {where}, {ds.baseline_date.date()} to {ds.as_of.date()}; measured on "
            f"{datetime.date.today()} with Python {platform.python_version()} and "
            f"folium {folium.__version__}:",
            "",
            *tables,
            "Target (issue 5): a weekly slider over the whole period is no larger",
            "than 2× the single-date map; `tests/test_maps.py` checks it on the",
            "embedded and the synthetic data. Sizes are deterministic for given",
            "data; build times are one run on the machine that wrote this section.",
        ]
    )
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
