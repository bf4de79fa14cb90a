"""The control timeline: who holds what on any date, as points, polygons and series.

:class:`ControlTimeline` replays a dataset's event log over its baseline.
The holder of a place changes only on event dates, so the timeline sorts the
events once and builds, for every place, the intervals of its holders and of
its status.  It keeps them as a small matrix: one row per *distinct state*
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

The spatial model is in :mod:`territory.zones` (nearest-place cells; only
towns, township seats, bases and outposts inside the study area bear area).

Examples
--------
>>> import territory
>>> tl = ControlTimeline(territory.load_shan())
>>> tl.holder("Laukkaing", "2024-01-10")
'MNDAA'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from territory.crs import WGS84
from territory.dataset import Dataset
from territory.dates import day_range, to_day
from territory.errors import DataError, TerritoryError, UnknownPlaceError
from territory.population import census_population, raster_population
from territory.sides import split_days
from territory.zones import build_zones, check_townships, township_seats

__all__ = ["MEASURES", "MODELS", "ControlTimeline"]

#: Spatial models: only the nearest-place model so far.
MODELS = ("nearest",)
#: What :meth:`ControlTimeline.series` can measure.
MEASURES = ("area_km2", "population", "places", "townships")
_HOLDER_CHANGING = ("capture", "handover")
#: Distinct states per bincount in ``ControlTimeline._table``.
_TABLE_CHUNK = 256
_CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class _States:
    """Every distinct state of a log: change days × places."""

    days: np.ndarray  # datetime64[ns], sorted, first = baseline
    holder: np.ndarray  # int codes, shape (days, places)
    record: np.ndarray  # row in the records table, shape (days, places)
    records: pd.DataFrame  # one row per (place, interval)


def _build_states(
    place_ids: list[str],
    baseline: dict[str, tuple[str, str, str]],
    events: pd.DataFrame,
    actor_code: dict[str, int],
    baseline_date: pd.Timestamp,
) -> _States:
    """Replay ``events`` over the baseline.

    ``baseline`` maps place id to (holder, confidence, source).  ``events``
    has place, date, event_id, kind, to_actor, confidence, source; only
    rows with a place and a non-ceasefire kind are used.
    """
    events = events.loc[events["place"].notna() & (events["kind"] != "ceasefire")]
    events = events.sort_values(["date", "event_id"], kind="stable")
    columns = ["place", "date", "event_id", "kind", "to_actor", "confidence", "source"]
    by_place: dict[str, list[dict[str, Any]]] = {}
    values = [events[column].to_numpy(dtype=object) for column in columns]
    for row in zip(*values, strict=True):
        item = dict(zip(columns, row, strict=True))
        by_place.setdefault(item["place"], []).append(item)
    one_day = pd.Timedelta(days=1)
    rows: list[dict[str, Any]] = []
    for pid in place_ids:
        holder, confidence, source = baseline[pid]
        state = {"holder": holder, "status": "held", "challenger": None}
        held_since = baseline_date
        changes: dict[pd.Timestamp, dict[str, Any]] = {
            baseline_date: {
                **state,
                "held_since": held_since,
                "confidence": confidence,
                "source": source,
                "event_ids": "",
            }
        }
        place_events = by_place.get(pid, [])
        days: dict[pd.Timestamp, list[dict[str, Any]]] = {}
        for item in place_events:
            days.setdefault(pd.Timestamp(item["date"]), []).append(item)
        for day, day_events in days.items():
            meta = {
                "confidence": min(
                    (e["confidence"] for e in day_events),
                    key=lambda c: _CONFIDENCE_RANK.get(c, -1),
                ),
                "source": " | ".join(dict.fromkeys(str(e["source"]) for e in day_events)),
                "event_ids": ";".join(str(e["event_id"]) for e in day_events),
            }
            new_holders = list(
                dict.fromkeys(e["to_actor"] for e in day_events if e["kind"] in _HOLDER_CHANGING)
            )
            before = dict(state)
            held_before = held_since
            for e in day_events:
                kind, to_actor = e["kind"], e["to_actor"]
                if kind in _HOLDER_CHANGING:
                    if to_actor != state["holder"]:
                        held_since = day
                    state = {"holder": to_actor, "status": "held", "challenger": None}
                elif kind == "contested":
                    state = {**state, "status": "contested", "challenger": to_actor}
                elif kind == "repelled":
                    state = {**state, "status": "held", "challenger": None}
            if len(new_holders) >= 2:
                others = [a for a in new_holders if a != before["holder"]]
                changes[day] = {
                    "holder": before["holder"],
                    "status": "contested",
                    "challenger": ";".join(others),
                    "held_since": held_before,
                    **meta,
                }
                changes[day + one_day] = {**state, "held_since": held_since, **meta}
            else:
                changes[day] = {**state, "held_since": held_since, **meta}
        previous: dict[str, Any] | None = None
        for day in sorted(changes):
            change = changes[day]
            key = (change["holder"], change["status"], change["challenger"])
            if previous is not None and key == (
                previous["holder"],
                previous["status"],
                previous["challenger"],
            ):
                continue
            rows.append({"place": pid, "valid_from": day, **change})
            previous = change
    records = pd.DataFrame(rows)
    records["valid_to"] = records.groupby("place")["valid_from"].shift(-1)
    days = np.unique(records["valid_from"].to_numpy(dtype="datetime64[ns]"))
    position = {pid: i for i, pid in enumerate(place_ids)}
    holder = np.empty((len(days), len(place_ids)), dtype=np.int32)
    starts = np.searchsorted(days, records["valid_from"].to_numpy(dtype="datetime64[ns]"))
    codes = records["holder"].map(actor_code).to_numpy()
    columns = records["place"].map(position).to_numpy()
    # Each place's records run in time order with rising row numbers, and its
    # first starts on the baseline day: mark where each record starts, then
    # carry the latest mark down the days.
    record = np.full((len(days), len(place_ids)), -1, dtype=np.int64)
    record[starts, columns] = np.arange(len(records))
    np.maximum.accumulate(record, axis=0, out=record)
    holder[:] = codes[record]
    return _States(days, holder, record, records)


class ControlTimeline:
    """Who holds which place and which ground, on any day of a dataset.

    Parameters
    ----------
    dataset : Dataset
        From :func:`territory.load_dataset` or :func:`territory.load_shan`.
    model : {"nearest"}
        The spatial model: each area-bearing place commands its nearest-place
        cell (see :mod:`territory.zones`).
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
        model: str = "nearest",
        townships: gpd.GeoDataFrame | None = None,
        as_of: Any = None,
        known_by: Any = None,
        population_raster: str | Path | None = None,
    ) -> None:
        if not isinstance(dataset, Dataset):
            raise TerritoryError(
                f"dataset: expected a territory Dataset, got {type(dataset).__name__}"
            )
        if model not in MODELS:
            raise TerritoryError(f"model: {model!r} is not known; expected one of {list(MODELS)}")
        self.dataset = dataset
        self.model = model
        self.baseline_date = dataset.baseline_date
        self.known_by = (
            None if known_by is None else self._day(known_by, "known_by", dataset.as_of)
        )
        default_end = self.known_by if self.known_by is not None else dataset.as_of
        self.as_of = default_end if as_of is None else self._day(as_of, "as_of", dataset.as_of)
        if townships is not None:
            check_townships(townships)
            townships = townships.set_index("TS_PCODE", drop=False).rename_axis(None)
        self.townships = townships
        self.population_raster = None if population_raster is None else Path(population_raster)

        self.place_ids: list[str] = sorted(dataset.places.index.astype(str))
        self._place_pos = {pid: i for i, pid in enumerate(self.place_ids)}
        actor_ids = set(dataset.actors.index.astype(str)) | set(dataset.baseline["holder"])
        events = dataset.events
        for column in ("from_actor", "to_actor"):
            actor_ids |= set(events[column].dropna())
        self.actor_ids: list[str] = sorted(actor_ids)
        self._actor_code = {a: i for i, a in enumerate(self.actor_ids)}
        # Sides over time (territory.sides): actor_side is each actor's default side.
        self.sides = dataset.side_history(self.actor_ids)
        self.actor_side: dict[str, str] = self.sides.default
        self.side_ids: list[str] = self.sides.side_ids
        self._side_of_code = self.sides.default_codes

        used = events.loc[events["date"] <= self.as_of]
        if self.known_by is not None:
            reported = used["reported"].fillna(used["date"])
            used = used.loc[reported <= self.known_by]
        self.events: pd.DataFrame = used.reset_index(drop=True)
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
        self._states = self._replay(self.events)
        self._dissolved: dict[tuple[int, str], gpd.GeoDataFrame] = {}
        self._tables: dict[tuple[str, str], np.ndarray] = {}

    # ------------------------------------------------------------------ inputs
    def _day(self, value: Any, name: str, last: pd.Timestamp | None = None) -> pd.Timestamp:
        """A day in the timeline's range, or an error naming ``name``."""
        return to_day(
            value, name, self.dataset.baseline_date, self.as_of if last is None else last
        )

    @cached_property
    def _names(self) -> dict[str, set[str]]:
        names: dict[str, set[str]] = {}
        places = self.dataset.places
        for pid in self.place_ids:
            row = places.loc[pid]
            alts = row.get("alt_names", [])
            alts = alts if isinstance(alts, list) else []
            for name in (pid, row.get("name", pid), *alts):
                if isinstance(name, str) and name.strip():
                    names.setdefault(name.strip().lower(), set()).add(pid)
        return names

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
        if place in self._place_pos:  # an id wins over another place's name
            return place
        key = str(place).strip().lower()
        found = self._names.get(key)
        if found is None:
            close = difflib.get_close_matches(key, list(self._names), n=5, cutoff=0.6)
            shown = [
                repr(c) if c in self._place_pos else f"{c!r} ({', '.join(sorted(self._names[c]))})"
                for c in close
            ]
            hint = ", ".join(shown) if shown else "none"
            raise UnknownPlaceError(
                f"place: {place!r} is not a place of the dataset; close matches: {hint}"
            )
        if len(found) > 1:
            raise UnknownPlaceError(
                f"place: {place!r} names several places ({sorted(found)}); use an id"
            )
        return next(iter(found))

    # ------------------------------------------------------------------ states
    def _replay(self, events: pd.DataFrame) -> _States:
        states = _build_states(
            self.place_ids, self._baseline, events, self._actor_code, self.baseline_date
        )
        days, take = split_days(states.days, self.sides.change_days)  # side changes are states too
        return replace(states, days=days, holder=states.holder[take], record=states.record[take])

    def _rows(
        self, days: Iterable[pd.Timestamp] | pd.DatetimeIndex, states: _States | None = None
    ):
        states = states or self._states
        stamps = pd.DatetimeIndex(list(days) if not isinstance(days, pd.DatetimeIndex) else days)
        return np.searchsorted(states.days, stamps.to_numpy(dtype="datetime64[ns]"), "right") - 1

    @property
    def has_population(self) -> bool:
        """Whether population can be measured: townships or a raster were given."""
        return self.townships is not None or self.population_raster is not None

    @property
    def change_dates(self) -> pd.DatetimeIndex:
        """Every day on which some place's holder or status changes (and the baseline)."""
        return pd.DatetimeIndex(self._states.days)

    # ------------------------------------------------------------------ zones
    @cached_property
    def zones(self) -> gpd.GeoDataFrame:
        """The nearest-place zones (see :func:`territory.zones.build_zones`)."""
        return build_zones(
            self.dataset.places,
            self.dataset.state,
            self.townships,
            crs=self.dataset.equal_area_crs,
        )

    @cached_property
    def _zone_of(self) -> dict[str, str]:
        """Place id -> the zone it bears or shares (places at one spot share one)."""
        zone_of = {str(z): str(z) for z in self.zones.index}
        for zone, merged in zip(self.zones.index, self.zones["merged"], strict=True):
            zone_of.update({m: str(zone) for m in str(merged).split(";") if m})
        return zone_of

    @cached_property
    def _zone_cols(self) -> np.ndarray:
        return np.array([self._place_pos[z] for z in self.zones.index], dtype=np.int64)

    @cached_property
    def _zone_albers(self) -> np.ndarray:
        return self.zones.geometry.to_crs(self.dataset.equal_area_crs).to_numpy()

    @cached_property
    def _zones_cover(self) -> bool:
        """Whether the zones form a valid coverage (no overlaps, edges that match)."""
        return bool(shapely.coverage_is_valid(self._zone_albers))

    def _union(self, mask: np.ndarray) -> shapely.Geometry:
        """The union of the zones in ``mask`` (Albers).

        Zones that form a valid coverage are merged along their shared edges
        (:func:`shapely.coverage_union_all`, several times faster); the result
        covers exactly the same ground as :func:`shapely.union_all`, which is
        used otherwise.
        """
        if self._zones_cover:
            return shapely.coverage_union_all(self._zone_albers[mask])
        return shapely.union_all(self._zone_albers[mask])

    @cached_property
    def _seats(self) -> pd.DataFrame:
        """Per township: the deciding place (seat, or the zone with most ground)."""
        if self.townships is None:
            raise TerritoryError(
                "townships: this timeline was built without townships; pass "
                "townships=territory.read_townships(path) to ControlTimeline"
            )
        seats = township_seats(
            self.dataset.places, self.townships, crs=self.dataset.equal_area_crs
        )
        pieces = self.zones.attrs["pieces"].dropna(subset=["ts_pcode"])
        largest = (
            pieces.sort_values(["ts_pcode", "area_km2", "zone_id"], ascending=[True, False, True])
            .drop_duplicates("ts_pcode")
            .set_index("ts_pcode")["zone_id"]
        )
        seats["decided_by"] = np.where(seats["seat"].notna(), "seat", "largest_zone")
        seats["place"] = seats["seat"].fillna(largest.reindex(seats.index))
        return seats

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

        Examples
        --------
        >>> import territory
        >>> ControlTimeline(territory.load_shan()).holder("Lashio", "2024-09-01")
        'MNDAA'
        """
        pid = self.resolve(place)
        row = self._rows([self._day(date, "date")])[0]
        return self.actor_ids[self._states.holder[row, self._place_pos[pid]]]

    def status(self, place: str, date: Any) -> str:
        """``held`` or ``contested``: the status of ``place`` on ``date``."""
        pid = self.resolve(place)
        row = self._rows([self._day(date, "date")])[0]
        record = self._states.record[row, self._place_pos[pid]]
        return str(self._states.records["status"].iloc[record])

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
        zone_of = self._zone_of
        frame["zone_id"] = [zone_of.get(pid) for pid in self.place_ids]
        frame["bears_area"] = [zone_of.get(pid) == pid for pid in self.place_ids]
        return gpd.GeoDataFrame(frame, geometry=places.geometry.to_numpy(), crs=WGS84)

    def place_intervals(self, places: Iterable[str] | None = None) -> gpd.GeoDataFrame:
        """Each place's holder intervals: one row per (holder, status) period.

        Parameters
        ----------
        places : iterable of str, optional
            Place ids, names or alt names; default every place.

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
        >>> iv = ControlTimeline(territory.load_shan()).place_intervals(["Lashio"])
        >>> iv.loc[iv["holder"] != "SAC", ["holder", "valid_from", "valid_to"]].astype(str).values.tolist()
        [['MNDAA', '2024-08-03', '2025-04-22']]
        """
        ids = self.place_ids if places is None else [self.resolve(p) for p in places]
        records = self._states.records
        rows = records.loc[
            records["place"].isin(ids) & (records["valid_from"] <= self.as_of)
        ].copy()
        rows["valid_to"] = rows["valid_to"].where(rows["valid_to"] <= self.as_of)
        rows["side"] = self.sides.lookup(rows["holder"], rows["valid_from"])  # side at the start
        table = self.dataset.places
        for column in ("name", "kind"):
            rows[column] = table[column].reindex(rows["place"]).to_numpy()
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
        rows = rows[columns].sort_values(["place", "valid_from"]).reset_index(drop=True)
        rows["valid_from"] = pd.to_datetime(rows["valid_from"])
        rows["valid_to"] = pd.to_datetime(rows["valid_to"])
        geometry = table.geometry.reindex(rows["place"]).to_numpy()
        return gpd.GeoDataFrame(rows, geometry=geometry, crs=WGS84)

    # ------------------------------------------------------------------ polygons
    def _dissolve(self, row: int, by: str) -> gpd.GeoDataFrame:
        key = (int(row), by)
        if key in self._dissolved:
            return self._dissolved[key]
        codes = self._states.holder[row, self._zone_cols]
        records = self._states.records.iloc[self._states.record[row, self._zone_cols]]
        contested = (records["status"] == "contested").to_numpy()
        side_of_code = self.sides.codes(self._states.days[row : row + 1])[0]
        groups = codes if by == "actor" else side_of_code[codes]
        labels = self.actor_ids if by == "actor" else self.side_ids
        areas = self.zones["area_km2"].to_numpy()
        out = []
        for code in np.unique(groups):
            mask = groups == code
            out.append(
                {
                    by: labels[code],
                    **({"side": self.side_ids[side_of_code[code]]} if by == "actor" else {}),
                    "area_km2": float(areas[mask].sum()),
                    "contested_km2": float(areas[mask & contested].sum()),
                    **(
                        {"population": float(self._population[0][mask].sum())}
                        if self.has_population
                        else {}
                    ),
                    "zones": int(mask.sum()),
                    "geometry": self._union(mask),
                }
            )
        crs = self.dataset.equal_area_crs
        frame = gpd.GeoDataFrame(out, geometry="geometry", crs=crs).to_crs(WGS84)
        self._dissolved[key] = frame
        return frame

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
            ``zone`` level: ``actor`` (and ``side``) or ``side``,
            ``area_km2``, ``contested_km2`` (the part whose place is
            contested), ``population`` (only when :attr:`has_population`),
            ``zones`` (how many) and the polygon.  ``township``
            level: ``ts_pcode``, ``township``, ``seat``, ``decided_by``,
            ``place``, ``actor``, ``side``, ``status``, ``area_km2`` and the
            township polygon.

        Examples
        --------
        >>> import territory
        >>> tl = ControlTimeline(territory.load_shan())
        >>> sides = tl.at("2023-10-26", by="side")
        >>> sorted(sides.columns)
        ['area_km2', 'contested_km2', 'geometry', 'side', 'zones']
        """
        if by not in ("actor", "side"):
            raise TerritoryError(f"by: {by!r} is not valid; expected 'actor' or 'side'")
        if level not in ("zone", "township"):
            raise TerritoryError(f"level: {level!r} is not valid; expected 'zone' or 'township'")
        day = self._day(date, "date")
        row = self._rows([day])[0]
        if level == "zone":
            return self._dissolve(row, by).copy()
        seats = self._seats
        columns = [self._place_pos[p] for p in seats["place"]]
        records = self._states.records.iloc[self._states.record[row, columns]]
        frame = pd.DataFrame(
            {
                "ts_pcode": seats.index,
                "township": seats["township"].to_numpy(),
                "seat": seats["seat"].to_numpy(),
                "decided_by": seats["decided_by"].to_numpy(),
                "place": seats["place"].to_numpy(),
                "actor": records["holder"].to_numpy(),
                "status": records["status"].to_numpy(),
            }
        )
        frame["side"] = frame["actor"].map(self.sides.on(day))
        pieces = self.zones.attrs["pieces"]
        frame["area_km2"] = (
            pieces.groupby("ts_pcode")["area_km2"].sum().reindex(seats.index).to_numpy()
        )
        geometry = self.townships.geometry.reindex(seats.index).to_numpy()
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)

    @cached_property
    def _intervals(self) -> gpd.GeoDataFrame:
        rows = self.place_intervals(self.zones.index)
        rows.insert(rows.columns.get_loc("source") + 1, "ceasefires", self._ceasefires_in(rows))
        rows = rows.drop(columns="kind").rename(columns={"holder": "actor"})
        rows.insert(0, "zone_id", rows["place"])
        return rows.set_geometry(self.zones.geometry.reindex(rows["zone_id"]).to_numpy())

    def intervals(self) -> gpd.GeoDataFrame:
        """The change-over-time layer: each zone's holder intervals.

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
        return self._intervals.copy()

    def _ceasefires_in(self, rows: pd.DataFrame) -> list[str]:
        """Per interval: the ceasefires inside it to which its holder is a party."""
        hits: list[list[str]] = [[] for _ in range(len(rows))]
        start = rows["valid_from"].to_numpy(dtype="datetime64[ns]")
        end = rows["valid_to"].to_numpy(dtype="datetime64[ns]")
        place = rows["place"].to_numpy(dtype=object)
        holder = rows["holder"].to_numpy(dtype=object)
        for mark in self.markers().itertuples():
            day = np.datetime64(mark.date, "ns")
            inside = (start <= day) & (np.isnat(end) | (day < end))
            party = (holder == mark.from_actor) | (holder == mark.to_actor)
            where = inside & party
            if pd.notna(mark.place):
                where &= place == mark.place
            for i in np.flatnonzero(where):
                hits[i].append(str(mark.event_id))
        return [";".join(h) for h in hits]

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
        day0, day1 = self._day(d0, "d0"), self._day(d1, "d1")
        r0, r1 = self._rows([day0])[0], self._rows([day1])[0]
        side0, side1 = self.sides.on(day0), self.sides.on(day1)
        before = self._states.holder[r0, self._zone_cols]
        after = self._states.holder[r1, self._zone_cols]
        moved = np.flatnonzero(before != after)
        areas = self.zones["area_km2"].to_numpy()
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
                    "area_km2": float(areas[mask].sum()),
                    **(
                        {"population": float(self._population[0][mask].sum())}
                        if self.has_population
                        else {}
                    ),
                    "zones": len(mask),
                    "places": ";".join(self.zones.index[mask]),
                    "geometry": self._union(mask),
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
    @cached_property
    def _population(self) -> tuple[np.ndarray, float]:
        if self.population_raster is not None:
            people = raster_population(self.zones, self.population_raster)
            return people.to_numpy(dtype=float), 1.0
        if self.townships is None:
            raise TerritoryError(
                "measure: 'population' needs townships (census totals are per township) "
                "or population_raster; pass one to ControlTimeline"
            )
        people, coverage = census_population(
            self.zones.attrs["pieces"].dropna(subset=["ts_pcode"]),
            self.dataset.population,
            list(self.zones.index),
        )
        return people.to_numpy(dtype=float), coverage

    def _weights(self, measure: str) -> tuple[np.ndarray, np.ndarray]:
        """(place columns, weight per column) for a measure."""
        if measure == "area_km2":
            return self._zone_cols, self.zones["area_km2"].to_numpy(dtype=float)
        if measure == "population":
            return self._zone_cols, self._population[0]
        if measure == "places":
            return np.arange(len(self.place_ids)), np.ones(len(self.place_ids))
        if measure == "townships":
            places = self._seats["place"]
            return np.array([self._place_pos[p] for p in places]), np.ones(len(places))
        raise TerritoryError(
            f"measure: {measure!r} is not valid; expected one of {list(MEASURES)}"
        )

    def _table(self, states: _States, by: str, measure: str) -> np.ndarray:
        """Measure per distinct state and group: shape (states, groups)."""
        columns, weights = self._weights(measure)
        n_groups = len(self.actor_ids) if by == "actor" else len(self.side_ids)
        n_days = len(states.days)
        out = np.empty((n_days, n_groups))
        # A few hundred states at a time: the same sums in the same order as one
        # bincount over every state, without the full-size temporaries.
        chunk = _TABLE_CHUNK
        tiled = np.tile(weights, min(chunk, n_days))
        side_codes = self.sides.codes(states.days) if by == "side" else None
        for first in range(0, n_days, chunk):
            codes = states.holder[first : first + chunk, columns]
            if side_codes is not None:
                codes = np.take_along_axis(side_codes[first : first + chunk], codes, axis=1)
            rows = len(codes)
            offsets = codes + (np.arange(rows) * n_groups)[:, None]
            out[first : first + rows] = np.bincount(
                offsets.ravel(), weights=tiled[: offsets.size], minlength=rows * n_groups
            ).reshape(rows, n_groups)
        return out

    def series(
        self,
        start: Any = None,
        end: Any = None,
        freq: str = "D",
        *,
        by: str = "side",
        measure: str = "area_km2",
        bounds: bool = False,
    ) -> pd.DataFrame:
        """A measure of each side's or actor's holdings over time.

        Parameters
        ----------
        start, end : date-like, optional
            Default: the baseline and the as-of date.
        freq : str, default "D"
            A pandas frequency for :func:`pandas.date_range`.
        by : {"side", "actor"}
        measure : {"area_km2", "population", "places", "townships"}
            Ground in km² (nearest-place zones); people (needs townships or a
            population raster); places held (every place of the dataset,
            points included); townships held (needs townships).
        bounds : bool, default False
            Add low and high bands from the events' date uncertainty (see the
            module docs).  The columns then have two levels: band
            (``value``, ``low``, ``high``) and side or actor.

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
            raise TerritoryError(f"by: {by!r} is not valid; expected 'actor' or 'side'")
        if measure not in MEASURES:
            raise TerritoryError(
                f"measure: {measure!r} is not valid; expected one of {list(MEASURES)}"
            )
        first = self._day(self.baseline_date if start is None else start, "start")
        last = self._day(self.as_of if end is None else end, "end")
        dates = day_range(first, last, freq, self.baseline_date, self.as_of)
        labels = self.actor_ids if by == "actor" else self.side_ids
        key = (by, measure)
        if key not in self._tables:
            self._tables[key] = self._table(self._states, by, measure)
        value = self._tables[key][self._rows(dates)]
        frame = pd.DataFrame(value, index=dates, columns=pd.Index(labels, name=by))
        if bounds:
            low, high = self._bands(dates, by, measure)
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
            frame.attrs["population_coverage"] = self._population[1]
        return frame

    def _bands(
        self, dates: pd.DatetimeIndex, by: str, measure: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """Low and high bands: for each group, a log shifted against and for it."""
        labels = self.actor_ids if by == "actor" else self.side_ids
        low = np.empty((len(dates), len(labels)))
        high = np.empty((len(dates), len(labels)))
        events = self.events
        spread = pd.to_timedelta(events["date_uncertainty_days"].fillna(0).astype(int), unit="D")
        uncertain = (spread > pd.Timedelta(0)) & events["kind"].isin(_HOLDER_CHANGING)
        if by == "actor":
            gets, loses = events["to_actor"], events["from_actor"]
        else:  # each actor's side on the event's day
            gets = self.sides.lookup(events["to_actor"], events["date"])
            loses = self.sides.lookup(events["from_actor"], events["date"])
        earliest = self.baseline_date + pd.Timedelta(days=1)
        early = (events["date"] - spread).clip(lower=earliest)
        late = events["date"] + spread
        for g, label in enumerate(labels):
            gain = uncertain & (gets == label) & (loses != label)
            loss = uncertain & (loses == label) & (gets != label)
            if not (gain | loss).any():
                column = self._tables[(by, measure)][self._rows(dates), g]
                low[:, g] = high[:, g] = column
                continue
            for target, gain_to, loss_to in ((low, late, early), (high, early, late)):
                shifted = events.assign(
                    date=events["date"].where(~gain, gain_to).where(~loss, loss_to)
                )
                states = self._replay(shifted)
                target[:, g] = self._table(states, by, measure)[self._rows(dates, states), g]
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
        events = self.events.loc[self.events["kind"].isin(_HOLDER_CHANGING)].copy()
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

    def __repr__(self) -> str:
        known = f", known by {self.known_by.date()}" if self.known_by is not None else ""
        return (
            f"<ControlTimeline {self.dataset.name!r}: {len(self.place_ids)} places, "
            f"{len(self._states.days)} distinct states, {self.baseline_date.date()} to "
            f"{self.as_of.date()}{known}>"
        )
