"""``territory import``: other projects' data as candidate events, for review.

Registered on the main command in :mod:`territory.cli`.

* ``territory import acled EXPORT.csv --actors MAP.csv --places DIR [-o REVIEW.csv]``
  writes a review CSV of candidate events (nothing is added to the log);
* ``territory import accept REVIEW.csv --data DIR`` merges the rows marked
  ``accept = yes`` into ``DIR/events/events.csv`` and validates the dataset.

Examples
--------
>>> from click.testing import CliRunner
>>> "acled" in CliRunner().invoke(import_group, ["--help"]).output
True
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["import_group"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group(name="import", short_help="Candidate events from ACLED, to review and accept.")
def import_group() -> None:
    """Turn other projects' event data into candidate events for review."""


@import_group.command(short_help="An ACLED export as a review CSV of candidate events.")
@click.argument("export", type=_FILE)
@click.option("--actors", "actors", type=_FILE, required=True, help="ACLED name → actor id CSV.")
@click.option("--places", "places", type=_DIR, required=True, help="The dataset directory.")
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("acled_review.csv"),
    show_default=True,
    help="The review CSV to write.",
)
@click.option(
    "--max-distance-km",
    type=float,
    default=10.0,
    show_default=True,
    help="How far a place may lie from ACLED's point, in the same admin unit.",
)
def acled(export: Path, actors: Path, places: Path, out: Path, max_distance_km: float) -> None:
    """Write the territorial events of an ACLED EXPORT as a review CSV.

    Nothing is added to the event log: mark the rows to take with accept = yes
    and run `territory import accept`.
    """
    from territory.io import read_acled, write_review

    review = read_acled(export, actors, places, max_distance_km=max_distance_km)
    write_review(review, out)
    counts = review["review_status"].value_counts().to_dict()
    shown = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    click.echo(f"wrote {out}: {len(review)} row(s) ({shown or 'none'})")
    click.echo(f"{review.attrs['ignored']} row(s) of other sub-event types ignored")
    if review.attrs["unmatched"]:
        click.echo("unmatched ACLED locations: " + "; ".join(review.attrs["unmatched"]))


@import_group.command(short_help="Merge the accepted rows of a review CSV into the log.")
@click.argument("review", type=_FILE)
@click.option("--data", "data", type=_DIR, required=True, help="The dataset directory.")
def accept(review: Path, data: Path) -> None:
    """Merge the rows of REVIEW marked accept = yes into the dataset's events.csv."""
    from territory.io import accept_review

    problems = accept_review(review, data)
    click.echo(f"merged the accepted rows of {review} into {data / 'events/events.csv'}")
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise SystemExit(1)
    click.echo(f"{data}: ok")
