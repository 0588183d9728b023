"""insight's blocks on the home page (lib/home_blocks.py): the key figures of the regions a
programme lead or council administrator works for (counts only, insight/figures.py), and
the analysts' latest linkage runs of the regions they analyse, by the overview page's rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from inbeeld.accounts.models import User
from inbeeld.insight import access
from inbeeld.insight.figures import key_figures
from inbeeld.lib.home_blocks import HomeBlock, home_block_register

SHOWN = 5


def region_key_figures(user: User) -> Mapping[str, Any]:
    """Per region where the user leads the programme or governs: its key figures; for an
    administrator of a municipality, that municipality's signals too."""
    own_municipalities = {
        membership.organisation.region_id: membership.organisation.municipality
        for membership in user.memberships.filter(role__in=access.FIGURES_ROLES)
        .select_related("organisation__municipality")
        .exclude(organisation__municipality=None)
    }
    return {
        "regions": [
            key_figures(region, municipality=own_municipalities.get(region.pk))
            for region in access.figures_regions(user)
        ],
        "threshold": settings.SMALL_CELL_THRESHOLD,
    }


def latest_runs(user: User) -> Mapping[str, Any]:
    return {"runs": list(access.linkage_runs_visible_to(user).order_by("-created_at")[:SHOWN])}


home_block_register(
    HomeBlock(
        name="key-figures",
        permission="insight.view_key_figures",
        template="insight/home_key_figures.html",
        context=region_key_figures,
        order=15,
    )
)
home_block_register(
    HomeBlock(
        name="latest-runs",
        permission="insight.link_lists",
        template="insight/home_runs.html",
        context=latest_runs,
        order=60,
    )
)
