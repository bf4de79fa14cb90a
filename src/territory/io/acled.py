"""ACLED exports turned into candidate events, for a person to review.

ACLED (the Armed Conflict Location & Event Data Project) codes changes of
territorial control directly, in three sub-event types.  :func:`read_acled`
turns the rows of those types in an ACLED CSV export into candidate rows of a
dataset's ``events/events.csv``; :func:`write_review` writes them as a review
CSV; a person marks the rows to take (``accept`` = ``yes``) and
:func:`accept_review` merges exactly those into the log.  Nothing reaches
the log without that step.

How ACLED's codebook is read
----------------------------
``sub_event_type``
    ``Non-state actor overtakes territory`` and ``Government regains
    territory`` become ``capture``; ``Non-violent transfer of territory``
    becomes ``handover``.  Every other sub-event type is ignored (counted in
    ``attrs["ignored"]``).
gainer and loser
    ACLED codes the actor that takes the ground as ``actor1``: it is
    ``to_actor``.  The loser (``from_actor``) is the holder the log gives the
    place the day before, with the earlier candidates applied; ACLED's
    ``actor2``, when given, is compared with it and a disagreement is listed
    in ``problems`` (the log's holder is kept, so that the chain holds).
``time_precision``
    1 (the day is known) → ``date_uncertainty_days`` 0; 2 (only the week) →
    7; 3 (only the month) → 30.  ACLED then codes a day inside the week or
    month; a full week or month either side covers wherever that day lies.
``geo_precision``
    1 (the town itself) → confidence ``high``; 2 (near it, or a part of a
    region) → ``medium``; 3 (only a larger region) → ``low``.
``event_id_cnty``
    Kept as the event id ``acled_<event_id_cnty>``, so that a later export
    re-syncs: a row already in the log is ``unchanged`` or ``changed``, and a
    logged ACLED event missing from the new export is listed as ``deleted``.
    When an export holds one id twice, the row with the newest ``timestamp``
    is the candidate and the others are listed as ``duplicate``.
actor names
    ACLED's actor names differ from a dataset's ids; a mapping CSV with
    columns ``acled_actor`` and ``actor`` translates them.  An unmapped name
    is listed as a problem.
places
    ``location`` is matched by name against each place's name and alt names
    (case, accents and punctuation ignored); failing that, the nearest place
    within ``max_distance_km`` whose ``township`` is one of the row's
    ``admin1``/``admin2``/``admin3``.  Distances are in the dataset's
    equal-area CRS.  Rows that match nothing are ``unmatched``.

ACLED's ``notes`` are not copied (facts carry over, sentences do not); the
``source`` cell names ACLED, the event id, the day ACLED last coded it and
the sources ACLED names.

Examples
--------
>>> TIME_PRECISION_DAYS[2], GEO_PRECISION_CONFIDENCE[3]
(7, 'low')
"""

from __future__ import annotations

import csv
import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.dataset import Dataset, load_dataset, validate
from territory.errors import DataError, DataProblem, TerritoryError
from territory.schema import SPECS

__all__ = [
    "ACLED_COLUMNS",
    "GEO_PRECISION_CONFIDENCE",
    "REVIEW_COLUMNS",
    "TERRITORIAL_SUB_EVENTS",
    "TIME_PRECISION_DAYS",
    "accept_review",
    "read_acled",
    "write_review",
]

#: The columns of an ACLED export since the March 2023 layout, in order.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: The columns the importer reads (an export may carry others, or fewer of the rest).
_NEEDED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "timestamp",
)
#: ACLED's territorial sub-event types and the event kind each becomes.
TERRITORIAL_SUB_EVENTS = {
    "Non-state actor overtakes territory": "capture",
    "Government regains territory": "capture",
    "Non-violent transfer of territory": "handover",
}
#: ACLED time_precision → date_uncertainty_days.
TIME_PRECISION_DAYS = {1: 0, 2: 7, 3: 30}
#: ACLED geo_precision → confidence.
GEO_PRECISION_CONFIDENCE = {1: "high", 2: "medium", 3: "low"}
#: What a review row holds before the events.csv columns.
_REVIEW_HEAD = (
    "review_status",
    "accept",
    "problems",
    "acled_event_id",
    "acled_sub_event_type",
    "acled_actor1",
    "acled_actor2",
    "acled_location",
    "acled_admin",
    "match",
    "distance_km",
)
#: The review CSV's columns: review columns, then events.csv's.
REVIEW_COLUMNS = _REVIEW_HEAD + tuple(SPECS["events"].names)
#: Review statuses whose rows may be accepted.
_ACCEPTABLE = ("new", "changed", "deleted")
_YES = ("yes", "y", "true", "1", "x")
_ID_PREFIX = "acled_"


def _key(text: object) -> str:
    """A name folded for matching: no accents, case or punctuation."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.casefold())


def _date(text: str) -> pd.Timestamp | None:
    """An ACLED event_date: ISO (``2024-01-15``) or written out (``15 January 2024``)."""
    for form in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return pd.Timestamp(pd.to_datetime(text, format=form))
        except (ValueError, TypeError):
            continue
    return None


def _read_export(path: Path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise DataError(f"cannot be read as a UTF-8 CSV: {e}", file=str(path)) from None
    missing = [c for c in _NEEDED if c not in raw.columns]
    if missing:
        raise DataError(
            f"missing ACLED column(s) {missing}; expected an ACLED export with {list(ACLED_COLUMNS)}",
            file=str(path),
        )
    return raw.assign(_row=range(2, len(raw) + 2))


def _read_actor_map(path: Path, actor_ids: Iterable[str]) -> dict[str, str]:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise DataError(f"cannot be read as a UTF-8 CSV: {e}", file=str(path)) from None
    if not {"acled_actor", "actor"} <= set(frame.columns):
        raise DataError(
            f"expected columns 'acled_actor' and 'actor', got {list(frame.columns)}",
            file=str(path),
        )
    known = set(actor_ids)
    problems = [
        DataProblem(str(path), row, "actor", f"unknown actor id {actor!r} of the dataset")
        for row, actor in zip(range(2, len(frame) + 2), frame["actor"], strict=True)
        if actor not in known
    ]
    if problems:
        raise DataError(problems)
    return {
        name.strip(): actor.strip()
        for name, actor in zip(frame["acled_actor"], frame["actor"], strict=True)
    }


class _Places:
    """Places of a dataset, found by name or by distance within an admin unit."""

    def __init__(self, ds: Dataset, max_distance_km: float) -> None:
        self.places = ds.places
        self.crs = ds.equal_area_crs
        self.max_m = max_distance_km * 1000
        self.by_name: dict[str, list[str]] = {}
        for pid, name, alts in zip(
            ds.places.index, ds.places["name"], ds.places["alt_names"], strict=True
        ):
            for label in [name, *(alts or [])]:
                self.by_name.setdefault(_key(label), []).append(str(pid))
        self.admin = {str(p): _key(t) for p, t in ds.places["township"].items()}
        self.projected = ds.places.geometry.to_crs(self.crs)

    def find(
        self, location: str, admins: list[str], lon: float, lat: float
    ) -> tuple[str | None, str, float | None]:
        """(place id or None, how it matched, distance in km or None)."""
        located = np.isfinite(lon) and np.isfinite(lat)
        distances = (
            self.projected.distance(
                gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs="EPSG:4326")
                .to_crs(self.crs)
                .iloc[0]
            )
            if located
            else None
        )
        keys = {_key(a) for a in admins if a}

        def km(pid: str) -> float | None:
            return None if distances is None else round(float(distances[pid]) / 1000, 2)

        named = self.by_name.get(_key(location), [])
        if named:
            named = sorted(
                dict.fromkeys(named),
                key=lambda p: (self.admin[p] not in keys, km(p) if located else 0.0),
            )
            return named[0], "name", km(named[0])
        if distances is None:
            return None, "none", None
        inside = [p for p in self.places.index if self.admin[str(p)] in keys]
        near = [p for p in inside if distances[p] <= self.max_m]
        if not near:
            return None, "none", None
        best = str(min(near, key=lambda p: distances[p]))
        return best, "distance", km(best)


def read_acled(
    export: str | Path,
    actors: str | Path,
    places: str | Path | Dataset,
    *,
    max_distance_km: float = 10.0,
) -> pd.DataFrame:
    """Candidate events from an ACLED export, as a review table.

    Parameters
    ----------
    export : str or Path
        An ACLED CSV export (any subset of countries and dates).
    actors : str or Path
        The actor-name map: a CSV with ``acled_actor`` (ACLED's name, as in
        ``actor1``/``actor2``) and ``actor`` (the dataset's actor id).
    places : str, Path or Dataset
        The dataset (or its directory) whose places, log and CRS are used.
    max_distance_km : float, default 10
        How far from ACLED's coordinates a place may lie, within the same
        admin unit, when no name matches.

    Returns
    -------
    pandas.DataFrame
        :data:`REVIEW_COLUMNS`, one row per candidate (and per logged ACLED
        event the export no longer has), in date order.  ``review_status``
        is ``new``, ``changed``, ``unchanged``, ``deleted``, ``duplicate``,
        ``no_change`` (the log already gives the place to the gainer),
        ``unmatched`` or ``invalid``; ``problems`` says what needs a look.
        ``attrs`` holds ``ignored`` (rows of other sub-event types) and
        ``unmatched`` (ACLED locations no place matched).

    Raises
    ------
    DataError
        When a file cannot be read, lacks ACLED's columns, or the actor map
        names an actor the dataset does not have.
    """
    ds = places if isinstance(places, Dataset) else load_dataset(places)
    raw = _read_export(Path(export))
    actor_map = _read_actor_map(Path(actors), ds.actors.index.astype(str))
    finder = _Places(ds, max_distance_km)
    territorial = raw["sub_event_type"].isin(TERRITORIAL_SUB_EVENTS)
    ignored = int((~territorial).sum())
    rows = raw.loc[territorial].copy()
    rows["_stamp"] = pd.to_numeric(rows["timestamp"], errors="coerce").fillna(-1)
    newest = rows.sort_values(["_stamp", "_row"]).groupby("event_id_cnty").tail(1).index
    logged = ds.events.loc[ds.events["event_id"].astype(str).str.startswith(_ID_PREFIX)]
    # The log without its ACLED events: the holder before each candidate comes
    # from it plus the earlier candidates.
    from territory.timeline import ControlTimeline

    base = dataclasses.replace(ds, events=ds.events.drop(logged.index).reset_index(drop=True))
    timeline = ControlTimeline(base)
    out: list[dict[str, Any]] = []
    for _, r in rows.iterrows():
        out.append(_candidate(r, r.name not in newest, ds, actor_map, finder))
    out.sort(key=lambda c: (str(c["date"]), c["acled_event_id"], c["review_status"]))
    overlay: dict[str, list[tuple[pd.Timestamp, str]]] = {}
    for c in out:
        if c["review_status"] != "ok":
            continue
        day = pd.Timestamp(c["date"])
        if day <= ds.baseline_date or day > ds.as_of:
            c["review_status"] = "invalid"
            c["problems"].append(
                f"date {day.date()} is outside the dataset's ({ds.baseline_date.date()}, "
                f"{ds.as_of.date()}]"
            )
            continue
        earlier = [h for d, h in overlay.get(c["place"], []) if d < day]
        holder = (
            earlier[-1] if earlier else timeline.holder(c["place"], day - pd.Timedelta(days=1))
        )
        stated = c.pop("_loser")
        if stated is not None and stated != holder:
            c["problems"].append(
                f"ACLED names {c['acled_actor2']!r} ({stated}) as the loser; the log has "
                f"{holder} holding {c['place']}: check before accepting"
            )
        c["from_actor"] = holder
        c["review_status"] = "new"
        if holder == c["to_actor"]:  # most often an event the log has from other sources
            c["review_status"] = "no_change"
            c["problems"].append(f"the log already gives {c['place']} to {holder}: no change")
            continue
        overlay.setdefault(c["place"], []).append((day, c["to_actor"]))
    for c in out:
        c.pop("_loser", None)
    by_id = logged.set_index("event_id")
    compared = [c for c in out if c["review_status"] == "new" and c["event_id"] in by_id.index]
    for c in compared:
        old = by_id.loc[c["event_id"]]
        fields = ("date", "date_uncertainty_days", "place", "from_actor", "to_actor", "kind")
        differ = [f for f in fields if str(_plain(old[f])) != str(_plain(c[f]))]
        c["review_status"] = "changed" if differ else "unchanged"
        if differ:
            c["problems"].append(f"ACLED changed {', '.join(differ)} since the log took it")
    seen = {c["event_id"] for c in out}
    for event_id, old in by_id.iterrows():
        if event_id in seen:
            continue
        row = {column: _plain(old.get(column)) for column in SPECS["events"].names}
        row["event_id"] = event_id
        out.append(
            {
                **dict.fromkeys(_REVIEW_HEAD, ""),
                **row,
                "review_status": "deleted",
                "acled_event_id": str(event_id)[len(_ID_PREFIX) :],
                "problems": ["in the log but not in this export: ACLED deleted or re-coded it"],
            }
        )
    frame = pd.DataFrame(out, columns=list(REVIEW_COLUMNS))
    frame["problems"] = frame["problems"].map(lambda p: "; ".join(p) if isinstance(p, list) else p)
    frame["accept"] = ""
    frame = frame.reset_index(drop=True)
    frame.attrs = {
        "ignored": ignored,
        "unmatched": sorted(
            set(frame.loc[frame["review_status"] == "unmatched", "acled_location"])
        ),
    }
    return frame


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return ""
    return value


def _candidate(
    r: pd.Series, duplicate: bool, ds: Dataset, actor_map: dict[str, str], finder: _Places
) -> dict[str, Any]:
    problems: list[str] = []
    admins = [r["admin1"], r["admin2"], r["admin3"]]
    lon = pd.to_numeric(r["longitude"], errors="coerce")
    lat = pd.to_numeric(r["latitude"], errors="coerce")
    place, how, km = finder.find(r["location"], admins, float(lon), float(lat))
    if how == "name" and km is not None and km * 1000 > finder.max_m:
        problems_far = [
            f"the name matches {place!r}, but it lies {km:.0f} km from ACLED's point: check"
        ]
    else:
        problems_far = []
    day = _date(r["event_date"])
    time_precision = pd.to_numeric(r["time_precision"], errors="coerce")
    geo_precision = pd.to_numeric(r["geo_precision"], errors="coerce")
    status = "ok"
    if day is None:
        problems.append(f"row {r['_row']}: event_date {r['event_date']!r} is not a date")
    if time_precision not in TIME_PRECISION_DAYS:
        problems.append(f"time_precision {r['time_precision']!r} is not 1, 2 or 3")
    if geo_precision not in GEO_PRECISION_CONFIDENCE:
        problems.append(f"geo_precision {r['geo_precision']!r} is not 1, 2 or 3")
    gainer = actor_map.get(r["actor1"].strip())
    if gainer is None:
        problems.append(f"unknown ACLED actor {r['actor1']!r}: add it to the actor map")
    loser = actor_map.get(r["actor2"].strip()) if r["actor2"].strip() else None
    if r["actor2"].strip() and loser is None:
        problems.append(f"unknown ACLED actor {r['actor2']!r} (actor2): add it to the actor map")
    if problems:
        status = "invalid"
    problems += problems_far  # worth a look, but no reason to refuse the row
    if place is None:
        status = "unmatched"
        problems.append(
            f"no place matches {r['location']!r} by name, nor lies within the distance limit "
            f"in {', '.join(a for a in admins if a) or 'its admin units'}"
        )
    if duplicate:
        status = "duplicate"
        problems.append(
            f"event_id_cnty {r['event_id_cnty']} appears more than once; the row with the "
            "newest timestamp is the candidate"
        )
    stamp = pd.to_numeric(r["timestamp"], errors="coerce")
    coded = pd.Timestamp(int(stamp), unit="s").date().isoformat() if pd.notna(stamp) else "undated"
    sources = f"; ACLED's sources: {r['source']}" if r["source"].strip() else ""
    return {
        "review_status": status,
        "accept": "",
        "problems": problems,
        "acled_event_id": r["event_id_cnty"],
        "acled_sub_event_type": r["sub_event_type"],
        "acled_actor1": r["actor1"],
        "acled_actor2": r["actor2"],
        "acled_location": r["location"],
        "acled_admin": " / ".join(a for a in admins if a),
        "match": how,
        "distance_km": "" if km is None else km,
        "event_id": f"{_ID_PREFIX}{r['event_id_cnty']}",
        "date": "" if day is None else day.date().isoformat(),
        "date_uncertainty_days": TIME_PRECISION_DAYS.get(int(time_precision), "")
        if pd.notna(time_precision)
        else "",
        "reported": "",
        "place": place or "",
        "from_actor": "",
        "to_actor": gainer or "",
        "kind": TERRITORIAL_SUB_EVENTS[r["sub_event_type"]],
        "confidence": GEO_PRECISION_CONFIDENCE.get(int(geo_precision), "")
        if pd.notna(geo_precision)
        else "",
        "source": f"ACLED, event {r['event_id_cnty']}, coded {coded}{sources}",
        "note": (
            f"from ACLED ({r['sub_event_type']}; time_precision {r['time_precision']}, "
            f"geo_precision {r['geo_precision']})"
        ),
        "_loser": loser,
    }


def write_review(review: pd.DataFrame, path: str | Path) -> Path:
    """Write a review table as CSV (UTF-8), checked before it replaces ``path``.

    Parameters
    ----------
    review : pandas.DataFrame
        From :func:`read_acled`.
    path : str or Path

    Returns
    -------
    Path
    """
    from territory.export.atomic import atomic_path

    target = Path(path)
    with atomic_path(target) as tmp:
        review.to_csv(tmp, index=False, columns=list(REVIEW_COLUMNS), quoting=csv.QUOTE_MINIMAL)
        back = pd.read_csv(tmp, dtype=str, keep_default_na=False)
        if len(back) != len(review) or tuple(back.columns) != REVIEW_COLUMNS:
            raise TerritoryError(f"{target}: the review CSV did not read back whole")
    return target


def accept_review(review: str | Path, dataset: str | Path) -> list[DataProblem]:
    """Merge the accepted rows of a review CSV into a dataset's events.csv.

    A row is accepted when its ``accept`` cell is ``yes`` (or ``y``, ``x``,
    ``true``, ``1``).  ``new`` and ``changed`` rows are written into the log
    (a changed row replaces the row of the same ``event_id``); ``deleted``
    rows are removed from it.  Accepting a row of any other status is an
    error, and nothing is written then.

    Parameters
    ----------
    review : str or Path
        A review CSV from :func:`write_review`, edited by a person.
    dataset : str or Path
        The dataset directory whose ``events/events.csv`` is updated.

    Returns
    -------
    list of DataProblem
        :func:`territory.validate` of the dataset afterwards (empty when it
        validates).

    Raises
    ------
    DataError
        When an accepted row cannot be accepted; every such row is named.
    """
    from territory.export.atomic import atomic_path

    review_path, root = Path(review), Path(dataset)
    table = pd.read_csv(review_path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in REVIEW_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"missing review column(s) {missing}", file=str(review_path))
    accepted = table.loc[table["accept"].str.strip().str.lower().isin(_YES)]
    bad = [
        DataProblem(
            str(review_path),
            position + 2,
            "accept",
            f"a row with review_status {status!r} cannot be accepted; "
            f"only {list(_ACCEPTABLE)} rows can",
        )
        for position, status in zip(
            accepted.index.to_numpy(dtype=int), accepted["review_status"], strict=True
        )
        if status not in _ACCEPTABLE
    ]
    if bad:
        raise DataError(bad)
    events_path = root / SPECS["events"].path
    names = SPECS["events"].names
    log = pd.read_csv(events_path, dtype=str, keep_default_na=False, encoding="utf-8")
    drop = set(accepted["event_id"])
    kept = log.loc[~log["event_id"].isin(drop)]
    added = accepted.loc[accepted["review_status"] != "deleted", names]
    merged = pd.concat([kept, added], ignore_index=True)
    with atomic_path(events_path) as tmp:
        merged.to_csv(
            tmp, index=False, columns=[*names, *[c for c in log.columns if c not in names]]
        )
        back = pd.read_csv(tmp, dtype=str, keep_default_na=False)
        if len(back) != len(merged):
            raise TerritoryError(f"{events_path}: the merged log did not read back whole")
    return validate(root)
