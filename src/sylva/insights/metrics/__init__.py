"""Pure metric functions on plain arrays and graphs: no database, no Django.

Everything here takes numpy arrays (people as integer indices ``0 … n-1``) or an igraph
graph and returns numbers, so that each metric can be checked by hand on a small graph.
"""

from typing import Any

import numpy as np


def unique_rows(*columns: np.ndarray, return_counts: bool = False) -> Any:
    """``np.unique(np.column_stack(columns), axis=0)`` for non-negative integer columns,
    an order of magnitude faster: rows sorted with ``lexsort`` and compared with ``diff``."""
    cols = [np.asarray(c, dtype=np.int64) for c in columns]
    n = len(cols[0]) if cols else 0
    if n == 0:
        empty = np.zeros((0, len(cols)), dtype=np.int64)
        return (empty, np.zeros(0, dtype=np.int64)) if return_counts else empty
    order = np.lexsort(cols[::-1])
    stacked = np.column_stack([c[order] for c in cols])
    change = np.ones(n, dtype=bool)
    change[1:] = (stacked[1:] != stacked[:-1]).any(axis=1)
    rows = stacked[change]
    if not return_counts:
        return rows
    starts = np.flatnonzero(change)
    return rows, np.diff(np.append(starts, n))
