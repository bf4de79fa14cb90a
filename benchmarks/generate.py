"""Generate a realistic synthetic dataset in the layout of ``data/``, at any scale.

The places fall inside the embedded study area (or the whole country with
``--area country``), crossings sit on the international border, and the event
log is a consistent chain of holders per place, so ``territory.load_dataset``
accepts the result.  Nothing here is real: it exists to measure cost.

Usage::

    python benchmarks/generate.py OUT_DIR --places 10000 --events 100000 --days 2000
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from territory.crs import MYANMAR_ALBERS, WGS84
from territory.dataset import embedded_data_path

ACTORS = [
    ("SAC", "junta", "#4d4d4d"),
    ("MIL1", "junta", "#7f7f7f"),
    ("ARM1", "resistance", "#e41a1c"),
    ("ARM2", "resistance", "#377eb8"),
    ("ARM3", "resistance", "#4daf4a"),
    ("ARM4", "resistance", "#984ea3"),
    ("ARM5", "resistance", "#ff7f00"),
    ("ARM6", "resistance", "#a65628"),
    ("NEU1", "neutral", "#f781bf"),
    ("NEU2", "neutral", "#999999"),
]
BASELINE_DATE = pd.Timestamp("2021-02-01")
SOURCE = "synthetic (benchmarks/generate.py)"


def _points_in(polygon: shapely.Geometry, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` uniform random points inside ``polygon`` (rejection sampling)."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        xy = rng.uniform([minx, miny], [maxx, maxy], size=(count * 2, 2))
        inside = xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]
        found.append(inside)
        total += len(inside)
    return np.concatenate(found)[:count]


def generate(
    out: Path, places: int, events: int, days: int, *, area: str = "state", seed: int = 0
) -> Path:
    """Write a synthetic dataset to ``out`` and return ``out``."""
    rng = np.random.default_rng(seed)
    source = embedded_data_path()
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("boundaries", "events", "trade"):
        (out / sub).mkdir(exist_ok=True)
    for name in ("state.geojson", "myanmar.geojson", "international_borders.geojson"):
        shutil.copy(source / "boundaries" / name, out / "boundaries" / name)
    if area == "country":
        shutil.copy(source / "boundaries/myanmar.geojson", out / "boundaries/state.geojson")
    outline = gpd.read_file(out / "boundaries/state.geojson").to_crs(MYANMAR_ALBERS).union_all()
    borders = gpd.read_file(out / "boundaries/international_borders.geojson").to_crs(
        MYANMAR_ALBERS
    )
    border_lines = borders.union_all().intersection(outline.buffer(5_000))

    crossings = max(2, places // 200)
    inland = _points_in(outline, places - crossings, rng)
    along = rng.uniform(0, border_lines.length, crossings)
    on_border = np.array([(p.x, p.y) for p in shapely.line_interpolate_point(border_lines, along)])
    xy = np.vstack([inland, on_border])
    lonlat = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=MYANMAR_ALBERS).to_crs(
        WGS84
    )
    ids = [f"p{i:06d}" for i in range(places)]
    kinds = rng.choice(
        ["town", "township_seat", "outpost", "base"], p=[0.3, 0.1, 0.45, 0.15], size=places
    )
    kinds[-crossings:] = "crossing"
    is_crossing = kinds == "crossing"
    frame = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Place {i}" for i in range(places)],
            "alt_names": "",
            "kind": kinds,
            "township": [f"Township {i // 30}" for i in range(places)],
            "lon": lonlat.x.round(6),
            "lat": lonlat.y.round(6),
            "coord_source": SOURCE,
            "coord_confidence": "low",
            "post": np.where(is_crossing, [f"post_{i}" for i in range(places)], ""),
            "partner_country": np.where(is_crossing, "CHN", ""),
            "partner_town": "",
            "official": np.where(is_crossing, "true", ""),
            "population": "",
            "population_year": "",
            "population_source": "",
            "note": "",
        }
    )
    frame.to_csv(out / "boundaries/places.csv", index=False)

    actor_ids = [a[0] for a in ACTORS]
    pd.DataFrame(
        {
            "id": actor_ids,
            "name": actor_ids,
            "aliases": "",
            "side": [a[1] for a in ACTORS],
            "coalition": "",
            "colour": [a[2] for a in ACTORS],
            "source": SOURCE,
            "note": "",
        }
    ).to_csv(out / "events/actors.csv", index=False)
    holders = rng.choice(
        actor_ids, p=[0.6, 0.1, 0.05, 0.05, 0.05, 0.05, 0.02, 0.02, 0.04, 0.02], size=places
    )
    pd.DataFrame(
        {"place": ids, "holder": holders, "confidence": "low", "source": SOURCE, "note": ""}
    ).to_csv(out / "events/baseline.csv", index=False)

    offsets = np.sort(rng.integers(1, days + 1, size=events))
    place_of = rng.integers(0, places, size=events)
    kind = rng.choice(
        ["capture", "handover", "contested", "repelled"], p=[0.6, 0.1, 0.2, 0.1], size=events
    )
    current = dict(zip(ids, holders, strict=True))
    from_actor, to_actor = [], []
    for position, kind_here in zip(place_of, kind, strict=True):
        place = ids[position]
        holder = current[place]
        other = actor_ids[
            (actor_ids.index(holder) + 1 + rng.integers(0, len(actor_ids) - 1)) % len(actor_ids)
        ]
        from_actor.append(holder)
        to_actor.append(other)
        if kind_here in ("capture", "handover"):
            current[place] = other
    dates = BASELINE_DATE + pd.to_timedelta(offsets, "D")
    as_of = BASELINE_DATE + pd.Timedelta(days=days)
    lag = rng.integers(0, 8, size=events)
    reported = np.minimum(dates + pd.to_timedelta(lag, "D"), as_of)
    pd.DataFrame(
        {
            "event_id": [f"s{i:07d}" for i in range(events)],
            "date": dates.strftime("%Y-%m-%d"),
            "date_uncertainty_days": rng.choice([0, 0, 0, 1, 3, 7], size=events),
            "reported": pd.DatetimeIndex(reported).strftime("%Y-%m-%d"),
            "place": [ids[p] for p in place_of],
            "from_actor": from_actor,
            "to_actor": to_actor,
            "kind": kind,
            "confidence": rng.choice(["high", "medium", "low"], size=events),
            "source": SOURCE,
            "note": "",
        }
    ).to_csv(out / "events/events.csv", index=False)

    chain = ";".join([*ids[: min(10, places - crossings)], ids[-1]])
    pd.DataFrame(
        [
            {
                "route_id": "main",
                "name": "Main corridor",
                "places": chain,
                "source": SOURCE,
                "note": "",
            }
        ]
    ).to_csv(out / "boundaries/routes.csv", index=False)
    posts = frame.loc[is_crossing, "post"]
    pd.DataFrame(
        {
            "post": posts,
            "post_name": posts,
            "partner_country": "CHN",
            "period_start": BASELINE_DATE.strftime("%Y-%m-%d"),
            "period_end": (BASELINE_DATE + pd.Timedelta(days=364)).strftime("%Y-%m-%d"),
            "period_label": "Y1",
            "exports_usd": "",
            "imports_usd": "",
            "total_usd": rng.integers(1_000_000, 500_000_000, size=len(posts)),
            "source": SOURCE,
            "note": "",
        }
    ).to_csv(out / "trade/border_trade.csv", index=False)
    meta = {
        "name": f"synthetic {places}x{events}x{days}",
        "baseline_date": str(BASELINE_DATE.date()),
        "as_of": str(as_of.date()),
    }
    (out / "dataset.json").write_text(json.dumps(meta, indent=2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--days", type=int, default=2000)
    parser.add_argument("--area", choices=["state", "country"], default="state")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, args.places, args.events, args.days, area=args.area, seed=args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
