"""Files tests read from ``../shared`` beside the checkout, and never copy.

``../shared/geodata/SOURCES.md`` says which files may only be read there (the
MIMU township polygons among them).  CI's clone has ``../shared`` beside it,
so on CI (``CI=true``) a missing file fails the test; elsewhere it skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_GEODATA = Path(__file__).resolve().parents[2] / "shared" / "geodata"


def shared_file(name: str) -> Path:
    """The path of ``../shared/geodata/<name>``; skip (or fail on CI) when it is missing."""
    path = SHARED_GEODATA / name
    if not path.is_file():
        reason = f"{path} is missing: ../shared/geodata is not beside this checkout"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def mimu_townships() -> Path:
    """MIMU's Shan township polygons (55 townships, EPSG:4326)."""
    return shared_file("shan_townships_mimu.geojson")
