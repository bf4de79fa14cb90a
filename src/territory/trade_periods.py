"""Trade periods: which published period weighs the border posts, and their values.

``border_trade.csv`` gives each post's trade for published periods that differ
in length and coverage: full fiscal years, the first months of a fiscal year,
the posts of one neighbour only.  :class:`TradeBook` arranges the rows by period and post and
picks the *reference period* that :func:`territory.trade_share` weighs posts
by (see :meth:`TradeBook.default` for the rule).  Values are never rescaled
to another period's length.

Examples
--------
>>> import territory
>>> book = TradeBook(territory.load_shan())
>>> period = book.table["period"].iloc[0]
>>> named, residual, notes = book.values(period, None)
>>> bool((named > 0).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from territory.checks import check_trade_frame
from territory.errors import ArgumentError, DataError
from territory.schema import SPECS

if TYPE_CHECKING:
    from territory.dataset import Dataset

__all__ = [
    "MIN_NAMED_SHARE",
    "Basket",
    "ChosenPeriod",
    "Estimate",
    "ReferencePeriod",
    "TradeBook",
    "is_residual",
    "reference_periods",
]

#: A default reference period must have at least this share of its
#: denominator published post by post (the rest is a residual or estimated).
MIN_NAMED_SHARE = 0.8


def is_residual(post: str) -> bool:
    """Whether a ``post`` id names a residual row (``other_posts``, ``other_…``).

    A residual row holds a published national total minus the posts the same
    release lists by name: trade of several posts, not split between them.

    Examples
    --------
    >>> is_residual("other_posts"), is_residual("muse")
    (True, False)
    """
    return post == "other" or post.startswith("other_")


@dataclass(frozen=True)
class ReferencePeriod:
    """The period whose trade values weigh the posts.

    ``start`` and ``end`` are both inclusive, as published.

    Examples
    --------
    >>> p = ReferencePeriod("FY2022-23", pd.Timestamp("2022-04-01"), pd.Timestamp("2023-03-31"))
    >>> p.full_year, str(p)
    (True, 'FY2022-23 (2022-04-01 to 2023-03-31)')
    """

    label: str
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def full_year(self) -> bool:
        """Whether the period is exactly twelve months (a full fiscal year)."""
        return bool(self.end + pd.Timedelta(days=1) == self.start + pd.DateOffset(years=1))

    def __str__(self) -> str:
        return f"{self.label} ({self.start.date()} to {self.end.date()})"


@dataclass(frozen=True)
class ChosenPeriod:
    """A resolved reference period and why it was chosen."""

    period: ReferencePeriod
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Estimate:
    """A post's value in a period that does not name it, with a range and how it was made."""

    post: str
    central: float
    smallest: float
    largest: float
    how: str


@dataclass(frozen=True)
class Basket:
    """The weights one reference period gives the posts of one denominator.

    ``named`` holds the published post values.  ``residual`` is the part of
    a published total that the release does not split by post (0 when
    none).  ``estimates`` are the posts of the denominator the period does
    not name: when the period has a residual they lie inside it (their
    estimates are carved out of it, and the denominator stays the published
    total); otherwise they are added to the denominator.
    """

    period: ReferencePeriod
    named: pd.Series
    residual: float
    estimates: tuple[Estimate, ...]
    notes: tuple[str, ...]

    @property
    def within_residual(self) -> bool:
        """Whether the estimated posts lie inside a published residual."""
        return self.residual > 0

    @property
    def denominator(self) -> float:
        """The total trade of the denominator in the period (USD)."""
        added = 0.0 if self.within_residual else sum(e.central for e in self.estimates)
        return float(self.named.sum() + self.residual + added)

    @property
    def named_share(self) -> float:
        """The share of :attr:`denominator` published post by post."""
        total = self.denominator
        return float(self.named.sum() / total) if total > 0 else 0.0


def reference_periods(dataset: Dataset) -> pd.DataFrame:
    """Every distinct period of ``border_trade.csv``, with the posts it covers.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    pandas.DataFrame
        One row per period, sorted by end date: ``label``, ``start``, ``end``
        (inclusive), ``days``, ``full_year``, ``posts`` (tuple), ``countries``
        (tuple of partner ISO3 codes), ``total_usd`` (sum over its posts).

    Examples
    --------
    >>> import territory
    >>> periods = reference_periods(territory.load_shan())
    >>> bool((periods["end"] >= periods["start"]).all())
    True
    """
    return TradeBook(dataset).table.copy()


class TradeBook:
    """``border_trade.csv`` arranged by period and post.

    Posts are counted per denominator *scope*: ``country=None`` for all
    borders, or a partner ISO3 code (``"THA"``).
    """

    def __init__(self, dataset: Dataset) -> None:
        self.path = str(dataset.path / SPECS["trade"].path)
        trade = dataset.trade.reset_index(drop=True).copy()
        check_trade_frame(trade, self.path)
        trade["row"] = np.arange(len(trade)) + 2
        self.trade = trade
        periods = []
        for (label, start, end), rows in trade.groupby(
            ["period_label", "period_start", "period_end"], sort=False
        ):
            period = ReferencePeriod(str(label), pd.Timestamp(str(start)), pd.Timestamp(str(end)))
            periods.append(
                {
                    "label": period.label,
                    "start": period.start,
                    "end": period.end,
                    "days": int((period.end - period.start).days) + 1,
                    "full_year": period.full_year,
                    "posts": tuple(dict.fromkeys(rows["post"])),
                    "countries": tuple(sorted(set(rows["partner_country"]))),
                    "total_usd": float(rows["total_usd"].sum()),
                    "period": period,
                }
            )
        columns = [
            "label",
            "start",
            "end",
            "days",
            "full_year",
            "posts",
            "countries",
            "total_usd",
            "period",
        ]
        table = pd.DataFrame(periods, columns=columns)
        self.table = table.sort_values(["end", "start"], kind="stable").reset_index(drop=True)
        self._values: dict[
            tuple[ReferencePeriod, str | None], tuple[pd.Series, float, list[str]]
        ] = {}
        self._baskets: dict[tuple[ReferencePeriod, str | None], Basket] = {}
        self._defaults: dict[tuple[int, str | None], ChosenPeriod] = {}

    # -- posts and values
    def universe(self, country: str | None) -> pd.Index:
        """Every named post in scope in any period (residual rows excluded)."""
        rows = (
            self.trade if country is None else self.trade[self.trade["partner_country"] == country]
        )
        posts = rows["post"].drop_duplicates()
        return pd.Index(posts[~posts.map(is_residual)])

    def values(
        self, period: ReferencePeriod, country: str | None
    ) -> tuple[pd.Series, float, list[str]]:
        """Published values in ``period`` and scope: (named posts, residual, notes)."""
        key = (period, country)
        if key not in self._values:
            trade = self.trade
            rows = trade[
                (trade["period_label"] == period.label)
                & (trade["period_start"] == period.start)
                & (trade["period_end"] == period.end)
            ]
            if country is not None:
                rows = rows[rows["partner_country"] == country]
            notes = []
            duplicated = rows[rows["post"].duplicated(keep="first")]
            for post, row in zip(duplicated["post"], duplicated["row"], strict=True):
                notes.append(
                    f"post {post!r} has several rows for {period.label}; row {int(row)} of "
                    "border_trade.csv is ignored, the first row is used"
                )
            rows = rows.drop_duplicates("post", keep="first")
            residual_rows = rows["post"].map(is_residual).astype(bool)
            named = rows[~residual_rows].set_index("post")["total_usd"].astype(float)
            residual = float(rows.loc[residual_rows, "total_usd"].sum())
            self._values[key] = (named, residual, notes)
        return self._values[key]

    def basket(self, period: ReferencePeriod, country: str | None) -> Basket:
        """The weights of ``period`` for a scope, with every absent post estimated."""
        key = (period, country)
        if key not in self._baskets:
            named, residual, notes = self.values(period, country)
            estimates = self.estimate_missing(period, country, named)
            notes = list(notes)
            absent = self.universe(country).difference(named.index)
            unestimated = absent.difference([e.post for e in estimates])
            if residual > 0:
                notes.append(
                    f"{period.label} gives US${residual:,.0f} of trade not split by post "
                    "(a residual row); posts it does not name lie inside it"
                )
                total = sum(e.central for e in estimates)
                if total > residual:
                    factor = residual / total
                    estimates = [
                        Estimate(e.post, e.central * factor, e.smallest, e.largest, e.how)
                        for e in estimates
                    ]
                    notes.append(
                        f"the estimates of the absent posts exceed the residual; scaled by "
                        f"{factor:.2f} to fit it"
                    )
            for e in estimates:
                notes.append(
                    f"{e.post!r} is absent from {period.label}; estimated at US${e.central:,.0f} "
                    f"(range {e.smallest:,.0f} to {e.largest:,.0f} for low/high) from {e.how}"
                )
            if len(unestimated):
                where = "left in the residual" if residual > 0 else "left out"
                notes.append(
                    f"absent post(s) that no other period lets us estimate, {where}: "
                    + ", ".join(unestimated)
                )
            self._baskets[key] = Basket(period, named, residual, tuple(estimates), tuple(notes))
        return self._baskets[key]

    def sources(self, period: ReferencePeriod) -> str:
        """The distinct sources of the rows of ``period``, joined with ``; ``."""
        trade = self.trade
        rows = trade[(trade["period_start"] == period.start) & (trade["period_end"] == period.end)]
        parts = [p.strip() for s in rows["source"].dropna() for p in str(s).split("|")]
        return "; ".join(dict.fromkeys(p for p in parts if p))

    def find(self, wanted: str | ReferencePeriod | tuple[Any, Any]) -> ReferencePeriod:
        """The period ``wanted`` names: a label, a ReferencePeriod or (start, end)."""
        table = self.table
        if isinstance(wanted, ReferencePeriod):
            match = table[(table["start"] == wanted.start) & (table["end"] == wanted.end)]
            if len(match) > 1:
                match = match[match["label"] == wanted.label]
        elif isinstance(wanted, str):
            match = table[table["label"] == wanted]
        elif isinstance(wanted, tuple) and len(wanted) == 2:
            start, end = (pd.Timestamp(w).normalize() for w in wanted)
            match = table[(table["start"] == start) & (table["end"] == end)]
        else:
            raise ArgumentError(
                f"reference_period: {wanted!r} is not valid; expected a period_label, a "
                "ReferencePeriod or a (start, end) pair"
            )
        if len(match) != 1:
            known = "; ".join(str(p) for p in table["period"])
            what = "matches no period" if match.empty else "matches several periods"
            raise DataError(
                f"reference_period: {wanted!r} {what} of border_trade.csv; known periods: {known}",
                file=self.path,
            )
        return match["period"].iloc[0]

    def post_value(
        self, post: str, day: pd.Timestamp, fixed: ReferencePeriod | None
    ) -> tuple[float, str] | None:
        """A post's published value and period label: in ``fixed``, or its own default.

        The default is the post's latest full fiscal year ending before
        ``day``, else its latest period ending before ``day``, else its
        earliest period.
        """
        rows = self.trade[self.trade["post"] == post]
        if fixed is not None:
            rows = rows[(rows["period_start"] == fixed.start) & (rows["period_end"] == fixed.end)]
        if rows.empty:
            return None
        full = (rows["period_end"] + pd.Timedelta(days=1)) == (
            rows["period_start"] + pd.DateOffset(years=1)
        )
        before = rows["period_end"] < day
        if before.any():
            rank = pd.DataFrame({"full": full[before], "end": rows.loc[before, "period_end"]})
            best = rank.sort_values(["full", "end"], kind="stable").index[-1]
        else:
            best = rows["period_end"].idxmin()
        return float(rows.loc[best, "total_usd"]), str(rows.loc[best, "period_label"])

    # -- the default reference period
    def default(self, day: pd.Timestamp, country: str | None, scope: str) -> ChosenPeriod:
        """The default reference period for ``day`` and a denominator scope.

        Among the periods that end before ``day`` (or, when none does, the
        earliest), it takes those whose published post values make up at
        least :data:`MIN_NAMED_SHARE` of the denominator, and prefers a full
        fiscal year, then the latest end, then the larger published share.
        When no period passes that test, the one with the largest published
        share is taken and a note says so.  The choice depends on ``day``
        only through the periods that end before it, so it is cached.
        """
        ends = np.sort(self.table["end"].to_numpy())
        bucket = int(np.searchsorted(ends, day.to_datetime64(), side="left"))
        key = (bucket, country)
        if key not in self._defaults:
            self._defaults[key] = self._default(day, country, scope)
        return self._defaults[key]

    def _default(self, day: pd.Timestamp, country: str | None, scope: str) -> ChosenPeriod:
        table = self.table
        in_scope = table[table["countries"].map(lambda c: country is None or country in c)]
        if in_scope.empty:
            raise DataError(
                f"denominator: {scope!r} has no trade data in any period of border_trade.csv",
                file=self.path,
            )
        pool = in_scope[in_scope["end"] < day]
        notes: list[str] = []
        if pool.empty:
            pool = in_scope[in_scope["end"] == in_scope["end"].min()]
            notes.append(
                "no trade period ends before the date; the earliest one weighs the posts, "
                "although it does not precede the date"
            )
        shares = pool["period"].map(lambda p: self.basket(p, country).named_share)
        rank = pd.DataFrame(
            {
                "usable": shares >= MIN_NAMED_SHARE,
                "full": pool["full_year"],
                "end": pool["end"],
                "share": shares,
            }
        )
        order = ["usable", "full", "end", "share"] if rank["usable"].any() else ["share", "end"]
        best = rank.sort_values(order, kind="stable").index[-1]
        period: ReferencePeriod = table.loc[best, "period"]
        share = float(rank.loc[best, "share"])
        kind = "full fiscal year" if period.full_year else "period"
        if rank.loc[best, "usable"]:
            why = (
                f"the latest {kind} ending before the date in which published post values make "
                f"up at least {MIN_NAMED_SHARE:.0%} of the {scope} denominator (here {share:.0%})"
            )
        else:
            why = (
                f"no period ending before the date has {MIN_NAMED_SHARE:.0%} of its {scope} "
                f"denominator published post by post; this one has the most ({share:.0%})"
            )
        notes.insert(0, f"reference period {period} chosen by default: {why}")
        later = pool[pool["end"] > period.end]
        if len(later):
            notes.append(
                f"{len(later)} later period(s) passed over (less published by post): "
                + ", ".join(later["label"])
            )
        return ChosenPeriod(period, tuple(notes))

    def estimate_missing(
        self, period: ReferencePeriod, country: str | None, present: pd.Series
    ) -> list[Estimate]:
        """Estimates for the named posts of the scope that ``period`` lacks.

        A missing post keeps its ratio to the posts it shares with ``period``
        in another period: ``value_there / shared_there * shared_here``.  The
        central estimate comes from the period that shares the most posts (a
        ratio to a wide basket moves least when one post changes), the nearer
        one (by end date) on a tie; the smallest and largest estimates over all
        such periods bound it.
        """
        here = {str(k): float(v) for k, v in present.items()}
        others = [
            (other, {str(k): float(v) for k, v in self.values(other, country)[0].items()})
            for other in self.table["period"]
            if other != period
        ]
        out: list[Estimate] = []
        for post in self.universe(country).difference(present.index):
            found: list[tuple[int, int, float, str]] = []
            for other, there in others:
                if post not in there:
                    continue
                shared = [p for p in there if p in here]
                base = sum(there[p] for p in shared)
                if not shared or base <= 0:
                    continue
                estimate = there[post] / base * sum(here[p] for p in shared)
                how = f"its ratio to the {len(shared)} post(s) shared with {other.label}"
                distance = abs(int((other.end - period.end).days))
                found.append((-len(shared), distance, estimate, how))
            if found:
                _, _, central, how = min(found, key=lambda f: (f[0], f[1]))
                estimates = [f[2] for f in found]
                if len(found) > 1:
                    how += f"; range over {len(found)} periods"
                out.append(Estimate(post, central, min(estimates), max(estimates), how))
        return out
