"""Dice similarity of packed Bloom filters, vectorised with numpy popcounts.

Filters are rows of uint64 words. The dense kernel walks the rows of one list against the
transposed words of the other, so each numpy call works on a long contiguous vector (the
per-call overhead is what limits numpy here, not the popcount itself). Large dense jobs
are split over a process pool: numpy's small element-wise calls do not scale across
threads because they hold the GIL between calls.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Filters = npt.NDArray[np.uint64]
Indices = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float64]

_ROWS_PER_CALL = 16  # rows of the first list handled by one vectorised call
_PAIR_CHUNK = 1 << 20
_TASK_CELLS = 4_000_000  # scores held in memory per dense task
_PARALLEL_FROM = 20_000_000  # comparisons; below this a process pool costs more than it saves


@dataclass(frozen=True)
class Pairs:
    """Scored candidate pairs between list a and list b."""

    a: Indices
    b: Indices
    score: Scores

    @staticmethod
    def empty() -> Pairs:
        return Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))


def popcounts(filters: Filters) -> npt.NDArray[np.int64]:
    counts: npt.NDArray[np.int64] = np.bitwise_count(filters).sum(axis=1, dtype=np.int64)
    return counts


def dice_of_pairs(left: Filters, right: Filters, a: Indices, b: Indices) -> Scores:
    """Dice coefficients of the pairs (left[a[i]], right[b[i]])."""
    weights_left, weights_right = popcounts(left), popcounts(right)
    scores = np.empty(len(a), dtype=np.float64)
    for start in range(0, len(a), _PAIR_CHUNK):
        part_a, part_b = a[start : start + _PAIR_CHUNK], b[start : start + _PAIR_CHUNK]
        common = np.bitwise_count(left[part_a] & right[part_b]).sum(axis=1, dtype=np.int64)
        total = weights_left[part_a] + weights_right[part_b]
        scores[start : start + len(part_a)] = _dice(common, total)
    return scores


def _dice(common: npt.NDArray[np.int64], total: npt.NDArray[np.int64]) -> Scores:
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(total > 0, 2.0 * common / np.maximum(total, 1), 0.0)
    return result.astype(np.float64)


def intersection_counts(rows: Filters, right_words: Filters) -> npt.NDArray[np.uint16]:
    """popcount(rows[i] & right[j]) for all i, j; ``right_words`` is right transposed."""
    columns = right_words.shape[1]
    counts = np.zeros((len(rows), columns), dtype=np.uint16)
    anded = np.empty((_ROWS_PER_CALL, columns), dtype=np.uint64)
    bits = np.empty((_ROWS_PER_CALL, columns), dtype=np.uint8)
    for start in range(0, len(rows), _ROWS_PER_CALL):
        block = rows[start : start + _ROWS_PER_CALL]
        size = len(block)
        target = counts[start : start + size]
        for word in range(rows.shape[1]):
            np.bitwise_and(right_words[word][None, :], block[:, word][:, None], out=anded[:size])
            np.bitwise_count(anded[:size], out=bits[:size])
            np.add(target, bits[:size], out=target)
    return counts


# The pool workers receive the two lists once, through the initializer.
_shared: dict[str, npt.NDArray[np.int64] | npt.NDArray[np.uint64]] = {}


def _init_worker(left: Filters, right: Filters) -> None:
    _shared["left"] = left
    _shared["right_words"] = np.ascontiguousarray(right.T)
    _shared["weights_left"] = popcounts(left)
    _shared["weights_right"] = popcounts(right)


def _top_pairs_of_rows(bounds: tuple[int, int, int]) -> tuple[Indices, Indices, Scores]:
    """Best ``keep`` partners per row, and per column within these rows."""
    start, stop, keep = bounds
    left = _shared["left"][start:stop]
    counts = intersection_counts(left, _shared["right_words"])  # type: ignore[arg-type]
    totals = _shared["weights_left"][start:stop, None] + _shared["weights_right"][None, :]
    scores = np.where(totals > 0, 2.0 * counts / np.maximum(totals, 1), 0.0)
    rows_keep = min(keep, scores.shape[1])
    best_columns = np.argpartition(-scores, rows_keep - 1, axis=1)[:, :rows_keep]
    row_index = np.repeat(np.arange(len(left)), rows_keep)
    cols_keep = min(keep, scores.shape[0])
    best_rows = np.argpartition(-scores, cols_keep - 1, axis=0)[:cols_keep, :]
    column_index = np.tile(np.arange(scores.shape[1]), cols_keep)
    a = np.concatenate([row_index, best_rows.ravel()])
    b = np.concatenate([best_columns.ravel(), column_index])
    return a + start, b, scores[a, b]


def dense_top_pairs(
    left: Filters, right: Filters, *, keep: int = 3, workers: int | None = None
) -> Pairs:
    """Compare every record of ``left`` with every record of ``right``.

    Keeps, for every record on either side, its ``keep`` best partners: enough for the
    one-to-one assignment and for the threshold estimate, without storing n × m scores.
    """
    if len(left) == 0 or len(right) == 0:
        return Pairs.empty()
    rows_per_task = max(_ROWS_PER_CALL, _TASK_CELLS // max(len(right), 1))
    tasks = [
        (start, min(start + rows_per_task, len(left)), keep)
        for start in range(0, len(left), rows_per_task)
    ]
    cores = workers if workers is not None else (os.cpu_count() or 1)
    if cores > 1 and len(left) * len(right) >= _PARALLEL_FROM:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            cores, mp_context=context, initializer=_init_worker, initargs=(left, right)
        ) as pool:
            results = list(pool.map(_top_pairs_of_rows, tasks))
    else:
        _init_worker(left, right)
        try:
            results = [_top_pairs_of_rows(task) for task in tasks]
        finally:
            _shared.clear()
    a = np.concatenate([part[0] for part in results])
    b = np.concatenate([part[1] for part in results])
    scores = np.concatenate([part[2] for part in results])
    return _top_on_either_side(unique_pairs(a, b, scores, len(right)), keep)


def _rank_within(group: Indices, other: Indices, scores: Scores) -> Indices:
    """Rank of each pair among the pairs of its ``group`` record: best score first."""
    order = np.lexsort((other, -scores, group))
    sorted_group = group[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = sorted_group[1:] != sorted_group[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first
    return rank


def _top_on_either_side(pairs: Pairs, keep: int) -> Pairs:
    """Pairs among the ``keep`` best of their left or of their right record.

    The chunks see each right record's best partners only within the chunk, which would
    make the candidate set depend on which list is "left"; ranking again over all chunks
    makes it symmetric, so the file order cannot change the result.
    """
    rank_left = _rank_within(pairs.a, pairs.b, pairs.score)
    rank_right = _rank_within(pairs.b, pairs.a, pairs.score)
    chosen = (rank_left < keep) | (rank_right < keep)
    return Pairs(pairs.a[chosen], pairs.b[chosen], pairs.score[chosen])


def unique_pairs(a: Indices, b: Indices, scores: Scores, right_size: int) -> Pairs:
    keys = a.astype(np.int64) * max(right_size, 1) + b
    _, first = np.unique(keys, return_index=True)
    return Pairs(
        a[first].astype(np.int64), b[first].astype(np.int64), scores[first].astype(np.float64)
    )
