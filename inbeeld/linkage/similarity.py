"""Dice similarity of packed Bloom filters, vectorised with numpy popcounts.

Filters are rows of uint64 words. The dense kernel walks blocks of rows of one list
against cache-sized tiles of the other, transposed, so each numpy call works on a long
contiguous vector that stays in cache (per-call overhead and memory traffic limit numpy
here, not the popcount itself). Large dense jobs are split over a process pool: numpy's
small element-wise calls do not scale across threads because they hold the GIL between
calls.
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
_TASK_CELLS = 4_000_000  # comparisons per dense task
_TILE = 4096  # records of the right list per cache-sized tile
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
    words = rows.shape[1]
    counts = np.zeros((len(rows), columns), dtype=np.uint16)
    anded = np.empty((_ROWS_PER_CALL, columns), dtype=np.uint64)
    bits = np.empty((_ROWS_PER_CALL, columns), dtype=np.uint8)
    # Three words' popcounts (at most 192) still fit a byte: adding bytes is cheaper than
    # widening every word's count to uint16.
    partial = np.empty((_ROWS_PER_CALL, columns), dtype=np.uint8)
    for start in range(0, len(rows), _ROWS_PER_CALL):
        block = rows[start : start + _ROWS_PER_CALL]
        size = len(block)
        target = counts[start : start + size]
        for word in range(words):
            np.bitwise_and(right_words[word][None, :], block[:, word][:, None], out=anded[:size])
            if word % 3 == 0:
                np.bitwise_count(anded[:size], out=partial[:size])
            else:
                np.bitwise_count(anded[:size], out=bits[:size])
                np.add(partial[:size], bits[:size], out=partial[:size])
            if word % 3 == 2 or word == words - 1:
                np.add(target, partial[:size], out=target)
    return counts


# The pool workers receive the two lists once, through the initializer.
_shared: dict[str, npt.NDArray[np.int64] | npt.NDArray[np.uint64]] = {}


def _init_worker(left: Filters, right: Filters) -> None:
    _shared["left"] = left
    _shared["right"] = right
    # The right list in column tiles, each transposed: a tile and the buffers that work
    # on it stay in the core's cache (wider tiles ran at half speed on two cores).
    for start in range(0, len(right), _TILE):
        _shared[f"tile{start}"] = np.ascontiguousarray(right[start : start + _TILE].T)
    _shared["weights_left"] = popcounts(left)
    _shared["weights_right"] = popcounts(right)


def _pairs_of_rows(bounds: tuple[int, int, float]) -> tuple[Indices, Indices, Scores]:
    """All pairs of these rows with every column that score at least ``floor``.

    Works in blocks of a few rows so that the counts are still in cache when they are
    tested: Dice ≥ f  ⇔  2·c − f·w_right ≥ f·w_left, one subtraction and one comparison
    per pair; exact float64 scores are computed only for the few pairs that pass.
    """
    start, stop, floor = bounds
    weights_left = _shared["weights_left"]
    weights_right = _shared["weights_right"]
    scaled_right = np.float32(floor) * weights_right.astype(np.float32)
    margin = np.float32(1e-3)  # float32 rounding must not drop a pair exactly at the floor
    found_a, found_b = [], []
    step = _ROWS_PER_CALL * 4
    for block_start in range(start, stop, step):
        block_stop = min(block_start + step, stop)
        rows: Filters = _shared["left"][block_start:block_stop]  # type: ignore[assignment]
        rhs = np.float32(floor) * weights_left[block_start:block_stop].astype(np.float32)
        for tile_start in range(0, len(weights_right), _TILE):
            tile: Filters = _shared[f"tile{tile_start}"]  # type: ignore[assignment]
            counts = intersection_counts(rows, tile)
            lhs = np.multiply(counts, np.float32(2.0), dtype=np.float32)
            tile_stop = tile_start + tile.shape[1]
            np.subtract(lhs, scaled_right[None, tile_start:tile_stop], out=lhs)
            a, b = np.nonzero(lhs >= (rhs - margin)[:, None])
            found_a.append(a + block_start)
            found_b.append(b + tile_start)
    a = np.concatenate(found_a).astype(np.int64)
    b = np.concatenate(found_b).astype(np.int64)
    left = _shared["left"]
    common = np.bitwise_count(left[a] & _shared["right"][b]).sum(axis=1, dtype=np.int64)
    scores = _dice(common, weights_left[a].astype(np.int64) + weights_right[b].astype(np.int64))
    keep = scores >= floor
    return a[keep], b[keep], scores[keep]


def dense_pairs(
    left: Filters, right: Filters, *, floor: float, workers: int | None = None
) -> Pairs:
    """Compare every record of ``left`` with every record of ``right``; keep scores ≥ floor."""
    if len(left) == 0 or len(right) == 0:
        return Pairs.empty()
    rows_per_task = max(_ROWS_PER_CALL, _TASK_CELLS // max(len(right), 1))
    tasks = [
        (start, min(start + rows_per_task, len(left)), floor)
        for start in range(0, len(left), rows_per_task)
    ]
    cores = workers if workers is not None else (os.cpu_count() or 1)
    if cores > 1 and len(left) * len(right) >= _PARALLEL_FROM:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            cores, mp_context=context, initializer=_init_worker, initargs=(left, right)
        ) as pool:
            results = list(pool.map(_pairs_of_rows, tasks))
    else:
        _init_worker(left, right)
        try:
            results = [_pairs_of_rows(task) for task in tasks]
        finally:
            _shared.clear()
    a = np.concatenate([part[0] for part in results])
    b = np.concatenate([part[1] for part in results])
    scores = np.concatenate([part[2] for part in results])
    return Pairs(a, b, scores)
