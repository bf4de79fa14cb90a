"""The analysis subcommands of ``territory``: places, series, changes and trade.

Each prints a table (``--format table``), CSV or JSON to stdout, or writes it
to a file with ``-o FILE`` (atomically; "wrote …" goes to stderr).  They take
the same timeline options as the other subcommands (``--townships``,
``--known-by``, ``--model``, ``--data``).  Registered on
:data:`territory.cli.main` when :mod:`territory.cli` is imported.

Examples
--------
>>> from click.testing import CliRunner
>>> from territory.cli import main
>>> result = CliRunner().invoke(
...     main, ["series", "--start", "2023-10-26", "--end", "2023-11-09", "--format", "csv"])
>>> result.output.splitlines()[0]
'date,contested,junta,neutral,resistance,unassessed'
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from territory.cli import (
    _FREQ_HELP,
    DAY,
    FREQ,
    _data_option,
    _dates,
    _in_range,
    _load,
    _note,
    _origin_option,
    _timeline,
    _timeline_options,
    main,
)
from territory.export.atomic import atomic_path
from territory.summary import jsonable, text_table

__all__ = ["changes", "emit", "places", "series", "trade"]

_FORMATS = ("table", "csv", "json")


def _format_option(function: Any) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(_FORMATS),
        default="table",
        show_default=True,
        help="table (for people), csv or json (for programs).",
    )(function)


def _out_option(function: Any) -> Any:
    return click.option(
        "-o",
        "--out",
        "out",
        default="-",
        show_default=True,
        metavar="FILE",
        help="Where to write; '-' is stdout.",
    )(function)


def emit(table: pd.DataFrame, fmt: str, out: str, *, title: str, meta: dict[str, Any]) -> None:
    """Print or write ``table`` as a text table, CSV or JSON.

    Parameters
    ----------
    table : DataFrame
        Plain columns (no geometry); its index is written as a column when named.
    fmt : {"table", "csv", "json"}
    out : str
        ``"-"`` for stdout, else a file path (written atomically).
    title : str
        The line above a text table.
    meta : dict
        Top-level members of the JSON document besides ``rows``.
    """
    frame = table.reset_index() if table.index.name is not None else table.reset_index(drop=True)
    if fmt == "csv":
        buffer = io.StringIO()
        shown = frame.copy()
        for column in shown.columns:
            shown[column] = shown[column].map(lambda v: v if isinstance(v, str) else jsonable(v))
        shown.to_csv(buffer, index=False, lineterminator="\n")
        text = buffer.getvalue()
    elif fmt == "json":
        rows = [jsonable(r) for r in frame.to_dict("records")]
        text = json.dumps({**jsonable(meta), "rows": rows}, indent=2, ensure_ascii=False) + "\n"
    else:
        cells = [
            [jsonable(v) if not isinstance(v, str) else v for v in row]
            for row in frame.to_numpy().tolist()
        ]
        text = f"{title}\n{text_table([str(c) for c in frame.columns], cells)}\n"
    if out == "-":
        click.echo(text, nl=False)
        return
    with atomic_path(out) as temporary:
        temporary.write_text(text, encoding="utf-8")
    _note(f"wrote {out}")


def _check_steps(frame: pd.DataFrame, steps: list[pd.Timestamp], freq: str) -> None:
    """A usage error when no step of ``freq`` falls in the range (as the API, ends excluded)."""
    if frame.empty:
        raise click.BadParameter(
            f"no {freq!r} step falls between {steps[0].date()} and {steps[-1].date()}: "
            "choose a longer range or a shorter --freq (D)",
            param_hint="'--freq'",
        )


# --------------------------------------------------------------------------- places
@main.command(short_help="Who holds each place on a day, or a place's history.")
@click.option("--date", type=DAY, default=None, help="The day (default: the as-of date).")
@click.option(
    "--place",
    "names",
    multiple=True,
    metavar="NAME",
    help="A place id, name or alt name, any case (repeat it); default every place.",
)
@click.option("--history", is_flag=True, help="Each place's holder intervals, with their sources.")
@_format_option
@_out_option
@_timeline_options
@_data_option
def places(
    date: pd.Timestamp | None,
    names: tuple[str, ...],
    history: bool,
    fmt: str,
    out: str,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """Holders of places on a day (ControlTimeline.places_at), or --history (place_intervals)."""
    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    if history:
        if date is not None:
            raise click.BadParameter(
                "--history lists every day: drop --date", param_hint="'--date'"
            )
        frame = pd.DataFrame(tl.place_intervals(list(names) or None).drop(columns="geometry"))
        emit(frame, fmt, out, title="Holders over time", meta={"as_of": tl.as_of})
        return
    day = _in_range(ds, date, as_of=tl.as_of) if date is not None else tl.as_of
    at = tl.places_at(day)
    if names:
        at = at.loc[[tl.resolve(name) for name in names]]
    frame = pd.DataFrame(at.drop(columns="geometry")).reset_index(drop=True)
    frame.insert(len(frame.columns), "lon", at.geometry.x.round(6).to_numpy())
    frame.insert(len(frame.columns), "lat", at.geometry.y.round(6).to_numpy())
    emit(frame, fmt, out, title=f"Places on {day.date()}", meta={"date": day})


# --------------------------------------------------------------------------- series
@main.command(short_help="Area, population, places or townships held, over time.")
@click.option("--start", type=DAY, default=None, help="First day; default: the baseline date.")
@click.option("--end", type=DAY, default=None, help="Last day; default: the as-of date.")
@click.option("--freq", type=FREQ, default="W", show_default=True, help=_FREQ_HELP)
@click.option("--by", type=click.Choice(["side", "actor"]), default="side", show_default=True)
@click.option(
    "--measure",
    type=click.Choice(["area_km2", "population", "places", "townships"]),
    default="area_km2",
    show_default=True,
    help="population and townships need --townships.",
)
@click.option("--bounds", is_flag=True, help="Add low and high bands from date uncertainty.")
@_format_option
@_out_option
@_timeline_options
@_data_option
def series(
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    by: str,
    measure: str,
    bounds: bool,
    fmt: str,
    out: str,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """A measure of each side's or actor's holdings at each step (ControlTimeline.series)."""
    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    steps = _dates(ds, start, end, freq, tl.as_of)
    frame = tl.series(steps[0], steps[-1], freq=freq, by=by, measure=measure, bounds=bounds)
    _check_steps(frame, steps, freq)
    if bounds:
        pairs: list[Any] = list(frame.columns)  # (band, group)
        frame.columns = pd.Index([f"{pair[1]}_{pair[0]}" for pair in pairs])
    frame.columns.name = None
    frame = frame.round(3)
    meta = {"measure": measure, "by": by, "freq": freq, "ceasefires": frame.attrs["ceasefires"]}
    emit(frame, fmt, out, title=f"{measure} by {by}, {freq}", meta=meta)


# --------------------------------------------------------------------------- changes
@main.command(short_help="What changed hands between two days.")
@click.option("--from", "d0", type=DAY, default=None, help="First day; default: the baseline.")
@click.option("--to", "d1", type=DAY, default=None, help="Second day; default: the as-of date.")
@_format_option
@_out_option
@_timeline_options
@_data_option
def changes(
    d0: pd.Timestamp | None,
    d1: pd.Timestamp | None,
    fmt: str,
    out: str,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """Ground that changed hands from --from to --to, by (from_actor, to_actor).

    For the polygons, use `territory export` or ControlTimeline.changes.
    """
    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    first = _in_range(ds, d0, "from", tl.as_of) if d0 is not None else ds.baseline_date
    last = _in_range(ds, d1, "to", tl.as_of) if d1 is not None else tl.as_of
    if last < first:
        raise click.BadParameter(
            f"{last.date()} is before --from {first.date()}", param_hint="'--to'"
        )
    frame = pd.DataFrame(tl.changes(first, last).drop(columns="geometry"))
    frame["area_km2"] = frame["area_km2"].round(1)
    meta = {"from": first, "to": last}
    emit(frame, fmt, out, title=f"Changed hands from {first.date()} to {last.date()}", meta=meta)


# --------------------------------------------------------------------------- trade
@main.command(short_help="The share of border trade a side holds, on a day or over time.")
@click.option("--date", type=DAY, default=None, help="One day (default: the as-of date).")
@click.option("--start", type=DAY, default=None, help="A series from this day …")
@click.option("--end", type=DAY, default=None, help="… to this day (default: the as-of date).")
@click.option("--freq", type=FREQ, default="W", show_default=True, help=_FREQ_HELP)
@click.option(
    "--side",
    default=None,
    help="A side, or sides joined by + (default: every side but the incumbent).",
)
@click.option(
    "--basis", type=click.Choice(["held", "cut", "flow"]), default="held", show_default=True
)
@click.option(
    "--denominator",
    default="all_border",
    show_default=True,
    help="all_border, or border:<ISO3> for the border with one neighbour (a partner_country "
    "of border_trade.csv); china_border is an alias of border:CHN.",
)
@click.option("--reference-period", default=None, help="A reference period's label.")
@_format_option
@_out_option
@_origin_option
@_timeline_options
@_data_option
def trade(
    date: pd.Timestamp | None,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    side: str | None,
    basis: str,
    denominator: str,
    reference_period: str | None,
    fmt: str,
    out: str,
    origin: str | None,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """The trade share (territory.trade_share; with --start, trade_share_series)."""
    from territory.trade import trade_share, trade_share_series

    if date is not None and (start is not None or end is not None):
        raise click.BadParameter("give --date, or --start/--end, not both", param_hint="'--date'")
    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    if side is None:  # the trade out of the incumbent's hands
        side = ds.sides.not_incumbent
    options: dict[str, Any] = {
        "side": side.split("+") if side is not None and "+" in side else side,
        "basis": basis,
        "denominator": denominator,
        "reference_period": reference_period,
        "origin": origin,
    }
    meta = {"side": side, "basis": basis, "denominator": denominator}
    if start is None and end is None:
        day = _in_range(ds, date, as_of=tl.as_of) if date is not None else tl.as_of
        share = trade_share(tl, day, **options)
        row = {
            "date": share.date,
            "value": round(share.value, 4),
            "low": round(share.low, 4),
            "high": round(share.high, 4),
            "numerator_usd": share.numerator_usd,
            "denominator_usd": share.denominator_usd,
            "reference_period": str(share.reference_period),
            "crossings": ";".join(share.crossings),
        }
        emit(
            pd.DataFrame([row]),
            fmt,
            out,
            title=str(share) + "".join(f"\n  note: {n}" for n in share.notes),
            meta={**meta, "notes": list(share.notes)},
        )
        return
    steps = _dates(ds, start, end, freq, tl.as_of)
    frame = trade_share_series(tl, steps[0], steps[-1], freq=freq, **options)
    _check_steps(frame, steps, freq)
    shown = frame[["value", "low", "high", "numerator_usd", "denominator_usd", "reference_period"]]
    shown = shown.assign(**{c: shown[c].round(4) for c in ("value", "low", "high")})
    notes = sorted({n for row in frame["notes"] for n in row})
    emit(
        shown,
        fmt,
        out,
        title=f"Trade share ({side}, {basis}), {freq}",
        meta={**meta, "notes": notes},
    )
