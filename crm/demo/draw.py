"""Weighted draws shared by the demo generators."""

from __future__ import annotations

import random
from itertools import accumulate


def pick(rng: random.Random, weights: dict, column: int | None = None):
    """A key of `weights`; its values are weights, or tuples read at `column`.

    Same draw as `rng.choices(keys, weights)`, with the running totals prepared once
    per table (the tables are module constants): a third of the drawing time."""
    key = (id(weights), column)
    prepared = _CUMULATIVE.get(key)
    if prepared is None:
        values = list(weights.values())
        if column is not None:
            values = [row[column] for row in values]
        prepared = _CUMULATIVE[key] = (list(weights), list(accumulate(values)))
    keys, cumulative = prepared
    return rng.choices(keys, cum_weights=cumulative)[0]


_CUMULATIVE: dict[tuple[int, int | None], tuple[list, list]] = {}
