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
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

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
from territory.dates import date_grid, parse_day
from territory.demo import (
    headline_dates,
    render_ground,
    save_map,
    trade_chart,
    write_series_csv,
)
from territory.errors import DataError, DateFormatError, TerritoryError
from territory.models import MODELS
from territory.summary import (
    jsonable,
    one_line,
    render_summary,
    summarise,
    text_table,
)

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = ["hoist_global_options", "main", "parse_date"]

LOG = logging.getLogger("territory")
T = TypeVar("T")

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
    try:
        return parse_day(text, name)  # the one date parser (territory.dates)
    except DateFormatError:
        well_formed = _ISO_DAY.match(text.strip())
        raise click.BadParameter(
            f"{text!r} is not a {'real day' if well_formed else 'date'}: expected YYYY-MM-DD, "
            "for example 2024-08-10",
            param_hint=f"'--{name}'" if name != "date" and not well_formed else None,
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


class _Freq(click.ParamType):
    """A click parameter type for a positive pandas frequency (D, W, MS, 2W …)."""

    name = "FREQ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from pandas.tseries.frequencies import to_offset

        text = str(value).strip()
        try:
            offset = to_offset(text)
        except ValueError:
            offset = None
        if offset is None or offset.n <= 0:
            self.fail(
                f"{text!r} is not a positive pandas frequency: expected for example D, W, MS or 2W",
                param,
                ctx,
            )
        return text


FREQ = _Freq()


#: Options of the group that may also be given after the subcommand.
_GLOBAL_FLAG = re.compile(r"^(-[vq]+|--verbose|--quiet)$")


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Move -v/-vv/-q and --verbose/--quiet given after the subcommand to the front.

    Examples
    --------
    >>> hoist_global_options(["summary", "-vv", "--date", "2024-08-03"])
    ['-vv', 'summary', '--date', '2024-08-03']
    >>> hoist_global_options(["summary", "--", "-v"])
    ['summary', '--', '-v']
    """
    args = list(args)
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if _GLOBAL_FLAG.match(a)]
    rest = [a for a in args[:end] if not _GLOBAL_FLAG.match(a)]
    return flags + rest + args[end:]


class _Group(click.Group):
    """A click group whose errors end in one line on stderr, never a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))

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
            _fail(one_line(error), 1)
        except BrokenPipeError:  # e.g. `territory crossings | head -1`: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as error:
            LOG.debug("traceback", exc_info=True)
            what = f"{error.strerror or error}: {error.filename}" if error.filename else error
            _fail(f"{what}", 1)
        except click.Abort:
            _fail("aborted", 1)
        except (ValueError, KeyError, TypeError) as error:  # a bad value a library refused
            LOG.debug("traceback", exc_info=True)
            _fail(one_line(error), 1)
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
    for known in LOG.handlers:
        if getattr(known, "_territory_cli", False):
            known.setStream(sys.stderr)  # type: ignore[attr-defined]


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
    """Keyword arguments for the map writers' ``tiles`` (none given: their default).

    A name folium does not know is refused here, before any work, as a usage error.
    """
    if name is None:
        return {}
    if name.lower() == "none":
        return {"tiles": None}
    import folium

    try:
        folium.TileLayer(name)
    except (ValueError, KeyError):
        raise click.BadParameter(
            f"{name!r} is not a tile set folium knows: expected for example "
            "OpenStreetMap, CartoDB positron, or 'none'",
            param_hint="'--tiles'",
        ) from None
    return {"tiles": name}


def _origin_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--origin",
        default=None,
        metavar="PLACE",
        help="Where the incumbent's road network starts, for the 'cut' basis and road reach "
        "(default: 'origin' in the dataset's dataset.json).",
    )(function)


def _load(data: Path | None) -> Dataset:
    if data is None:  # `territory --data DIR cmd` as well as `territory cmd --data DIR`
        ctx = click.get_current_context(silent=True)
        data = ctx.meta.get("territory.data") if ctx is not None else None
    try:
        dataset = load_shan() if data is None else load_dataset(data)
    except DataError as error:
        error.dataset_dir = data or embedded_data_path()  # type: ignore[attr-defined]
        raise
    LOG.info("loaded %r", dataset)
    return dataset


def _timeline(
    dataset: Dataset,
    townships: Path | None = None,
    *,
    known_by: pd.Timestamp | None = None,
    model: str | None = None,
) -> ControlTimeline:
    from territory.timeline import ControlTimeline

    options: dict[str, Any] = {}
    if townships is not None:
        try:
            options["townships"] = read_townships(townships)
        except TerritoryError:
            raise
        except (OSError, RuntimeError, ValueError) as error:  # GDAL cannot read the file
            raise click.BadParameter(
                f"{townships}: not a township layer GDAL can read ({one_line(error)})",
                param_hint="'--townships'",
            ) from None
    if known_by is not None:
        options["known_by"] = _in_range(dataset, known_by, "known-by")
    if model is not None:
        options["model"] = model
    return ControlTimeline(dataset, **options)


#: The spatial models a timeline may use (territory.models.MODELS).
MODEL_CHOICES = MODELS


def _timeline_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--townships, --known-by and --model: how the timeline is built."""
    function = click.option(
        "--model",
        type=click.Choice(MODEL_CHOICES),
        default=None,
        help="The spatial model: which ground each place commands (default: the library's).",
    )(function)
    function = click.option(
        "--known-by",
        "known_by",
        type=DAY,
        default=None,
        help="Use only the events reported on or before this day (YYYY-MM-DD).",
    )(function)
    return click.option(
        "--townships",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help="Township polygons (TS_PCODE, TS; EPSG:4326): zones within "
        "townships, township counts and census population.",
    )(function)


def _note(message: str) -> None:
    """A progress or "wrote …" message: on stderr, so stdout stays the data."""
    click.echo(message, err=True)


def _in_range(
    dataset: Dataset, day: pd.Timestamp, name: str = "date", as_of: pd.Timestamp | None = None
) -> pd.Timestamp:
    """``day``, or a usage error when it is outside [baseline, as_of] (default: the data's)."""
    last = dataset.as_of if as_of is None else as_of
    if not dataset.baseline_date <= day <= last:
        raise click.BadParameter(
            f"{day.date()} is outside the data: expected a day from the baseline "
            f"{dataset.baseline_date.date()} to the as-of date {last.date()}",
            param_hint=f"'--{name}'",
        )
    return day


def _dates(
    dataset: Dataset,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    as_of: pd.Timestamp | None = None,
) -> list[pd.Timestamp]:
    """The steps from ``start`` to ``end`` (both default to the data's range), end included."""
    last = dataset.as_of if as_of is None else as_of
    start = (
        _in_range(dataset, start, "start", last) if start is not None else dataset.baseline_date
    )
    end = _in_range(dataset, end, "end", last) if end is not None else last
    if end < start:
        raise click.BadParameter(
            f"{end.date()} is before --start {start.date()}", param_hint="'--end'"
        )
    try:
        steps = list(date_grid(start, end, freq, ends=True))
    except TerritoryError:
        raise click.BadParameter(
            f"{freq!r} is not a pandas frequency: expected for example D, W or MS",
            param_hint="'--freq'",
        ) from None
    if not steps or steps[-1] != end:
        steps.append(end)
    if steps[0] != start:
        steps.insert(0, start)
    return [pd.Timestamp(step).normalize() for step in steps]


# --------------------------------------------------------------------------- the group
@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(territory.__version__, "-V", "--version", prog_name="territory")
@click.option("-v", "--verbose", count=True, help="More log messages (-vv for debug).")
@click.option("-q", "--quiet", count=True, help="Fewer messages (-qq: only critical ones).")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A dataset directory for every subcommand (or give --data after the subcommand).",
)
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: int, data: Path | None) -> None:
    """Who holds which ground, on any date, with evidence.

    Runs on the embedded Shan State dataset (Operation 1027 and after), or on
    your own dataset with --data DIR.  Dates are ISO days, YYYY-MM-DD.
    """
    _configure_logging(verbose, quiet)
    if data is not None:
        ctx.meta["territory.data"] = data


# --------------------------------------------------------------------------- summary
@main.command(short_help="Holders, areas, township counts and the trade share on a day.")
@_date_option("The day to summarise (YYYY-MM-DD); default: the as-of date.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_timeline_options
@_origin_option
@_data_option
def summary(
    date: pd.Timestamp | None,
    fmt: str,
    townships: Path | None,
    origin: str | None,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """Holders, areas by side, township counts and the trade share on a day."""
    ds = _load(data)
    tl = _timeline(ds, townships, **tl_options)
    day = _in_range(ds, date, as_of=tl.as_of) if date is not None else tl.as_of
    result = summarise(tl, day, townships=townships is not None, origin=origin)
    if fmt == "json":
        click.echo(json.dumps(jsonable(result), indent=2, ensure_ascii=False))
    else:
        click.echo(render_summary(result))


# --------------------------------------------------------------------------- crossings
@main.command(short_help="Who holds each border crossing, and can the incumbent reach it.")
@_date_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@_timeline_options
@_origin_option
@_data_option
def crossings(
    date: pd.Timestamp | None, fmt: str, origin: str | None, data: Path | None, **tl_options: Any
) -> None:
    """Who holds each border crossing on a day, and whether the incumbent can reach it."""
    from territory.trade import crossings_at

    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    day = _in_range(ds, date, as_of=tl.as_of) if date is not None else tl.as_of
    frame = crossings_at(tl, day, origin=origin)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    table.insert(len(table.columns), "lon", frame.geometry.x.round(6))
    table.insert(len(table.columns), "lat", frame.geometry.y.round(6))
    table = table.reset_index(drop=True)
    if fmt == "csv":
        buffer = io.StringIO()
        out = table.copy()
        for column in out.columns:
            out[column] = out[column].map(lambda v: jsonable(v) if not isinstance(v, str) else v)
        from territory.export.cells import spreadsheet_safe

        out = spreadsheet_safe(out)
        out.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        click.echo(buffer.getvalue(), nl=False)
    elif fmt == "json":
        records = [jsonable(r) for r in table.to_dict("records")]
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
                "reachable_by_incumbent",
                "trade_value_usd",
                "reference_period",
            )
            if c in table.columns
        ]
        click.echo(f"Border crossings on {day.date()}")
        click.echo(text_table(shown, table[shown].to_numpy().tolist()))


# --------------------------------------------------------------------------- maps
MAP_FORMATS = ("html", "png", "svg", "pdf")


@main.command(name="map", short_help="A map of control on a day: Folium HTML or a print map.")
@_date_option()
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("map.html"),
    show_default=True,
    help="The file to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(MAP_FORMATS),
    default=None,
    help="html (Folium) or png/svg/pdf (the print map); default: from the file's suffix.",
)
@click.option(
    "--events-days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Show the events of this many days up to --date.",
)
@_tiles_option
@_origin_option
@_timeline_options
@_data_option
def map_(
    date: pd.Timestamp | None,
    out: Path,
    fmt: str | None,
    events_days: int,
    tiles: str | None,
    origin: str | None,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """A map of who holds what on a day: one HTML file, or a PNG, SVG or PDF print map."""
    from territory.export import control_map, save_static_map, static_map

    suffix = out.suffix.lower().lstrip(".")
    fmt = fmt or (suffix if suffix in MAP_FORMATS else "html")

    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    day = _in_range(ds, date, as_of=tl.as_of) if date is not None else tl.as_of
    if origin is not None and origin not in ds.places.index:
        # The map would only say "trade share unavailable": a typo deserves an error.
        raise click.BadParameter(
            f"{origin!r} is not a place id of the dataset", param_hint="'--origin'"
        )
    if fmt == "html":
        save_map(
            control_map(tl, day, events_days=events_days, origin=origin, **_tiles(tiles)), out
        )
    else:
        save_static_map(static_map(tl, day), out, format=cast(Literal["png", "svg", "pdf"], fmt))
    _note(f"wrote {out}")


@main.command(short_help="A Folium map with a time slider.")
@click.option("--start", type=DAY, default=None, help="First day; default: the baseline date.")
@click.option("--end", type=DAY, default=None, help="Last day; default: the as-of date.")
@click.option("--freq", type=FREQ, default="W", show_default=True, help=_FREQ_HELP)
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
@_timeline_options
@_data_option
def animate(
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    out: Path,
    tiles: str | None,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """A Folium map with a time slider from --start to --end."""
    from territory.export import timeline_map

    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    steps = _dates(ds, start, end, freq, tl.as_of)
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
    _note(f"wrote {out} ({len(steps)} steps)")


# --------------------------------------------------------------------------- export
_FORMATS = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".tif": "tif",
    ".nc": "netcdf",
}


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
    fmt : {"gpkg", "geojson", "tif", "netcdf"}
    out : Path
    steps : sequence of Timestamp, optional
        For ``geojson``: write one snapshot of the control polygons per date (a
        ``date`` column tells them apart) instead of the interval layer.  For
        ``tif`` and ``netcdf``: one band (time step) per date (default: the as-of
        date).  Ignored by ``gpkg``,
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
    dates = list(steps) if steps else [tl.as_of]
    if fmt == "netcdf":
        from territory.export.cube import write_netcdf

        return Path(write_netcdf(tl, dates, out))
    _, path = _staged(
        f"GeoTIFF, {len(dates)} band(s)",
        [
            ("holder intervals", tl.intervals),
            ("bands", lambda: export.write_geotiff(tl, dates, out)),
        ],
    )
    return Path(path)


@main.command(name="export", short_help="GIS layers: GeoPackage, GeoJSON, GeoTIFF or NetCDF.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gpkg", "geojson", "tif", "netcdf"]),
    default=None,
    help="Default: from the extension of -o.",
)
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (.gpkg, .geojson, .tif or .nc).",
)
@click.option("--start", type=DAY, default=None, help="First day (geojson snapshots, tif bands).")
@click.option("--end", type=DAY, default=None, help="Last day; default: the as-of date.")
@click.option("--freq", type=FREQ, default="MS", show_default=True, help=_FREQ_HELP)
@_timeline_options
@_data_option
def export_cmd(
    fmt: str | None,
    out: Path,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    data: Path | None,
    **tl_options: Any,
) -> None:
    """Write GIS layers: a GeoPackage for QGIS, RFC 7946 GeoJSON or a GeoTIFF.

    gpkg holds the whole timeline (control intervals with valid_from/valid_to,
    places, crossings, events, changes); geojson holds the control intervals,
    or one snapshot per date with --start/--end; tif holds one band of actor
    codes per date from --start to --end (default: the as-of date only), with
    its QGIS style beside it (<name>.qml); netcdf the same codes as a time
    cube (needs the territory[cube] extra).  The GeoPackage holds a QGIS
    project, 'territory', that opens with the Temporal Controller ready.
    """
    if fmt is None:
        fmt = _FORMATS.get(out.suffix.lower())
        if fmt is None:
            raise click.BadParameter(
                f"cannot tell the format from {out.name!r}: give --format gpkg, geojson, "
                "tif or netcdf",
                param_hint="'--format'",
            )
    if fmt == "gpkg" and (start is not None or end is not None):
        raise click.BadParameter(
            "gpkg holds the whole timeline as intervals: --start/--end apply to geojson, "
            "tif and netcdf",
            param_hint="'--start'",
        )
    ds = _load(data)
    tl = _timeline(ds, **tl_options)
    ranged = start is not None or end is not None
    steps = _dates(ds, start, end, freq, tl.as_of) if ranged else None
    path = export_layers(tl, fmt, out, steps)
    _note(f"wrote {path}")


# --------------------------------------------------------------------------- validate
@main.command(name="validate", short_help="List every problem in datasets or CSVs.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (suspicious logic) as errors.")
@_data_option
@click.option("--report", is_flag=True, help="Also print a coverage report of each valid dataset.")
@click.option(
    "--geodata",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory with township polygons and gazetteers for --report "
    "(default: ../shared/geodata beside the dataset's checkout, when it exists).",
)
def validate_cmd(
    paths: tuple[Path, ...],
    data: Path | None,
    report: bool,
    geodata: Path | None,
    strict: bool,
) -> None:
    """List every problem in datasets or single CSV files; exit 1 on any.

    Each PATH is a dataset directory (checked in full, across files) or one
    CSV named like a dataset file (events.csv, places.csv …: checked on its
    own).  Without PATH, checks --data or the embedded dataset.  Problems are
    printed one per line: file, row (the header is row 1), column and what is
    wrong.  Warnings (suspicious logic) and notes (e.g. blank rows skipped) are
    listed too but exit 0, unless --strict makes warnings errors.
    """
    targets = list(paths) or [data or embedded_data_path()]
    total = 0
    for target in targets:
        if not target.exists():
            problems_text = [f"{target}: no such file or directory"]
            errors = 1
        else:
            problems = validate(target, strict=strict)
            problems_text = [str(p) for p in problems]
            errors = sum(p.severity == "error" for p in problems)
        for line in problems_text:
            click.echo(" ".join(line.split()))
        total += errors
        if not errors:
            click.echo(f"{target}: ok", err=True)
            if report and target.is_dir():
                _print_report(target, geodata)
    if total:
        click.echo(f"territory: {total} problem(s) found", err=True)
        raise click.exceptions.Exit(1)


def _print_report(target: Path, geodata: Path | None) -> None:
    """``validate --report``: the coverage report of one dataset (territory.coverage)."""
    from territory.coverage import coverage_report, render_report

    if geodata is None:
        beside = target.resolve().parent.parent / "shared" / "geodata"
        geodata = beside if beside.is_dir() else None
    click.echo(render_report(coverage_report(load_dataset(target), geodata)))


# --------------------------------------------------------------------------- demo
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
    from territory.export.charts import area_chart, save_chart
    from territory.trade import trade_share_series

    ds = _load(data)
    tl = _timeline(ds)
    out.mkdir(parents=True, exist_ok=True)
    map_day = ds.headline_map_date or ds.as_of  # dataset.json's, checked on load
    steps = _dates(ds, None, None, "W")
    series_box: dict[str, pd.DataFrame] = {}

    def trade_series() -> Path:
        series = trade_share_series(tl, steps[0], steps[-1], freq="W", origin=origin)
        series_box["weekly"] = series
        return write_series_csv(series, out / "trade_share_weekly.csv")

    figures: dict[str, Any] = {}

    def static_map_box() -> Any:
        """The print map of map_day, drawn once for both PNG and SVG."""
        if "map" not in figures:
            figures["map"] = export.static_map(tl, map_day)
        return figures["map"]

    title = (
        f"{ds.name}: share of all border trade through crossings "
        f"{ds.sides.out_of_hands}\n"
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
            ("map.png", lambda: export.save_static_map(static_map_box(), out / "map.png")),
            ("map.svg", lambda: export.save_static_map(static_map_box(), out / "map.svg")),
            ("area_held.png", lambda: save_chart(area_chart(tl), out / "area_held.png")),
            ("trade_share_weekly.csv", trade_series),
            (
                "trade_share_weekly.png",
                lambda: trade_chart(
                    series_box["weekly"], out / "trade_share_weekly.png", title, tl=tl
                ),
            ),
        ][: None if len(ds.trade) else -2],  # without trade data, no trade share
    )
    if not len(ds.trade):
        click.echo(f"{ds.name}: no trade data (trade/border_trade.csv); trade share skipped")
    for day, why in headline_dates(ds):
        click.echo(f"== {why} ==")
        click.echo(render_summary(summarise(tl, day, origin=origin)))
        click.echo(render_ground(tl, day))
        click.echo("")
    for path in written:
        _note(f"wrote {path}")


# The analysis commands (series, changes, trade) live in their own module.
from territory import cli_analysis  # noqa: E402,F401
from territory.cli_import import import_group  # noqa: E402  (territory import ...)

main.add_command(import_group)

if __name__ == "__main__":  # pragma: no cover
    main()
