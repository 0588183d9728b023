"""The shelter's block on the home page (lib/home_blocks.py): for a shelter's staff, how many
of their kinds of places are confirmed, and which are unknown to the coordinators because
they were not confirmed for seven days. Figures only; no person is named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.lib.home_blocks import HomeBlock, home_block_register
from inbeeld.shelter.access import own_places_of
from inbeeld.shelter.capacity import is_stale


def own_places_to_confirm(user: User) -> Mapping[str, Any]:
    now = timezone.now()
    places = list(own_places_of(user).order_by("location__name", "kind"))
    stale = [place for place in places if is_stale(place, now)]
    return {"places": len(places), "stale": stale}


home_block_register(
    HomeBlock(
        name="shelter-places",
        permission="shelter.keep_own_places",
        template="shelter/home_places.html",
        context=own_places_to_confirm,
        order=25,
    )
)
