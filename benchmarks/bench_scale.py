"""Scale benchmark: every main operation against the straightforward per-date loop, at three sizes.

For each size ``PLACES x EVENTS`` (over ``--days`` days) the script generates a
synthetic dataset with ``benchmarks/generate.py`` and runs two child processes
on it, so that each reports its own peak memory (``ru_maxrss``):

* ``territory``: load, build the timeline and its zones, a daily ``series``
  over the whole period (first call and warm), ``at`` for 100 dates,
  ``intervals``, ``trade_share_series``, the ``timeline_map`` HTML (weekly)
  and the GeoPackage export;
* ``naive``: what one would write by hand with geopandas, one date at a time
  (the loops of ``bench_timeline.py``, ``bench_trade.py`` and
  ``bench_maps.py``, plus a per-place interval loop and a per-date
  GeoPackage).  The naive loops are timed on a sample of dates and scaled
  linearly to the full count; the output says so on every such row.  Where
  the two compute the same numbers, they are compared before times are
  reported.

Usage::

    python benchmarks/bench_scale.py                         # 1k/10k, 3k/30k, 10k/100k; 2,000 days
    python benchmarks/bench_scale.py --sizes 500x5000 --days 500
    python benchmarks/bench_scale.py --write-docs            # also rewrite docs/performance.md "## Scale"

Timings are wall-clock medians and vary between machines; they are never
asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "performance.md"
sys.path.insert(0, str(HERE))

#: Operations in report order: (key, label).
OPERATIONS = [
    ("load", "load and validate the dataset"),
    ("build", "build the timeline (replay the log)"),
    ("zones_build", "build the zones (Voronoi cells)"),
    ("series_first", "daily series, first call"),
    ("pipeline", "load + validate + build + zones + daily series (the sum of the above)"),
    ("series", "daily series, warm"),
    ("series_bounds", "daily series with `bounds=True` (cold bands)"),
    ("at100", "`at` for 100 dates"),
    ("at100_dask", "`at` for 100 dates, `territory.parallel.at_many` (Dask, 2 threads)"),
    ("intervals", "`intervals()`"),
    ("intervals_pandas", "`intervals()` against a plain pandas construction (column 2)"),
    ("trade", "`trade_share_series`, daily"),
    ("map", "`timeline_map`, weekly, build + render"),
    ("gpkg", "GeoPackage export"),
]


def median_time(call: Callable[[], Any], repeat: int, budget_s: float = 20.0) -> tuple[float, Any]:
    """Median wall time of up to ``repeat`` calls (fewer once ``budget_s`` is spent)."""
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        if sum(times) > budget_s:
            break
    return statistics.median(times), result


def peak_mib() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sample(days: Any, count: int) -> Any:
    """``count`` days spread evenly over ``days`` (all of them when fewer)."""
    import numpy as np

    if len(days) <= count:
        return days
    return days[np.unique(np.linspace(0, len(days) - 1, count).round().astype(int))]


# --------------------------------------------------------------------- naive ways
def naive_at(tl: Any, day: Any) -> Any:
    """Control polygons by actor on ``day``, the per-date geopandas way."""
    ds = tl.dataset
    events = ds.events[
        ds.events["kind"].isin(["capture", "handover"]) & ds.events["place"].notna()
    ]
    known = events[events["date"] <= day].sort_values(["date", "event_id"], kind="stable")
    holders = ds.baseline.set_index("place")["holder"].copy()
    last = known.groupby("place")["to_actor"].last()
    holders.loc[last.index] = last
    frame = tl.zones[["geometry"]].join(holders.rename("actor"))
    dissolved = frame.to_crs(ds.equal_area_crs).dissolve(by="actor")
    dissolved["area_km2"] = dissolved.area / 1e6
    return dissolved.to_crs(tl.zones.crs)


def naive_intervals(tl: Any) -> Any:
    """Each zone's holder intervals, one place at a time (holders only, no status)."""
    import geopandas as gpd
    import pandas as pd

    ds = tl.dataset
    events = ds.events[
        ds.events["kind"].isin(["capture", "handover"]) & ds.events["place"].notna()
    ]
    events = events.sort_values(["date", "event_id"], kind="stable")
    baseline = ds.baseline.set_index("place")["holder"]
    rows = []
    for zone_id in tl.zones.index:
        holder, start = baseline[zone_id], ds.baseline_date
        for event in events[events["place"] == zone_id].itertuples():
            if event.to_actor != holder:
                rows.append((zone_id, holder, start, event.date))
                holder, start = event.to_actor, event.date
        rows.append((zone_id, holder, start, pd.NaT))
    frame = pd.DataFrame(rows, columns=["zone_id", "actor", "valid_from", "valid_to"])
    geometry = tl.zones.geometry.reindex(frame["zone_id"]).to_numpy()
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=tl.zones.crs)


def pandas_intervals(tl: Any) -> Any:
    """Each zone's holder intervals, the plain vectorised pandas way (holders only).

    What a user fluent in pandas would write: the baseline and the
    holder-changing events in one frame, sorted by place and date, rows that
    change nothing dropped, ``valid_to`` from the next row of the same place.
    """
    import geopandas as gpd
    import pandas as pd

    ds = tl.dataset
    zones = tl.zones.index
    events = ds.events[ds.events["kind"].isin(["capture", "handover"])]
    events = events[events["place"].isin(zones)]
    base = ds.baseline[ds.baseline["place"].isin(zones)]
    rows = pd.concat(
        [
            pd.DataFrame(
                {"place": base["place"], "actor": base["holder"], "valid_from": ds.baseline_date}
            ),
            events[["place", "to_actor", "date"]].set_axis(
                ["place", "actor", "valid_from"], axis=1
            ),
        ],
        ignore_index=True,
    ).sort_values(["place", "valid_from"], kind="stable")
    rows = rows.drop_duplicates(["place", "valid_from"], keep="last")
    changed = rows["actor"].ne(rows.groupby("place")["actor"].shift())
    rows = rows[changed].copy()
    rows["valid_to"] = rows.groupby("place")["valid_from"].shift(-1)
    geometry = tl.zones.geometry.reindex(rows["place"]).to_numpy()
    return gpd.GeoDataFrame(rows.reset_index(drop=True), geometry=geometry, crs=tl.zones.crs)


def bounds_peak_mib(tl: Any, days: Any) -> float:
    """Peak memory that ``series(bounds=True)`` allocates (tracemalloc; numpy reports to it)."""
    import tracemalloc

    fresh = type(tl)(tl.dataset)  # cold tables, shared nothing
    _ = fresh.zones
    tracemalloc.start()
    fresh.series(days[0], days[-1], by="side", bounds=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def naive_gpkg(tl: Any, steps: Any, path: Path) -> None:
    """One snapshot of every zone per step, appended to one GeoPackage layer."""
    ds = tl.dataset
    events = ds.events[
        ds.events["kind"].isin(["capture", "handover"]) & ds.events["place"].notna()
    ]
    baseline = ds.baseline.set_index("place")["holder"]
    for number, day in enumerate(steps):
        known = events[events["date"] <= day].sort_values(["date", "event_id"], kind="stable")
        holders = baseline.copy()
        last = known.groupby("place")["to_actor"].last()
        holders.loc[last.index] = last
        frame = tl.zones[["geometry"]].join(holders.rename("actor")).reset_index()
        frame["date"] = day
        frame.to_file(path, layer="snapshots", driver="GPKG", mode="w" if number == 0 else "a")


# --------------------------------------------------------------------- children
def child_territory(data: Path, repeat: int, engine_only: bool = False) -> dict[str, Any]:
    """Time every operation the library's way; return seconds, sizes and peak memory."""
    import numpy as np
    import pandas as pd

    import territory
    from territory.export import timeline_map, write_geopackage
    from territory.export.timeline_maps import timeline_steps
    from territory.timeline import ControlTimeline
    from territory.trade import trade_share_series

    out: dict[str, Any] = {}
    out["load"], ds = median_time(lambda: territory.load_dataset(data), 1)
    out["build"], tl = median_time(lambda: ControlTimeline(ds), 1)
    out["zones_build"], _ = median_time(lambda: tl.zones, 1)
    days = pd.date_range(ds.baseline_date, tl.as_of, freq="D")
    out["series_first"], _ = median_time(lambda: tl.series(days[0], days[-1], by="side"), 1)
    out["pipeline"] = out["load"] + out["build"] + out["zones_build"] + out["series_first"]
    out["series"], series = median_time(lambda: tl.series(days[0], days[-1], by="side"), repeat)
    view = tl.until(tl.as_of)  # the same timeline with cold tables (zones shared)
    out["series_bounds"], _ = median_time(
        lambda: view.series(days[0], days[-1], by="side", bounds=True), 1
    )
    for count in (len(days) // 4, len(days) // 2, len(days)):
        out[f"series_{count}d"], _ = median_time(
            lambda count=count: tl.series(days[0], days[count - 1], by="side"), repeat
        )
    at_days = sample(days, 100)
    out["at100"], _ = median_time(lambda: [tl.at(d) for d in at_days], 1)
    out["intervals"], _ = median_time(lambda: tl.intervals(), 1)
    out["intervals_pandas"] = out["intervals"]
    out["pandas_intervals"], _ = median_time(lambda: pandas_intervals(tl), 1)
    out["bounds_peak_mib"] = bounds_peak_mib(tl, days)
    out.update(
        places=len(ds.places),
        events=len(ds.events),
        days=len(days),
        zones=len(tl.zones),
        states=len(tl.change_dates),
    )
    if engine_only:
        out["peak_mib"] = peak_mib()
        return out
    origin = ds.routes["places"].iloc[0][0]
    out["trade"], trade = median_time(
        lambda: trade_share_series(
            tl,
            days[0],
            days[-1],
            freq="D",
            reference_period="Y1",
            denominator="all_border",
            origin=origin,
        ),
        1,
    )
    out["map"], html = median_time(
        lambda: timeline_map(tl, freq="W", tiles=None).get_root().render(), 1
    )
    out["map_bytes"] = len(html.encode("utf-8"))
    out["map_steps"] = len(timeline_steps(ds.baseline_date, ds.as_of, "W"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.gpkg"
        out["gpkg"], _ = median_time(lambda: write_geopackage(tl, path), 1)
        out["gpkg_bytes"] = path.stat().st_size
    out.update(
        peak_mib=peak_mib(),
        series_checksum=float(np.asarray(series.to_numpy()).sum()),
        trade_mean=float(trade["value"].mean()),
    )
    from territory import parallel

    # after the peak memory above: the cluster's own memory is not the library's
    if parallel.available():  # the same dissolves on a local Dask cluster
        from distributed import Client, LocalCluster

        fresh = ControlTimeline(ds)
        _ = fresh.zones
        with (
            LocalCluster(
                processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None
            ) as cluster,
            Client(cluster),
        ):
            out["at100_dask"], _ = median_time(lambda: parallel.at_many(fresh, at_days), 1)
    return out


def child_naive(data: Path, loop_days: int, engine_only: bool = False) -> dict[str, Any]:
    """Time the straightforward loops on a sample of dates and scale them linearly."""
    import numpy as np
    import pandas as pd
    from bench_maps import naive_map_html
    from bench_timeline import per_date_loop
    from bench_trade import per_date_loop as trade_loop

    import territory
    from territory.export.timeline_maps import timeline_steps
    from territory.timeline import ControlTimeline
    from territory.trade import trade_share_series

    ds = territory.load_dataset(data)
    tl = ControlTimeline(ds)
    _ = tl.zones  # shared by both ways; built before anything is timed
    days = pd.date_range(ds.baseline_date, tl.as_of, freq="D")
    out: dict[str, Any] = {"days": len(days)}

    # A place with two holder-changing events on one day is contested for that day
    # in the timeline (see the module docs of territory.timeline) but simply changes hands in the loops:
    # such days are timed but not compared.
    changing = ds.events[ds.events["kind"].isin(["capture", "handover"])]
    double = set(changing.loc[changing.duplicated(["place", "date"]), "date"])
    out["double_days"] = len(double)

    # daily series: areas by side
    some = sample(days, loop_days)
    seconds, slow = median_time(lambda: per_date_loop(tl, some), 1)
    fast = tl.series(days[0], days[-1], by="side").loc[some, slow.columns]
    same = ~some.isin(list(double))
    out["series_compared"] = int(same.sum())
    if not np.allclose(fast.to_numpy()[same], slow.to_numpy()[same], rtol=1e-6, atol=1e-6):
        raise SystemExit("series: the timeline and the per-date loop disagree")
    out["series"] = seconds / len(some) * len(days)
    out["series_sampled"] = len(some)

    # at for 100 dates: dissolve by actor, one date at a time
    at_days = sample(days, 100)
    some = sample(at_days, max(2, loop_days // 4))
    seconds, frames = median_time(lambda: [naive_at(tl, d) for d in some], 1)
    for day, frame in zip(some, frames, strict=True):
        if day in double:
            continue
        ours = tl.at(day).set_index("actor")["area_km2"]
        # The loop measures polygons stored in EPSG:4326 and projected back, the
        # timeline the zones as built: the two differ by a few parts in a million.
        if not np.allclose(ours.sort_index(), frame["area_km2"].sort_index(), rtol=1e-5):
            raise SystemExit(f"at: the timeline and the per-date loop disagree on {day.date()}")
    out["at100"] = seconds / len(some) * len(at_days)
    out["at100_sampled"] = len(some)

    out["intervals"], _ = median_time(lambda: naive_intervals(tl), 1)
    if engine_only:
        out["peak_mib"] = peak_mib()
        return out

    # trade_share_series: places_at on every date
    origin = ds.routes["places"].iloc[0][0]
    some = sample(days, loop_days * 5)
    seconds, slow = median_time(lambda: trade_loop(tl, some, "Y1", None), 1)
    fast = trade_share_series(
        tl,
        days[0],
        days[-1],
        freq="D",
        reference_period="Y1",
        denominator="all_border",
        origin=origin,
    )["value"].loc[some]
    np.testing.assert_allclose(fast.to_numpy(), slow.to_numpy(), rtol=1e-12, atol=1e-12)
    out["trade"] = seconds / len(some) * len(days)
    out["trade_sampled"] = len(some)

    # map: TimestampedGeoJson with each zone's geometry at every weekly step;
    # size and time are linear in the steps, so measure two counts and extrapolate
    steps = timeline_steps(ds.baseline_date, ds.as_of, "W")
    naive_map_html(tl, steps[:1], 100.0)  # warm the intervals, as timeline_map's were
    sizes, times = [], []
    low, high = 4, 12
    for count in (low, high):
        start = time.perf_counter()
        html = naive_map_html(tl, steps[:count], 100.0)
        times.append(time.perf_counter() - start)
        sizes.append(len(html.encode("utf-8")))
    per_step = (sizes[1] - sizes[0]) / (high - low)
    out["map_bytes"] = sizes[0] + per_step * (len(steps) - low)
    slope = max(times[1] - times[0], 0.0) / (high - low)
    out["map"] = max(times[1], times[0] + slope * (len(steps) - low))
    out["map_sampled"] = high

    # GeoPackage: one snapshot per weekly step
    some = steps[: max(2, loop_days // 4)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "naive.gpkg"
        seconds, _ = median_time(lambda: naive_gpkg(tl, some, path), 1)
        out["gpkg_bytes"] = path.stat().st_size / len(some) * len(steps)
    out["gpkg"] = seconds / len(some) * len(steps)
    out["gpkg_sampled"] = len(some)
    out["peak_mib"] = peak_mib()
    return out


# --------------------------------------------------------------------- parent
def run_child(kind: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(data)]
    command += ["--repeat", str(args.repeat), "--loop-days", str(args.loop_days)]
    command += ["--engine-only"] if args.engine_only else []
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} child failed on {data}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import geopandas
    import numpy
    import pandas
    import shapely

    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, numpy {numpy.__version__}, "
        f"pandas {pandas.__version__}, geopandas {geopandas.__version__}, "
        f"shapely {shapely.__version__}"
    )


def _s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1e3:,.1f} ms"
    return f"{seconds:,.2f} s"


def _mib(size: float) -> str:
    return f"{size / 2**20:,.1f} MiB"


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        f"Measured on {datetime.date.today().isoformat()}: {machine()}.",
        "",
        "Synthetic data from `benchmarks/generate.py` (seed 0, study area = the embedded "
        f"state outline), {args.days} days.  Command: `python benchmarks/bench_scale.py "
        f"--sizes {' '.join(args.sizes)} --days {args.days} --loop-days {args.loop_days}"
        + (" --engine-only" if args.engine_only else "")
        + "`.",
        "",
    ]
    for res in results:
        ours, naive = res["territory"], res["naive"]
        lines += [
            f"### {ours['places']:,} places, {ours['events']:,} events, {ours['days']:,} days",
            "",
            f"{ours['zones']:,} zones, {ours['states']:,} distinct states.  Peak memory: "
            f"territory {ours['peak_mib']:,.0f} MiB, naive loops {naive['peak_mib']:,.0f} MiB.",
            "",
            "| operation | territory | per-date loop | ratio |",
            "|---|---:|---:|---:|",
        ]
        for key, label in OPERATIONS:
            if key not in ours:
                continue
            twin = "series" if key == "series_first" else key
            if key == "intervals_pandas":
                ratio = f"{ours['intervals'] / ours['pandas_intervals']:,.2f}× of pandas"
                loop = _s(ours["pandas_intervals"]) + " (plain pandas, same process)"
            elif twin in naive:
                sampled = naive.get(f"{twin}_sampled")
                note = f" (timed on {sampled}, scaled)" if sampled else ""
                ratio = f"{naive[twin] / ours[key]:,.1f}×"
                loop = _s(naive[twin]) + note
            else:
                loop, ratio = "—", "—"
            lines.append(f"| {label} | {_s(ours[key])} | {loop} | {ratio} |")
        lines.append(
            f"| peak memory of `series(bounds=True)` (tracemalloc) | "
            f"{ours['bounds_peak_mib']:,.0f} MiB | — | — |"
        )
        if "map_bytes" not in ours:
            lines.append("")
            continue
        lines.append(
            f"| `timeline_map` HTML size ({ours['map_steps']} weekly steps) | "
            f"{_mib(ours['map_bytes'])} | {_mib(naive['map_bytes'])} (extrapolated) | "
            f"{naive['map_bytes'] / ours['map_bytes']:,.1f}× |"
        )
        lines.append(
            f"| GeoPackage size | {_mib(ours['gpkg_bytes'])} | "
            f"{_mib(naive['gpkg_bytes'])} (weekly snapshots, scaled) | "
            f"{naive['gpkg_bytes'] / ours['gpkg_bytes']:,.1f}× |"
        )
        lines.append("")
    lines += [
        "### Growth over the sizes (territory, seconds)",
        "",
        "The exponent is the slope of log(time) against log(events), fitted over the "
        "sizes (places and events grow together): 1 means linear.",
        "",
        "| operation | "
        + " | ".join(
            f"{r['territory']['places']:,} / {r['territory']['events']:,}" for r in results
        )
        + " | growth exponent |",
        "|---|" + "---:|" * len(results) + "---:|",
    ]
    sizes = [r["territory"]["events"] for r in results]
    days = results[0]["territory"]["days"]
    by_days = [
        (f"series_{n}d", f"daily series, warm, first {n:,} days")
        for n in (days // 4, days // 2, days)
    ]
    for key, label in [*OPERATIONS, *by_days, ("peak_mib", "peak memory, MiB")]:
        cells = []
        if key == "intervals_pandas" or any(key not in r["territory"] for r in results):
            continue
        for r in results:
            value = r["territory"][key]
            cells.append(f"{value:,.0f}" if key == "peak_mib" else f"{value:.3f}")
        values = [r["territory"][key] for r in results]
        cells.append(growth_exponent(sizes, values))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def growth_exponent(sizes: list[float], values: list[float]) -> str:
    """The slope of log(value) against log(size): 1 is linear, 2 quadratic."""
    import numpy as np

    if len(sizes) < 2 or min(values) <= 0:
        return "—"
    slope = np.polyfit(np.log(sizes), np.log(values), 1)[0]
    return f"{slope:.2f}"


def write_docs(table: str) -> None:
    text = DOCS.read_text()
    head = "## Scale\n"
    intro = (
        "`benchmarks/bench_scale.py` generates synthetic datasets at three sizes and "
        "times each operation the library's way and the straightforward per-date "
        "geopandas way, each in its own process (so that each reports its own peak "
        "memory).  Naive loops that would take too long are timed on a sample of "
        "dates and scaled linearly; the table says which.\n\n"
    )
    marker = "<!-- bench_scale: generated table -->\n"
    block = head + "\n" + intro + marker + table + marker
    if head in text:
        before, after = text.split(head, 1)
        following = re.search(r"^## ", after, flags=re.M)
        rest = after[following.start() :] if following else ""
        old = after[: following.start()] if following else after
        if marker in old:  # keep the prose around the generated block
            tail = old.split(marker)[-1].rstrip("\n") + "\n"
            block = head + old.split(marker)[0] + marker + table + marker + tail
        text = before + block + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOCS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1000x10000", "3000x30000", "10000x100000"])
    parser.add_argument("--days", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the warm series")
    parser.add_argument(
        "--loop-days", type=int, default=20, help="dates the naive series loop is timed on"
    )
    parser.add_argument(
        "--work", type=Path, help="keep generated datasets here (default: a temp dir)"
    )
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="only the engine's operations (no trade, maps, GeoPackage, Dask)",
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, data = args.child
        if kind == "territory":
            out = child_territory(Path(data), args.repeat, args.engine_only)
        else:
            out = child_naive(Path(data), args.loop_days, args.engine_only)
        print(json.dumps(out))
        return

    from generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        results = []
        for size in args.sizes:
            places, events = (int(n) for n in size.split("x"))
            data = work / f"scale_{places}_{events}_{args.days}"
            if not (data / "dataset.json").is_file():
                generate(data, places, events, args.days)
            print(f"{size}: territory …", file=sys.stderr, flush=True)
            ours = run_child("territory", data, args)
            print(f"{size}: naive …", file=sys.stderr, flush=True)
            naive = run_child("naive", data, args)
            results.append({"territory": ours, "naive": naive})
        table = report(results, args)
    print(table)
    if args.write_docs:
        write_docs(table)


if __name__ == "__main__":
    main()
