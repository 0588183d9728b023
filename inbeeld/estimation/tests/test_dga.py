"""Bayesian model averaging over decomposable graphs (dga 2.0.2's bma.cr).

dga is deterministic: the reference figures (shared/specs/mse-beyond.md §5, R 4.2.2) are
matched to the digits the spec gives. A plain loop over graphs and grid values, written
from the formula, checks the vectorised and chunked computation to 1e-10.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.estimation import estimate, from_mapping
from inbeeld.estimation.dga import decomposable_graphs, posterior


@pytest.mark.parametrize(("n_lists", "count"), [(3, 8), (4, 61), (5, 822)])
def test_graph_lists_are_dgas(n_lists, count):
    graphs = decomposable_graphs(n_lists)
    assert len(graphs) == count
    assert len({(g.cliques, g.separators) for g in graphs}) == count


# (data, δ): mean, median, 2.5 %, 97.5 %, top graph (cliques), its weight, P(N_mis > 5n)
REFERENCE = [
    ("Artificial_3", None, 298.7, 268, 96, 831, {"A:C", "B:C"}, 0.331, 0.09),
    ("Artificial_3", 1.0, 115.8, 106, 96, 205, {"A:B:C"}, 0.967, None),
    (
        "UKdat_5",
        None,
        20228.4,
        22365,
        10343,
        29446,
        {"LA:NG:PFNCA", "PFNCA:GO", "NG:GP"},
        0.440,
        0.662,
    ),
    ("UKdat_5", 1.0, 2835.5, 2806, 2746, 3092, {"LA:NG:PFNCA:GO:GP"}, 1.000, None),
]


@pytest.mark.parametrize(
    ("name", "delta", "mean", "median", "low", "high", "graph", "weight", "tail"), REFERENCE
)
def test_reference_posteriors(request, name, delta, mean, median, low, high, graph, weight, tail):
    table = request.getfixturevalue({"Artificial_3": "artificial", "UKdat_5": "uk5"}[name])
    result = estimate(table, method="dga", delta=delta)
    assert result.posterior_mean == pytest.approx(mean, abs=0.05)
    assert result.estimate == median
    assert result.interval == (low, high)
    assert result.interval_kind == "posterior"
    assert set(result.top_models[0]["cliques"]) == graph
    assert result.top_models[0]["weight"] == pytest.approx(weight, abs=5e-4)
    if tail is not None:
        assert result.diagnostics["tail_beyond_5x"] == pytest.approx(tail, abs=5e-3)
    assert result.parameters["missing_max"] == 10 * table.observed


def _plain_posterior(counts: np.ndarray, n_lists: int, delta: float, missing_max: int):
    """The formula of the spec, one graph and one grid value at a time."""
    n = counts[1:].sum()
    weight_all = delta * 2**n_lists

    def subset_term(subset: int, missing: int) -> float:
        size = bin(subset).count("1")
        prior = delta * 2 ** (n_lists - size)
        margin: dict[int, float] = {}
        for code in range(1, 2**n_lists):
            margin[code & subset] = margin.get(code & subset, 0.0) + counts[code]
        value = -(2**size) * math.lgamma(prior)
        for cell in {code & subset for code in range(2**n_lists)}:
            extra = missing if cell == 0 else 0
            value += math.lgamma(margin.get(cell, 0.0) + extra + prior)
        return float(value)

    table = np.empty((len(decomposable_graphs(n_lists)), missing_max + 1))
    for g, graph in enumerate(decomposable_graphs(n_lists)):
        for missing in range(missing_max + 1):
            total = n + missing
            value = sum(subset_term(c, missing) for c in graph.cliques)
            value -= sum(subset_term(s, missing) for s in graph.separators)
            excess = len(graph.cliques) - len(graph.separators)
            value += excess * (math.lgamma(weight_all) - math.lgamma(total + weight_all))
            value += math.lgamma(total + 1) - sum(math.lgamma(c + 1) for c in counts[1:])
            value += -math.lgamma(missing + 1) - math.log(total)
            table[g, missing] = value
    weights = np.exp(table - table.max())
    weights /= weights.sum()
    return weights.sum(axis=0), weights.sum(axis=1)


@pytest.mark.parametrize("delta", [0.125, 1.0])
def test_vectorised_posterior_equals_the_formula_term_by_term(delta):
    counts = np.array([0, 40, 30, 6, 20, 3, 2, 1], dtype=float)  # codes 0 … 7 of 3 lists
    post, _graphs = posterior(counts, 3, delta, 300)
    missing, graphs = _plain_posterior(counts, 3, delta, 300)
    np.testing.assert_allclose(post.probability, missing, rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(post.graph_weights, graphs, rtol=1e-10)


@st.composite
def tables(draw):
    n_lists = draw(st.integers(3, 4))
    patterns = [format(code, f"0{n_lists}b") for code in range(1, 2**n_lists)]
    counts = {pattern: draw(st.integers(0, 30)) for pattern in patterns}
    for i in range(n_lists):
        counts["".join("1" if j == i else "0" for j in range(n_lists))] += 1
    return counts


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from([None, 0.5, 1.0]), st.data())
def test_weights_sum_to_one_and_relabelling_changes_nothing(table, delta, data):
    result = estimate(from_mapping(table), method="dga", delta=delta, missing_max=200)
    graphs = decomposable_graphs(len(result.lists))
    post, _ = posterior(_codes(table), len(result.lists), result.parameters["delta"], 200)
    assert post.graph_weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert post.probability.sum() == pytest.approx(1.0, abs=1e-12)
    assert len(post.graph_weights) == len(graphs)
    assert result.estimate >= result.observed
    order = data.draw(st.permutations(range(len(result.lists))))
    shuffled = {"".join(p[i] for i in order): c for p, c in table.items()}
    other, _ = posterior(_codes(shuffled), len(result.lists), result.parameters["delta"], 200)
    np.testing.assert_allclose(other.probability, post.probability, rtol=1e-9, atol=1e-15)


def _codes(table: dict[str, int]) -> np.ndarray:
    n_lists = len(next(iter(table)))
    counts = np.zeros(2**n_lists)
    for pattern, count in table.items():
        counts[sum(1 << i for i, bit in enumerate(pattern) if bit == "1")] += count
    return counts


def test_dga_refuses_other_numbers_of_lists(uk):
    from inbeeld.estimation import UnsupportedTableError

    with pytest.raises(UnsupportedTableError, match="dga needs 3 to 5 lists"):
        estimate(uk, method="dga")


def test_a_posterior_against_the_end_of_the_grid_is_warned_about(uk5):
    result = estimate(uk5, method="dga", missing_max=20000)
    assert any(w.code == "grid_truncated" for w in result.warnings)
    assert result.diagnostics["mass_at_upper_bound"] > 0
