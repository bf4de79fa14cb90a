"""Border crossings, who holds them, and the share of border trade out of the incumbent's hands.

A *post* is a border trade post as the published trade statistics report it
(the ``post`` column of ``border_trade.csv``).  A *gate* is a place of kind
``crossing`` or ``trade_zone`` whose ``post`` column names the post whose
trade it carries; a post can have several gates (a town's main bridge, its
trade zone, a smaller crossing nearby …).  Trade is known per post and
period, never per gate.

:func:`trade_share` answers, for one day: what share of border trade passes
through gates that a side holds (basis ``"held"``), that the incumbent cannot
reach by road from the dataset's ``origin`` (``"cut"``), or that a side holds
*and* that are open (``"flow"``: closures by the neighbour or by the holder
stop trade, see
:mod:`territory.trade_gates`)?  :func:`trade_share_series` does it for many
days, once per distinct state of the gates and roads, vectorised.
:func:`crossings_at` lists the gates with holder, status, reach and trade
value.  ``docs/trade.md`` gives every definition and compares the results
with published figures.

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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from territory.dates import day_range
from territory.errors import ArgumentError
from territory.trade_gates import CLOSERS, STATUS_NAMES
from territory.trade_model import (
    BASES,
    DENOMINATORS,
    GATE_KINDS,
    RULE,
    Query,
    Shares,
    TradeModel,
    model_of,
)
from territory.trade_periods import ReferencePeriod, reference_periods

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "BASES",
    "DENOMINATORS",
    "GATE_KINDS",
    "ReferencePeriod",
    "TradeShare",
    "chart_caption",
    "crossings_at",
    "format_share",
    "reference_periods",
    "trade_share",
    "trade_share_series",
]

PeriodArg = str | ReferencePeriod | tuple[Any, Any] | None
_SERIES_OPTIONS = {"side", "basis", "denominator", "reference_period", "origin"}


def format_share(low: float, high: float, value: float, rule: str = RULE) -> str:
    """A share as the library shows it: the range first, then the central value and its rule.

    Examples
    --------
    >>> format_share(0.102, 0.387, 0.275)
    "10.2–38.7 %, central 27.5 % under an equal split of each post's trade across its gates"
    """

    def points(x: float) -> str:
        return f"{x * 100:.1f}"

    return f"{points(low)}–{points(high)} %, central {points(value)} % under {rule}"


@dataclass(frozen=True)
class TradeShare:
    """The share of border trade that one side holds, or that the incumbent cannot reach.

    Attributes
    ----------
    date : pandas.Timestamp
        The day the holders are taken from.
    value : float
        The central estimate, in [0, 1], under :attr:`rule`: a post whose
        gates are split between sides counts in proportion to its gates (gate
        values are unknown, so each gate carries an equal part of its post's
        trade); a shared gate counts at the middle of its revenue range.
    low, high : float
        The range, which leads wherever a share is shown.  ``low`` counts a
        post only when *all* its gates count (a shared gate at the least the
        side may take); ``high`` counts it as soon as *any* gate does (at the
        most).  For a post the reference period lacks, each bound also takes
        the end of the post's estimated range that moves it furthest.
    numerator_usd, denominator_usd : float
        ``value == numerator_usd / denominator_usd``.
    estimated_usd : float
        The estimated trade of the posts the reference period lacks (0 when
        none).
    crossings : tuple of str
        The gates (place ids) that count for the side.
    posts : tuple of str
        The posts whose trade counts at least in part.
    reference_period : ReferencePeriod
        One period weighs every post of the answer.
    notes : tuple of str
        Every assumption the number rests on.
    side, basis, denominator : str
        The definition asked for (``side`` joins several sides with ``+``).
    closed : float
        Share points (central) of trade through gates that count for the side
        but that are closed on the date.  Under ``held`` and ``cut`` they are
        inside ``value``; under ``flow`` they are taken out of it: "X % held,
        of which ``closed`` points closed".
    closed_by : tuple of (str, float)
        ``closed`` split by who closed the gates (``neighbour``, ``holder``,
        ``both``, ``unknown``).
    closed_gates, shared_gates : tuple of str
        The gates closed on the date, and those held jointly.
    rule : str
        The rule of the central value, in one phrase.
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
    closed: float = 0.0
    closed_by: tuple[tuple[str, float], ...] = ()
    closed_gates: tuple[str, ...] = ()
    shared_gates: tuple[str, ...] = ()
    rule: str = RULE

    @property
    def range_text(self) -> str:
        """``"low–high %, central X % under <rule>"``."""
        return format_share(self.low, self.high, self.value, self.rule)

    def __str__(self) -> str:
        text = (
            f"{self.range_text}; {self.side} share of {self.denominator} trade, basis "
            f"{self.basis}, on {self.date.date()}, weighted by {self.reference_period}"
        )
        if self.closed_gates:
            verb = "stopped" if self.basis == "flow" else "of which"
            who = ", ".join(
                f"{points * 100:.1f} by the {closer}" for closer, points in self.closed_by
            )
            text += (
                f"; {verb} {self.closed * 100:.1f} points by closed gates"
                f" ({', '.join(self.closed_gates)}; {who})"
            )
        return text


# -- public functions ---------------------------------------------------------------------------


def crossings_at(
    tl: Any,
    date: Any,
    *,
    reference_period: PeriodArg = None,
    origin: str | None = None,
) -> gpd.GeoDataFrame:
    """Every gate (crossing or trade zone) on ``date``: holder, status, reach and trade value.

    Parameters
    ----------
    tl : ControlTimeline
    date : date-like
        A day within the dataset's range.
    reference_period : str, ReferencePeriod, (start, end), "per_post" or None
        The trade period of every row.  By default the one period
        :func:`trade_share` uses on ``date`` for ``all_border``; posts it
        lacks take their estimate (``estimated`` is True, the notes say how).
        ``"per_post"`` mixes periods on purpose: each post takes its own
        latest full fiscal year ending before ``date`` (else its latest
        period), and the ``reference_period`` column shows each row's.
    origin : str, optional
        Where the incumbent's road network starts; default: the dataset's ``origin``.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by place id, with ``id``, ``name``, ``kind``, ``post``,
        ``partner_country``, ``official``, ``holder``, ``side``,
        ``held_since``, ``status``, ``gate_status`` (open / restricted /
        closed), ``closed_by``, ``shared_with`` and ``shared_revenue`` (the
        co-holder's part, "low–high"), ``on_route``, ``reachable_by_incumbent``,
        ``post_trade_usd``, ``gates_in_post``, ``trade_value_usd`` (the
        post's value split equally across its gates; NaN when unknown),
        ``estimated`` and ``reference_period`` (label).
        ``attrs["notes"]`` lists the assumptions.

    Raises
    ------
    DataError
        When ``origin`` is on no route (road reach cannot be traced).

    Examples
    --------
    >>> import territory
    >>> from territory.timeline import ControlTimeline
    >>> tl = ControlTimeline(territory.load_shan())
    >>> gates = crossings_at(tl, "2023-10-26")
    >>> bool(gates.loc["chinshwehaw", "side"] == "junta")
    True
    """
    model = model_of(tl, origin)
    day = model.day(date, "date")
    model.check_origin()
    at = pd.DataFrame(tl.places_at(day))
    if "id" in at.columns:
        at = at.set_index("id", drop=False)
    gates = model.gates.copy()
    for column in ("holder", "side", "held_since", "status"):
        gates[column] = at[column].reindex(gates.index).to_numpy()
    row = int(np.searchsorted(model.days, day.to_datetime64(), side="right") - 1)
    log_row = model.log.rows(np.array([day.to_datetime64()]))[0]
    gates["gate_status"] = [STATUS_NAMES[s] for s in model.log.status[log_row]]
    gates["closed_by"] = [CLOSERS[b] or None for b in model.log.closed_by[log_row]]
    partner = model.log.partner[log_row]
    gates["shared_with"] = [p or None for p in partner]
    gates["shared_revenue"] = [
        f"{lo:.0%}–{hi:.0%}" if p else None
        for p, lo, hi in zip(
            partner, model.log.share_low[log_row], model.log.share_high[log_row], strict=True
        )
    ]
    gates["on_route"] = [g in model.graph for g in gates.index]
    gates["reachable_by_incumbent"] = model.gate_reach(np.array([row]))[0]
    counts = gates["post"].value_counts()
    gates["gates_in_post"] = gates["post"].map(counts).astype("Int64")
    values, notes = _post_values(model, gates, day, reference_period)
    gates["post_trade_usd"] = gates["post"].map(lambda p: values.get(p, (np.nan, "", False))[0])
    gates["trade_value_usd"] = gates["post_trade_usd"] / gates["gates_in_post"].astype(float)
    gates["estimated"] = gates["post"].map(lambda p: values.get(p, (np.nan, "", False))[2])
    gates["reference_period"] = gates["post"].map(
        lambda p: values.get(p, (np.nan, None, False))[1]
    )
    no_post = gates.index[gates["post"].isna()].tolist()
    if no_post:
        notes.append(f"gates naming no post, so without trade values: {', '.join(no_post)}")
    off_route = [g for g in gates.index if g not in model.graph]
    if off_route:
        notes.append(
            f"gates on no route (reachable_by_incumbent = held by the incumbent, {model.incumbent}): "
            f"{', '.join(off_route)}"
        )
    notes.append("trade_value_usd splits each post's value equally across its gates")
    gates.attrs["notes"] = tuple(notes)
    return gates


def _post_values(
    model: TradeModel, gates: pd.DataFrame, day: pd.Timestamp, wanted: PeriodArg | str
) -> tuple[dict[str, tuple[float, str, bool]], list[str]]:
    """Each gate post's value, period label and whether it is estimated; and notes."""
    posts = [str(p) for p in gates["post"].dropna().unique()]
    values: dict[str, tuple[float, str, bool]] = {}
    notes: list[str] = []
    if isinstance(wanted, str) and wanted == "per_post":
        notes.append("reference periods mixed on purpose: each row shows its own")
        for post in posts:
            found = model.book.post_value(post, day, None)
            if found is None:
                notes.append(f"post {post!r} has no trade value in any period: its gates show NaN")
            else:
                values[post] = (found[0], found[1], False)
        return values, notes
    fixed = None if wanted is None else model.book.find(wanted)
    chosen = model.period_for(day, fixed, Query(frozenset(), "held", "all_border"))
    basket = model.book.basket(chosen.period, None)
    notes.extend(chosen.notes)
    estimates = {e.post: e for e in basket.estimates}
    for post in posts:
        if post in basket.named.index:
            values[post] = (float(basket.named[post]), chosen.period.label, False)
        elif post in estimates:
            e = estimates[post]
            values[post] = (e.central, chosen.period.label, True)
            notes.append(
                f"post {post!r} is absent from {chosen.period.label}: estimated at "
                f"US${e.central:,.0f} from {e.how}"
            )
        else:
            notes.append(
                f"post {post!r} has no trade value in {chosen.period}: its gates show NaN"
            )
    return values, notes


def trade_share(
    tl: Any,
    date: Any,
    *,
    side: str | Iterable[str] | None = None,
    basis: str = "held",
    denominator: str = "all_border",
    reference_period: PeriodArg = None,
    origin: str | None = None,
) -> TradeShare:
    """The share of border trade through gates that ``side`` holds, or the incumbent cannot reach.

    Parameters
    ----------
    tl : ControlTimeline
    date : date-like
        A day within ``[baseline_date, as_of]`` of the dataset.
    side : str or iterable of str, optional
        Sides of the dataset's vocabulary (``Dataset.sides``), as an iterable
        or joined with ``+``.  Default: every side but the incumbent
        (``Dataset.sides.not_incumbent``), so the share is the trade out of
        the incumbent's hands; pass one side for that side alone.  The ``cut`` basis walks the roads
        of the incumbent side (``Dataset.sides.incumbent``).
    basis : {"held", "cut", "flow"}
        ``"held"``: a gate counts when an actor of ``side`` holds it.
        ``"cut"``: as ``"held"``, except that the incumbent's gates are
        judged by road: a gate the incumbent holds but cannot reach from
        ``origin`` through places it holds and open roads counts for every
        other side asked for, and not for the incumbent.  For every side but
        the incumbent, cut >= held.
        ``"flow"``: as ``"held"``, but a gate counts only while it is open
        (``trade/gate_events.csv``); ``closed`` says how many points closures stop.
    denominator : str
        ``"all_border"``: all posts of ``border_trade.csv`` in the reference
        period; ``"border:<ISO3>"``: those with one neighbour, named by its
        ``partner_country`` code (``"border:THA"``).  ``"china_border"`` is
        kept as an alias of ``"border:CHN"`` for the embedded data.  Posts
        without any gate in the dataset are outside the mapped area: they
        count as held and reached by the incumbent (a note says so).
    reference_period : str, ReferencePeriod, (start, end) or None
        One period weighs every post.  By default: among the periods ending
        before ``date`` whose published post values make up at least
        :data:`~territory.trade_periods.MIN_NAMED_SHARE` of the denominator,
        a full fiscal year, else the latest (the first note says which and
        why).  Posts the period lacks are estimated, and the notes say how.
    origin : str, optional
        Where the incumbent's road network starts; default: the dataset's ``origin``.

    Returns
    -------
    TradeShare

    Raises
    ------
    DateRangeError
        When ``date`` is outside the dataset's range.
    DataError
        When the reference period has no trade data for the denominator,
        ``reference_period`` names no period of the data, or (basis ``cut``)
        ``origin`` is on no route.
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
    from territory.checks import check_strings

    if side is not None:  # None: every side but the incumbent
        check_strings("side", side)
    model = model_of(tl, origin)
    query = model.query(side, basis, denominator)
    day = model.day(date, "date")
    wanted = None if reference_period is None else model.book.find(reference_period)
    chosen = model.period_for(day, wanted, query)
    state = model.states(np.array([day.to_datetime64()]), query.basis == "cut")
    return _share(model.shares(state, query, chosen), 0, day, query, chosen.period)


def _share(
    shares: Shares, i: int, day: pd.Timestamp, query: Query, period: ReferencePeriod
) -> TradeShare:
    return TradeShare(
        date=day,
        value=float(shares.value[i]),
        low=float(shares.low[i]),
        high=float(shares.high[i]),
        numerator_usd=float(shares.numerator[i]),
        denominator_usd=shares.denominator,
        estimated_usd=shares.estimated,
        crossings=shares.crossings[i],
        posts=shares.posts[i],
        reference_period=period,
        notes=shares.notes[i],
        side=query.side,
        basis=query.basis,
        denominator=query.denominator,
        closed=float(shares.closed[i]),
        closed_by=shares.closed_by[i],
        closed_gates=shares.closed_gates[i],
        shared_gates=shares.shared_gates[i],
        rule=shares.rule[i],
    )


#: The columns of :func:`trade_share_series`.
SERIES_COLUMNS = (
    "value",
    "low",
    "high",
    "numerator_usd",
    "denominator_usd",
    "closed",
    "reference_period",
    "crossings",
    "closed_gates",
    "posts",
    "rule",
    "notes",
)


def trade_share_series(
    tl: Any,
    start: Any,
    end: Any,
    freq: str = "W",
    **options: Any,
) -> pd.DataFrame:
    """:func:`trade_share` on every date of ``pandas.date_range(start, end, freq=freq)``.

    A share can change only on a day when a gate or a place on a route changes
    hands, a gate or road changes status, or the default reference period
    changes.  The dates are mapped to the distinct states of the gates (and,
    for ``cut``, the roads); each state's share is computed once per
    reference period, for all states at once with numpy.

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
        Indexed by date, with the columns of :data:`SERIES_COLUMNS`, as in
        :class:`TradeShare` (``reference_period`` is the label).

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
    from territory.checks import check_str

    check_str("freq", freq)
    unknown = set(options) - _SERIES_OPTIONS
    if unknown:
        raise ArgumentError(
            f"trade_share_series: unknown option(s) {sorted(unknown)}; expected side, basis, "
            "denominator, reference_period or origin"
        )
    model = model_of(tl, options.get("origin"))
    query = model.query(
        options.get("side"),
        options.get("basis", "held"),
        options.get("denominator", "all_border"),
    )
    dates = day_range(start, end, freq, model.first, model.last)
    days = dates.to_numpy(dtype="datetime64[ns]")
    states = model.states(days, query.basis == "cut")
    fixed = options.get("reference_period")
    pinned = None if fixed is None else model.book.find(fixed)
    # one default per run of dates between two period ends
    ends = np.sort(model.book.table["end"].to_numpy(dtype="datetime64[ns]"))
    if pinned is None:
        bucket = np.searchsorted(ends, days, side="left")
    else:  # a pinned period's notes differ only by whether it ends before the date
        bucket = (days > np.datetime64(pinned.end)).astype(np.int64)
    _, first_of_bucket, bucket_of = np.unique(bucket, return_index=True, return_inverse=True)
    periods = [model.period_for(dates[i], pinned, query) for i in first_of_bucket]
    columns: dict[str, np.ndarray] = {c: np.empty(len(days), dtype=object) for c in SERIES_COLUMNS}
    for c in ("value", "low", "high", "numerator_usd", "denominator_usd", "closed"):
        columns[c] = np.empty(len(days), dtype=float)
    by_period: dict[Any, list[int]] = {}
    for b, chosen in enumerate(periods):
        by_period.setdefault(chosen, []).append(b)
    for chosen, buckets in by_period.items():
        where = np.flatnonzero(np.isin(bucket_of, buckets))
        wanted, position = np.unique(states[where], return_inverse=True)
        shares = model.shares(wanted, query, chosen)
        position = position.reshape(-1)
        columns["value"][where] = shares.value[position]
        columns["low"][where] = shares.low[position]
        columns["high"][where] = shares.high[position]
        columns["numerator_usd"][where] = shares.numerator[position]
        columns["denominator_usd"][where] = shares.denominator
        columns["closed"][where] = shares.closed[position]
        columns["reference_period"][where] = chosen.period.label
        for name, listed in (
            ("crossings", shares.crossings),
            ("closed_gates", shares.closed_gates),
            ("posts", shares.posts),
            ("rule", shares.rule),
            ("notes", shares.notes),
        ):
            objects = np.empty(len(listed), dtype=object)
            objects[:] = listed
            columns[name][where] = objects[position]
    frame = pd.DataFrame(columns, index=pd.DatetimeIndex(dates, name="date"))[list(SERIES_COLUMNS)]
    frame.attrs["definition"] = (
        f"{query.side} share of {query.denominator} trade, basis {query.basis}"
    )
    frame.attrs["sides"] = sorted(query.sides)
    frame.attrs["reference_sources"] = {
        chosen.period.label: model.book.sources(chosen.period) for chosen in by_period
    }
    return frame


def chart_caption(series: pd.DataFrame) -> str:
    """Deprecated: use :func:`territory.export.charts.trade_caption` ``(tl, series)``.

    That builder says more (the side by the dataset's label, the model and
    the as-of date); this name calls it without a timeline and warns.
    """
    import warnings

    from territory.export.charts import trade_caption

    warnings.warn(
        "territory.trade.chart_caption is deprecated; use "
        "territory.export.charts.trade_caption(tl, series)",
        DeprecationWarning,
        stacklevel=2,
    )
    return trade_caption(None, series)
