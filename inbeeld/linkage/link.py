"""Hub side: candidate pairs, automatic threshold, one-to-one clustering, capture histories.

The result does not depend on the order of the input files: scores are symmetric, the
threshold is estimated from a pooled, order-free sample, and ties are broken by
(list name, record id), never by position.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np
import numpy.typing as npt

from inbeeld.linkage.files import EncodedList
from inbeeld.linkage.similarity import Indices, Pairs, dense_pairs, dice_of_pairs

DENSE_LIMIT = 30_000_000  # comparisons; larger list pairs are blocked
# Pairs scoring below this are never kept: far below any threshold the estimate has
# produced (0.65-0.8) and below the non-match mode's upper tail, which the estimate needs.
CANDIDATE_FLOOR = 0.5
MAX_BLOCK_PAIRS = 10_000  # a blocking value shared by more pairs is too common to be useful
FALLBACK_THRESHOLD = 0.8


@dataclass(frozen=True)
class ListPairScores:
    left: int  # index into the lists
    right: int
    pairs: Pairs


@dataclass(frozen=True)
class Linkage:
    sources: list[str]
    threshold: float
    threshold_was_estimated: bool
    # Per list, per record: cluster number (1-based) and best accepted score (nan if none).
    cluster_of: list[npt.NDArray[np.int64]]
    score_of: list[npt.NDArray[np.float64]]
    # True when the scores showed no two modes and FALLBACK_THRESHOLD was used.
    threshold_is_fallback: bool = False


def _blocking_table(encoded: EncodedList) -> tuple[Indices, npt.NDArray[np.uint64]]:
    records: list[int] = []
    values: list[int] = []
    for index, keys in enumerate(encoded.blocking):
        for key in keys:
            records.append(index)
            values.append(int(key, 16))
    return np.asarray(records, dtype=np.int64), np.asarray(values, dtype=np.uint64)


def _groups(
    values: npt.NDArray[np.uint64],
) -> tuple[Indices, npt.NDArray[np.uint64], Indices, Indices]:
    order = np.argsort(values, kind="stable")
    unique, starts, counts = np.unique(values[order], return_index=True, return_counts=True)
    return order.astype(np.int64), unique, starts.astype(np.int64), counts.astype(np.int64)


def blocked_pairs(left: EncodedList, right: EncodedList) -> tuple[Indices, Indices]:
    """All (a, b) that share at least one keyed blocking value, fully vectorised."""
    records_a, values_a = _blocking_table(left)
    records_b, values_b = _blocking_table(right)
    if len(values_a) == 0 or len(values_b) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order_a, unique_a, starts_a, counts_a = _groups(values_a)
    order_b, unique_b, starts_b, counts_b = _groups(values_b)
    _, in_a, in_b = np.intersect1d(unique_a, unique_b, assume_unique=True, return_indices=True)
    sizes = counts_a[in_a] * counts_b[in_b]
    usable = sizes <= MAX_BLOCK_PAIRS
    in_a, in_b, sizes = in_a[usable], in_b[usable], sizes[usable]
    total = int(sizes.sum())
    group = np.repeat(np.arange(len(sizes)), sizes)
    offset = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    width_b = counts_b[in_b][group]
    position_a = starts_a[in_a][group] + offset // width_b
    position_b = starts_b[in_b][group] + offset % width_b
    return records_a[order_a[position_a]], records_b[order_b[position_b]]


def score_list_pair(
    left: EncodedList, right: EncodedList, *, floor: float, workers: int | None = None
) -> Pairs:
    """Scored candidate pairs with a Dice score of at least ``floor``."""
    if len(left.ids) * len(right.ids) <= DENSE_LIMIT:
        return dense_pairs(left.filters, right.filters, floor=floor, workers=workers)
    a, b = blocked_pairs(left, right)
    keys = np.unique(a * len(right.ids) + b)
    a, b = keys // len(right.ids), keys % len(right.ids)
    scores = dice_of_pairs(left.filters, right.filters, a, b)
    keep = scores >= floor
    return Pairs(a[keep], b[keep], scores[keep])


def _top_two(index: Indices, scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The best and second-best score of every record that has candidates."""
    order = np.lexsort((-scores, index))
    index, scores = index[order], scores[order]
    first = np.ones(len(index), dtype=bool)
    first[1:] = index[1:] != index[:-1]
    rank = np.arange(len(index)) - np.maximum.accumulate(np.where(first, np.arange(len(index)), 0))
    return scores[rank < 2]


def estimate_threshold(sample: npt.NDArray[np.float64]) -> float | None:
    """Where the non-match mode of best/second-best scores has died out.

    For every record, its best and second-best candidate score are pooled. Records with a
    true partner contribute one high (match) and one lower (non-match) score; records
    without a partner contribute two non-match scores, so both modes are always present.
    Otsu's method splits the histogram (bins of 0.01) into the two modes. Between the
    non-match peak and the match mean, the lowest smoothed density is the floor made by
    the low tail of true matches; the threshold is the first score above the non-match
    peak where the density has come down to that floor (within a factor 1.5). Going lower
    would admit the best non-matches of records without a partner; going higher only
    loses true matches. None if the sample shows no two modes.
    """
    if len(sample) < 10:
        return None
    counts, edges = np.histogram(sample, bins=100, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    split = _otsu(counts, centres)
    low, high = sample[sample < split], sample[sample >= split]
    if len(low) == 0 or len(high) == 0 or high.mean() - low.mean() < 0.15:
        return None
    smooth = np.convolve(counts, np.ones(3) / 3, mode="same")
    in_low = centres < split
    peak = int(np.argmax(np.where(in_low, smooth, -1.0)))
    stop = int(np.searchsorted(centres, high.mean()))
    if stop <= peak + 1:
        return None
    floor = float(smooth[peak:stop].min())
    decayed = np.flatnonzero(smooth[peak:stop] <= 1.5 * floor + 1e-9)
    return float(round(edges[peak + int(decayed[0])], 3))


def _otsu(counts: npt.NDArray[np.int64], centres: npt.NDArray[np.float64]) -> float:
    weights = counts.astype(np.float64)
    cumulative = np.cumsum(weights)
    cumulative_mean = np.cumsum(weights * centres)
    total, total_mean = cumulative[-1], cumulative_mean[-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        between = (total_mean * cumulative - total * cumulative_mean) ** 2 / (
            cumulative * (total - cumulative)
        )
    between = np.nan_to_num(between, nan=0.0, posinf=0.0)
    return float(centres[int(np.argmax(between))] + (centres[1] - centres[0]) / 2)


def link_lists(
    lists: Sequence[EncodedList], *, threshold: float | None = None, workers: int | None = None
) -> Linkage:
    """Link two or more encoded lists into clusters with at most one record per list."""
    floor = CANDIDATE_FLOOR if threshold is None else min(CANDIDATE_FLOOR, threshold)
    scored = [
        ListPairScores(i, j, score_list_pair(lists[i], lists[j], floor=floor, workers=workers))
        for i, j in combinations(range(len(lists)), 2)
    ]
    estimated = threshold is None
    if threshold is None:
        sample = np.concatenate(
            [np.zeros(0)]
            + [_top_two(item.pairs.a, item.pairs.score) for item in scored]
            + [_top_two(item.pairs.b, item.pairs.score) for item in scored]
        )
        threshold = estimate_threshold(sample)
        if threshold is None:
            linkage = _cluster(lists, scored, FALLBACK_THRESHOLD, estimated)
            return replace(linkage, threshold_is_fallback=True)
    return _cluster(lists, scored, threshold, estimated)


def _cluster(
    lists: Sequence[EncodedList],
    scored: Sequence[ListPairScores],
    threshold: float,
    estimated: bool,
) -> Linkage:
    offsets = np.cumsum([0] + [len(item.ids) for item in lists])
    rank = _global_rank(lists)
    source_of = np.repeat(np.arange(len(lists)), [len(item.ids) for item in lists])
    edge_a, edge_b, edge_score = [], [], []
    for item in scored:
        keep = item.pairs.score >= threshold
        edge_a.append(item.pairs.a[keep] + offsets[item.left])
        edge_b.append(item.pairs.b[keep] + offsets[item.right])
        edge_score.append(item.pairs.score[keep])
    a = np.concatenate([np.zeros(0, np.int64), *edge_a])
    b = np.concatenate([np.zeros(0, np.int64), *edge_b])
    scores = np.concatenate([np.zeros(0), *edge_score])
    low = np.minimum(rank[a], rank[b])
    high = np.maximum(rank[a], rank[b])
    order = np.lexsort((high, low, -scores))
    parent = list(range(int(offsets[-1])))
    members_sources = [1 << int(source) for source in source_of]
    best = np.full(offsets[-1], np.nan)
    for edge in order:
        _union_if_disjoint(
            int(a[edge]), int(b[edge]), float(scores[edge]), parent, members_sources, best
        )
    roots = np.array([_find(parent, node) for node in range(len(parent))], dtype=np.int64)
    cluster = _number_clusters(roots, rank)
    return Linkage(
        sources=[item.source for item in lists],
        threshold=threshold,
        threshold_was_estimated=estimated,
        cluster_of=[cluster[offsets[i] : offsets[i + 1]] for i in range(len(lists))],
        score_of=[best[offsets[i] : offsets[i + 1]] for i in range(len(lists))],
    )


def _global_rank(lists: Sequence[EncodedList]) -> Indices:
    """Position of every record when all are sorted by (list name, record id)."""
    keys = [(item.source, record_id) for item in lists for record_id in item.ids]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return rank


def _find(parent: list[int], node: int) -> int:
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:
        parent[node], node = root, parent[node]
    return root


def _union_if_disjoint(
    a: int,
    b: int,
    score: float,
    parent: list[int],
    sources: list[int],
    best: npt.NDArray[np.float64],
) -> None:
    """Merge the clusters of a and b unless that would put two records of one list together.

    Edges arrive best first, so between two lists this is the greedy one-to-one assignment,
    and across more lists it never builds a cluster that contradicts a stronger link.
    """
    root_a, root_b = _find(parent, a), _find(parent, b)
    if root_a == root_b or sources[root_a] & sources[root_b]:
        return
    parent[root_b] = root_a
    sources[root_a] |= sources[root_b]
    for node in (a, b):
        if np.isnan(best[node]) or score > best[node]:
            best[node] = score


def _number_clusters(roots: Indices, rank: Indices) -> Indices:
    """Cluster numbers 1..N in order of each cluster's first record by (list name, id)."""
    first_rank: dict[int, int] = {}
    for node, root in enumerate(roots.tolist()):
        current = first_rank.get(root)
        if current is None or rank[node] < current:
            first_rank[root] = int(rank[node])
    ordered = sorted(first_rank, key=first_rank.__getitem__)
    number = {root: position + 1 for position, root in enumerate(ordered)}
    return np.array([number[root] for root in roots.tolist()], dtype=np.int64)


def capture_histories(linkage: Linkage) -> list[tuple[tuple[int, ...], int]]:
    """(pattern, count) per observed pattern: the input of ``inbeeld estimate``."""
    lists_of_cluster: dict[int, set[int]] = {}
    for list_index, clusters in enumerate(linkage.cluster_of):
        for cluster in clusters.tolist():
            lists_of_cluster.setdefault(cluster, set()).add(list_index)
    patterns = Counter(
        tuple(int(index in members) for index in range(len(linkage.sources)))
        for members in lists_of_cluster.values()
    )
    return sorted(patterns.items(), key=lambda item: tuple(-bit for bit in item[0]))
