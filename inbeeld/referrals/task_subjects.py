"""Referrals as subjects of tasks (tasks/registry.py): the answer due on a referral.

The task belongs to the receiving organisation; the referral is seen by its people (the
receiving side, referrals/rules.py) and by whoever changes the case (the sender's side).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse

from inbeeld.accounts.models import User
from inbeeld.referrals.access import referral_get_for_recipient
from inbeeld.referrals.models import Referral
from inbeeld.tasks.registry import register_subject


def _visible(user: User, referral: Any) -> bool:
    return bool(
        user.has_perm("referrals.receive_referral", referral)
        or user.has_perm("referrals.revoke_referral", referral)
    )


def _may_add(user: User, referral: Any) -> bool:
    # The receiving organisation plans its own work on a referral it received.
    return bool(user.has_perm("referrals.receive_referral", referral))


def _get_for(user: User, referral_id: int) -> Referral:
    if not Referral.objects.filter(pk=referral_id).exists():
        raise Http404
    return referral_get_for_recipient(user, referral_id)


register_subject(
    Referral,
    visible=_visible,
    may_add=_may_add,
    get_for=_get_for,
    describe=lambda referral: str(referral.reference),
    url=lambda referral: reverse("referrals:detail", args=[referral.pk]),
    follow_up_source="referral.follow_up",
)
