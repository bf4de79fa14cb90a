"""The township roll-up: each township classed as the published maps class them.

Analysts publish control by township ("the government holds N of the
region's townships"; "effective control" classes).  :func:`township_rollup`
gives every township of the timeline a class on a day, from all of its
ground under the timeline's spatial model (under ``"layered"``: its
settlements' footprints and its countryside units), and
:func:`township_counts` sums the classes.

The rule
    Each zone's ground in the township counts for the side of its holder on
    the day (the dataset's sides, :attr:`Dataset.sides
    <territory.dataset.Dataset.sides>`; sides over time from ``actor_sides.csv``), for ``contested`` when the
    holder is :data:`~territory.models.CONTESTED` or the place's status is
    contested, or for ``unassessed`` when the holder is
    :data:`~territory.models.UNASSESSED`.  Then, in this order:

    1. ``unassessed`` when unassessed ground is at least half the township
       (:data:`UNASSESSED_SHARE`);
    2. ``contested`` when contested ground is at least half;
    3. a side when it holds at least three quarters of the township's ground
       (:data:`DOMINANT_SHARE`) *and* its seat (when the township has a
       ``township_seat`` place);
    4. ``mixed`` otherwise: the town and the countryside disagree, or the
       ground is split.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan(), model="seat")
>>> counts = township_counts(tl, "2023-10-26", region="Shan")
>>> int(counts["townships"].sum())
55
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.crs import WGS84
from territory.errors import TerritoryError
from territory.sides import SHAN_SIDES
from territory.zones import township_seats

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = [
    "DOMINANT_SHARE",
    "ROLLUP_CLASSES",
    "UNASSESSED_SHARE",
    "rollup_classes",
    "township_counts",
    "township_rollup",
]


def rollup_classes(sides: Sequence[str]) -> tuple[str, ...]:
    """The classes of the roll-up for a dataset's sides, in display order.

    Examples
    --------
    >>> rollup_classes(["incumbent", "opposition"])
    ('incumbent', 'opposition', 'contested', 'mixed', 'unassessed')
    """
    return (*sides, "contested", "mixed", "unassessed")


#: The classes of the roll-up for the embedded Shan sides, in display order.
ROLLUP_CLASSES: tuple[str, ...] = rollup_classes(SHAN_SIDES.ids)
#: A side classes a township when it holds this share of its ground (and its seat).
DOMINANT_SHARE = 0.75
#: A township is unassessed (or contested) when this share of its ground is.
UNASSESSED_SHARE = 0.5
_RESERVED_GROUND = ("contested", "unassessed")


def _classify(shares: pd.DataFrame, seat_side: pd.Series, side_ids: Sequence[str]) -> pd.Series:
    """The roll-up class of each row of ground shares (see the module docs)."""
    sides = shares[list(side_ids)]
    top = sides.idxmax(axis=1)
    top_share = sides.max(axis=1)
    seat_agrees = seat_side.isna() | (seat_side == top)
    out = np.where(
        shares["unassessed"] >= UNASSESSED_SHARE,
        "unassessed",
        np.where(
            shares["contested"] >= UNASSESSED_SHARE,
            "contested",
            np.where((top_share >= DOMINANT_SHARE) & seat_agrees, top, "mixed"),
        ),
    )
    return pd.Series(out, index=shares.index)


def township_rollup(tl: ControlTimeline, date: Any) -> gpd.GeoDataFrame:
    """Every township's class on ``date``, with the shares it was decided from.

    Parameters
    ----------
    tl : ControlTimeline
        Built with townships (any model).
    date : date-like

    Returns
    -------
    geopandas.GeoDataFrame
        One row per township with ground in the study area: ``ts_pcode``,
        ``township``, ``region`` (the ``ST`` column, when the townships have
        it), ``seat``, ``seat_holder``, ``countryside_holder`` (the holder of
        its largest countryside unit; empty outside the layered model), the
        shares of its ground by side (one column per side of the dataset),
        ``contested`` and ``unassessed`` (summing to 1), ``class``,
        ``area_km2``, ``population`` (the census total; NaN without one) and
        the township polygon.

    Raises
    ------
    TerritoryError
        When the timeline has no townships.

    Examples
    --------
    >>> import territory
    >>> tl = territory.ControlTimeline(territory.load_shan())
    >>> r = township_rollup(tl, "2024-09-01")
    >>> bool(r[["junta", "resistance", "neutral", "contested", "unassessed"]].sum(axis=1).round(9).eq(1).all())
    True
    """
    townships = tl.townships
    if townships is None:
        raise TerritoryError(
            "townships: the roll-up needs township polygons; build the timeline with "
            "townships=territory.read_townships(path), or on a dataset that ships them"
        )
    at = tl.places_at(date)  # each holder's side on the day
    side_ids = tuple(tl.dataset.sides.ids)
    ground_columns = (*side_ids, *_RESERVED_GROUND)
    pieces = tl.zones.attrs["pieces"].dropna(subset=["ts_pcode"]).copy()
    holder = at["holder"].reindex(pieces["zone_id"]).to_numpy()
    ground = at["side"].reindex(pieces["zone_id"]).to_numpy(dtype=object)
    contested = (at["status"].reindex(pieces["zone_id"]) == "contested").to_numpy()
    pieces["ground"] = np.where(contested, "contested", ground)
    pieces["holder"] = holder
    area = pieces.pivot_table(
        index="ts_pcode", columns="ground", values="area_km2", aggfunc="sum", fill_value=0.0
    )
    area = area.reindex(columns=list(ground_columns), fill_value=0.0)
    total = pieces.groupby("ts_pcode")["area_km2"].sum()
    order = [p for p in townships.index if p in total.index]
    shares = area.div(total, axis=0).reindex(order)
    # The seats depend on the places and townships alone: kept for the timeline and its views.
    seats = tl._cached(
        "rollup_seats",
        lambda: township_seats(tl.dataset.places, townships, crs=tl.dataset.equal_area_crs),
        shared=True,
    ).reindex(order)
    seat_holder = at["holder"].reindex(seats["seat"]).to_numpy()
    seat_side = pd.Series(at["side"].reindex(seats["seat"]).to_numpy(dtype=object), index=order)
    seat_side = seat_side.where(pd.notna(seat_holder), None)
    seat_status = at["status"].reindex(seats["seat"]).to_numpy()
    seat_side = seat_side.where(seat_status != "contested", "contested")
    frame = pd.DataFrame(
        {
            "ts_pcode": order,
            "township": townships.loc[order, "TS"].to_numpy(),
        },
        index=pd.Index(order),
    )
    if "ST" in townships.columns:
        frame["region"] = townships.loc[order, "ST"].to_numpy()
    frame["seat"] = seats["seat"].to_numpy()
    frame["seat_holder"] = seat_holder
    layer = tl.zones["layer"] if "layer" in tl.zones else pd.Series(dtype=object)
    rural = pieces.loc[pieces["zone_id"].map(layer).eq("countryside")]
    largest = rural.sort_values("area_km2", ascending=False).drop_duplicates("ts_pcode")
    frame["countryside_holder"] = largest.set_index("ts_pcode")["holder"].reindex(order)
    for column in ground_columns:
        frame[column] = shares[column].to_numpy()
    frame["class"] = _classify(shares, seat_side, side_ids).to_numpy()
    frame["area_km2"] = total.reindex(order).to_numpy()
    census = tl.dataset.population
    people = (
        census.set_index("ts_pcode")["population"].astype(float)
        if len(census)
        else pd.Series(dtype=float)
    )
    frame["population"] = people.reindex(order).to_numpy()
    geometry = townships.geometry.reindex(order).to_numpy()
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=geometry, crs=WGS84)


def township_counts(tl: ControlTimeline, date: Any, *, region: str | None = None) -> pd.DataFrame:
    """How many townships, how much ground and how many people are in each class.

    Parameters
    ----------
    tl : ControlTimeline
    date : date-like
    region : str, optional
        Only the townships whose ``ST`` (state or region) is this.

    Returns
    -------
    pandas.DataFrame
        Indexed by class (:func:`rollup_classes` of the dataset's sides;
        :data:`ROLLUP_CLASSES` for the embedded data), every class listed:
        ``townships``, ``share`` (of the townships counted), ``area_km2`` and
        ``population`` (census totals where known).  ``attrs["total"]`` is the
        number of townships counted and ``attrs["text"]`` reads like
        "<side> 30 of 55, …".

    Examples
    --------
    >>> import territory
    >>> tl = territory.ControlTimeline(territory.load_shan())
    >>> township_counts(tl, "2023-10-26", region="Shan").attrs["total"]
    55
    """
    rollup = township_rollup(tl, date)
    if region is not None:
        if "region" not in rollup.columns or region not in set(rollup["region"]):
            known = sorted(set(rollup["region"])) if "region" in rollup.columns else []
            raise TerritoryError(f"region: {region!r} is not known; expected one of {known}")
        rollup = rollup.loc[rollup["region"] == region]
    grouped = rollup.groupby("class")
    counts = pd.DataFrame(
        {
            "townships": grouped.size(),
            "area_km2": grouped["area_km2"].sum(),
            "population": grouped["population"].sum(min_count=1),
        }
    ).reindex(list(rollup_classes(tl.dataset.sides.ids)))
    counts["townships"] = counts["townships"].fillna(0).astype(int)
    counts["area_km2"] = counts["area_km2"].fillna(0.0)
    total = int(counts["townships"].sum())
    counts.insert(1, "share", counts["townships"] / total if total else 0.0)
    counts.index.name = "class"
    counts.attrs["total"] = total
    counts.attrs["text"] = ", ".join(
        f"{c} {n} of {total}" for c, n in counts["townships"].items() if n
    )
    return counts
