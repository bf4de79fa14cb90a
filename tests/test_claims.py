"""Claims and corroboration: claims.csv read back, levels, filtering before replay."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import territory
from territory.claims import (
    claimed_vs_assessed,
    corroboration,
    filter_events,
    party_of,
    publication_of,
)
from territory.dataset import embedded_data_path
from territory.errors import TerritoryError
from territory.timeline import ControlTimeline


@pytest.fixture(scope="module")
def shan() -> territory.Dataset:
    return territory.load_shan()


def _claims_by_hand() -> dict[str, set[tuple[str, str]]]:
    """Oracle: read claims.csv with the csv module, (publication, party) per event."""
    out: dict[str, set[tuple[str, str]]] = {}
    path = embedded_data_path() / "events" / "claims.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["event_id"] and row["stance"] == "supports":
                out.setdefault(row["event_id"], set()).add((row["publication"], row["party"]))
    return out


def test_levels_match_a_hand_count_of_the_file(shan: territory.Dataset) -> None:
    by_hand = _claims_by_hand()
    table = corroboration(shan.events, shan.claims)
    for event_id, row in table.iterrows():
        pubs = by_hand.get(str(event_id), set())
        independent = {p for p, party in pubs if party == "independent"}
        assert row["sources"] == len({p for p, _ in pubs})
        expected = (
            "independent-multiple"
            if len(independent) >= 2
            else "single"
            if independent
            else "party-only"
            if pubs
            else "none"
        )
        assert row["corroboration"] == expected, event_id


def test_most_holder_changes_have_two_sources(shan: territory.Dataset) -> None:
    table = corroboration(shan.events, shan.claims)
    changing = shan.events["kind"].isin(["capture", "handover"]).to_numpy()
    assert (table["sources"].to_numpy()[changing] >= 2).mean() >= 0.6


def test_every_claim_names_a_known_event_and_place(shan: territory.Dataset) -> None:
    claims = shan.claims
    assert claims is not None and len(claims) > len(shan.events)
    assert set(claims["event_id"].dropna()) <= set(shan.events["event_id"])
    assert set(claims["place"].dropna()) <= set(shan.places.index)


def test_filter_drops_changes_before_replay(shan: territory.Dataset) -> None:
    table = corroboration(shan.events, shan.claims)
    weak = table.index[table["corroboration"] != "independent-multiple"]
    changes = shan.events.loc[
        shan.events["event_id"].isin(weak) & shan.events["kind"].isin(["capture", "handover"])
    ]
    assert len(changes) > 0
    strict = ControlTimeline(shan, min_corroboration="independent-multiple")
    assert not set(strict.events["event_id"]) & set(changes["event_id"])
    # a place whose only change is weakly sourced stays with its baseline holder
    only_weak = [
        p
        for p in changes["place"]
        if not shan.events.loc[
            (shan.events["place"] == p) & ~shan.events["event_id"].isin(weak)
        ].shape[0]
    ]
    assert only_weak
    place = only_weak[0]
    baseline = shan.baseline.set_index("place").loc[place, "holder"]
    assert strict.holder(place, shan.as_of) == baseline
    assert ControlTimeline(shan).holder(place, shan.as_of) != baseline


def test_filter_keeps_ceasefires_and_rejects_unknown_levels() -> None:
    events = pd.DataFrame({"event_id": ["a", "b"], "kind": ["capture", "ceasefire"]})
    assert filter_events(events, None, None) is events
    assert filter_events(events, None, "party-only")["event_id"].tolist() == ["b"]
    with pytest.raises(TerritoryError, match="min_corroboration"):
        filter_events(events, None, "two")


@pytest.mark.parametrize(
    ("source", "publication"),
    [
        ("AFP via The Star, 2024-08-03", "AFP"),
        ("Shan Herald/BNI, 2024-03", "Shan Herald"),
        ("Thanlwin Times, 2023-11-30", "Than Lwin Times"),
        ("Myanmar Now (stored copy undated)", "Myanmar Now"),
        ("WION (TNLA and junta spokesmen via AFP), 2024-01-12", "WION"),
    ],
)
def test_publication_names(shan: territory.Dataset, source: str, publication: str) -> None:
    assert publication_of(source, shan.publication_aliases) == publication


def _claims_rows() -> list[dict[str, str]]:
    path = embedded_data_path() / "events" / "claims.csv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_datasets_outlets_mark_the_party_rows_of_claims_csv(shan: territory.Dataset) -> None:
    # Oracle: the party column of claims.csv, filled by hand.  Every source the
    # outlets mark is a row the file gives to that party; and the outlets find
    # most of the file's junta rows (the rest name a spokesman or a ministry).
    rows = _claims_rows()
    marked = [r for r in rows if party_of(r["source"], shan.party_outlets) != "independent"]
    assert marked and all(r["party"] == "SAC" for r in marked)
    junta_rows = [r for r in rows if r["party"] == "SAC"]
    assert len(marked) / len(junta_rows) > 0.6
    # the same spellings merged, as the publication column merges them
    same = sum(
        publication_of(r["source"], shan.publication_aliases) == r["publication"] for r in rows
    )
    bare = sum(publication_of(r["source"]) == r["publication"] for r in rows)
    assert same / len(rows) > 0.97 and same > bare


def test_disputed_claim_shows_apart_from_assessed_holder(shan: territory.Dataset) -> None:
    table = corroboration(shan.events, shan.claims)
    assert table["disputed"].any()
    view = claimed_vs_assessed(shan, "2024-07-28")
    lashio = view.loc["lashio"]
    assert (lashio["assessed_holder"], lashio["claimed_holder"]) == ("SAC", "MNDAA")
    assert lashio["differs"] and lashio["claim_disputed"]
    after = claimed_vs_assessed(shan, "2024-08-10").loc["lashio"]
    assert after["assessed_holder"] == "MNDAA" and not after["differs"]


def test_every_window_covers_the_days_its_sources_give(shan: territory.Dataset) -> None:
    from territory.claims import date_spread

    spread = date_spread(shan.events, shan.claims)
    assert spread["covered"].all(), spread.loc[~spread["covered"]]
    disputed_days = spread.loc[spread["earliest"] != spread["latest"]]
    assert len(disputed_days) >= 5
    # Lashio's command: the MNDAA's 25 July claim and the 3 August fall
    row = spread.loc["e2-016"]
    assert (row["earliest"], row["latest"]) == (
        pd.Timestamp("2024-07-25"),
        pd.Timestamp("2024-08-03"),
    )
    notes = shan.events.set_index("event_id").loc[disputed_days.index, "note"]
    assert notes.str.contains("chosen").all()


def test_a_claim_naming_an_unknown_event_or_party_is_a_listed_problem(tmp_path) -> None:
    import shutil

    from territory.dataset import validate

    copy = tmp_path / "data"
    shutil.copytree(embedded_data_path(), copy)
    path = copy / "events" / "claims.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            'bad-1,e9-999,lashio,2024-01-01,capture,MNDAA,supports,"X, 2024-01-02",X,NOBODY,\n'
        )
    problems = [str(p) for p in validate(copy)]
    rows = sum(1 for _ in path.open(encoding="utf-8"))
    assert any(
        f"claims.csv, row {rows}, column 'event_id'" in p and "e9-999" in p for p in problems
    )
    assert any(f"row {rows}, column 'party'" in p and "NOBODY" in p for p in problems)


def test_a_claim_the_log_does_not_accept_shows_only_in_the_claimed_layer(
    shan: territory.Dataset,
) -> None:
    # Wikipedia says the junta ceded Mongyai to the SSPP on 2024-07-12; MoeMaKa and
    # Mizzima put the junta's command there until April 2025, so the log keeps SAC
    assert not (shan.events["place"] == "mongyai").any()
    later = claimed_vs_assessed(shan, "2025-05-01").loc["mongyai"]
    assert (later["assessed_holder"], later["claimed_holder"]) == ("SAC", "SSPP")
    assert later["differs"] and later["claim_disputed"]
