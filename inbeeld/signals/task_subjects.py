"""Signals as subjects of tasks (tasks/registry.py): their need-to-know is signals/rules.py."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.signals import access
from inbeeld.signals.models import Signal
from inbeeld.tasks.registry import register_subject


def _visible(user: User, signal: Any) -> bool:
    return bool(user.has_perm("signals.view_signal", signal))


def _may_add(user: User, signal: Any) -> bool:
    return access.may_triage(user, signal)


def _get_for(user: User, signal_id: int) -> Signal:
    return access.signal_get_for(
        user=user, signal_id=signal_id, purpose=Purpose.TASKS, need="triage"
    )


register_subject(
    Signal,
    visible=_visible,
    may_add=_may_add,
    get_for=_get_for,
    describe=lambda signal: str(signal.receipt_code),
    url=lambda signal: reverse("signals:detail", args=[signal.pk]),
    follow_up_source="signal.follow_up",
)
