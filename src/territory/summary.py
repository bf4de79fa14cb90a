"""A day in a few numbers: holders, areas by side, townships and the trade share.

:func:`summarise` gathers, for one day, what ``territory summary`` prints:
each actor's places and area (and the contested part), the area of each side,
township counts by side (with townships), and the share of border trade out
of the incumbent's hands on both bases with its range.  :func:`render_summary`
turns it into plain-text tables; the result is plain data, ready for JSON.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> day = summarise(tl, "2023-10-26")
>>> [row["basis"] for row in day["trade"]]
['held', 'flow', 'cut']
>>> print(render_summary(day).splitlines()[0])
Shan State, Myanmar on 2023-10-26
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from territory.dates import to_day
from territory.errors import DataError, TerritoryError

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = ["jsonable", "one_line", "render_summary", "summarise", "text_table"]

LOG = logging.getLogger("territory")


def one_line(error: BaseException) -> str:
    r"""A one-line message for an error; a DataError with many problems is summarised.

    Examples
    --------
    >>> one_line(TerritoryError("date: 2030-01-01 is outside\nthe data"))
    'date: 2030-01-01 is outside the data'
    """
    if isinstance(error, DataError) and len(error.problems) > 1:
        folder = getattr(error, "dataset_dir", None) or "DIR"
        return (
            f"{len(error.problems)} problems in the data; the first: {error.problems[0]} "
            f"(run 'territory validate {folder}' to list them all)"
        )
    return " ".join(str(error).split()) or type(error).__name__


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table; columns of numbers are right-aligned.

    Examples
    --------
    >>> print(text_table(["actor", "km²"], [["MNDAA", 1234.56], ["SAC", 9.04]]))
    actor    km²
    -----  -----
    MNDAA  1,235
    SAC      9.0
    """
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [
        bool(rows)
        and all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool) for row in rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: ISO days for dates, None for NaN/NaT/NA, lists for tuples.

    Examples
    --------
    >>> jsonable({"day": pd.Timestamp("2024-08-03"), "share": float("nan"), "ids": ("a", "b")})
    {'day': '2024-08-03', 'share': None, 'ids': ['a', 'b']}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None  # None, NaN, NaT, pd.NA
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def summarise(
    tl: ControlTimeline, day: Any, *, townships: bool = False, origin: str | None = None
) -> dict[str, Any]:
    """Everything ``territory summary`` prints for one day, as plain data.

    Parameters
    ----------
    tl : ControlTimeline
    day : date-like
    townships : bool
        Whether ``tl`` was built with townships (adds township counts by side).
    origin : str, optional
        Where the incumbent's roads start (default: the dataset's ``origin``).

    Returns
    -------
    dict
        ``date``, ``actors`` (holder rows: actor, side, places, contested
        (places), area_km2, contested_km2, share), ``sides`` (side, area_km2, share), ``townships`` (side,
        count) when asked, and ``trade`` (one row per basis, with value, low,
        high, the reference period and notes).
    """
    ds = tl.dataset
    day = to_day(day, "day", tl.baseline_date, tl.as_of)
    places = tl.places_at(day)
    by_actor = tl.at(day, by="actor")
    total = float(by_actor["area_km2"].sum()) or math.nan
    actor_col = "actor" if "actor" in by_actor.columns else by_actor.columns[0]
    counts = places.groupby("holder").size()
    contested = (
        places.loc[places["status"] == "contested"].groupby("holder").size()
        if "status" in places.columns
        else pd.Series(dtype=int)
    )
    area = by_actor.groupby(actor_col)["area_km2"].sum()
    contested_area = (
        by_actor.groupby(actor_col)["contested_km2"].sum()
        if "contested_km2" in by_actor.columns
        else pd.Series(dtype=float)
    )
    actors = []
    side_on_day = ds.side_history().on(day)  # sides over time (territory.sides)
    for actor in sorted(set(area.index) | set(counts.index), key=lambda a: -area.get(a, 0.0)):
        side = side_on_day.get(actor, "")
        actors.append(
            {
                "actor": actor,
                "side": side,
                "places": int(counts.get(actor, 0)),
                "contested": int(contested.get(actor, 0)),
                "area_km2": float(area.get(actor, 0.0)),
                "contested_km2": float(contested_area.get(actor, 0.0)),
                "share": float(area.get(actor, 0.0)) / total,
            }
        )
    by_side = tl.at(day, by="side")
    side_col = "side" if "side" in by_side.columns else by_side.columns[0]
    side_area = by_side.groupby(side_col)["area_km2"].sum()
    sides = [
        {"side": side, "area_km2": float(value), "share": float(value) / total}
        for side, value in side_area.sort_values(ascending=False).items()
    ]
    result: dict[str, Any] = {
        "dataset": ds.name,
        "date": day.date().isoformat(),
        "actors": actors,
        "sides": sides,
    }
    if townships:
        frame = tl.at(day, level="township", by="side")
        column = "side" if "side" in frame.columns else side_col
        counted = frame.groupby(column).size()
        result["townships"] = [{"side": side, "townships": int(n)} for side, n in counted.items()]
    result["trade"] = _trade_rows(tl, day, origin)
    return result


def _trade_rows(
    tl: ControlTimeline, day: pd.Timestamp, origin: str | None
) -> list[dict[str, Any]]:
    from territory.trade import trade_share

    rows: list[dict[str, Any]] = []
    for basis in ("held", "flow", "cut"):
        try:
            share = trade_share(tl, day, basis=basis, origin=origin)
        except TerritoryError as error:
            LOG.warning("trade share (%s) on %s: %s", basis, day.date(), one_line(error))
            rows.append({"basis": basis, "error": one_line(error)})
            continue
        period = share.reference_period
        rows.append(
            {
                "basis": basis,
                "side": share.side,
                "denominator": share.denominator,
                "value": share.value,
                "low": share.low,
                "high": share.high,
                "range": share.range_text,
                "rule": share.rule,
                "closed": share.closed,
                "closed_gates": list(share.closed_gates),
                "numerator_usd": share.numerator_usd,
                "denominator_usd": share.denominator_usd,
                "crossings": list(share.crossings),
                "reference_period": _period_label(period),
                "notes": list(share.notes),
            }
        )
    return rows


def _period_label(period: object) -> str:
    if period is None:
        return ""
    if isinstance(period, str):
        return period
    label = getattr(period, "label", None)
    if label is not None:
        return str(label)
    if isinstance(period, (tuple, list)) and period:
        return str(period[0])
    return str(period)


def _pct(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{100 * float(value):.1f} %"  # type: ignore[arg-type]


def render_summary(summary: dict[str, Any]) -> str:
    """The summary of :func:`summarise` as text tables."""
    parts = [f"{summary['dataset']} on {summary['date']}", ""]
    parts.append(
        text_table(
            ["holder", "side", "places", "contested", "area km²", "contested km²", "share"],
            [
                [
                    r["actor"],
                    r["side"],
                    r["places"],
                    r["contested"],
                    r["area_km2"],
                    r["contested_km2"],
                    _pct(r["share"]),
                ]
                for r in summary["actors"]
            ],
        )
    )
    parts += [
        "",
        text_table(
            ["side", "area km²", "share"],
            [[r["side"], r["area_km2"], _pct(r["share"])] for r in summary["sides"]],
        ),
    ]
    if "townships" in summary:
        parts += [
            "",
            text_table(
                ["side", "townships"],
                [[r["side"], r["townships"]] for r in summary["townships"]],
            ),
        ]
    trade = [r for r in summary["trade"] if "error" not in r]
    if trade:
        parts += [
            "",
            text_table(
                [
                    "trade share",
                    "side",
                    "of",
                    "range, central (rule)",
                    "closed",
                    "reference period",
                ],
                [
                    [
                        f"basis {r['basis']}",
                        r["side"],
                        r["denominator"],
                        r["range"],
                        f"{100 * r['closed']:.1f} points" if r["closed_gates"] else "none",
                        r["reference_period"],
                    ]
                    for r in trade
                ],
            ),
        ]
    for row in summary["trade"]:
        if "error" in row:
            parts.append(f"trade share (basis {row['basis']}): not available: {row['error']}")
    return "\n".join(parts)
