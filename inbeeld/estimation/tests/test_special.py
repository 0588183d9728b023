"""The scipy-free special functions agree with scipy (which the engine no longer imports)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import gammaln, ndtr, ndtri, pdtr, pdtrc

from inbeeld.estimation import special


def test_poisson_tails_agree_with_scipy_over_small_and_large_counts():
    rng = np.random.default_rng(7)
    observed = np.concatenate([rng.integers(0, 60, 800), rng.integers(0, 4000, 800), [0, 0, 3]])
    expected = np.concatenate([rng.uniform(0, 90, 800), rng.uniform(0, 5000, 800), [0, 2, 0]])
    at_most, at_least = special.poisson_tails(observed.astype(float), expected)
    reference_most = pdtr(observed, expected)
    reference_least = np.where(observed > 0, pdtrc(observed - 1, expected), 1.0)
    smaller = np.minimum(at_most, at_least)
    reference = np.minimum(reference_most, reference_least)
    tiny = reference < 1e-290
    # The smaller tail is what selection compares against 0.02: relative accuracy there.
    np.testing.assert_allclose(smaller[~tiny], reference[~tiny], rtol=1e-10)
    np.testing.assert_allclose(at_most, reference_most, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(at_least, reference_least, rtol=1e-10, atol=1e-14)


def test_normal_functions_and_log_gamma_agree_with_scipy():
    for value in (-8.0, -1.96, 0.0, 0.3, 5.0):
        assert special.ndtr(value) == pytest.approx(ndtr(value), rel=1e-13, abs=1e-300)
    for probability in (1e-9, 0.025, 0.5, 0.975):
        assert special.ndtri(probability) == pytest.approx(ndtri(probability), rel=1e-13)
    assert special.ndtri(0.0) == -math.inf and special.ndtri(1.0) == math.inf
    values = np.array([[0.5, 1.0, 7.25], [100.0, 2744.0, 1e6]])
    np.testing.assert_allclose(special.lgamma(values), gammaln(values), rtol=1e-14)


def test_a_stepwise_estimate_imports_neither_scipy_module(tmp_path):
    import subprocess
    import sys

    from .conftest import DATA

    code = (
        "import sys\n"
        "from inbeeld.estimation import estimate\n"
        f"estimate({str(DATA / 'UKdat.csv')!r}, bootstrap=0)\n"
        "print(sorted(m for m in sys.modules if m.startswith('scipy')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
