"""Guards: a table with more lists than a method supports is refused before any work."""

from __future__ import annotations

import pytest

from inbeeld.estimation import MAX_LISTS, UnsupportedTableError, estimate, from_mapping
from inbeeld.estimation.limits import check_lists


def singles(n_lists: int) -> dict[str, int]:
    """Every list with 5 people of its own, and 3 people on the first two lists."""
    table = {"".join("1" if j == i else "0" for j in range(n_lists)): 5 for i in range(n_lists)}
    table["11" + "0" * (n_lists - 2)] = 3
    return table


@pytest.mark.parametrize("n_lists", [13, 20, 25])
def test_too_many_lists_are_refused_before_the_design_is_built(n_lists):
    # 25 lists used to end in a MemoryError, 20 in a quarter of an hour past 2.5 GB.
    with pytest.raises(UnsupportedTableError, match=f"{n_lists} lists is more than the 12"):
        estimate(from_mapping(singles(n_lists)), bootstrap=0)


def test_the_maximum_itself_is_estimated():
    result = estimate(from_mapping(singles(MAX_LISTS)), method="main", bootstrap=0)
    assert result.estimate >= result.observed


@pytest.mark.parametrize(
    ("n_lists", "method", "message"),
    [(6, "dga", "dga needs 3 to 5 lists"), (2, "dga", "dga needs 3 to 5"), (7, "bic", "bic")],
)
def test_each_method_names_its_own_range(n_lists, method, message):
    with pytest.raises(UnsupportedTableError, match=message):
        check_lists(n_lists, method)
