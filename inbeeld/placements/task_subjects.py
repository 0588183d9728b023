"""Offers as subjects of tasks (tasks/registry.py): the shelter's answer to a placement
request offered to one of its locations.

The task belongs to the shelter's organisation; the offer is seen by that shelter's staff
(placements/rules.py answer_offer), pseudonymised until accepted (offers.py).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from inbeeld.accounts.models import User
from inbeeld.placements.access import offer_get_for
from inbeeld.placements.models import PlacementOffer
from inbeeld.tasks.registry import register_subject


def _answers(user: User, offer: Any) -> bool:
    return bool(user.has_perm("placements.answer_offer", offer))


register_subject(
    PlacementOffer,
    visible=_answers,
    may_add=_answers,
    get_for=offer_get_for,
    describe=lambda offer: str(offer.request.reference),
    url=lambda offer: reverse("placements:offer_detail", args=[offer.pk]),
    follow_up_source="placement.follow_up",
)
