"""Published figures side by side with what the library computes, under every spatial model.

Run: ``PYTHONPATH=src python benchmarks/validation.py`` (prints a Markdown table;
``docs/validation.md`` explains each row).  Every published value, its source and
its definition are written here once; the library's values are computed from
the embedded data on each run, so the table moves when the data does.

Definitions the library uses
    *northern Shan* is the 24 townships of Shan State (North) (:data:`NORTHERN_SHAN`);
    a *town* is a place of kind ``town`` or ``township_seat``; a place is in a
    township when the township polygon (embedded, geoBoundaries) covers its point.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import shapely

import territory
from territory.rollup import township_rollup

#: Shan State (North): 24 townships in 7 districts, as Shan Herald (BNI,
#: bnionline.net/en/node/14131) lists the 2010 arrangement (Lashio 5, Kyaukme 6,
#: Muse 3, Laukkai 2, Mongmit 2, Hopang 3, Matman 3), geoBoundaries spellings.
NORTHERN_SHAN: tuple[str, ...] = (
    "Lashio", "Hseni", "Kunlong", "Mongyai", "Tangyan",
    "Kyaukme", "Hsipaw", "Nawnghkio", "Namtu", "Namhsan", "Manton",
    "Muse", "Namhkan", "Kutkai",
    "Laukkaing", "Konkyan",
    "Mongmit", "Mabein",
    "Hopang", "Mongmao", "Pangwaun",
    "Matman", "Narphan", "Pangsang",
)  # fmt: skip
MODELS = ("layered", "nearest", "seat")
TOWN_KINDS = ("town", "township_seat")
RESISTANCE = "resistance"


@dataclass(frozen=True)
class Figure:
    """One published figure and how the library computes the same (or the nearest) thing."""

    key: str
    published: str
    source: str
    definition: str
    compute: Callable[[territory.ControlTimeline], object]
    tested: bool = False  #: the definitions match exactly; tests/test_validation.py checks it


@cache
def timeline(model: str) -> territory.ControlTimeline:
    ds = territory.load_shan()
    return territory.ControlTimeline(ds, model=model, townships=ds.townships)


@cache
def _northern_pcodes() -> list[str]:
    tws = territory.load_shan().townships
    return list(tws.index[tws["TS"].isin(NORTHERN_SHAN)])


@cache
def _place_township() -> pd.Series:
    """Each place's township pcode (the polygon that covers it, else the nearest within 2 km)."""
    ds = territory.load_shan()
    tws = ds.townships.to_crs(ds.equal_area_crs)
    points = ds.places.geometry.to_crs(ds.equal_area_crs)
    tree = shapely.STRtree(tws.geometry.to_numpy())
    nearest, distance = tree.query_nearest(
        points.to_numpy(), return_distance=True, all_matches=False
    )
    codes = np.where(distance <= 2000.0, tws.index.to_numpy()[nearest[1]], None)
    return pd.Series(codes, index=ds.places.index)


def _towns(northern: bool = True) -> list[str]:
    ds = territory.load_shan()
    kinds = ds.places["kind"].isin(TOWN_KINDS)
    where = _place_township().isin(_northern_pcodes()) if northern else True
    return list(ds.places.index[kinds & where])


def towns_held(
    tl: territory.ControlTimeline, day: str, actors: set[str], northern: bool = True
) -> list[str]:
    """Towns (northern Shan by default) held by ``actors`` on ``day`` that the junta held on the baseline."""
    base = tl.places_at(tl.baseline_date)
    now = tl.places_at(day)
    towns = [t for t in _towns(northern) if base.loc[t, "side"] == "junta"]
    return sorted(t for t in towns if now.loc[t, "holder"] in actors)


#: The places the junta's spokesman said on 2023-11-01 had been lost (Than Lwin Times, 2023-11-03):
#: Chinshwehaw, Phaungsai (Hpawng Hseng) and Kyukok (Pang Hseng / Pansai).
JUNTA_ADMITTED = ("chinshwehaw", "hpawng_hseng", "pang_hseng")


def not_junta(tl: territory.ControlTimeline, day: str, places: list[str]) -> list[str]:
    """Those of ``places`` that the junta does not hold on ``day``."""
    now = tl.places_at(day)
    return sorted(p for p in places if now.loc[p, "side"] != "junta")


def towns_moved(
    tl: territory.ControlTimeline, d0: str, d1: str, from_actor: str, to_side: str
) -> list[str]:
    """Towns held by ``from_actor`` on ``d0`` and by ``to_side`` on ``d1``."""
    a, b = tl.places_at(d0), tl.places_at(d1)
    return sorted(
        t for t in _towns() if a.loc[t, "holder"] == from_actor and b.loc[t, "side"] == to_side
    )


def _junta_ground(tl: territory.ControlTimeline, day: object) -> pd.Series:
    """Area (km²) per zone in northern Shan, and whether the junta holds it on ``day``."""
    pieces = tl.zones.attrs["pieces"]
    pieces = pieces.loc[pieces["ts_pcode"].isin(_northern_pcodes())]
    side = tl.places_at(day)["side"].reindex(pieces["zone_id"]).to_numpy()
    return pd.Series(
        np.where(side == "junta", pieces["area_km2"].to_numpy(), 0.0), index=pieces.index
    )


@cache
def _peak(model: str) -> tuple[pd.Timestamp, pd.Series]:
    """The day the junta held least ground in northern Shan, and the pieces it had lost by then."""
    tl = timeline(model)
    base = _junta_ground(tl, tl.baseline_date)
    best = (tl.baseline_date, base * 0)
    for day in tl.change_dates:
        lost = (base > 0) & (_junta_ground(tl, day) == 0)
        if (base[lost]).sum() > best[1].sum():
            best = (day, base.where(lost, 0.0))
    return best


def lost_share_of_region(tl: territory.ControlTimeline) -> str:
    lost = _peak(tl.model)[1]
    pieces = tl.zones.attrs["pieces"]
    region = pieces.loc[pieces["ts_pcode"].isin(_northern_pcodes()), "area_km2"].sum()
    return f"{100 * lost.sum() / region:.1f} % ({_peak(tl.model)[0].date()})"


def regained_share_of_lost(tl: territory.ControlTimeline, day: str = "2025-11-12") -> str:
    lost = _peak(tl.model)[1]
    if lost.sum() == 0:
        return "n/a (no ground lost)"
    back = _junta_ground(tl, day)[lost > 0].sum()
    return f"{100 * back / lost.sum():.1f} %"


def route_regained(tl: territory.ControlTimeline, day: str = "2025-11-12") -> str:
    ds = tl.dataset
    stops = ds.routes.set_index("route_id").loc["mandalay_muse", "places"]
    peak = _peak(tl.model)[0]
    base, low, now = tl.places_at(tl.baseline_date), tl.places_at(peak), tl.places_at(day)
    lost = [p for p in stops if base.loc[p, "side"] == "junta" and low.loc[p, "side"] != "junta"]
    back = [p for p in lost if now.loc[p, "side"] == "junta"]
    return f"{len(back)} of {len(lost)} places lost at the peak ({100 * len(back) / max(len(lost), 1):.1f} %)"


def _count(names: list[str]) -> str:
    return f"{len(names)}: {', '.join(names)}"


def rollup_counts(tl: territory.ControlTimeline, day: str, northern: bool) -> str:
    rollup = township_rollup(tl, day)
    rollup = rollup.loc[
        rollup["ts_pcode"].isin(_northern_pcodes() if northern else rollup["ts_pcode"])
    ]
    if not northern:
        rollup = rollup.loc[rollup["region"] == "Shan"]
    counts = rollup["class"].value_counts()
    return ", ".join(f"{c} {n}" for c, n in counts.items()) + f" (of {len(rollup)})"


def shan_area_outside_stable_junta(tl: territory.ControlTimeline, day: str) -> str:
    rollup = township_rollup(tl, day)
    rollup = rollup.loc[rollup["region"] == "Shan"]
    outside = rollup.loc[rollup["class"] != "junta", "area_km2"].sum()
    return f"{100 * outside / rollup['area_km2'].sum():.1f} % of Shan's area"


def junta_ground_share(tl: territory.ControlTimeline, day: str) -> str:
    sides = tl.series(day, day).iloc[0]
    total = sides.sum()
    parts = [
        f"{s} {100 * sides[s] / total:.0f} %"
        for s in ("junta", RESISTANCE, "unassessed")
        if s in sides
    ]
    return ", ".join(parts)


def towns_ever_captured_by(tl: territory.ControlTimeline, actor: str, by: str) -> list[str]:
    events = tl.events
    taken = events.loc[
        events["kind"].isin(["capture", "handover"])
        & (events["to_actor"] == actor)
        & (events["date"] <= by),
        "place",
    ]
    kinds = tl.dataset.places["kind"]
    return sorted({p for p in taken if kinds.get(p) in TOWN_KINDS})


FIGURES: list[Figure] = [
    Figure(
        "isp_lost",
        "58.3 % of northern Shan lost by the junta in Operation 1027",
        "ISP-Myanmar report of 2025-11-12, as reported by DMG (2025-11-13) and BNI",
        "share of northern Shan State's territory the junta lost (area; ISP's method and map not given)",
        lost_share_of_region,
    ),
    Figure(
        "isp_regained",
        "11.3 % of the lost territory regained (Nov 2025)",
        "ISP-Myanmar report of 2025-11-12 (DMG, 2025-11-13; BNI)",
        "share of the ground lost in Operation 1027 that the junta holds again",
        regained_share_of_lost,
    ),
    Figure(
        "isp_route",
        "44.4 % of the territories along the Mandalay–Muse route regained",
        "ISP-Myanmar report of 2025-11-12 (BNI)",
        "share of the route's lost ground back under the junta (ISP: area along the route; library: route places)",
        route_regained,
    ),
    Figure(
        "junta_admitted_3",
        "3 towns admitted lost by 1 Nov 2023 (Chinshwehaw, Phaungsai, Kyukok/Pansai)",
        "Than Lwin Times, 2023-11-03 (junta spokesman, press conference of 2023-11-01)",
        "the three places the junta named (any kind: two are crossings in places.csv) not held by it on 2023-11-01",
        lambda tl: _count(not_junta(tl, "2023-11-01", list(JUNTA_ADMITTED))),
        tested=True,
    ),
    Figure(
        "irrawaddy_nine_towns",
        "6 northern Shan towns lost in under three weeks (Chin Shwe Haw, Phaungsai, Monekoe, Namkham, Hseni, Kunlong)",
        "The Irrawaddy, 2023-11-15 ('Nine towns occupied by Myanmar military for decades lost to resistance in days')",
        "northern Shan towns not held by the junta on 2023-11-14",
        lambda tl: _count(towns_held(tl, "2023-11-14", set(tl.actor_ids) - {"SAC", "PNO"})),
    ),
    Figure(
        "irrawaddy_mndaa_7",
        "MNDAA: at least 7 towns by 27 Dec 2023",
        "The Irrawaddy, 2023-12-27 ('Myanmar's Operation 1027 against the junta two months on')",
        "northern Shan towns held by the MNDAA on 2023-12-27",
        lambda tl: _count(towns_held(tl, "2023-12-27", {"MNDAA"})),
        tested=True,
    ),
    Figure(
        "irrawaddy_tnla_3",
        "TNLA: at least 3 towns by 27 Dec 2023",
        "The Irrawaddy, 2023-12-27",
        "northern Shan towns held by the TNLA on 2023-12-27",
        lambda tl: _count(towns_held(tl, "2023-12-27", {"TNLA"})),
        tested=True,
    ),
    Figure(
        "thanlwin_10",
        "10 northern Shan towns controlled by the MNDAA and TNLA after two months",
        "Than Lwin Times, 2023-12-28 ('Two-month review of Operation 1027')",
        "northern Shan towns held by the MNDAA or the TNLA on 2023-12-28",
        lambda tl: _count(towns_held(tl, "2023-12-28", {"MNDAA", "TNLA"})),
    ),
    Figure(
        "tnla_12",
        "TNLA captured 12 towns since Oct 2023",
        "Al Jazeera, as reported by NY Morning, 2025-10-31",
        "places of kind town/township_seat the TNLA took (capture or handover) by 2025-10-28, anywhere in the log",
        lambda tl: _count(towns_ever_captured_by(tl, "TNLA", "2025-10-28")),
    ),
    Figure(
        "moemaka_tnla_lost_3",
        "TNLA lost 3 northern Shan towns mid-July – 16 Oct 2025 (Naungcho, Kyaukme, Hsipaw)",
        "MoeMaKa (Myanmar Spring Chronicle), 2025-10-17",
        "northern Shan towns held by the TNLA on 2025-07-01 and by the junta on 2025-10-16",
        lambda tl: _count(towns_moved(tl, "2025-07-01", "2025-10-16", "TNLA", "junta")),
        tested=True,
    ),
    Figure(
        "rfa_24_townships",
        "EAOs control 24 Shan townships; only Tangyan, Mongyai and Muse still junta-held (northern Shan)",
        "Radio Free Asia, early January 2025 (copy on ij-reportika.com: 'After 2024 setbacks, junta forces now control less than half of Myanmar')",
        "northern Shan townships by roll-up class on 2024-12-31 (RFA's count rule not given)",
        lambda tl: rollup_counts(tl, "2024-12-31", northern=True),
    ),
    Figure(
        "sacm_2024_86pc",
        "junta lost complete authority over townships covering 86 % of Myanmar's territory",
        "Special Advisory Council for Myanmar, 'Effective Control in Myanmar: 2024 Update', 2024-05-30 (Al Jazeera)",
        "Shan only: share of Shan's area in townships the roll-up does not class junta, 2024-05-30",
        lambda tl: shan_area_outside_stable_junta(tl, "2024-05-30"),
    ),
    Figure(
        "sacm_2022_72",
        "stable junta control of 72 of 330 townships (Myanmar)",
        "Special Advisory Council for Myanmar, 'Effective Control in Myanmar', 2022-09-05",
        "Shan only: the roll-up's classes of the 55 Shan townships on the baseline, 2023-10-26",
        lambda tl: rollup_counts(tl, "2023-10-26", northern=False),
    ),
    Figure(
        "bbc_21pc",
        "the military fully controls 21 % of Myanmar, opposition forces 42 %",
        "BBC study, late 2024 (reported by SOFX / Radio Free Asia, 2025-01)",
        "Shan only: share of Shan's ground by side on 2024-12-01",
        lambda tl: junta_ground_share(tl, "2024-12-01"),
    ),
]


def table() -> pd.DataFrame:
    rows = []
    for figure in FIGURES:
        row = {"figure": figure.key, "published": figure.published, "source": figure.source}
        row["definition (library)"] = figure.definition
        for model in MODELS:
            row[model] = figure.compute(timeline(model))
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> int:
    frame = table()
    columns = list(frame.columns)
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in frame.itertuples(index=False):
        print("| " + " | ".join(str(v).replace("|", "/") for v in row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
