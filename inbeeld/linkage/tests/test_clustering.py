"""Properties of the hub's clustering, on random encodings with planted near-copies."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.linkage.files import EncodedList
from inbeeld.linkage.link import capture_histories, estimate_threshold, link_lists

WORDS = 16


@st.composite
def encoded_lists(draw: st.DrawFn) -> list[EncodedList]:
    """2-4 lists drawn from one population; records are noisy copies of their person."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    population = rng.random((draw(st.integers(2, 25)), WORDS * 64)) < 0.4
    lists = []
    for number in range(draw(st.integers(2, 4))):
        members = np.flatnonzero(rng.random(len(population)) < draw(st.floats(0.1, 1.0)))
        if len(members) == 0:
            members = np.array([0])
        noise = rng.random((len(members), WORDS * 64)) < draw(st.floats(0.0, 0.3))
        bits = population[members] ^ noise
        filters = np.packbits(bits, axis=1, bitorder="little").view(np.uint64)
        ids = [f"r{rng.integers(10**6)}-{i}" for i in range(len(members))]
        blocking = [[f"{member:016x}"] for member in members]
        lists.append(EncodedList(f"list{number}", ids, filters, blocking, "s", "k"))
    return lists


def _partition(
    lists: list[EncodedList], threshold: float | None
) -> set[frozenset[tuple[str, str]]]:
    linkage = link_lists(lists, threshold=threshold, workers=1)
    clusters: dict[int, set[tuple[str, str]]] = {}
    for source, encoded, numbers in zip(linkage.sources, lists, linkage.cluster_of, strict=True):
        for record_id, number in zip(encoded.ids, numbers.tolist(), strict=True):
            clusters.setdefault(number, set()).add((source, record_id))
    return {frozenset(members) for members in clusters.values()}


thresholds = st.one_of(st.none(), st.floats(0.3, 0.95))


@settings(max_examples=60, deadline=None)
@given(encoded_lists(), thresholds, st.randoms(use_true_random=False))
def test_file_order_does_not_change_the_partition(lists, threshold, random) -> None:
    shuffled = list(lists)
    random.shuffle(shuffled)
    assert _partition(lists, threshold) == _partition(shuffled, threshold)


@settings(max_examples=60, deadline=None)
@given(encoded_lists(), thresholds)
def test_every_record_in_exactly_one_cluster(lists, threshold) -> None:
    partition = _partition(lists, threshold)
    placed = Counter(member for cluster in partition for member in cluster)
    expected = {(encoded.source, record_id) for encoded in lists for record_id in encoded.ids}
    assert set(placed) == expected
    assert set(placed.values()) == {1}


@settings(max_examples=60, deadline=None)
@given(encoded_lists(), thresholds)
def test_at_most_one_record_per_list_in_a_cluster(lists, threshold) -> None:
    for cluster in _partition(lists, threshold):
        sources = [source for source, _ in cluster]
        assert len(sources) == len(set(sources))


@settings(max_examples=40, deadline=None)
@given(encoded_lists())
def test_histories_count_every_cluster_once(lists) -> None:
    linkage = link_lists(lists, workers=1)
    histories = capture_histories(linkage)
    clusters = {int(number) for numbers in linkage.cluster_of for number in numbers}
    assert sum(count for _, count in histories) == len(clusters)
    assert all(any(pattern) and len(pattern) == len(lists) for pattern, _ in histories)


def test_threshold_lies_between_the_two_modes() -> None:
    rng = np.random.default_rng(1)
    non_matches = rng.normal(0.5, 0.04, 6000)
    matches = rng.normal(0.9, 0.04, 3000)
    threshold = estimate_threshold(np.clip(np.concatenate([non_matches, matches]), 0, 1))
    assert threshold is not None and 0.6 < threshold < 0.8


def test_no_threshold_without_two_modes() -> None:
    rng = np.random.default_rng(1)
    assert estimate_threshold(np.clip(rng.normal(0.5, 0.02, 5000), 0, 1)) is None


@settings(max_examples=40, deadline=None)
@given(encoded_lists(), thresholds, st.randoms(use_true_random=False))
def test_blocked_and_chunked_paths_keep_the_properties(lists, threshold, random) -> None:
    """Force blocking, and dense chunks of 16 rows, and check the same properties."""
    from unittest import mock

    from inbeeld.linkage import link, similarity

    shuffled = list(lists)
    random.shuffle(shuffled)
    with mock.patch.object(link, "DENSE_LIMIT", 0):
        blocked = _partition(lists, threshold)
        assert blocked == _partition(shuffled, threshold)
    with (
        mock.patch.object(similarity, "_ROWS_PER_CALL", 1),
        mock.patch.object(similarity, "_TASK_CELLS", 16),
    ):
        assert _partition(lists, threshold) == _partition(shuffled, threshold)
    for cluster in blocked:
        sources = [source for source, _ in cluster]
        assert len(sources) == len(set(sources))


def test_process_pool_gives_the_same_pairs(monkeypatch) -> None:
    """The two-core path (forked workers, tiles, tasks) finds exactly the one-core pairs."""
    from inbeeld.linkage import similarity

    rng = np.random.default_rng(3)
    people = rng.random((300, WORDS * 64)) < 0.35
    noisy_left = people ^ (rng.random(people.shape) < 0.05)
    noisy_right = people[::-1] ^ (rng.random(people.shape) < 0.05)
    left = np.packbits(noisy_left, axis=1, bitorder="little").view(np.uint64)
    right = np.packbits(noisy_right, axis=1, bitorder="little").view(np.uint64)
    monkeypatch.setattr(similarity, "_TILE", 64)
    monkeypatch.setattr(similarity, "_TASK_CELLS", 300 * 50)
    one = similarity.dense_pairs(left, right, floor=0.3, workers=1)
    monkeypatch.setattr(similarity, "_PARALLEL_FROM", 0)
    two = similarity.dense_pairs(left, right, floor=0.3, workers=2)
    assert sorted(zip(one.a, one.b, one.score, strict=True)) == sorted(
        zip(two.a, two.b, two.score, strict=True)
    )
    assert len(one.a) >= 300  # every planted pair at least
