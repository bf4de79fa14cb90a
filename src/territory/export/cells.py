"""Text cells that a spreadsheet will show, never run.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``,
``+``, ``-`` or ``@`` (and, after a tab or carriage return, the same) as a
formula, so a source note such as ``=HYPERLINK("http://x", "click")`` in a
CSV would run when an analyst opens it.  Every CSV writer passes its table
through :func:`spreadsheet_safe`, which prefixes such text cells with ``'``
(the spreadsheet's own "this is text" mark).  Numbers are left alone, so a
negative number stays a number.

Examples
--------
>>> import pandas as pd
>>> spreadsheet_safe(pd.DataFrame({"note": ["=1+1", "ok"], "value": [-1.5, 2.0]}))
    note  value
0  '=1+1   -1.5
1     ok    2.0
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_STARTS", "safe_cell", "spreadsheet_safe"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` with ``'`` in front when it is text a spreadsheet would run.

    >>> safe_cell("@SUM(A1)"), safe_cell("Lashio"), safe_cell(-3)
    ("'@SUM(A1)", 'Lashio', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and index labels) cannot run as formulas."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(safe_cell)
    if out.index.dtype == object:
        out.index = out.index.map(safe_cell)
    return out
