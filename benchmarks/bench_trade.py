"""Time ``trade_share_series`` against a straightforward per-date pandas loop, side by side.

The straightforward way, as a user would write it: for every date ask the
timeline for every place (``places_at``), join the gates to their posts,
take the share of gates each side holds per post and weigh the posts by
their trade.  ``trade_share_series`` reads the holder intervals of the gates
and route places once, maps the dates to the distinct states of the gates and
computes each state's share once, for all states at once with numpy.  The
timed call includes building the trade model (it is dropped before each
repeat).

Both compute the ``held`` share of the resistance on every day of the data,
with one explicit reference period (the loop does not estimate absent
posts); the script checks that their values agree before it reports times.
The timeline is built, and its zones warmed, before either is timed.

Usage::

    python benchmarks/bench_trade.py                        # the embedded Shan data
    python benchmarks/bench_trade.py --synthetic 1000 10000 2000 10000 100000 2000

With ``--synthetic PLACES EVENTS DAYS`` the data comes from
``benchmarks/generate.py`` (invented, at scale); the first place of its only
route serves as the origin.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import territory
from territory.timeline import ControlTimeline
from territory.trade import GATE_KINDS, trade_share_series
from territory.trade_model import model_of


def per_date_loop(
    tl: ControlTimeline, dates: pd.DatetimeIndex, period: str, country: str | None
) -> pd.Series:
    """The resistance's held share on each date, the straightforward way."""
    ds = tl.dataset
    places = ds.places
    gates = places.loc[places["kind"].isin(GATE_KINDS) & places["post"].notna(), ["post"]]
    trade = ds.trade[ds.trade["period_label"] == period]
    if country is not None:
        trade = trade[trade["partner_country"] == country]
    values = trade.set_index("post")["total_usd"].astype(float)
    shares = []
    for day in dates:
        at = tl.places_at(day)
        joined = gates.join(at[["side"]])
        joined["counts"] = joined["side"] == "resistance"
        fraction = joined.groupby("post")["counts"].mean().reindex(values.index).fillna(0.0)
        shares.append(float((values * fraction).sum() / values.sum()))
    return pd.Series(shares, index=dates, name="value")


def _best_of(repeats: int, call: Callable[[], pd.Series]) -> tuple[float, pd.Series]:
    best, result = float("inf"), pd.Series(dtype=float)
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(
    dataset: territory.Dataset,
    *,
    period: str,
    country: str | None,
    origin: str,
    freq: str = "D",
    repeats: int = 3,
) -> dict[str, object]:
    """Time both over the whole range of ``dataset`` and check that they agree.

    The loop knows nothing of shared gates, so the gate events are left out
    (``trade/gate_events.csv``: with them the held share of a shared gate is
    fractional).
    """
    tl = ControlTimeline(dataclasses.replace(dataset, gate_events=None))
    tl.places_at(dataset.baseline_date)  # builds the zones once, for both
    dates = pd.date_range(dataset.baseline_date, tl.as_of, freq=freq)
    denominator = "all_border" if country is None else "china_border"

    def series(basis: str = "held") -> pd.Series:
        tl._derived.pop("trade_models", None)  # no model kept from an earlier repeat
        frame = trade_share_series(
            tl,
            dates[0],
            dates[-1],
            freq=freq,
            basis=basis,
            reference_period=period,
            denominator=denominator,
            origin=origin,
        )
        return frame["value"]

    fast_s, fast = _best_of(repeats, series)
    cut_s, _ = _best_of(repeats, lambda: series("cut"))
    loop_s, slow = _best_of(repeats, lambda: per_date_loop(tl, dates, period, country))
    np.testing.assert_allclose(fast.to_numpy(), slow.to_numpy(), rtol=1e-12, atol=1e-12)
    model = model_of(tl, origin)
    days = dates.to_numpy(dtype="datetime64[ns]")
    return {
        "dataset": dataset.name,
        "places": len(dataset.places),
        "events": len(dataset.events),
        "dates": len(dates),
        "gate_states": len(np.unique(model.states(days, False))),
        "road_states": len(np.unique(model.states(days, True))),
        "series_s": round(fast_s, 3),
        "cut_series_s": round(cut_s, 3),
        "loop_s": round(loop_s, 3),
        "speedup": round(loop_s / fast_s, 1),
    }


def growth(results: list[dict[str, object]], key: str) -> float:
    """The exponent k in time ~ places**k between the first and the last scale."""
    first, last = results[0], results[-1]
    ratio = float(last[key]) / float(first[key])  # type: ignore[arg-type]
    return math.log(ratio) / math.log(float(last["places"]) / float(first["places"]))  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--synthetic",
        nargs="+",
        type=int,
        metavar="N",
        help="PLACES EVENTS DAYS, repeated for each scale (growth exponents between the first "
        "and the last)",
    )
    parser.add_argument("--freq", default="D")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--data", type=Path, help="a dataset directory (default: the embedded one)"
    )
    args = parser.parse_args()
    if args.synthetic:
        sys.path.insert(0, str(Path(__file__).parent))
        from generate import generate

        if len(args.synthetic) % 3:
            parser.error("--synthetic takes PLACES EVENTS DAYS, once per scale")
        results = []
        for i in range(0, len(args.synthetic), 3):
            places, events, days = args.synthetic[i : i + 3]
            with tempfile.TemporaryDirectory() as tmp:
                path = generate(Path(tmp) / "data", places, events, days)
                dataset = territory.load_dataset(path)
            origin = dataset.routes["places"].iloc[0][0]
            options = {"period": "Y1", "country": None, "origin": origin}
            results.append(run(dataset, freq=args.freq, repeats=args.repeats, **options))
            print(" | ".join(f"{k}: {v}" for k, v in results[-1].items()), flush=True)
        if len(results) > 1:
            print(
                f"growth exponents (time ~ places**k): series {growth(results, 'series_s'):.2f}, "
                f"cut series {growth(results, 'cut_series_s'):.2f}, loop {growth(results, 'loop_s'):.2f}"
            )
    else:
        dataset = territory.load_dataset(args.data) if args.data else territory.load_shan()
        options = {"period": "FY2023-24 April-August 2023", "country": "CHN", "origin": "mandalay"}
        result = run(dataset, freq=args.freq, repeats=args.repeats, **options)
        print(" | ".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
