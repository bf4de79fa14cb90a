"""Population of held towns: the people of the towns each side holds.

This is a different measure from the census population of ground
(:mod:`territory.population`): it adds up the **town** populations given in
``places.csv`` (the embedded data take them from GeoNames, CC BY 4.0) for
the towns and township seats each actor or side holds.  Villages, the
countryside and towns without a figure count for nothing, so it is a floor
for urban population, not a share of a township's people.  Each result says
how many towns have a figure.

Examples
--------
>>> import territory
>>> from territory.timeline import ControlTimeline
>>> tl = ControlTimeline(territory.load_shan())
>>> table = held_town_population(tl, ["2023-10-26"], by="side")
>>> table.attrs["measure"]
'population of held towns'
>>> bool(table.loc["2023-10-26", "junta"] > 0)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from territory.errors import TerritoryError

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = ["TOWN_KINDS", "held_town_population"]

#: The kinds of place whose population counts as a town's.
TOWN_KINDS = ("town", "township_seat")


def held_town_population(
    timeline: ControlTimeline, dates: Iterable[Any], *, by: str = "side"
) -> pd.DataFrame:
    """The summed town populations each side or actor holds on each date.

    Parameters
    ----------
    timeline : ControlTimeline
    dates : iterable of date-like
    by : {"side", "actor"}

    Returns
    -------
    pandas.DataFrame
        Indexed by date, one column per side or actor (0 where it holds no
        town with a figure).  ``attrs``: ``measure`` ("population of held
        towns"), ``towns_with_population`` and ``towns`` (how many towns and
        seats the dataset has), ``source`` (the ``population_source`` values
        used).
    """
    if by not in ("side", "actor"):
        raise TerritoryError(f"by: {by!r} is not valid; expected 'side' or 'actor'")
    places = timeline.dataset.places
    towns = places.loc[places["kind"].isin(TOWN_KINDS)]
    people = pd.to_numeric(towns["population"], errors="coerce").dropna()
    labels = timeline.side_ids if by == "side" else timeline.actor_ids
    column = "side" if by == "side" else "holder"
    rows = {}
    for date in dates:
        at = timeline.places_at(date)
        day = pd.Timestamp(timeline._day(date, "dates"))
        held = at.loc[people.index, column]
        rows[day] = people.groupby(held.to_numpy()).sum().reindex(labels, fill_value=0.0)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=labels).astype(float)
    frame.index.name = "date"
    frame.columns.name = by
    frame.attrs = {
        "measure": "population of held towns",
        "towns_with_population": len(people),
        "towns": len(towns),
        "source": sorted(set(towns.loc[people.index, "population_source"].dropna())),
    }
    return frame
