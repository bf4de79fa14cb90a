"""The ``territory`` command: the library from a shell.

A thin layer: each subcommand parses its options, calls the library and
prints.  Every subcommand takes ``--data DIR`` to run on a dataset laid out
like the embedded one (``docs/data.md``); without it, the embedded Shan State
dataset is used.  Errors the library raises on purpose
(:class:`~territory.errors.TerritoryError`) and bad options end with a
one-line message on stderr and a non-zero exit status, never a traceback
(``-vv`` logs the traceback at debug level).

See ``docs/cli.md`` for the reference, or ``territory --help``.

Examples
--------
>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(main, ["--version"])
>>> result.output.startswith("territory, version")
True
>>> parse_date("2024-08-03")
Timestamp('2024-08-03 00:00:00')
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import pandas as pd

import territory
from territory.dataset import (
    Dataset,
    embedded_data_path,
    load_dataset,
    load_shan,
    read_townships,
    validate,
)
from territory.errors import DataError, TerritoryError

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = ["HEADLINE_DATES", "HEADLINE_MAP_DATE", "main", "parse_date"]

LOG = logging.getLogger("territory")
T = TypeVar("T")

#: The dates the demo summarises, each with why it matters.  ``None`` stands
#: for the dataset's as-of date.
HEADLINE_DATES: tuple[tuple[str | None, str], ...] = (
    # Operation 1027 was launched on 27 October 2023 (DVB, 2025-01): the eve is the
    # dataset's baseline.
    ("2023-10-26", "eve of Operation 1027"),
    # The end of the offensive's first full month, before the January 2024 ceasefire.
    ("2023-11-30", "end of November 2023"),
    # The China-brokered Haigeng ceasefire was agreed at talks in Kunming on 10-11 January
    # 2024 and announced on 12 January (Narinjara, 2024-01-12; DVB, 2025-01): the 15th is
    # the first Monday after it.
    ("2024-01-15", "after the Haigeng ceasefire"),
    # The MNDAA took the Northeastern Command in Lashio on 3 August 2024 (AFP via The Star,
    # 2024-08-03; DVB, 2025-01): a week later.
    ("2024-08-10", "after the fall of Lashio"),
    # The MNDAA withdrew and junta forces re-entered Lashio on 21-22 April 2025 (Mizzima,
    # 2025-04-23; The Nation Thailand, 2025-04-23).
    ("2025-05-01", "after Lashio's return"),
    (None, "as-of date of the data"),
)
#: The date of the demo's static map: a week after the fall of Lashio.
HEADLINE_MAP_DATE = "2024-08-10"

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FREQ_HELP = "pandas frequency of the steps: D (daily), W (weekly), MS (monthly) …"


# --------------------------------------------------------------------------- helpers
def parse_date(text: str, name: str = "date") -> pd.Timestamp:
    """Parse an ISO day strictly (``YYYY-MM-DD``).

    Parameters
    ----------
    text : str
        The text to parse.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    pandas.Timestamp
        At midnight, without a time zone.

    Raises
    ------
    click.BadParameter
        When ``text`` is not a real day written as ``YYYY-MM-DD``.

    Examples
    --------
    >>> parse_date("2023-10-27")
    Timestamp('2023-10-27 00:00:00')
    >>> parse_date("27/10/2023")
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: '27/10/2023' is not a date: expected YYYY-MM-DD, for example 2024-08-10
    """
    if not _ISO_DAY.match(text.strip()):
        raise click.BadParameter(
            f"{text!r} is not a date: expected YYYY-MM-DD, for example 2024-08-10",
            param_hint=f"'--{name}'" if name != "date" else None,
        )
    try:
        return pd.Timestamp(text.strip())
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a real day: expected YYYY-MM-DD, for example 2024-08-10"
        ) from None


class _Day(click.ParamType):
    """A click parameter type for ISO days."""

    name = "YYYY-MM-DD"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> pd.Timestamp:
        if isinstance(value, pd.Timestamp):
            return value
        try:
            return parse_date(str(value))
        except click.BadParameter as error:
            self.fail(error.message, param, ctx)


DAY = _Day()


def _one_line(error: BaseException) -> str:
    """A one-line message for an error; a DataError with many problems is summarised."""
    if isinstance(error, DataError) and len(error.problems) > 1:
        folder = getattr(error, "dataset_dir", None) or "DIR"
        return (
            f"{len(error.problems)} problems in the data; the first: {error.problems[0]} "
            f"(run 'territory validate {folder}' to list them all)"
        )
    return " ".join(str(error).split()) or type(error).__name__


class _Group(click.Group):
    """A click group whose errors end in one line on stderr, never a traceback."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # bare `territory` (click >= 8.2)
                click.echo(error.format_message())
                sys.exit(0)
            where = error.ctx.command_path if error.ctx is not None else "territory"
            _fail(f"{error.format_message()} (see '{where} --help')", error.exit_code)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except TerritoryError as error:
            LOG.debug("traceback", exc_info=True)
            _fail(_one_line(error), 1)
        except BrokenPipeError:  # e.g. `territory crossings | head -1`: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as error:
            LOG.debug("traceback", exc_info=True)
            what = f"{error.strerror or error}: {error.filename}" if error.filename else error
            _fail(f"{what}", 1)
        except click.Abort:
            _fail("aborted", 1)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"territory: error: {message}", err=True)
    sys.exit(code)


def _configure_logging(verbose: int, quiet: int) -> None:
    if quiet:
        # -q asks for errors only: Python warnings (e.g. from folium) are not errors.
        warnings.simplefilter("ignore")
    level = logging.WARNING + 10 * (quiet - verbose)
    level = min(max(level, logging.DEBUG), logging.CRITICAL)
    LOG.setLevel(level)
    if not any(getattr(h, "_territory_cli", False) for h in LOG.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("territory: %(levelname)s: %(message)s"))
        handler._territory_cli = True  # type: ignore[attr-defined]
        LOG.addHandler(handler)
    for handler in LOG.handlers:
        if getattr(handler, "_territory_cli", False):
            handler.setStream(sys.stderr)  # type: ignore[attr-defined]


def _interactive() -> bool:
    """True when both stdout and stderr are terminals: only then draw progress bars."""
    return sys.stdout.isatty() and sys.stderr.isatty() and LOG.level <= logging.WARNING


@contextlib.contextmanager
def _progress(
    items: Sequence[T], label: str, show: Callable[[T | None], str | None] | None = None
) -> Iterator[Iterable[T]]:
    """A progress bar over ``items`` on a terminal; the bare items when output is piped."""
    if not _interactive():
        yield items
        return
    with click.progressbar(
        items, label=label, file=sys.stderr, show_pos=True, item_show_func=show
    ) as bar:
        yield bar


def _staged(label: str, stages: Sequence[tuple[str, Callable[[], Any]]]) -> list[Any]:
    """Run named stages in order, with a progress bar over them on a terminal."""
    results = []
    with _progress(list(stages), label, show=lambda stage: stage[0] if stage else None) as bar:
        for _name, stage in bar:
            results.append(stage())
    return results


def _data_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--data",
        "data",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="A dataset directory laid out like the embedded one (default: the embedded "
        "Shan State dataset).",
    )(function)


def _date_option(help_text: str = "The day (YYYY-MM-DD); default: the as-of date.") -> Any:
    return click.option("--date", "date", type=DAY, default=None, help=help_text)


def _tiles_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--tiles",
        default=None,
        metavar="NAME",
        help="Base map tiles: a folium tile name such as OpenStreetMap, or 'none' for a map "
        "that needs no network (default: the library's).",
    )(function)


def _tiles(name: str | None) -> dict[str, Any]:
    """Keyword arguments for the map writers' ``tiles`` (none given: their default)."""
    if name is None:
        return {}
    return {"tiles": None if name.lower() == "none" else name}


def _origin_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--origin",
        default=None,
        metavar="PLACE",
        help="Where the junta's road network starts, for the 'cut' basis and road reach "
        "(default: 'origin' in the dataset's dataset.json, else mandalay).",
    )(function)


def default_origin(dataset: Dataset) -> str:
    """The place the junta's roads start from: ``origin`` in ``dataset.json``, else Mandalay.

    Examples
    --------
    >>> import json, tempfile
    >>> from types import SimpleNamespace
    >>> folder = Path(tempfile.mkdtemp())
    >>> default_origin(SimpleNamespace(path=folder))  # no dataset.json here
    'mandalay'
    >>> _ = (folder / "dataset.json").write_text(json.dumps({"origin": "port_alder"}))
    >>> default_origin(SimpleNamespace(path=folder))
    'port_alder'
    """
    from territory.routes import DEFAULT_ORIGIN

    origin = getattr(dataset, "origin", None)
    if origin is None:
        try:
            meta = json.loads((dataset.path / "dataset.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        origin = meta.get("origin") if isinstance(meta, dict) else None
    return str(origin or DEFAULT_ORIGIN)


def _load(data: Path | None) -> Dataset:
    try:
        dataset = load_shan() if data is None else load_dataset(data)
    except DataError as error:
        error.dataset_dir = data or embedded_data_path()  # type: ignore[attr-defined]
        raise
    LOG.info("loaded %r", dataset)
    return dataset


def _timeline(dataset: Dataset, townships: Path | None = None) -> ControlTimeline:
    from territory.timeline import ControlTimeline

    if townships is None:
        return ControlTimeline(dataset)
    return ControlTimeline(dataset, townships=read_townships(townships))


def _in_range(dataset: Dataset, day: pd.Timestamp, name: str = "date") -> pd.Timestamp:
    if not dataset.baseline_date <= day <= dataset.as_of:
        raise click.BadParameter(
            f"{day.date()} is outside the data: expected a day from the baseline "
            f"{dataset.baseline_date.date()} to the as-of date {dataset.as_of.date()}",
            param_hint=f"'--{name}'",
        )
    return day


def _dates(
    dataset: Dataset, start: pd.Timestamp | None, end: pd.Timestamp | None, freq: str
) -> list[pd.Timestamp]:
    """The steps from ``start`` to ``end`` (both default to the data's range), end included."""
    start = _in_range(dataset, start, "start") if start is not None else dataset.baseline_date
    end = _in_range(dataset, end, "end") if end is not None else dataset.as_of
    if end < start:
        raise click.BadParameter(
            f"{end.date()} is before --start {start.date()}", param_hint="'--end'"
        )
    try:
        steps = list(pd.date_range(start, end, freq=freq))
    except ValueError:
        raise click.BadParameter(
            f"{freq!r} is not a pandas frequency: expected for example D, W or MS",
            param_hint="'--freq'",
        ) from None
    if not steps or steps[-1] != end:
        steps.append(end)
    if steps[0] != start:
        steps.insert(0, start)
    return [pd.Timestamp(step).normalize() for step in steps]


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table; columns of numbers are right-aligned.

    Examples
    --------
    >>> print(_table(["actor", "km²"], [["MNDAA", 1234.56], ["SAC", 9.04]]))
    actor    km²
    -----  -----
    MNDAA  1,235
    SAC      9.0
    """
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [
        bool(rows)
        and all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool) for row in rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None  # None, NaN, NaT, pd.NA
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# --------------------------------------------------------------------------- the group
@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(territory.__version__, "-V", "--version", prog_name="territory")
@click.option("-v", "--verbose", count=True, help="More log messages (-vv for debug).")
@click.option("-q", "--quiet", count=True, help="Fewer messages (-qq: only critical ones).")
def main(verbose: int, quiet: int) -> None:
    """Who holds which ground, on any date, with evidence.

    Runs on the embedded Shan State dataset (Operation 1027 and after), or on
    your own dataset with --data DIR.  Dates are ISO days, YYYY-MM-DD.
    """
    _configure_logging(verbose, quiet)


# --------------------------------------------------------------------------- summary
def summarise(
    tl: ControlTimeline, day: pd.Timestamp, *, townships: bool = False, origin: str | None = None
) -> dict[str, Any]:
    """Everything ``territory summary`` prints for one day, as plain data.

    Parameters
    ----------
    tl : ControlTimeline
    day : pandas.Timestamp
    townships : bool
        Whether ``tl`` was built with townships (adds township counts by side).
    origin : str, optional
        Where the junta's roads start (default: :func:`default_origin`).

    Returns
    -------
    dict
        ``date``, ``actors`` (holder rows: actor, side, places, contested
        (places), area_km2, contested_km2, share), ``sides`` (side, area_km2, share), ``townships`` (side,
        count) when asked, and ``trade`` (one row per basis, with value, low,
        high, the reference period and notes).
    """
    ds = tl.dataset
    places = tl.places_at(day)
    by_actor = tl.at(day, by="actor")
    total = float(by_actor["area_km2"].sum()) or math.nan
    actor_col = "actor" if "actor" in by_actor.columns else by_actor.columns[0]
    counts = places.groupby("holder").size()
    contested = (
        places.loc[places["status"] == "contested"].groupby("holder").size()
        if "status" in places.columns
        else pd.Series(dtype=int)
    )
    area = by_actor.groupby(actor_col)["area_km2"].sum()
    contested_area = (
        by_actor.groupby(actor_col)["contested_km2"].sum()
        if "contested_km2" in by_actor.columns
        else pd.Series(dtype=float)
    )
    actors = []
    for actor in sorted(set(area.index) | set(counts.index), key=lambda a: -area.get(a, 0.0)):
        side = ds.actors["side"].get(actor, "")
        actors.append(
            {
                "actor": actor,
                "side": side,
                "places": int(counts.get(actor, 0)),
                "contested": int(contested.get(actor, 0)),
                "area_km2": float(area.get(actor, 0.0)),
                "contested_km2": float(contested_area.get(actor, 0.0)),
                "share": float(area.get(actor, 0.0)) / total,
            }
        )
    by_side = tl.at(day, by="side")
    side_col = "side" if "side" in by_side.columns else by_side.columns[0]
    side_area = by_side.groupby(side_col)["area_km2"].sum()
    sides = [
        {"side": side, "area_km2": float(value), "share": float(value) / total}
        for side, value in side_area.sort_values(ascending=False).items()
    ]
    result: dict[str, Any] = {
        "dataset": ds.name,
        "date": day.date().isoformat(),
        "actors": actors,
        "sides": sides,
    }
    if townships:
        frame = tl.at(day, level="township", by="side")
        column = "side" if "side" in frame.columns else side_col
        counted = frame.groupby(column).size()
        result["townships"] = [{"side": side, "townships": int(n)} for side, n in counted.items()]
    result["trade"] = _trade_rows(tl, day, origin or default_origin(ds))
    return result


def _trade_rows(tl: ControlTimeline, day: pd.Timestamp, origin: str) -> list[dict[str, Any]]:
    try:
        from territory.trade import trade_share
    except ImportError:  # pragma: no cover - the trade module is part of the package
        return []
    rows = []
    for basis in ("held", "cut"):
        try:
            share = trade_share(tl, day, side="resistance", basis=basis, origin=origin)
        except TerritoryError as error:
            LOG.warning("trade share (%s) on %s: %s", basis, day.date(), _one_line(error))
            rows.append({"basis": basis, "error": _one_line(error)})
            continue
        period = share.reference_period
        rows.append(
            {
                "basis": basis,
                "side": share.side,
                "denominator": share.denominator,
                "value": share.value,
                "low": share.low,
                "high": share.high,
                "numerator_usd": share.numerator_usd,
                "denominator_usd": share.denominator_usd,
                "crossings": list(share.crossings),
                "reference_period": _period_label(period),
                "notes": list(share.notes),
            }
        )
    return rows


def _period_label(period: object) -> str:
    if period is None:
        return ""
    if isinstance(period, str):
        return period
    label = getattr(period, "label", None)
    if label is not None:
        return str(label)
    if isinstance(period, (tuple, list)) and period:
        return str(period[0])
    return str(period)


def _pct(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{100 * float(value):.1f} %"  # type: ignore[arg-type]


def render_summary(summary: dict[str, Any]) -> str:
    """The summary of :func:`summarise` as text tables."""
    parts = [f"{summary['dataset']} on {summary['date']}", ""]
    parts.append(
        _table(
            ["holder", "side", "places", "contested", "area km²", "contested km²", "share"],
            [
                [
                    r["actor"],
                    r["side"],
                    r["places"],
                    r["contested"],
                    r["area_km2"],
                    r["contested_km2"],
                    _pct(r["share"]),
                ]
                for r in summary["actors"]
            ],
        )
    )
    parts += [
        "",
        _table(
            ["side", "area km²", "share"],
            [[r["side"], r["area_km2"], _pct(r["share"])] for r in summary["sides"]],
        ),
    ]
    if "townships" in summary:
        parts += [
            "",
            _table(
                ["side", "townships"],
                [[r["side"], r["townships"]] for r in summary["townships"]],
            ),
        ]
    trade = [r for r in summary["trade"] if "error" not in r]
    if trade:
        parts += [
            "",
            _table(
                ["trade share", "side", "of", "value", "range", "reference period"],
                [
                    [
                        f"basis {r['basis']}",
                        r["side"],
                        r["denominator"],
                        _pct(r["value"]),
                        f"{_pct(r['low'])} – {_pct(r['high'])}",
                        r["reference_period"],
                    ]
                    for r in trade
                ],
            ),
        ]
    for row in summary["trade"]:
        if "error" in row:
            parts.append(f"trade share (basis {row['basis']}): not available: {row['error']}")
    return "\n".join(parts)


@main.command(short_help="Holders, areas, township counts and the trade share on a day.")
@_date_option("The day to summarise (YYYY-MM-DD); default: the as-of date.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--townships",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="MIMU-style township polygons (TS_PCODE, TS; EPSG:4326): adds township counts.",
)
@_origin_option
@_data_option
def summary(
    date: pd.Timestamp | None,
    fmt: str,
    townships: Path | None,
    origin: str | None,
    data: Path | None,
) -> None:
    """Holders, areas by side, township counts and the trade share on a day."""
    ds = _load(data)
    day = _in_range(ds, date) if date is not None else ds.as_of
    tl = _timeline(ds, townships)
    result = summarise(tl, day, townships=townships is not None, origin=origin)
    if fmt == "json":
        click.echo(json.dumps(_jsonable(result), indent=2, ensure_ascii=False))
    else:
        click.echo(render_summary(result))


# --------------------------------------------------------------------------- crossings
@main.command(short_help="Who holds each border crossing, and can the junta reach it.")
@_date_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@_origin_option
@_data_option
def crossings(date: pd.Timestamp | None, fmt: str, origin: str | None, data: Path | None) -> None:
    """Who holds each border crossing on a day, and whether the junta can reach it."""
    from territory.trade import crossings_at

    ds = _load(data)
    day = _in_range(ds, date) if date is not None else ds.as_of
    tl = _timeline(ds)
    frame = crossings_at(tl, day, origin=origin or default_origin(ds))
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    table.insert(len(table.columns), "lon", frame.geometry.x.round(6))
    table.insert(len(table.columns), "lat", frame.geometry.y.round(6))
    table = table.reset_index(drop=True)
    if fmt == "csv":
        buffer = io.StringIO()
        out = table.copy()
        for column in out.columns:
            out[column] = out[column].map(lambda v: _jsonable(v) if not isinstance(v, str) else v)
        out.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        click.echo(buffer.getvalue(), nl=False)
    elif fmt == "json":
        records = [_jsonable(r) for r in table.to_dict("records")]
        click.echo(json.dumps({"date": day.date().isoformat(), "crossings": records}, indent=2))
    else:
        shown = [
            c
            for c in (
                "id",
                "name",
                "partner_country",
                "holder",
                "side",
                "held_since",
                "status",
                "reachable_by_junta",
                "trade_value_usd",
                "reference_period",
            )
            if c in table.columns
        ]
        click.echo(f"Border crossings on {day.date()}")
        click.echo(_table(shown, table[shown].to_numpy().tolist()))


# --------------------------------------------------------------------------- maps
@main.command(name="map", short_help="A Folium map of control on a day.")
@_date_option()
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("map.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--events-days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Show the events of this many days up to --date.",
)
@_tiles_option
@_data_option
def map_(
    date: pd.Timestamp | None, out: Path, events_days: int, tiles: str | None, data: Path | None
) -> None:
    """A Folium map of who holds what on a day, as one HTML file."""
    from territory.export import control_map

    ds = _load(data)
    day = _in_range(ds, date) if date is not None else ds.as_of
    tl = _timeline(ds)
    save_map(control_map(tl, day, events_days=events_days, **_tiles(tiles)), out)
    click.echo(f"wrote {out}")


@main.command(short_help="A Folium map with a time slider.")
@click.option("--start", type=DAY, default=None, help="First day; default: the baseline date.")
@click.option("--end", type=DAY, default=None, help="Last day; default: the as-of date.")
@click.option("--freq", default="W", show_default=True, help=_FREQ_HELP)
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("timeline.html"),
    show_default=True,
    help="The HTML file to write.",
)
@_tiles_option
@_data_option
def animate(
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    out: Path,
    tiles: str | None,
    data: Path | None,
) -> None:
    """A Folium map with a time slider from --start to --end."""
    from territory.export import timeline_map

    ds = _load(data)
    steps = _dates(ds, start, end, freq)
    tl = _timeline(ds)
    built: dict[str, Any] = {}
    _staged(
        "animate",
        [
            ("holder intervals", tl.intervals),
            (
                "slider",
                lambda: built.setdefault(
                    "map", timeline_map(tl, steps[0], steps[-1], freq=freq, **_tiles(tiles))
                ),
            ),
            ("HTML", lambda: save_map(built["map"], out)),
        ],
    )
    click.echo(f"wrote {out} ({len(steps)} steps)")


# --------------------------------------------------------------------------- export
_FORMATS = {".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson", ".tif": "tif"}


def export_layers(
    tl: ControlTimeline,
    fmt: str,
    out: Path,
    steps: Sequence[pd.Timestamp] | None = None,
    *,
    label: str = "dates",
) -> Path:
    """Write the timeline as a GeoPackage, a GeoJSON layer or a GeoTIFF.

    Parameters
    ----------
    tl : ControlTimeline
    fmt : {"gpkg", "geojson", "tif"}
    out : Path
    steps : sequence of Timestamp, optional
        For ``geojson``: write one snapshot of the control polygons per date (a
        ``date`` column tells them apart) instead of the interval layer.  For
        ``tif``: one band per date (default: the as-of date).  Ignored by ``gpkg``,
        which holds the whole timeline as intervals.
    label : str
        The progress bar's label.
    """
    from territory import export

    if fmt == "gpkg":
        return Path(export.write_geopackage(tl, out))
    if fmt == "geojson":
        if not steps:
            return Path(export.write_geojson(tl.intervals(), out))
        frames = []
        with _progress(list(steps), label) as bar:
            for step in bar:
                frames.append(tl.at(step, by="actor").assign(date=step))
        import geopandas as gpd

        layer = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
        return Path(export.write_geojson(layer, out))
    dates = list(steps) if steps else [tl.dataset.as_of]
    _, path = _staged(
        f"GeoTIFF, {len(dates)} band(s)",
        [
            ("holder intervals", tl.intervals),
            ("bands", lambda: export.write_geotiff(tl, dates, out)),
        ],
    )
    return Path(path)


@main.command(name="export", short_help="GIS layers: GeoPackage, GeoJSON or GeoTIFF.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gpkg", "geojson", "tif"]),
    default=None,
    help="Default: from the extension of -o.",
)
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (.gpkg, .geojson or .tif).",
)
@click.option("--start", type=DAY, default=None, help="First day (geojson snapshots, tif bands).")
@click.option("--end", type=DAY, default=None, help="Last day; default: the as-of date.")
@click.option("--freq", default="MS", show_default=True, help=_FREQ_HELP)
@_data_option
def export_cmd(
    fmt: str | None,
    out: Path,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    data: Path | None,
) -> None:
    """Write GIS layers: a GeoPackage for QGIS, RFC 7946 GeoJSON or a GeoTIFF.

    gpkg holds the whole timeline (control intervals with valid_from/valid_to,
    places, crossings, events, changes); geojson holds the control intervals,
    or one snapshot per date with --start/--end; tif holds one band of actor
    codes per date from --start to --end (default: the as-of date only).
    """
    if fmt is None:
        fmt = _FORMATS.get(out.suffix.lower())
        if fmt is None:
            raise click.BadParameter(
                f"cannot tell the format from {out.name!r}: give --format gpkg, geojson or tif",
                param_hint="'--format'",
            )
    if fmt == "gpkg" and (start is not None or end is not None):
        raise click.BadParameter(
            "gpkg holds the whole timeline as intervals: --start/--end apply to geojson and tif",
            param_hint="'--start'",
        )
    ds = _load(data)
    steps = _dates(ds, start, end, freq) if (start is not None or end is not None) else None
    tl = _timeline(ds)
    path = export_layers(tl, fmt, out, steps)
    click.echo(f"wrote {path}")


# --------------------------------------------------------------------------- validate
@main.command(name="validate", short_help="List every problem in datasets or CSVs.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_data_option
def validate_cmd(paths: tuple[Path, ...], data: Path | None) -> None:
    """List every problem in datasets or single CSV files; exit 1 on any.

    Each PATH is a dataset directory (checked in full, across files) or one
    CSV named like a dataset file (events.csv, places.csv …: checked on its
    own).  Without PATH, checks --data or the embedded dataset.  Problems are
    printed one per line: file, row (the header is row 1), column and what is
    wrong.
    """
    targets = list(paths) or [data or embedded_data_path()]
    total = 0
    for target in targets:
        if not target.exists():
            problems_text = [f"{target}: no such file or directory"]
        else:
            problems_text = [str(p) for p in validate(target)]
        for line in problems_text:
            click.echo(" ".join(line.split()))
        total += len(problems_text)
        if not problems_text:
            click.echo(f"{target}: ok", err=True)
    if total:
        click.echo(f"territory: {total} problem(s) found", err=True)
        raise click.exceptions.Exit(1)


# --------------------------------------------------------------------------- demo
def headline_dates(dataset: Dataset, *, embedded: bool = True) -> list[tuple[pd.Timestamp, str]]:
    """The days the demo summarises, each with why it was chosen.

    Parameters
    ----------
    dataset : Dataset
    embedded : bool
        ``True`` for the embedded Shan State dataset: the :data:`HEADLINE_DATES`
        (those within its range).  ``False`` for a user's own dataset, whose
        story is another: its baseline, the middle of its range and its as-of date.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ds = SimpleNamespace(baseline_date=pd.Timestamp("2024-01-01"),
    ...                      as_of=pd.Timestamp("2024-12-31"))
    >>> [(d.date().isoformat(), why) for d, why in headline_dates(ds, embedded=False)]
    [('2024-01-01', 'baseline date'), ('2024-07-01', 'middle of the period'), ('2024-12-31', 'as-of date')]
    """
    if not embedded:
        middle = (dataset.baseline_date + (dataset.as_of - dataset.baseline_date) / 2).normalize()
        return [
            (dataset.baseline_date, "baseline date"),
            (middle, "middle of the period"),
            (dataset.as_of, "as-of date"),
        ]
    chosen: list[tuple[pd.Timestamp, str]] = []
    for text, why in HEADLINE_DATES:
        day = dataset.as_of if text is None else pd.Timestamp(text)
        if dataset.baseline_date <= day <= dataset.as_of and day not in {d for d, _ in chosen}:
            chosen.append((day, why))
    return chosen


def write_series_csv(series: pd.DataFrame, path: Path) -> Path:
    """Write a trade-share series as CSV: ISO dates, lists joined with ``;``, notes with ``|``."""
    from territory.export.atomic import atomic_path

    table = series.copy()
    for column, joiner in (("crossings", ";"), ("posts", ";"), ("notes", " | ")):
        if column in table.columns:
            table[column] = table[column].map(
                lambda v, j=joiner: j.join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
    with atomic_path(path) as temporary:
        table.to_csv(temporary, index_label="date", date_format="%Y-%m-%d", lineterminator="\n")
    return path


def save_map(m: Any, path: Path) -> Path:
    """Save a folium map atomically: an existing file is replaced only on success."""
    from territory.export.atomic import atomic_path

    with atomic_path(path) as temporary:
        m.save(str(temporary))
    return path


def trade_chart(series: pd.DataFrame, path: Path, title: str) -> Path:
    """A PNG chart of a trade-share series with its range (matplotlib, Agg)."""
    try:
        import matplotlib
    except ImportError:
        raise TerritoryError(
            "the trade-share chart needs matplotlib: pip install matplotlib"
        ) from None

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    try:
        index = pd.to_datetime(series.index)
        ax.fill_between(
            index,
            100 * series["low"].astype(float),
            100 * series["high"].astype(float),
            step="post",
            alpha=0.25,
            label="range (low – high)",
        )
        ax.step(index, 100 * series["value"].astype(float), where="post", label="value")
        ax.set_ylabel("share of border trade (%)")
        ax.set_ylim(0, 100)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
        fig.autofmt_xdate()
        fig.tight_layout()
        from territory.export.atomic import atomic_path

        with atomic_path(path) as temporary:
            fig.savefig(temporary, format="png")
    finally:
        plt.close(fig)
    return path


@main.command(short_help="The main job: maps, layers, trade-share CSV and chart, summaries.")
@click.option(
    "--out",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory.",
)
@_origin_option
@_data_option
def demo(out: Path, origin: str | None, data: Path | None) -> None:
    """The main job: maps, layers, the weekly trade share and summaries, in --out."""
    from territory import export
    from territory.trade import trade_share_series

    ds = _load(data)
    tl = _timeline(ds)
    out.mkdir(parents=True, exist_ok=True)
    map_day = pd.Timestamp(HEADLINE_MAP_DATE) if data is None else ds.as_of
    if not ds.baseline_date <= map_day <= ds.as_of:
        map_day = ds.as_of
    steps = _dates(ds, None, None, "W")
    origin = origin or default_origin(ds)
    series_box: dict[str, pd.DataFrame] = {}

    def trade_series() -> Path:
        series = trade_share_series(tl, steps[0], steps[-1], freq="W", origin=origin)
        series_box["weekly"] = series
        return write_series_csv(series, out / "trade_share_weekly.csv")

    title = (
        f"{ds.name}: share of all border trade through crossings the resistance holds\n"
        "weekly, basis 'held'; the band is the low-high range; weights: trade per post "
        "in the reference period (see the CSV's notes)"
    )
    written = _staged(
        "demo",
        [
            ("map.html", lambda: save_map(export.control_map(tl, map_day), out / "map.html")),
            (
                "timeline.html",
                lambda: save_map(
                    export.timeline_map(tl, steps[0], steps[-1], freq="W"), out / "timeline.html"
                ),
            ),
            ("territory.gpkg", lambda: export.write_geopackage(tl, out / "territory.gpkg")),
            (
                "control_intervals.geojson",
                lambda: export.write_geojson(tl.intervals(), out / "control_intervals.geojson"),
            ),
            ("trade_share_weekly.csv", trade_series),
            (
                "trade_share_weekly.png",
                lambda: trade_chart(series_box["weekly"], out / "trade_share_weekly.png", title),
            ),
        ],
    )
    for day, why in headline_dates(ds, embedded=data is None):
        click.echo(f"== {why} ==")
        click.echo(render_summary(summarise(tl, day, origin=origin)))
        click.echo("")
    for path in written:
        click.echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
