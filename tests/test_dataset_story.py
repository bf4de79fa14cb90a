"""dataset.json's optional keys for the embedded data's story (issue 15).

``headline_dates``, ``headline_map_date`` and ``rollup_region`` (territory.demo),
``publication_aliases`` and ``party_outlets`` (territory.claims).  The embedded
dataset's are read back against dataset.json parsed by hand; a dataset that
names none (examples/vellmark) gets no aliases, no party outlets and the
generic story; bad values are problems that name dataset.json and the key.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import territory
from territory.claims import party_of, publication_of
from territory.dataset import embedded_data_path, validate
from territory.demo import headline_dates, render_ground
from territory.rollup import township_rollup

VELLMARK = Path(__file__).resolve().parents[1] / "examples" / "vellmark"


@pytest.fixture(scope="module")
def shan() -> territory.Dataset:
    return territory.load_shan()


def test_the_embedded_headline_dates_are_dataset_jsons(shan: territory.Dataset) -> None:
    meta = json.loads((embedded_data_path() / "dataset.json").read_text(encoding="utf-8"))
    by_hand = [
        (shan.as_of if e["date"] == "as_of" else pd.Timestamp(e["date"]), e["label"])
        for e in meta["headline_dates"]
    ]
    assert headline_dates(shan) == by_hand
    days = [day for day, _ in by_hand]
    assert days == sorted(days) and days[0] == shan.baseline_date and days[-1] == shan.as_of
    assert days[0] == pd.Timestamp("2023-10-26")  # the eve of Operation 1027 (27 Oct 2023)
    # every day chosen for an event names the publications behind it
    assert all(h.source for h in shan.headline_dates if h.label.startswith("after"))
    assert shan.headline_map_date == pd.Timestamp("2024-08-10")
    assert shan.rollup_region == "Shan"
    assert headline_dates(shan, embedded=False)[1][1] == "middle of the period"


def test_a_dataset_without_them_gets_the_generic_story() -> None:
    vellmark = territory.load_dataset(VELLMARK)
    assert (vellmark.headline_dates, vellmark.headline_map_date, vellmark.rollup_region) == (
        (),
        None,
        None,
    )
    middle = vellmark.baseline_date + (vellmark.as_of - vellmark.baseline_date) / 2
    assert headline_dates(vellmark) == [
        (vellmark.baseline_date, "baseline date"),
        (middle.normalize(), "middle of the period"),
        (vellmark.as_of, "as-of date"),
    ]


def test_a_dataset_without_source_rules_merges_nothing() -> None:
    vellmark = territory.load_dataset(VELLMARK)
    assert vellmark.publication_aliases == {} and vellmark.party_outlets == ()
    assert party_of("NNN-MNA (junta Information Team), 2023-11-04") == "independent"
    assert party_of("MRTV, 2024-01-01", vellmark.party_outlets) == "independent"
    assert publication_of("Shan Herald/BNI, 2024-03") == "Shan Herald/BNI"


def test_the_rollup_region_picks_the_townships_counted(shan: territory.Dataset) -> None:
    # the embedded township layer: 55 Shan townships and 6 of Mandalay Region
    regions = shan.townships["ST"].value_counts().to_dict()
    assert regions == {"Shan": 55, "Mandalay": 6}
    day = pd.Timestamp("2023-10-26")
    shan_only = render_ground(territory.ControlTimeline(shan), day)
    every_tl = territory.ControlTimeline(dataclasses.replace(shan, rollup_region=None))
    counted = len(township_rollup(every_tl, day))  # the townships the roll-up can class
    assert counted > 55
    assert " of 55" in shan_only and f" of {counted}" not in shan_only
    assert f" of {counted}" in render_ground(every_tl, day)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("headline_dates", [{"date": "2030-01-01", "label": "x"}], "'2030-01-01' is not a day"),
        ("headline_dates", [{"date": "26/10/2023", "label": "x"}], "'26/10/2023' is not a day"),
        ("headline_dates", [{"date": "2024-01-15"}], "expected {"),
        (
            "headline_dates",
            [{"date": "2024-01-15", "label": "a"}, {"date": "2024-01-15", "label": "b"}],
            "entry 2: 2024-01-15 is listed twice",
        ),
        ("headline_dates", "2024-01-15", "expected a list"),
        ("headline_map_date", "2023-01-01", "'2023-01-01' is not a day from baseline_date"),
        ("rollup_region", "Kachin", "'Kachin' is not a region of boundaries/townships.geojson"),
        ("rollup_region", 7, "expected a region name"),
        (
            "party_outlets",
            [{"pattern": "mrtv(", "party": "SAC"}],
            "not a valid regular expression",
        ),
        ("party_outlets", [{"pattern": "mrtv", "party": "NOBODY"}], "'NOBODY' is not an actor id"),
        ("party_outlets", {"pattern": "mrtv"}, "expected a list"),
        ("publication_aliases", {"shan": 3}, "3 is not a publication name"),
        ("publication_aliases", ["shan"], "expected {"),
    ],
)
def test_bad_values_are_problems_naming_the_file_and_key(
    tmp_path: Path, key: str, value: object, message: str
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(embedded_data_path(), copy)
    meta_path = copy / "dataset.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta[key] = value
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    problems = [str(p) for p in validate(copy)]
    assert any(
        p.startswith(f"{meta_path}, column {key!r}: ") and message in p for p in problems
    ), problems
    with pytest.raises(territory.DataError, match=key):
        territory.load_dataset(copy)
