"""Load, validate and hold a territory dataset.

A dataset is a directory laid out as ``docs/data.md`` describes (the embedded
Shan State one ships as ``territory/data``).  :func:`load_dataset` parses every
file, checks every rule of :mod:`territory.schema` plus the rules that span
files, and either returns a :class:`Dataset` or raises one :class:`DataError`
listing every problem, each with its file, row, column and what is wrong.
:func:`validate` returns the same problems without raising.

Examples
--------
>>> ds = load_shan()
>>> ds.baseline_date.date().isoformat()
'2023-10-26'
>>> ds.places.crs.to_epsg()
4326
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from territory.claims import PartyOutlet, check_claims, parse_source_rules
from territory.crs import WGS84, check_equal_area, study_area_crs
from territory.errors import DataError, DataProblem, Severity
from territory.schema import HOLDER_CHANGING_KINDS, SPECS, Column, TableSpec
from territory.sides import RESERVED_SIDES, SHAN_SIDES, SideHistory, SideVocabulary, parse_sides
from territory.story import HeadlineDate, parse_headline
from territory.townships import TOWNSHIPS_FILE, key_townships

__all__ = [
    "Dataset",
    "embedded_data_path",
    "load_dataset",
    "load_shan",
    "read_townships",
    "validate",
]

#: The default road origin of the trade share, when the dataset has this place.
DEFAULT_ORIGIN = "mandalay"
#: A crossing must lie this close to an international border line.
CROSSING_MAX_BORDER_DISTANCE_KM = 15.0
#: A place further than this outside the country outline is an error.
NEIGHBOURHOOD_KM = 100.0

_SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_ACTOR_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_BOUNDARIES = {
    "state": "boundaries/state.geojson",
    "country": "boundaries/country.geojson",
    "borders": "boundaries/international_borders.geojson",
}
_NEIGHBOURS = "boundaries/neighbours.geojson"
#: The geometry types each boundary file may hold.
_BOUNDARY_GEOMETRIES = {
    "state": ("Polygon", "MultiPolygon"),
    "country": ("Polygon", "MultiPolygon"),
    "borders": ("LineString", "MultiLineString"),
    "neighbours": ("Polygon", "MultiPolygon"),
    "townships": ("Polygon", "MultiPolygon"),
}
#: An event date cannot be uncertain by more than this (ten years).
MAX_DATE_UNCERTAINTY_DAYS = 3653
_INT64_MAX = 2**63 - 1
LOG = logging.getLogger("territory")
#: Older names still accepted when the new one is absent.
_LEGACY_NAMES = {"boundaries/country.geojson": "boundaries/myanmar.geojson"}


@dataclass(frozen=True)
class Dataset:
    """Every table of one dataset, parsed, validated and in EPSG:4326.

    Attributes
    ----------
    name : str
        A human name, from ``dataset.json``.
    path : Path
        The dataset directory.
    baseline_date : pandas.Timestamp
        The day the baseline describes.  Events start the day after.
    as_of : pandas.Timestamp
        The last day the data speaks for; open intervals hold to here.
    places : geopandas.GeoDataFrame
        ``places.csv`` with Point geometry, indexed by place id (also column
        ``id``); ``alt_names`` is a list of str, ``official`` a nullable bool.
    actors : pandas.DataFrame
        ``actors.csv`` indexed by actor id (also column ``id``).
    baseline : pandas.DataFrame
        ``baseline.csv``: place, holder, confidence, source, note.
    events : pandas.DataFrame
        ``events.csv`` sorted by (date, event_id) with a fresh RangeIndex and a
        column ``row``, the event's row in the file.  ``reported`` is filled
        with ``date`` where the file leaves it empty.
    routes : pandas.DataFrame
        ``routes.csv``; ``places`` is a list of place ids.
    trade : pandas.DataFrame
        ``border_trade.csv``; ``period_start``/``period_end`` are dates.
    population : pandas.DataFrame
        ``township_population.csv`` (empty when the dataset has none).
    state, country, borders : geopandas.GeoDataFrame
        The study area, the country outline and the international border lines.
    neighbours : geopandas.GeoDataFrame or None
        Neighbouring countries, for context maps.
    townships : geopandas.GeoDataFrame or None
        The dataset's own township polygons (``boundaries/townships.geojson``,
        see :mod:`territory.townships`), indexed by ``TS_PCODE``; None when it
        has none.
    attributions : tuple of str
        Credits that every map and layer drawn from this dataset must show
        (the township polygons' licence requires one).
    origin : str or None
        The place the incumbent's roads start from, for road reach in the
        trade share: ``origin`` in ``dataset.json``, else
        :data:`DEFAULT_ORIGIN` (the embedded dataset's) when the dataset has
        that place, else None.
    gate_events : pandas.DataFrame or None
        ``trade/gate_events.csv`` (closures, shared control, road cuts; see
        :mod:`territory.trade_gates`); None or empty when the dataset has none.
    claims : pandas.DataFrame or None
        ``claims.csv``, one row per source per claim (empty when the dataset
        has none); see :mod:`territory.claims`.
    publication_aliases : dict of str to str
        dataset.json ``publication_aliases``: spellings of one publication
        (lower-cased) to its name, for :func:`territory.claims.publication_of`;
        empty when the dataset lists none.
    party_outlets : tuple of PartyOutlet
        dataset.json ``party_outlets``: the patterns that mark a source as a
        party's, for :func:`territory.claims.party_of`; empty when none.
    headline_dates : tuple of HeadlineDate
        dataset.json ``headline_dates``: the days ``territory demo``
        summarises, each with a label and its source; empty when none (the
        demo then takes the baseline, the middle and the as-of date).
    headline_map_date : pandas.Timestamp or None
        dataset.json ``headline_map_date``: the day of the demo's static map
        (None: the as-of date).
    rollup_region : str or None
        dataset.json ``rollup_region``: the region (township ``ST``) the
        demo's township roll-up counts; None counts every township.
    """

    name: str
    path: Path
    baseline_date: pd.Timestamp
    as_of: pd.Timestamp
    places: gpd.GeoDataFrame
    actors: pd.DataFrame
    baseline: pd.DataFrame
    events: pd.DataFrame
    routes: pd.DataFrame
    trade: pd.DataFrame
    population: pd.DataFrame
    state: gpd.GeoDataFrame
    country: gpd.GeoDataFrame
    borders: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame | None = None
    origin: str | None = DEFAULT_ORIGIN
    gate_events: pd.DataFrame | None = None
    claims: pd.DataFrame | None = None
    townships: gpd.GeoDataFrame | None = None
    attributions: tuple[str, ...] = ()
    #: ``equal_area_crs`` from dataset.json, or None to fit one to the study area.
    projection: str | None = None
    #: The side vocabulary (dataset.json ``sides``; default the Shan one).
    sides: SideVocabulary = SHAN_SIDES
    #: ``events/actor_sides.csv``: sides over time (empty or None: actors.csv's sides).
    actor_sides: pd.DataFrame | None = None
    publication_aliases: dict[str, str] = field(default_factory=dict)
    party_outlets: tuple[PartyOutlet, ...] = ()
    headline_dates: tuple[HeadlineDate, ...] = ()
    headline_map_date: pd.Timestamp | None = None
    rollup_region: str | None = None

    def side_history(self, actor_ids: Sequence[str] | None = None) -> SideHistory:
        """Which side each actor is on, day by day (see :mod:`territory.sides`).

        Examples
        --------
        >>> load_shan().side_history().side("SAC", "2024-01-01")
        'junta'
        """
        return SideHistory(self.actors, self.actor_sides, actor_ids)

    @property
    def equal_area_crs(self) -> str:
        """The CRS of every area and distance: dataset.json's, else fitted to the study area.

        See :func:`territory.crs.study_area_crs`.

        Examples
        --------
        >>> load_shan().equal_area_crs.split()[:2]
        ['+proj=aea', '+lat_0=19']
        """
        return self.projection or study_area_crs(self.state)

    def __repr__(self) -> str:
        return (
            f"<Dataset {self.name!r}: {len(self.places)} places, {len(self.actors)} actors, "
            f"{len(self.events)} events, {self.baseline_date.date()} to {self.as_of.date()}>"
        )


def embedded_data_path() -> Path:
    """The directory of the embedded Shan State dataset.

    Inside an installed wheel it is ``territory/data``; in a source checkout
    (an editable install) it is the repository's ``data/``.

    Examples
    --------
    >>> (embedded_data_path() / "dataset.json").is_file()
    True
    """
    packaged = Path(str(resources.files("territory"))) / "data"
    if (packaged / "dataset.json").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def load_shan() -> Dataset:
    """Load the embedded Shan State dataset.

    Examples
    --------
    >>> ds = load_shan()
    >>> "MNDAA" in ds.actors.index
    True
    """
    return load_dataset(embedded_data_path())


def load_dataset(path: str | Path) -> Dataset:
    """Load and validate a dataset directory laid out as ``docs/data.md`` says.

    Parameters
    ----------
    path : str or Path
        The dataset directory (it holds ``dataset.json``).

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        Listing every problem found, each with file, row and column.

    Examples
    --------
    >>> ds = load_dataset(embedded_data_path())
    >>> ds.events["date"].is_monotonic_increasing
    True
    """
    from territory.checks import check_path

    loader = _Loader(check_path("path", path))
    dataset = loader.load()
    errors = [p for p in loader.problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    for problem in loader.problems:
        LOG.info("%s", problem)
    assert dataset is not None
    return dataset


def validate(path: str | Path, *, strict: bool = False) -> list[DataProblem]:
    """Every problem in a dataset directory, or in a single CSV file.

    A directory is checked in full, across files: a file that is missing or
    unreadable stops only the checks that need it.  A single CSV named like
    one of the dataset's files (``events.csv``, ``places.csv`` …) is checked
    on its own: its columns, types and values, without cross-file rules.

    Parameters
    ----------
    path : str or Path
    strict : bool, default False
        Report warnings (suspicious but loadable data, such as a handover to
        the place's holder) as errors.

    Returns
    -------
    list of DataProblem
        Empty when the data is valid.  Each has a ``severity``: ``error``
        (:func:`load_dataset` refuses the data), ``warning`` or ``note``.

    Examples
    --------
    >>> validate(embedded_data_path())
    []
    """
    from territory.checks import check_bool, check_path

    path = check_path("path", path)
    check_bool("strict", strict)
    problems = _validate(path)
    if strict:
        return [
            DataProblem(p.file, p.row, p.column, p.message, "error")
            if p.severity == "warning"
            else p
            for p in problems
        ]
    return problems


def _validate(path: Path) -> list[DataProblem]:
    if path.is_dir():
        loader = _Loader(path)
        loader.load()
        return loader.problems
    spec = next((s for s in SPECS.values() if Path(s.path).name == path.name), None)
    if spec is None:
        known = ", ".join(sorted(Path(s.path).name for s in SPECS.values()))
        return [
            DataProblem(
                str(path),
                None,
                None,
                f"unknown file name; expected a directory or one of: {known}",
            )
        ]
    loader = _Loader(path.parent)
    loader.table(spec, file=path)
    return loader.problems


def read_townships(path: str | Path) -> gpd.GeoDataFrame:
    """Read township polygons from any file GDAL can read.

    The file must be in EPSG:4326 and hold the columns ``TS_PCODE`` (the
    township pcode) and ``TS`` (its name); ``DT`` and others are kept.  These
    are the column names of the townships layer of MIMU (the Myanmar
    Information Management Unit), which territory does not ship: download it
    there, or name the columns so in any other township layer.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``TS_PCODE``.

    Raises
    ------
    DataError
        When the file is missing, has no CRS or another CRS, lacks
        ``TS_PCODE`` or ``TS``, repeats a pcode or has invalid geometries.
    """
    from territory.checks import check_path

    path = check_path("path", path)
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"no such file: expected township polygons (TS_PCODE, TS) at {path}", file=path
        )
    frame = gpd.read_file(path)
    missing = [c for c in ("TS_PCODE", "TS") if c not in frame.columns]
    if missing:
        raise DataError(
            DataProblem(
                str(path),
                None,
                missing[0],
                f"missing column(s) {missing}; township polygons need TS_PCODE and TS "
                f"(found {sorted(c for c in frame.columns if c != 'geometry')})",
            )
        )
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        found = "none" if frame.crs is None else frame.crs.to_string()
        raise DataError(
            DataProblem(
                str(path), None, "geometry", f"CRS is {found}; expected EPSG:4326 (WGS84 lon/lat)"
            )
        )
    problems = []
    for row, pcode in _rows(frame.loc[frame["TS_PCODE"].duplicated(), "TS_PCODE"]):
        problems.append(DataProblem(str(path), row, "TS_PCODE", f"duplicate pcode {pcode!r}"))
    invalid = ~frame.geometry.is_valid | frame.geometry.isna()
    for row, pcode in _rows(frame.loc[invalid, "TS_PCODE"]):
        reason = shapely.is_valid_reason(frame.geometry.iloc[row - 2])
        problems.append(
            DataProblem(str(path), row, "geometry", f"invalid geometry for {pcode!r}: {reason}")
        )
    if problems:
        raise DataError(problems)
    return frame.set_index("TS_PCODE", drop=False).rename_axis(None)


def _exists(path: Path) -> bool:
    """True for a file, a directory or a symlink (even a broken one)."""
    return path.exists() or path.is_symlink()


def _rows(series: pd.Series) -> Iterable[tuple[int, object]]:
    """(spreadsheet row, value) pairs of a series indexed by position."""
    for position, value in zip(series.index, series, strict=True):
        yield int(position) + 2, value


class _Loader:
    """Reads one dataset directory, collecting problems instead of stopping."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[DataProblem] = []

    def problem(
        self,
        file: Path | str,
        row: int | None,
        column: str | None,
        message: str,
        severity: Severity = "error",
    ) -> None:
        self.problems.append(DataProblem(str(file), row, column, message, severity))

    # -- whole dataset -----------------------------------------------------
    def load(self) -> Dataset | None:
        meta_path = self.root / "dataset.json"
        if not self.root.is_dir():
            self.problem(self.root, None, None, "no such directory; expected a dataset directory")
            return None
        meta = self.metadata(meta_path)
        tables = {key: self.table(spec) for key, spec in SPECS.items()}
        shapes = {key: self.boundary(rel, key) for key, rel in _BOUNDARIES.items()}
        neighbours_path = self.root / _NEIGHBOURS
        neighbours = self.boundary(_NEIGHBOURS, "neighbours") if _exists(neighbours_path) else None
        # Each cross-file check runs when the files it needs were read.
        baseline_date, as_of = (meta[1], meta[2]) if meta is not None else (None, None)
        projection = self.projection(meta_path) if meta is not None else None
        headline = self.headline(meta_path, meta[1], meta[2]) if meta is not None else None
        state = shapes["state"]
        crs = projection or (study_area_crs(state) if state is not None else None)
        places = (
            self.places(tables["places"], shapes["country"], shapes["borders"], crs)
            if tables["places"] is not None and crs is not None
            else None
        )
        place_ids = places.index if places is not None else None
        actors = None
        if tables["actors"] is not None:
            actors = tables["actors"].set_index("id", drop=False).rename_axis(None)
            self.check_actors(actors)
        actor_ids = actors.index if actors is not None else None
        aliases, outlets = (
            self.source_rules(meta_path, actor_ids) if meta is not None else ({}, ())
        )
        self.check_references(tables, place_ids, actor_ids)
        if tables["baseline"] is not None and place_ids is not None:
            self.check_baseline(tables["baseline"], place_ids)
        events = None
        if tables["events"] is not None:
            events = self.events(tables["events"], tables["baseline"], baseline_date, as_of)
        if tables["trade"] is not None:
            self.check_trade(tables["trade"])
        origin = None
        if meta is not None and place_ids is not None:
            origin = meta[3]
            if origin is None:
                origin = DEFAULT_ORIGIN if DEFAULT_ORIGIN in place_ids else None
            elif origin not in place_ids:
                self.problem(
                    meta_path,
                    None,
                    "origin",
                    f"unknown place id {origin!r}; expected a place of places.csv",
                )
        read = {key: t for key, t in tables.items() if t is not None}
        if (
            meta is None
            or places is None
            or actors is None
            or events is None
            or len(read) < len(tables)
            or any(s is None for s in shapes.values())
            or (neighbours is None and _exists(neighbours_path))
        ):
            return None
        name, baseline_date, as_of, _ = meta
        vocabulary = self.vocabulary(meta_path)
        actor_sides = read["actor_sides"]
        self.check_sides(vocabulary, read["actors"], actor_sides)
        claims_file = str(self.root / SPECS["claims"].path)
        self.problems += check_claims(
            read["claims"], events["event_id"], actors.index, claims_file
        )
        townships = self.townships(read["population"])
        region = headline[2] if headline is not None else None
        regions = set(townships["ST"]) if townships is not None and "ST" in townships else None
        if region is not None and regions is not None and region not in regions:
            self.problem(
                meta_path,
                None,
                "rollup_region",
                f"{region!r} is not a region of {TOWNSHIPS_FILE}; expected one of "
                f"{sorted(regions)}",
            )
        return Dataset(
            name=name,
            path=self.root,
            baseline_date=baseline_date,
            as_of=as_of,
            places=places,
            actors=actors,
            baseline=read["baseline"].reset_index(drop=True),
            events=events,
            routes=read["routes"].reset_index(drop=True),
            trade=read["trade"].reset_index(drop=True),
            population=read["population"].reset_index(drop=True),
            state=shapes["state"],
            country=shapes["country"],
            borders=shapes["borders"],
            neighbours=neighbours,
            origin=origin,
            gate_events=tables["gate_events"],
            projection=projection,
            sides=vocabulary,
            actor_sides=tables["actor_sides"],
            claims=tables["claims"],
            townships=townships,
            attributions=self.attributions(meta_path),
            publication_aliases=aliases,
            party_outlets=outlets,
            headline_dates=headline[0] if headline is not None else (),
            headline_map_date=headline[1] if headline is not None else None,
            rollup_region=region,
        )

    def townships(self, population: pd.DataFrame) -> gpd.GeoDataFrame | None:
        """The dataset's own township polygons, when it ships them."""
        if not (self.root / TOWNSHIPS_FILE).is_file():
            return None
        frame = self.boundary(TOWNSHIPS_FILE, "townships")
        return None if frame is None else key_townships(frame, population)

    # -- reading files ---------------------------------------------------------
    def read_bytes(self, path: Path, what: str) -> bytes | None:
        """The bytes of a file that exists, or None with a problem (outside the folder, unreadable)."""
        try:
            inside = path.resolve().is_relative_to(self.root.resolve())
        except (OSError, RuntimeError) as error:  # a symlink loop
            self.problem(path, None, None, f"cannot be resolved ({error}); expected {what}")
            return None
        if not inside:
            self.problem(
                path,
                None,
                None,
                f"is a link to {str(path.resolve())!r}, outside the data folder "
                f"{str(self.root)!r}; copy the file into the folder instead",
            )
            return None
        try:
            return path.read_bytes()
        except PermissionError:
            self.problem(
                path, None, None, f"permission denied (make it readable); expected {what}"
            )
        except IsADirectoryError:
            self.problem(path, None, None, f"is a directory; expected {what}")
        except OSError as error:
            self.problem(path, None, None, f"cannot be read ({error.strerror}); expected {what}")
        return None

    def decode(self, path: Path, data: bytes, header: bool = True) -> str | None:
        """UTF-8 text (a BOM is dropped), or None with a problem naming the row and column."""
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
            line_start = data.rfind(b"\n", 0, error.start) + 1
            row = data.count(b"\n", 0, error.start) + 1
            prefix = data[max(line_start, start) : error.start].decode("utf-8", "replace")
            byte = data[error.start : error.start + 1]
            guess = byte.decode("cp1252", "replace")
            column = None
            if header and row > 1:
                first_line = data[start:].split(b"\n", 1)[0].rstrip(b"\r")
                try:
                    names = next(csv.reader([first_line.decode("utf-8", "replace")]), [])
                    cells = next(csv.reader([prefix.replace("\r", " ")]), [""])
                except csv.Error:  # a quote or line break the CSV reader will report
                    names, cells = [], [""]
                position = max(len(cells) - 1, 0)
                column = names[position].strip() if position < len(names) else None
            self.problem(
                path,
                row,
                column,
                f"byte 0x{byte.hex()} (a {guess!r} in Windows-1252) is not UTF-8: the file "
                "seems saved in another encoding; save it as UTF-8",
            )
            return None

    def read_json_text(self, path: Path, expected: str, missing: str) -> str | None:
        """The UTF-8 text of a JSON file, or None with a problem."""
        if not _exists(path):
            self.problem(path, None, None, f"{missing}; expected {expected}")
            return None
        data = self.read_bytes(path, expected)
        return self.decode(path, data, header=False) if data is not None else None

    def metadata(self, path: Path) -> tuple[str, pd.Timestamp, pd.Timestamp, str | None] | None:
        expected = "a JSON object with name, baseline_date and as_of"
        text = self.read_json_text(path, expected, "missing")
        if text is None:
            return None
        try:
            meta = json.loads(text)
        except json.JSONDecodeError as error:
            self.problem(
                path,
                None,
                None,
                f"not valid JSON: {error.msg} at line {error.lineno}, character {error.colno}",
            )
            return None
        if not isinstance(meta, dict):
            self.problem(
                path, None, None, f"holds a JSON {type(meta).__name__}; expected {expected}"
            )
            return None
        baseline_date, as_of = (
            _parse_date(meta.get("baseline_date")),
            _parse_date(meta.get("as_of")),
        )
        for key, day in (("baseline_date", baseline_date), ("as_of", as_of)):
            if day is None:
                self.problem(path, None, key, f"{meta.get(key)!r} is not an ISO date (YYYY-MM-DD)")
        if baseline_date is None or as_of is None:
            return None
        if as_of <= baseline_date:
            self.problem(path, None, "as_of", f"{as_of.date()} is not after baseline_date")
            return None
        origin = meta.get("origin")
        if origin is not None and not isinstance(origin, str):
            self.problem(path, None, "origin", f"{origin!r} is not a place id (a string)")
            origin = None
        return (
            str(meta.get("name", self.root.name)),
            baseline_date,
            as_of,
            origin,
        )

    def vocabulary(self, path: Path) -> SideVocabulary:
        """``sides`` of dataset.json (already parsed), checked; the Shan sides when absent."""
        vocabulary, problems = parse_sides(
            json.loads(path.read_text(encoding="utf-8")).get("sides")
        )
        for message in problems:
            self.problem(path, None, "sides", message)
        return vocabulary

    def check_sides(
        self, vocabulary: SideVocabulary, actors: pd.DataFrame, periods: pd.DataFrame
    ) -> None:
        expected = f"expected one of dataset.json's sides {list(vocabulary.ids)}"
        for spec, column, frame in (
            (SPECS["actors"], "side", actors),
            (SPECS["actor_sides"], "side", periods),
        ):
            for row, side in _rows(frame[column]):
                if side is not None and side not in vocabulary.ids + RESERVED_SIDES:
                    self.problem(self.root / spec.path, row, column, f"{side!r}: {expected}")
        path = self.root / SPECS["actor_sides"].path
        last_end: dict[str, tuple[int, pd.Timestamp | None]] = {}
        ordered = periods.assign(_row=periods.index.to_numpy() + 2).sort_values(
            ["actor", "valid_from"], kind="stable"
        )
        for actor, start, end, row in zip(
            ordered["actor"],
            ordered["valid_from"],
            ordered["valid_to"],
            ordered["_row"],
            strict=True,
        ):
            if pd.isna(start):
                continue
            if pd.notna(end) and end <= start:
                self.problem(path, row, "valid_to", f"{end.date()} is not after valid_from")
            previous = last_end.get(actor)
            if previous is not None and (previous[1] is None or start < previous[1]):
                self.problem(
                    path,
                    row,
                    "valid_from",
                    f"{actor}'s period from {start.date()} overlaps its period of row "
                    f"{previous[0]}; an actor is on one side at a time",
                )
            last_end[actor] = (row, None if pd.isna(end) else end)

    def attributions(self, path: Path) -> tuple[str, ...]:
        """``attributions`` of dataset.json (already parsed): the credits its data requires."""
        value = json.loads(path.read_text(encoding="utf-8")).get("attributions", [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(path, None, "attributions", f"{value!r}; expected a list of credit lines")
            return ()
        return tuple(value)

    def source_rules(
        self, path: Path, actor_ids: pd.Index | None
    ) -> tuple[dict[str, str], tuple[PartyOutlet, ...]]:
        """``publication_aliases`` and ``party_outlets`` of dataset.json (already parsed)."""
        meta = json.loads(path.read_text(encoding="utf-8"))
        aliases, outlets, problems = parse_source_rules(
            meta.get("publication_aliases"), meta.get("party_outlets"), actor_ids
        )
        for key, message in problems:
            self.problem(path, None, key, message)
        return aliases, outlets

    def headline(
        self, path: Path, baseline_date: pd.Timestamp, as_of: pd.Timestamp
    ) -> tuple[tuple[HeadlineDate, ...], pd.Timestamp | None, str | None]:
        """``headline_dates``, ``headline_map_date``, ``rollup_region`` of dataset.json."""
        meta = json.loads(path.read_text(encoding="utf-8"))
        dates, map_day, region, problems = parse_headline(meta, baseline_date, as_of)
        for key, message in problems:
            self.problem(path, None, key, message)
        return dates, map_day, region

    def projection(self, path: Path) -> str | None:
        """``equal_area_crs`` of dataset.json (already parsed), checked; None when absent."""
        value = json.loads(path.read_text(encoding="utf-8")).get("equal_area_crs")
        if value is None:
            return None
        try:
            return check_equal_area(str(value))
        except ValueError as error:
            self.problem(path, None, "equal_area_crs", str(error).split(": ", 1)[1])
            return None

    def boundary(self, relative: str, role: str) -> gpd.GeoDataFrame | None:
        path = self.root / relative
        legacy = _LEGACY_NAMES.get(relative)
        if legacy is not None and not _exists(path) and _exists(self.root / legacy):
            path = self.root / legacy
        kinds = _BOUNDARY_GEOMETRIES[role]
        expected = f"a GeoJSON FeatureCollection of {' or '.join(kinds)} features"
        text = self.read_json_text(path, expected, "missing file")
        if text is None:
            return None
        if not text.strip():
            self.problem(path, None, None, f"empty file; expected {expected}")
            return None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            cut = " (the file seems cut short)" if error.pos >= len(text.rstrip()) else ""
            self.problem(
                path,
                None,
                None,
                f"not valid JSON: {error.msg} at line {error.lineno}, character {error.colno}"
                f"{cut}; expected {expected}",
            )
            return None
        if not isinstance(document, dict) or document.get("type") not in (
            "FeatureCollection",
            "Feature",
        ):
            found = document.get("type") if isinstance(document, dict) else type(document).__name__
            self.problem(path, None, None, f"holds {found!r}; expected {expected}")
            return None
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frame = gpd.read_file(io.BytesIO(text.encode("utf-8")))
        except Exception as error:  # GDAL's reasons vary: report them, never a traceback
            self.problem(path, None, None, f"GDAL cannot read it ({error}); expected {expected}")
            return None
        for message in dict.fromkeys(str(w.message) for w in caught):  # GDAL's warnings, once
            self.problem(path, None, None, f"GDAL: {message}", "warning")
        return self.check_boundary(path, frame, kinds, has_crs="crs" in document)

    def check_boundary(
        self, path: Path, frame: gpd.GeoDataFrame, kinds: tuple[str, ...], has_crs: bool
    ) -> gpd.GeoDataFrame | None:
        if frame.empty:
            self.problem(path, None, None, "no features; expected at least one")
            return None
        ok = True
        if frame.crs is None or not has_crs:
            # RFC 7946 GeoJSON has no crs member and means WGS84 lon/lat
            west, south, east, north = frame.total_bounds
            if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
                self.problem(
                    path,
                    None,
                    "geometry",
                    f"coordinates reach ({west:.6g}, {south:.6g}) to ({east:.6g}, {north:.6g}): "
                    "these cannot be degrees; a GeoJSON without a crs member must be in "
                    "WGS84 lon/lat (RFC 7946): reproject it to EPSG:4326",
                )
                return None
            frame = frame.set_crs(WGS84, allow_override=True)
        elif frame.crs.to_epsg() != 4326:
            try:
                frame = frame.to_crs(WGS84)
            except Exception as error:
                self.problem(path, None, "geometry", f"cannot reproject to EPSG:4326: {error}")
                return None
        for position, geometry in enumerate(frame.geometry):
            feature = position + 1
            if geometry is None or geometry.is_empty:
                self.problem(path, feature, "geometry", f"feature {feature} has no geometry")
                ok = False
            elif geometry.geom_type not in kinds:
                self.problem(
                    path,
                    feature,
                    "geometry",
                    f"feature {feature} is a {geometry.geom_type}; this file must hold "
                    f"{' or '.join(kinds)} features",
                )
                ok = False
            elif not geometry.is_valid:
                self.problem(
                    path,
                    feature,
                    "geometry",
                    f"feature {feature} is not a valid geometry: {shapely.is_valid_reason(geometry)}",
                )
                ok = False
        return frame if ok else None

    # -- one table -----------------------------------------------------------
    def rows(self, path: Path, text: str, spec: TableSpec) -> pd.DataFrame | None:
        """The text's records as strings, indexed by spreadsheet row - 2; None on a problem."""
        reader = csv.reader(io.StringIO(text), strict=True)
        records: list[list[str]] = []
        try:
            for record in reader:
                records.append(record)
        except csv.Error as error:
            row = len(records) + 1
            hint = (
                "a quote opened in this row is never closed"
                if "end of data" in str(error) or "EOF" in str(error)
                else f"malformed ({error})"
            )
            self.problem(path, row, None, f'{hint}; quote a cell that holds a comma with "..."')
            return None
        if not records or not any(cell.strip() for cell in records[0]):
            self.problem(path, 1, None, f"no header row; expected columns {spec.names}")
            return None
        header = [cell.strip() for cell in records[0]]
        for delimiter in (";", "\t"):
            if len(header) == 1 and delimiter in header[0]:
                self.problem(
                    path,
                    1,
                    None,
                    f"the header is separated by {delimiter!r}; expected a comma-separated file "
                    f"with columns {spec.names}",
                )
                return None
        for name in sorted({n for n in header if n and header.count(n) > 1}):
            self.problem(path, 1, name, f"column {name!r} appears twice; expected it once")
        width = len(header)
        body = records[1:]
        # The usual row has the header's width and some text: it is kept as it is,
        # and only the others are looked at one by one.
        usual = [
            len(record) == width and not (text.isspace() or not text)
            for record, text in zip(body, map("".join, body), strict=True)
        ]
        blank: list[int] = []
        for index in (i for i, ok in enumerate(usual) if not ok):
            record, number = body[index], index + 2
            if not "".join(record).strip():  # only spaces, or nothing
                blank.append(number)
            elif len(record) > width and "".join(record[width:]).strip():
                self.problem(
                    path,
                    number,
                    None,
                    f"{len(record)} cells; the header has {width}: quote a cell that holds a "
                    'comma with "..."',
                )
            else:
                body[index] = (record + [""] * width)[:width]
                usual[index] = True
        if blank:
            shown = ", ".join(map(str, blank[:10])) + (" …" if len(blank) > 10 else "")
            self.problem(path, None, None, f"{len(blank)} blank row(s) skipped: {shown}", "note")
        kept = [i for i, ok in enumerate(usual) if ok]
        frame = pd.DataFrame(
            [body[i] for i in kept] if len(kept) < len(body) else body,
            index=pd.Index(kept, dtype=np.int64),
            columns=header,
            dtype=object,
        )
        return frame.loc[:, ~frame.columns.duplicated()]

    def table(self, spec: TableSpec, file: Path | None = None) -> pd.DataFrame | None:
        path = file or self.root / spec.path
        if not _exists(path):
            if spec.optional_file:
                return pd.DataFrame({c.name: pd.Series(dtype=object) for c in spec.columns})
            self.problem(path, None, None, f"missing file; expected columns {spec.names}")
            return None
        data = self.read_bytes(path, f"a CSV file with columns {spec.names}")
        text = self.decode(path, data) if data is not None else None
        if text is None:
            return None
        raw = self.rows(path, text, spec)
        if raw is None:
            return None
        missing = [c.name for c in spec.columns if c.name not in raw.columns]
        for name in missing:
            self.problem(
                path, 1, name, f"missing column {name!r}; the header must hold {spec.names}"
            )
        if missing:
            return None
        raw = raw.apply(_strip) if len(raw) else raw
        parsed = pd.DataFrame(index=raw.index)
        for column in spec.columns:
            parsed[column.name] = self.cells(path, raw[column.name], column)
        for extra in (c for c in raw.columns if c not in parsed.columns):
            parsed[extra] = raw[extra]
        if spec.key is not None:
            for row, value in _rows(
                raw.loc[raw[spec.key].duplicated() & (raw[spec.key] != ""), spec.key]
            ):
                self.problem(path, row, spec.key, f"duplicate id {value!r}; ids must be unique")
        return parsed

    def cells(self, path: Path, raw: pd.Series, column: Column) -> pd.Series:
        # Parse each distinct text once; report problems row by row, in row order.
        codes, texts = pd.factorize(raw, sort=False)
        parsed = (
            [(text or None, None) for text in texts]  # taken as written
            if column.kind in _AS_WRITTEN
            else [_parse_cell(text, column) if text != "" else (None, None) for text in texts]
        )
        empty = np.array([text == "" for text in texts], dtype=bool)
        wrong = np.array([expected is not None for _, expected in parsed], dtype=bool)
        flagged = (empty & column.required) | wrong
        row_numbers = raw.index.to_numpy(dtype=np.int64) + 2
        for position in np.flatnonzero(flagged[codes]):
            row, code = int(row_numbers[position]), codes[position]
            if empty[code]:
                self.problem(path, row, column.name, f"empty; a {column.kind} value is required")
            else:
                self.problem(
                    path,
                    row,
                    column.name,
                    f"{texts[code]!r} is not valid: expected {parsed[code][1]}",
                )
        distinct = np.empty(len(texts), dtype=object)
        for number, (value, _) in enumerate(parsed):
            distinct[number] = value
        values: Any = distinct[codes]
        if column.kind == "list":  # every row gets its own list
            values = [[] if value is None else list(value) for value in values]
        series = pd.Series(values, index=raw.index, dtype=object, name=column.name)
        if column.kind == "date":
            return pd.to_datetime(series)
        if column.kind in ("float", "int") and not column.required:
            return pd.to_numeric(series, errors="coerce").astype(
                "Float64" if column.kind == "float" else "Int64"
            )
        if column.kind == "float":
            return pd.to_numeric(series, errors="coerce")
        if column.kind == "int":
            return pd.to_numeric(series, errors="coerce").astype("Int64")
        if column.kind == "bool":
            return series.astype("boolean")
        return series

    # -- rules across rows and files ------------------------------------------
    def places(
        self,
        table: pd.DataFrame,
        country: gpd.GeoDataFrame | None,
        borders: gpd.GeoDataFrame | None,
        crs: str,
    ) -> gpd.GeoDataFrame:
        path = self.root / SPECS["places"].path
        places = gpd.GeoDataFrame(
            table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs=WGS84
        )
        # Without a readable outline or border file, the distance checks cannot run.
        outline = country.to_crs(crs).union_all() if country is not None else None
        lines = borders.to_crs(crs).union_all() if borders is not None else None

        def distance_km(
            lon: pd.Series, lat: pd.Series, to: shapely.Geometry | None, wanted: np.ndarray
        ) -> np.ndarray:
            """Distance of each wanted (lon, lat) to ``to``; inf where not a lon/lat at all.

            Rows not wanted get 0, and so do points inside a polygonal ``to``
            (a point-in-polygon test is much cheaper than a distance).
            """
            distance = np.zeros(len(lon))
            if to is None:
                return distance
            plausible = (lon.between(-180, 180) & lat.between(-90, 90)).to_numpy()
            points = (
                gpd.GeoSeries(
                    gpd.points_from_xy(lon.where(plausible, 0), lat.where(plausible, 0)), crs=WGS84
                )
                .to_crs(crs)
                .to_numpy()
            )
            if shapely.get_type_id(to) in (3, 6):  # Polygon, MultiPolygon
                shapely.prepare(to)
                wanted = wanted & ~shapely.intersects(to, points)
            distance[wanted] = shapely.distance(points[wanted], to) / 1000
            return np.where(plausible, distance, np.inf)

        lon, lat = table["lon"].astype(float), table["lat"].astype(float)
        crossing = (table["kind"] == "crossing").to_numpy()
        every = np.ones(len(table), dtype=bool)
        from_country = distance_km(lon, lat, outline, every)
        # Only a point outside the outline needs the swapped test, only a crossing the border's.
        swapped_from_country = distance_km(lat, lon, outline, from_country > NEIGHBOURHOOD_KM)
        from_border = distance_km(lon, lat, lines, crossing)
        no_source = (table["population"].notna() & table["population_source"].isna()).to_numpy()
        no_partner = crossing & table["partner_country"].isna().to_numpy()
        no_official = crossing & table["official"].isna().to_numpy()
        located = (table["lon"].notna() & table["lat"].notna()).to_numpy()
        outside = located & (from_country > NEIGHBOURHOOD_KM)
        off_border = (
            located & ~outside & crossing & (from_border > CROSSING_MAX_BORDER_DISTANCE_KM)
        )
        flagged = no_source | no_partner | no_official | outside | off_border
        ids, lons, lats = (table[c].to_numpy() for c in ("id", "lon", "lat"))
        for position in np.flatnonzero(flagged):  # row by row, as a reader would list them
            row = int(table.index.to_numpy(dtype=np.int64)[position]) + 2
            if no_source[position]:
                self.problem(
                    path, row, "population_source", "empty; a population needs its source"
                )
            for column, empty in (("partner_country", no_partner), ("official", no_official)):
                if empty[position]:
                    self.problem(path, row, column, "empty; required for a place of kind crossing")
            if outside[position]:
                hint = (
                    "lon and lat look swapped"
                    if swapped_from_country[position] <= NEIGHBOURHOOD_KM
                    else f"it lies more than {NEIGHBOURHOOD_KM:.0f} km outside the country outline"
                )
                self.problem(path, row, "lon", f"({lons[position]}, {lats[position]}): {hint}")
            elif off_border[position]:
                self.problem(
                    path,
                    row,
                    "lon",
                    f"crossing {ids[position]!r} is {from_border[position]:.1f} km from the "
                    f"international border; expected at most {CROSSING_MAX_BORDER_DISTANCE_KM:.0f} km",
                )
        places = places.set_index("id", drop=False).rename_axis(None)
        return places

    def check_actors(self, actors: pd.DataFrame) -> None:
        path = self.root / SPECS["actors"].path
        for row, actor in _rows(actors["id"].reset_index(drop=True)):
            if not _ACTOR_ID.match(str(actor)):
                self.problem(
                    path,
                    row,
                    "id",
                    f"{actor!r} is not valid: expected an uppercase id such as 'GOV' or 'ELF'",
                )

    def check_references(
        self,
        tables: dict[str, pd.DataFrame | None],
        place_ids: pd.Index | None,
        actor_ids: pd.Index | None,
    ) -> None:
        """References to places and actors, for the tables and id lists that could be read."""
        for key, spec in SPECS.items():
            path = self.root / spec.path
            table = tables.get(key)
            for column in spec.columns:
                known = {"place": place_ids, "actor": actor_ids}.get(column.kind)
                if known is None or table is None:
                    continue
                values = table[column.name]
                unknown = values.notna() & ~values.isin(known)
                for row, value in _rows(values[unknown]):
                    self.problem(path, row, column.name, f"unknown {column.kind} id {value!r}")
        path = self.root / SPECS["routes"].path
        routes = tables.get("routes")
        route_stops: Any = routes["places"] if routes is not None else pd.Series()
        for row, stops in _rows(route_stops):
            assert isinstance(stops, list)
            for stop in stops:
                if place_ids is not None and stop not in place_ids:
                    self.problem(path, row, "places", f"unknown place id {stop!r}")
            if len(stops) < 2:
                self.problem(
                    path, row, "places", f"{len(stops)} place(s); a route needs at least 2"
                )

    def check_baseline(self, baseline: pd.DataFrame, place_ids: pd.Index) -> None:
        # an id that failed to parse is None here; its own problem is already listed
        missing = sorted(set(place_ids.dropna()) - set(baseline["place"]))
        if missing:
            path = self.root / SPECS["baseline"].path
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            self.problem(
                path, None, "place", f"{len(missing)} place(s) have no baseline holder: {shown}"
            )

    def events(
        self,
        table: pd.DataFrame,
        baseline: pd.DataFrame | None,
        baseline_date: pd.Timestamp | None,
        as_of: pd.Timestamp | None,
    ) -> pd.DataFrame:
        """Events sorted by date; the date checks run when ``dataset.json`` gave the range."""
        path = self.root / SPECS["events"].path
        events = table.assign(row=table.index.to_numpy(dtype=np.int64) + 2)
        date, reported, kind = events["date"], events["reported"], events["kind"]
        no_place = (events["place"].isna() & (kind != "ceasefire")).to_numpy()
        dated = date.notna().to_numpy()
        days = events["date_uncertainty_days"].fillna(0).astype("int64")
        too_uncertain = (days > MAX_DATE_UNCERTAINTY_DAYS).to_numpy()
        uncertainty = pd.to_timedelta(days.clip(upper=MAX_DATE_UNCERTAINTY_DAYS), "D")
        earliest = date - uncertainty
        out_of_range = np.zeros(len(events), dtype=bool)
        late_or_early = np.zeros(len(events), dtype=bool)
        first, last = baseline_date or pd.Timestamp.min, as_of or pd.Timestamp.max
        if baseline_date is not None and as_of is not None:
            out_of_range = dated & ((date <= baseline_date) | (date > as_of)).to_numpy()
            late_or_early = (
                dated
                & reported.notna().to_numpy()
                & ((reported < earliest) | (reported > as_of)).to_numpy()
            )
        for position in np.flatnonzero(no_place | out_of_range | late_or_early | too_uncertain):
            row = int(events["row"].iloc[position])
            if too_uncertain[position]:
                self.problem(
                    path,
                    row,
                    "date_uncertainty_days",
                    f"{int(days.iloc[position])} days; expected at most "
                    f"{MAX_DATE_UNCERTAINTY_DAYS} (ten years)",
                )
            if no_place[position]:
                self.problem(
                    path,
                    row,
                    "place",
                    f"empty; only a ceasefire may omit the place (kind is {kind.iloc[position]!r})",
                )
            day = date.iloc[position]
            if out_of_range[position]:
                self.problem(
                    path,
                    row,
                    "date",
                    f"{day.date()} is outside the data's range: expected after the baseline "
                    f"{first.date()} and on or before the as-of date {last.date()}",
                )
            if late_or_early[position]:
                self.problem(
                    path,
                    row,
                    "reported",
                    f"{reported.iloc[position].date()} is not within "
                    f"[{earliest.iloc[position].date()}, {last.date()}]: a report cannot "
                    "precede the event's window or follow the as-of date",
                )
        events["reported"] = events["reported"].fillna(events["date"])
        events = events.sort_values(["date", "row"], kind="stable").reset_index(drop=True)
        if baseline is not None:
            self.check_holder_chain(events, baseline)
        self.check_repelled(events)
        return events

    def check_holder_chain(self, events: pd.DataFrame, baseline: pd.DataFrame) -> None:
        """Each event's ``from_actor`` must be the holder the log gives at that date."""
        path = self.root / SPECS["events"].path
        holder = dict(zip(baseline["place"], baseline["holder"], strict=True))
        kind, place = events["kind"], events["place"]
        counted = (
            (kind != "ceasefire")
            & place.notna()
            & place.isin(list(holder))
            & events["date"].notna()
        )
        log = events.loc[counted]
        places = log["place"].to_numpy(dtype=object)
        changes = log["kind"].isin(list(HOLDER_CHANGING_KINDS)).to_numpy()
        # For each event, the position of the last holder-changing event before it
        # at the same place (-1: none, the baseline holds).
        own = pd.Series(np.where(changes, np.arange(len(log)), -1), dtype=float)
        previous: np.ndarray = (
            own.groupby(places).shift(1).fillna(-1.0).groupby(places).cummax().to_numpy(np.int64)
        )
        to_actor = log["to_actor"].to_numpy(dtype=object)
        from_actor = log["from_actor"].to_numpy(dtype=object)
        rows = log["row"].to_numpy()
        expected = [
            to_actor[before] if before >= 0 else holder[pid]
            for before, pid in zip(previous, places, strict=True)
        ]
        wrong = [given != want for given, want in zip(from_actor, expected, strict=True)]
        for position in np.flatnonzero(np.array(wrong, dtype=bool)):
            before = previous[position]
            origin = f"row {int(rows[before])}" if before >= 0 else "the baseline"
            self.problem(
                path,
                int(rows[position]),
                "from_actor",
                f"{from_actor[position]!r} is not the holder of {places[position]!r} on "
                f"{log['date'].iloc[position].date()}: "
                f"the log says {expected[position]!r} (from {origin})",
            )
        to_holder = changes & np.array(
            [given == want for given, want in zip(to_actor, expected, strict=True)], dtype=bool
        )
        for position in np.flatnonzero(to_holder):
            self.problem(
                path,
                int(rows[position]),
                "to_actor",
                f"a {log['kind'].iloc[position]} of {places[position]!r} to "
                f"{to_actor[position]!r}, who already holds it: nothing changes hands",
                "warning",
            )

    def check_repelled(self, events: pd.DataFrame) -> None:
        """A ``repelled`` attack should follow a ``contested`` event at the same place."""
        path = self.root / SPECS["events"].path
        seen: set[object] = set()
        for place, kind, row in zip(events["place"], events["kind"], events["row"], strict=True):
            if kind == "contested":
                seen.add(place)
            elif kind == "repelled" and place is not None and place not in seen:
                self.problem(
                    path,
                    int(row),
                    "kind",
                    f"'repelled' at {place!r} with no 'contested' event there before it: "
                    "record the attack as contested first",
                    "warning",
                )

    def check_trade(self, trade: pd.DataFrame) -> None:
        path = self.root / SPECS["trade"].path
        bad = trade["period_end"] < trade["period_start"]
        for row, _ in _rows(trade.loc[bad, "period_end"]):
            self.problem(path, row, "period_end", "is before period_start")


def _parse_date(text: object) -> pd.Timestamp | None:
    if not isinstance(text, str) or not _DATE.match(text):
        return None
    try:
        datetime.date.fromisoformat(text)  # a real day of years 1-9999 (pandas takes year 0)
        return pd.Timestamp(text)
    except ValueError:
        return None


def _strip(column: pd.Series) -> pd.Series:
    """The column's cells without surrounding spaces (each distinct text stripped once)."""
    codes, texts = pd.factorize(column, sort=False, use_na_sentinel=False)
    stripped = np.array([text.strip() for text in texts], dtype=object)
    return pd.Series(stripped[codes], index=column.index, name=column.name, dtype=object)


#: Column kinds whose cells are kept as written (references are checked across files).
_AS_WRITTEN = frozenset({"text", "place", "actor"})


def _parse_cell(text: str, column: Column) -> tuple[object, str | None]:
    """Parse one non-empty cell; return (value, None) or (None, what was expected)."""
    kind = column.kind
    if kind == "date":
        date = _parse_date(text)
        return (date, None) if date is not None else (None, "a real day as YYYY-MM-DD")
    if kind in ("float", "int"):
        try:
            number = float(text) if kind == "float" else int(text)
        except ValueError:
            return None, "a whole number" if kind == "int" else "a number"
        if kind == "int" and abs(number) > _INT64_MAX:
            return None, "a whole number of at most 19 digits"
        if not np.isfinite(number):
            return None, "a finite number"
        low, high = column.minimum, column.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            return None, f"a number in [{low}, {high}]"
        return number, None
    if kind == "enum":
        return (text, None) if text in column.choices else (None, f"one of {list(column.choices)}")
    if kind == "bool":
        lowered = text.lower()
        return (
            ({"true": True, "false": False}[lowered], None)
            if lowered in ("true", "false")
            else (None, "true or false")
        )
    if kind == "list":
        return [item.strip() for item in text.split(";") if item.strip()], None
    if kind == "slug":
        return (
            (text, None)
            if _SLUG.match(text)
            else (None, "a lowercase slug such as 'north_gate_2'")
        )
    if kind == "colour":
        return (text, None) if _COLOUR.match(text) else (None, "a colour as #rrggbb")
    return text, None
