"""Atomic file writes: write to a temporary file, check it, then rename it into place.

A reader never sees a half-written file, and an existing file is replaced
only when the new one was written in full and reads back whole.  The
temporary file lives in a private directory next to the target (same file
system, so the final :func:`os.replace` is atomic) and keeps the target's
name, so that drivers that choose a format from the extension (GDAL's) still
see it.

Before the rename, :func:`atomic_path`

* fails if GDAL reported an I/O error during the write (rasterio logs GDAL's
  errors; they are collected while the block runs),
* runs the writer's ``verify`` hook on the temporary file, for example
  :func:`raster_check` (reopen, band count, size, every band readable) or
  :func:`layers_check` (reopen, layer names, feature counts).

Any failure raises :class:`~territory.errors.WriteError` naming the target,
never the hidden temporary path, and the old file is kept.  A SIGTERM during
the write removes the temporary directory before the process ends (the
handler is installed only while a write runs, in the main thread, and the
previous one is restored).  A temporary directory left by a process that was
killed outright (SIGKILL, power loss) is removed when the next write to the
same target starts.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> target = Path(tempfile.mkdtemp()) / "notes.txt"
>>> with atomic_path(target) as tmp:
...     _ = tmp.write_text("complete")
>>> target.read_text()
'complete'
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from territory.errors import ArgumentError, TerritoryError, WriteError

__all__ = [
    "atomic_path",
    "geojson_check",
    "layers_check",
    "raster_check",
    "remove_stale_temporaries",
]

#: A verify hook: raises (any exception) when the temporary file is not whole.
Verify = Callable[[Path], None]

#: GDAL messages that mean bytes did not reach the file.
_IO_FAILURE = re.compile(
    r"i/o error|io error|write failed|failed to write|no space|file too large|short write"
    r"|seek|disk full|cannot write|could not write",
    re.IGNORECASE,
)
#: The loggers rasterio reports GDAL's errors to.
_GDAL_LOGGERS = ("rasterio._env", "rasterio._err")
#: Modules whose exceptions mean "the write failed" (GDAL, SQLite).
_WRITE_ERROR_MODULES = ("pyogrio", "rasterio", "sqlite3")


class _Terminated(BaseException):
    """Raised by the SIGTERM handler inside a write, so that cleanup runs."""


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}."


def _owner_pid(directory: Path, target: Path) -> int | None:
    """The pid in ``.<name>.<pid>.<random>.tmp``, or None for another pattern."""
    middle = directory.name[len(_temporary_prefix(target)) : -len(".tmp")]
    pid, _, rest = middle.partition(".")
    return int(pid) if pid.isdigit() and rest else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Remove temporary directories of earlier writes to ``path`` whose process is gone.

    Parameters
    ----------
    path : str or Path
        The target file.

    Returns
    -------
    list of Path
        The directories removed.  A directory of a process that still runs
        (another write in progress) is kept.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / ".out.tif.999999999.abc.tmp").mkdir()
    >>> [p.name for p in remove_stale_temporaries(folder / "out.tif")]
    ['.out.tif.999999999.abc.tmp']
    """
    target = Path(path)
    removed = []
    try:
        candidates = list(target.parent.glob(f"{glob_escape(_temporary_prefix(target))}*.tmp"))
    except OSError:
        return []
    for directory in candidates:
        pid = _owner_pid(directory, target)
        if pid is None or _alive(pid) or not directory.is_dir():
            continue
        shutil.rmtree(directory, ignore_errors=True)
        removed.append(directory)
    return removed


def glob_escape(text: str) -> str:
    """``text`` with glob wildcards escaped.

    >>> glob_escape("a[1]*.tif")
    'a[[]1[]][*].tif'
    """
    return re.sub(r"([*?\[\]])", r"[\1]", text)


class _GdalErrors(logging.Handler):
    """Collects the GDAL errors rasterio logs while a write runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []
        self._levels: list[tuple[logging.Logger, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "error" in message.lower() or record.levelno >= logging.ERROR:
            self.messages.append(message)

    def __enter__(self) -> _GdalErrors:
        for name in _GDAL_LOGGERS:
            logger = logging.getLogger(name)
            self._levels.append((logger, logger.level))
            if logger.getEffectiveLevel() > logging.INFO:
                logger.setLevel(logging.INFO)
            logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for logger, level in self._levels:
            logger.removeHandler(self)
            logger.setLevel(level)

    def io_failures(self) -> list[str]:
        return [m for m in self.messages if _IO_FAILURE.search(m)]


@contextmanager
def _terminate_cleanly() -> Iterator[list[int]]:
    """While the block runs, SIGTERM raises :class:`_Terminated` (main thread only).

    Yields a list that holds the signal number once one arrived.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_IGN:  # the program ignores SIGTERM: leave it so
        yield received
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        raise _Terminated

    signal.signal(signal.SIGTERM, handler)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


def _redeliver(previous: Any) -> None:
    """After cleanup, let SIGTERM do what it would have done without us."""
    if callable(previous):
        previous(signal.SIGTERM, None)
    else:  # SIG_DFL, or a handler installed outside Python: end the process
        os.kill(os.getpid(), signal.SIGTERM)


def _failure(target: Path, temporary: Path, error: BaseException | str) -> WriteError:
    text = str(error).replace(str(temporary), str(target))
    text = text.replace(str(temporary.parent), str(target.parent))
    return WriteError(
        f"path {str(target)!r}: the write failed ({text}); "
        + ("the existing file is kept" if target.exists() else "no file was written"),
        path=target,
    )


@contextmanager
def atomic_path(path: str | Path, *, verify: Verify | None = None) -> Iterator[Path]:
    """Give a temporary path to write; check it and move it onto ``path`` if the block succeeds.

    Parameters
    ----------
    path : str or Path
        The file to create or replace.  Its directory must exist.
    verify : callable, optional
        Called with the temporary path after the block; it raises when the
        file is not whole (see :func:`raster_check`, :func:`layers_check`,
        :func:`geojson_check`).

    Yields
    ------
    Path
        A path with the same file name inside a fresh hidden directory next to
        ``path``.  Write the whole file there.

    Raises
    ------
    TerritoryError
        When the directory of ``path`` does not exist or ``path`` is a directory.
    WriteError
        When the write or its check failed (disk full, GDAL I/O error, a file
        that does not read back); the message names ``path`` and the existing
        file is kept.

    Notes
    -----
    If the block raises, or leaves no file at the temporary path, the target is
    left as it was and the temporary directory is removed.  Errors from the
    file system, GDAL (pyogrio, rasterio) and SQLite become :class:`WriteError`;
    other exceptions propagate unchanged.  Side files a driver may leave
    (``-wal``, ``-shm``, ``.aux.xml``) are removed with the directory.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "layer.txt"
    >>> _ = target.write_text("old")
    >>> try:
    ...     with atomic_path(target) as tmp:
    ...         _ = tmp.write_text("half")
    ...         raise RuntimeError("the writer failed")
    ... except RuntimeError:
    ...     pass
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('old', ['layer.txt'])
    """
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        raise ArgumentError(
            f"path {str(path)!r}: its directory {str(parent)!r} does not exist; "
            "expected a file path in an existing directory"
        )
    if target.is_dir():
        raise ArgumentError(f"path {str(path)!r} is a directory; expected a file path")
    remove_stale_temporaries(target)
    try:
        workdir = Path(
            tempfile.mkdtemp(
                prefix=f"{_temporary_prefix(target)}{os.getpid()}.", suffix=".tmp", dir=parent
            )
        )
    except OSError as error:
        raise WriteError(
            f"path {str(target)!r}: cannot create a temporary file next to it ({error}); "
            "the existing file is kept",
            path=target,
        ) from error
    temporary = workdir / target.name
    previous = signal.getsignal(signal.SIGTERM)
    terminated = False
    try:
        with _GdalErrors() as gdal, _terminate_cleanly():
            try:
                yield temporary
                if not temporary.is_file():
                    raise TerritoryError(
                        f"path {str(path)!r}: the writer produced no file; "
                        "the existing file is kept"
                    )
                failures = gdal.io_failures()
                if failures:
                    raise _failure(target, temporary, "GDAL: " + "; ".join(failures[:3]))
                if verify is not None:
                    try:
                        verify(temporary)
                    except Exception as error:
                        raise _failure(
                            target, temporary, f"the new file does not read back whole: {error}"
                        ) from error
                os.replace(temporary, target)
            except _Terminated:
                terminated = True
            except TerritoryError as error:
                if isinstance(error, WriteError) or str(temporary.parent) not in str(error):
                    raise
                raise _failure(target, temporary, error) from error
            except Exception as error:
                module = type(error).__module__.split(".")[0]
                if not isinstance(error, OSError) and module not in _WRITE_ERROR_MODULES:
                    raise
                detail: BaseException | str = error
                if gdal.messages:
                    detail = f"{error}; GDAL: {'; '.join(gdal.messages[-3:])}"
                raise _failure(target, temporary, detail) from error
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if terminated:
        _redeliver(previous)
        raise WriteError(
            f"path {str(target)!r}: the write was interrupted by SIGTERM; the existing file is kept",
            path=target,
        )


def raster_check(count: int, width: int, height: int) -> Verify:
    """A verify hook: the file opens in GDAL with ``count`` bands of ``width`` x ``height``.

    Every band is read in full, so a file cut short fails here.

    Examples
    --------
    >>> check = raster_check(1, 2, 2)
    >>> callable(check)
    True
    """

    def check(path: Path) -> None:
        import rasterio  # type: ignore[import-untyped]

        with rasterio.open(path) as src:
            found = (src.count, src.width, src.height)
            if found != (count, width, height):
                raise TerritoryError(
                    f"reads back as {found[0]} band(s) of {found[1]} x {found[2]}; "
                    f"expected {count} band(s) of {width} x {height}"
                )
            for band in range(1, count + 1):
                src.read(band)

    return check


def layers_check(features: Mapping[str, int], extra: tuple[str, ...] = ()) -> Verify:
    """A verify hook: the file has these layers (in order) with these feature counts.

    ``extra`` names tables the writer adds after the layers (e.g. QGIS's
    ``layer_styles``); they must be there too, after the layers.

    Examples
    --------
    >>> callable(layers_check({"places": 3}))
    True
    """

    def check(path: Path) -> None:
        import pyogrio  # type: ignore[import-untyped]

        names = [str(name) for name, _ in pyogrio.list_layers(path)]
        if names != [*features, *extra]:
            raise TerritoryError(f"reads back with layers {names}; expected {[*features, *extra]}")
        for name, expected in features.items():
            found = pyogrio.read_info(path, layer=name, force_feature_count=True)["features"]
            if found != expected:
                raise TerritoryError(
                    f"layer {name!r} reads back with {found} feature(s); expected {expected}"
                )

    return check


def geojson_check(features: int) -> Verify:
    """A verify hook: the file parses as JSON with ``features`` features.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "a.geojson"
    >>> _ = path.write_text('{"type": "FeatureCollection", "features": []}')
    >>> geojson_check(0)(path)
    >>> geojson_check(2)(path)
    Traceback (most recent call last):
    ...
    territory.errors.TerritoryError: reads back with 0 feature(s); expected 2
    """

    def check(path: Path) -> None:
        with path.open(encoding="utf-8") as stream:
            found = len(json.load(stream).get("features", []))
        if found != features:
            raise TerritoryError(f"reads back with {found} feature(s); expected {features}")

    return check
