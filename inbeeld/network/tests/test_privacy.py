"""Participants are registered personal data: encrypted at rest, and removed three years
after their activity by the nightly retention run, the activity and its counts kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from inbeeld.network.models import Activity, Participant
from inbeeld.network.tests.helpers import activity_in, attend, register
from inbeeld.privacy.registry import registry
from inbeeld.privacy.retention import retention_run
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def test_participants_are_a_registered_kind_with_a_retention_rule() -> None:
    kind = next(k for k in registry.kinds() if k.key == "network.participant")
    assert [rule.kind for rule in kind.retention] == ["network_participant"]


def test_a_participants_name_is_not_stored_in_plain_text(world: World) -> None:
    activity = activity_in(world)
    register(world, activity, "Zichtbaar Nergens")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, function FROM network_participant")
        stored = cursor.fetchall()
    assert stored and all("Zichtbaar" not in str(row) for row in stored)
    assert all("Beleidsmedewerker" not in str(row) for row in stored)


def test_participants_go_three_years_after_their_activity(world: World) -> None:
    now = timezone.now()
    old = activity_in(world, when=now - timedelta(days=3 * 365 + 5))
    recent = activity_in(world, when=now - timedelta(days=400))
    attend(world, old, register(world, old, "Oud Deelnemer"), public=4)
    attend(world, recent, register(world, recent, "Recent Deelnemer"))
    retention_run()
    assert [str(p.name) for p in Participant.objects.all()] == ["Recent Deelnemer"]
    assert Activity.objects.get(pk=old.pk).public_attendees == 4
