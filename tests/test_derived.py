"""The timeline's derived caches, and the views that must not inherit the wrong ones.

Each expected value comes from a timeline built afresh with the same options
(``ControlTimeline(ds, known_by=D, ...)``), never from the cache under test.
The bugs here failed before the caches moved into the timeline: a view of
``tl.known_on(D)`` reused its parent's trade model and its parent's model
timelines, and the model range of a timeline built with
``min_corroboration`` replayed every event.
"""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pandas as pd
import pytest

from synthetic import event, make_dataset, make_townships
from territory.errors import DateRangeError
from territory.ranges import available_models, model_timelines
from territory.rollup import township_rollup
from territory.timeline import ControlTimeline
from territory.trade import trade_share, trade_share_series
from test_engine import BASELINE, PLACES  # two township seats and a crossing
from test_trade import _synthetic

EVENTS = [
    event("2024-03-10", "east", "SAC", "MNDAA", "capture", reported="2024-03-20"),
    # West's capture of 5 June was reported on 1 September.
    event("2024-06-05", "west", "SAC", "TNLA", "capture", reported="2024-09-01"),
]
TOWNSHIPS = {"T1": (96.0, 20.0, 97.0, 22.0), "T2": (97.0, 20.0, 98.0, 22.0)}


def _timeline(**options) -> ControlTimeline:
    ds = make_dataset(PLACES, BASELINE, EVENTS)
    return ControlTimeline(ds, townships=make_townships(TOWNSHIPS), **options)


def _fresh_range(tl: ControlTimeline, **options) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of ``series()`` over timelines built afresh under every model."""
    frames = [
        ControlTimeline(tl.dataset, townships=tl.townships, model=m, **options).series()
        for m in available_models(tl)
    ]
    values = np.stack([f.to_numpy() for f in frames])
    return values.min(axis=0), values.max(axis=0)


def _assert_range(ranged: pd.DataFrame, expected: tuple[np.ndarray, np.ndarray]) -> None:
    np.testing.assert_allclose(ranged["low"].to_numpy(), np.minimum(expected[0], ranged["value"]))
    np.testing.assert_allclose(ranged["high"].to_numpy(), np.maximum(expected[1], ranged["value"]))


# ----------------------------------------------------------------- model range
def test_a_known_on_view_does_not_reuse_its_parents_model_timelines() -> None:
    parent = _timeline()
    parent.series(model_range=True)  # builds and keeps the other models' timelines
    view = parent.known_on("2024-08-01")
    _assert_range(view.series(model_range=True), _fresh_range(view, known_by="2024-08-01"))
    # and the parent keeps its own
    _assert_range(parent.series(model_range=True), _fresh_range(parent))


def test_a_view_made_first_does_not_lend_its_model_timelines_to_the_parent() -> None:
    parent = _timeline()
    parent.until("2024-06-30").series(model_range=True)
    _assert_range(parent.series(model_range=True), _fresh_range(parent))


def test_model_range_replays_the_same_corroborated_events() -> None:
    # The synthetic dataset has no claims, so "party-only" keeps no capture:
    # under every model the ground stays the baseline's.
    tl = _timeline(min_corroboration="party-only")
    assert len(tl.events) == 0
    ranged = tl.series(model_range=True)
    _assert_range(ranged, _fresh_range(tl, min_corroboration="party-only"))
    assert (ranged["high"]["resistance"] == 0).all()


def test_every_construction_option_reaches_the_other_models() -> None:
    tl = _timeline(as_of="2024-10-01", known_by="2024-08-01", min_corroboration="single")
    options = [p for p in inspect.signature(ControlTimeline.__init__).parameters if p != "self"]
    siblings = model_timelines(tl)
    assert set(siblings) == {"nearest", "seat"} and siblings[tl.model] is tl
    for model, sibling in siblings.items():
        assert sibling.model == model
        assert sibling.zones is not tl.zones or model == tl.model
        for name in options:
            mine, theirs = getattr(tl, name), getattr(sibling, name)
            if name == "model":
                continue
            if isinstance(mine, pd.DataFrame):  # the townships
                assert mine.equals(theirs), name
            else:
                assert mine is theirs or mine == theirs, name


def test_views_share_the_other_models_zones() -> None:
    parent = _timeline()
    zones = {m: t.zones for m, t in model_timelines(parent).items()}
    view = parent.known_on("2024-08-01")
    assert {m: t.zones for m, t in model_timelines(view).items()}.keys() == zones.keys()
    for model, sibling in model_timelines(view).items():
        assert sibling.zones is zones[model]  # no zone rebuild for "as known on D"
        assert sibling.known_by == view.known_by and sibling.as_of == view.as_of


# ----------------------------------------------------------------- trade model
def _reported_late() -> ControlTimeline:
    """The trade case with gate_a1's capture of 1 June 2023 reported on 1 October."""
    ds = _synthetic()
    events = ds.events.copy()
    late = events["place"] == "gate_a1"
    events.loc[late, "reported"] = pd.Timestamp("2023-10-01")
    return ControlTimeline(dataclasses.replace(ds, events=events))


def test_a_known_on_view_does_not_reuse_its_parents_trade_model() -> None:
    parent = _reported_late()
    before = trade_share(parent, "2023-07-01")
    view = parent.known_on("2023-08-01")
    fresh = ControlTimeline(parent.dataset, known_by="2023-08-01")
    assert trade_share(view, "2023-07-01").value == trade_share(fresh, "2023-07-01").value
    assert trade_share(fresh, "2023-07-01").value != before.value  # the case tells them apart
    pd.testing.assert_frame_equal(
        trade_share_series(view, "2023-05-01", "2023-08-01", freq="MS"),
        trade_share_series(fresh, "2023-05-01", "2023-08-01", freq="MS"),
    )
    assert trade_share(parent, "2023-07-01").value == before.value


def test_an_until_view_ends_its_trade_share_on_its_own_end() -> None:
    parent = _reported_late()
    trade_share(parent, "2024-06-01")
    view = parent.until("2023-12-31")
    with pytest.raises(DateRangeError):
        trade_share(view, "2024-06-01")


# ----------------------------------------------------------------- shared caches
def test_the_rollup_seats_are_built_once_for_a_timeline_and_its_views() -> None:
    parent = _timeline()
    first = township_rollup(parent, "2024-07-01")
    view = parent.known_on("2024-08-01")
    rolled = township_rollup(view, "2024-07-01")
    assert rolled["seat"].tolist() == first["seat"].tolist() == ["west", "east"]
    # West's capture was not yet known on 1 August: the view still gives T1 to the junta.
    assert rolled.set_index("ts_pcode").loc["T1", "seat_holder"] == "SAC"
    assert first.set_index("ts_pcode").loc["T1", "seat_holder"] == "TNLA"
    assert parent._cached("rollup_seats", dict, shared=True) is view._cached(
        "rollup_seats", dict, shared=True
    )


def test_a_view_made_before_the_zones_are_built_shares_them() -> None:
    parent = _timeline()
    view = parent.known_on("2024-08-01")
    assert view.zones is parent.zones  # one Ground: built once, for both
    with pytest.raises(AttributeError):
        view.zones = parent.zones.iloc[:1]  # type: ignore[misc]
