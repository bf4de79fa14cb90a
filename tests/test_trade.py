"""Border crossings, the route graph and the trade share.

Two kinds of test, both on the real :class:`~territory.ControlTimeline` (the
production path):

* On a small synthetic dataset built below with ``tests/synthetic.py``
  (invented places, actors and numbers, chosen so that every expected share
  can be worked out by hand; the arithmetic is written next to each
  expectation).
* On the embedded Shan State data, against the published figures recorded in
  ``docs/data.md`` (trade provenance) and discussed in ``docs/trade.md``.
"""

from __future__ import annotations

import dataclasses
import gc
import weakref
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from synthetic import event, make_dataset
from territory import DataError, DateRangeError, TerritoryError
from territory.dataset import Dataset
from territory.routes import junta_reach, route_graph
from territory.timeline import ControlTimeline
from territory.trade import crossings_at, trade_share, trade_share_series
from territory.trade_model import model_of
from territory.trade_periods import ReferencePeriod, reference_periods

# -- the synthetic dataset ----------------------------------------------------------------------

PLACES = [
    # id, kind, post, partner_country
    ("mandalay", "town", None, None),
    ("junction", "town", None, None),
    ("border_town", "town", None, None),
    ("gate_a1", "crossing", "alpha", "CHN"),
    ("gate_a2", "crossing", "alpha", "CHN"),
    ("zone_b", "trade_zone", "beta", None),
    ("gate_c", "crossing", "gamma", "THA"),  # on no route
    ("gate_x", "crossing", None, "THA"),  # names no post
    ("gate_d", "crossing", "delta", "CHN"),  # its post has no trade rows; on no route
    ("hinterland", "town", None, None),  # neither a gate nor on a route
]
ROUTES = [
    ("main", ["mandalay", "junction", "border_town", "gate_a1"]),
    ("spur", ["border_town", "gate_a2"]),
    ("zone", ["junction", "zone_b"]),
]
ACTORS = {
    "JUN": ("junta", "#444444"),
    "REB": ("resistance", "#2980b9"),
    "NEU": ("neutral", "#8e44ad"),
}
FY = ("FY2022-23", "2022-04-01", "2023-03-31")
PART = ("2023-04-01 to 2023-08-31", "2023-04-01", "2023-08-31")
THAI = ("FY2020-21 Thai posts", "2020-10-01", "2021-09-30")
Q1 = ("2023-04-01 to 2023-06-30", "2023-04-01", "2023-06-30")
RES = ("2023-04-01 to 2023-05-31, with a residual", "2023-04-01", "2023-05-31")
TRADE = [
    # post, partner, period, total_usd
    ("alpha", "CHN", FY, 600.0),
    ("beta", "CHN", FY, 200.0),
    ("gamma", "THA", FY, 100.0),
    ("faraway", "THA", FY, 100.0),  # a post with no gate: outside the mapped area
    ("alpha", "CHN", PART, 300.0),
    ("beta", "CHN", PART, 100.0),
    ("gamma", "THA", THAI, 50.0),
    ("alpha", "CHN", Q1, 150.0),
    ("gamma", "THA", Q1, 60.0),
    ("alpha", "CHN", RES, 100.0),
    ("other_posts", "XXX", RES, 100.0),  # the release's total less alpha
]
EVENTS = [
    # date, place, from, to
    ("2023-06-01", "gate_a1", "JUN", "REB"),
    ("2023-08-01", "hinterland", "JUN", "REB"),  # cannot change any share
    ("2023-09-01", "junction", "JUN", "REB"),
]


def gate_event(
    event_id: str,
    date: str,
    kind: str,
    *,
    place: str | None = None,
    segment: tuple[str, str] | None = None,
    by: str | None = None,
    actor: str | None = None,
    share: tuple[float, float] | None = None,
) -> dict:
    """One row of ``gate_events.csv``, as the loader parses it."""
    return {
        "event_id": event_id,
        "date": pd.Timestamp(date),
        "date_uncertainty_days": 0,
        "place": place,
        "segment": list(segment or []),
        "kind": kind,
        "by": by,
        "actor": actor,
        "share_low": None if share is None else share[0],
        "share_high": None if share is None else share[1],
        "confidence": "high",
        "source": "synthetic",
        "note": None,
    }


def _synthetic(gate_events: list[dict] | None = None, events: list = EVENTS) -> Dataset:
    ids = [p[0] for p in PLACES]
    ds = make_dataset(
        places=[(p[0], p[1], 96.1 + 0.15 * i, 21.0) for i, p in enumerate(PLACES)],
        baseline=dict.fromkeys(ids, "JUN"),
        events=[event(d, place, a, b, "capture") for d, place, a, b in events],
        actors=ACTORS,
        baseline_date="2023-01-01",
        as_of="2024-12-31",
    )
    places = ds.places.copy()
    places["post"] = [p[2] for p in PLACES]
    places["partner_country"] = [p[3] for p in PLACES]
    places["official"] = pd.array([True if p[1] == "crossing" else None for p in PLACES])
    trade = pd.DataFrame(
        {
            "post": [t[0] for t in TRADE],
            "post_name": [t[0].title() for t in TRADE],
            "partner_country": [t[1] for t in TRADE],
            "period_start": pd.to_datetime([t[2][1] for t in TRADE]),
            "period_end": pd.to_datetime([t[2][2] for t in TRADE]),
            "period_label": [t[2][0] for t in TRADE],
            "total_usd": [t[3] for t in TRADE],
            "source": "synthetic",
        }
    )
    return dataclasses.replace(
        ds,
        places=places,
        routes=pd.DataFrame(
            {"route_id": [r[0] for r in ROUTES], "places": [r[1] for r in ROUTES]}
        ),
        trade=trade,
        origin="mandalay",
        gate_events=pd.DataFrame(gate_events) if gate_events else None,
    )


@pytest.fixture
def tl() -> ControlTimeline:
    return ControlTimeline(_synthetic())


# -- the route graph ----------------------------------------------------------------------------


def test_route_graph_joins_chains_at_shared_places() -> None:
    graph = route_graph(_synthetic().routes)
    assert set(graph.neighbors("border_town")) == {"junction", "gate_a1", "gate_a2"}
    assert graph.edges["junction", "zone_b"]["routes"] == ["zone"]
    assert "gate_c" not in graph


@pytest.mark.parametrize(
    ("rebel_held", "reached"),
    [
        ((), {"mandalay", "junction", "border_town", "gate_a1", "gate_a2", "zone_b"}),
        (("gate_a1",), {"mandalay", "junction", "border_town", "gate_a2", "zone_b"}),
        (("border_town",), {"mandalay", "junction", "zone_b"}),
        (("junction",), {"mandalay"}),
        (("mandalay",), set()),
    ],
)
def test_junta_reach_stops_at_places_it_does_not_hold(
    rebel_held: tuple[str, ...], reached: set[str]
) -> None:
    graph = route_graph(_synthetic().routes)
    sides = {node: "resistance" if node in rebel_held else "junta" for node in graph}
    assert junta_reach(graph, sides, "mandalay") == reached


def test_junta_reach_unknown_origin() -> None:
    with pytest.raises(TerritoryError, match="'nowhere' is on no route"):
        junta_reach(nx.path_graph(["a", "b"]), {"a": "junta"}, "nowhere")


# -- trade_share on the synthetic data ----------------------------------------------------------

# Weights in FY2022-23: alpha 600 (gates a1, a2), beta 200 (zone_b), gamma 100 (gate_c),
# faraway 100 (no gate): 1000 in all, 800 with China.
CASES = [
    # date, options, (value, low, high)
    # before any event: nothing is out of the junta's hands
    ("2023-02-01", {}, (0.0, 0.0, 0.0)),
    # gate_a1 lost: alpha half counted (300/1000), none of it in low, all in high (600/1000)
    ("2023-07-01", {}, (0.3, 0.0, 0.6)),
    ("2023-07-01", {"basis": "cut"}, (0.3, 0.0, 0.6)),
    ("2023-07-01", {"denominator": "china_border"}, (300 / 800, 0.0, 600 / 800)),
    # junction lost too: gate_a2 and zone_b are junta-held but cut off from Mandalay
    ("2023-10-01", {}, (0.3, 0.0, 0.6)),
    ("2023-10-01", {"basis": "cut"}, (0.8, 0.8, 0.8)),
    ("2023-10-01", {"basis": "cut", "denominator": "china_border"}, (1.0, 1.0, 1.0)),
    ("2023-10-01", {"basis": "cut", "side": "resistance+neutral"}, (0.8, 0.8, 0.8)),
    # neutral holds nothing, but the cut-off junta gates count for any non-junta side:
    # gate_a2 (half of alpha; gate_a1 is rebel-held, not neutral) and zone_b
    ("2023-10-01", {"basis": "cut", "side": "neutral"}, (0.5, 0.2, 0.8)),
    # the junta: gate_a2, zone_b, gate_c and faraway; alpha split
    ("2023-10-01", {"side": "junta"}, (0.7, 0.4, 1.0)),
    # ... but by road it reaches only gate_c (off-route, so judged by its holder) and faraway
    ("2023-10-01", {"side": "junta", "basis": "cut"}, (0.2, 0.2, 0.2)),
    # an explicit reference period with China posts only: alpha 300, beta 100
    (
        "2023-10-01",
        {"denominator": "china_border", "reference_period": "2023-04-01 to 2023-08-31"},
        (150 / 400, 0.0, 300 / 400),
    ),
]


@pytest.mark.parametrize(("date", "options", "expected"), CASES)
def test_trade_share_synthetic(
    tl: ControlTimeline, date: str, options: dict, expected: tuple[float, float, float]
) -> None:
    share = trade_share(tl, date, **options)
    assert (share.value, share.low, share.high) == pytest.approx(expected)
    assert share.value == pytest.approx(share.numerator_usd / share.denominator_usd)


@pytest.mark.parametrize("side", ["resistance", "neutral", "resistance+neutral"])
@pytest.mark.parametrize("date", ["2023-02-01", "2023-07-01", "2023-10-01", "2024-06-01"])
def test_cut_is_never_below_held(tl: ControlTimeline, side: str, date: str) -> None:
    held = trade_share(tl, date, side=side)
    cut = trade_share(tl, date, side=side, basis="cut")
    assert cut.low >= held.low and cut.value >= held.value and cut.high >= held.high


def test_sides_partition_the_trade_on_basis_held(tl: ControlTimeline) -> None:
    total = sum(
        trade_share(tl, "2023-10-01", side=s).value for s in ("junta", "resistance", "neutral")
    )
    assert total == pytest.approx(1.0)


def test_result_names_its_definition_and_what_it_counted(tl: ControlTimeline) -> None:
    share = trade_share(tl, "2023-10-01", side=["neutral", "resistance"], basis="cut")
    assert (share.side, share.basis, share.denominator) == (
        "neutral+resistance",
        "cut",
        "all_border",
    )
    assert share.crossings == ("gate_a1", "gate_a2", "zone_b")
    assert share.posts == ("alpha", "beta")
    assert share.reference_period == ReferencePeriod(
        "FY2022-23", pd.Timestamp("2022-04-01"), pd.Timestamp("2023-03-31")
    )
    assert share.date == pd.Timestamp("2023-10-01")
    text = " ".join(share.notes)
    assert "outside the mapped area" in text and "faraway" in text
    assert "gate_c" in text  # on no route
    assert "gate_x" in text and "gate_d" in text  # gates without trade values


def test_default_period_prefers_a_full_complete_year_and_says_why(tl: ControlTimeline) -> None:
    # Both FY2022-23 and the Apr-Aug 2023 window end before 2023-10-01; only the
    # fiscal year covers every post, so it is chosen, and a note names the later one.
    share = trade_share(tl, "2023-10-01")
    assert share.reference_period.label == "FY2022-23"
    assert "chosen by default" in share.notes[0]
    assert any("2023-04-01 to 2023-08-31" in n for n in share.notes[1:])


def test_no_period_before_the_date_is_said(tl: ControlTimeline) -> None:
    # No China period ends before 2023-02-01: the earliest one is used, with a note.
    share = trade_share(tl, "2023-02-01", denominator="china_border")
    assert share.reference_period.label == "FY2022-23"
    assert any("no trade period ends before the date" in n for n in share.notes)


def test_an_incomplete_default_period_is_said(tl: ControlTimeline) -> None:
    # Only the Thai-posts year ends before 2023-02-01; it covers 1 of the 4 posts.
    share = trade_share(tl, "2023-02-01", side="junta")
    assert share.reference_period.label == THAI[0]
    assert "this one has the most (10%)" in share.notes[0]  # 50 of 50 + 300 + 100 + 50
    assert any("'alpha' is absent from" in n for n in share.notes)


def test_absent_posts_are_estimated_and_bound_low_and_high(tl: ControlTimeline) -> None:
    # Apr-Aug 2023 has alpha 300 and beta 100 but lacks gamma and faraway.  gamma keeps
    # its ratio to the shared posts: 100/800 * 400 = 50 from FY2022-23 (which shares two
    # posts, so it gives the central estimate), 60/150 * 300 = 120 from Apr-Jun 2023 (one
    # shared post); faraway 100/800 * 400 = 50.  Cut on 2023-10-01 counts alpha and beta,
    # not gamma nor faraway: value 400 / (400 + 50 + 50); low takes gamma's largest
    # estimate, 400 / (400 + 120 + 50); high its smallest, the same as value.
    share = trade_share(tl, "2023-10-01", basis="cut", reference_period=PART[0])
    assert (share.value, share.low, share.high) == pytest.approx((0.8, 400 / 570, 0.8))
    assert share.estimated_usd == pytest.approx(100.0)
    text = " ".join(share.notes)
    assert "'gamma' is absent from" in text and "'faraway' is absent from" in text
    assert "range over 2 periods" in text


@pytest.mark.parametrize(("side", "expected"), [("resistance", 2 / 3), ("junta", 1 / 3)])
def test_absent_posts_inside_a_residual_are_carved_out_of_it(
    tl: ControlTimeline, side: str, expected: float
) -> None:
    # The residual window names alpha (100) and gives 100 more, not split by post.
    # beta, gamma and faraway lie inside it, estimated by their ratio to alpha:
    # beta 200/600 * 100 = 33.3 (FY2022-23), gamma 60/150 * 100 = 40 (Apr-Jun 2023, the
    # nearest period; FY2022-23 gives 16.7), faraway 100/600 * 100 = 16.7; 10 is left.
    # The denominator stays the published 200.  Cut on 2023-10-01: alpha and beta are
    # lost to the junta (133.3 of 200); gamma, faraway and the rest remain its (66.7).
    share = trade_share(tl, "2023-10-01", side=side, basis="cut", reference_period=RES[0])
    assert share.denominator_usd == pytest.approx(200.0)
    assert share.estimated_usd == pytest.approx(90.0)
    assert (share.value, share.low, share.high) == pytest.approx((expected,) * 3)
    assert any("not split by post" in n for n in share.notes)


@pytest.mark.parametrize(
    "wanted",
    [
        PART[0],
        ("2023-04-01", "2023-08-31"),
        ReferencePeriod(PART[0], pd.Timestamp(PART[1]), pd.Timestamp(PART[2])),
    ],
)
def test_reference_period_by_label_dates_or_object(tl: ControlTimeline, wanted: object) -> None:
    share = trade_share(tl, "2023-10-01", denominator="china_border", reference_period=wanted)
    assert share.reference_period.label == PART[0]
    assert share.denominator_usd == 400.0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda tl: trade_share(tl, "2022-12-31"),
            DateRangeError,
            "2022-12-31 is outside the data",
        ),
        (lambda tl: trade_share(tl, "2025-01-01"), DateRangeError, "2024-12-31"),
        (lambda tl: trade_share(tl, "not a day"), TerritoryError, "'not a day' is not a date"),
        (
            lambda tl: trade_share(tl, "2023-07-01", side="rebels"),
            TerritoryError,
            "side: 'rebels'",
        ),
        (
            lambda tl: trade_share(tl, "2023-07-01", basis="owned"),
            TerritoryError,
            "basis: 'owned'",
        ),
        (
            lambda tl: trade_share(tl, "2023-07-01", denominator="thai"),
            TerritoryError,
            "denominator: 'thai'",
        ),
        (
            lambda tl: trade_share(tl, "2023-07-01", reference_period="FY1999"),
            DataError,
            "'FY1999' matches no period",
        ),
        (
            lambda tl: trade_share(
                tl, "2023-07-01", denominator="china_border", reference_period=THAI[0]
            ),
            DataError,
            "no trade data for the reference period",
        ),
        (
            lambda tl: trade_share(
                tl,
                "2023-07-01",
                reference_period=ReferencePeriod(
                    "made up", pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31")
                ),
            ),
            DataError,
            "matches no period",
        ),
        (
            lambda tl: trade_share(tl, "2023-07-01", origin="atlantis"),
            TerritoryError,
            "'atlantis'",
        ),
        (lambda tl: trade_share_series(tl, "2023-07-01", "2023-06-01"), DateRangeError, "before"),
        (
            lambda tl: trade_share_series(tl, "2023-06-01", "2023-07-01", sides="junta"),
            TerritoryError,
            "unknown option",
        ),
        (
            lambda tl: trade_share(object(), "2023-07-01"),
            TerritoryError,
            "expected a ControlTimeline",
        ),
        (
            lambda tl: trade_share(tl, "2023-07-01", basis="cut", origin="hinterland"),
            DataError,
            "'hinterland' is on no route.*route places: border_town, gate_a1, gate_a2, junction",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    tl: ControlTimeline, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call(tl)  # type: ignore[operator]


# -- series -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"basis": "cut"},
        {"denominator": "china_border", "side": "junta"},
        {"reference_period": PART[0]},  # pinned; the dates cross its end (2023-08-31)
    ],
)
def test_series_equals_one_call_per_date(tl: ControlTimeline, options: dict) -> None:
    series = trade_share_series(tl, "2023-02-01", "2023-12-31", freq="D", **options)
    assert len(series) == 334
    for date in [
        "2023-02-01",
        "2023-05-31",
        "2023-06-01",
        "2023-08-31",
        "2023-09-01",
        "2023-12-31",
    ]:
        one = trade_share(tl, date, **options)
        row = series.loc[pd.Timestamp(date)]
        assert (row["value"], row["low"], row["high"]) == (one.value, one.low, one.high)
        assert row["reference_period"] == one.reference_period.label
        assert row["notes"] == one.notes


@pytest.mark.parametrize(("roads", "expected"), [(False, 2), (True, 3)])
def test_series_computes_once_per_distinct_state(
    tl: ControlTimeline, roads: bool, expected: int
) -> None:
    # Over the year: gate_a1 falls (a gate), then junction (a route place, which only
    # the road basis sees); the event in the hinterland makes no new state at all.
    days = pd.date_range("2023-01-01", "2023-12-31").to_numpy(dtype="datetime64[ns]")
    states = model_of(tl, "mandalay").states(days, roads)
    assert len(np.unique(states)) == expected


# -- crossings_at -------------------------------------------------------------------------------


def test_crossings_at_lists_gates_with_holder_reach_and_value(tl: ControlTimeline) -> None:
    gates = crossings_at(tl, "2023-10-01")
    assert list(gates.index) == ["gate_a1", "gate_a2", "zone_b", "gate_c", "gate_x", "gate_d"]
    assert gates["holder"].tolist() == ["REB", "JUN", "JUN", "JUN", "JUN", "JUN"]
    # cut off beyond the lost junction; gate_c and gate_x are on no route and junta-held
    assert gates["reachable_by_incumbent"].tolist() == [False, False, False, True, True, True]
    # each post's latest full fiscal year before the date, split equally across its gates
    assert gates.loc["gate_a1", "post_trade_usd"] == 600.0
    assert gates.loc["gate_a1", "trade_value_usd"] == 300.0
    assert gates.loc["gate_a1", "reference_period"] == "FY2022-23"
    assert pd.isna(gates.loc["gate_d", "trade_value_usd"])
    assert any("delta" in n for n in gates.attrs["notes"])


def test_reference_periods_lists_every_period(tl: ControlTimeline) -> None:
    periods = reference_periods(tl.dataset)
    assert periods["label"].tolist() == [THAI[0], FY[0], RES[0], Q1[0], PART[0]]
    assert periods["full_year"].tolist() == [True, True, False, False, False]
    assert periods.loc[1, "posts"] == ("alpha", "beta", "gamma", "faraway")


# -- the embedded Shan State data, with the real timeline ---------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data"
ISSUE_DATES = ["2023-10-26", "2023-11-30", "2024-01-15", "2024-08-10", "2025-05-01"]


@pytest.fixture(scope="module")
def shan_tl() -> object:
    import territory

    return territory.ControlTimeline(territory.load_shan())


def _raw(relative: str) -> pd.DataFrame:
    return pd.read_csv(DATA / relative, dtype=str, keep_default_na=False)


def _baseline_sides() -> dict[str, str]:
    """Each gate's side on the baseline date, read straight from the CSV files."""
    places = _raw("boundaries/places.csv")
    gates = set(places.loc[places["kind"].isin(["crossing", "trade_zone"]), "id"])
    side = dict(
        zip(_raw("events/actors.csv")["id"], _raw("events/actors.csv")["side"], strict=True)
    )
    baseline = _raw("events/baseline.csv")
    return {
        p: side[h]
        for p, h in zip(baseline["place"], baseline["holder"], strict=True)
        if p in gates
    }


@pytest.mark.parametrize("side", ["resistance", "resistance+neutral"])
def test_before_the_offensive_only_non_junta_gates_count(shan_tl: object, side: str) -> None:
    # The issue: on 2023-10-26 the share is near zero, apart from gates held by neutral
    # actors.  Expected: the China posts with a gate held by one of the sides on the
    # baseline, as a share of the China posts of the same period, from the raw CSVs.
    share = trade_share(shan_tl, "2023-10-26", side=side, denominator="china_border")
    sides = set(side.split("+"))
    places = _raw("boundaries/places.csv").set_index("id")
    lost_posts = {places.loc[g, "post"] for g, s in _baseline_sides().items() if s in sides}
    trade = _raw("trade/border_trade.csv")
    rows = trade[
        (trade["period_label"] == share.reference_period.label)
        & (trade["partner_country"] == "CHN")
    ]
    values = rows.set_index("post")["total_usd"].astype(float)
    expected = values[values.index.isin(lost_posts)].sum() / values.sum()
    assert share.high == pytest.approx(expected)
    assert share.high < 0.01  # near zero: Mong La's small post at most


@pytest.mark.parametrize("date", ISSUE_DATES)
@pytest.mark.parametrize("denominator", ["all_border", "china_border"])
def test_shares_on_the_issue_dates_are_consistent(
    shan_tl: object, date: str, denominator: str
) -> None:
    held = trade_share(shan_tl, date, denominator=denominator)
    cut = trade_share(shan_tl, date, denominator=denominator, basis="cut")
    for share in (held, cut):
        assert 0 <= share.low <= share.value <= share.high <= 1
        assert share.denominator_usd > 0
        assert "reference period" in share.notes[0]
        assert share.reference_period.end < pd.Timestamp(date)
    assert cut.value >= held.value and cut.high >= held.high


# Published figures (docs/data.md, trade provenance; docs/trade.md explains each gap).
# Each case: the figure, the day and definition that reproduce its way of counting,
# the published value and the tolerance, in share points.
PUBLISHED = [
    pytest.param(
        "2024-08-10",
        {"denominator": "china_border", "reference_period": period},
        0.91,
        0.06,
        id=f"ISP-Myanmar 91% of China trade, 3 posts, weights {period}",
    )
    # Every window of the file inside ISP's three years after the coup that gives all
    # five China posts.  ISP's 36-month sum also holds the months after October 2023,
    # when Muse and Chinshwehaw trade collapsed; these 4-5 month windows cannot.
    for period in [
        "FY2022-23 to 2022-07-15",
        "FY2023-24 to 2023-08-04",
        "FY2023-24 April-August 2023",
    ]
] + [
    pytest.param(
        "2024-06-18",
        {"denominator": "china_border"},
        0.95,
        0.03,
        id="ISP-Myanmar via DMG nearly 95% of China trade, 2024-06-18",
    ),
    pytest.param(
        "2023-11-30",
        {"denominator": "all_border"},
        1 / 3,
        0.06,
        id="AFP about a third of all border trade (Muse + Chinshwehaw), unconfirmed",
    ),
    pytest.param(
        "2023-11-30",
        {"denominator": "all_border"},
        0.40,
        0.03,
        id="about 40% of cross-border trade, November 2023, unconfirmed",
    ),
]


@pytest.mark.parametrize(("date", "options", "published", "tolerance"), PUBLISHED)
def test_published_figures_are_reproduced_by_high(
    shan_tl: object, date: str, options: dict, published: float, tolerance: float
) -> None:
    # Each figure counts a post as lost once any of its gates is: the `high` bound.  The
    # docs/trade.md table these figures sit in is for side "resistance".
    share = trade_share(shan_tl, date, side="resistance", **options)
    assert share.high == pytest.approx(published, abs=tolerance)


def test_before_the_offensive_the_junta_reaches_every_gate_it_holds_on_a_route(
    shan_tl: object,
) -> None:
    # Before the offensive every road the data knows was open to the junta: a gate it
    # held on a route but could not reach would mean a road missing from routes.csv.
    gates = crossings_at(shan_tl, "2023-10-26")
    held = gates[(gates["side"] == "junta") & gates["on_route"]]
    assert held["reachable_by_incumbent"].all(), list(held.index[~held["reachable_by_incumbent"]])


def test_crossings_on_real_data(shan_tl: object) -> None:
    gates = crossings_at(shan_tl, "2024-01-15")
    assert gates.loc["chinshwehaw", "side"] == "resistance"
    assert gates.loc["mong_la_daluo", "side"] == "neutral"
    # Hsenwi fell on 2023-11-02: the Mandalay-Muse road is cut, so every Muse gate is
    # out of the junta's reach even where it still holds the gate.
    muse = gates[gates["post"] == "muse"]
    assert not muse["reachable_by_incumbent"].any()
    assert (muse["side"] == "junta").any()


def test_series_on_real_data_equals_single_calls(shan_tl: object) -> None:
    series = trade_share_series(shan_tl, "2023-10-26", "2025-06-01", freq="W", basis="cut")
    for date in series.index[::13]:
        one = trade_share(shan_tl, date, basis="cut")
        assert (series.loc[date, "value"], series.loc[date, "high"]) == (one.value, one.high)


# -- gate status, shared control and road events (synthetic) ------------------------------------

CLOSURE = [
    gate_event("g1", "2023-07-15", "closed", place="gate_a1", by="neighbour"),
    gate_event("g2", "2023-08-15", "reopened", place="gate_a1"),
]


@pytest.mark.parametrize(
    ("date", "basis", "expected", "closed"),
    [
        # gate_a1 (REB since 2023-06-01) open: alpha half counted, as under held
        ("2023-07-01", "flow", (0.3, 0.0, 0.6), 0.0),
        # closed by the neighbour: under held it still counts, 0.3 points of it closed ...
        ("2023-07-20", "held", (0.3, 0.0, 0.6), 0.3),
        # ... under flow it carries nothing: those 0.3 points are stopped
        ("2023-07-20", "flow", (0.0, 0.0, 0.0), 0.3),
        ("2023-08-20", "flow", (0.3, 0.0, 0.6), 0.0),
    ],
)
def test_flow_counts_a_gate_only_while_open(
    date: str, basis: str, expected: tuple[float, float, float], closed: float
) -> None:
    tl = ControlTimeline(_synthetic(CLOSURE))
    share = trade_share(tl, date, basis=basis)
    assert (share.value, share.low, share.high) == pytest.approx(expected)
    assert share.closed == pytest.approx(closed)
    if closed:
        assert share.closed_gates == ("gate_a1",)
        assert any("gate_a1 (by neighbour)" in n for n in share.notes)
        assert "30.0 points by closed gates (gate_a1; 30.0 by the neighbour)" in str(share)
        assert share.closed_by == (("neighbour", pytest.approx(0.3)),)


def test_a_restricted_gate_counts_in_value_and_high_not_in_low() -> None:
    # The junta on 2023-07-01: alpha half (a2), beta, gamma and faraway: 300 + 200 + 100
    # + 100 of 1000.  gate_c (gamma, 100) restricted: low loses it (0.4 - 0.1 = 0.3).
    ds = _synthetic([gate_event("g1", "2023-06-15", "restricted", place="gate_c", by="holder")])
    share = trade_share(ControlTimeline(ds), "2023-07-01", side="junta", basis="flow")
    assert (share.value, share.low, share.high) == pytest.approx((0.7, 0.3, 1.0))
    assert "restricted gates counted open" in share.rule


@pytest.mark.parametrize(
    ("share_range", "expected"),
    [
        # REB holds gate_a1, JUN takes 30 % of its revenue: a1 weighs 0.7 for REB, a2 0;
        # value alpha 0.35 * 600 / 1000; low min(0.7, 0) = 0; high max = 0.7 * 600 / 1000
        ((0.3, 0.3), (0.21, 0.0, 0.42)),
        # no split reported: 0 to 1, the middle for value; high takes a1 whole
        (None, (0.15, 0.0, 0.6)),
    ],
)
def test_a_shared_gate_counts_fractionally_and_widens_the_range(
    share_range: tuple[float, float] | None, expected: tuple[float, float, float]
) -> None:
    ds = _synthetic(
        [gate_event("g1", "2023-06-01", "shared", place="gate_a1", actor="JUN", share=share_range)]
    )
    share = trade_share(ControlTimeline(ds), "2023-07-01")
    assert (share.value, share.low, share.high) == pytest.approx(expected)
    assert share.shared_gates == ("gate_a1",)
    assert "shared gate's revenue" in share.rule
    junta = trade_share(ControlTimeline(ds), "2023-07-01", side="junta")
    assert junta.value + share.value == pytest.approx(1.0)


#: REB stands aside (neutral) from 2023-05-01, while it shares zone_b.
REB_NEUTRAL = pd.DataFrame(
    {
        "actor": ["REB"],
        "side": ["neutral"],
        "valid_from": [pd.Timestamp("2023-05-01")],
        "valid_to": [pd.NaT],
        "source": ["synthetic"],
        "confidence": ["high"],
        "note": [None],
    }
)


@pytest.mark.parametrize(
    ("date", "side", "expected"),
    [
        # zone_b (beta, 200 of 1000) is JUN's; REB takes 20-40 % of it from 2023-04-15.
        # Before REB stands aside its part counts for the resistance: 0.3 * 200 / 1000,
        # 0.2 and 0.4 at the ends; nothing for the neutral side.
        ("2023-04-20", "resistance", (0.06, 0.04, 0.08)),
        ("2023-04-20", "neutral", (0.0, 0.0, 0.0)),
        # From 2023-05-01 REB is neutral: the same part moves to the neutral side.
        ("2023-05-10", "resistance", (0.0, 0.0, 0.0)),
        ("2023-05-10", "neutral", (0.06, 0.04, 0.08)),
        # Out of the junta's hands (the default) it counts on both days.
        ("2023-04-20", None, (0.06, 0.04, 0.08)),
        ("2023-05-10", None, (0.06, 0.04, 0.08)),
        # The junta keeps the rest of zone_b, 0.7 * 200, with alpha 600, gamma and
        # faraway 100 each: 940; at the ends 0.6 and 0.8 of zone_b.
        ("2023-05-10", "junta", (0.94, 0.92, 0.96)),
    ],
)
def test_a_shared_gates_co_holder_counts_for_its_side_on_the_day(
    date: str, side: str | None, expected: tuple[float, float, float]
) -> None:
    events = [
        gate_event("g1", "2023-04-15", "shared", place="zone_b", actor="REB", share=(0.2, 0.4))
    ]
    ds = dataclasses.replace(_synthetic(events), actor_sides=REB_NEUTRAL)
    tl = ControlTimeline(ds)
    share = trade_share(tl, date, **({} if side is None else {"side": side}))
    assert (share.value, share.low, share.high) == pytest.approx(expected)
    # the series (one share per distinct state) sees the switch day as a new state
    series = trade_share_series(tl, "2023-04-20", "2023-05-10", freq="D", **(
        {} if side is None else {"side": side}
    ))  # fmt: skip
    assert series.loc[date, ["value", "low", "high"]].tolist() == pytest.approx(expected)


def test_a_single_gate_post_shared_with_a_sourced_range() -> None:
    # zone_b (beta, 200) is the junta's; REB takes 20-40 % of it from 2023-04-15:
    # 0.3 * 200 / 1000 central, 0.2 and 0.4 at the ends.  Ended by 'sole'.
    events = [
        gate_event("g1", "2023-04-15", "shared", place="zone_b", actor="REB", share=(0.2, 0.4)),
        gate_event("g2", "2023-05-15", "sole", place="zone_b"),
    ]
    tl = ControlTimeline(_synthetic(events))
    share = trade_share(tl, "2023-05-01")
    assert (share.value, share.low, share.high) == pytest.approx((0.06, 0.04, 0.08))
    after = trade_share(tl, "2023-05-15")
    assert (after.value, after.high) == (0.0, 0.0)


def test_cut_follows_road_events() -> None:
    # The road junction - border_town is cut on 2023-04-15 and reopened on 2023-05-15.
    # While it is cut, both alpha gates (junta-held) are out of reach: 600 of 1000.
    events = [
        gate_event("r1", "2023-04-15", "road_cut", segment=("junction", "border_town")),
        gate_event("r2", "2023-05-15", "road_reopened", segment=("border_town", "junction")),
    ]
    tl = ControlTimeline(_synthetic(events))
    during = trade_share(tl, "2023-05-01", basis="cut")
    assert (during.value, during.low, during.high) == pytest.approx((0.6, 0.6, 0.6))
    assert trade_share(tl, "2023-05-01").value == 0.0  # held ignores roads
    assert trade_share(tl, "2023-05-15", basis="cut").value == 0.0
    gates = crossings_at(tl, "2023-05-01")
    assert not gates.loc[["gate_a1", "gate_a2"], "reachable_by_incumbent"].any()
    assert gates.loc["zone_b", "reachable_by_incumbent"]


def test_bad_gate_events_are_all_reported_with_their_rows() -> None:
    events = [
        gate_event("g1", "2023-02-01", "closed", place="hinterland"),  # not a gate
        gate_event("g2", "2023-02-01", "road_cut", segment=("mandalay", "gate_a1")),  # no road
        gate_event("g3", "2023-02-01", "shared", place="gate_a1"),  # no co-holder
    ]
    with pytest.raises(DataError, match="3 problems") as caught:
        trade_share(ControlTimeline(_synthetic(events)), "2023-03-01")
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(2, "place"), (3, "segment"), (4, "actor")]
    assert "'hinterland' is not a gate" in problems[0].message


@pytest.mark.parametrize("basis", ["held", "cut", "flow"])
def test_series_with_gate_events_equals_one_call_per_date(basis: str) -> None:
    events = [
        *CLOSURE,
        gate_event("g3", "2023-09-15", "shared", place="zone_b", actor="REB", share=(0.2, 0.4)),
        gate_event("r1", "2023-02-01", "road_cut", segment=("junction", "zone_b")),
        gate_event("r2", "2023-03-15", "road_reopened", segment=("junction", "zone_b")),
    ]
    tl = ControlTimeline(_synthetic(events))
    series = trade_share_series(tl, "2023-01-01", "2023-12-31", freq="D", basis=basis)
    for date in series.index[::11]:
        one = trade_share(tl, date, basis=basis)
        row = series.loc[date]
        assert (row["value"], row["low"], row["high"], row["closed"]) == (
            one.value,
            one.low,
            one.high,
            one.closed,
        )
        assert row["notes"] == one.notes and row["rule"] == one.rule


def test_the_model_lives_on_the_timeline_and_is_freed_with_it() -> None:
    tl = ControlTimeline(_synthetic())
    trade_share(tl, "2023-07-01")
    model = weakref.ref(model_of(tl, "mandalay"))
    assert model_of(tl, "mandalay") is model()  # built once, kept on the timeline
    alive = weakref.ref(tl)
    del tl
    gc.collect()
    assert alive() is None and model() is None


def test_the_range_leads_wherever_the_share_is_shown(tl: ControlTimeline) -> None:
    share = trade_share(tl, "2023-07-01")
    text = str(share)
    assert text.startswith("0.0–60.0 %, central 30.0 % under an equal split")
    assert text.startswith(share.range_text)
    assert "weighted by FY2022-23 (2022-04-01 to 2023-03-31)" in text


# -- closures and shared control on the embedded data ------------------------------------------


def _china_values(period_label: str) -> pd.Series:
    trade = _raw("trade/border_trade.csv")
    rows = trade[(trade["period_label"] == period_label) & (trade["partner_country"] == "CHN")]
    return rows.set_index("post")["total_usd"].astype(float)


def test_flow_drops_the_gates_china_closed_in_mid_2024(shan_tl: object) -> None:
    # BNI (2025-01, 2024-11): China shut the crossings into MNDAA-held ground at the end of
    # June 2024 (gate_events.csv g-002 to g-007).  On 2024-08-10 the only resistance-held
    # China gate still open is Lweje (KIA), so flow is Lweje's part of China trade in the
    # reference period, read straight from border_trade.csv; held keeps the closed gates.
    events = _raw("trade/gate_events.csv")
    june = events[(events["date"] == "2024-06-30") & (events["kind"] == "closed")]
    assert set(june["by"]) == {"neighbour"} and june["source"].str.contains("BNI").all()
    held = trade_share(shan_tl, "2024-08-10", side="resistance", denominator="china_border")
    flow = trade_share(
        shan_tl, "2024-08-10", side="resistance", denominator="china_border", basis="flow"
    )
    values = _china_values(flow.reference_period.label)
    assert flow.value == pytest.approx(values["lweje"] / values.sum())
    assert flow.low == flow.value == flow.high
    assert set(june["place"]) <= set(flow.closed_gates)
    assert held.value - flow.value == pytest.approx(flow.closed)
    assert flow.closed > 0.5  # most of the resistance's China trade was stopped
    assert "stopped" in str(flow) and "points by closed gates" in str(flow)
    assert dict(flow.closed_by) == {"neighbour": pytest.approx(flow.closed)}  # all by China
    # before the closures, nothing differs
    before = {b: trade_share(shan_tl, "2024-06-15", basis=b) for b in ("held", "flow")}
    assert before["held"].value == before["flow"].value and before["flow"].closed == 0


def test_chinshwehaw_counts_at_its_reported_revenue_split(shan_tl: object) -> None:
    # Shan Herald (2024-03): the junta reportedly takes 30 % of Chinshwehaw's tax take
    # from its reopening on 2024-03-11 (gate_events.csv g-001).  Laukkai-Nansan, the
    # post's other gate, is the MNDAA's alone: value counts (0.7 + 1) / 2 of the post.
    share = trade_share(shan_tl, "2024-03-15", denominator="china_border")
    before = trade_share(shan_tl, "2024-03-10", denominator="china_border")
    values = _china_values(share.reference_period.label)
    post = values["chinshwehaw"] / values.sum()
    assert before.value - share.value == pytest.approx(post * (1 - 0.85))
    assert share.shared_gates == ("chinshwehaw",)
    assert any(
        "'chinshwehaw' is shared: MNDAA with SAC, who takes 30% to 30%" in n for n in share.notes
    )


def test_the_chart_leads_with_the_band_and_names_period_and_source(
    tl: ControlTimeline, tmp_path: Path
) -> None:
    from PIL import Image

    from territory.demo import trade_chart
    from territory.export.charts import trade_caption

    one_side = trade_share_series(tl, "2023-04-01", "2023-12-31", freq="W", side="resistance")
    assert "(side: Resistance)." in trade_caption(tl, one_side)  # by the dataset's label
    series = trade_share_series(tl, "2023-04-01", "2023-12-31", freq="W")  # the default
    caption = trade_caption(tl, series)
    assert caption.startswith("The band is the estimate (low–high)")
    assert (
        "(sides: Resistance + Neutral or ceasefire, out of the hands of Junta (SAC) and allies)."
        in caption
    )
    assert "Reference period of the trade weights: FY2022-23 (trade: synthetic)" in caption
    assert "model: " in caption.splitlines()[-1]
    with pytest.warns(DeprecationWarning, match="trade_caption"):
        from territory.trade import chart_caption

        assert chart_caption(series) == trade_caption(None, series)
    png = trade_chart(series, tmp_path / "share.png", "synthetic", tl=tl)
    with Image.open(png) as image:
        assert min(image.info["dpi"]) >= 199.9
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3).astype(int)
    # the band (#d55e00 drawn at 22 % over white) covers more of the plot than the line
    band = (np.abs(pixels - [246, 220, 199]) < 12).all(axis=1).sum()
    line = (np.abs(pixels - [0, 0, 0]) < 12).all(axis=1).sum()
    assert band > 5 * line


def test_crossings_use_one_reference_period_unless_mixing_is_asked() -> None:
    # On 2023-02-01 only the Thai-posts year ends before the date, so it weighs every
    # row, as in trade_share; alpha and beta, absent from it, show their estimates.
    # Mixing on request: gamma keeps that year, alpha takes its earliest-ending period.
    tl = ControlTimeline(_synthetic())
    one = crossings_at(tl, "2023-02-01")
    valued = one[one["post_trade_usd"].notna()]
    assert set(valued["reference_period"]) == {THAI[0]}
    assert valued["estimated"].tolist() == [True, True, True, False]  # a1, a2, zone_b, gate_c
    assert one.attrs["notes"][0] == trade_share(tl, "2023-02-01").notes[0]
    mixed = crossings_at(tl, "2023-02-01", reference_period="per_post")
    assert mixed.loc["gate_c", "reference_period"] == THAI[0]
    assert mixed.loc["gate_a1", "reference_period"] == FY[0]
    assert not mixed["estimated"].any()
    assert any("mixed on purpose" in n for n in mixed.attrs["notes"])
    # a period lacking gamma: its gate shows the estimate, flagged
    part = crossings_at(tl, "2023-10-01", reference_period=PART[0])
    assert part.loc["gate_c", "estimated"]
    assert part.loc["gate_c", "post_trade_usd"] == pytest.approx(50.0)  # 100 / 800 * 400


def test_crossings_show_gate_status_and_shared_control() -> None:
    events = [
        *CLOSURE,
        gate_event("g3", "2023-07-01", "shared", place="zone_b", actor="REB", share=(0.2, 0.4)),
    ]
    gates = crossings_at(ControlTimeline(_synthetic(events)), "2023-07-20")
    assert gates.loc["gate_a1", ["gate_status", "closed_by"]].tolist() == ["closed", "neighbour"]
    assert gates.loc["gate_a2", "gate_status"] == "open"
    assert gates.loc["zone_b", ["shared_with", "shared_revenue"]].tolist() == ["REB", "20%–40%"]


def test_every_embedded_gate_event_names_a_dated_source_and_says_what_happened() -> None:
    events = _raw("trade/gate_events.csv")
    assert events["source"].str.contains(r"\b20\d\d-\d\d\b").all()  # publication, year-month
    assert events["confidence"].isin(["high", "medium", "low"]).all()
    assert (events["note"].str.len() > 25).all()
    shared = events[events["kind"] == "shared"]
    assert set(shared["place"]) == {"chinshwehaw", "kyin_san_kyawt"}
    # a range where a source gives a split, empty (0 to 1) where none does
    assert shared.set_index("place").loc["kyin_san_kyawt", "share_low"] == ""


@pytest.mark.parametrize("basis", ["held", "flow"])
@pytest.mark.parametrize("date", ["2024-08-10", "2025-05-01", "2025-11-15"])
def test_the_default_side_is_everything_out_of_the_incumbents_hands(
    shan_tl: object, basis: str, date: str
) -> None:
    # The default is every side but the incumbent.  Under held and flow the sides split the
    # trade, so the default's central value is what the incumbent's leaves (1 - junta), and
    # from the MNDAA's ceasefire (actor_sides.csv) it exceeds the resistance's alone.
    default = trade_share(shan_tl, date, basis=basis)
    junta = trade_share(shan_tl, date, side="junta", basis=basis)
    assert default.side == "neutral+resistance"
    if basis == "held":
        assert default.value == pytest.approx(1 - junta.value)
    explicit = trade_share(shan_tl, date, side="resistance+neutral", basis=basis)
    assert default.range_text == explicit.range_text and default.value == explicit.value
    resistance = trade_share(shan_tl, date, side="resistance", basis=basis)
    assert resistance.side == "resistance" and default.value >= resistance.value
    if date >= "2025-01-18" and basis == "held":
        assert default.value > resistance.value + 0.1  # the MNDAA's gates, neutral by then


@pytest.mark.parametrize(
    ("denominator", "side", "expected"),
    [
        # border:CHN is what the old name china_border meant: the CASES row above
        ("border:CHN", None, (300 / 800, 0.0, 600 / 800)),
        ("china_border", None, (300 / 800, 0.0, 600 / 800)),
        # the Thai posts of FY2022-23: gamma (gate_c, JUN) 100 and faraway (off the map,
        # counted as the incumbent's) 100; the code is matched in any case
        ("border:tha", "junta", (1.0, 1.0, 1.0)),
        ("border:THA", None, (0.0, 0.0, 0.0)),
    ],
)
def test_a_neighbours_border_is_named_by_its_partner_country(
    tl: ControlTimeline, denominator: str, side: str | None, expected: tuple[float, float, float]
) -> None:
    options = {} if side is None else {"side": side}
    share = trade_share(tl, "2023-07-01", denominator=denominator, **options)
    assert (share.value, share.low, share.high) == pytest.approx(expected)
    assert share.denominator == denominator
    if denominator.lower() == "border:tha":
        assert share.denominator_usd == pytest.approx(200.0)


def test_an_unknown_neighbour_lists_those_of_the_data(tl: ControlTimeline) -> None:
    with pytest.raises(TerritoryError) as caught:
        trade_share(tl, "2023-07-01", denominator="border:XYZ")
    message = str(caught.value)
    assert "denominator: 'border:XYZ'" in message
    assert "border:CHN, border:THA" in message and "'china_border' means 'border:CHN'" in message


def test_a_dataset_with_only_the_incumbent_side_says_so_for_the_default(
    tl: ControlTimeline,
) -> None:
    from territory.sides import SideVocabulary

    lone = dataclasses.replace(tl.dataset, sides=SideVocabulary(("junta",), "junta"))
    lone_tl = ControlTimeline(lone)
    with pytest.raises(TerritoryError, match="have none but the incumbent 'junta'"):
        trade_share(lone_tl, "2023-07-01")
    assert trade_share(lone_tl, "2023-07-01", side="junta").value == pytest.approx(0.7)
