"""How many lists each method can take, checked before any work (standard library only).

The log-linear methods work on all 2^t − 1 capture patterns: 4,095 cells for 12 lists,
a million for 20 (a 20-list table ran for a quarter of an hour growing past 2.5 GB; 25
lists ended in a MemoryError). Twelve lists is already more than any MSE study uses. BIC
over all hierarchical models exists for up to 6 lists (MultipleSystemsEstimation has no
model catalogue beyond), dga has graph lists for 3, 4 and 5 lists only.
"""

from __future__ import annotations

MAX_LISTS = 12

# method → (fewest, most) lists
LIST_RANGE: dict[str, tuple[int, int]] = {
    "stepwise": (2, MAX_LISTS),
    "fixed": (2, MAX_LISTS),
    "main": (2, MAX_LISTS),
    "bic": (2, 6),
    "auto": (2, MAX_LISTS),
    "dga": (3, 5),
    "lcmcr": (2, MAX_LISTS),
}

_WHY = {
    "bic": "BIC averages over all hierarchical models, which exist for up to 6 lists; "
    "use --method auto (stepwise above 5 lists)",
    "dga": "dga averages over the decomposable graphs of 3, 4 or 5 lists",
}


class UnsupportedTableError(ValueError):
    """The table has more (or fewer) lists than the method can handle."""


def check_lists(n_lists: int, method: str) -> None:
    """Raise :class:`UnsupportedTableError` when ``method`` cannot take ``n_lists`` lists."""
    fewest, most = LIST_RANGE[method]
    if fewest <= n_lists <= most:
        return
    if n_lists > MAX_LISTS:
        raise UnsupportedTableError(
            f"{n_lists} lists is more than the {MAX_LISTS} any method here supports "
            f"(the model would have {2**n_lists - 1:,} capture patterns); merge lists or "
            "leave some out"
        )
    why = _WHY.get(method, "")
    raise UnsupportedTableError(
        f"method {method} needs {fewest} to {most} lists, this table has {n_lists}"
        + (f" ({why})" if why else "")
    )
