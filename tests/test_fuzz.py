"""Loader fuzzing: whatever a cell holds, loading raises DataError or nothing.

Hypothesis writes a random value into a random row and column of one file of
a copy of the embedded dataset (through the ``csv`` module, so the file stays
a well-formed CSV and the loader's cell parsing is what is tested), or
splices random bytes into a file (so decoding and CSV/GeoJSON parsing are
tested).  ``load_dataset`` must then return a Dataset or raise
:class:`~territory.errors.DataError` (``validate`` runs the same loader).

CI runs a few examples per file; run more with, for example,
``TERRITORY_FUZZ_EXAMPLES=500 python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from territory.dataset import _LEGACY_NAMES, _Loader, embedded_data_path, load_dataset
from territory.errors import DataError
from territory.schema import SPECS

EXAMPLES = int(os.environ.get("TERRITORY_FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=EXAMPLES <= 10,  # CI: the same examples every run
)
GEOJSON = [
    "boundaries/state.geojson",
    "boundaries/myanmar.geojson",
    "boundaries/international_borders.geojson",
    "boundaries/neighbours.geojson",
]

#: Values that have broken loaders before, mixed with random text and numbers.
NASTY = [
    "",
    " ",
    '"',
    ",",
    ";",
    "\n",
    "\r\n",
    "\x00",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "-0",
    "9" * 30,
    "-" + "9" * 20,
    "999999999",
    "2024-02-30",
    "0000-01-01",
    "9999-12-31",
    "2024-01-01T12:00",
    "true",
    "TRUE",
    "None",
    '=HYPERLINK("http://example.com","x")',
    "#zzzzzz",
    "a;b;;c",
    "lashio",
    "SAC",
    "capture",
    "\ufeff",
    "é",
]
CELL = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(embedded_data_path(), path)
    return path


@pytest.fixture(scope="module")
def boundaries(folder: Path) -> Iterator[dict[str, object]]:
    """Speed: the GeoJSON files an example leaves alone are read once, not per example.

    ``_Loader.boundary`` then returns a copy of the frame it returned for the
    intact file; the file an example changes (``mutated``) is read for real.
    """
    loader = _Loader(folder)
    real = _Loader.boundary
    roles = dict(zip(GEOJSON, ["state", "country", "borders", "neighbours"], strict=True))
    cache = {relative: real(loader, relative, role) for relative, role in roles.items()}
    mutated: dict[str, object] = {"path": None}

    def boundary(self: _Loader, relative: str, role: str) -> object:
        # the loader asks for the generic name; this folder has the legacy one
        on_disk = relative if relative in cache else _LEGACY_NAMES.get(relative, relative)
        if on_disk == mutated["path"] or on_disk not in cache:  # e.g. the township polygons
            return real(self, relative, role)
        return cache[on_disk].copy()  # type: ignore[union-attr]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Loader, "boundary", boundary)
        yield mutated


def _check(folder: Path) -> None:
    """``load_dataset`` runs the loader ``validate`` runs: one call tests both."""
    try:
        load_dataset(folder)
    except DataError as error:
        assert all(p.severity == "error" for p in error.problems)


@pytest.mark.parametrize("key", list(SPECS))
@FUZZ
@given(data=st.data())
def test_any_cell_value_gives_data_error_or_loads(
    folder: Path, boundaries: dict[str, object], key: str, data: st.DataObject
) -> None:
    spec = SPECS[key]
    path = folder / spec.path
    original = (embedded_data_path() / spec.path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(original)))
    header = rows[0]
    column = header.index(data.draw(st.sampled_from(spec.names), label="column"))
    row = data.draw(st.integers(1, len(rows) - 1), label="row")
    rows[row][column] = data.draw(CELL, label="value")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    try:
        path.write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")
        _check(folder)
    finally:
        path.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("relative", [s.path for s in SPECS.values()] + GEOJSON)
@FUZZ
@given(data=st.data())
def test_any_bytes_spliced_into_a_file_give_data_error_or_load(
    folder: Path, boundaries: dict[str, object], relative: str, data: st.DataObject
) -> None:
    boundaries["path"] = relative
    path = folder / relative
    original = (embedded_data_path() / relative).read_bytes()
    start = data.draw(st.integers(0, len(original)), label="start")
    cut = data.draw(st.integers(0, 20), label="bytes removed")
    inserted = data.draw(st.binary(max_size=12), label="bytes inserted")
    try:
        path.write_bytes(original[:start] + inserted + original[start + cut :])
        _check(folder)
    finally:
        path.write_bytes(original)
