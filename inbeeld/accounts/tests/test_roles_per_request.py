"""The gate of pages and menu items reads a user's roles once per request, and a changed
membership counts from the next request on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inbeeld.accounts.models import Membership, Role
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _plain_role_questions(sqls: list[str]) -> list[str]:
    """ "Does the user hold one of these roles anywhere?", asked of the database (questions
    about a role in a region or at a kind of organisation join other tables)."""
    return [
        sql
        for sql in sqls
        if 'FROM "accounts_membership" WHERE' in sql and '"accounts_membership"."role" IN' in sql
    ]


def test_the_menu_does_not_ask_the_database_for_each_item(world: World) -> None:
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    client.get(reverse("signals:queue"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("signals:queue"))
    assert response.status_code == 200
    sqls = [query["sql"] for query in queries.captured_queries]
    assert not _plain_role_questions(sqls), "a role asked of the database per menu item"
    assert 'href="/dossiers/"' in response.content.decode()  # the menu still shows its items


def test_a_role_taken_away_counts_from_the_next_request(world: World) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    client = verified_client(coordinator)
    assert client.get(reverse("signals:queue")).status_code == 200
    Membership.objects.filter(user=coordinator).update(role=Role.ONDERZOEKER)
    assert client.get(reverse("signals:queue")).status_code == 404
