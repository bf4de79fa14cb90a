"""The control timeline: who holds what on any date, as points, polygons and series.

:class:`ControlTimeline` replays a dataset's event log over its baseline.
The holder of a place changes only on event dates, so the timeline sorts the
events once and builds, for every place, the intervals of its holders and of
its status.  It keeps them as a small matrix (:func:`territory.replay.replay`): one row per *distinct state*
(each date on which some place changes), one column per place.  A question
about any set of dates is then a :func:`numpy.searchsorted` on the change
dates; areas, population and township counts are per-place vectors, so a
daily series is a ``bincount`` per distinct state and an index lookup per
day, with no geometry.  Polygons are dissolved only when asked for, once per
distinct state, and cached.

Event rules (``docs/data.md``)
    ``capture`` and ``handover`` make ``to_actor`` the holder, with status
    ``held``.  ``contested`` keeps the holder and sets the status
    ``contested`` (``challenger`` = ``to_actor``) until the place's next
    event; ``repelled`` sets it back to ``held``.  ``ceasefire`` changes
    nothing: it is a marker (:meth:`ControlTimeline.markers`, the
    ``ceasefires`` column of :meth:`~ControlTimeline.intervals` and
    ``series(...).attrs["ceasefires"]``).
Two holders on one day
    When one day's events for a place name two or more different new
    holders, that day is ``contested``: the holder stays the one from before
    the day, ``challenger`` lists the others, and from the next day the
    day's last event applies.  No holder is picked silently.
Date uncertainty
    The timeline uses each event's recorded ``date``.  ``series(...,
    bounds=True)`` adds low and high bands: for each column (an actor or a
    side), the low band replays the log with every uncertain event that
    *gives* that column a place moved to the late end of its window
    (``date + date_uncertainty_days``) and every one that *takes* a place
    from it moved to the early end (``date - date_uncertainty_days``, never
    before the day after the baseline); the high band does the opposite.
    Each band is then widened to include the recorded-date value.
As known on a date
    ``ControlTimeline(ds, known_by=D)`` drops the events reported after
    ``D`` (``reported``, or ``date`` where it is empty) and ends the timeline
    on ``D``.  :meth:`~ControlTimeline.lag` gives, for each change of holder,
    the days between its date and its first report.

Views
    :meth:`~ControlTimeline.until` and :meth:`~ControlTimeline.known_on`
    return timelines of the same type, ending earlier or knowing less, that
    share the parent's zones (:class:`territory.ground.Ground`).
Derived caches
    A timeline's inputs are fixed when it is built: the dataset, the model,
    the townships, the population raster and ``min_corroboration`` are set
    once (reassigning them is not supported) and :attr:`~ControlTimeline.zones`
    is read-only (the zones are built once, and can be adopted from Dask only
    before their first use, :meth:`territory.ground.Ground.adopt`).  Only a
    view's end and knowledge differ from its parent's.  So every cache is
    one of two kinds, both private and filled through
    :meth:`ControlTimeline._cached`:

    - *shared*, derived from the inputs and the zones alone, and shared with
      every view: the per-zone vectors of :class:`~territory.ground.Ground`,
      the township seats of :mod:`territory.rollup` (``"rollup_seats"``)
      and the other models' timelines over the whole log of
      :mod:`territory.ranges` (``"model_siblings"``);
    - *per view*, derived from the events kept, emptied by
      ``_use_events`` whenever a timeline or view is made: the dissolved
      polygons, the measure tables, the interval table (``"intervals"``),
      the trade models of :func:`territory.trade_model.model_of`
      (``"trade_models"``) and the other models' views of
      :func:`territory.ranges.model_timelines` (``"model_timelines"``).

    A view therefore never reads a cache built for another end or another
    state of knowledge.

Where the parts live
    The replay and the state matrix: :mod:`territory.replay`; measures:
    :mod:`territory.measures`; name lookup: :mod:`territory.names`; the zones
    and what derives from them: :mod:`territory.ground`; the spatial model:
    :mod:`territory.zones` (nearest-place cells; only towns, township seats,
    bases and outposts inside the study area bear area), called from
    :meth:`ControlTimeline._build_zones`, the one place zones are built.

Examples
--------
>>> import territory
>>> tl = ControlTimeline(territory.load_shan())
>>> tl.holder("Laukkaing", "2024-01-10")
'MNDAA'
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.claims import filter_events
from territory.crs import WGS84
from territory.dataset import Dataset
from territory.dates import day_range, parse_days, to_day
from territory.errors import ArgumentError, ArgumentTypeError, DataError, TerritoryError
from territory.ground import Ground
from territory.measures import (
    MEASURES,
    group_series_by_period,
    group_table,
    uncertainty_shifts,
)
from territory.models import MODELS, default_model, model_zones
from territory.names import PlaceNames
from territory.population import known_sum, population_coverage
from territory.replay import HOLDER_CHANGING, Holders, States, replay
from territory.sides import split_at_switches, split_days
from territory.zones import check_townships

__all__ = ["MEASURES", "MODELS", "ControlTimeline"]

_T = TypeVar("_T", bound="ControlTimeline")
_V = TypeVar("_V")


class ControlTimeline:
    """Who holds which place and which ground, on any day of a dataset.

    Parameters
    ----------
    dataset : Dataset
        From :func:`territory.load_dataset` (or the embedded dataset's loader).
    model : {"layered", "nearest", "seat"}, optional
        The spatial model (:mod:`territory.models`).  Default ``"layered"``
        when there are townships (given, or the dataset's own) and countryside
        places, else ``"nearest"``.  ``"layered"`` and ``"seat"`` use the
        dataset's own townships when none are given; ``"nearest"`` uses
        townships only when given.
    townships : geopandas.GeoDataFrame, optional
        Township polygons from :func:`territory.read_townships`: cells are
        then built within townships, ``at(..., level="township")`` and the
        ``townships`` and census ``population`` measures become available.
    as_of : date-like, optional
        The last day of the timeline; default the dataset's ``as_of`` (or
        ``known_by`` when given).  Events after it are ignored.
    known_by : date-like, optional
        Use only the events reported on or before this day.
    population_raster : str or Path, optional
        A WorldPop-style GeoTIFF; the ``population`` measure then uses its
        zonal sums instead of census totals.
    min_corroboration : {"none", "party-only", "single", "independent-multiple"}, optional
        Replay only the events at least this well corroborated by
        ``claims.csv`` (see :mod:`territory.claims`); ceasefires are kept.

    Raises
    ------
    TerritoryError
        For an unknown model.
    DateRangeError
        When ``as_of`` or ``known_by`` is outside the dataset's range.
    DataError
        When the townships are unusable (wrong CRS, no ``TS_PCODE``, invalid
        geometries).

    Examples
    --------
    >>> import territory
    >>> tl = ControlTimeline(territory.load_shan())
    >>> tl.holder("hopang", "2024-02-01")
    'UWSA'
    >>> s = tl.series("2023-10-26", "2023-11-30", by="side")
    >>> bool((s.sum(axis=1) - tl.zones["area_km2"].sum()).abs().max() < 1e-6)
    True
    """

    def __init__(
        self,
        dataset: Dataset,
        *,
        model: str | None = None,
        townships: gpd.GeoDataFrame | None = None,
        as_of: Any = None,
        known_by: Any = None,
        population_raster: str | Path | None = None,
        min_corroboration: str | None = None,
    ) -> None:
        if not isinstance(dataset, Dataset):
            raise ArgumentTypeError(
                f"dataset: expected a territory Dataset, got {type(dataset).__name__}"
            )
        if model is not None and model not in MODELS:
            raise ArgumentError(f"model: {model!r} is not known; expected one of {list(MODELS)}")
        if model is None:
            model = default_model(
                dataset, townships if townships is not None else dataset.townships
            )
        if model != "nearest" and townships is None:
            townships = dataset.townships
        if model != "nearest" and townships is None:
            raise ArgumentError(
                f"model: {model!r} needs township polygons; the dataset ships none, so pass "
                "townships=read_townships(path) or use model='nearest'"
            )
        self.dataset = dataset
        self.model = model
        self.baseline_date: pd.Timestamp = dataset.baseline_date
        if townships is not None:
            check_townships(townships)
            townships = townships.set_index("TS_PCODE", drop=False).rename_axis(None)
        self.townships = townships
        self.population_raster = None if population_raster is None else Path(population_raster)
        self.min_corroboration = min_corroboration
        # Caches derived from the inputs and zones alone: shared with the views.
        self._shared: dict[str, Any] = {}

        self.place_ids: list[str] = sorted(dataset.places.index.astype(str))
        self._place_pos = {pid: i for i, pid in enumerate(self.place_ids)}
        actor_ids = set(dataset.actors.index.astype(str)) | set(dataset.baseline["holder"])
        self._all_events = filter_events(dataset.events, dataset.claims, min_corroboration)
        for column in ("from_actor", "to_actor"):
            actor_ids |= set(self._all_events[column].dropna())
        self.actor_ids: list[str] = sorted(actor_ids)
        self._actor_code = {a: i for i, a in enumerate(self.actor_ids)}
        # Sides over time (territory.sides): actor_side is each actor's default side.
        self.sides = dataset.side_history(self.actor_ids)
        self.actor_side: dict[str, str] = self.sides.default
        self.side_ids: list[str] = self.sides.side_ids
        base = dataset.baseline
        missing = sorted(set(self.place_ids) - set(base["place"]))
        if missing:
            raise DataError(
                f"baseline: {len(missing)} place(s) have no baseline holder: {missing[:10]}",
                file=str(dataset.path),
            )
        self._baseline = {
            str(place): (str(holder), str(confidence), str(source))
            for place, holder, confidence, source in zip(
                base["place"], base["holder"], base["confidence"], base["source"], strict=True
            )
        }
        self._names = PlaceNames(dataset.places)
        self._ground = Ground(
            self._build_zones, dataset, self._place_pos, self.townships, self.population_raster
        )
        known = None if known_by is None else self._in_data(known_by, "known_by")
        end = known if as_of is None else self._in_data(as_of, "as_of")
        self._use_events(dataset.as_of if end is None else end, known)

    def _build_zones(self) -> gpd.GeoDataFrame:
        """Build the zones of the spatial model: the one place where zones are built."""
        return model_zones(self.model, self.dataset, self.townships)

    def _use_events(self, as_of: pd.Timestamp, known_by: pd.Timestamp | None) -> None:
        """Keep the events up to ``as_of`` (reported by ``known_by``) and replay them.

        Everything that depends on the events is (re)set here; everything that
        depends on the zones alone lives in ``self._ground``.
        """
        self.as_of: pd.Timestamp = as_of
        self.known_by: pd.Timestamp | None = known_by
        events = self._all_events  # after the corroboration filter (territory.claims)
        used = events.loc[events["date"] <= as_of]
        if known_by is not None:
            reported = used["reported"].fillna(used["date"])
            used = used.loc[reported <= known_by]
        self.events: pd.DataFrame = used.reset_index(drop=True)
        self._states = self._replay(self.events)
        self._dissolved: dict[tuple[int, str], gpd.GeoDataFrame] = {}
        self._tables: dict[tuple[str, str], np.ndarray] = {}
        self._derived: dict[str, Any] = {}  # other caches of these events (_cached)

    def _cached(self, key: str, build: Callable[[], _V], *, shared: bool = False) -> _V:
        """The derived value ``key``, built by ``build()`` on first use and kept.

        ``shared=True`` is for a value derived from the timeline's inputs and
        zones alone: it is kept once for the timeline and all its views.
        Otherwise the value depends on the events this timeline keeps, and
        each view builds its own (see "Derived caches" in the module docs).
        """
        store = self._shared if shared else self._derived
        if key not in store:
            store[key] = build()
        return cast(_V, store[key])

    # ------------------------------------------------------------------ views
    def _view(self: _T, as_of: pd.Timestamp, known_by: pd.Timestamp | None) -> _T:
        view = copy.copy(self)  # shares the dataset, the names and the ground
        view._use_events(as_of, known_by)
        return view

    def until(self: _T, date: Any) -> _T:
        """This timeline ending on ``date``: the same knowledge, a shorter range.

        The view shares this timeline's zones (no zone rebuild) and is of the
        same type; every exporter ends on its as-of date.

        Examples
        --------
        >>> import territory
        >>> tl = ControlTimeline(territory.load_shan())
        >>> early = tl.until("2024-06-30")
        >>> str(early.as_of.date()), early.zones is tl.zones
        ('2024-06-30', True)
        """
        return self._view(self._day(date, "date"), self.known_by)

    def known_on(self: _T, date: Any) -> _T:
        """This timeline as it was known on ``date``: only events reported by then.

        Equal to ``ControlTimeline(ds, known_by=date, ...)`` with this
        timeline's other options, ending on ``date`` (or earlier, if this one
        does), and sharing this timeline's zones.

        Examples
        --------
        >>> import territory
        >>> tl = ControlTimeline(territory.load_shan())
        >>> str(tl.known_on("2024-08-01").known_by.date())
        '2024-08-01'
        """
        day = self._day(date, "date")
        known = day if self.known_by is None else min(day, self.known_by)
        return self._view(min(day, self.as_of), known)

    # ------------------------------------------------------------------ inputs
    def _in_data(self, value: Any, name: str) -> pd.Timestamp:
        return to_day(value, name, self.dataset.baseline_date, self.dataset.as_of)

    def _day(self, value: Any, name: str) -> pd.Timestamp:
        """A day in the timeline's range, or an error naming ``name``."""
        return to_day(value, name, self.baseline_date, self.as_of)

    def resolve(self, place: str) -> str:
        """The place id for an id, name or alt name (case-insensitive).

        Raises
        ------
        UnknownPlaceError
            Listing close matches.

        Examples
        --------
        >>> import territory
        >>> ControlTimeline(territory.load_shan()).resolve("LAUKKAING")
        'laukkai'
        """
        return self._names.resolve(place)

    def _resolve_many(self, places: str | Iterable[str] | None) -> list[str]:
        if places is None:
            return list(self.place_ids)
        if isinstance(places, str):
            places = [places]  # one place, not its letters
        return [self.resolve(p) for p in places]

    # ------------------------------------------------------------------ states
    def _replay(self, events: pd.DataFrame) -> States:
        states = replay(
            self.place_ids, self._baseline, events, self._actor_code, self.baseline_date
        )
        # A side change is a state too: split the rows on those days and give
        # every row each actor's side on it (territory.sides).
        days, take = split_days(states.days, self.sides.change_days)
        if len(days) == len(states.days):  # no new day: keep the matrices, do not copy them
            return replace(states, side=self.sides.codes(days))
        return replace(
            states,
            days=days,
            holder=states.holder[take],
            status=states.status[take],
            record=states.record[take],
            side=self.sides.codes(days),
        )

    @property
    def _side_rows(self) -> np.ndarray:
        """Each actor's side code (into ``side_ids``) on each state row."""
        side = self._states.side
        assert side is not None  # set by _replay
        return side

    def _rows(
        self, days: Iterable[pd.Timestamp] | pd.DatetimeIndex, states: States | None = None
    ) -> np.ndarray:
        return (states or self._states).rows(days)

    def holders(self, dates: Any, places: str | Iterable[str] | None = None) -> Holders:
        """The state matrix: holder and status codes of ``places`` on ``dates``.

        Every other view of the timeline (``at``, ``series``, ``intervals``,
        the exporters) reads the same matrix.

        Parameters
        ----------
        dates : date-like or iterable of date-likes
            Each in ``[baseline_date, as_of]``.
        places : str or iterable of str, optional
            Ids, names or alt names; default every place (``place_ids`` order).

        Returns
        -------
        Holders
            ``holder`` (codes into ``actors``) and ``status`` (codes into
            ``statuses``), each of shape (dates, places).

        Examples
        --------
        >>> import territory
        >>> tl = ControlTimeline(territory.load_shan())
        >>> h = tl.holders(["2023-10-26", "2024-09-01"], ["Lashio"])
        >>> h.holder_frame()["lashio"].tolist(), h.status_frame()["lashio"].tolist()
        (['SAC', 'MNDAA'], ['held', 'held'])
        """
        days = parse_days(dates, "dates", self.baseline_date, self.as_of)
        return self._holders(days, self._resolve_many(places))

    def _holders(self, days: pd.DatetimeIndex, ids: list[str]) -> Holders:
        """:meth:`holders` for checked days and place ids."""
        rows = self._rows(days)
        columns = np.array([self._place_pos[p] for p in ids], dtype=np.int64)
        where = np.ix_(rows, columns)
        return Holders(
            dates=days,
            places=tuple(ids),
            holder=self._states.holder[where],
            status=self._states.status[where],
            actors=tuple(self.actor_ids),
        )

    @property
    def has_population(self) -> bool:
        """Whether population can be measured: townships or a raster were given."""
        return self._ground.has_population

    @property
    def change_dates(self) -> pd.DatetimeIndex:
        """Every day on which some place's holder or status changes (and the baseline)."""
        return pd.DatetimeIndex(self._states.days)

    # ------------------------------------------------------------------ zones
    @property
    def zones(self) -> gpd.GeoDataFrame:
        """The zones of the spatial model (see :func:`territory.zones.build_zones`).

        Built on first use and shared by the views; read-only.
        """
        return self._ground.zones

    # ------------------------------------------------------------------ points
    def holder(self, place: str, date: Any) -> str:
        """The actor holding ``place`` on ``date``.

        On a contested day this is the holder of record (the one before the
        fighting); :meth:`places_at` and :meth:`status` give the status.

        Parameters
        ----------
        place : str
            A place id, name or alt name, case-insensitive.
        date : date-like

        Raises
        ------
        UnknownPlaceError
            When no place has that name; the message lists close matches.
        DateRangeError
            When the date is outside [baseline, as-of].
        DateFormatError
            When the date is ambiguous (``03/08/2024``) or not a date.

        Examples
        --------
        >>> import territory
        >>> ControlTimeline(territory.load_shan()).holder("Lashio", "2024-09-01")
        'MNDAA'
        """
        h = self._holders(pd.DatetimeIndex([self._day(date, "date")]), [self.resolve(place)])
        return h.actors[int(h.holder[0, 0])]

    def status(self, place: str, date: Any) -> str:
        """``held`` or ``contested``: the status of ``place`` on ``date``."""
        h = self._holders(pd.DatetimeIndex([self._day(date, "date")]), [self.resolve(place)])
        return h.statuses[int(h.status[0, 0])]

    def places_at(self, date: Any) -> gpd.GeoDataFrame:
        """Every place on ``date``: its holder, side, status and since when.

        Returns
        -------
        geopandas.GeoDataFrame
            Indexed by place id: ``id``, ``name``, ``kind``, ``holder``,
            ``side``, ``status`` (held / contested), ``challenger``,
            ``held_since`` (the day the holder took it; the baseline date when
            it held it then), ``zone_id`` (the zone the place bears, or shares
            with a place at the same spot; empty for points only),
            ``bears_area`` (whether the zone's holder is this place's holder)
            and the point.

        Examples
        --------
        >>> import territory
        >>> at = ControlTimeline(territory.load_shan()).places_at("2023-10-26")
        >>> at.loc["lashio", ["holder", "status"]].tolist()
        ['SAC', 'held']
        """
        day = self._day(date, "date")
        row = self._rows([day])[0]
        records = self._states.records.iloc[self._states.record[row]]
        places = self.dataset.places.loc[self.place_ids]
        keep = [c for c in ("id", "name", "kind", "township") if c in places.columns]
        frame = places[keep].copy()
        frame["id"] = self.place_ids
        frame["holder"] = records["holder"].to_numpy()
        frame["side"] = frame["holder"].map(self.sides.on(day))
        frame["status"] = records["status"].to_numpy()
        frame["challenger"] = records["challenger"].to_numpy()
        frame["held_since"] = pd.to_datetime(records["held_since"].to_numpy())
        zone_of = self._ground.zone_of
        frame["zone_id"] = [zone_of.get(pid) for pid in self.place_ids]
        frame["bears_area"] = [zone_of.get(pid) == pid for pid in self.place_ids]
        return gpd.GeoDataFrame(frame, geometry=places.geometry.to_numpy(), crs=WGS84)

    def _place_rows(self, ids: list[str]) -> tuple[gpd.GeoDataFrame, np.ndarray]:
        """The intervals of ``ids`` and, for each, its record in the state matrix."""
        records = self._states.records
        chosen = np.zeros(len(self.place_ids), dtype=bool)
        chosen[[self._place_pos[p] for p in ids]] = True
        wanted = chosen[self._states.record_place] & (
            records["valid_from"].to_numpy(dtype="datetime64[ns]")
            <= np.datetime64(self.as_of, "ns")
        )
        rows = records.loc[wanted].copy()
        rows["valid_to"] = rows["valid_to"].where(rows["valid_to"] <= self.as_of)
        rows["side"] = ""  # set below, once the rows are cut at side switches
        table = self.dataset.places
        # The dataset's row of each place column, then of each interval.
        table_row = table.index.get_indexer(self.place_ids)[self._states.record_place[wanted]]
        for column in ("name", "kind"):
            rows[column] = table[column].to_numpy()[table_row]
        columns = [
            "place",
            "name",
            "kind",
            "holder",
            "side",
            "status",
            "challenger",
            "valid_from",
            "valid_to",
            "confidence",
            "source",
        ]
        # Records run place by place (in place_ids order) and in time order.
        rows = rows[columns]
        record_of_row = np.flatnonzero(wanted)
        rows = rows.reset_index(drop=True)
        rows["valid_from"] = pd.to_datetime(rows["valid_from"])
        rows["valid_to"] = pd.to_datetime(rows["valid_to"])
        geometry = table.geometry.to_numpy()[table_row]
        # A holder that switches side (actor_sides.csv) inside an interval cuts it there,
        # so that ``side`` is true on every day of every row (territory.sides).
        cut, source = split_at_switches(
            gpd.GeoDataFrame(rows, geometry=geometry, crs=WGS84), self.sides, self.as_of
        )
        return cut, record_of_row[source]

    def place_intervals(self, places: str | Iterable[str] | None = None) -> gpd.GeoDataFrame:
        """Each place's holder intervals: one row per (holder, status, side) period.

        A holder that changes side (``events/actor_sides.csv``) inside one of
        its intervals splits it on that day; ``side`` holds on every day of a
        row.  Both pieces keep the ``source`` of the event that opened the
        holding.

        Parameters
        ----------
        places : str or iterable of str, optional
            A place, or places: ids, names or alt names; default every place.

        Returns
        -------
        geopandas.GeoDataFrame
            ``place``, ``name``, ``kind``, ``holder``, ``side``, ``status``,
            ``challenger`` (the attacker while contested), ``valid_from``,
            ``valid_to`` (exclusive; NaT = still so on the as-of date),
            ``confidence`` and ``source`` (of the events, or baseline row,
            that opened the interval) and the place's point, sorted by place
            and ``valid_from``.

        Examples
        --------
        >>> import territory
        >>> iv = ControlTimeline(territory.load_shan()).place_intervals("Lashio")
        >>> held = iv.loc[iv["holder"] != "SAC", ["holder", "side", "valid_from", "valid_to"]]
        >>> held.astype(str).values.tolist()  # its ceasefire (actor_sides.csv) cuts the interval
        [['MNDAA', 'resistance', '2024-08-03', '2025-01-18'], \
['MNDAA', 'neutral', '2025-01-18', '2025-04-22']]
        """
        return self._place_rows(self._resolve_many(places))[0]

    # ------------------------------------------------------------------ polygons
    def _dissolve(self, row: int, by: str) -> gpd.GeoDataFrame:
        key = (int(row), by)
        if key in self._dissolved:
            return self._dissolved[key]
        ground = self._ground
        codes = self._states.holder[row, ground.zone_cols]
        contested = self._states.status[row, ground.zone_cols] == 1
        side_of_code = self._side_rows[row]  # each actor's side on this state's day
        groups = codes if by == "actor" else side_of_code[codes]
        labels = self.actor_ids if by == "actor" else self.side_ids
        areas = ground.areas
        zones = ground.zones
        layers = zones["layer"].to_numpy() if "layer" in zones else None
        out = []
        for code, layer in sorted(
            {(g, None if layers is None else layers[i]) for i, g in enumerate(groups)}
        ):
            mask = (groups == code) & (True if layers is None else layers == layer)
            out.append(
                {
                    by: labels[code],
                    **({"side": self.side_ids[side_of_code[code]]} if by == "actor" else {}),
                    **({"layer": layer} if layer is not None else {}),
                    "area_km2": float(areas[mask].sum()),
                    "contested_km2": float(areas[mask & contested].sum()),
                    **(
                        {"population": known_sum(ground.population[0][mask])}
                        if self.has_population
                        else {}
                    ),
                    "zones": int(mask.sum()),
                    "geometry": ground.union(mask),
                }
            )
        crs = self.dataset.equal_area_crs
        frame = gpd.GeoDataFrame(out, geometry="geometry", crs=crs).to_crs(WGS84)
        self._dissolved[key] = frame
        return frame

    def _dissolve_many(
        self,
        dates: Any,
        by: str,
        run: Callable[[list[Callable[[], gpd.GeoDataFrame]]], Sequence[gpd.GeoDataFrame]],
    ) -> list[gpd.GeoDataFrame]:
        """``at(d, by=by)`` for many dates; ``run`` computes the missing dissolves."""
        if by not in ("actor", "side"):
            raise TerritoryError(f"by: {by!r} is not valid; expected 'actor' or 'side'")
        days = parse_days(dates, "dates", self.baseline_date, self.as_of)
        rows = sorted(
            {int(r) for r in self._rows(days)} - {r for r, b in self._dissolved if b == by}
        )
        # Build what every task shares once, before the tasks start.
        ground = self._ground
        _ = ground.zone_cols, ground.areas, ground.covers
        if self.has_population:
            _ = ground.population
        tasks: list[Callable[[], gpd.GeoDataFrame]] = [
            partial(self._dissolve, row, by) for row in rows
        ]
        for row, frame in zip(rows, run(tasks), strict=True):
            self._dissolved[(row, by)] = frame
        return [self.at(day, by=by) for day in days]

    def at(self, date: Any, *, by: str = "actor", level: str = "zone") -> gpd.GeoDataFrame:
        """Control polygons on ``date``.

        Parameters
        ----------
        date : date-like
        by : {"actor", "side"}
            Dissolve the zones by their holder or by the holder's side.
        level : {"zone", "township"}
            ``zone``: the nearest-place zones dissolved, one row per actor or
            side.  ``township`` (needs townships): one row per township,
            classed by the holder of its seat (or, for a township without a
            ``township_seat`` place, of the zone with most ground in it);
            every row has both ``actor`` and ``side``, so ``by`` changes
            nothing at this level.

        Returns
        -------
        geopandas.GeoDataFrame
            ``zone`` level: ``actor`` (and ``side``, on ``date``) or ``side``,
            ``layer`` (with the layered or seat model: one row per group and
            layer), ``area_km2``, ``contested_km2`` (the part whose place is
            contested), ``population`` (only when :attr:`has_population`),
            ``zones`` (how many) and the polygon.  ``township``
            level: ``ts_pcode``, ``township``, ``seat``, ``decided_by``,
            ``place``, ``actor``, ``side``, ``status``, ``area_km2`` and the
            township polygon.

        Examples
        --------
        >>> import territory
        >>> tl = ControlTimeline(territory.load_shan(), model="nearest")
        >>> sides = tl.at("2023-10-26", by="side")
        >>> sorted(sides.columns)
        ['area_km2', 'contested_km2', 'geometry', 'side', 'zones']
        """
        if by not in ("actor", "side"):
            raise ArgumentError(f"by: {by!r} is not valid; expected 'actor' or 'side'")
        if level not in ("zone", "township"):
            raise ArgumentError(f"level: {level!r} is not valid; expected 'zone' or 'township'")
        day = self._day(date, "date")
        if level == "zone":
            return self._dissolve(int(self._rows([day])[0]), by).copy()
        seats = self._ground.seats
        state = self._holders(pd.DatetimeIndex([day]), list(seats["place"]))
        frame = pd.DataFrame(
            {
                "ts_pcode": seats.index,
                "township": seats["township"].to_numpy(),
                "seat": seats["seat"].to_numpy(),
                "decided_by": seats["decided_by"].to_numpy(),
                "place": seats["place"].to_numpy(),
                "actor": state.holder_frame().iloc[0].to_numpy(),
                "status": state.status_frame().iloc[0].to_numpy(),
            }
        )
        frame["side"] = frame["actor"].map(self.sides.on(day))
        pieces = self.zones.attrs["pieces"]
        frame["area_km2"] = (
            pieces.groupby("ts_pcode")["area_km2"].sum().reindex(seats.index).to_numpy()
        )
        assert self.townships is not None  # seats needs them
        geometry = self.townships.geometry.reindex(seats.index).to_numpy()
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)

    def _interval_table(self) -> tuple[gpd.GeoDataFrame, np.ndarray]:
        """The zone intervals, and for each row (record, first day) as one sortable
        key (see ``_piece_key``): a record cut at side switches has several rows."""
        return self._cached("intervals", self._build_interval_table)

    def _build_interval_table(self) -> tuple[gpd.GeoDataFrame, np.ndarray]:
        zones = self.zones
        rows, record_of_row = self._place_rows([str(z) for z in zones.index])
        rows.insert(rows.columns.get_loc("source") + 1, "ceasefires", self._ceasefires_in(rows))
        rows = rows.drop(columns="kind").rename(columns={"holder": "actor"})
        rows.insert(0, "zone_id", rows["place"])
        if "layer" in zones:
            rows["layer"] = zones["layer"].reindex(rows["zone_id"]).to_numpy()
        zone_row = np.full(len(self.place_ids), -1, dtype=np.int64)
        zone_row[self._ground.zone_cols] = np.arange(len(zones))
        places = self._states.record_place[record_of_row]
        rows = rows.set_geometry(zones.geometry.to_numpy()[zone_row[places]], crs=zones.crs)
        starts = rows["valid_from"].to_numpy(dtype="datetime64[ns]")
        return rows, self._piece_key(record_of_row, starts)

    def _piece_key(self, record: np.ndarray, day: np.ndarray) -> np.ndarray:
        """(record, day) as one int64 that sorts by record, then by day."""
        first = np.datetime64(self.baseline_date, "D")
        span = int((np.datetime64(self.as_of, "D") - first).astype(np.int64)) + 2
        offset = np.clip((day.astype("datetime64[D]") - first).astype(np.int64), 0, span - 1)
        return record.astype(np.int64) * span + offset

    def intervals(self) -> gpd.GeoDataFrame:
        """The change-over-time layer: each zone's holder intervals.

        As in :meth:`place_intervals`, a holder's change of side cuts its
        interval, so ``side`` holds on every day of a row.

        Returns
        -------
        geopandas.GeoDataFrame
            ``zone_id``, ``place``, ``name``, ``actor``, ``side``, ``status``,
            ``challenger``, ``valid_from``, ``valid_to`` (exclusive; NaT =
            still so on the as-of date), ``confidence`` and ``source`` (of the
            events, or baseline row, that opened the interval), ``ceasefires``
            (ids of ceasefires dated inside the interval to which the holder
            is a party, ``;``-joined) and the zone polygon.

        Examples
        --------
        >>> import territory
        >>> iv = ControlTimeline(territory.load_shan()).intervals()
        >>> bool(iv.groupby("zone_id")["valid_to"].apply(lambda s: s.isna().sum() == 1).all())
        True
        """
        return self._interval_table()[0].copy()

    def active_intervals(self, dates: Any, zone_ids: Sequence[str] | None = None) -> np.ndarray:
        """For each date and zone, the row of :meth:`intervals` in force.

        Parameters
        ----------
        dates : date-like or iterable of date-likes
            Each in ``[baseline_date, as_of]``.
        zone_ids : sequence of str, optional
            The columns; default the zones in the order of :meth:`intervals`.

        Returns
        -------
        numpy.ndarray
            ``int64`` of shape (dates, zones): positions in ``intervals()``.

        Examples
        --------
        >>> import territory
        >>> tl = ControlTimeline(territory.load_shan())
        >>> iv = tl.intervals()
        >>> rows = tl.active_intervals(["2024-09-01"], ["lashio"])
        >>> iv.iloc[rows[0]]["actor"].tolist()
        ['MNDAA']
        """
        table, piece_key = self._interval_table()
        days = parse_days(dates, "dates", self.baseline_date, self.as_of)
        ids = list(dict.fromkeys(table["zone_id"])) if zone_ids is None else list(zone_ids)
        unknown = sorted(set(ids) - set(self._ground.zone_of))
        if unknown:
            raise TerritoryError(f"zone_ids: {unknown[:5]} are not zones of this timeline")
        columns = np.array([self._place_pos[z] for z in ids], dtype=np.int64)
        record = self._states.record[np.ix_(self._rows(days), columns)]
        stamps = np.broadcast_to(days.to_numpy(dtype="datetime64[ns]")[:, None], record.shape)
        # the row of the record (cut at side switches) that has begun by the day
        key = self._piece_key(record, stamps)
        return np.searchsorted(piece_key, key, side="right") - 1

    def _ceasefires_in(self, rows: pd.DataFrame) -> list[str]:
        """Per interval: the ceasefires inside it to which its holder is a party."""
        hits: dict[int, list[str]] = {}
        start = rows["valid_from"].to_numpy(dtype="datetime64[ns]")
        end = rows["valid_to"].to_numpy(dtype="datetime64[ns]")
        place = rows["place"].to_numpy(dtype=object)
        holder = rows["holder"].to_numpy(dtype=object)
        marks = self.markers()
        for event_id, day, at, side_a, side_b in zip(
            marks["event_id"].astype(str),
            marks["date"].to_numpy(dtype="datetime64[ns]"),
            marks["place"].to_numpy(dtype=object),
            marks["from_actor"].to_numpy(dtype=object),
            marks["to_actor"].to_numpy(dtype=object),
            strict=True,
        ):
            inside = (start <= day) & (np.isnat(end) | (day < end))
            where = inside & ((holder == side_a) | (holder == side_b))
            if isinstance(at, str):
                where &= place == at
            for i in np.flatnonzero(where).tolist():
                hits.setdefault(i, []).append(event_id)
        out = [""] * len(rows)
        for i, found in hits.items():
            out[i] = ";".join(found)
        return out

    def changes(self, d0: Any, d1: Any) -> gpd.GeoDataFrame:
        """What changed hands between two days.

        Parameters
        ----------
        d0, d1 : date-like
            Compare the holders on ``d0`` with those on ``d1``.

        Returns
        -------
        geopandas.GeoDataFrame
            One row per (``from_actor``, ``to_actor``) pair: ``from_side``,
            ``to_side``, ``area_km2``, ``population`` (only when
            :attr:`has_population`), ``zones`` (how many), ``places`` (their
            ids, ``;``-joined) and the dissolved polygon.  For every actor,
            the area it gains minus the area it loses equals the change of
            its row in :meth:`at`.

        Examples
        --------
        >>> import territory
        >>> ch = ControlTimeline(territory.load_shan()).changes("2023-10-26", "2024-02-01")
        >>> bool((ch["from_actor"] != ch["to_actor"]).all())
        True
        """
        ground = self._ground
        zone_ids = [str(z) for z in self.zones.index]
        day0, day1 = self._day(d0, "d0"), self._day(d1, "d1")
        state = self._holders(pd.DatetimeIndex([day0, day1]), zone_ids)
        before, after = state.holder[0], state.holder[1]
        side0, side1 = self.sides.on(day0), self.sides.on(day1)
        moved = np.flatnonzero(before != after)
        out = []
        pairs = sorted({(int(before[i]), int(after[i])) for i in moved})
        for a, b in pairs:
            mask = moved[(before[moved] == a) & (after[moved] == b)]
            out.append(
                {
                    "from_actor": self.actor_ids[a],
                    "to_actor": self.actor_ids[b],
                    "from_side": side0[self.actor_ids[a]],
                    "to_side": side1[self.actor_ids[b]],
                    "area_km2": float(ground.areas[mask].sum()),
                    **(
                        {"population": known_sum(ground.population[0][mask])}
                        if self.has_population
                        else {}
                    ),
                    "zones": len(mask),
                    "places": ";".join(zone_ids[i] for i in mask),
                    "geometry": ground.union(mask),
                }
            )
        columns = [
            "from_actor",
            "to_actor",
            "from_side",
            "to_side",
            "area_km2",
            *(["population"] if self.has_population else []),
            "zones",
            "places",
            "geometry",
        ]
        frame = pd.DataFrame(out, columns=columns)
        crs = self.dataset.equal_area_crs
        return gpd.GeoDataFrame(frame, geometry="geometry", crs=crs).to_crs(WGS84)

    # ------------------------------------------------------------------ series
    def _weights(self, measure: str) -> tuple[np.ndarray, np.ndarray]:
        """(place columns, weight per column) for a measure."""
        ground = self._ground
        if measure == "area_km2":
            return ground.zone_cols, ground.areas
        if measure == "population":  # unknown zones add nothing; series marks them NaN
            return ground.zone_cols, np.nan_to_num(ground.population[0])
        if measure == "population_known":  # 1 where a zone's population is known
            return ground.zone_cols, (~np.isnan(ground.population[0])).astype(float)
        if measure == "places":
            return np.arange(len(self.place_ids)), np.ones(len(self.place_ids))
        if measure == "townships":
            places = ground.seats["place"]
            return np.array([self._place_pos[p] for p in places]), np.ones(len(places))
        raise ArgumentError(f"measure: {measure!r} is not valid; expected one of {list(MEASURES)}")

    def _group_of_code(self, by: str, states: States | None = None) -> np.ndarray | None:
        """``None`` by actor; by side, each actor's side code on each state row."""
        return None if by == "actor" else (states or self._states).side

    def _table(
        self,
        by: str,
        measure: str,
        states: States | None = None,
        compute: Callable[..., np.ndarray] = group_table,
    ) -> np.ndarray:
        """Measure per distinct state and group, cached for the timeline's own states."""
        key = (by, measure)
        if states is None and key in self._tables:
            return self._tables[key]
        columns, weights = self._weights(measure)
        n_groups = len(self.actor_ids) if by == "actor" else len(self.side_ids)
        holder = (states or self._states).holder
        table = compute(holder, columns, weights, self._group_of_code(by, states), n_groups)
        if states is None:
            self._tables[key] = table
        return table

    def series(
        self,
        start: Any = None,
        end: Any = None,
        freq: str = "D",
        *,
        by: str = "side",
        measure: str = "area_km2",
        bounds: bool = False,
        model_range: bool = False,
    ) -> pd.DataFrame:
        """A measure of each side's or actor's holdings over time.

        Parameters
        ----------
        start, end : date-like, optional
            Default: the baseline and the as-of date.
        freq : str, default "D"
            A pandas frequency; the days are those of
            :func:`territory.dates.date_grid` (``"W"`` = Sundays).
        by : {"side", "actor"}
        measure : {"area_km2", "population", "places", "townships"}
            Ground in km² (nearest-place zones); people (needs townships or a
            population raster); places held (every place of the dataset,
            points included); townships held (needs townships).
        bounds : bool, default False
            Add low and high bands from the events' date uncertainty (see the
            module docs).  The columns then have two levels: band
            (``value``, ``low``, ``high``) and side or actor.
        model_range : bool, default False
            Add low and high bands: the minimum and maximum over the spatial
            models (:mod:`territory.ranges`), in the same two-level columns;
            with ``bounds`` too, each band is the wider of the two.

        Returns
        -------
        pandas.DataFrame
            Indexed by date, one column per side or actor.  ``attrs`` holds
            ``measure``, ``by``, ``ceasefires`` (the ceasefire markers within
            the range) and, for census population, ``population_coverage``
            (the share of the ground with a census figure).  ``ceasefires`` is
            a list of dicts (event_id, date, place, from_actor, to_actor);
            :meth:`markers` gives them with their sources.

        Examples
        --------
        >>> import territory
        >>> tl = ControlTimeline(territory.load_shan())
        >>> s = tl.series("2023-10-26", "2023-10-31", measure="places", by="actor")
        >>> int(s.sum(axis=1).iloc[0]) == len(tl.place_ids)
        True
        """
        if by not in ("actor", "side"):
            raise ArgumentError(f"by: {by!r} is not valid; expected 'actor' or 'side'")
        if measure not in MEASURES:
            raise ArgumentError(
                f"measure: {measure!r} is not valid; expected one of {list(MEASURES)}"
            )
        first = self._day(self.baseline_date if start is None else start, "start")
        last = self._day(self.as_of if end is None else end, "end")
        dates = day_range(first, last, freq, self.baseline_date, self.as_of)
        labels = self.actor_ids if by == "actor" else self.side_ids
        value = self._table(by, measure)[self._rows(dates)]
        if measure == "population":  # held ground with no known population: NaN, not 0
            value = self._unknown_to_nan(value, by, dates)
        frame = pd.DataFrame(value, index=dates, columns=pd.Index(labels, name=by))
        if bounds or model_range:
            low, high = self._bands(dates, by, measure) if bounds else (value, value)
            if model_range:
                from territory.ranges import model_range as across_models

                least, most = across_models(self, first, last, freq, by, measure)
                low = np.minimum(low, least.to_numpy())
                high = np.maximum(high, most.to_numpy())
            low = np.minimum(low, value)
            high = np.maximum(high, value)
            frame = pd.concat(
                {
                    "value": frame,
                    "low": pd.DataFrame(low, index=dates, columns=frame.columns),
                    "high": pd.DataFrame(high, index=dates, columns=frame.columns),
                },
                axis=1,
                names=["band", by],
            )
        frame.index.name = "date"
        marks = self.markers(first, last)
        frame.attrs = {
            "measure": measure,
            "by": by,
            "ceasefires": [
                {
                    "event_id": str(m.event_id),
                    "date": m.date,
                    "place": m.place,
                    "from_actor": m.from_actor,
                    "to_actor": m.to_actor,
                }
                for m in marks.itertuples()
            ],
        }
        if measure == "population":
            frame.attrs["population_coverage"] = self._ground.population[1]
            if self.townships is not None and self.population_raster is None:
                frame.attrs["population_known"] = population_coverage(
                    self.dataset.population, self.townships, crs=self.dataset.equal_area_crs
                )
        return frame

    def _unknown_to_nan(self, value: np.ndarray, by: str, dates: pd.DatetimeIndex) -> np.ndarray:
        """NaN where a group holds zones but none with a known population."""
        rows = self._rows(dates)
        known = self._table(by, "population_known")[rows]
        held = self._table(by, "area_km2")[rows]
        return np.where((known == 0) & (held > 0), np.nan, value)

    def _bands(
        self, dates: pd.DatetimeIndex, by: str, measure: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """Low and high bands: for each group, a log shifted against and for it."""
        labels = self.actor_ids if by == "actor" else self.side_ids
        low = np.empty((len(dates), len(labels)))
        high = np.empty((len(dates), len(labels)))
        rows = self._rows(dates)

        def group_of(actors: pd.Series, days: pd.Series) -> pd.Series:
            # By side: each actor's side on the event's day (territory.sides).
            return actors if by == "actor" else self.sides.lookup(actors, days)

        earliest = self.baseline_date + pd.Timedelta(days=1)
        columns, weights = self._weights(measure)
        weight = np.zeros(len(self.place_ids))
        np.add.at(weight, columns, weights)
        base_holder = self._states.holder[0]
        # Group membership per period of constant sides: its first day, and the
        # group of each actor code in it.
        side = self._side_rows
        starts = np.ones(len(side), dtype=np.bool_)
        starts[1:] = (side[1:] != side[:-1]).any(axis=1)
        if by == "actor":
            starts[1:] = False
            group_codes = np.arange(len(self.actor_ids))[None, :]
        else:
            group_codes = side[starts]
        period_starts = self._states.days[starts]
        stamps = dates.to_numpy(dtype="datetime64[ns]")
        for g, low_log, high_log in uncertainty_shifts(self.events, labels, group_of, earliest):
            for target, log in ((low, low_log), (high, high_log)):
                if log is None:
                    target[:, g] = self._table(by, measure)[rows, g]
                    continue
                target[:, g] = group_series_by_period(
                    log,
                    self._place_pos,
                    base_holder,
                    self._actor_code,
                    group_codes == g,
                    period_starts,
                    weight,
                    stamps,
                )
        return low, high

    # ------------------------------------------------------------------ events
    def markers(self, start: Any = None, end: Any = None) -> pd.DataFrame:
        """Ceasefires: events that change no holder, kept as markers.

        Returns
        -------
        pandas.DataFrame
            ``event_id``, ``date``, ``place`` (may be empty), ``from_actor``,
            ``to_actor``, ``confidence``, ``source``, ``note``.

        Examples
        --------
        >>> import territory
        >>> m = ControlTimeline(territory.load_shan()).markers()
        >>> list(m.columns)[:3]
        ['event_id', 'date', 'place']
        """
        events = self.events.loc[self.events["kind"] == "ceasefire"]
        if start is not None:
            events = events.loc[events["date"] >= self._day(start, "start")]
        if end is not None:
            events = events.loc[events["date"] <= self._day(end, "end")]
        columns = [
            "event_id",
            "date",
            "place",
            "from_actor",
            "to_actor",
            "confidence",
            "source",
            "note",
        ]
        return events.reindex(columns=columns).reset_index(drop=True)

    def lag(self) -> pd.DataFrame:
        """For each change of holder, the days between its date and its first report.

        Returns
        -------
        pandas.DataFrame
            ``event_id``, ``place``, ``kind``, ``from_actor``, ``to_actor``,
            ``date``, ``reported`` and ``lag_days`` (``reported - date``; 0
            where the file gives no separate report date).

        Examples
        --------
        >>> import territory
        >>> lag = ControlTimeline(territory.load_shan()).lag()
        >>> bool((lag["lag_days"] >= -lag["date_uncertainty_days"]).all())
        True
        """
        events = self.events.loc[self.events["kind"].isin(HOLDER_CHANGING)].copy()
        events["reported"] = events["reported"].fillna(events["date"])
        events["lag_days"] = (events["reported"] - events["date"]).dt.days.astype(int)
        columns = [
            "event_id",
            "place",
            "kind",
            "from_actor",
            "to_actor",
            "date",
            "date_uncertainty_days",
            "reported",
            "lag_days",
        ]
        return events[columns].reset_index(drop=True)

    def to_xarray(self, dates: Any, **options: Any) -> Any:
        """Who holds each cell on each date, as an ``xarray.DataArray`` (dims time, y, x).

        See :func:`territory.export.cube.to_xarray` (options ``resolution_m``,
        ``crs``); needs the ``territory[cube]`` extra.
        """
        from territory.export.cube import to_xarray

        return to_xarray(self, dates, **options)

    def __repr__(self) -> str:
        known = f", known by {self.known_by.date()}" if self.known_by is not None else ""
        return (
            f"<ControlTimeline {self.dataset.name!r}: {len(self.place_ids)} places, "
            f"{len(self._states.days)} distinct states, {self.baseline_date.date()} to "
            f"{self.as_of.date()}{known}>"
        )
