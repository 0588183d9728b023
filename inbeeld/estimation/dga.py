"""Bayesian model averaging over decomposable graphical models, as dga 2.0.2's ``bma.cr``.

Madigan & York (1997): every decomposable graph on the lists (8 for 3 lists, 61 for 4,
822 for 5: the chordal graphs) is a model of how lists depend on each other. Each gets a
hyper-Dirichlet prior with parameter δ per cell of the full 2^p table, the number of
people on no list gets the prior p(N) ∝ 1/N on a grid 0 … M, and the joint posterior of
(graph, missing count) is computed exactly — no random numbers. Its column sums are the
model-averaged posterior of the missing count, its row sums the posterior probabilities
of the graphs.

The marginal likelihood of a graph is a product over its cliques divided by a product
over its separators of Dirichlet-multinomial terms of the marginal tables, in which the
unobserved count sits in each margin's all-zero cell (see ``_subset_terms``). dga itself
exponentiates without subtracting the maximum; here the log-sum-exp is stable, which
gives the same numbers wherever dga's are finite.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from inbeeld.estimation.model import FloatArray
from inbeeld.estimation.result import EstimationResult
from inbeeld.estimation.table import CaptureTable
from inbeeld.estimation.warning import GRID_TRUNCATED, EstimationWarning

DEFAULT_GRID_FACTOR = 10  # grid 0 … 10 × observed, as the reference runs
QUANTILES = (0.025, 0.5, 0.975)
TOP_GRAPHS_SHOWN = 10
# Posterior mass in the top tenth of the grid above which the grid's end shapes the answer.
TRUNCATION_WARNING = 0.01
GRAPH_CHUNK = 64  # graphs per block of the (graphs × grid) log-weight matrix


@dataclass(frozen=True)
class Graph:
    """A decomposable graph: its maximal cliques and the (non-empty) separators of a
    junction tree, each a bitmask of lists (list i = bit i). A separator may repeat."""

    cliques: tuple[int, ...]
    separators: tuple[int, ...]

    def label(self, lists: Sequence[str]) -> str:
        return "[" + ", ".join(":".join(_names(c, lists)) for c in self.ordered()) + "]"

    def ordered(self) -> list[int]:
        """Cliques by decreasing size, lower list numbers first."""
        return sorted(self.cliques, key=lambda c: (-_size(c), _members(c)))

    def interactions(self, lists: Sequence[str]) -> tuple[str, ...]:
        return tuple(":".join(_names(c, lists)) for c in self.ordered() if _size(c) > 1)


def _members(subset: int) -> tuple[int, ...]:
    return tuple(i for i in range(subset.bit_length()) if subset >> i & 1)


def _size(subset: int) -> int:
    return bin(subset).count("1")


def _names(subset: int, lists: Sequence[str]) -> list[str]:
    return [lists[i] for i in _members(subset)]


@lru_cache(maxsize=4)
def decomposable_graphs(n_lists: int) -> tuple[Graph, ...]:
    """Every chordal graph on ``n_lists`` vertices, with cliques and separators.

    Counts as dga's graph lists: 8 for 3 lists, 61 for 4, 822 for 5.
    """
    pairs = list(combinations(range(n_lists), 2))
    graphs = []
    for mask in range(1 << len(pairs)):
        neighbours = [0] * n_lists
        for k, (i, j) in enumerate(pairs):
            if mask >> k & 1:
                neighbours[i] |= 1 << j
                neighbours[j] |= 1 << i
        graph = _junction_tree(neighbours)
        if graph is not None:
            graphs.append(graph)
    return tuple(graphs)


def _junction_tree(neighbours: list[int]) -> Graph | None:
    """Cliques and separators by maximum cardinality search; None when not chordal.

    MCS numbers the vertices so that, in a chordal graph, each vertex's earlier
    neighbours form a clique; a vertex that starts a new clique closes the previous one,
    and the new clique's separator is its intersection with all earlier vertices.
    """
    n = len(neighbours)
    numbered = 0
    weight = [0] * n
    cliques: list[int] = []
    separators: list[int] = []
    current = 0
    previous_size = -1
    for _ in range(n):
        vertex = max((v for v in range(n) if not numbered >> v & 1), key=lambda v: (weight[v], -v))
        earlier = neighbours[vertex] & numbered
        # Chordal iff the earlier neighbours are pairwise adjacent.
        for u in _members(earlier):
            if earlier & ~(1 << u) & ~neighbours[u]:
                return None
        if _size(earlier) <= previous_size:  # the running clique is maximal: start anew
            cliques.append(current)
            if earlier:
                separators.append(earlier)
            current = earlier
        current |= 1 << vertex
        previous_size = _size(earlier)
        numbered |= 1 << vertex
        for u in _members(neighbours[vertex] & ~numbered):
            weight[u] += 1
    cliques.append(current)
    return Graph(cliques=tuple(c for c in cliques if c), separators=tuple(separators))


def _subset_terms(
    counts: FloatArray, n_lists: int, delta: float, missing: npt.NDArray[np.int64]
) -> FloatArray:
    """ℓ_S(N_mis) for every non-empty subset S of lists (row S − 1), over the grid.

    ℓ_S = lgamma(m₀ + N_mis + a) + Σ_{c ≠ 0} lgamma(m_c + a) − 2^|S| lgamma(a), where m_c
    are the counts of the margin of S (m₀: observed people on none of S's lists) and
    a = δ · 2^(p − |S|) is the prior weight of one marginal cell.
    """
    from scipy.special import gammaln

    cells = np.arange(2**n_lists)
    terms = np.empty((2**n_lists - 1, missing.size))
    for subset in range(1, 2**n_lists):
        size = _size(subset)
        prior = delta * 2.0 ** (n_lists - size)
        margin = np.bincount(cells & subset, weights=counts, minlength=2**n_lists)
        occupied = margin[np.unique(cells & subset)]  # the 2^|S| cells of the margin
        rest = float(np.sum(gammaln(occupied[1:] + prior)))
        constant = rest - 2**size * math.lgamma(prior)
        terms[subset - 1] = gammaln(occupied[0] + missing + prior) + constant
    return terms


@dataclass(frozen=True)
class Posterior:
    """The joint posterior's margins: the missing count and the graphs."""

    missing: npt.NDArray[np.int64]
    probability: FloatArray  # of each missing count
    graph_weights: FloatArray  # of each graph


def posterior(
    counts: FloatArray, n_lists: int, delta: float, missing_max: int
) -> tuple[Posterior, tuple[Graph, ...]]:
    """dga's ``bma.cr`` with the default prior p(N) ∝ 1/N; ``counts`` by pattern code
    (index 0, the people on no list, is ignored)."""
    from scipy.special import gammaln

    graphs = decomposable_graphs(n_lists)
    full = counts.astype(np.float64).copy()
    full[0] = 0.0
    observed = float(full.sum())
    missing = np.arange(missing_max + 1, dtype=np.int64)
    total = observed + missing
    terms = _subset_terms(full, n_lists, delta, missing)
    weight_all = delta * 2.0**n_lists
    dirichlet = math.lgamma(weight_all) - gammaln(total + weight_all)
    common = (
        gammaln(total + 1.0)
        - float(np.sum(gammaln(full[1:] + 1.0)))
        - gammaln(missing + 1.0)
        - np.log(total)
    )
    signs = np.zeros((len(graphs), 2**n_lists - 1))
    for g, graph in enumerate(graphs):
        for clique in graph.cliques:
            signs[g, clique - 1] += 1.0
        for separator in graph.separators:
            signs[g, separator - 1] -= 1.0
    excess = np.array([len(g.cliques) - len(g.separators) for g in graphs], dtype=np.float64)
    # Stable log-sum-exp over (graph, missing), a block of graphs at a time.
    shift = -math.inf
    column = np.zeros(missing.size)
    row_logs = np.empty(len(graphs))
    for first in range(0, len(graphs), GRAPH_CHUNK):
        block = slice(first, first + GRAPH_CHUNK)
        log_weights = signs[block] @ terms + excess[block, None] * dirichlet + common
        top = float(log_weights.max())
        if top > shift:
            column *= math.exp(shift - top) if math.isfinite(shift) else 0.0
            shift = top
        scaled = np.exp(log_weights - shift)
        column += scaled.sum(axis=0)
        row_logs[block] = np.log(scaled.sum(axis=1)) + shift
    normaliser = math.log(column.sum()) + shift
    result = Posterior(
        missing=missing,
        probability=column / column.sum(),
        graph_weights=np.exp(row_logs - normaliser),
    )
    return result, graphs


def grid_quantile(values: npt.NDArray[np.int64], probability: FloatArray, level: float) -> int:
    """The smallest grid value whose cumulative posterior is at least ``level``."""
    cumulative = np.cumsum(probability)
    index = int(np.searchsorted(cumulative, level - 1e-12, side="left"))
    return int(values[min(index, values.size - 1)])


def estimate_dga(
    table: CaptureTable,
    *,
    level: float,
    delta: float | None = None,
    missing_max: int | None = None,
) -> EstimationResult:
    """Model-averaged posterior of the total (see the module docstring).

    ``delta`` defaults to 2^-p (dga's documented choice), ``missing_max`` to 10 × the
    number observed. The headline estimate is the posterior median.
    """
    started = time.perf_counter()
    n_lists = table.n_lists
    prior = 2.0**-n_lists if delta is None else float(delta)
    if not prior > 0:
        raise ValueError("delta must be > 0")
    maximum = DEFAULT_GRID_FACTOR * table.observed if missing_max is None else missing_max
    if maximum < 1:
        raise ValueError("missing_max must be 1 or more")
    counts = np.zeros(2**n_lists)
    counts[list(table.codes)] = table.counts
    post, graphs = posterior(counts, n_lists, prior, maximum)
    n = table.observed
    totals = n + post.missing
    low_level, high_level = round((1 - level) / 2, 12), round((1 + level) / 2, 12)
    levels = sorted({*QUANTILES, low_level, high_level})
    quantiles = {q: float(grid_quantile(totals, post.probability, q)) for q in levels}
    mean = float(np.dot(totals, post.probability))
    sd = math.sqrt(max(float(np.dot((totals - mean) ** 2, post.probability)), 0.0))
    order = np.argsort(-post.graph_weights, kind="stable")
    best = graphs[order[0]]
    top = tuple(
        {
            "graph": graphs[g].label(table.lists),
            "cliques": [":".join(_names(c, table.lists)) for c in graphs[g].ordered()],
            "weight": float(post.graph_weights[g]),
        }
        for g in order[:TOP_GRAPHS_SHOWN]
    )
    upper_tenth = float(post.probability[post.missing > 0.9 * maximum].sum())
    median = quantiles[0.5]
    warnings = list(table.warnings) + table.few_overlaps_warnings()
    if upper_tenth > TRUNCATION_WARNING:
        warnings.append(
            EstimationWarning(
                GRID_TRUNCATED,
                {"percent": max(1, round(100 * upper_tenth)), "maximum": maximum},
            )
        )
    return EstimationResult(
        lists=table.lists,
        method="dga",
        observed=n,
        estimate=median,
        dark_figure=median - n,
        intercept=None,
        intercept_se=None,
        conditional_interval=None,
        model=best.interactions(table.lists),
        infinite_terms=(),
        p_values=(),
        p_threshold=None,
        aic=None,
        level=level,
        posterior_interval=(quantiles[low_level], quantiles[high_level]),
        posterior_quantiles=quantiles,
        posterior_mean=mean,
        parameters={"delta": prior, "missing_max": maximum, "graphs": len(graphs), "prior": "1/N"},
        diagnostics={
            "posterior_sd": sd,
            "posterior_mode": float(totals[int(np.argmax(post.probability))]),
            "tail_beyond_5x": float(post.probability[post.missing > 5 * n].sum()),
            "mass_in_top_tenth_of_grid": upper_tenth,
            "mass_at_upper_bound": float(post.probability[-1]),
        },
        top_models=top,
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
    )
