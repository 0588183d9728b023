"""The demo's tasks: follow-ups on the demo signals, one of them overdue (fictitious)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.signals.models import Signal
from inbeeld.tasks.services import task_create


def demo_tasks_create() -> None:
    """A few follow-ups for Zeeland's zorgcoördinator; run once, inside the demo's transaction."""
    coordinator = User.objects.filter(username="zorgcoordinator.zeeland").first()
    if coordinator is None:
        return
    signals = Signal.objects.filter(region__code="VR19").order_by("pk")[:2]
    today = timezone.localdate()
    plans = (
        ("Terugbellen met de melder", -2),
        ("Huisbezoek plannen", 5),
    )
    for signal, (title, days) in zip(signals, plans, strict=False):
        task_create(
            subject=signal,
            source="signal.follow_up",
            title=title,
            due=today + timedelta(days=days),
            owner=coordinator,
            by=coordinator,
        )
