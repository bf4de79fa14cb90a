"""Tests of the township roll-up (territory.rollup).

The synthetic cases are the two township boxes of tests/test_models.py; each
expected class follows from the rule in the module docs, worked out in the
comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

import territory
from synthetic import event, make_dataset
from territory.errors import TerritoryError
from territory.models import CONTESTED, UNASSESSED
from territory.rollup import ROLLUP_CLASSES, township_counts, township_rollup
from territory.timeline import ControlTimeline
from test_models import BASELINE, EAST_BOX, PLACES, WEST_BOX, _box_km2, _timeline

CAPTURE_WEST = event("2024-03-10", "west", "SAC", "MNDAA", "capture")


def _classes(tl: ControlTimeline, day: str) -> dict[str, str]:
    rollup = township_rollup(tl, day)
    return dict(zip(rollup["ts_pcode"], rollup["class"], strict=True))


@pytest.mark.parametrize(
    ("events", "day", "model", "expected"),
    [
        # T1: TNLA countryside (>= 75 % of the ground) but a junta seat -> mixed;
        # T2: unassessed countryside (>= 50 %) -> unassessed
        ((), "2024-02-01", "layered", {"T1": "mixed", "T2": "unassessed"}),
        # the seat falls to the MNDAA: town and countryside agree -> resistance
        ((CAPTURE_WEST,), "2024-04-01", "layered", {"T1": "resistance", "T2": "unassessed"}),
        # T1's countryside becomes contested ground (>= 50 %) -> contested
        (
            (event("2024-03-01", "cs_t1", "TNLA", CONTESTED, "handover"),),
            "2024-04-01",
            "layered",
            {"T1": "contested", "T2": "unassessed"},
        ),
        # the seat model ignores the countryside: each township is its seat's
        ((), "2024-02-01", "seat", {"T1": "junta", "T2": "junta"}),
        ((CAPTURE_WEST,), "2024-04-01", "seat", {"T1": "resistance", "T2": "junta"}),
        # a contested seat makes its township contested under the seat model
        (
            (event("2024-03-01", "west", "SAC", "MNDAA", "contested"),),
            "2024-04-01",
            "seat",
            {"T1": "contested", "T2": "junta"},
        ),
    ],
)
def test_township_classes(events, day: str, model: str, expected: dict[str, str]) -> None:
    assert _classes(_timeline(list(events), model=model), day) == expected


def test_rollup_columns_and_shares() -> None:
    rollup = township_rollup(_timeline(), "2024-02-01").set_index("ts_pcode")
    assert rollup.loc["T1", "seat"] == "west"
    assert rollup.loc["T1", "seat_holder"] == "SAC"
    assert rollup.loc["T1", "countryside_holder"] == "TNLA"
    assert rollup.loc["T2", "countryside_holder"] == UNASSESSED
    shares = rollup[["junta", "resistance", "neutral", "contested", "unassessed"]]
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0, 1.0])
    assert rollup.loc["T1", "area_km2"] == pytest.approx(_box_km2(WEST_BOX), rel=1e-6)


def test_counts_by_class() -> None:
    counts = township_counts(_timeline([CAPTURE_WEST]), "2024-04-01")
    assert counts.index.tolist() == list(ROLLUP_CLASSES)
    assert counts.loc["resistance", "townships"] == 1
    assert counts.loc["unassessed", "townships"] == 1
    assert counts.loc["junta", "townships"] == 0
    assert counts.loc["resistance", "area_km2"] == pytest.approx(_box_km2(WEST_BOX), rel=1e-6)
    assert counts.loc["unassessed", "area_km2"] == pytest.approx(_box_km2(EAST_BOX), rel=1e-6)
    assert counts.attrs == {"total": 2, "text": "resistance 1 of 2, unassessed 1 of 2"}


def test_rollup_errors() -> None:
    bare = make_dataset(PLACES[:3], {k: BASELINE[k] for k in ("west", "east", "gate")})
    with pytest.raises(TerritoryError, match="the roll-up needs township polygons"):
        township_rollup(ControlTimeline(bare), "2024-02-01")
    with pytest.raises(TerritoryError, match="region: 'Kachin' is not known"):
        township_counts(_timeline(), "2024-02-01", region="Kachin")


# -------------------------------------------------------------------- embedded data
@pytest.mark.parametrize("model", ["layered", "nearest", "seat"])
def test_embedded_rollup_counts_the_55_shan_townships(model: str) -> None:
    ds = territory.load_shan()
    tl = ControlTimeline(ds, model=model, townships=ds.townships)
    counts = township_counts(tl, "2024-09-01", region="Shan")
    assert counts.attrs["total"] == 55 == int(counts["townships"].sum())
    shan_km2 = tl.at("2024-09-01", level="township").query("ts_pcode in @ds.townships.index")
    assert counts["area_km2"].sum() <= shan_km2["area_km2"].sum() + 1e-6


def test_embedded_unassessed_countryside_makes_an_unassessed_township() -> None:
    """Rule 1, on the shipped data: footprints are never half a Shan township."""
    ds = territory.load_shan()
    tl = ControlTimeline(ds, model="layered")
    rollup = township_rollup(tl, ds.baseline_date).set_index("township")
    baseline = ds.baseline.set_index("place")["holder"]
    grey = [
        name
        for name in rollup.index
        if baseline[f"cs_{territory.townships.township_slug(name)}"] == UNASSESSED
    ]
    assert (rollup.loc[grey, "class"] == "unassessed").all()
    assert (rollup.loc[grey, "unassessed"] > 0.5).all()
    assert pd.Series(rollup["class"]).isin(ROLLUP_CLASSES).all()


def test_rollup_classes_by_the_side_on_the_day() -> None:
    """The MNDAA stands aside from 2024-05-01: its township is neutral from that day."""
    import dataclasses

    from test_models import _dataset, _townships

    periods = pd.DataFrame(
        {
            "actor": ["MNDAA"],
            "side": ["neutral"],
            "valid_from": pd.to_datetime(["2024-05-01"]),
            "valid_to": pd.to_datetime([None]),
            "source": ["synthetic"],
            "confidence": ["high"],
            "note": [None],
        }
    )
    ds = dataclasses.replace(_dataset([CAPTURE_WEST]), actor_sides=periods)
    tl = ControlTimeline(ds, townships=_townships(), model="seat")
    # seat model: each township is its seat's holder's side on the day
    assert _classes(tl, "2024-04-30") == {"T1": "resistance", "T2": "junta"}
    assert _classes(tl, "2024-05-01") == {"T1": "neutral", "T2": "junta"}
    rollup = township_rollup(tl, "2024-05-01").set_index("ts_pcode")
    assert rollup.loc["T1", "neutral"] == pytest.approx(1.0)
    assert rollup.loc["T1", "resistance"] == 0.0
    counts = township_counts(tl, "2024-05-01")
    assert counts.loc["neutral", "townships"] == 1 and counts.loc["resistance", "townships"] == 0
