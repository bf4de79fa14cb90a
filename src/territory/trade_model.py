"""The trade model of one timeline: gates, roads, gate status and the trade book, as arrays.

:func:`model_of` gives the model a timeline owns (kept as an attribute of the
timeline, so it is freed with it).  The model lists the days on which any gate
or route place changes holder, or any gate or road changes status
(``trade/gate_events.csv``), and the distinct states over those days.  A share
is computed once per distinct state and reference period, for every state at
once with numpy: :meth:`TradeModel.shares` returns one row per state.

This module is internal; :mod:`territory.trade` is the public face.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from territory.dates import to_day
from territory.errors import ArgumentError, ArgumentTypeError, DataError, TerritoryError
from territory.routes import incumbent_reach, route_graph
from territory.schema import SPECS
from territory.trade_gates import CLOSED, CLOSERS, OPEN, RESTRICTED, GateLog, gate_log
from territory.trade_periods import Basket, ChosenPeriod, ReferencePeriod, TradeBook

if TYPE_CHECKING:
    import networkx as nx

    from territory.dataset import Dataset

__all__ = [
    "BASES",
    "DENOMINATORS",
    "DENOMINATOR_ALIASES",
    "GATE_KINDS",
    "Query",
    "Shares",
    "TradeModel",
    "model_of",
]

#: Place kinds that carry a post's trade.
GATE_KINDS = ("crossing", "trade_zone")
BASES = ("held", "cut", "flow")
#: Every border, or the border with one neighbour: ``"border:<ISO3>"``, the
#: ``partner_country`` code of border_trade.csv (``"border:THA"``).
DENOMINATORS = ("all_border", "border:<ISO3>")
#: Older names of a denominator, kept working: the embedded data's neighbour.
DENOMINATOR_ALIASES = {"china_border": "border:CHN"}


def model_of(tl: Any, origin: str | None) -> TradeModel:
    """The trade model ``tl`` owns for ``origin`` (built on first use, kept on ``tl``)."""
    dataset = getattr(tl, "dataset", None)
    if dataset is None or not callable(getattr(tl, "place_intervals", None)):
        raise ArgumentTypeError(
            "tl: expected a ControlTimeline (with .dataset and .place_intervals), "
            f"got {type(tl).__name__}"
        )
    if dataset is not None and len(dataset.trade) == 0:
        raise TerritoryError(
            f"trade: the dataset {dataset.name!r} has no trade data "
            f"({SPECS['trade'].path} is missing or empty); the trade share needs it"
        )
    if origin is None:
        origin = getattr(dataset, "origin", None)
    if origin is None:
        raise TerritoryError(
            "origin: the dataset names no road origin; pass origin=<place id> "
            "or set 'origin' in its dataset.json"
        )
    # Built from the events the timeline keeps, so each view has its own.
    kept: dict[str, TradeModel] = tl._cached("trade_models", dict)
    if origin not in kept:
        kept[origin] = TradeModel(tl, origin)
    return kept[origin]


@dataclass(frozen=True)
class Query:
    sides: frozenset[str]
    basis: str
    denominator: str

    @property
    def side(self) -> str:
        return "+".join(sorted(self.sides))

    @property
    def country(self) -> str | None:
        """The neighbour's ISO3 code (partner_country), or None for every border."""
        return _neighbour(self.denominator)


def _neighbour(denominator: str) -> str | None:
    """The ISO3 code that ``denominator`` (or its alias) names; None when it names none."""
    scope = DENOMINATOR_ALIASES.get(denominator, denominator)
    return scope.split(":", 1)[1].upper() if scope.startswith("border:") else None


@dataclass(frozen=True)
class Shares:
    """One reference period's shares for a list of distinct states (arrays of one row each)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    numerator: np.ndarray
    denominator: float
    estimated: float
    closed: np.ndarray  # share points through gates the side holds but that are closed
    closed_by: list[tuple[tuple[str, float], ...]]  # those points by who closed the gates
    crossings: list[tuple[str, ...]]
    posts: list[tuple[str, ...]]
    closed_gates: list[tuple[str, ...]]
    shared_gates: list[tuple[str, ...]]
    notes: list[tuple[str, ...]]
    rule: list[str]


#: The rule for the central value, in one phrase; parts are added when they apply.
RULE = "an equal split of each post's trade across its gates"
RULE_SHARED = "a shared gate's revenue split at the middle of its reported range"
RULE_RESTRICTED = "restricted gates counted open"


class TradeModel:
    """One timeline's gates, road graph, gate log and trade book, with its distinct states."""

    def __init__(self, tl: Any, origin: str) -> None:
        dataset: Dataset = tl.dataset
        self.dataset = dataset
        self.origin = origin
        places = dataset.places
        if origin not in places.index:
            raise TerritoryError(
                f"origin: {origin!r} is not a place of the dataset; expected a place id of places.csv"
            )
        columns = ["id", "name", "kind", "post", "partner_country", "official", "geometry"]
        self.gates = places.loc[places["kind"].isin(GATE_KINDS), columns].copy()
        self.gate_ids: list[str] = [str(g) for g in self.gates.index]
        self.graph: nx.Graph = route_graph(dataset.routes)
        self.book = TradeBook(dataset)
        self.first = pd.Timestamp(getattr(tl, "baseline_date", dataset.baseline_date))
        self.last = pd.Timestamp(getattr(tl, "as_of", dataset.as_of))
        # The dataset's side vocabulary; the cut basis walks the incumbent's roads.
        self.side_ids: list[str] = list(dataset.sides.ids)
        self.incumbent = dataset.sides.incumbent
        self._incumbent = self.side_ids.index(self.incumbent)

        # Holders of the gates and route places, as intervals from the timeline.
        nodes = sorted(str(n) for n in self.graph.nodes if n in places.index)
        self.relevant: list[str] = self.gate_ids + [
            n for n in nodes if n not in set(self.gate_ids)
        ]
        self._gate_cols = np.arange(len(self.gate_ids))
        intervals = tl.place_intervals(self.relevant)
        events = dataset.gate_events
        rows = {}
        if events is not None and "row" in events.columns:
            rows = {i: int(r) for i, r in enumerate(events["row"])}
        self.log: GateLog = gate_log(
            events,
            self.gate_ids,
            list(self.graph.edges),
            rows,
            self.first,
            str(dataset.path / SPECS["gate_events"].path),
        )
        partners = {str(p) for p in np.unique(self.log.partner) if p}
        self.actors: list[str] = sorted(set(intervals["holder"].astype(str)) | partners)
        code = {a: i for i, a in enumerate(self.actors)}
        history = dataset.side_history(self.actors)  # sides over time (territory.sides)
        remap = np.array(
            [self.side_ids.index(s) if s in self.side_ids else -1 for s in history.side_ids],
            dtype=np.int64,
        )
        # each shared gate's co-holder (actor code, -1: none) on each row of the gate log
        partner_code = np.array(
            [code.get(a, -1) for a in self.log.partner.ravel()], dtype=np.int64
        ).reshape(self.log.partner.shape)
        starts = intervals["valid_from"].to_numpy(dtype="datetime64[ns]")
        days = np.unique(np.concatenate([starts, self.log.days, history.change_days]))
        self.days = days[(days >= np.datetime64(self.first)) & (days <= np.datetime64(self.last))]
        if len(self.days) == 0 or self.days[0] != np.datetime64(self.first):
            self.days = np.concatenate([[np.datetime64(self.first, "ns")], self.days])
        # holder code and contested flag of each relevant place on each change day
        holder = np.zeros((len(self.days), len(self.relevant)), dtype=np.int64)
        contested = np.zeros((len(self.days), len(self.relevant)), dtype=bool)
        by_place = {p: frame for p, frame in intervals.groupby("place", sort=False)}
        for column, place in enumerate(self.relevant):
            frame = by_place.get(place)
            if frame is None:
                raise DataError(
                    f"the timeline gives no holder for place {place!r}", file=str(dataset.path)
                )
            begin = frame["valid_from"].to_numpy(dtype="datetime64[ns]")
            at = np.clip(np.searchsorted(begin, self.days, side="right") - 1, 0, None)
            holder[:, column] = frame["holder"].map(code).to_numpy()[at]
            contested[:, column] = (frame["status"] == "contested").to_numpy()[at]
        self._holder = holder
        # the side of each relevant place's holder on each change day
        side_on_day = remap[history.codes(self.days)]  # (change days, actors)
        self._holder_side = np.take_along_axis(side_on_day, holder, axis=1)
        self._contested = contested
        self._log_row = self.log.rows(self.days)
        # the side of each shared gate's co-holder on each change day (-1: none)
        partner = partner_code[self._log_row]
        self._partner_side = np.where(
            partner >= 0, np.take_along_axis(side_on_day, np.maximum(partner, 0), axis=1), -1
        )
        self._distinct: dict[bool, tuple[np.ndarray, np.ndarray]] = {}
        self._reach: dict[int, frozenset[str]] = {}
        self._asked: dict[tuple[ReferencePeriod, bool], ChosenPeriod] = {}

    # -- arguments
    def day(self, value: Any, name: str) -> pd.Timestamp:
        return to_day(value, name, self.first, self.last)

    def query(self, side: str | Iterable[str] | None, basis: str, denominator: str) -> Query:
        if side is None:  # every side but the incumbent: the trade out of its hands
            side = self.dataset.sides.not_incumbent
            if not side:
                raise ArgumentError(
                    f"side: the dataset's sides {self.side_ids} have none but the incumbent "
                    f"{self.incumbent!r}, so the default (every other side) is empty; "
                    "pass side=<one of them>"
                )
        sides = frozenset(side.split("+") if isinstance(side, str) else side)
        bad = sorted(s for s in sides if s not in self.side_ids)
        if bad or not sides:
            raise ArgumentError(
                f"side: {side!r} is not valid; expected one or more of {self.side_ids} "
                "(joined with '+' or as a list)"
            )
        if basis not in BASES:
            raise ArgumentError(f"basis: {basis!r} is not valid; expected one of {list(BASES)}")
        self.check_denominator(denominator)
        if basis == "cut":
            self.check_origin()
        return Query(sides, basis, denominator)

    def check_denominator(self, denominator: str) -> None:
        """Refuse a denominator that is neither every border nor a neighbour of the data."""
        codes = sorted(
            {str(c).upper() for c in self.dataset.trade["partner_country"].dropna()} - {""}
        )
        if denominator == "all_border" or _neighbour(denominator) in codes:
            return
        raise ArgumentError(
            f"denominator: {denominator!r} is not valid; expected 'all_border' or "
            f"'border:<ISO3>', a partner_country of border_trade.csv: "
            f"{', '.join(f'border:{c}' for c in codes)}"
            + "".join(f"; {old!r} means {new!r}" for old, new in DENOMINATOR_ALIASES.items())
        )

    def check_origin(self) -> None:
        if self.origin not in self.graph:
            raise DataError(
                f"origin: {self.origin!r} is on no route of routes.csv, so the incumbent's road "
                f"reach cannot be traced; route places: {', '.join(sorted(self.graph.nodes))}",
                file=str(self.dataset.path / SPECS["routes"].path),
            )

    def period_for(
        self, day: pd.Timestamp, wanted: ReferencePeriod | None, query: Query
    ) -> ChosenPeriod:
        if wanted is None:
            return self.book.default(day, query.country, query.denominator)
        after = bool(wanted.end >= day)
        if (wanted, after) not in self._asked:
            notes = [f"reference period {wanted} as asked"]
            if after:
                notes.append("the reference period does not end before the date")
            self._asked[(wanted, after)] = ChosenPeriod(wanted, tuple(notes))
        return self._asked[(wanted, after)]

    # -- distinct states
    def states(self, days: np.ndarray, roads: bool) -> np.ndarray:
        """The distinct-state number of each day (datetime64[ns]).

        With ``roads`` the holders of route places count too (basis ``cut``);
        otherwise only the gates' holders and status do.
        """
        if roads not in self._distinct:
            cols = slice(None) if roads else self._gate_cols
            key = np.column_stack(
                [
                    self._holder[:, cols],
                    self._holder_side[:, cols],
                    self._contested[:, self._gate_cols],
                    self._partner_side,
                    self._log_row,
                ]
            )
            _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
            self._distinct[roads] = (inverse.reshape(-1), first)
        inverse, _ = self._distinct[roads]
        rows = np.searchsorted(self.days, days, side="right") - 1
        return inverse[rows]

    def representative(self, state: int, roads: bool) -> int:
        """The first change day (row of the state matrices) in a distinct state."""
        return int(self._distinct[roads][1][state])

    def reach(self, row: int) -> frozenset[str]:
        """The places the incumbent reaches by road on change day ``row``."""
        if row not in self._reach:
            sides = {
                p: self.side_ids[s] if s >= 0 else "unknown"
                for p, s in zip(self.relevant, self._holder_side[row], strict=True)
            }
            cut = self.log.cut[self._log_row[row]]
            graph = self.graph
            if cut.any():
                graph = graph.copy()
                graph.remove_edges_from(
                    [seg for seg, is_cut in zip(self.log.segments, cut, strict=True) if is_cut]
                )
            self._reach[row] = incumbent_reach(graph, sides, self.origin, incumbent=self.incumbent)
        return self._reach[row]

    def gate_reach(self, rows: np.ndarray) -> np.ndarray:
        """Whether the incumbent reaches each gate (columns) on each change day in ``rows``.

        A gate on no route is reached exactly when the incumbent holds it.
        """
        self.check_origin()
        out = np.zeros((len(rows), len(self.gate_ids)), dtype=bool)
        on_route = np.array([g in self.graph for g in self.gate_ids], dtype=bool)
        incumbent_held = self._holder_side[rows][:, self._gate_cols] == self._incumbent
        for i, row in enumerate(rows):
            reached = self.reach(int(row))
            out[i] = [g in reached for g in self.gate_ids]
        return np.where(on_route, out, incumbent_held)

    # -- the shares
    def _counts(
        self, side: np.ndarray, reached: np.ndarray | None, query: Query, basis: str
    ) -> np.ndarray:
        """Whether a part held by an actor of side code ``side`` counts for the query."""
        wanted = np.array([s in query.sides for s in self.side_ids] + [False])
        counts = wanted[side]  # side -1 (unknown) takes the last, False
        if basis != "cut":
            return counts
        assert reached is not None
        others = bool(query.sides - {self.incumbent})
        incumbent_asked = self.incumbent in query.sides
        return np.where(
            side == self._incumbent, np.where(reached, incumbent_asked, others), counts
        )

    def shares(self, states: np.ndarray, query: Query, chosen: ChosenPeriod) -> Shares:
        """The share for each distinct state in ``states`` under one reference period."""
        roads = query.basis == "cut"
        rows = np.array([self.representative(int(k), roads) for k in states], dtype=np.int64)
        period = chosen.period
        basket = self.book.basket(period, query.country)
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
        gates = self.gate_ids
        holder = self._holder[rows][:, self._gate_cols]
        log_rows = self._log_row[rows]
        status = self.log.status[log_rows]
        partner = self.log.partner[log_rows]
        has_partner = partner != ""
        partner_side = self._partner_side[rows]
        holder_side = self._holder_side[rows][:, self._gate_cols]
        reached = self.gate_reach(rows) if roads else None
        basis = "held" if query.basis == "flow" else query.basis
        part_h = self._counts(holder_side, reached, query, basis).astype(float)
        part_p = np.where(
            has_partner, self._counts(partner_side, reached, query, basis), part_h
        ).astype(float)
        low_b, high_b = self.log.share_low[log_rows], self.log.share_high[log_rows]
        mid_b = (low_b + high_b) / 2

        def weight(b: np.ndarray) -> np.ndarray:
            return part_h * (1 - b) + part_p * b

        w_mid, w_lo, w_hi = weight(mid_b), weight(low_b), weight(high_b)
        central, low_w, high_w = w_mid, np.minimum(w_lo, w_hi), np.maximum(w_lo, w_hi)
        closed = status == CLOSED
        if query.basis == "flow":
            central = central * ~closed
            high_w = high_w * ~closed
            low_w = low_w * (status == OPEN)
        closed_w = w_mid * closed

        estimated = {e.post: e for e in basket.estimates}
        values = pd.concat(
            [basket.named, pd.Series({p: e.central for p, e in estimated.items()}, dtype=float)]
        )
        posts = [str(p) for p in values.index]
        post_of = self.gates["post"]
        # posts off the map, and the residual, count as the incumbent's
        incumbent = float(self.incumbent in query.sides)
        n = len(rows)
        frac = np.full((n, len(posts)), incumbent)
        every = frac.copy()
        some = frac.copy()
        closer = self.log.closed_by[log_rows]
        closed_frac = np.zeros((len(CLOSERS), n, len(posts)))
        known: dict[str, np.ndarray] = {}
        for j, post in enumerate(posts):
            columns = np.flatnonzero((post_of == post).to_numpy())
            if len(columns) == 0:
                continue
            known[post] = columns
            frac[:, j] = central[:, columns].mean(axis=1)
            every[:, j] = low_w[:, columns].min(axis=1)
            some[:, j] = high_w[:, columns].max(axis=1)
            for c in range(len(CLOSERS)):
                part = closed_w[:, columns] * (closer[:, columns] == c)
                closed_frac[c, :, j] = part.mean(axis=1)
        value_arr = values.to_numpy(dtype=float)
        numerator = frac @ value_arr
        if basket.within_residual:
            numerator = (
                numerator
                + (basket.residual - sum(e.central for e in basket.estimates)) * incumbent
            )
        low = _bound(basket, posts, every, incumbent, lowest=True)
        high = _bound(basket, posts, some, incumbent, lowest=False)
        by_closer = (closed_frac @ value_arr) / denominator  # closers × states
        closed_points = by_closer.sum(axis=0)

        known_gates = [g for g, p in zip(gates, post_of, strict=True) if p in known]
        known_cols = np.array([gates.index(g) for g in known_gates], dtype=np.int64)
        outside = [p for p in posts if p not in known]
        static = self._static_notes(basket, outside, query)
        notes: list[tuple[str, ...]] = []
        crossings: list[tuple[str, ...]] = []
        post_lists: list[tuple[str, ...]] = []
        closed_lists: list[tuple[str, ...]] = []
        shared_lists: list[tuple[str, ...]] = []
        rules: list[str] = []
        contested_all = self._contested[rows][:, self._gate_cols]
        for i in range(n):
            counted = [gates[c] for c in known_cols if central[i, c] > 0]
            crossings.append(tuple(sorted(counted)))
            post_lists.append(tuple(sorted(p for j, p in enumerate(posts) if some[i, j] > 0)))
            row_notes = [*chosen.notes, *static[0]]
            for j, post in enumerate(posts):
                if post in known and 0 < frac[i, j] < 1 and not np.isclose(frac[i, j], 1):
                    its = [gates[c] for c in known[post]]
                    yes = [gates[c] for c in known[post] if central[i, c] > 0]
                    row_notes.append(
                        f"post {post!r}: {len(yes)} of {len(its)} gates count ({', '.join(yes)}); "
                        "value splits its trade equally across gates (gate-level values unknown), "
                        "low counts none of it, high all of it"
                    )
            row_notes.extend(static[1])
            shut = [
                f"{gates[c]} (by {CLOSERS[self.log.closed_by[log_rows[i], c]] or 'unknown'})"
                for c in known_cols
                if status[i, c] == CLOSED
            ]
            closed_lists.append(tuple(gates[c] for c in known_cols if status[i, c] == CLOSED))
            if shut:
                row_notes.append(
                    f"gate(s) closed on the date: {', '.join(shut)}; "
                    + (
                        "they carry no trade under basis 'flow'"
                        if query.basis == "flow"
                        else f"{closed_points[i]:.1%} of the trade counted here passes through them"
                    )
                )
            limited = [gates[c] for c in known_cols if status[i, c] == RESTRICTED]
            if limited:
                row_notes.append(
                    f"gate(s) restricted on the date (partly open): {', '.join(limited)}"
                    + (
                        "; counted open in value and high, closed in low"
                        if query.basis == "flow"
                        else ""
                    )
                )
            shared = [c for c in known_cols if has_partner[i, c]]
            shared_lists.append(tuple(gates[c] for c in shared))
            for c in shared:
                row_notes.append(
                    f"gate {gates[c]!r} is shared: {self.actors[holder[i, c]]} with "
                    f"{partner[i, c]}, who takes {low_b[i, c]:.0%} to {high_b[i, c]:.0%} of its "
                    "revenue; value takes the middle, low and high the ends"
                )
            contested = [gates[c] for c in known_cols if contested_all[i, c]]
            if contested:
                row_notes.append(
                    f"gate(s) contested on the date, counted for their holder: {', '.join(contested)}"
                )
            notes.append(tuple(row_notes))
            rule = RULE
            if shared:
                rule += "; " + RULE_SHARED
            if limited and query.basis == "flow":
                rule += "; " + RULE_RESTRICTED
            rules.append(rule)
        return Shares(
            value=numerator / denominator,
            low=low,
            high=high,
            numerator=numerator,
            denominator=float(denominator),
            estimated=float(sum(e.central for e in basket.estimates)),
            closed=closed_points,
            closed_by=[
                tuple(
                    (CLOSERS[c] or "unknown", float(by_closer[c, i]))
                    for c in range(len(CLOSERS))
                    if by_closer[c, i] > 0
                )
                for i in range(n)
            ],
            crossings=crossings,
            posts=post_lists,
            closed_gates=closed_lists,
            shared_gates=shared_lists,
            notes=notes,
            rule=rules,
        )

    def _static_notes(
        self, basket: Basket, outside: Sequence[str], query: Query
    ) -> tuple[list[str], list[str]]:
        """Notes that do not depend on the state: (before the split notes, after them)."""
        before: list[str] = []
        if outside:
            before.append(
                f"{len(outside)} post(s) with no gate in the dataset lie outside the mapped area "
                f"and are counted as held and reached by the incumbent ({self.incumbent}): "
                f"{', '.join(outside)}"
            )
        if basket.within_residual:
            before.append(
                "the residual (trade not split by post), less the estimated posts inside it, "
                f"is counted as held by the incumbent ({self.incumbent})"
            )
        after = list(basket.notes)
        gates = self.gates
        no_value = gates[~gates["post"].isin(self.book.universe(None))]
        if query.country is not None:
            no_value = no_value[
                no_value["partner_country"].isin([query.country]) | no_value["post"].isna()
            ]
        if len(no_value):
            after.append(
                f"gate(s) without trade values in any period, not counted: {', '.join(no_value.index)}"
            )
        if query.basis == "cut":
            counted = gates[
                gates["post"].isin(set(basket.named.index) | {e.post for e in basket.estimates})
            ]
            off = [g for g in counted.index if g not in self.graph]
            if off:
                after.append(
                    f"gate(s) on no route, reached by the incumbent ({self.incumbent}) exactly "
                    f"when it holds them: {', '.join(off)}"
                )
        return before, after


def _bound(
    basket: Basket, posts: list[str], flags: np.ndarray, incumbent: float, *, lowest: bool
) -> np.ndarray:
    """The share with each post counted by ``flags`` (states × posts), at the bound's extreme.

    Each estimated post takes the end of its range that moves the share
    towards the bound: a post that counts pulls the share up as it grows,
    one that does not pulls it down (against the residual's own flag when it
    lies inside a published residual, whose total stays fixed).
    """
    named = basket.named
    position = {p: j for j, p in enumerate(posts)}
    named_cols = [position[str(p)] for p in named.index]
    numerator = flags[:, named_cols] @ named.to_numpy(dtype=float)
    reference = incumbent if basket.within_residual else 0.5
    n = flags.shape[0]
    chosen = np.zeros((n, len(basket.estimates)))
    est_flags = np.zeros((n, len(basket.estimates)))
    for k, e in enumerate(basket.estimates):
        f = flags[:, position[e.post]]
        est_flags[:, k] = f
        up = e.smallest if lowest else e.largest
        down = e.largest if lowest else e.smallest
        chosen[:, k] = np.where(f > reference, up, np.where(f < reference, down, e.central))
    total = chosen.sum(axis=1)
    if basket.within_residual:
        over = total > basket.residual
        scale = np.where(over, basket.residual / np.where(total > 0, total, 1), 1.0)
        chosen = chosen * scale[:, None]
        total = np.minimum(total, basket.residual)
    numerator = numerator + (chosen * est_flags).sum(axis=1)
    if basket.within_residual:
        numerator = numerator + (basket.residual - total) * incumbent
        denominator = float(named.sum()) + basket.residual
        return numerator / denominator if denominator > 0 else np.full(n, np.nan)
    denominators = float(named.sum()) + total
    return np.where(
        denominators > 0, numerator / np.where(denominators > 0, denominators, 1), np.nan
    )
