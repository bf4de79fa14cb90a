"""The ground of a timeline: its zones and everything derived from the zones alone.

A :class:`Ground` is built once per timeline and shared by its views
(:meth:`ControlTimeline.until <territory.timeline.ControlTimeline.until>`,
:meth:`~territory.timeline.ControlTimeline.known_on`): the zones do not
depend on the events, so "as known on D" costs no zone rebuild.  The zones
are built on first use by the timeline's builder and cannot be swapped
afterwards, so no cache can disagree with another.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from territory.dataset import Dataset
from territory.errors import TerritoryError
from territory.population import census_population, raster_population
from territory.zones import township_seats

__all__ = ["Ground"]


class Ground:
    """Zones built once on demand, with their per-zone vectors and unions."""

    def __init__(
        self,
        build: Callable[[], gpd.GeoDataFrame],
        dataset: Dataset,
        place_pos: dict[str, int],
        townships: gpd.GeoDataFrame | None,
        population_raster: Path | None,
    ) -> None:
        self._build = build
        self._zones: gpd.GeoDataFrame | None = None
        self.dataset = dataset
        self.place_pos = place_pos
        self.townships = townships
        self.population_raster = population_raster

    @property
    def zones(self) -> gpd.GeoDataFrame:
        if self._zones is None:
            self._zones = self._build()
        return self._zones

    @property
    def built(self) -> bool:
        return self._zones is not None

    def adopt(self, zones: gpd.GeoDataFrame) -> None:
        """Use ``zones`` (built elsewhere, e.g. on Dask) before any zone is built here."""
        if self._zones is not None:
            raise TerritoryError(
                "zones: this timeline's zones are already built and cannot be swapped; "
                "build them on Dask before the first use of the timeline"
            )
        self._zones = zones

    @cached_property
    def zone_of(self) -> dict[str, str]:
        """Place id -> the zone it bears or shares (places at one spot share one)."""
        zones = self.zones
        zone_of = {str(z): str(z) for z in zones.index}
        for zone, merged in zip(zones.index, zones["merged"], strict=True):
            zone_of.update({m: str(zone) for m in str(merged).split(";") if m})
        return zone_of

    @cached_property
    def zone_cols(self) -> np.ndarray:
        """The place column of each zone, in zone order."""
        return np.array([self.place_pos[z] for z in self.zones.index], dtype=np.int64)

    @cached_property
    def areas(self) -> np.ndarray:
        return self.zones["area_km2"].to_numpy(dtype=float)

    @cached_property
    def albers(self) -> np.ndarray:
        """The zones in the dataset's equal-area CRS (``Dataset.equal_area_crs``)."""
        return self.zones.geometry.to_crs(self.dataset.equal_area_crs).to_numpy()

    @cached_property
    def covers(self) -> bool:
        """Whether the zones form a valid coverage (no overlaps, edges that match)."""
        return bool(shapely.coverage_is_valid(self.albers))

    def union(self, mask: np.ndarray) -> shapely.Geometry:
        """The union of the zones in ``mask`` (in :attr:`albers`' equal-area CRS).

        Zones that form a valid coverage are merged along their shared edges
        (:func:`shapely.coverage_union_all`, several times faster); the result
        covers exactly the same ground as :func:`shapely.union_all`, which is
        used otherwise.
        """
        if self.covers:
            return shapely.coverage_union_all(self.albers[mask])
        return shapely.union_all(self.albers[mask])

    @property
    def has_population(self) -> bool:
        return self.townships is not None or self.population_raster is not None

    @cached_property
    def population(self) -> tuple[np.ndarray, float]:
        """People per zone, and the share of the ground with a census figure."""
        if self.population_raster is not None:
            people = raster_population(self.zones, self.population_raster)
            return people.to_numpy(dtype=float), 1.0
        if self.townships is None:
            raise TerritoryError(
                "measure: 'population' needs townships (census totals are per township) "
                "or population_raster; pass one to ControlTimeline"
            )
        counted, coverage = census_population(
            self.zones.attrs["pieces"].dropna(subset=["ts_pcode"]),
            self.dataset.population,
            list(self.zones.index),
        )
        return counted.to_numpy(dtype=float), coverage

    @cached_property
    def seats(self) -> pd.DataFrame:
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
        return seats.dropna(subset=["place"])  # a township outside the study area has none
