"""Atomic file writes: write to a temporary file, then rename it into place.

A reader never sees a half-written file, and an existing file is replaced
only when the new one was written in full.  The temporary file lives in a
private directory next to the target (same file system, so the final
:func:`os.replace` is atomic) and keeps the target's name, so that drivers
that choose a format from the extension (GDAL's) still see it.

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

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from territory.errors import TerritoryError

__all__ = ["atomic_path"]


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Give a temporary path to write; move it onto ``path`` if the block succeeds.

    Parameters
    ----------
    path : str or Path
        The file to create or replace.  Its directory must exist.

    Yields
    ------
    Path
        A path with the same file name inside a fresh hidden directory next to
        ``path``.  Write the whole file there.

    Raises
    ------
    TerritoryError
        When the directory of ``path`` does not exist or ``path`` is a directory.

    Notes
    -----
    If the block raises, or leaves no file at the temporary path, the target is
    left as it was and the temporary directory is removed; the exception
    propagates.  Side files a driver may leave (``-wal``, ``-shm``, ``.aux.xml``)
    are removed with the directory.

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
        raise TerritoryError(
            f"path {str(path)!r}: its directory {str(parent)!r} does not exist; "
            "expected a file path in an existing directory"
        )
    if target.is_dir():
        raise TerritoryError(f"path {str(path)!r} is a directory; expected a file path")
    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        temporary = workdir / target.name
        yield temporary
        if not temporary.is_file():
            raise TerritoryError(
                f"path {str(path)!r}: the writer produced no file; the existing file is kept"
            )
        os.replace(temporary, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
