"""Readers of other projects' data: candidate events for a dataset, to review.

* :func:`read_acled` — an ACLED export → a review table of candidate events
  (see :mod:`territory.io.acled`); :func:`write_review` writes it as CSV and
  :func:`accept_review` merges the rows a person accepted into the log.
"""

from __future__ import annotations

from territory.io.acled import accept_review, read_acled, write_review

__all__ = ["accept_review", "read_acled", "write_review"]
