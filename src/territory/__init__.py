"""territory: who holds which ground in a civil war, on any date, with evidence."""

from __future__ import annotations

from territory.crs import MYANMAR_ALBERS, WGS84, area_km2
from territory.dataset import (
    Dataset,
    embedded_data_path,
    load_dataset,
    load_shan,
    read_townships,
    validate,
)
from territory.errors import (
    DataError,
    DataProblem,
    DateRangeError,
    TerritoryError,
    UnknownPlaceError,
)

__version__ = "0.1.0"

__all__ = [
    "MYANMAR_ALBERS",
    "WGS84",
    "DataError",
    "DataProblem",
    "Dataset",
    "DateRangeError",
    "TerritoryError",
    "UnknownPlaceError",
    "__version__",
    "area_km2",
    "embedded_data_path",
    "load_dataset",
    "load_shan",
    "read_townships",
    "validate",
]
