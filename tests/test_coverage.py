"""Completeness: the gazetteer check and the coverage report, read against ../shared."""

from __future__ import annotations

import csv
import math

import pytest
from click.testing import CliRunner

import territory
from shared_files import shared_file
from territory.cli import main
from territory.coverage import (
    GAZETTEER_MAX_KM,
    coverage_report,
    gazetteer_distances,
    normalise_name,
    render_report,
)
from territory.dataset import embedded_data_path


@pytest.fixture(scope="module")
def geodata():
    shared_file("myanmar_towns_mimu_pcode9.6.csv")
    shared_file("shan_townships_geoboundaries.geojson")
    return shared_file("geonames_cities500_myanmar_region.csv").parent


@pytest.fixture(scope="module")
def shan() -> territory.Dataset:
    return territory.load_shan()


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Independent oracle: great-circle distance on a 6371 km sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_no_place_is_far_from_both_gazetteers_without_a_reason(shan, geodata) -> None:
    table = gazetteer_distances(shan.places, geodata)
    assert len(table) > 90
    unexplained = table.loc[table["far"] & (table["reason"] == "")]
    assert unexplained.empty, unexplained


def test_distances_agree_with_a_haversine_oracle(shan, geodata) -> None:
    table = gazetteer_distances(shan.places, geodata)
    with (geodata / "geonames_cities500_myanmar_region.csv").open(encoding="utf-8") as handle:
        geonames = list(csv.DictReader(handle))
    lashio = shan.places.loc["lashio"]
    same = [
        _haversine_km(lashio["lon"], lashio["lat"], float(g["longitude"]), float(g["latitude"]))
        for g in geonames
        if normalise_name(g["name"]) == "lashio"
    ]
    assert same
    # equal-area distances differ from great-circle ones by well under 1 %
    assert table.loc["lashio", "geonames_km"] == pytest.approx(min(same), rel=0.01, abs=0.05)


def test_every_township_seat_lies_in_its_own_township(shan, geodata) -> None:
    import geopandas as gpd

    townships = gpd.read_file(
        geodata.parent / "geodata" / "myanmar_townships_geoboundaries.geojson"
    )
    seats = shan.places.loc[shan.places["kind"] == "township_seat"]
    joined = gpd.sjoin(seats[["township", "geometry"]], townships[["shapeName", "geometry"]])
    for place, row in joined.iterrows():
        own = normalise_name(str(row["township"]).split("(")[0])
        names = {own} | {normalise_name(a) for a in shan.places.loc[place, "alt_names"]}
        names.add(normalise_name(shan.places.loc[place, "name"]))
        assert normalise_name(row["shapeName"])[:5] in {n[:5] for n in names}, place


def test_report_counts_every_township_seat(shan, geodata) -> None:
    report = coverage_report(shan, geodata)
    assert report["townships"] == 55
    assert report["townships_without_seat"] == []
    assert report["per_quarter"]["events"].sum() == len(shan.events)
    assert report["two_sources"] >= 0.6
    assert 0 < report["population_area_share"] < 1
    text = render_report(report)
    assert "55 of 55 townships" in text
    assert f"more than {GAZETTEER_MAX_KM:.0f} km from both" in text


def test_validate_report_prints_the_report(geodata) -> None:
    result = CliRunner().invoke(
        main, ["validate", "--report", "--geodata", str(geodata), str(embedded_data_path())]
    )
    assert result.exit_code == 0, result.output
    assert "Events per quarter" in result.output
    assert "Population known for" in result.output
