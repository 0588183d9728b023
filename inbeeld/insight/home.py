"""The analysts' block on the home page (lib/home_blocks.py): the latest linkage runs of the
regions they analyse, by the same rule as the overview page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inbeeld.accounts.models import User
from inbeeld.insight import access
from inbeeld.lib.home_blocks import HomeBlock, home_block_register

SHOWN = 5


def latest_runs(user: User) -> Mapping[str, Any]:
    return {"runs": list(access.linkage_runs_visible_to(user).order_by("-created_at")[:SHOWN])}


home_block_register(
    HomeBlock(
        name="latest-runs",
        permission="insight.link_lists",
        template="insight/home_runs.html",
        context=latest_runs,
        order=60,
    )
)
