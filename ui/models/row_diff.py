"""Turn one list of unique ids into another with as few row removals and insertions as a view needs.

Item models report changes row by row; this plans them. The ids that may stay are the longest run that
keeps its relative order (a longest increasing subsequence), so a block moved a few places costs one
removal and one insertion, and the rest of the rows keep their identity (and a view its selection).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

Removal = tuple[int, int]  # first and last row removed, inclusive
Insertion = tuple[int, list[str]]  # row of the first inserted id, the ids in order


def _longest_ordered(values: Sequence[int]) -> set[int]:
    """Indexes into ``values`` of one longest strictly increasing subsequence."""
    tails: list[int] = []  # tails[k]: smallest ending value of an increasing run of length k + 1
    tail_at: list[int] = []  # index in values of that ending value
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k] = value
            tail_at[k] = i
        previous[i] = tail_at[k - 1] if k else -1
    chosen: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        chosen.add(i)
        i = previous[i]
    return chosen


def _runs(rows: list[int]) -> list[Removal]:
    runs: list[Removal] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def plan_row_changes(current: Sequence[str], wanted: Sequence[str]) -> tuple[list[Removal], list[Insertion]]:
    """The removals (apply back to front, as listed) then insertions (front to back) from current to wanted.

    Args:
        current: the ids the rows show now, each once.
        wanted: the ids they must show, each once.

    Returns:
        Removals as (first, last) row ranges, last range first; insertions as (row, ids), first row first,
        each row counted in the list as it is when that insertion happens.
    """
    place = {block_id: n for n, block_id in enumerate(wanted)}
    survivors = [(row, place[block_id]) for row, block_id in enumerate(current) if block_id in place]
    ordered = _longest_ordered([target for _row, target in survivors])
    kept = {current[survivors[k][0]] for k in ordered}
    removed_rows = [row for row, block_id in enumerate(current) if block_id not in kept]
    removals = list(reversed(_runs(removed_rows)))
    insertions: list[Insertion] = []
    for n, block_id in enumerate(wanted):
        if block_id in kept:
            continue
        if insertions and insertions[-1][0] + len(insertions[-1][1]) == n:
            insertions[-1][1].append(block_id)
        else:
            insertions.append((n, [block_id]))
    return removals, insertions
