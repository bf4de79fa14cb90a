"""Benchmark: a daily control series, the timeline's way and the per-date geopandas way.

The timeline computes each distinct state once and answers a daily series with
an index lookup and a bincount.  The reference loop does what one would write
without it: for every day, filter the events up to the day, take the last
holder of each place, merge the holders onto the zones, dissolve by side and
compute the areas.  Both run over the same days, on the same zones, and their
results are compared before any time is reported.

Usage::

    python benchmarks/bench_timeline.py                 # the embedded Shan data
    python benchmarks/bench_timeline.py --data DIR      # any dataset directory
    python benchmarks/bench_timeline.py --loop-every 7  # time the loop on every 7th day

Prints a markdown table.  Timings are wall-clock and vary between machines;
they are never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import territory
from territory.crs import area_km2
from territory.timeline import ControlTimeline


def per_date_loop(tl: ControlTimeline, days: pd.DatetimeIndex) -> pd.DataFrame:
    """Areas by side for each day, rebuilding geometry every day (the slow way)."""
    ds = tl.dataset
    events = tl.events[tl.events["kind"].isin(["capture", "handover"])]
    events = events.sort_values(["date", "event_id"], kind="stable")
    baseline = ds.baseline.set_index("place")["holder"]
    zones = tl.zones[["zone_id", "geometry"]]
    sides = ds.actors["side"]
    rows = {}
    for day in days:
        known = events[events["date"] <= day]
        holders = baseline.copy()
        last = known.groupby("place")["to_actor"].last()
        holders.loc[last.index] = last
        frame = zones.merge(
            holders.rename("actor").to_frame(), left_on="zone_id", right_index=True
        )
        frame["side"] = frame["actor"].map(sides)
        dissolved = frame.dissolve(by="side")
        rows[day] = area_km2(dissolved.geometry)
    return pd.DataFrame(rows).T.fillna(0.0)


def best_of(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time over ``repeat`` runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="dataset directory (default: embedded)")
    parser.add_argument("--start", default="2023-10-26", help="first day (default 2023-10-26)")
    parser.add_argument("--repeat", type=int, default=20, help="runs of the fast series")
    parser.add_argument(
        "--loop-every", type=int, default=1, help="time the loop on every Nth day only"
    )
    args = parser.parse_args()

    load_start = time.perf_counter()
    ds = territory.load_dataset(args.data) if args.data else territory.load_shan()
    load_s = time.perf_counter() - load_start
    build_start = time.perf_counter()
    tl = ControlTimeline(ds)
    _ = tl.zones  # build the zones once; both methods share them
    build_s = time.perf_counter() - build_start
    start = max(pd.Timestamp(args.start), ds.baseline_date)
    days = pd.date_range(start, tl.as_of, freq="D")

    cold_s, _ = best_of(lambda: ControlTimeline(ds).series(start, tl.as_of), 1)
    fast_s, fast = best_of(lambda: tl.series(start, tl.as_of, freq="D", by="side"), args.repeat)
    loop_days = days[:: args.loop_every]
    loop_s, slow = best_of(lambda: per_date_loop(tl, loop_days), 1)

    fast_on_loop_days = fast.loc[loop_days, slow.columns]
    if not np.allclose(fast_on_loop_days.to_numpy(), slow.to_numpy(), rtol=1e-6, atol=1e-6):
        worst = (fast_on_loop_days - slow).abs().max().max()
        raise SystemExit(f"the two methods disagree (largest difference {worst:.6f} km²)")

    loop_per_day = loop_s / len(loop_days)
    loop_all_s = loop_per_day * len(days)
    print(
        f"Dataset: {ds.name} — {len(ds.places)} places, {len(ds.events)} events, "
        f"{len(tl.zones)} zones, {len(tl.change_dates)} distinct states"
    )
    print(f"Daily series {days[0].date()} to {days[-1].date()}: {len(days)} days\n")
    print("| step | time |")
    print("|---|---|")
    print(f"| load and validate the dataset | {load_s * 1e3:.0f} ms |")
    print(f"| build the timeline and its zones | {build_s * 1e3:.0f} ms |")
    print(
        f"| daily series, new timeline (cold: replay + zones + series) | {cold_s * 1e3:.0f} ms |"
    )
    print(f"| daily series, warm (median of {args.repeat}) | {fast_s * 1e3:.2f} ms |")
    measured = "" if args.loop_every == 1 else f", timed on {len(loop_days)} days and scaled"
    print(f"| per-date geopandas loop, {len(days)} days{measured} | {loop_all_s:.2f} s |")
    print(f"| speed-up (loop ÷ warm series) | {loop_all_s / fast_s:,.0f}× |")
    print(f"| speed-up (loop ÷ cold series) | {loop_all_s / cold_s:,.0f}× |")
    print("\nBoth methods agree on every compared day (areas by side, rtol 1e-6).")


if __name__ == "__main__":
    main()
