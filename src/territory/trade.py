"""Border crossings, who holds them, and the share of border trade out of the junta's hands.

A *post* is a border trade post as the Ministry of Commerce reports its trade
(``muse``, ``chinshwehaw``; the ``post`` column of ``border_trade.csv``).  A
*gate* is a place of kind ``crossing`` or ``trade_zone`` whose ``post`` column
names the post whose trade it carries; a post can have several gates (Muse has
the 105-Mile zone, Mang Wein, Kyin San Kyawt …).  Trade is known per post and
period, never per gate.

:func:`trade_share` answers, for one day: what share of border trade passes
through gates that a side holds (basis ``"held"``) or that the junta cannot
reach by road from Mandalay (basis ``"cut"``)?  :func:`trade_share_series`
does it for many days, computing once per distinct state of the holders.
:func:`crossings_at` lists the gates with holder, reach and trade value.
``docs/trade.md`` gives every definition and compares the results with
published figures.

Examples
--------
>>> import territory
>>> from territory.timeline import ControlTimeline
>>> tl = ControlTimeline(territory.load_shan())
>>> share = trade_share(tl, "2023-10-26", denominator="china_border")
>>> share.low <= share.value <= share.high
True
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from territory.dates import day_range, to_day
from territory.errors import DataError, TerritoryError
from territory.routes import junta_reach, route_graph
from territory.schema import SPECS
from territory.trade_periods import (
    Basket,
    ChosenPeriod,
    ReferencePeriod,
    TradeBook,
    reference_periods,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

    from territory.dataset import Dataset

__all__ = [
    "BASES",
    "DENOMINATORS",
    "GATE_KINDS",
    "ReferencePeriod",
    "TradeShare",
    "crossings_at",
    "reference_periods",
    "trade_share",
    "trade_share_series",
]

#: Place kinds that carry a post's trade.
GATE_KINDS = ("crossing", "trade_zone")
BASES = ("held", "cut")
DENOMINATORS = ("all_border", "china_border")
_SCOPE_COUNTRY = {"all_border": None, "china_border": "CHN"}


class Timeline(Protocol):
    """What this module needs of a :class:`territory.ControlTimeline`."""

    dataset: Dataset

    def places_at(self, date: Any) -> gpd.GeoDataFrame: ...


@dataclass(frozen=True)
class TradeShare:
    """The share of border trade that one side holds, or that the junta cannot reach.

    Attributes
    ----------
    date : pandas.Timestamp
        The day the holders are taken from.
    value : float
        The central estimate, in [0, 1]: a post whose gates are split between
        sides counts in proportion to its gates (gate-level values are unknown,
        so each gate carries an equal part of its post's trade).
    low, high : float
        ``low`` counts a post only when *all* its gates count; ``high`` counts
        it as soon as *any* gate does.  For a post the reference period lacks,
        each bound also takes the end of the post's estimated range that moves
        it furthest (the notes give each range and its origin).
    numerator_usd, denominator_usd : float
        ``value == numerator_usd / denominator_usd``.
    estimated_usd : float
        The estimated trade of the posts the reference period lacks (0 when
        none).  Without a residual row it is part of ``denominator_usd``; with
        one it is carved out of the residual, and the denominator stays the
        published total.
    crossings : tuple of str
        The gates (place ids) that count for the side.
    posts : tuple of str
        The posts whose trade counts at least in part.
    reference_period : ReferencePeriod
    notes : tuple of str
        Every assumption the number rests on: the period chosen, posts outside
        the mapped area, posts split between sides, gates without trade values,
        posts absent from the period.
    side, basis, denominator : str
        The definition asked for (``side`` joins several sides with ``+``).
    """

    date: pd.Timestamp
    value: float
    low: float
    high: float
    numerator_usd: float
    denominator_usd: float
    estimated_usd: float
    crossings: tuple[str, ...]
    posts: tuple[str, ...]
    reference_period: ReferencePeriod
    notes: tuple[str, ...]
    side: str
    basis: str
    denominator: str

    def __str__(self) -> str:
        return (
            f"{self.value:.1%} [{self.low:.1%}, {self.high:.1%}] of {self.denominator} trade "
            f"({self.side}, {self.basis}) on {self.date.date()}, weighted by {self.reference_period}"
        )


# -- public functions ---------------------------------------------------------------------------


def crossings_at(
    tl: Timeline,
    date: Any,
    *,
    reference_period: str | ReferencePeriod | tuple[Any, Any] | None = None,
    origin: str | None = None,
) -> gpd.GeoDataFrame:
    """Every gate (crossing or trade zone) on ``date``: holder, reach and trade value.

    Parameters
    ----------
    tl : ControlTimeline
    date : date-like
        A day within the dataset's range.
    reference_period : str, ReferencePeriod, (start, end) or None
        The trade period for every row.  By default each post takes its own
        latest full fiscal year ending before ``date`` or, when it has none,
        its latest period ending before ``date``; the row says which.
    origin : str, optional
        Where the junta's road network starts (see :func:`territory.routes.junta_reach`);
        default: the dataset's ``origin``.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by place id, with ``id``, ``name``, ``kind``, ``post``,
        ``partner_country``, ``official``, ``holder``, ``side``,
        ``held_since``, ``status``, ``on_route``, ``reachable_by_junta``,
        ``post_trade_usd`` (the whole post's value), ``gates_in_post``,
        ``trade_value_usd`` (the post's value split equally across its gates;
        NaN when the post has no value) and ``reference_period`` (label).
        ``attrs["notes"]`` lists the assumptions.

    Examples
    --------
    >>> import territory
    >>> from territory.timeline import ControlTimeline
    >>> tl = ControlTimeline(territory.load_shan())
    >>> gates = crossings_at(tl, "2023-10-26")
    >>> bool(gates.loc["chinshwehaw", "side"] == "junta")
    True
    """
    model = _model(tl, origin)
    day = model.day(date, "date")
    state = model.state(day, every_place=True)
    gates = model.gates.copy()
    for column in ("holder", "side", "held_since", "status"):
        gates[column] = state.frame.loc[gates.index, column].to_numpy()
    gates["on_route"] = [g in model.graph for g in gates.index]
    gates["reachable_by_junta"] = [model.reachable(g, state) for g in gates.index]
    counts = gates["post"].value_counts()
    gates["gates_in_post"] = gates["post"].map(counts).astype("Int64")
    values: dict[str, tuple[float, str]] = {}
    notes: list[str] = []
    fixed = None if reference_period is None else model.book.find(reference_period)
    for post in gates["post"].dropna().unique():
        found = model.book.post_value(post, day, fixed)
        if found is None:
            where = f"in {fixed}" if fixed is not None else "in any period"
            notes.append(f"post {post!r} has no trade value {where}: its gates show NaN")
        else:
            values[post] = found
    no_post = gates.index[gates["post"].isna()].tolist()
    if no_post:
        notes.append(f"gates naming no post, so without trade values: {', '.join(no_post)}")
    gates["post_trade_usd"] = gates["post"].map(lambda p: values.get(p, (np.nan, ""))[0])
    gates["trade_value_usd"] = gates["post_trade_usd"] / gates["gates_in_post"].astype(float)
    gates["reference_period"] = gates["post"].map(lambda p: values.get(p, (np.nan, None))[1])
    off_route = [g for g in gates.index if g not in model.graph]
    if off_route:
        notes.append(
            f"gates on no route (reachable_by_junta = held by the incumbent, {model.incumbent}): "
            f"{', '.join(off_route)}"
        )
    notes.append("trade_value_usd splits each post's value equally across its gates")
    gates.attrs["notes"] = tuple(notes)
    return gates


def trade_share(
    tl: Timeline,
    date: Any,
    *,
    side: str | Iterable[str] | None = None,
    basis: str = "held",
    denominator: str = "all_border",
    reference_period: str | ReferencePeriod | tuple[Any, Any] | None = None,
    origin: str | None = None,
) -> TradeShare:
    """The share of border trade through gates that ``side`` holds, or the junta cannot reach.

    Parameters
    ----------
    tl : ControlTimeline
    date : date-like
        A day within ``[baseline_date, as_of]`` of the dataset.
    side : str or iterable of str, optional
        Sides of the dataset's vocabulary (``Dataset.sides``), as an iterable
        or joined with ``+``.  Default: the first side after the incumbent
        (in Shan State ``"resistance"``; ``"resistance+neutral"`` is all
        trade out of the junta's hands).  The ``cut`` basis walks the roads
        of the incumbent side (``Dataset.sides.incumbent``; the junta there).
    basis : {"held", "cut"}
        ``"held"``: a gate counts when an actor of ``side`` holds it.
        ``"cut"``: as ``"held"``, except that the junta's gates are judged
        by road: a junta-held gate that the junta cannot reach from ``origin``
        through junta-held places counts for every non-junta side asked
        for, and not for ``"junta"``.  For non-junta sides cut >= held.
    denominator : {"all_border", "china_border"}
        All posts of ``border_trade.csv`` in the reference period, or those
        with China.  Posts without any gate in the dataset are outside the
        mapped area: they count as held and reached by the junta (a note says so).
    reference_period : str, ReferencePeriod, (start, end) or None
        A ``period_label``, a period, or its dates.  By default: among the
        periods ending before ``date`` whose published post values make up
        at least :data:`~territory.trade_periods.MIN_NAMED_SHARE` of the
        denominator, a full fiscal year, else the latest (see
        :meth:`~territory.trade_periods.TradeBook.default`; the first note
        says which and why).  Posts the period lacks are estimated, and
        said so.
    origin : str, optional
        Where the junta's road network starts; default: the dataset's ``origin``.

    Returns
    -------
    TradeShare

    Raises
    ------
    DateRangeError
        When ``date`` is outside the dataset's range.
    DataError
        When the reference period has no trade data for the denominator, or
        ``reference_period`` names no period of the data.
    TerritoryError
        When an option is not one of the values above.

    Examples
    --------
    >>> import territory
    >>> from territory.timeline import ControlTimeline
    >>> tl = ControlTimeline(territory.load_shan())
    >>> s = trade_share(tl, "2024-08-10", denominator="china_border", basis="cut")
    >>> 0 <= s.low <= s.value <= s.high <= 1
    True
    """
    model = _model(tl, origin)
    query = model.query(side, basis, denominator)
    day = model.day(date, "date")
    wanted = None if reference_period is None else model.book.find(reference_period)
    return model.share(model.state(day), query, model.period_for(day, wanted, query))


def trade_share_series(
    tl: Timeline,
    start: Any,
    end: Any,
    freq: str = "W",
    **options: Any,
) -> pd.DataFrame:
    """:func:`trade_share` on every date of ``pandas.date_range(start, end, freq=freq)``.

    A share can change only on the day of an event at a gate or on a route,
    or when the default reference period changes; the dates are cut into runs
    at those days, the timeline is asked once per run and the share computed
    once per (run, reference period), then reused.

    Parameters
    ----------
    tl : ControlTimeline
    start, end : date-like
        Both within the dataset's range.
    freq : str
        A pandas frequency (``"D"``, ``"W"``, ``"MS"`` …).
    **options
        ``side``, ``basis``, ``denominator``, ``reference_period``, ``origin``
        as for :func:`trade_share`.

    Returns
    -------
    pandas.DataFrame
        Indexed by date: ``value``, ``low``, ``high``, ``numerator_usd``,
        ``denominator_usd``, ``reference_period`` (label), ``crossings``
        (tuple of gate ids), ``posts`` (tuple of post ids) and ``notes``
        (tuple of str), as in :class:`TradeShare`.

    Examples
    --------
    >>> import territory
    >>> from territory.timeline import ControlTimeline
    >>> tl = ControlTimeline(territory.load_shan())
    >>> frame = trade_share_series(tl, "2023-10-26", "2024-01-31", freq="MS",
    ...                            denominator="china_border")
    >>> list(frame.index.strftime("%Y-%m-%d"))
    ['2023-11-01', '2023-12-01', '2024-01-01']
    """
    unknown = set(options) - {"side", "basis", "denominator", "reference_period", "origin"}
    if unknown:
        raise TerritoryError(
            f"trade_share_series: unknown option(s) {sorted(unknown)}; expected side, basis, "
            "denominator, reference_period or origin"
        )
    model = _model(tl, options.get("origin"))
    query = model.query(
        options.get("side"),
        options.get("basis", "held"),
        options.get("denominator", "all_border"),
    )
    dates = day_range(start, end, freq, model.first, model.last)
    state_keys = np.searchsorted(model.change_dates, dates.to_numpy(), side="right")
    fixed = options.get("reference_period")
    rows: list[dict[str, Any]] = []
    cache: dict[tuple[int, ChosenPeriod], TradeShare] = {}
    states: dict[int, _State] = {}
    pinned = None if fixed is None else model.book.find(fixed)
    for day, key in zip(dates, state_keys.tolist(), strict=True):
        chosen = model.period_for(day, pinned, query)
        result = cache.get((key, chosen))
        if result is None:
            if key not in states:
                states[key] = model.state(day)
            result = cache[(key, chosen)] = model.share(states[key], query, chosen)
        rows.append(
            {
                "date": day,
                "value": result.value,
                "low": result.low,
                "high": result.high,
                "numerator_usd": result.numerator_usd,
                "denominator_usd": result.denominator_usd,
                "reference_period": result.reference_period.label,
                "crossings": result.crossings,
                "posts": result.posts,
                "notes": result.notes,
            }
        )
    columns = [
        "value",
        "low",
        "high",
        "numerator_usd",
        "denominator_usd",
        "reference_period",
        "crossings",
        "posts",
        "notes",
    ]
    frame = pd.DataFrame(rows, columns=["date", *columns])
    return frame.set_index("date")


# -- internals ----------------------------------------------------------------------------------

#: The last few models built, by (id of the timeline, origin): a model holds the
#: gates, the road graph and the trade book, which do not change for a timeline.
_MODELS: dict[tuple[int, str], tuple[weakref.ref, _Model]] = {}
_MODELS_KEPT = 8


def _model(tl: Timeline, origin: str | None) -> _Model:
    dataset = getattr(tl, "dataset", None)
    if dataset is not None and len(dataset.trade) == 0:
        raise TerritoryError(
            f"trade: the dataset {dataset.name!r} has no trade data "
            f"({SPECS['trade'].path} is missing or empty); the trade share needs it"
        )
    if origin is None:
        origin = getattr(dataset, "origin", None)
    if origin is None and dataset is not None:
        raise TerritoryError(
            "origin: the dataset names no road origin; pass origin=<place id> "
            "or set 'origin' in its dataset.json"
        )
    key = (id(tl), origin)
    kept = _MODELS.get(key)
    if kept is not None and kept[0]() is tl:
        return kept[1]
    model = _Model(tl, origin)
    try:
        reference = weakref.ref(tl)
    except TypeError:  # an object that cannot be weakly referenced is not cached
        return model
    while len(_MODELS) >= _MODELS_KEPT:
        _MODELS.pop(next(iter(_MODELS)))
    _MODELS[key] = (reference, model)
    return model


@dataclass(frozen=True)
class _Query:
    sides: frozenset[str]
    basis: str
    denominator: str

    @property
    def side(self) -> str:
        return "+".join(sorted(self.sides))

    @property
    def country(self) -> str | None:
        return _SCOPE_COUNTRY[self.denominator]


@dataclass(frozen=True)
class _State:
    """The holders on one day: ``frame`` is indexed by place id."""

    day: pd.Timestamp
    frame: pd.DataFrame
    sides: Mapping[str, str]
    reach: frozenset[str]


class _Model:
    """One timeline's gates, road graph and trade book, shared by every date asked for."""

    def __init__(self, tl: Timeline, origin: str | None) -> None:
        dataset = getattr(tl, "dataset", None)
        if dataset is None or not callable(getattr(tl, "places_at", None)):
            raise TerritoryError(
                f"tl: expected a ControlTimeline (with .dataset and .places_at), got {type(tl).__name__}"
            )
        self.tl = tl
        self.dataset: Dataset = dataset
        self.incumbent = dataset.sides.incumbent  # the side whose roads the cut basis walks
        self.origin = origin
        places = dataset.places
        if origin not in places.index:
            raise TerritoryError(
                f"origin: {origin!r} is not a place of the dataset; expected a place id of places.csv"
            )
        columns = ["id", "name", "kind", "post", "partner_country", "official", "geometry"]
        self.gates = places.loc[places["kind"].isin(GATE_KINDS), columns].copy()
        self.graph: nx.Graph = route_graph(dataset.routes)
        self.book = TradeBook(dataset)
        # Only events at gates and on routes can change a share.  A state can
        # change on an event's day or, when one day names two new holders, on
        # the next; where the timeline lists its change days, keep those only.
        relevant = set(self.gates.index) | set(self.graph.nodes)
        self.relevant = sorted(relevant & set(places.index))
        events = getattr(tl, "events", dataset.events)
        days = events.loc[events["place"].isin(relevant), "date"].to_numpy(dtype="datetime64[ns]")
        sides_change = dataset.side_history().change_days  # a side change is a new state too
        days = np.unique(np.concatenate([days, days + np.timedelta64(1, "D"), sides_change]))
        listed = getattr(tl, "change_dates", None)
        if listed is not None:
            days = np.intersect1d(days, pd.DatetimeIndex(listed).to_numpy(dtype="datetime64[ns]"))
        self.change_dates = days
        self.first = pd.Timestamp(getattr(tl, "baseline_date", dataset.baseline_date))
        self.last = pd.Timestamp(getattr(tl, "as_of", dataset.as_of))
        self.side_history = dataset.side_history()
        self._asked: dict[tuple[ReferencePeriod, bool], ChosenPeriod] = {}

    # arguments
    def day(self, value: Any, name: str) -> pd.Timestamp:
        return to_day(value, name, self.first, self.last)

    def query(self, side: str | Iterable[str] | None, basis: str, denominator: str) -> _Query:
        vocabulary = self.dataset.sides
        side = vocabulary.others[0] if side is None else side  # default: the main challenger
        sides = frozenset(side.split("+") if isinstance(side, str) else side)
        bad = sorted(s for s in sides if s not in vocabulary.ids)
        if bad or not sides:
            raise TerritoryError(
                f"side: {side!r} is not valid; expected one or more of {list(vocabulary.ids)} "
                "(joined with '+' or as a list)"
            )
        if basis not in BASES:
            raise TerritoryError(f"basis: {basis!r} is not valid; expected one of {list(BASES)}")
        if basis == "cut" and self.graph.number_of_nodes() == 0:
            raise TerritoryError(
                f"basis: 'cut' walks the roads of {SPECS['routes'].path}, which this dataset "
                "lacks; use basis='held'"
            )
        if denominator not in DENOMINATORS:
            raise TerritoryError(
                f"denominator: {denominator!r} is not valid; expected one of {list(DENOMINATORS)}"
            )
        return _Query(sides, basis, denominator)

    def period_for(
        self,
        day: pd.Timestamp,
        wanted: str | ReferencePeriod | tuple[Any, Any] | None,
        query: _Query,
    ) -> ChosenPeriod:
        if wanted is None:
            return self.book.default(day, query.country, query.denominator)
        period = wanted if isinstance(wanted, ReferencePeriod) else self.book.find(wanted)
        after = bool(period.end >= day)
        if (period, after) not in self._asked:
            notes = [f"reference period {period} as asked"]
            if after:
                notes.append("the reference period does not end before the date")
            self._asked[(period, after)] = ChosenPeriod(period, tuple(notes))
        return self._asked[(period, after)]

    # holders
    def state(self, day: pd.Timestamp, *, every_place: bool = False) -> _State:
        """The holders on ``day`` of the gates and route places (all places if asked).

        A timeline with ``holder(place, date)`` and ``status(place, date)`` is
        asked about those places only; otherwise ``places_at`` is used.
        """
        holder = getattr(self.tl, "holder", None)
        status = getattr(self.tl, "status", None)
        if not every_place and callable(holder) and callable(status):
            ids = self.relevant
            frame = pd.DataFrame(
                {
                    "id": ids,
                    "holder": [holder(p, day) for p in ids],
                    "status": [status(p, day) for p in ids],
                },
                index=pd.Index(ids),
            )
        else:
            frame = pd.DataFrame(self.tl.places_at(day))
            if "id" in frame.columns:
                frame = frame.set_index("id", drop=False)
        missing = self.gates.index.difference(frame.index)
        if len(missing):
            raise DataError(
                f"the timeline gives no holder on {day.date()} for gate(s) {list(missing)}",
                file=str(self.dataset.path),
            )
        if "side" not in frame.columns:
            frame["side"] = frame["holder"].map(self.side_history.on(day))
        if "status" not in frame.columns:
            frame["status"] = "held"
        if "held_since" not in frame.columns:
            frame["held_since"] = pd.NaT
        sides = frame["side"].to_dict()
        reach = (
            junta_reach(self.graph, sides, self.origin, incumbent=self.incumbent)
            if self.origin in self.graph
            else frozenset()
        )
        return _State(day, frame, sides, reach)

    def reachable(self, gate: str, state: _State) -> bool:
        if gate in self.graph:
            return gate in state.reach
        return state.sides.get(gate) == self.incumbent

    def counts(self, gate: str, state: _State, query: _Query) -> bool:
        side = state.sides.get(gate)
        if query.basis == "held" or side != self.incumbent:
            return side in query.sides
        if self.reachable(gate, state):
            return self.incumbent in query.sides
        return bool(query.sides - {self.incumbent})

    # the share
    def share(self, state: _State, query: _Query, chosen: ChosenPeriod) -> TradeShare:
        period = chosen.period
        basket = self.book.basket(period, query.country)
        notes = [*chosen.notes]
        if basket.named.empty and basket.residual <= 0:
            raise DataError(
                f"denominator: {query.denominator!r} has no trade data for the reference period "
                f"{period} in border_trade.csv",
                file=self.book.path,
            )
        denominator = basket.denominator
        if denominator <= 0:
            raise DataError(
                f"denominator: the {query.denominator!r} trade of {period} sums to "
                f"{denominator}; expected a positive total",
                file=self.book.path,
            )
        estimated = {e.post: e for e in basket.estimates}
        central = pd.concat(
            [basket.named, pd.Series({p: e.central for p, e in estimated.items()}, dtype=float)]
        )
        gates = self.gates
        known = gates[gates["post"].isin(central.index)]
        counted = pd.Series(
            [self.counts(g, state, query) for g in known.index], index=known.index, dtype=bool
        )
        by_post = counted.groupby(known["post"])
        fraction, every, some = by_post.mean(), by_post.all(), by_post.any()
        outside = central.index.difference(known["post"].unique())
        junta = float(self.incumbent in query.sides)  # posts outside the map, and the residual
        for post in outside:
            fraction[post], every[post], some[post] = junta, bool(junta), bool(junta)
        fraction = fraction.reindex(central.index).astype(float)
        every = every.reindex(central.index).astype(float)
        some = some.reindex(central.index).astype(float)

        numerator = self._numerator(basket, central, fraction, junta)
        low = self._bound(basket, every, junta, lowest=True)
        high = self._bound(basket, some, junta, lowest=False)
        value = numerator / denominator

        if len(outside):
            notes.append(
                f"{len(outside)} post(s) with no gate in the dataset lie outside the mapped area "
                f"and are counted as held and reached by the incumbent ({self.incumbent}): "
                f"{', '.join(outside)}"
            )
        if basket.within_residual:
            notes.append(
                "the residual (trade not split by post), less the estimated posts inside it, "
                f"is counted as held by the incumbent ({self.incumbent})"
            )
        for post in fraction.index[(fraction > 0) & (fraction < 1)]:
            its = known.index[known["post"] == post]
            yes = [g for g in its if counted[g]]
            notes.append(
                f"post {post!r}: {len(yes)} of {len(its)} gates count ({', '.join(yes)}); value "
                "splits its trade equally across gates (gate-level values unknown), low counts "
                "none of it, high all of it"
            )
        notes.extend(basket.notes)
        no_value = gates[~gates["post"].isin(self.book.universe(None))]
        if query.country is not None:
            no_value = no_value[
                no_value["partner_country"].isin([query.country]) | no_value["post"].isna()
            ]
        if len(no_value):
            notes.append(
                f"gate(s) without trade values in any period, not counted: {', '.join(no_value.index)}"
            )
        if query.basis == "cut":
            off = [g for g in known.index if g not in self.graph]
            if off:
                notes.append(
                    f"gate(s) on no route, reached by the incumbent ({self.incumbent}) exactly "
                    f"when it holds them: {', '.join(off)}"
                )
        contested = [g for g in known.index if state.frame.loc[g, "status"] == "contested"]
        if contested:
            notes.append(
                f"gate(s) contested on the date, counted for their holder: {', '.join(contested)}"
            )
        posts = tuple(sorted(p for p in central.index if some[p] > 0))
        return TradeShare(
            date=state.day,
            value=value,
            low=low,
            high=high,
            numerator_usd=numerator,
            denominator_usd=denominator,
            estimated_usd=float(sum(e.central for e in basket.estimates)),
            crossings=tuple(sorted(g for g in counted.index if counted[g])),
            posts=posts,
            reference_period=period,
            notes=tuple(notes),
            side=query.side,
            basis=query.basis,
            denominator=query.denominator,
        )

    @staticmethod
    def _numerator(basket: Basket, central: pd.Series, fraction: pd.Series, junta: float) -> float:
        numerator = float((central * fraction).sum())
        if basket.within_residual:
            inside = sum(e.central for e in basket.estimates)
            numerator += (basket.residual - inside) * junta
        return numerator

    @staticmethod
    def _bound(basket: Basket, flags: pd.Series, junta: float, *, lowest: bool) -> float:
        """The share with each post counted by ``flags`` (1 or 0), at the bound's extreme.

        Each estimated post takes the end of its range that moves the share
        towards the bound: a post that counts pulls the share up as it grows,
        one that does not pulls it down (against the residual's own flag when
        it lies inside a published residual, whose total stays fixed).
        """
        named = basket.named
        numerator = float((named * flags[named.index]).sum())
        reference = junta if basket.within_residual else 0.5
        chosen = {}
        for e in basket.estimates:
            up = flags[e.post] > reference
            down = flags[e.post] < reference
            if up:
                chosen[e.post] = e.smallest if lowest else e.largest
            elif down:
                chosen[e.post] = e.largest if lowest else e.smallest
            else:
                chosen[e.post] = e.central
        total = sum(chosen.values())
        if basket.within_residual and total > basket.residual:
            chosen = {p: v * basket.residual / total for p, v in chosen.items()}
            total = basket.residual
        numerator += sum(v * flags[p] for p, v in chosen.items())
        if basket.within_residual:
            numerator += (basket.residual - total) * junta
            denominator = float(named.sum()) + basket.residual
        else:
            denominator = float(named.sum()) + total
        return numerator / denominator if denominator > 0 else float("nan")
